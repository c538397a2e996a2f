"""``trackersync apply [PLAN]``: parse the options, call :func:`trackersync.sync.apply`.

Without PLAN it plans, prints and asks for confirmation (refused without a terminal
unless ``--auto-approve``). With PLAN (from ``plan --out``) it refuses a stale plan.
With ``--tracker-ids-out FILE`` it then writes the IDs of the trackers the files define to
FILE, exactly what ``trackersync ids`` would print (from the account as last read, no
request); FILE is removed first, so it never holds an older list after a failed apply.
Exit codes: 0 done and verified, 1 any error (nothing written on refusals; with
``--tracker-ids-out``, also when a defined tracker has no single ID, after the apply).
"""

from __future__ import annotations

from pathlib import Path

import click

from trackersync.cli.common import AppContext, account_options, handle_errors


@click.command("apply")
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation.")
@click.option("--prune/--no-prune", default=None,
              help="Delete owned trackers no file defines (default: config prune).")
@click.option("--overwrite-conflicts", is_flag=True,
              help="Apply the files over trackers that were also changed in the account.")
@click.option("--tracker-ids-out", type=click.Path(dir_okay=False, path_type=Path),
              default=None,
              help="After a verified apply, write the IDs of the trackers the files define "
                   "to this file, as `trackersync ids` prints them (no request); the file "
                   "is removed first, so a failed apply leaves none.")
@account_options
@click.pass_obj
@handle_errors
def apply_command(
    app: AppContext, plan_file: Path | None, auto_approve: bool, prune: bool | None,
    overwrite_conflicts: bool, tracker_ids_out: Path | None, allow_deletes: int,
    allow_protected: bool, allow_empty_remote: bool, env: str | None,
) -> None:
    """Apply the plan to the Symbl account, verify it, and write the state record."""
    from trackersync import sync
    from trackersync.cli.output import apply_printer
    from trackersync.safety import Allowances

    request = sync.Request(
        env=env, prune=prune, overwrite_conflicts=overwrite_conflicts,
        allowances=Allowances(allow_deletes, allow_protected, allow_empty_remote),
        tracker_ids_out=tracker_ids_out)
    outcome = sync.apply(app, request, apply_printer(app.color, auto_approve),
                         plan_file=plan_file)
    if outcome.report is not None:
        click.echo(f"{outcome.report.summary()} ({outcome.requests} API requests)")
