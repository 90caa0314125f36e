#!/usr/bin/env bash
# Packages every publishable crate into target/package/*.crate, verified by
# cargo (each packaged crate builds in isolation), then:
#  1. checks that the generated code inside the packages equals a fresh
#     generation from the pinned specs;
#  2. builds a downstream crate outside the workspace (a temporary directory,
#     no ../shared, no CLICKSTACK_SPEC_DIR) on the packaged crates: it runs the
#     packaged as-code example against the embedded fake, calls
#     `reqwest::Client::new()` itself, and its `cargo tree` must not contain
#     the generator (progenitor-impl, typify, openapiv3, clickstack-codegen).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
root="$PWD"
staging="$root/target/package-staging"
out="$root/target/package"

echo "== staging the publishable crates (generated code included)"
cargo run -q -p clickstack-codegen -- package "$staging"

echo "== cargo package --workspace (verifies every crate in isolation)"
# cargo verifies each crate against the others through a temporary local
# registry, and unpacks those into $CARGO_HOME/registry/src/<its hash>/ once:
# a later run would build against the stale copies of an earlier one.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
for stale in "$cargo_home"/registry/src/*/clickstack*-[0-9]*; do
  case "$stale" in
    */index.crates.io-*) ;;
    *) [ -e "$stale" ] && rm -rf "$stale" ;;
  esac
done
(cd "$staging" && cargo package --workspace --allow-dirty 2>&1 | grep -vE '^\s+(Compiling|Adding|Downloaded|Downloading|Locking|Blocking)' )
mkdir -p "$out"
rm -f "$out"/*.crate
cp "$staging"/target/package/*.crate "$out"/
# The verification builds are not needed again; they are gigabytes.
rm -rf "$staging/target"
ls -l "$out"/*.crate

echo "== the packaged generated code equals a fresh generation"
unpacked="$root/target/package-unpacked"
rm -rf "$unpacked" && mkdir -p "$unpacked"
for crate in "$out"/*.crate; do tar -xzf "$crate" -C "$unpacked"; done
for api in cloud oss; do
  dir=$(ls -d "$unpacked"/clickstack-"$api"-*)
  cargo run -q -p clickstack-codegen -- compare-generated "$api" "$dir/src/generated.rs"
  cargo run -q -p clickstack-codegen -- compare-generated "$api" "$dir/src/mock.rs"
  if [ -e "$dir/build.rs" ]; then echo "package: $dir still has a build script" >&2; exit 1; fi
done

echo "== a downstream crate on the packaged crates, outside the workspace"
downstream=$(mktemp -d /tmp/clickstack-downstream.XXXXXX)
trap 'rm -rf "$downstream"' EXIT
version() { basename "$1" | sed -E 's/^.*-([0-9]+\.[0-9]+\.[0-9]+)$/\1/'; }
patches=""
for dir in "$unpacked"/*/; do
  dir=${dir%/}
  name=$(basename "$dir" | sed -E 's/-[0-9]+\.[0-9]+\.[0-9]+$//')
  patches+="$name = { path = \"$dir\" }"$'\n'
done
facade_version=$(version "$(ls -d "$unpacked"/clickstack-[0-9]*)")
mkdir -p "$downstream/src/bin"
cat > "$downstream/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
clickstack = "=$facade_version"
clickstack-fake = "=$facade_version"
futures-util = "0.3"
serde_json = "1"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
# The app's own reqwest, without TLS features of its own.
reqwest = { version = "0.13", default-features = false }

[patch.crates-io]
$patches
TOML
cp "$(ls -d "$unpacked"/clickstack-[0-9]*)/examples/as_code.rs" "$downstream/src/bin/as_code.rs"
cat > "$downstream/src/main.rs" <<'RUST'
//! A dependent's own reqwest client must keep working beside clickstack.
fn main() {
    let client = reqwest::Client::new();
    drop(client);
    println!("downstream: reqwest::Client::new() works beside clickstack");
}
RUST
(
  cd "$downstream"
  unset CLICKSTACK_SPEC_DIR
  export CARGO_TARGET_DIR="$root/target/downstream"
  cargo build -q 2>&1 | grep -v '^warning' || true
  cargo run -q --bin downstream
  cargo run -q --bin as_code
  tree=$(cargo tree -e normal,build 2>/dev/null)
  for forbidden in progenitor-impl typify openapiv3 clickstack-codegen; do
    if grep -q "$forbidden" <<<"$tree"; then
      echo "downstream: $forbidden is in the dependency tree" >&2
      exit 1
    fi
  done
  echo "downstream: the dependency tree holds no generator ($(grep -c . <<<"$tree") lines)"
)
echo "package: ok"
