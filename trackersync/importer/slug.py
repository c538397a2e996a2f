"""File names for imported trackers: slugs, collisions, and no path traversal.

A remote tracker's name is arbitrary text (Symbl documents no charset or length
limit; names are case-sensitive, so "Pricing" and "pricing" may both
exist; accounts whose data predates the unique-name rule may even repeat a name).
This module turns every name into a safe, deterministic file name inside the target
folder. It does no I/O besides resolving paths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from trackersync.errors import ConfigError
from trackersync.model import RemoteTracker
from trackersync.textfold import fold_to_ascii

MAX_SLUG_LENGTH = 60
FALLBACK_SLUG = "tracker"
FILE_SUFFIX = ".yaml"

# Device names Windows refuses as file names (with any extension).
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def slugify(name: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Return a lowercase ASCII slug of ``name``, usable as a file stem anywhere.

    Letters and digits of any script are transliterated to ASCII
    (:func:`~trackersync.textfold.fold_to_ascii`: ``Café`` → ``cafe``, ``Ελληνικά`` →
    ``ellinika``, ``日本語`` → ``ribenyu``), so a name in Greek, Cyrillic or CJK still
    gives a file name that says which tracker it holds; every run of other characters
    (spaces, punctuation, emoji, symbols) becomes one ``-``, ends are stripped, and the
    result is cut to ``max_length`` characters.
    A name with nothing left (emoji, punctuation, ``..``) gives ``"tracker"``; Windows
    device names (``con``, ``nul``...) get ``-tracker``.

    Args:
        name: the tracker's exact name, any text.
        max_length: longest slug returned (default 60 characters).

    Returns:
        A string matching ``[a-z0-9]+(-[a-z0-9]+)*`` of at most ``max_length`` characters.
    """
    # An ASCII name needs no transliteration: folding would only turn what is not a
    # letter or digit into spaces, which become '-' below all the same.
    ascii_text = (name if name.isascii() else fold_to_ascii(name)).lower()
    slug = _NON_ALNUM.sub("-", ascii_text).strip("-")
    slug = slug[:max_length].rstrip("-")
    if not slug:
        return FALLBACK_SLUG
    if slug in _WINDOWS_RESERVED:
        return f"{slug}-{FALLBACK_SLUG}"
    return slug


def sort_key(tracker: RemoteTracker) -> tuple[str, str]:
    """Return the deterministic processing order of remote trackers: ``(name, id)``."""
    return (tracker.name, tracker.id)


def assign_file_names(
    trackers: Iterable[RemoteTracker],
    unavailable: Callable[[RemoteTracker, str], bool] | None = None,
) -> dict[str, str]:
    """Give every remote tracker a distinct file name, deterministically.

    Trackers are taken in ``(name, id)`` order. First, in each group of trackers with
    the same slug, the first one claims the plain slug (``pricing.yaml``). Then the
    others take the lowest free suffix ``-2``, ``-3``... (``pricing-2.yaml``), skipping
    any name another tracker claimed as its plain slug. Case-only differences
    ("Pricing" / "pricing") and repeated names therefore never share a file, and the
    result depends only on the set of trackers, not on the listing order.

    A name ``unavailable`` refuses for a tracker (e.g. an existing file that defines
    other trackers) is treated like a clash: that tracker takes the next free suffix.

    Args:
        trackers: the remote trackers (ids must be unique).
        unavailable: ``(tracker, file name) -> True`` when that tracker must not get
            that file name; ``None``: every name is available.

    Returns:
        ``{tracker id: file name}``, e.g. ``{"4476908732794496": "pricing-2.yaml"}``;
        file names are compared case-insensitively (case-insensitive file systems).
    """
    ordered = sorted(trackers, key=sort_key)
    used: set[str] = set()
    names: dict[str, str] = {}

    def free(tracker: RemoteTracker, stem: str) -> bool:
        if stem in used:
            return False
        return unavailable is None or not unavailable(tracker, stem + FILE_SUFFIX)

    for tracker in ordered:
        stem = slugify(tracker.name)
        if free(tracker, stem):
            used.add(stem)
            names[tracker.id] = stem + FILE_SUFFIX
    for tracker in ordered:
        if tracker.id in names:
            continue
        base = slugify(tracker.name, max_length=MAX_SLUG_LENGTH - 4)
        n = 2
        while not free(tracker, f"{base}-{n}"):
            n += 1
        used.add(f"{base}-{n}")
        names[tracker.id] = f"{base}-{n}{FILE_SUFFIX}"
    return names


class Resolver:
    """``resolve(path)`` equals ``path.resolve()``, resolving each folder only once.

    A path resolves to its folder's resolved path plus its own name, unless that name
    is a symbolic link (then it is resolved in full, as :meth:`Path.resolve` does); an
    import looks at every file of one or two folders, so this saves a walk of every
    parent folder per file. Answers are kept: one resolver serves one import, during
    which the folders are not expected to change.
    """

    def __init__(self) -> None:
        self._folders: dict[Path, Path] = {}
        self._paths: dict[Path, Path] = {}

    def __call__(self, path: Path) -> Path:
        """Return ``path`` absolute, symbolic links followed (:meth:`Path.resolve`)."""
        if not path.is_absolute() or path.name in ("", ".", ".."):
            return path.resolve()
        resolved = self._paths.get(path)
        if resolved is None:
            folder = self._folders.get(path.parent)
            if folder is None:
                folder = self._folders[path.parent] = path.parent.resolve()
            candidate = folder / path.name
            resolved = candidate.resolve() if candidate.is_symlink() else candidate
            self._paths[path] = resolved
        return resolved


def safe_target(directory: Path, file_name: str, resolve: Resolver | None = None) -> Path:
    """Return ``directory / file_name`` resolved, refusing anything outside ``directory``.

    Slugs never contain ``/``, ``\\`` or ``..``; this is the second line of defence,
    checked with :meth:`Path.resolve` (symlinks followed).

    Args:
        directory: the folder imported files go to.
        file_name: a name from :func:`assign_file_names`.
        resolve: a :class:`Resolver` shared by the calls of one import (optional).

    Returns:
        The absolute, resolved path of the file.

    Raises:
        ConfigError: the path would land outside ``directory`` (or is the folder itself).
    """
    resolve = resolve or Resolver()
    root = resolve(directory)
    target = resolve(root / file_name)
    if target.parent != root or target.name != file_name:
        raise ConfigError(f"refusing to write {file_name!r}: it resolves outside {directory}")
    return target
