"""Positions in a rendered template, traced back to the template the user edits.

A problem found in the YAML a ``*.yaml.j2`` template rendered to has a position in
that output, which may be far past the template's end (a loop repeats its lines).
:class:`LineMap` finds, for each output line, the template line that produced it: each
template line becomes a pattern (its literal text exactly, each ``{{ … }}`` any text,
block tags and comments nothing) and the output is walked in order, preferring the
next template line after the previous match (a loop's body matches again). A problem
on a line that no template line matches keeps the template's name and says plainly
``line N of the output rendered from FILE`` and quotes that line.

For a YAML syntax error on a matched line, the ``{{ … }}`` whose value holds YAML
syntax (``: ``, `` #``, a leading ``[``, ``&``, ``*``…) is named, with a fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from trackersync.model import Problem, SourceRef

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
#: Larger templates/outputs are not traced (the problem then quotes the output line).
MAX_WORK = 2_000_000
#: Problems that come from how YAML read the output (a variable's value may cause them).
_YAML_READING = frozenset({"yaml-syntax", "schema", "quote-it", "duplicate-key"})
#: Text in a value that YAML reads as syntax rather than as part of a plain scalar.
_YAML_SPECIAL = re.compile(r": |:$| #|^[-?:,\[\]{}#&*!|>'\"%@`]|^- |\t")


@dataclass(frozen=True)
class _Segment:
    """A piece of one template line: literal text or one ``{{ expression }}``."""

    column: int  # 1-based column in the template line
    text: str  # the literal text, or the expression inside the braces
    expression: bool


@dataclass(frozen=True)
class _Pattern:
    line: int
    regex: re.Pattern[str]
    segments: tuple[_Segment, ...]


def _pattern(number: int, line: str) -> _Pattern | None:
    """The pattern of one template line, ``None`` for a line that renders no line."""
    if ("{{" in line or "{%" in line or "{#" in line) and not _TAG.search(line):
        return None  # a tag continued from or onto another line
    rest = _TAG.sub("", line)
    if "{{" in rest or "{%" in rest or "{#" in rest or "}}" in rest or "%}" in rest:
        return None
    if not rest.strip() and "{{" not in line:
        return None  # only block tags or comments: no output line of its own
    parts: list[str] = []
    segments: list[_Segment] = []
    pos = 0
    for match in _TAG.finditer(line):
        if match.start() > pos:
            segments.append(_Segment(pos + 1, line[pos:match.start()], False))
            parts.append(f"({re.escape(line[pos:match.start()])})")
        tag = match.group()
        if tag.startswith("{{"):
            segments.append(_Segment(match.start() + 1, tag[2:-2].strip(" -+"), True))
            parts.append("(.*?)")
        elif tag.startswith("{%-") or tag.endswith("-%}"):
            parts.append(r"\s*")
        pos = match.end()
    if pos < len(line):
        segments.append(_Segment(pos + 1, line[pos:], False))
        parts.append(f"({re.escape(line[pos:])})")
    try:
        regex = re.compile("".join(parts))
    except re.error:
        return None
    return _Pattern(number, regex, tuple(segments))


class LineMap:
    """Maps positions in a template's output back to the template.

    Args:
        label: the template as named in problems (``trackers/x.yaml.j2``).
        template: the template's text.
        rendered: what it rendered to.
        variables: the template variables; a text value that holds YAML syntax is named
            when a YAML problem sits on an output line no template line matches.
    """

    def __init__(self, label: str, template: str, rendered: str,
                 variables: Mapping[str, Any] | None = None) -> None:
        self.label = label
        self.rendered = rendered.splitlines()
        self._text = rendered
        self._variables = dict(variables or {})
        self._lines: dict[int, tuple[_Pattern, re.Match[str]]] = {}
        lines = self.template = template.splitlines()
        if len(lines) * max(1, len(self.rendered)) > MAX_WORK:
            return
        patterns = [p for n, text in enumerate(lines, 1) if (p := _pattern(n, text))]
        previous = 0
        for number, text in enumerate(self.rendered, 1):
            found = [(p, m) for p in patterns if (m := p.regex.fullmatch(text))]
            if not found:
                continue
            after = [item for item in found if item[0].line > previous]
            pick = (after or found)[0]
            self._lines[number] = pick
            previous = pick[0].line

    def template_line(self, line: int) -> int | None:
        """The template line that produced output line ``line``, ``None`` if unknown."""
        found = self._lines.get(line)
        return found[0].line if found else None

    def locate(self, line: int, column: int) -> tuple[int, int] | None:
        """``(line, column)`` in the template for a position in the output, or ``None``."""
        found = self._lines.get(line)
        if found is None:
            return None
        pattern, match = found
        for index, segment in enumerate(pattern.segments, 1):
            start, end = match.span(index)
            if start < column <= max(end, start + 1):
                offset = 0 if segment.expression else column - 1 - start
                return pattern.line, segment.column + offset
        return pattern.line, 1

    def culprits(self, line: int, column: int) -> list[tuple[str, str]]:
        """``(expression, value)`` of each ``{{ … }}`` on the line whose value is YAML syntax.

        The expression under ``column`` comes first when it is one of them.
        """
        found = self._lines.get(line)
        if found is None:
            return []
        pattern, match = found
        hits: list[tuple[int, str, str]] = []
        for index, segment in enumerate(pattern.segments, 1):
            if not segment.expression:
                continue
            value = match.group(index)
            if _YAML_SPECIAL.search(value) or (value != value.strip() and value.strip()):
                start, end = match.span(index)
                near = 0 if start < column <= end + 1 else 1
                hits.append((near, segment.text, value))
        return [(expression, value) for _, expression, value in sorted(hits)]

    def relocate(self, problem: Problem) -> Problem:
        """Return ``problem`` with its position in the template (see the module docstring)."""
        src = problem.source
        if src is None or src.file != self.label:
            return problem
        place = self.locate(src.line, src.column)
        message = problem.message
        if place is not None:
            if problem.code in _YAML_READING:
                message += _variable_hint(self.culprits(src.line, src.column),
                                          self.template[place[0] - 1])
            return problem.model_copy(update={
                "source": SourceRef(file=src.file, line=place[0], column=place[1]),
                "message": message,
            })
        earlier = [t for n in range(src.line - 1, 0, -1) if (t := self.template_line(n))]
        text = self.rendered[src.line - 1] if 0 < src.line <= len(self.rendered) else ""
        quoted = json.dumps(text.strip()[:120], ensure_ascii=False)
        message += f" (line {src.line} of the output rendered from {self.label}: {quoted})"
        if problem.code in _YAML_READING:
            message += _variable_hint(self._suspects(), "")
        return problem.model_copy(update={
            "source": SourceRef(file=src.file, line=earlier[0] if earlier else 1, column=1),
            "message": message,
        })

    def _suspects(self) -> list[tuple[str, str]]:
        """Variables whose text value is in the output and holds YAML syntax or a newline."""
        found = []
        for name, value in sorted(self._variables.items()):
            if isinstance(value, str) and value.strip() and value in self._text and (
                "\n" in value.strip() or _YAML_SPECIAL.search(value)
            ):
                found.append((name, value))
        return found

    def source(self, ref: SourceRef | None) -> SourceRef | None:
        """A tracker's ``source`` moved into the template (unchanged when unknown)."""
        if ref is None or ref.file != self.label:
            return ref
        place = self.locate(ref.line, ref.column)
        if place is None:
            return ref
        return SourceRef(file=ref.file, line=place[0], column=place[1])


