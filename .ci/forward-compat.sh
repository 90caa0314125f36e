#!/usr/bin/env bash
# Forward compatibility, measured: clients generated from the previous pins
# (Cloud 2026-07-31, HyperDX 41395ca74) are served 200 bodies per ClickStack
# GET generated from the current pins' schemas (Cloud 2026-11-30, HyperDX
# dc29d57f3) by `clickstack-codegen fixtures`. Every body must decode and read
# back as it came; the test prints a table of counts per operation.
#
# Env: CLICKSTACK_SPEC_DIR (default ../shared/specs/upstream), FIXTURE_COUNT (200).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
spec_dir="$(cd "${CLICKSTACK_SPEC_DIR:-../shared/specs/upstream}" && pwd)"
count="${FIXTURE_COUNT:-200}"
fixtures="$PWD/target/forward-compat/fixtures"
rm -rf "$fixtures"
newer_cloud="$spec_dir/cloud/clickhouse-cloud-2026-11-30.json"
newer_oss="$spec_dir/oss/hyperdx-dc29d57f3-2026-08-21.json"
older_cloud="$spec_dir/cloud/clickhouse-cloud-2026-07-31.json"
older_oss="$spec_dir/oss/hyperdx-41395ca74-2026-05-11.json"
cargo run -q -p clickstack-codegen -- fixtures cloud "$newer_cloud" "$fixtures/cloud" --count "$count"
cargo run -q -p clickstack-codegen -- fixtures oss "$newer_oss" "$fixtures/oss" --count "$count"
echo "forward-compat: clients of $(basename "$older_cloud") and $(basename "$older_oss")"
CLICKSTACK_CLOUD_SPEC_FILE="$older_cloud" CLICKSTACK_OSS_SPEC_FILE="$older_oss" CLICKSTACK_FIXTURES="$fixtures" \
  cargo test -q -p clickstack-generated-tests --features forward-compat --test forward_compat \
  --target-dir target/forward-compat -- --nocapture
