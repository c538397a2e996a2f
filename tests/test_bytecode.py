"""The suite's bytecode pre-pass (:mod:`tests.bytecode`) changes no test outcome.

A foreign project whose conftest runs :func:`tests.bytecode.write_bytecode` like this
suite's does, run with an xdist worker in a separate pytest process: a test file that
does not compile is still reported as pytest reports it, a failing assert still explains
itself (the pre-rewritten module is the one pytest would have made), and a folder where
nothing can be written changes nothing either.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Each test starts pytest sessions with xdist workers: slow, so they run first.
pytestmark = pytest.mark.slow

CONFTEST = """
from tests.bytecode import write_bytecode

def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        write_bytecode(config)
"""


def _project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # as on CI: only the pre-pass writes
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(
        test_ok="def test_ok():\n    assert 1 + 1 == 2\n",
        test_explains="def test_explains():\n    value = [1, 2]\n    assert value == [1, 3]\n",
        test_broken="def test_broken(:\n    pass\n",
    )


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # Installed plugins these runs do not use: each costs start-up time in every process
    # (pytest rewrites the whole package of each plugin it loads).
    unused = ("schemathesis", "anyio", "platformdirs", "hypothesispytest", "symbl_emulator",
              "cov")
    return pytester.runpytest_subprocess(
        *(f"-pno:{name}" for name in unused), "--continue-on-collection-errors", *args)


def _check(result: pytest.RunResult) -> None:
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR collecting test_broken.py*", "*SyntaxError*"])
    result.stdout.fnmatch_lines(["*assert [[]1, 2[]] == [[]1, 3[]]*", "*At index 1 diff*"])


def test_prepass_keeps_syntax_errors_and_assert_explanations(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pytester, monkeypatch)
    _check(_run(pytester, "-n", "1"))
    cached = {p.name.split(".")[0] for p in pytester.path.glob("__pycache__/*-pytest-*.pyc")}
    assert cached == {"test_ok", "test_explains", "conftest"}  # never the broken file
    # A second run reads what the first one wrote, and reports the same.
    _check(_run(pytester, "-n", "1"))


def test_prepass_where_nothing_can_be_written(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pytester, monkeypatch)
    (pytester.path / "__pycache__").write_text("a file where the cache folder would be\n")
    _check(_run(pytester, "-n", "1"))


def test_prepass_with_plain_asserts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pytester, monkeypatch)
    result = _run(pytester, "-n", "1", "--assert=plain")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    assert not list(pytester.path.glob("__pycache__/*-pytest-*.pyc"))
