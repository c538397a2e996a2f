# shellcheck shell=bash
# choose_plan: which plan `command: apply` applies (sourced by run.sh; sets `target` and
# `applied`, uses run.sh's out_dir, here, env_args, extra and plan_to_markdown).
#
# What was reviewed is what gets applied. A new plan of the checked-out files is made
# first (`plan --out`, one list GET); the reviewed plan (TS_PLAN_FILE, saved by
# `plan --out` on the pull request) is applied when it is still fresh: same definitions
# digest, same remote fingerprint (plans.py check; `apply FILE` checks it once more
# right before writing). Otherwise TS_ON_STALE decides, like Terraform Cloud (a saved
# plan whose state moved is discarded, never applied) and Atlantis (apply only what was
# planned on the pull request):
#   stop (the default): apply nothing (applied=none), say why in an error annotation and
#        in comment-markdown, with the new plan, for the merged pull request;
#   replan: apply the new plan (applied=replanned) and post it in comment-markdown, so
#        the pull request shows what was applied instead and why.
# A missing reviewed plan (a direct push, a plan run that failed or expired) is handled
# the same way. A new plan with no changes is applied in both modes (nothing changes;
# the ids file is refreshed).

choose_plan() {
  local policy="${TS_ON_STALE:-stop}" saved="${TS_PLAN_FILE:-}" why="" prc frc
  local saved_id="" new_id="" checked=()
  if [[ "$policy" != stop && "$policy" != replan ]]; then
    echo "::error title=trackersync apply::on-stale-plan must be stop or replan, not '$policy'"
    applied=none
    return
  fi
  plan_to_markdown new-plan
  prc=$?
  if [[ $prc -ne 0 && $prc -ne 2 ]]; then
    echo "::error title=trackersync apply::could not plan (exit code $prc); nothing was applied"
    applied=none
    return
  fi
  if [[ -n "$saved" && -f "$saved" ]]; then
    # Fresh or not, and both plans' short ids (exit 0 or 3), from one Python start.
    why="$(python3 "$here/plans.py" check "$saved" "$out_dir/new-plan.json" \
             2> "$out_dir/check.err")"
    frc=$?
    if [[ $frc -eq 0 || $frc -eq 3 ]]; then
      mapfile -t checked <<< "$why"
      saved_id="${checked[0]}"
      new_id="${checked[1]}"
      why="$(printf '%s\n' "${checked[@]:2}")"
    fi
    if [[ -s "$out_dir/check.err" ]]; then
      why="${why:+$why$'\n'}$(< "$out_dir/check.err")"
    fi
    if [[ $frc -eq 0 ]]; then
      target=("$saved")
      applied=reviewed
      printf '### Applying the reviewed plan `%s`\n\nIt is still fresh: same tracker files, same account.\n\n' \
        "$saved_id" >> "$GITHUB_STEP_SUMMARY"
      echo "Applying the reviewed plan $saved (still fresh)."
      return
    fi
    if [[ $frc -eq 3 ]]; then
      why="the reviewed plan \`$saved_id\` is stale; changed since it was made:"$'\n'"$why"
    else
      why="the reviewed plan cannot be used: $why"
    fi
  else
    why="no reviewed plan was found for this commit (pushed without a pull request, or the pull request's last plan run failed or its artifact expired)"
  fi
  if [[ -z "$new_id" ]]; then
    new_id="$(python3 "$here/plans.py" id "$out_dir/new-plan.json")"
  fi
  if [[ $prc -eq 0 ]]; then
    target=("$out_dir/new-plan.json")
    applied=replanned
    echo "Not applying a reviewed plan: ${why%%$'\n'*}. The new plan changes nothing; applying it refreshes the ids file."
    return
  fi
  {
    echo "<!-- trackersync-apply -->"
    if [[ "$policy" == stop ]]; then
      echo "### ⛔ Merged, but nothing was applied: the reviewed plan is not what merging would apply"
    else
      echo "### 🔁 Merged: applying a new plan \`$new_id\` in place of the reviewed one"
    fi
    echo
    # Each line as a list item, escaped for Markdown (tracker names are user text).
    printf '%s\n' "$why" | python3 "$here/plans.py" bullets
    echo
    if [[ "$policy" == stop ]]; then
      echo "This is the plan now (\`$new_id\`, \`on-stale-plan: stop\`). To apply it, review it and run the apply workflow by hand, or push a change in a new pull request."
    else
      echo "This is the plan being applied (\`on-stale-plan: replan\`); the apply job's summary has the result:"
    fi
    echo
    sed '1d' "$out_dir/new-plan.md"
  } > "$out_dir/stale.md"
  echo "comment-markdown=$out_dir/stale.md" >> "$GITHUB_OUTPUT"
  cat "$out_dir/stale.md" >> "$GITHUB_STEP_SUMMARY"
  if [[ "$policy" == stop ]]; then
    echo "::error title=reviewed plan not applied::${why%%$'\n'*}; nothing was applied (on-stale-plan: stop). The new plan is in the job summary."
    applied=none
  else
    echo "::notice title=re-planned::${why%%$'\n'*}; applying the new plan $new_id (on-stale-plan: replan)."
    target=("$out_dir/new-plan.json")
    applied=replanned
  fi
}
