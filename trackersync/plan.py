"""The plan: inert data describing what ``apply`` will do to one Symbl account.

A :class:`Plan` holds no client, no file handle and no I/O. The differ
(:mod:`trackersync.diff`) builds it; the renderers (:mod:`trackersync.render`,
text / JSON / Markdown) and the applier (:mod:`trackersync.apply`) only read it.
It round-trips through JSON (``plan --out FILE`` / ``apply FILE``) and never holds
a secret: no app secret, no token, no Authorization value.

JSON shape (``format_version`` 2)::

    {"format_version": 2,
     "fingerprint": {"desired": "<sha256>", "remote": "<sha256>",
                     "remote_trackers": {"<id>": "<sha256>"},
                     "desired_trackers": {"<name>": "<sha256>"}},
     "changes": [{"action": "create|update|rename|delete", "name": ..., "tracker_id": ...,
                  "old_name": ..., "added": [...], "removed": [...], "vocabulary": [...],
                  "protect": false, "source": "trackers/x.yaml:1:1",
                  "cause": "pending|drift|conflict",
                  "drift": [{"field": "vocabulary", "change": "added",
                             "snapshot": null, "account": "..."}]}],
     "unmanaged": ["..."],
     "warnings": [{"severity": "warning", "message": "...", "code": "...",
                   "source": {"file": "...", "line": 1, "column": 1} | null,
                   "tracker": "..." | null}],
     "summary": {"create": 0, "update": 0, "rename": 0, "delete": 0,
                 "pending": 0, "drift": 0, "conflict": 0},
     "env": null, "api_url": "https://api.symbl.ai", "prune": false,
     "remote_count": 0, "drift_policy": "revert", "drift_only": false,
     "digest": "<sha256 of the rest>"}

Fingerprints (Terraform's "saved plan is stale"): ``desired`` hashes the
desired trackers (name + sorted phrases, sorted by name); ``remote`` hashes the whole
listing (id + name + sorted phrases, sorted by id); ``remote_trackers`` hashes each
remote tracker so a stale-plan message can say which one moved (:func:`check_fresh`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from trackersync.copyable import Copyable
from trackersync.errors import PlanError, StalePlanError
from trackersync.model import Problem, RemoteTracker, Tracker, tracker_digest
from trackersync.secrets import display

PLAN_FORMAT_VERSION: Literal[2] = 2

Action = Literal["create", "update", "rename", "delete"]

#: The order in which change kinds are listed in plans and summaries.
ACTIONS: tuple[Action, ...] = ("create", "update", "rename", "delete")

#: Why a change is in the plan (see :mod:`trackersync.drift`): ``pending`` (the files
#: changed since the last apply), ``drift`` (the account changed outside trackersync),
#: ``conflict`` (both changed).
Cause = Literal["pending", "drift", "conflict"]

#: The order in which causes are listed.
CAUSES: tuple[Cause, ...] = ("pending", "drift", "conflict")


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldDrift(Copyable):
    """One field of a tracker that changed in the account since the last apply.

    Built by :func:`trackersync.drift.drift_report` (deepdiff of the state record's
    snapshot against the account).
    """

    #: ``name``, ``vocabulary`` (one entry per phrase) or ``tracker`` (deleted whole).
    field: str
    #: ``changed`` (name), ``added`` / ``removed`` (a phrase, or the whole tracker).
    change: Literal["changed", "added", "removed"]
    #: The value in the snapshot (``None`` for an added phrase).
    snapshot: str | None = None
    #: The value in the account now (``None`` for a removed phrase or tracker).
    account: str | None = None


def digest_of(items: Iterable[tuple[str, str]]) -> str:
    """Return sha256 hex of ``(key, digest)`` pairs, sorted by key (deterministic)."""
    payload = json.dumps(sorted(items), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class Fingerprint(Copyable):
    """What the plan was made from, so a saved plan can be checked before apply.

    For: detecting that the tracker files or the account changed since ``plan --out``.
    Not for: identifying trackers, or deciding what to change (the changes say that).
    """

    #: sha256 over every desired tracker (name + sorted phrases). Not a file hash:
    #: reformatting YAML or reordering phrases does not make a plan stale.
    desired: str
    #: sha256 over the whole remote listing (id + name + sorted phrases of each).
    remote: str
    #: remote tracker id -> sha256(name + sorted phrases); for "what moved" messages only.
    remote_trackers: dict[str, str] = field(default_factory=dict)
    #: desired tracker name -> sha256(name + sorted phrases); for "what moved" messages only.
    desired_trackers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Change(Copyable):
    """One write the applier will make: a create, update, rename or delete of one tracker.

    For: rendering (text/JSON/Markdown) and for the applier to act on.
    Not for: re-deriving the diff; the applier trusts these fields as they are.
    """

    #: What happens: ``create`` (POST, new id), ``update`` (PUT, phrases only, same id),
    #: ``rename`` (PUT, new name and maybe phrases, same id), ``delete`` (DELETE).
    action: Action
    #: The tracker's name after the change (for ``delete``: the remote name being removed).
    #: Exact and case-sensitive, as the API keys trackers.
    name: str
    #: The remote id the write targets; ``None`` only for ``create``. Not a display key.
    tracker_id: str | None = None
    #: The remote name before a ``rename``; ``None`` for every other action.
    old_name: str | None = None
    #: Phrases that will be added, sorted. For ``create``: every phrase. Display + verify.
    added: list[str] = field(default_factory=list)
    #: Phrases that will be removed, sorted. For ``delete``: every phrase. Display + verify.
    removed: list[str] = field(default_factory=list)
    #: The full desired vocabulary in file order, sent as-is by create/update/rename;
    #: ``None`` for ``delete``. Not for display diffs (use ``added``/``removed``).
    vocabulary: list[str] | None = None
    #: The tracker is protected: its definition says ``protect: true`` or the state record
    #: recorded it as protected. For a ``rename`` only the record counts (the remote
    #: tracker renamed away was protected; a file adding ``protect: true`` together with
    #: ``renamed_from`` protects the new name, not the old one). The safety check
    #: refuses a protected ``rename``/``delete`` without ``--allow-protected``.
    protect: bool = False
    #: ``file:line:col`` of the definition, for messages and PR comments; ``None`` for delete.
    source: str | None = None
    #: Why the change is planned: ``pending``, ``drift`` or ``conflict``. Apply refuses
    #: a ``conflict`` without ``--overwrite-conflicts``.
    cause: Cause = "pending"
    #: For ``drift`` and ``conflict``: what changed in the account since the last apply.
    drift: list[FieldDrift] = field(default_factory=list)

    @property
    def desired_tracker(self) -> Tracker:
        """The tracker this change should leave in the account (not for ``delete``).

        Raises:
            PlanError: if called on a ``delete`` change.
        """
        if self.vocabulary is None:
            raise PlanError(f"change {self.action} {self.name!r} has no vocabulary")
        return Tracker(name=self.name, vocabulary=tuple(self.vocabulary))


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary(Copyable):
    """How many changes of each kind and of each cause; summary lines render from this."""

    create: int = 0
    update: int = 0
    rename: int = 0
    delete: int = 0
    #: Changes made in the files since the last apply.
    pending: int = 0
    #: Changes that revert edits made in the account outside trackersync.
    drift: int = 0
    #: Trackers changed both in the files and in the account (apply refuses them
    #: without ``--overwrite-conflicts``).
    conflict: int = 0

    @property
    def total(self) -> int:
        """Number of changes of every kind."""
        return self.create + self.update + self.rename + self.delete


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan(Copyable):
    """Everything ``apply`` will do to one account, and what it was computed from.

    Built by :func:`trackersync.pipeline.build_plan`; read by the renderers and the
    applier; saved with :meth:`to_json` and loaded with :meth:`from_json`.
    """

    #: Version of this JSON shape; readers refuse other versions. Bump on breaking change.
    format_version: Literal[2] = PLAN_FORMAT_VERSION
    #: Hashes of both sides; for the stale-plan check only.
    fingerprint: Fingerprint
    #: The writes, sorted by action order (create, update, rename, delete) then name.
    #: The applier orders them itself (``trackersync.apply.APPLY_ORDER``).
    changes: list[Change] = field(default_factory=list)
    #: Remote tracker names no file defines and no ignore glob matches, sorted; they are
    #: left alone (not deleted) unless pruning. Informational; not a delete list.
    unmanaged: list[str] = field(default_factory=list)
    #: Warnings (the definitions' own, with their file, line and column; case-only
    #: renames, duplicate remote names, rule breaks in remote data, ...), in a stable
    #: order. Structured so that every renderer places the location itself.
    warnings: list[Problem] = field(default_factory=list)
    #: Counts per action; always equal to what ``changes`` holds.
    summary: Summary = field(default_factory=Summary)
    #: The ``--env`` name the plan targets, or ``None`` for the default account.
    env: str | None = None
    #: The API base URL the plan was made against (no credentials). Apply refuses a
    #: saved plan made for a different URL.
    api_url: str = ""
    #: Whether deletes of unmanaged/removed trackers were considered (config or --prune).
    prune: bool = False
    #: Number of trackers the listing returned; for the delete-fraction and account-limit
    #: checks. Not a substitute for the fingerprint.
    remote_count: int = 0
    #: What apply does with drift (the config's ``safety.drift``): ``revert`` it to the
    #: files, or ``refuse`` it without ``--overwrite-conflicts``. Only what the plan says.
    drift_policy: Literal["revert", "refuse"] = "revert"
    #: Made with ``plan --drift-only``: ``changes`` holds only drift and conflicts, so
    #: apply refuses it as a saved plan (apply would send the pending changes too).
    drift_only: bool = False

    @property
    def has_changes(self) -> bool:
        """True when applying would write anything."""
        return bool(self.changes)

    @property
    def conflicts(self) -> list[Change]:
        """The changes whose tracker changed both in the files and in the account."""
        return [c for c in self.changes if c.cause == "conflict"]

    def by_action(self, action: Action) -> list[Change]:
        """Return the changes of one kind, in plan order."""
        return [c for c in self.changes if c.action == action]

    def to_json(self, *, indent: int | None = 2) -> str:
        """Serialise to the versioned JSON shape in this module's docstring.

        A last key, ``digest``, is the SHA-256 of everything else (canonical JSON), so
        :meth:`from_json` refuses a plan file edited after ``plan --out`` wrote it.
        """
        data = _as_json_data(self)
        data["digest"] = _content_digest(data)
        from trackersync.text import json_visible

        # invisible characters and unusual spaces as \uXXXX: exact data, visible text
        return json_visible(json.dumps(data, indent=indent, ensure_ascii=False))

    @classmethod
    def from_json(cls, text: str, *, origin: str = "plan file") -> Plan:
        """Load a plan saved by :meth:`to_json`.

        Args:
            text: the JSON text.
            origin: what to call the source in errors (usually the file path).

        Returns:
            The plan. A file ``plan --out`` wrote (every value of exactly its declared
            type) is built by :func:`trackersync.exactdata.build_exact`; any other is
            judged by pydantic against these dataclasses (in its lax mode, so ``"3"``
            for a count is accepted as ``3``).

        Raises:
            PlanError: not JSON, a different ``format_version``, an edited file (its
                digest does not match), or a wrong shape (with pydantic's message).
        """
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise PlanError(f"{origin}: not a trackersync plan (invalid JSON: {exc})") from exc
        except RecursionError as exc:
            raise PlanError(f"{origin}: not a trackersync plan (nested too deeply)") from exc
        version = data.get("format_version") if isinstance(data, dict) else None
        if version != PLAN_FORMAT_VERSION:
            raise PlanError(
                f"{origin}: plan format_version {version!r} is not supported "
                f"(expected {PLAN_FORMAT_VERSION}); run plan again"
            )
        digest = data.pop("digest", None)
        if digest != _content_digest(data):
            raise PlanError(
                f"{origin}: the plan file was edited after plan --out wrote it (its digest "
                "does not match); run plan again - apply does what the reviewed plan "
                "showed, or nothing"
            )
        # A file plan --out wrote has exactly the declared types everywhere: built without
        # pydantic. Anything else, pydantic checks against these dataclasses (imported
        # here, since making a plan never needs it), so every message is pydantic's.
        from trackersync.exactdata import build_exact

        quick = build_exact(cls, data)
        if quick is not None:
            return quick
        from pydantic import TypeAdapter, ValidationError

        try:
            plan: Plan = TypeAdapter(cls).validate_python(data)
        except ValidationError as exc:
            raise PlanError(f"{origin}: not a valid trackersync plan: {exc}") from exc
        return plan


def _as_json_data(value: Any) -> Any:
    """A plan's dataclasses as JSON data (dicts, lists, str, numbers), fields in order."""
    if dataclasses.is_dataclass(value):
        return {f.name: _as_json_data(getattr(value, f.name))
                for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_as_json_data(item) for item in value]
    if isinstance(value, dict):
        return {key: _as_json_data(item) for key, item in value.items()}
    return value


def _content_digest(data: Mapping[str, object]) -> str:
    """SHA-256 of a plan's JSON data in canonical form (sorted keys, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def fingerprint_of(desired: Iterable[Tracker], remote: Iterable[RemoteTracker]) -> Fingerprint:
    """Return the :class:`Fingerprint` of a desired set and a remote listing.

    Args:
        desired: the desired trackers (any order).
        remote: the remote listing (any order; ids are part of the remote hash).
    """
    desired = list(desired)  # alive until the end: ids of their tuples stay theirs
    desired_map: dict[str, str] = {}
    # a remote tracker holding a file's very vocabulary (the listing shares it) under the
    # same name has that file's digest: computed once (the tuples stay alive meanwhile)
    same: dict[tuple[str, int], str] = {}
    for tracker in desired:
        digest = desired_map[tracker.name] = tracker_digest(tracker)
        same[(tracker.name, id(tracker.vocabulary))] = digest
    remote_map = {t.id: same.get((t.name, id(t.vocabulary))) or tracker_digest(t)
                  for t in remote}
    return Fingerprint(
        desired=digest_of(desired_map.items()),
        remote=digest_of(remote_map.items()),
        remote_trackers=remote_map,
        desired_trackers=desired_map,
    )


def summarise(changes: Iterable[Change]) -> Summary:
    """Count changes per action and per cause (the one place changes are counted)."""
    counts = {key: 0 for key in (*ACTIONS, *CAUSES)}
    for change in changes:
        counts[change.action] += 1
        counts[change.cause] += 1
    return Summary(**counts)


def _change_keys(plan: Plan) -> list[tuple[object, ...]]:
    """What each change does, comparable between a saved plan and a fresh one."""
    return sorted(
        (c.action, c.name, c.tracker_id or "", c.old_name or "", tuple(c.added),
         tuple(c.removed))
        for c in plan.changes
    )


def check_fresh(saved: Plan, fresh: Plan, names: Mapping[str, str] | None = None) -> None:
    """Refuse a saved plan whose fingerprints no longer match.

    Args:
        saved: the plan loaded from ``plan --out``.
        fresh: the plan made now from the same files and a new list GET.
        names: remote id -> name of the fresh listing, for messages.

    Raises:
        StalePlanError: naming what moved on each side; no write has been made.
        PlanError: the saved plan was made for another API URL or environment.
    """
    if (saved.api_url, saved.env) != (fresh.api_url, fresh.env):
        raise PlanError(
            f"plan was made for {saved.api_url or '?'} (env {saved.env or 'default'}), "
            f"not {fresh.api_url or '?'} (env {fresh.env or 'default'})"
        )
    moved = _moved("tracker file", saved.fingerprint.desired_trackers,
                   fresh.fingerprint.desired_trackers, {})
    if saved.fingerprint.remote != fresh.fingerprint.remote:
        known = {str(c.tracker_id): c.old_name or c.name for c in saved.changes
                 if c.tracker_id}
        moved += _moved("remote tracker", saved.fingerprint.remote_trackers,
                        fresh.fingerprint.remote_trackers, {**known, **(names or {})},
                        by_id=True)
    if saved.fingerprint.desired != fresh.fingerprint.desired and not moved:
        moved.append("tracker files changed")
    if saved.prune != fresh.prune:
        moved.append(f"prune was {saved.prune}, is now {fresh.prune}")
    if not moved and _change_keys(saved) != _change_keys(fresh):
        moved.append("the plan file's changes are not what its files and account give "
                     "(was the plan file edited?)")
    if moved:
        raise StalePlanError(
            "saved plan is stale; run plan again (a plan that was already applied is stale "
            "too; nothing was written). Changed since the plan was made:\n  "
            + "\n  ".join(moved)
        )


def _moved(
    what: str, old: Mapping[str, str], new: Mapping[str, str], names: Mapping[str, str],
    *, by_id: bool = False,
) -> list[str]:
    """One line per key added, removed or changed between two fingerprint maps, sorted."""
    def label(key: str) -> str:
        if by_id:
            return (f"{what} '{display(names[key])}' (id {key})" if key in names
                    else f"{what} id {key}")
        return f"{what} '{display(key)}'"

    lines = [f"{label(k)} added" for k in new.keys() - old.keys()]
    lines += [f"{label(k)} removed" for k in old.keys() - new.keys()]
    lines += [f"{label(k)} changed" for k in old.keys() & new.keys() if old[k] != new[k]]
    return sorted(lines)  # by name (then id): one order, whatever moved


__all__ = [
    "ACTIONS",
    "PLAN_FORMAT_VERSION",
    "Action",
    "Change",
    "Fingerprint",
    "Plan",
    "Summary",
    "check_fresh",
    "digest_of",
    "fingerprint_of",
    "summarise",
    "CAUSES",
    "Cause",
    "FieldDrift",
]
