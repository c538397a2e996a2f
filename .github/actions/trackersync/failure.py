"""Write the Markdown error report of a failed ``validate`` or ``plan`` (run by run.sh).

Usage: ``python3 failure.py COMMAND SHA LOG > error.md``

LOG is what the command printed (``plan``: its stderr; ``validate``: its annotations).
The report starts with the plan comment's hidden marker, so the plan workflow's comment
job replaces a stale plan comment with it, then says
``trackersync plan failed for <sha>: see the job log / annotations`` and lists the
error lines. Every line is made safe the way trackersync makes plan text safe
(``trackersync.render.markdown.escape_text``: Markdown/HTML escaped, no @mentions) after
``trackersync.secrets.mask_secrets``; workflow commands (``::add-mask::``) are dropped,
and ``::error file=F,line=L,col=C::msg`` annotations are shown as ``F:L:C: error: msg``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from trackersync.render.markdown import MARKER, escape_text
from trackersync.secrets import mask_secrets

#: At most this many error lines; the rest are in the job log.
MAX_LINES = 60
#: Each line is cut to this many characters (the comment must stay < 65,536).
MAX_LINE_CHARS = 500
_ANNOTATION = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")
_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


def _unescape(text: str, props: bool = False) -> str:
    """Undo GitHub's workflow-command escaping (``%25 %0D %0A``, and ``%3A %2C`` in
    properties)."""
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if props else [])
    for code, char in [*pairs, ("%25", "%")]:
        text = text.replace(code, char)
    return text


def plain_line(line: str) -> str | None:
    """Return one log line as plain text, or ``None`` for a line the report leaves out
    (blank lines, workflow commands other than annotations)."""
    line = line.rstrip()
    match = _ANNOTATION.match(line)
    if match:
        kind, raw_props, message = match.groups()
        props = dict(p.split("=", 1) for p in (raw_props or "").split(",") if "=" in p)
        where = ":".join(_unescape(props[k], True) for k in ("file", "line", "col") if k in props)
        message = _unescape(message).replace("\r", " ").replace("\n", " ")
        return f"{where}: {kind}: {message}" if where else f"{kind}: {message}"
    if not line.strip() or line.startswith("::"):
        return None
    return line


def render(command: str, sha: str, log: str) -> str:
    """Return the report: marker, one heading line, then the error lines as a list."""
    shown = f"`{sha}`" if _SHA.fullmatch(sha) else escape_text(sha or "this commit")
    lines = [p for p in map(plain_line, log.splitlines()) if p is not None]
    out = [MARKER,
           f"### ❌ trackersync {escape_text(command)} failed for {shown}: "
           "see the job log / annotations", ""]
    for line in lines[:MAX_LINES]:
        cut = line if len(line) <= MAX_LINE_CHARS else line[:MAX_LINE_CHARS] + " …"
        out.append(f"- {escape_text(mask_secrets(cut))}")
    if len(lines) > MAX_LINES:
        out.append(f"- … and {len(lines) - MAX_LINES} more lines in the job log")
    if not lines:
        out.append("No error output was captured; see the job log.")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    """Print the report for ``COMMAND SHA LOG``."""
    command, sha, path = argv[1], argv[2], Path(argv[3])
    log = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    sys.stdout.write(render(command, sha, log))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
