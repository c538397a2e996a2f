"""Control endpoints for tests, ``/_emulator/*`` (described in ``symbl_emulator/openapi.yaml``).

Loopback clients only (others get 403); no token needed; these requests are not
written to the request log and are never subject to faults.

- ``POST /_emulator/reset``: delete trackers, conversations, jobs and transcripts, clear the request
  log and the faults. Issued tokens and settings are kept.
- ``POST /_emulator/seed``: a JSON list of ``{name, vocabulary, id?}`` (or
  ``{"trackers": [...]}``) stored as given, bypassing the rules, the unique-name check and
  the tracker limit; answers 201 ``{"trackers": [...]}`` with their ids.
- ``GET /_emulator/state``: ``{"trackers": [...], "counts": {...}, "settings": {...},
  "faults": [...]}``.
- ``GET /_emulator/requests``: ``{"requests": [{method, path, query, status, dropped,
  fault, time, duration_ms}]}``; ``DELETE`` clears it.
- ``POST /_emulator/faults``: append a list of fault rules (see :mod:`.faults`);
  ``GET`` lists the remaining rules; ``DELETE`` removes them all.
- ``GET|POST /_emulator/config``: read or change settings (``rules``, ``latency_ms``,
  ``put_mode``, ``token_ttl``, ``tracker_limit``, ``job_delay_ms``, ...).
- ``POST /_emulator/tokens/expire``: expire every issued token now.
- ``POST /_emulator/transcripts``: ``{"url" | "sha256", "messages": [...]}``, what an
  audio or video submission of that URL (or of bytes with that SHA-256) "says"; the
  emulator has no speech recognition (see :mod:`symbl_emulator.media`).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from symbl_emulator.faults import FaultRule
from symbl_emulator.responses import ApiError
from symbl_emulator.settings import SettingsError
from symbl_emulator.state import EmulatorState, read_json

Answer = tuple[int, Any]
CONTROL_BODY_LIMIT = 64 * 1_048_576  # seeding a 500-tracker account can exceed 1 MB
#: Each control endpoint and the methods it answers (the ``Allow`` header of a 405).
CONTROL_METHODS: dict[str, tuple[str, ...]] = {
    "reset": ("POST",), "seed": ("POST",), "state": ("GET",),
    "requests": ("GET", "DELETE"), "faults": ("GET", "POST", "DELETE"),
    "config": ("GET", "POST"), "tokens/expire": ("POST",), "transcripts": ("POST",),
}


def reset(state: EmulatorState) -> dict[str, Any]:
    """Clear trackers, conversations, jobs, the request log and the faults."""
    state.store.clear()
    state.log.clear()
    state.faults.clear()
    return {"reset": True}


def seed(state: EmulatorState, items: Any) -> list[dict[str, Any]]:
    """Store trackers as given (no rules, duplicates allowed); ``id`` optional.

    Raises:
        ApiError: 400 if an item is not ``{name: str, vocabulary: [str], id?: str}``
            or a given id is taken; nothing is stored then.
    """
    if isinstance(items, dict) and isinstance(items.get("trackers"), list):
        items = items["trackers"]
    if not isinstance(items, list):
        raise ApiError(400, "seed body must be a list of trackers")
    for index, item in enumerate(items):
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("vocabulary"), list)
            and all(isinstance(phrase, str) for phrase in item["vocabulary"])
            and isinstance(item.get("id", ""), str)
        )
        if not ok:  # rules are bypassed, types are not: the public API must stay sound
            shape = "{name: str, vocabulary: [str], id?: str}"
            raise ApiError(400, f"seed item {index} must be {shape}")
    try:
        return state.store.insert_trackers(items)
    except ValueError as exc:
        raise ApiError(400, str(exc)) from exc


def snapshot(state: EmulatorState) -> dict[str, Any]:
    """The whole state as one JSON object (trackers in creation order)."""
    return {
        "trackers": state.store.list_trackers(),
        "counts": state.store.counts(),
        "settings": state.settings.public(),
        "faults": state.faults.snapshot(),
    }


def add_faults(state: EmulatorState, data: Any) -> list[dict[str, Any]]:
    """Append fault rules (a list, a single object, or ``{"faults": [...]}``).

    Raises:
        ApiError: 400 naming the bad rule; no rule of the request is added then.
    """
    if isinstance(data, dict) and isinstance(data.get("faults"), list):
        data = data["faults"]
    items = data if isinstance(data, list) else [data]
    try:
        rules = [FaultRule.parse(item) for item in items]
    except (TypeError, ValueError) as exc:
        raise ApiError(400, f"bad fault rule: {exc}") from exc
    state.faults.add(rules)
    return state.faults.snapshot()


def handle(state: EmulatorState, request: Request, action: str) -> Answer:
    """Dispatch one control request (``action`` is the path after ``/_emulator/``).

    Raises:
        ApiError: 404 unknown action, 405 wrong method, 400 bad body.
    """
    method = request.method
    key = (method, action)
    if key == ("POST", "reset"):
        return 200, reset(state)
    if key == ("POST", "seed"):
        return 201, {"trackers": seed(state, read_json(request, CONTROL_BODY_LIMIT))}
    if key == ("GET", "state"):
        return 200, snapshot(state)
    if action == "requests" and method in ("GET", "DELETE"):
        if method == "DELETE":
            state.log.clear()
        return 200, {"requests": state.log.entries()}
    if action == "faults" and method in ("GET", "POST", "DELETE"):
        if method == "POST":
            return 201, {"faults": add_faults(state, read_json(request, CONTROL_BODY_LIMIT))}
        if method == "DELETE":
            state.faults.clear()
        return 200, {"faults": state.faults.snapshot()}
    if action == "config" and method in ("GET", "POST"):
        if method == "POST":
            _configure(state, read_json(request, CONTROL_BODY_LIMIT))
        return 200, {"settings": state.settings.public()}
    if key == ("POST", "tokens/expire"):
        return 200, {"expired": state.store.expire_tokens()}
    if key == ("POST", "transcripts"):
        from symbl_emulator.media import register_transcript

        return 201, register_transcript(state, read_json(request, CONTROL_BODY_LIMIT))
    if action in CONTROL_METHODS:
        allowed = CONTROL_METHODS[action]
        raise ApiError(405, f"method {method} not allowed on /_emulator/{action}",
                       headers={"Allow": ", ".join(allowed)})
    raise ApiError(404, f"unknown control endpoint /_emulator/{action}")


def _configure(state: EmulatorState, changes: Any) -> None:
    if not isinstance(changes, dict):
        raise ApiError(400, "config body must be an object of settings")
    try:
        state.settings.update(changes)
    except (SettingsError, TypeError) as exc:
        raise ApiError(400, str(exc)) from exc
