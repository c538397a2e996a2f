"""``load_definitions``: find, render, read and check every tracker file of a project.

Steps, in order:

1. find the files: ``config.trackers_dir`` (relative to the root) or the given paths;
   ``*.yaml``, ``*.yml`` and ``*.yaml.j2`` templates (hidden files skipped);
2. per file: decode (UTF-8, BOM, CRLF), render templates (:mod:`.templates`), compose
   the YAML with positions (:mod:`.yamlnodes`), refuse unquoted non-strings, and
   validate each tracker's shape (:mod:`.schema`, strict, unknown keys refused);
3. normalise phrases and run every rule (:mod:`.rules`, :mod:`.checks`);
4. sort the problems by file, line and column.

Nothing here raises for a bad *file*: every fault becomes a :class:`Problem`, so one
run reports all of them. Only a wrong environment name raises (ConfigError).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackersync.config import Config
from trackersync.definitions.checks import Entry, check_set, check_tracker
from trackersync.definitions.files import label_for, parse_text, parse_trackers
from trackersync.definitions.rules import PROFILES, Reporter
from trackersync.errors import ConfigError, DefinitionError
from trackersync.model import DesiredTracker, Problem

log = logging.getLogger(__name__)

SUFFIXES = (".yaml", ".yml", ".yaml.j2", ".yml.j2")


@dataclass
class DefinitionSet:
    """Every tracker the project defines, and every problem found on the way.

    Attributes:
        trackers: trackers whose shape is valid, phrases normalised, in file order.
            Value-rule errors do not remove a tracker: check :attr:`has_errors`.
        problems: errors and warnings sorted by file, line, column; problems about the
            whole set (e.g. the account limit) come last.
        files: every file read, in the order read.
    """

    trackers: list[DesiredTracker] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems of severity ``warning``."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        """True when any problem is an error (plan and apply must refuse)."""
        return any(p.severity == "error" for p in self.problems)

    def raise_for_errors(self) -> None:
        """Raise :class:`DefinitionError` carrying every problem, if any is an error."""
        if self.has_errors:
            raise DefinitionError(self.problems)

    def summary(self) -> str:
        """One line: ``12 trackers in 12 files: 0 errors, 5 warnings.``"""
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (f"{n(len(self.trackers), 'tracker')} in {n(len(self.files), 'file')}: "
                f"{n(len(self.errors), 'error')}, {n(len(self.warnings), 'warning')}.")


def template_vars(config: Config, env: str | None) -> dict[str, Any]:
    """Return config ``vars`` overlaid by ``environments[env].vars``.

    Raises:
        ConfigError: ``env`` is not one of the configured environments.
    """
    variables = dict(config.vars)
    if env is None:
        return variables
    if env not in config.environments:
        import difflib

        known = sorted(config.environments)
        close = difflib.get_close_matches(env, known, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        listing = ", ".join(known) if known else "none configured"
        raise ConfigError(f'unknown environment "{env}"{hint} (known: {listing})')
    variables.update(config.environments[env].vars)
    return variables


def load_definitions(
    root: Path,
    config: Config,
    env: str | None = None,
    paths: Sequence[Path] | None = None,
) -> DefinitionSet:
    """Load and check every tracker definition of a project.

    Args:
        root: the project root; file labels in problems are relative to it.
        config: the loaded configuration (``trackers_dir``, ``rules``, ``vars``...).
        env: environment whose ``vars`` overlay the config's, for templates.
        paths: files or directories to load instead of ``config.trackers_dir``
            (relative paths are taken from the current directory).

    Returns:
        A :class:`DefinitionSet`; finding no file at all is an error problem
        ("no tracker definitions found in <dir>": a renamed folder must never look like
        "delete every tracker").

    Raises:
        ConfigError: ``env`` names no configured environment.
    """
    variables = template_vars(config, env)
    rep = Reporter(overrides=dict(getattr(config, "severity", {}) or {}))
    root = Path(os.path.abspath(root))
    files = _discover(root, config, paths, rep)
    entries: list[Entry] = []
    renderer: list[Any] = []
    for path in files:
        entries.extend(parse_trackers(path, label_for(path, root), variables, renderer, rep))
    profile = PROFILES[config.rules_for(env)]
    for entry in entries:
        check_tracker(entry, profile, rep)
    check_set(entries, config.account_limit, rep)
    problems = sorted(rep.problems, key=_order)
    log.debug("loaded %s trackers from %s files", len(entries), len(files))
    return DefinitionSet(trackers=[e.tracker for e in entries], problems=problems, files=files)


def check_documents(documents: Mapping[str, str], config: Config) -> DefinitionSet:
    """Check tracker-file texts that are not (yet) files, exactly as files are checked.

    The same reading and the same rules as :func:`load_definitions`, minus discovery and
    templates: the importer checks the YAML it is about to write with this call, so
    what it reports is, by construction, what ``trackersync validate`` will say.

    Args:
        documents: label (a path relative to the project root, for problems) -> text.
        config: the loaded configuration (``rules``, ``severity``, ``account_limit``).

    Returns:
        A :class:`DefinitionSet` whose ``files`` is empty.
    """
    rep = Reporter(overrides=dict(getattr(config, "severity", {}) or {}))
    entries: list[Entry] = []
    for label, text in documents.items():
        entries.extend(parse_text(text, label, rep))
    profile = PROFILES[config.rules]
    for entry in entries:
        check_tracker(entry, profile, rep)
    check_set(entries, config.account_limit, rep)
    return DefinitionSet(trackers=[e.tracker for e in entries],
                         problems=sorted(rep.problems, key=_order), files=[])


def _order(problem: Problem) -> tuple[Any, ...]:
    src = problem.source
    if src is None:
        return (1, "", 0, 0)
    return (0, src.file, src.line, src.column)


def _discover(
    root: Path, config: Config, paths: Sequence[Path] | None, rep: Reporter
) -> list[Path]:
    found: list[Path] = []
    if paths is None:
        base = root / config.trackers_dir
        where = label_for(base, root).rstrip("/") + "/"
        if not base.is_dir():
            rep.add("no-definitions", f"no tracker definitions found in {where} (no such "
                    "directory; set trackers_dir in trackersync.yaml)")
            return found
        found = _walk(base)
    else:
        for given in paths:
            path = Path(os.path.abspath(given))
            if path.is_dir():
                found.extend(_walk(path))
            elif path.is_file():
                found.append(path)
            else:
                rep.add("no-definitions", f"{given}: no such file or directory")
        where = ", ".join(str(p) for p in paths)
    if not found and not rep.problems:
        rep.add("no-definitions", f"no tracker definitions found in {where} "
                f"(looked for {', '.join('*' + s for s in SUFFIXES)})")
    return list(dict.fromkeys(found))


def tracker_files(base: Path) -> list[Path]:
    """Every tracker file under ``base`` (templates included), as ``validate`` finds them.

    Sorted, recursive, hidden files and folders skipped; suffixes :data:`SUFFIXES`.
    """
    return _walk(base)


def _walk(base: Path) -> list[Path]:
    result = []
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.endswith(SUFFIXES):
                result.append(Path(dirpath) / name)
    return result
