"""Helpers shared by every test folder: running the CLI in-process, loudly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from click.testing import CliRunner, Result

from trackersync.cli import main


def invoke(args: Sequence[str], env: Mapping[str, str | None] | None = None) -> Result:
    """Run ``trackersync ARGS`` in-process and return click's result.

    A command ends with an exit code (``SystemExit``); any other exception is a bug and
    is raised here, so no test can pass on a traceback it did not expect (a test that
    only asserts what the output does *not* contain would otherwise pass when the
    command crashed).
    """
    result = CliRunner().invoke(main, list(args), env=dict(env or {}))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"trackersync {' '.join(args)} raised {result.exception!r}\n{result.output}"
        ) from result.exception
    return result
