"""One tracker file to :class:`~.checks.Entry` values, every fault reported at its place.

The file-format rules of :mod:`.rules` (codes ``encoding``, ``yaml-syntax``,
``duplicate-key``, ``file-shape``, ``unknown-key``, ``schema``, ``quote-it``,
``template``) are applied here; the value rules run afterwards in :mod:`.checks`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trackersync.definitions.checks import Entry, did_you_mean, shown
from trackersync.definitions.rules import Reporter
from trackersync.definitions.shape import TESTS_KEYS, TRACKER_KEYS, TrackerFields, quick_tracker
from trackersync.definitions.yamlnodes import Document, YamlProblem, compose, read_text
from trackersync.model import BehaviourSentence, DesiredTracker, SourceRef, normalise_vocabulary
from trackersync.text import nfc

#: The file name ending of a tracker template (rendered with jinja2, then read as YAML).
TEMPLATE_SUFFIX = ".j2"

if TYPE_CHECKING:  # templates are rare: their module loads when one is rendered
    from trackersync.definitions.template_lines import LineMap

_STRING_KEYS = ("name", "description", "id")
_STRING_LISTS = ("vocabulary", "renamed_from")
_TYPE_NAMES = {dict: "a mapping", list: "a list", bool: "a boolean", int: "a number",
               float: "a number", type(None): "empty (null)"}


def parse_trackers(
    path: Path, label: str, variables: Mapping[str, Any], renderer: list[Any], rep: Reporter,
    maps: dict[str, LineMap] | None = None,
) -> list[Entry]:
    """Read one file and return its trackers; report every fault to ``rep``.

    Args:
        path: the file to read.
        label: the file as shown in problems (relative to the project root).
        variables: template variables, used when ``path`` ends in ``.j2``.
        renderer: a one-slot cache for the template renderer (created on first use).
        rep: where problems go.
        maps: receives, for a template, the :class:`LineMap` from its output back to it
            (the caller relocates the problems and sources of ``label`` with it).
    """
    try:
        text = read_text(path)
        if path.name.lower().endswith(TEMPLATE_SUFFIX):
            # the template engine is imported only when a project has templates
            from trackersync.definitions.templates import TemplateProblem

            try:
                source, text = text, _render(path, text, variables, renderer)
            except TemplateProblem as exc:
                rep.add("template", f"{exc.message} (in template {label})",
                        SourceRef(file=label, line=exc.line, column=1))
                return []
            if maps is not None:
                from trackersync.definitions.template_lines import LineMap

                maps[label] = LineMap(label, source, text, variables)
    except YamlProblem as exc:
        code = {"encoding": "encoding", "io": "encoding", "limit": "limit"}.get(exc.code,
                                                                           "yaml-syntax")
        rep.add(code, exc.message, SourceRef(file=label, line=exc.line, column=exc.column))
        return []
    return parse_text(text, label, rep)


def parse_text(text: str, label: str, rep: Reporter) -> list[Entry]:
    """Read the trackers of one tracker file's text (already rendered, if a template).

    The same reading :func:`parse_trackers` does after loading a file, for text that
    is not in a file (the importer checks the YAML it is about to write this way).

    Args:
        text: the YAML text.
        label: what to call it in problems (a path relative to the project root).
        rep: where problems go.
    """
    try:
        doc = compose(text)
    except YamlProblem as exc:
        code = "encoding" if exc.code in ("encoding", "io") else "yaml-syntax"
        rep.add(code, exc.message, SourceRef(file=label, line=exc.line, column=exc.column))
        return []
    return read_document(doc, label, rep)


def read_document(doc: Document, label: str, rep: Reporter) -> list[Entry]:
    """Read the trackers of one composed tracker file (:func:`parse_text` after composing).

    Args:
        doc: the composed document (from the text, or built by the writer for text it
            is about to write: :func:`~trackersync.definitions.writer.written_document`).
        label: what to call it in problems (a path relative to the project root).
        rep: where problems go.
    """
    for problem in doc.problems:
        code = "duplicate-key" if problem.code == "duplicate-key" else "yaml-syntax"
        rep.add(code, problem.message, SourceRef(file=label, line=problem.line,
                                                 column=problem.column))
    return _FileReader(doc, label, rep).entries()


def _render(path: Path, text: str, variables: Mapping[str, Any], renderer: list[Any]) -> str:
    if not renderer:
        from trackersync.definitions.templates import TemplateRenderer

        renderer.append(TemplateRenderer(variables))
    rendered: str = renderer[0].render(path, text)
    return rendered


class _FileReader:
    """Walks one composed file: its shape, then each tracker mapping in it."""

    def __init__(self, doc: Document, label: str, rep: Reporter) -> None:
        self.doc, self.label, self.rep = doc, label, rep
        # plain non-strings grouped by their tracker's path: () or ("trackers", i)
        self.nonstr: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
        for where in doc.plain_nonstr:
            prefix = where[:2] if where[:1] == ("trackers",) and len(where) > 2 else ()
            self.nonstr.setdefault(prefix, []).append(where)

    def at(self, path: tuple[Any, ...], *, key: bool = False) -> SourceRef:
        line, column = self.doc.position(path, key=key)
        return SourceRef(file=self.label, line=line, column=column)

    def entries(self) -> list[Entry]:
        data = self.doc.data
        shape = "a tracker file is a mapping with name and vocabulary (or a 'trackers:' list)"
        if data is None:
            self.rep.add("file-shape", f"file is empty; {shape}", self.at(()))
            return []
        if not isinstance(data, dict):
            kind = _TYPE_NAMES.get(type(data), "a single value")
            self.rep.add("file-shape", f"file holds {kind}; {shape}", self.at(()))
            return []
        if "trackers" not in data:
            entry = self._tracker(data, (), "tracker")
            return [entry] if entry else []
        return self._list(data)

    def _list(self, data: dict[str, Any]) -> list[Entry]:
        for key in data:
            if key != "trackers":
                self._unknown(("trackers",), key, ("trackers",), "file")
        items = data["trackers"]
        if not isinstance(items, list) or not items:
            self.rep.add("file-shape", "'trackers' must be a non-empty list of trackers (each "
                         "with name and vocabulary)", self.at(("trackers",)))
            return []
        result = []
        for index, item in enumerate(items):
            path = ("trackers", index)
            if not isinstance(item, dict):
                self.rep.add("file-shape", f"trackers item {index + 1} is "
                             f"{_TYPE_NAMES.get(type(item), 'a single value')}; each item is a "
                             "mapping with name and vocabulary", self.at(path))
                continue
            entry = self._tracker(item, path, f"tracker {index + 1}")
            if entry:
                result.append(entry)
        return result

    def _tracker(self, data: dict[str, Any], path: tuple[Any, ...], fallback: str) -> Entry | None:
        name = data.get("name")
        known = name if isinstance(name, str) and name.strip() else None
        label = f"tracker {shown(known)}" if known is not None else fallback
        self._quote_check(data, path, label, known)
        for key in [k for k in data if k not in TRACKER_KEYS]:
            # reported; the rest still checked
            self._unknown(path, key, TRACKER_KEYS, label, known)
            data = {k: v for k, v in data.items() if k != key}
        spec: TrackerFields | Any = quick_tracker(data)
        if spec is None:  # not plainly valid: the model decides, with its messages
            from pydantic import ValidationError

            from trackersync.definitions.schema import TrackerSpec

            try:
                spec = TrackerSpec.model_validate(data, strict=True)
            except ValidationError as exc:
                for err in exc.errors():
                    self._schema_error(err, path, label, known)
                return None
        return self._entry(spec, path)

    def _entry(self, spec: Any, path: tuple[Any, ...]) -> Entry:
        """The entry of one valid tracker (``spec``: a ``TrackerSpec`` or its fields)."""
        values, items = self.doc.values, self.doc.items
        name_pos = values[(*path, "name")]
        tests = []
        if spec.tests is not None:
            for key, fires in (("must_fire", True), ("must_not_fire", False)):
                sentences = getattr(spec.tests, key)
                places = items[(*path, "tests", key)] if sentences else ()
                for text, (line, column) in zip(sentences, places, strict=True):
                    tests.append(BehaviourSentence(
                        text=text, fires=fires,
                        source=SourceRef(file=self.label, line=line, column=column)))
        tracker = DesiredTracker(
            name=nfc(spec.name),
            vocabulary=normalise_vocabulary(spec.vocabulary),
            description=spec.description,
            renamed_from=tuple(nfc(old) for old in spec.renamed_from),
            protect=spec.protect,
            id=spec.id,
            source=SourceRef(file=self.label, line=name_pos[0], column=name_pos[1]),
            tests=tuple(tests),
            tests_source=spec.tests.source if spec.tests is not None else None,
        )
        vocab, renamed = (*path, "vocabulary"), (*path, "renamed_from")
        accepted_pos = values.get((*path, "accepted_as_imported"))
        return Entry(
            tracker=tracker,
            file=self.label,
            name_pos=name_pos,
            raw_name=spec.name,
            # as written; the tracker's own tuple when normalising changed nothing (the
            # common case: one sequence of the phrases kept, not two)
            raw_phrases=(tracker.vocabulary if list(tracker.vocabulary) == spec.vocabulary
                         else spec.vocabulary),
            phrase_pos=items[vocab],
            renamed_pos=list(items[renamed]) if spec.renamed_from else [],
            accepted=spec.accepted_as_imported,
            accepted_pos=accepted_pos,
        )

    def _quote_check(
        self, data: dict[str, Any], path: tuple[Any, ...], label: str, tracker: str | None
    ) -> None:
        """Refuse plain scalars YAML reads as non-strings where a string is expected.

        The value is replaced by its text, so the shape check does not report it twice
        and the other rules still run on the tracker (it has an error anyway).
        """
        depth = len(path)
        for where in self.nonstr.get(path, ()):
            kind, text = self.doc.plain_nonstr[where]
            rel = where[depth:]
            if not _string_position(rel):
                continue
            if text == "":  # empty: reported by the name/phrase rules, not as "quote it"
                if rel[0] in ("name", "vocabulary"):
                    _set(data, rel, "")
                continue
            quoted = f'"{text}"' if "'" in text else f"'{text}'"
            self.rep.add("quote-it", f"{label}: {_describe(rel)} is an unquoted {text}, which "
                         f"YAML may read as a {kind}; quote it: {quoted}", self.at(where), tracker)
            _set(data, rel, text)

    def _schema_error(
        self, err: Any, path: tuple[Any, ...], label: str, tracker: str | None
    ) -> None:
        """Report one pydantic error; ``tracker`` is the tracker's name when known."""
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "extra_forbidden":
            allowed = TESTS_KEYS if loc[:-1] == ("tests",) else TRACKER_KEYS
            self._unknown((*path, *loc[:-1]), loc[-1], allowed, label, tracker)
            return
        where = self.at((*path, *loc), key=kind == "missing")
        what = _describe(loc)
        if kind == "missing":
            self.rep.add("schema", f'{label}: required key "{loc[-1]}" is missing',
                         self.at(path), tracker)
        elif kind == "string_too_short" and loc == ("name",):
            self.rep.add("name-empty", "tracker name is empty; give the tracker a name", where)
        elif kind in ("too_short", "list_too_short") and loc == ("vocabulary",):
            self.rep.add("phrase-count", f"{label} has no phrase; add at least one", where,
                         tracker)
        elif kind == "string_type":
            self.rep.add("schema", f"{label}: {what} is {_got(err)}, not text; "
                         f"{_string_hint(loc)}", where, tracker)
        elif kind == "list_type":
            self.rep.add("schema", f"{label}: {what} must be a list (one '- item' per line)",
                         where, tracker)
        elif kind == "bool_type":
            self.rep.add("schema", f"{label}: {what} must be true or false", where, tracker)
        else:
            self.rep.add("schema", f"{label}: {what}: {err['msg']}", where, tracker)

    def _unknown(
        self,
        parent: tuple[Any, ...],
        key: Any,
        allowed: tuple[str, ...],
        label: str,
        tracker: str | None = None,
    ) -> None:
        """Report an unknown key; ``tracker`` is the tracker's name when known.

        The key is quoted as :func:`~trackersync.definitions.checks.shown` quotes names (cut
        when long, masked when it looks like a secret), with a hint when it is short and
        close to an allowed one (:func:`~trackersync.definitions.checks.did_you_mean`).
        """
        text = str(key)
        self.rep.add("unknown-key", f"{label}: unknown key {shown(text)}"
                     f"{did_you_mean(text, allowed)} (allowed: {', '.join(allowed)})",
                     self.at((*parent, key), key=True), tracker)


