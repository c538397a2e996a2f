"""The Async API subset that concerns trackers (decisions in ``docs/api-contract.md``).

``POST /v1/process/text`` and its append ``PUT /v1/process/text/{conversationId}``
split messages into sentences (an empty ``messages`` list is accepted, as in the
documented sample request; "Sentences"), resolve the effective trackers ("Effective
trackers of a job") and match them (:mod:`symbl_emulator.matching`: exact on word
boundaries plus contextual; "Matching"). Jobs go ``scheduled`` → ``in_progress`` →
``completed`` over ``job_delay_ms`` ("Job lifecycle"); ``trackers-detected`` (and the
deprecated ``/trackers``) answers ``[]`` until then ("Results before completion").
``webhookUrl`` is accepted and never called. Audio and video submissions live in
:mod:`symbl_emulator.media` and share :func:`submit`.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from werkzeug.wrappers import Request

from symbl_emulator import matching
from symbl_emulator.responses import CONVERSATION_NOT_FOUND, ApiError
from symbl_emulator.state import EmulatorState, read_json
from symbl_emulator.store import new_numeric_id

Answer = tuple[int, Any]
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def split_sentences(content: str) -> list[str]:
    """Split on ``.``, ``?`` or ``!`` followed by whitespace; blank parts are dropped."""
    return [part.strip() for part in _SENTENCE_END.split(content) if part.strip()]


def flag(value: Any) -> bool:
    """``enableAllTrackers``: a boolean or ``"true"``/``"false"`` (as Symbl's Python SDK
    sends it), default false.

    Raises:
        ApiError: 400 for any other value.
    """
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ApiError(400, "'enableAllTrackers' must be a boolean")


def text_body(body: Any) -> dict[str, Any]:
    """The body of a text submission: a JSON object with a ``messages`` array.

    Raises:
        ApiError: 400 when the body is not an object or ``messages`` is missing.
    """
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.")
    if not isinstance(body.get("messages"), list):
        raise ApiError(400, "'messages' is mandatory and must be an array.")
    return body


def sentences_of(messages: list[Any]) -> list[dict[str, str]]:
    """The sentence-level messages of ``messages`` (``[{payload: {content}}]``), each with
    a fresh 16-digit id; ``[]`` for an empty list.

    Raises:
        ApiError: 400 naming the first message whose ``payload.content`` is not a string.
    """
    sentences: list[dict[str, str]] = []
    for index, message in enumerate(messages):
        payload = message.get("payload") if isinstance(message, dict) else None
        content = payload.get("content") if isinstance(payload, dict) else None
        if not isinstance(content, str):
            raise ApiError(400, f"messages[{index}].payload.content must be a string.")
        sentences += [{"id": new_numeric_id(), "text": s} for s in split_sentences(content)]
    return sentences


def _inline(item: dict[str, Any], index: int) -> dict[str, Any]:
    name, vocabulary = item.get("name"), item.get("vocabulary")
    if not isinstance(name, str) or not name or not isinstance(vocabulary, list) or not all(
        isinstance(p, str) for p in vocabulary
    ):
        raise ApiError(400, f"trackers[{index}] must be {{id}} or {{name, vocabulary: [str]}}.")
    return {"id": new_numeric_id(), "name": name, "vocabulary": vocabulary}


def resolve_trackers(state: EmulatorState, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Inline ∪ referenced-by-id ∪ (all stored if ``enableAllTrackers``), deduplicated by id.

    Raises:
        ApiError: 400 for a malformed entry or an unknown tracker id.
    """
    given = body.get("trackers", [])
    if not isinstance(given, list):
        raise ApiError(400, "'trackers' must be an array.")
    chosen: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] | None = None
    for index, item in enumerate(given):
        if not isinstance(item, dict):
            raise ApiError(400, f"trackers[{index}] must be an object.")
        if "id" in item:
            if by_id is None:  # one read of the account, however many ids are given
                by_id = {t["id"]: t for t in state.store.list_trackers()}
            stored = by_id.get(str(item["id"]))
            if stored is None:
                raise ApiError(400, f"trackers[{index}]: tracker id '{item['id']}' not found.")
            chosen.append(stored)
        else:
            chosen.append(_inline(item, index))
    if flag(body.get("enableAllTrackers")):
        chosen += state.store.list_trackers()
    unique: dict[str, dict[str, Any]] = {}
    for tracker in chosen:
        unique.setdefault(tracker["id"], tracker)
    return list(unique.values())


