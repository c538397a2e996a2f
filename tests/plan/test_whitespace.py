"""Whitespace-only differences between the files and the account are no change."""

from __future__ import annotations

from symbl_emulator import EmulatorServer
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write
from trackersync.diff import phrase_diff


def test_phrase_diff_compares_whitespace_normalised() -> None:
    added, removed = phrase_diff(["hello there  ", "  good morning", "hi"],
                                 ["hello there", "good morning", "hi", "hey"])
    assert (added, removed) == (["hey"], [])
    assert phrase_diff(["  gone  ", "kept"], ["kept"]) == ([], ["gone"])


def test_update_with_remote_whitespace_shows_only_real_changes_and_converges(
    project: dict, emulator: EmulatorServer
) -> None:
    emulator.seed([{"id": "5000000000000201", "name": "Greetings",
                    "vocabulary": ["hello there  ", "  good morning", "hi"]}])
    _write("g.yaml", "name: Greetings\nvocabulary: [hello there, good morning, hi, hey]\n")
    markdown = _run(project, "plan", "--format", "markdown")
    assert "(+1 / -0)" in markdown.stdout, markdown.stdout
    text = _run(project, "plan", "--out", "plan.json")
    changes = [line for line in text.stdout.splitlines() if line.startswith("    ")]
    assert changes == ["    + hey"]
    applied = _run(project, "apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert "not converged" not in applied.output
    (tracker,) = emulator.trackers()
    assert sorted(tracker["vocabulary"]) == ["good morning", "hello there", "hey", "hi"]
    assert _run(project, "plan").stdout.endswith("No changes.\n")
