"""``trackersync merge-ids FILE...``: merge other copies of the ownership record into
this environment's ``ids_file``, keeping every owned ID that exists in the account.

Used by CI after apply, with the copy committed on the branch tip, so two runs that
apply close together never lose what the other recorded (see
:mod:`trackersync.record_merge`). One list GET; nothing is written to the account.
Exit 0, or 1 on error (then ``ids_file`` is left as it was).
"""

from __future__ import annotations

from pathlib import Path

import click

from trackersync.cli import main
from trackersync.cli.common import AppContext, handle_errors


@main.command("merge-ids")
@click.argument("others", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--env", default=None, help="Environment from trackersync.yaml environments.")
@click.pass_obj
@handle_errors
def merge_ids_command(app: AppContext, others: tuple[str, ...], env: str | None) -> None:
    """Merge the ids files OTHERS into this environment's ids_file (missing ones are skipped).

    A tracker stays owned when this ids_file or any of OTHERS records its ID and the ID
    still exists in the account; it is recorded under its current name.
    """
    from trackersync.definitions import load_config
    from trackersync.ids import ids_file_path, read_ids_file, write_ids_file
    from trackersync.record_merge import merge_records
    from trackersync.session import open_target

    config = load_config(app.config_path, app.project_root)
    if app.use_emulator:
        path = ids_file_path(app.project_root / ".trackersync", "emulator.ids.json", env)
    else:
        path = ids_file_path(app.project_root, config.ids_file, env)
    ours = read_ids_file(path)
    theirs = [read_ids_file(Path(other)) for other in others]
    with open_target(app, config, env) as target:
        listing = target.client.list_trackers()
    merged = merge_records([ours, *theirs], listing)
    write_ids_file(path, merged)
    before = set(ours.names.values()) if ours else set()
    added = sum(1 for tid in merged.names.values() if tid not in before)
    click.echo(f"{path}: {len(merged.names)} trackers owned "
               f"({added} recorded only in {', '.join(others) or 'no other file'}).")
