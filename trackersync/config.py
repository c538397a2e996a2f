"""The project configuration, ``trackersync.yaml`` (every key optional).

Shape (see README "Configuration")::

    trackers_dir: trackers
    rules: strict            # strict | lenient (Symbl's 2022 rules or the later docs)
    api_url: https://api.symbl.ai
    prune: false
    ignore: []               # fnmatch globs of remote names never touched
    safety: {max_deletes: 10, max_delete_fraction: 0.3}
    ids_file: trackers.ids.json
    vars: {}
    environments: {NAME: {api_url, credentials_prefix, vars}}

Loading the file (with positions and "did you mean" hints) lives in
``trackersync.definitions``; this module only holds the models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_API_URL = "https://api.symbl.ai"
ACCOUNT_TRACKER_LIMIT = 500  # Symbl's documented limit of trackers per account


class SafetyConfig(BaseModel):
    """Thresholds that make an apply refuse mass deletes (octoDNS-style safety valve)."""

    model_config = ConfigDict(extra="forbid")

    max_deletes: int = Field(default=10, ge=0)
    max_delete_fraction: float = Field(default=0.3, ge=0.0, le=1.0)


class EnvironmentConfig(BaseModel):
    """One Symbl account: its API URL, where its credentials are read, its template vars."""

    model_config = ConfigDict(extra="forbid")

    api_url: str | None = None
    credentials_prefix: str = "SYMBL_"
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
    ids_file: str = "trackers.ids.json"
    vars: dict[str, Any] = Field(default_factory=dict)
    environments: dict[str, EnvironmentConfig] = Field(default_factory=dict)
    account_limit: int = Field(default=ACCOUNT_TRACKER_LIMIT, ge=1)
    # rule code -> "error" | "warning" | "off", for the adjustable validation rules
    # (trackersync.definitions.rules); e.g. {"phrase-few": "off"}.
    severity: dict[str, Literal["error", "warning", "off"]] = Field(default_factory=dict)
    # conversation files of behaviour tests (trackersync test), relative to the project root
    tests_dir: str = "tracker-tests"
