"""Merge copies of the state record against the live account.

Two CI runs that apply close together each write their own state record from the commit
they checked out; a run that checked out an older commit starts from an older record.
Putting one copy over the other (or rebasing the text of one onto the other) loses the
trackers only the other run recorded, and prune then never deletes them. Instead, the
record committed on the branch tip is regenerated from both copies and the account:

* a tracker is owned when **either** record owns its ID and that ID **exists** in the
  live listing (one ``GET /v1/manage/trackers``); IDs deleted since are dropped;
* it is recorded under its **live** name (a rename applied by one run is kept);
* a name is protected when either record protects that ID (protection is never lost in
  a race; the next apply recomputes it from the files for every tracker they define);
* its snapshot (the tracker as last applied, for telling drift from pending changes) is
  taken from the first record that has one for that ID under that name.

See README "Use it in your repository" (the ownership record).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from trackersync.model import RemoteTracker
from trackersync.state import Account, Snapshot, StateRecord


def merge_records(records: Sequence[StateRecord | None], listing: Iterable[RemoteTracker],
                  account: Account | None = None) -> StateRecord:
    """Return the union of ``records`` restricted to IDs that exist in ``listing``.

    Args:
        records: state records, most authoritative first (this run's own record, then
            the branch tip's); ``None`` entries (no file yet) are skipped. When two live
            trackers share a name, the ID found in the earlier record wins.
        listing: the account's trackers, as listed live.
        account: the account the merged record belongs to.

    Returns:
        A :class:`~trackersync.state.StateRecord` keyed by live name: every owned ID that
        still exists, the protected names among them, and their snapshots.
    """
    live = {tracker.id: tracker.name for tracker in listing}
    names: dict[str, str] = {}
    protected: set[str] = set()
    snapshots: dict[str, Snapshot] = {}
    for record in records:
        if record is None:
            continue
        protected_ids = record.protected_ids
        by_id = record.snapshot_by_id()
        for tid in record.names.values():
            name = live.get(tid)
            if name is None:
                continue
            names.setdefault(name, tid)
            if names[name] != tid:
                continue
            if tid in protected_ids:
                protected.add(name)
            snap = by_id.get(tid)
            if snap is not None and snap.name == name:
                snapshots.setdefault(name, snap)
    return StateRecord(names=dict(sorted(names.items())), protected=frozenset(protected),
                       snapshots=snapshots, account=account)


__all__ = ["merge_records"]
