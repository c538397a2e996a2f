"""Write the Markdown error report of a failed ``validate`` or ``plan`` (run by run.sh).

Usage: ``python3 failure.py COMMAND SHA LOG > error.md``

LOG is what the command printed (``plan``: its stderr; ``validate``: the plain problem
lines of ``validate --report``, then its output).
The report starts with the plan comment's hidden marker, so the plan workflow's comment
job replaces a stale plan comment with it, then says
``trackersync plan failed for <sha>: see the job log / annotations`` and lists the
error lines. Every line is made safe the way trackersync makes plan text safe
(``trackersync.render.escaping.escape_text``: Markdown/HTML escaped, no @mentions) after
``trackersync.secrets.mask_secrets``; workflow commands (annotations, ``::add-mask::``)
are dropped: the problems arrive as plain ``F:L:C: error: msg`` lines, never parsed back
out of annotations.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from trackersync.render.escaping import MARKER, escape_text
from trackersync.secrets import mask_secrets

#: At most this many error lines; the rest are in the job log.
MAX_LINES = 60
#: Each line is cut to this many characters (the comment must stay < 65,536).
MAX_LINE_CHARS = 500
_SHA = re.compile(r"[0-9a-fA-F]{7,64}")


def plain_line(line: str) -> str | None:
    """Return one log line as plain text, or ``None`` for a line the report leaves out
    (blank lines and workflow commands)."""
    line = line.rstrip()
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
