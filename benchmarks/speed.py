"""Benchmark: trackersync's speed against its floor, start-up, scaling and import.

Everything is measured in one run on this machine, so the ratios are fair:

1. **plan vs floor** (500 trackers x 50 phrases): ``trackersync plan`` as a subprocess
   against the emulator on loopback, next to a *floor* subprocess doing the least work a
   plan can do: read the same 500 files with PyYAML's C loader, one token call and one
   list GET with ``requests``, and a frozenset diff. Prints both and the ratio.
2. **start-up**: ``--version``, ``--help`` and ``validate`` of the repository's own
   ``trackers/``, each next to ``python -c pass`` (and the goal for each), and how many
   modules ``--version`` imports.
3. **scaling**: validate and plan at 500, 5,000 and 20,000 trackers x 50 phrases (the
   project's ``account_limit`` and the emulator's tracker limit raised for this). Each is
   measured next to its floor (plan: the floor above; validate: the same without HTTP),
   and next to the same runs on a one-tracker project, whose time and memory are the
   fixed cost (start-up). Printed per size: the time per tracker above the floor's
   per-tracker cost, fixed costs left out on both sides, and the peak memory per tracker
   (peak RSS above the one-tracker project's); then the marginal cost between the
   smallest and the largest size.
4. **import** of the 500 x 50 account into an empty project: first time and again, next
   to the time a bare loop takes to create the same files in the same folder.

Each figure is the best of ``--repeat`` runs (``--startup-rounds`` for start-up; wall
seconds; peak RSS in MB from ``wait4``). Usage: ``python benchmarks/speed.py [--repeat 3]
[--startup-rounds 15] [--sizes 500,5000,20000]`` (a few minutes; ``--skip-scaling`` for a
quick look). It needs PyYAML (the floor only; in the test extra). It is a benchmark, not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from account import generate, write_project

from symbl_emulator import start_emulator

ROOT = Path(__file__).resolve().parents[1]

#: The least work a plan can do (``URL`` ``-``: the least a validate can do, files only).
FLOOR_SCRIPT = r"""
import sys, pathlib, yaml
root, url, app_id, secret = sys.argv[1:5]
docs = {}
for path in sorted(pathlib.Path(root, "trackers").glob("*.yaml")):
    with open(path, "rb") as handle:
        doc = yaml.load(handle, Loader=yaml.CSafeLoader)
    docs[doc["name"]] = frozenset(doc["vocabulary"])
if url == "-":
    print(len(docs))
    sys.exit(0)
import requests
session = requests.Session()
token = session.post(url + "/oauth2/token:generate",
                     json={"type": "application", "appId": app_id, "appSecret": secret},
                     timeout=30).json()["accessToken"]
listing = session.get(url + "/v1/manage/trackers", headers={"x-api-key": token},
                      timeout=30).json()["trackers"]
remote = {t["name"]: frozenset(t["vocabulary"]) for t in listing}
changed = [n for n in docs if remote.get(n) != docs[n]]
deleted = [n for n in remote if n not in docs]
print(len(changed), len(deleted))
"""


#: Runs each measured command and reports it, one JSON line per job. A small process of
#: its own: Linux counts the memory of the process a child is forked from (at its exec)
#: in the child's peak RSS, so forking from this benchmark, which holds the emulator and
#: up to 20,000 trackers, would inflate every figure.
LAUNCHER_SCRIPT = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    job = json.loads(line)
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(job["argv"], cwd=job["cwd"], env=job["env"], stdout=out,
                                stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        print(json.dumps({"wall": wall, "rss_kb": usage.ru_maxrss, "stdout": out.read(),
                          "code": os.waitstatus_to_exitcode(status), "stderr": err.read()}),
              flush=True)
"""

_launcher: list[subprocess.Popen[str]] = []


