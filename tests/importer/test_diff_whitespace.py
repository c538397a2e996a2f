"""The differ compares remote phrases whitespace-normalised, like the loader's."""

from __future__ import annotations

from trackersync.diff import comparable, diff_trackers
from trackersync.model import DesiredTracker, RemoteTracker


def test_remote_whitespace_is_not_a_change_but_is_reported() -> None:
    remote = RemoteTracker(
        id="5000000000000001", name="Spaces", vocabulary=("budget ", " funds", "my  budget")
    )
    desired = DesiredTracker(name="Spaces", vocabulary=("budget", "funds", "my budget"))
    result = diff_trackers([desired], [remote])
    assert result.changes == []
    assert any("extra whitespace" in w.message and "Spaces" in w.message
               for w in result.warnings)


def test_a_real_change_still_shows_with_whitespace_variants() -> None:
    remote = RemoteTracker(id="5000000000000001", name="Spaces", vocabulary=("budget ", "funds"))
    desired = DesiredTracker(name="Spaces", vocabulary=("budget", "money"))
    (change,) = diff_trackers([desired], [remote]).changes
    assert change.action == "update"
    assert "money" in change.added and "funds" in change.removed
    assert change.vocabulary == ["budget", "money"]  # what the PUT sends: normalised


def test_comparable() -> None:
    assert comparable(["a\tb ", " c", "c"]) == frozenset({"a b", "c"})
