"""The import, end to end: read the account, look at the repository, decide, write.

Kept apart from :mod:`.importer` (pure decisions) so the decisions are tested without
a server. The rules the remote data is checked against are the definitions loader's
own: each tracker is rendered with :func:`~trackersync.definitions.dump_tracker_yaml`
and checked by :func:`trackersync.definitions.loader.check_documents` (the reading and
rules of every tracker file, on text in memory), and the problems it reports become the
file's warnings. So "what the rules refuse" is, by construction, what ``trackersync
validate`` will say.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trackersync.config import Config
from trackersync.importer.importer import ImportEntry, ImportResult, plan_import, write_import
from trackersync.model import DesiredTracker, Problem, RemoteTracker, Tracker

logger = logging.getLogger(__name__)

#: Warnings recorded besides errors: the loader changes the phrase or name on the way.
RECORDED_WARNINGS = frozenset({"phrase-whitespace", "name-whitespace"})
#: Rules about the whole set of files, not one tracker (see definitions.rules).
CROSS_FILE_CODES = frozenset(
    {"name-duplicate", "name-case-variant", "renamed-from", "phrase-shared", "account-limit"}
)


@dataclass(frozen=True)
class ImportOptions:
    """What ``trackersync import`` was asked for.

    Attributes:
        directory: where files go (``--dir``), or ``None`` for ``config.trackers_dir``.
        overwrite: ``--overwrite``: replace existing files.
        name_globs: ``--name GLOB`` (repeatable); empty = every tracker.
        env: ``--env NAME`` (the account, and the template vars of existing files).
    """

    directory: Path | None = None
    overwrite: bool = False
    name_globs: Sequence[str] = ()
    env: str | None = None


def import_account(
    root: Path, config: Config, remote: Sequence[RemoteTracker], options: ImportOptions
) -> ImportResult:
    """Import ``remote`` (one list GET's answer) into tracker files under ``root``.

    1. Find the trackers the repository already defines (``trackers_dir`` and the
       target folder), by exact name, and which file holds which.
    2. Decide every file (:func:`~trackersync.importer.importer.plan_import`), checking
       each tracker against the project's rules profile.
    3. Write the files (:func:`~trackersync.importer.importer.write_import`).

    Args:
        root: the project root (the folder of ``trackersync.yaml``).
        config: the loaded project config (``rules``, ``ignore``, ``trackers_dir``).
        remote: every tracker of the account (docs/api-contract.md).
        options: the command's options.

    Returns:
        The decisions, for the report.

    Raises:
        ConfigError: a file cannot be written.
    """
    directory = options.directory or root / config.trackers_dir
    defined, unreadable = _defined_trackers(root, config, options.env, directory)
    by_name: dict[str, list[Path]] = {}
    by_file: dict[Path, list[str]] = {}
    for tracker in defined:
        path = _source_path(root, tracker)
        if path is not None:
            by_name.setdefault(tracker.name, []).append(path)
            by_file.setdefault(path, []).append(tracker.name)
    checker = RuleChecker(config)
    result = plan_import(
        remote,
        directory=directory,
        defined=by_name,
        file_trackers=by_file,
        checker=checker,
        rules=config.rules,
        overwrite=options.overwrite,
        name_globs=options.name_globs,
        ignore_globs=config.ignore,
    )
    result.notes.extend(
        f"{path} could not be read (run `trackersync validate`); a tracker it defines may "
        "be imported again under another file name"
        for path in unreadable
    )
    write_import(result, lambda entry: checker.render(entry, config.rules))
    return result


def dump(tracker: Tracker, comments: Sequence[str]) -> str:
    """Render one tracker as YAML (the definitions writer: ruamel.yaml, stable, quoted)."""
    from trackersync.definitions import dump_tracker_yaml

    return dump_tracker_yaml(tracker, comments=comments)


class RuleChecker:
    """The project's rules, applied to remote trackers through the real loader.

    Called once per import: every tracker is rendered and all are checked in one
    :func:`~trackersync.definitions.loader.check_documents` call, in memory.
    Problems between files (a name defined twice, a phrase shared) are left out:
    import reports repeated names itself. The rendered YAML is kept for writing, so
    each tracker is rendered once (ruamel's emitter is the slow part: ~2 ms a tracker).
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.bodies: dict[str, str] = {}

    def __call__(self, trackers: Sequence[RemoteTracker]) -> dict[str, list[str]]:
        """Return ``{tracker id: problems}``: errors, plus the warnings in
        :data:`RECORDED_WARNINGS`, as ``"<message> [<code>]"``, in file order.
        """
        from trackersync.definitions.loader import check_documents

        found: dict[str, list[str]] = {tracker.id: [] for tracker in trackers}
        if not trackers:
            return found
        ids: dict[str, str] = {}
        documents: dict[str, str] = {}
        for index, tracker in enumerate(trackers):
            label = f"import/{index:05d}.yaml"
            self.bodies[tracker.id] = dump(tracker, ())
            documents[label] = self.bodies[tracker.id]
            ids[label] = tracker.id
        checked = check_documents(documents, self.config)
        for problem in checked.problems:
            if problem.source is None or not _recorded(problem):
                continue
            tracker_id = ids.get(problem.source.file)
            if tracker_id is not None:
                found[tracker_id].append(_describe(problem))
        return found

    def render(self, entry: ImportEntry, rules: str) -> str:
        """The file's text: the entry's header as ``# `` comments, then the YAML.

        Header lines are split wherever Python sees a line break (also NEL, U+2028),
        so no part of a message can escape its comment.
        """
        body = self.bodies.get(entry.tracker.id) or dump(entry.tracker, ())
        lines = [part for line in entry.header(rules) for part in line.splitlines()]
        header = "".join(f"# {line}".rstrip() + "\n" for line in lines)
        return header + body


def _recorded(problem: Problem) -> bool:
    if problem.code in CROSS_FILE_CODES:
        return False
    return problem.severity == "error" or problem.code in RECORDED_WARNINGS


def _describe(problem: Problem) -> str:
    return f"{problem.message} [{problem.code}]"


def _defined_trackers(
    root: Path, config: Config, env: str | None, directory: Path
) -> tuple[list[DesiredTracker], list[Path]]:
    """Every tracker the repository defines, and the files that define none (unreadable).

    Files with errors are not fatal here: import must work in a repository whose
    files break the rules (that is what it writes when the account does).
    """
    from trackersync.definitions import load_definitions

    folders = [root / config.trackers_dir]
    if directory.resolve() != folders[0].resolve():
        folders.append(directory)
    found: list[DesiredTracker] = []
    unreadable: list[Path] = []
    for folder in folders:
        if not folder.is_dir() or not any(folder.iterdir()):
            continue
        loaded = load_definitions(root, config, env, [folder])
        found.extend(loaded.trackers)
        sources = {_source_path(root, t) for t in loaded.trackers}
        unreadable.extend(p.resolve() for p in loaded.files if p.resolve() not in sources)
    return found, sorted(set(unreadable))


def _source_path(root: Path, tracker: DesiredTracker) -> Path | None:
    if tracker.source is None:
        return None
    return (root / tracker.source.file).resolve()
