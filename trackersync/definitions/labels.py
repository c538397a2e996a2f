"""``label_for``: how a file is named in problems and reports (relative to the project).

Its own module, so reading ``trackersync.yaml`` (:mod:`.config_loader`) names the file
without importing the tracker-file reader.
"""

from __future__ import annotations

import os
from pathlib import Path


def label_for(path: Path, root: Path) -> str:
    """Return ``path`` relative to ``root`` (POSIX separators) when inside it, else as is."""
    if os.sep == "/":  # the common case as string operations; pathlib's answer otherwise
        text, base = str(path), str(root)
        prefix = base if base.endswith("/") else base + "/"
        if text.startswith(prefix):
            return text[len(prefix):] or "."
        if text == base:
            return "."
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


__all__ = ["label_for"]
