"""Fixtures for the client tests: clients on the emulator, fake sleep, and ``leaks``.

Every test of the suite ends with the secret-leak scan of tests/conftest.py; here it is
also available as ``leaks``, so a test can add secrets (``leaks.secrets``) or exception
texts (``leaks.check``) to what is scanned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from symbl_emulator import EmulatorServer
from tests.leakscan import LeakScan
from trackersync.client import Credentials, SymblClient

from .helpers import FakeSleep


@pytest.fixture
def leaks(secret_scan: LeakScan) -> LeakScan:
    """The suite-wide secret scan (tests/conftest.py), by the name these tests use."""
    return secret_scan


@pytest.fixture
def fake_sleep() -> FakeSleep:
    """A sleep that only records."""
    return FakeSleep()


@pytest.fixture
def make_client(
    emulator: EmulatorServer, fake_sleep: FakeSleep, leaks: LeakScan
) -> Iterator[Callable[..., SymblClient]]:
    """Factory for clients on the emulator with app credentials and fake sleep."""
    made: list[SymblClient] = []
    leaks.secrets.add(emulator.app_secret)

    def factory(credentials: Credentials | None = None, **options: Any) -> SymblClient:
        creds = credentials or Credentials(app_id=emulator.app_id,
                                           app_secret=emulator.app_secret)
        leaks.secrets.update(s for s in creds.secret_values() if s != emulator.app_id)
        options.setdefault("sleep", fake_sleep)
        client = SymblClient(emulator.url, creds, **options)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., SymblClient]) -> SymblClient:
    """A client on the emulator (app id/secret, fake sleep, 5 attempts)."""
    return make_client()
