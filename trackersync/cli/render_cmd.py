"""``trackersync render [--env NAME] [FILE…]``: print what the templates render to.

Each ``*.yaml.j2`` template is rendered with the config's ``vars`` (overlaid by the
environment's with ``--env``) and printed with line numbers, the lines that validate's
"line N of the output rendered from FILE" messages refer to. Nothing is sent to any
API. Exit 1 when a template fails to render (the problem is printed to stderr).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trackersync.cli.common import EXIT_ERROR, AppContext, handle_errors


@click.command("render")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--env", "env", default=None, metavar="NAME",
              help="Environment whose template vars apply (see environments: in the config).")
@click.pass_obj
@handle_errors
def render_command(app: AppContext, paths: tuple[Path, ...], env: str | None) -> None:
    """Print the output of each tracker template (*.yaml.j2), with line numbers."""
    from trackersync.definitions import load_config, render_templates
    from trackersync.secrets import display

    root = app.project_root
    config = load_config(app.config_path, root)
    failed = False
    outputs = render_templates(root, config, env=env, paths=list(paths) or None)
    for label, text, problems in outputs:
        for problem in problems:
            click.echo(str(problem), err=True)
            failed = failed or problem.severity == "error"
        if text is None:
            continue
        click.echo(f"# {label} rendered for environment {env or 'default'}")
        lines = text.splitlines()
        width = len(str(len(lines)))
        for number, line in enumerate(lines, 1):
            click.echo(f"{number:>{width}}  {display(line)}")
    if not outputs:
        click.echo("no templates (*.yaml.j2) found", err=True)
    if failed:
        sys.exit(EXIT_ERROR)
