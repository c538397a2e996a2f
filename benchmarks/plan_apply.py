"""Benchmark: plan and apply the largest account Symbl allows, against the emulator.

Generates 500 trackers x 50 phrases (deterministic, seed 2022), writes them as tracker
files in a temporary project, starts the emulator on loopback and runs the real CLI
(``python -m trackersync``) as a subprocess for ``plan``, ``apply --auto-approve`` and a
second ``plan``. For each step it prints wall seconds, peak RSS of the CLI process (MB),
the HTTP requests the emulator saw, and the floor of requests:

* plan: 1 token call + 1 list GET;
* apply: 1 token call + 1 list GET + 1 re-read of the account right before the first
  write + the bulk POSTs needed under the 1 MB body limit (docs/api-contract.md, "Body
  size limit"; contiguous chunks packed greedily, which is optimal for an ordered
  sequence) + 1 verify GET.

Usage: ``python benchmarks/plan_apply.py [--latency-ms N] [--trackers 500] [--phrases 50]``.
It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from account import bulk_post_floor, generate, write_project

from symbl_emulator import start_emulator


def run_cli(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """Run ``python -m trackersync ARGS``; return (wall s, peak RSS MB, exit code, stdout).

    The child is reaped with ``os.wait4`` so its own peak RSS is read (Linux: KB).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "trackersync", *args], cwd=cwd, env=env, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode not in (0, 2):
        print(stderr, file=sys.stderr)
    return wall, usage.ru_maxrss / 1024, proc.returncode, stdout


def main() -> None:
    """Run the benchmark and print one line per step, then a summary line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=0)
    parser.add_argument("--trackers", type=int, default=500)
    parser.add_argument("--phrases", type=int, default=50)
    opts = parser.parse_args()

    trackers = generate(opts.trackers, opts.phrases)
    floor_posts = bulk_post_floor(trackers)
    floors = {"plan": 2, "apply": 4 + floor_posts, "replan": 2}
    results = {}
    with tempfile.TemporaryDirectory() as tmp, start_emulator(latency_ms=opts.latency_ms) as srv:
        root = Path(tmp)
        write_project(root, trackers)
        env = dict(os.environ, SYMBL_API_URL=srv.url, SYMBL_APP_ID=srv.app_id,
                   SYMBL_APP_SECRET=srv.app_secret)
        env.pop("SYMBL_ACCESS_TOKEN", None)
        steps = {"plan": ["plan"], "apply": ["apply", "--auto-approve"], "replan": ["plan"]}
        for step, args in steps.items():
            seen_before = _request_total(srv.url)
            wall, rss, code, out = run_cli(args, root, env)
            requests_made = _request_total(srv.url) - seen_before
            results[step] = (wall, rss, requests_made, code, out)
            print(f"{step:<7} wall {wall:6.2f} s  peak RSS {rss:6.1f} MB  "
                  f"requests {requests_made:3d} (floor {floors[step]})  exit {code}")
    replan_empty = "No changes." in results["replan"][4]
    print(
        f"summary: {opts.trackers}x{opts.phrases} latency {opts.latency_ms} ms | "
        f"plan {results['plan'][0]:.2f} s | apply {results['apply'][0]:.2f} s "
        f"{results['apply'][2]} req (floor {floors['apply']}, {floor_posts} bulk POSTs) | "
        f"second plan {'empty' if replan_empty else 'NOT EMPTY'} {results['replan'][0]:.2f} s | "
        f"peak RSS {max(r[1] for r in results.values()):.0f} MB"
    )


def _request_total(url: str) -> int:
    import requests

    return len(requests.get(f"{url}/_emulator/requests", timeout=10).json()["requests"])


if __name__ == "__main__":
    main()
