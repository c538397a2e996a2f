"""The ``ids`` output formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackersync.errors import ConfigError
from trackersync.ids import append_github_output, format_ids
from trackersync.state import state_path

NAMES = {"Promotion Mention": "5000000000000002", "Approval": "5000000000000001"}


def test_formats() -> None:
    assert format_ids(NAMES, "async") == (
        '{"trackers":[{"id":"5000000000000001"},{"id":"5000000000000002"}]}')
    assert json.loads(format_ids(NAMES, "map")) == NAMES
    assert format_ids(NAMES, "env").splitlines() == [
        "TRACKER_ID_APPROVAL=5000000000000001",
        "TRACKER_ID_PROMOTION_MENTION=5000000000000002"]
    assert format_ids(NAMES, "github").startswith('tracker-ids={"trackers":[')
    with pytest.raises(ConfigError, match="collide"):
        format_ids({"a b": "1", "A-B": "2"}, "env")


def test_env_specific_state_path(tmp_path: Path) -> None:
    assert state_path(tmp_path, "trackers.ids.json", None) == tmp_path / "trackers.ids.json"
    assert state_path(tmp_path, "trackers.ids.json", "staging") == (
        tmp_path / "trackers.ids.staging.json")


def test_github_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    append_github_output("tracker-ids={}", {"GITHUB_OUTPUT": str(out)})
    assert out.read_text() == "tracker-ids={}\n"
    with pytest.raises(ConfigError, match="GITHUB_OUTPUT is not set"):
        append_github_output("x", {})


def test_env_names_fold_accents_and_never_collapse_non_latin_names() -> None:
    from trackersync.ids import slug

    assert slug("Promotion Mention") == "PROMOTION_MENTION"
    assert slug("Así") == "ASI"
    assert slug("日本") != slug("中国")
    assert slug("日本").isidentifier() and slug("日本").isupper()
    assert slug("Ελληνικά 2") == "ELLINIKA_2" and slug("Русский 2") == "RUSSKIY_2"
    assert slug("😀") != slug("🎉")
