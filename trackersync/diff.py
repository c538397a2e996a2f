"""The differ: desired trackers vs. the remote listing -> changes, unmanaged names, warnings.

Both sides arrive as :class:`~trackersync.model.Tracker` values; the
differ never sees YAML or HTTP. Trackers are matched by exact, case-sensitive name
(docs/api-contract.md, "Name uniqueness"); vocabularies are compared as sets, because
Symbl forbids duplicate phrases, so order never shows as a change. Only trackers whose
phrase sets differ get a phrase-level diff (set difference).

Matching rules, in order, for each desired tracker (sorted by name):

1. a remote tracker with the same name -> ``update`` when the phrase sets differ; when
   a ``renamed_from`` name exists remotely too, it is an error (adopting the new name
   would drop the renamed tracker's ID) unless the state record records the new name with
   that id (the rename was applied before, the old name was reused by hand since);
2. a remote tracker named in ``renamed_from`` (not itself defined) -> ``rename``
   (PUT on the same id; this includes case-only renames);
3. a remote tracker whose name looks the same (differs only in invisible characters or
   spaces, :func:`trackersync.text.look_alike_key`), not defined -> ``rename`` in place
   with a warning: a look-alike is never created beside it;
   a remote tracker whose name differs only in letter case, not defined, and recorded
   in the state record under that name with that id -> ``rename`` in place;
4. otherwise ``create``; when a case-only variant exists remotely without a record, a
   warning says the ID will change and suggests ``renamed_from``.

Remote trackers left over are skipped when ``Symbl.``-prefixed or matching an
``ignore`` glob, deleted when pruning and owned (recorded in the state record, or
recorded there under its current name when the files renamed it), else listed as
``unmanaged``; with no state record nothing is owned, so prune deletes nothing.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from trackersync.errors import PlanError
from trackersync.model import (
    DesiredTracker,
    Problem,
    RemoteTracker,
    has_untidy_space,
    is_reserved_name,
    normalise_phrases,
)
from trackersync.plan import ACTIONS, Change
from trackersync.text import look_alike_key, nfc


@dataclass(frozen=True)
class DiffOptions:
    """Inputs of the diff besides the two tracker lists.

    Attributes:
        prune: delete owned remote trackers that no file defines.
        ignore: fnmatch globs of remote names never touched nor listed as unmanaged.
        recorded: ``name -> id`` from the state record (the last apply), or ``None`` when
            there is no state record; limits prune to recorded trackers.
        protected_ids: remote ids recorded as ``protect: true`` in the state record.
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
    warnings: list[Problem] = field(default_factory=list)


def comparable(phrases: Sequence[str]) -> frozenset[str]:
    """Return remote phrases in the shape desired phrases have: whitespace normalised.

    The loader strips the ends of each phrase and collapses whitespace runs;
    an account may store phrases with such whitespace (data from before the rules,
    kept exactly as stored: docs/api-contract.md, "Duplicate phrases"). Both sides are
    compared in the same shape, so ``"budget "`` remotely equals ``budget`` in a file and an
    imported account plans empty. The remote data itself is never rewritten
    for this alone; ``_check_listing`` warns about it.
    """
    return normalise_phrases(phrases)


def _same_phrases(found: RemoteTracker, desired: DesiredTracker) -> bool:
    """Set comparison, whitespace-normalising the account's side only when it differs.

    The account keeps phrases in the order they were sent, so equal tuples (one C-speed
    comparison, no sets built) are the common case after an apply.
    """
    if found.vocabulary == desired.vocabulary:
        return True
    wanted = desired.phrase_set()
    return found.phrase_set() == wanted or comparable(found.vocabulary) == wanted


def phrase_diff(old: Sequence[str], new: Sequence[str]) -> tuple[list[str], list[str]]:
    """Return ``(added, removed)`` phrases between two vocabularies, each sorted.

    Both sides are compared whitespace-normalised (:func:`comparable`), as whole
    vocabularies are: a remote ``"hello there  "`` is the file's ``hello there``, so
    once any phrase of a tracker changes, whitespace-only variants still do not show
    as added or removed (the remote whitespace is reported as a warning instead).
    Phrases are returned in normalised form; order is never a change.
    """
    before, after = comparable(old), comparable(new)
    return sorted(after - before), sorted(before - after)


