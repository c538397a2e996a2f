#!/usr/bin/env bash
# Installs trackersync from the repository that holds this action (run by action.yml).
#
# For `uses: OWNER/trackersync/.github/actions/trackersync@REF` GitHub checks the action's
# repository out at REF under _actions/OWNER/trackersync/REF/ and sets GITHUB_ACTION_PATH
# to .../REF/.github/actions/trackersync, so three folders up is the action's own
# repository root at REF, never the caller's workspace. When that folder holds no
# trackersync project (the action folder was copied into another repository and used as
# `./.github/actions/trackersync`), this stops with an error saying how to use it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
root="$(cd "$here/../../.." && pwd -P)"
if ! grep -qs '^name = "trackersync"' "$root/pyproject.toml"; then
  echo "::error title=trackersync action::$root holds no trackersync project. Use the action from its repository, pinned to a tag or commit: uses: OWNER/trackersync/.github/actions/trackersync@REF (not a copy of the action folder)."
  exit 1
fi
echo "Installing trackersync from $root"
pip install --disable-pip-version-check --quiet "$root"
