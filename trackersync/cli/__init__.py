"""The ``trackersync`` command line: parses arguments and calls the core, nothing more.

Each sub-command lives in its own module of this package and registers itself on
:data:`main`. Global options are kept on a :class:`~trackersync.cli.common.AppContext`
object (``ctx.obj``), never in module globals.
"""

from __future__ import annotations

import logging
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

CONFIG_HELP = ("Path to trackersync.yaml (default: the nearest one at or above the current "
               "folder, not past a .git folder).")
EMULATOR_HELP = "Run against an embedded Symbl emulator (state in .trackersync/emulator.db)."
VERBOSE_HELP = "Log each HTTP call (-vv for debug)."
NO_COLOR_HELP = "Plain output (NO_COLOR is honoured too)."


def _late_option(name: str) -> Any:
    """Callback of a global option given after the command: update the shared context."""

    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        app = ctx.find_object(AppContext)
        if app is not None and value:
            app.update(**{name: value})
        return value

    return callback


def global_options() -> list[click.Option]:
    """The global options, as each command also accepts them (``plan --no-color``)."""
    return [
        click.Option(["--config", "config_path"], type=click.Path(dir_okay=False),
                     expose_value=False, callback=_late_option("config_path"),
                     help=CONFIG_HELP),
        click.Option(["--emulator", "use_emulator"], is_flag=True, expose_value=False,
                     callback=_late_option("use_emulator"), help=EMULATOR_HELP),
        click.Option(["-v", "--verbose"], count=True, expose_value=False,
                     callback=_late_option("verbose"), help=VERBOSE_HELP),
        click.Option(["--no-color"], is_flag=True, expose_value=False,
                     callback=_late_option("no_color"), help=NO_COLOR_HELP),
    ]


class TrackersyncGroup(click.Group):
    """The command group; usage errors exit 1, never click's default 2.

    Exit code 2 means "changes pending" (``plan --detailed-exitcode``), so a mistyped
    option must not share it. Every command also accepts the global options after its
    name (:func:`global_options`), as in ``trackersync plan --no-color``.
    """

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        """Register ``cmd`` with the global options appended to its own."""
        taken = {opt for param in cmd.params for opt in getattr(param, "opts", ())}
        cmd.params.extend(o for o in global_options() if not taken & set(o.opts))
        super().add_command(cmd, name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the CLI; map click's usage errors and aborts to exit code 1.

        A Ctrl-C outside a command (click turns it into ``Abort``) exits 130 with one
        ``Interrupted.`` line, as inside one (:func:`~trackersync.cli.common.handle_errors`).
        Any other exception is a bug: the user gets one ``Error: internal error`` line and
        exit 1, never a traceback (``-vv`` logs it).
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
        except Exception as exc:  # a bug: one line for the user, the traceback with -vv
            logging.getLogger("trackersync").debug("internal error", exc_info=True)
            from trackersync.secrets import display

            detail = display(str(exc))[:300]  # masked: an unexpected message may hold anything
            click.echo(f"Error: internal error ({type(exc).__name__}: {detail}); nothing more "
                       "was sent; run again with -vv for the traceback and report it", err=True)
            sys.exit(EXIT_ERROR)
        if isinstance(result, int) and result:  # click.exceptions.Exit(code) returns it
            sys.exit(result)
        return result


@click.group(
    cls=TrackersyncGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help=CONFIG_HELP)
@click.option("--emulator", "use_emulator", is_flag=True, help=EMULATOR_HELP)
@click.option("-v", "--verbose", count=True, help=VERBOSE_HELP)
@click.option("--no-color", is_flag=True, help=NO_COLOR_HELP)
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
        completion_cmd,
        detect_cmd,
        emulator_cmd,
        fmt_cmd,
        ids_cmd,
        import_cmd,
        merge_cmd,
        plan_cmd,
        render_cmd,
        schema_cmd,
        test_cmd,
        validate_cmd,
    )


_register()

__all__ = ["main"]
