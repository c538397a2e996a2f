"""A user's own tracker repository runs the example workflows against emulators.

The repository (a real git repository with a bare "GitHub" remote) holds only
``trackers/``, ``trackersync.yaml`` and ``examples/github/``'s workflows; the action is
used as ``your-org/trackersync/.github/actions/trackersync@v0.1.0`` and resolved to this
checkout, as GitHub resolves a remote action. Covered: the plan as a pull-request
comment saying which plan merging applies; that plan applied on merge; a stale plan
stopping (the default) or re-planned; the ownership record after two racing merges; a
two-account matrix with a lenient and a strict environment.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer, start_emulator

from .consumer import FakeGitHub, make_consumer, tracker
from .helpers import ROOT, assert_no_secret, git, git_remote

# Whole workflow runs (bash, git, trackersync processes): slow, so they run first.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("git") is None or shutil.which("jq") is None,
    reason="needs bash, git and jq")]

BASE = {"budget.yaml": tracker("Budget", "our budget", "funding", "cash flow",
                               "we have money", "spend limit")}
PRUNE_CONFIG = "prune: true\n"


def github_for(tmp_path: Path, config: str, emulator: EmulatorServer, applied: bool = False,
               **kw: object) -> FakeGitHub:
    """The consumer repository on a simulated GitHub. ``applied``: BASE is already in the
    account and recorded in the committed ids file (as after a first apply)."""
    repo = make_consumer(tmp_path / "consumer", config, BASE)
    if applied:
        [budget] = emulator.seed([{"name": "Budget", "vocabulary": [
            "our budget", "funding", "cash flow", "we have money", "spend limit"]}])
        (repo / "trackers.ids.json").write_text(json.dumps(
            {"trackers": [{"id": budget["id"]}], "names": {"Budget": budget["id"]},
             "protected": []}), encoding="utf-8")
    origin = git_remote(tmp_path, repo)
    return FakeGitHub(tmp_path, origin,
                      secrets={"SYMBL_APP_ID": emulator.app_id,
                               "SYMBL_APP_SECRET": emulator.app_secret},
                      api_env={"SYMBL_API_URL": emulator.url}, **kw)  # type: ignore[arg-type]


def add_tracker(name: str, file: str, *phrases: str):  # noqa: ANN201
    return lambda work: (work / "trackers" / file).write_text(
        tracker(name, *phrases), encoding="utf-8")


def only(jobs: dict, job_id: str):  # noqa: ANN001, ANN201
    results = jobs[job_id]
    assert len(results) == 1, results
    return results[0]


def step(job, name: str):  # noqa: ANN001, ANN201
    return next(s for s in job.steps if s.name == name)


def recorded(gh: FakeGitHub, path: str = "trackers.ids.json") -> dict[str, str]:
    return json.loads(git(gh.origin, "show", f"main:{path}"))["names"]


def test_the_consumer_repository_holds_no_trackersync_source(tmp_path: Path,
                                                             emulator: EmulatorServer) -> None:
    gh = github_for(tmp_path, "", emulator)
    work, _ = gh.checkout()
    files = sorted(str(p.relative_to(work)) for p in work.rglob("*")
                   if p.is_file() and ".git" not in p.parts)
    assert files == [".github/workflows/trackers-apply.yml",
                     ".github/workflows/trackers-plan.yml",
                     "trackers/budget.yaml", "trackersync.yaml"]


def test_plan_comment_then_the_reviewed_plan_is_applied_on_merge(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    gh = github_for(tmp_path, "", emulator, applied=True)
    number, head = gh.open_pr("pricing", add_tracker(
        "Pricing", "pricing.yaml", "the price is", "how much", "our pricing", "cost",
        "discount"))
    plan_runner, jobs = gh.plan_pr(number, "pricing", head)
    assert only(jobs, "plan").result == "success", only(jobs, "plan").log
    # trackersync came from the action's own repository at REF, not from the consumer's.
    installed = (plan_runner.stubs / "pip-installed.log").read_text().split()
    assert installed and set(installed) == {str(ROOT.resolve())}
    artifact = plan_runner.artifacts / "trackersync-plan-default"
    plan_id = json.loads((artifact / "plan.json").read_text())["digest"][:12]
    [comment] = gh.comments(number)
    assert comment.startswith("<!-- trackersync-plan -->\n")
    assert f"**Merging applies this plan**: plan `{plan_id}`, made for `{head}`" in comment
    assert "on-stale-plan: stop" in comment and "| ➕ create | 1 |" in comment
    assert "Pricing" not in {t["name"] for t in emulator.trackers()}  # a plan sends nothing

    merge = gh.merge(number, "pricing", head)
    work, _ = gh.checkout()
    runner, jobs = gh.apply_run(work, merge)
    job = only(jobs, "apply")
    assert job.result == "success", job.log
    assert step(job, "Apply").outputs["applied-plan"] == "reviewed"
    assert f"### Applying the reviewed plan `{plan_id}`" in job.summary
    assert "Pricing" in {t["name"] for t in emulator.trackers()}
    assert set(recorded(gh)) == {"Budget", "Pricing"}
    assert git(gh.origin, "log", "-1", "--format=%an %s", "main").strip() == (
        "github-actions[bot] trackersync: record tracker IDs after apply")
    assert len(gh.comments(number)) == 1  # nothing to tell the pull request
    assert_no_secret(runner, emulator, job)
    assert_no_secret(plan_runner, emulator, *[j for r in jobs.values() for j in r])


def test_a_stale_reviewed_plan_stops_by_default_and_tells_the_pull_request(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    gh = github_for(tmp_path, "", emulator, applied=True)
    number, head = gh.open_pr("pricing", add_tracker(
        "Pricing", "pricing.yaml", "the price is", "how much", "our pricing", "cost", "sale"))
    # The plan workflow run itself is covered above; here only what it leaves matters.
    artifact = gh.reviewed_plan(number, "pricing", head)
    reviewed_id = json.loads((artifact / "plan.json").read_text())["digest"][:12]
    # Someone changes the account between review and merge.
    emulator.seed([{"name": "Pricing", "vocabulary": ["made by hand"]}])
    before = emulator.trackers()
    merge = gh.merge(number, "pricing", head)
    work, _ = gh.checkout()
    _, jobs = gh.apply_run(work, merge)
    job = only(jobs, "apply")
    assert job.result == "failure"
    assert step(job, "Apply").outputs["applied-plan"] == "none"
    assert step(job, "Apply").outputs["tracker-ids"] == ""  # nothing applied: no IDs
    assert emulator.trackers() == before  # nothing applied
    [error] = [a for a in job.annotations("error") if "reviewed plan" in a]
    assert "is stale" in error and "on-stale-plan: stop" in error
    notice = gh.comments(number)[-1]
    assert notice.startswith("<!-- trackersync-apply -->\n")
    assert "nothing was applied" in notice and "remote tracker" in notice
    # Both plans named by their short ids: the stale reviewed one, and the one made now.
    [stale_line] = [line for line in notice.splitlines() if "is stale" in line]
    assert f"the reviewed plan &#96;{reviewed_id}&#96; is stale" in stale_line  # escaped
    [new_id] = re.findall(r"This is the plan now \(`([0-9a-f]{12})`", notice)
    assert new_id != reviewed_id
    assert gh.comments(number)[0].startswith("<!-- trackersync-plan -->")  # kept


def test_no_reviewed_plan_for_a_direct_push_stops(tmp_path: Path,
                                                   emulator: EmulatorServer) -> None:
    gh = github_for(tmp_path, "", emulator)
    work, sha = gh.checkout()
    _, jobs = gh.apply_run(work, sha)
    job = only(jobs, "apply")
    assert job.result == "failure" and emulator.trackers() == []
    assert any("no reviewed plan was found" in a for a in job.annotations("error"))


def test_two_racing_merges_keep_both_trackers_owned_and_a_later_delete_is_planned(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    gh = github_for(tmp_path, PRUNE_CONFIG, emulator, applied=True,
                    vars={"TRACKERSYNC_ON_STALE_PLAN": "replan"})
    a, head_a = gh.open_pr("alpha", add_tracker("Alpha", "alpha.yaml", "a one", "a two",
                                                "a three", "a four", "a five"))
    b, head_b = gh.open_pr("beta", add_tracker("Beta", "beta.yaml", "b one", "b two",
                                               "b three", "b four", "b five"))
    # What each pull request's plan workflow run leaves (its run is covered above).
    gh.reviewed_plan(a, "alpha", head_a)
    gh.reviewed_plan(b, "beta", head_b)
    merge_a = gh.merge(a, "alpha", head_a)
    work_a, _ = gh.checkout()  # the run for merge A checks out before B lands
    merge_b = gh.merge(b, "beta", head_b)
    work_b, _ = gh.checkout()  # B's run checks out before A's run records anything
    # A's run first: its reviewed plan is fresh; its record lands on the tip (after B).
    _, jobs_a = gh.apply_run(work_a, merge_a)
    job_a = only(jobs_a, "apply")
    assert job_a.result == "success", job_a.log
    assert step(job_a, "Apply").outputs["applied-plan"] == "reviewed"
    assert set(recorded(gh)) == {"Budget", "Alpha"}
    # B's run: an older commit than the tip now, with the older record (Budget only).
    # Its reviewed plan is stale (Alpha was created since); it re-plans and creates Beta.
    _, jobs_b = gh.apply_run(work_b, merge_b)
    job_b = only(jobs_b, "apply")
    assert job_b.result == "success", job_b.log
    assert step(job_b, "Apply").outputs["applied-plan"] == "replanned"
    notice = gh.comments(b)[-1]
    assert notice.startswith("<!-- trackersync-apply -->\n")
    assert "Merged: applying a new plan" in notice and "is stale" in notice
    live = {t["name"]: t["id"] for t in emulator.trackers()}
    assert set(live) == {"Budget", "Alpha", "Beta"}
    assert step(job_b, "Apply").outputs["tracker-ids"] == json.dumps(
        {"trackers": [{"id": live[n]} for n in sorted(live)]}, separators=(",", ":"))
    # Both records reached main, merged on the tip (no rebase, no conflict, no warning).
    assert recorded(gh) == live
    assert not job_b.annotations("warning") and not job_a.annotations("warning")
    subjects = git(gh.origin, "log", "--format=%s", "-3", "main").splitlines()
    assert subjects[:2] == ["trackersync: record tracker IDs after apply"] * 2

    number, head = gh.open_pr("drop-beta", lambda w: (w / "trackers" / "beta.yaml").unlink())
    _, jobs = gh.plan_pr(number, "drop-beta", head)
    assert only(jobs, "plan").result == "success"
    comment = gh.comments(number)[0]
    assert "| 🗑️ delete | 1 |" in comment and "Beta" in comment


def test_two_environments_run_as_a_matrix_with_their_own_secrets_rules_and_records(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    config = ("rules: lenient\nenvironments:\n"
              "  staging:\n    credentials_prefix: SYMBL_STAGING_\n"
              "  prod:\n    credentials_prefix: SYMBL_PROD_\n    rules: strict\n")
    with start_emulator(rules="lenient") as staging:
        repo = make_consumer(tmp_path / "consumer", config, BASE)
        origin = git_remote(tmp_path, repo)
        gh = FakeGitHub(tmp_path, origin, secrets={
            "SYMBL_STAGING_APP_ID": staging.app_id, "SYMBL_STAGING_APP_SECRET": staging.app_secret,
            "SYMBL_PROD_APP_ID": emulator.app_id, "SYMBL_PROD_APP_SECRET": emulator.app_secret},
            api_env={"SYMBL_STAGING_API_URL": staging.url, "SYMBL_PROD_API_URL": emulator.url},
            vars={"TRACKERSYNC_ON_STALE_PLAN": "replan"})
        work, sha = gh.checkout()
        _, jobs = gh.apply_run(work, sha, "workflow_dispatch", {"mode": "apply"})
        assert [j.result for j in jobs["apply"]] == ["success", "success"]
        # Run by hand (workflow_dispatch): main as it is, no reviewed plan involved.
        assert [step(j, "Apply").outputs["applied-plan"] for j in jobs["apply"]] == [
            "direct", "direct"]
        assert [t["name"] for t in staging.trackers()] == ["Budget"]
        assert [t["name"] for t in emulator.trackers()] == ["Budget"]
        assert set(recorded(gh, "trackers.ids.staging.json")) == {"Budget"}
        assert set(recorded(gh, "trackers.ids.prod.json")) == {"Budget"}
        # Each account's IDs, from its own apply step, in its own job summary.
        for job, account in zip(jobs["apply"], (emulator, staging), strict=True):
            [budget] = [t["id"] for t in account.trackers()]
            ids = step(job, "Apply").outputs["tracker-ids"]
            assert ids == f'{{"trackers":[{{"id":"{budget}"}}]}}'
        assert [j.summary.count("### Tracker IDs (") for j in jobs["apply"]] == [1, 1]
        for job, label in zip(jobs["apply"], ("prod", "staging"), strict=True):
            ids = step(job, "Apply").outputs["tracker-ids"]
            assert f"### Tracker IDs ({label})\n\n`{ids}`\n" in job.summary
        workflow = (work / ".github" / "workflows" / "trackers-apply.yml").read_text()
        assert "group: trackers-apply-${{ matrix.label }}" in workflow

        # A phrase the strict prod account refuses: staging plans it, prod stops at plan.
        number, head = gh.open_pr("quote", add_tracker(
            "Quote", "quote.yaml", "what is the price?", "a quote", "an estimate",
            "the cost", "the total"))
        prod_requests = len(emulator.requests())
        _, jobs = gh.plan_pr(number, "quote", head)
        prod_job, staging_job = jobs["plan"]  # the matrix lists environments by name
        assert staging_job.result == "success", staging_job.log
        assert prod_job.result == "failure"
        assert step(prod_job, "Validate").outputs["exit-code"] == "1"
        assert len(emulator.requests()) == prod_requests  # nothing sent to prod
        comments = {c.split("\n", 1)[0]: c for c in gh.comments(number)}
        assert set(comments) == {"<!-- trackersync-plan: staging -->",
                                 "<!-- trackersync-plan: prod -->"}
        assert "| ➕ create | 1 |" in comments["<!-- trackersync-plan: staging -->"]
        prod = comments["<!-- trackersync-plan: prod -->"]
        assert "trackersync validate failed" in prod and "quote.yaml" in prod
        assert re.search(r"contains '\?'", prod)


def test_a_copy_of_the_action_folder_in_the_consumer_is_refused_with_a_clear_error(
    tmp_path: Path, emulator: EmulatorServer
) -> None:
    """What the shipped workflows did in a user's repository: install from the caller's
    tree, where there is no trackersync project. Now the first step says how to fix it."""
    repo = make_consumer(tmp_path / "consumer", "", BASE)
    shutil.copytree(ROOT / ".github" / "actions", repo / ".github" / "actions")
    shutil.copy(ROOT / ".github" / "workflows" / "trackers-plan.yml",
                repo / ".github" / "workflows" / "trackers-plan.yml")
    gh = FakeGitHub(tmp_path, git_remote(tmp_path, repo), secrets={}, api_env={})
    number, head = gh.open_pr("x", add_tracker("X", "x.yaml", "a", "b", "c", "d", "e"))
    runner, jobs = gh.plan_pr(number, "x", head)
    job = only(jobs, "plan")
    assert job.result == "failure"
    [error] = job.annotations("error")
    assert "holds no trackersync project" in error
    assert "uses: OWNER/trackersync/.github/actions/trackersync@REF" in error
    assert not (runner.stubs / "pip-installed.log").exists()  # nothing was installed
