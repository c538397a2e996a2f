"""Benchmark: the test suite, run as the README's test command runs it.

Runs ``python -m pytest -q -n auto`` (the README's test command without the install) in
a fresh clone of the current commit, so nothing is cached that a new machine would not
have: no rewritten test modules, no bytecode beyond what the suite compiles itself. The
clone uses this virtual environment's interpreter and installed dependencies, with the
clone first on ``PYTHONPATH`` so that the tests and their child processes run the
clone's code. Prints, per run:

- wall seconds, and CPU seconds (user + system) split into the pytest processes and
  their child processes (trackersync commands, the workflow simulator's bash, git and
  scripts), from ``wait4``'s resource usage;
- the load average before the run (the machine is shared: read figures next to it);
- the sum of test durations per top-level test folder, and the ten slowest tests.

Usage: ``python benchmarks/suite.py [--repeat 2] [--workers auto]``. It is a benchmark,
not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DURATION = re.compile(r"^(\d+\.\d+)s (call|setup|teardown)\s+(\S+)$")


def clone(into: Path) -> Path:
    """A clone of the current commit of this repository at ``into/repo``."""
    target = into / "repo"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", head], check=True)
    return target


def run_suite(repo: Path, workers: str) -> dict[str, object]:
    """Run the suite once in ``repo``; wall and CPU seconds, durations, the summary line.

    Raises:
        RuntimeError: the suite did not pass (its last lines are in the message).
    """
    env = dict(os.environ, PYTHONPATH=str(repo))
    env.pop("PYTEST_ADDOPTS", None)
    command = [sys.executable, "-m", "pytest", "-q", "-n", workers, "-p", "no:cacheprovider",
               "--durations=0"]
    load = os.getloadavg()[0]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    lines = output.splitlines()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError("the suite failed:\n" + "\n".join(lines[-15:]))
    durations = [(float(m[1]), m[3]) for m in map(DURATION.match, lines) if m]
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "load": load,
            "summary": lines[-1].strip("= "), "durations": durations}


def per_process_cpu(repo: Path, workers: str) -> tuple[float, float]:
    """CPU seconds of the pytest processes and of their children, from one more run.

    Each pytest process (controller and workers) appends its own and its children's
    resource usage to a file at session end, through a plugin given with ``-p``.
    """
    with tempfile.TemporaryDirectory() as scratch:
        plugin = Path(scratch, "suite_rusage.py")
        report = Path(scratch, "rusage.txt")
        plugin.write_text(
            "import resource\n"
            "def pytest_sessionfinish(session):\n"
            "    if not hasattr(session.config, 'workerinput'):\n"
            "        return\n"
            "    me = resource.getrusage(resource.RUSAGE_SELF)\n"
            "    kids = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
            f"    with open({str(report)!r}, 'a') as out:\n"
            "        out.write(f'{me.ru_utime + me.ru_stime} "
            "{kids.ru_utime + kids.ru_stime}\\n')\n")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(repo), scratch]))
        env.pop("PYTEST_ADDOPTS", None)
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", workers,
                        "-p", "no:cacheprovider", "-p", "suite_rusage"],
                       cwd=repo, env=env, check=True, capture_output=True)
        rows = [tuple(map(float, line.split())) for line in report.read_text().splitlines()]
    return sum(r[0] for r in rows), sum(r[1] for r in rows)


def main() -> None:
    """Parse the options, clone, run the suite ``--repeat`` times and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", default="auto", help="pytest-xdist's -n (default auto)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        repo = clone(Path(scratch))
        runs = [run_suite(repo, args.workers) for _ in range(args.repeat)]
        for number, run in enumerate(runs, 1):
            print(f"run {number}: {run['wall']:.1f} s wall, {run['cpu']:.1f} s CPU "
                  f"(load before {run['load']:.2f}): {run['summary']}")
        best = min(runs, key=lambda run: run["wall"])
        workers_cpu, children_cpu = per_process_cpu(repo, args.workers)
    print(f"CPU in the pytest workers {workers_cpu:.1f} s, in their child processes "
          f"{children_cpu:.1f} s")
    folders: dict[str, float] = defaultdict(float)
    for seconds, test in best["durations"]:
        parts = test.split("::")[0].split("/")
        folders["/".join(parts[:2]) if len(parts) > 2 else parts[-1]] += seconds
    print("sum of test durations per folder (best run):")
    for folder, seconds in sorted(folders.items(), key=lambda item: -item[1])[:12]:
        print(f"  {seconds:6.1f} s  {folder}")
    print("slowest tests:")
    for seconds, test in sorted(best["durations"], reverse=True)[:10]:
        print(f"  {seconds:6.2f} s  {test}")


if __name__ == "__main__":
    main()
