"""``trackersync schema``: print the JSON Schema of a tracker file (or of the config).

For editors: save it (``trackersync schema > tracker.schema.json``) and start each
tracker file with ``# yaml-language-server: $schema=tracker.schema.json``.
"""

from __future__ import annotations

import click

from trackersync.cli import main
from trackersync.cli.common import handle_errors


@main.command("schema")
@click.option("--for", "target", type=click.Choice(["tracker", "config", "conversation"]),
              default="tracker", show_default=True,
              help="Which file's schema: a tracker file, trackersync.yaml, or a conversation "
              "test file.")
@handle_errors
def schema(target: str) -> None:
    """Print the JSON Schema of a tracker file, for the YAML language server."""
    from trackersync.definitions.schema import (
        config_file_schema,
        conversation_file_schema,
        dumps_schema,
        tracker_file_schema,
    )

    makers = {"tracker": tracker_file_schema, "config": config_file_schema,
              "conversation": conversation_file_schema}
    document = makers[target]()
    click.echo(dumps_schema(document), nl=False)
