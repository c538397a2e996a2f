"""Find the plan reviewed on the pull request that this push merged (run by run.sh).

Usage: ``python3 find_plan.py OUT_DIR`` with ``GH_TOKEN``, ``GITHUB_REPOSITORY``,
``GITHUB_SHA``, ``TS_ENV`` (environment name, empty for the default account) and
``TS_PLAN_WORKFLOW`` (file name of the plan workflow) in the environment.

1. ``GET repos/R/commits/SHA/pulls``: the pull request merged as this commit (its
   ``merge_commit_sha`` is SHA; else the first one listed). None: a direct push.
2. ``GET repos/R/actions/workflows/W/runs?event=pull_request&head_sha=H&status=success``:
   the newest successful plan run for the pull request's last head commit H, so a plan
   of an earlier push is never taken for the reviewed one.
3. ``gh run download RUN -n trackersync-plan-LABEL -D OUT_DIR/reviewed-LABEL``: its plan.

Writes ``pr-number``, ``plan-run`` and ``plan-file`` (empty when not found) to
``$GITHUB_OUTPUT`` and says what it found (or why nothing) in the log. Needs the
``actions: read`` and ``pull-requests: read`` permissions. Exits 0, or 1 with an error
annotation when GitHub refuses a question (a missing permission, say).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


class GitHubError(Exception):
    """GitHub's API refused a question (a missing permission, say)."""


def gh_json(*args: str) -> Any:
    """Run ``gh api ARGS`` and return the decoded answer.

    Raises:
        GitHubError: gh failed; its message says why.
    """
    out = subprocess.run(["gh", "api", *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise GitHubError(f"gh api {args[0]}: {out.stderr.strip() or 'failed'}")
    return json.loads(out.stdout or "null")


def outputs(**values: str) -> None:
    """Append ``name=value`` lines to ``$GITHUB_OUTPUT``."""
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as fh:
        for name, value in values.items():
            fh.write(f"{name}={value}\n")


def main(argv: list[str]) -> int:
    """Find the reviewed plan; exit 1 with an error annotation when GitHub refuses."""
    try:
        return find(argv)
    except GitHubError as exc:
        print(f"::error title=reviewed plan not found::{exc}. The apply job needs the "
              "permissions actions: read and pull-requests: read (and GH_TOKEN).")
        return 1


def find(argv: list[str]) -> int:
    """Find and download the reviewed plan into ``argv[1]``."""
    out_dir = Path(argv[1])
    repo, sha = os.environ["GITHUB_REPOSITORY"], os.environ["GITHUB_SHA"]
    label = os.environ.get("TS_ENV") or "default"
    workflow = os.environ.get("TS_PLAN_WORKFLOW") or "trackers-plan.yml"
    pulls = gh_json(f"repos/{repo}/commits/{sha}/pulls") or []
    merged = [p for p in pulls if p.get("merge_commit_sha") == sha] or pulls
    if not merged:
        print(f"Commit {sha} merged no pull request: there is no reviewed plan.")
        outputs(**{"pr-number": "", "plan-run": "", "plan-file": ""})
        return 0
    pull = merged[0]
    number, head = str(pull["number"]), pull["head"]["sha"]
    runs = gh_json(f"repos/{repo}/actions/workflows/{workflow}/runs"
                   f"?event=pull_request&head_sha={head}&status=success")
    candidates = sorted(runs.get("workflow_runs", []) if runs else [],
                        key=lambda r: r.get("run_number", 0), reverse=True)
    artifact = f"trackersync-plan-{label}"
    target = out_dir / f"reviewed-{label}"
    for run in candidates:
        got = subprocess.run(["gh", "run", "download", str(run["id"]), "-R", repo,
                              "-n", artifact, "-D", str(target)],
                             capture_output=True, text=True, check=False)
        if got.returncode == 0 and (target / "plan.json").is_file():
            print(f"Reviewed plan: {artifact} of {workflow} run {run['id']} for pull request "
                  f"#{number} (head {head}).")
            outputs(**{"pr-number": number, "plan-run": str(run["id"]),
                       "plan-file": str(target / "plan.json")})
            return 0
    print(f"No successful {workflow} run for the head {head} of pull request #{number} "
          f"kept the artifact {artifact}: there is no reviewed plan.")
    outputs(**{"pr-number": number, "plan-run": "", "plan-file": ""})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
