"""Ctrl-C and end of input: one clear line, the right exit code, no traceback."""

from __future__ import annotations

import pytest

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write
from trackersync.cli import main as cli_main
from trackersync.cli.common import AppContext


def _names(emulator: EmulatorServer) -> list[str]:
    return sorted(t["name"] for t in emulator.trackers())


@pytest.mark.parametrize("where", ["plan", "confirm", "group", "command import", "parsing"])
def test_ctrl_c_prints_interrupted_once_and_exits_130(
    project: dict, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "plan":
        monkeypatch.setattr("trackersync.sync.make_plan", interrupt)
        args = ["plan"]
    elif where == "confirm":  # click.confirm turns Ctrl-C into Abort
        monkeypatch.setattr("trackersync.cli.output._stdin_is_tty", lambda: True)
        monkeypatch.setattr("click.termui._readline_prompt", interrupt)
        args = ["apply"]
    elif where == "group":  # before any command runs
        monkeypatch.setattr(AppContext, "create", interrupt)
        args = ["plan"]
    elif where == "parsing":  # while click reads the arguments
        monkeypatch.setattr("click.types.Path.convert", interrupt)
        args = ["--config", "trackersync.yaml", "plan"]
    else:  # while the command's module is imported, on its first use
        monkeypatch.delitem(cli_main.commands, "plan", raising=False)  # loaded by a test before
        monkeypatch.setattr("trackersync.cli.importlib.import_module", interrupt)
        args = ["plan"]
    result = _run(project, *args)
    assert result.exit_code == 130, (result.stdout, result.stderr)
    assert result.stderr.endswith("Interrupted.\n"), result.stderr
    assert result.stderr.count("Interrupted.") == 1, result.stderr
    assert "Aborted" not in result.stderr
    assert "\n\n" not in result.stderr and not result.stderr.startswith("\n"), result.stderr


def test_end_of_input_at_the_prompt_is_aborted_not_interrupted(
    project: dict, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    monkeypatch.setattr("trackersync.cli.output._stdin_is_tty", lambda: True)
    result = _run(project, "apply")  # no input: EOF
    assert result.exit_code == 1
    assert result.stderr.count("Aborted.") == 1 and "Interrupted" not in result.stderr
    assert _names(emulator) == []


def test_interrupted_apply_says_interrupted_once(
    project: dict, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("trackersync.client.SymblClient.create_trackers", interrupt)
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 130, result.stderr
    assert "apply was interrupted" in result.stderr
    assert result.stderr.count("Interrupted.") == 1, result.stderr
