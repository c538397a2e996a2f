"""Where commands send their API calls: a real Symbl account or the embedded emulator.

:func:`open_target` turns the global options (``--emulator``), the config
(``api_url``, ``environments``, ``rules``) and ``--env NAME`` into a ready
:class:`~trackersync.client.SymblClient`, and cleans up afterwards (README
"Configuration", "Commands").
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from trackersync.client import Credentials, SymblClient
from trackersync.config import Config
from trackersync.errors import ConfigError

if TYPE_CHECKING:
    from symbl_emulator import EmulatorServer

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "SYMBL_"
EMULATOR_DB = Path(".trackersync") / "emulator.db"


class _App(Protocol):
    """What open_target needs from :class:`trackersync.cli.common.AppContext`."""

    @property
    def use_emulator(self) -> bool: ...

    @property
    def project_root(self) -> Path: ...


@dataclass
class Target:
    """An opened API target.

    Attributes:
        client: the client to call (serial, retrying, ambiguity-safe).
        api_url: its base URL (for messages; never carries credentials).
        env_name: the ``--env`` name, or ``None`` for the default account.
        emulator: the in-process emulator when ``--emulator`` is on, else ``None``.
    """

    client: SymblClient
    api_url: str
    env_name: str | None
    emulator: EmulatorServer | None


def resolve_account(
    config: Config, env: str | None, environ: Mapping[str, str]
) -> tuple[str, str]:
    """Return ``(api_url, credentials_prefix)`` for ``--env`` (or the default account).

    URL precedence: ``<prefix>API_URL`` (``SYMBL_API_URL`` for the default account) >
    the environment's ``api_url`` > the config's ``api_url``. A plain ``SYMBL_API_URL``
    never redirects a named environment whose prefix differs, so a leftover export
    cannot send that account's credentials elsewhere.

    Raises:
        ConfigError: ``env`` is not in ``config.environments`` (lists the known names).
    """
    prefix, env_url = DEFAULT_PREFIX, None
    if env is not None:
        if env not in config.environments:
            known = ", ".join(sorted(config.environments)) or "none are configured"
            raise ConfigError(
                f"unknown environment {env!r} (known: {known}); add it under "
                "'environments:' in trackersync.yaml"
            )
        chosen = config.environments[env]
        prefix, env_url = chosen.credentials_prefix, chosen.api_url
    url = environ.get(f"{prefix}API_URL") or env_url or config.api_url
    return url, prefix


@contextmanager
def open_target(
    app: _App,
    config: Config,
    env: str | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> Iterator[Target]:
    """Open the API target for one command; close the client (and emulator) on exit.

    With ``app.use_emulator`` an emulator is started in-process with its state in
    ``<project root>/.trackersync/emulator.db`` (so a later run sees what this one
    applied), the config's ``rules`` and ``account_limit``; its own credentials are used
    and no environment variables are needed. Otherwise credentials come from
    ``<prefix>ACCESS_TOKEN`` or ``<prefix>APP_ID`` + ``<prefix>APP_SECRET``.

    Args:
        app: the CLI's AppContext (``use_emulator``, ``project_root``).
        config: the loaded ``trackersync.yaml``.
        env: ``--env NAME``, or ``None``.
        environ: environment variables (default ``os.environ``).
        client_options: extra keyword arguments for :class:`SymblClient` (tests).

    Raises:
        ConfigError: unknown environment, bad API URL, or the emulator cannot start.
        AuthError: credentials missing (the message names the variables).
    """
    env_vars = os.environ if environ is None else environ
    options = dict(client_options or {})
    emulator = None
    if app.use_emulator:
        emulator = _start_emulator(app.project_root / EMULATOR_DB, config)
        github = env_vars.get("GITHUB_ACTIONS") == "true"
        creds = Credentials(app_id=emulator.app_id, app_secret=emulator.app_secret,
                            github_actions=github)
        url = emulator.url
    else:
        url, prefix = resolve_account(config, env, env_vars)
        creds = Credentials.from_env(prefix, env_vars)
    try:
        client = SymblClient(url, creds, **options)
    except BaseException:
        if emulator is not None:
            emulator.stop()
        raise
    logger.info("API target %s%s", client.base_url, f" (environment {env})" if env else "")
    try:
        yield Target(client=client, api_url=client.base_url, env_name=env, emulator=emulator)
    finally:
        client.close()
        if emulator is not None:
            emulator.stop()


def _start_emulator(db_path: Path, config: Config) -> EmulatorServer:
    from symbl_emulator import SettingsError, start_emulator

    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        return start_emulator(db_path=db_path, rules=config.rules,
                              tracker_limit=config.account_limit)
    except (OSError, SettingsError) as exc:
        raise ConfigError(f"cannot start the embedded emulator at {db_path}: {exc}") from exc
