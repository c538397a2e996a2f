"""Safety guards: mass deletes, protected trackers, account limit, empty listing."""

from __future__ import annotations

import pytest

from trackersync.config import Config, SafetyConfig
from trackersync.errors import AccountLimitError, PlanError, UnsafePlanError
from trackersync.pipeline import PlanOptions, build_plan
from trackersync.safety import Allowances, check_account_limit, check_deletes, check_listing
from trackersync.state import StateRecord

from .fakes import desired, remote


def _plan(want, have, **cfg):  # type: ignore[no-untyped-def]
    owned = StateRecord({t.name: t.id for t in have})  # every remote tracker is owned
    return build_plan(want, have, Config(**cfg), PlanOptions(), owned)


def test_deletes_over_max_deletes_are_refused_unless_allowed_c09b() -> None:
    have = [remote(str(i), f"t{i:02d}", "a") for i in range(20)]
    plan = _plan([desired(f"t{i:02d}", "a") for i in range(8)], have, prune=True)
    assert plan.summary.delete == 12
    assert any("apply will refuse" in w.message and "--allow-deletes 12" in w.message
               for w in plan.warnings)
    with pytest.raises(UnsafePlanError, match="plan deletes 12 trackers"):
        check_deletes(plan, SafetyConfig(), Allowances())
    with pytest.raises(UnsafePlanError):
        check_deletes(plan, SafetyConfig(), Allowances(allow_deletes=11))
    check_deletes(plan, SafetyConfig(), Allowances(allow_deletes=12))


def test_delete_fraction_applies_from_ten_trackers() -> None:
    safety = SafetyConfig(max_deletes=100, max_delete_fraction=0.3)
    small = _plan([desired("a", "x")], [remote("1", "a", "x"), remote("2", "b", "x")],
                  prune=True)
    check_deletes(small, safety, Allowances())  # 1 of 2 is not a mass delete
    have = [remote(str(i), f"t{i}", "x") for i in range(10)]
    big = _plan([desired(f"t{i}", "x") for i in range(6)], have, prune=True)
    with pytest.raises(UnsafePlanError, match="40% of 10"):
        check_deletes(big, safety, Allowances())


def test_protected_tracker_is_not_renamed_without_flag() -> None:
    want = [desired("New", "a", renamed_from=("Old",))]
    record = StateRecord({"Old": "1"}, frozenset({"Old"}))  # Old was applied with protect: true
    plan = build_plan(want, [remote("1", "Old", "a")], Config(), PlanOptions(), record)
    with pytest.raises(UnsafePlanError, match="'Old' is protected and would be renamed"):
        check_deletes(plan, SafetyConfig(), Allowances())
    check_deletes(plan, SafetyConfig(), Allowances(allow_protected=True))


def test_protect_added_with_renamed_from_does_not_block_the_rename() -> None:
    """The file's own protect flag protects the new name; the remote was never protected."""
    want = [desired("New", "a", renamed_from=("Old",), protect=True)]
    for record in (None, StateRecord({"Old": "1"}, frozenset())):
        plan = build_plan(want, [remote("1", "Old", "a")], Config(), PlanOptions(), record)
        assert [c.action for c in plan.changes] == ["rename"]
        assert not any("protected" in w.message for w in plan.warnings)
        check_deletes(plan, SafetyConfig(), Allowances())


def test_account_limit_counts_creates_before_deletes_c25() -> None:
    have = [remote(str(i), f"leak-{i}", "x") for i in range(497)]
    plan = _plan([desired(f"new{i}", "x") for i in range(5)], have)
    with pytest.raises(AccountLimitError,
                       match="apply would bring the account to 502 trackers; limit is 500"):
        check_account_limit(plan, 500)
    check_account_limit(plan, 502)


def test_empty_listing_with_recorded_ids_is_refused_c07d() -> None:
    with pytest.raises(PlanError, match="remote shows 0 trackers but 3 managed IDs"):
        check_listing([], 3)
    check_listing([], 3, Allowances(allow_empty_remote=True))
    check_listing([], 0)