def launcher() -> subprocess.Popen[str]:
    """The launcher process (:data:`LAUNCHER_SCRIPT`), started on first use."""
    if not _launcher:
        _launcher.append(subprocess.Popen([sys.executable, "-c", LAUNCHER_SCRIPT], text=True,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE))
    return _launcher[0]


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``argv``; return (wall s, peak RSS MB, exit code, stdout).

    The launcher reaps the child with ``os.wait4`` so its own peak RSS is read (Linux: KB).
    """
    proc = launcher()
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps({"argv": argv, "cwd": str(cwd), "env": env}) + "\n")
    proc.stdin.flush()
    done = json.loads(proc.stdout.readline())
    code = done["code"]
    if code not in (0, 2):
        print(f"  ! {' '.join(argv[-3:])} exited {code}: {done['stderr'].strip()[:500]}",
              file=sys.stderr)
    return done["wall"], done["rss_kb"] / 1024, code, done["stdout"]


def best(repeat: int, argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Best wall time and the largest peak RSS over ``repeat`` runs of ``argv``."""
    walls, rss = [], []
    for _ in range(repeat):
        wall, peak, _, _ = run(argv, cwd, env)
        walls.append(wall)
        rss.append(peak)
    return min(walls), max(rss)


def cli(*args: str) -> list[str]:
    """The argv of ``python -m trackersync ARGS`` in this interpreter."""
    return [sys.executable, "-m", "trackersync", *args]


def emulator_env(srv: object) -> dict[str, str]:
    """The environment that points trackersync at the running emulator ``srv``."""
    env = dict(os.environ, SYMBL_API_URL=srv.url, SYMBL_APP_ID=srv.app_id,  # type: ignore[attr-defined]
               SYMBL_APP_SECRET=srv.app_secret)  # type: ignore[attr-defined]
    env.pop("SYMBL_ACCESS_TOKEN", None)
    return env


#: The goals for start-up, in seconds above ``python -c pass``.
STARTUP_GOALS = {"--version": 0.07, "--help": 0.12, "validate trackers/": 0.12}


def seed(srv: object, trackers: list[dict[str, object]]) -> None:
    """Load ``trackers`` into the emulator's account through its control endpoint."""
    import requests

    url = srv.url  # type: ignore[attr-defined]
    requests.post(f"{url}/_emulator/reset", timeout=60)
    for start in range(0, len(trackers), 2000):
        answer = requests.post(f"{url}/_emulator/seed", json=trackers[start:start + 2000],
                               timeout=120)
        answer.raise_for_status()


def write_config(root: Path, size: int) -> None:
    """A ``trackersync.yaml`` whose ``account_limit`` admits ``size`` trackers."""
    (root / "trackersync.yaml").write_text(
        f"trackers_dir: trackers\naccount_limit: {max(500, size)}\n", encoding="utf-8")


def plan_vs_floor(repeat: int, size: int, phrases: int) -> dict[str, float]:
    """Plan, validate and their floors on a ``size`` x ``phrases`` project and account.

    The account holds the same trackers as the files. Returns best wall seconds and
    largest peak RSS (MB) of each: ``floor``, ``plan``, ``files_floor``, ``validate``
    (and ``*_rss``).
    """
    trackers = generate(size, phrases)
    with tempfile.TemporaryDirectory() as tmp, start_emulator(tracker_limit=max(500, size)) as srv:
        root = Path(tmp)
        write_project(root, trackers)
        write_config(root, size)
        seed(srv, trackers)
        env = emulator_env(srv)
        floor_argv = [sys.executable, "-c", FLOOR_SCRIPT, str(root), srv.url, srv.app_id,
                      srv.app_secret]
        files_argv = [sys.executable, "-c", FLOOR_SCRIPT, str(root), "-", "-", "-"]
        figures = {}
        for name, argv in (("floor", floor_argv), ("plan", cli("plan")),
                           ("files_floor", files_argv), ("validate", cli("validate"))):
            figures[name], figures[f"{name}_rss"] = best(repeat, argv, root, env)
    return figures


