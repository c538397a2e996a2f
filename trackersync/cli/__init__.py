"""The ``trackersync`` command line: parses arguments and calls the core, nothing more.

Each sub-command lives in its own module of this package and registers itself on
:data:`main`. Global options are kept on a :class:`~trackersync.cli.common.AppContext`
object (``ctx.obj``), never in module globals.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from trackersync import __version__
from trackersync.cli.common import (
    EXIT_ERROR,
    AppContext,
    exit_interrupted,
    install_signal_handlers,
    interrupt_of,
)


class TrackersyncGroup(click.Group):
    """The command group; usage errors exit 1, never click's default 2.

    Exit code 2 means "changes pending" (``plan --detailed-exitcode``), so a mistyped
    option must not share it.
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the CLI; map click's usage errors and aborts to exit code 1.

        A Ctrl-C outside a command (click turns it into ``Abort``) exits 130 with one
        ``Interrupted.`` line, as inside one (:func:`~trackersync.cli.common.handle_errors`).
        """
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.ClickException as exc:
            exc.show()
            sys.exit(EXIT_ERROR)
        except click.exceptions.Abort as exc:
            interrupt = interrupt_of(exc)
            if interrupt is not None:
                exit_interrupted(interrupt)
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_ERROR)
        except KeyboardInterrupt as exc:  # raised past click's own handler
            exit_interrupted(exc)
        if isinstance(result, int) and result:  # click.exceptions.Exit(code) returns it
            sys.exit(result)
        return result


@click.group(
    cls=TrackersyncGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Path to trackersync.yaml (default: the nearest one at or above the current "
    "folder, not past a .git folder).",
)
@click.option(
    "--emulator",
    "use_emulator",
    is_flag=True,
    help="Run against an embedded Symbl emulator (state in .trackersync/emulator.db).",
)
@click.option("-v", "--verbose", count=True, help="Log each HTTP call (-vv for debug).")
@click.option("--no-color", is_flag=True, help="Plain output (NO_COLOR is honoured too).")
@click.version_option(__version__, prog_name="trackersync")
@click.pass_context
def main(
    ctx: click.Context,
    config_path: str | None,
    use_emulator: bool,
    verbose: int,
    no_color: bool,
) -> None:
    """Symbl.ai Trackers as code: validate, plan, apply, and emit tracker IDs."""
    install_signal_handlers()
    ctx.obj = AppContext.create(
        config_path=config_path, use_emulator=use_emulator, verbose=verbose, no_color=no_color
    )


def _register() -> None:
    from trackersync.cli import (  # noqa: F401  (each module adds its command to main)
        apply_cmd,
        detect_cmd,
        emulator_cmd,
        ids_cmd,
        import_cmd,
        merge_cmd,
        plan_cmd,
        schema_cmd,
        test_cmd,
        validate_cmd,
    )


_register()

__all__ = ["main"]
