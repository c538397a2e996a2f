"""Validation of tracker bodies under the ``strict`` and ``lenient`` profiles.

The rules are stated in ``docs/api-contract.md`` ("Phrase count", "Punctuation in
phrases", "Duplicate phrases", "Types and extra keys"). Stored strings are never
trimmed or normalised. Every check returns the list of problems so one 400 can name them all.
"""

from __future__ import annotations

import unicodedata
from typing import Any

STRICT_MAX_PHRASES = 50
STRICT_EXTRA = frozenset(".'-\u2019")  # . ' ’ - besides letters, digits, spaces (the 2022 rules)
LENIENT_FORBIDDEN = frozenset("()[]")  # the later docs ban only ( ) [ ]


def _char_ok_strict(char: str) -> bool:
    if char in STRICT_EXTRA or char.isspace():
        return True
    # Letters (L*), digits/numbers (N*) and combining marks (M*) of decomposed letters.
    return unicodedata.category(char)[0] in "LNM"


def bad_characters(phrase: str, profile: str) -> list[str]:
    """The distinct characters of ``phrase`` that ``profile`` forbids, in order of appearance.

    Args:
        phrase: one vocabulary phrase, as sent.
        profile: ``"strict"`` or ``"lenient"`` (see "Punctuation in phrases").
    """
    found: list[str] = []
    for char in phrase:
        allowed = _char_ok_strict(char) if profile == "strict" else char not in LENIENT_FORBIDDEN
        if not allowed and char not in found:
            found.append(char)
    return found


def _describe(chars: list[str]) -> str:
    return ", ".join(repr(c) if c.isprintable() else f"U+{ord(c):04X}" for c in chars)


def check_vocabulary(vocabulary: Any, profile: str) -> list[str]:
    """Problems of a ``vocabulary`` value (types, count, punctuation, duplicates).

    Returns:
        Human-readable problems; empty when the vocabulary is valid.
    """
    if not isinstance(vocabulary, list) or not all(isinstance(p, str) for p in vocabulary):
        return ["'vocabulary' must be an array of strings"]
    problems: list[str] = []
    if not vocabulary:
        problems.append("'vocabulary' must contain at least 1 phrase")
    if profile == "strict" and len(vocabulary) > STRICT_MAX_PHRASES:
        problems.append(
            f"'vocabulary' has {len(vocabulary)} phrases; the maximum is {STRICT_MAX_PHRASES}"
        )
    seen: set[str] = set()
    for index, phrase in enumerate(vocabulary):
        if not phrase.strip():
            problems.append(f"vocabulary[{index}] is empty")
            continue
        chars = bad_characters(phrase, profile)
        if chars:
            allowed = (
                "letters, digits, spaces, . ' -" if profile == "strict" else "anything but ( ) [ ]"
            )
            problems.append(
                f"vocabulary[{index}] {phrase!r} contains {_describe(chars)} (allowed: {allowed})"
            )
        if phrase in seen:
            problems.append(f"vocabulary[{index}] {phrase!r} is a duplicate phrase")
        seen.add(phrase)
    return problems


def check_tracker(body: Any, profile: str) -> list[str]:
    """Problems of one ``{"name", "vocabulary"}`` object; extra keys are ignored.

    Args:
        body: the decoded JSON item.
        profile: ``"strict"`` or ``"lenient"``.
    """
    if not isinstance(body, dict):
        return ["a tracker must be a JSON object with 'name' and 'vocabulary'"]
    problems: list[str] = []
    name = body.get("name")
    if "name" not in body:
        problems.append("'name' is required")
    elif not isinstance(name, str) or not name:
        problems.append("'name' must be a non-empty string")
    if "vocabulary" not in body:
        problems.append("'vocabulary' is required")
    else:
        problems.extend(check_vocabulary(body["vocabulary"], profile))
    return problems
