"""Trackers Management API handlers (decisions in ``docs/api-contract.md``).

Every handler takes the :class:`EmulatorState`, the request, the account and the
path arguments, and returns ``(status, json_body)``. Errors are raised as
:class:`ApiError` with a ``{"message": ...}`` body ("Error bodies").
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

from symbl_emulator.responses import ApiError
from symbl_emulator.rules import STRICT_MAX_PHRASES, check_tracker
from symbl_emulator.state import EmulatorState, read_json

Answer = tuple[int, Any]


def _not_found(tracker_id: str) -> ApiError:
    # Unknown or malformed ids are 404, never 400 ("Unknown ids").
    return ApiError(404, f"Tracker with id '{tracker_id[:64]}' not found.")


def _check_items(items: list[Any], profile: str) -> None:
    """400 naming every problem of every item."""
    problems: list[str] = []
    for index, item in enumerate(items):
        for problem in check_tracker(item, profile):
            prefix = f"trackers[{index}]" if len(items) > 1 else "tracker"
            name = item.get("name") if isinstance(item, dict) else None
            label = f"{prefix} ({name!r})" if isinstance(name, str) else prefix
            problems.append(f"{label}: {problem}")
    if problems:
        raise ApiError(400, "; ".join(problems))


def _create(state: EmulatorState, items: list[Any]) -> list[dict[str, Any]]:
    """Validate, then store all ``items`` or none.

    See "Bulk create is all-or-nothing" and "Tracker limit".

    Raises:
        ApiError: 400 invalid item, 409 name taken or repeated in the batch,
            400 when the account would exceed ``tracker_limit``.
    """
    _check_items(items, state.settings.rules)
    names = [item["name"] for item in items]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ApiError(409, f"Tracker name(s) repeated in the request: {repeated}")
    store = state.store
    with store.atomic():
        taken = store.names_taken(names)
        if taken:
            raise ApiError(409, f"Tracker with name(s) {taken} already exists.")
        limit = state.settings.tracker_limit
        if store.count_trackers() + len(items) > limit:
            raise ApiError(400, f"Tracker limit of {limit} per account reached.")
        fresh = [{"name": item["name"], "vocabulary": item["vocabulary"]} for item in items]
        return store.insert_trackers(fresh)


def create_one(state: EmulatorState, request: Request, account: str,
               args: dict[str, str]) -> Answer:
    """``POST /v1/manage/tracker`` → 201 ``{"tracker": {...}}`` ("Status code for creates")."""
    body = read_json(request, state.settings.max_body_bytes)
    with state.in_flight(account):
        return 201, {"tracker": _create(state, [body])[0]}


def create_many(state: EmulatorState, request: Request, account: str,
                args: dict[str, str]) -> Answer:
    """``POST /v1/manage/trackers``: array → bulk ``{"trackers": [...]}``;
    object → single create ``{"tracker": {...}}`` (the later API, "Singular and plural
    paths"). Both 201.
    """
    body = read_json(request, state.settings.max_body_bytes)
    with state.in_flight(account):
        if isinstance(body, dict):
            return 201, {"tracker": _create(state, [body])[0]}
        if not isinstance(body, list):
            raise ApiError(400, "Request body must be an array of trackers.")
        if not body:
            raise ApiError(400, "Request body must contain at least one tracker.")
        return 201, {"trackers": _create(state, body)}


def list_trackers(state: EmulatorState, request: Request, account: str,
                  args: dict[str, str]) -> Answer:
    """``GET /v1/manage/trackers[?name=]`` (and the ``/tracker?name=`` alias) → 200
    ``{"trackers": [...]}`` in creation order, no pagination ("Shape of the tracker
    list", "Name query").
    An empty ``name=`` is treated as absent; a name nobody has gives ``[]``.
    """
    name = request.args.get("name") or None
    return 200, {"trackers": state.store.list_trackers(name)}


def get_tracker(state: EmulatorState, request: Request, account: str,
                args: dict[str, str]) -> Answer:
    """``GET /v1/manage/tracker/{trackerId}`` → 200 ``{"tracker": {...}}`` or 404."""
    tracker = state.store.get_tracker(args["tracker_id"])
    if tracker is None:
        raise _not_found(args["tracker_id"])
    return 200, {"tracker": tracker}


def _put_body(body: Any, tracker_id: str, profile: str) -> dict[str, Any]:
    """Check a PUT body: name and vocabulary required, body id must match ("PUT replaces")."""
    if not isinstance(body, dict):
        raise ApiError(400, "Request body must be a tracker object.")
    if "id" in body and body["id"] != tracker_id:
        raise ApiError(400, "'id' in the body does not match the trackerId in the path.")
    _check_items([body], profile)
    return body


def update_tracker(state: EmulatorState, request: Request, account: str,
                   args: dict[str, str]) -> Answer:
    """``PUT /v1/manage/tracker/{trackerId}`` → 200 ``{"tracker": {...}}``.

    ``put_mode=replace`` (default) replaces name and vocabulary; ``merge`` answers
    like the documented sample: new phrases first, then old ones not repeated
    ("PUT replaces"). 404 unknown id, 409 name used by another tracker ("Rename clash").
    """
    tracker_id = args["tracker_id"]
    body = read_json(request, state.settings.max_body_bytes)
    with state.in_flight(account), state.store.atomic():
        current = state.store.get_tracker(tracker_id)
        if current is None:
            raise _not_found(tracker_id)
        body = _put_body(body, tracker_id, state.settings.rules)
        name, vocabulary = body["name"], list(body["vocabulary"])
        if state.store.names_taken([name], exclude_id=tracker_id):
            raise ApiError(409, f"Tracker with name '{name}' already exists.")
        if state.settings.put_mode == "merge":
            vocabulary += [p for p in current["vocabulary"] if p not in vocabulary]
            profile = state.settings.rules
            if profile == "strict" and len(vocabulary) > STRICT_MAX_PHRASES:
                raise ApiError(400, f"'vocabulary' would have {len(vocabulary)} phrases after "
                               f"the merge; the maximum is {STRICT_MAX_PHRASES}")
        state.store.update_tracker(tracker_id, name, vocabulary)
        return 200, {"tracker": {"id": tracker_id, "name": name, "vocabulary": vocabulary}}


def delete_tracker(state: EmulatorState, request: Request, account: str,
                   args: dict[str, str]) -> Answer:
    """``DELETE /v1/manage/tracker/{trackerId}`` → 200
    ``{"id", "type": "tracker", "deleted": true}``; 404 if unknown.
    """
    tracker_id = args["tracker_id"]
    if not state.store.delete_tracker(tracker_id):
        raise _not_found(tracker_id)
    return 200, {"id": tracker_id, "type": "tracker", "deleted": True}


def generate_token(state: EmulatorState, request: Request, account: str,
                   args: dict[str, str]) -> Answer:
    """``POST /oauth2/token:generate`` → 200 ``{"accessToken", "expiresIn"}`` ("Authentication")."""
    body = read_json(request, state.settings.max_body_bytes)
    return 200, state.tokens.generate(body)


def refresh_token(state: EmulatorState, request: Request, account: str,
                  args: dict[str, str]) -> Answer:
    """``POST /oauth2/token:refresh`` → 200 ``{"accessToken", "expiresIn"}``.

    Body ``{"appId", "appSecret", "refreshToken"}`` as symbl-rest's
    ``RefreshTokenRequest``; see :meth:`.auth.TokenService.refresh`.
    """
    body = read_json(request, state.settings.max_body_bytes)
    return 200, state.tokens.refresh(body)


def revoke_token(state: EmulatorState, request: Request, account: str,
                 args: dict[str, str]) -> Answer:
    """``DELETE /oauth2/token:revoke`` → 200 ``{"revoked": n}``.

    Body ``{"appId", "appSecret"}`` as symbl-rest's ``RevokeTokenRequest``; see
    :meth:`.auth.TokenService.revoke`.
    """
    body = read_json(request, state.settings.max_body_bytes)
    return 200, state.tokens.revoke(body)
