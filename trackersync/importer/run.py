"""The import, end to end: read the account, look at the repository, decide, write.

Kept apart from :mod:`.importer` (pure decisions) so the decisions are tested without
a server. The rules the remote data is checked against are the definitions loader's
own (:func:`trackersync.definitions.load_definitions`): each tracker is rendered with
:func:`~trackersync.definitions.dump_tracker_yaml`, read back by the loader in a
scratch folder, and the problems it reports become the file's warnings. So "what the
rules refuse" is, by construction, what ``trackersync validate`` will say.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from trackersync.config import Config
from trackersync.importer.importer import ImportResult, plan_import, write_import
from trackersync.model import DesiredTracker, Problem, RemoteTracker, Tracker

logger = logging.getLogger(__name__)

#: Warnings recorded besides errors: the loader changes the phrase or name on the way.
RECORDED_WARNINGS = frozenset({"phrase-whitespace", "name-whitespace"})


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
        remote: every tracker of the account (symbl-api.md §2.5).
        options: the command's options.

    Returns:
        The decisions, for the report.

    Raises:
        ConfigError: a file cannot be written.
    """
    directory = options.directory or root / config.trackers_dir
    defined = _defined_trackers(root, config, options.env, directory)
    by_name: dict[str, list[Path]] = {}
    by_file: dict[Path, list[str]] = {}
    for tracker in defined:
        path = _source_path(root, tracker)
        if path is not None:
            by_name.setdefault(tracker.name, []).append(path)
            by_file.setdefault(path, []).append(tracker.name)
    with tempfile.TemporaryDirectory(prefix="trackersync-import-") as scratch:
        checker = RuleChecker(Path(scratch), config)
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
    write_import(result, dump)
    return result


def dump(tracker: Tracker, comments: Sequence[str]) -> str:
    """Render one tracker file (the definitions writer: ruamel.yaml, stable, quoted)."""
    from trackersync.definitions import dump_tracker_yaml

    return dump_tracker_yaml(tracker, comments=comments)


class RuleChecker:
    """The project's rules, applied to one remote tracker through the real loader."""

    def __init__(self, scratch: Path, config: Config) -> None:
        self.scratch = scratch
        self.config = config

    def __call__(self, tracker: Tracker) -> list[str]:
        """Return the problems the loader reports for ``tracker`` rendered as a file.

        Errors, plus the warnings in :data:`RECORDED_WARNINGS`, as
        ``"<message> [<code>]"``.
        """
        from trackersync.definitions import load_definitions

        folder = self.scratch / "trackers"
        folder.mkdir(exist_ok=True)
        path = folder / "tracker.yaml"
        path.write_text(dump(tracker, ()), encoding="utf-8")
        loaded = load_definitions(self.scratch, self.config, None, [path])
        return [_describe(p) for p in loaded.problems if _recorded(p)]


def _recorded(problem: Problem) -> bool:
    return problem.severity == "error" or problem.code in RECORDED_WARNINGS


def _describe(problem: Problem) -> str:
    return f"{problem.message} [{problem.code}]"


def _defined_trackers(
    root: Path, config: Config, env: str | None, directory: Path
) -> list[DesiredTracker]:
    """Every tracker the repository defines (broken files define nothing; not fatal)."""
    from trackersync.definitions import load_definitions

    folders = [root / config.trackers_dir]
    if directory.resolve() != folders[0].resolve():
        folders.append(directory)
    found: list[DesiredTracker] = []
    for folder in folders:
        if not folder.is_dir() or not any(folder.iterdir()):
            continue
        loaded = load_definitions(root, config, env, [folder])
        errors = [p for p in loaded.problems if p.severity == "error"]
        if errors:
            logger.warning("%d problem(s) in existing definitions under %s", len(errors), folder)
        found.extend(loaded.trackers)
    return found


def _source_path(root: Path, tracker: DesiredTracker) -> Path | None:
    if tracker.source is None:
        return None
    return (root / tracker.source.file).resolve()
