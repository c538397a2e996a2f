"""The program's entry point: signals are handled before anything heavy is imported.

``trackersync`` (the console script) and ``python -m trackersync`` start here. SIGTERM
becomes :class:`Terminated` (a ``KeyboardInterrupt``) as the very first step, so a
Ctrl-C or a cancelled CI job at any moment of start-up, while click, pydantic and the
rest are still being imported, ends with one ``Interrupted.`` / ``Terminated.`` line
and exit code 130 / 143, never a traceback. Only the standard library is imported here.

When the program has finished, :func:`exit_now` ends the process without the
interpreter's teardown (freeing every object one by one: tens of milliseconds after a
plan of 500 trackers, for memory the operating system takes back at once), after the
work that matters at exit is done: exit handlers (logging's flush and close, temporary
folders) and flushing stdout and stderr.
"""

from __future__ import annotations

import atexit
import os
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


def interrupt_of(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C (or :class:`Terminated`) behind ``exc``: itself, or in its cause/context.

    click turns a Ctrl-C into ``click.exceptions.Abort`` (``from`` it in ``Command.main``,
    with it as context in ``click.confirm``); apply turns it into an
    :class:`~trackersync.errors.ApplyError` after flushing its report; Python itself
    wraps one that lands while a class is being created during an import (in a
    ``__set_name__`` call) in a ``RuntimeError``.
    """
    seen: BaseException | None = exc
    for _ in range(10):  # cause/context chains are short; never loop on a cycle
        if seen is None:
            return None
        if isinstance(seen, KeyboardInterrupt):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


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
        signum = signal.SIGTERM if issubclass(kind, Terminated) else signal.SIGINT
        threading.Timer(0.01, os.kill, (os.getpid(), signum)).start()
        return
    sys.__unraisablehook__(info)  # type: ignore[arg-type]


def exit_now(status: SystemExit) -> NoReturn:
    """End the process with ``status``'s exit code, skipping the interpreter's teardown.

    First the exit handlers run (``atexit``: logging's shutdown, finalizers of temporary
    folders, coverage data), then stdout and stderr are flushed, then ``os._exit``. The
    ordinary exit (``raise status``) is taken instead whenever skipping could change
    anything: a code that is not an int (Python prints it), another non-daemon thread
    still running (Python waits for it), or a flush that fails (Python reports it, as a
    closed pipe must be reported).

    Args:
        status: how the program ended (``sys.exit(code)``, or ``SystemExit(0)``).

    Raises:
        SystemExit: ``status`` itself, when the ordinary exit is taken.
    """
    code = 0 if status.code is None else status.code
    current = threading.current_thread()
    others = [t for t in threading.enumerate() if t is not current and not t.daemon]
    if not isinstance(code, int) or others or current is not threading.main_thread():
        raise status
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # a closed pipe or stream, or none at all
        raise status from None
    os._exit(code)


def run() -> NoReturn:
    """Install the SIGTERM handler, import the CLI and run it (signals handled throughout).

    Ends the process (:func:`exit_now`) with the command's exit code.
    """
    try:
        try:
            # inside the try: a Ctrl-C may land while the handlers are being installed
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGTERM, raise_terminated)
                sys.unraisablehook = _unraisable
            from trackersync.cli import main

            main()
        # During imports or before click took over; a RuntimeError when Python wrapped the
        # signal while it created a class (see interrupt_of).
        except (KeyboardInterrupt, RuntimeError) as error:
            interrupt = interrupt_of(error)
            if interrupt is None:
                raise
            stop(interrupt)
        finally:  # the program has ended: a signal now must not break the exit
            ignore_further_signals()
    except SystemExit as status:
        exit_now(status)
    exit_now(SystemExit(0))


if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    run()
