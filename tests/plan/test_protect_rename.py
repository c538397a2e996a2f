"""``protect: true`` added together with ``renamed_from`` protects the new name."""

from __future__ import annotations

import json
from pathlib import Path

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write


def test_protect_added_with_renamed_from_renames_and_protects_the_new_name(
    project: dict, emulator: EmulatorServer
) -> None:
    emulator.seed([{"id": "5000000000000301", "name": "Cancel",
                    "vocabulary": ["p one", "p two", "p three", "p four", "p five"]}])
    _write("c.yaml", f"name: Cancellation\nrenamed_from: [Cancel]\nprotect: true\n"
                     f"vocabulary: {FIVE}\n")
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "protected" not in result.output
    assert [t["name"] for t in emulator.trackers()] == ["Cancellation"]
    assert json.loads(Path("trackers.ids.json").read_text())["protected"] == ["Cancellation"]
    # now protected under its new name: renaming it away needs the flag
    _write("c.yaml", f"name: Cancellations\nrenamed_from: [Cancellation]\n"
                     f"vocabulary: {FIVE}\n")
    again = _run(project, "plan")
    assert again.exit_code == 1
    assert "tracker 'Cancellation' is protected and would be renamed" in again.output
