"""a CI runner's SIGTERM in the middle of apply.

The run must stop sending, flush its per-operation report, write the IDs of what
exists, and exit 143; the next apply converges without duplicates.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from symbl_emulator import EmulatorServer
from tests.helpers import invoke

TRACKERS = """trackers:
  - name: Renewal Intent
    vocabulary: [ready to renew, extend the contract, sign for another year]
  - name: Upsell Interest
    vocabulary: [add more seats, upgrade our plan, need the premium tier]
"""


def _cli(root: Path, emulator: EmulatorServer, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, SYMBL_API_URL=emulator.url, SYMBL_APP_ID=emulator.app_id,
               SYMBL_APP_SECRET=emulator.app_secret)
    env.pop("SYMBL_ACCESS_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "trackersync", *args], cwd=root, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _wait_for_request(emulator: EmulatorServer, method: str, path: str) -> None:
    """Wait until the emulator has *received* a request (its log lists finished ones)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        state = requests.get(f"{emulator.url}/_emulator/state", timeout=5).json()
        if any(t["name"] == "Renewal Intent" for t in state["trackers"]):
            return
        time.sleep(0.05)
    raise AssertionError(f"{method} {path} never arrived")


def test_sigterm_during_apply_reports_writes_ids_and_exits_143(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "all.yaml").write_text(TRACKERS)
    # The bulk create commits at once, then the answer is held back for 30 s.
    fault = {"method": "POST", "path": "/v1/manage/trackers", "status": 502,
             "after_commit": True, "delay_ms": 30_000}
    requests.post(f"{emulator.url}/_emulator/faults", json=[fault], timeout=5)

    proc = _cli(tmp_path, emulator, "apply", "--auto-approve")
    _wait_for_request(emulator, "POST", "/v1/manage/trackers")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 143, (out, err)
    assert "apply was interrupted" in err
    assert "status of each operation" in err
    table = err.split("status of each operation", 1)[1]
    # The bulk POST was committed before the signal: the verify read shows both.
    assert table.count("created before the failure") == 2
    assert " failed " not in table
    ids = json.loads((tmp_path / "trackers.ids.json").read_text())
    assert sorted(ids["names"]) == ["Renewal Intent", "Upsell Interest"]

    # the next apply converges (it needs no signal, so it runs in this process)
    with contextlib.chdir(tmp_path):
        rerun = invoke(["apply", "--auto-approve"], env={
            "SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
            "SYMBL_APP_SECRET": emulator.app_secret, "SYMBL_ACCESS_TOKEN": None})
    assert rerun.exit_code == 0, rerun.output
    assert "No changes." in rerun.stdout
    names = [t["name"] for t in requests.get(f"{emulator.url}/_emulator/state",
                                             timeout=5).json()["trackers"]]
    assert sorted(names) == ["Renewal Intent", "Upsell Interest"]


@pytest.mark.slow
def test_sigterm_before_the_server_commits_reports_unknown_not_failed(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "all.yaml").write_text(TRACKERS)
    # The answer (and the commit) is held back: the outcome is unknown when the signal lands.
    fault = {"method": "POST", "path": "/v1/manage/trackers", "delay_ms": 3_000}
    requests.post(f"{emulator.url}/_emulator/faults", json=[fault], timeout=5)

    proc = _cli(tmp_path, emulator, "apply", "--auto-approve")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # wait until the POST is in flight
        log = requests.get(f"{emulator.url}/_emulator/requests", timeout=5).json()["requests"]
        if any(r["method"] == "GET" and r["path"] == "/v1/manage/trackers" for r in log):
            break
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)

    assert proc.returncode == 143, err
    table = err.split("status of each operation", 1)[1]
    assert "unknown" in table and " failed " not in table
