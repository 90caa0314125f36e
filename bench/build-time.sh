#!/usr/bin/env bash
# What a dependent pays to build clickstack: clean debug builds of two
# minimal apps, interleaved, three runs each, medians printed as seconds and
# as a ratio. Not a test: run it by hand, ideally on an idle machine.
#
#   facade      depends on the packaged `clickstack` (both backends, default
#               TLS), i.e. what a crates.io user gets: generated code included,
#               no build script, no generator;
#   reference   depends on crates.io `clickhouse-cloud-api` 0.5.0, ClickHouse's
#               own hand-written Cloud crate (default TLS: rustls + aws-lc-rs).
#
# Also printed: the same facade app with the `rustls-ring` TLS feature, and the
# compile time of each of our crates (from `cargo build --timings`).
#
#   bash bench/build-time.sh          # needs target/package-unpacked: run .ci/package.sh first
#   RUNS=1 bash bench/build-time.sh   # one run each
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
unpacked="$repo/target/package-unpacked"
runs="${RUNS:-3}"
if ! ls -d "$unpacked"/clickstack-[0-9]* >/dev/null 2>&1; then
  echo "build-time: $unpacked is missing; run bash .ci/package.sh first" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
version=$(basename "$(ls -d "$unpacked"/clickstack-[0-9]*)" | sed -E 's/^clickstack-//')
patches=""
for dir in "$unpacked"/*/; do
  dir=${dir%/}
  name=$(basename "$dir" | sed -E 's/-[0-9]+\.[0-9]+\.[0-9]+$//')
  patches+="$name = { path = \"$dir\" }"$'\n'
done

app() { # <name> <dependency lines> <main body>
  local dir="$work/$1"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.1.0"
edition = "2024"
publish = false
[dependencies]
$2
tokio = { version = "1", features = ["macros", "rt"] }
[patch.crates-io]
$patches
[workspace]
TOML
  printf '#[tokio::main(flavor = "current_thread")]\nasync fn main() {\n%s\n}\n' "$3" >"$dir/src/main.rs"
  (cd "$dir" && cargo fetch -q)
}

app facade "clickstack = \"=$version\"" \
  'let c = clickstack::Client::oss("http://localhost:8000", "k").build().unwrap(); println!("{:?}", c.backend());'
app facade-ring "clickstack = { version = \"=$version\", default-features = false, features = [\"rustls-ring\"] }" \
  'let c = clickstack::Client::oss("http://localhost:8000", "k").build().unwrap(); println!("{:?}", c.backend());'
app reference 'clickhouse-cloud-api = "=0.5.0"' \
  'println!("{}", std::any::type_name::<clickhouse_cloud_api::Client>());'

build() { # <name> -> seconds (wall) on stdout; timings json kept
  local dir="$work/$1" start end
  rm -rf "$dir/target"
  start=$(date +%s.%N)
  (cd "$dir" && cargo build -q --offline --timings 2>/dev/null)
  end=$(date +%s.%N)
  python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f}")' "$start" "$end"
}

declare -A times
for run in $(seq 1 "$runs"); do
  for name in facade reference facade-ring; do
    t=$(build "$name")
    times[$name]+="$t "
    echo "run $run: $name ${t}s"
  done
done

python3 - "$work" "${times[facade]}" "${times[reference]}" "${times[facade-ring]}" <<'PY'
import json, statistics, sys, pathlib
work, facade, reference, ring = sys.argv[1], *[list(map(float, s.split())) for s in sys.argv[2:5]]
f, r, g = statistics.median(facade), statistics.median(reference), statistics.median(ring)
print()
print(f"clean debug build, medians of {len(facade)} (interleaved)")
print(f"  facade (clickstack, default TLS)        {f:6.1f} s   {f / r:.2f}x the reference")
print(f"  facade (clickstack, rustls-ring)        {g:6.1f} s   {g / r:.2f}x the reference")
print(f"  reference (clickhouse-cloud-api 0.5.0)  {r:6.1f} s   1.00x")
import re
units = {}
html = sorted((pathlib.Path(work) / "facade" / "target" / "cargo-timings").glob("cargo-timing-*.html"))[-1].read_text()
data = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
for unit in data:
    if unit["name"].startswith("clickstack"):
        units[unit["name"]] = units.get(unit["name"], 0) + unit["duration"]
print("our crates in the facade app's last build (cargo --timings):")
for name, seconds in sorted(units.items(), key=lambda kv: -kv[1]):
    print(f"  {name:<22} {seconds:6.1f} s")
PY
