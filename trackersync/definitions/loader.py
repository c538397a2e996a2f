"""``load_definitions``: find, render, read and check every tracker file of a project.

Steps, in order:

1. find the files: ``config.trackers_dir`` (relative to the root) or the given paths;
   ``*.yaml``, ``*.yml`` and ``*.yaml.j2`` templates in any letter case (hidden files
   skipped; every other file named in a warning; FIFOs, devices, sockets and symbolic
   links leaving the project refused, never opened);
2. per file: decode (UTF-8, BOM, CRLF), render templates (:mod:`.templates`), compose
   the YAML with positions (:mod:`.yamlnodes`), refuse unquoted non-strings, and
   validate each tracker's shape (:mod:`.schema`, strict, unknown keys refused);
3. normalise phrases and run every rule (:mod:`.rules`, :mod:`.checks`);
4. sort the problems by file, line and column.

Nothing here raises for a bad *file*: every fault becomes a :class:`Problem`, so one
run reports all of them. Only a wrong environment name raises (ConfigError).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trackersync.config import Config
from trackersync.definitions.checks import Entry, check_set, check_tracker
from trackersync.definitions.files import (
    TEMPLATE_SUFFIX,
    parse_text,
    parse_trackers,
    read_document,
)
from trackersync.definitions.labels import label_for
from trackersync.definitions.rules import PROFILES, Reporter
from trackersync.errors import ConfigError, DefinitionError
from trackersync.model import DesiredTracker, Problem, SourceRef

if TYPE_CHECKING:  # templates are rare: their modules load when one is found
    from trackersync.definitions.template_lines import LineMap
    from trackersync.definitions.yamlnodes import Document

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
        skipped: files under the trackers folder that were not read (not a tracker
            file name, and not documentation); prune refuses while there are any, since
            their trackers would look removed.
    """

    trackers: list[DesiredTracker] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

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
    with _without_cyclic_gc():
        return _load(root, config, env, paths)


def read_definitions(
    root: Path,
    config: Config,
    env: str | None = None,
    paths: Sequence[Path] | None = None,
) -> DefinitionSet:
    """Read every tracker file as :func:`load_definitions` does, without the value rules.

    The same files, and the same trackers (a file whose YAML or shape is broken defines
    none, a tracker with a value-rule error is still one), for a caller that needs only
    which trackers are defined and where (``trackersync import``). ``problems`` holds
    the reading faults only (syntax, shape, templates); the rules of :mod:`.checks`
    (phrases, names, the set of files) are not run, so it says nothing of them.

    Raises:
        ConfigError: ``env`` names no configured environment.
    """
    with _without_cyclic_gc():
        return _load(root, config, env, paths, check=False)


@contextlib.contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading; it runs again afterwards.

    Loading builds tens of thousands of small objects and frees none of them in a
    cycle: the collector would rescan them over and over (a third of the loading time
    on a full account) for nothing.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _load(root: Path, config: Config, env: str | None,
          paths: Sequence[Path] | None, *, check: bool = True) -> DefinitionSet:
    variables = template_vars(config, env)
    rep = Reporter(overrides=dict(getattr(config, "severity", {}) or {}))
    root = Path(os.path.abspath(root))
    skipped: list[str] = []
    files = _discover(root, config, paths, rep, skipped)
    entries: list[Entry] = []
    renderer: list[Any] = []
    maps: dict[str, LineMap] = {}
    _prepare_templates(files, variables, renderer)
    for path in files:
        entries.extend(parse_trackers(path, label_for(path, root), variables, renderer, rep,
                                      maps))
    if check:
        profile = PROFILES[config.rules_for(env)]
        for entry in entries:
            check_tracker(entry, profile, rep)
        check_set(entries, config.account_limit, rep)
    problems = rep.problems
    if maps:  # positions in a template's output -> the template's own lines
        problems = [_relocated(p, maps) for p in problems]
        for entry in entries:
            line_map = maps.get(entry.file)
            if line_map is not None:
                entry.tracker = entry.tracker.model_copy(
                    update={"source": line_map.source(entry.tracker.source)})
    problems = sorted(problems, key=_order)
    log.debug("loaded %s trackers from %s files", len(entries), len(files))
    return DefinitionSet(trackers=[e.tracker for e in entries], problems=problems, files=files,
                         skipped=skipped)


def load_for_every_environment(
    root: Path, config: Config, paths: Sequence[Path] | None = None
) -> DefinitionSet:
    """Load as :func:`load_definitions` does without ``--env``, then once per environment.

    Templates may render differently per environment (``environments.<env>.vars``), so
    a break that only one environment's variables cause must still fail ``validate``
    in a pull request. Problems that only an environment's run finds are added, their
    message starting with ``environment "NAME": ``. Without templates or environments
    this is one plain load.

    Raises:
        ConfigError: as :func:`load_definitions`.
    """
    base = load_definitions(root, config, None, paths)
    if not config.environments or not any(
        f.name.lower().endswith(TEMPLATE_SUFFIX) for f in base.files
    ):
        return base
    seen = {_key(p) for p in base.problems}
    extra: list[Problem] = []
    for env in sorted(config.environments):
        for problem in load_definitions(root, config, env, paths).problems:
            if _key(problem) in seen:
                continue
            seen.add(_key(problem))
            extra.append(problem.model_copy(
                update={"message": f'environment "{env}": {problem.message}'}))
    base.problems = sorted([*base.problems, *extra], key=_order)
    return base


