"""Shared plumbing for the CLI: global options, error-to-exit-code mapping, output helpers."""

from __future__ import annotations

import functools
import logging
import os
import sys
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

    ``KeyboardInterrupt`` exits 130. Anything else propagates (a bug: show the traceback).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TrackersyncError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper  # type: ignore[return-value]
