#!/usr/bin/env bash
# Runs one step of the composite action (action.yml) and publishes its results as step
# outputs. Every script it calls is in this folder ($here), never in the caller's tree.
#
# Reads:  TS_COMMAND (validate|plan|apply|ids|environments|find-plan|record|comment),
#         TS_ENV (environment name or ""), TS_ARGS (extra arguments, split with Python's
#         shlex: quotes respected, nothing evaluated), TS_SHA (the commit named in an
#         error report), TS_APP_ID / TS_APP_SECRET / TS_ACCESS_TOKEN (credentials, exported
#         under the environment's credentials_prefix), TS_PLAN_FILE / TS_REVIEWED /
#         TS_ON_STALE (apply of the reviewed plan), TS_PLAN_WORKFLOW (find-plan),
#         TS_PR_NUMBER / TS_BODY_FILE (comment), TS_BRANCH (record), GITHUB_OUTPUT,
#         GITHUB_STEP_SUMMARY, GITHUB_EVENT_NAME, RUNNER_TEMP.
# Writes: exit-code, plan-markdown, plan-json, ids-file, error-markdown, environments,
#         applied-plan, comment-markdown (and find-plan's pr-number, plan-run, plan-file),
#         tracker-ids after an apply that exited 0 (for the command ids,
#         `trackersync ids --format github` writes it itself) to $GITHUB_OUTPUT; the
#         plan, the apply report (stdout and stderr: the status table of a failed
#         apply too) or the error report of a failed validate/plan to
#         $GITHUB_STEP_SUMMARY; files under $RUNNER_TEMP/trackersync/.
# Exits:  0 when trackersync exited 0, and also when `plan` exited 2 (changes pending:
#         the caller reads the exit-code output and decides); otherwise trackersync's code.
# Never prints credentials: they stay in the environment trackersync reads. Workflow
# commands (::add-mask:: for a freshly issued token) reach the log, never a summary.
set -uo pipefail

command="${TS_COMMAND:?TS_COMMAND is required}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trackersync"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sha="${TS_SHA:-${GITHUB_SHA:-}}"
[[ -d "$out_dir" ]] || mkdir -p "$out_dir"
if [[ -e "$out_dir/error.md" ]]; then rm -f "$out_dir/error.md"; fi
# stdout and stderr interleave in the order written (the apply report relies on it).
export PYTHONUNBUFFERED=1

# These two need only Python's standard library and gh: -S skips the site packages
# (and their start-up hooks), about a third of a bare Python start.
case "$command" in
  comment) exec python3 -S "$here/comment.py" ;;
  find-plan) exec python3 -S "$here/find_plan.py" "$out_dir" ;;
esac

# What project.py step answers for TS_ENV in this folder: the credentials prefix and the
# environment's ids_file, asked at most once per step (never kept between steps: a step
# may have changed trackersync.yaml).
prefix=""
ids_file_path=""
project_answers() {
  local answers
  answers="$(python3 "$here/project.py" step "${TS_ENV:-}")" || return 1
  prefix="${answers%%$'\n'*}"
  ids_file_path="${answers#*$'\n'}"
}

# Credentials given as inputs go where trackersync reads them for this environment:
# <credentials_prefix>APP_ID and so on (SYMBL_ for the default account).
if [[ -n "${TS_APP_ID:-}${TS_APP_SECRET:-}${TS_ACCESS_TOKEN:-}" ]]; then
  project_answers || exit 1
  export "${prefix}APP_ID=${TS_APP_ID:-}" "${prefix}APP_SECRET=${TS_APP_SECRET:-}" \
    "${prefix}ACCESS_TOKEN=${TS_ACCESS_TOKEN:-}"
