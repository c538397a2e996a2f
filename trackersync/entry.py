"""The program's entry point: signals are handled before anything heavy is imported.

``trackersync`` (the console script) and ``python -m trackersync`` start here. SIGTERM
becomes :class:`Terminated` (a ``KeyboardInterrupt``) as the very first step, so a
Ctrl-C or a cancelled CI job at any moment of start-up, while click, pydantic and the
rest are still being imported, ends with one ``Interrupted.`` / ``Terminated.`` line
and exit code 130 / 143, never a traceback. Only the standard library is imported here.
"""

from __future__ import annotations

import signal
import sys
import threading
from typing import NoReturn

EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM (e.g. a cancelled CI job), raised like Ctrl-C so a run stops cleanly."""


def raise_terminated(signum: int, frame: object) -> None:
    """Signal handler: turn SIGTERM into :class:`Terminated`."""
    raise Terminated()


def ignore_further_signals() -> None:
    """Ignore SIGINT and SIGTERM from now on: the program is already stopping.

    A second Ctrl-C (or a signal re-sent by :func:`_unraisable`) must not cut the exit
    message short or turn a clean exit into death by signal.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


def stop(interrupt: KeyboardInterrupt) -> NoReturn:
    """Print ``Interrupted.`` (``Terminated.`` for SIGTERM) on stderr; exit 130 / 143."""
    ignore_further_signals()
    terminated = isinstance(interrupt, Terminated)
    try:
        sys.stderr.write("Terminated.\n" if terminated else "Interrupted.\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)


def _unraisable(info: object) -> None:
    """``sys.unraisablehook``: a signal that landed in a callback Python cannot raise from.

    A signal arriving while Python runs a weakref or finalizer callback (the import
    system uses them) raises there, and Python would only print "Exception ignored" with
    a traceback and carry on. The same signal is sent again, a moment later, so it
    stops the program where it can: with one line and the right exit code.
    """
    kind = getattr(info, "exc_type", None)
    if isinstance(kind, type) and issubclass(kind, KeyboardInterrupt):
        import os

        signum = signal.SIGTERM if issubclass(kind, Terminated) else signal.SIGINT
        threading.Timer(0.01, os.kill, (os.getpid(), signum)).start()
        return
    sys.__unraisablehook__(info)  # type: ignore[arg-type]


def run() -> None:
    """Install the SIGTERM handler, import the CLI and run it (signals handled throughout)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, raise_terminated)
        sys.unraisablehook = _unraisable
    try:
        from trackersync.cli import main

        main()
    except KeyboardInterrupt as interrupt:  # during imports or before click took over
        stop(interrupt)
    finally:  # the program has ended: a signal now must not break the exit
        ignore_further_signals()


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    run()
