"""Start-up: each command imports only what it uses; ``--version`` and ``--help`` nothing heavy.

The program runs as a subprocess through its entry point (what the console script runs),
with an exit handler that writes the names of every module imported on stderr; the tests
read that list (no timing here: ``benchmarks/speed.py`` measures the time).
"""

from __future__ import annotations

import functools
import importlib
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from trackersync.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[1]

#: Libraries no start-up path needs: the schema (pydantic), HTTP (requests, urllib3), YAML
#: (ruamel), templates (jinja2), deep comparison (deepdiff), the emulator's server.
HEAVY = ("pydantic", "requests", "urllib3", "ruamel", "jinja2", "deepdiff", "werkzeug",
         "waitress", "symbl_emulator", "filelock")


#: Runs the program as the console script does, then names the modules it imported.
PROGRAM = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("MODULES " + " ".join(sorted(sys.modules)) + "\\n"))
sys.argv[0] = "trackersync"
from trackersync.entry import run
run()
"""


def imported_modules(*args: str, **extra_env: str
                     ) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Run ``trackersync ARGS`` in a new interpreter; the modules it imported, and the run.

    A run is made once per test process (tests that ask the same read the same run).
    """
    modules, done = _imported_modules(args, tuple(sorted(extra_env.items())))
    return set(modules), done


@functools.cache
def _imported_modules(args: tuple[str, ...], extra_env: tuple[tuple[str, str], ...]
                      ) -> tuple[frozenset[str], subprocess.CompletedProcess[str]]:
    env = dict(os.environ, COLUMNS="80", **dict(extra_env))
    for name in ("SYMBL_API_URL", "SYMBL_APP_ID", "SYMBL_APP_SECRET", "SYMBL_ACCESS_TOKEN"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", PROGRAM, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    report = [line for line in done.stderr.splitlines() if line.startswith("MODULES ")]
    assert len(report) == 1, done.stderr[-2000:]
    modules = frozenset(report[0].split()[1:])
    assert "trackersync.entry" in modules
    return modules, done


def heavy_in(modules: set[str]) -> list[str]:
    """The modules of :data:`HEAVY` libraries among ``modules``."""
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def command_modules_in(modules: set[str]) -> list[str]:
    """The command modules (``trackersync.cli.*_cmd``) among ``modules``."""
    return sorted(m for m in modules if m.startswith("trackersync.cli.") and m.endswith("_cmd"))


@pytest.mark.parametrize("flag", ["--version", "--help"])
def test_version_and_help_import_no_command_module_and_no_heavy_library(flag: str) -> None:
    modules, done = imported_modules(flag)
    assert done.returncode == 0, done.stderr[-2000:]
    assert heavy_in(modules) == []
    assert command_modules_in(modules) == []
    assert "trackersync.cli" in modules


def test_help_still_lists_every_command_with_its_short_help() -> None:
    _, done = imported_modules("--help")
    listed = done.stdout.split("Commands:\n", 1)[1]
    for name, (_target, short_help) in COMMANDS.items():
        assert f"  {name} " in listed
        first_words = " ".join(short_help.split()[:3])
        assert first_words in listed, (name, listed)


def test_validate_imports_its_own_command_only_and_no_http_or_emulator() -> None:
    modules, done = imported_modules("validate")
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "12 tracker" in done.stdout
    assert command_modules_in(modules) == ["trackersync.cli.validate_cmd"]
    for library in ("requests", "urllib3", "deepdiff", "jinja2", "werkzeug", "waitress",
                    "symbl_emulator", "filelock"):
        assert not any(m.split(".")[0] == library for m in modules), library
    # Validating reads files only: no client, no plan, no apply.
    assert not {"trackersync.plan", "trackersync.apply", "trackersync.sync",
                "trackersync.client"} & modules


def test_the_table_names_every_command_module_with_its_own_short_help() -> None:
    folder = ROOT / "trackersync" / "cli"
    on_disk = {f"trackersync.cli.{path.stem}" for path in folder.glob("*_cmd.py")}
    assert {target.split(":")[0] for target, _help in COMMANDS.values()} == on_disk
    for name, (target, short_help) in COMMANDS.items():
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        assert command.name == name
        assert command.get_short_help_str(limit=10**6) == short_help, name


@pytest.mark.parametrize("columns", ["50", "80", "200"])
def test_help_from_the_table_equals_help_from_the_loaded_commands(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Commands section, shortened for the terminal's width, is click's own wording."""
    monkeypatch.setenv("COLUMNS", columns)
    lazy = click.Context(main, info_name="trackersync", terminal_width=int(columns))
    loaded = click.Group("trackersync", commands=[
        main.get_command(lazy, name) for name in COMMANDS])  # type: ignore[misc]
    eager = click.Context(loaded, info_name="trackersync", terminal_width=int(columns))

    def commands_section(group: click.Group, ctx: click.Context) -> str:
        formatter = ctx.make_formatter()
        group.format_commands(ctx, formatter)
        return formatter.getvalue()

    fresh = type(main)(name="trackersync")  # same class, no command loaded yet
    fresh_ctx = click.Context(fresh, info_name="trackersync", terminal_width=int(columns))
    assert fresh.commands == {}
    expected = commands_section(loaded, eager)
    assert "Commands:" in expected
    assert commands_section(fresh, fresh_ctx) == expected
    assert fresh.commands == {}  # listing them loaded none


def test_a_command_runs_after_lazy_loading_with_the_global_options_after_its_name(
    tmp_path: Path,
) -> None:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "a.yaml").write_text("name: A\nvocabulary: [one phrase]\n")
    (tmp_path / "trackersync.yaml").write_text("trackers_dir: trackers\n")
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "trackersync.yaml"),
                                       "validate", "--no-color"])
    assert result.exit_code == 0, result.output
    assert "1 tracker" in result.output


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["valdate"])
    assert result.exit_code == 1
    assert "No such command 'valdate'" in result.output


def test_tab_completion_of_a_command_name_imports_no_command_module() -> None:
    modules, done = imported_modules(_TRACKERSYNC_COMPLETE="zsh_complete",
                                     COMP_WORDS="trackersync ", COMP_CWORD="1")
    assert done.returncode == 0, done.stderr[-2000:]
    assert command_modules_in(modules) == []
    assert heavy_in(modules) == []
    lines = done.stdout.splitlines()
    for name, (_target, short_help) in COMMANDS.items():
        at = lines.index(name)
        assert lines[at - 1] == "plain"
        assert short_help.startswith(lines[at + 1].removesuffix("..."))


@pytest.mark.parametrize("incomplete", ["", "p", "m", "-", "--", "x"])
def test_completion_from_the_table_equals_completion_from_the_loaded_commands(
    incomplete: str,
) -> None:
    lazy = click.Context(main, info_name="trackersync")
    loaded = click.Group("trackersync", params=main.params, commands=[
        main.get_command(lazy, name) for name in COMMANDS])  # type: ignore[misc]
    fresh = type(main)(name="trackersync", params=main.params)
    got = fresh.shell_complete(click.Context(fresh, info_name="trackersync"), incomplete)
    want = loaded.shell_complete(click.Context(loaded, info_name="trackersync"), incomplete)
    assert [(i.value, i.help) for i in got] == [(i.value, i.help) for i in want]
    assert fresh.commands == {}
