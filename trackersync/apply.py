"""The applier: carries out a :class:`~trackersync.plan.Plan` and verifies it.

Order is data (:data:`APPLY_ORDER`): renames and updates (PUT, same id) first, then
every create in ONE ``create_trackers`` call (the client packs bulk POSTs under the
API's 1 MB body limit), then deletes. Renames go first so a freed name can be reused
by a create; deletes go last so a failure never leaves the account with less than it
had.

Failure policy: **stop at the first failed operation**. Nothing is rolled back (like
decK and Terraform: fix the cause and run again; a rerun converges because the next
plan only holds what is left). The :class:`ApplyReport` says, per operation, ``done``
/ ``not converged`` / ``failed`` / ``unknown`` / ``not attempted`` and carries the
account as read afterwards, from which :mod:`trackersync.sync` still writes the state
record; :class:`~trackersync.errors.ApplyError` carries the report (exit 1).

Afterwards one list GET verifies every change: a server that merged phrases on PUT
(as Symbl's documented sample does), or dropped a rename, is reported by tracker and
phrase, its operation is marked ``not converged`` and not counted as done; no retry
loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from trackersync.errors import ApiError, ApplyError
from trackersync.model import RemoteTracker, single_by_name
from trackersync.plan import Change, Plan
from trackersync.protocol import TrackerApi
from trackersync.secrets import display

log = logging.getLogger(__name__)

#: Apply order: (action, how its changes are sent). ``each`` = one request per change,
#: ``bulk`` = all changes of that action in one client call (chunked by the client).
APPLY_ORDER: tuple[tuple[str, str], ...] = (
    ("rename", "each"),
    ("update", "each"),
    ("create", "bulk"),
    ("delete", "each"),
)

#: Called after each step: ``(line, changes done, changes in the plan)``.
Progress = Callable[[str, int, int], None]

#: Status of a change that was sent and answered, but the account does not show it.
NOT_CONVERGED = "not converged"
#: Status of a change whose request was in flight when Ctrl-C/SIGTERM stopped the run.
UNKNOWN = "unknown"

#: Past-tense verbs of the summary counts, in summary order.
_DONE_WORDS = (("create", "created"), ("update", "updated"), ("rename", "renamed"),
               ("delete", "deleted"))


@dataclass
class OpResult:
    """What happened to one change.

    ``status`` is ``done`` (sent and verified), ``not converged`` (sent, but the
    verify read shows something else), ``failed``, ``unknown`` (in flight when the
    run was interrupted) or ``not attempted``.
    """

    change: Change
    status: str = "not attempted"
    detail: str = ""


class _Interrupted(Exception):
    """Ctrl-C or SIGTERM during a write: stop sending, then still verify and record IDs."""

    def __init__(self, message: str, signal: KeyboardInterrupt) -> None:
        super().__init__(message)
        self.signal = signal


@dataclass
class ApplyReport:
    """The outcome of an apply (for the CLI and for :class:`ApplyError`).

    Attributes:
        results: one entry per change, in apply order.
        listing: the account as read after the writes, or ``None`` when that read
            failed after an earlier failure (the state record is then left as it was).
        mismatches: verification failures ("tracker 'X' (id N): ...").
        verified: the verify read ran over every change (not after a failure).
    """

    results: list[OpResult] = field(default_factory=list)
    listing: list[RemoteTracker] | None = None
    mismatches: list[str] = field(default_factory=list)
    verified: bool = False

    @property
    def ok(self) -> bool:
        """True when every change was done and verified."""
        return (self.verified and not self.mismatches
                and all(r.status == "done" for r in self.results))

    def counts(self) -> dict[str, int]:
        """Per status (``created``/``updated``/``renamed``/``deleted`` for ``done`` ones,
        else the status itself): how many changes ended that way. Only what happened
        counts: a PUT the server merged is ``not converged``, not ``updated``.
        """
        words = dict(_DONE_WORDS)
        counts = {word: 0 for _, word in _DONE_WORDS}
        for result in self.results:
            key = words[result.change.action] if result.status == "done" else result.status
            counts[key] = counts.get(key, 0) + 1
        return counts

    def summary(self) -> str:
        """``Apply complete: 1 created, ...; verified.`` or, when anything else happened,
        ``Apply result: 1 created, 0 updated, 0 renamed, 0 deleted; 1 not converged.``
        """
        counts = self.counts()
        done = ", ".join(f"{counts.pop(word)} {word}" for _, word in _DONE_WORDS)
        if self.ok:
            return f"Apply complete: {done}; verified."
        rest = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        return f"Apply result: {done}" + (f"; {rest}." if rest else ".")

    def table(self) -> str:
        """Render the per-operation status table (plain text, one line per change)."""
        lines = []
        for result in self.results:
            lines.append(f"  {result.status:<14} {describe(result.change)}"
                         + (f": {result.detail}" if result.detail else ""))
        return "\n".join(lines)


def describe(change: Change) -> str:
    """One-line description of a change: ``rename "Old" -> "New" (id 123)``."""
    new = display(change.name)
    name = f'"{display(change.old_name)}" -> "{new}"' if change.old_name else f'"{new}"'
    where = f" (id {change.tracker_id})" if change.tracker_id else ""
    return f"{change.action} {name}{where}"


def ordered_changes(plan: Plan) -> list[Change]:
    """Return the plan's changes in :data:`APPLY_ORDER` (stable within an action)."""
    return [c for action, _ in APPLY_ORDER for c in plan.changes if c.action == action]


