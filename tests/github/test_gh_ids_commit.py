"""The apply workflow records what it owns in the repository (ids file commit-back).

Each run is a fresh clone of a bare "GitHub" remote (helpers.git_remote/clone), as
actions/checkout gives every run, so a test sees exactly what the next CI run would
start from. Only the ids file may be committed; nothing when it is unchanged; it is
committed on top of the branch tip (merged with the tip's record, never rebased as
text); a refused push (protected branch) warns and the apply still succeeds, with the
artifact kept.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer

from .ghsim import JobResult, Runner
from .helpers import (
    APPLY_WF,
    BOT,
    ROOT,
    assert_no_secret,
    clone,
    git,
    git_remote,
    make_runner,
    remote_log,
    step,
)

# Whole workflow runs (bash, git, trackersync processes): slow, so they run first.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("git") is None, reason="needs bash and git")]
PUSH: dict[str, object] = {"ref": "refs/heads/main"}
IDS_COMMIT = (BOT, "trackersync: record tracker IDs after apply", ["trackers.ids.json"])


def ci_apply(tmp_path: Path, origin: Path, emulator: EmulatorServer,
             name: str) -> tuple[Runner, Path, JobResult]:
    """One apply run on a fresh checkout; returns (runner, checkout, job)."""
    checkout = clone(origin, tmp_path / name)
    runner = make_runner(tmp_path, checkout, emulator, "push", PUSH)
    return runner, checkout, runner.run_job(APPLY_WF, "apply")


def developer_push(tmp_path: Path, origin: Path, name: str,
                   change: Callable[[Path], object]) -> None:
    """Someone else's commit on main (a merged pull request)."""
    work = clone(origin, tmp_path / name)
    change(work)
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", f"change by {name}")
    git(work, "push", "--quiet", "origin", "main")


