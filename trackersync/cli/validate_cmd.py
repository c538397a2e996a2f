"""``trackersync validate [PATH…]``: load, render and check every tracker file; no API call.

Prints every problem in one run, sorted by file and line, then a summary line
(``text``); or GitHub workflow annotations (``github``); or a JSON list (``json``).
``--report FILE`` also writes the problems as plain ``file:line:col: severity: message``
lines, for tools that need them besides annotations. Exit 1 on any error (on any
warning too with ``--strict``), else 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackersync.cli.common import EXIT_ERROR, AppContext, handle_errors
from trackersync.errors import ConfigError
from trackersync.render.problems import FORMATS


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--env", "env", default=None, metavar="NAME",
              help="Environment whose template vars apply (see environments: in the config).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the problems as plain text lines to this file.")
@click.pass_obj
@handle_errors
def validate(
    app: AppContext, paths: tuple[Path, ...], fmt: str, strict: bool, env: str | None,
    report: Path | None,
) -> None:
    """Check tracker files (default: the config's trackers_dir); nothing is sent to any API.

    Without --env, templates are checked with the default variables and with each
    environment's; a problem only one environment causes names that environment.
    """
    from trackersync.definitions import load_config, load_definitions, load_for_every_environment
    from trackersync.render.problems import render_problems
    from trackersync.textfile import atomic_write

    config = load_config(app.config_path, app.project_root)
    chosen = list(paths) or None
    result = (load_definitions(app.project_root, config, env=env, paths=chosen)
              if env is not None
              else load_for_every_environment(app.project_root, config, paths=chosen))
    for line in render_problems(result.problems, fmt):
        click.echo(line)
    if fmt == "text":
        click.echo(result.summary())
    if report is not None:
        lines = "".join(f"{line}\n" for line in render_problems(result.problems, "text"))
        try:
            atomic_write(report, lines)
        except OSError as exc:
            raise ConfigError(f"{report}: cannot write the report: {exc.strerror}") from exc
    if result.has_errors or (strict and result.problems):
        sys.exit(EXIT_ERROR)
