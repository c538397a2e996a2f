"""``trackersync apply [PLAN]``: make the account match the files, verify, write ids_file.

Without PLAN it plans, prints and asks for confirmation (refused without a terminal
unless ``--auto-approve``). With PLAN (from ``plan --out``) it re-reads the files and
the account and refuses a stale plan (C13). Safety checks run before any write.
Exit codes: 0 done and verified, 1 any error (nothing written on refusals).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackersync.cli import main
from trackersync.cli.common import AppContext, account_options, handle_errors
from trackersync.cli.plan_cmd import planning
from trackersync.errors import ApplyError, ConfigError
from trackersync.pipeline import PlanResult
from trackersync.plan import Plan
from trackersync.progress import ProgressReporter
from trackersync.safety import Allowances


def _load_saved(path: str | None) -> Plan | None:
    if path is None:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the plan: {exc.strerror}") from exc
    return Plan.from_json(text, origin=path)


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def _confirm(auto_approve: bool) -> None:
    if auto_approve:
        return
    if not _stdin_is_tty():
        raise ConfigError("refusing to apply without confirmation: stdin is not a terminal; "
                          "pass --auto-approve (or apply a saved plan file)")
    if not click.confirm("Apply these changes?", default=False):
        raise ConfigError("apply cancelled; nothing was changed")


def _report_failure(exc: ApplyError, result: PlanResult) -> None:
    """Print the status table and what actually happened (C12, C14) to stderr."""
    if exc.report is None:
        return
    head = "Apply finished, but did not converge" if exc.report.verified else "Apply stopped"
    click.echo(f"{head}; status of each operation:", err=True)
    click.echo(exc.report.table(), err=True)
    click.echo(exc.report.summary(), err=True)
    if exc.report.ids:
        click.echo(f"IDs of the trackers that exist were written to {result.ids_path}",
                   err=True)


@main.command("apply")
@click.argument("plan_file", required=False, type=click.Path(dir_okay=False))
@click.option("--auto-approve", is_flag=True, help="Do not ask for confirmation.")
@click.option("--prune/--no-prune", default=None,
              help="Delete owned trackers no file defines (default: config prune).")
@account_options
@click.pass_obj
@handle_errors
def apply_command(
    app: AppContext, plan_file: str | None, auto_approve: bool, prune: bool | None,
    allow_deletes: int, allow_protected: bool, allow_empty_remote: bool, env: str | None,
) -> None:
    """Apply the plan to the Symbl account, verify it, and write ids_file."""
    from trackersync.apply import apply_plan, check_fresh, owned_ids
    from trackersync.ids import IdsRecord, protected_names, write_ids_file
    from trackersync.render import render_plan
    from trackersync.safety import check_deletes

    saved = _load_saved(plan_file)
    if saved is not None:
        if prune is not None and prune != saved.prune:
            raise ConfigError(f"{plan_file} was planned with prune={saved.prune}; "
                              "run plan again with the prune setting you want")
        prune, env = saved.prune, env if env is not None else saved.env
    allowances = Allowances(allow_deletes, allow_protected, allow_empty_remote)
    with planning(app, env, prune, allowances, saved) as (config, result, target):
        plan = result.plan
        if saved is not None:
            check_fresh(saved, plan, {t.id: t.name for t in result.remote})
        click.echo(render_plan(plan, "text", color=app.color))
        managed = [t.name for t in result.desired]
        protected = protected_names(result.desired, result.record)
        if not plan.has_changes:
            owned = dict(result.record.names) if result.record else {}
            ids = owned_ids(result.remote, managed, owned)
            write_ids_file(result.ids_path, IdsRecord(ids, protected))
            click.echo(f"IDs written to {result.ids_path}.")
            return
        check_deletes(plan, config.safety, allowances)
        if saved is None:
            _confirm(auto_approve)
        progress = ProgressReporter(click.echo, tty=sys.stdout.isatty())
        client = target.client
        try:
            report = apply_plan(plan, client, managed=managed, protected=protected,
                                record=result.record, ids_path=result.ids_path,
                                progress=progress)
        except ApplyError as exc:
            _report_failure(exc, result)
            raise
    click.echo(f"{report.summary()} ({client.request_count} API requests)")
    click.echo(f"IDs written to {result.ids_path}.")
