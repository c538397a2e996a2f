"""Merge ownership records (``ids_file`` copies) against the live account.

Two CI runs that apply close together each write their own ``ids_file`` from the commit
they checked out; a run that checked out an older commit starts from an older record.
Putting one copy over the other (or rebasing the text of one onto the other) loses the
trackers only the other run recorded, and prune then never deletes them. Instead, the
record committed on the branch tip is regenerated from both copies and the account:

* a tracker is owned when **either** record owns its ID and that ID **exists** in the
  live listing (one ``GET /v1/manage/trackers``); IDs deleted since are dropped;
* it is recorded under its **live** name (a rename applied by one run is kept);
* a name is protected when either record protects that ID (protection is never lost in
  a race; the next apply recomputes it from the files for every tracker they define).

See README "Use it in your repository" (the ownership record).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from trackersync.ids import IdsRecord
from trackersync.model import RemoteTracker


def merge_records(records: Sequence[IdsRecord | None],
                  listing: Iterable[RemoteTracker]) -> IdsRecord:
    """Return the union of ``records`` restricted to IDs that exist in ``listing``.

    Args:
        records: ownership records, most authoritative first (this run's own record,
            then the branch tip's); ``None`` entries (no file yet) are skipped. When two
            live trackers share a name, the ID found in the earlier record wins.
        listing: the account's trackers, as listed live.

    Returns:
        An :class:`~trackersync.ids.IdsRecord` keyed by live name: every owned ID that
        still exists, and the protected names among them.
    """
    live = {tracker.id: tracker.name for tracker in listing}
    names: dict[str, str] = {}
    protected: set[str] = set()
    for record in records:
        if record is None:
            continue
        protected_ids = record.protected_ids
        for tid in record.names.values():
            name = live.get(tid)
            if name is None:
                continue
            names.setdefault(name, tid)
            if tid in protected_ids and names[name] == tid:
                protected.add(name)
    return IdsRecord(names=dict(sorted(names.items())), protected=frozenset(protected))


__all__ = ["merge_records"]
