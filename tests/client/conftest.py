"""Fixtures for the client tests: clients on the emulator, fake sleep, and a leak scan.

Every test in this folder is followed by a scan of everything it produced (stdout,
stderr, every log record at DEBUG from every logger, and exception texts the test
registered with ``leaks.check``) for the app secret and every access token issued
(issue 5: "a secret-leak scan over every test's output"). The only allowed sighting
of a token is the ``::add-mask::`` line GitHub Actions needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from trackersync.client import Credentials, SymblClient
from trackersync.client import auth as auth_module
from trackersync.emulator import EmulatorServer

from .helpers import FakeSleep


class LeakScan:
    """Collects secret values and texts to scan at teardown."""

    def __init__(self) -> None:
        self.secrets: set[str] = set()
        self.texts: list[str] = []

    def check(self, *objects: Any) -> None:
        """Add ``str`` and ``repr`` of objects (e.g. caught exceptions) to the scan."""
        for obj in objects:
            self.texts.append(str(obj))
            self.texts.append(repr(obj))
            for arg in getattr(obj, "args", ()):
                self.texts.append(str(arg))

    def scan(self, text: str) -> list[str]:
        kept = "\n".join(
            line for line in text.splitlines() if not line.startswith("::add-mask::")
        )
        return sorted(s for s in self.secrets if s in kept)


@pytest.fixture(autouse=True)
def leaks(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> Iterator[LeakScan]:
    """Scan all output of the test for secrets and tokens (see module docstring)."""
    scan = LeakScan()
    original = auth_module.TokenManager._announce

    def recording(self: auth_module.TokenManager, token: str) -> None:
        scan.secrets.add(token)
        original(self, token)

    monkeypatch.setattr(auth_module.TokenManager, "_announce", recording)
    caplog.set_level(logging.DEBUG)  # -vv: urllib3 and everything else included
    yield scan
    out, err = capsys.readouterr()
    text = "\n".join([out, err, caplog.text, *scan.texts])
    leaked = scan.scan(text)
    assert leaked == [], f"{len(leaked)} secret value(s) leaked into the test's output"


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
