"""The plan as terminal text: ``+`` create, ``~`` update/rename, ``-`` delete.

Example (no colour)::

    + create "Pricing Mention"
        + annual discount
    ~ update "Budget" (id 5000000000000101)
        + budget approved
        - budget is fine
    ~ rename "Promo" -> "Promotion Mention" (id 5000000000000102)
    - delete "Old Campaign" (id 5000000000000103, 5 phrases)

    Unmanaged (no file defines them; left alone): "Sales Notes"
    trackers/budget.yaml:1:7: warning: tracker "Budget" has 2 phrases; ...
    warning: remote: 2 trackers share the name 'Dup' (ids ...); ...

    Plan: 1 to create, 1 to update, 1 to rename, 1 to delete.

With no changes the last line is ``No changes.``. Colours (``color=True``) are ANSI:
green ``+``, yellow ``~``, red ``-``.
"""

from __future__ import annotations

import re

from trackersync.plan import Change, Plan
from trackersync.secrets import display

_COLORS = {"+": "\x1b[32m", "~": "\x1b[33m", "-": "\x1b[31m", "!": "\x1b[33m"}
_RESET = "\x1b[0m"
_SIGN = {"create": "+", "update": "~", "rename": "~", "delete": "-"}


#: ``path:line:col: `` at the start of a plan warning (definition warnings carry one).
#: The path holds no quote and no ``": "``, so a warning without a location that quotes
#: a name containing ``:1:2: `` (``tracker 'x:1:2: …'``, ``remote: …``) is not split.
_LOCATION = re.compile(
    r"(?P<where>(?:(?!: )[^\n'\"])+?:\d+:\d+): (?P<message>.*)", re.DOTALL
)


def split_location(warning: str) -> tuple[str | None, str]:
    """Split a plan warning into its ``path:line:col`` (or ``None``) and its message.

    Plan warnings from the definitions read ``path:line:col: message`` (see
    :func:`trackersync.pipeline.make_plan`); others (remote data, safety) are a bare
    message.
    """
    found = _LOCATION.fullmatch(warning)
    if found is None:
        return None, warning
    return found["where"], found["message"]


def warning_line(warning: str) -> str:
    """Format one plan warning as ``validate`` does: ``path:line:col: warning: message``.

    Warnings without a location (remote data, safety) become ``warning: message``. Used
    for the text plan and, with ``--format json|markdown``, for stderr, so a warning
    reads the same whether the plan succeeds or fails. The message is masked
    (:func:`~trackersync.secrets.mask_secrets`), the file path is not: a file named
    after a tracker (``test-tracker-<guid>.yaml``) is not a token.

    Args:
        warning: one raw, unmasked entry of ``Plan.warnings``.
    """
    where, message = split_location(warning)
    if where is None:
        return f"warning: {display(message)}"
    return f"{where}: warning: {display(message)}"


def _paint(sign: str, text: str, color: bool) -> str:
    return f"{_COLORS[sign]}{text}{_RESET}" if color else text


def change_lines(change: Change, *, color: bool = False) -> list[str]:
    """Return the lines of one change: a header and its phrase-level lines."""
    sign = _SIGN[change.action]
    name = display(change.name)
    if change.action == "rename":
        head = f'rename "{display(change.old_name or "")}" -> "{name}"'
    else:
        head = f'{change.action} "{name}"'
    if change.action == "delete":
        count = len(change.removed)
        head += f" (id {change.tracker_id}, {count} phrase{'' if count == 1 else 's'})"
    elif change.tracker_id:
        head += f" (id {change.tracker_id})"
    lines = [_paint(sign, f"{sign} {head}", color)]
    if change.action != "delete":
        lines += [_paint("+", f"    + {display(p)}", color) for p in change.added]
        lines += [_paint("-", f"    - {display(p)}", color) for p in change.removed]
    return lines


def summary_line(plan: Plan) -> str:
    """``Plan: 3 to create, 1 to update, 1 to rename, 0 to delete.`` or ``No changes.``."""
    s = plan.summary
    if not plan.has_changes:
        return "No changes."
    return (f"Plan: {s.create} to create, {s.update} to update, "
            f"{s.rename} to rename, {s.delete} to delete.")


def render_text(plan: Plan, *, color: bool = False) -> str:
    """Render the whole plan as text (deterministic: the plan's own order)."""
    lines: list[str] = []
    for change in plan.changes:
        lines += change_lines(change, color=color)
    tail: list[str] = []
    if plan.unmanaged:
        names = ", ".join(f'"{display(n)}"' for n in plan.unmanaged)
        tail.append(f"Unmanaged (no file defines them; left alone): {names}")
    tail += [_paint("!", warning_line(w), color) for w in plan.warnings]
    if tail:
        lines += ([""] if lines else []) + tail
    lines += ([""] if lines else []) + [summary_line(plan)]
    return "\n".join(lines)


__all__ = ["change_lines", "render_text", "split_location", "summary_line", "warning_line"]
