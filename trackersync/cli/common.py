"""Shared plumbing for the CLI: global options, error-to-exit-code mapping, output helpers."""

from __future__ import annotations

import functools
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from trackersync.errors import TrackersyncError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM (e.g. a cancelled CI job), raised like Ctrl-C so apply can report and stop."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


def install_signal_handlers() -> None:
    """Turn SIGTERM into :class:`Terminated` so a run stops cleanly and exits 143.

    Only possible in the main thread; elsewhere (an embedding program) it does nothing.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)


@dataclass
class AppContext:
    """Global options of one CLI invocation.

    Attributes:
        config_path: the config file given with ``--config``, else ``None``.
        use_emulator: ``--emulator``: run against an in-process emulator.
        verbose: ``-v`` count (1 = one INFO line per HTTP call, 2 = debug).
        color: whether stdout may carry ANSI colour.
    """

    config_path: Path | None
    use_emulator: bool
    verbose: int
    color: bool

    @classmethod
    def create(
        cls, *, config_path: str | None, use_emulator: bool, verbose: int, no_color: bool
    ) -> AppContext:
        """Build the context and configure logging to stderr."""
        color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
        level = logging.WARNING
        if verbose == 1:
            level = logging.INFO
        elif verbose >= 2:
            level = logging.DEBUG
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
        # urllib3 announces each retry as a WARNING; the client reports the outcome itself.
        logging.getLogger("urllib3").setLevel(level if verbose else logging.ERROR)
        path = Path(config_path) if config_path else None
        return cls(config_path=path, use_emulator=use_emulator, verbose=verbose, color=color)

    @property
    def project_root(self) -> Path:
        """The folder that holds the config file (the current directory by default)."""
        if self.config_path is not None:
            return self.config_path.resolve().parent
        return Path.cwd()


def handle_errors(func: F) -> F:
    """Map trackersync errors to a one-line message on stderr and exit code 1.

    Ctrl-C exits 130 and SIGTERM 143, also when apply turned them into an
    :class:`~trackersync.errors.ApplyError` after flushing its report. Anything else
    propagates (a bug: show the traceback).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TrackersyncError as exc:
            click.echo(f"Error: {exc}", err=True)
            cause = exc.__cause__
            if isinstance(cause, KeyboardInterrupt):
                sys.exit(EXIT_TERMINATED if isinstance(cause, Terminated) else EXIT_INTERRUPTED)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt as exc:
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_TERMINATED if isinstance(exc, Terminated) else EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]
