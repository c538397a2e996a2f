"""The value checks of :mod:`.rules`: per tracker, then across the whole set.

Each check reports through a :class:`~.rules.Reporter` under the rule's code; the
rule table in :mod:`.rules` gives every code's severity and source. Phrases are
normalised (ends stripped, whitespace runs collapsed to one space) before any other
check, and the tracker carries the normalised phrases.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from trackersync.definitions.accepted import ACCEPTABLE_CODES, still_accepted
from trackersync.definitions.rules import (
    MAX_WORDS,
    MIN_RECOMMENDED_PHRASES,
    Profile,
    Reporter,
)
from trackersync.model import BODY_LIMIT_BYTES, DesiredTracker, SourceRef, is_reserved_name
from trackersync.model import normalise_phrase as normalise
from trackersync.secrets import could_be_secret, has_control, looks_secret
from trackersync.text import (
    describe_chars,
    invisible_chars,
    look_alike_key,
    mixed_script_chars,
    nfc,
    odd_spaces,
    visible,
)

Pos = tuple[int, int]

_GUID_END = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?\)?$"
)
_GUID_WORD = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


#: The longest unknown key that gets a "did you mean" hint (every allowed key is shorter):
#: matching a key of megabytes against the allowed ones would take hundreds of MB.
HINT_MAX = 64


def did_you_mean(key: str, allowed: Sequence[str]) -> str:
    """``'; did you mean "name"?'`` for an unknown ``key`` close to one of ``allowed``.

    Empty when none is close, or when ``key`` is longer than :data:`HINT_MAX`.
    """
    if len(key) > HINT_MAX:
        return ""
    import difflib

    close = difflib.get_close_matches(key, list(allowed), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def shown(text: str, limit: int = 60) -> str:
    """Quote a phrase or name for a message: masked if secret-looking, cut if long,
    invisible characters and unusual spaces shown as ``<U+200B>``.
    """
    if looks_secret(text[:4096]):  # only the start is shown: judge a bounded part
        return f'"{text[:4]}…" ({len(text)} characters, masked)'
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return json.dumps(visible(text), ensure_ascii=False)


@dataclass
class Entry:
    """A tracker as loaded, with where each of its parts was written.

    Attributes:
        tracker: the tracker (phrases already normalised).
        file: the file label (path relative to the project root).
        name_pos: (line, column) of the ``name`` value.
        raw_name: the name as written (before NFC).
        raw_phrases: phrases as written, before normalisation.
        phrase_pos: (line, column) of each phrase.
        renamed_pos: (line, column) of each ``renamed_from`` item.
        accepted: the ``accepted_as_imported`` fingerprint written in the file, if any.
        accepted_pos: (line, column) of that value.
    """

    tracker: DesiredTracker
    file: str
    name_pos: Pos
    raw_phrases: Sequence[str]
    phrase_pos: Sequence[Pos]
    renamed_pos: list[Pos] = field(default_factory=list)
    raw_name: str = ""
    accepted: str | None = None
    accepted_pos: Pos | None = None

    def at(self, pos: Pos) -> SourceRef:
        """Return a SourceRef in this entry's file."""
        return SourceRef(file=self.file, line=pos[0], column=pos[1])

    @property
    def where(self) -> SourceRef:
        """The name's SourceRef."""
        return self.tracker.source or self.at(self.name_pos)

    @functools.cached_property
    def label(self) -> str:
        """``tracker "<name>"`` for messages."""
        return f"tracker {shown(self.tracker.name)}"


def check_tracker(entry: Entry, profile: Profile, rep: Reporter) -> None:
    """Run every per-tracker rule on one entry, then honour its ``accepted_as_imported``."""
    mark = len(rep.problems)
    _check_name(entry, rep)
    _check_phrases(entry, profile, rep)
    _check_count(entry, profile, rep)
    _check_body(entry, rep)
    if entry.accepted is not None:
        _settle_accepted(entry, rep, mark)


def _settle_accepted(entry: Entry, rep: Reporter, mark: int) -> None:
    """Drop the accepted problems of an unchanged imported tracker; warn once it changed.

    ``rep.problems[mark:]`` are the problems :func:`check_tracker` just found for
    ``entry``. See :mod:`.accepted` for what is accepted and why.
    """
    found = rep.problems[mark:]
    if still_accepted(entry.tracker, entry.accepted):
        entry.tracker = entry.tracker.model_copy(update={"accepted_as_imported": True})
        rep.problems[mark:] = [p for p in found if p.code not in ACCEPTABLE_CODES]
        return
    refused = any(p.code in ACCEPTABLE_CODES and p.severity == "error" for p in found)
    todo = ("fix the problems reported for it, then remove accepted_as_imported" if refused
            else "nothing needs accepting any more: remove accepted_as_imported")
    where = entry.at(entry.accepted_pos) if entry.accepted_pos else entry.where
    rep.add("accepted-edited", f"{entry.label} was accepted as imported, but its name or "
            "phrases changed since, so every rule applies again (an update sends every "
            "phrase, and an account that enforces the rules refuses the whole request); "
            f"{todo}", where, entry.tracker.name)


