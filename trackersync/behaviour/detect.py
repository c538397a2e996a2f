"""``trackersync detect``: submit one conversation with the managed trackers, read detections.

Inputs (checked before any request is sent; a bad one raises :class:`ConfigError`):

- an ``http(s)://`` URL: an audio or video file Symbl fetches (``/v1/process/audio/url``
  or ``/video/url``; ``.mp4``, ``.mov``, ``.webm``, ``.mkv`` and ``.avi`` mean video);
- a ``.txt`` file: one message per non-blank line (``/v1/process/text``);
- a ``.json`` file: ``{"messages": [...]}`` or a bare list; each message a string or
  ``{"payload": {"content": "…"}}``, as the Async text API takes them;
- an audio file (``.wav``, ``.mp3``, ``.mpeg``) or a video file (``.mp4``), uploaded as
  raw bytes (``/v1/process/audio`` or ``/video``) with its documented ``Content-Type``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from trackersync.behaviour.target import FRESH_HINT_DETECT, App, open_test_target
from trackersync.client import asyncapi
from trackersync.client.asyncapi import Detection, Submission
from trackersync.config import Config
from trackersync.definitions import load_definitions
from trackersync.errors import ConfigError

UPLOAD_TYPES = {".wav": ("audio", "audio/wav"), ".mp3": ("audio", "audio/mpeg"),
                ".mpeg": ("audio", "audio/mpeg"), ".mp4": ("video", "video/mp4")}
VIDEO_SUFFIXES = (".mp4", ".mov", ".webm", ".mkv", ".avi")
TEXT_SUFFIXES = (".txt", ".json")


@dataclass(frozen=True)
class Conversation:
    """What to submit: exactly one of ``contents``, ``url`` or ``data`` is set.

    Attributes:
        kind: ``text``, ``audio`` or ``video``.
        label: the input as the user gave it (for messages).
        contents: message texts (text).
        url: a media URL.
        data: uploaded bytes, with ``content_type``.
    """

    kind: str
    label: str
    contents: tuple[str, ...] = ()
    url: str | None = None
    data: bytes | None = None
    content_type: str | None = None


@dataclass(frozen=True)
class DetectResult:
    """The submission and the trackers detected in it."""

    submission: Submission
    detections: list[Detection]


def read_input(source: str, media: str | None = None) -> Conversation:
    """Turn the command's argument into a :class:`Conversation`, sending nothing.

    Args:
        source: a file path or an ``http(s)://`` URL.
        media: ``audio`` or ``video`` to override the guess for a URL.

    Raises:
        ConfigError: unreadable file, unsupported type, empty or malformed content.
    """
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        guess = "video" if Path(urlsplit(source).path).suffix.lower() in VIDEO_SUFFIXES \
            else "audio"
        return Conversation(kind=media or guess, label=source, url=source)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in UPLOAD_TYPES:
        known = ", ".join((*TEXT_SUFFIXES, *UPLOAD_TYPES))
        raise ConfigError(f"{source}: unsupported input type '{suffix or 'none'}'; give a "
                          f"file ending in {known}, or an http(s):// audio/video URL")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read the file: {exc.strerror}") from exc
    if suffix in UPLOAD_TYPES:
        if not raw:
            raise ConfigError(f"{source}: the file is empty")
        kind, content_type = UPLOAD_TYPES[suffix]
        return Conversation(kind=kind, label=source, data=raw, content_type=content_type)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    contents = _json_messages(source, text) if suffix == ".json" else \
        [line.strip() for line in text.splitlines() if line.strip()]
    if not contents:
        raise ConfigError(f"{source}: no message to submit (the file holds no text)")
    return Conversation(kind="text", label=source, contents=tuple(contents))


def _json_messages(source: str, text: str) -> list[str]:
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"{source}: not valid JSON: {exc}") from exc
    items = data.get("messages") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ConfigError(f"{source}: expected {{\"messages\": [...]}} or a list of messages")
    contents = []
    for index, item in enumerate(items):
        payload = item.get("payload") if isinstance(item, dict) else None
        content = item if isinstance(item, str) else \
            payload.get("content") if isinstance(payload, dict) else None
        if not isinstance(content, str):
            raise ConfigError(f"{source}: message {index + 1} is neither a string nor "
                              "{\"payload\": {\"content\": \"…\"}}")
        contents.append(content)
    return contents


def choose(defined: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """The tracker names to use: every defined one for ``all`` (or nothing given).

    Raises:
        ConfigError: a wanted name that no tracker file defines.
    """
    if not wanted or list(wanted) == ["all"]:
        return list(defined)
    unknown = [n for n in wanted if n not in defined]
    if unknown:
        raise ConfigError("no tracker file defines " + ", ".join(f"'{n}'" for n in unknown)
                          + "; use a defined name or --trackers all")
    return list(dict.fromkeys(wanted))


def _submit(client: Any, conversation: Conversation, ids: list[str]) -> Submission:
    if conversation.url is not None:
        return asyncapi.submit_url(client, conversation.kind, conversation.url, ids)
    if conversation.data is not None:
        return asyncapi.submit_file(client, conversation.kind, conversation.data,
                                    conversation.content_type or "", ids)
    return asyncapi.submit_text(client, conversation.contents, ids)


def run_detect(app: App, config: Config, conversation: Conversation, *,
               trackers: Sequence[str] = ("all",), env: str | None = None,
               fresh: bool = False, timeout_s: float = 300.0,
               on_status: Callable[[str, float], None] | None = None) -> DetectResult:
    """Submit ``conversation`` with the chosen managed trackers and read the detections.

    Args:
        app: global options (``use_emulator``, ``project_root``).
        config: the loaded ``trackersync.yaml``.
        conversation: what to submit (:func:`read_input`).
        trackers: names, or ``["all"]``.
        env: ``--env NAME``.
        fresh: a fresh embedded emulator holding the trackers as the files define them
            (otherwise the IDs recorded by the last apply).
        timeout_s: the longest wait for the job, in seconds.
        on_status: progress callback ``(status, seconds waited)``.

    Raises:
        DefinitionError, ConfigError (unknown tracker name), PlanError (not applied),
        ApiError, JobError.
    """
    definitions = load_definitions(app.project_root, config, env)
    definitions.raise_for_errors()
    names = choose([t.name for t in definitions.trackers], trackers)
    chosen = [t for t in definitions.trackers if t.name in names]
    with open_test_target(app, config, env, chosen, fresh=fresh,
                          fresh_hint=FRESH_HINT_DETECT) as target:
        submission = _submit(target.client, conversation, [target.ids[n] for n in names])
        asyncapi.wait_for_job(target.client, submission.job_id, timeout_s=timeout_s,
                              on_status=on_status)
        return DetectResult(submission,
                            asyncapi.trackers_detected(target.client, submission.conversation_id))

