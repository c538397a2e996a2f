"""``trackersync fmt [--check] [FILE…]``: rewrite tracker files in their canonical form.

Parses the options, finds the files, calls
:func:`trackersync.definitions.formatter.format_files` and prints what it did.
Exit codes: 0 done (or nothing to change), 1 a file could not be read as YAML, or
``--check`` found files that would change.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from trackersync.cli.common import EXIT_ERROR, AppContext, handle_errors


def _files(app: AppContext, given: tuple[str, ...]) -> tuple[list[Path], Path]:
    from trackersync.definitions import load_config
    from trackersync.definitions.formatter import files_to_format

    root = app.project_root
    trackers_dir = None if given else root / load_config(app.config_path, root).trackers_dir
    files = files_to_format(trackers_dir, [Path(os.path.abspath(g)) for g in given], root)
    return files, root


def _shown(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return str(path)


def _plural(count: int) -> str:
    return f"{count} file{'' if count == 1 else 's'}"


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--check", is_flag=True,
              help="Change nothing; list the files that would change and exit 1 if any "
              "would (for CI and pre-commit).")
@click.option("--diff", "show_diff", is_flag=True,
              help="With --check: also print how each file would change (a unified diff).")
@click.pass_obj
@handle_errors
def fmt_command(app: AppContext, paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite tracker files in their canonical form, comments kept.

    Keys in a fixed order, quotes only where YAML needs them, phrases with extra
    whitespace normalised, and the editor schema line on top. With no PATHS, every
    file in trackers_dir; .yaml.j2 templates are skipped (not YAML until rendered).
    """
    from trackersync.definitions.formatter import format_files

    files, root = _files(app, paths)
    report = format_files(files, root, check=check)
    verb = "would reformat" if check else "reformatted"
    for path in report.changed:
        click.echo(f"{verb} {_shown(path)}")
        if check and show_diff:
            click.echo(report.diffs[path], nl=False)
    for path, why in report.skipped:
        if paths:  # named on purpose: say why nothing happened
            click.echo(f"skipped {_shown(path)}: {why}", err=True)
    for path, line, column, message in report.errors:
        click.echo(f"{_shown(path)}:{line}:{column}: error: {message}", err=True)
    done = "would be reformatted" if check else "reformatted"
    summary = f"{_plural(len(report.changed))} {done}, {len(report.unchanged)} unchanged"
    if report.errors:
        summary += f", {len(report.errors)} not formatted (errors above)"
    click.echo(summary + ".")
    if report.errors or (check and report.changed):
        sys.exit(EXIT_ERROR)
