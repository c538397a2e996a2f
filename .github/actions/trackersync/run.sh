#!/usr/bin/env bash
# Runs one trackersync command for the composite action (action.yml) and publishes
# its results as step outputs.
#
# Reads:  TS_COMMAND (validate|plan|apply|ids), TS_ENV (environment name or ""),
#         TS_ARGS (extra arguments, split with Python's shlex: quotes respected, nothing
#         evaluated), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP.
# Writes: exit-code, plan-markdown, plan-json to $GITHUB_OUTPUT (tracker-ids is written
#         by `trackersync ids --format github` itself); the plan or the apply report to
#         $GITHUB_STEP_SUMMARY; files under $RUNNER_TEMP/trackersync/.
# Exits:  0 when trackersync exited 0, and also when `plan` exited 2 (changes pending:
#         the caller reads the exit-code output and decides); otherwise trackersync's code.
# Never prints credentials: they stay in the environment trackersync reads.
set -uo pipefail

command="${TS_COMMAND:?TS_COMMAND is required}"
out_dir="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/trackersync"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$out_dir"

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

case "$command" in
  validate)
    trackersync validate --format github "${env_args[@]}" "${extra[@]}"
    rc=$?
    ;;
  plan)
    trackersync plan --detailed-exitcode --format markdown --out "$out_dir/plan.json" \
      "${env_args[@]}" "${extra[@]}" > "$out_dir/plan.raw"
    rc=$?
    # ::add-mask:: lines (a freshly issued token) go to the runner, never into the plan.
    grep '^::add-mask::' "$out_dir/plan.raw"
    grep -v '^::add-mask::' "$out_dir/plan.raw" > "$out_dir/plan.md"
    rm -f "$out_dir/plan.raw"
    if [[ $rc -eq 0 || $rc -eq 2 ]]; then
      cat "$out_dir/plan.md" >> "$GITHUB_STEP_SUMMARY"
      echo "plan-markdown=$out_dir/plan.md" >> "$GITHUB_OUTPUT"
      echo "plan-json=$out_dir/plan.json" >> "$GITHUB_OUTPUT"
    fi
    ;;
  apply)
    trackersync apply --auto-approve "${env_args[@]}" "${extra[@]}" | tee "$out_dir/apply.txt"
    rc=${PIPESTATUS[0]}
    python3 "$here/summary.py" "trackersync apply (exit code $rc)" "$out_dir/apply.txt" \
      >> "$GITHUB_STEP_SUMMARY"
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
