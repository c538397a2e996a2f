"""A user's tracker repository on a simulated GitHub, for the consumer-repository tests.

The repository holds only ``trackers/``, ``trackersync.yaml`` and the workflows of
``examples/github/`` (no trackersync source, no action folder); its ``origin`` is a bare
repository. Workflows ``uses: your-org/trackersync/.github/actions/trackersync@REF``,
which the local runner resolves to this checkout of trackersync (``ROOT``), as GitHub
resolves a remote action to ``_actions/OWNER/REPO/REF``.

:class:`FakeGitHub` keeps what GitHub keeps between workflow runs (``github_dir``):
pull requests by merge commit, workflow runs of the plan workflow, artifacts by run ID
and issue comments, all read by the fake ``gh``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .ghsim import VENV_BIN, JobResult, Runner
from .helpers import BOT, ROOT, git

Runs = dict[str, list[JobResult]]
EXAMPLES = ROOT / "examples" / "github"
ACTION_REPO = "your-org/trackersync"
PLAN_WF = "trackers-plan.yml"
APPLY_WF = "trackers-apply.yml"


def make_consumer(path: Path, config: str, trackers: Mapping[str, str]) -> Path:
    """A tracker repository: ``trackersync.yaml``, ``trackers/*`` and the example workflows."""
    (path / ".github" / "workflows").mkdir(parents=True)
    for name in (PLAN_WF, APPLY_WF):
        shutil.copy(EXAMPLES / name, path / ".github" / "workflows" / name)
    (path / "trackersync.yaml").write_text(config, encoding="utf-8")
    (path / "trackers").mkdir()
    for name, text in trackers.items():
        (path / "trackers" / name).write_text(text, encoding="utf-8")
    return path


def tracker(name: str, *phrases: str) -> str:
    """The YAML of one tracker file."""
    return f"name: {name}\nvocabulary:\n" + "".join(f"  - {p}\n" for p in phrases)


@dataclass
class FakeGitHub:
    """The GitHub side of one repository: its bare remote and the state between runs."""

    tmp: Path
    origin: Path
    secrets: dict[str, str]
    api_env: dict[str, str]
    vars: dict[str, str] = field(default_factory=dict)
    runs: int = 100
    prs: int = 6

    def __post_init__(self) -> None:
        self.dir = self.tmp / "github"
        self.dir.mkdir(exist_ok=True)
        self.state_path.write_text(json.dumps({"comments": [], "calls": [], "pulls": {},
                                               "runs": []}))

    @property
    def state_path(self) -> Path:
        return self.dir / "gh-state.json"

    def state(self) -> dict[str, Any]:
        return json.loads(self.state_path.read_text(encoding="utf-8"))

    def _save(self, state: dict[str, Any]) -> None:
        self.state_path.write_text(json.dumps(state), encoding="utf-8")

    def comments(self, number: int) -> list[str]:
        """Bodies of the comments on pull request ``number``, oldest first."""
        return [c["body"] for c in self.state()["comments"] if c["issue"] == number]

    # -- git ------------------------------------------------------------------------
    def checkout(self, ref: str = "main") -> tuple[Path, str]:
        """A fresh checkout of ``ref`` (as actions/checkout makes); (path, commit)."""
        dest = self._clone(ref)
        return dest, git(dest, "rev-parse", "HEAD").strip()

    def _clone(self, ref: str = "main") -> Path:
        """A fresh checkout of ``ref``, for a change made here (its commit not asked)."""
        self.runs += 1
        dest = self.tmp / f"checkout-{self.runs}"
        git(self.tmp, "clone", "--quiet", "--branch", ref, str(self.origin), str(dest))
        return dest

    def open_pr(self, branch: str, change: Any) -> tuple[int, str]:
        """Push ``branch`` (from main) with ``change(worktree)`` committed; (number, head)."""
        work = self._clone("main")
        change(work)
        git(work, "add", "-A")
        git(work, "commit", "--quiet", "-m", f"pull request {branch}")
        git(work, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
        self.prs += 1
        return self.prs, git(work, "rev-parse", "HEAD").strip()

    def merge(self, number: int, branch: str, head: str) -> str:
        """Merge ``branch`` into main with a merge commit (as the merge button does)."""
        work = self._clone("main")
        git(work, "merge", "--quiet", "--no-ff", "-m", f"Merge pull request #{number}",
            f"origin/{branch}")
        git(work, "push", "--quiet", "origin", "main")
        sha = git(work, "rev-parse", "HEAD").strip()
        state = self.state()
        state["pulls"][sha] = [{"number": number, "head": {"sha": head},
                                "merge_commit_sha": sha}]
        self._save(state)
        return sha

    # -- workflow runs ----------------------------------------------------------------
    def runner(self, workspace: Path, event_name: str, sha: str,
               event: dict[str, Any] | None = None, **kw: Any) -> Runner:
        self.runs += 1
        return Runner(workspace=workspace, home=self.tmp / f"run-{self.runs}",
                      event_name=event_name, event=event or {}, secrets=self.secrets,
                      extra_env=self.api_env, repository="octo/trackers", sha=sha,
                      actions={ACTION_REPO: ROOT}, vars=self.vars, github_dir=self.dir,
                      run_id=self.runs, **kw)

    def plan_pr(self, number: int, branch: str, head: str) -> tuple[Runner, Runs]:
        """Run the plan workflow for pull request ``number`` at ``head`` (the merge ref is
        checked out: main with the branch merged, as actions/checkout does on
        pull_request); record the run as GitHub lists it."""
        work = self._clone("main")
        git(work, "merge", "--quiet", "--no-ff", "-m", "merge ref", f"origin/{branch}")
        event = {"pull_request": {"number": number, "head": {"sha": head}}, "number": number}
        runner = self.runner(work, "pull_request", git(work, "rev-parse", "HEAD").strip(),
                             event)
        jobs = runner.run_workflow(work / ".github" / "workflows" / PLAN_WF)
        ok = all(j.result == "success" for results in jobs.values() for j in results)
        state = self.state()
        state["runs"].append({"id": runner.run_id, "run_number": runner.run_id,
                              "workflow": PLAN_WF, "head_sha": head, "event": "pull_request",
                              "conclusion": "success" if ok else "failure"})
        self._save(state)
        return runner, jobs

    def reviewed_plan(self, number: int, branch: str, head: str) -> Path:
        """What a successful plan workflow run for pull request ``number`` at ``head``
        leaves behind, for tests whose assertions are about what happens after it (the
        plan workflow itself runs in :meth:`plan_pr`): the Plan step's command, run for
        real on the merge ref (``trackersync plan --detailed-exitcode --format markdown
        --out plan.json`` with the repository's secrets), its plan.json and plan.md kept
        as the run's artifact ``trackersync-plan-default``, the run listed as GitHub
        lists it, and plan.md posted as the pull request's plan comment. Returns the
        artifact folder."""
        work = self._clone("main")
        git(work, "merge", "--quiet", "--no-ff", "-m", "merge ref", f"origin/{branch}")
        self.runs += 1
        artifact = self.dir / "artifacts" / str(self.runs) / "trackersync-plan-default"
        artifact.mkdir(parents=True)
        env = {"PATH": f"{VENV_BIN}:/usr/bin:/bin", "HOME": str(self.tmp), "LANG": "C.UTF-8",
               **self.secrets, **self.api_env}
        plan = subprocess.run(
            ["trackersync", "plan", "--detailed-exitcode", "--format", "markdown",
             "--out", str(artifact / "plan.json")],
            cwd=work, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert plan.returncode in (0, 2), plan.stderr
        markdown = "".join(line for line in plan.stdout.splitlines(keepends=True)
                           if not line.startswith("::add-mask::"))
        (artifact / "plan.md").write_text(markdown, encoding="utf-8")
        state = self.state()
        state["runs"].append({"id": self.runs, "run_number": self.runs, "workflow": PLAN_WF,
                              "head_sha": head, "event": "pull_request",
                              "conclusion": "success"})
        state["comments"].append({"id": 1000 + len(state["comments"]), "issue": number,
                                  "user": {"login": BOT}, "body": markdown})
        self._save(state)
        return artifact

    def apply_run(self, workspace: Path, sha: str, event_name: str = "push",
                  inputs: dict[str, str] | None = None) -> tuple[Runner, Runs]:
        """Run the apply workflow on ``workspace`` (a checkout of ``sha``)."""
        runner = self.runner(workspace, event_name, sha, {"ref": "refs/heads/main"},
                             inputs=inputs or {})
        return runner, runner.run_workflow(workspace / ".github" / "workflows" / APPLY_WF)
