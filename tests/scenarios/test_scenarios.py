"""End-to-end scenarios: the real CLI, in-process, against the emulator over real HTTP.

Each folder ``tests/scenarios/NNN-name/`` holds:

* ``trackers/`` - tracker files (the project's ``trackers_dir``), optional ``trackersync.yaml``
  and ``trackers.ids.json`` (a state record from an earlier apply);
* ``remote.json`` - the account before the scenario, seeded with ``POST /_emulator/seed``
  (ids given, so plans are stable);
* ``expected_plan.txt`` - exactly what the first ``plan`` prints on stdout (followed by
  stderr when ``plan_exit`` is 1: an unsafe plan is printed, then refused);
* ``scenario.json`` - ``{"plan_args", "plan_exit", "plan_tail", "emulator", "generate",
  "env", "steps"}`` (``plan_tail``: compare only the last line of a huge plan).
  A step is one of ``{"run": [args], "exit", "contains", "stderr_contains",
  "requests"}``, ``{"faults": [...]}``, ``{"emulator": {settings}}``,
  ``{"seed": [...]}``, ``{"put": {"id", "name", "vocabulary"}}`` (a UI edit),
  ``{"write": {path: text}}``, ``{"exists": path}`` or ``{"check_state": {"names": [...]}}``.
  ``env`` adds environment variables (``$URL``, ``$APP_ID``, ``$APP_SECRET`` are replaced).
  ``requests`` maps ``"total"`` or ``"METHOD /path"`` to the exact number of HTTP requests
  the emulator logged during that run. Default steps: one ``apply --auto-approve``.

Every scenario ends with ``plan`` (with ``plan_args``) and asserts ``No changes.``:
apply-then-plan is always empty.

What the folders cover, by kind of fault:

* order-only differences are no change: 002-order-only;
* remote whitespace is no added/removed phrase and apply converges: 025-remote-whitespace;
* a failed or odd listing is never "empty": 019-empty-remote-guard, 020-odd-listing;
* trackers this repository does not own survive prune: 009-prune-ownership,
  010-prune-flag-ignore;
* mass deletes are refused: 012-delete-threshold;
* faults during apply (commit then 502, 503 on PUT): 018-faults-during-apply;
* a failed apply stops, reports, records what exists, and a rerun converges:
  017-partial-apply;
* saved plans go stale: 014-stale-plan, 015-stale-plan-twice;
* a server that merges on PUT is caught by verify: 016-merge-on-put;
* exit codes: 022-exit-codes;
* case-only renames: 005-case-only-rename .. 008-case-only-recorded;
* bulk creates under the 1 MB body limit: 023-bulk-chunks;
* the account's tracker limit: 013-account-limit.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from symbl_emulator import EmulatorServer
from trackersync.cli import main

HERE = Path(__file__).parent
SCENARIOS = sorted(p for p in HERE.iterdir() if p.is_dir() and p.name[:3].isdigit())


def _control(srv: EmulatorServer, method: str, path: str, body: Any = None) -> Any:
    answer = requests.request(method, f"{srv.url}/_emulator/{path}", json=body, timeout=10)
    assert answer.status_code < 300, answer.text
    return answer.json() if answer.content else None


def _generate(spec: dict[str, int], root: Path) -> None:
    """Write ``trackers/generated.yaml``: N trackers x P phrases of about C characters.

    The phrases are long words (at most 10 words up to C = 100), so a valid file draws no
    warning: thousands of "advises short phrases" lines would only cost time.
    """
    lines = ["trackers:"]
    for i in range(spec["trackers"]):
        lines.append(f'  - name: "Generated {i:03d}"\n    vocabulary:')
        for j in range(spec["phrases"]):
            stem = f"generated phrase {i} {j} "
            lines.append(f'      - "{(stem + "extraordinary " * 8)[: spec["chars"]].strip()}"')
    (root / "trackers").mkdir(exist_ok=True)
    (root / "trackers" / "generated.yaml").write_text("\n".join(lines) + "\n")


class Scenario:
    """One scenario folder copied to a temporary project, bound to an emulator."""

    def __init__(self, folder: Path, root: Path, srv: EmulatorServer) -> None:
        self.folder, self.root, self.srv = folder, root, srv
        self.spec = json.loads((folder / "scenario.json").read_text())
        self.runner = CliRunner()
        self.env = {"SYMBL_API_URL": srv.url, "SYMBL_APP_ID": srv.app_id,
                    "SYMBL_APP_SECRET": srv.app_secret, "SYMBL_ACCESS_TOKEN": None,
                    "NO_COLOR": "1", "GITHUB_OUTPUT": str(root / "github_output")}
        subst = {"$URL": srv.url, "$APP_ID": srv.app_id, "$APP_SECRET": srv.app_secret}
        for key, value in self.spec.get("env", {}).items():
            self.env[key] = subst.get(value, value)
        for item in folder.iterdir():
            if item.name not in ("scenario.json", "expected_plan.txt", "remote.json"):
                copy = shutil.copytree if item.is_dir() else shutil.copy
                copy(item, root / item.name)
        if not (root / "trackersync.yaml").exists():
            (root / "trackersync.yaml").write_text("rules: strict\n")
        if "generate" in self.spec:
            _generate(self.spec["generate"], root)
        if self.spec.get("emulator"):
            _control(srv, "POST", "config", self.spec["emulator"])
        remote = folder / "remote.json"
        if remote.exists():
            _control(srv, "POST", "seed", json.loads(remote.read_text()))

    def cli(self, args: list[str]) -> Any:
        _control(self.srv, "DELETE", "requests")
        config = ["--config", str(self.root / "trackersync.yaml")]
        return self.runner.invoke(main, [*config, *args], env=self.env, catch_exceptions=False)

    def requests_made(self) -> Counter[str]:
        log = _control(self.srv, "GET", "requests")["requests"]
        counts = Counter(f"{r['method']} {r['path']}" for r in log)
        counts["total"] = len(log)
        return counts

    def run_step(self, step: dict[str, Any]) -> None:
        if "run" in step:
            self._run(step)
        elif "faults" in step:
            _control(self.srv, "POST", "faults", step["faults"])
        elif "emulator" in step:
            _control(self.srv, "POST", "config", step["emulator"])
        elif "seed" in step:
            _control(self.srv, "POST", "seed", step["seed"])
        elif "put" in step:
            self._ui_edit(step["put"])
        elif "write" in step:
            for path, text in step["write"].items():
                (self.root / path).write_text(text)
        elif "exists" in step:
            assert (self.root / step["exists"]).is_file(), step
        elif "check_state" in step:
            names = sorted(t["name"] for t in _control(self.srv, "GET", "state")["trackers"])
            assert names == sorted(step["check_state"]["names"])
        else:
            raise AssertionError(f"unknown step {step}")

    def _run(self, step: dict[str, Any]) -> None:
        result = self.cli(step["run"])
        where = f"{self.folder.name}: {step['run']}\n{result.stdout}\n{result.stderr}"
        assert result.exit_code == step.get("exit", 0), where
        for text in step.get("contains", []):
            assert text in result.stdout, where
        for text in step.get("stderr_contains", []):
            assert text in result.stderr, where
        for text in step.get("not_contains", []):
            assert text not in result.stdout + result.stderr, where
        if "requests" in step:
            seen = self.requests_made()
            assert {k: seen[k] for k in step["requests"]} == step["requests"], (where, seen)

    def _ui_edit(self, edit: dict[str, Any]) -> None:
        token = requests.post(f"{self.srv.url}/oauth2/token:generate", timeout=10, json={
            "type": "application", "appId": self.srv.app_id, "appSecret": self.srv.app_secret,
        }).json()["accessToken"]
        answer = requests.put(
            f"{self.srv.url}/v1/manage/tracker/{edit['id']}", timeout=10,
            headers={"Authorization": f"Bearer {token}"},
            json={"name": edit["name"], "vocabulary": edit["vocabulary"]})
        assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("folder", SCENARIOS, ids=[p.name for p in SCENARIOS])
@pytest.mark.slow
def test_scenario(
    folder: Path, tmp_path: Path, emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # --out and other relative paths land in the project
    scenario = Scenario(folder, tmp_path, emulator)
    plan_args = ["plan", *scenario.spec.get("plan_args", [])]
    first = scenario.cli(plan_args)
    plan_exit = scenario.spec.get("plan_exit", 0)
    shown = first.stdout + first.stderr if plan_exit == 1 else first.stdout
    if scenario.spec.get("plan_tail"):  # huge plans: compare the summary line only
        shown = shown.splitlines(keepends=True)[-1]
    assert first.exit_code == plan_exit, first.stdout + first.stderr
    expected = folder / "expected_plan.txt"
    if os.environ.get("TRACKERSYNC_UPDATE_SCENARIOS") == "1":  # regenerate, then review
        expected.write_text(shown)
    assert shown == expected.read_text()
    writes = {k: v for k, v in scenario.requests_made().items() if k.split()[0] != "GET"}
    assert set(writes) <= {"total", "POST /oauth2/token:generate"}, writes  # plan never writes
    for step in scenario.spec.get("steps", [{"run": ["apply", "--auto-approve"]}]):
        scenario.run_step(step)
    final = scenario.cli(plan_args)
    assert final.exit_code == 0, final.stdout + final.stderr
    assert final.stdout.endswith("No changes.\n"), final.stdout
