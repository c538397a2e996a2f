"""Shared plumbing for the CLI: global options, error-to-exit-code mapping, output helpers."""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from trackersync.entry import Terminated, ignore_further_signals, interrupt_of
from trackersync.errors import TrackersyncError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


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
        owns_logging: logging was set up here (so ``-v`` after the command can raise it).
    """

    config_path: Path | None
    use_emulator: bool
    verbose: int
    color: bool
    owns_logging: bool = False

    @classmethod
    def create(
        cls, *, config_path: str | None, use_emulator: bool, verbose: int, no_color: bool
    ) -> AppContext:
        """Build the context and configure logging to stderr."""
        app = cls(config_path=None, use_emulator=False, verbose=0, color=True)
        app.update(config_path=config_path, use_emulator=use_emulator, verbose=verbose,
                   no_color=no_color)
        return app

    def update(
        self,
        *,
        config_path: str | None = None,
        use_emulator: bool = False,
        verbose: int = 0,
        no_color: bool = False,
    ) -> None:
        """Apply global options, also when given after the command (``plan --no-color``).

        Flags only ever switch on (``-v`` counts add up); ``--config`` replaces the path.
        Colour and the log level are worked out again.
        """
        import logging  # here, not at the top: --version and --help never log

        if config_path:
            self.config_path = Path(config_path)
        self.use_emulator = self.use_emulator or use_emulator
        self.verbose += verbose
        self.color = (self.color and not no_color and "NO_COLOR" not in os.environ
                      and sys.stdout.isatty())
        level = logging.WARNING
        if self.verbose == 1:
            level = logging.INFO
        elif self.verbose >= 2:
            level = logging.DEBUG
        root = logging.getLogger()
        if not root.handlers:  # an embedding program (or pytest) may have set logging up
            logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
            self.owns_logging = True
        if self.owns_logging:
            root.setLevel(level)
        # urllib3 announces each retry as a WARNING; the client reports the outcome itself.
        logging.getLogger("urllib3").setLevel(level if self.verbose else logging.ERROR)

    @property
    def project_root(self) -> Path:
        """The project folder: where ``trackers_dir``, the state record and ``.trackersync/`` are.

        ``--config FILE`` wins (its folder). Otherwise, like git, the nearest folder from
        the current directory upward that holds ``trackersync.yaml`` (or ``.yml``); the
        search stops at a folder with ``.git`` (checked itself first) or the filesystem
        root. When none is found, the current directory.
        """
        if self.config_path is not None:
            return self.config_path.resolve().parent
        from trackersync.definitions.config_loader import find_project_root

        return find_project_root(Path.cwd())


def exit_interrupted(interrupt: KeyboardInterrupt) -> NoReturn:
    """Say ``Interrupted.`` (``Terminated.`` for SIGTERM) once on stderr; exit 130 / 143.

    The only place that prints it: :func:`handle_errors` and the command group call it
    for every path a Ctrl-C can take, and it ends the process.
    """
    ignore_further_signals()
    if isinstance(interrupt, Terminated):
        click.echo("Terminated.", err=True)
        sys.exit(EXIT_TERMINATED)
    click.echo("Interrupted.", err=True)
    sys.exit(EXIT_INTERRUPTED)


def handle_errors(func: F) -> F:
    """Map trackersync errors to a one-line message on stderr and exit code 1.

    Ctrl-C exits 130 and SIGTERM 143 (:func:`exit_interrupted`), also when apply turned
    them into an :class:`~trackersync.errors.ApplyError` after flushing its report, or
    click's prompt turned them into ``Abort``. An ``Abort`` without a Ctrl-C (end of
    input at a prompt) goes on to the command group. Anything else propagates (a bug:
    show the traceback).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TrackersyncError as exc:
            click.echo(f"Error: {exc}", err=True)
            interrupt = interrupt_of(exc)
            if interrupt is not None:
                exit_interrupted(interrupt)
            sys.exit(EXIT_ERROR)
        except (KeyboardInterrupt, click.exceptions.Abort) as exc:
            interrupt = interrupt_of(exc)
            if interrupt is None:
                raise
            exit_interrupted(interrupt)

    return wrapper  # type: ignore[return-value]


def account_options(func: F) -> F:
    """Options ``plan`` and ``apply`` share: ``--env`` and the three safety allowances.

    The allowances feed :class:`trackersync.safety.Allowances`; plan counts the same
    deletes and protected changes as safe that apply would carry out.
    """
    options = [
        click.option("--env", default=None,
                     help="Environment from trackersync.yaml environments."),
        click.option("--allow-deletes", type=click.IntRange(min=0), default=0, metavar="N",
                     help="Allow up to N deletes past the safety thresholds."),
        click.option("--allow-protected", is_flag=True,
                     help="Allow renaming or deleting trackers marked protect: true."),
        click.option("--allow-empty-remote", is_flag=True,
                     help="Accept an empty account although the state record records managed "
                     "trackers."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
