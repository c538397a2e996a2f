#!/usr/bin/env bash
# Records the ownership record (the environment's ids_file) on the branch after apply,
# merged with the copy on the branch tip (run by run.sh for `command: record`; also
# after a failed apply: the ids file then records the trackers that do exist).
#
# Why a merge and not a rebase: two applies that land close together, or a run that
# checked out an older commit, each wrote the record from their own checkout. Rebasing
# one text onto the other conflicts (and the loser's trackers are then orphaned: prune
# never deletes them). Instead, on the current branch tip, `trackersync merge-ids`
# regenerates the record from this run's copy, the tip's copy and the live account
# (every ID either copy owns that still exists, under its current name), and that file
# is committed on top of the tip with git plumbing (no checkout, no rebase). If the tip
# moves again before the push lands, the fetch + merge + push is done again (3 tries).
#
# Reads:  TS_ENV, TS_BRANCH (the branch to push to), GIT_TOKEN (the workflow's
#         GITHUB_TOKEN; may be empty for a remote that needs none), OUT_DIR, TS_IDS_FILE
#         (the ids_file's path when run.sh knows it; else ids_path.py is asked), and the
#         Symbl credentials run.sh exported; run in the checked-out repository.
# Does:   commits ONLY the ids file, and only when the merged record differs from the
#         tip's. A push refused for another reason (a protected branch) prints a
#         ::warning:: saying how to allow it and exits 0: the apply itself succeeded,
#         and the ids file is also kept as an artifact.
# Secrets: git never sees the Symbl credentials, trackersync never sees GIT_TOKEN. The
#         token is never written to .git/config, a URL, argv or the log: a credential
#         helper given with `git -c` for each remote call reads it from the environment.
#         Pushes made with GITHUB_TOKEN do not start new workflow runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
branch="${TS_BRANCH:?the branch input is required}"
out_dir="${OUT_DIR:?}"
env_args=()
if [[ -n "${TS_ENV:-}" ]]; then env_args=(--env "$TS_ENV"); fi
export GIT_AUTHOR_NAME="github-actions[bot]" GIT_COMMITTER_NAME="github-actions[bot]"
export GIT_AUTHOR_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"
export GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_TERMINAL_PROMPT=0
# shellcheck disable=SC2016 # expanded by the shell git starts, from the environment
helper='!f() { test "$1" = get && printf "username=x-access-token\npassword=%s\n" "$GIT_TOKEN"; }; f'
message="trackersync: record tracker IDs after apply"
artifact_hint="keep it from the artifact trackersync-ids"

credential_vars=()
while IFS= read -r name; do
  if [[ "$name" =~ _(APP_ID|APP_SECRET|ACCESS_TOKEN)$ ]]; then credential_vars+=("$name"); fi
done < <(compgen -e)

remote_git() {  # git talking to origin: the token, never the Symbl credentials
  ( if [[ ${#credential_vars[@]} -gt 0 ]]; then unset "${credential_vars[@]}"; fi
    git -c credential.helper= -c "credential.helper=$helper" "$@" )
}

if ! top="$(git rev-parse --show-toplevel 2>/dev/null)"; then
  echo "::warning title=ids file not committed::not a git checkout; $artifact_hint."
  exit 0
fi
top="$(realpath -- "$top")"
full="$(realpath -m -- "${TS_IDS_FILE:-$(python3 "$here/ids_path.py" "${TS_ENV:-}")}")"
if [[ "$full" != "$top"/* ]]; then
  echo "::warning title=ids file not committed::$full is outside the repository; $artifact_hint."
  exit 0
fi
rel="${full#"$top"/}"
if git check-ignore -q -- "$full"; then
  echo "::notice title=ids file not committed::$rel is ignored by .gitignore; not committing it."
  exit 0
fi
if [[ ! -f "$full" ]]; then
  echo "No ids file at $rel; nothing to record."
  exit 0
fi

tip_copy="$out_dir/tip-record.json"
index="$out_dir/record.index"
for attempt in 1 2 3; do
  if ! remote_git fetch --quiet origin "refs/heads/$branch"; then
    echo "::warning title=ids file not pushed::Could not fetch $branch; $artifact_hint."
    exit 0
  fi
  tip="$(git rev-parse FETCH_HEAD)"
  others=()
  if git cat-file -e "$tip:$rel" 2>/dev/null; then
    git show "$tip:$rel" > "$tip_copy"
    others=("$tip_copy")
  fi
  # The record on the tip, regenerated: this run's copy + the tip's copy + the account.
  env -u GIT_TOKEN trackersync merge-ids "${env_args[@]}" "${others[@]}"
  blob="$(git hash-object -w -- "$full")"
  if [[ ${#others[@]} -gt 0 && "$(git rev-parse "$tip:$rel")" == "$blob" ]]; then
    echo "Unchanged: $rel on $branch already holds this record; nothing to commit."
    exit 0
  fi
  rm -f "$index"
  GIT_INDEX_FILE="$index" git read-tree "$tip"
  GIT_INDEX_FILE="$index" git update-index --add --cacheinfo "100644,$blob,$rel"
  tree="$(GIT_INDEX_FILE="$index" git write-tree)"
  commit="$(git commit-tree "$tree" -p "$tip" -m "$message")"
  git show --stat --format='Committed %h: %s' "$commit"
  if remote_git push origin "$commit:refs/heads/$branch"; then
    echo "Pushed the ids file to $branch (on top of ${tip:0:12})."
    exit 0
  fi
  # Refused: either the tip moved (another run pushed) or the branch is protected.
  remote_git fetch --quiet origin "refs/heads/$branch" || break
  if [[ "$(git rev-parse FETCH_HEAD)" == "$tip" ]]; then break; fi
  echo "Push rejected: $branch moved on; merging with the new tip (attempt $attempt)."
done
echo "::warning title=ids file not pushed::Could not push the updated ids file to $branch (a protected branch or ruleset?). Until it is committed, the next run forgets what this apply recorded (protection, owned trackers). Allow GitHub Actions to push it: add GitHub Actions to the bypass list of the branch ruleset (or allow it to push in the classic branch protection), or commit the file from the artifact trackersync-ids yourself."
exit 0
