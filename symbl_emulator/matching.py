"""Tracker matching as Symbl described it: exact phrases plus contextually similar ones.

Two deterministic layers, both case-insensitive (see ``docs/api-contract.md``,
"Matching"):

- **exact**: the phrase occurs in the sentence on word boundaries (the phrase ``no``
  never matches inside ``not``). ``offset`` is the 0-based character index of the first
  such occurrence.
- **contextual** (on unless the server runs with ``matching="exact"``): no exact
  occurrence, but the phrase's *content words* — its words lemmatised, stop words
  dropped, in the sentence's language — occur in the sentence in the same order, other
  words allowed between them. Only phrases with at least two content words take part,
  so a one-word phrase such as ``budget`` or ``no`` matches only exactly. ``offset`` is
  ``-1``, the value Symbl gave a match that was not exact.

Lemmas come from ``simplemma`` and stop words from ``stop-words``; both ship their data
inside the package, so nothing is downloaded at run time. The sentence's language is the
supported language whose stop words it holds most of (English on a tie); a language's
lemma table is only loaded the first time a sentence in that language is seen.

Speed: phrases are indexed by their rarest word (exact) and their rarest content lemma
(contextual), so a sentence is only compared with the phrases that can match it; the
analysis of a phrase is cached across jobs.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from stop_words import get_stop_words

MODES = ("contextual", "exact")
#: Languages with both a lemma table and a stop-word list; English first (the tie winner).
LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl")
_WORD = re.compile(r"\w+")
_CONTENT_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


@lru_cache(maxsize=len(LANGUAGES))
def stop_words(lang: str) -> frozenset[str]:
    """The stop words of ``lang`` (an ISO 639-1 code), lower-cased."""
    return frozenset(w.lower().replace("’", "'") for w in get_stop_words(lang))


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """The lower-cased lemma of one lower-cased ``word`` in ``lang`` (itself if unknown).

    simplemma is imported here, on the first lemma: importing it loads the rules of every
    language it knows (~0.14 s), which an emulator that is never asked to match trackers
    (the Management API alone, as ``trackersync --emulator`` uses it) does not need.
    """
    import simplemma

    return simplemma.lemmatize(word, lang=lang).lower()


def detect_language(text: str) -> str:
    """The supported language whose stop words ``text`` holds most of; ``en`` on a tie."""
    words = [w.lower().replace("’", "'") for w in _CONTENT_TOKEN.findall(text)]
    best, best_hits = LANGUAGES[0], 0
    for lang in LANGUAGES:
        listed = stop_words(lang)
        hits = sum(1 for w in words if w in listed)
        if hits > best_hits:
            best, best_hits = lang, hits
    return best


_CONTENT: dict[str, dict[str, str | None]] = {lang: {} for lang in LANGUAGES}


def _content_lemma(word: str, lang: str) -> str | None:
    """The lemma of a lower-cased ``word``, or ``None`` for a stop word (cached)."""
    table = _CONTENT[lang]
    if word not in table:
        table[word] = None if word in stop_words(lang) else lemma(word, lang)
    return table[word]


@lru_cache(maxsize=200_000)
def content_lemmas(text: str, lang: str) -> tuple[str, ...]:
    """The lemmas of ``text``'s words that are not stop words of ``lang``, in order."""
    table = _CONTENT[lang]
    found = []
    for word in _CONTENT_TOKEN.findall(text.lower().replace("’", "'")):
        value = table[word] if word in table else _content_lemma(word, lang)
        if value is not None:
            found.append(value)
    return tuple(found)


@lru_cache(maxsize=200_000)
def _words(phrase: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(phrase.casefold()))