def _set(data: dict[str, Any], rel: tuple[Any, ...], text: str) -> None:
    if len(rel) == 1:
        data[rel[0]] = text
    elif isinstance(data.get(rel[0]), list):
        data[rel[0]][rel[1]] = text


def _string_position(rel: tuple[Any, ...]) -> bool:
    if len(rel) == 1:
        return rel[0] in _STRING_KEYS
    return len(rel) == 2 and rel[0] in _STRING_LISTS and isinstance(rel[1], int)


def _describe(loc: tuple[Any, ...]) -> str:
    if len(loc) == 2 and loc[0] == "vocabulary" and isinstance(loc[1], int):
        return f"phrase {loc[1] + 1}"
    if len(loc) == 2 and loc[0] == "renamed_from" and isinstance(loc[1], int):
        return f"renamed_from item {loc[1] + 1}"
    if loc == ("name",):
        return "the name"
    return ".".join(str(part) for part in loc) or "the tracker"


def _got(err: Any) -> str:
    return _TYPE_NAMES.get(type(err.get("input")), "not a string")


def _string_hint(loc: tuple[Any, ...]) -> str:
    if loc and loc[0] in ("vocabulary", "renamed_from"):
        return "quote it (an unquoted ': ' or '- ' inside a phrase starts a mapping or a list)"
    return "quote it"
