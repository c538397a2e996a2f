"""rules: lenient against an account that enforces the strict rules."""

from __future__ import annotations

from pathlib import Path

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write
from trackersync.definitions.rules import strict_refusals


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
