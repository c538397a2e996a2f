"""Run-time settings of the emulator (the flags of ``trackersync emulator``).

Every setting maps to a documented behaviour or a decision in ``docs/api-contract.md``;
the docstring of each field names it. Settings can be changed on a running server with
``POST /_emulator/config`` (see :mod:`symbl_emulator.control`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from symbl_emulator.faults import integral

DEFAULT_APP_ID = "trackersync-emulator-app"
DEFAULT_APP_SECRET = "trackersync-emulator-secret"  # noqa: S105 - a public, local-only default
MAX_BODY_BYTES = 1_048_576
RULE_PROFILES = ("strict", "lenient")
PUT_MODES = ("replace", "merge")
MATCHING_MODES = ("contextual", "exact")


class SettingsError(ValueError):
    """A setting has a value outside its documented range."""


@dataclass
class EmulatorSettings:
    """The emulator's behaviour switches.

    Attributes:
        rules: ``"strict"`` or ``"lenient"`` validation profile ("Phrase count",
            "Punctuation in phrases").
        latency_ms: extra handling time of every API request, in milliseconds; creates
            and updates hold the account's in-flight lock meanwhile ("Concurrency of writes").
        put_mode: ``"replace"`` (default, "PUT replaces") or ``"merge"`` (the documented
            sample answer of Symbl's update page: new phrases first, then old ones).
        app_id: the one application id ``POST /oauth2/token:generate`` accepts.
        app_secret: its secret. Never logged or shown in reprs.
        token_ttl: lifetime of an access token in seconds (``expiresIn``, default 86400).
        tracker_limit: trackers per account ("Tracker limit", default 500).
        max_body_bytes: request body limit in bytes ("Body size", 1 MB).
        job_delay_ms: time a job takes to reach ``completed`` ("Job lifecycle", 0 = at once).
        max_concurrent_jobs: Async concurrent-jobs limit, ``None`` = off ("Concurrent jobs").
        matching: ``"contextual"`` (default: exact phrases on word boundaries plus
            contextually similar ones, as Symbl matched) or ``"exact"`` (exact only);
            see :mod:`symbl_emulator.matching`.
        max_media_bytes: largest audio/video upload accepted, in bytes (the bytes are
            hashed, never stored).
    """

    rules: str = "strict"
    latency_ms: int = 0
    put_mode: str = "replace"
    app_id: str = DEFAULT_APP_ID
    app_secret: str = DEFAULT_APP_SECRET
    token_ttl: int = 86400
    tracker_limit: int = 500
    max_body_bytes: int = MAX_BODY_BYTES
    job_delay_ms: int = 0
    max_concurrent_jobs: int | None = None
    matching: str = "contextual"
    max_media_bytes: int = 64 * 1_048_576  # also the HTTP layer's default body cap

    def __post_init__(self) -> None:
        self.check()

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.public().items()}
        return f"EmulatorSettings({shown!r})"

    def check(self) -> None:
        """Raise :class:`SettingsError` if a value is out of range."""
        if self.rules not in RULE_PROFILES:
            raise SettingsError(f"rules must be one of {RULE_PROFILES}, got {self.rules!r}")
        if self.put_mode not in PUT_MODES:
            raise SettingsError(f"put_mode must be one of {PUT_MODES}, got {self.put_mode!r}")
        if self.matching not in MATCHING_MODES:
            raise SettingsError(
                f"matching must be one of {MATCHING_MODES}, got {self.matching!r}")
        for name in ("latency_ms", "token_ttl", "tracker_limit", "max_body_bytes", "job_delay_ms",
                     "max_media_bytes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise SettingsError(f"{name} must be a non-negative integer, got {value!r}")
        jobs = self.max_concurrent_jobs
        if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
            raise SettingsError(f"max_concurrent_jobs must be null or >= 1, got {jobs!r}")
        if not all(isinstance(v, str) and v for v in (self.app_id, self.app_secret)):
            raise SettingsError("app_id and app_secret must be non-empty strings")

    def public(self) -> dict[str, Any]:
        """The settings as a dict without the app secret (for ``/_emulator/config``)."""
        data = asdict(self)
        data.pop("app_secret")
        return data

    def update(self, changes: dict[str, Any]) -> None:
        """Apply ``changes`` (a subset of the fields) atomically.

        Raises:
            SettingsError: an unknown key or an out-of-range value; nothing is changed.
        """
        known = {f.name for f in fields(self)}
        changes = {key: integral(value) for key, value in changes.items()}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
        candidate = EmulatorSettings(**{**asdict(self), **changes})
        for name in known:
            setattr(self, name, getattr(candidate, name))
