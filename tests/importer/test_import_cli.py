"""`trackersync import` options and refusals: --overwrite, --name, strict rules, --env,
--emulator, repositories that already define trackers, and API failures."""

from __future__ import annotations

import pytest
import requests
from helpers import Project, first_of_each_name, real_trackers

from symbl_emulator import start_emulator

BUDGET = {"name": "Budget", "vocabulary": ["my budget", "funding", "funds"]}
DENIAL = {"name": "Denial", "vocabulary": ["No", "Not necessary", "don't agree"]}


def test_existing_files_are_never_overwritten_without_the_flag(project: Project) -> None:
    project.seed([BUDGET, DENIAL])
    project.trackers.mkdir()
    (project.trackers / "budget.yaml").write_text("# my notes, not a tracker yet\n")
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert (project.trackers / "budget.yaml").read_text() == "# my notes, not a tracker yet\n"
    assert "skipped 'Budget', id " in result.stdout
    assert "trackers/budget.yaml exists (use --overwrite to replace it)" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "Imported 1 tracker into trackers/ (1 skipped: file exists, use --overwrite)."
    )
    forced = project.run("import", "--overwrite")
    assert forced.exit_code == 0, forced.output
    assert "overwrote trackers/budget.yaml" in forced.stdout
    assert "name: Budget" in (project.trackers / "budget.yaml").read_text()


def test_trackers_defined_by_hand_are_skipped_and_listed(project: Project) -> None:
    project.seed([BUDGET, DENIAL])
    project.trackers.mkdir()
    mine = "name: Budget\nvocabulary: [my budget, funding, funds]\n"
    (project.trackers / "money.yaml").write_text(mine)
    result = project.run("import", "--overwrite")
    assert result.exit_code == 0, result.output
    assert "already defined in trackers/money.yaml" in result.stdout
    assert sorted(project.files()) == ["denial.yaml", "money.yaml"]
    assert (project.trackers / "money.yaml").read_text() == mine  # even with --overwrite
    plan = project.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output


def test_a_slug_file_defining_another_tracker_is_a_clash_not_a_skip(project: Project) -> None:
    project.seed([{"name": "Sales A", "vocabulary": ["sales pitch", "quota"]}])
    project.trackers.mkdir()
    mine = "name: Something Else\nvocabulary: [other thing, more things]\n"
    (project.trackers / "sales-a.yaml").write_text(mine)
    for args in (("import",), ("import", "--overwrite")):
        (project.trackers / "sales-a-2.yaml").unlink(missing_ok=True)
        result = project.run(*args)
        assert result.exit_code == 0, result.output
        assert "wrote trackers/sales-a-2.yaml" in result.stdout
        assert (project.trackers / "sales-a.yaml").read_text() == mine
        assert "name: Sales A" in (project.trackers / "sales-a-2.yaml").read_text()
    before = project.files()
    again = project.run("import")
    assert again.exit_code == 0, again.output
    assert "skipped 'Sales A'" in again.stdout
    assert "already defined in trackers/sales-a-2.yaml" in again.stdout
    refreshed = project.run("import", "--overwrite")
    assert refreshed.exit_code == 0, refreshed.output
    assert "overwrote trackers/sales-a-2.yaml" in refreshed.stdout
    assert project.files() == before  # same files, same bytes: no sales-a-3.yaml
    plan = project.run("plan")
    assert plan.exit_code == 0, plan.output
    assert "Plan: 1 to create, 0 to update, 0 to rename, 0 to delete." in plan.stdout
    assert '+ create "Something Else"' in plan.stdout and 'create "Sales A"' not in plan.stdout


def test_name_globs_select_trackers(project: Project) -> None:
    project.seed([BUDGET, DENIAL, {"name": "Budgeting", "vocabulary": ["plan spend"]}])
    result = project.run("import", "--name", "Budget*", "--name", "Nothing*")
    assert result.exit_code == 0, result.output
    assert sorted(project.files()) == ["budget.yaml", "budgeting.yaml"]
    assert "--name 'Nothing*' matched no remote tracker" in result.stderr


