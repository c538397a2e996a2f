"""The consumer workflows: README "Use it in your repository" shows exactly the files of
``examples/github/`` (read from the README, never copied here), they pass actionlint
(also in .ci/run), and they keep the properties the section promises."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .ghsim import load_yaml
from .helpers import ROOT, actionlint_binary, actionlint_problems

EXAMPLES = ROOT / "examples" / "github"
NAMES = ("trackers-plan.yml", "trackers-apply.yml")
ACTION = "your-org/trackersync/.github/actions/trackersync@v0.1.0"


def section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Use it in your repository\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, "README.md has no '## Use it in your repository' section"
    return match.group(1)


def readme_workflows() -> dict[str, str]:
    """``{file name: yaml}`` for each block introduced by `.github/workflows/NAME`:."""
    found = re.findall(r"^`\.github/workflows/([\w.-]+)`:\n\n```yaml\n(.*?)```", section(),
                       re.S | re.M)
    return dict(found)


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml(EXAMPLES / name)  # YAML 1.2, each text parsed once
    return data


def test_the_readme_shows_exactly_the_example_files() -> None:
    blocks = readme_workflows()
    assert sorted(blocks) == sorted(NAMES)
    for name in NAMES:
        assert blocks[name] == (EXAMPLES / name).read_text(encoding="utf-8"), name
    assert f"uses: {ACTION}" in section()


@pytest.mark.skipif(actionlint_binary() is None, reason="actionlint is not installed")
def test_the_examples_pass_actionlint() -> None:
    problems = actionlint_problems([str(EXAMPLES / n) for n in NAMES])
    assert problems is None, problems
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert any("actionlint" in ln and "examples/github/*.yml" in ln for ln in ci.splitlines())


def test_every_action_step_uses_the_pinned_remote_action_and_no_local_path() -> None:
    for name in NAMES:
        text = (EXAMPLES / name).read_text(encoding="utf-8")
        assert "./.github" not in text and ".github/actions/" not in text.replace(ACTION, "")
        for job in load(name)["jobs"].values():
            for step in job["steps"]:
                uses = step.get("uses")
                if uses is None:
                    continue
                assert uses.startswith(("actions/", "your-org/")), uses
                if uses.startswith("your-org/"):
                    assert uses == ACTION


def test_one_job_per_account_with_its_own_concurrency_group() -> None:
    apply = load("trackers-apply.yml")["jobs"]["apply"]
    assert apply["strategy"]["matrix"]["include"] == (
        "${{ fromJSON(needs.environments.outputs.matrix) }}")
    assert apply["concurrency"] == {"group": "trackers-apply-${{ matrix.label }}",
                                    "cancel-in-progress": False}
    for name in NAMES:
        for job_id, job in load(name)["jobs"].items():
            if job_id != "environments":
                assert "matrix" in job["strategy"], (name, job_id)


def test_least_privilege() -> None:
    for name in NAMES:
        doc = load(name)
        assert doc["permissions"] == {}
        for job_id, job in doc["jobs"].items():
            for step in job["steps"]:
                if str(step.get("uses", "")).startswith("actions/checkout"):
                    assert step["with"]["persist-credentials"] is False
                if "run" in step:
                    assert "${{" not in step["run"], (name, job_id)
    assert load("trackers-plan.yml")["jobs"]["comment"]["permissions"] == {
        "pull-requests": "write"}
    assert load("trackers-apply.yml")["jobs"]["apply"]["permissions"] == {
        "contents": "write", "actions": "read", "pull-requests": "write"}
