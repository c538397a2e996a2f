"""Find out what an ambiguous bulk create really did.

A ``POST /v1/manage/trackers`` whose answer is lost (timeout, dropped connection, 5xx)
may still have created some or all of its trackers, and a 409 says a name is taken
(docs/api-contract.md, "Name uniqueness" and "Bulk create is all-or-nothing"). Re-sending blindly
would duplicate or loop on 409. Instead the caller re-lists the account and calls :func:`resolve`:

* a remote tracker with the same name **and** the same phrase set → adopt its id;
* the same name with different phrases → drift: :class:`~trackersync.errors.ConflictError`
  (someone else owns that name; re-plan);
* no tracker with that name → still missing; only these are re-sent.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from trackersync.errors import ConflictError
from trackersync.model import RemoteTracker, Tracker

logger = logging.getLogger(__name__)


@dataclass
class Resolution:
    """What a re-list showed about one chunk.

    Attributes:
        adopted: trackers that exist with the same name and phrases (ids to keep).
        missing: trackers still to create, in the chunk's order.
    """

    adopted: list[RemoteTracker] = field(default_factory=list)
    missing: list[Tracker] = field(default_factory=list)


def resolve(chunk: Sequence[Tracker], remote: Sequence[RemoteTracker]) -> Resolution:
    """Sort ``chunk`` into adopted and missing against a fresh listing.

    Args:
        chunk: the trackers the failed POST carried (unique names).
        remote: every tracker in the account, just re-listed.

    Raises:
        ConflictError: some names exist with a different phrase set (drift); the
            message names each one with the count of phrases added and removed.
    """
    by_name: dict[str, list[RemoteTracker]] = {}
    for tracker in remote:
        by_name.setdefault(tracker.name, []).append(tracker)
    result, drift = Resolution(), []
    for wanted in chunk:
        matches = by_name.get(wanted.name, [])
        same = [m for m in matches if m.phrase_set() == wanted.phrase_set()]
        if same:
            if len(matches) > 1:
                logger.warning("%d trackers are named %r; adopting id %s",
                               len(matches), wanted.name, same[0].id)
            result.adopted.append(same[0])
        elif matches:
            other = matches[0]
            drift.append(
                f"{wanted.name!r} (id {other.id}: "
                f"+{len(wanted.phrase_set() - other.phrase_set())} "
                f"-{len(other.phrase_set() - wanted.phrase_set())} phrases)"
            )
        else:
            result.missing.append(wanted)
    if drift:
        raise ConflictError(
            "tracker(s) already exist with different phrases (changed outside this run?): "
            + "; ".join(drift) + ". Re-plan before applying.",
            status=409, method="POST", path="/v1/manage/trackers",
        )
    return result
