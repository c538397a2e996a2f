"""Helpers for CLI tests that use the ``project`` fixture (tests/plan/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import click.testing

from tests.helpers import invoke

FIVE = "[p one, p two, p three, p four, p five]"


def write(name: str, text: str) -> None:
    """Write ``trackers/<name>`` in the current project."""
    Path("trackers", name).write_text(text)


def run(env: dict, *args: str) -> click.testing.Result:
    """Run the CLI in-process with ``env``; an unexpected exception fails the test."""
    return invoke(args, env)
