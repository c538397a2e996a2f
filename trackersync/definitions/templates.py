"""Rendering ``*.yaml.j2`` tracker templates: jinja2's sandbox, undefined is an error.

The only module of the loader that imports jinja2, and only when a template exists:
templates are rendered first, in jinja2's :class:`~jinja2.sandbox.SandboxedEnvironment`,
and an undefined variable is an error. jinja2's exceptions become
:class:`TemplateProblem` naming the template's line.

Rendering is bounded (README "Limits"): a template runs in a forked child process
with at most :data:`RENDER_SECONDS` seconds and :data:`RENDER_MEMORY_BYTES` of extra
memory, and its output may hold at most :data:`MAX_OUTPUT_CHARS` characters; ``**``
with a huge exponent is refused before it is computed, and ``lipsum`` is not offered.
Where ``fork`` does not exist, the template renders in-process with the output limit.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import select
import signal
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Wall-clock seconds one template may take to render.
RENDER_SECONDS = 1.0
#: Memory one render may add (address space of the child process).
RENDER_MEMORY_BYTES = 128 * 1024 * 1024
#: Characters one template may render to.
MAX_OUTPUT_CHARS = 4 * 1024 * 1024
#: Largest exponent ``**`` computes (``2**4096`` is a 1,233-digit number already).
MAX_EXPONENT = 4096


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

        self._variables = dict(variables)
        self._env = _bounded_environment(
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            autoescape=False,
        )
        self._env.globals.pop("lipsum", None)
        self._done: dict[tuple[Path, str], str | TemplateProblem] = {}

    def render(self, path: Path, text: str) -> str:
        """Render ``text`` (the content of template ``path``) and return the YAML text.

        Runs in a forked child under the time and memory limits when ``fork`` exists;
        a template :meth:`prepare` rendered already is answered from that batch.

        Raises:
            TemplateProblem: syntax errors, undefined variables, sandbox violations, any
                other error raised while rendering (with the template's line), and the
                limits (time, memory, output size).
        """
        done = self._done.pop((path, text), None)
        if done is None:
            done = self._render_all([(path, text)])[0]
        if isinstance(done, TemplateProblem):
            raise done
        return done

    def prepare(self, items: Sequence[tuple[Path, str]]) -> None:
        """Render many templates at once (one child process), for :meth:`render` to answer.

        Args:
            items: ``(path, text)`` of each template.
        """
        for item, result in zip(items, self._render_all(list(items)), strict=True):
            self._done[item] = result

    def _render_all(self, items: list[tuple[Path, str]]) -> list[str | TemplateProblem]:
        def one(index: int) -> str:
            return self._render_here(*items[index])

        if not hasattr(os, "fork"):
            results: list[str | TemplateProblem] = []
            for index in range(len(items)):
                try:
                    results.append(one(index))
                except TemplateProblem as exc:
                    results.append(exc)
            return results
        return _in_child(one, len(items))

    def _render_here(self, path: Path, text: str) -> str:
        """Render in this process (output size bounded); see :meth:`render`."""
        import jinja2
        from jinja2.exceptions import SecurityError

        filename = str(path)
        try:
            code = self._env.compile(text, name=path.name, filename=filename)
            template = self._env.template_class.from_code(
                self._env, code, self._env.make_globals(None), None
            )
            return _bounded_output(template, self._variables)
        except TemplateProblem:
            raise
        except jinja2.TemplateSyntaxError as exc:
            raise self._syntax_problem(exc, text) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateProblem(f"template error: {exc.message}", _line(exc, filename)) from exc
        except SecurityError as exc:
            raise TemplateProblem(f"template refused by the sandbox: {exc}",
                                  _line(exc, filename)) from exc
        except MemoryError as exc:
            raise TemplateProblem(_MEMORY_MESSAGE, _line(exc, filename)) from exc
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


_MEMORY_MESSAGE = (f"template needs more than {RENDER_MEMORY_BYTES // (1024 * 1024)} MB of "
                   "memory to render (limit); stopped")


@functools.cache
def _environment_class() -> type:
    from jinja2.sandbox import SandboxedEnvironment

    class BoundedEnvironment(SandboxedEnvironment):
        """The sandbox, refusing ``**`` with an exponent past :data:`MAX_EXPONENT`.

        ``**`` is intercepted, so jinja2 never folds it at compile time either.
        """

        intercepted_binops = frozenset({"**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise TemplateLimit(f"template computes a power with exponent {right:g}; "
                                    f"exponents above {MAX_EXPONENT} are refused (limit)")
            return super().call_binop(context, operator, left, right)

    return BoundedEnvironment


class TemplateLimit(Exception):
    """A template went past a limit while rendering (message says which)."""


def _bounded_environment(**kwargs: Any) -> Any:
    """A new sandboxed environment that refuses huge powers (see ``_environment_class``)."""
    return _environment_class()(**kwargs)


def _bounded_output(template: Any, variables: Mapping[str, Any]) -> str:
    """Render chunk by chunk, stopping past :data:`MAX_OUTPUT_CHARS`."""
    parts: list[str] = []
    size = 0
    try:
        for chunk in template.generate(variables):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateProblem(f"template renders more than "
                                      f"{MAX_OUTPUT_CHARS // (1024 * 1024)} MB of text (limit); "
                                      "stopped")
            parts.append(chunk)
    except TemplateLimit as exc:
        raise TemplateProblem(str(exc), _line(exc, template.filename or "")) from exc
    return "".join(parts)


def _in_child(work: Callable[[int], str], count: int) -> list[str | TemplateProblem]:
    """Run ``work(0)``, ``work(1)``, … in forked children; return each text or problem.

    One child renders the templates in turn, sending one JSON line per template
    (``{"text": …}`` or ``{"problem": …, "line": …}``) through a pipe, and always ends
    with ``os._exit`` (it never returns into the caller's code). Each template has
    :data:`RENDER_SECONDS`; one that takes longer, or whose child dies (memory), gets a
    problem, and a fresh child goes on with the next one.
    """
    results: list[str | TemplateProblem] = []
    while len(results) < count:
        results.extend(_one_child(work, len(results), count))
    return results


def _one_child(work: Callable[[int], str], first: int, count: int) -> list[str | TemplateProblem]:
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():  # fork in a threaded process: the child only renders
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        code = 0
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _limit_memory()
            with os.fdopen(write_end, "wb") as out:
                for index in range(first, count):
                    try:
                        answer: dict[str, Any] = {"text": work(index)}
                    except TemplateProblem as exc:
                        answer = {"problem": exc.message, "line": exc.line}
                    except MemoryError:
                        answer = {"problem": _MEMORY_MESSAGE, "line": 1}
                    out.write(json.dumps(answer).encode("utf-8") + b"\n")
                    out.flush()
        except BaseException:  # noqa: BLE001  (the child must always exit here)
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return _collect(pid, read_end, count - first)


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        used = pages * os.sysconf("SC_PAGE_SIZE")
        cap = used + RENDER_MEMORY_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no rlimit: the time limit still holds


def _collect(pid: int, read_end: int, expected: int) -> list[str | TemplateProblem]:
    """Read the child's answers, at most :data:`RENDER_SECONDS` for each; reap the child.

    Returns at least one result: when the child stops answering (time limit) or dies
    (memory), the template it was on gets a problem.
    """
    results: list[str | TemplateProblem] = []
    pending = b""
    deadline = time.monotonic() + RENDER_SECONDS
    timed_out = finished = False
    try:
        while len(results) < expected:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                results.append(_answer(line))
                deadline = time.monotonic() + RENDER_SECONDS
        finished = len(results) == expected
    finally:  # timed out, died, or a signal stopped this process: the child goes too
        os.close(read_end)
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if not finished:
        results.append(TemplateProblem(
            f"template takes longer than {RENDER_SECONDS:g} s to render (limit: a huge loop "
            "or number?); stopped" if timed_out else _MEMORY_MESSAGE))
    return results


def _answer(line: bytes) -> str | TemplateProblem:
    try:
        answer = json.loads(line.decode("utf-8"))
    except ValueError:
        return TemplateProblem("template could not be rendered")
    if "problem" in answer:
        return TemplateProblem(str(answer["problem"]), int(answer.get("line") or 1))
    return str(answer["text"])
