"""``trackersync schema``: print the JSON Schema of a tracker file (or of the config).

For editors: ``trackersync schema --write`` writes ``schema/tracker.schema.json`` and
``schema/config.schema.json`` under the project root (commit them); tracker files
written by ``trackersync import`` and ``trackersync fmt`` start with a modeline that
points at the first, relative to each file.
"""

from __future__ import annotations

import os

import click

from trackersync.cli.common import AppContext, handle_errors


@click.command("schema")
@click.option("--for", "target", type=click.Choice(["tracker", "config", "conversation"]),
              default="tracker", show_default=True,
              help="Which file's schema: a tracker file, trackersync.yaml, or a conversation "
              "test file.")
@click.option("--write", is_flag=True,
              help="Write both schemas into schema/ under the project root instead of "
              "printing one.")
@click.pass_obj
@handle_errors
def schema(app: AppContext, target: str, write: bool) -> None:
    """Print the JSON Schema of a tracker file, for the YAML language server."""
    from trackersync.definitions.modeline import write_schemas
    from trackersync.definitions.schema import (
        config_file_schema,
        conversation_file_schema,
        dumps_schema,
        tracker_file_schema,
    )
    from trackersync.errors import ConfigError

    if write:
        try:
            written = write_schemas(app.project_root, only_missing=False)
        except OSError as exc:
            raise ConfigError(f"cannot write the schemas: {exc}") from exc
        for path in written:
            click.echo(f"wrote {os.path.relpath(path)}")
        if not written:
            click.echo("schema/ is up to date.")
        return
    makers = {"tracker": tracker_file_schema, "config": config_file_schema,
              "conversation": conversation_file_schema}
    document = makers[target]()
    click.echo(dumps_schema(document), nl=False)
