"""``trackersync emulator`` as a user runs it: a subprocess, URL printed, Ctrl-C stops it."""

from __future__ import annotations

import functools
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from symbl_emulator import start_emulator
from tests.helpers import signals_during


def _start(*args: str) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "trackersync", "emulator", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", "".join(lines))
    if not match:
        process.kill()
        _, err = process.communicate(timeout=10)
        raise AssertionError("".join(lines) + err)
    return process, match.group(1), lines


def _interrupt(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=10)  # also closes the pipes
    return process.returncode


def test_cli_prints_url_and_credentials_serves_and_takes_the_http_layer_options(
    tmp_path: Path,
) -> None:
    db = tmp_path / "state.db"
    process, url, lines = _start("--db", str(db), "--app-id", "my-app", "--app-secret", "my-sec",
                                 "--threads", "2", "--connection-limit", "10",
                                 "--request-deadline", "5")
    try:
        text = "".join(lines)
        assert "SYMBL_APP_ID=my-app" in text and "SYMBL_APP_SECRET=my-sec" in text
        assert str(db) in text
        assert f"API description: {url}/openapi.json\n" in text
        body = {"type": "application", "appId": "my-app", "appSecret": "my-sec"}
        answer = requests.post(f"{url}/oauth2/token:generate", json=body, timeout=5)
        assert answer.status_code == 200
        assert requests.get(f"{url}/openapi.json", timeout=5).status_code == 200
    finally:
        code = _interrupt(process)
    assert code == 130  # Ctrl-C: handle_errors maps KeyboardInterrupt to 130
    assert db.exists()


def test_cli_refuses_a_port_in_use() -> None:
    # Any server holds the port (an in-process emulator); the command is what is tested.
    with start_emulator() as occupant:
        second = subprocess.run(
            [sys.executable, "-m", "trackersync", "emulator", "--port", str(occupant.port)],
            capture_output=True, text=True, timeout=30,
        )
    assert second.returncode == 1
    assert "cannot start the emulator" in second.stderr


def test_cli_takes_every_option_of_python_m_symbl_emulator() -> None:
    from click.testing import CliRunner

    from symbl_emulator.cli import main as emulator_main
    from trackersync.cli import main as trackersync_main

    result = CliRunner().invoke(trackersync_main, ["emulator", "--help"])
    assert result.exit_code == 0, result.output
    assert "trackersync emulator" in result.output
    for param in emulator_main.params:
        for opt in getattr(param, "opts", ()):
            assert opt in result.output, opt


_PYTHON_M_EMULATOR = [sys.executable, "-m", "symbl_emulator", "--port", "0"]


@functools.cache
def _python_m_emulator_start_up() -> float:
    """Seconds ``python -m symbl_emulator`` takes here and now to start (until the
    banner's last line); asserts that a Ctrl-C once it has started stops it with 130.

    Measured once per test process: both signals' tests spread their signals over it.
    """
    began = time.perf_counter()
    whole = subprocess.Popen(_PYTHON_M_EMULATOR, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert whole.stdout is not None
    for line in whole.stdout:
        if line.startswith("Press Ctrl-C"):
            break
    duration = time.perf_counter() - began
    assert _interrupt(whole) == 130
    return duration


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_python_m_symbl_emulator_stopped_during_start_up_says_so_and_exits_130(
    signum: int,
) -> None:
    command = _PYTHON_M_EMULATOR
    # The signals land at moments spread over start-up, while click and the server are
    # imported.
    duration = _python_m_emulator_start_up()
    # (the first moments are the interpreter's own start and the import of the package's
    # entry module: a Ctrl-C there is Python's to report, before any of this code runs)
    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)

    for fraction, process, out, err in signals_during(start, signum, duration,
                                                      (0.5, 0.65, 0.8, 0.95)):
        if process.returncode == -signum and not err:
            continue  # before Python ran any of our code: no output
        assert (process.returncode, err.strip()) == (130, "Symbl emulator stopped."), (
            fraction, out, err)