def test_data_the_strict_rules_refuse_is_accepted_until_edited(project: Project) -> None:
    project.configure("rules: strict\n")
    items = first_of_each_name(real_trackers())
    project.seed(items)
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert not (project.root / "trackersync.yaml").read_text().startswith("#")  # kept
    approval_file = project.trackers / "approval.yaml"
    approval = approval_file.read_text(encoding="utf-8")
    assert approval.startswith("# yaml-language-server: $schema=../schema/tracker.schema.json\n"
                               "# Imported from Symbl by `trackersync import` (remote id ")
    assert "# Accepted as imported (see accepted_as_imported), kept as stored\n" in approval
    assert "[phrase-charset]" in approval and "  - okay, sounds good\n" in approval
    assert "\naccepted_as_imported: " in approval
    assert (
        "trackers/approval.yaml: warning: tracker \"Approval\": phrase 3 contains ','"
        in result.stderr
    )
    assert "(accepted as imported)" in result.stderr
    assert 'trackers/tracker-name.yaml: warning: tracker "tracker_name"' in result.stderr
    # Approval, deseos, dificil, dinero (commas), tracker_name (underscores).
    assert result.stdout.splitlines()[-1].endswith(
        " 5 files have warnings. 5 trackers accepted as imported (kept as stored until edited).")
    # Unchanged, the accepted trackers plan empty under strict rules ...
    plan = project.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output
    assert "phrase-charset" not in plan.output and "contains ','" not in plan.output
    # ... but once edited, the rules apply again: an update sends every phrase.
    approval_file.write_text(approval.replace("  - okay, sounds good\n",
                                              "  - okay, sounds good\n  - fine by me\n"))
    plan = project.run("plan")
    assert plan.exit_code == 1
    assert "trackers/approval.yaml:" in plan.stderr
    assert "error: tracker \"Approval\": phrase 3 contains ','" in plan.stderr
    assert "was accepted as imported, but its name or phrases changed since" in plan.stderr


def test_symbl_namespace_and_ignored_names_are_not_imported(project: Project) -> None:
    project.configure("rules: lenient\nignore: ['Test *']\n")
    project.seed([BUDGET, {"name": "Symbl.Courtesy", "vocabulary": ["thanks for waiting"]},
                  {"name": "Test 1", "vocabulary": ["leftover"]}])  # fmt: skip
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert sorted(project.files()) == ["budget.yaml"]
    assert "ignored 'Symbl.Courtesy'" in result.stdout and "ignored 'Test 1'" in result.stdout
    assert "(2 ignored)" in result.stdout


def test_dir_option_writes_elsewhere(project: Project) -> None:
    project.seed([BUDGET])
    result = project.run("import", "--dir", "adopted")
    assert result.exit_code == 0, result.output
    assert (project.root / "adopted" / "budget.yaml").is_file()
    assert "Imported 1 tracker into adopted/." in result.stdout
    again = project.run("import", "--dir", "adopted")
    assert "already defined in adopted/budget.yaml" in again.stdout


def test_a_failed_listing_writes_nothing_and_exits_1(project: Project) -> None:
    project.seed([BUDGET])
    fault = {"method": "GET", "path": "/v1/manage/trackers", "status": 400, "times": 1}
    requests.post(f"{project.server.url}/_emulator/faults", json=[fault], timeout=10)
    result = project.run("import")
    assert result.exit_code == 1, result.output
    assert "Error:" in result.stderr
    assert not project.trackers.exists()


def test_env_selects_the_account(project: Project) -> None:
    with start_emulator(rules="lenient") as staging:
        project.configure(
            "rules: lenient\nenvironments:\n  staging:\n"
            f"    api_url: {staging.url}\n    credentials_prefix: SYMBL_STAGING_\n"
        )
        project.seed([BUDGET])
        requests.post(f"{staging.url}/_emulator/seed", json=[DENIAL], timeout=10)
        env = {
            "SYMBL_API_URL": None,
            "SYMBL_STAGING_APP_ID": staging.app_id,
            "SYMBL_STAGING_APP_SECRET": staging.app_secret,
        }
        result = project.run("import", "--env", "staging", env=env)
        assert result.exit_code == 0, result.output
        assert sorted(project.files()) == ["denial.yaml"]
        plan = project.run("plan", "--env", "staging", env=env)
        assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output
        unknown = project.run("import", "--env", "prod", env=env)
        assert unknown.exit_code == 1 and "unknown environment 'prod'" in unknown.stderr


