"""The CLI shell: exit codes that CI can rely on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from trackersync.cli import main


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--detailed-exitcode", "--bogus-flag"],
        ["plan", "--format", "bogus"],
        ["plan", "--out"],
        ["plan", "extra-argument"],
        ["ids", "--format", "yaml"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_1_never_the_changes_pending_code(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output


def test_version_and_help_exit_0() -> None:
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0
    assert CliRunner().invoke(main, ["plan", "--help"]).exit_code == 0


def test_each_command_module_is_parsing_and_one_core_call() -> None:
    """Every ``*_cmd.py`` stays small: arguments in, one call into the core, output out."""
    folder = Path(__file__).parent.parent / "trackersync" / "cli"
    modules = sorted(folder.glob("*_cmd.py"))
    assert len(modules) >= 7
    for module in modules:
        lines = module.read_text(encoding="utf-8").splitlines()
        assert len(lines) <= 80, f"{module.name} has {len(lines)} lines"