def _key(problem: Problem) -> tuple[Any, ...]:
    return (problem.code, str(problem.source), problem.message)


def render_templates(
    root: Path, config: Config, env: str | None = None, paths: Sequence[Path] | None = None
) -> list[tuple[str, str | None, list[Problem]]]:
    """Render every template among the tracker files, for ``trackersync render``.

    Args:
        root: the project root.
        config: the loaded configuration.
        env: the environment whose ``vars`` overlay the config's (``None``: default).
        paths: files or folders instead of ``trackers_dir``.

    Returns:
        ``(label, rendered text or None, problems)`` per template, in file order; the
        text is ``None`` when rendering failed (the problems say why). Discovery
        problems (no files, refused files) come as one entry with label ``""``.

    Raises:
        ConfigError: ``env`` names no configured environment.
    """
    from trackersync.definitions.templates import TemplateProblem, TemplateRenderer
    from trackersync.definitions.yamlnodes import YamlProblem, read_text

    variables = template_vars(config, env)
    rep = Reporter(overrides=dict(getattr(config, "severity", {}) or {}))
    root = Path(os.path.abspath(root))
    files = _discover(root, config, paths, rep, [])
    result: list[tuple[str, str | None, list[Problem]]] = []
    errors = [p for p in rep.problems if p.severity == "error"]
    if errors:
        result.append(("", None, errors))
    renderer = TemplateRenderer(variables)
    texts: dict[Path, str | YamlProblem] = {}
    for path in files:
        if path.name.lower().endswith(TEMPLATE_SUFFIX):
            try:
                texts[path] = read_text(path)
            except YamlProblem as exc:
                texts[path] = exc
    renderer.prepare([(p, t) for p, t in texts.items() if isinstance(t, str)])
    for path, text in texts.items():
        label = label_for(path, root)
        try:
            if isinstance(text, YamlProblem):
                raise text
            result.append((label, renderer.render(path, text), []))
        except (TemplateProblem, YamlProblem) as exc:
            problem = Problem(severity="error", code="template", message=exc.message,
                              source=SourceRef(file=label, line=exc.line,
                                               column=getattr(exc, "column", 1)))
            result.append((label, None, [problem]))
    return result


def _prepare_templates(files: Sequence[Path], variables: dict[str, Any],
                       renderer: list[Any]) -> None:
    """Render every template among ``files`` in one batch (one child process, not one
    per template); :func:`parse_trackers` then takes each result from ``renderer``.
    """
    from trackersync.definitions.yamlnodes import YamlProblem, read_text

    items = []
    for path in files:
        if path.name.lower().endswith(TEMPLATE_SUFFIX):
            try:
                items.append((path, read_text(path)))
            except YamlProblem:
                continue  # reported when parse_trackers reads it
    if items:
        from trackersync.definitions.templates import TemplateRenderer

        renderer.append(TemplateRenderer(variables))
        renderer[0].prepare(items)


def _relocated(problem: Problem, maps: dict[str, LineMap]) -> Problem:
    line_map = maps.get(problem.source.file) if problem.source else None
    return line_map.relocate(problem) if line_map else problem


def check_documents(documents: Mapping[str, str | Document], config: Config) -> DefinitionSet:
    """Check tracker-file texts that are not (yet) files, exactly as files are checked.

    The same reading and the same rules as :func:`load_definitions`, minus discovery and
    templates: the importer checks the YAML it is about to write with this call, so
    what it reports is, by construction, what ``trackersync validate`` will say.

    Args:
        documents: label (a path relative to the project root, for problems) -> text,
            or the document composing that text gives (the writer builds it for a
            plain tracker: :func:`~trackersync.definitions.writer.written_document`).
        config: the loaded configuration (``rules``, ``severity``, ``account_limit``).

    Returns:
        A :class:`DefinitionSet` whose ``files`` is empty.
    """
    rep = Reporter(overrides=dict(getattr(config, "severity", {}) or {}))
    entries: list[Entry] = []
    for label, text in documents.items():
        entries.extend(parse_text(text, label, rep) if isinstance(text, str)
                       else read_document(text, label, rep))
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
    root: Path, config: Config, paths: Sequence[Path] | None, rep: Reporter,
    skipped: list[str],
) -> list[Path]:
    found: list[Path] = []
    if paths is None:
        base = root / config.trackers_dir
        where = label_for(base, root).rstrip("/") + "/"
        if not base.is_dir():
            rep.add("no-definitions", f"no tracker definitions found in {where} (no such "
                    "directory; set trackers_dir in trackersync.yaml)")
            return found
        real = Path(os.path.realpath(base))
        real_root = Path(os.path.realpath(root))
        if real != base and real != real_root and real_root not in real.parents:
            rep.add("file-special", f"{where} is a symbolic link leaving the project folder; "
                    "refused (not read): point trackers_dir at the folder itself",
                    SourceRef(file=where.rstrip("/"), line=1, column=1))
            return found
        found = _walk(base, root, rep, skipped)
    else:
        for given in paths:
            path = Path(os.path.abspath(given))
            label = label_for(path, root)
            if path.is_dir() and _allowed(path, root, label, rep):
                found.extend(_walk(path, root, rep, skipped))
            elif path.is_dir():
                continue
            elif os.path.lexists(path):
                if _allowed(path, root, label, rep) and _regular(path, label, rep):
                    found.append(path)
            else:
                rep.add("no-definitions", f"{given}: no such file or directory")
        where = ", ".join(str(p) for p in paths)
    if not found and not any(p.severity == "error" for p in rep.problems):
        rep.add("no-definitions", f"no tracker definitions found in {where} "
                f"(looked for {', '.join('*' + s for s in SUFFIXES)}, in any letter case)")
    return list(dict.fromkeys(found))


