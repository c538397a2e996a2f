"""The import, end to end: read the account, look at the repository, decide, write.

Kept apart from :mod:`.importer` (pure decisions) so the decisions are tested without
a server. The rules the remote data is checked against are the definitions loader's
own: each tracker is rendered with :func:`~trackersync.definitions.dump_tracker_yaml`
and checked by :func:`trackersync.definitions.loader.check_documents` (the reading and
rules of every tracker file, on text in memory), and the problems it reports become the
file's warnings. So "what the rules refuse" is, by construction, what ``trackersync
validate`` will say. Where the writer's layout is fixed (a name and phrases, one per
line), the writer hands over the document that reading its text composes
(:func:`~trackersync.definitions.writer.written_document`; a test holds both readings
equal) instead of the text, so import does not parse its own output.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trackersync.config import Config
from trackersync.definitions.accepted import ACCEPTABLE_CODES, content_fingerprint
from trackersync.errors import ConfigError
from trackersync.importer.importer import (
    Findings,
    ImportEntry,
    ImportResult,
    plan_import,
    write_import,
)
from trackersync.importer.slug import Resolver
from trackersync.model import DesiredTracker, Problem, RemoteTracker, Tracker

if TYPE_CHECKING:
    from trackersync.definitions.yamlnodes import Document

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
        write_config: the project has no ``trackersync.yaml``: choose the rules from the
            data and write one.
    """

    directory: Path | None = None
    overwrite: bool = False
    name_globs: Sequence[str] = ()
    env: str | None = None
    write_config: bool = False


def import_account(
    root: Path, config: Config, remote: Sequence[RemoteTracker], options: ImportOptions
) -> ImportResult:
    """Import ``remote`` (one list GET's answer) into tracker files under ``root``.

    1. Find the trackers the repository already defines (``trackers_dir`` and the
       target folder), by exact name, and which file holds which.
    2. Decide every file (:func:`~trackersync.importer.importer.plan_import`), checking
       each tracker against the project's rules profile.
    3. Write the files (:func:`~trackersync.importer.importer.write_import`), each
       starting with the editor schema modeline; the schemas under ``schema/`` and
       (``options.write_config``) a ``trackersync.yaml`` whose rules fit the data.

    Args:
        root: the project root (the folder of ``trackersync.yaml``).
        config: the loaded project config (``rules``, ``ignore``, ``trackers_dir``).
        remote: every tracker of the account (one list GET returns them all).
        options: the command's options.

    Returns:
        The decisions, for the report.

    Raises:
        ConfigError: a file cannot be written.
    """
    from trackersync.definitions.modeline import modeline_for

    directory = options.directory or root / config.trackers_dir
    defined, unreadable = _defined_trackers(root, config, options.env, directory)
    by_name: dict[str, list[Path]] = {}
    by_file: dict[Path, list[str]] = {}
    for name, path in defined:
        by_name.setdefault(name, []).append(path)
        by_file.setdefault(path, []).append(name)
    checker = RuleChecker(config, choose_rules=options.write_config, env=options.env)
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
    outside = _outside_trackers_dir(root, config, directory, options)
    if outside and result.written:
        result.notes.append(outside)
    rules = result.rules = checker.config.rules
    write_import(
        result, lambda entry: checker.render(entry, rules, modeline_for(entry.path, root))
    )
    _write_project_files(root, directory, result, checker, options)
    return result


def _outside_trackers_dir(
    root: Path, config: Config, directory: Path, options: ImportOptions
) -> str | None:
    """Say so when ``--dir`` is outside ``trackers_dir``: plan would never read the files.

    Not said when import writes ``trackersync.yaml`` itself for a ``directory`` inside
    the project: it then sets ``trackers_dir`` to cover it (:func:`config_text`).
    """
    import os

    if options.write_config and directory.resolve().is_relative_to(root.resolve()):
        return None
    folder = (root / config.trackers_dir).resolve()
    if directory.resolve().is_relative_to(folder):
        return None
    where = Path(os.path.relpath(directory, root)).as_posix()
    dir_name = Path(os.path.relpath(folder, root)).as_posix()
    return (f"{where}/ is outside trackers_dir ({dir_name}/): plan, apply and validate do "
            f"not read the files written there, so their trackers stay unmanaged; move "
            f"them under {dir_name}/ or change trackers_dir in trackersync.yaml")


def _write_project_files(
    root: Path, directory: Path, result: ImportResult, checker: RuleChecker,
    options: ImportOptions,
) -> None:
    """Write the editor schemas where missing, and ``trackersync.yaml`` when asked."""
    from trackersync.definitions.modeline import write_schemas

    try:
        result.schemas_written = write_schemas(root, only_missing=True)
        if options.write_config:
            path = root / "trackersync.yaml"
            path.write_text(config_text(root, directory, result.rules, checker.reason),
                            encoding="utf-8", newline="\n")
            result.config_written = path
    except OSError as exc:
        raise ConfigError(f"cannot write into {root}: {exc}") from exc


