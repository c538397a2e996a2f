"""Fixtures for adoption tests: an empty project, or an empty repository and an emulator
account beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from symbl_emulator import start_emulator
from tests.adopt.helpers import Account


@pytest.fixture
def account(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Account]:
    """An empty repository (a git-like folder, the current directory) and a strict account."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)  # the project root search stops here
    monkeypatch.chdir(root)
    with start_emulator() as server:
        yield Account(root, server)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (a git-like folder with an empty ``trackers/``), the current directory."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "trackers").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path