@lru_cache(maxsize=50_000)
def _boundary_pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Sentence:
    """One sentence-level message: its ``id`` and ``text``, with its words found once."""

    id: str
    text: str

    def words(self) -> list[tuple[str, int, int]]:
        """``(casefolded word, start, end)`` for every run of word characters."""
        return [(m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(self.text)]


@lru_cache(maxsize=4096)
def _collapsed(text: str) -> str:
    """``text`` case-folded with each run of white space as one space (cached: one
    sentence is compared with many phrases, and one phrase with many sentences)."""
    return " ".join(text.casefold().split())


def exact_offset(phrase: str, text: str,
                 words: Sequence[tuple[str, int, int]] | None = None) -> int | None:
    """The index of the first case-insensitive occurrence of ``phrase`` on word boundaries.

    Returns ``None`` when there is none. ``words`` (from :meth:`Sentence.words`) saves
    re-tokenising when many phrases are tried against one sentence.
    """
    # Cheap test first: an exact match is a case-insensitive substring once runs of
    # white space (tabs, double spaces, line breaks) count as one space.
    target = _collapsed(phrase)
    if target not in _collapsed(text):
        return None
    wanted = _words(phrase)
    if not wanted or not (phrase[0].isalnum() or phrase[0] == "_") or not (
            phrase[-1].isalnum() or phrase[-1] == "_"):
        found = _boundary_pattern(phrase).search(text)
        return found.start() if found else None
    tokens = list(words) if words is not None else [
        (m.group().casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]
    size = len(wanted)
    for i in range(len(tokens) - size + 1):
        if tokens[i][0] != wanted[0]:
            continue
        if all(tokens[i + k][0] == wanted[k] for k in range(1, size)):
            start, end = tokens[i][1], tokens[i + size - 1][2]
            if _collapsed(text[start:end]) == target:
                return start
    return None


def in_order(needles: Sequence[str], haystack: Sequence[str]) -> bool:
    """True when ``needles`` occur in ``haystack`` in the same order (gaps allowed)."""
    rest = iter(haystack)
    return all(any(item == needle for item in rest) for needle in needles)


def _rarest(keys: Sequence[tuple[str, ...]]) -> list[str | None]:
    """For each key tuple, its member that the fewest tuples hold (``None`` if empty).

    A phrase can only match a sentence holding all of its words (or lemmas), so it is
    indexed under its rarest one: a sentence is then compared with few phrases even when
    every phrase shares a common word.
    """
    counts = Counter(chain.from_iterable(map(set, keys)))
    return [min(words, key=counts.__getitem__) if words else None for words in keys]


class _Index:
    """Phrases keyed by their rarest word (exact) and rarest content lemma per language."""

    def __init__(self, trackers: Sequence[dict[str, Any]]) -> None:
        self.phrases: list[tuple[int, int, str]] = []
        self.by_word: dict[str, list[int]] = {}
        self.loose: list[int] = []  # phrases without a word: always tried
        self._by_lemma: dict[str, dict[str, list[int]]] = {}
        for t_index, tracker in enumerate(trackers):
            for p_index, phrase in enumerate(tracker.get("vocabulary", [])):
                if isinstance(phrase, str) and phrase.strip():
                    self.phrases.append((t_index, p_index, phrase))
        words = [_words(phrase) for _, _, phrase in self.phrases]
        for slot, key in enumerate(_rarest(words)):
            if key is None:
                self.loose.append(slot)
            else:
                self.by_word.setdefault(key, []).append(slot)

    def by_lemma(self, lang: str) -> dict[str, list[int]]:
        """Phrases with at least two content lemmas in ``lang``, keyed by the rarest."""
        if lang not in self._by_lemma:
            lemmas = [content_lemmas(phrase, lang) for _, _, phrase in self.phrases]
            table: dict[str, list[int]] = {}
            for slot, key in enumerate(_rarest(lemmas)):
                if key is not None and len(lemmas[slot]) >= 2:
                    table.setdefault(key, []).append(slot)
            self._by_lemma[lang] = table
        return self._by_lemma[lang]


_INDEXES: dict[tuple[Any, ...], _Index] = {}
_INDEX_CACHE_SIZE = 4
_INDEX_LOCK = threading.Lock()  # the server answers requests on several threads


def _index_of(trackers: Sequence[dict[str, Any]]) -> _Index:
    """The index of ``trackers``, reused while the same trackers are submitted again."""
    key = tuple((t.get("id"), t.get("name"), tuple(t.get("vocabulary", ()))) for t in trackers)
    with _INDEX_LOCK:
        index = _INDEXES.get(key)
        if index is None:
            if len(_INDEXES) >= _INDEX_CACHE_SIZE:
                _INDEXES.pop(next(iter(_INDEXES)))
            index = _INDEXES[key] = _Index(trackers)
        return index


def _sentence_hits(index: _Index, sentence: Sentence, contextual: bool) -> dict[int, int]:
    """``{phrase slot: offset}`` for one sentence (exact offsets win over ``-1``)."""
    words = sentence.words()
    hits: dict[int, int] = {}
    candidates = set(index.loose)
    for word, _, _ in words:
        candidates.update(index.by_word.get(word, ()))
    for slot in candidates:
        offset = exact_offset(index.phrases[slot][2], sentence.text, words)
        if offset is not None:
            hits[slot] = offset
    if contextual:
        lang = detect_language(sentence.text)
        lemmas = content_lemmas(sentence.text, lang)
        table = index.by_lemma(lang)
        present = frozenset(lemmas)
        for key in present:
            for slot in table.get(key, ()):
                if slot in hits:
                    continue
                needed = content_lemmas(index.phrases[slot][2], lang)
                if present.issuperset(needed) and in_order(needed, lemmas):
                    hits[slot] = -1
    return hits


def detect(sentences: Sequence[dict[str, str]], trackers: Sequence[dict[str, Any]],
           mode: str = "contextual") -> list[dict[str, Any]]:
    """The trackers-detected array for a conversation.

    Args:
        sentences: sentence-level messages ``{"id", "text"}`` in conversation order.
        trackers: the effective trackers ``{"id", "name", "vocabulary"}``.
        mode: ``"contextual"`` (exact and contextual layers, Symbl's behaviour) or
            ``"exact"`` (the exact layer only).

    Returns:
        ``[{"id", "name", "matches": [{"type": "vocabulary", "value", "messageRefs":
        [{"id", "text", "offset"}], "insightRefs": []}]}]``: trackers in the given order,
        phrases in vocabulary order, refs in message order; trackers with no match
        are left out.
    """
    if mode not in MODES:
        raise ValueError(f"matching mode must be one of {MODES}, got {mode!r}")
    index = _index_of(trackers)
    refs: dict[int, list[dict[str, Any]]] = {}
    for item in sentences:
        sentence = Sentence(id=item["id"], text=item["text"])
        for slot, offset in _sentence_hits(index, sentence, mode == "contextual").items():
            refs.setdefault(slot, []).append(
                {"id": sentence.id, "text": sentence.text, "offset": offset})
    by_tracker: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for slot in sorted(refs):
        t_index, p_index, phrase = index.phrases[slot]
        match = {"type": "vocabulary", "value": phrase, "messageRefs": refs[slot],
                 "insightRefs": []}
        by_tracker.setdefault(t_index, []).append((p_index, match))
    result = []
    for t_index in sorted(by_tracker):
        tracker = trackers[t_index]
        matches = [m for _, m in sorted(by_tracker[t_index], key=lambda pair: pair[0])]
        result.append({"id": tracker["id"], "name": tracker["name"], "matches": matches})
    return result
