"""pydantic models of a tracker file, and the JSON Schema ``trackersync schema`` prints.

A tracker file is either one tracker (a mapping with ``name`` and ``vocabulary``) or a
mapping with a single ``trackers:`` list of such trackers (README "Tracker files").
Unknown keys are refused (``extra="forbid"``), so a typo such as ``vocabluary`` cannot
pass silently. The loader validates in strict mode: nothing is coerced (a ``protect:
"yes"`` string is not a boolean).

The value rules (characters, counts, duplicates...) are in :mod:`.rules`; these models
only fix the shape. The loader validates with them whatever :mod:`.shape`'s quick
check of the common, valid shape is not sure about; that module's key tables
(``TRACKER_KEYS``, ``TESTS_KEYS``) and field dataclasses name exactly these models'
fields (a test checks).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

#: Draft-07: the dialect the YAML language server (and most editors) implement fully.
#: pydantic writes 2020-12 shapes (``$defs``, keywords beside ``$ref``); :func:`as_draft07`
#: turns them into their draft-07 equivalents, so the declared dialect is the real one.
DIALECT = "http://json-schema.org/draft-07/schema#"
_DEFS_2020, _DEFS_07 = "$defs", "definitions"


Sentence = Annotated[str, Field(min_length=1, pattern=r"\S")]


class TrackerTestsSpec(BaseModel):
    """Behaviour tests of one tracker, run by ``trackersync test``; never sent to the API."""

    model_config = ConfigDict(extra="forbid", title="Tracker tests")

    source: str | None = Field(
        default=None, description="Where the sentences come from (e.g. a public page's URL).")
    must_fire: list[Sentence] = Field(
        default_factory=list,
        description="Sentences the tracker must detect (exactly or contextually).",
    )
    must_not_fire: list[Sentence] = Field(
        default_factory=list,
        description="Sentences the tracker must not detect.",
    )


class TrackerSpec(BaseModel):
    """One tracker as written in a file: the API's name and vocabulary, plus local-only keys."""

    model_config = ConfigDict(extra="forbid", title="Tracker")

    name: str = Field(
        description="Exact, case-sensitive tracker name; the API's key.",
        min_length=1,
    )
    vocabulary: list[str] = Field(
        description="Phrases Symbl tracks; strict rules allow letters, digits, spaces, "
        "and . ' ’ - (rules: lenient refuses only ( ) [ ]).",
        min_length=1,
        json_schema_extra={"items": {"type": "string", "minLength": 1}},
    )
    description: str | None = Field(
        default=None, description="Local note; never sent to the API."
    )
    renamed_from: list[str] = Field(
        default_factory=list,
        description="Earlier names; a remote tracker with one of them is renamed in place "
        "(PUT, same id) instead of recreated.",
    )
    protect: bool = Field(
        default=False,
        description="Never deleted, or renamed away, without an explicit flag.",
    )
    id: str | None = Field(
        default=None,
        pattern=r"^[0-9]{1,32}$",
        description="Optional: the ID of the account's tracker this file manages (digits, "
        "quoted). Plan then matches by ID, not by name: needed when several trackers "
        "in the account share the name.",
    )
    accepted_as_imported: str | None = Field(
        default=None,
        description="Written by `trackersync import` for a tracker whose stored phrases "
        "the rules refuse: the fingerprint of its content as imported. While the name and "
        "phrases are unchanged, those refusals are accepted (nothing is sent for an "
        "unchanged tracker); after an edit every rule applies again. Remove it once the "
        "phrases pass.",
        pattern=r"^[0-9a-f]{16}$",
    )
    tests: TrackerTestsSpec | None = Field(
        default=None,
        description="Behaviour tests (trackersync test): sentences that must and must not "
        "fire this tracker. Local only; never sent to the API.",
    )


class TrackerListSpec(BaseModel):
    """A file holding several trackers under a top-level ``trackers:`` list."""

    model_config = ConfigDict(extra="forbid", title="Tracker list")

    trackers: list[TrackerSpec] = Field(min_length=1)


