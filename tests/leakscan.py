"""The secret-leak scan every test ends with (see ``secret_scan`` in tests/conftest.py)."""

from __future__ import annotations

from typing import Any


class LeakScan:
    """Secret values seen during a test, and extra texts to scan for them at teardown."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self.texts: list[str] = []

    def check(self, *objects: Any) -> None:
        """Add ``str`` and ``repr`` of objects (e.g. caught exceptions) to the scan."""
        for obj in objects:
            self.texts.append(str(obj))
            self.texts.append(repr(obj))
            for arg in getattr(obj, "args", ()):
                self.texts.append(str(arg))

    def scan(self, text: str) -> list[str]:
        """The secrets found in ``text``; a ``::add-mask::`` line is the one allowed sighting."""
        kept = "\n".join(
            line for line in text.splitlines() if not line.startswith("::add-mask::")
        )
        return sorted(s for s in self.secrets if s in kept)
