"""pydantic models of a tracker file, and the JSON Schema ``trackersync schema`` prints.

A tracker file is either one tracker (a mapping with ``name`` and ``vocabulary``) or a
mapping with a single ``trackers:`` list of such trackers (DESIGN.md "Files in a
user's repository"). Unknown keys are refused (``extra="forbid"``), so a typo such
as ``vocabluary`` cannot pass silently. The loader validates in strict mode: nothing
is coerced (a ``protect: "yes"`` string is not a boolean).

The value rules (characters, counts, duplicates...) are in :mod:`.rules`; these models
only fix the shape.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

TRACKER_KEYS = ("name", "vocabulary", "description", "renamed_from", "protect")
DIALECT = "http://json-schema.org/draft-07/schema#"  # pydantic output fits it; $refs are pointers


class TrackerSpec(BaseModel):
    """One tracker as written in a file (symbl-api.md §2.1 plus local-only keys)."""

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


class TrackerListSpec(BaseModel):
    """A file holding several trackers under a top-level ``trackers:`` list."""

    model_config = ConfigDict(extra="forbid", title="Tracker list")

    trackers: list[TrackerSpec] = Field(min_length=1)


def tracker_file_schema() -> dict[str, Any]:
    """Return the JSON Schema of a tracker file (draft-07, which editors widely support).

    Usable by the YAML language server: ``# yaml-language-server: $schema=<file>``.
    """
    adapter: TypeAdapter[Any] = TypeAdapter(TrackerSpec | TrackerListSpec)
    schema = adapter.json_schema()
    schema = {
        "$schema": DIALECT,
        "title": "trackersync tracker file",
        "description": "One Symbl tracker (name + vocabulary), or a 'trackers:' list of them.",
        **schema,
    }
    return schema


def config_file_schema() -> dict[str, Any]:
    """Return the JSON Schema of ``trackersync.yaml`` (from :class:`trackersync.config.Config`)."""
    from trackersync.config import Config

    schema = Config.model_json_schema()
    return {"$schema": DIALECT, **schema}


def dumps_schema(schema: dict[str, Any]) -> str:
    """Serialise a schema as stable, indented JSON (sorted keys, trailing newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
