"""Rendering ``*.yaml.j2`` tracker templates: jinja2's sandbox, undefined is an error.

The only module of the loader that imports jinja2, and only when a template exists
(README "Tracker files": templates are rendered first, sandboxed, undefined variables are
errors). jinja2's exceptions become :class:`TemplateProblem` naming the template's
line.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

TEMPLATE_SUFFIX = ".j2"


class TemplateProblem(Exception):
    """A template failed to render; ``line`` is 1-based in the template (1 if unknown)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class TemplateRenderer:
    """Renders templates with one sandboxed environment and a fixed set of variables.

    Args:
        variables: the template variables (config ``vars`` overlaid by the chosen
            environment's ``vars``).
    """

    def __init__(self, variables: Mapping[str, Any]) -> None:
        from jinja2 import StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        self._variables = dict(variables)
        self._env = SandboxedEnvironment(
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,
        )

    def render(self, path: Path, text: str) -> str:
        """Render ``text`` (the content of template ``path``) and return the YAML text.

        Raises:
            TemplateProblem: syntax errors, undefined variables, sandbox violations and
                any other error raised while rendering, with the template's line.
        """
        import jinja2
        from jinja2.exceptions import SecurityError

        filename = str(path)
        try:
            code = self._env.compile(text, name=path.name, filename=filename)
            template = self._env.template_class.from_code(
                self._env, code, self._env.make_globals(None), None
            )
            return template.render(self._variables)
        except jinja2.TemplateSyntaxError as exc:
            raise self._syntax_problem(exc, text) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateProblem(f"template error: {exc.message}", _line(exc, filename)) from exc
        except SecurityError as exc:
            raise TemplateProblem(f"template refused by the sandbox: {exc}",
                                  _line(exc, filename)) from exc
        except Exception as exc:  # any other error raised by template code
            raise TemplateProblem(
                f"template error: {type(exc).__name__}: {exc}", _line(exc, filename)
            ) from exc


    def _syntax_problem(self, exc: Any, text: str) -> TemplateProblem:
        """Return the problem for a jinja2 syntax error, at the line the user must fix.

        jinja2 names the line of the token it choked on. When that token sits inside a
        ``{{``/``{%`` tag opened on an earlier line (typically a tag never closed:
        ``name: {{ product`` on line 1 makes jinja2 choke on line 2), the tag's own line
        is reported, and the message names both lines.
        """
        line = exc.lineno or 1
        message = f"template syntax error: {exc.message}"
        opened = _open_tag(self._env, text, line)
        if opened is None:
            return TemplateProblem(message, line)
        start, closer = opened
        return TemplateProblem(
            f"{message} (at line {line}, inside the tag opened on line {start}: is its "
            f"closing {closer} missing?)",
            start,
        )


#: jinja2 lexer tokens that open a tag, with the text that closes it.
_CLOSERS = {"variable_begin": "}}", "block_begin": "%}"}


def _open_tag(env: Any, text: str, line: int) -> tuple[int, str] | None:
    """Return ``(line, closer)`` of a tag opened before ``line`` and still open after it.

    Re-lexes ``text`` (the parser, not the lexer, raised the error, so lexing goes at
    least as far as that line). A tag that closes on ``line`` itself (a legitimate
    multi-line tag) does not count: the error is then left where jinja2 put it.
    ``None`` when there is no such tag.
    """
    import jinja2

    current: tuple[int, str] | None = None
    try:
        for lineno, token, _value in env.lexer.tokeniter(text, None):
            if lineno > line:
                break
            if token in _CLOSERS:
                current = (lineno, _CLOSERS[token])
            elif token in ("variable_end", "block_end"):
                current = None
    except jinja2.TemplateSyntaxError:
        return None
    return current if current is not None and current[0] < line else None


def _line(exc: BaseException, filename: str) -> int:
    """Return the template line of the innermost traceback frame inside ``filename``."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
