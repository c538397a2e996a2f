"""A pytest plugin with emulator fixtures, registered through the ``pytest11`` entry point.

Installing the distribution makes these fixtures available in any project's tests,
with no import and no ``conftest.py``:

- ``symbl_emulator``: a fresh emulator per test (in-memory state, strict rules,
  127.0.0.1 on a free port), stopped afterwards. Point the code under test at
  ``symbl_emulator.url`` with ``symbl_emulator.app_id`` / ``symbl_emulator.app_secret``,
  or take ``symbl_emulator.token()`` directly.
- ``symbl_emulator_session``: one emulator for the whole session, reset (trackers,
  conversations, jobs, request log, faults) before each test that asks for it.

Options for the emulator come from the ``symbl_emulator_options`` fixture (a dict of
:func:`symbl_emulator.start_emulator` keyword arguments, empty by default), which a
project may override in its ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from symbl_emulator.server import EmulatorServer, start_emulator


@pytest.fixture
def symbl_emulator_options() -> dict[str, Any]:
    """Keyword arguments for :func:`start_emulator`; override to change rules, latency..."""
    return {}


@pytest.fixture
def symbl_emulator(symbl_emulator_options: dict[str, Any]) -> Iterator[EmulatorServer]:
    """A fresh, running emulator for one test."""
    with start_emulator(**symbl_emulator_options) as server:
        yield server


@pytest.fixture(scope="session")
def _symbl_emulator_shared() -> Iterator[EmulatorServer]:
    with start_emulator() as server:
        yield server


@pytest.fixture
def symbl_emulator_session(_symbl_emulator_shared: EmulatorServer) -> EmulatorServer:
    """The session's emulator, reset before the test (settings and tokens are kept)."""
    _symbl_emulator_shared.reset()
    return _symbl_emulator_shared
