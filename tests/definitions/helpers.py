"""Helpers for the definitions tests: write a project, load it, flatten problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trackersync.config import Config
from trackersync.definitions import DefinitionSet, load_definitions

FIXTURES = Path(__file__).parent / "fixtures"
CASES = Path(__file__).parents[1] / "cases"


def write(root: Path, rel: str, text: str | bytes) -> Path:
    """Write ``text`` (str as UTF-8, or raw bytes) to ``root/rel``; return the path."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def load(root: Path, *paths: Path, **config: Any) -> DefinitionSet:
    """Load ``root``'s trackers (or ``paths``) with a Config built from ``config``."""
    return load_definitions(root, Config(**config), paths=list(paths) or None)


def flat(ds: DefinitionSet) -> list[tuple[Any, ...]]:
    """Each problem as (severity, file, line, column, code, message)."""
    return [
        (p.severity, p.source.file if p.source else None, p.source.line if p.source else None,
         p.source.column if p.source else None, p.code, p.message)
        for p in ds.problems
    ]


def rows(ds: DefinitionSet) -> list[tuple[Any, ...]]:
    """Each problem as (severity, line, column, code, message): for one-file tests."""
    return [(s, line, col, code, msg) for s, _f, line, col, code, msg in flat(ds)]
