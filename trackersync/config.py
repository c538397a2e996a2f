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

These are plain dataclasses, what the program works with. The shape of the file, its
validation and its JSON Schema come from the pydantic models of the same names in
:mod:`trackersync.definitions.config_schema` (same fields, same defaults); loading the
file (with positions and "did you mean" hints) lives in
:mod:`trackersync.definitions.config_loader`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from trackersync.copyable import Copyable
from trackersync.errors import ConfigError

DEFAULT_API_URL = "https://api.symbl.ai"
ACCOUNT_TRACKER_LIMIT = 500  # Symbl's documented maximum of trackers per account

Rules = Literal["strict", "lenient"]


@dataclass(kw_only=True)
class SafetyConfig(Copyable):
    """Thresholds that make an apply refuse mass deletes (octoDNS-style safety valve).

    Attributes:
        max_deletes: most deletes one apply makes without ``--allow-deletes N`` (>= 0).
        max_delete_fraction: most deletes as a fraction of the account (0.0 to 1.0).
        drift: what apply does with drift (a tracker edited in the account, not in the
            files): ``revert`` it to the files (the default, as Terraform does), or
            ``refuse`` to apply until the files take the change in (or
            ``--overwrite-conflicts``).
    """

    max_deletes: int = 10
    max_delete_fraction: float = 0.3
    drift: Literal["revert", "refuse"] = "revert"


@dataclass(kw_only=True)
class EnvironmentConfig(Copyable):
    """One Symbl account: its API URL, where its credentials are read, its template vars.

    Attributes:
        api_url: the account's API base URL (``None``: the top-level ``api_url``).
        credentials_prefix: environment variables ``<prefix>APP_ID`` and so on.
        rules: the rules this account is checked against; ``None`` = the top-level
            ``rules`` (a lenient staging account next to a strict production one).
        vars: template variables overlaid on the top-level ``vars``.
    """

    api_url: str | None = None
    credentials_prefix: str = "SYMBL_"
    rules: Rules | None = None
    vars: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Config(Copyable):
    """The whole ``trackersync.yaml``; every key has a default (README "Configuration").

    Attributes:
        trackers_dir: the tracker files' folder, relative to the project root.
        rules: ``strict`` (Symbl's 2022 phrase rules) or ``lenient`` (the later docs).
        api_url: the API base URL.
        prune: delete remote trackers no file defines (those the state record owns).
        ignore: remote tracker names (exact, or fnmatch globs) never touched or listed.
        safety: the delete thresholds and the drift policy.
        state_file: the state record (what this repository owns, and each tracker as
            last applied); ``ids_file``, its older name, is read too.
        vars: template variables.
        environments: one Symbl account each, by name.
        account_limit: trackers per Symbl account (>= 1).
        severity: rule code -> ``error`` | ``warning`` | ``off``, for the adjustable
            validation rules (:mod:`trackersync.definitions.rules`), e.g.
            ``{"phrase-few": "off"}``.
        tests_dir: conversation files of behaviour tests (``trackersync test``),
            relative to the project root.
    """

    trackers_dir: str = "trackers"
    rules: Rules = "strict"
    api_url: str = DEFAULT_API_URL
    prune: bool = False
    ignore: list[str] = field(default_factory=list)
    safety: SafetyConfig = field(default_factory=SafetyConfig)
    state_file: str = "trackers.ids.json"
    vars: dict[str, Any] = field(default_factory=dict)
    environments: dict[str, EnvironmentConfig] = field(default_factory=dict)
    account_limit: int = ACCOUNT_TRACKER_LIMIT
    severity: dict[str, Literal["error", "warning", "off"]] = field(default_factory=dict)
    tests_dir: str = "tracker-tests"

    def __post_init__(self) -> None:
        # mappings given for the nested parts (as in YAML) become their dataclasses
        if isinstance(self.safety, Mapping):
            self.safety = SafetyConfig(**self.safety)
        if any(isinstance(env, Mapping) for env in self.environments.values()):
            self.environments = {
                name: EnvironmentConfig(**env) if isinstance(env, Mapping) else env
                for name, env in self.environments.items()
            }

    def rules_for(self, env: str | None) -> Rules:
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


def state_path(root: Path, state_file: str, env: str | None) -> Path:
    """Return where the state record lives for an environment (``None`` = default account).

    Args:
        root: the project root; a relative ``state_file`` is taken from there.
        state_file: the config's ``state_file`` (``trackers.ids.json``).
        env: ``--env NAME``: ``trackers.ids.NAME.json``, so two accounts never share one.

    Raises:
        ConfigError: ``env`` is not a safe file-name part (trackersync.yaml is checked
            for this when loaded; this guards every other caller).
    """
    from trackersync.definitions.config_loader import environment_name_problem

    if env and environment_name_problem(env):
        raise ConfigError(str(environment_name_problem(env)))
    path = Path(state_file)
    if not path.is_absolute():
        path = root / path
    if env:
        path = path.with_name(f"{path.stem}.{env}{path.suffix or '.json'}")
    return path
