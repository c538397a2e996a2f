"""``trackersync apply [PLAN]``: parse the options, call :func:`trackersync.sync.apply`.

Without PLAN it plans, prints and asks for confirmation (refused without a terminal
unless ``--auto-approve``). With PLAN (from ``plan --out``) it refuses a stale plan.
With ``--ids-out FILE`` it then writes the IDs of the trackers the files define to FILE,
exactly what ``trackersync ids`` would print (taken from the verify read, no request).
Exit codes: 0 done and verified, 1 any error (nothing written on refusals; with
``--ids-out``, also when a defined tracker has no single ID, after the apply).
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
@click.option("--ids-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="After a verified apply, write the IDs of the trackers the files define "
                   "to this file, as `trackersync ids` prints them (no request).")
@account_options
@click.pass_obj
@handle_errors
def apply_command(
    app: AppContext, plan_file: Path | None, auto_approve: bool, prune: bool | None,
    overwrite_conflicts: bool, ids_out: Path | None, allow_deletes: int, allow_protected: bool,
    allow_empty_remote: bool, env: str | None,
) -> None:
    """Apply the plan to the Symbl account, verify it, and write the state record."""
    from trackersync import sync
    from trackersync.cli.output import apply_printer
    from trackersync.safety import Allowances

    request = sync.Request(
        env=env, prune=prune, overwrite_conflicts=overwrite_conflicts,
        allowances=Allowances(allow_deletes, allow_protected, allow_empty_remote))
    hooks = apply_printer(app.color, auto_approve)
    outcome = sync.apply(app, request, hooks, plan_file=plan_file)
    if outcome.report is not None:
        click.echo(f"{outcome.report.summary()} ({outcome.requests} API requests)")
    if ids_out is not None:
        from trackersync.ids import write_fragment

        write_fragment(ids_out, sync.defined_ids(outcome, hooks))
