"""Async audio and video submissions: by URL (JSON body) or as uploaded bytes.

Endpoints (each ``POST`` starts a conversation; its ``PUT …/{conversationId}`` appends
to one and re-runs detection, like the text append):

- ``/v1/process/audio/url``, ``/v1/process/video/url``: JSON body ``{"url", ...}``;
  ``trackers`` and ``enableAllTrackers`` in the body.
- ``/v1/process/audio``, ``/v1/process/video``: the raw file as the body, with a
  ``Content-Length``; ``Content-Type``, where given, must be ``audio/wav``,
  ``audio/mpeg``, ``audio/mp3`` or ``audio/wave`` (audio) or ``video/mp4`` (video);
  ``trackers`` (a URL-encoded JSON array), ``enableAllTrackers`` and ``name`` in the
  **query**, as Symbl documented for file uploads.

There is no speech recognition. The conversation's messages come from a transcript
registered beforehand through ``POST /_emulator/transcripts`` (see
:mod:`symbl_emulator.control`), keyed by the URL or by the SHA-256 of the uploaded
bytes; with none registered the job completes with an empty conversation. Uploaded
bytes are hashed while they are read and never stored.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from werkzeug.wrappers import Request

from symbl_emulator.asyncapi import (
    Answer,
    existing_conversation,
    new_conversation,
    sentences_of,
    submit,
)
from symbl_emulator.responses import ApiError
from symbl_emulator.state import EmulatorState, read_json

MEDIA_TYPES = {
    "audio": ("audio/wav", "audio/mpeg", "audio/mp3", "audio/wave"),
    "video": ("video/mp4",),
}
_CHUNK = 1 << 16


def _url_params(state: EmulatorState, request: Request) -> tuple[dict[str, Any], str]:
    """The JSON body of a URL submission and its ``url``.

    Raises:
        ApiError: 400 when the body is not an object or ``url`` is not a non-empty string.
    """
    body = read_json(request, state.settings.max_body_bytes)
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a JSON object.")
    url = body.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ApiError(400, "'url' is mandatory and must be a non-empty string.")
    return body, url


def _query_params(request: Request) -> dict[str, Any]:
    """``trackers`` (decoded from its JSON text), ``enableAllTrackers`` and ``name``.

    Raises:
        ApiError: 400 when ``trackers`` is not a JSON array.
    """
    params: dict[str, Any] = {}
    raw = request.args.get("trackers")
    if raw is not None:
        try:
            params["trackers"] = json.loads(raw)
        except ValueError as exc:
            raise ApiError(400, "query parameter 'trackers' must be a JSON array") from exc
    for key in ("enableAllTrackers", "name"):
        if key in request.args:
            params[key] = request.args[key]
    return params


def _upload_hash(state: EmulatorState, request: Request, kind: str) -> str:
    """SHA-256 (hex) of the uploaded file, read in chunks and then forgotten.

    Raises:
        ApiError: 400 for a missing ``Content-Length``, an undocumented ``Content-Type``
            or an empty body; 413 above ``max_media_bytes``.
    """
    allowed = MEDIA_TYPES[kind]
    if request.mimetype and request.mimetype not in allowed:
        raise ApiError(400, f"Content-Type '{request.mimetype}' is not supported for {kind}; "
                       f"use one of {', '.join(allowed)}.")
    length = request.content_length  # a chunked body arrives measured by the HTTP layer
    if length is None:
        raise ApiError(400, "Content-Length header is mandatory for a file upload.")
    if length > state.settings.max_media_bytes:
        raise ApiError(413, "request entity too large")
    if length == 0:
        raise ApiError(400, f"The {kind} file is empty.")
    digest, stream = hashlib.sha256(), request.stream
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        digest.update(chunk)
    return digest.hexdigest()


def _transcript(state: EmulatorState, key: str) -> list[dict[str, str]]:
    return sentences_of(state.store.get_transcript(key) or [])


def _url_endpoint(state: EmulatorState, request: Request, account: str,
                  conversation_id: str | None) -> Answer:
    body, url = _url_params(state, request)
    conv = (new_conversation(account, body) if conversation_id is None
            else existing_conversation(state, conversation_id))
    return submit(state, account, conv, body, _transcript(state, url))


def _file_endpoint(state: EmulatorState, request: Request, account: str, kind: str,
                   conversation_id: str | None) -> Answer:
    params = _query_params(request)
    conv = (new_conversation(account, params) if conversation_id is None
            else existing_conversation(state, conversation_id))
    key = _upload_hash(state, request, kind)
    return submit(state, account, conv, params, _transcript(state, key))


def process_url(state: EmulatorState, request: Request, account: str,
                args: dict[str, str]) -> Answer:
    """``POST|PUT /v1/process/{audio,video}/url[/{conversationId}]`` → 201
    ``{"conversationId", "jobId"}``; 400 without ``url``, 404 unknown conversation.
    """
    return _url_endpoint(state, request, account, args.get("conversation_id"))


def process_audio(state: EmulatorState, request: Request, account: str,
                  args: dict[str, str]) -> Answer:
    """``POST|PUT /v1/process/audio[/{conversationId}]`` (raw bytes) → 201
    ``{"conversationId", "jobId"}``; 400 bad headers or query, 413 too large.
    """
    return _file_endpoint(state, request, account, "audio", args.get("conversation_id"))


def process_video(state: EmulatorState, request: Request, account: str,
                  args: dict[str, str]) -> Answer:
    """``POST|PUT /v1/process/video[/{conversationId}]`` (raw ``video/mp4`` bytes) → 201
    ``{"conversationId", "jobId"}``; 400 bad headers or query, 413 too large.
    """
    return _file_endpoint(state, request, account, "video", args.get("conversation_id"))


def register_transcript(state: EmulatorState, data: Any) -> dict[str, Any]:
    """Register the messages a media URL or upload "says" (``POST /_emulator/transcripts``).

    Args:
        data: ``{"url": str, "messages": [...]}`` or ``{"sha256": hex, "messages": [...]}``;
            messages as in a text submission (``{"payload": {"content": str}}``) or
            plain strings.

    Returns:
        ``{"key": <url or hash>, "messages": <count>}``.

    Raises:
        ApiError: 400 for any other shape.
    """
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise ApiError(400, "transcript body must be {url | sha256, messages: [...]}")
    for name in ("url", "sha256"):
        if name in data and (not isinstance(data[name], str) or not data[name]):
            raise ApiError(400, f"transcript '{name}' must be a non-empty string")
    if "url" not in data and "sha256" not in data:
        raise ApiError(400, "transcript needs a non-empty 'url' or 'sha256'")
    key = data["url"] if "url" in data else str(data["sha256"]).lower()
    messages = [{"payload": {"content": m}} if isinstance(m, str) else m
                for m in data["messages"]]
    sentences_of(messages)  # 400 now rather than at submission time
    state.store.save_transcript(key, messages)
    return {"key": key, "messages": len(messages)}
