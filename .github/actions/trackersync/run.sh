#!/usr/bin/env bash
# Runs one trackersync command for the composite action (action.yml) and publishes
# its results as step outputs.
#
# Reads:  TS_COMMAND (validate|plan|apply|ids), TS_ENV (environment name or ""),
#         TS_ARGS (extra arguments, split with Python's shlex: quotes respected, nothing
#         evaluated), TS_SHA (the commit named in an error report), GITHUB_OUTPUT,
#         GITHUB_STEP_SUMMARY, RUNNER_TEMP.
# Writes: exit-code, plan-markdown, plan-json, ids-file, error-markdown to $GITHUB_OUTPUT
#         (tracker-ids is written by `trackersync ids --format github` itself); the plan,
#         the apply report (stdout and stderr: the status table of a failed apply too) or
#         the error report of a failed validate/plan to $GITHUB_STEP_SUMMARY; files under
#         $RUNNER_TEMP/trackersync/.
# Exits:  0 when trackersync exited 0, and also when `plan` exited 2 (changes pending:
#         the caller reads the exit-code output and decides); otherwise trackersync's code.
# Never prints credentials: they stay in the environment trackersync reads. Workflow
# commands (::add-mask:: for a freshly issued token) reach the log, never a summary.
set -uo pipefail

command="${TS_COMMAND:?TS_COMMAND is required}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trackersync"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sha="${TS_SHA:-${GITHUB_SHA:-}}"
mkdir -p "$out_dir"
rm -f "$out_dir/error.md"
# stdout and stderr interleave in the order written (the apply report relies on it).
export PYTHONUNBUFFERED=1

# A repository secret that is not set arrives as an empty string; trackersync must see
# it as absent so that SYMBL_ACCESS_TOKEN="" does not hide SYMBL_APP_ID/SECRET.
while IFS= read -r name; do
  if [[ "$name" == SYMBL_* && -z "${!name}" ]]; then unset "$name"; fi
done < <(compgen -e)

python3 - > "$out_dir/args" <<'PY' || { echo "::error title=trackersync::cannot parse the args input (unbalanced quotes?)"; exit 1; }
import os, shlex, sys
for arg in shlex.split(os.environ.get("TS_ARGS", "")):
    sys.stdout.write(arg + "\0")
PY
extra=()
mapfile -d '' -t extra < "$out_dir/args"
env_args=()
if [[ -n "${TS_ENV:-}" ]]; then env_args=(--env "$TS_ENV"); fi

# The error report of a failed validate/plan: job summary, file, output error-markdown.
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
    trackersync plan --detailed-exitcode --format markdown --out "$out_dir/plan.json" \
      "${env_args[@]}" "${extra[@]}" > "$out_dir/plan.raw" 2> "$out_dir/plan.err"
    rc=$?
    # stderr goes to the log as written (::add-mask:: included: for the runner only).
    cat "$out_dir/plan.err" >&2
    grep '^::add-mask::' "$out_dir/plan.raw"
    grep -v '^::add-mask::' "$out_dir/plan.raw" > "$out_dir/plan.md"
    rm -f "$out_dir/plan.raw"
    if [[ $rc -eq 0 || $rc -eq 2 ]]; then
      cat "$out_dir/plan.md" >> "$GITHUB_STEP_SUMMARY"
      echo "plan-markdown=$out_dir/plan.md" >> "$GITHUB_OUTPUT"
      echo "plan-json=$out_dir/plan.json" >> "$GITHUB_OUTPUT"
    else
      report_failure "$out_dir/plan.err"
    fi
    ;;
  apply)
    # stderr too: a failed apply prints its status table and "Apply result: …" there.
    trackersync apply --auto-approve "${env_args[@]}" "${extra[@]}" 2>&1 \
      | tee "$out_dir/apply.txt"
    rc=${PIPESTATUS[0]}
    python3 "$here/summary.py" "trackersync apply (exit code $rc)" "$out_dir/apply.txt" \
      >> "$GITHUB_STEP_SUMMARY"
    # The ids_file apply writes (also after a failed apply: it records what exists).
    if ids_file="$(python3 "$here/ids_path.py" "${TS_ENV:-}")" && [[ -f "$ids_file" ]]; then
      echo "ids-file=$ids_file" >> "$GITHUB_OUTPUT"
    fi
    ;;
  ids)
    trackersync ids --format github "${env_args[@]}" "${extra[@]}"
    rc=$?
    ;;
  *)
    echo "::error title=trackersync::unknown command '$command' (use validate, plan, apply or ids)"
    exit 1
    ;;
esac

echo "exit-code=$rc" >> "$GITHUB_OUTPUT"
if [[ $rc -eq 0 || ( "$command" == plan && $rc -eq 2 ) ]]; then
  exit 0
fi
echo "::error title=trackersync $command::trackersync exited with code $rc"
exit "$rc"
