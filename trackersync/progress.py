"""Progress lines during apply, for a terminal and for a CI log.

:func:`trackersync.apply.apply_plan` calls its ``progress`` hook once per step with
the step's line and how many changes are done out of how many. On a terminal every
line is shown. When output is not a terminal (a CI log), :class:`ProgressReporter`
prints one line per :attr:`~ProgressReporter.every` changes, or as soon as a step ends
:attr:`~ProgressReporter.seconds` after the last line, and always the last step, so a
long apply is never silent for long and a short one stays short.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ProgressReporter:
    """The ``progress`` hook the CLI gives to apply.

    Attributes:
        echo: where lines go (``click.echo``).
        tty: output is a terminal: show every step's line as it is.
        every: off a terminal, print a line each time this many more changes are done.
        seconds: off a terminal, print a line when a step ends this long after the last.
        clock: monotonic seconds (a parameter so tests need no sleeping).
    """

    echo: Callable[[str], object]
    tty: bool
    every: int = 25
    seconds: float = 5.0
    clock: Callable[[], float] = time.monotonic
    _last_done: int = field(default=0, init=False)
    _last_time: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self._last_time = self.clock()  # apply starts now: the first line is due by then

    def __call__(self, line: str, done: int, total: int) -> None:
        """Report one finished step.

        Args:
            line: the step, e.g. ``[3/100] update 'Budget' ... done``.
            done: changes finished so far (sent and answered, also failed ones).
            total: changes in the plan.
        """
        if self.tty:
            self.echo(line)
            return
        now = self.clock()
        due = (done - self._last_done >= self.every or now - self._last_time >= self.seconds
               or done >= total or not line.endswith("done"))
        if due:
            self.echo(f"progress: {done}/{total} changes applied; last: {line}")
            self._last_done, self._last_time = done, now


__all__ = ["ProgressReporter"]
