"""How the CLI shows what the core reports: the :class:`~trackersync.sync.Hooks` it supplies."""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from trackersync.apply import ApplyReport
from trackersync.errors import ConfigError
from trackersync.model import Problem
from trackersync.pipeline import PlanResult
from trackersync.plan import Plan
from trackersync.sync import Hooks


def echo_problems(problems: Sequence[Problem]) -> None:
    """Print the tracker files' problems to stderr, one ``file:line:col: …`` per line."""
    for problem in problems:
        click.echo(str(problem), err=True)


def plan_printer(fmt: str, color: bool) -> Hooks:
    """Hooks for ``plan``: the plan on stdout in ``fmt``; warnings to stderr for machines."""
    from trackersync.render import render_plan
    from trackersync.render.text import warning_line

    def show(result: PlanResult) -> None:
        if fmt != "text":
            for warning in result.plan.warnings:
                click.echo(warning_line(warning), err=True)
        click.echo(render_plan(result.plan, fmt, color=color and fmt == "text"))

    return Hooks(show_plan=show, problems=echo_problems)


def _stdin_is_tty() -> bool:
    return sys.stdin.isatty()


def apply_printer(color: bool, auto_approve: bool) -> Hooks:
    """Hooks for ``apply``: the text plan, a confirmation prompt, progress lines (every
    step on a terminal; in a CI log, every few changes or seconds).
    """
    from trackersync.progress import ProgressReporter
    from trackersync.render import render_plan

    def show(result: PlanResult) -> None:
        click.echo(render_plan(result.plan, "text", color=color))

    def confirm(_plan: Plan) -> bool:
        if auto_approve:
            return True
        if not _stdin_is_tty():
            raise ConfigError("refusing to apply without confirmation: stdin is not a "
                              "terminal; pass --auto-approve (or apply a saved plan file)")
        return click.confirm("Apply these changes?", default=False)

    def failure(report: ApplyReport) -> None:
        head = "Apply finished, but did not converge" if report.verified else "Apply stopped"
        click.echo(f"{head}; status of each operation:", err=True)
        click.echo(report.table(), err=True)
        click.echo(report.summary(), err=True)

    return Hooks(show_plan=show, confirm=confirm, problems=echo_problems,
                 notice=lambda line: click.echo(line, err=True),
                 progress=ProgressReporter(click.echo, tty=sys.stdout.isatty()),
                 failure=failure)


__all__ = ["apply_printer", "echo_problems", "plan_printer"]
