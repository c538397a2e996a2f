"""A pytest plugin with emulator fixtures, registered through the ``pytest11`` entry point.

Installing the distribution makes these fixtures available in any project's tests,
with no import and no ``conftest.py``:

- ``symbl_emulator``: a fresh emulator per test (in-memory state, strict rules,
  127.0.0.1 on a free port), stopped afterwards. Point the code under test at
  ``symbl_emulator.url`` with ``symbl_emulator.app_id`` / ``symbl_emulator.app_secret``,
  or take ``symbl_emulator.token()`` directly.
- ``symbl_emulator_session``: one emulator for the whole session, reset (trackers,
  conversations, jobs, request log, faults) before each test that asks for it, and
  its settings put back to the defaults plus that test's ``symbl_emulator_options``,
  so a test that calls ``configure(...)`` never changes the next one's emulator.

Options for the emulator come from the ``symbl_emulator_options`` fixture (a dict of
:func:`symbl_emulator.start_emulator` keyword arguments, empty by default), which a
project may override in its ``conftest.py`` or a test module. Both fixtures honour it;
the session emulator, started once, takes only the settings (``rules``,
``latency_ms``, ``put_mode``, ``token_ttl``, ``tracker_limit``, ``job_delay_ms``,
``max_concurrent_jobs``, ``app_id``, ``app_secret``): asking it for ``host``,
``port``, ``db_path`` or ``limits`` is a usage error naming ``symbl_emulator``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from symbl_emulator.server import EmulatorServer

# The emulator is imported by the fixtures that start one, not when pytest loads this
# plugin: a test session that uses none of them does not pay for the server's import.


@pytest.fixture
def symbl_emulator_options() -> dict[str, Any]:
    """Keyword arguments for :func:`start_emulator`; override to change rules, latency..."""
    return {}


@pytest.fixture
def symbl_emulator(symbl_emulator_options: dict[str, Any]) -> Iterator[EmulatorServer]:
    """A fresh, running emulator for one test."""
    from symbl_emulator.server import start_emulator

    with start_emulator(**symbl_emulator_options) as server:
        yield server


@pytest.fixture(scope="session")
def _symbl_emulator_shared() -> Iterator[EmulatorServer]:
    from symbl_emulator.server import start_emulator

    with start_emulator() as server:
        yield server


#: start_emulator arguments that only take effect when a server starts.
_START_ONLY = frozenset({"host", "port", "db_path", "limits"})


@pytest.fixture
def symbl_emulator_session(
    _symbl_emulator_shared: EmulatorServer, symbl_emulator_options: dict[str, Any]
) -> EmulatorServer:
    """The session's emulator, reset before the test, with this test's settings.

    State is emptied; settings become the defaults updated with
    ``symbl_emulator_options``; tokens already issued stay valid.

    Raises:
        pytest.UsageError: the options ask for a start-only argument (host, port,
            db_path, limits), which a shared, running emulator cannot change.
    """
    from symbl_emulator.settings import EmulatorSettings

    start_only = sorted(_START_ONLY & set(symbl_emulator_options))
    if start_only:
        raise pytest.UsageError(
            f"symbl_emulator_session is started once per session, so "
            f"symbl_emulator_options cannot set {', '.join(start_only)}; use the "
            "symbl_emulator fixture (a fresh emulator per test) instead")
    settings = asdict(EmulatorSettings())
    settings.update({key: value for key, value in symbl_emulator_options.items()
                     if not (key in ("app_id", "app_secret") and value is None)})
    _symbl_emulator_shared.reset()
    _symbl_emulator_shared.settings.update(settings)
    return _symbl_emulator_shared
