"""Retries: 429 storms, 5xx, timeouts, dropped connections, Retry-After, serial requests.

Sources: docs/api-contract.md, "Concurrency of writes" (one write at a time, else 429).
Waits go through a fake sleep, so the values are checked without waiting.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable

import pytest

from symbl_emulator import EmulatorServer
from tests.leakscan import LeakScan
from trackersync.client import SymblClient
from trackersync.errors import ApiError, RateLimitedError, TransportError

from .helpers import FakeSleep, api_log, faults, tracker

LIST = "/v1/manage/trackers"


def test_429_storm_on_bulk_create_is_waited_out(
    client: SymblClient, emulator: EmulatorServer, fake_sleep: FakeSleep
) -> None:
    faults(emulator, {"method": "POST", "path": LIST, "status": 429, "times": 3})
    made = client.create_trackers([tracker("Alpha"), tracker("Beta")])
    assert [t.name for t in made] == ["Alpha", "Beta"]
    assert len(emulator.trackers()) == 2
    posts = [e for e in api_log(emulator) if e[:2] == ("POST", LIST)]
    assert [e[2] for e in posts] == [429, 429, 429, 201]
    assert len(fake_sleep.waits) == 3


def test_backoff_without_retry_after_is_exponential_with_jitter(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, fake_sleep: FakeSleep
) -> None:
    client = make_client(backoff_factor=1.0, max_attempts=6)
    faults(emulator, {"method": "GET", "path": LIST, "status": 429, "times": 5})
    assert client.list_trackers() == []
    assert len(fake_sleep.waits) == 5
    for attempt, wait in enumerate(fake_sleep.waits, start=1):
        base = 2 ** (attempt - 1)
        assert base / 2 <= wait <= base


def test_retry_after_seconds_and_http_date_are_honoured(
    client: SymblClient, emulator: EmulatorServer, fake_sleep: FakeSleep
) -> None:
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    faults(
        emulator,
        {"method": "PUT", "path": "/v1/manage/tracker/1", "status": 429,
         "headers": {"Retry-After": "2"}},
        {"method": "PUT", "path": "/v1/manage/tracker/1", "status": 429,
         "headers": {"Retry-After": date}},
        {"method": "PUT", "path": "/v1/manage/tracker/1", "status": 404},
    )
    with pytest.raises(ApiError) as caught:
        client.update_tracker("1", tracker("Alpha"))
    assert caught.value.status == 404
    assert fake_sleep.waits[0] == 2.0
    assert 20 <= fake_sleep.waits[1] <= 30


def test_absurd_retry_after_is_capped_and_logged(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, fake_sleep: FakeSleep,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = make_client(max_retry_wait=7.0)
    faults(emulator, {"method": "GET", "path": LIST, "status": 503,
                      "headers": {"Retry-After": "200"}})
    assert client.list_trackers() == []
    assert fake_sleep.waits == [7.0]
    assert "Retry-After of 200 s capped at 7 s" in caplog.text


def test_retry_after_past_the_budget_fails_at_once_saying_how_long(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, fake_sleep: FakeSleep,
) -> None:
    client = make_client(retry_budget=300.0)
    faults(emulator, {"method": "PUT", "path": "/v1/manage/tracker/1", "status": 429,
                      "headers": {"Retry-After": "86400"}})
    with pytest.raises(RateLimitedError) as caught:
        client.update_tracker("1", tracker("Alpha"))
    assert fake_sleep.waits == []
    assert "the server asked to wait 86400 s before a retry (Retry-After)" in str(caught.value)
    assert "more than the 300 s left of the retry budget" in str(caught.value)
    assert [e[1:3] for e in api_log(emulator)][-1:] == [("/v1/manage/tracker/1", 429)]


def test_429_that_never_ends_gives_up_after_max_attempts(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, leaks: LeakScan
) -> None:
    client = make_client(max_attempts=4)
    faults(emulator, {"method": "POST", "path": LIST, "status": 429, "times": 10})
    with pytest.raises(RateLimitedError) as caught:
        client.create_trackers([tracker("Alpha")])
    leaks.check(caught.value)
    err = caught.value
    assert (err.status, err.method, err.path) == (429, "POST", LIST)
    assert "after 4 attempts" in str(err) and "Too Many Requests" in str(err)
    assert emulator.trackers() == []
    assert len([e for e in api_log(emulator) if e[0] == "POST" and e[1] == LIST]) == 4


def test_retry_time_budget_stops_before_a_long_wait(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, fake_sleep: FakeSleep
) -> None:
    client = make_client(retry_budget=1.0)
    faults(emulator, {"method": "GET", "path": LIST, "status": 429,
                      "headers": {"Retry-After": "5"}})
    with pytest.raises(RateLimitedError):
        client.list_trackers()
    assert fake_sleep.waits == []


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_then_success_on_reads(
    status: int, client: SymblClient, emulator: EmulatorServer
) -> None:
    emulator.seed([{"name": "Alpha", "vocabulary": ["a"]}])
    faults(emulator, {"method": "GET", "path": LIST, "status": status, "times": 2})
    assert [t.name for t in client.list_trackers()] == ["Alpha"]
    assert [e[2] for e in api_log(emulator)][1:] == [status, status, 200]


def test_503_that_persists_is_an_error_never_an_empty_list(
    client: SymblClient, emulator: EmulatorServer, leaks: LeakScan
) -> None:
    """Bounded retries, then an error naming the call."""
    faults(emulator, {"method": "GET", "path": LIST, "status": 503, "times": 20})
    with pytest.raises(ApiError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert (caught.value.status, caught.value.method, caught.value.path) == (503, "GET", LIST)
    assert caught.value.api_message == "Service Unavailable"


def test_read_timeout_on_a_read_is_retried(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    client = make_client(timeout=(2.0, 0.3))
    faults(emulator, {"method": "GET", "path": LIST, "delay_ms": 700})
    assert client.list_trackers() == []
    assert client.request_count == 3  # token, the timed-out GET, the retry


@pytest.mark.slow
def test_read_timeouts_that_persist_raise_transport_error(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, leaks: LeakScan
) -> None:
    """A timeout is an error, never an empty listing."""
    client = make_client(timeout=(2.0, 0.2), max_attempts=2)
    faults(emulator, {"method": "GET", "path": LIST, "delay_ms": 500, "times": 2})
    with pytest.raises(TransportError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert "read timeout" in str(caught.value) and caught.value.status is None
    assert (caught.value.method, caught.value.path) == ("GET", LIST)


def test_dropped_connection_on_reads_and_puts_is_retried(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    (made,) = client.create_trackers([tracker("Alpha")])
    faults(
        emulator,
        {"method": "GET", "path": LIST, "drop": True},
        {"method": "PUT", "path": f"/v1/manage/tracker/{made.id}", "drop": True,
         "after_commit": True},
    )
    assert [t.id for t in client.list_trackers()] == [made.id]
    updated = client.update_tracker(made.id, tracker("Alpha Renamed"))
    assert updated.name == "Alpha Renamed" and updated.id == made.id
    assert [t["name"] for t in emulator.trackers()] == ["Alpha Renamed"]


def test_connection_refused_is_a_transport_error(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, leaks: LeakScan
) -> None:
    client = make_client(max_attempts=2)
    emulator.stop()
    with pytest.raises(TransportError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert "after 2 attempt(s)" in str(caught.value)


def test_requests_are_strictly_serial_across_threads_and_clients(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    """The emulator answers 429 to any overlapping write; none may happen."""
    first, second = make_client(max_attempts=1), make_client(max_attempts=1)
    made = first.create_trackers([tracker(f"T{i}") for i in range(4)])
    emulator.configure(latency_ms=40)
    errors: list[BaseException] = []

    def work(client: SymblClient, index: int) -> None:
        try:
            client.update_tracker(made[index].id, tracker(f"T{index} new"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=((first, second)[i % 2], i)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert 429 not in [e[2] for e in api_log(emulator)]


def test_one_info_line_per_http_call(
    client: SymblClient, emulator: EmulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    faults(emulator, {"method": "GET", "path": LIST, "status": 502})
    client.list_trackers()
    lines = [r.getMessage() for r in caplog.records
             if r.name == "trackersync.client.transport" and r.levelno == logging.INFO]
    assert len(lines) == client.request_count == 3
    assert lines[0].startswith("POST /oauth2/token:generate -> 200 (")
    assert lines[1].startswith("GET /v1/manage/trackers -> 502 (") and "retry 1 of 4" in lines[1]
    assert lines[2].startswith("GET /v1/manage/trackers -> 200 (") and " ms)" in lines[2]
