"""A small local runner for our GitHub Actions workflows, for tests.

It runs one job's steps in order, in bash, the way a GitHub-hosted Ubuntu runner
would, with ``GITHUB_OUTPUT``, ``GITHUB_ENV``, ``GITHUB_PATH``, ``GITHUB_STEP_SUMMARY``,
``GITHUB_EVENT_PATH`` and ``RUNNER_TEMP`` pointing at temp files, and evaluates the
``${{ }}`` expressions our workflows use (context lookups, string literals, ``==``,
``!=``, ``&&``, ``||``, ``!``, parentheses, ``always()``/``success()``/``failure()``).

The rule for ``uses:`` steps (what cannot run off GitHub):

* ``./…`` local composite actions are run for real, step by step, with their
  ``inputs``, ``GITHUB_ACTION_PATH`` and ``outputs``;
* ``OWNER/REPO/PATH@REF`` remote actions whose ``OWNER/REPO`` is in ``Runner.actions``
  (a local checkout of that repository) are run the same way from
  ``_actions/OWNER/REPO/REF/PATH``, a link to that checkout, as GitHub downloads them;
* ``actions/checkout`` and ``actions/setup-python`` are skipped: the workspace is
  prepared by the test and the project's virtualenv is first on ``PATH``;
* ``actions/upload-artifact`` / ``download-artifact`` copy files to / from a local
  artifact store (``Runner.artifacts/<name>/``), failing like GitHub when
  ``if-no-files-found: error`` finds nothing or the artifact to download does not exist;
* any other ``uses:`` fails the run (add a rule here first).

A job with ``strategy.matrix.include`` runs once per entry (``matrix`` context) with
:meth:`Runner.run_workflow`; ``vars`` are ``Runner.vars``. Several runners given the
same ``github_dir`` share what GitHub keeps between workflow runs: issue comments, pull
requests and workflow runs for the fake ``gh`` (``gh-state.json``), and artifacts by run
ID (``artifacts/<run_id>/<name>/``, what ``gh run download`` reads).

A step with ``continue-on-error: true`` that fails has outcome ``failure`` but
conclusion ``success`` and does not fail the job. A job's ``if:`` without a status
function implies ``success()``, which is false when a job it ``needs`` failed.

``git`` is real (without automatic gc and maintenance, :data:`QUIET_GIT`): a test
that runs the apply job's ids file commit makes the workspace a clone of a local bare
repository (``helpers.git_remote``/``clone``), which stands in for GitHub; outside a git
checkout that step only warns.

Programs that need the network are stubs on ``PATH``: ``pip`` logs its arguments
to ``stubs/pip.log`` (and the folder it installed, resolved, to ``pip-installed.log``);
``gh`` is :mod:`fake_gh` (comments, pull requests, workflow runs and artifacts).
"""

from __future__ import annotations

import copy
import functools
import glob
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<op>==|!=|&&|\|\||!|\(|\)|\[|\]|,)"
    r"|(?P<fn>[A-Za-z_]\w*)\(|(?P<name>[A-Za-z_][\w.-]*))"
)
_FUNCTIONS = {"always", "success", "failure", "cancelled"}
#: Git settings given through the environment to every git the tests and the workflows
#: run: no automatic ``gc``/``maintenance`` after commits, fetches and pushes (repositories
#: of a few commits never need one; each would be one more process per git call).
QUIET_GIT = {"GIT_CONFIG_COUNT": "3",
             "GIT_CONFIG_KEY_0": "gc.auto", "GIT_CONFIG_VALUE_0": "0",
             "GIT_CONFIG_KEY_1": "maintenance.auto", "GIT_CONFIG_VALUE_1": "false",
             "GIT_CONFIG_KEY_2": "receive.autogc", "GIT_CONFIG_VALUE_2": "false"}


class _Ctx(dict):  # type: ignore[type-arg]
    """A context object: a missing key reads as an empty value, as on GitHub."""

    def __missing__(self, key: object) -> str:
        return ""


def _format(template: str, *args: Any) -> str:
    def arg(m: re.Match[str]) -> str:
        return str(args[int(m.group(1))]) if m.group(1) else m.group(0)[0]
    return re.sub(r"\{(\d+)\}|\{\{|\}\}", arg, template)


def _contains(haystack: Any, needle: Any) -> bool:
    if isinstance(haystack, list):
        return needle in haystack
    return str(needle).lower() in str(haystack).lower()


