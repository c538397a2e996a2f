"""Fixtures for the hostile-input tests: a case folder copied into a project, wired to
the emulator, and a CLI runner that reports tracebacks instead of hiding them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner, Result

from symbl_emulator import EmulatorServer
from trackersync.cli import main

CASES = Path(__file__).parent / "cases"


@dataclass
class Project:
    """A project folder (the current directory) bound to an emulator."""

    root: Path
    emulator: EmulatorServer

    @property
    def env(self) -> dict[str, str | None]:
        return {"SYMBL_API_URL": self.emulator.url, "SYMBL_APP_ID": self.emulator.app_id,
                "SYMBL_APP_SECRET": self.emulator.app_secret, "SYMBL_ACCESS_TOKEN": None,
                "NO_COLOR": "1"}

    def run(self, *args: str) -> Result:
        """Run the CLI in-process; a Python exception escaping it fails the test."""
        result = CliRunner().invoke(main, list(args), env=self.env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"traceback from {args}") from result.exception
        assert "Traceback" not in result.output
        assert "internal error" not in result.output, (args, result.output)
        return result

    def seed(self, items: list[dict[str, Any]]) -> None:
        answer = requests.post(f"{self.emulator.url}/_emulator/seed", json=items, timeout=10)
        assert answer.status_code < 300, answer.text

    def state(self) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.emulator.url}/_emulator/state", timeout=10)
        trackers: list[dict[str, Any]] = answer.json()["trackers"]
        return trackers

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> Callable[[str | None], Project]:
    """``project("unicode-names")`` copies that case (and seeds its seed.json)."""

    def make(case: str | None = None) -> Project:
        root = tmp_path / "project"
        if case is not None:
            shutil.copytree(CASES / case, root)
        else:
            (root / "trackers").mkdir(parents=True)
        monkeypatch.chdir(root)
        made = Project(root, emulator)
        seed = root / "seed.json"
        if seed.exists():
            made.seed(json.loads(seed.read_text(encoding="utf-8")))
        return made

    return make
