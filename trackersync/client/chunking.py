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

DEFAULT_CHUNK_BYTES = 1_000_000  # what we aim under: ~48 KB margin for proxies/headers


def serialize(payload: Any) -> bytes:
    """The exact request body bytes for ``payload`` (compact JSON, UTF-8)."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def tracker_payload(tracker: Tracker) -> dict[str, Any]:
    """The API body of one tracker: ``{"name", "vocabulary"}`` (docs/api-contract.md)."""
    return {"name": tracker.name, "vocabulary": list(tracker.vocabulary)}


def bulk_body(trackers: Sequence[Tracker]) -> bytes:
    """The ``POST /v1/manage/trackers`` body: a JSON array of tracker payloads."""
    return serialize([tracker_payload(t) for t in trackers])


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
    chunks: list[list[Tracker]] = []
    current: list[Tracker] = []
    size = 2
    for tracker in trackers:
        item = len(serialize(tracker_payload(tracker)))
        if 2 + item > limit:
            raise PayloadTooLargeError(
                f"tracker {tracker.name!r} alone is {2 + item:,} bytes as JSON, over the "
                f"{limit:,}-byte chunk limit (the API refuses bodies over {BODY_LIMIT_BYTES:,} "
                "bytes); split its vocabulary into several trackers",
                method="POST", path="/v1/manage/trackers",
            )
        extra = item + (1 if current else 0)
        if current and size + extra > limit:
            chunks.append(current)
            current, size, extra = [], 2, item
        current.append(tracker)
        size += extra
    if current:
        chunks.append(current)
    return chunks


def halves(chunk: Sequence[Tracker]) -> list[list[Tracker]]:
    """Split a chunk the server refused with 413 into two halves (order kept)."""
    middle = len(chunk) // 2
    return [list(chunk[:middle]), list(chunk[middle:])]
