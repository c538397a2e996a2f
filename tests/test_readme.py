"""The README's quick start is the product's promise: run its commands as written.

The commands are read from README.md (never copied here), so a README change that
breaks the quick start breaks this test. The main-job command's ``trackersync`` calls
are run in a temporary copy of the repository with this environment's ``trackersync``.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    """Return the shell commands of the README's Quick start section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert match, "README.md has no '## Quick start' section"
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", match.group(1), flags=re.S)
    return [block.strip() for block in blocks]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in command for command in commands)
    assert "--emulator" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci_script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = quick_start_commands()[1]
    assert test_command in ci_script.splitlines()


def test_ci_checks_types_strictly_and_gates_branch_coverage() -> None:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ".venv/bin/mypy --strict trackersync" in lines
    gate = [line for line in lines if line.startswith("export PYTEST_ADDOPTS=")]
    assert len(gate) == 1 and "--cov=trackersync" in gate[0] and "--cov-branch" in gate[0]
    assert "--cov-fail-under=90" in gate[0]


def _trackersync_calls(command: str) -> list[list[str]]:
    """Split the main-job command on '&&' and keep the trackersync invocations."""
    calls = []
    for part in command.split("&&"):
        argv = shlex.split(part)
        if argv and Path(argv[0]).name == "trackersync":
            calls.append(argv[1:])
    return calls


def _run_main_job(workdir: Path) -> list[str]:
    exe = Path(sys.executable).with_name("trackersync")
    outputs = []
    for args in _trackersync_calls(quick_start_commands()[0]):
        proc = subprocess.run(
            [str(exe), *args], cwd=workdir, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        outputs.append(proc.stdout)
    return outputs


@pytest.fixture()
def repo_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "trackers", tmp_path / "trackers")
    if (ROOT / "trackersync.yaml").exists():
        shutil.copy(ROOT / "trackersync.yaml", tmp_path / "trackersync.yaml")
    return tmp_path


@pytest.mark.slow  # six runs of the installed console script
def test_quick_start_main_job_plans_applies_and_emits_ids(repo_copy: Path) -> None:
    calls = _trackersync_calls(quick_start_commands()[0])
    assert [c[c.index("--emulator") + 1] for c in calls][:2] == ["plan", "apply"]
    tracker_files = sorted((repo_copy / "trackers").glob("*.yaml"))

    first = _run_main_job(repo_copy)
    assert f"Plan: {len(tracker_files)} to create, 0 to update" in first[0]
    ids = json.loads(first[-1])
    assert list(ids) == ["trackers"]
    assert len(ids["trackers"]) == len(tracker_files)
    assert all(re.fullmatch(r"\d{16}", t["id"]) for t in ids["trackers"])

    second = _run_main_job(repo_copy)
    assert "No changes." in second[0]
    assert "No changes." in second[1]
    assert json.loads(second[-1]) == ids
