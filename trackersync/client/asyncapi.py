"""The Symbl Async API, as far as trackers go: submit a conversation, wait, read detections.

Endpoints (see ``docs/api-contract.md`` for the decisions where Symbl's docs are vague):

- ``POST /v1/process/text``: JSON ``{"messages": [{"payload": {"content"}}], "trackers"}``.
- ``POST /v1/process/{audio,video}/url``: JSON ``{"url", "trackers"}``.
- ``POST /v1/process/{audio,video}``: the raw file; ``trackers`` is a query parameter
  holding a JSON array, as Symbl documented for file uploads.
- ``GET /v1/job/{jobId}``: ``{"id", "status"}``, status ``scheduled``, ``in_progress``,
  ``completed`` or ``failed``.
- ``GET /v1/conversations/{conversationId}/trackers-detected``: a JSON array of
  ``{"id", "name", "matches": [{"value", "messageRefs": [{"id", "text", "offset"}]}]}``;
  ``offset`` is the match's character index, or ``-1`` for a contextual match.

Trackers are always passed by id (``[{"id": "…"}]``), the form the managed tracker IDs
take. Submissions are never retried: a job is not idempotent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from trackersync.client.api import SymblClient
from trackersync.errors import JobError, ResponseShapeError

MEDIA_TYPES = {
    "audio": ("audio/wav", "audio/mpeg", "audio/mp3", "audio/wave"),
    "video": ("video/mp4",),
}
PENDING = ("scheduled", "in_progress")


@dataclass(frozen=True)
class Submission:
    """A submitted conversation: its 16-digit ``conversation_id`` and its ``job_id`` (UUID)."""

    conversation_id: str
    job_id: str


@dataclass(frozen=True)
class MessageRef:
    """One sentence a phrase matched: ``offset`` is the character index, ``-1`` if contextual."""

    id: str
    text: str
    offset: int

    @property
    def exact(self) -> bool:
        """True for an exact match (``offset >= 0``)."""
        return self.offset >= 0


@dataclass(frozen=True)
class Match:
    """One vocabulary phrase (``value``) of a tracker and the sentences it matched."""

    value: str
    refs: tuple[MessageRef, ...]


@dataclass(frozen=True)
class Detection:
    """One tracker detected in a conversation."""

    id: str
    name: str
    matches: tuple[Match, ...]


def _ids(tracker_ids: Sequence[str]) -> list[dict[str, str]]:
    return [{"id": tracker_id} for tracker_id in tracker_ids]


def _submission(data: Any, what: str) -> Submission:
    if isinstance(data, dict) and isinstance(data.get("conversationId"), str) and \
            isinstance(data.get("jobId"), str):
        return Submission(data["conversationId"], data["jobId"])
    raise ResponseShapeError(f"{what} answered without conversationId and jobId")


def submit_text(client: SymblClient, contents: Sequence[str], tracker_ids: Sequence[str],
                name: str | None = None) -> Submission:
    """``POST /v1/process/text`` with one message per item of ``contents``.

    Raises:
        ApiError: the API refused the submission (400 bad body or unknown tracker id,
            429 concurrent-jobs limit).
    """
    body: dict[str, Any] = {
        "messages": [{"payload": {"content": c, "contentType": "text/plain"}} for c in contents],
        "trackers": _ids(tracker_ids),
    }
    if name:
        body["name"] = name
    data = client.request_json("POST", "/v1/process/text", body=json.dumps(body).encode())
    return _submission(data, "POST /v1/process/text")


def submit_url(client: SymblClient, kind: str, url: str, tracker_ids: Sequence[str]) -> Submission:
    """``POST /v1/process/{kind}/url`` (``kind`` is ``audio`` or ``video``).

    Raises:
        ApiError: the API refused the submission.
    """
    path = f"/v1/process/{kind}/url"
    body = json.dumps({"url": url, "trackers": _ids(tracker_ids)}).encode()
    return _submission(client.request_json("POST", path, body=body), f"POST {path}")


def submit_file(client: SymblClient, kind: str, data: bytes, content_type: str,
                tracker_ids: Sequence[str]) -> Submission:
    """``POST /v1/process/{kind}`` with the file's bytes; trackers go in the query.

    Raises:
        ApiError: the API refused the submission.
    """
    path = f"/v1/process/{kind}"
    params = {"trackers": json.dumps(_ids(tracker_ids), separators=(",", ":"))}
    answer = client.request_json("POST", path, params=params, body=data,
                                 content_type=content_type)
    return _submission(answer, f"POST {path}")


def job_status(client: SymblClient, job_id: str) -> str:
    """``GET /v1/job/{jobId}`` → the job's status string.

    Raises:
        ApiError: unknown job (404) or a body without ``status``.
    """
    data = client.request_json("GET", f"/v1/job/{quote(job_id, safe='')}")
    status = data.get("status") if isinstance(data, dict) else None
    if not isinstance(status, str):
        raise ResponseShapeError(f"GET /v1/job/{job_id} answered without a status")
    return status


def wait_for_job(client: SymblClient, job_id: str, *, timeout_s: float = 300.0,
                 poll_s: float = 0.05, max_poll_s: float = 2.0,
                 on_status: Callable[[str, float], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
    """Poll the job until it is ``completed``; the wait grows from ``poll_s`` to ``max_poll_s``.

    Args:
        client: the API client.
        job_id: the job to wait for.
        timeout_s: the longest wait, in seconds.
        poll_s: the first wait between polls, in seconds (it doubles).
        max_poll_s: the longest wait between polls, in seconds.
        on_status: called with ``(status, seconds waited)`` after every poll (progress).
        sleep: the sleep function (tests pass a fake).
        clock: a monotonic clock in seconds (tests pass a fake).

    Raises:
        JobError: the job ``failed``, or is still pending after ``timeout_s`` seconds.
        ApiError: a poll failed.
    """
    started, delay = clock(), poll_s
    while True:
        status = job_status(client, job_id)
        waited = clock() - started
        if on_status is not None:
            on_status(status, waited)
        if status == "completed":
            return
        if status not in PENDING:
            raise JobError(f"Async job {job_id} ended with status '{status}'",
                           job_id=job_id, status=status)
        if waited >= timeout_s:
            raise JobError(f"Async job {job_id} is still '{status}' after {timeout_s:g} s; "
                           "raise the wait limit or try again later",
                           job_id=job_id, status=status)
        sleep(min(delay, max(0.0, timeout_s - waited)))
        delay = min(delay * 2, max_poll_s)


def trackers_detected(client: SymblClient, conversation_id: str) -> list[Detection]:
    """``GET /v1/conversations/{id}/trackers-detected``, parsed.

    Raises:
        ApiError: unknown conversation (404) or an answer that is not the documented array.
    """
    path = f"/v1/conversations/{quote(conversation_id, safe='')}/trackers-detected"
    data = client.request_json("GET", path)
    try:
        return [_detection(item) for item in data]
    except (TypeError, KeyError, ValueError) as exc:
        raise ResponseShapeError(f"GET {path} answered with an unexpected shape: {exc}") from exc


def _detection(item: Any) -> Detection:
    matches = tuple(
        Match(value=str(m["value"]), refs=tuple(
            MessageRef(id=str(r["id"]), text=str(r["text"]), offset=int(r["offset"]))
            for r in m.get("messageRefs", [])))
        for m in item["matches"])
    return Detection(id=str(item["id"]), name=str(item["name"]), matches=matches)
