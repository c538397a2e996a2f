"""Helpers for driving the core (:mod:`trackersync.sync`) without click, over real HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from symbl_emulator import EmulatorServer
from trackersync import sync
from trackersync.apply import ApplyReport
from trackersync.model import Problem
from trackersync.pipeline import PlanResult
from trackersync.plan import Plan

FIVE = ["alpha one", "bravo two", "charlie three", "delta four", "echo five"]


@dataclass
class Workspace:
    """A project folder, as the CLI's AppContext describes it."""

    project_root: Path
    config_path: Path | None = None
    use_emulator: bool = False


@dataclass
class Recorder:
    """:class:`trackersync.sync.Hooks` that remember what the core showed and asked."""

    approve: bool = True
    plans: list[Plan] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failures: list[ApplyReport] = field(default_factory=list)
    asked: int = 0

    def hooks(self) -> sync.Hooks:
        def show(result: PlanResult) -> None:
            self.plans.append(result.plan)

        def confirm(_plan: Plan) -> bool:
            self.asked += 1
            return self.approve

        return sync.Hooks(show_plan=show, confirm=confirm, notice=self.notices.append,
                          problems=self.problems.extend, failure=self.failures.append)


def project(root: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch,
            config: str = "") -> Workspace:
    """A project at ``root`` talking to ``emulator`` through the documented variables."""
    (root / "trackers").mkdir(parents=True, exist_ok=True)
    (root / "trackersync.yaml").write_text(config or "trackers_dir: trackers\n")
    monkeypatch.setenv("SYMBL_API_URL", emulator.url)
    monkeypatch.setenv("SYMBL_APP_ID", emulator.app_id)
    monkeypatch.setenv("SYMBL_APP_SECRET", emulator.app_secret)
    monkeypatch.delenv("SYMBL_ACCESS_TOKEN", raising=False)
    return Workspace(project_root=root)


def write_tracker(root: Path, name: str, phrases: list[str], file: str | None = None) -> None:
    """Write one tracker file under ``root/trackers``."""
    lines = [f"name: {name}", "vocabulary:", *(f"  - {p}" for p in phrases)]
    path = root / "trackers" / (file or f"{name.lower().replace(' ', '-')}.yaml")
    path.write_text("\n".join(lines) + "\n")


def edit_in_account(emulator: EmulatorServer, tracker: str, **changes: Any) -> None:
    """Change a tracker the way Symbl's UI would: a PUT trackersync did not make."""
    found = next(t for t in emulator.trackers() if t["name"] == tracker)
    body = {"name": found["name"], "vocabulary": found["vocabulary"], **changes}
    token = requests.post(f"{emulator.url}/oauth2/token:generate", timeout=10, json={
        "type": "application", "appId": emulator.app_id, "appSecret": emulator.app_secret,
    }).json()["accessToken"]
    answer = requests.put(f"{emulator.url}/v1/manage/tracker/{found['id']}", timeout=10,
                          headers={"Authorization": f"Bearer {token}"}, json=body)
    assert answer.status_code == 200, answer.text


def phrases_of(emulator: EmulatorServer, name: str) -> set[str]:
    """The phrase set of the tracker called ``name`` in the account."""
    return {p for t in emulator.trackers() if t["name"] == name for p in t["vocabulary"]}
