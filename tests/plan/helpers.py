"""Helpers for CLI tests that use the ``project`` fixture (tests/plan/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import click.testing
from click.testing import CliRunner

from trackersync.cli import main

FIVE = "[p one, p two, p three, p four, p five]"


def write(name: str, text: str) -> None:
    """Write ``trackers/<name>`` in the current project."""
    Path("trackers", name).write_text(text)


def run(env: dict, *args: str) -> click.testing.Result:
    """Run the CLI in-process with ``env``."""
    return CliRunner().invoke(main, list(args), env=env)
