#!/usr/bin/env bash
# Clean debug build time of a crate that depends on clickstack, printed as
# seconds and as a ratio to the 85 s reference (a generated Cloud client
# with reqwest's default aws-lc-rs TLS, and ClickHouse's hand-written Cloud
# crate, both measured on the project's 2-core machine). Not a test: run it
# by hand on an idle machine.
#
#   bash bench/build-time.sh            # both dependents
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
spec_dir="${CLICKSTACK_SPEC_DIR:-$repo/../shared/specs/upstream}"
spec_dir="$(cd "$spec_dir" && pwd)"
reference=85
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() { # <name> <dependency line> <use line>
  local dir="$work/$1"
  mkdir -p "$dir/src"
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2024"\n[dependencies]\n%s\n[workspace]\n' "$1" "$2" >"$dir/Cargo.toml"
  echo "$3" >"$dir/src/lib.rs"
  cp "$repo/Cargo.lock" "$dir/"
  (cd "$dir" && cargo fetch -q)
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && CLICKSTACK_SPEC_DIR="$spec_dir" cargo build -q --offline)
  end=$(date +%s.%N)
  python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]:<28} {s:6.1f} s   {s/$reference:.2f} x the {$reference} s reference')" "$start" "$end" "$1"
}

measure only-clickstack-oss "clickstack-oss = { path = \"$repo/clickstack-oss\" }" \
  'pub fn f(c: &clickstack_oss::Client) -> &clickstack_oss::Client { c }'
measure clickstack-facade "clickstack = { path = \"$repo\" }" \
  'pub fn f(c: &clickstack::Client) -> clickstack::BackendKind { c.backend() }'
