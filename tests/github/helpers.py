"""Shared pieces of the ghsim tests: a workspace made from this repository, runners,
the secret check, and git repositories that stand in for GitHub's remote.

``git_remote`` makes a bare repository (the "GitHub" side) holding one commit of the
workspace; ``clone`` makes a fresh checkout of it, as ``actions/checkout`` does for each
run, with ``origin`` pointing at the bare repository (a local path: the credential
helper of record.sh is never asked).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from symbl_emulator import EmulatorServer

from .ghsim import QUIET_GIT, JobResult, Runner, StepResult

ROOT = Path(__file__).resolve().parents[2]
PLAN_WF = ROOT / ".github" / "workflows" / "trackers-plan.yml"
APPLY_WF = ROOT / ".github" / "workflows" / "trackers-apply.yml"
TRACKER_FILES = ("budget.yaml", "promotion-mention.yaml", "approval.yaml")
PR_EVENT = {"pull_request": {"number": 7, "head": {"sha": "feedc0de" * 5}}, "number": 7}
BOT = "github-actions[bot]"


def make_workspace(ws: Path) -> Path:
    """A repository created from this one: .github/, pyproject.toml and three tracker
    files."""
    shutil.copytree(ROOT / ".github", ws / ".github")
    shutil.copy(ROOT / "pyproject.toml", ws / "pyproject.toml")
    (ws / "trackers").mkdir()
    for name in TRACKER_FILES:
        shutil.copy(ROOT / "trackers" / name, ws / "trackers" / name)
    return ws


def make_runner(tmp_path: Path, ws: Path, emulator: EmulatorServer, event_name: str,
                event: dict[str, object] | None = None, **kw: object) -> Runner:
    home = tmp_path / f"home-{event_name}-{len(list(tmp_path.glob('home-*')))}"
    return Runner(
        workspace=ws, home=home, event_name=event_name, event=event or {},
        secrets={"SYMBL_APP_ID": emulator.app_id, "SYMBL_APP_SECRET": emulator.app_secret},
        extra_env={"SYMBL_API_URL": emulator.url}, **kw,  # type: ignore[arg-type]
    )


def assert_no_secret(runner: Runner, emulator: EmulatorServer, *jobs: JobResult) -> None:
    """Secrets never leak: the app secret appears nowhere; a token handed to the runner with
    ::add-mask:: appears nowhere but in that command (not in summaries, outputs, files)."""
    masked = [m for job in jobs for m in re.findall(r"^::add-mask::(.+)$", job.log, re.M)]
    files = [p for p in [*runner.artifacts.rglob("*"), *runner.home.glob("*.json")]
             if p.is_file()]
    for secret in [emulator.app_secret, *masked]:
        for job in jobs:
            assert secret not in job.summary
            assert secret not in json.dumps(job.outputs)
            assert all(secret not in json.dumps(s.outputs) for s in job.steps)
        for path in files:
            assert secret not in path.read_text(encoding="utf-8", errors="replace")
    for job in jobs:
        assert emulator.app_secret not in job.log
        unmasked_log = re.sub(r"^::add-mask::.*$", "", job.log, flags=re.M)
        assert all(token not in unmasked_log for token in masked)


def step(job: JobResult, name: str) -> StepResult:
    return next(s for s in job.steps if s.name == name)


# -- git: a bare "GitHub" remote and fresh checkouts ------------------------------------
def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with no user/system config (and no automatic gc, see
    :data:`~.ghsim.QUIET_GIT`); return stdout (raises on failure)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "LANG": "C",
           "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
           "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.com", **QUIET_GIT}
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True, timeout=30).stdout


def git_remote(tmp_path: Path, source: Path) -> Path:
    """A bare repository (branch main) whose one commit holds ``source``'s files."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", "-b", "main", str(remote))
    # git clears GIT_CONFIG_* for the receiving side of a local push: set it here
    git(remote, "config", "receive.autogc", "false")
    # The commit is made in the bare repository itself, from ``source``'s files (no
    # repository in ``source``, no push); the index this leaves there is removed.
    tree = (f"--git-dir={remote}", f"--work-tree={source}")
    git(source, *tree, "add", ".")
    git(source, *tree, "commit", "--quiet", "-m", "initial")
    (remote / "index").unlink()
    return remote


def clone(remote: Path, dest: Path) -> Path:
    """A fresh checkout of ``remote``'s main, as actions/checkout makes for each run."""
    git(remote.parent, "clone", "--quiet", "-b", "main", str(remote), str(dest))
    return dest


def remote_log(remote: Path) -> list[tuple[str, str, list[str]]]:
    """``(author, subject, changed files)`` of each commit on the remote's main, newest first."""
    # One git process: each commit as a NUL, author, subject, then its changed files.
    out = []
    for entry in git(remote, "log", "--cc", "--format=%x00%an%n%s", "--name-only", "main").split(
            "\0")[1:]:
        author, subject, *files = entry.split("\n")
        out.append((author, subject, [f for f in files if f]))
    return out


def actionlint_binary() -> str | None:
    """The actionlint of this interpreter's environment (the test extra), else of PATH."""
    local = Path(sys.executable).parent / "actionlint"
    return str(local) if local.exists() else shutil.which("actionlint")


def actionlint_problems(files: list[str]) -> str | None:
    """Run actionlint on ``files``: None when they pass, else what it printed."""
    binary = actionlint_binary()
    assert binary is not None, "actionlint is not installed"
    result = subprocess.run([binary, *files], capture_output=True, text=True, timeout=60,
                            check=False)
    return None if result.returncode == 0 else result.stdout + result.stderr
