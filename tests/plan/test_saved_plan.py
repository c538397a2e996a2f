"""``apply PLAN`` applies the reviewed plan or nothing.

Editing a saved plan - flipping ``prune``, emptying or adding changes - must make apply
refuse before any write, never do something the reviewed plan did not show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from symbl_emulator import EmulatorServer
from tests.helpers import invoke
from trackersync.cli import main


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer) -> Path:
    (tmp_path / "trackers").mkdir()
    for name in ("Alpha", "Beta"):
        (tmp_path / "trackers" / f"{name.lower()}.yaml").write_text(
            f"name: {name}\nvocabulary: [{name} one, {name} two]\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SYMBL_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SYMBL_API_URL", emulator.url)
    monkeypatch.setenv("SYMBL_APP_ID", emulator.app_id)
    monkeypatch.setenv("SYMBL_APP_SECRET", emulator.app_secret)
    assert CliRunner().invoke(main, ["apply", "--auto-approve"]).exit_code == 0
    (tmp_path / "trackers" / "beta.yaml").unlink()  # Beta: owned, no longer defined
    (tmp_path / "trackers" / "alpha.yaml").write_text("name: Alpha\nvocabulary: [Alpha one]\n")
    return tmp_path


def _names(emulator: EmulatorServer) -> list[str]:
    state = requests.get(f"{emulator.url}/_emulator/state", timeout=5).json()
    return sorted(t["name"] for t in state["trackers"])


@pytest.mark.parametrize(
    "edit",
    [
        lambda plan: plan.update(prune=True),
        lambda plan: plan.update(changes=[]),
        lambda plan: plan["changes"].append({**plan["changes"][0], "action": "delete"}),
        lambda plan: plan["changes"][0].update(vocabulary=["evil phrase"]),
        lambda plan: plan.update(api_url=plan["api_url"]) or plan.pop("digest"),
    ],
    ids=["prune-flipped", "changes-emptied", "delete-added", "vocabulary-edited",
         "digest-removed"],
)
def test_edited_plan_file_is_refused_before_any_write(
    project: Path, emulator: EmulatorServer, edit: Any
) -> None:
    assert CliRunner().invoke(main, ["plan", "--out", "reviewed.plan.json"]).exit_code == 0
    plan = json.loads((project / "reviewed.plan.json").read_text())
    edit(plan)
    (project / "reviewed.plan.json").write_text(json.dumps(plan))

    result = CliRunner().invoke(main, ["apply", "reviewed.plan.json"])

    assert result.exit_code == 1, result.output
    assert "stale" in result.output or "edited" in result.output
    assert _names(emulator) == ["Alpha", "Beta"]
    alpha = [t for t in requests.get(f"{emulator.url}/_emulator/state", timeout=5).json()[
        "trackers"] if t["name"] == "Alpha"][0]
    assert sorted(alpha["vocabulary"]) == ["Alpha one", "Alpha two"]


def test_unedited_plan_file_applies(project: Path, emulator: EmulatorServer) -> None:
    assert CliRunner().invoke(main, ["plan", "--out", "reviewed.plan.json"]).exit_code == 0
    result = CliRunner().invoke(main, ["apply", "reviewed.plan.json"])
    assert result.exit_code == 0, result.output
    assert _names(emulator) == ["Alpha", "Beta"]  # no prune: Beta stays, unmanaged


def test_a_reformatted_but_unedited_plan_file_still_applies(
    project: Path, emulator: EmulatorServer
) -> None:
    assert CliRunner().invoke(main, ["plan", "--out", "reviewed.plan.json"]).exit_code == 0
    plan = json.loads((project / "reviewed.plan.json").read_text())
    (project / "reviewed.plan.json").write_text(json.dumps(plan, indent=None, sort_keys=True))
    result = CliRunner().invoke(main, ["apply", "reviewed.plan.json"])
    assert result.exit_code == 0, result.output


HOSTILE_PLAN_FILES = {
    "not-utf8": (b'{"format_version": 2, "x": "\xff"}', "is not UTF-8 text"),
    "bom": (b'\xef\xbb\xbf{"format_version": 2}', "byte-order mark"),
    "truncated": (b'{"format_version": 2, "changes": [', "invalid JSON"),
    "conflict-markers": (b'<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> other\n',
                         "holds git conflict markers"),
    "empty": (b"", "is empty"),
    "old-format": (b'{"format_version": 1}', "format_version 1 is not supported"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PLAN_FILES))
def test_any_bytes_in_a_plan_file_give_one_clear_error(tmp_path: Path, case: str) -> None:
    from trackersync.errors import PlanError
    from trackersync.planfile import load_plan

    data, expected = HOSTILE_PLAN_FILES[case]
    path = tmp_path / "plan.json"
    path.write_bytes(data)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_apply_of_a_broken_plan_file_is_refused_without_a_traceback(
    project: Path, emulator: EmulatorServer
) -> None:
    before = emulator.trackers()
    Path("plan.json").write_bytes(b"<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> b\n")
    result = invoke(["apply", "plan.json"])
    assert result.exit_code == 1
    assert "plan.json:1: the plan file holds git conflict markers" in result.stderr
    assert "run plan --out again" in result.stderr and emulator.trackers() == before
    missing = invoke(["apply", "nowhere.json"])
    assert missing.exit_code == 1 and "nowhere.json: no such plan file" in missing.stderr