def _check_name(entry: Entry, rep: Reporter) -> None:
    name, where, tname = entry.tracker.name, entry.where, entry.tracker.name
    if not name.strip():
        rep.add("name-empty", "tracker name is empty; give the tracker a name", where, tname)
        return
    if is_reserved_name(name):
        rep.add("name-reserved", f"{entry.label}: names starting with 'Symbl.' belong to the "
                "platform's trackers; trackersync must not manage them; rename it", where, tname)
    hidden = invisible_chars(name) + odd_spaces(name)
    if hidden:
        hidden.sort(key=lambda item: item[1])
        rep.add("name-invisible", f"{entry.label} contains {describe_chars(hidden)}, which "
                "cannot be seen, so two names would look the same; remove it (use plain "
                "spaces)", where, tname)
    elif has_control(name):
        rep.add("name-control", f"{entry.label} contains a control character (newline, tab, "
                "escape…); a name must be one line of printable text", where, tname)
    elif normalise(name) != name:
        rep.add("name-whitespace", f"{entry.label} has leading, trailing or repeated spaces; "
                "the name is used exactly as written", where, tname)
    mixed = mixed_script_chars(name)
    if mixed:
        rep.add("name-mixed-script", f"{entry.label} mixes scripts in one word: "
                f"{describe_chars(mixed)}; it looks like a name in one script but is "
                "another name; type it in one script", where, tname)
    if _GUID_END.search(name):
        rep.add("name-ephemeral", f"{entry.label} ends in a GUID and looks ephemeral (a "
                "test run's leftover?); use a stable name", where, tname)


def _quiet_phrases(entry: Entry) -> bool:
    """True when :func:`_check_phrases` surely finds nothing in ``entry``'s phrases.

    A few string operations on the whole vocabulary at C speed instead of a dozen per
    phrase: every phrase non-empty, as written (normalising changed nothing), ASCII (no
    unusual space, invisible or look-alike letter), letters, digits and spaces only (no
    character any profile refuses), at most ``MAX_WORDS`` words, nothing the token
    detector could take for a key (its cheap first look finds nothing in the phrases
    joined by spaces, which no match can span), and no two phrases the same ignoring
    case. When unsure it returns False and every phrase is checked one by one.
    """
    vocabulary = entry.tracker.vocabulary
    raw = entry.raw_phrases
    if not all(vocabulary) or (raw is not vocabulary and list(raw) != list(vocabulary)):
        return False
    joined = " ".join(vocabulary)
    if not joined.isascii() or not joined.replace(" ", "").isalnum():
        return False
    if max(map(str.count, vocabulary, itertools.repeat(" ")), default=0) >= MAX_WORDS:
        return False
    if could_be_secret(joined) and looks_secret(joined):
        return False
    return len(set("\n".join(vocabulary).casefold().split("\n"))) == len(vocabulary)


def _check_phrases(entry: Entry, profile: Profile, rep: Reporter) -> None:
    if not _quiet_phrases(entry):
        _check_each_phrase(entry, profile, rep)


def _check_each_phrase(entry: Entry, profile: Profile, rep: Reporter) -> None:
    seen: dict[str, int] = {}
    folded: dict[str, int] = {}
    refused = profile.refused.search
    check_underscore = profile.name == "strict"
    for index, (raw, phrase) in enumerate(
        zip(entry.raw_phrases, entry.tracker.vocabulary, strict=True), start=1
    ):
        if not phrase:
            _phrase_problem(entry, rep, "phrase-empty", index, "is empty; remove it or write "
                            "the phrase")
            continue
        hidden: list[tuple[str, int]] = []
        if raw.isascii():  # no unusual space, invisible or non-Latin letter; NFC already
            if raw is not phrase and raw != phrase:
                _whitespace_problem(entry, rep, index, raw, phrase)
        else:
            hidden = _unusual_characters(entry, rep, index, raw, phrase)
        # letters, digits and single spaces only: no character any profile refuses
        if not phrase.replace(" ", "").isalnum() and (
            refused(phrase) or (check_underscore and "_" in phrase)
        ):
            # An invisible character is reported once, by phrase-invisible above.
            _check_chars(entry, profile, rep, index, phrase, skip={c for c, _ in hidden})
        if phrase.count(" ") >= MAX_WORDS:
            _phrase_problem(entry, rep, "phrase-long", index, f"has {phrase.count(' ') + 1} "
                            f"words; Symbl advises short phrases (at most {MAX_WORDS} words)")
        if len(phrase) >= 20 and could_be_secret(phrase) and looks_secret(phrase):
            _phrase_problem(entry, rep, "phrase-secret", index, f"{shown(phrase)} looks like a "
                            "token or key; remove it if it is a secret")
        if phrase in seen:
            first_raw = entry.raw_phrases[seen[phrase] - 1]
            form = (" (they differ only in Unicode normal form, which looks the same)"
                    if " ".join(first_raw.split()) != " ".join(raw.split()) else "")
            _phrase_problem(entry, rep, "phrase-duplicate", index, f"{shown(phrase)} repeats "
                            f"phrase {seen[phrase]}{form}; Symbl refuses duplicate phrases; "
                            "remove one")
            continue
        seen[phrase] = index
        key = phrase.casefold()
        if key in folded:
            _phrase_problem(entry, rep, "phrase-case-variant", index, f"{shown(phrase)} differs "
                            f"from phrase {folded[key]} only in case; Symbl matches ignoring "
                            "case, keep one")
        else:
            folded[key] = index


