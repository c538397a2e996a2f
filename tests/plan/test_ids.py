"""ids_file and the ``ids`` output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackersync.errors import ConfigError
from trackersync.ids import (
    IdsRecord,
    append_github_output,
    env_collisions,
    format_ids,
    ids_file_path,
    read_ids_file,
    render_ids_file,
    select,
    write_ids_file,
)

NAMES = {"Promotion Mention": "5000000000000002", "Approval": "5000000000000001"}


def test_formats() -> None:
    assert format_ids(NAMES, "async") == (
        '{"trackers":[{"id":"5000000000000001"},{"id":"5000000000000002"}]}')
    assert json.loads(format_ids(NAMES, "map")) == NAMES
    assert format_ids(NAMES, "env").splitlines() == [
        "TRACKER_ID_APPROVAL=5000000000000001",
        "TRACKER_ID_PROMOTION_MENTION=5000000000000002"]
    assert format_ids(NAMES, "github").startswith('tracker-ids={"trackers":[')
    # slugs that collide: each gets its ID appended, so no ID is ever lost or swapped
    assert format_ids({"a b": "1", "A-B": "2", "c": "3"}, "env").splitlines() == [
        "TRACKER_ID_A_B_2=2", "TRACKER_ID_A_B_1=1", "TRACKER_ID_C=3"]
    assert env_collisions({"a b": "1", "A-B": "2"}) == [
        "tracker names 'A-B', 'a b' all map to TRACKER_ID_A_B; each gets its tracker ID "
        "appended: TRACKER_ID_A_B_2, TRACKER_ID_A_B_1"]


def test_ids_file_is_sorted_stable_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    write_ids_file(path, IdsRecord(NAMES, frozenset({"Approval"})))
    text = path.read_text()
    assert json.loads(text) == {
        "trackers": [{"id": "5000000000000001"}, {"id": "5000000000000002"}],
        "names": {"Approval": "5000000000000001", "Promotion Mention": "5000000000000002"},
        "protected": ["Approval"]}
    assert render_ids_file(IdsRecord(dict(reversed(NAMES.items())), frozenset({"Approval"}))) \
        == text
    record = read_ids_file(path)
    assert record is not None and record.protected_ids == {"5000000000000001"}
    assert read_ids_file(tmp_path / "missing.json") is None
    path.write_text("[]")
    with pytest.raises(ConfigError, match="not a trackersync ids_file"):
        read_ids_file(path)


def test_env_specific_ids_file_path(tmp_path: Path) -> None:
    assert ids_file_path(tmp_path, "trackers.ids.json", None) == tmp_path / "trackers.ids.json"
    assert ids_file_path(tmp_path, "trackers.ids.json", "staging") == (
        tmp_path / "trackers.ids.staging.json")


def test_github_output_and_select(tmp_path: Path) -> None:
    out = tmp_path / "out"
    append_github_output("tracker-ids={}", {"GITHUB_OUTPUT": str(out)})
    assert out.read_text() == "tracker-ids={}\n"
    with pytest.raises(ConfigError, match="GITHUB_OUTPUT is not set"):
        append_github_output("x", {})
    assert select(NAMES, ["Approval"]) == {"Approval": "5000000000000001"}
    with pytest.raises(ConfigError, match="'Nope'"):
        select(NAMES, ["Nope"])


def test_env_names_fold_accents_and_never_collapse_non_latin_names() -> None:
    from trackersync.ids import slug

    assert slug("Promotion Mention") == "PROMOTION_MENTION"
    assert slug("Así") == "ASI"
    assert slug("日本") != slug("中国")
    assert slug("日本").isidentifier() and slug("日本").isupper()
    assert slug("Ελληνικά 2") == "ELLINIKA_2" and slug("Русский 2") == "RUSSKIY_2"
    assert slug("😀") != slug("🎉")
