"""``ids`` never prints an incomplete ID list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackersync.cli import main


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "a.yaml").write_text("name: Applied\nvocabulary: [one, two]\n")
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["--emulator", "apply", "--auto-approve"]).exit_code == 0
    (tmp_path / "trackers" / "b.yaml").write_text("name: Not Yet\nvocabulary: [three, four]\n")
    return tmp_path


def test_a_defined_tracker_missing_from_the_account_fails_with_no_output(project: Path) -> None:
    result = CliRunner().invoke(main, ["--emulator", "ids"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "'Not Yet' is not in the account yet" in result.stderr


def test_name_filter_and_unknown_names(project: Path) -> None:
    chosen = CliRunner().invoke(main, ["--emulator", "ids", "--name", "Applied"])
    assert chosen.exit_code == 0, chosen.output
    assert len(json.loads(chosen.stdout)["trackers"]) == 1
    unknown = CliRunner().invoke(main, ["--emulator", "ids", "--name", "Nope"])
    assert unknown.exit_code == 1
    assert "no tracker file defines 'Nope'" in unknown.stderr
