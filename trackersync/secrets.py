"""One detector for token-looking text, shared by the validator and every renderer.

A phrase that looks like a credential was almost certainly pasted by mistake. The
validator warns about it (rule ``phrase-secret``); the text and Markdown plan renderers
print it masked, so it never reaches CI logs or PR comments. Plan JSON keeps phrases
exact: it is data for ``apply``, not a log.

What counts: a JWT (``eyJ…``), a well-known key prefix (AWS ``AKIA…``, GitHub
``ghp_…``/``github_pat_…``, Slack ``xox?-…``, ``sk-…``), or a word of 24+ characters from
``[A-Za-z0-9+=_-]`` (no ``/``: URL and file paths split into words) that mixes letters
and digits and is not a GUID. A long word that contains GUIDs is judged without them:
each part left between the GUIDs must be a long mixed word on its own to count
(``test-tracker-<guid>``, a slug of a test run's tracker name, is not a token; a real
token with a GUID inside is rare).
"""

from __future__ import annotations

import re

#: What a token-looking string is replaced with.
MASK = "***masked: looks like a token***"

_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.?[A-Za-z0-9_-]*")
_KEY = re.compile(
    r"\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,}"
    r"|github_pat_[A-Za-z0-9_]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,})"
)
_LONG_WORD = re.compile(r"[A-Za-z0-9+=_.\-]{24,}")
#: A run with slashes (base64 keys such as AWS secret keys) counts only when it does not
#: start with "/" and mixes upper case, lower case and digits: URL and file paths rarely do.
_SLASHED = re.compile(r"(?<![A-Za-z0-9+=_./\-])[A-Za-z0-9+=_.\-]++(?:/[A-Za-z0-9+=_.\-]+)++")
#: Cheap first look: nothing below can match a text this does not match.
_CANDIDATE = re.compile(
    r"eyJ|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|sk-|[A-Za-z0-9+=_./\-]{20}"
)
_GUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")


def _mixed(word: str) -> bool:
    """True for a word of 24+ characters mixing letters and digits."""
    return (len(word) >= 24 and any(ch.isdigit() for ch in word)
            and any(ch.isalpha() for ch in word))


def _long_word(match: re.Match[str]) -> str:
    word = match.group(0)
    parts = _GUID.split(word)  # GUIDs are ids, not credentials: judge what is left
    if len(parts) > 1:  # a key glued to a GUID by '_' has no word boundary of its own
        parts = [p.strip("_-") for p in parts]
        if any(_KEY.match(p) for p in parts):
            return MASK
    return MASK if any(_mixed(part) for part in parts) else word


_UPPER, _LOWER, _DIGIT = re.compile("[A-Z]"), re.compile("[a-z]"), re.compile("[0-9]")


def _slashed(match: re.Match[str]) -> str:
    run = match.group(0)  # ASCII only (the pattern's class): one C-speed search per kind
    kinds = (_UPPER.search(run), _LOWER.search(run), _DIGIT.search(run))
    return MASK if len(run) >= 30 and all(kinds) else run


def could_be_secret(text: str) -> bool:
    """A cheap first look: False only when :data:`_CANDIDATE` cannot match ``text``.

    Every match of the candidate pattern holds one of ``_ eyJ sk- AKIA ASIA xox``
    (``gh?_`` and ``github_pat_`` hold ``_``) or a run of 20 characters of its class
    ``[A-Za-z0-9+=_./-]``. Substring tests and one translation run at C speed, several
    times faster than the candidate pattern; ordinary phrases (short words, no key
    prefix) stop here.
    """
    if ("_" in text or "eyJ" in text or "sk-" in text or "AKIA" in text or "ASIA" in text
            or "xox" in text):
        return True
    return len(text) >= 20 and _RUN in text.translate(_RUN_TABLE)


#: Every character of the candidate pattern's 20-character run becomes ``a`` (the others
#: stay as they are), so a run of 20 such characters is a run of 20 ``a``: one C-speed
#: translation and substring search.
_RUN_TABLE = str.maketrans(dict.fromkeys(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=_./-", "a"))
_RUN = "a" * 20


def mask_secrets(text: str) -> str:
    """Return ``text`` with every token-looking part replaced by :data:`MASK`."""
    if not could_be_secret(text) or not _CANDIDATE.search(text):
        return text  # the common case: one scan instead of several
    text = _SLASHED.sub(_slashed, text)
    return _LONG_WORD.sub(_long_word, _KEY.sub(MASK, _JWT.sub(MASK, text)))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape_control(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def has_control(text: str) -> bool:
    """True when ``text`` holds a character :func:`display` would escape."""
    return _CONTROL.search(text) is not None


def display(text: str) -> str:
    """Return ``text`` safe to print on one line of a terminal or CI log.

    Control characters (newline, carriage return, escape, bidi overrides…) are shown as
    ``\\n``, ``\\u001b`` and so on, so a tracker name from a file or from the account
    can neither start a new log line (a GitHub workflow command such as ``::add-mask::``)
    nor drive the terminal; token-looking parts are masked (:func:`mask_secrets`), and
    invisible characters and unusual spaces are shown as ``<U+200B>``
    (:func:`trackersync.text.visible`), so two look-alike names never print the same.
    """
    if text.isascii() and text.isprintable() and not could_be_secret(text):
        return text  # the common case: nothing to escape, mask or show (C-speed tests)
    from trackersync.text import visible

    return visible(mask_secrets(_CONTROL.sub(_escape_control, text)))


def looks_secret(text: str) -> bool:
    """True when ``text`` holds anything :func:`mask_secrets` would mask."""
    return mask_secrets(text) != text


__all__ = ["MASK", "display", "has_control", "looks_secret", "mask_secrets"]
