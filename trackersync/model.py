"""The one shape both sides take before they are compared.

Tracker files (after loading and validation) become :class:`DesiredTracker`; the
Management API's JSON becomes :class:`RemoteTracker`. Both are :class:`Tracker`:
a name and its vocabulary. The differ only ever sees ``Tracker`` values keyed by
name; it never sees YAML, HTTP or (for matching purposes) remote IDs.

Source: the API's tracker entity ``{id, name, vocabulary}`` (docs/api-contract.md).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from trackersync.copyable import Copyable
from trackersync.text import nfc

#: The API refuses request bodies over this many bytes with 413 (docs/api-contract.md,
#: "Body size"); the validator and the client's chunking both use it.
BODY_LIMIT_BYTES = 1_048_576

#: Names in Symbl's own namespace: never defined, imported or touched.
RESERVED_PREFIX = "Symbl."


def is_reserved_name(name: str) -> bool:
    """Return True when ``name`` is in Symbl's reserved ``Symbl.`` namespace.

    The one test used by the rules (``name-reserved``), the differ (such remote
    trackers are never pruned nor listed as unmanaged) and import (never imported). Letter case and
    leading whitespace are ignored: ``symbl.lower``, `` Symbl.Space`` and ``SYMBL.x``
    are all reserved (names are case-sensitive in the API, docs/api-contract.md, so a
    case or space variant would still look like a platform tracker to people).

    Args:
        name: a tracker name, exactly as written or stored.

    Returns:
        Whether the name, leading whitespace removed, starts with ``Symbl.`` in any case.
    """
    return name.lstrip().casefold().startswith(RESERVED_PREFIX.casefold())


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceRef(Copyable):
    """Where a value came from in a tracker or config file.

    Attributes:
        file: path as the user would type it (relative to the project root when possible).
        line: 1-based line number.
        column: 1-based column number.
    """

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Tracker(Copyable):
    """A Symbl tracker's content: its exact, case-sensitive name and its phrases.

    ``vocabulary`` keeps the order as written or as stored; comparisons use
    :meth:`phrase_set` because Symbl forbids duplicate phrases (docs/api-contract.md),
    so order never means anything.
    """

    name: str
    vocabulary: tuple[str, ...]

    def __post_init__(self) -> None:
        if type(self.vocabulary) is not tuple:  # a list given: kept as a tuple
            object.__setattr__(self, "vocabulary", tuple(self.vocabulary))

    def phrase_set(self) -> frozenset[str]:
        """Return the vocabulary as a set of exact strings."""
        return frozenset(self.vocabulary)

    def same_content(self, other: Tracker) -> bool:
        """Return True when ``other`` has the same name and the same phrase set."""
        return self.name == other.name and self.phrase_set() == other.phrase_set()


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoteTracker(Tracker):
    """A tracker as stored in a Symbl account, its name and phrases in Unicode NFC.

    Attributes:
        id: the account's 16-digit numeric string id (docs/api-contract.md, "ID formats").
        stored_other_form: the account stores the name or a phrase in another Unicode
            normal form (e.g. NFD); the text here is NFC, and the differ plans an update
            that rewrites it, so every tool sees one form.
        extra: fields the account holds besides ``id``, ``name`` and ``vocabulary``
            (description, categories, fields added later); sent back unchanged on PUT.
    """

    id: str
    stored_other_form: bool = False
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class BehaviourSentence(Copyable):
    """One behaviour-test sentence written in a tracker file's ``tests:`` block.

    Never sent to the Management API; ``trackersync test`` submits it to the Async API.

    Attributes:
        text: the sentence, as written.
        fires: True for ``must_fire`` (the tracker must detect it), False for
            ``must_not_fire``.
        source: where the sentence is written (file, line, column).
    """

    text: str
    fires: bool
    source: SourceRef


@dataclass(frozen=True, slots=True, kw_only=True)
class DesiredTracker(Tracker):
    """A tracker as defined in the repository (one file, or one item of a ``trackers:`` list).

    Attributes:
        description: local note, never sent to the API.
        renamed_from: earlier names; a remote tracker with one of these names is renamed
            in place (PUT, same id) instead of recreated.
        protect: never deleted, or renamed away, without an explicit flag.
        source: where the tracker's ``name`` key is, for error messages.
        id: the remote tracker this definition pins (optional ``id:`` key); plan matches
            it by this ID instead of by name.
        tests: behaviour-test sentences (local only; never part of a plan or fingerprint).
        tests_source: the public page the test sentences were taken from, if given.
        accepted_as_imported: True when the file records this tracker as accepted as
            imported and its content still matches that record (see
            :mod:`trackersync.definitions.accepted`): stored data the rules refuse is
            kept as it is, and a change that sends it again is warned about.
    """

    description: str | None = None
    id: str | None = None
    renamed_from: tuple[str, ...] = ()
    protect: bool = False
    source: SourceRef | None = None
    tests: tuple[BehaviourSentence, ...] = ()
    tests_source: str | None = None
    accepted_as_imported: bool = False

    def __post_init__(self) -> None:
        Tracker.__post_init__(self)
        if type(self.renamed_from) is not tuple:
            object.__setattr__(self, "renamed_from", tuple(self.renamed_from))
        if type(self.tests) is not tuple:
            object.__setattr__(self, "tests", tuple(self.tests))


def tracker_digest(tracker: Tracker) -> str:
    """Return sha256 hex of a tracker's name and sorted phrases, NUL-separated.

    Phrase order never matters (the API forbids duplicate phrases, so a vocabulary is a
    set); the hash is only compared with hashes made the same way.

    Args:
        tracker: any :class:`Tracker` (desired, remote or a state record snapshot).

    Returns:
        64 hex characters; equal for trackers with the same name and phrase set.
    """
    payload = "\x00".join([tracker.name, *sorted(tracker.phrase_set())])
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_phrase(phrase: str) -> str:
    """Bring a phrase to its one identity: Unicode NFC, ends stripped, every whitespace
    run (tabs, newlines, no-break and other unusual spaces too) one plain space.

    The one rule: the loader applies it to every phrase of the files, and the differ
    compares remote phrases in this shape, so an account storing ``"budget "`` matches a
    file's ``budget`` (README "Text identity").
    """
    text = nfc(phrase)
    joined = " ".join(text.split())
    return text if joined == text else joined  # unchanged: the same string, not a copy


#: White space other than a plain space (the same characters ``str.split`` splits on).
_OTHER_SPACE = re.compile(r"[^\S ]")
#: The ASCII ones: tab, newline, vertical tab, form feed, carriage return, separators.
_ASCII_OTHER_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"


def has_other_space(text: str) -> bool:
    """True when ``text`` holds white space other than a plain space (a tab, NBSP, ...).

    ASCII text is searched for each of its few such characters at C speed (a regex
    would look at every character); other text by the pattern.
    """
    if text.isascii():
        return any(char in text for char in _ASCII_OTHER_SPACE)
    return _OTHER_SPACE.search(text) is not None


def has_untidy_space(joined: str) -> bool:
    """True when stripping and collapsing white space would change some phrase.

    Args:
        joined: a vocabulary's phrases joined by NUL (``"\\x00".join(phrases)``), so
            the whole vocabulary is looked at with a few C-speed substring searches
            instead of a regex per phrase.
    """
    return ("  " in joined or " \x00" in joined or "\x00 " in joined
            or joined.startswith(" ") or joined.endswith(" ") or has_other_space(joined))


def normalise_vocabulary(phrases: Sequence[str]) -> tuple[str, ...]:
    """Return :func:`normalise_phrase` of each phrase, in order.

    A vocabulary of ASCII phrases without white space to strip or collapse (the common
    case) is returned as it is, after one look at all the phrases joined by NUL.
    """
    joined = "\x00".join(phrases)
    if joined.isascii() and not has_untidy_space(joined):
        return tuple(phrases)
    return tuple([normalise_phrase(phrase) for phrase in phrases])


def normalise_phrases(phrases: Iterable[str]) -> frozenset[str]:
    """Return the set of :func:`normalise_phrase` of each phrase."""
    return frozenset(normalise_phrase(p) for p in phrases)


def single_by_name(listing: Iterable[RemoteTracker]) -> dict[str, RemoteTracker]:
    """Index a listing by name, keeping only names exactly one tracker has.

    The one way "the tracker with this name" is looked up: a name several trackers
    share points at none of them (which one is meant cannot be known).
    """
    seen: dict[str, RemoteTracker | None] = {}
    for tracker in listing:
        seen[tracker.name] = None if tracker.name in seen else tracker
    return {name: tracker for name, tracker in seen.items() if tracker is not None}


Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem(Copyable):
    """One finding about the definitions: an error (blocks plan/apply) or a warning.

    Rendered as ``file:line:col: error: message`` (see :meth:`__str__`).

    Attributes:
        severity: ``"error"`` or ``"warning"``.
        message: what is wrong and what to do, naming the tracker and phrase index.
        code: stable rule identifier (e.g. ``"phrase-charset"``), for JSON output and tests.
        source: where it is; ``None`` only for problems about the whole set (e.g. 500 limit).
        tracker: the tracker's name, when the problem belongs to one tracker.
    """

    severity: Severity
    message: str
    code: str = "invalid"
    source: SourceRef | None = None
    tracker: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.severity}: {self.message}"
