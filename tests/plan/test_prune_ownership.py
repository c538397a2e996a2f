"""Prune deletes only what the state record owns; with no record, nothing."""

from __future__ import annotations

import json
from pathlib import Path

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write

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
