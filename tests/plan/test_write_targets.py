"""Files trackersync writes through a symbolic link, or into a pipe: never replaced."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write


def _names(emulator: EmulatorServer) -> list[str]:
    return sorted(t["name"] for t in emulator.trackers())


def test_plan_out_through_a_link_writes_the_linked_file_and_apply_reads_it(
    project: dict, emulator: EmulatorServer, tmp_path: Path
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    real = tmp_path / "saved" / "plan.json"
    real.parent.mkdir()
    real.write_text("old\n")
    Path("plan.json").symlink_to(real)
    result = _run(project, "plan", "--out", "plan.json")
    assert result.exit_code == 0, result.stderr
    assert Path("plan.json").is_symlink(), "the link was replaced by a file"
    assert '"format_version"' in real.read_text()
    applied = _run(project, "apply", "plan.json")
    assert applied.exit_code == 0, applied.stderr
    assert _names(emulator) == ["Tracker 1"]


def test_plan_out_into_a_pipe_writes_into_it_and_leaves_the_pipe(
    project: dict, emulator: EmulatorServer, tmp_path: Path
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    fifo = tmp_path / "plan.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as pipe:
            received.append(pipe.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = _run(project, "plan", "--out", str(fifo))
    if reader.is_alive():  # the plan was not written into the pipe: unblock the reader
        with open(fifo, "wb"):
            pass
    reader.join(5)
    assert result.exit_code == 0, result.stderr
    assert fifo.is_fifo(), "the pipe was replaced by a file"
    assert received and b'"format_version"' in received[0]


@pytest.mark.parametrize("target", ["state record", "tracker file"])
def test_apply_and_fmt_keep_a_linked_file_a_link(
    project: dict, emulator: EmulatorServer, tmp_path: Path, target: str
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    if target == "state record":
        _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
        link = Path("trackers.ids.json")
        link.symlink_to(shared / "trackers.ids.json")  # not there yet: apply makes it
        result = _run(project, "apply", "--auto-approve")
        assert '"Tracker 1"' in (shared / "trackers.ids.json").read_text()
    else:
        real = Path("trackers", "real.yaml")
        real.write_text("name: Tracker 1\nvocabulary:\n- 'p   one'\n- p two\n- p three\n"
                        "- p four\n- p five\n")
        link = Path("trackers", "linked.yaml")
        link.symlink_to("real.yaml")
        result = _run(project, "fmt", "trackers/linked.yaml")
        assert "- p one\n" in real.read_text()
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink(), "the link was replaced by a file"
