"""Run the workflows' steps in order, locally, against the emulator.

:mod:`ghsim` executes every ``run:`` step (and the composite action's steps) in bash
with ``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_ENV``, ``RUNNER_TEMP`` … in
temp files; its docstring states which ``uses:`` steps are simulated and how. The
Symbl credentials are the emulator's, given as repository secrets; ``SYMBL_API_URL``
points at the emulator like a runner variable would.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from symbl_emulator import EmulatorServer
from trackersync.plan import Plan
from trackersync.render.markdown import MARKER

from .helpers import (
    APPLY_WF,
    BOT,
    PLAN_WF,
    PR_EVENT,
    assert_no_secret,
    clone,
    git_remote,
    make_runner,
    remote_log,
    step,
)

# Whole workflow runs (bash, git, trackersync processes): slow, so they run first.
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")]


def test_plan_workflow_plans_comments_once_and_updates_in_place(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    emulator.seed([{"name": "Budget", "vocabulary": ["budget", "money"]},
                   {"name": "Old Manual Tracker", "vocabulary": ["hello there"]}])
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    plan = runner.run_job(PLAN_WF, "plan")
    assert plan.result == "success", plan.log
    assert plan.outputs == {"exit-code": "2"}
    md_path = Path(step(plan, "Plan").outputs["plan-markdown"])
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith(MARKER) and md in plan.summary
    assert plan.annotations("add-mask"), "the issued token is handed to the runner to mask"
    assert "| ➕ create | 2 |" in md and "| ✏️ update | 1 |" in md
    assert "+ funding" in md and "Old Manual Tracker" in md  # phrase diff; unmanaged listed
    assert plan.annotations("notice") == [
        "Changes pending: merging this pull request applies them."]
    # Installed once, from the action's own repository (pip is a stub).
    pip_log = (runner.stubs / "pip.log").read_text().splitlines()
    installed = (runner.stubs / "pip-installed.log").read_text().splitlines()
    assert len(pip_log) == 1 and installed == [str(runner.workspace.resolve())]
    artifact = runner.artifacts / "trackersync-plan"
    assert sorted(p.name for p in artifact.iterdir()) == [
        "behaviour.md", "behaviour.xml", "plan.json", "plan.md"]
    behaviour = (artifact / "behaviour.md").read_text(encoding="utf-8")
    assert "Tracker behaviour tests: ✅ all passed" in behaviour and behaviour in plan.summary
    saved = Plan.from_json((artifact / "plan.json").read_text(encoding="utf-8"))
    assert saved.summary.create == 2 and saved.unmanaged == ["Old Manual Tracker"]

    comment = runner.run_job(PLAN_WF, "comment", needs={"plan": plan})
    assert comment.result == "success", comment.log
    state = json.loads((runner.home / "gh-state.json").read_text())
    assert [c["body"] for c in state["comments"]] == [md + "\n" + behaviour]
    assert state["calls"][-1] == ["POST", "repos/octo/trackers/issues/7/comments"]

    # A second push: the same comment is edited, no new one appears.
    (workspace / "trackers" / "approval.yaml").unlink()
    runner.run_job(PLAN_WF, "comment", needs={"plan": runner.run_job(PLAN_WF, "plan")})
    state = json.loads((runner.home / "gh-state.json").read_text())
    assert len(state["comments"]) == 1
    assert state["calls"][-1] == ["PATCH", "repos/octo/trackers/issues/comments/1000"]
    assert "| ➕ create | 1 |" in state["comments"][0]["body"]
    assert_no_secret(runner, emulator, plan, comment)


def test_failed_behaviour_tests_fail_the_plan_job_annotate_and_reach_the_comment(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    promo = workspace / "trackers" / "promotion-mention.yaml"
    promo.write_text(promo.read_text(encoding="utf-8").replace(
        "  - We have a sale right now on\n", ""), encoding="utf-8")
    line = promo.read_text(encoding="utf-8").splitlines().index(
        "    - We're running a sale right now") + 1
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    plan = runner.run_job(PLAN_WF, "plan")
    assert plan.result == "failure"
    assert step(plan, "Plan").outcome == "success"
    assert step(plan, "Behaviour tests").outcome == "failure"
    errors = [ln for ln in plan.log.splitlines() if ln.startswith("::error file=")]
    assert any(e.startswith(f"::error file=trackers/promotion-mention.yaml,line={line},")
               and "did not fire" in e for e in errors), errors
    comment = runner.run_job(PLAN_WF, "comment", needs={"plan": plan})
    assert comment.result == "success", comment.log
    [body] = [c["body"] for c in json.loads((runner.home / "gh-state.json").read_text())[
        "comments"]]
    assert body.startswith(MARKER) and "Tracker behaviour tests: ❌ failing" in body
    assert f"trackers/promotion-mention.yaml:{line}:7" in body
    assert_no_secret(runner, emulator, plan, comment)


def test_plan_workflow_invalid_files_become_annotations_and_stop(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    (workspace / "trackers" / "bad.yaml").write_text(
        "name: Bad\nvocabluary:\n  - typo in the key\n", encoding="utf-8")
    runner = make_runner(tmp_path, workspace, emulator, "pull_request", PR_EVENT)
    plan = runner.run_job(PLAN_WF, "plan")
    assert plan.result == "failure"
    assert step(plan, "Validate tracker files").outcome == "failure"
    assert step(plan, "Plan").outcome == "skipped"
    errors = [line for line in plan.log.splitlines() if line.startswith("::error file=")]
    assert any(e.startswith("::error file=trackers/bad.yaml,line=2,") and "vocabluary" in e
               for e in errors), errors
    assert emulator.requests() == []  # nothing sent to the API


def test_apply_sets_the_ids_then_drift_check(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    origin = git_remote(tmp_path, workspace)
    checkout = clone(origin, tmp_path / "checkout")
    push = make_runner(tmp_path, checkout, emulator, "push", {"ref": "refs/heads/main"})
    assert push.run_job(APPLY_WF, "drift").result == "skipped"
    apply = push.run_job(APPLY_WF, "apply")
    assert apply.result == "success", apply.log
    remote = {t["name"]: t["id"] for t in emulator.trackers()}
    assert set(remote) == {"Budget", "Promotion Mention", "Approval"}
    ids = json.loads(apply.outputs["tracker-ids"])
    assert sorted(t["id"] for t in ids["trackers"]) == sorted(remote.values())
    ids_file = json.loads((push.artifacts / "trackersync-ids" / "trackers.ids.json").read_text())
    assert ids_file["names"] == remote
    # Set by the apply step: the ids file's Async API fragment, in the same order.
    assert step(apply, "Apply").outputs["tracker-ids"] == apply.outputs["tracker-ids"]
    assert ids == {"trackers": ids_file["trackers"]}
    assert apply.outputs["ids-file"] == str(checkout.resolve() / "trackers.ids.json")
    # Recorded in the repository: the next run's checkout starts from it.
    assert remote_log(origin)[0] == (BOT, "trackersync: record tracker IDs after apply",
                                     ["trackers.ids.json"])
    assert "### trackersync apply (exit code 0)" in apply.summary
    assert "### Tracker IDs" in apply.summary and remote["Budget"] in apply.summary
    assert step(apply, "Apply").outputs["exit-code"] == "0"

    nightly = make_runner(tmp_path, clone(origin, tmp_path / "nightly"), emulator, "schedule")
    assert nightly.run_job(APPLY_WF, "apply").result == "skipped"
    calm = nightly.run_job(APPLY_WF, "drift")
    assert calm.result == "success", calm.log
    assert step(calm, "Plan").outputs["exit-code"] == "0"

    # Someone deletes a tracker by hand: the next nightly run fails visibly.
    token = emulator.token()
    requests.delete(f"{emulator.url}/v1/manage/tracker/{remote['Budget']}",
                    headers={"x-api-key": token}, timeout=10).raise_for_status()
    drift = nightly.run_job(APPLY_WF, "drift")
    assert drift.result == "failure"
    assert step(drift, "Plan").outputs["exit-code"] == "2"
    assert any("no longer matches main" in a for a in drift.annotations("error"))
    assert "| ➕ create | 1 |" in drift.summary
    assert (nightly.artifacts / "trackersync-plan" / "plan.md").is_file()
    assert_no_secret(nightly, emulator, calm, drift)
    assert_no_secret(push, emulator, apply)


def test_apply_sets_tracker_ids_as_the_ids_command_prints_them_and_not_after_a_failure(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    """The apply step's tracker-ids output (no second listing, no extra process) is what
    `trackersync ids --format github` prints for the account after the apply: the
    trackers the files define, also when the ids file owns more (a removed file, not
    pruned). After a failed apply it is not set, even with an earlier step's IDs in the
    same runner temp folder."""
    # Budget was applied and recorded earlier; its file is gone now (no prune).
    [budget] = emulator.seed([{"name": "Budget", "vocabulary": ["budget", "money"]}])
    ids_path = workspace / "trackers.ids.json"
    ids_path.write_text(json.dumps({"trackers": [{"id": budget["id"]}],
                                    "names": {"Budget": budget["id"]}, "protected": []}),
                        encoding="utf-8")
    (workspace / "trackers" / "budget.yaml").unlink()
    runner = make_runner(tmp_path, workspace, emulator, "push", {"ref": "refs/heads/main"})
    applied = runner.run_job(APPLY_WF, "apply")
    assert applied.result == "success", applied.log
    remote = {t["name"]: t["id"] for t in emulator.trackers()}
    assert set(remote) == {"Budget", "Promotion Mention", "Approval"}
    owned = json.loads(ids_path.read_text(encoding="utf-8"))
    assert owned["names"] == remote  # still owns Budget, so a later prune may delete it
    out = tmp_path / "ids-output"
    env = {**runner.base_env(), "GITHUB_OUTPUT": str(out),
           "SYMBL_APP_ID": emulator.app_id, "SYMBL_APP_SECRET": emulator.app_secret}
    subprocess.run(["trackersync", "ids", "--format", "github"], cwd=workspace, env=env,
                   check=True, capture_output=True, timeout=60)
    ids = applied.outputs["tracker-ids"]
    assert out.read_text(encoding="utf-8") == f"tracker-ids={ids}\n"
    assert ids == json.dumps({"trackers": [{"id": remote["Approval"]},
                                           {"id": remote["Promotion Mention"]}]},
                             separators=(",", ":"))
    assert step(applied, "Apply").outputs["tracker-ids"] == ids
    assert f"```json\n{ids}\n```" in applied.summary

    # A failed apply: no tracker-ids (the IDs may be incomplete), the ids file still.
    promo = workspace / "trackers" / "promotion-mention.yaml"
    promo.write_text(promo.read_text(encoding="utf-8").replace(
        "  - We have a sale right now on\n",
        "  - We have a sale right now on\n  - A brand new offer\n"), encoding="utf-8")
    emulator.add_faults([{"method": "PUT",
                          "path": f"/v1/manage/tracker/{remote['Promotion Mention']}",
                          "status": 400, "times": 5}])
    failed = runner.run_job(APPLY_WF, "apply")
    assert failed.result == "failure"
    apply_step = step(failed, "Apply")
    assert apply_step.outputs["exit-code"] == "1" and "Apply result:" in failed.summary
    assert apply_step.outputs["tracker-ids"] == "" and failed.outputs["tracker-ids"] == ""
    assert apply_step.outputs["ids-file"] == str(ids_path.resolve())
    assert step(failed, "Publish the IDs in the job summary").outcome == "skipped"
    assert "### Tracker IDs" not in failed.summary
    assert_no_secret(runner, emulator, applied, failed)


def test_apply_with_a_defined_tracker_sharing_its_name_fails_like_the_ids_command(
    tmp_path: Path, workspace: Path, emulator: EmulatorServer
) -> None:
    """A file pins one of two trackers named Budget: apply has nothing to change, but
    the IDs cannot be given (`ids` exits 1 for the name), so the apply step fails naming
    the tracker, sets no tracker-ids, and the ids file is still recorded."""
    pinned, _ = emulator.seed([{"name": "Budget", "vocabulary": ["budget", "money"]},
                               {"name": "Budget", "vocabulary": ["cash"]}])
    for name in ("promotion-mention.yaml", "approval.yaml"):
        (workspace / "trackers" / name).unlink()
    (workspace / "trackers" / "budget.yaml").write_text(
        f"name: Budget\nid: '{pinned['id']}'\nvocabulary: [budget, money]\n",
        encoding="utf-8")
    runner = make_runner(tmp_path, workspace, emulator, "push", {"ref": "refs/heads/main"})
    job = runner.run_job(APPLY_WF, "apply")
    assert job.result == "failure"
    apply_step = step(job, "Apply")
    assert "No changes." in apply_step.log
    assert "error: tracker 'Budget' is ambiguous (several share its name)" in apply_step.log
    assert apply_step.outputs["tracker-ids"] == job.outputs["tracker-ids"] == ""
    assert apply_step.outputs["ids-file"] == str(workspace.resolve() / "trackers.ids.json")
    assert step(job, "Commit the ids file").outcome == "success"


def test_workflow_dispatch_modes(tmp_path: Path, workspace: Path,
                                 emulator: EmulatorServer) -> None:
    drift_only = make_runner(tmp_path, workspace, emulator, "workflow_dispatch",
                             inputs={"mode": "drift-check"})
    assert drift_only.run_job(APPLY_WF, "apply").result == "skipped"
    job = drift_only.run_job(APPLY_WF, "drift")
    # main was never applied: pending changes, not drift; the check reports only drift
    assert job.result == "success", job.log
    assert step(job, "Plan").outputs["exit-code"] == "0" and emulator.trackers() == []


def test_composite_action_rejects_unknown_command_and_keeps_args_quoted(
    tmp_path: Path, workspace: Path
) -> None:
    script = workspace / ".github" / "actions" / "trackersync" / "run.sh"
    out = tmp_path / "out"
    env = {"PATH": "/usr/bin:/bin", "GITHUB_OUTPUT": str(out), "RUNNER_TEMP": str(tmp_path),
           "TS_COMMAND": "destroy", "TS_ARGS": "'a b' \"c\""}
    proc = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True,
                          timeout=30, check=False)
    assert proc.returncode == 1 and "::error title=trackersync::unknown command" in proc.stdout
    args = (tmp_path / "trackersync" / "args").read_bytes()
    assert args == b"a b\0c\0"


@pytest.mark.parametrize(("args", "expected"), [
    ("", []),
    (" \t\r\n ", []),
    ("--target Budget", ["--target", "Budget"]),
    (" \t--target\n  Budget \r\n", ["--target", "Budget"]),
    ("* ?.yaml [ab]", ["*", "?.yaml", "[ab]"]),
    ("$HOME ~ `id` a;b", ["$HOME", "~", "`id`", "a;b"]),
    ("'a  b' \"*\" c\\ d", ["a  b", "*", "c d"]),
    ("'' x", ["", "x"]),
])
def test_action_args_input_is_split_like_shlex_without_expansion(
    tmp_path: Path, args: str, expected: list[str]
) -> None:
    """The args input reaches trackersync split at whitespace, quotes respected, with no
    glob, variable or command expansion: plain inputs are split by bash itself, inputs
    with quotes or backslashes by Python's shlex; both must give the same arguments."""
    script = Path(__file__).resolve().parents[2] / ".github" / "actions" / "trackersync" / "run.sh"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "trackersync"
    fake.write_text('#!/bin/sh\nprintf \'%s\\0\' "$@" > "$ARGV_OUT"\n')
    fake.chmod(0o755)
    for name in ("a.yaml", "b"):  # what a glob would expand to
        (tmp_path / name).write_text("")
    argv_out = tmp_path / "argv"
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "GITHUB_OUTPUT": str(tmp_path / "out"),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), "RUNNER_TEMP": str(tmp_path),
           "TS_COMMAND": "validate", "TS_ARGS": args, "ARGV_OUT": str(argv_out),
           "HOME": str(tmp_path)}
    proc = subprocess.run(["bash", str(script)], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=30, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = str(tmp_path / "trackersync" / "problems.txt")
    fixed = ["validate", "--format", "github", "--report", report]
    assert argv_out.read_bytes().split(b"\0")[:-1] == [a.encode() for a in fixed + expected]


def test_action_credentials_prefix_follows_environment_folder_and_config_within_one_job(
    tmp_path: Path
) -> None:
    """Each step of one job (one runner temp folder) gets the prefix of its own
    environment, working-directory and trackersync.yaml as it is then."""
    script = Path(__file__).resolve().parents[2] / ".github" / "actions" / "trackersync" / "run.sh"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "trackersync"  # records which credential variables it was given
    fake.write_text('#!/bin/sh\nenv | grep -o "^[A-Z_]*APP_ID" | sort >> "$SEEN"\n')
    fake.chmod(0o755)
    first, second = tmp_path / "first", tmp_path / "second" / "nested"
    second.mkdir(parents=True)
    first.mkdir()
    (first / "trackersync.yaml").write_text(
        "environments:\n  staging:\n    credentials_prefix: SYMBL_STAGING_\n"
        "  prod:\n    credentials_prefix: SYMBL_PROD_\n")
    (second / "trackersync.yaml").write_text(
        "environments:\n  staging:\n    credentials_prefix: OTHER_STAGING_\n")
    seen = tmp_path / "seen"
    runner_temp = tmp_path / "runner-temp"  # one job: one temp folder for every step
    python_bin = Path(sys.executable).parent
    steps = [(first, "staging"), (first, "prod"), (second, "staging"), (first, "staging"),
             (first, ""), (second, "staging"), (second, "staging")]
    for number, (cwd, env_name) in enumerate(steps):
        if number == len(steps) - 1:  # an earlier step of the job edited the config
            (second / "trackersync.yaml").write_text(
                "environments:\n  staging:\n    credentials_prefix: EDITED_\n")
        env = {"PATH": f"{bin_dir}:{python_bin}:/usr/bin:/bin", "RUNNER_TEMP": str(runner_temp),
               "GITHUB_OUTPUT": str(tmp_path / "out"), "HOME": str(tmp_path),
               "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), "TS_COMMAND": "validate",
               "TS_ENV": env_name, "TS_APP_ID": "an-app-id", "SEEN": str(seen)}
        proc = subprocess.run(["bash", str(script)], env=env, cwd=cwd, capture_output=True,
                              text=True, timeout=60, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert seen.read_text().split() == ["SYMBL_STAGING_APP_ID", "SYMBL_PROD_APP_ID",
                                        "OTHER_STAGING_APP_ID", "SYMBL_STAGING_APP_ID",
                                        "SYMBL_APP_ID", "OTHER_STAGING_APP_ID",
                                        "EDITED_APP_ID"]


def test_action_args_input_with_unbalanced_quotes_is_one_error_and_sets_exit_code(
    tmp_path: Path
) -> None:
    script = Path(__file__).resolve().parents[2] / ".github" / "actions" / "trackersync" / "run.sh"
    out = tmp_path / "out"
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "RUNNER_TEMP": str(tmp_path / "runner-temp"), "GITHUB_OUTPUT": str(out),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), "HOME": str(tmp_path),
           "TS_COMMAND": "validate", "TS_ARGS": '"unterminated'}
    proc = subprocess.run(["bash", str(script)], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.strip() == ("::error title=trackersync::cannot parse the args input: "
                                   "No closing quotation (unbalanced quotes?)")
    assert out.read_text() == "exit-code=1\n"


def test_an_apply_step_that_writes_no_ids_publishes_none_left_by_an_earlier_step(
    tmp_path: Path
) -> None:
    """`args: --help` makes apply exit 0 without touching the IDs file: an earlier step's
    list in the same runner temp folder must not be published as this step's."""
    script = Path(__file__).resolve().parents[2] / ".github" / "actions" / "trackersync" / "run.sh"
    runner_temp = tmp_path / "runner-temp"
    (runner_temp / "trackersync").mkdir(parents=True)
    (runner_temp / "trackersync" / "tracker-ids.json").write_text('{"trackers":[{"id":"1"}]}\n')
    project = tmp_path / "project"
    (project / "trackers").mkdir(parents=True)
    output = tmp_path / "out"
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path),
           "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output),
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), "TS_COMMAND": "apply",
           "TS_ARGS": "--help"}
    done = subprocess.run(["bash", str(script)], cwd=project, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--tracker-ids-out" in done.stdout  # apply's help: it ran and exited 0
    assert "tracker-ids=" not in output.read_text(encoding="utf-8")
