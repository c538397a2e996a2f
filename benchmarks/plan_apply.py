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

With ``--latency-ms N`` (N > 0) it then compares ``apply`` of the trackers into an empty
account with the least an apply can do at that latency: ``floor requests x N ms + the
floor's local work``. The floor's local work is a subprocess that reads the same files
with PyYAML's C loader and sends exactly the floor's requests with ``requests`` (token,
list, re-read, the bulk POSTs, verify GET) to an emulator without latency. Apply and
floor are run ``--repeat`` times each, alternately, on fresh accounts; the best of each
is printed with the ratio (the goal: at most 1.3).

Usage: ``python benchmarks/plan_apply.py [--latency-ms N] [--trackers 500] [--phrases 50]
[--repeat 3]``. It needs PyYAML (the floor only; in the test extra). It is a benchmark,
not a test: nothing here asserts a time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from account import bulk_post_floor, generate, size_parser, write_project

from symbl_emulator import start_emulator

#: The least work an apply of new trackers can do: read the files, then token, list,
#: re-read right before the first write, bulk POSTs of at most 1,000,000 bytes each
#: (what the client aims under), verify GET. Prints how many trackers the account holds.
APPLY_FLOOR_SCRIPT = r"""
import json, pathlib, sys, requests, yaml
root, url, app_id, secret = sys.argv[1:5]
docs = []
for path in sorted(pathlib.Path(root, "trackers").glob("*.yaml")):
    with open(path, "rb") as handle:
        docs.append(yaml.load(handle, Loader=yaml.CSafeLoader))
session = requests.Session()
token = session.post(url + "/oauth2/token:generate",
                     json={"type": "application", "appId": app_id, "appSecret": secret},
                     timeout=60).json()["accessToken"]
headers = {"x-api-key": token, "Content-Type": "application/json"}
listing = url + "/v1/manage/trackers"
remote = {t["name"] for t in session.get(listing, headers=headers, timeout=60).json()["trackers"]}
remote = {t["name"] for t in session.get(listing, headers=headers, timeout=60).json()["trackers"]}
items = [json.dumps({"name": d["name"], "vocabulary": d["vocabulary"]}, separators=(",", ":"),
                    ensure_ascii=False).encode() for d in docs if d["name"] not in remote]
bodies, current = [], []
for item in items:
    if current and 2 + sum(map(len, current)) + len(current) + len(item) > 1_000_000:
        bodies.append(current)
        current = []
    current.append(item)
bodies += [current] if current else []
for body in bodies:
    answer = session.post(listing, data=b"[" + b",".join(body) + b"]", headers=headers,
                          timeout=60)
    answer.raise_for_status()
print(len(session.get(listing, headers=headers, timeout=60).json()["trackers"]))
"""


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
    parser = size_parser(__doc__)
    parser.add_argument("--latency-ms", type=int, default=0)
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
    if opts.latency_ms > 0:
        apply_vs_floor(trackers, opts.latency_ms, opts.repeat, floors["apply"])


def apply_vs_floor(trackers: list[dict[str, object]], latency_ms: int, repeat: int,
                   floor_requests: int) -> None:
    """Print apply at ``latency_ms`` next to ``floor_requests x latency + local floor``.

    Each round starts from an empty account (``/_emulator/reset``) and no state record;
    apply runs against an emulator with the latency, the floor script against one
    without (its local work).
    """
    import requests

    applies, floors = [], []
    with tempfile.TemporaryDirectory() as tmp, \
            start_emulator(latency_ms=latency_ms) as slow, start_emulator() as fast:
        root = Path(tmp)
        write_project(root, trackers)
        for _ in range(repeat):
            for srv, runs in ((slow, applies), (fast, floors)):
                requests.post(f"{srv.url}/_emulator/reset", timeout=10).raise_for_status()
                (root / "trackers.ids.json").unlink(missing_ok=True)  # the state record
                env = dict(os.environ, SYMBL_API_URL=srv.url, SYMBL_APP_ID=srv.app_id,
                           SYMBL_APP_SECRET=srv.app_secret)
                env.pop("SYMBL_ACCESS_TOKEN", None)
                argv = (["apply", "--auto-approve"] if srv is slow else
                        ["-c", APPLY_FLOOR_SCRIPT, str(root), srv.url, srv.app_id,
                         srv.app_secret])
                wall, _, code, _ = (run_cli(argv, root, env) if srv is slow
                                    else run_python(argv, root, env))
                seen = _request_total(srv.url)
                if code != 0 or seen != floor_requests:
                    print(f"  ! {'apply' if srv is slow else 'floor'}: exit {code}, "
                          f"{seen} requests (floor {floor_requests})")
                runs.append(wall)
    local = min(floors)
    floor = floor_requests * latency_ms / 1000 + local
    print(f"apply vs floor at {latency_ms} ms: apply {min(applies):.2f} s | floor "
          f"{floor_requests} req x {latency_ms} ms + local {local:.2f} s = {floor:.2f} s | "
          f"ratio {min(applies) / floor:.2f}x (goal <= 1.3; best of {repeat})")


def run_python(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int, str]:
    """As :func:`run_cli`, for ``python ARGS``."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, *args], cwd=cwd, env=env, stdout=out,
                              stderr=subprocess.PIPE, text=True, check=False)
        wall = time.perf_counter() - start
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
    return wall, 0.0, proc.returncode, ""


def _request_total(url: str) -> int:
    import requests

    return len(requests.get(f"{url}/_emulator/requests", timeout=10).json()["requests"])


if __name__ == "__main__":
    main()
