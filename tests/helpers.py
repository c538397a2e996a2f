"""Helpers shared by every test folder: running the CLI in-process, loudly; signalling a
process at moments spread over its start-up."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from click.testing import CliRunner, Result

from trackersync.cli import main

#: A traceback frame line; group 1 is the file.
_FRAME = re.compile(r'^\s*File "([^"]+)", line \d+')
#: A file of the programs the signal tests start (``python -m trackersync``, ``python -m
#: symbl_emulator``), wherever the child imports them from: this checkout (an editable
#: install) or site-packages (a regular one).
_PROGRAM_FILE = re.compile(r"[\\/](trackersync|symbl_emulator)[\\/](?:\w+[\\/])*\w+\.py$")


def invoke(args: Sequence[str], env: Mapping[str, str | None] | None = None) -> Result:
    """Run ``trackersync ARGS`` in-process and return click's result.

    A command ends with an exit code (``SystemExit``); any other exception is a bug and
    is raised here, so no test can pass on a traceback it did not expect (a test that
    only asserts what the output does *not* contain would otherwise pass when the
    command crashed).
    """
    result = CliRunner().invoke(main, list(args), env=dict(env or {}))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"trackersync {' '.join(args)} raised {result.exception!r}\n{result.output}"
        ) from result.exception
    return result


def signals_during(
    start: Callable[[], subprocess.Popen[str]], signum: int, duration: float,
    fractions: Iterable[float],
) -> Iterator[tuple[float, subprocess.Popen[str], str, str]]:
    """Signal a fresh process at each fraction of ``duration`` seconds after its start.

    For each fraction, ``start()`` launches a new process (text pipes for stdout and
    stderr), which gets ``signum`` after ``duration * fraction`` seconds; once it has
    ended, yields ``(fraction, process, stdout, stderr)``. A run whose signal landed
    while the interpreter itself was still starting is skipped: Python's own "Fatal
    Python error: init_import_site", or a traceback without a single frame of the
    program (the import system, ``runpy`` and the standard-library modules it imports,
    still looking for the module to run: no program code ran yet, so none could have
    handled the signal). Asserts that no other run printed a traceback.
    """
    for fraction in fractions:
        process = start()
        time.sleep(duration * fraction)
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
        if "Fatal Python error: init_import_site" in err or _before_the_program(err):
            continue
        assert "Traceback" not in err, (fraction, err)
        yield fraction, process, out, err


def _before_the_program(err: str) -> bool:
    """Whether ``err`` is a traceback none of whose frames is in the program's packages."""
    frames = [match[1] for match in map(_FRAME.match, err.splitlines()) if match]
    return bool(frames) and not any(_PROGRAM_FILE.search(path) for path in frames)
