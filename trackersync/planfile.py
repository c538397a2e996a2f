"""Saved plan files (``plan --out FILE`` / ``apply FILE``): written whole, read with care.

A plan file is data another run acts on, so it is never trusted blindly: any bytes that
are not the JSON ``plan --out`` wrote (not UTF-8, a BOM, cut short, git conflict
markers, edited by hand) give one :class:`~trackersync.errors.PlanError` naming the file
and what is wrong; the advice is always "run plan again", which loses nothing.
"""

from __future__ import annotations

from pathlib import Path

from trackersync.errors import ConfigError, PlanError
from trackersync.plan import Plan
from trackersync.textfile import atomic_write, read_state_text


def save_plan(plan: Plan, path: Path) -> None:
    """Write ``plan`` as JSON to ``path`` atomically (unique temporary file, then rename).

    Raises:
        ConfigError: the file cannot be written (the message names it).
    """
    try:
        atomic_write(path, plan.to_json() + "\n")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the plan: {exc.strerror or exc}") from exc


def load_plan(path: Path) -> Plan:
    """Read a plan saved by :func:`save_plan`.

    Raises:
        PlanError: the file cannot be read, is not UTF-8 JSON, holds git conflict
            markers, was edited after ``plan --out`` wrote it, or has another shape.
    """
    advice = "run plan --out again"
    try:
        text = read_state_text(path, what="plan file", advice=advice, error=PlanError)
    except FileNotFoundError as exc:
        raise PlanError(f"{path}: no such plan file; {advice}") from exc
    return Plan.from_json(text, origin=str(path))


__all__ = ["load_plan", "save_plan"]
