"""Any account the API can hold imports into files that plan as ``No changes.``.

Accounts are generated from the characters that make adoption hard: punctuation both
rules profiles refuse, quotes, YAML indicators, words YAML reads as booleans or
numbers, extra whitespace, case variants, and names in Symbl's ``Symbl.`` namespace.
Not generated, because the API cannot hold them: empty names or vocabularies, two
trackers with exactly the same name, request bodies over 1 MB. Names with control
characters are never accepted (they could forge log lines) and are left out too.
"""

from __future__ import annotations

import contextlib
import shutil

import pytest
import requests
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symbl_emulator import EmulatorServer, start_emulator
from trackersync.cli import main
from trackersync.model import is_reserved_name

PIECES = ["price", "Price", "yes", "No", "1e3", "null", "~", "a: b", "- x", "# c", "it's",
          '"q"', "(x)", "[y]", "?", ",", "!", "_", "é", "’", "  ", " ", "\t", "Symbl.", "0",
          "symbl.", "\u00a0", "&a", "*a", "!t", "%", "@", "{b}", "|", ">", "`"]
phrase = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)
name = st.lists(st.sampled_from([p for p in PIECES if p.isprintable()]), min_size=1,
                max_size=4).map("".join)
tracker = st.tuples(name, st.lists(phrase, min_size=1, max_size=7))


@pytest.fixture(scope="module")
def server() -> EmulatorServer:
    with start_emulator() as running:
        yield running  # type: ignore[misc]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(tracker, min_size=1, max_size=8, unique_by=lambda t: t[0]))
@pytest.mark.slow
def test_any_account_imports_into_files_that_plan_empty(
    server: EmulatorServer, tmp_path_factory: pytest.TempPathFactory,
    trackers: list[tuple[str, list[str]]],
) -> None:
    names = [name for name, _ in trackers]
    assume(all(name.strip() for name in names))  # the API refuses empty names
    # and a repository needs one tracker of its own: Symbl.'s are never imported
    assume(any(not is_reserved_name(name) for name in names))
    requests.post(f"{server.url}/_emulator/reset", timeout=10).raise_for_status()
    seed = [{"name": name, "vocabulary": phrases} for name, phrases in trackers]
    requests.post(f"{server.url}/_emulator/seed", json=seed, timeout=10).raise_for_status()
    root = tmp_path_factory.mktemp("repo")
    (root / ".git").mkdir()
    env = {"SYMBL_API_URL": server.url, "SYMBL_APP_ID": server.app_id,
           "SYMBL_APP_SECRET": server.app_secret, "SYMBL_ACCESS_TOKEN": None}
    runner = CliRunner()
    with contextlib.chdir(root):
        imported = runner.invoke(main, ["import"], env=env)
        assert imported.exit_code == 0, imported.output
        plan = runner.invoke(main, ["plan", "--detailed-exitcode"], env=env)
        assert plan.exit_code == 0, (seed, plan.output)
        assert "No changes." in plan.stdout, (seed, plan.output)
        fmt = runner.invoke(main, ["fmt", "--check"], env=env)
        assert fmt.exit_code == 0 or "no tracker folder" in fmt.output, (seed, fmt.output)
    shutil.rmtree(root, ignore_errors=True)
