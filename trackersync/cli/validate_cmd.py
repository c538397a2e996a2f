"""``trackersync validate [PATH…]``: load, render and check every tracker file; no API call.

Prints every problem in one run, sorted by file and line, then a summary line
(``text``); or GitHub workflow annotations (``github``); or a JSON list (``json``).
Exit 1 on any error (on any warning too with ``--strict``), else 0.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from trackersync.cli import main
from trackersync.cli.common import EXIT_ERROR, AppContext, handle_errors
from trackersync.model import Problem


def _text(problems: Sequence[Problem]) -> list[str]:
    return [str(p) for p in problems]


def _escape(value: str, *, prop: bool = False) -> str:
    """Escape per GitHub's workflow-command rules (properties also escape ``:`` and ``,``)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _github(problems: Sequence[Problem]) -> list[str]:
    lines = []
    for p in problems:
        props = ""
        if p.source is not None:
            props = (f" file={_escape(p.source.file, prop=True)},line={p.source.line},"
                     f"col={p.source.column}")
        lines.append(f"::{p.severity}{props}::{_escape(p.message)}")
    return lines


def _json(problems: Sequence[Problem]) -> list[str]:
    items = [
        {
            "file": p.source.file if p.source else None,
            "line": p.source.line if p.source else None,
            "column": p.source.column if p.source else None,
            "severity": p.severity,
            "code": p.code,
            "tracker": p.tracker,
            "message": p.message,
        }
        for p in problems
    ]
    return [json.dumps(items, indent=2, ensure_ascii=False)]


_FORMATS = {"text": _text, "github": _github, "json": _json}


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(_FORMATS)), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--env", "env", default=None, metavar="NAME",
              help="Environment whose template vars apply (see environments: in the config).")
@click.pass_obj
@handle_errors
def validate(
    app: AppContext, paths: tuple[Path, ...], fmt: str, strict: bool, env: str | None
) -> None:
    """Check tracker files (default: the config's trackers_dir); nothing is sent to any API.

    Without --env, templates are checked with the default variables and with each
    environment's; a problem only one environment causes names that environment.
    """
    from trackersync.definitions import load_config, load_definitions, load_for_every_environment

    root = app.project_root
    config = load_config(app.config_path, root)
    chosen = list(paths) or None
    result = (load_definitions(root, config, env=env, paths=chosen) if env is not None
              else load_for_every_environment(root, config, paths=chosen))
    for line in _FORMATS[fmt](result.problems):
        click.echo(line)
    if fmt == "text":
        click.echo(result.summary())
    if result.has_errors or (strict and result.problems):
        sys.exit(EXIT_ERROR)
