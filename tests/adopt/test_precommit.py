"""The hooks in .pre-commit-hooks.yaml, run by ``pre-commit try-repo`` on a repository.

pre-commit installs this package from a local copy of the repository (committed in a
temporary git repository, as try-repo needs a commit) with ``pip install .`` in a fresh
virtualenv, as it does for any user. The package's runtime dependencies are the ones this
test environment holds, made visible to that install on ``PYTHONPATH``: pip checks them
against the package's declared requirements and installs only trackersync, so the test
needs no package index and does not unpack ~50 MB of wheels. A dependency trackersync
imports but does not declare is not on that path, so the hooks would fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers import invoke

SOURCE = Path(__file__).resolve().parents[2]
#: What a clone needs to install: the package sources and the build files.
PARTS = ("trackersync", "symbl_emulator", "pyproject.toml", "README.md", "LICENSE",
         ".pre-commit-hooks.yaml")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
                    "-c", "init.defaultBranch=main", *args],
                   cwd=cwd, check=True, capture_output=True)


def hooks_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "trackersync-hooks"
    repo.mkdir()
    for part in PARTS:
        source = SOURCE / part
        if source.is_dir():
            shutil.copytree(source, repo / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / part)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "hooks")
    return repo


def runtime_dependencies(into: Path) -> Path:
    """Link every distribution trackersync needs at run time (its declared requirements,
    followed to the end, markers evaluated here) from this environment into ``into``."""
    names: set[str] = set()
    todo = ["trackersync"]
    while todo:
        for spec in metadata.distribution(todo.pop()).requires or []:
            requirement = Requirement(spec)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            name = canonicalize_name(requirement.name)
            if name not in names:
                names.add(name)
                todo.append(name)
    into.mkdir()
    for name in sorted(names):
        dist = metadata.distribution(name)
        site = Path(str(dist.locate_file("")))
        tops = {Path(str(file)).parts[0] for file in dist.files or []}
        for top in sorted(tops - {"..", "__pycache__"}):
            if not top.endswith(".pth") and not (into / top).exists():
                (into / top).symlink_to(site / top)
    return into


def try_repo(hooks: Path, user: Path, deps: Path) -> subprocess.CompletedProcess[str]:
    # try-repo installs the hooks' environment afresh on every call (its own store), so
    # the test calls it once; compiling .pyc files is skipped to keep that install short,
    # and on Python 3.11 (whose virtualenvs come with setuptools) so is the build's own
    # isolated environment. pip reads PIP_NO_<FLAG> as the value of what the flag turns
    # off (compile, build isolation): "0" means --no-compile, "1" would turn it back on.
    # virtualenv links pip and setuptools into the new environment from its own cache,
    # already compiled, rather than copying them (a third of the CPU of the
    # environment's creation and of the pip and build runs in it).
    path = os.pathsep.join(filter(None, [str(deps), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "NO_COLOR": "1", "PIP_NO_COMPILE": "0",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONPATH": path,
           "VIRTUALENV_SYMLINK_APP_DATA": "1"}
    if sys.version_info < (3, 12):
        env["PIP_NO_BUILD_ISOLATION"] = "0"
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hooks),
                           "--all-files", "--color", "never"],
                          cwd=user, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_pre_commit_try_repo_runs_validate_and_fmt_check(tmp_path: Path) -> None:
    hooks = hooks_repo(tmp_path)
    user = tmp_path / "user"
    (user / "trackers").mkdir(parents=True)
    messy = user / "trackers" / "budget.yaml"
    messy.write_text("name: Budget\nvocabulary: [my budget, funding, 'funds  ', cash, "
                     "money]\n", encoding="utf-8")
    tidy = user / "trackers" / "denial.yaml"
    tidy.write_text("name: Denial\nvocabulary: [no, not necessary]\n", encoding="utf-8")
    # fmt only sets the scene (the hooks' runs are what is tested): run in this process
    with contextlib.chdir(user):
        assert invoke(["fmt", "trackers/denial.yaml"]).exit_code == 0
    git(user, "init", "-q")
    git(user, "add", "-A")
    result = try_repo(hooks, user, runtime_dependencies(tmp_path / "dependencies"))
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "trackersync validate" in out and "trackersync fmt --check" in out
    # validate passes (the files are valid); fmt --check fails on the one messy file only
    assert re.search(r"trackersync validate\.+Passed", out), out
    assert re.search(r"trackersync fmt --check\.+Failed", out), out
    assert "would reformat trackers/budget.yaml" in out
    assert "denial.yaml" not in out
    assert messy.read_text(encoding="utf-8").startswith("name: Budget")  # never rewritten
