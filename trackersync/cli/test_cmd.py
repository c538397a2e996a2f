"""``trackersync test``: run the trackers' behaviour tests through the Async text API.

Exit 0 when every test passes (warnings allowed), 1 on any failure or error. Tracker
files with errors stop the run before any job: their problems are printed as text on
stderr, or as workflow annotations on stdout with ``--format github``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackersync.cli.common import EXIT_ERROR, AppContext, handle_errors

#: The renderers of trackersync.behaviour.report (imported only when the command runs).
FORMATS = ("text", "json", "junit", "github", "markdown")


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Output format.")
@click.option("--env", default=None, metavar="NAME",
              help="Test the trackers applied to this environment's account (default: a "
              "fresh embedded emulator holding the trackers as the files define them).")
@click.option("--junit-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write JUnit XML to this file.")
@click.option("--markdown-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a Markdown summary (for a PR comment) to this file.")
@click.pass_obj
@handle_errors
def test_command(app: AppContext, paths: tuple[Path, ...], fmt: str, env: str | None,
                 junit_out: Path | None, markdown_out: Path | None) -> None:
    """Run behaviour tests: sentences that must or must not fire each tracker."""
    from trackersync.behaviour.report import RENDERERS
    from trackersync.behaviour.runner import BehaviourReport, run_behaviour_tests
    from trackersync.definitions import load_config
    from trackersync.errors import DefinitionError
    from trackersync.render.problems import render_problems

    def write_reports(report: BehaviourReport) -> None:
        for path, kind in ((junit_out, "junit"), (markdown_out, "markdown")):
            if path is not None:
                path.write_text(RENDERERS[kind](report) + "\n", encoding="utf-8")

    config = load_config(app.config_path, app.project_root)
    try:
        report = run_behaviour_tests(app, config, env=env, paths=paths)
    except DefinitionError as exc:
        # In a workflow the problems annotate the files, like validate --format github,
        # and the CI test report still gets a file that names them as failures.
        github = fmt == "github"
        for line in render_problems(exc.problems, "github" if github else "text"):
            click.echo(line, err=not github)
        write_reports(BehaviourReport(problems=list(exc.problems)))
        raise
    write_reports(report)
    click.echo(RENDERERS[fmt](report))
    if not report.ok:
        sys.exit(EXIT_ERROR)
