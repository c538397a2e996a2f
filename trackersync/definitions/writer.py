"""Writing tracker files: clean, stable YAML that the loader reads back equal.

:func:`~trackersync.definitions.loader.load_definitions` reads a written file back as
the same tracker. A phrase or name that any YAML 1.1 or 1.2 reader would take for a
boolean, null, number or date is single-quoted, so the file never depends on which YAML
version the next tool speaks; everything else that needs it (``: ``, `` #``, a leading
``-``, leading spaces, control characters...) is quoted too, exactly where ruamel.yaml's
emitter would.

Two writers produce the same bytes:

- :func:`dump_tracker_yaml` writes a tracker file directly: a tracker file is one block
  mapping of scalars and lists of scalars, so each scalar's style is decided here by
  the same tests ruamel.yaml's emitter makes (its resolver's implicit types, its
  indicator and whitespace analysis) and written plain, single- or double-quoted. It is
  about fifty times faster than the round-trip dumper, which matters when ``import``
  writes (and checks) hundreds of files.
- :func:`dump_tracker_yaml_ruamel`, ruamel.yaml's round-trip dumper with the canonical
  layout (:func:`configure_yaml`), takes over for the few shapes the direct writer
  leaves alone (an empty list or text, a scalar too long to be sure it is never
  folded). ``trackersync fmt`` uses the same layout on existing files, comments kept.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from trackersync.definitions.yamlnodes import Document, Positions, plain_kind
from trackersync.model import DesiredTracker, Tracker
from trackersync.text import INVISIBLE, ODD_SPACE

_HIDDEN = re.compile(f"{INVISIBLE.pattern}|{ODD_SPACE.pattern}")
#: Whether any ASCII character counts as hidden (none does: ASCII text needs no escapes).
_HIDDEN_ASCII = any(_HIDDEN.match(chr(code)) for code in range(128))

_WIDTH = 1_000_000  # never fold long phrases
#: Longest scalar the direct writer writes: far below :data:`_WIDTH`, so ruamel.yaml
#: would never fold it either (a longer one goes through ruamel.yaml itself).
_DIRECT_MAX = 50_000


def scalar(text: str) -> Any:
    """Return ``text`` styled for the writer: plain where YAML reads it back as this text.

    Double-quoted when it holds a character that is not printable (escaped, never
    folded); single-quoted (double when it holds ``'``) when a YAML 1.1 or 1.2 reader
    would take it for a boolean, null, number or date; else plain, and ruamel.yaml's
    emitter quotes it anyway where YAML needs it (``: ``, `` #``, a leading ``-``...).
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    style = _requested_style(text)
    if style == '"':
        return DoubleQuotedScalarString(text)
    if style == "'":
        return SingleQuotedScalarString(text)
    return text


def _requested_style(text: str) -> str:
    """The style :func:`scalar` asks for: ``'"'``, ``"'"``, or ``""`` (plain if YAML allows)."""
    if not text.isprintable() or _HIDDEN.search(text):
        # NEL, U+2028/9, controls, invisible characters, unusual spaces: double-quoted,
        # escaped (see _escape_hidden), never folded
        return '"'
    if plain_kind(text) is None:
        return ""
    return '"' if "'" in text else "'"


def configure_yaml(yaml: Any) -> Any:
    """Set a ruamel ``YAML`` instance to the canonical layout; return it.

    No ``%YAML`` directive (the loader reads YAML 1.2), two-space indent with list
    items indented under their key, long phrases never folded, Unicode written as is.
    """
    yaml.version = None
    yaml.width = _WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _fields(tracker: Tracker, accepted: str | None) -> list[tuple[str, Any]]:
    """The file's keys and values in file order (text, a list of texts, or ``True``)."""
    fields: list[tuple[str, Any]] = [("name", tracker.name),
                                     ("vocabulary", list(tracker.vocabulary))]
    if isinstance(tracker, DesiredTracker):
        if tracker.description is not None:
            fields.append(("description", tracker.description))
        if tracker.renamed_from:
            fields.append(("renamed_from", list(tracker.renamed_from)))
        if tracker.protect:
            fields.append(("protect", True))
    if accepted is not None:
        fields.append(("accepted_as_imported", accepted))
    return fields


def dump_tracker_yaml(
    tracker: Tracker, *, comments: Sequence[str] = (), accepted: str | None = None
) -> str:
    """Return one tracker as a YAML file's text (used by ``trackersync import``).

    Keys come in the order name, vocabulary, then (for a :class:`DesiredTracker`, when
    not default) description, renamed_from, protect, then accepted_as_imported. Phrases
    keep their order. The layout is the one ``trackersync fmt`` keeps. The text is the
    same, byte for byte, as :func:`dump_tracker_yaml_ruamel` writes.

    Args:
        tracker: the tracker to write.
        comments: lines written first as ``# <line>`` comments (e.g. where it came from).
        accepted: the ``accepted_as_imported`` fingerprint to record, if any.

    Returns:
        The YAML text, ending in a newline.
    """
    body = _direct(_fields(tracker, accepted))
    if body is None:
        return dump_tracker_yaml_ruamel(tracker, comments=comments, accepted=accepted)
    if not body.isascii() or _HIDDEN_ASCII:
        body = _escape_hidden(body)
    return _header(comments) + body


def written_document(tracker: Tracker) -> Document | None:
    """The document that reading ``dump_tracker_yaml(tracker)`` composes, without the text.

    For a tracker the direct writer writes (see :func:`dump_tracker_yaml`) with only a
    name and phrases, the layout is fixed: ``name: <value>`` on line 1, ``vocabulary:``
    on line 2 and one ``  - <phrase>`` line per phrase; no value is written plain where
    a reader would take it for anything but text, so the data read back is the tracker's
    own name and phrases. ``import`` checks what it is about to write with this, instead
    of composing its own output again (a test compares both readings).

    Returns:
        The :class:`~trackersync.definitions.yamlnodes.Document` (data, positions of the
        name and of each phrase), or ``None`` when the text must be read to know (the
        tracker has other fields, or ruamel.yaml would write it).
    """
    fields = _fields(tracker, None)
    if [key for key, _ in fields] != ["name", "vocabulary"] or _direct(fields) is None:
        return None
    phrases = list(tracker.vocabulary)
    marks: list[int] = []  # 0-based line, column of each item: line 3 on, column 5
    for line in range(2, 2 + len(phrases)):
        marks += (line, 4)
    doc = Document(data={"name": tracker.name, "vocabulary": phrases})
    doc.values.update({(): (1, 1), ("name",): (1, 7), ("vocabulary",): (3, 3)})
    doc.keys.update({("name",): (1, 1), ("vocabulary",): (2, 1)})
    doc.items[("vocabulary",)] = Positions.from_marks(marks)
    return doc


def dump_tracker_yaml_ruamel(
    tracker: Tracker, *, comments: Sequence[str] = (), accepted: str | None = None
) -> str:
    """:func:`dump_tracker_yaml` through ruamel.yaml's round-trip dumper (same text).

    Arguments and result as :func:`dump_tracker_yaml`.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    body = CommentedMap()
    for key, value in _fields(tracker, accepted):
        if isinstance(value, list):
            body[key] = CommentedSeq(scalar(item) for item in value)
        elif isinstance(value, str):
            body[key] = scalar(value)  # an accepted_as_imported fingerprint: quoted digits
        else:
            body[key] = value
    yaml = configure_yaml(YAML(typ="rt"))
    out = io.StringIO()
    yaml.dump(body, out)
    return _header(comments) + _escape_hidden(out.getvalue())


def _header(comments: Sequence[str]) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for c in comments for line in c.splitlines())


def _direct(fields: list[tuple[str, Any]]) -> str | None:
    """Write ``fields`` as a block mapping, or ``None`` to leave it to ruamel.yaml."""
    lines = []
    for key, value in fields:
        if value is True:
            lines.append(f"{key}: true\n")
        elif isinstance(value, str):
            text = _direct_scalar(value)
            if text is None:
                return None
            lines.append(f"{key}: {text}\n")
        else:
            if not value:
                return None  # ruamel.yaml writes an empty list in flow style: `[]`
            lines.append(f"{key}:\n")
            for item in value:
                text = _direct_scalar(item)
                if text is None:
                    return None
                lines.append(f"  - {text}\n")
    return "".join(lines)


def _direct_scalar(text: str) -> str | None:
    """One scalar as ruamel.yaml's emitter writes it as a block mapping value or list item.

    The style requested by :func:`scalar` is kept where the emitter keeps it: plain only
    when its resolver reads the plain text back as a string and the text has no
    indicator or leading/trailing space that YAML forbids in a plain scalar; otherwise
    single-quoted, or double-quoted when the text holds ``'``. ``None`` for texts left
    to ruamel.yaml itself (empty, or longer than :data:`_DIRECT_MAX`).
    """
    if _SIMPLE.fullmatch(text) and (" " in text or len(text) > 5):
        return text  # the common case, plain by every test below (see _SIMPLE)
    if not text or len(text) > _DIRECT_MAX:
        return None
    style = _requested_style(text)
    if style == "" and (_implicit_type(text) or not _plain_allowed(text)):
        style = '"' if "'" in text else "'"
    if style == '"':
        return _double_quoted(text)
    if style == "'":
        # printable and on one line (else ``_requested_style`` asked for '"'): ruamel.yaml
        # allows single quotes for it; a quote is written twice
        return "'" + text.replace("'", "''") + "'"
    return text


#: ASCII text that every test of :func:`_direct_scalar` writes plain: printable, nothing
#: hidden; a letter first (no indicator, number or date) and no ``:``, ``#`` or trailing
#: space (no indicator inside). With a space or more than five letters it is no YAML
#: boolean or null either (the longest is ``false``).
_SIMPLE = re.compile(r"[A-Za-z][A-Za-z0-9 .,'?!-]*[A-Za-z0-9.,'?!-]")

#: ruamel.yaml's implicit resolvers for YAML 1.2 (the version it writes without a
#: ``%YAML`` directive), by first character, loaded on first use.
_RESOLVERS: dict[str, list[tuple[Any, re.Pattern[str]]]] = {}


def _implicit_type(text: str) -> bool:
    """True when ruamel.yaml reads ``text`` written plain as something else than a string."""
    if not _RESOLVERS:
        from ruamel.yaml.resolver import VersionedResolver

        _RESOLVERS.update(VersionedResolver(version=None).versioned_resolver)
    return any(regexp.match(text) for _, regexp in _RESOLVERS.get(text[0], ()))


#: A text ruamel.yaml's emitter cannot write as a plain block scalar (the text is
#: printable, on one line): a document marker; a leading indicator; ``?``, ``:`` or
#: ``-`` alone or before whitespace at the start; ``:`` before whitespace or at the end;
#: ``#`` after a space; a leading or trailing space.
_NOT_PLAIN = re.compile(
    r"---|\.\.\.|[#,\[\]{}&*!|>'\"%@`]|[?:-](?:[\0 \t\r]|$)| |.*(?::(?:[\0 \t\r]|$)| #| $)",
    re.DOTALL,
)


def _plain_allowed(text: str) -> bool:
    """True when ruamel.yaml's scalar analysis allows ``text`` as a plain block scalar."""
    return _NOT_PLAIN.match(text) is None


#: What ruamel.yaml's double-quoted writer escapes by name (the rest as ``\xXX``...).
_ESCAPES = {"\0": "0", "\x07": "a", "\x08": "b", "\x09": "t", "\x0a": "n", "\x0b": "v",
            "\x0c": "f", "\x0d": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
            "\xa0": "_", "\u2028": "L", "\u2029": "P"}
#: Characters ruamel.yaml's double-quoted writer escapes (with ``allow_unicode``).
_DQ_ESCAPED = re.compile(
    "[\"\\\\\x85\u2028\u2029\ufeff]|[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _double_quoted(text: str) -> str:
    """``text`` double-quoted as ruamel.yaml writes it (never folded at this width)."""
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _ESCAPES:
            return "\\" + _ESCAPES[char]
        code = ord(char)
        if code <= 0xFF:
            return f"\\x{code:02X}"
        return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"

    return '"' + _DQ_ESCAPED.sub(escape, text) + '"'


def _escape_hidden(text: str) -> str:
    """Write invisible characters and unusual spaces as ``\\u200b`` escapes.

    They only occur inside double-quoted scalars (:func:`scalar` makes sure), where the
    escape reads back as the character itself, so the file shows what it holds.
    """
    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return _HIDDEN.sub(escape, text)
