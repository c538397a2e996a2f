"""The differ: desired trackers vs. the remote listing -> changes, unmanaged names, warnings.

Both sides arrive as :class:`~trackersync.model.Tracker` values (STYLE 2); the
differ never sees YAML or HTTP. Trackers are matched by exact, case-sensitive name
(symbl-api.md §2.1, §6 item 7); vocabularies are compared as sets, because Symbl
forbids duplicate phrases (symbl-api.md §2.1), so order never shows as a change (C04).
Only trackers whose phrase sets differ get a phrase-level diff, computed with
deepdiff; deepdiff is imported here and nowhere else (STYLE 5).

Matching rules, in order, for each desired tracker (sorted by name):

1. a remote tracker with the same name -> ``update`` when the phrase sets differ; when
   a ``renamed_from`` name exists remotely too, it is an error (adopting the new name
   would drop the renamed tracker's ID) unless ``ids_file`` records the new name with
   that id (the rename was applied before, the old name was reused by hand since);
2. a remote tracker named in ``renamed_from`` (not itself defined) -> ``rename``
   (PUT on the same id; this includes case-only renames);
3. a remote tracker whose name differs only in letter case, not defined, and recorded
   in ``ids_file`` under that name with that id -> ``rename`` in place (C19, "with lock");
4. otherwise ``create``; when a case-only variant exists remotely without a record, a
   warning says the ID will change and suggests ``renamed_from`` (C19 variant b).

Remote trackers left over are skipped when ``Symbl.``-prefixed or matching an
``ignore`` glob, deleted when pruning and owned (recorded in ``ids_file`` when there is
one; any otherwise), else listed as ``unmanaged``.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trackersync.errors import PlanError
from trackersync.model import DesiredTracker, RemoteTracker, is_reserved_name
from trackersync.plan import ACTIONS, Change

#: Remote names with this prefix belong to Symbl's own namespace and are never touched (C08).
RESERVED_PREFIX = "Symbl."


@dataclass(frozen=True)
class DiffOptions:
    """Inputs of the diff besides the two tracker lists.

    Attributes:
        prune: delete owned remote trackers that no file defines.
        ignore: fnmatch globs of remote names never touched nor listed as unmanaged.
        recorded: ``name -> id`` from ``ids_file`` (the last apply), or ``None`` when
            there is no ids_file; limits prune to recorded trackers (C08).
        protected_ids: remote ids recorded as ``protect: true`` in ``ids_file``.
    """

    prune: bool = False
    ignore: Sequence[str] = ()
    recorded: Mapping[str, str] | None = None
    protected_ids: frozenset[str] = frozenset()


@dataclass
class DiffResult:
    """What the differ found: the changes (sorted), unmanaged names and warnings."""

    changes: list[Change] = field(default_factory=list)
    unmanaged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def comparable(phrases: Sequence[str]) -> frozenset[str]:
    """Return remote phrases in the shape desired phrases have: whitespace normalised.

    The loader strips the ends of each phrase and collapses whitespace runs (case C05);
    an account may store phrases with such whitespace (data from before the rules,
    kept exactly as stored, symbl-api.md §6 item 11). Both sides are compared in the
    same shape (STYLE 2), so ``"budget "`` remotely equals ``budget`` in a file and an
    imported account plans empty (issue 7). The remote data itself is never rewritten
    for this alone; ``_check_remote`` warns about it.
    """
    return frozenset(" ".join(p.split()) for p in phrases)


#: Any whitespace other than a plain space (tab, newline, NBSP, ...).
_OTHER_SPACE = re.compile(r"[^\S ]")


def _has_odd_space(vocabulary: Sequence[str]) -> bool:
    """True when normalisation (strip, collapse runs) would change some phrase.

    String searches on the NUL-joined vocabulary: ~40x faster than a regex per phrase.
    """
    joined = "\x00".join(vocabulary)
    return (
        "  " in joined or " \x00" in joined or "\x00 " in joined
        or joined.startswith(" ") or joined.endswith(" ")
        or _OTHER_SPACE.search(joined) is not None
    )


def _same_phrases(remote: RemoteTracker, desired: DesiredTracker) -> bool:
    """Set comparison, whitespace-normalising the remote side only when it differs."""
    wanted = desired.phrase_set()
    return remote.phrase_set() == wanted or comparable(remote.vocabulary) == wanted


def phrase_diff(old: Sequence[str], new: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return ``(added, removed)`` phrases between two vocabularies, each sorted.

    Both sides are compared whitespace-normalised (:func:`comparable`), as whole
    vocabularies are: a remote ``"hello there  "`` is the file's ``hello there``, so
    once any phrase of a tracker changes, whitespace-only variants still do not show
    as added or removed (the remote whitespace is reported as a warning instead).
    Phrases are returned in normalised form.

    Uses deepdiff on the two phrase sets (tree view; order is never a change). Call it only for
    trackers whose phrase sets differ: deepdiff is the slow part of a plan.

    Raises:
        PlanError: if deepdiff fails (translated, STYLE 5).
    """
    from deepdiff import DeepDiff

    before, after = set(comparable(old)), set(comparable(new))
    common = before & after  # unchanged phrases need no diffing: keeps deepdiff fast
    try:
        delta = DeepDiff(before - common, after - common, view="tree")
        added = sorted(level.t2 for level in delta.get("set_item_added", ()))
        removed = sorted(level.t1 for level in delta.get("set_item_removed", ()))
    except Exception as exc:  # deepdiff raises plain exceptions; translate them here
        raise PlanError(f"could not diff vocabularies: {exc}") from exc
    return added, removed


