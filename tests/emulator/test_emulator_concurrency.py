"""Concurrency 1 → 429 ("Concurrency of writes" in docs/api-contract.md); persistence."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import requests

from symbl_emulator import start_emulator

LATENCY_MS = 400  # both requests start in this window (released by one barrier): they overlap


def _overlapping(url: str, token: str, calls: list[tuple[str, str, object]]) -> list[int]:
    barrier = threading.Barrier(len(calls))
    statuses: list[int] = [0] * len(calls)

    def send(index: int, method: str, path: str, body: object) -> None:
        barrier.wait()
        answer = requests.request(method, url + path, json=body, timeout=30,
                                  headers={"Authorization": f"Bearer {token}"})
        statuses[index] = answer.status_code

    threads = [threading.Thread(target=send, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.slow
def test_two_overlapping_creates_give_one_429() -> None:
    with start_emulator(latency_ms=LATENCY_MS) as srv:
        calls: list[tuple[str, str, object]] = [
            ("POST", "/v1/manage/tracker", {"name": "A", "vocabulary": ["a"]}),
            ("POST", "/v1/manage/trackers", [{"name": "B", "vocabulary": ["b"]}]),
        ]
        statuses = _overlapping(srv.url, srv.token(), calls)
        assert sorted(statuses) == [201, 429]
        assert len(srv.trackers()) == 1
        body = requests.get(f"{srv.url}/_emulator/requests", timeout=5).json()["requests"]
        assert sorted(e["status"] for e in body) == [201, 429]


@pytest.mark.slow
def test_put_shares_the_slot_but_reads_and_deletes_do_not() -> None:
    with start_emulator() as srv:
        (first, second) = srv.seed([{"name": "A", "vocabulary": ["a"]},
                                    {"name": "B", "vocabulary": ["b"]}])
        srv.configure(latency_ms=LATENCY_MS)
        calls: list[tuple[str, str, object]] = [
            ("PUT", f"/v1/manage/tracker/{first['id']}", {"name": "A", "vocabulary": ["x"]}),
            ("POST", "/v1/manage/tracker", {"name": "C", "vocabulary": ["c"]}),
        ]
        statuses = _overlapping(srv.url, srv.token(), calls)
        assert statuses.count(429) == 1 and (200 in statuses or 201 in statuses)
        calls = [
            ("PUT", f"/v1/manage/tracker/{first['id']}", {"name": "A", "vocabulary": ["y"]}),
            ("GET", "/v1/manage/trackers", None),
            ("DELETE", f"/v1/manage/tracker/{second['id']}", None),
        ]
        assert _overlapping(srv.url, srv.token(), calls) == [200, 200, 200]


def test_restart_with_the_same_db_keeps_trackers_ids_and_tokens(tmp_path: Path) -> None:
    db = tmp_path / "emulator.db"
    with start_emulator(db_path=db) as srv:
        token = srv.token()
        headers = {"Authorization": f"Bearer {token}"}
        body = [{"name": "Keep", "vocabulary": ["k"]}, {"name": "Me", "vocabulary": ["m"]}]
        created = requests.post(f"{srv.url}/v1/manage/trackers", json=body, headers=headers,
                                timeout=5).json()["trackers"]
    with start_emulator(db_path=db) as again:
        listing = requests.get(f"{again.url}/v1/manage/trackers", headers=headers, timeout=5)
        assert listing.status_code == 200
        assert listing.json()["trackers"] == created
        dup = requests.post(f"{again.url}/v1/manage/tracker", headers=headers, timeout=5,
                            json={"name": "Keep", "vocabulary": ["k"]})
        assert dup.status_code == 409


def test_in_memory_state_is_not_shared_between_servers() -> None:
    with start_emulator() as one, start_emulator() as two:
        one.seed([{"name": "Only here", "vocabulary": ["x"]}])
        assert two.trackers() == []