def apply_plan(
    plan: Plan, api: TrackerApi, *, progress: Progress | None = None
) -> ApplyReport:
    """Apply ``plan`` to the account and verify it with one list GET.

    Args:
        plan: the plan to carry out (already checked for safety, conflicts and
            freshness by the caller, :func:`trackersync.sync.apply`).
        api: the account (:class:`~trackersync.protocol.TrackerApi`).
        progress: called after each step with its line (``[2/5] create "X" ... done``)
            and the count of changes done and planned (the CLI passes a
            :class:`~trackersync.progress.ProgressReporter`).

    Returns:
        The :class:`ApplyReport` (``ok`` is True; ``listing`` is the verify read).

    Raises:
        ApplyError: an operation failed (stopped there), the run was interrupted, or
            verification found a difference; ``.report`` holds the table and the
            account as read afterwards.
    """
    report = ApplyReport(results=[OpResult(c) for c in ordered_changes(plan)])
    interrupt: KeyboardInterrupt | None = None
    try:
        failure = _run_steps(report.results, api, progress)
    except _Interrupted as stop:
        failure, interrupt = str(stop), stop.signal
    listing = _final_listing(api, failure)
    if listing is not None:
        report.listing = listing
        _settle_statuses(report.results, listing)
        if failure is None:
            report.mismatches = _mark_unconverged(report.results, listing)
            report.verified = True
    if interrupt is not None:
        raise ApplyError(f"apply was interrupted: {failure}", report) from interrupt
    if failure is not None:
        raise ApplyError(f"apply stopped at the first failure: {failure}", report)
    if report.mismatches:
        raise ApplyError("apply did not converge:\n  " + "\n  ".join(report.mismatches), report)
    return report


def _run_steps(
    results: list[OpResult], api: TrackerApi, progress: Progress | None
) -> str | None:
    """Send the writes in order; stop at the first failure and return its message."""
    by_action: dict[str, list[OpResult]] = {}
    for result in results:
        by_action.setdefault(result.change.action, []).append(result)
    total, step = len(results), 0
    for action, mode in APPLY_ORDER:
        batch = by_action.get(action, [])
        groups = [batch] if mode == "bulk" and batch else [[r] for r in batch]
        for group in groups:
            step += len(group)
            label = describe(group[0].change)
            if len(group) > 1:
                label = f"create {len(group)} trackers"
            try:
                _send(action, [r.change for r in group], api)
            except (ApiError, KeyboardInterrupt) as exc:
                interrupted = isinstance(exc, KeyboardInterrupt)
                for r in group:  # an interrupted request may still complete on the server
                    r.status, r.detail = ((UNKNOWN, "interrupted while in flight; run plan "
                                           "to see whether it took effect") if interrupted
                                          else ("failed", str(exc)))
                if progress:
                    progress(f"[{step}/{total}] {label} ... {r.status}", step, total)
                if isinstance(exc, KeyboardInterrupt):
                    raise _Interrupted(f"{label}: interrupted", exc) from exc
                return f"{label}: {exc}"
            for r in group:
                r.status = "done"
            if progress:
                progress(f"[{step}/{total}] {label} ... done", step, total)
    return None


