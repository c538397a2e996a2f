"""Renderers: turn an inert :class:`~trackersync.plan.Plan` into text, JSON or Markdown.

Each renderer only reads the plan. Markdown (jinja2) lives in
:mod:`trackersync.render.markdown` and is imported only when asked for, so ``plan``
in text form never loads jinja2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from trackersync.errors import PlanError

if TYPE_CHECKING:  # only annotated here: validate uses this package without any plan
    from trackersync.plan import Plan

FORMATS = ("text", "json", "markdown")


def render_plan(plan: Plan, fmt: str = "text", *, color: bool = False) -> str:
    """Render ``plan`` in one of :data:`FORMATS`.

    Args:
        plan: the plan to show.
        fmt: ``text``, ``json`` or ``markdown``.
        color: add ANSI colours (``text`` only).

    Returns:
        The rendered text, ending without a trailing newline.

    Raises:
        PlanError: unknown format.
    """
    if fmt == "text":
        from trackersync.render.text import render_text

        return render_text(plan, color=color)
    if fmt == "json":
        from trackersync.render.json import render_json

        return render_json(plan)
    if fmt == "markdown":
        from trackersync.render.markdown import render_markdown

        return render_markdown(plan).rstrip("\n")
    raise PlanError(f"unknown plan format {fmt!r}; use one of {', '.join(FORMATS)}")


__all__ = ["FORMATS", "render_plan"]
