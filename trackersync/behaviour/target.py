"""Where behaviour tests and detections run, and the IDs of the managed trackers there.

- **Fresh** (``test``'s default, ``detect --fresh``): an in-memory emulator started
  in-process; the trackers the files define (as they are now, unapplied changes
  included) are created in it with the Management API's bulk create, so a change is
  tested before it is applied.
- ``--emulator``: the project's embedded emulator (``.trackersync/emulator.db``) with
  the IDs its last apply recorded.
- ``--env NAME`` (or, for ``detect``, the default account): that Symbl account, with
  the IDs its last apply recorded in its state record.

Managed IDs are read in one place, :func:`recorded_ids`, from the state record that
apply writes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from trackersync.client import Credentials, SymblClient
from trackersync.config import Config
from trackersync.errors import ConfigError, PlanError
from trackersync.model import DesiredTracker
from trackersync.state import read_state, state_path
from trackersync.target import open_target


class App(Protocol):
    """The global options this module reads (the CLI's ``AppContext``)."""

    @property
    def use_emulator(self) -> bool:
        """True with ``--emulator``: run against the embedded Symbl emulator."""
        ...

    @property
    def project_root(self) -> Path:
        """The project folder (``--config``'s folder, or the nearest with ``trackersync.yaml``)."""
        ...


@dataclass
class TestTarget:
    """An opened target: the client and ``name -> id`` of every managed tracker there.

    Attributes:
        client: the API client (its ``request_count`` counts the HTTP requests).
        ids: tracker name -> tracker id, for every tracker the files define.
        where: a short description for reports (``embedded emulator``, the API URL).
    """

    __test__ = False

    client: SymblClient
    ids: dict[str, str]
    where: str


FRESH_HINT_TEST = "or run without --env and --emulator to test against a fresh embedded emulator"
FRESH_HINT_DETECT = "or pass --fresh to use a fresh embedded emulator holding the files' trackers"


def recorded_ids(app: App, config: Config, env: str | None,
                 trackers: Sequence[DesiredTracker], *,
                 fresh_hint: str = FRESH_HINT_TEST) -> dict[str, str]:
    """``name -> id`` of the defined trackers, from the state record the last apply wrote.

    ``fresh_hint`` ends the "run apply first" message: how the calling command runs
    without a state record.

    Raises:
        PlanError: no state record, or a defined tracker has no recorded ID (not applied).
        StateRecordError: the state record cannot be read.
    """
    if app.use_emulator:
        path = state_path(app.project_root / ".trackersync", "emulator.ids.json", env)
    else:
        path = state_path(app.project_root, config.state_file, env)
    record = read_state(path)
    if record is None:
        raise PlanError(f"no state record at {path}: run apply first ({fresh_hint})")
    missing = [t.name for t in trackers if t.name not in record.names]
    if missing:
        names = ", ".join(f"'{n}'" for n in missing[:5])
        raise PlanError(f"{len(missing)} defined tracker(s) have no recorded ID ({names}); "
                        f"run apply first ({fresh_hint})")
    return {t.name: record.names[t.name] for t in trackers}


@contextmanager
def open_test_target(app: App, config: Config, env: str | None,
                     trackers: Sequence[DesiredTracker], *, fresh: bool,
                     fresh_hint: str = FRESH_HINT_TEST) -> Iterator[TestTarget]:
    """Open the target for ``test``/``detect`` (see the module docstring); close it after.

    Args:
        app: global options (``use_emulator``, ``project_root``).
        config: the loaded ``trackersync.yaml``.
        env: ``--env NAME``, or ``None``.
        trackers: the trackers the files define (created in a fresh emulator).
        fresh: a fresh embedded emulator holding ``trackers``; otherwise the account of
            ``env`` (or the ``--emulator`` one) with the IDs the last apply recorded.
        fresh_hint: how the calling command runs without a state record (in the error).

    Raises:
        ConfigError: the emulator cannot start, or the target is misconfigured.
        AuthError: credentials missing for ``--env``.
        PlanError: managed trackers without a recorded ID.
        ApiError: creating the trackers in the embedded emulator failed.
    """
    if not fresh:
        ids = recorded_ids(app, config, env, trackers, fresh_hint=fresh_hint)
        with open_target(app, config, env) as target:
            yield TestTarget(target.client, ids, target.api_url)
        return
    with _fresh_emulator(config, env) as client:
        created = client.create_trackers(list(trackers)) if trackers else []
        yield TestTarget(client, {t.name: t.id for t in created}, "embedded emulator")


@contextmanager
def _fresh_emulator(config: Config, env: str | None) -> Iterator[SymblClient]:
    from symbl_emulator import SettingsError, start_emulator

    try:
        server = start_emulator(rules=config.rules_for(env), tracker_limit=config.account_limit)
    except (OSError, SettingsError) as exc:
        raise ConfigError(f"cannot start the embedded emulator: {exc}") from exc
    try:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        creds = Credentials(app_id=server.app_id, app_secret=server.app_secret,
                            github_actions=github)
        with SymblClient(server.url, creds) as client:
            yield client
    finally:
        server.stop()

