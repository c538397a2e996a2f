"""``trackersync plan``: validate, one list GET, diff, print the plan (DESIGN.md "Commands").

Exit codes: 0 (no changes, or any changes without ``--detailed-exitcode``), 2 (changes
with ``--detailed-exitcode``), 1 (any error). ``--out FILE`` saves the plan as JSON with
its fingerprint (no secrets) for ``trackersync apply FILE``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trackersync.cli import main
from trackersync.cli.common import (
    EXIT_CHANGES,
    EXIT_OK,
    AppContext,
    account_options,
    handle_errors,
)
from trackersync.config import Config
from trackersync.errors import ConfigError, DefinitionError, PlanError
from trackersync.pipeline import PlanOptions, PlanResult
from trackersync.safety import Allowances

if TYPE_CHECKING:
    from trackersync.plan import Plan
    from trackersync.session import Target


@contextmanager
def planning(
    app: AppContext,
    env: str | None,
    prune: bool | None,
    allowances: Allowances,
    saved: Plan | None = None,
) -> Iterator[tuple[Config, PlanResult, Target]]:
    """Load the config, open the API target and run the pipeline; yield (config, result,
    target). Definition problems are printed to stderr, one per line, before exit 1.

    With ``--emulator`` the ids_file is ``.trackersync/emulator.ids.json`` (per env), so
    emulator IDs never replace the record of a real account. A ``saved`` plan made for
    another API URL or environment is refused before any HTTP call.
    """
    from trackersync.definitions import load_config
    from trackersync.ids import ids_file_path
    from trackersync.pipeline import make_plan
    from trackersync.session import open_target

    config = load_config(app.config_path, app.project_root)
    with open_target(app, config, env) as target:
        api_url = "emulator" if target.emulator is not None else target.api_url
        if saved is not None and (saved.api_url, saved.env) != (api_url, env):
            raise PlanError(
                f"plan was made for {saved.api_url or '?'} (env {saved.env or 'default'}), "
                f"not {api_url} (env {env or 'default'}); nothing was sent"
            )
        ids_path = None
        if target.emulator is not None:
            ids_path = ids_file_path(app.project_root / ".trackersync", "emulator.ids.json", env)
        options = PlanOptions(env=env, api_url=api_url, prune=prune, allowances=allowances,
                              ids_path=ids_path)
        try:
            result = make_plan(app.project_root, config, target.client, options)
        except DefinitionError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise
        yield config, result, target


def print_warnings_to_stderr(result: PlanResult) -> None:
    """Plan warnings go to stderr when stdout carries machine output, in validate's
    ``path:line:col: warning: message`` form (as the text plan shows them)."""
    from trackersync.render.text import warning_line

    for warning in result.plan.warnings:
        click.echo(warning_line(warning), err=True)  # masks the message, not the path


def save_plan(result: PlanResult, out: str) -> None:
    """Write the plan JSON to ``out``.

    Raises:
        ConfigError: the file cannot be written.
    """
    try:
        Path(out).write_text(result.plan.to_json() + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{out}: cannot write the plan: {exc.strerror}") from exc


@main.command("plan")
@click.option("--out", type=click.Path(dir_okay=False), help="Save the plan (JSON) for apply.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True, help="Output format on stdout.")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 2 when there are changes (0 none, 1 error).")
@click.option("--prune/--no-prune", default=None,
              help="Plan deletes of owned trackers no file defines (default: config prune).")
@account_options
@click.pass_obj
@handle_errors
def plan_command(
    app: AppContext, out: str | None, fmt: str, detailed_exitcode: bool,
    prune: bool | None, env: str | None, allow_empty_remote: bool, allow_deletes: int,
    allow_protected: bool,
) -> None:
    """Show what apply would change in the Symbl account.

    Exit 1 when apply would refuse the plan (mass deletes, protected trackers), so an
    unsafe plan never reads as "changes pending".
    """
    from trackersync.render import render_plan
    from trackersync.safety import check_deletes

    allowances = Allowances(allow_deletes, allow_protected, allow_empty_remote)
    with planning(app, env, prune, allowances) as (config, result, _target):
        pass
    if out:
        save_plan(result, out)
    if fmt != "text":
        print_warnings_to_stderr(result)
    click.echo(render_plan(result.plan, fmt, color=app.color and fmt == "text"))
    check_deletes(result.plan, config.safety, allowances)
    changed = result.plan.has_changes
    sys.exit(EXIT_CHANGES if detailed_exitcode and changed else EXIT_OK)
