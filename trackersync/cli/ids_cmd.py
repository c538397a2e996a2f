"""``trackersync ids``: parse the options, call :func:`trackersync.sync.tracker_ids`.

Formats: ``async`` (exactly ``{"trackers":[{"id":"…"}]}``), ``map``, ``github``
(appends ``tracker-ids=…`` to ``$GITHUB_OUTPUT``), ``env`` (``TRACKER_ID_<SLUG>=<id>``
lines). Exit 0, or 1 on error (nothing on stdout).
"""

from __future__ import annotations

import click

from trackersync.cli.common import AppContext, handle_errors
from trackersync.ids import FORMATS


@click.command("ids")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="async",
              show_default=True, help="Output format.")
@click.option("--name", "names", multiple=True, help="Only this tracker (repeatable).")
@click.option("--env", default=None, help="Environment from trackersync.yaml environments.")
@click.pass_obj
@handle_errors
def ids_command(app: AppContext, fmt: str, names: tuple[str, ...], env: str | None) -> None:
    """Print the IDs of the trackers the files define, read live from the account.

    Exits 1, printing nothing on stdout, when a defined tracker has no single ID in the
    account (not applied yet, or its name is shared): a partial list would silently
    drop trackers from Async API submissions.
    """
    from trackersync import sync
    from trackersync.cli.output import echo_problems
    from trackersync.ids import append_github_output, env_collisions, format_ids
    from trackersync.secrets import display

    hooks = sync.Hooks(problems=echo_problems, notice=lambda line: click.echo(line, err=True))
    chosen = sync.tracker_ids(app, env, names, hooks).ids
    if fmt == "env":
        for message in env_collisions(chosen):
            click.echo(f"warning: {display(message)}", err=True)
    text = format_ids(chosen, fmt)
    if fmt == "github":
        click.echo(f"tracker-ids written to {append_github_output(text)}", err=True)
    else:
        click.echo(text)
