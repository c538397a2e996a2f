"""One identity for text: the Unicode normal form and the characters people cannot see.

Text that looks the same to a person must compare the same everywhere. trackersync
brings every tracker name and phrase, from files and from the account alike, to
Unicode **NFC** (composed form: ``é`` is one code point, U+00E9, never ``e`` followed
by U+0301 COMBINING ACUTE ACCENT) before it validates, diffs, sends or records it. Two
names or phrases that differ only in normal form are the same name or phrase.

Characters nobody can see are a second way to make look-alikes:

* *invisible* characters: format characters (Unicode category ``Cf``: zero-width
  space U+200B, zero-width (non-)joiners, word joiner, a byte order mark U+FEFF inside
  text, soft hyphen U+00AD, the bidirectional controls U+202A-U+202E and U+2066-U+2069)
  and the default-ignorable fillers (U+115F, U+3164, U+FFA0, variation selectors);
* *unusual spaces*: every space separator other than the plain space U+0020 (no-break
  U+00A0, thin U+2009, ideographic U+3000 …) and the line/paragraph separators.

What happens to them is decided by the tracker rules (``trackersync.definitions``):
names refuse both kinds, naming each code point (``U+200B ZERO WIDTH SPACE``); phrases
turn unusual spaces into plain spaces (with a warning) and refuse invisible characters.
Every plan output shows them visibly through :func:`visible`.

A third way is a word that mixes letters of the scripts whose letters look alike
(Latin, Cyrillic, Greek): ``Рricing`` with U+0420 CYRILLIC CAPITAL LETTER ER looks like
``Pricing`` but is another name. :func:`mixed_script_chars` finds them (the rules warn).

Letter case is *not* folded here: names are case-sensitive in the Symbl API, so
``Budget`` and ``budget`` are two trackers (the rules warn about such pairs).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

#: The normal form every name and phrase is brought to.
NORMAL_FORM: Final[Literal["NFC"]] = "NFC"

#: Invisible characters: every format character (Unicode category Cf) and the
#: default-ignorable fillers (Hangul fillers, combining grapheme joiner, variation selectors).
INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b-\u180f"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)
#: Unusual spaces: space separators other than U+0020, and line/paragraph separators.
ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028\u2029\u0085]")


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC (cheap when it already is: ASCII returns at once)."""
    if text.isascii():
        return text
    return unicodedata.normalize(NORMAL_FORM, text)


def look_alike_key(text: str) -> str:
    """The text a person sees: NFC, invisible characters removed, every run of spaces
    (unusual ones too) one plain space, ends stripped. Two names with the same key look
    the same; letter case still counts.
    """
    if text.isascii():
        return " ".join(text.split())
    return " ".join(INVISIBLE.sub("", nfc(text)).split())


#: Scripts whose letters look alike (``A``/``А``/``Α``); a word mixing two is suspect.
LOOK_ALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def mixed_script_chars(text: str) -> list[tuple[str, int]]:
    """The letters of each word that mixes Latin, Cyrillic and Greek letters, with columns.

    A word is a run of non-space characters; in a word mixing those scripts, the
    letters not of its most common script are returned (first-seen script wins a tie),
    each with its 1-based column in ``text``. Whole words of one script (``цена``
    beside ``price``) are not look-alikes and are not returned.
    """
    if text.isascii():
        return []
    found: list[tuple[str, int]] = []
    for match in re.finditer(r"\S+", text):
        scripts: list[tuple[str, str, int]] = []
        for offset, char in enumerate(match.group()):
            script = unicodedata.name(char, "").split(" ", 1)[0] if char.isalpha() else ""
            if script in LOOK_ALIKE_SCRIPTS:
                scripts.append((script, char, match.start() + offset + 1))
        names = [script for script, _c, _col in scripts]
        if len(set(names)) > 1:
            main = max(dict.fromkeys(names), key=names.count)
            found += [(char, col) for script, char, col in scripts if script != main]
    return found


def char_name(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: the code point and its Unicode name."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def invisible_chars(text: str) -> list[tuple[str, int]]:
    """Each distinct invisible character of ``text`` with its first 1-based column."""
    if text.isascii():
        return []
    found: dict[str, int] = {}
    for match in INVISIBLE.finditer(text):
        found.setdefault(match.group(), match.start() + 1)
    return list(found.items())


def odd_spaces(text: str) -> list[tuple[str, int]]:
    """Each distinct unusual space of ``text`` with its first 1-based column."""
    if text.isascii():
        return []
    found: dict[str, int] = {}
    for match in ODD_SPACE.finditer(text):
        found.setdefault(match.group(), match.start() + 1)
    return list(found.items())


def describe_chars(found: list[tuple[str, int]]) -> str:
    """``U+200B ZERO WIDTH SPACE at column 5, …`` for a message."""
    return ", ".join(f"{char_name(char)} at column {col}" for char, col in found)


_VISIBLE = re.compile(f"{INVISIBLE.pattern}|{ODD_SPACE.pattern}")


def visible(text: str) -> str:
    """Return ``text`` with every invisible character and unusual space shown as ``<U+200B>``.

    For human-readable output (text and Markdown plans, messages); data outputs keep
    the exact text and escape these characters instead (see :func:`json_visible`).
    """
    if text.isascii():
        return text
    return _VISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def json_visible(dumped: str) -> str:
    """Escape invisible characters and unusual spaces in a JSON document as ``\\uXXXX``.

    JSON decoders read ``\\u200b`` back as the character itself, so the data is exact,
    while a person reading the file sees every such character.
    """
    if dumped.isascii():
        return dumped

    def escape(match: re.Match[str]) -> str:
        encoded = match.group().encode("utf-16-be")
        units = [encoded[i:i + 2].hex() for i in range(0, len(encoded), 2)]
        return "".join(f"\\u{unit}" for unit in units)

    return _VISIBLE.sub(escape, dumped)


__all__ = [
    "INVISIBLE",
    "LOOK_ALIKE_SCRIPTS",
    "NORMAL_FORM",
    "ODD_SPACE",
    "char_name",
    "describe_chars",
    "invisible_chars",
    "json_visible",
    "look_alike_key",
    "mixed_script_chars",
    "nfc",
    "odd_spaces",
    "visible",
]
