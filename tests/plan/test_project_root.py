"""The project root is found upward from the current folder, like git."""

from __future__ import annotations

from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from trackersync.cli.common import AppContext


def test_project_root_is_found_upward_like_git(
    project: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text("trackers_dir: defs\n")
    Path("defs").mkdir()
    Path("defs", "t.yaml").write_text(f"name: Tracker 1\nvocabulary: {FIVE}\n")
    monkeypatch.chdir(tmp_path / "defs")
    result = _run(project, "--emulator", "plan")
    assert result.exit_code == 0, result.stderr
    assert '+ create "Tracker 1"' in result.stdout
    assert (tmp_path / ".trackersync" / "emulator.db").is_file()
    assert not (tmp_path / "defs" / ".trackersync").exists()


def test_project_root_search_stops_at_git_and_config_flag_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "trackersync.yaml").write_text("{}\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "trackers").mkdir()
    monkeypatch.chdir(repo / "trackers")
    app = AppContext(config_path=None, use_emulator=False, verbose=0, color=False)
    assert app.project_root == repo / "trackers"  # stopped at .git: none found -> cwd
    (repo / "trackersync.yml").write_text("{}\n")
    assert app.project_root == repo
    other = tmp_path / "elsewhere" / "trackersync.yaml"
    flag = AppContext(config_path=other, use_emulator=False, verbose=0, color=False)
    assert flag.project_root == tmp_path / "elsewhere"