def _send(action: str, changes: Sequence[Change], api: TrackerApi) -> None:
    """Make the API call(s) for one step."""
    if action == "create":
        api.create_trackers([c.desired_tracker for c in changes])
    elif action == "delete":
        for change in changes:
            api.delete_tracker(str(change.tracker_id))
    else:
        for change in changes:
            api.update_tracker(str(change.tracker_id), change.desired_tracker)


def _final_listing(api: TrackerApi, failure: str | None) -> list[RemoteTracker] | None:
    """Re-read the account once (verify GET); after a failure a failed read is tolerated."""
    try:
        return api.list_trackers()
    except ApiError as exc:
        if failure is None:
            raise ApplyError(f"apply done, but the verify read failed: {exc}") from exc
        log.warning("could not re-read the account after the failure: %s", exc)
        return None


def _settle_statuses(results: list[OpResult], listing: Sequence[RemoteTracker]) -> None:
    """A failed bulk create may have created some items: mark those that exist as done.

    Only a tracker with the planned name *and* the planned phrases counts; one of the
    same name with other phrases was made by someone else meanwhile and stays failed.
    """
    single = single_by_name(listing)
    for result in results:
        change = result.change
        if change.action != "create" or result.status not in ("failed", UNKNOWN):
            continue
        found = single.get(change.name)
        if found is not None and found.same_content(change.desired_tracker):
            result.status, result.detail = "done", "created before the failure"
        elif found is not None:
            result.detail += " (a tracker of that name with other phrases exists now)"


def _differences(
    change: Change, single: Mapping[str, RemoteTracker], by_id: Mapping[str, RemoteTracker]
) -> list[tuple[str, str]]:
    """``(message, short detail for the status table)`` per way the account differs."""
    if change.action == "delete":
        if change.tracker_id in by_id:
            return [(f"tracker {change.name!r} (id {change.tracker_id}) still exists",
                     "still exists")]
        return []
    found = (single.get(change.name) if change.action == "create"
             else by_id.get(str(change.tracker_id)))
    label = f"tracker {change.name!r}" + (f" (id {found.id})" if found else "")
    if found is None:
        detail = f"not found after {change.action}"
        return [(f"{label}: {detail}", detail)]
    problems: list[tuple[str, str]] = []
    if found.name != change.name:
        detail = f"name is {found.name!r}, expected {change.name!r}"
        problems.append((f"{label}: {detail}", detail))
    want, have = set(change.vocabulary or ()), found.phrase_set()
    if want != have:
        extra, missing = sorted(have - want), sorted(want - have)
        parts = [f"phrases still present: {extra}"] if extra else []
        parts += [f"phrases missing: {missing}"] if missing else []
        detail = "; ".join(parts)
        problems.append((f"{label} did not converge: {detail}", detail))
    return problems


def _mark_unconverged(results: list[OpResult], listing: Sequence[RemoteTracker]) -> list[str]:
    """Verify every ``done`` change; a difference turns it into ``not converged``.

    Returns the verification messages (for :class:`ApplyError`).
    """
    by_id = {t.id: t for t in listing}
    single = single_by_name(listing)
    messages: list[str] = []
    for result in results:
        if result.status != "done":
            continue
        found = _differences(result.change, single, by_id)
        if found:
            result.status = NOT_CONVERGED
            result.detail = "; ".join(detail for _, detail in found)
            messages += [message for message, _ in found]
    return messages


__all__ = [
    "APPLY_ORDER",
    "ApplyReport",
    "OpResult",
    "apply_plan",
    "describe",
    "ordered_changes",
]
