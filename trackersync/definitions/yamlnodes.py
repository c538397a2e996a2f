"""Fast YAML reading with positions: decode, compose nodes (C parser), resolve scalars.

The only module that parses YAML (``writer.py`` only writes it). ruamel.yaml's
C-accelerated parser composes the node graph, which keeps every node's start mark
(line and column) and style (plain, quoted, block); scalars are then resolved here
under the YAML 1.2 core schema, so ``no``/``yes``/``on`` stay strings and nothing is
coerced behind the reader's back (README "Tracker files").

Plain scalars that a YAML 1.1 *or* 1.2 reader would take for a boolean, null, number
or date are recorded in :attr:`Document.plain_nonstr`, so the loader can refuse them
with a "quote it" hint wherever a string is expected.

Every failure is reported as :class:`YamlProblem` (message, 1-based line and column);
ruamel's exceptions never leave this module.
"""

from __future__ import annotations

import itertools
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

Path_ = tuple[Any, ...]
Pos = tuple[int, int]

#: Limits that keep any file from hanging the tool or exhausting memory (README "Limits").
MAX_FILE_BYTES = 8 * 1024 * 1024  # one tracker file or trackersync.yaml
MAX_DEPTH = 64  # nested collections (a tracker file needs 4)
MAX_NODES = 100_000  # YAML values in one file, counting every alias as what it repeats
MAX_ALIASES = 1_000  # alias uses (*name) in one file
_MAX_DEPTH = MAX_DEPTH
_STR_TAG = "tag:yaml.org,2002:str"
_COLLECTION_TAGS = ("!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")

# YAML 1.1 (yaml.org/type/*.html) and YAML 1.2 core schema (spec 1.2.2 §10.3.2)
# implicit types; a plain scalar matching any of them is not a safe string.
_BOOL = re.compile(
    r"y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
)
_NULL = re.compile(r"~|null|Null|NULL|")
#: The one rule for numbers (README "Tracker files"): after an optional sign, a radix
#: form (0b/0o/0x and hex digits or '_'), or text made only of digits, '_', '.' and ':'
#: holding at least one digit or '_' (optionally followed by an exponent), or .inf/.nan
#: in any case. This covers every integer and float form of YAML 1.1 and 1.2
#: (underscores, signs, exponents, sexagesimal, hex, octal, binary), plus a few more
#: (``1.2.3``): quoting such a word is always safe.
_NUMBER = re.compile(
    r"[-+]?(?:0[bBoOxX][0-9a-fA-F_]*|(?=[0-9_.:]*[0-9_])[0-9_.:]+(?:[eE][-+]?[0-9_]+)?"
    r"|\.(?i:inf|nan))"
)
_DATE = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"
)
_FIRST_CHARS = frozenset("yYnNtTfFoO~0123456789+-._")
#: Among those, the letters: a plain scalar starting with one is a boolean or a null
#: only when it is one of these whole words (no number or date starts with a letter).
_WORD_FIRST = frozenset("yYnNtTfFoO")
_BOOL_WORDS = frozenset(_BOOL.pattern.split("|"))
_NULL_WORDS = frozenset(("null", "Null", "NULL"))
_NON_STRING_WORDS = _BOOL_WORDS | _NULL_WORDS
# YAML 1.2 core schema, used for the value of plain scalars (spec 1.2.2 §10.3.2).
_CORE_BOOL = {"true": True, "True": True, "TRUE": True,
              "false": False, "False": False, "FALSE": False}
_CORE_NULL = frozenset(("~", "null", "Null", "NULL", ""))
_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE_SPECIAL = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                 "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
                 "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
                 ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}


class YamlProblem(Exception):
    """A file cannot be read as YAML; 1-based ``line``/``column``, stable ``code``."""

    def __init__(self, message: str, line: int = 1, column: int = 1, code: str = "yaml") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code


def plain_kind(text: str) -> str | None:
    """Return what a YAML 1.1 or 1.2 reader makes of a *plain* scalar, unless a string.

    Args:
        text: the scalar exactly as written, unquoted.

    Returns:
        ``"boolean"``, ``"null"``, ``"number"`` or ``"date"``; ``None`` when every
        YAML reader takes it as a string.
    """
    if text and text[0] not in _FIRST_CHARS:
        return None
    if text and text[0] in _WORD_FIRST:  # a word: no pattern needed
        return ("boolean" if text in _BOOL_WORDS else
                "null" if text in _NULL_WORDS else None)
    if _BOOL.fullmatch(text):
        return "boolean"
    if _NULL.fullmatch(text):
        return "null"
    if _NUMBER.fullmatch(text):
        return "number"
    if _DATE.fullmatch(text):
        return "date"
    return None


