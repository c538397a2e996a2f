"""``trackersync emulator``: the same command as ``python -m symbl_emulator``.

It runs the local Symbl emulator until Ctrl-C and prints the URL and the credentials
to use (``SYMBL_API_URL``, ``SYMBL_APP_ID``, ``SYMBL_APP_SECRET``): the emulator's own,
local-only secret, printed because the user asked to run it. Options, help and exit
codes are those of :mod:`symbl_emulator.cli` (one definition, never two lists of
options); the emulator (Werkzeug, Waitress) is imported only when this command runs.
"""

from __future__ import annotations

import click


@click.command(
    "emulator",
    add_help_option=False,
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
@click.pass_context
def emulator_command(ctx: click.Context) -> None:
    """Run the local Symbl emulator (see `trackersync emulator --help`)."""
    from symbl_emulator.cli import main as emulator_main

    emulator_main.main(args=list(ctx.args), prog_name="trackersync emulator")
