"""Writing tracker files: clean, stable YAML that :func:`load_definitions` reads back equal.

Uses ruamel.yaml's round-trip dumper (the writing half of the YAML layer; reading is
in :mod:`.yamlnodes`). A phrase or name that any YAML 1.1 or 1.2 reader would take
for a boolean, null, number or date is single-quoted, so the file never
depends on which YAML version the next tool speaks; ruamel quotes everything else
that needs it (``: ``, ``#``, leading spaces, control characters...).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from trackersync.definitions.yamlnodes import plain_kind
from trackersync.model import DesiredTracker, Tracker

_WIDTH = 1_000_000  # never fold long phrases


def scalar(text: str) -> Any:
    """Return ``text`` styled for the writer: plain where YAML reads it back as this text.

    Double-quoted when it holds a character that is not printable (escaped, never
    folded); single-quoted (double when it holds ``'``) when a YAML 1.1 or 1.2 reader
    would take it for a boolean, null, number or date; else plain, and ruamel.yaml's
    emitter quotes it anyway where YAML needs it (``: ``, `` #``, a leading ``-``...).
    """
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    if not text.isprintable():  # NEL, U+2028/9, controls: escaped, never folded (import)
        return DoubleQuotedScalarString(text)
    if plain_kind(text) is None:
        return text
    if "'" in text:
        return DoubleQuotedScalarString(text)
    return SingleQuotedScalarString(text)


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


def dump_tracker_yaml(
    tracker: Tracker, *, comments: Sequence[str] = (), accepted: str | None = None
) -> str:
    """Return one tracker as a YAML file's text (used by ``trackersync import``).

    Keys come in the order name, vocabulary, then (for a :class:`DesiredTracker`, when
    not default) description, renamed_from, protect, then accepted_as_imported. Phrases
    keep their order. The layout is the one ``trackersync fmt`` keeps.

    Args:
        tracker: the tracker to write.
        comments: lines written first as ``# <line>`` comments (e.g. where it came from).
        accepted: the ``accepted_as_imported`` fingerprint to record, if any.

    Returns:
        The YAML text, ending in a newline.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    body = CommentedMap()
    body["name"] = scalar(tracker.name)
    body["vocabulary"] = CommentedSeq(scalar(p) for p in tracker.vocabulary)
    if isinstance(tracker, DesiredTracker):
        if tracker.description is not None:
            body["description"] = scalar(tracker.description)
        if tracker.renamed_from:
            body["renamed_from"] = CommentedSeq(scalar(n) for n in tracker.renamed_from)
        if tracker.protect:
            body["protect"] = True
    if accepted is not None:
        body["accepted_as_imported"] = scalar(accepted)  # all digits must be quoted
    yaml = configure_yaml(YAML(typ="rt"))
    out = io.StringIO()
    yaml.dump(body, out)
    header = "".join(f"# {line}".rstrip() + "\n" for c in comments for line in c.splitlines())
    return header + out.getvalue()
