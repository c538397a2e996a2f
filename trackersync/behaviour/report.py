"""Views of a :class:`~trackersync.behaviour.runner.BehaviourReport`: text, JSON, JUnit, GitHub.

All four read the same data; none parses another's output. JUnit XML has one
``<testsuite>`` per test file and one ``<testcase>`` per checked message (its ``file``
and ``line`` attributes point at the sentence); problems of severity ``error``
(collisions or coverage raised by ``severity:``, bad test files) form one more suite.
GitHub output is workflow commands (``::error file=…,line=…,col=…::…``) that annotate
the sentence's line in a pull request.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from trackersync.behaviour.evaluate import CaseResult
from trackersync.behaviour.runner import BehaviourReport
from trackersync.model import Problem
from trackersync.render.problems import workflow_escape
from trackersync.secrets import display

FORMATS = ("text", "json", "junit", "github", "markdown")
MARKER = "<!-- trackersync-test -->"
FORMAT_VERSION = 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _what(result: CaseResult) -> str:
    message = result.message
    if message.tracker is not None:
        return f"{message.kind} '{message.tracker}'"
    names = ", ".join(f"'{n}'" for n in sorted(message.expect or ())) or "no tracker"
    return f"expect {names}"


def summary(report: BehaviourReport) -> str:
    """``3 passed, 1 failed`` plus files, jobs, requests and seconds."""
    checked = [r for r in report.results if r.passed is not None]
    failed = len(report.failures)
    errors = sum(1 for p in report.problems if p.severity == "error")
    warnings = len(report.problems) - errors
    tail = (f" ({_plural(len(report.files), 'test file')}, {_plural(len(report.files), 'job')}, "
            f"{_plural(report.requests, 'request')}, {report.seconds:.2f} s"
            f"{', ' + report.where if report.where else ''}; "
            f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')})")
    return f"{len(checked) - failed} passed, {failed} failed{tail}"


def render_text(report: BehaviourReport) -> str:
    """Failures with their reasons, then problems, then the summary line."""
    lines: list[str] = []
    if not report.files and not any(p.code == "test-file" for p in report.problems):
        lines.append("No behaviour tests found: add a 'tests:' block to a tracker file "
                     "(must_fire / must_not_fire) or a conversation file to tests_dir.")
    for result in report.failures:
        src = result.message.source
        lines.append(f"FAIL {src}: {_what(result)}: \"{result.message.text}\"")
        lines.append(f"     {result.failure}")
    lines.extend(str(p) for p in report.problems)
    lines.append(summary(report))
    # names, phrases and sentences come from files and the API: no control characters
    # (a forged log line) and no token-looking text reach a terminal or CI log
    return "\n".join(display(line) for line in lines)


def _case(result: CaseResult) -> dict[str, Any]:
    src, message = result.message.source, result.message
    return {
        "file": src.file, "line": src.line, "column": src.column, "kind": message.kind,
        "tracker": message.tracker,
        "expect": sorted(message.expect) if message.expect is not None else None,
        "text": message.text, "passed": result.passed, "failure": result.failure,
        "hits": [{"tracker": h.tracker, "phrase": h.phrase, "offset": h.offset,
                  "exact": h.offset >= 0, "sentence": h.sentence} for h in result.hits],
    }


def _problem(problem: Problem) -> dict[str, Any]:
    src = problem.source
    return {"severity": problem.severity, "code": problem.code, "message": problem.message,
            "file": src.file if src else None, "line": src.line if src else None,
            "column": src.column if src else None, "tracker": problem.tracker}


def render_json(report: BehaviourReport) -> str:
    """``{"format_version": 1, "ok", "summary", "files": [...], "problems": [...]}``."""
    checked = [r for r in report.results if r.passed is not None]
    data = {
        "format_version": FORMAT_VERSION,
        "ok": report.ok,
        "summary": {"passed": len(checked) - len(report.failures),
                    "failed": len(report.failures), "files": len(report.files),
                    "requests": report.requests, "seconds": round(report.seconds, 3),
                    "target": report.where},
        "files": [{"file": f.label, "source": f.source,
                   "cases": [_case(r) for r in report.results if r.file == f.label]}
                  for f in report.files],
        "problems": [_problem(p) for p in report.problems],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def render_junit(report: BehaviourReport) -> str:
    """JUnit XML (``<testsuites>``) for CI test reports."""
    root = ET.Element("testsuites", name="trackersync test")
    total = failures = 0
    for test_file in report.files:
        results = [r for r in report.results if r.file == test_file.label and r.passed is not None]
        failed = [r for r in results if not r.passed]
        suite = ET.SubElement(root, "testsuite", name=test_file.label, tests=str(len(results)),
                              failures=str(len(failed)), errors="0", skipped="0")
        for result in results:
            src = result.message.source
            name = display(f"line {src.line}: {_what(result)}: {result.message.text}")
            case = ET.SubElement(suite, "testcase", classname=test_file.label, name=name,
                                 file=src.file, line=str(src.line))
            if not result.passed:
                why = display(result.failure or "failed")
                node = ET.SubElement(case, "failure", message=why, type="behaviour")
                node.text = f"{src}: {why}"
        total, failures = total + len(results), failures + len(failed)
    errors = [p for p in report.problems if p.severity == "error"]
    if errors:
        suite = ET.SubElement(root, "testsuite", name="trackersync checks",
                              tests=str(len(errors)), failures=str(len(errors)), errors="0",
                              skipped="0")
        for problem in errors:
            where = problem.source
            case = ET.SubElement(suite, "testcase", classname="trackersync checks",
                                 name=display(f"{problem.code}: {problem.message}"))
            if where is not None:
                case.set("file", where.file)
                case.set("line", str(where.line))
            ET.SubElement(case, "failure", message=display(problem.message), type=problem.code)
        total, failures = total + len(errors), failures + len(errors)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("time", f"{report.seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


def render_github(report: BehaviourReport) -> str:
    """Workflow commands annotating each failed sentence and each problem, then the summary."""
    lines = []
    for result in report.failures:
        src = result.message.source
        text = f'{_what(result)}: "{result.message.text}": {result.failure}'
        title = workflow_escape("behaviour test failed", prop=True)
        lines.append(f"::error file={workflow_escape(src.file, prop=True)},line={src.line},"
                     f"col={src.column},title={title}::{workflow_escape(display(text))}")
    for problem in report.problems:
        ref = problem.source
        where = (f" file={workflow_escape(ref.file, prop=True)},line={ref.line},col={ref.column}"
                 if ref else "")
        lines.append(f"::{problem.severity}{where}::{workflow_escape(display(problem.message))}")
    lines.append(display(summary(report)))
    return "\n".join(lines)


def _md(text: str) -> str:
    """Escape text for a Markdown table cell: no HTML, links, mentions or cell breaks."""
    out = display(text).replace("\\", "\\\\").replace("|", "\\|")
    for char in "`*_[]<>#!":
        out = out.replace(char, "\\" + char)
    return out.replace("@", "@\u200b")


def render_markdown(report: BehaviourReport) -> str:
    """A PR-comment section: the summary, then one table row per failure."""
    status = "✅ all passed" if report.ok else "❌ failing"
    lines = [MARKER, f"### Tracker behaviour tests: {status}", "", _md(summary(report)), ""]
    if report.failures:
        lines += ["| Where | Test | Sentence | Why |", "|:--|:--|:--|:--|"]
        for result in report.failures:
            src = result.message.source
            lines.append(f"| {_md(str(src))} | {_md(_what(result))} | "
                         f"{_md(result.message.text)} | {_md(result.failure or '')} |")
        lines.append("")
    shown = [p for p in report.problems if p.severity == "error"][:50]
    if shown:
        lines += [f"- {_md(str(p))}" for p in shown] + [""]
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "junit": render_junit,
             "github": render_github, "markdown": render_markdown}
