#!/usr/bin/env bash
# What a dependent pays to build clickstack: clean debug builds of minimal
# apps, interleaved, three runs each, medians printed as seconds and as
# ratios. Not a test: run it by hand, ideally on an idle machine.
#
#   floor       reqwest (exactly the facade's reqwest features and TLS),
#               serde, serde_json and tokio: what any HTTP client app pays;
#   facade      the floor plus the packaged `clickstack` (both backends,
#               default features and TLS), i.e. what a crates.io user gets:
#               generated code included, no build script, no generator. It
#               also builds its own `reqwest::Client::new()`;
#   anchor      crates.io `clickhouse-cloud-api` 0.5.0, ClickHouse's own
#               hand-written Cloud crate (default TLS: rustls + aws-lc-rs).
#
# Printed: facade/floor (the target: at most 1.10) and facade/anchor, the
# compile time of each of our crates in the facade app (`cargo build
# --timings`), and the release size of the `clickstack` command line.
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

# The reqwest every app builds: the facade's features and TLS.
reqwest='reqwest = { version = "0.13", default-features = false, features = ["json", "query", "stream", "rustls"] }'
common="$reqwest
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\""
app floor "$common" \
  'let c = reqwest::Client::new(); let v: serde_json::Value = serde_json::json!({"a": 1}); println!("{c:?} {v}");'
app facade "$common
clickstack = \"=$version\"" \
  'let c = clickstack::Client::oss("http://localhost:8000", "k").build().unwrap(); let r = reqwest::Client::new(); println!("{:?} {r:?}", c.backend());'
app anchor 'clickhouse-cloud-api = "=0.5.0"' \
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
  for name in facade floor anchor; do
    t=$(build "$name")
    times[$name]+="$t "
    echo "run $run: $name ${t}s"
  done
done

echo "== the clickstack command line, release"
(cd "$repo" && cargo build -q --release -p clickstack-cli)
cli_bytes=$(stat -c %s "$repo/target/release/clickstack")

python3 - "$work" "${times[facade]}" "${times[floor]}" "${times[anchor]}" "$cli_bytes" <<'PY'
import json, re, statistics, sys, pathlib
work = sys.argv[1]
facade, floor, anchor = [list(map(float, s.split())) for s in sys.argv[2:5]]
cli_bytes = int(sys.argv[5])
f, b, a = statistics.median(facade), statistics.median(floor), statistics.median(anchor)
print()
print(f"clean debug build, medians of {len(facade)} (interleaved)")
print(f"  floor (reqwest + serde + serde_json + tokio)  {b:6.1f} s   1.00x")
print(f"  facade (the floor + clickstack)               {f:6.1f} s   {f / b:.2f}x the floor (target: at most 1.10x)")
print(f"  anchor (clickhouse-cloud-api 0.5.0)           {a:6.1f} s   {a / b:.2f}x the floor")
print(f"  facade/anchor                                          {f / a:.2f}x")
units = {}
html = sorted((pathlib.Path(work) / "facade" / "target" / "cargo-timings").glob("cargo-timing-*.html"))[-1].read_text()
data = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);", html, re.S).group(1))
for unit in data:
    if unit["name"].startswith("clickstack"):
        units[unit["name"]] = units.get(unit["name"], 0) + unit["duration"]
print("our crates in the facade app's last build (cargo --timings):")
for name, seconds in sorted(units.items(), key=lambda kv: -kv[1]):
    print(f"  {name:<22} {seconds:6.1f} s")
print(f"the clickstack command line, release: {cli_bytes / 1e6:.1f} MB")
PY
