"""Safety checks that run before any write.

Three guards, each raising a :class:`~trackersync.errors.PlanError` subclass:

* :func:`check_listing` - an empty listing while the state record records managed trackers
  is refused: a read that "lost" the account must never become a plan
  to re-create everything. ``--allow-empty-remote`` overrides it.
* :func:`check_account_limit` - the account would exceed its tracker limit (500;
  docs/api-contract.md, "Tracker limit"). Deletes run last, so the peak is ``remote + creates``.
* :func:`check_deletes` - more deletes than ``safety.max_deletes``, or more than
  ``safety.max_delete_fraction`` of the remote trackers (once the account holds at
  least :data:`MIN_EXISTING_FOR_FRACTION`, as octoDNS does), unless ``--allow-deletes N``
  covers the count; and a rename or delete of a protected tracker unless
  ``--allow-protected``.
"""

from __future__ import annotations

from dataclasses import dataclass

from trackersync.config import SafetyConfig
from trackersync.errors import AccountLimitError, PlanError, UnsafePlanError
from trackersync.model import RemoteTracker
from trackersync.plan import Plan

#: Below this many remote trackers the delete-fraction check is skipped (octoDNS's
#: MIN_EXISTING_RECORDS): deleting 1 of 2 trackers is not a mass delete.
MIN_EXISTING_FOR_FRACTION = 10


@dataclass(frozen=True)
class Allowances:
    """Explicit permissions given on the command line.

    Attributes:
        allow_deletes: ``--allow-deletes N``: up to N deletes pass the thresholds.
        allow_protected: ``--allow-protected``: protected trackers may be renamed/deleted.
        allow_empty_remote: ``--allow-empty-remote``: accept an empty listing although
            the state record records managed trackers.
    """

    allow_deletes: int = 0
    allow_protected: bool = False
    allow_empty_remote: bool = False


def check_listing(
    listing: list[RemoteTracker], recorded: int, allowances: Allowances | None = None
) -> None:
    """Refuse an empty listing when the state record records managed trackers.

    Args:
        listing: the account's trackers, just read.
        recorded: how many managed ids the state record records.
        allowances: ``allow_empty_remote`` skips the check.

    Raises:
        PlanError: ``remote shows 0 trackers but N managed IDs are recorded``.
    """
    if listing or not recorded or (allowances and allowances.allow_empty_remote):
        return
    raise PlanError(
        f"remote shows 0 trackers but {recorded} managed IDs are recorded in the state record; "
        "check the account and credentials (a wrong account or a failed read looks like this); "
        "pass --allow-empty-remote to re-create them"
    )


def check_account_limit(plan: Plan, limit: int) -> None:
    """Refuse a plan that would take the account over ``limit`` trackers.

    Raises:
        AccountLimitError: ``apply would bring the account to 502 trackers; limit is 500``.
    """
    peak = plan.remote_count + plan.summary.create
    if peak > limit:
        raise AccountLimitError(
            f"apply would bring the account to {peak} trackers; limit is {limit} "
            f"({plan.remote_count} now + {plan.summary.create} to create; deletes run last). "
            "Delete unused trackers first, or set account_limit if your plan allows more"
        )


def delete_problems(plan: Plan, safety: SafetyConfig, allowances: Allowances) -> list[str]:
    """Return every reason the plan's deletes/renames are unsafe (empty when safe)."""
    reasons: list[str] = []
    deletes = plan.summary.delete
    if deletes > allowances.allow_deletes:
        limits: list[str] = []
        if deletes > safety.max_deletes:
            limits.append(f"safety.max_deletes is {safety.max_deletes}")
        fraction = deletes / plan.remote_count if plan.remote_count else 0.0
        big = plan.remote_count >= MIN_EXISTING_FOR_FRACTION
        if big and fraction > safety.max_delete_fraction:
            limits.append(
                f"{fraction:.0%} of {plan.remote_count} remote trackers is over "
                f"safety.max_delete_fraction {safety.max_delete_fraction:.0%}"
            )
        if limits:
            reasons.append(
                f"plan deletes {deletes} trackers ({'; '.join(limits)}); "
                f"pass --allow-deletes {deletes} if this is intended"
            )
    if not allowances.allow_protected:
        for change in plan.changes:
            if change.protect and change.action in ("rename", "delete"):
                what = "renamed" if change.action == "rename" else "deleted"
                old = change.old_name or change.name
                reasons.append(
                    f"tracker {old!r} is protected and would be {what}; "
                    "pass --allow-protected if this is intended"
                )
    return reasons


def check_deletes(plan: Plan, safety: SafetyConfig, allowances: Allowances) -> None:
    """Refuse mass deletes and protected renames/deletes.

    Raises:
        UnsafePlanError: naming every reason and the flag that allows it.
    """
    reasons = delete_problems(plan, safety, allowances)
    if reasons:
        raise UnsafePlanError("refusing to apply an unsafe plan:\n  " + "\n  ".join(reasons))


__all__ = [
    "MIN_EXISTING_FOR_FRACTION",
    "Allowances",
    "check_account_limit",
    "check_deletes",
    "check_listing",
    "delete_problems",
]
