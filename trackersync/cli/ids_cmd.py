"""``trackersync ids``: the managed trackers' IDs, read live (one list GET).

Managed = defined in the tracker files. Formats: ``async`` (exactly
``{"trackers":[{"id":"…"}]}``), ``map``, ``github`` (appends ``tracker-ids=…`` to
``$GITHUB_OUTPUT``), ``env`` (``TRACKER_ID_<SLUG>=<id>`` lines). Exit 0, or 1 on error.
"""

from __future__ import annotations

import click

from trackersync.cli import main
from trackersync.cli.common import AppContext, handle_errors
from trackersync.errors import ConfigError, DefinitionError, PlanError
from trackersync.ids import FORMATS


@main.command("ids")
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
    from trackersync.definitions import load_config, load_definitions
    from trackersync.ids import append_github_output, env_collisions, format_ids, select
    from trackersync.secrets import display
    from trackersync.session import open_target
    from trackersync.text import nfc

    names = tuple(nfc(n) for n in names)  # compared in Unicode NFC, like every name
    config = load_config(app.config_path, app.project_root)
    definitions = load_definitions(app.project_root, config, env)
    try:
        definitions.raise_for_errors()
    except DefinitionError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise
    with open_target(app, config, env) as target:
        listing = target.client.list_trackers()
    counts: dict[str, int] = {}
    for tracker in listing:
        counts[tracker.name] = counts.get(tracker.name, 0) + 1
    by_name = {t.name: t.id for t in listing if counts[t.name] == 1}
    managed = {t.name: by_name[t.name] for t in definitions.trackers if t.name in by_name}
    defined = [t.name for t in definitions.trackers]
    unknown = [n for n in names if n not in defined]
    if unknown:
        raise ConfigError("no tracker file defines " + ", ".join(map(repr, unknown)))
    missing = [n for n in (names or defined) if n not in by_name]
    for name in missing:  # an incomplete ID list must never reach an Async API call
        state = "is ambiguous (several share its name)" if name in counts else \
            "is not in the account yet"
        click.echo(f"error: tracker '{display(name)}' {state}", err=True)
    if missing:
        raise PlanError(f"{len(missing)} tracker(s) the files define have no single ID in "
                        "the account; run apply first")
    chosen = select(managed, list(names))
    if fmt == "env":
        for message in env_collisions(chosen):
            click.echo(f"warning: {display(message)}", err=True)
    text = format_ids(chosen, fmt)
    if fmt == "github":
        path = append_github_output(text)
        click.echo(f"tracker-ids written to {path}", err=True)
        return
    click.echo(text)
