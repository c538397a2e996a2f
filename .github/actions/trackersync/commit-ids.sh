#!/usr/bin/env bash
# Commits the ids file(s) that apply wrote back to the branch and pushes them (run by
# trackers-apply.yml after apply, also after a failed apply: the ids file then records
# the trackers that do exist). Without this, every CI run would start from the
# committed copy: protection recorded by a CI apply would be forgotten (a later prune
# could delete a protected tracker) and trackers created by CI never recorded as owned.
#
# Reads:  IDS_FILES (newline-separated paths, the action's ids-file output), BRANCH
#         (the branch to push to), GIT_TOKEN (the workflow's GITHUB_TOKEN; may be empty
#         for a remote that needs none), run in the checked-out repository.
# Does:   commits ONLY those files (never anything else: `git commit --only`), and only
#         when they changed; pushes HEAD to BRANCH; on a rejected push runs
#         `git pull --rebase` once and pushes again. When the push still fails (a
#         protected branch, say) it prints a ::warning:: saying how to allow it and exits
#         0: the apply itself succeeded, and the ids file is also kept as an artifact.
# Token:  never written to .git/config, a URL, argv or the log. A credential helper
#         given with `git -c` for each remote call reads it from the environment.
#         Pushes made with GITHUB_TOKEN do not start new workflow runs.
set -euo pipefail

: "${BRANCH:?BRANCH is required}"
export GIT_AUTHOR_NAME="github-actions[bot]" GIT_COMMITTER_NAME="github-actions[bot]"
export GIT_AUTHOR_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_TERMINAL_PROMPT=0
# shellcheck disable=SC2016 # expanded by the shell git starts, from the environment
helper='!f() { test "$1" = get && printf "username=x-access-token\npassword=%s\n" "$GIT_TOKEN"; }; f'

remote_git() {
  git -c credential.helper= -c "credential.helper=$helper" "$@"
}

if ! top="$(git rev-parse --show-toplevel 2>/dev/null)"; then
  echo "::warning title=ids file not committed::not a git checkout; keep the ids file from the artifact trackersync-ids."
  exit 0
fi
top="$(realpath -- "$top")"
files=()
while IFS= read -r path; do
  [[ -n "$path" ]] || continue
  full="$(realpath -m -- "$path")"
  if [[ "$full" != "$top"/* ]]; then
    echo "::warning title=ids file not committed::$path is outside the repository; keep it from the artifact trackersync-ids."
    continue
  fi
  if git check-ignore -q -- "$full"; then
    echo "::notice title=ids file not committed::$path is ignored by .gitignore; not committing it."
    continue
  fi
  if [[ -z "$(git status --porcelain -- "$full")" ]]; then
    echo "Unchanged: $path"
    continue
  fi
  files+=("$full")
done <<< "${IDS_FILES:-}"

if [[ ${#files[@]} -eq 0 ]]; then
  echo "No ids file changed; nothing to commit."
  exit 0
fi

git add -- "${files[@]}"
git commit --quiet --only -m "trackersync: record tracker IDs after apply" -- "${files[@]}"
git show --stat --format='Committed %h: %s' HEAD

if remote_git push origin "HEAD:refs/heads/$BRANCH"; then
  echo "Pushed the ids file to $BRANCH."
  exit 0
fi
echo "Push rejected; rebasing on $BRANCH and trying once more."
if remote_git pull --rebase origin "$BRANCH" && remote_git push origin "HEAD:refs/heads/$BRANCH"; then
  echo "Pushed the ids file to $BRANCH."
  exit 0
fi
git rebase --abort 2>/dev/null || true
echo "::warning title=ids file not pushed::Could not push the updated ids file to $BRANCH (a protected branch or ruleset?). Until it is committed, the next run forgets what this apply recorded (protection, owned trackers). Allow GitHub Actions to push it: add GitHub Actions to the bypass list of the branch ruleset (or allow it to push in the classic branch protection), or commit the file from the artifact trackersync-ids yourself."
exit 0