_CALLABLES: dict[str, Any] = {
    "format": _format, "fromJSON": json.loads, "toJSON": lambda v: json.dumps(v, indent=2),
    "contains": _contains, "startsWith": lambda a, b: str(a).lower().startswith(str(b).lower()),
}


#: ``pip``: logs its arguments; like pip, refuses to install a folder that holds no
#: Python project (``pyproject.toml``), and logs that folder resolved.
_PIP_STUB = """#!/bin/sh
echo "$@" >> "$STUB_LOG_DIR/pip.log"
for last; do :; done
case "$last" in
  /*|.*)
    if [ ! -f "$last/pyproject.toml" ]; then
      echo "ERROR: Directory '$last' is not installable." \\
        "Neither 'setup.py' nor 'pyproject.toml' found." >&2
      exit 1
    fi
    (cd "$last" && pwd -P) >> "$STUB_LOG_DIR/pip-installed.log" ;;
esac
"""


@functools.lru_cache(maxsize=64)
def _parse_yaml(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def load_yaml(path: Path) -> Any:
    """``path`` read as YAML 1.2 (as GitHub reads workflows: ``on`` is a key, not a
    boolean). Each text is parsed once per process; callers get their own copy."""
    return copy.deepcopy(_parse_yaml(path.read_text(encoding="utf-8")))


class ExpressionError(ValueError):
    """An expression this runner does not understand."""


def _lookup(contexts: dict[str, Any], dotted: str) -> Any:
    value: Any = contexts
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, dict):
        return _Ctx(value)
    return "" if value is None else value


def evaluate(expr: str, contexts: dict[str, Any], status: str = "success") -> Any:
    """Evaluate one GitHub expression (without ``${{ }}``) against ``contexts``.

    Supports literals, context lookups (``a.b.c``, ``secrets[...]``), ``== != && || !``,
    parentheses, the status functions and ``format``, ``fromJSON``, ``toJSON``,
    ``contains``, ``startsWith``.
    """
    py: list[str] = []
    env: dict[str, Any] = {
        "_always": lambda: True, "_cancelled": lambda: False,
        "_success": lambda: status == "success", "_failure": lambda: status == "failure",
        **{f"_{k}": v for k, v in _CALLABLES.items()},
    }
    pos, expr = 0, expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m:
            raise ExpressionError(f"cannot parse {expr!r} at {pos}")
        pos = m.end()
        if m["str"]:
            py.append(repr(m["str"][1:-1].replace("''", "'")))
        elif m["num"]:
            py.append(m["num"])
        elif m["op"]:
            py.append({"&&": " and ", "||": " or ", "!": " not "}.get(m["op"], m["op"]))
        elif m["fn"]:
            if m["fn"] not in _FUNCTIONS and m["fn"] not in _CALLABLES:
                raise ExpressionError(f"unsupported function {m['fn']}()")
            py.append(f"_{m['fn']}(")
        else:
            if m["name"] in ("true", "false", "null"):
                py.append({"true": "True", "false": "False", "null": "''"}[m["name"]])
                continue
            key = f"_v{len(env)}"
            env[key] = _lookup(contexts, m["name"])
            py.append(key)
    return eval("".join(py), {"__builtins__": {}}, env)  # noqa: S307 (tokens are checked)


def interpolate(text: Any, contexts: dict[str, Any]) -> str:
    """Replace every ``${{ expr }}`` in ``text`` with its value rendered as a string."""

    def render(m: re.Match[str]) -> str:
        value = evaluate(m.group(1), contexts)
        return {True: "true", False: "false"}.get(value, str(value)) if isinstance(
            value, bool) else str(value)

    return re.sub(r"\$\{\{(.*?)\}\}", render, str(text))


def condition(text: Any, contexts: dict[str, Any], status: str) -> bool:
    """Evaluate an ``if:``; without a status function it implies ``success() &&``."""
    expr = str(text).strip()
    if expr.startswith("${{") and expr.endswith("}}"):
        expr = expr[3:-2]
    if not any(f"{fn}()" in expr for fn in _FUNCTIONS):
        expr = f"success() && ({expr})"
    return bool(evaluate(expr, contexts, status))


