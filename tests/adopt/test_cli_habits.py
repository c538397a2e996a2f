"""Everyday CLI habits: global options anywhere, shell completion, progress in a CI log,
one version, and user-visible texts free of references to documents outside the repo."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import trackersync
from symbl_emulator import start_emulator
from trackersync.cli import main
from trackersync.definitions.modeline import (
    SHIPPED_DIR,
    generated_schema_text,
    shipped_schema_text,
)
from trackersync.definitions.schema import config_file_schema, tracker_file_schema
from trackersync.progress import ProgressReporter

ROOT = Path(__file__).resolve().parents[2]
#: Pointers at documents a user of this repository does not have.
INTERNAL = re.compile(r"case C\d|\bC\d\d\b|§|symbl-api|STYLE \d|DESIGN\.md|issue \d|turn2",
                      re.IGNORECASE)


def tracker(name: str, *phrases: str) -> str:
    return json.dumps({"name": name, "vocabulary": list(phrases)}) + "\n"


def test_global_options_are_accepted_after_the_command(project: Path) -> None:
    (project / "trackers" / "a.yaml").write_text(tracker("A", "p1", "p2", "p3", "p4", "p5"))
    with start_emulator() as server:
        env = {"SYMBL_API_URL": server.url, "SYMBL_APP_ID": server.app_id,
               "SYMBL_APP_SECRET": server.app_secret, "SYMBL_ACCESS_TOKEN": None}
        before = CliRunner().invoke(main, ["--no-color", "plan"], env=env)
        after = CliRunner().invoke(main, ["plan", "--no-color"], env=env)
    assert after.exit_code == 0, after.output
    assert after.stdout == before.stdout
    assert "Plan: 1 to create" in after.stdout and "\x1b[" not in after.stdout
    other = project / "elsewhere.yaml"
    other.write_text("trackers_dir: nowhere\n")
    config = CliRunner().invoke(main, ["validate", "--config", str(other)])
    assert config.exit_code == 1 and "nowhere" in config.output
    emulated = CliRunner().invoke(main, ["plan", "--emulator"])
    assert emulated.exit_code == 0, emulated.output
    assert (project / ".trackersync" / "emulator.db").is_file()


def test_verbose_after_the_command_logs_http_calls(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "trackers" / "a.yaml").write_text(tracker("A", "p1", "p2", "p3", "p4", "p5"))
    caplog.set_level("DEBUG")
    result = CliRunner().invoke(main, ["plan", "--emulator", "-v"])
    assert result.exit_code == 0, result.output
    assert any("GET /v1/manage/trackers" in r.getMessage() for r in caplog.records)


def test_completion_scripts_for_each_shell() -> None:
    for shell, marker in (("bash", "complete -o nosort -F _trackersync_completion trackersync"),
                          ("zsh", "#compdef trackersync"),
                          ("fish", "complete --no-files --command trackersync")):
        result = CliRunner().invoke(main, ["completion", shell])
        assert result.exit_code == 0, result.output
        assert marker in result.stdout
    assert CliRunner().invoke(main, ["completion", "tcsh"]).exit_code == 1


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_commands_and_options() -> None:
    script = CliRunner().invoke(main, ["completion", "bash"]).stdout
    program = Path(sys.executable).parent / "trackersync"
    shell = (f"{script}\nCOMP_WORDS=(trackersync pl); COMP_CWORD=1\n"
             "_trackersync_completion trackersync; echo \"${COMPREPLY[@]}\"\n"
             "COMPREPLY=(); COMP_WORDS=(trackersync plan --no-c); COMP_CWORD=2\n"
             "_trackersync_completion trackersync; echo \"${COMPREPLY[@]}\"\n")
    env = {"PATH": f"{program.parent}:/usr/bin:/bin"}
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, env=env,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["plan", "--no-color"]


def test_apply_off_a_terminal_prints_progress_every_25_changes(project: Path) -> None:
    # 100 updates, one request each: enough for a line at 25, 50, 75 and 100. No latency
    # is added: which changes get a line depends on the count, not on how long they take.
    names = [f"Tracker {i:03d}" for i in range(100)]
    with start_emulator() as server:
        import requests

        seeded = [{"name": n, "vocabulary": ["old one", "old two", "old three", "old four",
                                             "old five"]} for n in names]
        requests.post(f"{server.url}/_emulator/seed", json=seeded, timeout=10).raise_for_status()
        for i, name in enumerate(names):
            (project / "trackers" / f"t{i:03d}.yaml").write_text(
                tracker(name, "new one", "new two", "new three", "new four", "new five"))
        env = {"SYMBL_API_URL": server.url, "SYMBL_APP_ID": server.app_id,
               "SYMBL_APP_SECRET": server.app_secret, "SYMBL_ACCESS_TOKEN": None}
        result = CliRunner().invoke(main, ["apply", "--auto-approve"], env=env)
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stdout.splitlines() if line.startswith("progress: ")]
    done = [int(line.split()[1].split("/")[0]) for line in progress]
    # one line per 25 changes (more only if a stretch took over 5 s on a busy machine)
    assert {25, 50, 75, 100} <= set(done), progress
    assert all(b - a <= 25 for a, b in zip([0, *done], done, strict=False)), progress
    assert done[-1] == 100 and "[100/100] update" in progress[-1]
    assert all(line.endswith("... done") for line in progress)


def test_progress_is_due_every_five_seconds_even_between_25_changes() -> None:
    lines: list[str] = []
    now = [0.0]
    reporter = ProgressReporter(lines.append, tty=False, clock=lambda: now[0])
    for step in range(1, 11):
        now[0] += 2.0  # each step takes 2 s: a line after at most 5 s of silence
        reporter(f"[{step}/200] update 'T{step}' ... done", step, 200)
    assert [line.split(" changes")[0] for line in lines] == [
        "progress: 3/200", "progress: 6/200", "progress: 9/200"]
    tty: list[str] = []
    ProgressReporter(tty.append, tty=True)("[1/2] create 'A' ... done", 1, 2)
    assert tty == ["[1/2] create 'A' ... done"]


def test_version_has_one_source() -> None:
    from importlib.metadata import version

    assert version("trackersync") == trackersync.__version__
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert not re.search(r'^version\s*=\s*"', pyproject, re.MULTILINE)  # not written twice
    assert CliRunner().invoke(main, ["--version"]).stdout.strip().endswith(
        trackersync.__version__)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{trackersync.__version__}]" in changelog


def _commands(group: click.Group) -> list[list[str]]:
    found = [[]]
    for name, command in sorted(group.commands.items()):
        found.append([name])
        if isinstance(command, click.Group):
            found.extend([name, *sub] for sub in _commands(command) if sub)
    return found


def test_help_texts_and_schemas_cite_no_outside_document() -> None:
    for args in _commands(main):
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0, (args, result.output)
        assert not INTERNAL.search(result.stdout), (args, INTERNAL.search(result.stdout))
    for schema in (tracker_file_schema(), config_file_schema()):
        text = json.dumps(schema, ensure_ascii=False)
        assert not INTERNAL.search(text), INTERNAL.search(text)


def test_committed_schemas_are_the_generated_ones() -> None:
    for kind in ("tracker", "config"):
        committed = (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        printed = CliRunner().invoke(main, ["schema", "--for", kind]).stdout
        assert committed == printed, f"run `trackersync schema --write` ({kind})"


def test_schemas_shipped_in_the_package_are_the_generated_ones() -> None:
    # import writes a project's missing schemas from these copies, without pydantic
    for kind in ("tracker", "config"):
        shipped = shipped_schema_text(f"{kind}.schema.json")
        assert shipped == generated_schema_text(kind), (
            f"run `trackersync schema --write` and copy schema/{kind}.schema.json to "
            f"{SHIPPED_DIR}")


def _message_texts(path: Path) -> list[tuple[int, str]]:
    """String constants of a module that can reach a user: not docstrings, not the
    ``source`` note of a rule in the rule table (documentation data, never printed)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(body, list) and body and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)):
            skip.add(id(body[0].value))
        if (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Rule"
                and len(node.args) >= 4):
            skip.update(id(n) for n in ast.walk(node.args[3]))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip]


def test_messages_cite_no_outside_document() -> None:
    found = [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
             for package in ("trackersync", "symbl_emulator")
             for path in sorted((ROOT / package).rglob("*.py"))
             for line, text in _message_texts(path) if INTERNAL.search(text)]
    assert found == []
