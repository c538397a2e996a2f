"""Bulk create: ambiguity-safe after a lost answer, chunked under 1 MB with 413 splitting.

Invariant checked after every fault: each wanted tracker exists exactly once in the
emulator, with the id the client returned.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence

import pytest

from symbl_emulator import EmulatorServer
from tests.leakscan import LeakScan
from trackersync.client import SymblClient
from trackersync.errors import ApiError, ConflictError, PayloadTooLargeError
from trackersync.model import RemoteTracker, Tracker

from .helpers import api_log, faults, tracker

LIST = "/v1/manage/trackers"


def assert_exactly_once(emulator: EmulatorServer, made: Sequence[RemoteTracker],
                        wanted: Sequence[Tracker]) -> None:
    stored = emulator.trackers()
    counts = Counter(t["name"] for t in stored)
    assert all(counts[t.name] == 1 for t in wanted), counts
    ids = {t["name"]: t["id"] for t in stored}
    assert [(t.name, t.id) for t in made] == [(t.name, ids[t.name]) for t in wanted]


def statuses(emulator: EmulatorServer) -> list[tuple[str, int | None]]:
    return [(m, s) for m, p, s in api_log(emulator) if p == LIST]


@pytest.mark.parametrize(
    "fault",
    [
        {"status": 502, "after_commit": True},
        {"status": 504, "after_commit": True},
        {"status": 500, "after_commit": True},
        {"drop": True, "after_commit": True},
    ],
    ids=["502-after-commit", "504-after-commit", "500-after-commit", "drop-after-commit"],
)
def test_commit_then_failure_adopts_without_resending(
    fault: dict[str, object], client: SymblClient, emulator: EmulatorServer
) -> None:
    wanted = [tracker("Refund Request"), tracker("Upsell"), tracker("Churn")]
    faults(emulator, {"method": "POST", "path": LIST, **fault})
    made = client.create_trackers(wanted)
    assert_exactly_once(emulator, made, wanted)
    assert statuses(emulator) == [("POST", fault.get("status")), ("GET", 200)]


@pytest.mark.parametrize(
    "fault", [{"status": 502}, {"status": 503}, {"drop": True}], ids=["502", "503", "drop"]
)
def test_failure_before_commit_resends_the_missing_ones(
    fault: dict[str, object], client: SymblClient, emulator: EmulatorServer
) -> None:
    wanted = [tracker("Alpha"), tracker("Beta")]
    faults(emulator, {"method": "POST", "path": LIST, **fault})
    made = client.create_trackers(wanted)
    assert_exactly_once(emulator, made, wanted)
    assert statuses(emulator) == [("POST", fault.get("status")), ("GET", 200), ("POST", 201)]


@pytest.mark.slow
def test_read_timeout_after_commit_is_resolved_by_listing(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    client = make_client(timeout=(2.0, 0.3))
    wanted = [tracker("Alpha"), tracker("Beta")]
    faults(emulator, {"method": "POST", "path": LIST, "after_commit": True, "delay_ms": 800})
    made = client.create_trackers(wanted)
    assert_exactly_once(emulator, made, wanted)
    # the emulator logs the slow POST when its delay ends, after our GET: wait for it
    deadline = time.monotonic() + 5
    while len(statuses(emulator)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Counter(m for m, _ in statuses(emulator)) == {"POST": 1, "GET": 1}


def test_409_for_a_tracker_that_already_exists_identically_is_adopted(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    (seeded,) = emulator.seed([{"name": "Alpha", "vocabulary": ["alpha two", "alpha one"]}])
    wanted = [tracker("Alpha"), tracker("Beta")]
    made = client.create_trackers(wanted)
    assert made[0].id == seeded["id"]
    assert_exactly_once(emulator, made, wanted)
    assert statuses(emulator) == [("POST", 409), ("GET", 200), ("POST", 201)]


def test_409_with_different_phrases_is_drift(
    client: SymblClient, emulator: EmulatorServer, leaks: LeakScan
) -> None:
    emulator.seed([{"name": "Alpha", "vocabulary": ["something else"]}])
    with pytest.raises(ConflictError) as caught:
        client.create_trackers([tracker("Alpha"), tracker("Beta")])
    leaks.check(caught.value)
    assert "'Alpha'" in str(caught.value) and "different phrases" in str(caught.value)
    assert [t["name"] for t in emulator.trackers()] == ["Alpha"]
    assert statuses(emulator) == [("POST", 409), ("GET", 200)]


def test_409_not_caused_by_this_run_is_never_retried(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, {"method": "POST", "path": LIST, "status": 409, "times": 5})
    with pytest.raises(ConflictError):
        client.create_trackers([tracker("Alpha")])
    assert statuses(emulator) == [("POST", 409), ("GET", 200)]


def test_drift_after_an_ambiguous_failure_is_reported(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, {"method": "POST", "path": LIST, "status": 504})
    emulator.seed([{"name": "Beta", "vocabulary": ["changed by someone"]}])
    with pytest.raises(ConflictError) as caught:
        client.create_trackers([tracker("Alpha"), tracker("Beta")])
    assert "'Beta'" in str(caught.value)


def test_duplicate_names_in_one_call_are_refused_before_sending(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    with pytest.raises(ConflictError):
        client.create_trackers([tracker("Alpha"), tracker("Alpha", "other")])
    assert api_log(emulator) == []


def test_a_400_stops_and_reports_what_earlier_chunks_created(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    client = make_client(chunk_bytes=80)  # one tracker per chunk
    wanted = [tracker("Alpha"), tracker("Beta"), tracker("Gamma")]
    bad = Tracker(name="Gamma", vocabulary=("what's the price?",))  # '?' fails strict rules
    with pytest.raises(ApiError) as caught:
        client.create_trackers([*wanted[:2], bad])
    err = caught.value
    assert err.status == 400 and "'?'" in str(err)
    assert sorted(t["name"] for t in emulator.trackers()) == ["Alpha", "Beta"]


def big_tracker(name: str, size: int) -> Tracker:
    """A tracker whose JSON payload is about ``size`` bytes (50 letter-only phrases)."""
    per = size // 50 - 4
    return Tracker(name=name, vocabulary=tuple(f"{name} {i:02d} " + "x" * per for i in range(50)))


def test_600kb_plus_600kb_go_out_as_two_chunks_in_order(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    wanted = [big_tracker("first", 600_000), big_tracker("second", 600_000)]
    made = client.create_trackers(wanted)
    assert_exactly_once(emulator, made, wanted)
    assert statuses(emulator) == [("POST", 201), ("POST", 201)]
    assert [t["name"] for t in emulator.trackers()] == ["first", "second"]


def test_300_trackers_of_50_phrases_fit_in_two_chunks(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    wanted = [
        Tracker(name=f"Bulk Topic {i:03d}", vocabulary=tuple(
            f"bulk topic {i} sample phrase {j} padded with neutral words to reach ninety chars"
            for j in range(50)))
        for i in range(300)
    ]
    made = client.create_trackers(wanted)
    assert len(made) == 300 and len(emulator.trackers()) == 300
    assert statuses(emulator) == [("POST", 201), ("POST", 201)]


def test_413_splits_the_chunk_in_half_and_never_resends_the_same_body(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    emulator.configure(max_body_bytes=250_000)  # the server's limit is lower than we assume
    client = make_client()
    wanted = [big_tracker(f"t{i}", 100_000) for i in range(4)]
    made = client.create_trackers(wanted)
    assert_exactly_once(emulator, made, wanted)
    assert statuses(emulator) == [("POST", 413), ("POST", 201), ("POST", 201)]


def test_413_on_a_single_tracker_is_payload_too_large(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, leaks: LeakScan
) -> None:
    emulator.configure(max_body_bytes=50_000)
    client = make_client()
    with pytest.raises(PayloadTooLargeError) as caught:
        client.create_trackers([big_tracker("small", 1_000), big_tracker("big", 60_000)])
    leaks.check(caught.value)
    assert statuses(emulator) == [("POST", 413), ("POST", 201), ("POST", 413)]


def test_a_tracker_over_1mb_is_refused_before_anything_is_sent(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    with pytest.raises(PayloadTooLargeError) as caught:
        client.create_trackers([tracker("Alpha"), big_tracker("huge", 1_100_000)])
    assert "'huge'" in str(caught.value) and "split its vocabulary" in str(caught.value)
    assert api_log(emulator) == []


@pytest.mark.slow
def test_a_post_that_commits_after_our_timeout_is_never_duplicated(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    """The first POST is still being handled when we re-list and re-send; one must lose."""
    client = make_client(timeout=(2.0, 0.3))
    wanted = [tracker("Alpha")]
    faults(emulator, {"method": "POST", "path": LIST, "delay_ms": 600})
    made = client.create_trackers(wanted)
    deadline = time.monotonic() + 5
    while len([e for e in statuses(emulator) if e[0] == "POST"]) < 2 and (
        time.monotonic() < deadline
    ):
        time.sleep(0.05)
    assert_exactly_once(emulator, made, wanted)
    # whichever POST lands second gets 409 (and is reconciled if it was ours): one 201 only
    assert sorted(s for m, s in statuses(emulator) if m == "POST") == [201, 409]
