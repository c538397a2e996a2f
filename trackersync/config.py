"""The project configuration, ``trackersync.yaml`` (every key optional).

Shape (see README "Configuration")::

    trackers_dir: trackers
    rules: strict            # strict: Symbl's 2022 phrase rules; lenient: the later docs
    api_url: https://api.symbl.ai
    prune: false
    ignore: []               # fnmatch globs of remote names never touched
    safety: {max_deletes: 10, max_delete_fraction: 0.3, drift: revert}
    state_file: trackers.ids.json   # the state record (ids_file: the older name)
    vars: {}
    environments: {NAME: {api_url, credentials_prefix, rules, vars}}

Loading the file (with positions and "did you mean" hints) lives in
``trackersync.definitions``; this module only holds the models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

DEFAULT_API_URL = "https://api.symbl.ai"
ACCOUNT_TRACKER_LIMIT = 500  # Symbl's documented maximum of trackers per account


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

    def rules_for(self, env: str | None) -> Literal["strict", "lenient"]:
        """The rules profile for ``env`` (``None`` = the default account).

        An environment's own ``rules`` wins over the top-level ``rules``; an unknown
        environment name falls back to the top-level value (the loader reports it).
        Under ``strict`` every tracker file is checked against Symbl's 2022 rules before
        anything is sent, so a phrase that account would refuse with HTTP 400 is an
        error at plan time.
        """
        environment = self.environments.get(env) if env else None
        if environment is not None and environment.rules is not None:
            return environment.rules
        return self.rules
