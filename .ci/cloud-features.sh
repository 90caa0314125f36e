#!/usr/bin/env bash
# Each API area of clickstack-cloud compiles alone, with and without the
# `types` feature: `cargo check` of the library with no default features,
# the default TLS, and one area feature, for every area listed in `full`.
# clickstack-oss compiles without `types` too (the facade builds it so).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
features=$(python3 - <<'PY'
import tomllib
with open("clickstack-cloud/Cargo.toml", "rb") as f:
    print(" ".join(tomllib.load(f)["features"]["full"]))
PY
)
failed=0
check() { # <crate> <features> <label>
  if cargo check -q -p "$1" --lib --no-default-features --features "$2" \
      --target-dir target/cloud-features 2>/tmp/cloud-features.log; then
    echo "cloud-features: $3 ok"
  else
    echo "cloud-features: $3 FAILED" >&2
    tail -30 /tmp/cloud-features.log >&2
    failed=1
  fi
}
for feature in "" $features; do
  label=${feature:-"(no area)"}
  check clickstack-cloud "rustls${feature:+,$feature}" "$label"
  check clickstack-cloud "rustls,types${feature:+,$feature}" "$label with types"
done
check clickstack-oss rustls "clickstack-oss without types"
exit "$failed"