def test_protection_recorded_by_ci_survives_into_the_next_run(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    """Protection recorded by a CI apply must not be lost with the runner (a later prune
    would delete the protected tracker): the next fresh checkout has it."""
    (workspace / "trackersync.yaml").write_text("prune: true\n", encoding="utf-8")
    approval = workspace / "trackers" / "approval.yaml"
    approval.write_text(approval.read_text(encoding="utf-8") + "protect: true\n",
                        encoding="utf-8")
    origin = git_remote(tmp_path, workspace)
    _, _, first = ci_apply(tmp_path, origin, emulator, "run1")
    assert first.result == "success", first.log
    assert remote_log(origin)[0] == IDS_COMMIT
    recorded = json.loads(git(origin, "show", "main:trackers.ids.json"))
    assert recorded["protected"] == ["Approval"] and len(recorded["names"]) == 3

    developer_push(tmp_path, origin, "dev", lambda w: (w / "trackers" / "approval.yaml").unlink())
    _, _, second = ci_apply(tmp_path, origin, emulator, "run2")
    assert second.result == "failure"
    assert "Approval" in {t["name"] for t in emulator.trackers()}  # not deleted
    assert "tracker 'Approval' is protected and would be deleted" in step(second, "Apply").log
    assert [c[1] for c in remote_log(origin)][:1] == ["change by dev"]  # ids file unchanged


def test_only_the_ids_file_is_committed_and_nothing_when_unchanged(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    origin = git_remote(tmp_path, workspace)
    checkout = clone(origin, tmp_path / "run1")
    # Other changes in the checkout (staged, unstaged, untracked) must never be committed.
    (checkout / "notes.txt").write_text("untracked\n", encoding="utf-8")
    (checkout / "staged.txt").write_text("staged\n", encoding="utf-8")
    git(checkout, "add", "staged.txt")
    budget = checkout / "trackers" / "budget.yaml"
    runner = make_runner(tmp_path, checkout, emulator, "push", PUSH)
    job = runner.run_job(APPLY_WF, "apply")
    assert job.result == "success", job.log
    log = remote_log(origin)
    assert len(log) == 2 and log[0] == IDS_COMMIT
    committed = json.loads(git(origin, "show", "main:trackers.ids.json"))
    assert committed["names"] == {t["name"]: t["id"] for t in emulator.trackers()}
    # The checkout's own index and HEAD are left alone (the commit is made on the tip).
    assert git(checkout, "status", "--porcelain").splitlines() == [
        "A  staged.txt", "?? notes.txt", "?? trackers.ids.json"]
    assert budget.read_text(encoding="utf-8") == (ROOT / "trackers" / "budget.yaml").read_text(
        encoding="utf-8")
    assert "fake-github-token" not in job.log  # the token is never printed
    assert not (checkout / ".git" / "config").read_text().count("token")

    # The next run: no change in Symbl, the ids file is the same: no commit.
    _, _, again = ci_apply(tmp_path, origin, emulator, "run2")
    assert again.result == "success", again.log
    assert len(remote_log(origin)) == 2
    assert "nothing to commit" in step(again, "Commit the ids file").log
    assert_no_secret(runner, emulator, job)


def test_the_record_is_committed_on_the_tip_when_main_moved_on(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    origin = git_remote(tmp_path, workspace)
    checkout = clone(origin, tmp_path / "run1")
    # main moves on after the checkout (another merge while apply ran).
    developer_push(tmp_path, origin, "dev", lambda w: (w / "README.md").write_text("hi\n"))
    job = make_runner(tmp_path, checkout, emulator, "push", PUSH).run_job(APPLY_WF, "apply")
    assert job.result == "success", job.log
    assert not job.annotations("warning")
    log = remote_log(origin)
    assert log[0] == IDS_COMMIT and log[1][1] == "change by dev" and len(log) == 3


def test_a_refused_push_warns_and_the_apply_still_succeeds(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    origin = git_remote(tmp_path, workspace)
    hook = origin / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'GH006: Protected branch update failed for refs/heads/main.'"
                    " >&2\nexit 1\n")
    hook.chmod(0o755)
    runner, checkout, job = ci_apply(tmp_path, origin, emulator, "run1")
    assert job.result == "success", job.log
    assert len(remote_log(origin)) == 1  # nothing reached the branch
    warnings = job.annotations("warning")
    assert len(warnings) == 1 and "Could not push the updated ids file to main" in warnings[0]
    assert "bypass list" in warnings[0] and "trackersync-ids" in warnings[0]
    assert "Committed" in step(job, "Commit the ids file").log  # tried, then refused
    # The artifact still holds it.
    artifact = json.loads((runner.artifacts / "trackersync-ids" / "trackers.ids.json").read_text())
    assert len(artifact["names"]) == 3
    assert step(job, "Apply").outcome == "success"


def test_ids_file_output_follows_the_config_and_the_environment(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    (workspace / "trackersync.yaml").write_text(
        "ids_file: state/owned.json\nenvironments:\n  staging: {}\n", encoding="utf-8")
    origin = git_remote(tmp_path, workspace)
    runner, checkout, job = ci_apply(tmp_path, origin, emulator, "run1")
    assert job.result == "success", job.log
    assert job.outputs["ids-file"] == str(checkout.resolve() / "state" / "owned.json")
    assert (runner.artifacts / "trackersync-ids" / "owned.json").is_file()
    assert remote_log(origin)[0][2] == ["state/owned.json"]
    assert not (checkout / "trackers.ids.json").exists()
    # Per environment: trackers.ids.<env>.json beside it, as trackersync names it.
    helper = checkout / ".github" / "actions" / "trackersync" / "ids_path.py"
    out = subprocess.run(["python", str(helper), "staging"], cwd=checkout / "trackers",
                         capture_output=True, text=True, check=True, timeout=30,
                         env={"PATH": runner.base_env()["PATH"]}).stdout
    assert out.strip() == str(checkout.resolve() / "state" / "owned.staging.json")


def test_failed_apply_summary_shows_the_status_table_and_commits_what_exists(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    """A failed apply prints its status table and result to stderr: the summary has them."""
    seeded = emulator.seed([{"name": "Budget", "vocabulary": ["budget", "money"]}])
    emulator.add_faults([{"method": "PUT", "path": f"/v1/manage/tracker/{seeded[0]['id']}",
                          "status": 400, "times": 5}])
    origin = git_remote(tmp_path, workspace)
    _, _, job = ci_apply(tmp_path, origin, emulator, "run1")
    assert job.result == "failure"
    assert step(job, "Apply").outputs["exit-code"] == "1"
    assert step(job, "Apply").outputs["tracker-ids"] == job.outputs["tracker-ids"] == ""
    assert "### trackersync apply (exit code 1)" in job.summary
    for text in ("status of each operation", "not attempted", "failed", "Apply result:"):
        assert text in job.summary, text
    assert "::add-mask::" not in job.summary
    assert any(a.startswith("trackersync exited with code 1") for a in job.annotations("error"))
    # The ids file written after the failure (the trackers that exist) is recorded too.
    assert remote_log(origin)[0] == IDS_COMMIT
    assert json.loads(git(origin, "show", "main:trackers.ids.json"))["names"] == {
        "Budget": seeded[0]["id"]}
