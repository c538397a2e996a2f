"""``trackersync detect``: submit a conversation with the managed trackers; show detections.

Exit 0 when the job completed (whether or not a tracker was detected), 1 on any error.
"""

from __future__ import annotations

import sys

import click

from trackersync.cli.common import AppContext, handle_errors


class _Progress:
    """Job status on stderr: one rewritten line on a terminal, one line per change otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.last = ""

    def __call__(self, status: str, waited: float) -> None:
        if self.tty:
            click.echo(f"\rjob {status:<11} {waited:5.1f} s", err=True, nl=False)
        elif status != self.last:
            click.echo(f"job {status} ({waited:.1f} s)", err=True)
        self.last = status

    def done(self) -> None:
        if self.tty and self.last:
            click.echo("\r" + " " * 30 + "\r", err=True, nl=False)


@click.command("detect")
@click.argument("source", metavar="FILE|URL")
@click.option("--trackers", "trackers", multiple=True, default=("all",), show_default=True,
              metavar="all|NAME", help="Trackers to detect (repeatable): 'all' the files "
              "define, or names.")
@click.option("--media", type=click.Choice(["audio", "video"]), default=None,
              help="What a URL points at (default: guessed from its extension).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--env", default=None, metavar="NAME",
              help="Environment from trackersync.yaml environments.")
@click.option("--fresh", is_flag=True, help="Use a fresh embedded emulator holding the "
              "trackers as the files define them (nothing applied needed).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=300.0,
              show_default=True, help="Longest wait for the job, in seconds.")
@click.pass_obj
@handle_errors
def detect_command(app: AppContext, source: str, trackers: tuple[str, ...], media: str | None,
                   fmt: str, env: str | None, fresh: bool, timeout_s: float) -> None:
    """Submit a text file, a messages JSON, or an audio/video URL or file; print detections."""
    from trackersync.behaviour.detect import read_input, run_detect
    from trackersync.behaviour.detect_report import render_json, render_table
    from trackersync.definitions import load_config

    conversation = read_input(source, media)
    config = load_config(app.config_path, app.project_root)
    progress = _Progress()
    try:
        result = run_detect(app, config, conversation, trackers=trackers, env=env,
                            fresh=fresh, timeout_s=timeout_s, on_status=progress)
    finally:
        progress.done()
    click.echo(render_json(result) if fmt == "json" else render_table(result, color=app.color))
