#!/usr/bin/env bash
# Checks the spec directory before anything builds from it: for each API,
# the file that specs/<api>.json pins must be there with the pinned sha256.
# A missing file names where it was looked for and where upstream
# publishes it (pin.upstream_url); a spec-drift pull request says the same
# for a new file. Prints what the directory holds.
#
# Env: CLICKSTACK_SPEC_DIR (default ../shared/specs/upstream).
set -euo pipefail
cd "$(dirname "$0")/.."
spec_dir="${CLICKSTACK_SPEC_DIR:-../shared/specs/upstream}"
python3 - "$spec_dir" <<'PY'
import hashlib, json, pathlib, sys

spec_dir = pathlib.Path(sys.argv[1])
failed = False
for api in ("cloud", "oss"):
    pin = json.loads(pathlib.Path(f"specs/{api}.json").read_text())["pin"]
    path = spec_dir / api / pin["file"]
    if not path.is_file():
        print(f"specs: {path} is missing: specs/{api}.json pins it (sha256 {pin['sha256']}, "
              f"from {pin['upstream_url']}); put it in the spec directory "
              f"(CLICKSTACK_SPEC_DIR, or ../shared/specs/upstream)", file=sys.stderr)
        failed = True
        continue
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if sha != pin["sha256"].lower():
        print(f"specs: {path} has sha256 {sha}, but specs/{api}.json pins {pin['sha256']}",
              file=sys.stderr)
        failed = True
        continue
    files = sorted(p.name for p in (spec_dir / api).glob("*.json"))
    print(f"specs: {api}: pinned {pin['file']} ok; {len(files)} file(s): {', '.join(files)}")
sys.exit(1 if failed else 0)
PY