def parse_file_commands(path: Path) -> dict[str, str]:
    """Read a GITHUB_OUTPUT / GITHUB_ENV file: ``name=value`` and ``name<<DELIM`` forms."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            values[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


@dataclass
class StepResult:
    """What one step did."""

    name: str
    outcome: str  # success | failure | skipped
    outputs: dict[str, str] = field(default_factory=dict)
    log: str = ""
    conclusion: str = ""  # outcome, except success for a failure with continue-on-error

    def __post_init__(self) -> None:
        self.conclusion = self.conclusion or self.outcome


@dataclass
class JobResult:
    """What one job did: its steps in order, outputs, summary and annotations."""

    result: str
    steps: list[StepResult]
    outputs: dict[str, str]
    summary: str

    @property
    def log(self) -> str:
        return "\n".join(s.log for s in self.steps)

    def annotations(self, kind: str) -> list[str]:
        """Workflow commands ``::kind ...::message`` found in the job's log."""
        return re.findall(rf"^::{kind}(?: [^:]*)?::(.*)$", self.log, flags=re.M)


@dataclass
class Runner:
    """Runs jobs of one repository checkout (``workspace``) with given secrets and event."""

    workspace: Path
    home: Path
    secrets: dict[str, str]
    event_name: str
    event: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    repository: str = "octo/trackers"
    sha: str = "0123456789abcdef0123456789abcdef01234567"
    actions: dict[str, Path] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    github_dir: Path | None = None
    run_id: int = 1

    def __post_init__(self) -> None:
        self.temp = self.home / "runner-temp"
        shared = self.github_dir or self.home
        self.artifacts = (shared / "artifacts" / str(self.run_id) if self.github_dir
                          else self.home / "artifacts")
        self.stubs = self.home / "stubs"
        for d in (self.temp, self.artifacts, self.stubs):
            d.mkdir(parents=True, exist_ok=True)
        (self.stubs / "pip").write_text(_PIP_STUB)
        # -S: the fake gh needs only the standard library, not the site packages
        (self.stubs / "gh").write_text(f"#!{sys.executable} -S\n"
                                       + (HERE / "fake_gh.py").read_text())
        for stub in ("pip", "gh"):
            (self.stubs / stub).chmod(0o755)
        self.event_path = self.home / "event.json"
        self.event_path.write_text(json.dumps(self.event))

    # -- contexts and environment -------------------------------------------------
    def base_env(self) -> dict[str, str]:
        env = {
            "PATH": os.pathsep.join([str(self.stubs), str(VENV_BIN), "/usr/bin", "/bin"]),
            "HOME": str(self.home), "LANG": "C.UTF-8", "CI": "true", "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_REPOSITORY": self.repository,
            "GITHUB_EVENT_NAME": self.event_name, "GITHUB_EVENT_PATH": str(self.event_path),
            "GITHUB_SHA": self.sha, "GITHUB_REF_NAME": "main",
            "RUNNER_TEMP": str(self.temp), "RUNNER_OS": "Linux", "STUB_LOG_DIR": str(self.stubs),
            "FAKE_GH_STATE": str((self.github_dir or self.home) / "gh-state.json"),
            "FAKE_GH_ARTIFACTS": str((self.github_dir or self.home) / "artifacts"),
            "GITHUB_RUN_ID": str(self.run_id), **QUIET_GIT,
        }
        env.update(self.extra_env)
        return env

    def contexts(self, env: dict[str, str], steps: dict[str, StepResult],
                 needs: dict[str, JobResult], inputs: dict[str, str]) -> dict[str, Any]:
        return {"matrix": dict(self._matrix),
            "github": {"event_name": self.event_name, "event": self.event,
                       "repository": self.repository, "token": "fake-github-token",
                       "workspace": str(self.workspace), "ref_name": "main",
                       "sha": self.sha, "server_url": "https://github.com"},
            "secrets": self.secrets, "vars": self.vars, "env": env, "inputs": inputs,
            "runner": {"temp": str(self.temp), "os": "Linux"},
            "steps": {k: {"outputs": v.outputs, "outcome": v.outcome, "conclusion": v.conclusion}
                      for k, v in steps.items()},
            "needs": {k: {"outputs": v.outputs, "result": v.result} for k, v in needs.items()},
        }

    # -- jobs and steps -----------------------------------------------------------
    _matrix: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def run_workflow(self, workflow: Path) -> dict[str, list[JobResult]]:
        """Run every job of ``workflow`` in file order (each after the jobs it ``needs``),
        a matrix job once per ``strategy.matrix.include`` entry. Returns job id -> results
        (one per matrix entry). For ``needs``, a matrix job's result is ``failure`` when
        any entry failed, and its outputs are the last entry's, as on GitHub."""
        doc = load_yaml(workflow)
        done: dict[str, list[JobResult]] = {}
        merged: dict[str, JobResult] = {}
        for job_id, job in doc["jobs"].items():
            wanted = job.get("needs") or []
            needs = {n: merged[n] for n in ([wanted] if isinstance(wanted, str) else wanted)}
            include = ((job.get("strategy") or {}).get("matrix") or {}).get("include")
            entries: list[dict[str, Any]] = [{}]
            if include is not None:
                ctx = self.contexts(self.base_env(), {}, needs, self.inputs)
                entries = (evaluate(include.strip()[3:-2], ctx)
                           if isinstance(include, str) else include)
            done[job_id] = [self.run_job(workflow, job_id, needs, matrix=m) for m in entries]
            results = [r.result for r in done[job_id]]
            overall = ("failure" if "failure" in results else
                       "skipped" if all(r == "skipped" for r in results) else "success")
            merged[job_id] = JobResult(overall, [s for r in done[job_id] for s in r.steps],
                                       done[job_id][-1].outputs if done[job_id] else {},
                                       "".join(r.summary for r in done[job_id]))
        return done

    def run_job(self, workflow: Path, job_id: str,
                needs: dict[str, JobResult] | None = None,
                matrix: dict[str, Any] | None = None) -> JobResult:
        """Run one job of ``workflow``; ``needs`` are earlier results of this run,
        ``matrix`` the job's matrix entry."""
        doc = load_yaml(workflow)
        job = doc["jobs"][job_id]
        needs = needs or {}
        self._matrix = dict(matrix or {})
        env = self.base_env()
        ctx = self.contexts(env, {}, needs, self.inputs)
        for scope in (doc.get("env") or {}, job.get("env") or {}):
            env.update({k: interpolate(v, ctx) for k, v in scope.items()})
        needs_ok = all(n.result in ("success", "skipped") for n in needs.values())
        if not condition(job.get("if", "success()"), ctx, "success" if needs_ok else "failure"):
            return JobResult("skipped", [], {}, "")
        results, summary = self.run_steps(job["steps"], env, needs, self.inputs, None)
        ctx = self.contexts(env, dict(results), needs, self.inputs)
        outputs = {k: interpolate(v, ctx) for k, v in (job.get("outputs") or {}).items()}
        failed = any(r.conclusion == "failure" for _, r in results)
        return JobResult("failure" if failed else "success", [r for _, r in results],
                         outputs, summary)

    def run_steps(self, steps: list[dict[str, Any]], env: dict[str, str],
                  needs: dict[str, JobResult], inputs: dict[str, str],
                  action_path: Path | None) -> tuple[list[tuple[str, StepResult]], str]:
        results: list[tuple[str, StepResult]] = []
        summary, status = "", "success"
        for index, step in enumerate(steps):
            ctx = self.contexts(env, dict(results), needs, inputs)
            name = interpolate(step.get("name", step.get("uses", f"step {index}")), ctx)
            if not condition(step.get("if", "success()"), ctx, status):
                results.append((step.get("id", f"_{index}"), StepResult(name, "skipped")))
                continue
            step_env = dict(env)
            step_env.update({k: interpolate(v, ctx) for k, v in (step.get("env") or {}).items()})
            result, step_summary = self.run_step(step, name, step_env, ctx, needs, action_path)
            summary += step_summary
            if result.outcome == "failure" and step.get("continue-on-error"):
                result.conclusion = "success"
            results.append((step.get("id", f"_{index}"), result))
            if result.conclusion == "failure":
                status = "failure"
        return results, summary

    def run_step(self, step: dict[str, Any], name: str, env: dict[str, str],
                 ctx: dict[str, Any], needs: dict[str, JobResult],
                 action_path: Path | None) -> tuple[StepResult, str]:
        if "run" in step:
            return self.run_script(step, name, env, ctx, action_path)
        uses = step["uses"]
        with_ = {k: interpolate(v, ctx) for k, v in (step.get("with") or {}).items()}
        if uses.startswith("./"):
            return self.run_composite(self.workspace / uses, name, env, with_, needs)
        action, _, ref = uses.partition("@")
        repo = "/".join(action.split("/")[:2])
        if repo in self.actions:
            # As GitHub does: the action's repository at REF under _actions/OWNER/REPO/REF.
            checkout = self.home / "_actions" / repo / ref
            if not checkout.exists():
                checkout.parent.mkdir(parents=True, exist_ok=True)
                checkout.symlink_to(self.actions[repo], target_is_directory=True)
            path = checkout.joinpath(*action.split("/")[2:])
            return self.run_composite(path, name, env, with_, needs)
        if action in ("actions/checkout", "actions/setup-python"):
            return StepResult(name, "success", log=f"[ghsim] skipped {uses}"), ""
        if action == "actions/upload-artifact":
            return self.upload(name, with_), ""
        if action == "actions/download-artifact":
            target = self.workspace / with_.get("path", ".")
            if not (self.artifacts / with_["name"]).is_dir():
                return StepResult(name, "failure", log="Unable to download artifact(s): "
                                  f"Artifact not found for name: {with_['name']}"), ""
            shutil.copytree(self.artifacts / with_["name"], target, dirs_exist_ok=True)
            return StepResult(name, "success"), ""
        raise ExpressionError(f"no ghsim rule for uses: {uses}")

    def run_script(self, step: dict[str, Any], name: str, env: dict[str, str],
                   ctx: dict[str, Any], action_path: Path | None) -> tuple[StepResult, str]:
        files = {k: self.temp / f"{k.lower()}-{len(os.listdir(self.temp))}"
                 for k in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
        for path in files.values():
            path.write_text("")
        script = self.temp / f"script-{len(os.listdir(self.temp))}.sh"
        script.write_text(step["run"])
        run_env = dict(env, **{k: str(v) for k, v in files.items()})
        if action_path is not None:
            run_env["GITHUB_ACTION_PATH"] = str(action_path)
        cwd = self.workspace / interpolate(step.get("working-directory", "."), ctx)
        # GitHub's defaults: no shell: -> "bash -e {0}"; shell: bash -> with pipefail.
        shell = ["bash", "--noprofile", "--norc", "-eo", "pipefail"] if step.get(
            "shell") == "bash" else ["bash", "-e"]
        proc = subprocess.run(
            [*shell, str(script)],
            cwd=cwd, env=run_env, capture_output=True, text=True, timeout=120, check=False)
        env.update(parse_file_commands(files["GITHUB_ENV"]))
        outcome = "success" if proc.returncode == 0 else "failure"
        outputs = parse_file_commands(files["GITHUB_OUTPUT"])
        summary = files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
        return StepResult(name, outcome, outputs, proc.stdout + proc.stderr), summary

    def run_composite(self, path: Path, name: str, env: dict[str, str],
                      with_: dict[str, str], needs: dict[str, JobResult]) -> tuple[StepResult, str]:
        doc = load_yaml(path / "action.yml")
        ctx = self.contexts(env, {}, needs, {})
        inputs = {k: interpolate(spec.get("default", ""), ctx)
                  for k, spec in (doc.get("inputs") or {}).items()}
        unknown = set(with_) - set(inputs)
        if unknown:
            raise ExpressionError(f"{path}: unknown inputs {sorted(unknown)}")
        inputs.update(with_)
        results, summary = self.run_steps(doc["runs"]["steps"], dict(env), needs, inputs, path)
        ctx = self.contexts(env, dict(results), needs, inputs)
        outputs = {k: interpolate(v["value"], ctx) for k, v in (doc.get("outputs") or {}).items()}
        failed = any(r.conclusion == "failure" for _, r in results)
        log = "\n".join(r.log for _, r in results)
        return StepResult(name, "failure" if failed else "success", outputs, log), summary

    def upload(self, name: str, with_: dict[str, str]) -> StepResult:
        store = self.artifacts / with_["name"]
        store.mkdir(parents=True, exist_ok=True)
        found = []
        for pattern in filter(None, (p.strip() for p in with_["path"].splitlines())):
            pattern = pattern if os.path.isabs(pattern) else str(self.workspace / pattern)
            for match in glob.glob(pattern):
                shutil.copy2(match, store / Path(match).name)
                found.append(Path(match).name)
        if not found and with_.get("if-no-files-found") == "error":
            return StepResult(name, "failure", log="No files were found with the provided path")
        return StepResult(name, "success", log=f"[ghsim] uploaded {found}")