def tracker_files(base: Path, root: Path | None = None) -> list[Path]:
    """Every tracker file under ``base`` (templates included), as ``validate`` finds them.

    Sorted, recursive, hidden files and folders skipped; suffixes :data:`SUFFIXES` in
    any letter case. Files ``validate`` refuses (FIFOs, devices, sockets, symbolic links
    leaving ``root``, default ``base``) are left out: they are never opened.
    """
    rep = Reporter()
    found = _walk(Path(os.path.abspath(base)), Path(os.path.abspath(root or base)), rep, [])
    return found


def is_tracker_file(name: str) -> bool:
    """True for ``*.yaml``, ``*.yml``, ``*.yaml.j2`` and ``*.yml.j2``, in any letter case."""
    return name.lower().endswith(SUFFIXES)


#: Files in the trackers folder that are documentation: skipped with a warning only.
DOC_SUFFIXES = (".md", ".markdown", ".rst", ".txt", ".adoc")


def _walk(
    base: Path, root: Path, rep: Reporter, skipped: list[str], seen: set[Path] | None = None
) -> list[Path]:
    """Every tracker file under ``base``; every other file reported (never silently lost).

    Hidden files and folders (``.name``) are skipped silently. Other files that are not
    tracker files are named in a warning, and those that are not documentation are
    also recorded in ``skipped`` (prune then refuses). Symbolic links are followed only
    when they stay inside the project root; FIFOs, devices and sockets are refused and
    never opened.
    """
    result: list[Path] = []
    seen = set() if seen is None else seen
    if base.resolve() in seen:  # a symbolic link back to a folder already walked
        return result
    seen.add(base.resolve())
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        kept = []
        for name in sorted(d for d in dirnames if not d.startswith(".")):
            path = here / name
            if not path.is_symlink():
                kept.append(name)
            elif _allowed(path, root, label_for(path, root), rep):
                result.extend(_walk(path, root, rep, skipped, seen))
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = here / name
            label = label_for(path, root)
            if not _allowed(path, root, label, rep) or not _regular(path, label, rep):
                continue
            if is_tracker_file(name):
                result.append(path)
                continue
            doc = name.lower().endswith(DOC_SUFFIXES)
            if not doc:
                skipped.append(label)
            rep.add("file-skipped", f"{label} is not a tracker file (tracker files end in "
                    f"{', '.join(SUFFIXES)}, any letter case); skipped"
                    + ("" if doc else "; rename it if it defines trackers (with prune on, "
                       "plan refuses while it is here)"),
                    SourceRef(file=label, line=1, column=1))
    return result


def _allowed(path: Path, root: Path, label: str, rep: Reporter) -> bool:
    """False (and an error) for a symbolic link that resolves outside the project root."""
    if not path.is_symlink():
        return True
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        rep.add("file-special", f"{label} is a broken or looping symbolic link; refused "
                "(not read)", SourceRef(file=label, line=1, column=1))
        return False
    real_root = Path(os.path.realpath(root))
    if target == real_root or real_root in target.parents:
        return True
    rep.add("file-special", f"{label} is a symbolic link leaving the project folder; "
            "refused (not read): copy the file into the repository instead",
            SourceRef(file=label, line=1, column=1))
    return False


def _regular(path: Path, label: str, rep: Reporter) -> bool:
    """False (and an error) for a FIFO, device or socket: such files are never opened."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        rep.add("encoding", f"cannot read file: {exc.strerror}",
                SourceRef(file=label, line=1, column=1))
        return False
    if stat.S_ISREG(mode):
        return True
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    rep.add("file-special", f"{label} is {kind}, not a regular file; refused (not read)",
            SourceRef(file=label, line=1, column=1))
    return False
