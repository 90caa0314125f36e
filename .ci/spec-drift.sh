#!/usr/bin/env bash
# What .github/workflows/spec-drift.yml does with the report of
# `clickstack-codegen drift --<api> --json` (one API per report):
#
#   bash .ci/spec-drift.sh pr    DRIFT.json  the spec changed and generates (exit 2):
#       on the branch spec-drift/<api>-<sha12> (unless it exists already),
#       `update-pin <api> <source>` (which downloads the same file again; its
#       sha256 must be the one drift saw), a commit of specs/<api>.json, and a
#       pull request whose body is the report, breaking changes flagged
#       (a "Breaking changes" heading and the `breaking-change` label)
#   bash .ci/spec-drift.sh issue DRIFT.json  the spec changed and does not generate:
#       an issue with the pipeline's error and the report, once per upstream file
#   bash .ci/spec-drift.sh body  DRIFT.json  print the pull request body
#   bash .ci/spec-drift.sh issue-body DRIFT.json  print the issue body
#
# Only specs/<api>.json is committed: the new upstream file lands in the
# spec directory (../shared/specs/upstream/<api>/, a checkout of the specs
# repository, as in CI). With SPECS_PUSH=1 it is committed there and pushed
# to the checked-out branch, so that the pull request's CI finds it; else the
# body says where to get it (its URL and sha256; the workflow also keeps it
# as an artifact).
#
# Env: DRY_RUN=1 prints the commands that change anything (git commit and
# push, gh) instead of running them; RUN_URL links the workflow run;
# BASE_BRANCH (default: the remote's default branch); SPECS_PUSH=1;
# CLICKSTACK_SPEC_DIR (default ../shared/specs/upstream).
set -euo pipefail
cd "$(dirname "$0")/.."

# GitHub rejects pull request and issue bodies over 65,536 characters.
max_report_chars=50000
spec_dir="${CLICKSTACK_SPEC_DIR:-../shared/specs/upstream}"
run_url="${RUN_URL:-}"

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 1
}

