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


def importtime_modules(stderr: str) -> set[str]:
    """Dotted names of the modules ``python -X importtime`` reported in ``stderr``."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def imported_modules(args: list[str], cwd: Path,
                     env: dict[str, str] | None = None) -> set[str]:
    """Dotted names of the modules ``trackersync ARGS`` imports; asserts it succeeded."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "trackersync", *args],
                          cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 2), proc.stderr[-2000:]
    modules = importtime_modules(proc.stderr)
    assert "trackersync" in modules
    return modules


def imported(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> set[str]:
    """Top-level names of the modules ``trackersync ARGS`` imports; asserts it succeeded."""
    return {name.split(".")[0] for name in imported_modules(args, cwd, env)}


def credentials(emulator: EmulatorServer) -> dict[str, str]:
    """The environment that points a trackersync command at ``emulator``."""
    return {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
            "SYMBL_APP_SECRET": emulator.app_secret}


def project(tmp_path: Path) -> Path:
    """A copy of this repository's tracker files and configuration."""
    shutil.copytree(ROOT / "trackers", tmp_path / "trackers")
    shutil.copy(ROOT / "trackersync.yaml", tmp_path / "trackersync.yaml")
    return tmp_path


def test_validate_imports_no_heavy_library(tmp_path: Path) -> None:
    modules = imported_modules(["validate"], project(tmp_path))
    names = {name.split(".")[0] for name in modules}
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))
    # no template in the project: no template sandbox; nothing written: no writer
    unused = {"trackersync.definitions.templates", "trackersync.definitions.writer"}
    assert modules.isdisjoint(unused), sorted(modules & unused)


def test_plan_imports_no_heavy_library(tmp_path: Path, emulator: EmulatorServer) -> None:
    env = credentials(emulator)
    names = imported(["plan"], project(tmp_path), env)
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


def test_plan_after_an_apply_imports_no_heavy_library(tmp_path: Path,
                                                    emulator: EmulatorServer) -> None:
    env = credentials(emulator)
    root = project(tmp_path)
    # the apply only sets the scene (what it imports is not asked): run in this process
    with contextlib.chdir(root):
        applied = CliRunner().invoke(main, ["apply", "--auto-approve"], env=env)
    assert applied.exit_code == 0, applied.output[-2000:]
    names = imported(["plan", "--detailed-exitcode"], root, env)  # a state record, no drift
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))


def test_a_saved_plan_is_checked_and_applied_without_pydantic(tmp_path: Path,
                                                             emulator: EmulatorServer) -> None:
    # a file plan --out wrote has exactly the declared types: pydantic is not needed
    env = credentials(emulator)
    root = project(tmp_path)
    # the plan only sets the scene (what it imports is not asked): run in this process
    with contextlib.chdir(root):
        saved = CliRunner().invoke(main, ["plan", "--out", "plan.json"], env=env)
    assert saved.exit_code == 0, saved.output[-2000:]
    out, modules = script_modules("plans.py", ["check", "plan.json", "plan.json"], root)
    assert not any(m.startswith("pydantic") for m in modules)
    names = imported(["apply", "--auto-approve", "plan.json"], root, env)
    assert names.isdisjoint(HEAVY), sorted(names & set(HEAVY))
    assert len(emulator.trackers()) == len(list((root / "trackers").glob("*.yaml")))


def test_import_first_and_again_imports_no_heavy_library(tmp_path: Path,
                                                         emulator: EmulatorServer) -> None:
    # the project's schemas come from the copies in the package, not from the models
    emulator.seed([{"name": "Budget", "vocabulary": ["budget", "pricing", "too expensive"]},
                   {"name": "Questions", "vocabulary": ["any questions?", "what about it"]}])
    env = credentials(emulator)
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



