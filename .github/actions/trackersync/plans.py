"""Saved-plan helpers for run.sh: is the reviewed plan still fresh, and which plan is it.

Usage:

* ``python3 plans.py check SAVED NEW``: print both plans' short ids (see ``id``), one per
  line, then exit 0 when the reviewed plan SAVED (from ``plan --out`` on the pull
  request) is still fresh compared with NEW (``plan --out`` made now): same definitions
  digest, same remote fingerprint, same API URL, environment and prune setting
  (``trackersync.plan.check_fresh``, the check ``apply SAVED`` makes itself). Exit 3
  when stale, printing why after the ids (one line per moved tracker). Exit 1, with
  trackersync's message on stderr and nothing on stdout, when a file is not a
  trackersync plan (or was edited after it was written) or the plans were made for
  different accounts. run.sh gets all of it from one Python start.
* ``python3 plans.py id PLAN``: print the plan's short id (the first 12 hex digits of its
  content digest), the name the plan comment and the apply summary both use.
* ``python3 plans.py bullets < TEXT``: each non-blank line of TEXT as a Markdown list
  item, token-like text masked and Markdown/HTML/@mentions escaped (tracker names are
  user text).
* ``python3 plans.py note PLAN POLICY SHA``: print the plan comment's note saying
  which plan a merge applies and what happens when it is stale (POLICY: stop | replan).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from trackersync.errors import StalePlanError, TrackersyncError

if TYPE_CHECKING:
    from trackersync.plan import Plan

# Each sub-command imports what it uses: `id` and `note` read only the plan's JSON.

_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


def load(path: str) -> Plan:
    """Read and verify a saved plan (its digest must match its content)."""
    from trackersync.plan import Plan

    return Plan.from_json(Path(path).read_text(encoding="utf-8"), origin=path)


def short_id(path: str) -> str:
    """The plan's short id: 12 hex digits of the ``digest`` ``plan --out`` wrote."""
    return str(json.loads(Path(path).read_text(encoding="utf-8"))["digest"])[:12]


def note(path: str, policy: str, sha: str) -> str:
    """The "which plan will be applied" note of the plan comment (Markdown, one paragraph)."""
    made_for = f" for `{sha}`" if _SHA.fullmatch(sha) else ""
    if policy == "replan":
        stale = ("plans again, posts the new plan here and applies that one "
                 "(`on-stale-plan: replan`)")
    else:
        stale = ("applies nothing and posts here why, with the plan as it is then; run the "
                 "apply workflow by hand to apply that one (`on-stale-plan: stop`)")
    return (f"> **Merging applies this plan**: plan `{short_id(path)}`, made{made_for} "
            "(`plan.json` in this run's artifacts). If the tracker files or the "
            f"account change before the merge, the apply {stale}.\n")


def main(argv: list[str]) -> int:
    """Run one sub-command (see the module docstring)."""
    try:
        if argv[1] == "check":
            from trackersync.plan import check_fresh

            saved, new = load(argv[2]), load(argv[3])
            ids = f"{short_id(argv[2])}\n{short_id(argv[3])}\n"  # only with exit 0 or 3
            try:
                check_fresh(saved, new)
            except StalePlanError as exc:
                sys.stdout.write(ids)
                print(str(exc).split("\n", 1)[-1])
                return 3
            sys.stdout.write(ids)
            return 0
        if argv[1] == "bullets":
            from trackersync.render.escaping import escape_text
            from trackersync.secrets import mask_secrets

            for line in sys.stdin.read().splitlines():
                if line.strip():
                    print(f"- {escape_text(mask_secrets(line.strip()))}")
            return 0
        if argv[1] == "id":
            print(short_id(argv[2]))
            return 0
        sys.stdout.write(note(argv[2], argv[3], argv[4]))
        return 0
    except (OSError, ValueError, KeyError, IndexError, TrackersyncError) as exc:
        print(f"plans: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
