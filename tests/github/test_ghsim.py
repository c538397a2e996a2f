"""The local runner itself: the expressions the consumer workflows use, and how it
resolves a remote action and a matrix (so the workflow tests mean what they say)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .ghsim import ExpressionError, Runner, evaluate, interpolate

CTX = {
    "secrets": {"SYMBL_PROD_APP_ID": "id-1"},
    "matrix": {"credentials_prefix": "SYMBL_PROD_", "label": "prod"},
    "vars": {},
    "needs": {"envs": {"outputs": {"matrix": '[{"name": "a"}, {"name": "b"}]'}}},
    "github": {"event_name": "push"},
}


@pytest.mark.parametrize(("expr", "value"), [
    ("secrets[format('{0}APP_ID', matrix.credentials_prefix)]", "id-1"),
    ("secrets[format('{0}ACCESS_TOKEN', matrix.credentials_prefix)]", ""),  # unset: empty
    ("vars.TRACKERSYNC_ON_STALE_PLAN || 'stop'", "stop"),
    ("fromJSON(needs.envs.outputs.matrix)", [{"name": "a"}, {"name": "b"}]),
    ("github.event_name == 'push'", True),
    ("format('{0}-{{x}}', matrix.label)", "prod-{x}"),
    ("contains('Hello', 'ELL') && startsWith('abc', 'A')", True),
])
def test_expressions(expr: str, value: object) -> None:
    assert evaluate(expr, CTX) == value


def test_unknown_functions_are_refused() -> None:
    with pytest.raises(ExpressionError):
        evaluate("hashFiles('x')", CTX)
    assert interpolate("group-${{ matrix.label }}", CTX) == "group-prod"


def test_a_remote_action_runs_from_its_own_checkout_and_a_matrix_runs_per_entry(
    tmp_path: Path,
) -> None:
    action_repo = tmp_path / "action-repo"
    (action_repo / "act").mkdir(parents=True)
    (action_repo / "act" / "action.yml").write_text(
        "name: t\ninputs:\n  who: {default: ''}\noutputs:\n"
        "  where: {value: '${{ steps.s.outputs.where }}'}\nruns:\n  using: composite\n"
        "  steps:\n    - id: s\n      shell: bash\n"
        '      run: echo "where=$(cd "$GITHUB_ACTION_PATH" && pwd -P)" >> "$GITHUB_OUTPUT"\n')
    workflow = tmp_path / "wf.yml"
    workflow.write_text(
        "jobs:\n  envs:\n    outputs: {m: '${{ steps.e.outputs.m }}'}\n    steps:\n"
        "      - id: e\n"
        "        run: echo 'm=[{\"n\":\"x\"},{\"n\":\"y\"}]' >> \"$GITHUB_OUTPUT\"\n"
        "  job:\n    needs: envs\n    strategy:\n      matrix:\n"
        "        include: ${{ fromJSON(needs.envs.outputs.m) }}\n    steps:\n"
        "      - id: a\n        uses: someone/tools/act@v2\n"
        "        with: {who: '${{ matrix.n }}'}\n")
    ws = tmp_path / "ws"
    ws.mkdir()
    runner = Runner(workspace=ws, home=tmp_path / "home", secrets={}, event_name="push",
                    actions={"someone/tools": action_repo})
    jobs = runner.run_workflow(workflow)
    assert [j.result for j in jobs["job"]] == ["success", "success"]
    where = {j.steps[0].outputs["where"] for j in jobs["job"]}
    assert where == {str((action_repo / "act").resolve())}
    assert (runner.home / "_actions" / "someone" / "tools" / "v2").is_symlink()