def _unusual_characters(entry: Entry, rep: Reporter, index: int, raw: str,
                        phrase: str) -> list[tuple[str, int]]:
    """Report unusual spaces, whitespace, invisible and mixed-script characters of one
    phrase (``raw`` as written, ``phrase`` normalised); return the invisible ones.
    """
    spaces = odd_spaces(raw)
    if spaces:
        _phrase_problem(entry, rep, "phrase-odd-space", index, f"has "
                        f"{describe_chars(spaces)}; normalised: sent with a plain space "
                        f"as {shown(phrase)}")
    elif nfc(raw) != phrase:
        _whitespace_problem(entry, rep, index, raw, phrase)
    hidden = invisible_chars(phrase)
    if hidden:
        _phrase_problem(entry, rep, "phrase-invisible", index, f"contains "
                        f"{describe_chars(hidden)}, which cannot be seen; refused, so "
                        "no look-alike of another phrase is sent; remove it")
    mixed = mixed_script_chars(phrase)
    if mixed:
        _phrase_problem(entry, rep, "phrase-mixed-script", index, f"mixes scripts in one "
                        f"word: {describe_chars(mixed)}; such a look-alike word matches "
                        "nothing said in either script; type it in one script")
    return hidden


def _whitespace_problem(entry: Entry, rep: Reporter, index: int, raw: str,
                        phrase: str) -> None:
    """Report that phrase ``index`` is used as ``phrase``, stripped and collapsed."""
    _phrase_problem(entry, rep, "phrase-whitespace", index, f"{shown(raw)} has leading, "
                    f"trailing or repeated whitespace; it is used as {shown(phrase)}")


def _phrase_problem(entry: Entry, rep: Reporter, code: str, index: int, text: str) -> None:
    where = entry.at(entry.phrase_pos[index - 1])
    rep.add(code, f"{entry.label}: phrase {index} {text}", where, entry.tracker.name)


def _check_chars(entry: Entry, profile: Profile, rep: Reporter, index: int, phrase: str,
                 skip: set[str]) -> None:
    bad = [(c, col) for c, col in profile.bad_chars(phrase) if c not in skip]
    if bad:
        chars = ", ".join(f"{_char(c)} at column {col}" for c, col in bad)
        _phrase_problem(entry, rep, "phrase-charset", index, f"contains {chars} "
                        f"({profile.allowed}; rules: {profile.name})")


def _char(char: str) -> str:
    import unicodedata

    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return f"U+{ord(char):04X} {unicodedata.name(char, 'character')}"


def _check_count(entry: Entry, profile: Profile, rep: Reporter) -> None:
    count = len(entry.tracker.vocabulary)
    where, tname = entry.where, entry.tracker.name
    if count == 0:
        rep.add("phrase-count", f"{entry.label} has no phrase; add at least one", where, tname)
    elif profile.max_phrases is not None and count > profile.max_phrases:
        rep.add("phrase-count", f"{entry.label} has {count} phrases; at most "
                f"{profile.max_phrases} are allowed (rules: {profile.name}); split it into "
                "several trackers", where, tname)
    elif count < MIN_RECOMMENDED_PHRASES:
        rep.add("phrase-few", f"{entry.label} has {count} phrase{'s' if count != 1 else ''}; "
                f"Symbl recommends at least {MIN_RECOMMENDED_PHRASES}", where, tname)


def _check_body(entry: Entry, rep: Reporter) -> None:
    tracker = entry.tracker
    bound = 6 * (len(tracker.name) + sum(map(len, tracker.vocabulary)))
    if bound + 8 * len(tracker.vocabulary) + 100 < BODY_LIMIT_BYTES:
        return
    body = {"id": "0" * 16, "name": tracker.name, "vocabulary": list(tracker.vocabulary)}
    size = len(json.dumps(body).encode())
    if size > BODY_LIMIT_BYTES:
        rep.add("body-size", f"{entry.label}: its request body would be {size} bytes, over "
                "Symbl's 1 MB limit; split it into several trackers", entry.where,
                tracker.name)