def diff_trackers(
    desired: Sequence[DesiredTracker],
    listing: Sequence[RemoteTracker],
    options: DiffOptions | None = None,
) -> DiffResult:
    """Compare desired trackers with the remote listing.

    Args:
        desired: the trackers the files define (unique names; validated).
        listing: every tracker of the account (one ``GET /v1/manage/trackers``).
        options: prune / ignore / state record; defaults to no prune.

    Returns:
        A :class:`DiffResult`; changes sorted by action then name, stable.

    Raises:
        PlanError: a desired name appears twice, or a desired tracker matches a name
            that several remote trackers share (which one to change is unknowable).
    """
    opts = options or DiffOptions()
    state = _Matcher(desired, listing, opts)
    for tracker in sorted(desired, key=lambda t: t.name):
        state.match(tracker)
    state.leftovers()
    state.raise_errors()
    order = {a: i for i, a in enumerate(ACTIONS)}
    state.result.changes.sort(key=lambda c: (order[c.action], c.name, c.tracker_id or ""))
    state.result.unmanaged.sort()
    return state.result


def ignored(name: str, patterns: Sequence[str]) -> bool:
    """True when a remote tracker name is covered by one of the config's ``ignore`` entries.

    An entry matches a name it equals exactly (compared in Unicode NFC), so a literal name
    with glob characters (``Deals [EU]``) always ignores itself; otherwise it is an
    fnmatch glob (``*``, ``?``, ``[...]``), case-sensitive like tracker names.
    """
    return any(name == nfc(p) or fnmatch.fnmatchcase(name, nfc(p)) for p in patterns)


def unused_ignore_warning(pattern: str, remote_names: Mapping[str, object]) -> str | None:
    """A warning about an ``ignore`` entry, else ``None``.

    Warned: an entry that matches no tracker in the account (names that look close,
    same letters ignoring case or close by difflib, are suggested: a mistyped pattern
    silently protects nothing), and an entry that is a tracker's exact name but, read as
    a glob, also matches others (``Deals [EU]`` also matches ``Deals E``).
    """
    import difflib

    names = list(remote_names)
    matched = [name for name in names if ignored(name, [pattern])]
    if nfc(pattern) in matched and len(matched) > 1:
        others = ", ".join(repr(n) for n in matched if n != nfc(pattern))
        literal = re.sub(r"([*?\[])", r"[\1]", pattern)
        return (f"ignore entry {pattern!r} matches that tracker and, as a glob, also "
                f"{others}; write {literal!r} to match only the name")
    if matched:
        return None
    folded = {n.casefold(): n for n in names}
    close = [folded[pattern.casefold()]] if pattern.casefold() in folded else []
    close = close or difflib.get_close_matches(pattern, names, n=2, cutoff=0.75)
    hint = f" (similar: {', '.join(repr(n) for n in close)})" if close else ""
    return (f"ignore pattern {pattern!r} matches no tracker in the account{hint}; "
            "check its spelling: it protects nothing")