def test_embedded_emulator_round_trip(project: Project) -> None:
    db = project.root / ".trackersync" / "emulator.db"
    db.parent.mkdir()
    with start_emulator(db_path=db, rules="lenient") as server:
        requests.post(f"{server.url}/_emulator/seed", json=[BUDGET, DENIAL], timeout=10)
    result = project.run("--emulator", "import")
    assert result.exit_code == 0, result.output
    assert sorted(project.files()) == ["budget.yaml", "denial.yaml"]
    plan = project.run("--emulator", "plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output


def test_unreadable_files_are_kept_and_reported(project: Project) -> None:
    project.seed([BUDGET, DENIAL])
    project.trackers.mkdir()
    broken = "name: Budget\nvocabulary: [my budget, funding\n"
    (project.trackers / "budget.yaml").write_text(broken)
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert (project.trackers / "budget.yaml").read_text() == broken
    assert "warning: trackers/budget.yaml could not be read (run `trackersync validate`)" in (
        result.stderr
    )
    assert sorted(project.files()) == ["budget.yaml", "denial.yaml"]


def test_names_in_other_scripts_get_file_names_that_say_which_tracker(project: Project) -> None:
    project.seed([{"name": "Ελληνικά", "vocabulary": ["γεια σου", "καλημέρα"]},
                  {"name": "Привет мир", "vocabulary": ["привет", "пока"]}])
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert sorted(project.files()) == ["ellinika.yaml", "privet-mir.yaml"]
    assert "name: Ελληνικά" in (project.trackers / "ellinika.yaml").read_text(encoding="utf-8")
    plan = project.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output


def test_a_first_import_into_a_subfolder_of_trackers_keeps_the_whole_folder(
    project: Project,
) -> None:
    project.seed([BUDGET, {"name": "Sales One", "vocabulary": ["quota", "pipeline"]}])
    (project.root / "trackersync.yaml").unlink()  # a new repository: import writes it
    first = project.run("import", "--name", "Sales*", "--dir", "trackers/sales")
    assert first.exit_code == 0, first.output
    assert "trackers_dir" not in (project.root / "trackersync.yaml").read_text()
    second = project.run("import", "--dir", "trackers/money")
    assert second.exit_code == 0, second.output
    assert "outside trackers_dir" not in second.output
    plan = project.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output
    assert "Unmanaged" not in plan.stdout


def test_import_warns_when_dir_is_outside_trackers_dir(project: Project) -> None:
    project.seed([BUDGET, {"name": "Sales One", "vocabulary": ["quota", "pipeline"]}])
    project.configure("rules: lenient\ntrackers_dir: trackers/sales\n")
    assert project.run("import", "--name", "Sales*").exit_code == 0
    result = project.run("import", "--dir", "trackers/money")
    assert result.exit_code == 0, result.output
    assert ("warning: trackers/money/ is outside trackers_dir (trackers/sales/): plan, apply "
            "and validate do not read the files written there") in result.output
    assert 'Unmanaged (no file defines them; left alone): "Budget"' in project.run("plan").stdout


def test_a_first_import_outside_the_project_is_warned_about(project: Project) -> None:
    project.seed([BUDGET])
    (project.root / "trackersync.yaml").unlink()
    result = project.run("import", "--dir", "../elsewhere")
    assert result.exit_code == 0, result.output
    assert "warning: ../elsewhere/ is outside trackers_dir (trackers/)" in result.output


def test_a_failed_write_keeps_the_files_written_and_a_rerun_converges(
    project: Project, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno
    import os

    project.seed([BUDGET, DENIAL, {"name": "Extra", "vocabulary": ["one more"]}])
    replace = os.replace

    def full_disk(src: str, dst: str | os.PathLike[str]) -> None:
        if str(dst).endswith("denial.yaml"):
            raise OSError(errno.ENOSPC, "No space left on device")
        replace(src, dst)

    monkeypatch.setattr(os, "replace", full_disk)
    failed = project.run("import")
    assert failed.exit_code == 1, failed.output
    assert "cannot write into" in failed.output and "No space left on device" in failed.output
    assert sorted(project.files()) == ["budget.yaml"]  # whole files only, no temporary file
    monkeypatch.setattr(os, "replace", replace)
    again = project.run("import")
    assert again.exit_code == 0, again.output
    assert sorted(project.files()) == ["budget.yaml", "denial.yaml", "extra.yaml"]
    assert "already defined in trackers/budget.yaml" in again.stdout
    plan = project.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output
