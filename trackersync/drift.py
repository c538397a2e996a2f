"""Pending, drift or conflict: why a tracker has a change, judged against the state record.

Each change of a plan is given a *cause* by comparing three versions of the tracker:
the tracker files (desired), the account (as just listed) and the snapshot the last
apply left in the state record (:mod:`trackersync.state`):

* ``pending``: the files differ from the snapshot, the account does not: a change
  made in the repository, waiting to be applied (also every change with no snapshot:
  new trackers, and records written before snapshots existed);
* ``drift``: the account differs from the snapshot, the files do not: edited outside
  trackersync (in Symbl's UI, or by another tool); apply reverts it to the files,
  unless the config says ``safety.drift: refuse``;
* ``conflict``: both differ from the snapshot: someone changed the tracker in the
  account *and* in the files; apply refuses unless ``--overwrite-conflicts``.

For drift and conflict, a field-by-field report of what changed in the account since
the snapshot (``name`` changed, phrases added or removed, the tracker deleted) is built
with deepdiff; deepdiff is imported here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from trackersync.errors import PlanError
from trackersync.model import DesiredTracker, RemoteTracker, Tracker, normalise_phrases
from trackersync.plan import Cause, Change, FieldDrift
from trackersync.state import Snapshot, StateRecord


def _shape(tracker: Tracker) -> dict[str, Any]:
    """The comparable shape of a tracker: its name and its normalised phrase set."""
    return {"name": tracker.name, "vocabulary": set(normalise_phrases(tracker.vocabulary))}


def _same(left: Tracker, right: Tracker) -> bool:
    return _shape(left) == _shape(right)


def drift_report(snapshot: Snapshot, account: Tracker | None) -> list[FieldDrift]:
    """What changed in the account since the snapshot, one entry per field change.

    Args:
        snapshot: the tracker as the last apply left it.
        account: the tracker with the snapshot's id in the account now, or ``None``
            when it was deleted there.

    Returns:
        Entries sorted by field then value: ``name`` ``changed`` (snapshot -> account),
        ``vocabulary`` ``added``/``removed`` per phrase, or one ``tracker`` ``removed``.

    Raises:
        PlanError: deepdiff failed (translated here, where deepdiff is used).
    """
    from deepdiff import DeepDiff

    if account is None:
        return [FieldDrift(field="tracker", change="removed", snapshot=snapshot.name)]
    try:
        delta = DeepDiff(_shape(snapshot.tracker), _shape(account), view="tree")
    except Exception as exc:  # deepdiff raises plain exceptions; translate them here
        raise PlanError(f"could not compare tracker {snapshot.name!r} with its "
                        f"snapshot: {exc}") from exc
    items: list[FieldDrift] = []
    for level in delta.get("values_changed", ()):
        items.append(FieldDrift(field=str(level.path(output_format="list")[0]),
                                change="changed", snapshot=str(level.t1),
                                account=str(level.t2)))
    for level in delta.get("set_item_added", ()):
        items.append(FieldDrift(field="vocabulary", change="added", account=str(level.t2)))
    for level in delta.get("set_item_removed", ()):
        items.append(FieldDrift(field="vocabulary", change="removed",
                                snapshot=str(level.t1)))
    return sorted(items, key=lambda d: (d.field, d.change, d.snapshot or "", d.account or ""))


def classify(
    changes: Sequence[Change],
    desired: Sequence[DesiredTracker],
    listing: Sequence[RemoteTracker],
    record: StateRecord | None,
) -> list[Change]:
    """Return ``changes`` with their :class:`~trackersync.plan.Cause` and drift report set.

    Args:
        changes: the differ's changes (each ``pending`` so far).
        desired: the validated desired trackers.
        listing: the account, as listed for this plan.
        record: the state record (``None`` or without snapshots: all ``pending``).
    """
    if record is None or not record.snapshots:
        return list(changes)
    wanted = {t.name: t for t in desired}
    by_id = {t.id: t for t in listing}
    snaps = record.snapshot_by_id()
    result: list[Change] = []
    for change in changes:
        snapshot = _snapshot_for(change, record, snaps)
        if snapshot is None:
            result.append(change)
            continue
        account = by_id.get(snapshot.id)
        target = wanted.get(change.name)
        files_changed = target is None or not _same(target, snapshot.tracker)
        account_changed = account is None or not _same(account, snapshot.tracker)
        cause: Cause = "pending"
        if account_changed:
            cause = "conflict" if files_changed else "drift"
        drift = drift_report(snapshot, account) if account_changed else []
        result.append(change.model_copy(update={"cause": cause, "drift": drift}))
    return result


def _snapshot_for(
    change: Change, record: StateRecord, snaps: dict[str, Snapshot]
) -> Snapshot | None:
    """The snapshot a change is judged against: by the id it writes, else by its name."""
    if change.tracker_id is not None and change.tracker_id in snaps:
        return snaps[change.tracker_id]
    if change.action == "create":
        return record.snapshots.get(change.name)
    return None


__all__ = ["classify", "drift_report"]
