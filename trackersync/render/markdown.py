"""The Markdown plan: for pull-request comments and GitHub job summaries.

The layout lives in ``trackersync/templates/plan.md.j2`` (jinja2 is used only in this
module; its errors become :class:`~trackersync.errors.PlanError`). This module makes
every user string safe before the template sees it, with the functions of
:mod:`trackersync.render.escaping` (which the GitHub action's scripts use alone):

* names, sources and warnings go through :func:`escape_text`: HTML and Markdown
  specials become numeric character references (they display as typed and never
  become tags, links, tables or emphasis; ``<!--`` cannot open a comment), and a
  zero-width joiner follows ``@`` and ``#`` so GitHub neither pings ``@team`` nor
  links ``#123``;
* phrases appear only inside ```diff blocks built by :func:`code_block`, whose fence
  is longer than any backtick run in the content, and with control characters shown
  as ``\\xNN`` so no phrase can start a line of its own;
* token-looking strings (JWTs, long high-entropy words) are replaced by
  :data:`MASK` first (case secrets never reach a PR comment).

The result starts with :data:`MARKER` so the plan workflow finds its own comment and
edits it in place, and never exceeds ``max_chars`` (GitHub's comment limit is 65,536
characters): trackers are dropped from the end with a note naming how many are shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from trackersync import __version__
from trackersync.errors import PlanError
from trackersync.model import Problem
from trackersync.plan import ACTIONS, Change, Plan
from trackersync.render.escaping import (
    MARKER,
    ZWJ,
    code_block,
    escape_path,
    escape_text,
    show_hidden,
)
from trackersync.render.text import cause_note, drift_lines
from trackersync.secrets import MASK, mask_secrets

if TYPE_CHECKING:
    import jinja2

T = TypeVar("T")

#: GitHub's limit for an issue or pull-request comment body, in characters.
GITHUB_COMMENT_LIMIT = 65536
#: Where the full plan is when the Markdown had to be cut (the plan workflow's artifact).
DEFAULT_FULL_PLAN_HINT = (
    "the full plan is in the workflow artifact `trackersync-plan` "
    "(or run `trackersync plan --format text`)"
)
#: Per tracker, at most this many +/- lines; per list (unmanaged, warnings, deletes) items.
MAX_PHRASE_LINES = 200
MAX_LIST_ITEMS = 100
MAX_BANNER_NAMES = 20

ICONS = {"create": "➕", "update": "✏️", "rename": "🔁", "delete": "🗑️"}
CAUSE_ICONS = {"pending": "📝 pending", "drift": "↩️ drift", "conflict": "⛔ conflict"}

def escape_warning(warning: Problem) -> str:
    """Escape one plan warning, masking its message but not its ``path:line:col``.

    A warning about ``trackers/test-tracker-<guid>.yaml`` must name that file; only
    the message can quote a pasted token.
    """
    if warning.source is None:
        return escape_text(warning.message)
    return f"{escape_path(str(warning.source))}: {escape_text(warning.message)}"


def _phrase(text: str) -> str:
    """A phrase for a diff line: masked, control characters shown, on one line."""
    return show_hidden(mask_secrets(text))


def diff_lines(change: Change, limit: int = MAX_PHRASE_LINES) -> str:
    """Return the change's phrase-level ``- removed`` / ``+ added`` lines as a diff block."""
    lines = [f"- {_phrase(p)}" for p in change.removed]
    lines += [f"+ {_phrase(p)}" for p in change.added]
    if change.action == "rename" and not lines:
        lines = ["  (phrases unchanged)"]
    if len(lines) > limit:
        lines = lines[:limit] + [f"  … {len(lines) - limit} more phrase changes not shown"]
    return code_block("\n".join(lines), "diff")


@dataclass(frozen=True)
class _Section:
    """What the template shows for one change (raw strings; the template escapes them)."""

    icon: str
    action: str
    name: str
    old_name: str | None
    protect: bool
    counts: str
    source: str | None
    tracker_id: str | None
    diff: str
    cause: str
    cause_note: str
    drift: str


def _counts(change: Change) -> str:
    added, removed = len(change.added), len(change.removed)
    if change.action == "create":
        return f"{added} phrase{'s' if added != 1 else ''}"
    if change.action == "delete":
        return f"{removed} phrase{'s' if removed != 1 else ''} removed"
    if not added and not removed:
        return "name only"
    return f"+{added} / -{removed}"


def _section(change: Change, drift_policy: str = "revert") -> _Section:
    return _Section(
        icon=ICONS[change.action],
        action=change.action,
        name=change.name,
        old_name=change.old_name,
        protect=change.protect,
        counts=_counts(change),
        source=change.source,
        tracker_id=change.tracker_id,
        diff=diff_lines(change),
        cause=change.cause,
        cause_note=cause_note(change, drift_policy),
        drift=code_block("\n".join(_phrase(line) for line in drift_lines(change)))
        if change.drift else "",
    )


def _head(items: Sequence[T], limit: int) -> tuple[list[T], int]:
    """Return the first ``limit`` items and how many were left out."""
    return list(items[:limit]), max(0, len(items) - limit)


