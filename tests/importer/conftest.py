"""Fixtures for import tests: a project folder with a lenient emulator account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Project

from symbl_emulator import start_emulator


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """An empty project (cwd) with ``rules: lenient`` and a lenient emulator account."""
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    with start_emulator(rules="lenient") as server:
        proj = Project(root, server)
        proj.configure("rules: lenient\n")
        yield proj
