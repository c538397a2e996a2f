"""Requests that already happened, fields trackersync does not model, and signals.

The CLI runs in-process against the emulator (over HTTP) unless a real process is
needed (signals during start-up).
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.helpers import signals_during
from trackersync.client import SymblClient
from trackersync.entry import Terminated

from .conftest import Project

FIVE = "[a b, c d, e f, g h, i j]"
SEED = {"id": "5000000000000901", "name": "Budget", "vocabulary": ["a b", "c d", "e f", "g h",
                                                                   "old one"],
        "description": "kept by the UI", "categories": ["sales"], "language": "en-US"}


def test_fields_the_account_holds_survive_an_update(project) -> None:
    p: Project = project()
    p.seed([SEED])
    p.write("trackers/b.yaml", f"name: Budget\nvocabulary: {FIVE}\n")
    result = p.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    (stored,) = p.state()
    assert stored["vocabulary"] == ["a b", "c d", "e f", "g h", "i j"]
    assert (stored["description"], stored["categories"], stored["language"]) == (
        "kept by the UI", ["sales"], "en-US")


def test_verify_notices_fields_the_server_dropped(project, monkeypatch) -> None:
    p: Project = project()
    p.seed([SEED])
    p.write("trackers/b.yaml", f"name: Renamed\nrenamed_from: [Budget]\nvocabulary: {FIVE}\n")
    original = SymblClient.update_tracker

    def forgetful(self: SymblClient, tracker_id: str, tracker: object) -> object:
        self._held.pop(tracker_id, None)  # as if the fields had not been sent
        return original(self, tracker_id, tracker)  # type: ignore[arg-type]

    monkeypatch.setattr(SymblClient, "update_tracker", forgetful)
    result = p.run("apply", "--auto-approve")
    assert result.exit_code == 1
    assert ("not converged  rename \"Budget\" -> \"Renamed\" (id 5000000000000901): fields "
            "the account held were lost or changed: categories, description, language"
            ) in result.stderr


def test_delete_answered_404_counts_as_done(project, monkeypatch) -> None:
    p: Project = project()
    p.write("trackers/g.yaml", "name: Gone Soon\nvocabulary: [x y, z w, a b, c d, e f]\n")
    assert p.run("apply", "--auto-approve").exit_code == 0  # now owned by this repository
    (p.root / "trackers" / "g.yaml").unlink()
    p.write("trackersync.yaml", "prune: true\nsafety: {max_delete_fraction: 1.0}\n")
    p.write("trackers/b.yaml", f"name: Budget\nvocabulary: {FIVE}\n")
    original = SymblClient.delete_tracker

    def concurrent(self: SymblClient, tracker_id: str) -> None:
        original(self, tracker_id)  # another run deletes it first...
        original(self, tracker_id)  # ...so this one is answered 404

    monkeypatch.setattr(SymblClient, "delete_tracker", concurrent)
    result = p.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "1 created, 0 updated, 0 renamed, 1 deleted; verified" in result.stdout


def test_create_made_meanwhile_by_another_run_is_adopted(project, monkeypatch) -> None:
    p: Project = project()
    p.write("trackers/b.yaml", f"name: Budget\nvocabulary: {FIVE}\n")
    original = SymblClient.create_trackers

    def raced(self: SymblClient, trackers: list) -> list:  # the other run wins the race
        p.seed([{"name": "Budget", "vocabulary": ["a b", "c d", "e f", "g h", "i j"]}])
        return original(self, trackers)

    monkeypatch.setattr(SymblClient, "create_trackers", raced)
    result = p.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert "Apply complete: 0 created, 0 updated, 0 renamed, 0 deleted, 1 adopted; verified" \
        in result.stdout
    assert len(p.state()) == 1


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, Terminated])
def test_signal_during_the_verify_read_still_reports_and_writes_ids(
    project, monkeypatch, interrupt: type[KeyboardInterrupt]
) -> None:
    p: Project = project()
    p.write("trackers/b.yaml", f"name: Budget\nvocabulary: {FIVE}\n")
    list_trackers, create_trackers = SymblClient.list_trackers, SymblClient.create_trackers
    written: list[int] = []

    def create(self: SymblClient, trackers: list) -> list:
        written.append(1)
        return create_trackers(self, trackers)

    def verify_read(self: SymblClient) -> list:
        if written:  # the read after the writes: the verify read
            raise interrupt()
        return list_trackers(self)

    monkeypatch.setattr(SymblClient, "create_trackers", create)
    monkeypatch.setattr(SymblClient, "list_trackers", verify_read)
    result = p.run("apply", "--auto-approve")
    assert result.exit_code == (143 if interrupt is Terminated else 130)
    assert "done           create \"Budget\"" in result.stderr, result.stderr
    assert ("Terminated." if interrupt is Terminated else "Interrupted.") in result.stderr
    (made,) = p.state()
    records = list(p.root.glob("**/*ids*.json"))
    assert records, "no state record written"
    assert json.loads(records[0].read_text())["names"] == {"Budget": made["id"]}


def _validate(root: Path) -> subprocess.Popen[str]:
    """Start ``python -m trackersync validate`` in ``root`` (text pipes for its output)."""
    return subprocess.Popen([sys.executable, "-m", "trackersync", "validate"],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "NO_COLOR": "1"})


def _project(root: Path) -> Path:
    (root / "trackers").mkdir()
    (root / "trackers" / "b.yaml").write_text(f"name: Budget\nvocabulary: {FIVE}\n")
    return root


@functools.cache
def _whole_validate_seconds() -> float:
    """Seconds a whole ``validate`` of the one-tracker project takes here and now; asserts
    that it succeeds. Measured once per test process: both signals' tests spread their
    signals over it."""
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        whole = _validate(_project(Path(folder)))
        _, err = whole.communicate(timeout=60)
        duration = time.perf_counter() - began
    assert whole.returncode == 0, err
    return duration


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.slow
def test_signal_during_start_up_is_one_line_and_the_right_exit_code(
    signum: int, tmp_path: Path
) -> None:
    root = _project(tmp_path)
    expected: dict[int, tuple[int, str]] = {signal.SIGINT: (130, "Interrupted."),
                                            signal.SIGTERM: (143, "Terminated.")}
    # How long a whole run takes here and now; the signals then land at moments spread
    # over that time (a fixed list of delays would mostly arrive after the run ended).
    duration = _whole_validate_seconds()
    for fraction, proc, out, err in signals_during(lambda: _validate(root), signum, duration,
                                                   (0.1, 0.3, 0.5, 0.7, 0.9)):
        if proc.returncode in (0, 1):
            continue  # finished before the signal arrived
        if proc.returncode == -signum:  # before Python ran any of our code: no output
            assert out == err == ""
            continue
        assert (proc.returncode, err.strip()) == expected[signum], (fraction, out, err)