@dataclass
class _Row:
    """One line of the counts table."""

    icon: str
    action: str
    count: int = 0
    added: int = 0
    removed: int = 0


def _rows(changes: Iterable[Change]) -> list[_Row]:
    rows = {a: _Row(icon=ICONS[a], action=a) for a in ACTIONS}
    for change in changes:
        row = rows[change.action]
        row.count += 1
        row.added += len(change.added)
        row.removed += len(change.removed)
    return list(rows.values())


def _context(plan: Plan, hint: str) -> dict[str, Any]:
    """Everything the template needs except the sections shown."""
    deletes, deletes_more = _head([c.name for c in plan.by_action("delete")], MAX_BANNER_NAMES)
    warnings, warnings_more = _head(plan.warnings, MAX_LIST_ITEMS)
    unmanaged, unmanaged_more = _head(plan.unmanaged, MAX_LIST_ITEMS)
    rows = _rows(plan.changes)
    fp = plan.fingerprint
    return {
        "marker": MARKER, "plan": plan, "cause_icons": CAUSE_ICONS, "version": __version__,
        "full_plan_hint": hint,
        "fingerprint": f"{fp.desired[:8]}/{fp.remote[:8]}",
        "deletes": deletes, "deletes_more": deletes_more,
        "warnings": warnings, "warnings_more": warnings_more,
        "unmanaged": unmanaged, "unmanaged_more": unmanaged_more,
        "rows": rows,
        "total_added": sum(r.added for r in rows),
        "total_removed": sum(r.removed for r in rows),
    }


_ENV: jinja2.Environment | None = None


def _template() -> jinja2.Template:
    """Load ``plan.md.j2`` once (strict undefined; escaping is done by the ``md`` filter).

    jinja2 is imported here, not at module level: only rendering a plan needs it.
    """
    import jinja2

    global _ENV
    if _ENV is None:
        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("trackersync", "templates"),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        _ENV.filters["md"] = escape_text
        _ENV.filters["md_path"] = escape_path
        _ENV.filters["md_warning"] = escape_warning
    return _ENV.get_template("plan.md.j2")


def _render(template: jinja2.Template, context: dict[str, Any], sections: list[_Section],
            total: int) -> str:
    shown = {"sections": sections, "shown_count": len(sections),
             "omitted": total - len(sections)}
    return template.render(**context, **shown)


def _fit(template: jinja2.Template, context: dict[str, Any], sections: list[_Section],
         max_chars: int) -> str:
    """Render with as many leading sections as fit in ``max_chars``."""
    total = len(sections)
    empty = _render(template, context, [], total)
    module = template.make_module(dict(context, sections=[], shown_count=0, omitted=total))
    macro = module.change_section  # type: ignore[attr-defined]
    budget = max_chars - len(empty)
    count = 0
    for section in sections:
        budget -= len(str(macro(section))) + 1
        if budget < 0:
            break
        count += 1
    while count > 0:
        text = _render(template, context, sections[:count], total)
        if len(text) <= max_chars:
            return text
        count -= 1
    if len(empty) <= max_chars:
        return empty
    note = f"\n\n… cut to {max_chars} characters; {context['full_plan_hint']}.\n"
    return empty[: max(0, max_chars - len(note))] + note


def render_markdown(
    plan: Plan, *, max_chars: int = GITHUB_COMMENT_LIMIT, full_plan_hint: str | None = None
) -> str:
    """Render a plan as GitHub-flavoured Markdown for review.

    Layout: :data:`MARKER`; a ``> [!WARNING]`` banner naming deleted trackers; a table
    of counts per action (trackers, phrases added/removed); one ``<details>`` section
    per change with ``- removed`` / ``+ added`` phrase lines in a ```diff block;
    warnings; unmanaged trackers; a footer with version, API URL and fingerprint.

    Args:
        plan: the plan (:class:`trackersync.plan.Plan`), read only.
        max_chars: the most characters the result may have (GitHub comments: 65,536).
            When the whole plan does not fit, trailing tracker sections are left out and
            a note says "N of M trackers shown; <hint>".
        full_plan_hint: trusted Markdown saying where the full plan is; defaults to
            :data:`DEFAULT_FULL_PLAN_HINT` (the ``trackersync-plan`` workflow artifact).

    Returns:
        The Markdown, at most ``max_chars`` characters, ending with a newline.

    Raises:
        PlanError: the template failed to render (a bug in the template).
    """
    import jinja2

    template = _template()
    context = _context(plan, full_plan_hint or DEFAULT_FULL_PLAN_HINT)
    sections = [_section(c, plan.drift_policy) for c in plan.changes]
    try:
        text = _render(template, context, sections, len(sections))
        if len(text) <= max_chars:
            return text
        return _fit(template, context, sections, max_chars)
    except jinja2.TemplateError as exc:
        raise PlanError(f"cannot render the Markdown plan: {exc}") from exc


__all__ = [
    "DEFAULT_FULL_PLAN_HINT",
    "GITHUB_COMMENT_LIMIT",
    "MARKER",
    "MASK",
    "ZWJ",
    "code_block",
    "diff_lines",
    "escape_path",
    "escape_text",
    "escape_warning",
    "mask_secrets",
    "render_markdown",
]
