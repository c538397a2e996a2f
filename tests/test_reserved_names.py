"""The reserved ``Symbl.`` namespace : one test, any case, leading spaces.

The same names must be refused by ``validate`` (rule ``name-reserved``), never pruned
or listed by the differ, and never imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trackersync.config import Config
from trackersync.definitions import load_definitions
from trackersync.diff import DiffOptions, diff_trackers
from trackersync.importer.importer import plan_import
from trackersync.model import RemoteTracker, is_reserved_name

RESERVED = ["Symbl.Courtesy", "symbl.lower", " Symbl.Space", "SYMBL.x", "\tsymbl.Tab"]
NOT_RESERVED = ["Symbl", "Symbl Courtesy", "My Symbl.Tracker", "symblai", "Symbl_x", ""]


@pytest.mark.parametrize("name", RESERVED)
def test_reserved_in_any_case_and_after_leading_spaces(name: str) -> None:
    assert is_reserved_name(name)


@pytest.mark.parametrize("name", NOT_RESERVED)
def test_other_names_are_not_reserved(name: str) -> None:
    assert not is_reserved_name(name)


def test_validate_refuses_every_reserved_spelling(tmp_path: Path) -> None:
    phrases = "[alpha one, bravo two, charlie three, delta four, echo five]"
    body = "".join(f"  - name: {name!r}\n    vocabulary: {phrases}\n" for name in RESERVED[1:4])
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "t.yaml").write_text("trackers:\n" + body, encoding="utf-8")
    problems = load_definitions(tmp_path, Config()).problems
    reserved = [(p.tracker, p.severity) for p in problems if p.code == "name-reserved"]
    assert reserved == [(name, "error") for name in RESERVED[1:4]]


def test_the_differ_never_touches_reserved_remote_trackers() -> None:
    remote = [
        RemoteTracker(id=f"10000000000000{i:02d}", name=name, vocabulary=("a phrase",))
        for i, name in enumerate([*RESERVED, "Hand Made"])
    ]
    result = diff_trackers([], remote, DiffOptions(prune=True, recorded=None))
    assert [(c.action, c.name) for c in result.changes] == [("delete", "Hand Made")]
    assert result.unmanaged == []


def test_import_leaves_reserved_remote_trackers_out(tmp_path: Path) -> None:
    remote = [
        RemoteTracker(id=f"10000000000000{i:02d}", name=name, vocabulary=("a phrase",))
        for i, name in enumerate([*RESERVED, "Hand Made"])
    ]
    result = plan_import(
        remote, directory=tmp_path, defined={}, file_trackers={},
        checker=lambda trackers: {}, rules="strict",
    )
    assert [e.tracker.name for e in result.entries] == ["Hand Made"]
    assert sorted(t.name for t, _why in result.ignored) == sorted(RESERVED)
