"""A failed plan replaces the pull request's plan comment with an error report.

Without it, the previous push's plan comment stayed and looked current. The plan job
writes the report (error.md: marker, "trackersync plan failed for <sha>: see the job
log / annotations", the error lines escaped like plan text and with token-like text
masked) into its summary and the artifact trackersync-plan-error; the comment job runs
after a failed plan job too and edits the one comment with it.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from symbl_emulator import EmulatorServer
from trackersync.render.markdown import MARKER
from trackersync.secrets import MASK

from .ghsim import JobResult, Runner
from .helpers import PLAN_WF, PR_EVENT, ROOT, assert_no_secret, make_runner, step

# Whole workflow runs (bash, git, trackersync processes): slow, so they run first.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")]
HEAD_SHA = PR_EVENT["pull_request"]["head"]["sha"]  # type: ignore[index]
FAILED = f"### ❌ trackersync plan failed for `{HEAD_SHA}`: see the job log / annotations"


def comments(runner: Runner) -> list[str]:
    state = json.loads((runner.home / "gh-state.json").read_text())
    return [c["body"] for c in state["comments"]]


def failure_module() -> ModuleType:
    path = ROOT / ".github" / "actions" / "trackersync" / "failure.py"
    spec = importlib.util.spec_from_file_location("ts_failure", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_api_error_replaces_the_plan_comment(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    first = runner.run_job(PLAN_WF, "plan")
    runner.run_job(PLAN_WF, "comment", needs={"plan": first})
    assert len(comments(runner)) == 1 and "| ➕ create | 3 |" in comments(runner)[0]

    # The next push: the account listing fails (not retried: a 403).
    emulator.add_faults([{"method": "GET", "path": "/v1/manage/trackers", "status": 403,
                          "times": 10}])
    runner.artifacts.joinpath("trackersync-plan").rename(runner.home / "old-plan")  # new run
    plan = runner.run_job(PLAN_WF, "plan")
    assert plan.result == "failure"
    assert step(plan, "Plan").outputs["exit-code"] == "1"
    report = Path(step(plan, "Plan").outputs["error-markdown"]).read_text(encoding="utf-8")
    assert report.startswith(MARKER + "\n" + FAILED)
    assert "403" in report and report in plan.summary
    assert (runner.artifacts / "trackersync-plan-error" / "error.md").read_text() == report

    comment = runner.run_job(PLAN_WF, "comment", needs={"plan": plan})
    assert comment.result == "success", comment.log
    assert comments(runner) == [report]  # the same comment, edited; the stale plan is gone
    assert_no_secret(runner, emulator, plan, comment)


def test_invalid_files_replace_the_plan_comment_with_their_errors(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    (workspace / "trackers" / "bad.yaml").write_text(
        "name: Bad <b>@team</b>\nvocabluary:\n  - typo in the key\n", encoding="utf-8")
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    plan = runner.run_job(PLAN_WF, "plan")
    assert plan.result == "failure" and step(plan, "Plan").outcome == "skipped"
    comment = runner.run_job(PLAN_WF, "comment", needs={"plan": plan})
    assert comment.result == "success", comment.log
    [body] = comments(runner)
    assert body.startswith(MARKER + "\n### ❌ trackersync validate failed for "
                           f"`{HEAD_SHA}`: see the job log / annotations")
    assert "- trackers/bad.yaml:2:1: error: tracker " in body and "vocabluary" in body
    # Escaped like plan text: no HTML, no @mention, no raw workflow command.
    assert "<b>" not in body and "@team" not in body and "&#60;b&#62;" in body
    assert "::error" not in body
    assert emulator.requests() == []


def test_a_plan_job_that_failed_before_trackersync_ran_still_replaces_the_comment(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    broken = JobResult("failure", [], {}, "")  # e.g. checkout or pip failed: no artifact
    comment = runner.run_job(PLAN_WF, "comment", needs={"plan": broken})
    assert comment.result == "success", comment.log
    assert step(comment, "Download the error report").outcome == "failure"  # tolerated
    assert comments(runner) == [f"{MARKER}\n{FAILED}\n"]


def test_no_comment_when_the_plan_job_was_cancelled(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    cancelled = JobResult("cancelled", [], {}, "")
    assert runner.run_job(PLAN_WF, "comment", needs={"plan": cancelled}).result == "skipped"


def test_error_report_escapes_masks_converts_and_caps() -> None:
    failure = failure_module()
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"
    log = "\n".join([
        "trackers/a,b.yaml:3:5: error: bad% value",
        "::add-mask::" + token,
        "::error file=trackers/a%2Cb.yaml,line=3,col=5::bad%25 value",
        "Error: request failed: <script>alert(1)</script> for @octo/team #12 " + token,
        "",
        *[f"line {i}" for i in range(100)],
    ])
    report = failure.render("plan", "not a sha`", log)
    assert report.startswith(MARKER + "\n### ❌ trackersync plan failed for not a sha&#96;")
    lines = report.splitlines()
    assert lines[3] == "- trackers/a,b.yaml:3:5: error: bad% value"  # annotations dropped
    assert sum("bad%" in line for line in lines) == 1
    assert "<script>" not in report and "&#60;script&#62;" in report
    assert "@\u200docto" in report and "&#35;\u200d12" in report  # no mention, no issue link
    assert token not in report and MASK.replace("*", "&#42;") in report
    assert "- line 57" in report and "- line 58" not in report
    assert lines[-1] == "- … and 42 more lines in the job log"
    assert failure.render("plan", "abc1234", "") .endswith(
        "No error output was captured; see the job log.\n")
