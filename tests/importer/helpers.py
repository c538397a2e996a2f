"""Support for import tests: the real trackers, a project folder + account, the CLI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from click.testing import Result

from symbl_emulator import EmulatorServer
from tests.helpers import invoke

CASES = Path(__file__).resolve().parents[1] / "cases" / "real-trackers.json"


def real_trackers() -> list[dict[str, Any]]:
    """The 30 real trackers (name + vocabulary only), in file order, repeats included."""
    items = json.loads(CASES.read_text(encoding="utf-8"))
    return [{"name": t["name"], "vocabulary": t["vocabulary"]} for t in items]


def first_of_each_name(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the first tracker of each name (a real account holds each name once)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item["name"] not in seen:
            seen.add(item["name"])
            kept.append(item)
    return kept


@dataclass
class Project:
    """A user's repository (the current directory) and the account behind it."""

    root: Path
    server: EmulatorServer

    @property
    def trackers(self) -> Path:
        return self.root / "trackers"

    def configure(self, text: str) -> None:
        (self.root / "trackersync.yaml").write_text(text, encoding="utf-8")

    def seed(self, items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        answer = requests.post(f"{self.server.url}/_emulator/seed", json=list(items), timeout=10)
        answer.raise_for_status()
        return list(answer.json()["trackers"])

    def state(self) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.server.url}/_emulator/state", timeout=10)
        answer.raise_for_status()
        return list(answer.json()["trackers"])

    def env(self) -> dict[str, str | None]:
        return {
            "SYMBL_API_URL": self.server.url,
            "SYMBL_APP_ID": self.server.app_id,
            "SYMBL_APP_SECRET": self.server.app_secret,
            "SYMBL_ACCESS_TOKEN": None,
        }

    def run(self, *args: str, env: dict[str, str | None] | None = None) -> Result:
        return invoke(args, {**self.env(), **(env or {})})

    def files(self) -> dict[str, bytes]:
        """Every file under trackers/, by relative path."""
        return {
            p.relative_to(self.trackers).as_posix(): p.read_bytes()
            for p in sorted(self.trackers.rglob("*"))
            if p.is_file()
        }
