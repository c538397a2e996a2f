"""Shared pytest fixtures: the Symbl emulator over real HTTP, and the ``--live`` switch.

- ``emulator``: a fresh :class:`~trackersync.emulator.EmulatorServer` per test
  (in-memory SQLite, strict rules, port 0), stopped afterwards.
- ``api_target``: ``(base_url, token)`` for contract tests: the emulator by default, or
  the real account named by ``SYMBL_API_URL`` + ``SYMBL_ACCESS_TOKEN`` (or
  ``SYMBL_APP_ID``/``SYMBL_APP_SECRET``) when pytest runs with ``--live``.
- Tests marked ``live`` run only with ``--live``; tests marked ``emulator_only`` are
  skipped with ``--live`` (they need the control endpoints).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from trackersync.emulator import EmulatorServer, start_emulator


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        default=False,
        help="run the contract suite against the real Symbl account in SYMBL_* env vars",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "emulator_only: needs the emulator's control endpoints")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    live = config.getoption("--live")
    for item in items:
        if "live" in item.keywords and not live:
            item.add_marker(pytest.mark.skip(reason="needs --live and a real Symbl account"))
        if "emulator_only" in item.keywords and live:
            item.add_marker(pytest.mark.skip(reason="emulator-only (uses /_emulator/*)"))


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    """A fresh emulator (in-memory db, default settings) listening on 127.0.0.1:<free port>."""
    with start_emulator() as server:
        yield server


@dataclass(frozen=True)
class ApiTarget:
    """Where contract tests send requests.

    Attributes:
        url: base URL without trailing slash, e.g. ``http://127.0.0.1:PORT``.
        token: a valid access token.
        emulator: the emulator behind ``url``, or ``None`` against a live account.
    """

    url: str
    token: str
    emulator: EmulatorServer | None

    @property
    def headers(self) -> dict[str, str]:
        """``Authorization: Bearer`` headers."""
        return {"Authorization": f"Bearer {self.token}"}


def _live_target() -> ApiTarget:
    url = os.environ.get("SYMBL_API_URL", "https://api.symbl.ai").rstrip("/")
    token = os.environ.get("SYMBL_ACCESS_TOKEN")
    if not token:
        app_id, secret = os.environ.get("SYMBL_APP_ID"), os.environ.get("SYMBL_APP_SECRET")
        if not (app_id and secret):
            pytest.skip("--live needs SYMBL_ACCESS_TOKEN or SYMBL_APP_ID + SYMBL_APP_SECRET")
        answer = requests.post(
            f"{url}/oauth2/token:generate",
            json={"type": "application", "appId": app_id, "appSecret": secret},
            timeout=30,
        )
        answer.raise_for_status()
        token = answer.json()["accessToken"]
    return ApiTarget(url=url, token=str(token), emulator=None)


@pytest.fixture
def api_target(request: pytest.FixtureRequest) -> Iterator[ApiTarget]:
    """The emulator (default) or a live account (``--live``) with a valid token."""
    if request.config.getoption("--live"):
        yield _live_target()
        return
    with start_emulator() as server:
        yield ApiTarget(url=server.url, token=server.token(), emulator=server)
