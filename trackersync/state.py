"""The state record: what this repository owns in one account, and how it was left.

One JSON file per account (``state_file``, default ``trackers.ids.json``; with
``--env NAME`` it is ``trackers.ids.NAME.json``), written by every apply and read by
every plan. It holds, sorted by name and stable from run to run::

    {"format_version": 2,
     "trackers": [{"id": "…"}, …],              # the Async API fragment, by name
     "names": {"<name>": "<id>", …},            # what this repository owns
     "protected": ["<name>", …],                # protect: true, kept after a file goes
     "account": {"api_url": "…", "env": null},  # the account it belongs to
     "snapshots": {"<name>": {"id": "…", "fingerprint": "<sha256>",
                              "vocabulary": ["…"]}},  # each tracker as last applied
     "digest": "<sha256 of everything above>"}

Why each part exists:

* ``names`` is the ownership record: prune deletes only trackers recorded here, so a
  tracker someone made by hand in the account is never deleted;
* ``protected`` keeps ``protect: true`` after a tracker's file is removed, so a later
  prune still refuses to delete it without ``--allow-protected``;
* ``snapshots`` let plan tell *pending* (the files differ from the snapshot), *drift*
  (the account differs from it: edited outside trackersync) and *conflict* (both)
  apart; see :mod:`trackersync.drift`;
* ``account`` stops a record copied from another account from deciding what is owned;
* ``digest`` shows a hand edit: a record whose digest does not match is *doubtful*, and
  prune refuses to run on it (it never widens what is deleted).

Files written before snapshots existed (``names`` and ``protected`` only) are read as
they are (no snapshots: every change shows as pending) and rewritten in this shape by
the next apply.

A record that cannot be trusted at all (not UTF-8, a BOM, cut short, git conflict
markers, not this shape, another account's, two names sharing one id, a snapshot that
does not match its own fingerprint) raises :class:`StateRecordError` naming the file,
with advice that never loses data: restore the file from git or from the CI artifact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# where a state record lives is decided beside the configuration (the action's scripts
# ask it without this module); it stays part of this module's interface
from trackersync.config import state_path
from trackersync.errors import ConfigError
from trackersync.model import (
    DesiredTracker,
    RemoteTracker,
    Tracker,
    single_by_name,
    tracker_digest,
)
from trackersync.textfile import atomic_write, read_state_text

#: Version of the JSON shape written by :func:`render_state`.
STATE_FORMAT_VERSION = 2

#: What to do about a broken state record; never "delete it" (with prune on, a missing
#: record would make the account's trackers look unowned, and ownership could be lost).
RESTORE_ADVICE = (
    "restore it from git (git log -- FILE, then git checkout COMMIT -- FILE) or from the "
    "CI artifact of the last apply; apply rewrites it from the account once it is readable"
)


class StateRecordError(ConfigError):
    """The state record cannot be trusted; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Snapshot:
    """One tracker as the last apply left it in the account.

    Attributes:
        id: the tracker's id in the account.
        name: its name (the key of ``snapshots``).
        vocabulary: its phrases as the account stored them.
        fingerprint: :func:`~trackersync.model.tracker_digest` of name and phrases.
    """

    id: str
    name: str
    vocabulary: tuple[str, ...]
    fingerprint: str

    @classmethod
    def of(cls, tracker: RemoteTracker) -> Snapshot:
        """Snapshot a tracker read from the account."""
        return cls(id=tracker.id, name=tracker.name, vocabulary=tuple(tracker.vocabulary),
                   fingerprint=tracker_digest(tracker))

    @property
    def tracker(self) -> Tracker:
        """The snapshot's content as a :class:`~trackersync.model.Tracker`."""
        return Tracker(name=self.name, vocabulary=self.vocabulary)


@dataclass(frozen=True)
class Account:
    """Which account a state record belongs to (no credentials).

    Attributes:
        api_url: the API base URL (``emulator`` for the embedded emulator).
        env: the ``--env`` name, or ``None`` for the default account.
    """

    api_url: str = ""
    env: str | None = None

    def __str__(self) -> str:
        return f"{self.api_url or '?'} (env {self.env or 'default'})"


