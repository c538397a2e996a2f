"""ASCII forms of tracker names, for file names and environment variable names.

Tracker names are any Unicode text. Where a name must become ASCII (an imported
tracker's file name, a ``TRACKER_ID_<NAME>`` variable), letters and digits of every
script are transliterated with the ``anyascii`` library (``Café`` → ``Cafe``,
``Ελληνικά`` → ``Ellinika``, ``日本語`` → ``RiBenYu``), so the result still says which
tracker it stands for; everything else becomes a space for the caller to collapse.
"""

from __future__ import annotations

import unicodedata


def fold_to_ascii(text: str) -> str:
    """Return ``text`` with its letters and digits in ASCII and all else as spaces.

    A combining mark (the accent of a decomposed ``é``) is dropped; any other character
    that is not a letter or digit (spaces, punctuation, symbols, emoji, control
    characters) becomes one space. The result holds only ASCII letters, digits and
    spaces, in the original case.

    Args:
        text: any text, e.g. a tracker name exactly as stored.
    """
    return "".join(_fold(char) for char in text)


def _fold(char: str) -> str:
    if char.isascii():  # already ASCII: a letter or digit stays, all else is a space
        return char if char.isalnum() else " "
    kind = unicodedata.category(char)[0]
    if kind in "LN":
        from anyascii import anyascii  # imported only when a name needs it

        return "".join(c if c.isalnum() else " " for c in anyascii(char))
    return "" if kind == "M" else " "


__all__ = ["fold_to_ascii"]
