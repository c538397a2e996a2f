"""The state record is never trusted blindly, and a doubtful one never widens prune."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from symbl_emulator import EmulatorServer
from trackersync import sync
from trackersync.cli import main
from trackersync.errors import PlanError
from trackersync.model import RemoteTracker
from trackersync.state import (
    Account,
    StateRecord,
    StateRecordError,
    read_state,
    record_after_apply,
    render_state,
    write_state,
)

from .helpers import FIVE, Recorder, project, write_tracker

CASE = Path(__file__).parent.parent / "cases" / "state" / "conflicted-state-record"
LISTING = [RemoteTracker(id="1", name="A", vocabulary=("a",)),
           RemoteTracker(id="2", name="B", vocabulary=("b",))]
ACCOUNT = Account(api_url="https://api.symbl.ai", env=None)


def _good(path: Path) -> str:
    record = record_after_apply(LISTING, {"A": "1", "B": "2"}, {"A"}, ACCOUNT)
    write_state(path, record)
    return path.read_text()


def test_round_trip_is_stable_and_sorted(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    text = _good(path)
    record = read_state(path, ACCOUNT)
    assert record is not None and record.doubtful is None
    assert record.names == {"A": "1", "B": "2"} and record.protected_ids == {"1"}
    assert render_state(record) == text
    assert json.loads(text)["trackers"] == [{"id": "1"}, {"id": "2"}]
    assert read_state(tmp_path / "missing.json") is None


def test_a_file_without_snapshots_is_read_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    path.write_text(json.dumps({"trackers": [{"id": "1"}], "names": {"A": "1"},
                                "protected": ["A"]}))
    record = read_state(path, ACCOUNT)
    assert record == StateRecord(names={"A": "1"}, protected=frozenset({"A"}))


BROKEN = {
    "not-utf8": (b'{"names": {"A": "\xff"}}', "is not UTF-8 text"),
    "bom": (b'\xef\xbb\xbf{"names": {}}', "byte-order mark"),
    "truncated": (b'{"format_version": 2, "names": {"A": "1"', "is not valid JSON"),
    "empty": (b"", "is empty"),
    "list": (b"[]", "is not a JSON object"),
    "no-names": (b'{"trackers": []}', "has no 'names' mapping"),
    "future": (b'{"format_version": 9, "names": {}}', "format_version 9"),
    "two-names-one-id": (b'{"names": {"A": "1", "B": "1"}}', "two names for one tracker id 1"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_bytes_give_one_clear_error_naming_the_file(tmp_path: Path, case: str) -> None:
    data, expected = BROKEN[case]
    path = tmp_path / "trackers.ids.json"
    path.write_bytes(data)
    with pytest.raises(StateRecordError) as info:
        read_state(path, ACCOUNT)
    message = str(info.value)
    assert str(path) in message and expected in message
    assert "restore it from git" in message and "delete" not in message


def test_a_state_file_setting_that_names_a_folder_says_to_fix_the_setting(
    tmp_path: Path,
) -> None:
    path = tmp_path / "records"
    path.mkdir()
    with pytest.raises(StateRecordError) as info:
        read_state(path, ACCOUNT)
    message = str(info.value)
    assert "is a folder" in message and "trackersync.yaml" in message
    assert "restore" not in message and "delete" not in message


def test_conflict_markers_are_named_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    text = _good(path)
    path.write_text(f"<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> branch\n")
    with pytest.raises(StateRecordError, match=r"trackers.ids.json:1: the state record holds "
                                               r"git conflict markers \(<<<<<<<\)"):
        read_state(path, ACCOUNT)


def test_another_accounts_record_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    _good(path)
    with pytest.raises(StateRecordError, match=r"belongs to https://api.symbl.ai \(env "
                                               r"default\), not emulator \(env prod\)"):
        read_state(path, Account(api_url="emulator", env="prod"))
    data = json.loads(path.read_text())
    del data["account"]  # what the message advises when the URL changed on purpose
    path.write_text(json.dumps(data))
    record = read_state(path, Account(api_url="emulator", env="prod"))
    assert record is not None and record.doubtful is not None  # prune stays off


def test_a_name_pointed_at_another_trackers_id_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    data = json.loads(_good(path))
    data["names"]["A"] = "2"
    data["names"]["B"] = "1"
    path.write_text(json.dumps(data))
    with pytest.raises(StateRecordError, match="maps 'A' to id 2 but its snapshot to id 1"):
        read_state(path, ACCOUNT)
    data = json.loads(_good(path))
    data["names"]["A"] = "9"
    del data["snapshots"]["A"]
    path.write_text(json.dumps(data))
    record = read_state(path, ACCOUNT)
    assert record is not None and record.doubtful is not None
    assert "edited after trackersync wrote it" in record.doubtful


def test_sixteen_concurrent_writes_never_collide(tmp_path: Path) -> None:
    path = tmp_path / "trackers.ids.json"
    errors: list[BaseException] = []

    def write(i: int) -> None:
        try:
            listing = [RemoteTracker(id=str(i), name=f"T{i}", vocabulary=("x",))]
            write_state(path, record_after_apply(listing, {f"T{i}": str(i)}, (), ACCOUNT))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    record = read_state(path, ACCOUNT)
    assert record is not None and len(record.names) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["trackers.ids.json"]  # no temp file left


def test_conflicted_record_case_never_leads_to_a_delete(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(CASE, tmp_path, dirs_exist_ok=True)
    ws = project(tmp_path, emulator, monkeypatch, (CASE / "trackersync.yaml").read_text())
    emulator.seed(json.loads((CASE / "seed.json").read_text()))
    sync.apply(ws, sync.Request(), Recorder().hooks())
    record_path = tmp_path / "trackers.ids.json"
    text = record_path.read_text()
    record_path.write_text(f"<<<<<<< HEAD\n{text}=======\n{text}>>>>>>> theirs\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["plan"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "holds git conflict markers" in result.stderr
    assert "restore it from git" in result.stderr and "delete it" not in result.stderr
    assert "Traceback" not in result.output

    record_path.unlink()  # what the old advice said: prune must still not widen
    plan = sync.plan(ws, sync.Request(), Recorder().hooks())
    assert plan.by_action("delete") == []
    assert "Sales Playbook Notes" in plan.unmanaged


def test_a_hand_edited_record_makes_prune_refuse(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch)
    write_tracker(tmp_path, "Mine", FIVE)
    emulator.seed([{"id": "5000000000000700", "name": "Hand Made", "vocabulary": ["x"]}])
    sync.apply(ws, sync.Request(), Recorder().hooks())
    path = tmp_path / "trackers.ids.json"
    data = json.loads(path.read_text())
    data["names"]["Hand Made"] = "5000000000000700"
    path.write_text(json.dumps(data))
    with pytest.raises(PlanError, match="refusing to prune: the state record .* was edited"):
        sync.plan(ws, sync.Request(prune=True), Recorder().hooks())
    assert not sync.plan(ws, sync.Request(), Recorder().hooks()).has_changes
    sync.apply(ws, sync.Request(), Recorder().hooks())  # rewrites it from the account
    assert "Hand Made" not in json.loads(path.read_text())["names"]


def test_a_failed_state_write_still_reports_what_was_done(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch)
    write_tracker(tmp_path, "Mine", FIVE)

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("trackersync.state.atomic_write", refuse)
    recorder = Recorder()
    with pytest.raises(StateRecordError, match="cannot write the state record: No space"):
        sync.apply(ws, sync.Request(), recorder.hooks())
    assert recorder.notices == ["Apply complete: 1 created, 0 updated, 0 renamed, 0 deleted; "
                                "verified."]
    assert [t["name"] for t in emulator.trackers()] == ["Mine"]


def test_plan_warns_when_the_state_record_was_edited_by_hand(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch)
    write_tracker(tmp_path, "Alpha", FIVE)
    sync.apply(ws, sync.Request(), Recorder().hooks())
    path = tmp_path / "trackers.ids.json"
    data = json.loads(path.read_text())
    data["protected"] = ["Alpha"]
    path.write_text(json.dumps(data))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["plan"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "warning: the state record" in result.stdout
    assert "edited after trackersync wrote it" in result.stdout
    assert "prune refuses to run on it until an apply without --prune" in result.stdout
    markdown = CliRunner().invoke(main, ["plan", "--format", "markdown"])
    assert "edited after trackersync wrote it" in markdown.stdout
