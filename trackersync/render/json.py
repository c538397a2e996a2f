"""The plan as versioned JSON (README "Outputs"; shape in :mod:`trackersync.plan`)."""

from __future__ import annotations

from trackersync.plan import Plan


def render_json(plan: Plan) -> str:
    """Return the plan's JSON (``format_version`` 1, 2-space indent, no secrets)."""
    return plan.to_json(indent=2)


__all__ = ["render_json"]
