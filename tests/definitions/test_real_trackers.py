"""Every tracker in tests/cases/real-trackers.json through ``validate``, both profiles.

The file records, per tracker, the characters outside the 2022 rules: the field
``chars_outside_relaxed_rule`` is the rule with the dash (``. ' -``), which is our
``strict`` profile (docs/api-contract.md, "Punctuation in phrases");
``chars_outside_strict_rule`` is the older ``. '`` rule and is always a superset.
``lenient`` refuses only ``( ) [ ]``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.definitions.helpers import CASES, write
from trackersync.cli import main
from trackersync.definitions import dump_tracker_yaml
from trackersync.model import Tracker

REAL = CASES / "real-trackers.json"
TRACKERS: list[dict[str, Any]] = json.loads(REAL.read_text("utf-8"))


def validate(tmp: Path, item: dict[str, Any], rules: str) -> tuple[int, list[dict[str, Any]]]:
    write(tmp, "trackersync.yaml", f"rules: {rules}\n")
    tracker = Tracker(name=item["name"], vocabulary=tuple(item["vocabulary"]))
    write(tmp, "trackers/t.yaml", dump_tracker_yaml(tracker, comments=[item["source"]]))
    result = CliRunner().invoke(main, ["--config", str(tmp / "trackersync.yaml"), "validate",
                                       "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def expected_errors(item: dict[str, Any], rules: str) -> set[str]:
    bad = set(item["chars_outside_relaxed_rule"])
    if rules == "lenient":
        bad = {c for c in "".join(item["vocabulary"]) if c in "()[]"}
    codes = {"phrase-charset"} if bad else set()
    if item["has_exact_duplicate_vocabulary"]:
        codes.add("phrase-duplicate")
    if item["has_empty_or_whitespace_item"]:
        codes.add("phrase-empty")
    if rules == "strict" and item["vocabulary_count"] > 50:
        codes.add("phrase-count")
    return codes


@pytest.mark.parametrize("rules", ["strict", "lenient"])
@pytest.mark.parametrize("index", range(len(TRACKERS)),
                         ids=[f"{i}-{t['name'][:20]}" for i, t in enumerate(TRACKERS)])
def test_real_tracker_verdict(tmp_path: Path, index: int, rules: str) -> None:
    item = TRACKERS[index]
    assert set(item["chars_outside_strict_rule"]) >= set(item["chars_outside_relaxed_rule"])
    code, problems = validate(tmp_path, item, rules)
    errors = {p["code"] for p in problems if p["severity"] == "error"}
    warnings = {p["code"] for p in problems if p["severity"] == "warning"}
    assert errors == expected_errors(item, rules)
    assert code == (1 if errors else 0)
    assert ("phrase-few" in warnings) == (item["vocabulary_count"] < 5)
    assert ("phrase-whitespace" in warnings) == item["has_leading_or_trailing_space"]
    assert ("phrase-case-variant" in warnings) == (
        item["has_case_insensitive_duplicate_vocabulary"]
        and not item["has_exact_duplicate_vocabulary"])
    named = "".join(p["message"] for p in problems if p["code"] == "phrase-charset")
    for char in item["chars_outside_relaxed_rule"] if rules == "strict" else "":
        assert f"'{char}' at column" in named
    if item["name"].startswith("Promotion Mention - "):  # a GUID-suffixed leftover of a test run
        assert "name-ephemeral" in warnings
