"""``trackersync merge-ids``: ownership records merged against the live account, and
``rules`` set per environment (a strict account stops the plan before any request)."""

from __future__ import annotations

import json
from pathlib import Path

from symbl_emulator import EmulatorServer
from trackersync.model import RemoteTracker
from trackersync.record_merge import merge_records
from trackersync.state import StateRecord

from .helpers import FIVE, run, write


def remote(tid: str, name: str) -> RemoteTracker:
    return RemoteTracker(id=tid, name=name, vocabulary=["p one"])


def test_merge_keeps_what_either_record_owns_that_still_exists() -> None:
    ours = StateRecord({"Alpha": "1", "Gone": "9"}, frozenset())
    tip = StateRecord({"Beta": "2", "Old name": "3"}, frozenset({"Old name"}))
    listing = [remote("1", "Alpha"), remote("2", "Beta"), remote("3", "New name"),
               remote("4", "Made by hand")]
    merged = merge_records([ours, None, tip], listing)
    assert merged.names == {"Alpha": "1", "Beta": "2", "New name": "3"}
    assert merged.protected == frozenset({"New name"})  # protection follows the ID


def test_merge_prefers_the_first_record_when_live_names_clash() -> None:
    listing = [remote("1", "Same"), remote("2", "Same")]
    merged = merge_records([StateRecord({"Same": "2"}), StateRecord({"Same": "1"})], listing)
    assert merged.names == {"Same": "2"}


def test_merge_ids_command_writes_the_merged_record(
    project: dict, emulator: EmulatorServer
) -> None:
    write("a.yaml", f"name: Alpha\nvocabulary: {FIVE}\n")
    assert run(project, "apply", "--auto-approve").exit_code == 0
    beta = emulator.seed([{"name": "Beta", "vocabulary": ["b"]}])[0]["id"]
    emulator.seed([{"name": "By hand", "vocabulary": ["c"]}])
    Path("tip.json").write_text(json.dumps({"names": {"Beta": beta, "Deleted": "77"},
                                            "protected": ["Beta"]}))
    result = run(project, "merge-ids", "tip.json", "missing.json")
    assert result.exit_code == 0, result.output
    written = json.loads(Path("trackers.ids.json").read_text())
    alpha = next(t["id"] for t in emulator.trackers() if t["name"] == "Alpha")
    assert written["names"] == {"Alpha": alpha, "Beta": beta}
    assert written["protected"] == ["Beta"]
    assert "2 trackers owned (1 recorded only in tip.json, missing.json)" in result.output


def test_a_strict_environment_refuses_at_plan_time_and_sends_nothing(
    project: dict, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text(
        "rules: lenient\nenvironments:\n  staging: {}\n  prod: {rules: strict}\n")
    write("q.yaml", "name: Quote\nvocabulary: ['what is the price?', a, b, c, d]\n")
    env = project  # both environments use the SYMBL_ credentials here
    staging = run(env, "plan", "--env", "staging", "--detailed-exitcode")
    assert staging.exit_code == 2, staging.output
    assert "which Symbl's strict rules refuse" in staging.output
    before = len(emulator.requests())
    prod = run(env, "plan", "--env", "prod")
    assert prod.exit_code == 1
    assert "trackers/q.yaml:2:" in prod.output and "contains '?'" in prod.output
    assert len(emulator.requests()) == before  # nothing sent


def test_merge_ids_with_nothing_to_merge_writes_no_empty_record(
    project: dict, emulator: EmulatorServer
) -> None:
    write("a.yaml", f"name: Alpha\nvocabulary: {FIVE}\n")
    for args in ((), ("missing.json",)):
        result = run(project, "merge-ids", *args)
        assert result.exit_code == 1, result.output
        assert "nothing to merge: no state record at" in result.output
        assert not Path("trackers.ids.json").exists()
    assert emulator.requests() == []  # refused before any request
