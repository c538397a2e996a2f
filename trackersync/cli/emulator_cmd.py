"""``trackersync emulator``: run the local Symbl emulator until Ctrl-C.

Prints the URL and the credentials to use (``SYMBL_API_URL``, ``SYMBL_APP_ID``,
``SYMBL_APP_SECRET``) at start-up: the emulator's own, local-only secret, printed
because the user asked to run it. See :mod:`symbl_emulator` for the API served and
``python -m symbl_emulator`` for the same server with its HTTP-layer options.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import click

from trackersync.cli import main
from trackersync.cli.common import handle_errors
from trackersync.errors import ConfigError

if TYPE_CHECKING:  # the emulator (Werkzeug) is imported only when this command runs
    from symbl_emulator import EmulatorServer


def _banner(server: EmulatorServer) -> str:
    settings = server.settings
    db = str(server.db_path) if server.db_path else "in-memory (lost on exit)"
    return "\n".join(
        [
            f"Symbl emulator listening on {server.url}",
            f"  state: {db}; rules: {settings.rules}; put mode: {settings.put_mode}; "
            f"latency: {settings.latency_ms} ms; token TTL: {settings.token_ttl} s",
            "  use it with:",
            f"    export SYMBL_API_URL={server.url}",
            f"    export SYMBL_APP_ID={server.app_id}",
            f"    export SYMBL_APP_SECRET={server.app_secret}",
            f"  control endpoints: {server.url}/_emulator/state (loopback only)",
            "Press Ctrl-C to stop.",
        ]
    )


@main.command("emulator")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8750, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 = any free port).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="SQLite file that keeps trackers across restarts (default: in-memory).")
@click.option("--rules", type=click.Choice(["strict", "lenient"]), default="strict",
              show_default=True,
              help="Validation profile: strict (Symbl's 2022 rules) or lenient (later docs).")
@click.option("--latency-ms", type=click.IntRange(min=0), default=0, show_default=True,
              help="Extra handling time per request; makes 429 overlap reproducible.")
@click.option("--put-mode", type=click.Choice(["replace", "merge"]), default="replace",
              show_default=True, help="PUT replaces, or merges like the documented sample.")
@click.option("--app-id", default=None, help="Application id accepted by token:generate.")
@click.option("--app-secret", default=None, help="Application secret accepted by token:generate.")
@click.option("--token-ttl", type=click.IntRange(min=0), default=86400, show_default=True,
              help="Access token lifetime in seconds (expiresIn).")
@click.option("--tracker-limit", type=click.IntRange(min=0), default=500, show_default=True,
              help="Trackers per account (Symbl documents 500).")
@click.option("--job-delay-ms", type=click.IntRange(min=0), default=0, show_default=True,
              help="Time an Async job takes to complete.")
@click.option("--max-concurrent-jobs", type=click.IntRange(min=1), default=None,
              help="Async concurrent-jobs limit (Symbl: trial 2, paid 50; default off).")
@click.option("--matching", type=click.Choice(["contextual", "exact"]), default="contextual",
              show_default=True,
              help="Tracker matching: exact phrases plus contextually similar ones (as Symbl "
              "did), or exact phrases only.")
@handle_errors
def emulator_command(
    host: str,
    port: int,
    db_path: str | None,
    rules: str,
    latency_ms: int,
    put_mode: str,
    app_id: str | None,
    app_secret: str | None,
    token_ttl: int,
    tracker_limit: int,
    job_delay_ms: int,
    max_concurrent_jobs: int | None,
    matching: str,
) -> None:
    """Run the local Symbl emulator (Trackers Management API + Async trackers)."""
    from symbl_emulator import SettingsError, start_emulator

    try:
        server = start_emulator(
            host=host, port=port, db_path=db_path, rules=rules, latency_ms=latency_ms,
            put_mode=put_mode, app_id=app_id, app_secret=app_secret, token_ttl=token_ttl,
            tracker_limit=tracker_limit, job_delay_ms=job_delay_ms,
            max_concurrent_jobs=max_concurrent_jobs, matching=matching,
        )
    except (SettingsError, OSError) as exc:
        raise ConfigError(f"cannot start the emulator on {host}:{port}: {exc}") from exc
    click.echo(_banner(server))
    try:
        threading.Event().wait()
    finally:
        server.stop()
        click.echo("Symbl emulator stopped.", err=True)