def diff_trackers(
    desired: Sequence[DesiredTracker],
    remote: Sequence[RemoteTracker],
    options: DiffOptions | None = None,
) -> DiffResult:
    """Compare desired trackers with the remote listing.

    Args:
        desired: the trackers the files define (unique names; validated).
        remote: every tracker of one ``GET /v1/manage/trackers`` (symbl-api.md §2.5).
        options: prune / ignore / ids_file record; defaults to no prune.

    Returns:
        A :class:`DiffResult`; changes sorted by action then name, stable.

    Raises:
        PlanError: a desired name appears twice, or a desired tracker matches a name
            that several remote trackers share (which one to change is unknowable).
    """
    opts = options or DiffOptions()
    state = _Matcher(desired, remote, opts)
    for tracker in sorted(desired, key=lambda t: t.name):
        state.match(tracker)
    state.leftovers()
    state.raise_errors()
    order = {a: i for i, a in enumerate(ACTIONS)}
    state.result.changes.sort(key=lambda c: (order[c.action], c.name, c.tracker_id or ""))
    state.result.unmanaged.sort()
    return state.result


class _Matcher:
    """Working state of one diff: indexes of both sides and what was claimed."""

    def __init__(
        self, desired: Sequence[DesiredTracker], remote: Sequence[RemoteTracker], opts: DiffOptions
    ) -> None:
        self.opts = opts
        self.result = DiffResult()
        self.errors: list[str] = []
        self.desired_names = {t.name for t in desired}
        if len(self.desired_names) != len(desired):
            raise PlanError("two tracker definitions share a name; run validate")
        self.by_name: dict[str, list[RemoteTracker]] = defaultdict(list)
        for tracker in remote:
            self.by_name[tracker.name].append(tracker)
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        for name in self.by_name:
            self.by_fold[name.casefold()].append(name)
        self.claimed: set[str] = set()  # remote names matched to a desired tracker
        accepted = {t.name for t in desired if t.accepted_as_imported}
        self._check_remote([t for t in remote if t.name not in accepted])

    def _check_remote(self, remote: Sequence[RemoteTracker]) -> None:
        """Warn about remote data that breaks today's rules; never fix it silently.

        Trackers whose file accepts them as imported are left out: their stored
        whitespace and repeated phrases were recorded at import and are kept on purpose.
        """
        for name, group in sorted(self.by_name.items()):
            if len(group) > 1:
                ids = ", ".join(sorted(t.id for t in group))
                self.result.warnings.append(
                    f"remote: {len(group)} trackers share the name {name!r} (ids {ids}); "
                    "trackersync will not change or delete them; remove the extras in Symbl"
                )
        for tracker in remote:
            if len(tracker.vocabulary) != len(tracker.phrase_set()):
                self.result.warnings.append(
                    f"remote: tracker {tracker.name!r} (id {tracker.id}) has duplicate phrases"
                )
            if _has_odd_space(tracker.vocabulary):
                self.result.warnings.append(
                    f"remote: tracker {tracker.name!r} (id {tracker.id}) has phrases with "
                    "extra whitespace; compared as normalised, left as stored"
                )

    def _single(self, name: str) -> RemoteTracker | None:
        group = self.by_name.get(name, [])
        return group[0] if len(group) == 1 else None

    def match(self, tracker: DesiredTracker) -> None:
        """Find the remote counterpart of one desired tracker and record the change."""
        if tracker.name in self.by_name:
            self.claimed.add(tracker.name)
            found = self._single(tracker.name)
            self._check_rename_target(tracker, found)
            if found is None:
                self.errors.append(
                    f"tracker {tracker.name!r}: several remote trackers have this name; "
                    "delete the extras in Symbl before applying"
                )
            elif not _same_phrases(found, tracker):
                self._add_put("update", tracker, found)
            return
        old = self._rename_source(tracker)
        if old is not None:
            self.claimed.add(old.name)
            self._add_put("rename", tracker, old)
            return
        self._add_create(tracker)

    def _check_rename_target(self, tracker: DesiredTracker, found: RemoteTracker | None) -> None:
        """Both ``renamed_from`` and the new name exist remotely: whose ID is kept?

        When ``ids_file`` records the new name with that tracker's id, the rename was
        applied earlier and the old name was reused by hand since: a warning, the hand-made
        one is left alone. Otherwise adopting the new name would drop the renamed
        tracker's ID (and ``--prune`` would delete it), so it is an error.
        """
        recorded = (self.opts.recorded or {}).get(tracker.name)
        for old_name in tracker.renamed_from:
            if old_name not in self.by_name or old_name in self.desired_names:
                continue
            if found is not None and recorded == found.id:
                self.result.warnings.append(
                    f"tracker {tracker.name!r}: both it and its renamed_from {old_name!r} "
                    f"exist remotely; {tracker.name!r} (id {found.id}, recorded in ids_file) "
                    f"is kept, {old_name!r} is left alone unless pruned"
                )
                continue
            ids = ", ".join(sorted(t.id for t in self.by_name[tracker.name]))
            self.errors.append(
                f"cannot rename {old_name!r} to {tracker.name!r}: a tracker named "
                f"{tracker.name!r} already exists (id {ids}); delete or rename one of them "
                "in Symbl first"
            )

    def _rename_source(self, tracker: DesiredTracker) -> RemoteTracker | None:
        """The remote tracker to rename into ``tracker``, or ``None`` (rules 2 and 3)."""
        for old_name in tracker.renamed_from:
            if old_name in self.desired_names or old_name in self.claimed:
                continue
            found = self._single(old_name)
            if found is not None:
                return found
            if old_name in self.by_name:
                self.errors.append(
                    f"tracker {tracker.name!r}: renamed_from {old_name!r} matches several "
                    "remote trackers; delete the extras in Symbl first"
                )
        recorded = self.opts.recorded or {}
        for variant in self.by_fold.get(tracker.name.casefold(), []):
            found = self._single(variant)
            free = variant not in self.desired_names and variant not in self.claimed
            if found is not None and free and recorded.get(variant) == found.id:
                self.result.warnings.append(
                    f"tracker {tracker.name!r}: case-only rename of {variant!r} "
                    f"(id {found.id}, recorded in ids_file); renamed in place, the ID stays"
                )
                return found
        return None

    def _add_put(self, action: str, tracker: DesiredTracker, remote: RemoteTracker) -> None:
        added: list[str] = []
        removed: list[str] = []
        if not _same_phrases(remote, tracker):
            added, removed = phrase_diff(remote.vocabulary, tracker.vocabulary)
        recorded = remote.id in self.opts.protected_ids
        # A rename is refused only when the tracker renamed away was recorded as
        # protected; the file's own ``protect: true`` protects the new name, and does
        # not forbid the rename that brings it there.
        protect = recorded if action == "rename" else tracker.protect or recorded
        self.result.changes.append(
            Change(
                action="rename" if action == "rename" else "update",
                name=tracker.name,
                tracker_id=remote.id,
                old_name=remote.name if action == "rename" else None,
                added=added,
                removed=removed,
                vocabulary=list(tracker.vocabulary),
                protect=protect,
                source=str(tracker.source) if tracker.source else None,
            )
        )

    def _add_create(self, tracker: DesiredTracker) -> None:
        variants = [v for v in self.by_fold.get(tracker.name.casefold(), []) if v != tracker.name]
        for variant in variants:
            self.result.warnings.append(
                f"tracker {tracker.name!r}: looks like a case-only rename of {variant!r}; "
                f"the ID will change; add renamed_from: [{variant!r}] to keep it"
            )
        self.result.changes.append(
            Change(
                action="create",
                name=tracker.name,
                added=sorted(tracker.phrase_set()),
                vocabulary=list(tracker.vocabulary),
                protect=tracker.protect,
                source=str(tracker.source) if tracker.source else None,
            )
        )

    def leftovers(self) -> None:
        """Classify remote trackers no desired tracker claimed: skip, delete or unmanaged."""
        recorded_ids = None if self.opts.recorded is None else set(self.opts.recorded.values())
        for name, group in sorted(self.by_name.items()):
            if name in self.claimed or is_reserved_name(name):
                continue
            if any(fnmatch.fnmatchcase(name, glob) for glob in self.opts.ignore):
                continue
            tracker = group[0]
            owned = recorded_ids is None or tracker.id in recorded_ids
            if self.opts.prune and owned and len(group) == 1:
                self.result.changes.append(
                    Change(
                        action="delete",
                        name=name,
                        tracker_id=tracker.id,
                        removed=sorted(tracker.phrase_set()),
                        protect=tracker.id in self.opts.protected_ids,
                    )
                )
            else:
                self.result.unmanaged.append(name)

    def raise_errors(self) -> None:
        """Raise every collected matching error at once."""
        if self.errors:
            raise PlanError("cannot plan:\n  " + "\n  ".join(self.errors))


__all__ = [
    "RESERVED_PREFIX",
    "DiffOptions",
    "DiffResult",
    "comparable",
    "diff_trackers",
    "phrase_diff",
]
