"""The applier at the seam: order, one bulk create, stop-at-failure report, verify, record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trackersync.apply import ApplyReport, apply_plan
from trackersync.config import Config
from trackersync.errors import ApplyError, PlanError, StalePlanError
from trackersync.pipeline import PlanOptions, build_plan
from trackersync.plan import Plan, check_fresh
from trackersync.state import (
    StateRecord,
    owned_ids,
    read_state,
    record_after_apply,
    write_state,
)

from .fakes import FakeRemote, desired, remote

WANT = [
    desired("Create A", "a1", "a2"),
    desired("Create B", "b1"),
    desired("Renamed", "r1", renamed_from=("Old Name",)),
    desired("Updated", "u1", "u3"),
]
HAVE = [remote("1", "Old Name", "r1"), remote("2", "Updated", "u1", "u2"),
        remote("3", "Gone", "g1")]


def _plan(want=WANT, have=HAVE, record=None) -> Plan:  # type: ignore[no-untyped-def]
    return build_plan(want, have, Config(prune=True), PlanOptions(api_url="x"), record)


def _record(plan: Plan, report: ApplyReport, path: Path,
            record: StateRecord | None = None) -> None:
    """Write the state record the way the core does after an apply."""
    assert report.listing is not None
    owned = dict(record.names) if record else {}
    owned.update({c.name: str(c.tracker_id) for c in plan.changes if c.action == "delete"})
    managed = [t.name for t in WANT]
    write_state(path, record_after_apply(report.listing, owned_ids(report.listing, managed,
                                                                   owned), (), None))


ALL_OWNED = StateRecord({"Old Name": "1", "Updated": "2", "Gone": "3"})


def test_apply_order_is_renames_updates_one_bulk_create_then_deletes(tmp_path: Path) -> None:
    fake = FakeRemote(HAVE)
    lines: list[str] = []
    plan = _plan(record=ALL_OWNED)
    report = apply_plan(plan, fake, progress=lambda line, done, total: lines.append(line))
    assert fake.calls == [("update", "Renamed"), ("update", "Updated"),
                          ("create", "Create A,Create B"), ("delete", "Gone"), ("list", "")]
    assert report.ok and fake.request_count == 5
    _record(plan, report, tmp_path / "ids.json")
    assert lines[0] == '[1/5] rename "Old Name" -> "Renamed" (id 1) ... done'
    assert lines[2] == "[4/5] create 2 trackers ... done"
    record = read_state(tmp_path / "ids.json")
    assert record is not None and sorted(record.names) == sorted(t.name for t in WANT)
    assert record.names["Renamed"] == "1"
    # the account now matches: the next plan is empty
    assert not _plan(have=fake.list_trackers()).has_changes


def test_failure_stops_reports_table_writes_ids_and_rerun_converges_c12(
    tmp_path: Path,
) -> None:
    fake = FakeRemote(HAVE)
    fake.fail_on.add(("update", "Updated"))
    ids_path = tmp_path / "ids.json"
    plan = _plan(record=ALL_OWNED)
    with pytest.raises(ApplyError, match="stopped at the first failure") as info:
        apply_plan(plan, fake)
    report = info.value.report
    _record(plan, report, ids_path)
    assert [(r.change.action, r.status) for r in report.results] == [
        ("rename", "done"), ("update", "failed"), ("create", "not attempted"),
        ("create", "not attempted"), ("delete", "not attempted")]
    assert "400 invalid characters" in report.table()
    data = json.loads(ids_path.read_text())
    # "Gone" was planned for deletion, so it stays recorded as owned for the rerun
    assert data["names"] == {"Gone": "3", "Renamed": "1", "Updated": "2"}
    fake.fail_on.clear()
    rest = _plan(have=fake.list_trackers(), record=read_state(ids_path))
    assert [c.action for c in rest.changes] == ["create", "create", "update", "delete"]
    apply_plan(rest, fake)
    assert not _plan(have=fake.list_trackers()).has_changes
    assert len(fake.store) == 4


def test_recorded_owned_tracker_stays_recorded_until_deleted() -> None:
    fake = FakeRemote([remote("1", "Keep", "a"), remote("2", "Removed From Yaml", "b")])
    owned = {"Keep": "1", "Removed From Yaml": "2"}
    assert owned_ids(fake.list_trackers(), ["Keep"], owned) == owned


def test_merge_on_put_is_detected_by_verify_c14() -> None:
    fake = FakeRemote([remote("1", "T", "old", "keep")])
    fake.merge_on_put = True
    plan = build_plan([desired("T", "keep", "new")], fake.list_trackers(), Config(),
                      PlanOptions())
    with pytest.raises(ApplyError, match=r"tracker 'T' \(id 1\) did not converge: "
                                         r"phrases still present: \['old'\]"):
        apply_plan(plan, fake)
    assert [c[0] for c in fake.calls].count("update") == 1  # no retry loop


def test_stale_plan_names_what_moved_c13() -> None:
    saved = _plan()
    fresh_remote = [*HAVE[:2], remote("3", "Gone", "g1", "g2")]
    fresh = _plan(have=fresh_remote)
    with pytest.raises(StalePlanError, match=r"remote tracker 'Gone' \(id 3\) changed"):
        check_fresh(saved, fresh, {"3": "Gone"})
    edited = [*WANT[:3], desired("Updated", "u1", "u4")]
    with pytest.raises(StalePlanError, match="tracker file 'Updated' changed"):
        check_fresh(saved, _plan(want=edited))
    check_fresh(saved, _plan())
    other = build_plan(WANT, HAVE, Config(prune=True), PlanOptions(api_url="y"))
    with pytest.raises(PlanError, match="plan was made for x"):
        check_fresh(saved, other)
