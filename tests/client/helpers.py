"""Helpers for the client tests: fake sleep, emulator control calls, tracker builders."""

from __future__ import annotations

from typing import Any

import requests

from symbl_emulator import EmulatorServer
from trackersync.model import Tracker


class FakeSleep:
    """Records requested waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def faults(emulator: EmulatorServer, *rules: dict[str, Any]) -> None:
    """Install fault rules through the HTTP control endpoint (as any test process would)."""
    answer = requests.post(f"{emulator.url}/_emulator/faults", json=list(rules), timeout=5)
    assert answer.status_code == 201, answer.text


def api_log(emulator: EmulatorServer) -> list[tuple[str, str, int | None]]:
    """``(method, path, status)`` of every API request the emulator saw (None = dropped)."""
    answer = requests.get(f"{emulator.url}/_emulator/requests", timeout=5)
    return [(r["method"], r["path"], r["status"]) for r in answer.json()["requests"]]


def tracker(name: str, *phrases: str) -> Tracker:
    """A Tracker with the given phrases (default: two valid phrases derived from name)."""
    return Tracker(name=name, vocabulary=phrases or (f"{name.lower()} one", f"{name.lower()} two"))
