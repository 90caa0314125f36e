#!/usr/bin/env bash
# Each API area of clickstack-cloud compiles alone: `cargo check` of the
# library with no default features, the default TLS, and one area feature,
# for every area listed in `full`.
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
for feature in "" $features; do
  label=${feature:-"(no area)"}
  if cargo check -q -p clickstack-cloud --lib --no-default-features --features "rustls${feature:+,$feature}" \
      --target-dir target/cloud-features 2>/tmp/cloud-features.log; then
    echo "cloud-features: $label ok"
  else
    echo "cloud-features: $label FAILED" >&2
    tail -30 /tmp/cloud-features.log >&2
    failed=1
  fi
done
exit "$failed"
