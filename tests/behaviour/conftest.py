"""Fixtures for the behaviour-test and detect commands: a small project on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trackersync.cli import main

PROMO = """\
name: Promotion Mention
vocabulary:
  - We have a special promotion going on if you book this before
  - I can offer you a discount of 10 20 percent you being a new customer for us
  - We have our month special this month
  - We have a sale right now on
tests:
  source: https://example.com/seed
  must_fire:
    - We're running a sale right now
  must_not_fire:
    - Honestly it is not the right time
"""

DENIAL = """\
name: Denial
vocabulary:
  - 'no'
  - not interested
tests:
  must_fire:
    - No, that does not work for us.
  must_not_fire:
    - Honestly it is not the right time
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with two tested trackers (the seed example and a 'no' tracker)."""
    (tmp_path / "trackersync.yaml").write_text("trackers_dir: trackers\n", encoding="utf-8")
    folder = tmp_path / "trackers"
    folder.mkdir()
    (folder / "promo.yaml").write_text(PROMO, encoding="utf-8")
    (folder / "denial.yaml").write_text(DENIAL, encoding="utf-8")
    return tmp_path


@pytest.fixture
def cli(project: Path) -> Callable[..., Result]:
    """Run ``trackersync --config <project>/trackersync.yaml ARGS`` in-process."""

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        config = str(project / "trackersync.yaml")
        return CliRunner().invoke(main, ["--config", config, *args], env=env)

    return run
