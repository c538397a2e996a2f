"""The tracker files' problems as text, GitHub workflow annotations or JSON.

Every form is rendered from the structured :class:`~trackersync.model.Problem` (file,
line, column, tracker, code, message); no form is parsed back into another. A program
that needs the problems reads ``validate --format json`` or the plain text that
``validate --report FILE`` writes, never the annotations.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from trackersync.model import Problem

FORMATS = ("text", "github", "json")


def workflow_escape(value: str, *, prop: bool = False) -> str:
    """Escape ``value`` for a GitHub workflow command (``::error file=…::message``).

    ``%``, CR and LF become ``%25``, ``%0D``, ``%0A`` (GitHub's workflow-command rules);
    a property value (``prop=True``: ``file=``, ``title=``) also escapes ``:`` and ``,``,
    which would end it. Returns the escaped text; raises nothing.
    """
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def annotation(problem: Problem) -> str:
    """One GitHub workflow command: ``::error file=F,line=L,col=C::message``."""
    props = ""
    if problem.source is not None:
        props = (f" file={workflow_escape(problem.source.file, prop=True)},"
                 f"line={problem.source.line},col={problem.source.column}")
    return f"::{problem.severity}{props}::{workflow_escape(problem.message)}"


def as_data(problem: Problem) -> dict[str, object]:
    """The JSON object of one problem (file, line, column, severity, code, tracker, message)."""
    src = problem.source
    return {"file": src.file if src else None, "line": src.line if src else None,
            "column": src.column if src else None, "severity": problem.severity,
            "code": problem.code, "tracker": problem.tracker, "message": problem.message}


def render_problems(problems: Sequence[Problem], fmt: str) -> list[str]:
    """Render ``problems`` in one of :data:`FORMATS`, one output line per item.

    ``text`` is ``file:line:col: severity: message`` per problem; ``github`` one
    annotation per problem; ``json`` one line holding the whole list (2-space indent).
    """
    if fmt == "github":
        return [annotation(p) for p in problems]
    if fmt == "json":
        return [json.dumps([as_data(p) for p in problems], indent=2, ensure_ascii=False)]
    return [str(p) for p in problems]


__all__ = ["FORMATS", "annotation", "as_data", "render_problems", "workflow_escape"]