def per_tracker(row: dict[str, float], one: dict[str, float], size: int,
                command: str, floor: str) -> tuple[float, float]:
    """``command``'s ms per tracker above ``floor``'s and KB per tracker of peak memory.

    Both leave the fixed cost out: the same runs on a one-tracker project (``one``) are
    subtracted, and the difference is divided by the ``size - 1`` trackers more.
    """
    own = row[command] - one[command]
    least = row[floor] - one[floor]
    memory = (row[f"{command}_rss"] - one[f"{command}_rss"]) * 1024
    return (own - least) / (size - 1) * 1000, memory / (size - 1)


def startup(rounds: int) -> dict[str, float]:
    """``python -c pass``, ``--version``, ``--help`` and a small ``validate``: best wall s.

    Measured in ``rounds`` interleaved rounds (one run of each per round), so a change
    in the machine's load touches all four alike.
    """
    env = dict(os.environ)
    argvs = {"python -c pass": [sys.executable, "-c", "pass"], "--version": cli("--version"),
             "--help": cli("--help"), "validate trackers/": cli("validate")}
    walls: dict[str, list[float]] = {name: [] for name in argvs}
    for _ in range(rounds):
        for name, argv in argvs.items():
            walls[name].append(run(argv, ROOT, env)[0])
    return {name: min(times) for name, times in walls.items()}


