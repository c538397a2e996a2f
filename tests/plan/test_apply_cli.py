"""Apply through the CLI: stale saved plans, status tables, the no-change apply."""

from __future__ import annotations

import json
from pathlib import Path

import requests

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write


def test_stale_plan_lists_what_moved_sorted_by_name(
    project: dict, emulator: EmulatorServer
) -> None:
    for n in (1, 2, 3):
        _write(f"t{n}.yaml", f"name: Tracker {n}\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000002", "name": "Tracker 2",
                    "vocabulary": ["p one", "p two", "p three", "p four", "old"]}])
    assert _run(project, "plan", "--out", "plan.json").exit_code == 0
    emulator.seed([{"id": "5000000000000003", "name": "Tracker 3", "vocabulary": ["x"]},
                   {"id": "5000000000000001", "name": "Tracker 1", "vocabulary": ["y"]}])
    requests.put(f"{emulator.url}/v1/manage/tracker/5000000000000002", timeout=10,
                 headers={"Authorization": f"Bearer {emulator.token()}"},
                 json={"name": "Tracker 2", "vocabulary": ["edited in the UI"]})
    result = _run(project, "apply", "plan.json")
    assert result.exit_code == 1
    moved = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert moved == [
        "remote tracker 'Tracker 1' (id 5000000000000001) added",
        "remote tracker 'Tracker 2' (id 5000000000000002) changed",
        "remote tracker 'Tracker 3' (id 5000000000000003) added",
    ]


def test_merge_on_put_table_and_counts_say_what_happened(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("t.yaml", "name: Merged\nvocabulary: [p one, p two, p three, p four, p new]\n")
    _write("u.yaml", f"name: Fresh\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000010", "name": "Merged",
                    "vocabulary": ["p one", "p two", "p three", "p four", "p old"]}])
    emulator.configure(put_mode="merge")
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 1
    assert "did not converge" in result.stderr
    head, rest = result.stderr.split("; status of each operation:\n")
    assert head.endswith("Apply finished, but did not converge")  # nothing stopped it
    table = rest.splitlines()
    assert table[0] == ('  not converged  update "Merged" (id 5000000000000010): '
                        "phrases still present: ['p old']")
    assert table[1] == '  done           create "Fresh"'
    assert ("Apply result: 1 created, 0 updated, 0 renamed, 0 deleted; 1 not converged."
            in result.stderr)


def test_apply_with_no_changes_says_where_the_ids_went(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    assert _run(project, "apply", "--auto-approve").exit_code == 0
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 0
    ids_path = Path("trackers.ids.json").resolve()
    assert result.stdout == "No changes.\n"
    assert f"State record written to {ids_path}.\n" in result.stderr
    assert json.loads(ids_path.read_text())["names"] == {
        "Tracker 1": emulator.trackers()[0]["id"]}
