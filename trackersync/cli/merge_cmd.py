"""``trackersync merge-ids FILE...``: parse the options, call :func:`trackersync.sync.merge_state`.

Used by CI after apply, with the copy of the state record committed on the branch tip,
so two runs that apply close together never lose what the other recorded (see
:mod:`trackersync.record_merge`). One list GET; nothing is written to the account.
Exit 0, or 1 on error (then the state record is left as it was).
"""

from __future__ import annotations

from pathlib import Path

import click

from trackersync.cli.common import AppContext, handle_errors


@click.command("merge-ids")
@click.argument("others", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--env", default=None, help="Environment from trackersync.yaml environments.")
@click.pass_obj
@handle_errors
def merge_ids_command(app: AppContext, others: tuple[Path, ...], env: str | None) -> None:
    """Merge the state records OTHERS into this environment's (missing ones are skipped).

    A tracker stays owned when this record or any of OTHERS records its ID and the ID
    still exists in the account; it is recorded under its current name.
    """
    from trackersync import sync

    merged = sync.merge_state(app, env, others)
    line = f"{merged.path}: {merged.owned} trackers owned"
    if merged.merged:
        line += (f" ({merged.added} recorded only in "
                 f"{', '.join(map(str, merged.merged))})")
    if merged.skipped:
        line += f"; skipped {', '.join(map(str, merged.skipped))}: no such file"
    click.echo(line + ".")
