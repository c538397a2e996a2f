"""Robustness of the emulator's HTTP server, on loopback, printing figures.

Starts ``python -m symbl_emulator --port 0`` as a separate process (as a user would),
then:

1. **Concurrent clients**: 200 clients, each with its own kept-alive connection, send a
   mix of Management and Async requests for 20 seconds. Any connection error, 5xx or
   answer outside the documented statuses counts as an error (a 429 from the
   one-write-at-a-time rule is a documented answer, counted apart).
2. **Slow connections**: 3,000 connections each send an unfinished request (half the
   head, or the head and part of the body) and are held open; a request on a fresh
   connection is timed while they are held; then all 3,000 are closed at once and a
   new request is timed from that moment.
3. **Request log**: after phase 2 the log must hold only the real, complete requests
   made during it (none of the 3,000 unfinished ones).

Usage: ``python benchmarks/emulator_robustness.py [--clients 200] [--seconds 20]
[--slow 3000] [--hold 5]``. Exits 1 if a figure misses its goal.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any

import requests

DOCUMENTED = {200, 201, 400, 404, 409, 429}


def start_emulator() -> tuple[subprocess.Popen[str], str]:
    """Run the emulator command on a free port; returns the process and its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "symbl_emulator", "--port", "0", "--tracker-limit", "100000"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # drain
            return process, match.group(1)
    raise SystemExit("the emulator did not start")


def token(url: str) -> str:
    body = {"type": "application", "appId": "trackersync-emulator-app",
            "appSecret": "trackersync-emulator-secret"}
    answer = requests.post(f"{url}/oauth2/token:generate", json=body, timeout=10)
    answer.raise_for_status()
    return str(answer.json()["accessToken"])


def client_loop(url: str, auth: dict[str, str], index: int, deadline: float,
                results: list[Any]) -> None:
    """One client: a kept-alive session cycling through five kinds of request."""
    statuses: Counter[int | str] = Counter()
    latencies: list[float] = []
    with requests.Session() as session:
        session.headers.update(auth)
        n = 0
        while time.monotonic() < deadline:
            n += 1
            kind = n % 5
            started = time.perf_counter()
            try:
                if kind == 0:
                    answer = session.post(f"{url}/v1/manage/tracker", timeout=30, json={
                        "name": f"client {index} tracker {n}", "vocabulary": ["a phrase"]})
                elif kind == 1:
                    answer = session.get(f"{url}/v1/manage/trackers", timeout=30,
                                         params={"name": f"client {index} tracker {n - 1}"})
                elif kind == 2:
                    answer = session.get(f"{url}/v1/manage/tracker/4000000000000000", timeout=30)
                elif kind == 3:
                    answer = session.post(f"{url}/v1/process/text", timeout=30, json={
                        "messages": [{"payload": {"content": "We have a sale right now on."}}],
                        "trackers": [{"name": "Sale", "vocabulary": ["a sale"]}]})
                else:
                    answer = session.get(f"{url}/openapi.json", timeout=30)
                statuses[answer.status_code] += 1
            except requests.RequestException as exc:
                statuses[type(exc).__name__] += 1
            latencies.append(time.perf_counter() - started)
    results.append((statuses, latencies))


def concurrent_clients(url: str, clients: int, seconds: float) -> bool:
    auth = {"Authorization": f"Bearer {token(url)}"}
    deadline = time.monotonic() + seconds
    results: list[Any] = []
    threads = [threading.Thread(target=client_loop, args=(url, auth, i, deadline, results))
               for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    statuses: Counter[int | str] = Counter()
    latencies: list[float] = []
    for counted, measured in results:
        statuses.update(counted)
        latencies.extend(measured)
    total = sum(statuses.values())
    errors = sum(n for status, n in statuses.items() if status not in DOCUMENTED)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    by_status = dict(sorted(statuses.items(), key=str))
    print(f"1. {clients} concurrent clients for {seconds:g} s: {total} requests "
          f"({total / seconds:.0f}/s), errors {errors}, by status {by_status}")
    print(f"   latency p50 {quantiles[49] * 1000:.1f} ms, p99 {quantiles[98] * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms; 429 (one write at a time, documented): "
          f"{statuses.get(429, 0)}")
    return errors == 0 and len(results) == clients


def timed_get(url: str, auth: dict[str, str]) -> tuple[float, int]:
    started = time.perf_counter()
    answer = requests.get(f"{url}/v1/manage/trackers", headers=auth, timeout=30,
                          params={"name": "probe"})
    return time.perf_counter() - started, answer.status_code


def slow_connections(url: str, count: int, hold_s: float) -> bool:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    auth = {"Authorization": f"Bearer {token(url)}"}
    requests.delete(f"{url}/_emulator/requests", timeout=10)
    unfinished = [
        b"GET /v1/manage/trackers HTTP/1.1\r\nHost: x\r\nAuthor",
        b"POST /v1/manage/tracker HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 64\r\n\r\n{\"name\": \"slow",
    ]
    sockets: list[socket.socket] = []
    started = time.perf_counter()
    for i in range(count):
        sock = socket.create_connection((host, int(port)), timeout=30)
        sock.sendall(unfinished[i % 2])
        sockets.append(sock)
    opened = time.perf_counter() - started
    print(f"2. {count} slow connections opened in {opened:.2f} s, each holding an unfinished "
          "request")
    time.sleep(hold_s / 2)
    during, status_during = timed_get(url, auth)
    print(f"   while held: a new request answered in {during * 1000:.1f} ms ({status_during})")
    time.sleep(hold_s / 2)
    released = time.perf_counter()
    for sock in sockets:
        sock.close()
    after, status_after = timed_get(url, auth)
    since_release = time.perf_counter() - released
    print(f"   released all {count}: a new request answered {since_release * 1000:.1f} ms after "
          f"release (request itself {after * 1000:.1f} ms, status {status_after})")
    log = requests.get(f"{url}/_emulator/requests", timeout=10).json()["requests"]
    real = [(entry["method"], entry["path"]) for entry in log]
    expected = [("GET", "/v1/manage/trackers")] * 2
    print(f"3. request log after phase 2: {len(log)} entries {real} (expected the 2 probes; "
          f"none of the {count} unfinished requests)")
    return (since_release < 2.0 and status_after == 200 and status_during == 200
            and real == expected)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--slow", type=int, default=3000)
    parser.add_argument("--hold", type=float, default=5.0)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = args.slow + args.clients + 256
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    process, url = start_emulator()
    print(f"emulator: {url} (pid {process.pid}, {os.cpu_count()} cores)")
    try:
        ok_clients = concurrent_clients(url, args.clients, args.seconds)
        ok_slow = slow_connections(url, args.slow, args.hold)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    verdict = "all figures hold" if ok_clients and ok_slow else "A FIGURE MISSED ITS GOAL"
    print(f"result: {verdict}")
    return 0 if ok_clients and ok_slow else 1


if __name__ == "__main__":
    sys.exit(main())