class _Matcher:
    """Working state of one diff: indexes of both sides and what was claimed."""

    def __init__(
        self, desired: Sequence[DesiredTracker], listing: Sequence[RemoteTracker], opts: DiffOptions
    ) -> None:
        self.opts = opts
        self.result = DiffResult()
        self.errors: list[str] = []
        self.desired_names = {t.name for t in desired}
        if len(self.desired_names) != len(desired):
            raise PlanError("two tracker definitions share a name; run validate")
        self.by_id = {t.id: t for t in listing}
        self.by_name: dict[str, list[RemoteTracker]] = defaultdict(list)
        for tracker in listing:
            self.by_name[tracker.name].append(tracker)
        self.by_fold: dict[str, list[str]] = defaultdict(list)
        self.by_look: dict[str, list[str]] = defaultdict(list)
        for name in self.by_name:
            self.by_fold[name.casefold()].append(name)
            self.by_look[look_alike_key(name)].append(name)
        self.claimed: set[str] = set()  # remote names matched to a desired tracker
        self.claimed_ids: set[str] = set()  # remote ids pinned by a desired tracker's id:
        pinned = {t.id for t in desired if t.id is not None}
        self.pinned_names = {self.by_id[i].name for i in pinned if i in self.by_id}
        accepted = {t.name for t in desired if t.accepted_as_imported}
        self._check_listing([t for t in listing if t.name not in accepted])

    def _check_listing(self, listing: Sequence[RemoteTracker]) -> None:
        """Warn about remote data that breaks today's rules; never fix it silently.

        Trackers whose file accepts them as imported are left out: their stored
        whitespace and repeated phrases were recorded at import and are kept on purpose.
        """
        for name, group in sorted(self.by_name.items()):
            if len(group) > 1:
                ids = ", ".join(sorted(t.id for t in group))
                self._warn(
                    "remote-duplicate-name", name,
                    f"remote: {len(group)} trackers share the name {name!r} (ids {ids}); "
                    "trackersync will not change or delete them; remove the extras in Symbl")
        for tracker in listing:
            if len(tracker.vocabulary) != len(tracker.phrase_set()):
                self._warn("remote-duplicate-phrase", tracker.name,
                           f"remote: tracker {tracker.name!r} (id {tracker.id}) has "
                           "duplicate phrases")
            if has_untidy_space("\x00".join(tracker.vocabulary)):
                self._warn("remote-whitespace", tracker.name,
                           f"remote: tracker {tracker.name!r} (id {tracker.id}) has phrases "
                           "with extra whitespace; compared as normalised, left as stored")

    def _warn(self, code: str, name: str, message: str,
              tracker: DesiredTracker | None = None) -> None:
        """Record a warning about one tracker (with its definition's place, if any)."""
        self.result.warnings.append(Problem(
            severity="warning", code=code, message=message, tracker=name,
            source=tracker.source if tracker is not None else None))

    def _single(self, name: str) -> RemoteTracker | None:
        group = self.by_name.get(name, [])
        return group[0] if len(group) == 1 else None

    def match(self, tracker: DesiredTracker) -> None:
        """Find the remote counterpart of one desired tracker and record the change."""
        if tracker.id is not None:
            self._match_pinned(tracker)
            return
        if tracker.name in self.by_name:
            self.claimed.add(tracker.name)
            found = self._single(tracker.name)
            self._check_rename_target(tracker, found)
            if found is None:
                ids = ", ".join(sorted(t.id for t in self.by_name[tracker.name]))
                self.errors.append(
                    f"tracker {tracker.name!r}: {len(self.by_name[tracker.name])} remote "
                    f"trackers have this name (ids {ids}); delete the extras in Symbl, or "
                    "pin the one this file manages with id: '<one of these ids>'"
                )
            elif not _same_phrases(found, tracker) or found.stored_other_form:
                self._add_put("update", tracker, found)
            return
        old = self._rename_source(tracker)
        if old is not None:
            self.claimed.add(old.name)
            self._add_put("rename", tracker, old)
            return
        self._add_create(tracker)

    def _match_pinned(self, tracker: DesiredTracker) -> None:
        """A definition with ``id:``: its tracker is that remote tracker, whatever its name.

        The same name -> update; another name -> rename (PUT on the same id). An id the
        account does not hold is an error: creating would give another id.
        """
        found = self.by_id.get(str(tracker.id))
        if found is None:
            self.errors.append(
                f"tracker {tracker.name!r} pins id {tracker.id}, which is not in the account; "
                "remove the id: line to create it, or correct the id"
            )
            return
        if found.name != tracker.name and tracker.name in self.by_name:
            others = [t for t in self.by_name[tracker.name] if t.id != found.id]
            if others:
                ids = ", ".join(sorted(t.id for t in others))
                self.errors.append(
                    f"cannot rename id {found.id} ({found.name!r}) to {tracker.name!r}: "
                    f"another tracker has that name (id {ids}); delete or rename it first"
                )
                return
        self.claimed_ids.add(found.id)
        if found.name != tracker.name:
            self._add_put("rename", tracker, found)
        elif not _same_phrases(found, tracker) or found.stored_other_form:
            twins = [t.id for t in self.by_name[found.name] if t.id != found.id]
            if twins:  # the API refuses a PUT whose name another tracker holds (409)
                self.errors.append(
                    f"tracker {tracker.name!r} (id {found.id}): its name is shared with id "
                    f"{', '.join(sorted(twins))}, and the API refuses to change a tracker "
                    "whose name another one holds; give this file another name (the id: "
                    "keeps the tracker, a rename), or delete the other tracker in Symbl"
                )
                return
            self._add_put("update", tracker, found)

    def _check_rename_target(self, tracker: DesiredTracker, found: RemoteTracker | None) -> None:
        """Both ``renamed_from`` and the new name exist remotely: whose ID is kept?

        When the state record records the new name with that tracker's id, the rename was
        applied earlier and the old name was reused by hand since: a warning, the hand-made
        one is left alone. Otherwise adopting the new name would drop the renamed
        tracker's ID (and ``--prune`` would delete it), so it is an error.
        """
        recorded = (self.opts.recorded or {}).get(tracker.name)
        for old_name in tracker.renamed_from:
            if old_name not in self.by_name or old_name in self.desired_names:
                continue
            if found is not None and recorded == found.id:
                self._warn(
                    "rename-target-exists", tracker.name,
                    f"tracker {tracker.name!r}: both it and its renamed_from {old_name!r} "
                    f"exist remotely; {tracker.name!r} (id {found.id}, recorded in the state "
                    f"record) is kept, {old_name!r} is left alone unless pruned", tracker)
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
        for variant in self.by_look.get(look_alike_key(tracker.name), []):
            found = self._single(variant)
            free = variant not in self.desired_names and variant not in self.claimed
            if found is not None and free and variant != tracker.name:
                self._warn(
                    "remote-look-alike", tracker.name,
                    f"tracker {tracker.name!r}: the account's {variant!r} (id {found.id}) "
                    "looks the same (it differs only in invisible characters or spaces); "
                    "it is renamed in place to the file's name, never doubled", tracker)
                return found
        recorded = self.opts.recorded or {}
        moved = self._renamed_in_account(tracker, recorded.get(tracker.name))
        if moved is not None:
            return moved
        for variant in self.by_fold.get(tracker.name.casefold(), []):
            found = self._single(variant)
            free = variant not in self.desired_names and variant not in self.claimed
            if found is not None and free and recorded.get(variant) == found.id:
                self._warn(
                    "case-only-rename", tracker.name,
                    f"tracker {tracker.name!r}: case-only rename of {variant!r} (id "
                    f"{found.id}, recorded in the state record); renamed in place, the ID "
                    "stays", tracker)
                return found
        return None

    def _renamed_in_account(
        self, tracker: DesiredTracker, recorded_id: str | None
    ) -> RemoteTracker | None:
        """The tracker the state record owns under this name, renamed outside trackersync.

        Renaming it back (PUT, same id) keeps its ID; creating a new tracker would leave
        the renamed one behind as unmanaged.
        """
        found = self.by_id.get(recorded_id) if recorded_id is not None else None
        if found is None or self._single(found.name) is None:
            return None
        if found.name in self.desired_names or found.name in self.claimed:
            return None
        return found

    def _add_put(self, action: str, tracker: DesiredTracker, found: RemoteTracker) -> None:
        if found.stored_other_form:
            self._warn(
                "remote-normal-form", tracker.name,
                f"remote: tracker {found.name!r} (id {found.id}) is stored in another "
                "Unicode normal form (looks the same, differs in bytes); it is this file's "
                f"tracker, and the {action} sends it in NFC")
        added: list[str] = []
        removed: list[str] = []
        if not _same_phrases(found, tracker):
            added, removed = phrase_diff(found.vocabulary, tracker.vocabulary)
        recorded = found.id in self.opts.protected_ids
        # A rename is refused only when the tracker renamed away was recorded as
        # protected; the file's own ``protect: true`` protects the new name, and does
        # not forbid the rename that brings it there.
        protect = recorded if action == "rename" else tracker.protect or recorded
        self.result.changes.append(
            Change(
                action="rename" if action == "rename" else "update",
                name=tracker.name,
                tracker_id=found.id,
                old_name=found.name if action == "rename" else None,
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
            self._warn(
                "case-only-create", tracker.name,
                f"tracker {tracker.name!r}: looks like a case-only rename of {variant!r}; "
                f"the ID will change; add renamed_from: [{variant!r}] to keep it", tracker)
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
        for glob in self.opts.ignore:
            warning = unused_ignore_warning(glob, self.by_name)
            if warning:
                self.result.warnings.append(
                    Problem(severity="warning", code="ignore-pattern", message=warning))
        for name, group in sorted(self.by_name.items()):
            if name in self.claimed or is_reserved_name(name):
                continue
            if ignored(name, self.opts.ignore):
                continue
            group = [t for t in group if t.id not in self.claimed_ids]
            if not group:
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
    "DiffOptions",
    "DiffResult",
    "comparable",
    "diff_trackers",
    "ignored",
    "phrase_diff",
    "unused_ignore_warning",
]