@dataclass(frozen=True)
class StateRecord:
    """The content of the state record.

    Attributes:
        names: tracker name -> id of every tracker this repository owns.
        protected: names recorded with ``protect: true``.
        snapshots: name -> :class:`Snapshot` as last applied (empty in old files).
        account: the account it was written for (``None`` in old files).
        doubtful: why the record cannot be trusted for prune (hand-edited), or ``None``.
    """

    names: dict[str, str] = field(default_factory=dict)
    protected: frozenset[str] = frozenset()
    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    account: Account | None = None
    doubtful: str | None = None

    @property
    def protected_ids(self) -> frozenset[str]:
        """Ids of the protected names."""
        return frozenset(self.names[n] for n in self.protected if n in self.names)

    def snapshot_by_id(self) -> dict[str, Snapshot]:
        """Snapshots keyed by tracker id."""
        return {s.id: s for s in self.snapshots.values()}


def protected_names(
    desired: Iterable[DesiredTracker], record: StateRecord | None
) -> frozenset[str]:
    """Names to record as protected after an apply.

    A tracker defined in the files is protected exactly when its file says
    ``protect: true``; a tracker no file defines any more (removed, not yet pruned) keeps
    the protection the state record had, so a plain apply after deleting its file never
    drops the protection a later prune relies on.
    """
    desired = list(desired)
    defined = {t.name for t in desired}
    kept = {name for name in (record.protected if record else ()) if name not in defined}
    return frozenset({t.name for t in desired if t.protect} | kept)


