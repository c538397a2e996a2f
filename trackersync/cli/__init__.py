"""The ``trackersync`` command line: parses arguments and calls the core, nothing more.

Each sub-command lives in its own module of this package and is imported only when it
runs (:class:`TrackersyncGroup` is click's lazy-loading group): :data:`COMMANDS` names
each command's module and keeps its one-line help, so ``--version`` and ``--help`` import
no command module and nothing a command needs. Global options are kept on a
:class:`~trackersync.cli.common.AppContext` object (``ctx.obj``), never in module globals.
"""

from __future__ import annotations

import errno
import importlib
import sys
from gettext import gettext
from typing import TYPE_CHECKING, Any

import click

from trackersync import __version__
from trackersync.cli.common import (
    EXIT_ERROR,
    AppContext,
    exit_interrupted,
    install_signal_handlers,
)
from trackersync.entry import interrupt_of

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

CONFIG_HELP = ("Path to trackersync.yaml (default: the nearest one at or above the current "
               "folder, not past a .git folder).")
EMULATOR_HELP = "Run against an embedded Symbl emulator (state in .trackersync/emulator.db)."
VERBOSE_HELP = "Log each HTTP call (-vv for debug)."
NO_COLOR_HELP = "Plain output (NO_COLOR is honoured too)."

#: Every command: name -> (``module:attribute`` of its ``click.Command``, its short help).
#: The short help is what ``trackersync --help`` lists; a test checks that each equals the
#: command's own (the first sentence of its docstring), so the two never drift apart.
COMMANDS: dict[str, tuple[str, str]] = {
    "apply": ("trackersync.cli.apply_cmd:apply_command",
              "Apply the plan to the Symbl account, verify it, and write the state record."),
    "completion": ("trackersync.cli.completion_cmd:completion_command",
                   "Print the completion script for SHELL."),
    "detect": ("trackersync.cli.detect_cmd:detect_command",
               "Submit a text file, a messages JSON, or an audio/video URL or file; print "
               "detections."),
    "emulator": ("trackersync.cli.emulator_cmd:emulator_command",
                 "Run the local Symbl emulator (see `trackersync emulator --help`)."),
    "fmt": ("trackersync.cli.fmt_cmd:fmt_command",
            "Rewrite tracker files in their canonical form, comments kept."),
    "ids": ("trackersync.cli.ids_cmd:ids_command",
            "Print the IDs of the trackers the files define, read live from the account."),
    "import": ("trackersync.cli.import_cmd:import_command",
               "Write a YAML file per remote tracker, so the account becomes code."),
    "merge-ids": ("trackersync.cli.merge_cmd:merge_ids_command",
                  "Merge the state records OTHERS into this environment's (missing ones are "
                  "skipped)."),
    "plan": ("trackersync.cli.plan_cmd:plan_command",
             "Show what apply would change in the Symbl account."),
    "render": ("trackersync.cli.render_cmd:render_command",
               "Print the output of each tracker template (*.yaml.j2), with line numbers."),
    "schema": ("trackersync.cli.schema_cmd:schema",
               "Print the JSON Schema of a tracker file, for the YAML language server."),
    "test": ("trackersync.cli.test_cmd:test_command",
             "Run behaviour tests: sentences that must or must not fire each tracker."),
    "validate": ("trackersync.cli.validate_cmd:validate",
                 "Check tracker files (default: the config's trackers_dir); nothing is sent to "
                 "any API."),
}


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
    """The command group: commands loaded on first use; usage errors exit 1, never 2.

    The commands of :data:`COMMANDS` are imported by :meth:`get_command` when one is
    run (or asked for its own help); ``--help`` lists them from the table without
    importing any (click's lazy-loading group pattern). Exit code 2 means "changes
    pending" (``plan --detailed-exitcode``), so a mistyped option must not share it.
    Every command also accepts the global options after its name
    (:func:`global_options`), as in ``trackersync plan --no-color``.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, sorted, without importing any command module."""
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, importing its module the first time; ``None`` if unknown.

        Raises:
            ImportError: the command's module cannot be imported (a broken install).
        """
        command = self.commands.get(cmd_name)
        if command is None and cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name][0].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return command

    def _listed(self, ctx: click.Context) -> list[tuple[str, click.Command]]:
        """The visible commands: a loaded one itself, another as a stand-in.

        The stand-in carries only the table's short help, so nothing is imported.
        """
        listed = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=COMMANDS[name][1])
            if not command.hidden:
                listed.append((name, command))
        return listed

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The "Commands" section of ``--help``, as click writes it, from :data:`COMMANDS`.

        A command not loaded yet is listed with the table's short help, shortened by
        click's own rule for the terminal's width; a loaded one with its own.
        """
        commands = self._listed(ctx)
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _command in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """Shell completion of a command name (with its short help) or a global option.

        As click completes a group's commands, from :data:`COMMANDS`: pressing Tab
        imports no command module.
        """
        from click.shell_completion import CompletionItem

        results = [CompletionItem(name, help=command.get_short_help_str())
                   for name, command in self._listed(ctx) if name.startswith(incomplete)]
        results.extend(click.Command.shell_complete(self, ctx, incomplete))
        return results

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        """Parse the group's arguments; a Ctrl-C meanwhile exits 130 (see :meth:`invoke`)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except KeyboardInterrupt as interrupt:
            exit_interrupted(interrupt)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the group and its command; a Ctrl-C anywhere in them exits 130 at once.

        click's own handler would turn it into ``Abort`` after writing an empty line to
        stderr; a command is imported here on first use, so a Ctrl-C early in a run
        often lands there. Caught here (and while arguments are parsed), it ends with
        exactly one ``Interrupted.`` line (``Terminated.`` and 143 for SIGTERM), as
        everywhere else.
        """
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as interrupt:
            exit_interrupted(interrupt)

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
        if sys.stdout is None:  # started with standard output closed (`>&-`)
            click.echo("Error: standard output is closed; redirect it to a file or "
                       "/dev/null instead", err=True)
            sys.exit(EXIT_ERROR)
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
            interrupt = interrupt_of(exc)  # unless a signal is behind it (see interrupt_of)
            if interrupt is not None:
                exit_interrupted(interrupt)
            import logging

            logging.getLogger("trackersync").debug("internal error", exc_info=True)
            if isinstance(exc, OSError) and exc.errno in DISK_FULL:  # not a bug
                click.echo(f"Error: cannot write the output: {exc.strerror or exc}", err=True)
                sys.exit(EXIT_ERROR)
            from trackersync.secrets import display

            detail = display(str(exc))[:300]  # masked: an unexpected message may hold anything
            click.echo(f"Error: internal error ({type(exc).__name__}: {detail}); nothing more "
                       "was sent; run again with -vv for the traceback and report it", err=True)
            sys.exit(EXIT_ERROR)
        if isinstance(result, int) and result:  # click.exceptions.Exit(code) returns it
            sys.exit(result)
        return result


#: Errors of a write the disk could not take: the output (stdout, stderr) on a full disk
#: or quota. Every file trackersync writes itself is reported with its name elsewhere.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


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


__all__ = ["COMMANDS", "TrackersyncGroup", "main"]
