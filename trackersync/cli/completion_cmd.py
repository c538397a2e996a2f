"""``trackersync completion bash|zsh|fish``: print the shell completion script.

The script is click's own shell completion for this program; it completes commands,
options and choices by calling ``trackersync`` with ``_TRACKERSYNC_COMPLETE`` set.
"""

from __future__ import annotations

import click

from trackersync.cli.common import handle_errors

#: The environment variable click's completion scripts set when they call the program.
COMPLETE_VAR = "_TRACKERSYNC_COMPLETE"


@click.command("completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@handle_errors
def completion_command(shell: str) -> None:
    """Print the completion script for SHELL.

    \b
    bash:  eval "$(trackersync completion bash)"    (in ~/.bashrc; bash 4.4 or later)
    zsh:   eval "$(trackersync completion zsh)"     (in ~/.zshrc)
    fish:  trackersync completion fish > ~/.config/fish/completions/trackersync.fish
    """
    from click.shell_completion import get_completion_class

    from trackersync.cli import main

    completion_class = get_completion_class(shell)
    if completion_class is None:  # never: the choice lists only shells click supports
        raise click.UsageError(f"no completion for {shell}")
    script = completion_class(main, {}, "trackersync", COMPLETE_VAR).source()
    click.echo(script)
