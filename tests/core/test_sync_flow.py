"""The core flow driven without click: pending, drift and conflict, and what apply does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer
from tests.helpers import invoke
from trackersync import sync
from trackersync.errors import ConfigError, PlanError, StalePlanError
from trackersync.render import render_plan

from .helpers import FIVE, Recorder, edit_in_account, phrases_of, project, write_tracker


@pytest.fixture
def applied(tmp_path: Path, emulator: EmulatorServer,
            monkeypatch: pytest.MonkeyPatch) -> sync.Workspace:
    """Three trackers applied once: the state record holds a snapshot of each."""
    ws = project(tmp_path, emulator, monkeypatch)
    for name in ("Drifted", "Pending", "Both"):
        write_tracker(tmp_path, name, [f"{name.lower()} {p}" for p in FIVE])
    outcome = sync.apply(ws, sync.Request(), Recorder().hooks())
    assert outcome.report is not None and outcome.report.ok
    assert outcome.ids == {t["name"]: t["id"] for t in emulator.trackers()}
    return ws


def _three_ways(ws: sync.Workspace, emulator: EmulatorServer) -> None:
    root = ws.project_root
    edit_in_account(emulator, "Drifted", vocabulary=["drifted alpha one", "made in the ui"])
    write_tracker(root, "Pending", ["pending alpha one", "added in a pull request"])
    edit_in_account(emulator, "Both", vocabulary=["both alpha one", "ui side"])
    write_tracker(root, "Both", ["both alpha one", "file side"])


def test_apply_records_a_snapshot_of_each_tracker(
    applied: sync.Workspace, emulator: EmulatorServer
) -> None:
    data = json.loads((applied.project_root / "trackers.ids.json").read_text())
    assert data["format_version"] == 2
    assert sorted(data["snapshots"]) == ["Both", "Drifted", "Pending"]
    by_name = {t["name"]: t["id"] for t in emulator.trackers()}
    assert data["snapshots"]["Pending"]["id"] == by_name["Pending"]
    assert data["trackers"] == [{"id": by_name[n]} for n in ("Both", "Drifted", "Pending")]


def test_pending_drift_and_conflict_are_told_apart_in_every_format(
    applied: sync.Workspace, emulator: EmulatorServer
) -> None:
    _three_ways(applied, emulator)
    recorder = Recorder()
    plan = sync.plan(applied, sync.Request(), recorder.hooks())
    causes = {c.name: c.cause for c in plan.changes}
    assert causes == {"Drifted": "drift", "Pending": "pending", "Both": "conflict"}
    assert (plan.summary.pending, plan.summary.drift, plan.summary.conflict) == (1, 1, 1)
    drifted = next(c for c in plan.changes if c.name == "Drifted")
    assert {(d.field, d.change, d.account or d.snapshot) for d in drifted.drift} >= {
        ("vocabulary", "added", "made in the ui"), ("vocabulary", "removed", "drifted echo five")}
    pending = next(c for c in plan.changes if c.name == "Pending")
    assert pending.drift == []

    text = render_plan(plan, "text")
    assert "! drift: changed in the account since the last apply; apply reverts it" in text
    assert "! conflict: changed in the account and in the files" in text
    assert "(1 pending, 1 drift, 1 conflict)" in text
    assert 'added in the account: "made in the ui"' in text
    markdown = render_plan(plan, "markdown")
    assert markdown.count("↩️ drift") >= 2 and markdown.count("⛔ conflict") >= 2
    assert "📝 pending: 1" in markdown
    data = json.loads(render_plan(plan, "json"))
    assert {c["name"]: c["cause"] for c in data["changes"]} == causes
    assert data["summary"]["drift"] == 1 and data["summary"]["conflict"] == 1


def test_drift_only_shows_what_changed_in_the_account_and_nothing_else(
    applied: sync.Workspace, emulator: EmulatorServer
) -> None:
    _three_ways(applied, emulator)
    plan = sync.plan(applied, sync.Request(drift_only=True), Recorder().hooks())
    assert sorted((c.name, c.cause) for c in plan.changes) == [("Both", "conflict"),
                                                               ("Drifted", "drift")]
    assert (plan.summary.pending, plan.summary.total) == (0, 2)
    write_tracker(applied.project_root, "Drifted", [f"drifted {p}" for p in FIVE])
    edit_in_account(emulator, "Drifted", vocabulary=[f"drifted {p}" for p in FIVE])
    edit_in_account(emulator, "Both", vocabulary=[f"both {p}" for p in FIVE])
    write_tracker(applied.project_root, "Both", [f"both {p}" for p in FIVE])
    pending_only = sync.plan(applied, sync.Request(drift_only=True), Recorder().hooks())
    assert not pending_only.has_changes  # a pull request's change is not drift


def test_apply_refuses_a_conflict_without_the_flag_and_sends_nothing(
    applied: sync.Workspace, emulator: EmulatorServer
) -> None:
    _three_ways(applied, emulator)
    before = {t["name"]: sorted(t["vocabulary"]) for t in emulator.trackers()}
    with pytest.raises(PlanError, match=r"tracker 'Both': conflict"):
        sync.apply(applied, sync.Request(), Recorder().hooks())
    assert {t["name"]: sorted(t["vocabulary"]) for t in emulator.trackers()} == before

    outcome = sync.apply(applied, sync.Request(overwrite_conflicts=True), Recorder().hooks())
    assert outcome.report is not None and outcome.report.ok
    assert phrases_of(emulator, "Both") == {"both alpha one", "file side"}
    assert phrases_of(emulator, "Drifted") == {f"drifted {p}" for p in FIVE}  # reverted
    again = sync.plan(applied, sync.Request(), Recorder().hooks())
    assert not again.has_changes


def test_drift_alone_is_reverted_unless_the_config_refuses_drift(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch,
                 "trackers_dir: trackers\nsafety:\n  drift: refuse\n")
    write_tracker(tmp_path, "Drifted", FIVE)
    sync.apply(ws, sync.Request(), Recorder().hooks())
    edit_in_account(emulator, "Drifted", name="Renamed In The UI")
    plan = sync.plan(ws, sync.Request(), Recorder().hooks())
    [change] = plan.changes
    assert (change.action, change.cause, change.old_name) == ("rename", "drift",
                                                             "Renamed In The UI")
    assert [(d.field, d.snapshot, d.account) for d in change.drift] == [
        ("name", "Drifted", "Renamed In The UI")]
    with pytest.raises(PlanError, match="tracker 'Drifted': drift"):
        sync.apply(ws, sync.Request(), Recorder().hooks())
    (tmp_path / "trackersync.yaml").write_text("trackers_dir: trackers\n")
    sync.apply(ws, sync.Request(), Recorder().hooks())
    assert [t["name"] for t in emulator.trackers()] == ["Drifted"]


def test_a_tracker_deleted_in_the_account_is_drift_and_is_created_again(
    applied: sync.Workspace, emulator: EmulatorServer
) -> None:
    kept = [t for t in emulator.trackers() if t["name"] != "Drifted"]
    emulator.reset()
    emulator.seed(kept)
    plan = sync.plan(applied, sync.Request(), Recorder().hooks())
    [change] = plan.changes
    assert (change.action, change.name, change.cause) == ("create", "Drifted", "drift")
    assert [(d.field, d.change) for d in change.drift] == [("tracker", "removed")]
    assert "deleted in the account" in render_plan(plan, "text")


def test_declining_the_confirmation_sends_nothing(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch)
    write_tracker(tmp_path, "Never", FIVE)
    recorder = Recorder(approve=False)
    with pytest.raises(ConfigError, match="cancelled"):
        sync.apply(ws, sync.Request(), recorder.hooks())
    assert recorder.asked == 1 and emulator.trackers() == []
    assert not (tmp_path / "trackers.ids.json").exists()


def test_an_account_changed_after_the_plan_stops_apply_before_its_first_write(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch)
    write_tracker(tmp_path, "Mine", FIVE)
    recorder = Recorder()

    def someone_else_writes(_plan: object) -> bool:
        emulator.seed([*emulator.trackers(), {"id": "5000000000000999", "name": "Theirs",
                                              "vocabulary": ["their phrase"]}])
        return True

    hooks = recorder.hooks()
    hooks.confirm = someone_else_writes
    with pytest.raises(StalePlanError, match=r"remote tracker 'Theirs' \(id 5000000000000999\) "
                                             "added"):
        sync.apply(ws, sync.Request(), hooks)
    assert [t["name"] for t in emulator.trackers()] == ["Theirs"]


def test_the_cli_refuses_a_conflict_until_told_to_overwrite_it(
    applied: sync.Workspace, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _three_ways(applied, emulator)
    monkeypatch.chdir(applied.project_root)
    plan = invoke(["plan", "--detailed-exitcode", "--format", "json"])
    assert plan.exit_code == 2
    assert json.loads(plan.stdout)["summary"]["conflict"] == 1
    refused = invoke(["apply", "--auto-approve"])
    assert refused.exit_code == 1
    assert "tracker 'Both': conflict" in refused.stderr
    assert "--overwrite-conflicts" in refused.stderr
    assert phrases_of(emulator, "Both") == {"both alpha one", "ui side"}
    done = invoke(["apply", "--auto-approve", "--overwrite-conflicts"])
    assert done.exit_code == 0, done.output
    assert "Apply complete: 0 created, 3 updated" in done.stdout
    assert invoke(["plan", "--detailed-exitcode"]).exit_code == 0


def drifted_under_refuse(tmp_path: Path, emulator: EmulatorServer,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A project under ``safety.drift: refuse`` whose applied tracker was edited in the account."""
    project(tmp_path, emulator, monkeypatch, "trackers_dir: trackers\nsafety:\n  drift: refuse\n")
    write_tracker(tmp_path, "Drifted", FIVE)
    monkeypatch.chdir(tmp_path)
    assert invoke(["apply", "--auto-approve"]).exit_code == 0
    edit_in_account(emulator, "Drifted", vocabulary=[*FIVE, "made in the ui"])


