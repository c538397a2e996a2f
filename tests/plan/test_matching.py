"""How desired trackers are matched to the account: ignore globs and renames onto taken names."""

from __future__ import annotations

from pathlib import Path

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write


def _names(emulator: EmulatorServer) -> list[str]:
    return sorted(t["name"] for t in emulator.trackers())


def _writes(emulator: EmulatorServer) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in emulator.requests()
            if r["method"] != "GET" and not r["path"].startswith("/oauth2")]


def test_defined_tracker_matching_an_ignore_glob_is_a_plan_error(
    project: dict, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text('ignore: ["Good*"]\n')
    _write("good.yaml", f"name: Goodness\nvocabulary: {FIVE}\n")
    _write("other.yaml", f"name: Other\nvocabulary: {FIVE}\n")
    for args in (["plan"], ["apply", "--auto-approve"]):
        result = _run(project, *args)
        assert result.exit_code == 1, result.stdout
        assert ("tracker 'Goodness' is defined in trackers/good.yaml but matches ignore "
                "glob 'Good*'; remove one") in result.stderr
    assert _names(emulator) == []
    assert emulator.requests() == []  # refused before any HTTP call


def test_rename_onto_a_name_a_hand_made_tracker_holds_is_refused(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("new.yaml", f"name: New\nrenamed_from: [Old]\nvocabulary: {FIVE}\n")
    emulator.seed([
        {"id": "5000000000000020", "name": "Old", "vocabulary": ["o1", "o2"]},
        {"id": "5000000000000021", "name": "New", "vocabulary": ["n1", "n2"]},
    ])
    for args in (["plan"], ["apply", "--auto-approve", "--prune"]):
        result = _run(project, *args)
        assert result.exit_code == 1, result.stdout
        assert ("cannot rename 'Old' to 'New': a tracker named 'New' already exists "
                "(id 5000000000000021); delete or rename one of them in Symbl first"
                ) in result.stderr
    assert _writes(emulator) == []
    assert _names(emulator) == ["New", "Old"]


def test_rename_already_applied_then_old_name_reused_by_hand_is_no_error(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("new.yaml", f"name: New\nrenamed_from: [Old]\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000020", "name": "Old", "vocabulary": ["o1", "o2"]}])
    assert _run(project, "apply", "--auto-approve").exit_code == 0
    emulator.seed([{"id": "5000000000000030", "name": "Old", "vocabulary": ["by hand"]}])
    result = _run(project, "apply", "--auto-approve", "--prune")
    assert result.exit_code == 0, result.stderr
    assert "No changes." in result.stdout
    assert _names(emulator) == ["New", "Old"]