def _job_status(job: dict[str, Any], now: float) -> str:
    elapsed_ms = (now - float(job["created_at"])) * 1000
    delay = int(job["delay_ms"])
    if elapsed_ms >= delay:
        return "completed"
    return "scheduled" if elapsed_ms < delay / 2 else "in_progress"


def _check_job_limit(state: EmulatorState, account: str) -> None:
    """429 with the documented body when the concurrent-jobs limit is reached."""
    limit = state.settings.max_concurrent_jobs
    if limit is None:
        return
    now = time.time()
    jobs = state.store.jobs_of(account=account)
    running = [j for j in jobs if _job_status(j, now) != "completed"]
    if len(running) >= limit:
        message = (f"This API has a limit of maximum of {limit} number of concurrent jobs per "
                   "account. If you are looking to scale, and need more concurrent jobs than "
                   "this limit, please contact us at support@symbl.ai")
        raise ApiError(429, message, body={"statusCode": 429, "message": message})


def new_conversation(account: str, body: dict[str, Any]) -> dict[str, Any]:
    """A fresh, empty conversation; its name is ``body["name"]`` or its id."""
    conversation_id = new_numeric_id()
    name = body.get("name") if isinstance(body.get("name"), str) else conversation_id
    return {"id": conversation_id, "account": account, "name": name,
            "messages": [], "detected": []}


def existing_conversation(state: EmulatorState, conversation_id: str) -> dict[str, Any]:
    """The stored conversation to append to.

    Raises:
        ApiError: 404 with the documented body when it does not exist.
    """
    conv = state.store.get_conversation(conversation_id)
    if conv is None:
        raise ApiError(404, CONVERSATION_NOT_FOUND)
    return conv


def submit(state: EmulatorState, account: str, conv: dict[str, Any], params: dict[str, Any],
           new: list[dict[str, str]]) -> Answer:
    """Append ``new`` sentences to ``conv``, detect trackers, start a job.

    Args:
        params: where ``trackers`` and ``enableAllTrackers`` were found (the JSON body,
            or the decoded query of a file upload).

    Returns:
        ``(201, {"conversationId", "jobId"})``.

    Raises:
        ApiError: 400 bad trackers, 429 concurrent-jobs limit.
    """
    trackers = resolve_trackers(state, params)
    _check_job_limit(state, account)
    conv["messages"] = conv["messages"] + new
    conv["detected"] = matching.detect(conv["messages"], trackers, state.settings.matching)
    job_id = str(uuid.uuid4())
    with state.store.atomic():
        state.store.save_conversation(conv)
        state.store.add_job(job_id, conv["id"], account, time.time(), state.settings.job_delay_ms)
    return 201, {"conversationId": conv["id"], "jobId": job_id}


def process_text(state: EmulatorState, request: Request, account: str,
                 args: dict[str, str]) -> Answer:
    """``POST /v1/process/text`` → 201 ``{"conversationId", "jobId"}``."""
    body = text_body(read_json(request, state.settings.max_body_bytes))
    sentences = sentences_of(body["messages"])
    return submit(state, account, new_conversation(account, body), body, sentences)


def append_text(state: EmulatorState, request: Request, account: str,
                args: dict[str, str]) -> Answer:
    """``PUT /v1/process/text/{conversationId}``: append; a new job re-detects with the
    trackers of this request (plus all stored ones with ``enableAllTrackers``)."""
    conv = existing_conversation(state, args["conversation_id"])
    body = text_body(read_json(request, state.settings.max_body_bytes))
    return submit(state, account, conv, body, sentences_of(body["messages"]))


def job_status(state: EmulatorState, request: Request, account: str,
               args: dict[str, str]) -> Answer:
    """``GET /v1/job/{jobId}`` → 200 ``{"id", "status"}``; 404 if unknown."""
    job = state.store.get_job(args["job_id"])
    if job is None:
        raise ApiError(404, "The jobId is either invalid or does not exist.")
    return 200, {"id": job["id"], "status": _job_status(job, time.time())}


def trackers_detected(state: EmulatorState, request: Request, account: str,
                      args: dict[str, str]) -> Answer:
    """``GET /v1/conversations/{id}/trackers-detected`` (and deprecated ``/trackers``) → 200
    array; ``[]`` until the latest job completes; 404 unknown id.
    """
    conv = state.store.get_conversation(args["conversation_id"])
    if conv is None:
        raise ApiError(404, CONVERSATION_NOT_FOUND)
    jobs = state.store.jobs_of(conversation_id=conv["id"])
    if jobs and _job_status(jobs[-1], time.time()) != "completed":
        return 200, []
    return 200, conv["detected"]