def resolve_core(text: str) -> Any:
    """Resolve a plain scalar under the YAML 1.2 core schema (bool, null, int, float, str)."""
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if text in _CORE_NULL:
        return None
    if _CORE_INT.fullmatch(text):
        return int(text)
    if text.startswith("0o") and re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    if text.startswith("0x") and re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text[2:], 16)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    return _CORE_SPECIAL.get(text, text)


def decode(data: bytes) -> str:
    """Decode a file's bytes: UTF-8 with or without BOM; CRLF is left to the parser.

    Raises:
        YamlProblem: UTF-16/32 or bytes that are not UTF-8, naming line and column.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("file is UTF-16 or UTF-32 encoded; save it as UTF-8", code="encoding")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02X}); save it as UTF-8",
            line, col, code="encoding",
        ) from exc


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """Read and :func:`decode` a file of at most ``limit`` bytes.

    Raises:
        YamlProblem: I/O errors (code ``io``), a file over ``limit`` (code ``limit``,
            never read past the limit), or a decoding problem.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise YamlProblem(f"cannot read file: {exc.strerror}", code="io") from exc
    if len(data) > limit:
        raise YamlProblem(f"file is larger than {limit // (1024 * 1024)} MB, the limit for a "
                          "tracker or config file; split it into several files", code="limit")
    return decode(data)


class Positions(Sequence[Pos]):
    """(line, column) pairs, 1-based, kept as one array of numbers, not a tuple per pair.

    A project's phrases are checked together (shared phrases, duplicates), so every
    phrase's position is alive at once: an ``array`` of unsigned ints takes 8 bytes a
    pair instead of a 64-byte tuple. :meth:`from_marks` takes the parser's 0-based marks.
    """

    __slots__ = ("_numbers", "_base")

    def __init__(self, pairs: Iterable[Pos] = ()) -> None:
        self._numbers = array("I", itertools.chain.from_iterable(pairs))
        self._base = 0

    @classmethod
    def from_marks(cls, numbers: list[int]) -> Positions:
        """Positions of 0-based ``[line, column, line, column, ...]`` parser marks."""
        positions = cls()
        positions._numbers = array("I", numbers)
        positions._base = 1
        return positions

    def __len__(self) -> int:
        return len(self._numbers) // 2

    @overload
    def __getitem__(self, index: int) -> Pos: ...

    @overload
    def __getitem__(self, index: slice) -> list[Pos]: ...

    def __getitem__(self, index: int | slice) -> Pos | list[Pos]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("position index out of range")
        base = self._base
        return (self._numbers[2 * index] + base, self._numbers[2 * index + 1] + base)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Positions({list(self)!r})"


@dataclass
class Document:
    """A composed YAML document turned into plain Python data, with positions.

    Attributes:
        data: dicts, lists, str, bool, int, float, None (YAML 1.2 core schema).
        values: path -> (line, column) of each value node (1-based); the root is ``()``.
            A sequence's text items are in :attr:`items` instead.
        items: path of a sequence -> the positions of all its items, in order.
        keys: path -> (line, column) of the key node that introduced that path.
        plain_nonstr: path -> (kind, text) for plain scalars that YAML 1.1 or 1.2
            reads as a boolean/null/number/date (see :func:`plain_kind`).
        problems: duplicate keys, unsupported tags and the like, as YamlProblem.
    """

    data: Any
    values: dict[Path_, Pos] = field(default_factory=dict)
    items: dict[Path_, Positions] = field(default_factory=dict)
    keys: dict[Path_, Pos] = field(default_factory=dict)
    plain_nonstr: dict[Path_, tuple[str, str]] = field(default_factory=dict)
    problems: list[YamlProblem] = field(default_factory=list)

    def position(self, path: Path_, *, key: bool = False) -> Pos:
        """Return the position of ``path`` (its key if ``key``), else of its nearest parent."""
        table = self.keys if key else self.values
        while path:
            if path in table:
                return table[path]
            if key and path in self.values:
                return self.values[path]
            index = path[-1]
            if type(index) is int:
                items = self.items.get(path[:-1])
                if items is not None and 0 <= index < len(items):
                    return items[index]
            path = path[:-1]
        return self.values.get((), (1, 1))


