"""CLI details the scenarios do not cover: confirmation prompt, saved-plan flags."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from symbl_emulator import EmulatorServer
from trackersync.cli import main

TRACKER = "name: Renewal Intent\nvocabulary: [renew a, renew b, renew c, renew d, renew e]\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer) -> dict:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "r.yaml").write_text(TRACKER)
    monkeypatch.chdir(tmp_path)
    return {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
            "SYMBL_APP_SECRET": emulator.app_secret, "SYMBL_ACCESS_TOKEN": None}


def _trackers(emulator: EmulatorServer) -> list[str]:
    state = requests.get(f"{emulator.url}/_emulator/state", timeout=10).json()
    return [t["name"] for t in state["trackers"]]


def test_apply_asks_on_a_terminal(
    project: dict, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("trackersync.cli.output._stdin_is_tty", lambda: True)
    runner = CliRunner()
    no = runner.invoke(main, ["apply"], env=project, input="n\n")
    assert no.exit_code == 1 and "apply cancelled" in no.stderr
    assert _trackers(emulator) == []
    yes = runner.invoke(main, ["apply"], env=project, input="y\n")
    assert yes.exit_code == 0, yes.stderr
    assert "Apply these changes?" in yes.stdout and "1 created" in yes.stdout
    assert _trackers(emulator) == ["Renewal Intent"]


def test_saved_plan_refuses_a_different_prune_flag(project: dict) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["plan", "--out", "p.json"], env=project).exit_code == 0
    result = runner.invoke(main, ["apply", "p.json", "--prune"], env=project)
    assert result.exit_code == 1 and "planned with prune=False" in result.stderr
    bad = Path("bad.json")
    bad.write_text('{"format_version": 9}')
    result = runner.invoke(main, ["apply", "bad.json"], env=project)
    assert result.exit_code == 1 and "format_version 9 is not supported" in result.stderr


def test_public_api_is_pinned() -> None:
    import trackersync.apply as apply_module
    import trackersync.pipeline as pipeline_module

    assert sorted(pipeline_module.__all__) == [
        "MissingStateRecord", "PlanOptions", "PlanResult", "accepted_warnings", "build_plan",
        "check_not_ignored", "make_plan", "missing_state_record", "strict_warnings"]
    assert sorted(apply_module.__all__) == [
        "APPLY_ORDER", "ApplyReport", "OpResult", "apply_plan", "describe", "ordered_changes"]
    assert [a for a, _ in apply_module.APPLY_ORDER] == ["rename", "update", "create", "delete"]
