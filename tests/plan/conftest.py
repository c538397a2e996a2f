"""Shared fixture for CLI tests in this folder: a project folder wired to the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer) -> dict:
    """An empty project (``trackers/``) as the current directory; returns the CLI env."""
    (tmp_path / "trackers").mkdir()
    monkeypatch.chdir(tmp_path)
    return {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
            "SYMBL_APP_SECRET": emulator.app_secret, "SYMBL_ACCESS_TOKEN": None,
            "NO_COLOR": "1"}