def check_set(entries: Sequence[Entry], limit: int, rep: Reporter) -> None:
    """Run the rules that look across trackers: names, renames, shared phrases, the limit."""
    _check_names(entries, rep)
    _check_renames(entries, rep)
    _check_shared(entries, rep)
    if len(entries) > limit:
        rep.add("account-limit", f"{len(entries)} trackers are defined; a Symbl account holds "
                f"at most {limit}")


def _check_names(entries: Sequence[Entry], rep: Reporter) -> None:
    exact: dict[str, Entry] = {}
    folded: dict[str, Entry] = {}
    pinned: dict[str, Entry] = {}
    looks: dict[str, Entry] = {}
    for entry in entries:
        tid = entry.tracker.id
        if tid is not None and tid in pinned:
            rep.add("id-duplicate", f"{entry.label} pins id {tid}, which {pinned[tid].label} "
                    f"({pinned[tid].where}) pins too; one tracker, one file", entry.where,
                    entry.tracker.name)
        elif tid is not None:
            pinned[tid] = entry
        name = entry.tracker.name
        if name in exact:
            first = exact[name]
            form = (" (the two differ only in Unicode normal form, which looks the same)"
                    if first.raw_name and entry.raw_name and first.raw_name != entry.raw_name
                    else "")
            rep.add("name-duplicate", f"{entry.label} is also defined at {first.where}{form}; "
                    "names must be unique", entry.where, name)
            continue
        exact[name] = entry
        look = looks.setdefault(look_alike_key(name), entry)
        stored = entry.tracker.accepted_as_imported or look.tracker.accepted_as_imported
        if look is not entry and not stored:  # both imported as stored: they exist already
            rep.add("name-duplicate", f"{entry.label} looks the same as tracker "
                    f"{shown(look.tracker.name)} ({look.where}): they differ only in invisible "
                    "characters or spaces; names must be unique", entry.where, name)
            continue
        other = folded.setdefault(name.casefold(), entry)
        if other is not entry:
            rep.add("name-case-variant", f"{entry.label} differs from tracker "
                    f"{shown(other.tracker.name)} ({other.where}) only in case; Symbl keeps "
                    "them as two trackers", entry.where, name)


def _check_renames(entries: Sequence[Entry], rep: Reporter) -> None:
    defined = {entry.tracker.name: entry for entry in entries}
    claimed: dict[str, Entry] = {}
    for entry in entries:
        for old, pos in zip(entry.tracker.renamed_from, entry.renamed_pos, strict=False):
            where, head = entry.at(pos), f"{entry.label}: renamed_from {shown(old)}"
            if old == entry.tracker.name:
                rep.add("renamed-from", f"{head} is the tracker's own name; remove it", where,
                        entry.tracker.name)
            elif old in defined:
                rep.add("renamed-from", f"{head} is defined at {defined[old].where}; a name "
                        "cannot be both renamed and kept", where, entry.tracker.name)
            elif old in claimed and claimed[old] is not entry:
                rep.add("renamed-from", f"{head} is also claimed by "
                        f"{claimed[old].label}; only one tracker can take it over", where,
                        entry.tracker.name)
            else:
                claimed[old] = entry


def _check_shared(entries: Sequence[Entry], rep: Reporter) -> None:
    # casefolded phrase -> number of the first entry holding it (one int per entry, not a
    # tuple per phrase: this table holds every phrase of the project at once)
    first: dict[str, int] = {}
    for number, entry in enumerate(entries):
        vocabulary = entry.tracker.vocabulary
        joined = "\n".join(vocabulary)  # phrases hold no newline: normalised
        folded = joined.casefold()
        # already casefolded (the common case): the phrases themselves are the keys
        keys = vocabulary if folded == joined else tuple(folded.split("\n"))
        if first.keys().isdisjoint(keys):  # the common case: no phrase seen before
            first.update(dict.fromkeys(keys, number))
            continue
        for index, (phrase, key) in enumerate(zip(vocabulary, keys, strict=True), start=1):
            owner = first.setdefault(key, number)
            if owner == number or not phrase:
                continue
            other = entries[owner]
            at = 1 + next(i for i, p in enumerate(other.tracker.vocabulary) if p.casefold() == key)
            rep.add("phrase-shared", f"{entry.label}: phrase {index} {shown(phrase)} is also "
                    f"in {other.label} (phrase {at}); both trackers will match it",
                    entry.at(entry.phrase_pos[index - 1]), entry.tracker.name)
