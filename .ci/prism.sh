#!/usr/bin/env bash
# Conformance against a third-party mock server: Stoplight Prism serves each
# PINNED spec (specs/<api>.json) with request validation on (Prism's
# default), and the generated conformance tests of both clients call every
# operation against it (tests/generated/tests/conformance.rs). A test
# fails when Prism rejects a request or when its 2xx response does not
# decode.
#
# Which document Prism gets: PRISM_SPEC=raw|normalized (default: normalized).
#   raw         the upstream file exactly as pinned.
#   normalized  `clickstack-codegen normalize <api> FILE`: the declared spec
#               fixes applied, 3.1 down-converted, one shared error schema.
#
# Prism 5.16 serves both raw specs (Cloud's OpenAPI 3.1.2 included), but
# the raw files carry upstream bugs that the declared fixes in
# specs/<api>.json correct, and the generated clients follow the fixed
# spec, so the default is the normalized spec:
#   - cloud-quantile-level: the raw `ClickStackSelectItem.level` is
#     `type: number` with string enum values, so Prism rejects every
#     dashboard request whose quantile level is a number (the only valid
#     JSON type) and serves "0.5" strings;
#   - cloud-saved-search-filter-example: Prism serves the raw example of
#     saved-search `filters`, a JSON-encoded string where the schema wants
#     objects, which does not decode;
#   - oss-team-bodies: the raw Team endpoints declare no bodies, so Prism
#     answers them with an empty body (which does not decode) and rejects
#     the invitation body.
# Normalization also drops validation keywords (minLength, minimum,
# pattern, ...; forward compatibility), so in this mode Prism checks paths,
# methods, parameters, auth, JSON types, required fields, enums and unions,
# but not lengths, ranges or patterns. PRISM_SPEC=raw shows the raw-spec
# results.
#
#   - cloud-credential-union-required: the ClickPipes Kafka `credentials`
#     oneOf lists object schemas without `required`, so every object
#     matches all four and Prism rejects every Kafka ClickPipe body.
#
# Env: CLICKSTACK_SPEC_DIR (default ../shared/specs/upstream), PRISM_CLOUD_PORT
# (4010), PRISM_OSS_PORT (4011). Logs: target/prism/<api>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

prism_version=5.16.0
prism=.ci/node/node_modules/.bin/prism
feed="${PRISM_SPEC:-normalized}"
spec_dir="${CLICKSTACK_SPEC_DIR:-../shared/specs/upstream}"
work=target/prism
mkdir -p "$work"

for tool in npm curl python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "prism: $tool is missing (.ci/run installs nodejs, npm, curl and python3 with apt-get)" >&2
    exit 1
  fi
done
if [ "$("$prism" --version 2>/dev/null || true)" != "$prism_version" ]; then
  echo "prism: installing @stoplight/prism-cli@$prism_version into .ci/node"
  npm install --no-save --no-audit --no-fund --prefix .ci/node "@stoplight/prism-cli@$prism_version" >"$work/npm.log" 2>&1 ||
    { cat "$work/npm.log"; exit 1; }
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

pinned_file() { # <api>
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["pin"]["file"])' "specs/$1.json"
}

start_prism() { # <api> <port>
  local api=$1 port=$2 spec
  spec="$spec_dir/$api/$(pinned_file "$api")"
  if [ ! -f "$spec" ]; then
    echo "prism: pinned spec $spec not found (set CLICKSTACK_SPEC_DIR)" >&2
    exit 1
  fi
  case "$feed" in
    raw) ;;
    normalized)
      cargo run -q -p clickstack-codegen -- normalize "$api" "$spec" >"$work/$api.normalized.json" 2>"$work/$api.normalize.log" ||
        { cat "$work/$api.normalize.log"; exit 1; }
      spec="$work/$api.normalized.json"
      ;;
    *) echo "prism: PRISM_SPEC must be raw or normalized, not $feed" >&2; exit 1 ;;
  esac
  echo "prism: $api on 127.0.0.1:$port from $spec ($feed)"
  "$prism" mock -h 127.0.0.1 -p "$port" --errors=false "$spec" >"$work/$api.log" 2>&1 &
  pids+=($!)
}

wait_for() { # <api> <port> <pid>
  local api=$1 port=$2 pid=$3 code
  for _ in $(seq 1 180); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "prism: the $api server exited:" >&2
      tail -n 30 "$work/$api.log" >&2
      exit 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
    if [ "$code" != "000" ]; then
      echo "prism: $api answers on port $port"
      return 0
    fi
    sleep 1
  done
  echo "prism: the $api server did not answer within 180s" >&2
  tail -n 30 "$work/$api.log" >&2
  exit 1
}

cloud_port="${PRISM_CLOUD_PORT:-4010}"
oss_port="${PRISM_OSS_PORT:-4011}"
start_prism cloud "$cloud_port"
start_prism oss "$oss_port"
wait_for cloud "$cloud_port" "${pids[0]}"
wait_for oss "$oss_port" "${pids[1]}"

status=0
PRISM_CLOUD_URL="http://127.0.0.1:$cloud_port" PRISM_OSS_URL="http://127.0.0.1:$oss_port" \
  cargo test --no-fail-fast -p clickstack-generated-tests --features conformance --test conformance || status=$?
if [ "$status" -ne 0 ]; then
  sleep 1 # Prism writes its log asynchronously
  for api in cloud oss; do
    echo "== Prism's violations ($api, from $work/$api.log)"
    grep -E 'Violation: request' "$work/$api.log" | sort -u | tail -n 40 || true
  done
fi
exit "$status"
