"""``apply --tracker-ids-out FILE``: what ``ids`` prints, written by apply itself."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tests.helpers import invoke


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "a.yaml").write_text("name: Alpha\nvocabulary: [one, two]\n")
    (tmp_path / "trackers" / "b.yaml").write_text("name: Beta\nvocabulary: [three, four]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def ids_now() -> str:
    """What ``trackersync ids`` prints for the project now (read live)."""
    result = invoke(["--emulator", "ids"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_file_holds_what_ids_prints_after_changes_and_after_none(project: Path) -> None:
    out = project / "out" / "tracker ids é.json"  # a folder that does not exist yet
    applied = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", str(out)])
    assert applied.exit_code == 0, applied.output
    assert out.read_text(encoding="utf-8") == ids_now()
    assert len(json.loads(out.read_text(encoding="utf-8"))["trackers"]) == 2

    out.write_text("older", encoding="utf-8")
    again = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", str(out)])
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output
    assert out.read_text(encoding="utf-8") == ids_now()


def test_a_removed_unpruned_tracker_is_owned_but_not_listed(project: Path) -> None:
    assert invoke(["--emulator", "apply", "--auto-approve"]).exit_code == 0
    (project / "trackers" / "b.yaml").unlink()
    (project / "trackers" / "a.yaml").write_text("name: Alpha\nvocabulary: [one, two, five]\n")
    out = project / "ids.json"
    applied = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", str(out)])
    assert applied.exit_code == 0, applied.output
    written = json.loads(out.read_text(encoding="utf-8"))["trackers"]
    record = json.loads((project / ".trackersync" / "emulator.ids.json").read_text())
    assert set(record["names"]) == {"Alpha", "Beta"}  # still owned: prune is off
    assert [t["id"] for t in written] == [record["names"]["Alpha"]]
    assert out.read_text(encoding="utf-8") == ids_now()


def test_a_saved_plan_writes_it_too(project: Path) -> None:
    assert invoke(["--emulator", "plan", "--out", "plan.json"]).exit_code == 0
    out = project / "ids.json"
    applied = invoke(["--emulator", "apply", "plan.json", "--tracker-ids-out", str(out)])
    assert applied.exit_code == 0, applied.output
    assert out.read_text(encoding="utf-8") == ids_now()


def test_a_failed_apply_leaves_no_older_list(project: Path) -> None:
    out = project / "ids.json"
    out.write_text('{"trackers":[{"id":"1"}]}\n', encoding="utf-8")
    (project / "trackers" / "c.yaml").write_text("name: Gamma\nvocabulary: []\n")
    failed = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", str(out)])
    assert failed.exit_code == 1
    assert "c.yaml" in failed.stderr
    assert not out.exists()


@pytest.mark.parametrize("where", [
    "taken",  # a folder
    "",  # the current folder
    "plain.txt/ids.json",  # under a file
    "trackers.ids.json",  # the state record (the config's state_file)
    "trackers.ids.staging.json",  # an environment's state record
    "trackersync.yaml",  # the config
    "trackers/ids.json",  # in the tracker folder: read as a tracker file next time
    ".trackersync/ids.json",  # the embedded emulator's folder
])
def test_a_path_that_is_not_a_file_of_its_own_is_refused_before_anything_is_sent(
    project: Path, where: str
) -> None:
    (project / "taken").mkdir()
    (project / "plain.txt").write_text("x\n", encoding="utf-8")
    config = "environments:\n  staging: {credentials_prefix: STAGING_}\n"
    (project / "trackersync.yaml").write_text(config, encoding="utf-8")
    (project / "trackers.ids.json").write_text("{}", encoding="utf-8")
    refused = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", where])
    assert refused.exit_code != 0
    assert "nothing was sent" in refused.stderr or "Invalid value" in refused.stderr
    assert not (project / ".trackersync" / "emulator.ids.json").exists()  # nothing applied
    assert (project / "trackersync.yaml").read_text(encoding="utf-8") == config
    assert (project / "trackers.ids.json").read_text(encoding="utf-8") == "{}"


def test_the_saved_plan_being_applied_is_refused_and_kept(project: Path) -> None:
    assert invoke(["--emulator", "plan", "--out", "plan.json"]).exit_code == 0
    saved = (project / "plan.json").read_text(encoding="utf-8")
    refused = invoke(["--emulator", "apply", "plan.json", "--tracker-ids-out", "plan.json"])
    assert refused.exit_code == 1
    assert "is the saved plan being applied" in refused.stderr
    assert (project / "plan.json").read_text(encoding="utf-8") == saved


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX links and pipes")
def test_a_link_stays_a_link_and_a_pipe_is_written_into(project: Path) -> None:
    target = project / "elsewhere.json"
    target.write_text("older\n", encoding="utf-8")
    link = project / "link.json"
    link.symlink_to(target)
    applied = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", str(link)])
    assert applied.exit_code == 0, applied.output
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == ids_now()

    pipe = project / "pipe"
    os.mkfifo(pipe)
    read: list[str] = []
    reader = threading.Thread(target=lambda: read.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    again = invoke(["--emulator", "apply", "--auto-approve", "--tracker-ids-out", str(pipe)])
    reader.join(timeout=30)
    assert again.exit_code == 0, again.output
    assert stat.S_ISFIFO(pipe.lstat().st_mode)  # still the pipe, not a file in its place
    assert read == [ids_now()]