def version_modules() -> int:
    """How many modules ``trackersync --version`` imports (``python -X importtime``'s lines)."""
    done = subprocess.run([*cli("--version")[:1], "-X", "importtime", *cli("--version")[1:]],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    return sum(line.startswith("import time:") for line in done.stderr.splitlines()) - 1


def create_files_floor(folder: Path, files: list[Path]) -> float:
    """Seconds to create copies of ``files`` (same names and bytes) in a new ``folder``.

    The least work any writer does: one exclusive create, write and close per file, no
    flush to disk. Creating files costs very different amounts in different folders of
    one machine (a folder on a busy file system can take 30 times longer), so import is
    compared with this floor measured next to it, in the same parent folder.
    """
    folder.mkdir()
    blobs = [(path.name, path.read_bytes()) for path in files]
    start = time.perf_counter()
    for name, blob in blobs:
        handle = os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        os.write(handle, blob)
        os.close(handle)
    return time.perf_counter() - start


def import_times(repeat: int) -> tuple[float, float, float]:
    """``import`` of the 500 x 50 account into an empty project: first time, then again.

    Returns (first s, again s, floor s), each the best of ``repeat``; the floor is
    :func:`create_files_floor` for the tracker files the import wrote, in the same folder.
    """
    trackers = generate(500, 50)
    firsts, agains, floors = [], [], []
    with start_emulator() as srv:
        seed(srv, trackers)
        env = emulator_env(srv)
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                (root / "trackers").mkdir()
                firsts.append(run(cli("import"), root, env)[0])
                agains.append(run(cli("import"), root, env)[0])
                written = sorted((root / "trackers").glob("*.yaml"))
                floors.append(create_files_floor(root / "floor", written))
    return min(firsts), min(agains), min(floors)


def main() -> None:
    """Run every part and print one block of figures per part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--startup-rounds", type=int, default=15)
    parser.add_argument("--skip-scaling", action="store_true")
    opts = parser.parse_args()
    launcher()  # before this process grows (see LAUNCHER_SCRIPT)

    print("== plan vs floor (500 x 50, loopback emulator)")
    base = plan_vs_floor(opts.repeat, 500, 50)
    print(f"floor {base['floor']:.3f} s | plan {base['plan']:.3f} s | "
          f"ratio {base['plan'] / base['floor']:.2f}x (goal <= 1.6x) | "
          f"validate {base['validate']:.3f} s")

    print(f"== start-up (best of {opts.startup_rounds}, interleaved)")
    figures = startup(opts.startup_rounds)
    bare = figures["python -c pass"]
    for name, wall in figures.items():
        extra = "" if name == "python -c pass" else f"  (+{wall - bare:.3f} s above python"
        if name in STARTUP_GOALS:
            extra += f"; goal <= {STARTUP_GOALS[name]:.2f} s)"
        elif extra:
            extra += ")"
        print(f"{name:<22} {wall:.3f} s{extra}")
    modules = version_modules()
    print(f"--version imports {modules} modules")

    scaling: dict[str, float] = {}
    if not opts.skip_scaling:
        print("== scaling (x 50 phrases; per tracker above the floor's per-tracker cost, and "
              "peak memory per tracker; a one-tracker project's run subtracted as fixed cost)")
        one = plan_vs_floor(opts.repeat, 1, 50)
        print(f"     1 tracker:  plan {one['plan']:.2f} s (floor {one['floor']:.2f} s) "
              f"{one['plan_rss']:.0f} MB | validate {one['validate']:.2f} s "
              f"(floor {one['files_floor']:.2f} s) {one['validate_rss']:.0f} MB")
        rows = {}
        for size in (int(s) for s in opts.sizes.split(",")):
            rows[size] = row = (base if size == 500 else
                                plan_vs_floor(1 if size > 5000 else opts.repeat, size, 50))
            plan_ms, plan_kb = per_tracker(row, one, size, "plan", "floor")
            val_ms, val_kb = per_tracker(row, one, size, "validate", "files_floor")
            scaling[f"plan_ms_per_tracker_{size}"] = round(plan_ms, 3)
            scaling[f"plan_kb_per_tracker_{size}"] = round(plan_kb, 1)
            scaling[f"validate_ms_per_tracker_{size}"] = round(val_ms, 3)
            scaling[f"validate_kb_per_tracker_{size}"] = round(val_kb, 1)
            print(f"{size:>6} trackers: plan {row['plan']:.2f} s (floor {row['floor']:.2f} s) "
                  f"{plan_ms:.3f} ms/tracker above floor, {plan_kb:.1f} KB/tracker "
                  f"({row['plan_rss']:.0f} MB) | validate {row['validate']:.2f} s "
                  f"(floor {row['files_floor']:.2f} s) {val_ms:.3f} ms/tracker above floor, "
                  f"{val_kb:.1f} KB/tracker ({row['validate_rss']:.0f} MB)")
        sizes = sorted(rows)
        if len(sizes) > 1:
            low, high = rows[sizes[0]], rows[sizes[-1]]
            span = sizes[-1] - sizes[0]
            for command, floor in (("plan", "floor"), ("validate", "files_floor")):
                slope = ((high[command] - low[command]) - (high[floor] - low[floor])) / span
                memory = (high[f"{command}_rss"] - low[f"{command}_rss"]) * 1024 / span
                print(f"marginal {sizes[0]} -> {sizes[-1]}: {command} {slope * 1000:.3f} "
                      f"ms/tracker above the floor's, {memory:.1f} KB/tracker")
        print("goal: <= 0.3 ms/tracker above the floor's, <= 15 KB/tracker")

    print("== import (500 x 50 into an empty project)")
    first, again, create = import_times(opts.repeat)
    print(f"first {first:.3f} s | again {again:.3f} s (goals <= 0.6 s, <= 0.4 s) | creating "
          f"the same 500 files alone in this folder: {create:.3f} s")
    print(json.dumps({"plan_floor_ratio": round(base["plan"] / base["floor"], 2),
                      "version_s": round(figures["--version"] - bare, 3),
                      "help_s": round(figures["--help"] - bare, 3),
                      "validate_small_s": round(figures["validate trackers/"] - bare, 3),
                      "version_modules": modules, **scaling,
                      "import_first_s": round(first, 3), "import_again_s": round(again, 3),
                      "create_files_floor_s": round(create, 3)}))


if __name__ == "__main__":
    main()
