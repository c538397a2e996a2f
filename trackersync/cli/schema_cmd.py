"""``trackersync schema``: print the JSON Schema of a tracker file (or of the config).

For editors: save it (``trackersync schema > tracker.schema.json``) and start each
tracker file with ``# yaml-language-server: $schema=tracker.schema.json``.
"""

from __future__ import annotations

import click

from trackersync.cli import main
from trackersync.cli.common import handle_errors


@main.command("schema")
@click.option("--for", "target", type=click.Choice(["tracker", "config"]), default="tracker",
              show_default=True, help="Which file's schema: a tracker file or trackersync.yaml.")
@handle_errors
def schema(target: str) -> None:
    """Print the JSON Schema of a tracker file, for the YAML language server."""
    from trackersync.definitions.schema import config_file_schema, dumps_schema, tracker_file_schema

    document = tracker_file_schema() if target == "tracker" else config_file_schema()
    click.echo(dumps_schema(document), nl=False)
