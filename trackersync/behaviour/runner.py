"""``run_behaviour_tests``: the whole flow of ``trackersync test``, written out once.

1. Load and check the tracker files (any error stops here; nothing is sent).
2. Collect the test files: the ``tests:`` blocks of tracker files and the conversation
   files of ``tests_dir``; keep those under the given paths, if any. A conversation file
   with an error stops here too: nothing is sent.
3. Open the target (:mod:`.target`) and get the managed tracker IDs.
4. Per test file, **one** Async text job: every message of the file, with every managed
   tracker by ID; wait for it, read trackers-detected, judge each message.
5. Report collisions (a sentence firing several trackers) and coverage (phrases no
   sentence exercised) as problems whose severity the config's ``severity:`` may raise.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from trackersync.behaviour import cases, evaluate
from trackersync.behaviour.cases import TestFile
from trackersync.behaviour.evaluate import CaseResult
from trackersync.behaviour.target import App, TestTarget, open_test_target
from trackersync.client import asyncapi
from trackersync.config import Config
from trackersync.definitions import load_definitions
from trackersync.definitions.rules import Reporter
from trackersync.model import DesiredTracker, Problem


@dataclass
class BehaviourReport:
    """What ``trackersync test`` found; inert data for the renderers.

    Attributes:
        results: one per test message, grouped by file in run order.
        problems: test-file errors, collisions and coverage, sorted by file and line.
        files: the test files run.
        requests: HTTP requests sent (token and tracker creation included).
        seconds: wall time of the run.
        where: the target (``embedded emulator`` or an API URL).
    """

    results: list[CaseResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[TestFile] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    where: str = ""

    @property
    def failures(self) -> list[CaseResult]:
        """The messages whose expectation did not hold."""
        return [r for r in self.results if r.passed is False]

    @property
    def ok(self) -> bool:
        """No failure and no problem of severity ``error``."""
        return not self.failures and not any(p.severity == "error" for p in self.problems)


def _under(path: Path, roots: Sequence[Path]) -> bool:
    path = path.resolve()
    return any(path == root or root in path.parents for root in roots)


def collect(root: Path, config: Config, trackers: Sequence[DesiredTracker], files: list[Path],
            paths: Sequence[Path], rep: Reporter) -> list[TestFile]:
    """The test files to run: tracker files' ``tests:`` first, then conversation files."""
    result = cases.from_trackers(trackers, files, root)
    defined = {t.name for t in trackers}
    for path in cases.discover_conversations(root, config):
        loaded = cases.load_conversation(path, root, defined, rep)
        if loaded is not None:
            result.append(loaded)
    if paths:
        wanted = [Path(p).resolve() for p in paths]
        result = [f for f in result if _under(f.path, wanted)]
    return [f for f in result if f.messages]


def run_file(target: TestTarget, test_file: TestFile,
             on_status: Callable[[str, float], None] | None = None) -> list[CaseResult]:
    """Submit one test file as one Async text job and judge its messages.

    Raises:
        ApiError: a request failed. JobError: the job failed or did not finish.
    """
    contents = [m.text for m in test_file.messages]
    submission = asyncapi.submit_text(target.client, contents, list(target.ids.values()),
                                      name=test_file.label)
    asyncapi.wait_for_job(target.client, submission.job_id, on_status=on_status)
    detections = asyncapi.trackers_detected(target.client, submission.conversation_id)
    return evaluate.judge(test_file, detections)


def run_behaviour_tests(app: App, config: Config, *, env: str | None = None,
                        paths: Sequence[Path] = (),
                        on_file: Callable[[TestFile], None] | None = None) -> BehaviourReport:
    """Run every behaviour test of the project (the steps are in the module docstring).

    Args:
        app: global options (``use_emulator``, ``project_root``).
        config: the loaded ``trackersync.yaml``.
        env: ``--env NAME``: test against that account's applied trackers.
        paths: only the test files at or under these paths (tracker or conversation files).
        on_file: called before each file's job (progress).

    Raises:
        DefinitionError: the tracker files have errors.
        ApiError, JobError, PlanError, ConfigError: the target could not run the tests.
    """
    started = time.monotonic()
    root = app.project_root
    definitions = load_definitions(root, config, env)
    definitions.raise_for_errors()
    rep = Reporter(overrides=dict(config.severity))
    test_files = collect(root, config, definitions.trackers, definitions.files, paths, rep)
    if any(p.severity == "error" for p in rep.problems):  # bad test files: send nothing
        return BehaviourReport(problems=sorted(rep.problems, key=_order),
                               seconds=time.monotonic() - started)
    report = BehaviourReport(files=test_files)
    if test_files:
        fresh = env is None and not app.use_emulator
        with open_test_target(app, config, env, definitions.trackers, fresh=fresh) as target:
            report.where = target.where
            for test_file in test_files:
                if on_file is not None:
                    on_file(test_file)
                report.results.extend(run_file(target, test_file))
            report.requests = target.client.request_count
    evaluate.collisions(report.results, rep)
    chosen = {name for f in test_files for name in f.trackers}
    covered = definitions.trackers if not paths else [
        t for t in definitions.trackers if t.name in chosen]
    evaluate.coverage(covered, report.results, rep)
    report.problems = sorted(rep.problems, key=_order)
    report.seconds = time.monotonic() - started
    return report


def _order(problem: Problem) -> tuple[str, int, int]:
    source = problem.source
    return (source.file, source.line, source.column) if source else ("~", 0, 0)
