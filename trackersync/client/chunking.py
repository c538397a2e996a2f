"""Bulk-create bodies under the 1 MB request limit.

Source: docs/api-contract.md, "Body size" (413 when the body exceeds 1,048,576
bytes). Sizes are measured on the exact
bytes that are sent: compact JSON, UTF-8, non-ASCII kept as is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from trackersync.errors import PayloadTooLargeError
from trackersync.model import BODY_LIMIT_BYTES, Tracker
from trackersync.text import nfc

DEFAULT_CHUNK_BYTES = 1_000_000  # what we aim under: ~48 KB margin for proxies/headers


def serialize(payload: Any) -> bytes:
    """The exact request body bytes for ``payload`` (compact JSON, UTF-8)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def tracker_payload(tracker: Tracker) -> dict[str, Any]:
    """The API body of one tracker: ``{"name", "vocabulary"}``, always in Unicode NFC.

    NFC here too (the loader already normalises) so nothing reaches the API in another
    normal form, whoever built the tracker (README "Text identity").
    """
    return {"name": nfc(tracker.name), "vocabulary": [nfc(p) for p in tracker.vocabulary]}


def bulk_body(trackers: Sequence[Tracker]) -> bytes:
    """The ``POST /v1/manage/trackers`` body: a JSON array of tracker payloads."""
    return join_items([serialize(tracker_payload(t)) for t in trackers])


def join_items(items: Sequence[bytes]) -> bytes:
    """A JSON array of already serialized items: ``[a,b,...]`` (``bulk_body``'s bytes)."""
    return b"[" + b",".join(items) + b"]"


def plan_chunks(
    trackers: Sequence[Tracker], limit: int = DEFAULT_CHUNK_BYTES
) -> list[list[Tracker]]:
    """Split ``trackers`` into consecutive chunks whose bulk body is at most ``limit`` bytes.

    Order is kept and chunks are filled greedily, which gives the fewest chunks possible
    for an order-preserving split. A chunk's size is ``2 + sum(item sizes) + (n - 1)``
    (brackets and commas), equal to ``len(bulk_body(chunk))``.

    Raises:
        PayloadTooLargeError: one tracker alone does not fit (raised before anything is
            sent; the docs' advice is to split it into several trackers).
    """
    return [[tracker for tracker, _ in chunk] for chunk in plan_bodies(trackers, limit)]


def plan_bodies(
    trackers: Sequence[Tracker], limit: int = DEFAULT_CHUNK_BYTES
) -> list[list[tuple[Tracker, bytes]]]:
    """As :func:`plan_chunks`, each tracker with its serialized payload, so a body is
    ``join_items([item for _, item in chunk])`` without serializing anything twice.

    Raises:
        PayloadTooLargeError: as :func:`plan_chunks`.
    """
    chunks: list[list[tuple[Tracker, bytes]]] = []
    current: list[tuple[Tracker, bytes]] = []
    size = 2
    for tracker in trackers:
        item = serialize(tracker_payload(tracker))
        if 2 + len(item) > limit:
            raise PayloadTooLargeError(
                f"tracker {tracker.name!r} alone is {2 + len(item):,} bytes as JSON, over the "
                f"{limit:,}-byte chunk limit (the API refuses bodies over {BODY_LIMIT_BYTES:,} "
                "bytes); split its vocabulary into several trackers",
                method="POST", path="/v1/manage/trackers",
            )
        extra = len(item) + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append(current)
            current, size, extra = [], 2, len(item)
        current.append((tracker, item))
        size += extra
    if current:
        chunks.append(current)
    return chunks


def halves(chunk: Sequence[Tracker]) -> list[list[Tracker]]:
    """Split a chunk the server refused with 413 into two halves (order kept)."""
    middle = len(chunk) // 2
    return [list(chunk[:middle]), list(chunk[middle:])]
