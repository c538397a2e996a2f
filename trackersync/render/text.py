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

from trackersync.model import Problem
from trackersync.plan import Change, Plan
from trackersync.secrets import display

_COLORS = {"+": "\x1b[32m", "~": "\x1b[33m", "-": "\x1b[31m", "!": "\x1b[33m"}
_RESET = "\x1b[0m"
_SIGN = {"create": "+", "update": "~", "rename": "~", "delete": "-"}


def warning_line(warning: Problem) -> str:
    """Format one plan warning as ``validate`` does: ``path:line:col: warning: message``.

    Warnings without a location (remote data, safety) become ``warning: message``. Used
    for the text plan and, with ``--format json|markdown``, for stderr, so a warning
    reads the same whether the plan succeeds or fails. The message is masked
    (:func:`~trackersync.secrets.display`), the file path is not: a file named after a
    tracker (``test-tracker-<guid>.yaml``) is not a token.

    Args:
        warning: one entry of ``Plan.warnings``.
    """
    if warning.source is None:
        return f"warning: {display(warning.message)}"
    return f"{warning.source}: warning: {display(warning.message)}"


#: What each cause means, as the plan says it next to a change.
CAUSE_NOTES = {
    "drift": "drift: changed in the account since the last apply; apply reverts it",
    "conflict": ("conflict: changed in the account and in the files since the last apply; "
                 "apply refuses it without --overwrite-conflicts"),
}


def drift_lines(change: Change) -> list[str]:
    """What changed in the account since the last apply, one line per field change."""
    lines = []
    for item in change.drift:
        if item.field == "tracker":
            lines.append("deleted in the account")
        elif item.change == "changed":
            lines.append(f'{item.field}: "{display(item.snapshot or "")}" -> '
                         f'"{display(item.account or "")}"')
        else:
            phrase = display(item.account or item.snapshot or "")
            lines.append(f'{item.change} in the account: "{phrase}"')
    return lines


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
    if change.cause in CAUSE_NOTES:
        lines.append(_paint("!", f"    ! {CAUSE_NOTES[change.cause]}:", color))
        lines += [f"        {line}" for line in drift_lines(change)]
    if change.action != "delete":
        lines += [_paint("+", f"    + {display(p)}", color) for p in change.added]
        lines += [_paint("-", f"    - {display(p)}", color) for p in change.removed]
    return lines


def summary_line(plan: Plan) -> str:
    """``Plan: 3 to create, 1 to update, 1 to rename, 0 to delete.`` or ``No changes.``."""
    s = plan.summary
    if not plan.has_changes:
        return "No changes."
    causes = ""
    if s.drift or s.conflict:
        causes = f" ({s.pending} pending, {s.drift} drift, {s.conflict} conflict)"
    return (f"Plan: {s.create} to create, {s.update} to update, "
            f"{s.rename} to rename, {s.delete} to delete{causes}.")


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


__all__ = ["CAUSE_NOTES", "change_lines", "drift_lines", "render_text", "summary_line",
           "warning_line"]
