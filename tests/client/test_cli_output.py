"""The whole CLI at -vv against the embedded emulator: one log line per HTTP call, no secret.

The leak scan of ``conftest.py`` runs over this test's stdout, stderr and every log
record, with the emulator's app secret and every token the client obtained.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from symbl_emulator import DEFAULT_APP_SECRET
from tests.leakscan import LeakScan
from trackersync.cli import main

TRACKER = """\
name: Promotion Mention
vocabulary:
  - We have a special promotion going on
  - We have a sale right now on
"""


def test_plan_and_apply_at_debug_verbosity_leak_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leaks: LeakScan,
    caplog: pytest.LogCaptureFixture,
) -> None:
    leaks.secrets.add(DEFAULT_APP_SECRET)
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "promo.yaml").write_text(TRACKER)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    runner = CliRunner()
    outputs = []
    for args in (["-vv", "--emulator", "plan"], ["-vv", "--emulator", "apply", "--auto-approve"],
                 ["-vv", "--emulator", "ids"]):
        result = runner.invoke(main, args, catch_exceptions=False)
        outputs.append(result.output)
        assert result.exit_code == 0, result.output
    leaks.texts.extend(outputs)
    assert '{"trackers":[{"id":"' in outputs[2]
    assert len(leaks.secrets) >= 2  # the app secret and at least one token were scanned for
    calls = [r.getMessage() for r in caplog.records
             if r.name == "trackersync.client.transport" and r.levelno == logging.INFO]
    assert any(c.startswith("POST /v1/manage/trackers -> 201 (") for c in calls)
    assert all(" -> " in c and " ms)" in c for c in calls)
