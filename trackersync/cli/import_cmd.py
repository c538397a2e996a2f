"""``trackersync import``: write one tracker file per remote tracker.

Thin: parse options, load the config, list the account once, call
:func:`trackersync.importer.run.import_account`, print the report. Exit 0 when the
import ran (skips and warnings included), 1 on any error.
"""

from __future__ import annotations

from pathlib import Path

import click

from trackersync.cli.common import AppContext, handle_errors


@click.command("import")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder to write into (default: trackers_dir from trackersync.yaml).",
)
@click.option("--overwrite", is_flag=True, help="Replace files that already exist.")
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="GLOB",
    help="Import only trackers whose exact name matches GLOB (repeatable, case-sensitive).",
)
@click.option("--env", "env", default=None, metavar="NAME", help="The environment (account).")
@click.pass_obj
@handle_errors
def import_command(
    app: AppContext, directory: str | None, overwrite: bool, names: tuple[str, ...], env: str | None
) -> None:
    """Write a YAML file per remote tracker, so the account becomes code.

    Trackers the repository already defines are skipped; existing files are never
    replaced without --overwrite. Without a trackersync.yaml, one is written with the
    rules that fit the account's data. Trackers the rules refuse are marked
    accepted_as_imported and kept as stored until edited. Afterwards, `trackersync
    plan` shows no changes.
    """
    from trackersync.definitions import load_config
    from trackersync.definitions.config_loader import CONFIG_NAMES
    from trackersync.importer.report import report_lines, summary_line, warning_lines
    from trackersync.importer.run import ImportOptions, import_account
    from trackersync.target import open_target

    root = app.project_root
    config = load_config(app.config_path, root)
    target_dir = Path(directory) if directory else None
    if target_dir is not None and not target_dir.is_absolute():
        target_dir = Path.cwd() / target_dir
    with open_target(app, config, env) as target:
        remote = target.client.list_trackers()
    write_config = app.config_path is None and not any(
        (root / name).is_file() for name in CONFIG_NAMES
    )
    options = ImportOptions(directory=target_dir, overwrite=overwrite, name_globs=names, env=env,
                            write_config=write_config)
    result = import_account(root, config, remote, options)
    base = Path.cwd()
    for line in report_lines(result, base):
        click.echo(line)
    for line in warning_lines(result, base):
        click.echo(line, err=True)
    click.echo(summary_line(result, base))
