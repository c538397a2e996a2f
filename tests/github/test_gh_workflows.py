"""The workflows and the composite action, read as YAML: triggers, permissions,
concurrency, pinning, and no ``${{ }}`` inside any ``run:`` script."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .ghsim import load_yaml
from .helpers import actionlint_binary, actionlint_problems

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTION = ROOT / ".github" / "actions" / "trackersync" / "action.yml"
FILES = sorted(WORKFLOWS.glob("*.yml")) + [ACTION]


def load(path: Path) -> dict[str, Any]:
    # Safe loader, YAML 1.2: the key "on" stays the string "on" (each text parsed once).
    data = load_yaml(path)
    assert isinstance(data, dict)
    return data


def steps_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in doc:
        return list(doc["runs"]["steps"])
    return [s for job in doc["jobs"].values() for s in job.get("steps", [])]


def test_all_expected_files_exist() -> None:
    names = {p.name for p in WORKFLOWS.glob("*.yml")}
    assert {"trackers-plan.yml", "trackers-apply.yml", "ci.yml"} <= names
    assert ACTION.is_file() and (ACTION.parent / "run.sh").is_file()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expression_inside_run_scripts(path: Path) -> None:
    for step in steps_of(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name}: {step.get('name')}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_never_pull_request_target_and_actions_pinned(path: Path) -> None:
    doc = load(path)
    assert "pull_request_target" not in (doc.get("on") or {})
    code = [ln for ln in path.read_text(encoding="utf-8").splitlines()
            if not ln.lstrip().startswith("#")]
    assert not [ln for ln in code if "pull_request_target" in ln]
    for step in steps_of(doc):
        uses = step.get("uses")
        if uses and not uses.startswith("./"):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", uses), uses
        if "run" in step or "uses" not in step:
            assert "shell" in step or path.parent == WORKFLOWS, "composite run steps need shell"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_secrets_only_from_repository_secrets_in_env(path: Path) -> None:
    doc = load(path)
    for step in steps_of(doc):
        for key, value in (step.get("env") or {}).items():
            if key.startswith("SYMBL_"):
                assert value == f"${{{{ secrets.{key} }}}}", (key, value)
        for value in (step.get("with") or {}).values():
            assert "secrets." not in str(value)


def test_plan_workflow_triggers_permissions_concurrency() -> None:
    doc = load(WORKFLOWS / "trackers-plan.yml")
    assert set(doc["on"]) == {"pull_request"}
    assert {"trackers/**", "trackersync.yaml"} <= set(doc["on"]["pull_request"]["paths"])
    assert doc["permissions"] == {}
    assert doc["concurrency"]["group"] == "trackers-plan-${{ github.event.pull_request.number }}"
    assert doc["concurrency"]["cancel-in-progress"] is True
    plan, comment = doc["jobs"]["plan"], doc["jobs"]["comment"]
    assert plan["permissions"] == {"contents": "read"}
    assert comment["permissions"] == {"pull-requests": "write"}
    assert comment["needs"] == "plan"
    # Only the job without write access holds the Symbl credentials.
    assert "secrets." not in str(comment) and "secrets." in str(plan)
    commands = [s["with"]["command"] for s in plan["steps"] if "command" in s.get("with", {})]
    assert commands == ["validate", "plan"]
    script = comment["steps"][-1]["run"]
    assert "gh api" in script and "--method PATCH" in script and "MARKER" in script


def test_apply_workflow_triggers_permissions_concurrency() -> None:
    doc = load(WORKFLOWS / "trackers-apply.yml")
    on = doc["on"]
    assert set(on) == {"push", "schedule", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    assert {"trackers/**", "trackersync.yaml"} <= set(on["push"]["paths"])
    assert on["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # nightly
    assert doc["permissions"] == {}
    apply, drift = doc["jobs"]["apply"], doc["jobs"]["drift"]
    assert apply["concurrency"] == {"group": "trackers-apply", "cancel-in-progress": False}
    assert drift["concurrency"]["group"] != apply["concurrency"]["group"]
    assert apply["permissions"] == {"contents": "write"}  # the ids file commit, nothing else
    assert drift["permissions"] == {"contents": "read"}
    assert "github.event_name == 'push'" in apply["if"]
    assert "github.event_name == 'schedule'" in drift["if"]
    apply_steps = {s.get("id"): s for s in apply["steps"]}
    assert apply_steps["apply"]["with"]["command"] == "apply"
    # The IDs come from the apply step itself: no second listing of the account.
    assert "ids" not in apply_steps
    assert [s["with"]["command"] for s in apply["steps"]
            if s.get("uses") == "./.github/actions/trackersync"] == ["apply", "record"]
    assert apply["outputs"]["tracker-ids"] == "${{ steps.apply.outputs.tracker-ids }}"
    uploads = [s for s in apply["steps"] if str(s.get("uses", "")).startswith("actions/upload")]
    assert uploads and uploads[0]["with"]["name"] == "trackersync-ids"
    assert uploads[0]["with"]["path"] == "${{ steps.apply.outputs.ids-file }}"
    assert "trackers.ids.json" not in str(apply)  # the path comes from the action
    fail = drift["steps"][-1]
    assert "exit 1" in fail["run"] and "::error" in fail["run"]


def test_ci_workflow_calls_ci_run() -> None:
    doc = load(WORKFLOWS / "ci.yml")
    assert doc["permissions"] == {"contents": "read"}
    assert any(s.get("run") == ".ci/run" for s in steps_of(doc))


def test_composite_action_interface() -> None:
    doc = load(ACTION)
    assert doc["runs"]["using"] == "composite"
    assert {"command", "env", "working-directory", "args", "python-version"} <= set(doc["inputs"])
    assert {"exit-code", "plan-markdown", "tracker-ids"} <= set(doc["outputs"])
    for name, out in doc["outputs"].items():
        assert out["value"] == f"${{{{ steps.run.outputs.{name} }}}}"
    run_step = next(s for s in doc["runs"]["steps"] if s.get("id") == "run")
    assert run_step["env"]["TS_ARGS"] == "${{ inputs.args }}"
    assert run_step["working-directory"] == "${{ inputs.working-directory }}"


def test_workflows_use_the_composite_action() -> None:
    for name in ("trackers-plan.yml", "trackers-apply.yml"):
        uses = [s.get("uses") for s in steps_of(load(WORKFLOWS / name))]
        assert "./.github/actions/trackersync" in uses


@pytest.mark.skipif(actionlint_binary() is None, reason="actionlint is not installed")
def test_actionlint_passes() -> None:
    problems = actionlint_problems([str(p) for p in sorted(WORKFLOWS.glob("*.yml"))])
    assert problems is None, problems


def test_ids_artifact_is_uploaded_even_after_a_failed_apply() -> None:
    doc = load(WORKFLOWS / "trackers-apply.yml")
    upload = [s for s in doc["jobs"]["apply"]["steps"] if s.get("name") == "Upload the ids file"]
    assert len(upload) == 1
    assert "always()" in upload[0]["if"]  # a partial apply still records what exists


def _jobs() -> list[tuple[str, str, dict[str, Any]]]:
    return [(path.name, job_id, job) for path in sorted(WORKFLOWS.glob("*.yml"))
            for job_id, job in load(path)["jobs"].items()]


def test_least_privilege_write_permissions() -> None:
    """Only the apply job may write contents (the ids file commit) and only the comment
    job may write pull requests; every top-level default is read-only or empty."""
    for path in sorted(WORKFLOWS.glob("*.yml")):
        assert "write" not in str(load(path)["permissions"]), path.name
    writers = {(name, job_id, scope) for name, job_id, job in _jobs()
               for scope, level in (job.get("permissions") or {}).items() if level == "write"}
    assert writers == {("trackers-apply.yml", "apply", "contents"),
                       ("trackers-plan.yml", "comment", "pull-requests")}


def test_the_write_token_reaches_only_the_steps_that_need_it() -> None:
    """Checkouts never persist the token; github.token appears only in the env of the
    ids file commit (apply) and of the comment step (plan). The commit step also needs
    the Symbl credentials (it merges the record with the live account): there the token
    reaches git alone, and the credentials trackersync alone (record.sh)."""
    users = []
    for name, job_id, job in _jobs():
        for step in job["steps"]:
            if str(step.get("uses", "")).startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False, (name, job_id)
            if "github.token" in str(step):
                assert "github.token" not in str(step.get("with", {}))
                if step.get("with", {}).get("command") != "record":
                    assert "secrets." not in str(step), (name, step.get("name"))
                users.append((name, job_id, step.get("name")))
    assert users == [("trackers-apply.yml", "apply", "Commit the ids file"),
                     ("trackers-plan.yml", "comment", "Create or update the plan comment")]


def test_ids_file_commit_step_commits_only_the_ids_file() -> None:
    doc = load(WORKFLOWS / "trackers-apply.yml")
    commit = [s for s in doc["jobs"]["apply"]["steps"] if s.get("name") == "Commit the ids file"]
    assert len(commit) == 1
    assert "always()" in commit[0]["if"] and "steps.apply.outputs.ids-file" in commit[0]["if"]
    assert commit[0]["with"]["command"] == "record"
    assert commit[0]["env"]["GIT_TOKEN"] == "${{ github.token }}"
    script = (ACTION.parent / "record.sh").read_text(encoding="utf-8")
    code = [ln for ln in script.splitlines() if not ln.lstrip().startswith("#")]
    assert not [ln for ln in code if re.search(r"git (add|commit) ", ln)]
    assert not [ln for ln in code if re.search(r"git (pull|rebase|merge)", ln)]
    assert any("update-index --add --cacheinfo" in ln and "$rel" in ln for ln in code)
    assert not [ln for ln in code if "GIT_TOKEN" in ln and "echo" in ln]
    # Each process sees one secret: trackersync without the token, git without Symbl's.
    assert any(ln.strip().startswith("env -u GIT_TOKEN trackersync merge-ids") for ln in code)
    assert any('unset "${credential_vars[@]}"' in ln for ln in code)


def test_comment_job_runs_after_a_failed_plan_but_not_a_cancelled_one() -> None:
    doc = load(WORKFLOWS / "trackers-plan.yml")
    plan, comment = doc["jobs"]["plan"], doc["jobs"]["comment"]
    assert "!cancelled()" in comment["if"] and "needs.plan.result == 'failure'" in comment["if"]
    upload = [s for s in plan["steps"] if s.get("name") == "Upload the error report"]
    assert upload and upload[0]["if"] == "failure()"
    assert upload[0]["with"]["name"] == "trackersync-plan-error"
