"""The ``symbl-emulator`` command's entry point (and ``python -m symbl_emulator``'s).

Ctrl-C or SIGTERM while the command is still importing click and the server (a CI job
cancelled as the service step starts) ends it like one that arrives later: the line
``Symbl emulator stopped.`` and exit code 130, never a traceback. Only the standard
library is imported here; :func:`symbl_emulator.cli.main` catches the signals itself
from just before the server starts.
"""

from __future__ import annotations

import os
import signal
import sys

EXIT_STOPPED = 130


def _interrupt(signum: int, frame: object) -> None:
    """Signal handler: SIGTERM stops start-up as Ctrl-C does."""
    raise KeyboardInterrupt


def _interrupted(error: BaseException | None) -> bool:
    """Whether ``error`` is, or was caused by, a Ctrl-C or SIGTERM.

    A signal that lands while a class body is being set up (a dataclass's field) reaches
    the caller wrapped in a ``RuntimeError``; its cause is the interrupt.
    """
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, KeyboardInterrupt):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def run() -> None:
    """Import and run :func:`symbl_emulator.cli.main`; a signal during the import exits 130.

    Raises:
        SystemExit: the command's exit code (click's, or 130 after a signal).
    """
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        from symbl_emulator.cli import main, request_stop
    except BaseException as error:
        if not _interrupted(error):
            raise
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_IGN)
        sys.stderr.write("Symbl emulator stopped.\n")
        sys.stderr.flush()
        # nothing has started yet; ending here, without the interpreter's teardown, also
        # keeps Python from ending by the signal itself (exit code -2 rather than 130)
        os._exit(EXIT_STOPPED)
    for signum in (signal.SIGINT, signal.SIGTERM):  # from here on, a signal asks main to stop
        signal.signal(signum, request_stop)
    main()
