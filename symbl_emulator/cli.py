"""``python -m symbl_emulator``: run the emulator as a command until Ctrl-C.

Prints where it listens and the credentials it accepts (the emulator's own, local-only
app id and secret: printed because the user asked to run it), then serves until
interrupted. Exit codes: 130 after Ctrl-C or SIGTERM, 1 when it cannot start (port in
use, a setting out of range), 2 for a bad option.
"""

from __future__ import annotations

from typing import Any

import click

from symbl_emulator.entry import STOP
from symbl_emulator.httpserver import HttpLimits
from symbl_emulator.server import EmulatorServer, start_emulator
from symbl_emulator.settings import SettingsError

DEFAULT_PORT = 8750

def banner(server: EmulatorServer) -> str:
    """The start-up text: URL, state, settings, environment variables to export."""
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
            f"  API description: {server.url}/openapi.json",
            f"  control endpoints: {server.url}/_emulator/state (loopback only)",
            "Press Ctrl-C to stop.",
        ]
    )


@click.command("symbl-emulator", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 = any free port; the banner shows which).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="SQLite file that keeps state across restarts (default: in-memory).")
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
              help="Async concurrent-jobs limit per account (trial 2, paid 50; default off).")
@click.option("--matching", type=click.Choice(["contextual", "exact"]), default="contextual",
              show_default=True,
              help="Tracker matching: exact phrases plus contextually similar ones (as Symbl "
              "did), or exact phrases only.")
@click.option("--threads", type=click.IntRange(min=1), default=HttpLimits.threads,
              show_default=True, help="Worker threads (requests handled at once).")
@click.option("--connection-limit", type=click.IntRange(min=1),
              default=HttpLimits.connection_limit, show_default=True,
              help="Open connections; more wait in the listen backlog.")
@click.option("--request-deadline", type=click.FloatRange(min=0.1),
              default=HttpLimits.request_deadline_s, show_default=True,
              help="Seconds a request may take to arrive in full before a 408.")
def main(host: str, port: int, db_path: str | None, threads: int, connection_limit: int,
         request_deadline: float, **settings: Any) -> None:
    """Run a local Symbl emulator: tokens, Trackers Management API, Async trackers."""
    limits = HttpLimits(threads=threads, connection_limit=connection_limit,
                        request_deadline_s=request_deadline)
    # Ctrl-C and SIGTERM are caught before the server starts, so one that arrives while it
    # starts stops it as cleanly as one that arrives later: no traceback, exit 130.
    STOP.install()
    try:
        server = start_emulator(host=host, port=port, db_path=db_path, limits=limits, **settings)
    except (SettingsError, OSError) as exc:
        raise click.ClickException(f"cannot start the emulator on {host}:{port}: {exc}") from exc
    if not STOP.requested:
        click.echo(banner(server))
    try:
        STOP.wait()
    finally:
        server.stop()
        STOP.reset()
        click.echo("Symbl emulator stopped.", err=True)
    raise SystemExit(130)
