"""The differ at the seam: Tracker values in, changes/unmanaged/warnings out."""

from __future__ import annotations

import pytest

from trackersync.diff import DiffOptions, diff_trackers, phrase_diff
from trackersync.errors import PlanError

from .fakes import desired, remote

P5 = ("alpha", "bravo", "charlie", "delta", "echo")


def test_order_only_differences_are_no_change_c04() -> None:
    want = [desired("Renewal", *P5), desired("Upsell", "b", "a")]
    have = [remote("2", "Upsell", "a", "b"), remote("1", "Renewal", *reversed(P5))]
    result = diff_trackers(want, have)
    assert result.changes == []
    assert result.unmanaged == []


def test_update_lists_added_and_removed_sorted() -> None:
    result = diff_trackers([desired("T", "zulu", "alpha", "mike")],
                           [remote("1", "T", "mike", "yankee", "bravo")])
    (change,) = result.changes
    assert (change.action, change.tracker_id) == ("update", "1")
    assert change.added == ["alpha", "zulu"]
    assert change.removed == ["bravo", "yankee"]
    assert change.vocabulary == ["zulu", "alpha", "mike"]


def test_phrase_diff_uses_sets() -> None:
    assert phrase_diff(["a", "b", "c"], ["c", "d", "b"]) == (["d"], ["a"])


def test_create_lists_every_phrase_sorted() -> None:
    (change,) = diff_trackers([desired("New", "b", "a")], []).changes
    assert change.action == "create" and change.tracker_id is None
    assert change.added == ["a", "b"] and change.vocabulary == ["b", "a"]


def test_renamed_from_is_a_rename_on_the_same_id_with_phrase_changes() -> None:
    want = [desired("Promotion Mention", "a", "c", renamed_from=("Promo",))]
    result = diff_trackers(want, [remote("7", "Promo", "a", "b")])
    (change,) = result.changes
    assert (change.action, change.tracker_id, change.old_name) == ("rename", "7", "Promo")
    assert (change.added, change.removed) == (["c"], ["b"])


def test_case_only_rename_with_renamed_from_keeps_id() -> None:
    want = [desired("Pricing Mention", "a", renamed_from=("pricing mention",))]
    (change,) = diff_trackers(want, [remote("9", "pricing mention", "a")]).changes
    assert (change.action, change.tracker_id) == ("rename", "9")
    assert change.added == change.removed == []


def test_case_only_rename_without_record_is_create_plus_warning_c19b() -> None:
    have = [remote("9", "pricing mention", "a")]
    result = diff_trackers([desired("Pricing Mention", "a")], have)
    assert [c.action for c in result.changes] == ["create"]
    assert result.unmanaged == ["pricing mention"]
    assert any("case-only rename" in w.message and "ID will change" in w.message
               for w in result.warnings)
    pruned = diff_trackers([desired("Pricing Mention", "a")], have, DiffOptions(prune=True))
    assert [(c.action, c.name) for c in pruned.changes] == [
        ("create", "Pricing Mention"), ("delete", "pricing mention")]


def test_case_only_rename_recorded_in_ids_file_renames_in_place_c19() -> None:
    opts = DiffOptions(recorded={"pricing mention": "9"})
    result = diff_trackers([desired("Pricing Mention", "a")],
                           [remote("9", "pricing mention", "a")], opts)
    (change,) = result.changes
    assert (change.action, change.tracker_id, change.old_name) == (
        "rename", "9", "pricing mention")


def test_both_case_variants_defined_stay_distinct_c19c() -> None:
    result = diff_trackers([desired("Pricing", "a"), desired("pricing", "a")],
                           [remote("1", "pricing", "a")])
    assert [(c.action, c.name) for c in result.changes] == [("create", "Pricing")]


def test_unmanaged_without_prune_and_ignore_globs_and_reserved_prefix_c08() -> None:
    have = [remote("1", "Keep", "a"), remote("2", "UI Tracker", "a"),
            remote("3", "tmp-123", "a"), remote("4", "Symbl.Courtesy", "a")]
    opts = DiffOptions(ignore=("tmp-*",))
    result = diff_trackers([desired("Keep", "a")], have, opts)
    assert result.changes == [] and result.unmanaged == ["UI Tracker"]
    pruned = diff_trackers([desired("Keep", "a")], have,
                           DiffOptions(ignore=("tmp-*",), prune=True))
    assert [(c.action, c.name) for c in pruned.changes] == [("delete", "UI Tracker")]


def test_prune_with_ids_file_deletes_only_recorded_trackers_c08() -> None:
    have = [remote("801", "Renewal", "a"), remote("803", "Spring", "a"),
            remote("804", "Sales Notes", "a"), remote("805", "Symbl.Courtesy", "a")]
    opts = DiffOptions(prune=True, recorded={"Renewal": "801", "Spring": "803"})
    result = diff_trackers([desired("Renewal", "a")], have, opts)
    assert [(c.action, c.name, c.tracker_id) for c in result.changes] == [
        ("delete", "Spring", "803")]
    assert result.unmanaged == ["Sales Notes"]


def test_remote_duplicate_names_are_reported_not_fixed() -> None:
    have = [remote("1", "Dup", "a"), remote("2", "Dup", "b")]
    result = diff_trackers([desired("Other", "a")], have, DiffOptions(prune=True))
    assert [c.action for c in result.changes] == ["create"]
    assert result.unmanaged == ["Dup"]
    assert any("2 trackers share the name 'Dup'" in w.message for w in result.warnings)
    with pytest.raises(PlanError, match="several remote trackers have this name"):
        diff_trackers([desired("Dup", "a")], have)


def test_remote_duplicate_phrases_are_warned() -> None:
    result = diff_trackers([desired("T", "a")], [remote("1", "T", "a", "a")])
    assert result.changes == []
    assert any("duplicate phrases" in w.message for w in result.warnings)


def test_changes_are_sorted_by_action_then_name() -> None:
    want = [desired("b", "x"), desired("a", "x"), desired("c", "y")]
    have = [remote("1", "c", "x"), remote("2", "z", "x")]
    result = diff_trackers(want, have, DiffOptions(prune=True))
    assert [(c.action, c.name) for c in result.changes] == [
        ("create", "a"), ("create", "b"), ("update", "c"), ("delete", "z")]


def test_remote_whitespace_is_compared_normalised_and_warned_c05() -> None:
    result = diff_trackers([desired("T", "order number", "a b")],
                           [remote("1", "T", "order number ", "a\tb")])
    assert result.changes == []
    assert any("extra whitespace" in w.message for w in result.warnings)
    clean = diff_trackers([desired("T", "a b")], [remote("1", "T", "a b")])
    assert clean.warnings == []