def _content_digest(data: Mapping[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _fail(path: Path, what: str) -> StateRecordError:
    return StateRecordError(f"{path}: the state record {what}; {RESTORE_ADVICE}")


def read_state(path: Path, account: Account | None = None) -> StateRecord | None:
    """Read the state record; ``None`` when it does not exist.

    Args:
        path: the file (:func:`state_path`).
        account: the account being planned; a record written for another one is refused.

    Returns:
        The record; ``doubtful`` is set when its digest shows a hand edit.

    Raises:
        StateRecordError: any content that cannot be trusted (see the module docstring).
    """
    try:
        text = read_state_text(path, what="state record", advice=RESTORE_ADVICE,
                               error=StateRecordError)
    except FileNotFoundError:
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise _fail(path, f"is not valid JSON (cut short? {exc})") from exc
    except RecursionError as exc:
        raise _fail(path, "is not a state record (JSON nested too deeply)") from exc
    if not isinstance(data, dict):
        raise _fail(path, "is not a JSON object")
    version = data.get("format_version", 1)
    if version not in (1, STATE_FORMAT_VERSION):
        raise _fail(path, f"has format_version {version!r}, which this trackersync "
                    "cannot read (written by a newer version?)")
    record = _parse(path, data)
    if account is not None and record.account is not None and (
        (record.account.api_url, record.account.env) != (account.api_url, account.env)
    ):
        raise StateRecordError(
            f"{path}: the state record belongs to {record.account}, not {account}; "
            "it was copied from another account's file, or --env or the API URL is wrong. "
            f"Pass the right --env or URL, or {RESTORE_ADVICE}. If this account's URL "
            "changed on purpose, delete the file's \"account\" entry: the record is then "
            "doubtful, so prune stays off until the next apply rewrites it")
    return record


def _parse(path: Path, data: dict[str, Any]) -> StateRecord:
    """Check the shape and the internal consistency of a decoded record."""
    names = data.get("names")
    protected = data.get("protected", [])
    if not isinstance(names, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in names.items()
    ):
        raise _fail(path, "has no 'names' mapping of tracker names to ids")
    if not isinstance(protected, list) or not all(isinstance(p, str) for p in protected):
        raise _fail(path, "has a 'protected' entry that is not a list of names")
    by_id: dict[str, str] = {}
    for name, tid in sorted(names.items()):
        if tid in by_id:
            raise _fail(path, f"records two names for one tracker id {tid} "
                        f"({by_id[tid]!r} and {name!r}): it was edited by hand")
        by_id[tid] = name
    snapshots = _snapshots(path, data.get("snapshots", {}), names)
    account = None
    if isinstance(data.get("account"), dict):
        raw = data["account"]
        account = Account(api_url=str(raw.get("api_url") or ""),
                          env=raw.get("env") if isinstance(raw.get("env"), str) else None)
    doubtful = None
    if "digest" in data:
        body = {k: v for k, v in data.items() if k != "digest"}
        if data["digest"] != _content_digest(body):
            doubtful = (f"the state record {path} was edited after trackersync wrote it "
                        "(its digest does not match)")
    elif data.get("format_version", 1) != 1:
        doubtful = f"the state record {path} has no digest"
    return StateRecord(names=dict(names), protected=frozenset(protected),
                       snapshots=snapshots, account=account, doubtful=doubtful)


def _snapshots(path: Path, raw: Any, names: Mapping[str, str]) -> dict[str, Snapshot]:
    if not isinstance(raw, dict):
        raise _fail(path, "has a 'snapshots' entry that is not a mapping")
    snapshots: dict[str, Snapshot] = {}
    for name, item in raw.items():
        ok = (isinstance(item, dict) and isinstance(item.get("id"), str)
              and isinstance(item.get("fingerprint"), str)
              and isinstance(item.get("vocabulary"), list)
              and all(isinstance(p, str) for p in item["vocabulary"]))
        if not ok:
            raise _fail(path, f"has a snapshot of {name!r} without id, fingerprint and "
                        "vocabulary")
        snap = Snapshot(id=item["id"], name=name, vocabulary=tuple(item["vocabulary"]),
                        fingerprint=item["fingerprint"])
        if names.get(name) != snap.id:
            raise _fail(path, f"maps {name!r} to id {names.get(name)} but its snapshot "
                        f"to id {snap.id}: it was edited by hand")
        if tracker_digest(snap.tracker) != snap.fingerprint:
            raise _fail(path, f"has a snapshot of {name!r} that does not match its "
                        "fingerprint: it was edited by hand")
        snapshots[name] = snap
    return snapshots


def render_state(record: StateRecord) -> str:
    """Return the stable JSON text of the state record (sorted by name, 2-space indent)."""
    names = dict(sorted(record.names.items()))
    data: dict[str, Any] = {
        "format_version": STATE_FORMAT_VERSION,
        "trackers": [{"id": tid} for tid in names.values()],
        "names": names,
        "protected": sorted(n for n in record.protected if n in names),
        "account": ({"api_url": record.account.api_url, "env": record.account.env}
                    if record.account else None),
        "snapshots": {
            name: {"id": snap.id, "fingerprint": snap.fingerprint,
                   "vocabulary": list(snap.vocabulary)}
            for name, snap in sorted(record.snapshots.items()) if name in names
        },
    }
    data["digest"] = _content_digest(data)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_state(path: Path, record: StateRecord) -> None:
    """Write the state record atomically (a unique temporary file, then one rename).

    Raises:
        StateRecordError: the file cannot be written (the message names it).
    """
    try:
        atomic_write(path, render_state(record))
    except OSError as exc:
        raise StateRecordError(
            f"{path}: cannot write the state record: {exc.strerror or exc}") from exc


def record_after_apply(
    listing: Sequence[RemoteTracker],
    owned: Mapping[str, str],
    protected: Iterable[str],
    account: Account | None,
) -> StateRecord:
    """Build the record an apply leaves: ownership, protection and fresh snapshots.

    Args:
        listing: the account as read after the writes (the verify read).
        owned: name -> id this repository owns now (:func:`owned_ids`).
        protected: names to record as protected (:func:`protected_names`).
        account: the account applied to.
    """
    by_id = {t.id: t for t in listing}
    snapshots = {name: Snapshot.of(by_id[tid]) for name, tid in owned.items()
                 if tid in by_id and by_id[tid].name == name}
    return StateRecord(names=dict(owned), protected=frozenset(protected),
                       snapshots=snapshots, account=account)


def owned_ids(
    listing: Sequence[RemoteTracker], managed: Iterable[str], owned: Mapping[str, str]
) -> dict[str, str]:
    """Names this repository owns after an apply.

    Defined ones that exist (by exact name, when only one tracker has it), plus
    previously owned ones (recorded, or planned for deletion) that still exist under the
    same name and id, so a later prune can remove them.
    """
    single = single_by_name(listing)
    ids = {name: single[name].id for name in managed if name in single}
    existing = {(t.name, t.id) for t in listing}
    used_ids = set(ids.values())
    for name, tid in owned.items():
        if name not in ids and (name, tid) in existing and tid not in used_ids:
            ids[name] = tid
    return dict(sorted(ids.items()))


__all__ = [
    "RESTORE_ADVICE",
    "STATE_FORMAT_VERSION",
    "Account",
    "Snapshot",
    "StateRecord",
    "StateRecordError",
    "owned_ids",
    "protected_names",
    "read_state",
    "record_after_apply",
    "render_state",
    "state_path",
    "write_state",
]
