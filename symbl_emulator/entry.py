"""The ``symbl-emulator`` command's entry point (and ``python -m symbl_emulator``'s).

Ctrl-C or SIGTERM at any moment after this module starts (while the command is still
importing click and the server, a CI job cancelled as the service step starts, or while
it serves) ends it the same way: the line ``Symbl emulator stopped.`` and exit code 130,
never a traceback. Only the standard library is imported here, and the handlers go in
first: from then on a signal only records a :class:`StopRequest`, which the command
acts on once it can, so no signal is lost in code that would swallow an exception (a
finalizer, an import-time ``try``).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

EXIT_STOPPED = 130


class StopRequest:
    """A Ctrl-C or SIGTERM to the command, kept from the moment it arrives.

    The command process runs one emulator, so a request holds even when it arrives
    while the command is still starting. A signal handler runs between any two steps of
    the main thread, so it must not take a lock that thread may hold: ``Event.set`` does
    (a signal landing inside ``Event.wait`` would wait for itself forever). The handler
    therefore sets a flag and writes one byte into a pipe, both safe at any moment; the
    command waits by reading that byte.
    """

    def __init__(self) -> None:
        self._open()

    def _open(self) -> None:
        self.requested = False
        self._read, self._write = os.pipe()
        os.set_blocking(self._write, False)

    def handle(self, signum: int, frame: object) -> None:
        """Signal handler: ask the running (or starting) emulator command to stop."""
        self.requested = True
        with contextlib.suppress(OSError):  # a full pipe: stopping was asked for already
            os.write(self._write, b"x")

    def install(self) -> None:
        """Make Ctrl-C and SIGTERM requests to stop (main thread only)."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self.handle)

    def wait(self) -> None:
        """Block until a stop is requested (at once if one was already)."""
        if not self.requested:
            os.read(self._read, 1)  # a signal's handler writes the byte this returns

    def reset(self) -> None:
        """Forget the request: the next command run in this process starts afresh."""
        os.close(self._read)
        os.close(self._write)
        self._open()


#: The command's stop request (one per process).
STOP = StopRequest()


def run() -> None:
    """Import and run :func:`symbl_emulator.cli.main`; a signal before it serves exits 130.

    Raises:
        SystemExit: the command's exit code (click's, or 130 after a signal).
    """
    STOP.install()
    from symbl_emulator.cli import main

    if STOP.requested:  # the signal came while the command was being imported
        sys.stderr.write("Symbl emulator stopped.\n")
        sys.exit(EXIT_STOPPED)
    main()