def test_a_plan_under_drift_refuse_says_apply_refuses_drift_not_that_it_reverts_it(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    drifted_under_refuse(tmp_path, emulator, monkeypatch)
    text = invoke(["plan"]).stdout
    assert "! drift: changed in the account since the last apply; apply refuses it" in text
    assert "reverts" not in text
    markdown = invoke(["plan", "--format", "markdown"]).stdout
    assert "apply refuses it without --overwrite-conflicts" in markdown
    assert "reverted" not in markdown and "reverts" not in markdown
    assert json.loads(invoke(["plan", "--format", "json"]).stdout)["drift_policy"] == "refuse"


def test_a_saved_plan_made_under_drift_refuse_is_not_applied_as_a_revert(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    drifted_under_refuse(tmp_path, emulator, monkeypatch)
    assert invoke(["plan", "--out", "plan.json"]).exit_code == 0
    (tmp_path / "trackersync.yaml").write_text("trackers_dir: trackers\n")
    refused = invoke(["apply", "plan.json"])
    assert refused.exit_code == 1
    assert "tracker 'Drifted': drift" in refused.stderr
    assert "made in the ui" in phrases_of(emulator, "Drifted")
    assert invoke(["apply", "--overwrite-conflicts", "plan.json"]).exit_code == 0
    assert "made in the ui" not in phrases_of(emulator, "Drifted")


def test_a_saved_drift_only_plan_is_refused_by_apply_with_the_reason(
    applied: sync.Workspace, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _three_ways(applied, emulator)
    monkeypatch.chdir(applied.project_root)
    saved = invoke(["plan", "--drift-only", "--detailed-exitcode", "--out", "plan.json"])
    assert saved.exit_code == 2  # the nightly drift check saves it for reading
    before = len(emulator.requests())
    result = invoke(["apply", "plan.json"])
    assert result.exit_code == 1
    assert "was made with plan --drift-only" in result.stderr
    assert "without --drift-only" in result.stderr
    assert len(emulator.requests()) == before  # nothing sent
    assert phrases_of(emulator, "Drifted") == {"drifted alpha one", "made in the ui"}
