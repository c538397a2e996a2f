"""pydantic models of ``trackersync.yaml``: the shape of the file and its JSON Schema.

The source of truth for what the file may hold: ``trackersync schema`` writes
``schema/config.schema.json`` from :class:`Config`, and the loader
(:mod:`.config_loader`) validates every file that its quick check of the common,
valid shape is not sure about with these models, so every message about a bad file
is pydantic's. The program itself works with the plain dataclasses of
:mod:`trackersync.config`, which have the same fields and defaults (a test keeps them
in step); the classes keep the names the JSON Schema shows.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from trackersync.config import ACCOUNT_TRACKER_LIMIT, DEFAULT_API_URL


class SafetyConfig(BaseModel):
    """Thresholds that make an apply refuse mass deletes (octoDNS-style safety valve)."""

    model_config = ConfigDict(extra="forbid")

    max_deletes: int = Field(default=10, ge=0)
    max_delete_fraction: float = Field(default=0.3, ge=0.0, le=1.0)
    #: What apply does with drift (a tracker edited in the account, not in the files):
    #: ``revert`` it to the files (the default, as Terraform does), or ``refuse`` to
    #: apply until the files take the change in (or ``--overwrite-conflicts``).
    drift: Literal["revert", "refuse"] = "revert"


class EnvironmentConfig(BaseModel):
    """One Symbl account: its API URL, where its credentials are read, its template vars."""

    model_config = ConfigDict(extra="forbid")

    api_url: str | None = None
    credentials_prefix: str = "SYMBL_"
    #: The rules this account is checked against; ``None`` = the top-level ``rules``
    #: (a lenient staging account next to a strict production one).
    rules: Literal["strict", "lenient"] | None = None
    vars: dict[str, Any] = Field(default_factory=dict)


class Config(BaseModel):
    """The whole ``trackersync.yaml``; every key has a default."""

    model_config = ConfigDict(extra="forbid")

    trackers_dir: str = "trackers"
    rules: Literal["strict", "lenient"] = "strict"
    api_url: str = DEFAULT_API_URL
    prune: bool = False
    ignore: list[str] = Field(default_factory=list)
    safety: SafetyConfig = Field(default_factory=SafetyConfig)
    #: The state record (what this repository owns, and each tracker as last applied);
    #: ``ids_file``, its older name, is read too.
    state_file: str = Field(default="trackers.ids.json",
                            validation_alias=AliasChoices("state_file", "ids_file"))
    vars: dict[str, Any] = Field(default_factory=dict)
    environments: dict[str, EnvironmentConfig] = Field(default_factory=dict)
    account_limit: int = Field(default=ACCOUNT_TRACKER_LIMIT, ge=1)
    # rule code -> "error" | "warning" | "off", for the adjustable validation rules
    # (trackersync.definitions.rules); e.g. {"phrase-few": "off"}.
    severity: dict[str, Literal["error", "warning", "off"]] = Field(default_factory=dict)
    # conversation files of behaviour tests (trackersync test), relative to the project root
    tests_dir: str = "tracker-tests"