def script_modules(name: str, args: list[str], cwd: Path, stdin: str = "") -> tuple[str, set[str]]:
    """Run the GitHub action's script NAME; its stdout and the modules it imported (dotted)."""
    script = ROOT / ".github" / "actions" / "trackersync" / name
    proc = subprocess.run([sys.executable, "-X", "importtime", str(script), *args], cwd=cwd,
                          input=stdin, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    modules = importtime_modules(proc.stderr)
    assert any(m.startswith("trackersync") for m in modules)
    return proc.stdout, modules


def script_imports(name: str, args: list[str], cwd: Path, stdin: str = "") -> tuple[str, set[str]]:
    """Run the GitHub action's script NAME; its stdout and the top-level modules it imported."""
    out, modules = script_modules(name, args, cwd, stdin)
    return out, {m.split(".")[0] for m in modules}


def test_the_actions_small_scripts_import_no_template_engine_nor_cli(tmp_path: Path) -> None:
    # they run several times per workflow: escaping text (plans.py bullets, whose run
    # below checks it imports neither) and reading the config only
    root = project(tmp_path / "project")
    (root / "sub").mkdir()
    out, names = script_imports("project.py", ["prefix"], root / "sub")
    assert out == "SYMBL_\n"
    assert names.isdisjoint({"jinja2", "click"}), sorted(names & {"jinja2", "click"})


#: What making a plan or reading tracker files needs: the action's scripts that only
#: escape text, read a saved plan's id or answer questions about trackersync.yaml start
#: several times per workflow run, and import none of it.
PLAN_MACHINERY = {"trackersync.plan", "trackersync.render.markdown", "jinja2", "click",
                  "trackersync.definitions.files", "trackersync.definitions.loader",
                  "trackersync.definitions.writer", "trackersync.definitions.templates"}


def test_the_actions_escaping_scripts_import_no_plan_machinery(tmp_path: Path) -> None:
    log = tmp_path / "apply.txt"
    log.write_text("Apply result: 1 created\n::add-mask::abc\n@team <b>x</b>\n")
    out, modules = script_modules("summary.py", ["trackersync apply", str(log)], tmp_path)
    assert out.startswith("### trackersync apply\n") and "add-mask" not in out
    assert modules.isdisjoint(PLAN_MACHINERY), sorted(modules & PLAN_MACHINERY)
    out, modules = script_modules("failure.py", ["plan", "abc1234", str(log)], tmp_path)
    assert out.startswith("<!-- trackersync-plan -->\n") and "&#60;b&#62;" in out
    assert modules.isdisjoint(PLAN_MACHINERY), sorted(modules & PLAN_MACHINERY)
    out, modules = script_modules("plans.py", ["bullets"], tmp_path, "@team <b>x</b>\n")
    assert out.startswith("- @\u200dteam &#60;b&#62;") and "<b>" not in out
    assert modules.isdisjoint(PLAN_MACHINERY), sorted(modules & PLAN_MACHINERY)


def test_a_saved_plans_id_and_note_are_read_without_the_plan_machinery(
        tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"format_version": 1, "digest": "0123456789abcdef0123"}')
    out, modules = script_modules("plans.py", ["id", str(plan)], tmp_path)
    assert out == "0123456789ab\n"
    assert modules.isdisjoint(PLAN_MACHINERY), sorted(modules & PLAN_MACHINERY)
    out, modules = script_modules("plans.py", ["note", str(plan), "stop", "abc1234"], tmp_path)
    assert "plan `0123456789ab`, made for `abc1234`" in out
    assert modules.isdisjoint(PLAN_MACHINERY), sorted(modules & PLAN_MACHINERY)


def test_the_config_questions_read_no_tracker_file_machinery(tmp_path: Path) -> None:
    bare = tmp_path / "bare"  # no trackersync.yaml: every default, no YAML parser
    (bare / ".git").mkdir(parents=True)
    out, modules = script_modules("ids_path.py", [], bare)
    assert out == f"{(bare / 'trackers.ids.json').resolve()}\n"
    assert modules.isdisjoint(PLAN_MACHINERY | {"ruamel"}), sorted(modules & PLAN_MACHINERY)
    assert not any(m.startswith("ruamel") for m in modules)
    assert "trackersync.model" not in modules and "trackersync.state" not in modules
    root = project(tmp_path / "project")
    (root / "trackersync.yaml").write_text("environments:\n  prod:\n"
                                           "    credentials_prefix: PROD_\n")
    out, modules = script_modules("project.py", ["prefix", "prod"], root)
    assert out == "PROD_\n"
    assert modules.isdisjoint(PLAN_MACHINERY), sorted(modules & PLAN_MACHINERY)
    # run.sh's one question per step: the prefix, then what ids_path.py answers
    step, _ = script_modules("project.py", ["step", "prod"], root)
    ids_file, _ = script_modules("ids_path.py", ["prod"], root)
    assert step == f"PROD_\n{ids_file}" and ids_file.endswith("/trackers.ids.prod.json\n")
    # neither the tracker shapes nor the rule table (no severity overrides to check)
    shapes = {"trackersync.model", "trackersync.state", "trackersync.definitions.rules"}
    assert modules.isdisjoint(shapes), sorted(modules & shapes)
