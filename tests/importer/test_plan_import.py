"""plan_import's decisions (no network, no YAML): write, overwrite, skip, ignore, warn."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from trackersync.importer.importer import Findings, plan_import
from trackersync.importer.report import report_lines, summary_line, warning_lines
from trackersync.model import RemoteTracker


def remote(name: str, tracker_id: str, *phrases: str) -> RemoteTracker:
    return RemoteTracker(id=tracker_id, name=name, vocabulary=phrases or ("a phrase",))


def no_commas(trackers: Sequence[RemoteTracker]) -> dict[str, Findings]:
    return {
        t.id: Findings(tuple(
            f"vocabulary[{i}] {p!r} contains ','" for i, p in enumerate(t.vocabulary) if "," in p
        ))
        for t in trackers
    }


def plan(tmp_path: Path, trackers: list[RemoteTracker], **kwargs):  # type: ignore[no-untyped-def]
    options = {"defined": {}, "file_trackers": {}, "checker": no_commas, "rules": "strict"}
    options.update(kwargs)
    return plan_import(trackers, directory=tmp_path, **options)


def test_everything_new_is_written_in_name_order(tmp_path: Path) -> None:
    trackers = [remote("b", "5000000000000002"), remote("a", "5000000000000001")]
    result = plan(tmp_path / "trackers", trackers)
    assert [(e.file_name, e.action) for e in result.entries] == [
        ("a.yaml", "write"),
        ("b.yaml", "write"),
    ]
    assert summary_line(result, tmp_path) == "Imported 2 trackers into trackers/."


def test_defined_trackers_are_skipped_and_listed(tmp_path: Path) -> None:
    home = (tmp_path / "mine.yaml").resolve()
    home.write_text("x")
    result = plan(
        tmp_path,
        [remote("Budget", "5000000000000001"), remote("Denial", "5000000000000002")],
        defined={"Budget": [home]},
        file_trackers={home: ["Budget"]},
    )
    assert [e.action for e in result.entries] == ["skip-defined", "write"]
    assert result.entries[0].detail == f"already defined in {home}"
    lines = report_lines(result, tmp_path)
    assert lines[0] == "skipped 'Budget', id 5000000000000001: already defined in mine.yaml"
    assert "(1 skipped: already defined)" in summary_line(result, tmp_path)


def test_existing_file_needs_overwrite(tmp_path: Path) -> None:
    (tmp_path / "budget.yaml").write_text("# hand-written notes\n")
    trackers = [remote("Budget", "5000000000000001")]
    assert plan(tmp_path, trackers).entries[0].action == "skip-exists"
    assert plan(tmp_path, trackers, overwrite=True).entries[0].action == "overwrite"


def test_overwrite_never_replaces_a_file_that_defines_other_trackers(tmp_path: Path) -> None:
    shared = (tmp_path / "pricing.yaml").resolve()
    shared.write_text("x")
    result = plan(
        tmp_path,
        [remote("pricing", "5000000000000001")],
        defined={"Pricing": [shared]},
        file_trackers={shared: ["Pricing"]},
        overwrite=True,
    )
    # The file of another tracker is a slug clash: the next free name is taken.
    assert [(e.file_name, e.action) for e in result.entries] == [("pricing-2.yaml", "write")]


def test_a_slug_file_defining_other_trackers_gives_the_next_free_name(tmp_path: Path) -> None:
    taken = (tmp_path / "sales-a.yaml").resolve()
    also_taken = (tmp_path / "sales-a-2.yaml").resolve()
    for path in (taken, also_taken):
        path.write_text("x")
    trackers = [remote("Sales A", "5000000000000001"), remote("Sales-A", "5000000000000002")]
    options = {
        "defined": {"Something Else": [taken], "Other": [also_taken]},
        "file_trackers": {taken: ["Something Else"], also_taken: ["Other"]},
    }
    for overwrite in (False, True):
        result = plan(tmp_path, trackers, overwrite=overwrite, **options)
        assert [(e.tracker.name, e.file_name, e.action) for e in result.entries] == [
            ("Sales A", "sales-a-3.yaml", "write"),
            ("Sales-A", "sales-a-4.yaml", "write"),
        ]


def test_a_tracker_keeps_the_suffixed_file_it_was_imported_into(tmp_path: Path) -> None:
    other = (tmp_path / "sales-a.yaml").resolve()
    own = (tmp_path / "sales-a-2.yaml").resolve()
    for path in (other, own):
        path.write_text("x")
    options = {
        "defined": {"Something Else": [other], "Sales A": [own]},
        "file_trackers": {other: ["Something Else"], own: ["Sales A"]},
    }
    trackers = [remote("Sales A", "5000000000000001")]
    again = plan(tmp_path, trackers, **options).entries[0]
    assert (again.file_name, again.action) == ("sales-a-2.yaml", "skip-defined")
    forced = plan(tmp_path, trackers, overwrite=True, **options).entries[0]
    assert (forced.file_name, forced.action) == ("sales-a-2.yaml", "overwrite")


def test_overwrite_refreshes_a_defined_tracker_only_in_its_own_file(tmp_path: Path) -> None:
    own = (tmp_path / "budget.yaml").resolve()
    elsewhere = (tmp_path / "all.yaml").resolve()
    for path in (own, elsewhere):
        path.write_text("x")
    trackers = [remote("Budget", "5000000000000001"), remote("Denial", "5000000000000002")]
    result = plan(
        tmp_path,
        trackers,
        defined={"Budget": [own], "Denial": [elsewhere]},
        file_trackers={own: ["Budget"], elsewhere: ["Denial", "Other"]},
        overwrite=True,
    )
    assert [e.action for e in result.entries] == ["overwrite", "skip-defined"]


def test_problems_and_repeated_names_are_recorded(tmp_path: Path) -> None:
    trackers = [
        remote("Approval", "5000000000000003", "okay, sounds good", "yes"),
        remote("Voice Message", "5000000000000002"),
        remote("Voice Message", "5000000000000001"),
    ]
    result = plan(tmp_path, trackers)
    approval, first, second = result.entries
    assert approval.problems == ("vocabulary[0] 'okay, sounds good' contains ','",)
    assert (first.file_name, first.same_name_ids) == ("voice-message.yaml", ("5000000000000002",))
    assert (second.file_name, second.same_name_ids) == (
        "voice-message-2.yaml",
        ("5000000000000001",),
    )
    assert approval.header("strict") == [
        "Imported from Symbl by `trackersync import` (remote id 5000000000000003).",
        "Remote data the rules (strict) refuse, imported as stored:",
        "  - vocabulary[0] 'okay, sounds good' contains ','",
    ]
    assert (
        "other remote trackers have the same name (ids 5000000000000002)"
        in first.header("strict")[1]
    )
    warnings = warning_lines(result, tmp_path)
    assert warnings[0] == (
        "approval.yaml: warning: vocabulary[0] 'okay, sounds good' contains ','"
        " (imported as stored)"
    )
    assert sum("2 remote trackers share this name" in w for w in warnings) == 2
    assert summary_line(result, tmp_path).endswith("3 files have warnings.")


def test_name_globs_select_without_changing_file_names(tmp_path: Path) -> None:
    trackers = [remote("Pricing", "5000000000000001"), remote("pricing", "5000000000000002")]
    result = plan(tmp_path, trackers, name_globs=["pri*", "Nothing*"])
    assert [(e.tracker.name, e.file_name) for e in result.entries] == [
        ("pricing", "pricing-2.yaml")
    ]
    assert result.unmatched_globs == ["Nothing*"]


def test_ignored_and_symbl_namespace_are_left_out(tmp_path: Path) -> None:
    trackers = [
        remote("Symbl.Courtesy", "5000000000000001"),
        remote("Test - 1", "5000000000000002"),
        remote("Budget", "5000000000000003"),
    ]
    result = plan(tmp_path, trackers, ignore_globs=["Test - *"])
    assert [e.tracker.name for e in result.entries] == ["Budget"]
    assert [t.name for t, _ in result.ignored] == ["Symbl.Courtesy", "Test - 1"]
    assert "(2 ignored)" in summary_line(result, tmp_path)


def test_hostile_names_stay_inside_the_folder(tmp_path: Path) -> None:
    names = ["../x", "a/b", "/etc/passwd", "..", "a\x00b", "🎉", "?!", "C:\\x"]
    trackers = [remote(n, f"50000000000000{i:02d}") for i, n in enumerate(names)]
    result = plan(tmp_path / "trackers", trackers)
    assert len({e.path for e in result.entries}) == len(names)
    for entry in result.entries:
        assert entry.path.parent == (tmp_path / "trackers").resolve()


def test_public_interface_is_pinned() -> None:
    import trackersync.importer as importer

    assert importer.__all__ == [
        "ImportEntry",
        "ImportResult",
        "assign_file_names",
        "plan_import",
        "safe_target",
        "slugify",
        "write_import",
    ]
