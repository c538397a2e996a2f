"""Print a titled, fenced copy of a text file for the GitHub job summary.

Usage: ``python3 summary.py TITLE FILE >> "$GITHUB_STEP_SUMMARY"`` (run by run.sh).
Token-looking strings are masked and the fence is longer than any backtick run in the
text, so nothing in it can close the block (see ``trackersync.render.escaping``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from trackersync.render.escaping import code_block, escape_text
from trackersync.secrets import mask_secrets

#: GitHub refuses job summaries over 1 MiB per step; keep well below it.
MAX_SUMMARY_CHARS = 500_000


def main(argv: list[str]) -> int:
    """Write ``### TITLE`` and the file's text in a safe code block to stdout."""
    title, path = argv[1], Path(argv[2])
    text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
    # Workflow commands (e.g. ::add-mask:: with a fresh token) are for the runner only.
    text = "".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith("::"))
    if len(text) > MAX_SUMMARY_CHARS:
        text = text[:MAX_SUMMARY_CHARS] + "\n… (cut; see the workflow log)\n"
    sys.stdout.write(f"### {escape_text(title)}\n\n{code_block(mask_secrets(text))}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
