"""Chunk planning under the 1 MB limit (docs/api-contract.md, "Body size")."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import trackersync.client as client_pkg
from tests.leakscan import LeakScan
from trackersync.client.chunking import bulk_body, halves, plan_chunks, serialize
from trackersync.errors import PayloadTooLargeError
from trackersync.model import Tracker


def test_public_api_is_pinned() -> None:
    assert sorted(client_pkg.__all__) == [
        "BODY_LIMIT_BYTES", "Credentials", "DEFAULT_CHUNK_BYTES", "SymblClient"]


def test_size_is_measured_on_the_bytes_sent() -> None:
    item = Tracker(name="Café", vocabulary=("naïve phrase", "日本語"))
    body = bulk_body([item])
    assert body == serialize([{"name": "Café", "vocabulary": ["naïve phrase", "日本語"]}])
    assert json.loads(body) == [{"name": "Café", "vocabulary": ["naïve phrase", "日本語"]}]
    assert len(body) > len(body.decode())  # UTF-8 bytes, not characters


trackers_strategy = st.lists(
    st.builds(
        Tracker,
        name=st.text(min_size=1, max_size=30),
        vocabulary=st.lists(st.text(max_size=60), min_size=1, max_size=6).map(tuple),
    ),
    max_size=40,
)


@given(trackers_strategy, st.integers(min_value=150, max_value=2_000))
def test_chunks_keep_order_stay_under_the_limit_and_are_fewest(
    trackers: list[Tracker], limit: int
) -> None:
    fits = [t for t in trackers if len(bulk_body([t])) <= limit]
    chunks = plan_chunks(fits, limit)
    assert [t for chunk in chunks for t in chunk] == fits
    assert all(chunk and len(bulk_body(chunk)) <= limit for chunk in chunks)
    for current, following in zip(chunks, chunks[1:], strict=False):
        assert len(bulk_body([*current, following[0]])) > limit  # greedy: could not merge


def test_one_tracker_over_the_limit_is_refused(leaks: LeakScan) -> None:
    big = Tracker(name="Big", vocabulary=("x" * 1_000,))
    with pytest.raises(PayloadTooLargeError, match="'Big' alone is"):
        plan_chunks([big], 500)


def test_halves_split_in_order() -> None:
    items = [Tracker(name=str(i), vocabulary=("a",)) for i in range(5)]
    assert halves(items) == [items[:2], items[2:]]


def test_leak_scan_finds_a_planted_token_but_allows_add_mask(leaks: LeakScan) -> None:
    leaks.secrets.add("planted-token-value")
    assert leaks.scan("INFO GET /x Bearer planted-token-value") == ["planted-token-value"]
    assert leaks.scan("::add-mask::planted-token-value\nok") == []