_ITEM = re.compile(r"(\s*(?:- )?(?:[^:#'\"{}]+: )?)(.+)")


def _variable_hint(culprits: list[tuple[str, str]], template_line: str) -> str:
    """``; caused by the value of variable 'company', "Acme: Pro", …`` with a fix."""
    if not culprits:
        return ""
    expression, value = culprits[0]
    what = (f"variable {expression!r}" if re.fullmatch(r"[A-Za-z_][\w.]*", expression)
            else f"{{{{ {expression} }}}}")
    from trackersync.secrets import mask_secrets

    shown = json.dumps(mask_secrets(value[:80]), ensure_ascii=False)
    hint = (f"; caused by the value of {what}, {shown}, which YAML reads as syntax, not "
            "text: quote the value in the template")
    # A statement before the value on the same line ("{% for p in ps %}  - {{ p }}")
    # stays outside the quotes: only what follows its "%}" is the YAML item.
    statement, rest = "", template_line
    cut = template_line.rfind("%}") + 2
    if cut > 1 and "{{" in template_line[cut:]:
        statement, rest = template_line[:cut], template_line[cut:]
    item = _ITEM.fullmatch(rest)
    if not template_line:
        hint += " where it is used (a value spanning lines cannot be quoted so: change it)" \
            if "\n" in value.strip() else " where it is used"
    elif item and '"' not in item.group(2) and '"' not in value:
        hint += f" ({(statement + item.group(1)).strip()} \"{item.group(2).strip()}\")"
    return hint


__all__ = ["MAX_WORK", "LineMap"]
