"""Protection outlives the tracker's file.

A ``protect: true`` tracker whose file was removed must stay protected in the state record
through any number of plain applies, so a later prune is still refused.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from symbl_emulator import EmulatorServer
from tests.helpers import invoke


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer) -> Path:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "keep.yaml").write_text(
        "name: Keep Me\nprotect: true\nvocabulary: [keep this one, never delete it]\n")
    (tmp_path / "trackers" / "other.yaml").write_text(
        "name: Other\nvocabulary: [another phrase, one more phrase]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYMBL_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SYMBL_API_URL", emulator.url)
    monkeypatch.setenv("SYMBL_APP_ID", emulator.app_id)
    monkeypatch.setenv("SYMBL_APP_SECRET", emulator.app_secret)
    return tmp_path


def _run(*args: str) -> Result:
    return invoke(args)


def test_removed_protected_tracker_stays_protected_across_plain_applies(project: Path) -> None:
    assert _run("apply", "--auto-approve").exit_code == 0
    (project / "trackers" / "keep.yaml").unlink()

    for _ in range(2):
        refused = _run("apply", "--auto-approve", "--prune")
        assert refused.exit_code == 1
        assert "'Keep Me' is protected and would be deleted" in refused.output
        plain = _run("apply", "--auto-approve")
        assert plain.exit_code == 0, plain.output
        record = json.loads((project / "trackers.ids.json").read_text())
        assert record["protected"] == ["Keep Me"]

    allowed = _run("apply", "--auto-approve", "--prune", "--allow-protected")
    assert allowed.exit_code == 0, allowed.output
    assert "1 deleted" in allowed.output
    assert json.loads((project / "trackers.ids.json").read_text())["protected"] == []


def test_unprotecting_in_the_file_is_explicit_and_recorded(project: Path) -> None:
    assert _run("apply", "--auto-approve").exit_code == 0
    (project / "trackers" / "keep.yaml").write_text(
        "name: Keep Me\nvocabulary: [keep this one, never delete it]\n")
    assert _run("apply", "--auto-approve").exit_code == 0
    assert json.loads((project / "trackers.ids.json").read_text())["protected"] == []
