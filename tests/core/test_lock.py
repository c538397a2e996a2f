"""Two applies in one checkout: one waits or stops clearly; a killed holder frees the lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer
from trackersync import sync
from trackersync.lock import LockedError, apply_lock
from trackersync.state import read_state

from .helpers import FIVE, Recorder, project, write_tracker

HOLD = """
import sys, time
from pathlib import Path
from trackersync.lock import apply_lock
with apply_lock(Path(sys.argv[1]), timeout=0):
    print("held", flush=True)
    time.sleep(60)
"""


def _hold(root: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(root)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


@pytest.mark.slow
def test_sixteen_applies_at_once_serialise_and_all_tell_the_truth(
    tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = project(tmp_path, emulator, monkeypatch)
    for i in range(3):
        write_tracker(tmp_path, f"Tracker {i}", FIVE)
    outcomes: list[sync.ApplyOutcome] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcomes.append(sync.apply(ws, sync.Request(), Recorder().hooks()))
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    made = [o for o in outcomes if o.report is not None]
    assert len(made) == 1 and made[0].report is not None and made[0].report.ok
    assert all(not o.plan.has_changes for o in outcomes if o.report is None)
    names = sorted(t["name"] for t in emulator.trackers())
    assert names == ["Tracker 0", "Tracker 1", "Tracker 2"]  # no duplicate, none lost
    record = read_state(tmp_path / "trackers.ids.json")
    assert record is not None and sorted(record.names) == names


def test_a_busy_lock_stops_the_second_apply_with_a_clear_message(tmp_path: Path) -> None:
    holder = _hold(tmp_path)
    try:
        notices: list[str] = []
        with pytest.raises(LockedError, match=r"another apply is running in this checkout "
                                              r"\(trackersync apply, pid \d+"), \
                apply_lock(tmp_path, timeout=0.2, notice=notices.append):
            pass
        assert len(notices) == 1 and notices[0].startswith("waiting up to 0.2 s for")
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


def test_a_lock_left_by_a_killed_process_is_released(tmp_path: Path) -> None:
    holder = _hold(tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert holder.stdout is not None
    holder.stdout.close()
    assert (tmp_path / ".trackersync" / "apply.lock").exists()
    with apply_lock(tmp_path, timeout=0):
        owner = (tmp_path / ".trackersync" / "apply.lock.owner").read_text()
        assert f"pid {os.getpid()}" in owner
