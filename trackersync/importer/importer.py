"""Adopt an existing Symbl account into code: one YAML file per remote tracker.

The import is made in two steps, so the decisions can be tested without I/O:

1. :func:`plan_import` decides, for every remote tracker, its file name and what to do
   (write, overwrite, or skip and why), and collects the problems the project's rules
   find in the remote data (characters, phrase counts, duplicates, whitespace). It
   reads nothing but ``Path.exists``.
2. :func:`write_import` writes the chosen files, each written whole (temporary file +
   rename), names exactly as stored, with the problems in a header comment and, for
   data the rules refuse, an ``accepted_as_imported`` fingerprint.

Names are case-sensitive and Symbl documents no character set for them; accounts made
before Symbl's 2022 rules may hold ``?``, ``,``, one-phrase trackers, trailing spaces
and repeated names. One list GET returns every tracker (no pagination).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

from trackersync.errors import ConfigError
from trackersync.importer.slug import Resolver, assign_file_names, safe_target, sort_key
from trackersync.model import RESERVED_PREFIX, RemoteTracker, is_reserved_name
from trackersync.textfile import atomic_write_many

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class Findings:
    """What the project's rules say about one remote tracker.

    Attributes:
        problems: what the rules refuse or warn about in the stored data (messages).
        fingerprint: set when the file must record the tracker as accepted as imported
            (``accepted_as_imported``, see :mod:`trackersync.definitions.accepted`).
    """

    problems: tuple[str, ...] = ()
    fingerprint: str | None = None


#: The project's rules on a batch of trackers: ``{tracker id: findings}``.
Checker = Callable[[Sequence[RemoteTracker]], Mapping[str, Findings]]
#: Renders one entry as the file's text (header comment + YAML).
Renderer = Callable[["ImportEntry"], str]

Action = Literal["write", "overwrite", "skip-defined", "skip-exists", "skip-shared"]

#: Summary wording of each skip reason.
SKIP_REASONS: dict[str, str] = {
    "skip-defined": "already defined",
    "skip-exists": "file exists, use --overwrite",
    "skip-shared": "file holds other trackers",
}


@dataclass(frozen=True)
class ImportEntry:
    """The decision for one remote tracker.

    Attributes:
        tracker: the remote tracker, exactly as listed.
        file_name: its file name inside the import folder (``"pricing-2.yaml"``).
        path: the resolved path of that file (checked to be inside the folder).
        action: ``write``/``overwrite`` (a file is written) or ``skip-*`` (why not).
        detail: for skips, a sentence naming the file that caused it.
        problems: what the rules refuse in the remote data (messages, in rule order).
        same_name_ids: ids of the other remote trackers with exactly the same name.
        fingerprint: the ``accepted_as_imported`` value written into the file, if any.
    """

    tracker: RemoteTracker
    file_name: str
    path: Path
    action: Action
    detail: str = ""
    problems: tuple[str, ...] = ()
    same_name_ids: tuple[str, ...] = ()
    fingerprint: str | None = None

    @property
    def writes(self) -> bool:
        """True when this entry writes a file."""
        return self.action in ("write", "overwrite")

    def header(self, rules: str) -> list[str]:
        """Return the header comment lines recorded at the top of the written file."""
        lines = [f"Imported from Symbl by `trackersync import` (remote id {self.tracker.id})."]
        if self.same_name_ids:
            others = ", ".join(self.same_name_ids)
            lines.append(
                f"WARNING: other remote trackers have the same name (ids {others}); "
                "they were imported into separate files, not merged."
            )
        if self.problems and self.fingerprint:
            lines.append("Accepted as imported (see accepted_as_imported), kept as stored")
            lines.append(f"until the tracker is edited; the rules ({rules}) report:")
        elif self.problems:
            lines.append(f"Remote data the rules ({rules}) refuse, imported as stored:")
        lines.extend(f"  - {problem}" for problem in self.problems)
        return lines


@dataclass
class ImportResult:
    """Every decision of one import, in ``(name, id)`` order.

    Attributes:
        directory: the folder files go to.
        rules: the rules profile the problems were checked against.
        entries: one per selected remote tracker.
        ignored: remote trackers left out, with why: the config's ``ignore`` globs, or
            Symbl's own ``Symbl.`` namespace (never touched).
        unmatched_globs: ``--name`` globs that matched no remote tracker.
        notes: other warnings, e.g. existing files that could not be read.
        config_written: the ``trackersync.yaml`` import wrote (none existed), if any.
        schemas_written: editor schema files written (they were missing).
    """

    directory: Path
    rules: str
    entries: list[ImportEntry] = field(default_factory=list)
    ignored: list[tuple[RemoteTracker, str]] = field(default_factory=list)
    unmatched_globs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    config_written: Path | None = None
    schemas_written: list[Path] = field(default_factory=list)

    @property
    def written(self) -> list[ImportEntry]:
        """Entries that write a file."""
        return [e for e in self.entries if e.writes]

    @property
    def skipped(self) -> list[ImportEntry]:
        """Entries that write nothing."""
        return [e for e in self.entries if not e.writes]

    @property
    def files_with_warnings(self) -> list[ImportEntry]:
        """Written entries whose file records a problem or a repeated name."""
        return [e for e in self.written if e.problems or e.same_name_ids]


def plan_import(
    remote: Sequence[RemoteTracker],
    *,
    directory: Path,
    defined: Mapping[str, Sequence[Path]],
    file_trackers: Mapping[Path, Sequence[str]],
    checker: Checker,
    rules: str,
    overwrite: bool = False,
    name_globs: Sequence[str] = (),
    ignore_globs: Sequence[str] = (),
) -> ImportResult:
    """Decide what importing ``remote`` into ``directory`` does, writing nothing.

    File names are assigned over every non-ignored remote tracker (not only the
    ``--name`` selection), so a partial import uses the same names as a full one.
    A file that already defines other trackers is never a tracker's file: the tracker
    takes the next free name (``sales-a-2.yaml``), as for any slug clash.

    Args:
        remote: the account's trackers (one list GET).
        directory: the folder files go to (need not exist yet).
        defined: tracker name -> resolved files already defining it in the repository.
        file_trackers: resolved existing definition file -> names of the trackers it holds.
        checker: the project's rules, called once with every tracker to be written.
        rules: the rules profile's name (``"strict"`` or ``"lenient"``), for messages.
        overwrite: rewrite existing files (``--overwrite``).
        name_globs: import only names matching one of these case-sensitive globs.
        ignore_globs: the config's ``ignore``: names never imported.

    Returns:
        The decisions, in ``(name, id)`` order.

    Raises:
        ConfigError: a file name would resolve outside ``directory`` (never expected).
    """
    result = ImportResult(directory=directory, rules=rules)
    kept = []
    for tracker in sorted(remote, key=sort_key):
        if is_reserved_name(tracker.name):
            result.ignored.append((tracker, f"{RESERVED_PREFIX} names are Symbl's own"))
        elif any(fnmatchcase(tracker.name, glob) for glob in ignore_globs):
            result.ignored.append((tracker, "matches an `ignore` glob"))
        else:
            kept.append(tracker)
    resolve = Resolver()
    file_names = assign_file_names(kept, _holds_others(directory, file_trackers, resolve))
    ids_by_name: dict[str, list[str]] = {}
    for tracker in kept:
        ids_by_name.setdefault(tracker.name, []).append(tracker.id)
    result.unmatched_globs = [
        g for g in name_globs if not any(fnmatchcase(t.name, g) for t in kept)
    ]
    for tracker in kept:
        if name_globs and not any(fnmatchcase(tracker.name, g) for g in name_globs):
            continue
        name = file_names[tracker.id]
        path = safe_target(directory, name, resolve)
        action, detail = _decide(tracker, path, defined, file_trackers, overwrite)
        others = tuple(i for i in ids_by_name[tracker.name] if i != tracker.id)
        result.entries.append(ImportEntry(tracker, name, path, action, detail, (), others))
    found = checker([e.tracker for e in result.written])
    none = Findings()
    result.entries = [
        replace(e, problems=found.get(e.tracker.id, none).problems,
                fingerprint=found.get(e.tracker.id, none).fingerprint) if e.writes else e
        for e in result.entries
    ]
    return result


def _holds_others(
    directory: Path, file_trackers: Mapping[Path, Sequence[str]], resolve: Resolver,
) -> Callable[[RemoteTracker, str], bool]:
    """Return ``(tracker, file name) -> True`` when that file defines other trackers.

    Such a file is never overwritten; the tracker takes the next free name instead
    (``sales-a-2.yaml``), like any slug clash.
    """
    root = resolve(directory)

    def holds_others(tracker: RemoteTracker, file_name: str) -> bool:
        names = file_trackers.get(resolve(root / file_name), ())
        return any(name != tracker.name for name in names)

    return holds_others


def _decide(
    tracker: RemoteTracker,
    path: Path,
    defined: Mapping[str, Sequence[Path]],
    file_trackers: Mapping[Path, Sequence[str]],
    overwrite: bool,
) -> tuple[Action, str]:
    """Choose write / overwrite / skip for one tracker whose file would be ``path``."""
    homes = [Path(p) for p in defined.get(tracker.name, ())]
    if homes:
        if overwrite and homes == [path] and set(file_trackers.get(path, ())) == {tracker.name}:
            return "overwrite", ""
        where = ", ".join(sorted(str(p) for p in homes))
        return "skip-defined", f"already defined in {where}"
    if not path.exists():
        return "write", ""
    others = [n for n in file_trackers.get(path, ()) if n != tracker.name]
    if others:
        return "skip-shared", f"{path} defines other trackers ({', '.join(sorted(others))})"
    if overwrite:
        return "overwrite", ""
    return "skip-exists", f"{path} exists (use --overwrite to replace it)"


def write_import(result: ImportResult, render: Renderer) -> None:
    """Write every file ``result`` decided to write, each one whole or not at all.

    The files are written in batches (:func:`~trackersync.textfile.atomic_write_many`):
    each appears complete, in ``result`` order, or not at all.

    Args:
        result: the decisions from :func:`plan_import`.
        render: the text of an entry's file (header comment + YAML).

    Raises:
        ConfigError: the folder or a file cannot be written (the OS error is named).
    """
    if not result.written:
        return
    entries = result.written
    names = {entry.path: entry.tracker.name for entry in entries}
    try:
        result.directory.mkdir(parents=True, exist_ok=True)
        files = [(entry.path, render(entry)) for entry in entries]
        with closing(atomic_write_many(files)) as written:  # closed: no temporary file left
            for path in written:
                logger.info("wrote %s (%s)", path, names[path])
    except OSError as exc:
        raise ConfigError(f"cannot write into {result.directory}: {exc}") from exc


