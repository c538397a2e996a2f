"""The emulator's WSGI application: routing, auth, faults and the request log.

The routes are the endpoints described in ``symbl_emulator/openapi.yaml`` (served at
``/openapi.json``): token generate/refresh/revoke, the Trackers Management API (with
the ``GET /v1/manage/tracker?name=`` alias and object bodies on
``POST /v1/manage/trackers``, see ``docs/api-contract.md`` "Singular and plural
paths") and the Async API subset. Paths Symbl served that the emulator does not
emulate answer 501 with a JSON message, before any token check.

Order of checks for an API request: URI length (414) → route (404/405 with ``Allow``,
501) → token (401) → declared size (413) → handler (which reads the JSON body, takes
the in-flight slot for writes (429) and validates).
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Request, Response

from symbl_emulator import asyncapi, control, manage, media
from symbl_emulator.faults import FaultRule
from symbl_emulator.openapi import openapi_response
from symbl_emulator.responses import ApiError, DropConnection, json_response
from symbl_emulator.state import EmulatorState, check_size

log = logging.getLogger(__name__)

Handler = Callable[[EmulatorState, Request, str, dict[str, str]], tuple[int, Any]]


@dataclass(frozen=True)
class Route:
    """One API endpoint: its handler, whether it needs a token, whether it is a write,
    and whether its body is an uploaded file (exempt from the 1 MB JSON body limit)."""

    handler: Handler
    auth: bool = True
    write: bool = False
    upload: bool = False


ROUTES: dict[str, Route] = {
    "token": Route(manage.generate_token, auth=False),
    "token_refresh": Route(manage.refresh_token, auth=False),
    "token_revoke": Route(manage.revoke_token, auth=False),
    "create_one": Route(manage.create_one, write=True),
    "create_many": Route(manage.create_many, write=True),
    "list": Route(manage.list_trackers),
    "get": Route(manage.get_tracker),
    "update": Route(manage.update_tracker, write=True),
    "delete": Route(manage.delete_tracker),
    "process_text": Route(asyncapi.process_text),
    "append_text": Route(asyncapi.append_text),
    "process_url": Route(media.process_url),
    "process_audio": Route(media.process_audio, upload=True),
    "process_video": Route(media.process_video, upload=True),
    "job": Route(asyncapi.job_status),
    "detected": Route(asyncapi.trackers_detected),
}

class ConversationIdConverter(BaseConverter):
    """A conversation id in an upload's append path; never ``url``, so that
    ``/v1/process/audio/url`` is only ever the URL submission (and its ``Allow`` says so)."""

    regex = r"(?!url(?:/|$))[^/]+"


URL_MAP = Map(
    [
        Rule("/oauth2/token:generate", methods=["POST"], endpoint="token"),
        Rule("/oauth2/token:refresh", methods=["POST"], endpoint="token_refresh"),
        Rule("/oauth2/token:revoke", methods=["DELETE"], endpoint="token_revoke"),
        Rule("/v1/manage/tracker", methods=["POST"], endpoint="create_one"),
        Rule("/v1/manage/tracker", methods=["GET"], endpoint="list"),  # community UI's alias
        Rule("/v1/manage/trackers", methods=["POST"], endpoint="create_many"),
        Rule("/v1/manage/trackers", methods=["GET"], endpoint="list"),
        Rule("/v1/manage/tracker/<tracker_id>", methods=["GET"], endpoint="get"),
        Rule("/v1/manage/tracker/<tracker_id>", methods=["PUT"], endpoint="update"),
        Rule("/v1/manage/tracker/<tracker_id>", methods=["DELETE"], endpoint="delete"),
        Rule("/v1/process/text", methods=["POST"], endpoint="process_text"),
        Rule("/v1/process/text/<conversation_id>", methods=["PUT"], endpoint="append_text"),
        Rule("/v1/process/audio/url", methods=["POST"], endpoint="process_url"),
        Rule("/v1/process/audio/url/<conversation_id>", methods=["PUT"], endpoint="process_url"),
        Rule("/v1/process/video/url", methods=["POST"], endpoint="process_url"),
        Rule("/v1/process/video/url/<conversation_id>", methods=["PUT"], endpoint="process_url"),
        Rule("/v1/process/audio", methods=["POST"], endpoint="process_audio"),
        Rule("/v1/process/audio/<conv:conversation_id>", methods=["PUT"],
             endpoint="process_audio"),
        Rule("/v1/process/video", methods=["POST"], endpoint="process_video"),
        Rule("/v1/process/video/<conv:conversation_id>", methods=["PUT"],
             endpoint="process_video"),
        Rule("/v1/job/<job_id>", methods=["GET"], endpoint="job"),
        Rule("/v1/conversations/<conversation_id>/trackers-detected", methods=["GET"],
             endpoint="detected"),
        Rule("/v1/conversations/<conversation_id>/trackers", methods=["GET"],
             endpoint="detected"),  # deprecated path, same body
    ],
    strict_slashes=False,
    merge_slashes=False,
    converters={"conv": ConversationIdConverter},
)


#: Paths Symbl's API served (as its generated client ``symbl-rest`` calls them) that the
#: emulator does not emulate: they answer 501, so a client learns the emulator's limit
#: instead of a 404 that looks like a wrong URL. A path added to :data:`URL_MAP` wins.
NOT_EMULATED = Map(
    [
        Rule(path, endpoint="not_emulated")
        for path in (
            "/v1/conversations/<conversation_id>",
            *(f"/v1/conversations/<conversation_id>/{part}" for part in (
                "messages", "questions", "topics", "action-items", "follow-ups", "entities",
                "analytics", "insights", "intents", "members", "speakers", "callscore")),
            "/v1/conversations/<conversation_id>/members/<member_id>",
            "/v1/conversations/<conversation_id>/callscore/status",
            "/v1/conversations/experiences/insights/details/<conversation_id>",
            "/v1/endpoint:connect", "/v1/event/<connection_id>",
            "/v1/metric/<metric_id>", "/v1/metric/<metric_id>/entry",
            # the later Management API (plural paths, PATCH) and its other entities
            "/v1/manage/trackers/bulk", "/v1/manage/trackers/<tracker_id>",
            "/v1/manage/group", "/v1/manage/groups", "/v1/manage/group/<group_id>",
            "/v1/manage/entities", "/v1/manage/entities/bulk", "/v1/manage/entities/<entity_id>",
            # the Streaming API (WebSocket)
            "/v1/streaming/<connection_id>", "/v1/realtime/insights/<connection_id>",
        )
    ],
    strict_slashes=False,
    merge_slashes=False,
    converters={"conv": ConversationIdConverter},
)
#: Longest request target (path and query) served; longer ones get 414.
MAX_URI_BYTES = 8192


class EmulatorApp:
    """WSGI callable serving one :class:`EmulatorState`.

    Args:
        state: the shared state (settings, store, tokens, faults, log).
    """

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        if len(environ.get("REQUEST_URI") or request.full_path) > MAX_URI_BYTES:
            message = f"URI Too Long: the request target exceeds {MAX_URI_BYTES} bytes"
            return json_response({"message": message}, 414)(environ, start_response)
        if request.path.startswith("/_emulator/"):
            return self._control(request)(environ, start_response)
        if request.path == "/openapi.json":
            if request.method in ("GET", "HEAD"):
                return openapi_response()(environ, start_response)
            answer = json_response({"message": "Method Not Allowed"}, 405, {"Allow": "GET, HEAD"})
            return answer(environ, start_response)
        started = time.time()
        fault = self.state.faults.take(request.method, request.path)
        entry: dict[str, Any] = {
            "method": request.method, "path": request.path,
            "query": request.query_string.decode("utf-8", "replace"),
            "time": int(started * 1000), "fault": _fault_kind(fault),
        }
        try:
            response = self._with_fault(request, fault) if fault else self._serve(request)
        except DropConnection:
            self._record(entry, started, status=None, dropped=True)
            # An OSError before any byte is written makes the HTTP server close the
            # connection without an answer, which is what the client must see.
            raise ConnectionAbortedError("emulator fault: connection dropped") from None
        self._record(entry, started, status=response.status_code, dropped=False)
        return response(environ, start_response)

    def _record(self, entry: dict[str, Any], started: float, *, status: int | None,
                dropped: bool) -> None:
        entry.update(status=status, dropped=dropped,
                     duration_ms=round((time.time() - started) * 1000, 1))
        self.state.log.add(entry)
        log.info("%s %s -> %s", entry["method"], entry["path"], "dropped" if dropped else status)

    def _with_fault(self, request: Request, fault: FaultRule) -> Response:
        """Apply a scripted fault (see :mod:`symbl_emulator.faults`)."""
        real = None
        if fault.after_commit:
            real = self._serve(request)
        self.state.sleep_ms(fault.delay_ms)
        if fault.drop:
            raise DropConnection()
        if fault.status is not None:
            if fault.content_type is not None:
                raw = Response(fault.body, status=fault.status, content_type=fault.content_type)
                raw.headers.update(fault.headers)
                return raw
            body = fault.body if fault.body is not None else {"message": _reason(fault.status)}
            return json_response(body, fault.status, fault.headers)
        return real if real is not None else self._serve(request)

    def _serve(self, request: Request) -> Response:
        """Route and answer one API request; every error becomes a JSON body."""
        try:
            endpoint, args = self._route(request)
            route = ROUTES[str(endpoint)]
            account = self.state.tokens.authenticate(request) if route.auth else ""
            if not route.upload:
                check_size(request, self.state.settings.max_body_bytes)
            if not route.write:
                self.state.sleep_ms(self.state.settings.latency_ms)  # writes spend it in the slot
            status, body = route.handler(self.state, request, account, dict(args))
            return json_response(body, status)
        except ApiError as exc:
            return exc.response()
        except HTTPException as exc:
            headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
            return json_response({"message": exc.name}, exc.code or 500, headers)
        except Exception:
            log.exception("emulator bug while serving %s %s", request.method, request.path)
            return json_response({"message": "Internal server error"}, 500)

    @staticmethod
    def _route(request: Request) -> tuple[str, dict[str, Any]]:
        """The endpoint and path arguments; 501 for a Symbl path the emulator lacks."""
        try:
            endpoint, args = URL_MAP.bind_to_environ(request.environ).match()
        except NotFound:
            try:
                NOT_EMULATED.bind_to_environ(request.environ).match()
            except HTTPException:
                raise NotFound() from None
            raise ApiError(501, f"{request.method} {request.path} is part of Symbl's API but "
                           "is not emulated here; see /openapi.json for what is.") from None
        return str(endpoint), dict(args)

    def _control(self, request: Request) -> Response:
        if not _is_loopback(request.remote_addr):
            return json_response({"message": "control endpoints are loopback-only"}, 403)
        action = request.path[len("/_emulator/"):].strip("/")
        try:
            status, body = control.handle(self.state, request, action)
        except ApiError as exc:
            return exc.response()
        return json_response(body, status)


def _fault_kind(fault: FaultRule | None) -> str | None:
    if fault is None:
        return None
    kind = "drop" if fault.drop else str(fault.status) if fault.status else "delay"
    return f"{kind}-after-commit" if fault.after_commit else kind


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _is_loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False
