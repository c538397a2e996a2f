"""Trackers accepted as imported: stored data the rules refuse, kept until someone edits it.

An account may hold trackers its current rules refuse: phrases with ``( )`` or ``,``
stored before the rules existed, more than 50 phrases, one phrase, phrases differing
only in whitespace. ``trackersync import`` writes such a tracker with the key
``accepted_as_imported: <fingerprint>``, the fingerprint of its content as imported
(:func:`content_fingerprint`). While the tracker's name and phrases still match that
fingerprint, the rules listed in :data:`ACCEPTABLE_CODES` are not reported for it:
trackersync sends nothing for an unchanged tracker, so nothing can be refused.

Once the tracker is edited (a phrase added, removed or changed, or the name changed),
the fingerprint no longer matches and every rule applies again, with one warning
saying why: an update sends every phrase again, and an account that enforces the rules
refuses the whole request. Fix the phrases, then remove the key. See
``docs/adopting.md``.
"""

from __future__ import annotations

import hashlib

from trackersync.model import Tracker

#: The key in a tracker file.
KEY = "accepted_as_imported"

#: Rules about one tracker's own stored content, which an unchanged tracker may break.
#: Not listed, so never accepted: the reserved ``Symbl.`` namespace, tokens in phrases,
#: the request body limit, file-format rules, and rules across trackers.
ACCEPTABLE_CODES = frozenset({
    "name-whitespace",
    "name-ephemeral",
    "phrase-empty",
    "phrase-duplicate",
    "phrase-case-variant",
    "phrase-charset",
    "phrase-count",
    "phrase-few",
    "phrase-whitespace",
    "phrase-long",
})

#: Length of the fingerprint written into files (hex characters of a SHA-256).
FINGERPRINT_LENGTH = 16


def content_fingerprint(tracker: Tracker) -> str:
    """Return the fingerprint of a tracker's name and phrase set, as written in files.

    Phrases are compared as a set with whitespace normalised (ends stripped, runs
    collapsed), as the loader reads them, so re-ordering phrases or ``trackersync fmt``
    never counts as an edit.

    Args:
        tracker: a tracker as loaded (or as listed by the API).

    Returns:
        :data:`FINGERPRINT_LENGTH` lowercase hex characters, e.g. ``"3f9a0c1b2d4e5f60"``.
    """
    phrases = sorted({" ".join(p.split()) for p in tracker.vocabulary})
    payload = "\x00".join([tracker.name, *phrases])
    digest = hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()
    return digest[:FINGERPRINT_LENGTH]


def still_accepted(tracker: Tracker, recorded: str | None) -> bool:
    """Return True when ``recorded`` is the fingerprint of ``tracker`` as it is now.

    Args:
        tracker: the tracker as loaded.
        recorded: the file's ``accepted_as_imported`` value, or ``None``.
    """
    return recorded is not None and recorded == content_fingerprint(tracker)


__all__ = [
    "ACCEPTABLE_CODES",
    "FINGERPRINT_LENGTH",
    "KEY",
    "content_fingerprint",
    "still_accepted",
]
