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

#: The project's three test files: one passes, one fails (its assert must explain
#: itself), one does not compile (reported as a collection error).
FILES = {
    "test_ok": "def test_ok():\n    assert 1 + 1 == 2\n",
    "test_explains": "def test_explains():\n    value = [1, 2]\n    assert value == [1, 3]\n",
    "test_broken": "def test_broken(:\n    pass\n",
}

#: A folder holding the same three files (under their own names), where a file stands
#: where the cache folder would be: nothing can be written there.
LOCKED = "locked"


def _project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # as on CI: only the pre-pass writes
    # Only the plugins these runs use (named in _run): each installed plugin loaded costs
    # start-up time in every process (pytest rewrites the whole package of each plugin it
    # loads from an entry point).
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(**FILES)
    locked = pytester.path / LOCKED
    locked.mkdir()
    for name, text in FILES.items():
        (locked / f"{name}_{LOCKED}.py").write_text(text)
    (locked / "__pycache__").write_text("a file where the cache folder would be\n")


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "xdist.plugin", "--continue-on-collection-errors",
                                         "-n", "1", *args)


def _check(result: pytest.RunResult) -> None:
    """The same outcomes, errors and explanations in the writable and the locked folder."""
    result.stdout.fnmatch_lines(["*created: 1/1 worker*"])
    result.assert_outcomes(passed=2, failed=2, errors=2)
    for broken in ("test_broken.py", f"{LOCKED}/test_broken_{LOCKED}.py"):
        result.stdout.fnmatch_lines([f"*ERROR collecting {broken}*", "*SyntaxError*"])
    explained = ["*assert [[]1, 2[]] == [[]1, 3[]]*", "*At index 1 diff*"]
    result.stdout.fnmatch_lines(explained * 2)  # in both folders' failures


def _cached(folder: Path) -> set[str]:
    return {p.name.split(".")[0] for p in folder.glob("__pycache__/*-pytest-*.pyc")}


def test_prepass_keeps_syntax_errors_and_assert_explanations_also_where_nothing_can_be_written(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pytester, monkeypatch)
    _check(_run(pytester))
    assert _cached(pytester.path) == {"test_ok", "test_explains", "conftest"}  # never broken
    assert (pytester.path / LOCKED / "__pycache__").is_file()  # still the file, unchanged
    # A second run reads what the first one wrote, and reports the same.
    _check(_run(pytester))


def test_prepass_with_plain_asserts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _project(pytester, monkeypatch)
    result = _run(pytester, "--assert=plain")
    result.assert_outcomes(passed=2, failed=2, errors=2)
    assert not _cached(pytester.path)
