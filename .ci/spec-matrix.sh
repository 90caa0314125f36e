#!/usr/bin/env bash
# Every shipped spec version must normalize, generate and compile: build
# each client crate once per upstream file (CLICKSTACK_<API>_SPEC_FILE
# replaces the pinned file for that build), the Cloud crate with every API
# area (`--features full`).
set -euo pipefail
cd "$(dirname "$0")/.."
spec_dir="${CLICKSTACK_SPEC_DIR:-../shared/specs/upstream}"
failed=0
passed=0
for api in cloud oss; do
  var="CLICKSTACK_$(echo "$api" | tr a-z A-Z)_SPEC_FILE"
  features=""
  if [ "$api" = cloud ]; then features="--features full"; fi
  for file in "$spec_dir/$api"/*.json; do
    file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
    # shellcheck disable=SC2086
    if env "$var=$file" cargo check -q -p "clickstack-$api" $features --lib --target-dir target/spec-matrix 2>/tmp/spec-matrix.log; then
      echo "spec-matrix: $api $(basename "$file") generates and compiles"
      passed=$((passed + 1))
    else
      echo "spec-matrix: $api $(basename "$file") FAILED"
      grep -E '^(error|warning: spec fix)' /tmp/spec-matrix.log | head -20
      failed=$((failed + 1))
    fi
  done
done
echo "spec-matrix: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
