"""The pytest plugin other projects get with the distribution: fixtures with no import.

The fixtures come from the ``pytest11`` entry point (``symbl_emulator.pytest_plugin``),
exactly as in a foreign project; this module overrides ``symbl_emulator_options``.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from symbl_emulator import EmulatorServer


@pytest.fixture
def symbl_emulator_options() -> dict[str, Any]:
    return {"rules": "lenient"}


def test_the_fixture_is_a_running_emulator_with_the_options(
    symbl_emulator: EmulatorServer,
) -> None:
    assert symbl_emulator.settings.rules == "lenient"
    answer = requests.post(f"{symbl_emulator.url}/v1/manage/tracker", timeout=5,
                           headers={"x-api-key": symbl_emulator.token()},
                           json={"name": "Budget", "vocabulary": ["what's the budget?"]})
    assert answer.status_code == 201  # '?' is allowed by the lenient rules only
    assert [t["name"] for t in symbl_emulator.trackers()] == ["Budget"]


@pytest.mark.parametrize("run", [1, 2])
def test_the_session_emulator_is_reset_before_each_test(
    symbl_emulator_session: EmulatorServer, run: int
) -> None:
    assert symbl_emulator_session.trackers() == []
    symbl_emulator_session.seed([{"name": f"left by run {run}", "vocabulary": ["a"]}])


@pytest.mark.parametrize("run", [1, 2])
def test_the_session_emulator_takes_the_options_and_forgets_configure(
    symbl_emulator_session: EmulatorServer, run: int
) -> None:
    assert symbl_emulator_session.settings.rules == "lenient"
    assert symbl_emulator_session.settings.put_mode == "replace"  # run 1's configure is gone
    answer = requests.post(f"{symbl_emulator_session.url}/v1/manage/tracker", timeout=5,
                           headers={"x-api-key": symbl_emulator_session.token()},
                           json={"name": "Budget", "vocabulary": ["what's the budget?"]})
    assert answer.status_code == 201, answer.text
    symbl_emulator_session.configure(put_mode="merge")


def test_the_session_emulator_refuses_start_only_options(pytester: pytest.Pytester) -> None:
    # A foreign project's test session (run in this process: the plugin still comes
    # from the distribution's entry point, as there).
    pytester.makepyfile(test_foreign=(
        "import pytest\n\n"
        "@pytest.fixture\n"
        "def symbl_emulator_options():\n"
        "    return {'port': 0, 'rules': 'lenient'}\n\n"
        "def test_it(symbl_emulator_session):\n"
        "    pass\n"))
    done = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                                        "-p", "no:schemathesis")  # as in this project
    assert done.ret != 0
    assert ("symbl_emulator_options cannot set port; use the symbl_emulator fixture"
            in done.stdout.str() + done.stderr.str())