class ConversationMessageSpec(BaseModel):
    """One message of a conversation test file."""

    model_config = ConfigDict(extra="forbid", title="Conversation message")

    text: Sentence = Field(description="The message content submitted to the Async API.")
    expect: list[str] | None = Field(
        default=None,
        description="Exactly the trackers that must fire on this message ([] for none); "
        "absent: not checked (context only).",
    )


class ConversationSpec(BaseModel):
    """A conversation test file (``tests_dir``), run by ``trackersync test``."""

    model_config = ConfigDict(extra="forbid", title="Conversation test")

    source: str | None = Field(default=None, description="Where the conversation comes from.")
    name: str | None = Field(default=None, description="A name for the conversation.")
    messages: list[ConversationMessageSpec | Sentence] = Field(
        description="The messages, in order (a plain string is a message without 'expect').")


def conversation_file_schema() -> dict[str, Any]:
    """Return the JSON Schema of a conversation test file (draft-07), for editors."""
    return {"$schema": DIALECT, **as_draft07(ConversationSpec.model_json_schema())}


def tracker_file_schema() -> dict[str, Any]:
    """Return the JSON Schema of a tracker file (draft-07, which editors widely support).

    Definitions are under ``definitions`` and no keyword sits beside a ``$ref``, so
    every draft-07 validator reads it as meant (checked in the tests with jsonschema's
    ``Draft7Validator`` against the repository's own tracker files).

    Usable by the YAML language server: ``# yaml-language-server: $schema=<file>``.
    """
    adapter: TypeAdapter[Any] = TypeAdapter(TrackerSpec | TrackerListSpec)
    schema = as_draft07(adapter.json_schema())
    schema = {
        "$schema": DIALECT,
        "title": "trackersync tracker file",
        "description": "One Symbl tracker (name + vocabulary), or a 'trackers:' list of them.",
        **schema,
    }
    return schema


def config_file_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``trackersync.yaml`` (from its pydantic model,
    :class:`trackersync.definitions.config_schema.Config`).
    """
    from trackersync.definitions.config_schema import Config

    schema = as_draft07(Config.model_json_schema())
    return {"$schema": DIALECT, **schema}


def as_draft07(schema: dict[str, Any]) -> dict[str, Any]:
    """Return pydantic's (2020-12 shaped) schema in draft-07 form; the input is not changed.

    Two differences matter for pydantic's output: definitions live under
    ``definitions`` (not ``$defs``), and draft-07 ignores every keyword next to a
    ``$ref``, so ``{"$ref": r, ...}`` becomes ``{"allOf": [{"$ref": r}], ...}``.

    Args:
        schema: a JSON Schema as pydantic's ``model_json_schema`` returns it.

    Returns:
        The same schema, valid and meaning the same under draft-07.
    """
    converted = _draft07_node(schema)
    if _DEFS_2020 in converted:
        converted[_DEFS_07] = converted.pop(_DEFS_2020)
    result: dict[str, Any] = converted
    return result


def _draft07_node(node: Any) -> Any:
    if isinstance(node, list):
        return [_draft07_node(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _draft07_node(value) for key, value in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str):
        prefix = f"#/{_DEFS_2020}/"
        if ref.startswith(prefix):
            ref = f"#/{_DEFS_07}/{ref[len(prefix):]}"
        out["$ref"] = ref
        if len(out) > 1:
            del out["$ref"]
            out["allOf"] = [{"$ref": ref}, *out.get("allOf", [])]
    return out


__all__ = ["ConversationMessageSpec", "ConversationSpec", "TrackerListSpec", "TrackerSpec",
           "TrackerTestsSpec", "as_draft07", "config_file_schema", "conversation_file_schema",
           "dumps_schema", "tracker_file_schema"]


def dumps_schema(schema: dict[str, Any]) -> str:
    """Serialise a schema as stable, indented JSON (sorted keys, trailing newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
