"""Defects found by trials, each driven through the CLI against the emulator.

Stale-plan message order, merge-on-PUT status table and counts, ignore globs vs
defined trackers, rename onto a name a hand-made tracker holds, ``IDs written`` on a
no-change apply, one warning format, one "Interrupted." on Ctrl-C, project root found
upward from the current directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from symbl_emulator import EmulatorServer
from tests.plan.cli_support import FIVE
from tests.plan.cli_support import run as _run
from tests.plan.cli_support import write as _write
from trackersync.cli.common import AppContext


def _names(emulator: EmulatorServer) -> list[str]:
    return sorted(t["name"] for t in emulator.trackers())


def _writes(emulator: EmulatorServer) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in emulator.requests()
            if r["method"] != "GET" and not r["path"].startswith("/oauth2")]


def test_stale_plan_lists_what_moved_sorted_by_name(
    project: dict, emulator: EmulatorServer
) -> None:
    for n in (1, 2, 3):
        _write(f"t{n}.yaml", f"name: Tracker {n}\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000002", "name": "Tracker 2",
                    "vocabulary": ["p one", "p two", "p three", "p four", "old"]}])
    assert _run(project, "plan", "--out", "plan.json").exit_code == 0
    emulator.seed([{"id": "5000000000000003", "name": "Tracker 3", "vocabulary": ["x"]},
                   {"id": "5000000000000001", "name": "Tracker 1", "vocabulary": ["y"]}])
    requests.put(f"{emulator.url}/v1/manage/tracker/5000000000000002", timeout=10,
                 headers={"Authorization": f"Bearer {emulator.token()}"},
                 json={"name": "Tracker 2", "vocabulary": ["edited in the UI"]})
    result = _run(project, "apply", "plan.json")
    assert result.exit_code == 1
    moved = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
    assert moved == [
        "remote tracker 'Tracker 1' (id 5000000000000001) added",
        "remote tracker 'Tracker 2' (id 5000000000000002) changed",
        "remote tracker 'Tracker 3' (id 5000000000000003) added",
    ]


def test_merge_on_put_table_and_counts_say_what_happened_c14(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("t.yaml", "name: Merged\nvocabulary: [p one, p two, p three, p four, p new]\n")
    _write("u.yaml", f"name: Fresh\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000010", "name": "Merged",
                    "vocabulary": ["p one", "p two", "p three", "p four", "p old"]}])
    emulator.configure(put_mode="merge")
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 1
    assert "did not converge" in result.stderr
    head, rest = result.stderr.split("; status of each operation:\n")
    assert head.endswith("Apply finished, but did not converge")  # nothing stopped it
    table = rest.splitlines()
    assert table[0] == ('  not converged  update "Merged" (id 5000000000000010): '
                        "phrases still present: ['p old']")
    assert table[1] == '  done           create "Fresh"'
    assert ("Apply result: 1 created, 0 updated, 0 renamed, 0 deleted; 1 not converged."
            in result.stderr)


def test_defined_tracker_matching_an_ignore_glob_is_a_plan_error(
    project: dict, emulator: EmulatorServer
) -> None:
    Path("trackersync.yaml").write_text('ignore: ["Good*"]\n')
    _write("good.yaml", f"name: Goodness\nvocabulary: {FIVE}\n")
    _write("other.yaml", f"name: Other\nvocabulary: {FIVE}\n")
    for args in (["plan"], ["apply", "--auto-approve"]):
        result = _run(project, *args)
        assert result.exit_code == 1, result.stdout
        assert ("tracker 'Goodness' is defined in trackers/good.yaml but matches ignore "
                "glob 'Good*'; remove one") in result.stderr
    assert _names(emulator) == []
    assert emulator.requests() == []  # refused before any HTTP call


def test_rename_onto_a_name_a_hand_made_tracker_holds_is_refused(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("new.yaml", f"name: New\nrenamed_from: [Old]\nvocabulary: {FIVE}\n")
    emulator.seed([
        {"id": "5000000000000020", "name": "Old", "vocabulary": ["o1", "o2"]},
        {"id": "5000000000000021", "name": "New", "vocabulary": ["n1", "n2"]},
    ])
    for args in (["plan"], ["apply", "--auto-approve", "--prune"]):
        result = _run(project, *args)
        assert result.exit_code == 1, result.stdout
        assert ("cannot rename 'Old' to 'New': a tracker named 'New' already exists "
                "(id 5000000000000021); delete or rename one of them in Symbl first"
                ) in result.stderr
    assert _writes(emulator) == []
    assert _names(emulator) == ["New", "Old"]


def test_rename_already_applied_then_old_name_reused_by_hand_is_no_error(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("new.yaml", f"name: New\nrenamed_from: [Old]\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000020", "name": "Old", "vocabulary": ["o1", "o2"]}])
    assert _run(project, "apply", "--auto-approve").exit_code == 0
    emulator.seed([{"id": "5000000000000030", "name": "Old", "vocabulary": ["by hand"]}])
    result = _run(project, "apply", "--auto-approve", "--prune")
    assert result.exit_code == 0, result.stderr
    assert "No changes." in result.stdout
    assert _names(emulator) == ["New", "Old"]


def test_apply_with_no_changes_says_where_the_ids_went(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    assert _run(project, "apply", "--auto-approve").exit_code == 0
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 0
    ids_path = Path("trackers.ids.json").resolve()
    assert result.stdout == "No changes.\n"
    assert f"State record written to {ids_path}.\n" in result.stderr
    assert json.loads(ids_path.read_text())["names"] == {
        "Tracker 1": emulator.trackers()[0]["id"]}


def test_plan_warnings_use_the_validate_format(project: dict) -> None:
    _write("short.yaml", "name: Short\nvocabulary: [only one]\n")
    expected = 'trackers/short.yaml:1:7: warning: tracker "Short" has 1 phrase'
    text = _run(project, "plan")
    assert text.exit_code == 0
    assert any(line.startswith(expected) for line in text.stdout.splitlines()), text.stdout
    assert "Warning:" not in text.stdout
    for fmt in ("json", "markdown"):
        other = _run(project, "plan", "--format", fmt)
        assert other.exit_code == 0
        assert any(line.startswith(expected) for line in other.stderr.splitlines()), fmt
    _write("bad.yaml", "name: Bad\nvocabulary: [what?]\n")
    failed = _run(project, "plan")
    assert failed.exit_code == 1
    assert any(line.startswith(expected) for line in failed.stderr.splitlines())


def test_remote_warnings_have_no_location_but_the_same_shape(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000040", "name": "Dup", "vocabulary": ["a"]},
                   {"id": "5000000000000041", "name": "Dup", "vocabulary": ["b"]}])
    result = _run(project, "plan")
    assert "\nwarning: remote: 2 trackers share the name 'Dup'" in result.stdout


@pytest.mark.parametrize("where", ["plan", "confirm", "group"])
def test_ctrl_c_prints_interrupted_once_and_exits_130(
    project: dict, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "plan":
        monkeypatch.setattr("trackersync.sync.make_plan", interrupt)
        args = ["plan"]
    elif where == "confirm":  # click.confirm turns Ctrl-C into Abort
        monkeypatch.setattr("trackersync.cli.output._stdin_is_tty", lambda: True)
        monkeypatch.setattr("click.termui._readline_prompt", interrupt)
        args = ["apply"]
    else:  # before any command runs: click's own handler turns it into Abort
        monkeypatch.setattr(AppContext, "create", interrupt)
        args = ["plan"]
    result = _run(project, *args)
    assert result.exit_code == 130, (result.stdout, result.stderr)
    assert result.stderr.count("Interrupted.") == 1, result.stderr
    assert "Aborted" not in result.stderr


def test_end_of_input_at_the_prompt_is_aborted_not_interrupted(
    project: dict, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    monkeypatch.setattr("trackersync.cli.output._stdin_is_tty", lambda: True)
    result = _run(project, "apply")  # no input: EOF
    assert result.exit_code == 1
    assert result.stderr.count("Aborted.") == 1 and "Interrupted" not in result.stderr
    assert _names(emulator) == []


def test_interrupted_apply_says_interrupted_once(
    project: dict, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("trackersync.client.SymblClient.create_trackers", interrupt)
    result = _run(project, "apply", "--auto-approve")
    assert result.exit_code == 130, result.stderr
    assert "apply was interrupted" in result.stderr
    assert result.stderr.count("Interrupted.") == 1, result.stderr


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