fi
unset TS_APP_ID TS_APP_SECRET TS_ACCESS_TOKEN
# A repository secret that is not set arrives as an empty string; trackersync must see
# it as absent so that SYMBL_ACCESS_TOKEN="" does not hide SYMBL_APP_ID/SECRET.
while IFS= read -r name; do
  if [[ ( "$name" == SYMBL_* || "$name" =~ _(APP_ID|APP_SECRET|ACCESS_TOKEN|API_URL)$ ) \
        && -z "${!name}" ]]; then unset "$name"; fi
done < <(compgen -e)

extra=()
# The args input split with Python's shlex. Without quotes or backslashes shlex splits
# at whitespace (space, tab, CR, LF) only, as bash's read does with that IFS: then no
# Python is started for it.
if [[ -n "${TS_ARGS:-}" && "$TS_ARGS" != *[\'\"\\]* ]]; then
  IFS=$' \t\r\n' read -r -d '' -a extra <<< "$TS_ARGS"
elif [[ -n "${TS_ARGS:-}" ]]; then
  # exit-code is set for every command, this failure too.
  python3 -S - > "$out_dir/args" 2> "$out_dir/args.err" <<'PY' || { echo "::error title=trackersync::cannot parse the args input: $(< "$out_dir/args.err") (unbalanced quotes?)"; echo "exit-code=1" >> "$GITHUB_OUTPUT"; exit 1; }
import os, shlex, sys
try:
    args = shlex.split(os.environ.get("TS_ARGS", ""))
except ValueError as exc:  # unbalanced quotes, a trailing backslash
    sys.exit(str(exc))
for arg in args:
    sys.stdout.write(arg + "\0")
PY
  mapfile -d '' -t extra < "$out_dir/args"
fi
env_args=()
if [[ -n "${TS_ENV:-}" ]]; then env_args=(--env "$TS_ENV"); fi

# The error report of a failed validate/plan: job summary, file, output error-markdown.
# plan_to_markdown NAME: `trackersync plan --detailed-exitcode --format markdown` saved as
# $out_dir/NAME.json, its Markdown in $out_dir/NAME.md (the comment text) and its stderr
# in $out_dir/NAME.err, echoed to the log as written; ::add-mask:: lines go to the runner
# only, never into the Markdown. Returns plan's exit code (0, 1 or 2).
plan_to_markdown() {
  local name="$1" code
  trackersync plan --detailed-exitcode --format markdown --out "$out_dir/$name.json" \
    "${env_args[@]}" "${extra[@]}" > "$out_dir/$name.raw" 2> "$out_dir/$name.err"
  code=$?
  cat "$out_dir/$name.err" >&2
  grep '^::add-mask::' "$out_dir/$name.raw"
  grep -v '^::add-mask::' "$out_dir/$name.raw" > "$out_dir/$name.md"
  rm -f "$out_dir/$name.raw"
  return "$code"
}

report_failure() {
  if python3 "$here/failure.py" "$command" "$sha" "$1" > "$out_dir/error.md"; then
    cat "$out_dir/error.md" >> "$GITHUB_STEP_SUMMARY"
    echo "error-markdown=$out_dir/error.md" >> "$GITHUB_OUTPUT"
  fi
}

case "$command" in
  validate)
    # Annotations for the log; the same problems as plain lines (--report) for the
    # error report, so nothing is parsed back out of the annotations.
    : > "$out_dir/problems.txt"
    trackersync validate --format github --report "$out_dir/problems.txt" \
      "${env_args[@]}" "${extra[@]}" 2>&1 | tee "$out_dir/validate.log"
    rc=${PIPESTATUS[0]}
    if [[ $rc -ne 0 ]]; then
      cat "$out_dir/problems.txt" "$out_dir/validate.log" > "$out_dir/validate-report.log"
      report_failure "$out_dir/validate-report.log"
    fi
    ;;
  plan)
    plan_to_markdown plan
    rc=$?
    if [[ ( $rc -eq 0 || $rc -eq 2 ) && -n "${TS_ON_STALE:-}" \
          && "${GITHUB_EVENT_NAME:-}" == pull_request ]]; then
      # Say which plan a merge applies, right under the comment's marker line.
      if note="$(python3 "$here/plans.py" note "$out_dir/plan.json" "$TS_ON_STALE" \
                 "$sha")"; then
        { sed -n 1p "$out_dir/plan.md"; printf '%s\n\n' "$note"; sed '1d' "$out_dir/plan.md"; } \
          > "$out_dir/plan.note.md" && mv "$out_dir/plan.note.md" "$out_dir/plan.md"
      fi
    fi
    if [[ $rc -eq 0 || $rc -eq 2 ]]; then
      cat "$out_dir/plan.md" >> "$GITHUB_STEP_SUMMARY"
      echo "plan-markdown=$out_dir/plan.md" >> "$GITHUB_OUTPUT"
      echo "plan-json=$out_dir/plan.json" >> "$GITHUB_OUTPUT"
    else
      report_failure "$out_dir/plan.err"
    fi
    ;;
  apply)
    # Which plan: the reviewed one when fresh, else as on-stale-plan says (apply_plan.sh).
    target=()
    applied=direct
    if [[ -n "${TS_PLAN_FILE:-}" || "${TS_REVIEWED:-false}" == true ]]; then
      # shellcheck source=apply_plan.sh
      source "$here/apply_plan.sh"
      choose_plan
    fi
    echo "applied-plan=$applied" >> "$GITHUB_OUTPUT"
    if [[ "$applied" == none ]]; then
      echo "exit-code=1" >> "$GITHUB_OUTPUT"
      exit 1
    fi
    # stderr too: a failed apply prints its status table and "Apply result: …" there.
    # --tracker-ids-out: after a verified apply, the IDs of the trackers the files
    # define, exactly what `trackersync ids` prints, from apply's own read-back (no
    # request); written only when apply succeeds. Removed here too: an apply that never
    # gets that far (args with --help) must not leave an earlier step's list to publish.
    rm -f "$out_dir/tracker-ids.json"
    trackersync apply --auto-approve "${target[@]}" "${env_args[@]}" "${extra[@]}" \
      --tracker-ids-out "$out_dir/tracker-ids.json" 2>&1 | tee "$out_dir/apply.txt"
    rc=${PIPESTATUS[0]}
    if [[ $rc -eq 0 && -s "$out_dir/tracker-ids.json" ]]; then
      IFS= read -r tracker_ids < "$out_dir/tracker-ids.json"
      echo "tracker-ids=$tracker_ids" >> "$GITHUB_OUTPUT"
    fi
    python3 "$here/summary.py" "trackersync apply (exit code $rc)" "$out_dir/apply.txt" \
      >> "$GITHUB_STEP_SUMMARY"
    # The ids_file apply writes (also after a failed apply: it records what exists).
    if [[ -n "$ids_file_path" ]] || project_answers; then
      if [[ -f "$ids_file_path" ]]; then
        echo "ids-file=$ids_file_path" >> "$GITHUB_OUTPUT"
      fi
    fi
    ;;
  ids)
    trackersync ids --format github "${env_args[@]}" "${extra[@]}"
    rc=$?
    ;;
  environments)
    if matrix="$(python3 "$here/project.py" environments)"; then
      echo "environments=$matrix" >> "$GITHUB_OUTPUT"
      echo "Environments: $matrix"
      rc=0
    else
      rc=1
    fi
    ;;
  record)
    # The ids_file when this step found it already (else record.sh asks).
    OUT_DIR="$out_dir" TS_IDS_FILE="$ids_file_path" bash "$here/record.sh"
    rc=$?
    ;;
  *)
    echo "::error title=trackersync::unknown command '$command' (use validate, plan, apply, ids, environments, find-plan, record or comment)"
    exit 1
    ;;
esac

echo "exit-code=$rc" >> "$GITHUB_OUTPUT"
if [[ $rc -eq 0 || ( "$command" == plan && $rc -eq 2 ) ]]; then
  exit 0
fi
echo "::error title=trackersync $command::trackersync exited with code $rc"
exit "$rc"
