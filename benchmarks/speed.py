"""Benchmark: trackersync's speed against its floor, start-up, scaling and import.

Everything is measured in one run on this machine, so the ratios are fair:

1. **plan vs floor** (500 trackers x 50 phrases): ``trackersync plan`` as a subprocess
   against the emulator on loopback, next to a *floor* subprocess doing the least work a
   plan can do: read the same 500 files with PyYAML's C loader, one token call and one
   list GET with ``requests``, and a frozenset diff. Prints both and the ratio.
2. **start-up**: ``--version``, ``--help`` and ``validate`` of the repository's own
   ``trackers/``, each next to ``python -c pass``.
3. **scaling**: validate and plan at 500, 5,000 and 20,000 trackers (the emulator's tracker
   limit raised for this); per-tracker time above the floor's per-tracker time and peak
   memory per tracker.
4. **import** of the 500 x 50 account into an empty project: first time and again.

Each figure is the best of ``--repeat`` runs (wall seconds; peak RSS in MB from
``wait4`` in a small launcher process, see :data:`LAUNCHER`).
Usage: ``python benchmarks/speed.py [--repeat 3] [--sizes 500,5000,20000]``.
It needs PyYAML (the floor only; in the test extra). It is a benchmark, not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from account import generate, write_project

from symbl_emulator import start_emulator

ROOT = Path(__file__).resolve().parents[1]

FLOOR_SCRIPT = r"""
import sys, pathlib, requests, yaml
root, url, app_id, secret = sys.argv[1:5]
docs = {}
for path in sorted(pathlib.Path(root, "trackers").glob("*.yaml")):
    with open(path, "rb") as handle:
        doc = yaml.load(handle, Loader=yaml.CSafeLoader)
    docs[doc["name"]] = frozenset(doc["vocabulary"])
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


#: Runs its arguments as a child and writes the child's wall time and peak RSS to the file
#: named first. Measured from this small process, not from the benchmark's: a child of a
#: large process counts that process's memory in its own peak RSS (Linux keeps the peak
#: of the memory it had before exec), and the benchmark holds the emulator and its data.
LAUNCHER = r"""
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{wall} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``argv``; return (wall s, peak RSS MB, exit code, stdout).

    The child is started and reaped by :data:`LAUNCHER`, which reads its own peak RSS
    (Linux: KB) and its wall time (the launcher's start-up left out).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp, "figures")
        proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(figures), *argv], cwd=cwd,
                                env=env, stdout=out, stderr=err)
        code = proc.wait()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        wall_text, rss_text = figures.read_text().split()
    if code not in (0, 2):
        print(f"  ! {' '.join(argv[-3:])} exited {code}: {stderr.strip()[:500]}", file=sys.stderr)
    return float(wall_text), int(rss_text) / 1024, code, stdout


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


def seed(srv: object, trackers: list[dict[str, object]]) -> None:
    """Load ``trackers`` into the emulator's account through its control endpoint."""
    import requests

    url = srv.url  # type: ignore[attr-defined]
    requests.post(f"{url}/_emulator/reset", timeout=60)
    for start in range(0, len(trackers), 2000):
        answer = requests.post(f"{url}/_emulator/seed", json=trackers[start:start + 2000],
                               timeout=120)
        answer.raise_for_status()


def plan_vs_floor(repeat: int, size: int, phrases: int) -> dict[str, float]:
    """Plan and floor on a ``size`` x ``phrases`` project whose account holds the same."""
    trackers = generate(size, phrases)
    with tempfile.TemporaryDirectory() as tmp, start_emulator(tracker_limit=max(500, size)) as srv:
        root = Path(tmp)
        write_project(root, trackers)
        if size > 500:  # past Symbl's limit: the project says how many its account holds
            (root / "trackersync.yaml").write_text(f"account_limit: {size}\n")
        seed(srv, trackers)
        env = emulator_env(srv)
        floor_argv = [sys.executable, "-c", FLOOR_SCRIPT, str(root), srv.url, srv.app_id,
                      srv.app_secret]
        floor, floor_rss = best(repeat, floor_argv, root, env)
        plan, plan_rss = best(repeat, cli("plan"), root, env)
        validate, validate_rss = best(repeat, cli("validate"), root, env)
    return {"floor": floor, "floor_rss": floor_rss, "plan": plan, "plan_rss": plan_rss,
            "validate": validate, "validate_rss": validate_rss}


