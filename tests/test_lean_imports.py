"""``validate``, ``plan`` and ``import`` of a valid project import no library they do not use.

pydantic (the shape models, for bad files and the JSON Schemas), jinja2 (templates and
the Markdown plan) and deepdiff (the drift report) cost more to import than the rest of
a small ``validate``; the normal path of ``validate`` and ``plan`` needs none of them.
Each command runs in a fresh interpreter with ``-X importtime``, which names every
module as it is imported.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from symbl_emulator import EmulatorServer
from trackersync.cli import main

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pydantic", "jinja2", "deepdiff")


def imported(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    """Top-level names of the modules ``trackersync ARGS`` imports; asserts it succeeded."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "trackersync", *args],
                          cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 2), proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "trackersync" in names
    return names


def project(tmp_path: Path) -> Path:
    """A copy of this repository's tracker files and configuration."""
    shutil.copytree(ROOT / "trackers", tmp_path / "trackers")
    shutil.copy(ROOT / "trackersync.yaml", tmp_path / "trackersync.yaml")
    return tmp_path


def test_validate_imports_no_heavy_library(tmp_path: Path) -> None:
    names = imported(["validate"], project(tmp_path))
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


def test_plan_imports_no_heavy_library(tmp_path: Path, emulator: EmulatorServer) -> None:
    env = {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
           "SYMBL_APP_SECRET": emulator.app_secret}
    names = imported(["plan"], project(tmp_path), env)
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


def test_plan_after_an_apply_imports_no_heavy_library(tmp_path: Path,
                                                    emulator: EmulatorServer) -> None:
    env = {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
           "SYMBL_APP_SECRET": emulator.app_secret}
    root = project(tmp_path)
    # the apply only sets the scene (what it imports is not asked): run in this process
    with contextlib.chdir(root):
        applied = CliRunner().invoke(main, ["apply", "--auto-approve"], env=env)
    assert applied.exit_code == 0, applied.output[-2000:]
    names = imported(["plan", "--detailed-exitcode"], root, env)  # a state record, no drift
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


def test_import_first_and_again_imports_no_heavy_library(tmp_path: Path,
                                                         emulator: EmulatorServer) -> None:
    # the project's schemas come from the copies in the package, not from the models
    emulator.seed([{"name": "Budget", "vocabulary": ["budget", "pricing", "too expensive"]},
                   {"name": "Questions", "vocabulary": ["any questions?", "what about it"]}])
    env = {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
           "SYMBL_APP_SECRET": emulator.app_secret}
    (tmp_path / "trackers").mkdir()
    first = imported(["import"], tmp_path, env)  # no trackersync.yaml: rules chosen
    assert first.isdisjoint(HEAVY), sorted(first & set(HEAVY))
    assert "ruamel" not in first  # nothing to read: the writer's documents are checked
    assert "anyascii" not in first  # ASCII names: no transliteration
    assert sorted(p.name for p in (tmp_path / "trackers").iterdir()) == ["budget.yaml",
                                                                        "questions.yaml"]
    for kind in ("tracker", "config"):
        written = (tmp_path / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert written == (ROOT / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8")
    again = imported(["import"], tmp_path, env)  # both defined: read for their names
    assert again.isdisjoint(HEAVY), sorted(again & set(HEAVY))


def test_a_bad_file_is_still_judged_by_the_model(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "trackers" / "bad.yaml").write_text("name: Bad\nvocabulary: [ok]\nprotect: 'yes'\n")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "trackersync", "validate"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "pydantic" in proc.stderr  # the model decides what the quick check is unsure of
    assert "trackers/bad.yaml:3:10: error: tracker \"Bad\": protect must be true or false" in (
        proc.stdout + proc.stderr)



def script_imports(name: str, args: list[str], cwd: Path, stdin: str = "") -> tuple[str, set[str]]:
    """Run the GitHub action's script NAME; its stdout and the top-level modules it imported."""
    script = ROOT / ".github" / "actions" / "trackersync" / name
    proc = subprocess.run([sys.executable, "-X", "importtime", str(script), *args], cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip().split(".")[0]
             for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "trackersync" in names
    return proc.stdout, names


def test_the_actions_small_scripts_import_no_template_engine_nor_cli(tmp_path: Path) -> None:
    # they run several times per workflow: escaping text and reading the config only
    out, names = script_imports("plans.py", ["bullets"], tmp_path, "@team <b>x</b>\n")
    assert "&#" in out and "<b>" not in out
    assert names.isdisjoint({"jinja2", "click"}), sorted(names & {"jinja2", "click"})
    root = project(tmp_path / "project")
    (root / "sub").mkdir()
    out, names = script_imports("project.py", ["prefix"], root / "sub")
    assert out == "SYMBL_\n"
    assert names.isdisjoint({"jinja2", "click"}), sorted(names & {"jinja2", "click"})