[ $# -eq 2 ] || usage
action=$1
report=$2
[ -f "$report" ] || { echo "spec-drift: $report: no such report" >&2; exit 1; }

field() { # <jq filter on the API's entry>
  jq -r ".apis[0] | $1 // empty" "$report"
}

api=$(field .api)
status=$(field .status)
source=$(field .source)
sha=$(field .upstream.sha256)
name=$(field .upstream.file)
size=$(field .upstream.bytes)
pinned_file=$(field .pinned.file)
pinned_sha=$(field .pinned.sha256)
breaking=$(field .changes.breaking)
compatible=$(field .changes.compatible)
breaking=${breaking:-0}
compatible=${compatible:-0}
[ -n "$api" ] && [ "$status" = changed ] && [ -n "$sha" ] ||
  { echo "spec-drift: $report reports no changed spec (status: ${status:-none})" >&2; exit 1; }
short=${sha:0:12}

run() { # runs a command that changes something, or prints it under DRY_RUN=1
  if [ "${DRY_RUN:-0}" = 1 ]; then
    printf 'dry run:'
    printf ' %q' "$@"
    printf '\n'
  else
    "$@"
  fi
}

codegen() {
  cargo run -q -p clickstack-codegen -- "$@"
}

# The rendered report in a fenced block, cut at a line boundary to fit a
# body (breaking changes come first, so a cut drops compatible ones).
report_block() {
  local text
  text=$(jq -r .rendered "$report")
  echo '```text'
  if [ "${#text}" -gt "$max_report_chars" ]; then
    # Cut in the shell: a pipe through `head` would end its writer with
    # SIGPIPE, which pipefail turns into a failed run.
    local kept=${text:0:$max_report_chars}
    kept=${kept%$'\n'*}
    printf '%s\n' "$kept"
    echo "... cut here: $(( $(wc -l <<<"$text") - $(wc -l <<<"$kept") )) more lines" \
      "in the drift-$api artifact${run_url:+ of $run_url}"
  else
    printf '%s\n' "$text"
  fi
  echo '```'
}

new_file_section() {
  echo "### The new spec file"
  echo
  echo "| | file | sha256 |"
  echo "|---|---|---|"
  echo "| pinned now | \`$api/$pinned_file\` | \`$pinned_sha\` |"
  echo "| upstream | \`$api/$name\` ($size bytes, from $source) | \`$sha\` |"
  echo
  if [ "${SPECS_PUSH:-0}" = 1 ]; then
    echo "The workflow added \`specs/upstream/$api/$name\` to the specs repository, where CI reads specs from."
  else
    echo "CI reads specs from the specs repository (\`SPECS_REPOSITORY\`): add \`specs/upstream/$api/$name\`" \
      "there before this pull request's CI can pass. It is the file served by $source with sha256 \`$sha\`;" \
      "the workflow run keeps it as the \`upstream-$api\` artifact${run_url:+ ($run_url)}."
  fi
}

pr_body() {
  echo "## Upstream \`$api\` spec changed"
  echo
  echo "\`clickstack-codegen drift\` found a new upstream spec for **$api** at $source, and it generates." \
    "This pull request moves the pin in \`specs/$api.json\` to it (\`update-pin\`)."
  echo
  if [ "$breaking" -gt 0 ]; then
    echo "### ⚠ Breaking changes: $breaking"
    echo
    echo "**$breaking breaking** and $compatible compatible API changes: code written against the current" \
      "client may stop compiling or working. They are listed first in the report below; review them," \
      "note them in the changelog and bump the version accordingly."
  else
    echo "### No breaking changes"
    echo
    echo "$compatible compatible API changes, none breaking."
  fi
  echo
  local stale
  stale=$(jq -r '.apis[0].check.fixes_stale[]? | "- `\(.id)`: \(.why)"' "$report")
  if [ -n "$stale" ]; then
    echo "### Stale spec fixes"
    echo
    echo "These declared fixes in \`specs/$api.json\` no longer apply; remove them if upstream fixed the bug:"
    echo
    echo "$stale"
    echo
  fi
  new_file_section
  echo
  echo "### Report"
  echo
  report_block
  echo
  echo "Opened by the spec-drift workflow${run_url:+: $run_url}."
}

issue_body() {
  echo "## Upstream \`$api\` spec does not generate"
  echo
  echo "\`clickstack-codegen drift\` found a new upstream spec for **$api** at $source" \
    "(sha256 \`$sha\`, $size bytes), and the generator cannot generate it:"
  echo
  echo '```text'
  field .check_error
  echo '```'
  echo
  echo "The pin stays on \`$pinned_file\`. To move it: download the file, find where it fails with" \
    "\`cargo run -p clickstack-codegen -- check $api FILE\`, add a declared fix (with its \`why\`) to" \
    "\`specs/$api.json\` or teach the normalizer, then \`update-pin $api FILE\`."
  echo
  echo "### Report ($breaking breaking, $compatible compatible API changes)"
  echo
  report_block
  echo
  echo "Opened by the spec-drift workflow${run_url:+: $run_url}."
}

ensure_label() { # <name> <color> <description>
  run gh label create "$1" --color "$2" --description "$3" --force
}

push_specs_file() {
  local specs_root branch
  specs_root=$(cd "$spec_dir/../.." && pwd)
  branch=$(git -C "$specs_root" rev-parse --abbrev-ref HEAD)
  if [ "$branch" = HEAD ]; then
    echo "spec-drift: the specs checkout $specs_root is not on a branch; set SPECS_REF to a branch" >&2
    exit 1
  fi
  if [ -f "$specs_root/specs/PROVENANCE.md" ]; then
    {
      echo
      echo "### \`upstream/$api/$name\`"
      echo
      echo "- source: $source, downloaded $(date -u +%Y-%m-%d) by \`clickstack-codegen update-pin\`" \
        "in the spec-drift workflow${run_url:+ ($run_url)}"
      echo "- transformation: none (byte-exact body)"
      echo "- sha256: \`$sha\`; size $size bytes"
    } >>"$specs_root/specs/PROVENANCE.md"
    run git -C "$specs_root" add specs/PROVENANCE.md
  fi
  run git -C "$specs_root" add "specs/upstream/$api/$name"
  run git -C "$specs_root" -c user.name="clickstack spec-drift" -c user.email="spec-drift@users.noreply.github.com" \
    commit -q -m "upstream/$api/$name: $source (sha256 $sha)"
  run git -C "$specs_root" push -q origin "HEAD:refs/heads/$branch"
}

open_pr() {
  local branch="spec-drift/$api-$short" base title
  if git ls-remote --exit-code --heads origin "$branch" >/dev/null 2>&1; then
    echo "spec-drift: $branch exists already: upstream file $short was proposed before"
    return 0
  fi
  base=${BASE_BRANCH:-$({ git remote show origin 2>/dev/null || true; } | sed -n 's/^ *HEAD branch: //p')}
  base=${base:-main}
  run git switch -q -c "$branch"
  run codegen update-pin "$api" "$source"
  local now
  now=$(jq -r .pin.sha256 "specs/$api.json")
  if [ "$now" != "$sha" ] && [ "${DRY_RUN:-0}" != 1 ]; then
    echo "spec-drift: update-pin downloaded sha256 $now, drift saw $sha: upstream changed during this run;" \
      "the next run proposes the newest" >&2
    exit 1
  fi
  [ "${SPECS_PUSH:-0}" = 1 ] && push_specs_file
  run git add "specs/$api.json"
  run git -c user.name="clickstack spec-drift" -c user.email="spec-drift@users.noreply.github.com" \
    commit -q -m "specs: pin $api to upstream $name" \
    -m "From $source (sha256 $sha): $breaking breaking, $compatible compatible API changes."
  run git push -q origin "$branch"
  local body
  body=$(mktemp)
  pr_body >"$body"
  title="specs: move the $api pin to upstream $short ($breaking breaking, $compatible compatible changes)"
  local labels=(--label spec-drift)
  ensure_label spec-drift 1d76db "An upstream OpenAPI spec changed"
  if [ "$breaking" -gt 0 ]; then
    title="⚠ $title"
    labels+=(--label breaking-change)
    ensure_label breaking-change d93f0b "Breaks code written against the current client"
  fi
  run gh pr create --base "$base" --head "$branch" --title "$title" --body-file "$body" "${labels[@]}"
  rm -f "$body"
}

open_issue() {
  local title="Upstream $api spec $short does not generate" existing body
  existing=$(gh issue list --state open --label spec-drift --search "$short in:title" --json number --jq length 2>/dev/null || echo 0)
  if [ "${existing:-0}" -gt 0 ]; then
    echo "spec-drift: an open issue already reports upstream file $short"
    return 0
  fi
  body=$(mktemp)
  issue_body >"$body"
  ensure_label spec-drift 1d76db "An upstream OpenAPI spec changed"
  run gh issue create --title "$title" --body-file "$body" --label spec-drift
  rm -f "$body"
}

case "$action" in
  pr) open_pr ;;
  issue) open_issue ;;
  body) pr_body ;;
  issue-body) issue_body ;;
  *) usage ;;
esac