def startup(repeat: int) -> dict[str, float]:
    """``python -c pass``, ``--version``, ``--help`` and a small ``validate``, best of N."""
    env = dict(os.environ)
    figures = {"python -c pass": best(repeat, [sys.executable, "-c", "pass"], ROOT, env)[0]}
    figures["--version"] = best(repeat, cli("--version"), ROOT, env)[0]
    figures["--help"] = best(repeat, cli("--help"), ROOT, env)[0]
    figures["validate trackers/"] = best(repeat, cli("validate"), ROOT, env)[0]
    return figures


def import_times(repeat: int) -> tuple[float, float]:
    """``import`` of the 500 x 50 account into an empty project: first time, then again."""
    trackers = generate(500, 50)
    firsts, agains = [], []
    with start_emulator() as srv:
        seed(srv, trackers)
        env = emulator_env(srv)
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                (root / "trackers").mkdir()
                firsts.append(run(cli("import"), root, env)[0])
                agains.append(run(cli("import"), root, env)[0])
    return min(firsts), min(agains)


def main() -> None:
    """Run every part and print one block of figures per part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--skip-scaling", action="store_true")
    opts = parser.parse_args()

    print("== plan vs floor (500 x 50, loopback emulator)")
    base = plan_vs_floor(opts.repeat, 500, 50)
    print(f"floor {base['floor']:.3f} s | plan {base['plan']:.3f} s | "
          f"ratio {base['plan'] / base['floor']:.2f}x | validate {base['validate']:.3f} s")

    print(f"== start-up (best of {opts.repeat})")
    figures = startup(opts.repeat)
    bare = figures["python -c pass"]
    for name, wall in figures.items():
        extra = "" if name == "python -c pass" else f"  (+{wall - bare:.3f} s above python)"
        print(f"{name:<22} {wall:.3f} s{extra}")

    if not opts.skip_scaling:
        print("== scaling (validate and plan; per tracker above the floor's per-tracker cost)")
        rows = {}
        for size in (int(s) for s in opts.sizes.split(",")):
            rows[size] = plan_vs_floor(1 if size > 5000 else opts.repeat, size, 50)
            row = rows[size]
            print(f"{size:>6} trackers: floor {row['floor']:.2f} s | plan {row['plan']:.2f} s "
                  f"({(row['plan'] - row['floor']) / size * 1000:.3f} ms/tracker above floor) | "
                  f"validate {row['validate']:.2f} s | peak RSS plan {row['plan_rss']:.0f} MB "
                  f"({row['plan_rss'] * 1024 / size:.1f} KB/tracker)")
        sizes = sorted(rows)
        if len(sizes) > 1:
            low, high = sizes[0], sizes[-1]
            slope = ((rows[high]["plan"] - rows[low]["plan"])
                     - (rows[high]["floor"] - rows[low]["floor"])) / (high - low) * 1000
            mem = (rows[high]["plan_rss"] - rows[low]["plan_rss"]) * 1024 / (high - low)
            print(f"marginal: plan {slope:.3f} ms/tracker above the floor's; "
                  f"memory {mem:.1f} KB/tracker")

    print("== import (500 x 50 into an empty project)")
    first, again = import_times(opts.repeat)
    print(f"first {first:.3f} s | again {again:.3f} s")
    print(json.dumps({"plan_floor_ratio": round(base["plan"] / base["floor"], 2),
                      "version_s": round(figures["--version"], 3),
                      "import_first_s": round(first, 3), "import_again_s": round(again, 3)}))


if __name__ == "__main__":
    main()
