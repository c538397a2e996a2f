"""The end of a run: the process ends without the interpreter's teardown, losing nothing.

:func:`trackersync.entry.exit_now` runs the exit handlers and flushes the output before
``os._exit``; it takes Python's ordinary exit whenever skipping the teardown could change
what the user sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from trackersync.cli import main
from trackersync.entry import exit_now

ROOT = Path(__file__).resolve().parents[1]

#: The console script's run, with an exit handler and a log file to show they are kept.
PROGRAM = """
import atexit, logging, logging.handlers, sys
marker, log_file = sys.argv[1:3]
del sys.argv[1:3]
sys.argv[0] = "trackersync"
atexit.register(lambda: open(marker, "w").write("exit handlers ran"))
# Buffered: written only when logging shuts down (an exit handler).
handler = logging.handlers.MemoryHandler(1000, target=logging.FileHandler(log_file))
logging.getLogger("probe").addHandler(handler)
logging.getLogger("probe").warning("logged before the end")
from trackersync.entry import run
run()
"""


def run_program(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYMBL_")}
    return subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path / "marker"), str(tmp_path / "log"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_a_long_output_arrives_whole_and_exit_handlers_and_log_files_are_done(
    tmp_path: Path,
) -> None:
    done = run_program(tmp_path, "schema", "--for", "config")
    assert done.returncode == 0, done.stderr
    in_process = CliRunner().invoke(main, ["schema", "--for", "config"])
    assert len(done.stdout) > 2000
    assert done.stdout == in_process.output
    assert (tmp_path / "marker").read_text() == "exit handlers ran"
    assert (tmp_path / "log").read_text() == "logged before the end\n"


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["no-such-command"], 1),
                                            (["validate", "--format", "nope"], 1)])
def test_the_exit_code_is_the_commands(tmp_path: Path, args: list[str], code: int) -> None:
    done = run_program(tmp_path, *args)
    assert done.returncode == code, done.stderr
    assert (tmp_path / "marker").read_text() == "exit handlers ran"


def test_a_message_as_exit_status_takes_the_ordinary_exit() -> None:
    status = SystemExit("printed by Python, exit 1")
    with pytest.raises(SystemExit) as raised:
        exit_now(status)
    assert raised.value is status


def test_a_running_non_daemon_thread_takes_the_ordinary_exit() -> None:
    release = threading.Event()
    worker = threading.Thread(target=release.wait, daemon=False)
    worker.start()
    try:
        with pytest.raises(SystemExit) as raised:
            exit_now(SystemExit(0))
        assert raised.value.code == 0
    finally:
        release.set()
        worker.join()


class _ClosedPipe:
    """A stdout whose reader has gone: flushing fails as on a closed pipe."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_that_cannot_be_flushed_takes_the_ordinary_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[str] = []
    # In this test process, exit handlers must not really run, nor the process end.
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: ran.append("exit handlers"))
    monkeypatch.setattr("os._exit", lambda code: pytest.fail(f"os._exit({code}) reached"))
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    status = SystemExit(0)
    with pytest.raises(SystemExit) as raised:
        exit_now(status)
    assert raised.value is status
    assert ran == ["exit handlers"]


@pytest.mark.skipif(not Path("/dev/full").is_char_device(), reason="needs Linux's /dev/full")
def test_output_to_a_full_disk_says_so_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "t.yaml").write_text(
        "name: A\nvocabulary: [p one, p two, p three, p four, p five]\n")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "trackersync", "validate"], cwd=tmp_path,
                              stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_closed_standard_output_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "trackers").mkdir()
    done = subprocess.run(["sh", "-c", 'exec "$0" -m trackersync validate >&-', sys.executable],
                          cwd=tmp_path, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ("Error: standard output is closed; redirect it to a file or "
                           "/dev/null instead\n")


#: Python wraps a signal that lands while a class is created (a ``__set_name__`` call
#: during an import) in a RuntimeError: here the CLI's import itself, as the entry point
#: meets it, and a command's own import, as the command group meets it.
WRAPPED = """
import sys
import trackersync.cli
from trackersync.entry import Terminated, run

def landed(*args, **kwargs):
    try:
        raise {signal}()
    except KeyboardInterrupt as exc:
        raise RuntimeError("Error calling __set_name__ on 'Field' instance 'files'") from exc

{where}
sys.argv = ["trackersync", "validate"]
run()
"""


@pytest.mark.parametrize(("signal", "code", "line"), [
    ("KeyboardInterrupt", 130, "Interrupted."), ("Terminated", 143, "Terminated.")])
@pytest.mark.parametrize("where", [
    "trackersync.cli.main = landed",  # the entry point's import of the CLI
    "import trackersync.definitions as d; d.load_config = landed",  # inside a command
])
def test_a_signal_wrapped_by_python_during_an_import_still_ends_with_one_line(
    tmp_path: Path, signal: str, code: int, line: str, where: str
) -> None:
    (tmp_path / "trackers").mkdir()
    done = subprocess.run([sys.executable, "-c", WRAPPED.format(signal=signal, where=where)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (code, f"{line}\n")