def _parser_class() -> type:
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined,unused-ignore]
    from ruamel.yaml.tag import Tag

    implicit = Tag(suffix="?")  # one shared object: no Tag built per node, identity test
    _IMPLICIT.append(implicit)

    class _NodeParser(CParser):  # type: ignore[misc,unused-ignore]
        """C parser composing nodes without a resolver: we resolve scalars ourselves."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            return _IMPLICIT[0]

        def descend_resolver(self, *args: Any) -> None:
            return None

        def ascend_resolver(self, *args: Any) -> None:
            return None

    return _NodeParser


_PARSER: list[type] = []
_IMPLICIT: list[Any] = []


def compose(text: str) -> Document:
    """Compose ``text`` (one YAML document) into a :class:`Document`.

    Raises:
        YamlProblem: syntax errors (tabs used for indentation are named as such),
            several documents in one stream; the position is the parser's.
    """
    if not _PARSER:
        _PARSER.append(_parser_class())
    from ruamel.yaml.error import YAMLError

    if len(text) > MAX_FILE_BYTES:  # rendered templates come here without read_text
        raise YamlProblem(f"text is longer than {MAX_FILE_BYTES // (1024 * 1024)} MB, the "
                          "limit for one file; split it into several files", code="limit")
    if not _obviously_bounded(text):
        _check_bounds(text)
    try:
        node = _PARSER[0](text).get_single_node()
    except YAMLError as exc:
        raise _syntax_problem(exc, text) from exc
    doc = Document(data=None)
    if node is not None:
        doc.data = _Walker(doc).walk(node, (), 0)
    return doc


def _obviously_bounded(text: str) -> bool:
    """True when ``text`` cannot pass any limit of :func:`_check_bounds` (a cheap look).

    No alias (no ``*``), at most :data:`MAX_NODES` characters (a value takes at least
    one), and a nesting depth that cannot reach :data:`MAX_DEPTH`: each level of block
    nesting needs more indentation or a ``- ``/``? `` indicator (a mapping adds at most
    one more per line), and each level of flow nesting a ``[`` or ``{``. With indentation
    under 24 spaces, fewer than 8 indicators in a row and at most 12 brackets, the depth
    stays under 24 + 2 * 8 + 12 < 64. Typical tracker files pass and skip the event scan.
    """
    if len(text) > MAX_NODES or "*" in text:
        return False
    if text.count("[") + text.count("{") > 12:
        return False
    if "\n" + " " * 24 in text or text.startswith(" " * 24):
        return False
    return _COMPACT_RUN.search(text) is None


#: Eight block indicators in a row (``- - - …``): nesting without indentation. Written
#: to start with a character class, so the regex engine skips straight to each ``-``/``?``
#: instead of trying every position (``(?:…){8}`` has no such prefix: 10x slower).
_COMPACT_RUN = re.compile(r"[-?][ \t]+(?:[-?][ \t]+){7}")


def _check_bounds(text: str) -> None:
    """Refuse a document too deep or too big once aliases are expanded, before composing.

    Streams the C parser's events (no nodes are built, no recursion): nesting deeper
    than :data:`MAX_DEPTH` (the composer recurses per level, and 30,000 nested ``[``
    would overflow the C stack), more than :data:`MAX_ALIASES` alias uses, or more than
    :data:`MAX_NODES` values counting each alias as the values it repeats ("billion
    laughs"). Syntax errors are left to the composer, which reports them in full.

    Raises:
        YamlProblem: code ``limit``, at the event that passed the limit.
    """
    from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined,unused-ignore]
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        NodeEvent,
        StreamEndEvent,
    )

    parser = CParser(text)
    sizes: dict[str, int] = {}
    open_anchors: list[tuple[str | None, int]] = []
    expanded = aliases = 0
    try:
        while True:
            event = parser.get_event()
            if isinstance(event, StreamEndEvent):
                return
            if isinstance(event, AliasEvent):
                aliases += 1
                expanded += sizes.get(str(event.anchor), 1)
                if aliases > MAX_ALIASES:
                    _limit(event, f"more than {MAX_ALIASES:,} aliases (*name) in one file")
            elif isinstance(event, CollectionStartEvent):
                expanded += 1
                open_anchors.append((event.anchor, expanded))
                if len(open_anchors) > MAX_DEPTH:
                    _limit(event, f"nesting deeper than {MAX_DEPTH} levels")
            elif isinstance(event, CollectionEndEvent):
                anchor, start = open_anchors.pop()
                if anchor is not None:
                    sizes[str(anchor)] = expanded - start + 1
            elif isinstance(event, NodeEvent):  # a scalar
                expanded += 1
                if event.anchor is not None:
                    sizes[str(event.anchor)] = 1
            if expanded > MAX_NODES:
                _limit(event, f"more than {MAX_NODES:,} values once aliases are expanded "
                       "(nested aliases repeat their values: a \"billion laughs\" file)")
    except YAMLError:
        return  # the composer reports syntax errors with their context


def _limit(event: Any, what: str) -> None:
    mark = event.start_mark
    raise YamlProblem(f"{what}; refused, nothing was built (a tracker file needs far less)",
                      mark.line + 1, mark.column + 1, code="limit")


def _syntax_problem(exc: Any, text: str) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    tab = _tab_indent(text, line)
    if tab is not None:
        return YamlProblem(
            "tab character used for indentation; indent with spaces", tab, 1, code="yaml-tab"
        )
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if "expected a single document" in str(exc):
        return YamlProblem(
            "file holds several YAML documents ('---'); use one document with a "
            "top-level 'trackers:' list", line, col, code="yaml-multidoc",
        )
    context = getattr(exc, "context", None)
    cmark = getattr(exc, "context_mark", None)
    if context and cmark is not None and (cmark.line + 1, cmark.column + 1) != (line, col):
        context = f"{context} (started at line {cmark.line + 1}, column {cmark.column + 1})"
    detail = f"{context}: {problem}" if context else str(problem)
    return YamlProblem(f"YAML syntax error: {detail}", line, col, code="yaml-syntax")


def _tab_indent(text: str, upto: int) -> int | None:
    """Return the first line (1-based, <= ``upto``) whose indentation holds a tab."""
    for number, line in enumerate(text.splitlines()[:upto], start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            return number
    return None


class _Walker:
    """Turn composed nodes into Python data, recording positions as it goes."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def walk(self, node: Any, path: Path_, depth: int) -> Any:
        mark = node.start_mark
        self.doc.values[path] = (mark.line + 1, mark.column + 1)
        if depth > _MAX_DEPTH:
            self._problem("nesting too deep (recursive alias?)", node, "yaml-depth")
            return None
        value = node.value
        if isinstance(value, str):
            return self._scalar(node, value, path)
        if node.ctag is not _IMPLICIT[0] and node.tag not in _COLLECTION_TAGS:
            self._problem(f"YAML tag {node.tag!r} is not supported here; remove it", node,
                          "yaml-tag")
        if node.__class__.__name__ == "MappingNode":
            return self._mapping(node, path, depth)
        return self._sequence(value, path, depth)

    def _sequence(self, items: list[Any], path: Path_, depth: int) -> list[Any]:
        """A sequence's values; its untagged text items (a vocabulary) without recursion.

        An item is taken as it is when it is a scalar without a tag that is quoted, or
        plain and either starting with a character no boolean, null, number or date
        starts with, or starting with a letter without being a boolean or null word
        (:func:`plain_kind`): exactly the items :meth:`walk` returns unchanged.
        """
        implicit = _IMPLICIT[0]
        first, word_first, words = _FIRST_CHARS, _WORD_FIRST, _NON_STRING_WORDS
        result = []
        marks: list[int] = []  # 0-based line, column of each item
        for i, item in enumerate(items):
            text = item.value
            mark = item.start_mark
            marks += (mark.line, mark.column)
            if (type(text) is str and item.ctag is implicit and depth < _MAX_DEPTH
                    and (item.style or (text and (text[0] not in first or (
                        text[0] in word_first and text not in words))))):
                result.append(text)
            else:
                result.append(self.walk(item, (*path, i), depth + 1))
        self.doc.items[path] = Positions.from_marks(marks)
        return result

    def _scalar(self, node: Any, value: str, path: Path_) -> Any:
        if node.ctag is not _IMPLICIT[0]:
            tag = node.tag
            if tag != "!" and tag != _STR_TAG:
                self._problem(f"YAML tag {tag!r} is not supported here; remove it", node,
                              "yaml-tag")
            return value
        if node.style:
            return value
        kind = plain_kind(value)
        if kind is None:
            return value
        self.doc.plain_nonstr[path] = (kind, value)
        return resolve_core(value)

    def _mapping(self, node: Any, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if not isinstance(key, str):
                self._problem("mapping keys must be plain words", key_node, "yaml-key")
                continue
            sub = (*path, key)
            if key in result:
                first = self.doc.keys[sub]
                self._problem(
                    f'duplicate key "{key}" (first at line {first[0]}); keep only one',
                    key_node, "duplicate-key",
                )
                continue
            kmark = key_node.start_mark
            self.doc.keys[sub] = (kmark.line + 1, kmark.column + 1)
            result[key] = self.walk(value_node, sub, depth + 1)
        return result

    def _problem(self, message: str, node: Any, code: str) -> None:
        mark = node.start_mark
        self.doc.problems.append(YamlProblem(message, mark.line + 1, mark.column + 1, code))
