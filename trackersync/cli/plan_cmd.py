"""``trackersync plan``: parse the options, call :func:`trackersync.sync.plan`.

Exit codes: 0 (no changes, or any changes without ``--detailed-exitcode``), 2 (changes
with ``--detailed-exitcode``), 1 (any error, including a plan apply would refuse).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackersync.cli.common import EXIT_CHANGES, EXIT_OK, AppContext, account_options, handle_errors


@click.command("plan")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the plan (JSON) for apply.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True, help="Output format on stdout.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 2 when there are changes (0 none, 1 error).")
@click.option("--prune/--no-prune", default=None,
              help="Plan deletes of owned trackers no file defines (default: config prune).")
@click.option("--drift-only", is_flag=True,
              help="Show and count only drift and conflicts (changes made in the account).")
@account_options
@click.pass_obj
@handle_errors
def plan_command(
    app: AppContext, out: Path | None, fmt: str, detailed_exitcode: bool,
    prune: bool | None, drift_only: bool, env: str | None, allow_empty_remote: bool,
    allow_deletes: int, allow_protected: bool,
) -> None:
    """Show what apply would change in the Symbl account.

    Each change is marked pending (changed in the files), drift (changed in the account
    outside trackersync) or conflict (both). Exits 1 when apply would refuse the plan
    (mass deletes, protected trackers), so an unsafe plan never reads as "changes
    pending".
    """
    from trackersync import sync
    from trackersync.cli.output import plan_printer
    from trackersync.safety import Allowances

    allowances = Allowances(allow_deletes, allow_protected, allow_empty_remote)
    request = sync.Request(env=env, prune=prune, allowances=allowances, drift_only=drift_only)
    plan = sync.plan(app, request, plan_printer(fmt, app.color), out=out)
    sys.exit(EXIT_CHANGES if detailed_exitcode and plan.has_changes else EXIT_OK)