def config_text(root: Path, directory: Path, rules: str, reason: str) -> str:
    """The ``trackersync.yaml`` import writes: the rules chosen, and why, in a comment.

    ``trackers_dir`` is written only when ``--dir`` put the files elsewhere inside
    the project: a folder under ``trackers/`` (say ``trackers/sales``) needs none,
    since ``trackers/`` is searched recursively and a later import of other trackers
    into ``trackers/`` must stay visible to plan.
    """
    import json
    import os
    import textwrap

    from trackersync.definitions.modeline import CONFIG_SCHEMA_FILE

    why = textwrap.wrap(f"rules: {rules}, {reason or 'the default'}.", 86)
    lines = [
        f"# yaml-language-server: $schema={CONFIG_SCHEMA_FILE.as_posix()}",
        "# trackersync configuration, written by `trackersync import`. Every key is",
        "# optional; the README's Configuration section lists them all.",
        *(f"# {line}" for line in why),
        "# Trackers the rules still refuse are marked accepted_as_imported in their files:",
        "# kept as stored until someone edits them.",
        f"rules: {rules}",
    ]
    relative = Path(os.path.relpath(directory, root))
    inside_default = relative.parts[:1] == ("trackers",)
    if not inside_default and not relative.as_posix().startswith(".."):
        lines.append(f"trackers_dir: {json.dumps(relative.as_posix(), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def dump(tracker: Tracker, comments: Sequence[str], accepted: str | None = None) -> str:
    """Render one tracker as YAML (:func:`~trackersync.definitions.dump_tracker_yaml`)."""
    from trackersync.definitions import dump_tracker_yaml

    return dump_tracker_yaml(tracker, comments=comments, accepted=accepted)


def as_written(tracker: RemoteTracker) -> RemoteTracker:
    """The tracker as its file holds it: phrases whitespace-normalised, repeats dropped.

    The loader reads phrases this way and the plan compares them this way, so writing
    them so keeps ``trackersync fmt`` and the whitespace rule quiet; the stored
    variants are recorded in the file's header and accepted (``accepted_as_imported``).
    """
    phrases = dict.fromkeys(" ".join(p.split()) for p in tracker.vocabulary)
    return tracker.model_copy(update={"vocabulary": tuple(phrases)})


class RuleChecker:
    """The project's rules, applied to remote trackers through the real loader.

    Called once per import: every tracker is rendered as stored (or its written
    document built) and all are checked in one
    :func:`~trackersync.definitions.loader.check_documents` call per profile, in memory.
    Problems between files (a name defined twice, a phrase shared) are left out:
    import reports repeated names itself. A tracker with a problem the loader can
    accept for an unchanged tracker (:data:`~trackersync.definitions.accepted.ACCEPTABLE_CODES`)
    gets an ``accepted_as_imported`` fingerprint.

    The rules are those of ``env`` (an environment may set its own). With
    ``choose_rules`` (no ``trackersync.yaml`` yet) the trackers are checked under both
    profiles, and the one that refuses fewer of them becomes ``config.rules``
    (``strict`` on a tie); :attr:`reason` says why, for the written config.
    """

    def __init__(
        self, config: Config, *, choose_rules: bool = False, env: str | None = None,
    ) -> None:
        self.config = config.model_copy(update={"rules": config.rules_for(env)})
        self.choose_rules = choose_rules
        self.reason = ""

    def __call__(self, trackers: Sequence[RemoteTracker]) -> dict[str, Findings]:
        """Return ``{tracker id: findings}``: errors, plus the warnings in
        :data:`RECORDED_WARNINGS`, as ``"<message> [<code>]"``, in file order.
        """
        from trackersync.definitions.loader import check_documents
        from trackersync.definitions.writer import written_document

        if not trackers:
            return {}
        ids: dict[str, str] = {}
        documents: dict[str, str | Document] = {}
        for index, tracker in enumerate(trackers):
            label = f"trackers/{index:05d}.yaml"
            # what reading the text gives, built directly where the writer's layout is
            # fixed (a name and phrases); else the text itself, read as a file would be
            documents[label] = written_document(tracker) or dump(tracker, ())
            ids[label] = tracker.id
        profiles = ("strict", "lenient") if self.choose_rules else (self.config.rules,)
        found: dict[str, dict[str, list[Problem]]] = {}
        loaded_as: dict[str, dict[str, Tracker]] = {}
        for rules in profiles:
            if rules == "lenient" and self.choose_rules and not _refused(found["strict"]):
                break  # strict refuses none: lenient cannot refuse fewer, strict is chosen
            config = self.config.model_copy(update={"rules": rules, "environments": {}})
            loaded = check_documents(documents, config)
            found[rules] = _findings(loaded.problems, ids)
            loaded_as[rules] = {
                ids[read.source.file]: read
                for read in loaded.trackers if read.source is not None
            }
        if self.choose_rules:
            self._choose(found, len(trackers))
        read_as = loaded_as[self.config.rules]
        # The fingerprint is taken from the tracker as the loader reads it (the loader's
        # own normalisation included), so the written file matches it when loaded. A
        # tracker the loader could not read at all (no phrase, an empty name) cannot be
        # accepted: the rule that refuses it runs before acceptance is looked at, so it
        # is imported as stored and plan reports it until it is fixed in Symbl.
        return {
            tracker_id: Findings(
                tuple(_describe(p) for p in problems),
                content_fingerprint(read_as[tracker_id])
                if tracker_id in read_as and any(p.code in ACCEPTABLE_CODES for p in problems)
                else None,
            )
            for tracker_id, problems in found[self.config.rules].items()
        }

    def _choose(self, found: dict[str, dict[str, list[Problem]]], total: int) -> None:
        """Set the profile that refuses fewer trackers (``strict`` on a tie), and why.

        ``found`` has no ``lenient`` entry when ``strict`` refuses none (nothing to beat).
        """
        strict = _refused(found["strict"])
        lenient = _refused(found["lenient"]) if "lenient" in found else 0
        rules = "lenient" if lenient < strict else "strict"
        self.config = self.config.model_copy(update={"rules": rules})
        if rules == "strict":
            self.reason = ("chosen by `trackersync import`: every imported tracker passes "
                           "Symbl's 2022 (strict) rules" if not strict else
                           f"chosen by `trackersync import`: {strict} of {total} trackers "
                           "break Symbl's 2022 (strict) rules, no fewer under lenient")
        else:
            self.reason = (f"chosen by `trackersync import`: {strict} of {total} trackers "
                           "hold phrases Symbl's 2022 (strict) rules refuse (such as , ? !) "
                           f"that its later, lenient rules allow ({lenient} refused under "
                           "lenient); use strict if your account enforces the 2022 rules")

    def render(self, entry: ImportEntry, rules: str, modeline: str = "") -> str:
        """The file's text: modeline, the entry's header as ``# `` comments, then the YAML.

        Header lines are split wherever Python sees a line break (also NEL, U+2028),
        so no part of a message can escape its comment.
        """
        body = dump(as_written(entry.tracker), (), entry.fingerprint)
        lines = [part for line in entry.header(rules) for part in line.splitlines()]
        header = "".join(f"# {line}".rstrip() + "\n" for line in lines)
        return modeline + header + body


def _refused(found: dict[str, list[Problem]]) -> int:
    """How many trackers of one check have an error (the profile refuses them)."""
    return sum(any(p.severity == "error" for p in problems) for problems in found.values())


def _findings(problems: Sequence[Problem], ids: dict[str, str]) -> dict[str, list[Problem]]:
    """Group the recorded problems of one check by tracker id, in file order."""
    found: dict[str, list[Problem]] = {tracker_id: [] for tracker_id in ids.values()}
    for problem in problems:
        if problem.source is None or not _recorded(problem):
            continue
        tracker_id = ids.get(problem.source.file)
        if tracker_id is not None:
            found[tracker_id].append(problem)
    return found


def _recorded(problem: Problem) -> bool:
    if problem.code in CROSS_FILE_CODES:
        return False
    return problem.severity == "error" or problem.code in RECORDED_WARNINGS


def _describe(problem: Problem) -> str:
    return f"{problem.message} [{problem.code}]"


def _defined_trackers(
    root: Path, config: Config, env: str | None, directory: Path
) -> tuple[list[tuple[str, Path]], list[Path]]:
    """Every tracker the repository defines (its name and resolved file), and the files
    that define none (unreadable).

    Files with errors are not fatal here: import must work in a repository whose
    files break the rules (that is what it writes when the account does). Only the
    names matter, so the files are read without the value rules
    (:func:`~trackersync.definitions.loader.read_definitions`): which trackers a file
    defines is decided by reading alone.
    """
    from trackersync.definitions.loader import read_definitions
    resolve = Resolver()
    folders = [root / config.trackers_dir]
    if resolve(directory) != resolve(folders[0]):
        folders.append(directory)
    found: list[tuple[str, Path]] = []
    unreadable: list[Path] = []
    for folder in folders:
        if not folder.is_dir() or not any(folder.iterdir()):
            continue
        loaded = read_definitions(root, config, env, [folder])
        sources = set()
        for tracker in loaded.trackers:
            path = _source_path(root, tracker, resolve)
            if path is not None:
                found.append((tracker.name, path))
                sources.add(path)
        unreadable.extend(p for p in map(resolve, loaded.files) if p not in sources)
    return found, sorted(set(unreadable))


def _source_path(root: Path, tracker: DesiredTracker, resolve: Resolver) -> Path | None:
    if tracker.source is None:
        return None
    return resolve(root / tracker.source.file)
