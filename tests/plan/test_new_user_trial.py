"""Defects found by a new-user trial, each driven through the CLI against the emulator.

File paths masked as tokens, whitespace-only phrase differences shown once a tracker
changes, ``protect: true`` blocking its own ``renamed_from``, prune without an
ownership record, lenient plans an account on strict rules refuses, imported files
created 0600.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer
from tests.plan.cli_support import FIVE
from tests.plan.cli_support import run as _run
from tests.plan.cli_support import write as _write
from trackersync.definitions.rules import strict_refusals
from trackersync.diff import phrase_diff
from trackersync.model import Problem, SourceRef
from trackersync.render.markdown import escape_text, escape_warning
from trackersync.render.text import warning_line
from trackersync.secrets import MASK

GUID = "3f2b8c1e-9a4d-4c1e-8f2b-1234567890ab"
TOKEN = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"


# --- 1. a file named after a GUID-suffixed tracker is not a token --------------------


def test_plan_warnings_name_a_guid_slug_file_and_still_mask_tokens(project: dict) -> None:
    path = f"trackers/test-tracker-{GUID}.yaml"
    Path(path).write_text(f"name: Test Tracker {GUID}\nvocabulary: [hello, hi]\n")
    Path("trackersync.yaml").write_text("rules: lenient\n")
    _write("pasted.yaml", f"name: Pasted\nvocabulary: [{TOKEN}, {FIVE[1:-1]}]\n")
    text = _run(project, "plan")
    assert text.exit_code == 0, text.output
    assert f'{path}:1:7: warning: tracker "Test Tracker {GUID}" has 2 phrases' in text.stdout
    assert MASK in text.stdout and TOKEN not in text.output  # the pasted phrase is masked
    markdown = _run(project, "plan", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert f'test-tracker-{GUID}.yaml:1:7: tracker "Test Tracker {GUID}" has' in markdown.stdout
    assert f"Defined in trackers/test-tracker-{GUID}.yaml:1:7" in markdown.stdout
    assert f"{path}:1:7: warning:" in markdown.stderr  # warnings also go to stderr
    assert TOKEN not in markdown.output


def test_a_warning_shows_its_path_and_masks_its_message() -> None:
    where = SourceRef(file=f"trackers/test-tracker-{GUID}.yaml", line=3, column=5)
    warning = Problem(severity="warning", message=f"phrase {TOKEN} looks odd", source=where)
    assert warning_line(warning) == (
        f"trackers/test-tracker-{GUID}.yaml:3:5: warning: phrase {MASK} looks odd")
    assert escape_warning(warning) == (
        f"trackers/test-tracker-{GUID}.yaml:3:5: phrase {escape_text(MASK)} looks odd")
    # no location: a name quoting "x:1:2: " is never taken for one, the whole text is masked
    quoted = Problem(severity="warning", message=f"tracker '{TOKEN}:1:2: x' is odd")
    assert warning_line(quoted) == f"warning: tracker '{MASK}:1:2: x' is odd"
    assert TOKEN not in escape_warning(quoted)


# --- 2. whitespace-only differences are no added/removed phrases ----------------------


def test_phrase_diff_compares_whitespace_normalised() -> None:
    added, removed = phrase_diff(["hello there  ", "  good morning", "hi"],
                                 ["hello there", "good morning", "hi", "hey"])
    assert (added, removed) == (["hey"], [])
    assert phrase_diff(["  gone  ", "kept"], ["kept"]) == ([], ["gone"])


def test_update_with_remote_whitespace_shows_only_real_changes_and_converges(
    project: dict, emulator: EmulatorServer
) -> None:
    emulator.seed([{"id": "5000000000000201", "name": "Greetings",
                    "vocabulary": ["hello there  ", "  good morning", "hi"]}])
    _write("g.yaml", "name: Greetings\nvocabulary: [hello there, good morning, hi, hey]\n")
    markdown = _run(project, "plan", "--format", "markdown")
    assert "(+1 / -0)" in markdown.stdout, markdown.stdout
    text = _run(project, "plan", "--out", "plan.json")
    changes = [line for line in text.stdout.splitlines() if line.startswith("    ")]
    assert changes == ["    + hey"]
    applied = _run(project, "apply", "plan.json")
    assert applied.exit_code == 0, applied.output
    assert "not converged" not in applied.output
    (tracker,) = emulator.trackers()
    assert sorted(tracker["vocabulary"]) == ["good morning", "hello there", "hey", "hi"]
    assert _run(project, "plan").stdout.endswith("No changes.\n")


# --- 3. protect: true added together with renamed_from --------------------------------


def test_protect_added_with_renamed_from_renames_and_protects_the_new_name(
    project: dict, emulator: EmulatorServer
) -> None:
    emulator.seed([{"id": "5000000000000301", "name": "Cancel",
                    "vocabulary": ["p one", "p two", "p three", "p four", "p five"]}])
    _write("c.yaml", f"name: Cancellation\nrenamed_from: [Cancel]\nprotect: true\n"
                     f"vocabulary: {FIVE}\n")
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "protected" not in result.output
    assert [t["name"] for t in emulator.trackers()] == ["Cancellation"]
    assert json.loads(Path("trackers.ids.json").read_text())["protected"] == ["Cancellation"]
    # now protected under its new name: renaming it away needs the flag
    _write("c.yaml", f"name: Cancellations\nrenamed_from: [Cancellation]\n"
                     f"vocabulary: {FIVE}\n")
    again = _run(project, "plan")
    assert again.exit_code == 1
    assert "tracker 'Cancellation' is protected and would be renamed" in again.output


# --- 4. prune without an ownership record ---------------------------------------------


ENV_CONFIG = "environments:\n  prod:\n    credentials_prefix: SYMBL_PROD_\n"


def _prod(project: dict) -> dict:
    return {**project, "SYMBL_PROD_API_URL": project["SYMBL_API_URL"],
            "SYMBL_PROD_APP_ID": project["SYMBL_APP_ID"],
            "SYMBL_PROD_APP_SECRET": project["SYMBL_APP_SECRET"]}


def test_prune_without_the_envs_ids_file_warns_and_names_the_default_file(
    project: dict, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text(ENV_CONFIG)
    _write("a.yaml", f"name: Mine\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000401", "name": "Hand Made", "vocabulary": ["x"]}])
    Path("trackers.ids.json").write_text('{"trackers": [], "names": {}, "protected": []}\n')
    result = _run(_prod(project), "plan", "--env", "prod", "--prune")
    assert result.exit_code == 0, result.output
    assert "- delete" not in result.stdout  # no record: nothing is owned, nothing deleted
    assert 'Unmanaged (no file defines them; left alone): "Hand Made"' in result.stdout
    assert (
        "warning: no state record at trackers.ids.prod.json: prune deletes nothing until an "
        "apply records what this repository owns (a tracker made by hand is never taken as "
        "owned); found trackers.ids.json for the default account"
    ) in result.stdout
    without_prune = _run(_prod(project), "plan", "--env", "prod")
    assert "no state record" not in without_prune.output


def test_prune_for_the_default_account_names_an_envs_ids_file(
    project: dict, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text(ENV_CONFIG)
    _write("a.yaml", f"name: Mine\nvocabulary: {FIVE}\n")
    Path("trackers.ids.prod.json").write_text('{"trackers": [], "names": {}}\n')
    result = _run(project, "plan", "--prune", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [w["message"] for w in json.loads(result.stdout)["warnings"]] == [
        "no state record at trackers.ids.json: prune deletes nothing until an apply records "
        "what this repository owns (a tracker made by hand is never taken as owned); found "
        "trackers.ids.prod.json for environment 'prod'"
    ]
    assert _run(project, "apply", "--auto-approve").exit_code == 0
    recorded = _run(project, "plan", "--prune")
    assert "no state record" not in recorded.output


# --- 5. rules: lenient vs an account that enforces the strict rules -------------------


def test_strict_refusals_reuses_the_strict_character_rule() -> None:
    assert strict_refusals("what is the price?") == ["?"]
    assert strict_refusals("yes, sir! ok?") == [",", "!", "?"]
    assert strict_refusals("snake_case") == ["_"]
    assert strict_refusals("don’t stop - it's café 2.0") == []


def test_lenient_plan_warns_about_what_a_strict_account_refuses(
    project: dict, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text("rules: lenient\n")
    emulator.seed([{"id": "5000000000000501", "name": "Old",
                    "vocabulary": ["price, please", "q two", "q three", "q four"]}])
    _write("old.yaml", "name: Old\nvocabulary: [price, please, q two, q three, q four]\n")
    _write("new.yaml", "name: New\nvocabulary:\n  - what is the price?\n  - wow!\n"
                       "  - a?\n  - b?\n  - c?\n  - fine\n")
    _write("ok.yaml", f"name: Fine\nvocabulary: {FIVE}\n")
    result = _run(project, "plan")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stdout.splitlines() if "strict rules" in line]
    assert warnings == [
        "warning: tracker 'New': phrase 'what is the price?' has '?', phrase 'wow!' has "
        "'!', phrase 'a?' has '?' (and 2 more phrases), which Symbl's strict rules refuse; "
        "an account that enforces them will refuse this create",
    ]
    _write("old.yaml", "name: Old\nvocabulary: ['price, please', q two, q three, q six]\n")
    result = _run(project, "plan")
    assert ("warning: tracker 'Old': phrase 'price, please' has ',', which Symbl's strict "
            "rules refuse; an account that enforces them will refuse this update"
            ) in result.stdout
    # the emulator enforces the strict rules: the warned-about requests are refused
    applied = _run(project, "apply", "--auto-approve")
    assert applied.exit_code == 1
    assert "400" in applied.output


def test_strict_plans_have_no_strict_rule_warnings(project: dict) -> None:
    _write("ok.yaml", f"name: Fine\nvocabulary: {FIVE}\n")
    result = _run(project, "plan")
    assert "strict rules" not in result.output


# --- 6. imported files get ordinary permissions ----------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("umask_022")
def test_imported_files_get_the_mode_any_new_file_gets(
    project: dict, emulator: EmulatorServer
) -> None:
    emulator.seed([{"id": "5000000000000601", "name": "Budget", "vocabulary": ["my budget"]}])
    result = _run(project, "import")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(Path("trackers/budget.yaml").stat().st_mode) == 0o644
    os.chmod("trackers/budget.yaml", 0o664)  # --overwrite keeps the file's own mode
    assert _run(project, "import", "--overwrite").exit_code == 0
    assert stat.S_IMODE(Path("trackers/budget.yaml").stat().st_mode) == 0o664
    os.umask(0o077)
    emulator.seed([{"id": "5000000000000602", "name": "Denial", "vocabulary": ["no way"]}])
    assert _run(project, "import").exit_code == 0
    assert stat.S_IMODE(Path("trackers/denial.yaml").stat().st_mode) == 0o600
