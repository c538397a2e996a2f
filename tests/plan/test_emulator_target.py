"""The embedded emulator (``--emulator``) never touches a real account's records.

Applying with ``--emulator`` in a project whose ``trackers.ids.json`` came from a real
account must never replace the real IDs (the prune ownership record) with emulator IDs;
and a plan saved for another account is refused before any listing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from symbl_emulator import EmulatorServer
from trackersync.cli import main

TRACKER = "name: Refund Request\nvocabulary: [request a refund, money back, cancel and refund]\n"


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "refund.yaml").write_text(TRACKER)
    real_record = {"trackers": [{"id": "5000000000000001"}],
                   "names": {"Refund Request": "5000000000000001"}}
    (tmp_path / "trackers.ids.json").write_text(json.dumps(real_record))
    monkeypatch.chdir(tmp_path)
    for name in ("SYMBL_API_URL", "SYMBL_APP_ID", "SYMBL_APP_SECRET", "SYMBL_ACCESS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_emulator_apply_keeps_its_own_ids_file(project: Path) -> None:
    before = (project / "trackers.ids.json").read_text()
    result = CliRunner().invoke(main, ["--emulator", "apply", "--auto-approve"])
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    assert (project / "trackers.ids.json").read_text() == before
    emulator_ids = json.loads((project / ".trackersync" / "emulator.ids.json").read_text())
    assert list(emulator_ids["names"]) == ["Refund Request"]
    assert emulator_ids["names"]["Refund Request"] != "5000000000000001"


def test_saved_plan_for_another_account_is_refused_before_any_request(
    project: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = CliRunner().invoke(main, ["--emulator", "plan", "--out", "emu.plan.json"])
    assert saved.exit_code == 0, saved.output
    monkeypatch.setenv("SYMBL_API_URL", emulator.url)
    monkeypatch.setenv("SYMBL_APP_ID", emulator.app_id)
    monkeypatch.setenv("SYMBL_APP_SECRET", emulator.app_secret)

    result = CliRunner().invoke(main, ["apply", "emu.plan.json"])

    assert result.exit_code == 1
    assert "plan was made for emulator" in result.output
    assert requests.get(f"{emulator.url}/_emulator/requests", timeout=5).json()["requests"] == []
