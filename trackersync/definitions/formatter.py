"""``trackersync fmt``: rewrite a tracker file in its canonical form, comments kept.

The canonical form is the one ``trackersync import`` writes (:mod:`.writer`):

- the editor schema modeline on the first line, with the path from this file
  (:mod:`.modeline`);
- keys in the order name, vocabulary, description, renamed_from, protect,
  accepted_as_imported (unknown keys after them, left for ``validate`` to report);
- block style, two-space indent, list items indented under their key, no folding;
- text quoted only where YAML needs it, and single-quoted where a YAML 1.1 or 1.2
  reader would take it for a boolean, null, number or date (``'yes'``, ``'1e3'``);
- phrases with whitespace normalised (ends stripped, runs collapsed to one space),
  as the loader reads them; names are left exactly as written (a name is the API's
  key, and changing it would make another tracker).

The file is read with ruamel.yaml's round-trip loader, so comments stay where they
were. The result is checked to hold the same data (phrases compared normalised)
before it is returned; a file that is not YAML is refused with its line and column.
Templates (``.yaml.j2``) are not YAML until rendered and are never formatted.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trackersync.definitions.modeline import strip_modeline, with_modeline
from trackersync.definitions.shape import TRACKER_KEYS
from trackersync.definitions.writer import configure_yaml, scalar
from trackersync.definitions.yamlnodes import YamlProblem, compose
from trackersync.textfile import atomic_write

_TEXT_KEYS = ("name", "description")
_TEXT_LISTS = ("vocabulary", "renamed_from")


def format_text(text: str, path: Path, root: Path) -> str:
    """Return ``text`` (a tracker file's content) in canonical form.

    Args:
        text: the file's text (decoded; CRLF line ends are fine).
        path: the file, for its modeline (the schema path is relative to it).
        root: the project root, where ``schema/`` lives.

    Returns:
        The canonical text, ending in one newline; equal to ``text`` when it is
        already canonical.

    Raises:
        YamlProblem: the file is not YAML, holds several documents, or does not hold
            a mapping; or (never expected) formatting would change its data.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    body = strip_modeline(text.replace("\r\n", "\n"))
    yaml = configure_yaml(YAML(typ="rt"))
    try:
        data = yaml.load(body)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(f"not valid YAML: {exc.problem}", line, column) from exc
    except YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {exc}") from exc
    if not isinstance(data, CommentedMap):
        raise YamlProblem("a tracker file is a mapping with name and vocabulary (or a "
                          "'trackers:' list); nothing to format")
    items = data.get("trackers") if "trackers" in data else None
    if not isinstance(items, list) and not {"name", "vocabulary"} & set(data):
        raise YamlProblem("not a tracker file (no name or vocabulary, nor a 'trackers:' "
                          "list); left as it is")
    if isinstance(items, list):
        _block(items)
        for item in items:
            if isinstance(item, CommentedMap):
                _canonical(item)
    else:
        _canonical(data)
    out = io.StringIO()
    yaml.dump(data, out)
    result = with_modeline(out.getvalue(), path, root)
    _same_data(body, result)
    return result


def _canonical(tracker: Any) -> None:
    """Reorder one tracker mapping's keys and restyle its text values, in place."""
    for key in [k for k in TRACKER_KEYS if k in tracker]:
        tracker.move_to_end(key)
    for key in [k for k in tracker if k not in TRACKER_KEYS]:
        tracker.move_to_end(key)
    _block(tracker)
    for key in _TEXT_KEYS:
        if isinstance(tracker.get(key), str):
            _put(tracker, key, scalar(str(tracker[key])))
    for key in _TEXT_LISTS:
        values = tracker.get(key)
        if not isinstance(values, list):
            continue
        _block(values)
        for index, value in enumerate(values):
            if isinstance(value, str):
                text = " ".join(value.split()) if key == "vocabulary" else value
                _put(values, index, scalar(str(text)))
    fingerprint = tracker.get("accepted_as_imported")
    if isinstance(fingerprint, str):
        _put(tracker, "accepted_as_imported", scalar(str(fingerprint)))


def _put(container: Any, key: Any, value: Any) -> None:
    """Set ``container[key]`` to ``value`` with the style ``value`` carries.

    ruamel.yaml's round-trip containers keep the old value's style (``|``, ``>``,
    quotes) when a plain string replaces it; the canonical form must not, so this
    sets the item as the underlying list or dict would.
    """
    from ruamel.yaml.compat import ordereddict

    base: Any = list if isinstance(container, list) else ordereddict
    base.__setitem__(container, key, value)


def _block(node: Any) -> None:
    """Write a flow-style ``[a, b]`` or ``{k: v}`` collection in block style."""
    style = getattr(node, "fa", None)
    if style is not None:
        style.set_block_style()


def _same_data(before: str, after: str) -> None:
    """Refuse a result whose data differs from the input's (phrases compared normalised)."""
    try:
        old, new = compose(before).data, compose(after).data
    except YamlProblem:
        return  # the loader reports the file itself; formatting changed nothing it reads
    if _normalised(old) != _normalised(new):
        raise YamlProblem("formatting would change this file's data; it is left as it is "
                          "(please report this)")


def _normalised(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: [" ".join(p.split()) if isinstance(p, str) else p for p in v]
                if k == "vocabulary" and isinstance(v, list) else _normalised(v)
                for k, v in data.items()}
    if isinstance(data, list):
        return [_normalised(item) for item in data]
    return data


@dataclass
class FormatReport:
    """What :func:`format_files` did (or, with ``check``, would do).

    Attributes:
        changed: files whose text is (or would be) rewritten.
        unchanged: files already canonical.
        skipped: templates (``.j2``), never formatted, with why.
        errors: ``(file, line, column, message)`` for files that could not be formatted.
        diffs: for each changed file, a unified diff from its text to the canonical one.
    """

    changed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    errors: list[tuple[Path, int, int, str]] = field(default_factory=list)
    diffs: dict[Path, str] = field(default_factory=dict)


def files_to_format(
    trackers_dir: Path | None, given: Sequence[Path], root: Path | None = None
) -> list[Path]:
    """The tracker files ``fmt`` works on: those under ``given`` files and folders, or,
    with none given, every file of ``trackers_dir`` (found as ``validate`` finds them).

    Symbolic links are treated as ``validate`` treats them: followed when they stay
    inside the project ``root`` (default: the folder searched), refused otherwise, so
    ``fmt`` formats every file ``plan`` reads and never writes outside the project.

    Raises:
        ConfigError: a given path does not exist, is a symbolic link leaving the
            project or a special file, or there is no ``trackers_dir``.
    """
    from trackersync.definitions.loader import _allowed, _regular, tracker_files
    from trackersync.definitions.rules import Reporter
    from trackersync.errors import ConfigError

    if not given:
        if trackers_dir is None or not trackers_dir.is_dir():
            raise ConfigError(f"no tracker folder at {trackers_dir}; set trackers_dir in "
                              "trackersync.yaml or name the files")
        return tracker_files(trackers_dir, root)
    files: list[Path] = []
    for path in given:
        rep = Reporter()
        if not os.path.lexists(path):
            raise ConfigError(f"{path}: no such file or directory")
        if not _allowed(path, root or path.parent, str(path), rep):
            raise ConfigError(rep.problems[0].message)
        if path.is_dir():
            files.extend(tracker_files(path, root))
        elif _regular(path, str(path), rep):
            files.append(path)
        else:
            raise ConfigError(rep.problems[0].message)
    return list(dict.fromkeys(files))


def format_files(files: Sequence[Path], root: Path, *, check: bool) -> FormatReport:
    """Format each tracker file in place (``check``: only find those that would change).

    Each file is written whole (temporary file, then rename) and keeps its mode; a
    file that is already canonical is not touched.

    Args:
        files: tracker files (``.yaml``, ``.yml``; ``.j2`` templates are skipped).
        root: the project root (for each file's schema modeline).
        check: write nothing; report what would change.

    Returns:
        The :class:`FormatReport`.
    """
    from trackersync.definitions.files import TEMPLATE_SUFFIX
    from trackersync.definitions.yamlnodes import read_text

    report = FormatReport()
    for path in files:
        if path.name.lower().endswith(TEMPLATE_SUFFIX):  # a template in any letter case
            report.skipped.append((path, "a template is not YAML until rendered"))
            continue
        try:
            text = read_text(path)
            result = format_text(text, path, root)
        except YamlProblem as exc:
            report.errors.append((path, exc.line, exc.column, exc.message))
            continue
        if result == text:
            report.unchanged.append(path)
            continue
        report.changed.append(path)
        report.diffs[path] = _diff(text, result, _label(path, root))
        if not check:
            atomic_write(path, result)
    return report


def _label(path: Path, root: Path) -> str:
    """The file's name in a diff header: relative to the project root when inside it,
    so two files with the same name in different folders are told apart.
    """
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _diff(before: str, after: str, label: str) -> str:
    """A unified diff of one file's change, safe for a CI log.

    Each line is shown as :func:`trackersync.secrets.display` shows text: control
    characters escaped and token-looking phrases masked, as everywhere else output
    quotes a tracker file.
    """
    import difflib

    from trackersync.secrets import display

    lines = difflib.unified_diff(before.splitlines(), after.splitlines(),
                                 fromfile=f"{label} (as written)",
                                 tofile=f"{label} (formatted)", lineterm="")
    return "".join(display(line) + "\n" for line in lines)


__all__ = ["FormatReport", "files_to_format", "format_files", "format_text"]
