"""The emulator's WSGI application: routing, auth, faults and the request log.

Routes follow symbl-api.md §1-3 (auth, Trackers Management API, Async subset) and
§6 item 27 (the ``GET /v1/manage/tracker?name=`` alias, object bodies on
``POST /v1/manage/trackers``). Order of checks for an API request: route (404/405) →
token (401, §6 item 18) → declared size (413, §6 item 14) → handler (which reads the
JSON body, takes the in-flight slot for writes (429, §6 item 15) and validates).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from symbl_emulator import asyncapi, control, manage, media
from symbl_emulator.faults import FaultRule
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

URL_MAP = Map(
    [
        Rule("/oauth2/token:generate", methods=["POST"], endpoint="token"),
        Rule("/v1/manage/tracker", methods=["POST"], endpoint="create_one"),
        Rule("/v1/manage/tracker", methods=["GET"], endpoint="list"),  # §6 item 27 alias
        Rule("/v1/manage/trackers", methods=["POST"], endpoint="create_many"),
        Rule("/v1/manage/trackers", methods=["GET"], endpoint="list"),
        Rule("/v1/manage/tracker/<tracker_id>", methods=["GET"], endpoint="get"),
        Rule("/v1/manage/tracker/<tracker_id>", methods=["PUT"], endpoint="update"),
        Rule("/v1/manage/tracker/<tracker_id>", methods=["DELETE"], endpoint="delete"),
        Rule("/v1/process/text", methods=["POST"], endpoint="process_text"),
        Rule("/v1/process/text/<conversation_id>", methods=["PUT"], endpoint="append_text"),
        Rule("/v1/process/<any(audio, video):kind>/url", methods=["POST"],
             endpoint="process_url"),
        Rule("/v1/process/<any(audio, video):kind>/url/<conversation_id>", methods=["PUT"],
             endpoint="process_url"),
        Rule("/v1/process/audio", methods=["POST"], endpoint="process_audio"),
        Rule("/v1/process/audio/<conversation_id>", methods=["PUT"], endpoint="process_audio"),
        Rule("/v1/process/video", methods=["POST"], endpoint="process_video"),
        Rule("/v1/process/video/<conversation_id>", methods=["PUT"], endpoint="process_video"),
        Rule("/v1/job/<job_id>", methods=["GET"], endpoint="job"),
        Rule("/v1/conversations/<conversation_id>/trackers-detected", methods=["GET"],
             endpoint="detected"),
        Rule("/v1/conversations/<conversation_id>/trackers", methods=["GET"],
             endpoint="detected"),  # deprecated path, same body (§3.5, §6 item 25)
    ],
    strict_slashes=False,
    merge_slashes=False,
)


class EmulatorApp:
    """WSGI callable serving one :class:`EmulatorState`.

    Args:
        state: the shared state (settings, store, tokens, faults, log).
    """

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        if request.path.startswith("/_emulator/"):
            return self._control(request)(environ, start_response)
        started = time.time()
        fault = self.state.faults.take(request.method, request.path)
        entry: dict[str, Any] = {
            "method": request.method, "path": request.path,
            "query": request.query_string.decode("latin-1"),
            "time": int(started * 1000), "fault": _fault_kind(fault),
        }
        try:
            response = self._with_fault(request, fault) if fault else self._serve(request)
        except DropConnection:
            self._record(entry, started, status=None, dropped=True)
            _drop(environ)
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
            endpoint, args = URL_MAP.bind_to_environ(request.environ).match()
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
            return json_response({"message": exc.name}, exc.code or 500)
        except Exception:
            log.exception("emulator bug while serving %s %s", request.method, request.path)
            return json_response({"message": "Internal server error"}, 500)

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


def _drop(environ: dict[str, Any]) -> None:
    """Shut the client's socket so it sees the connection close with no answer."""
    sock = environ.get("werkzeug.socket")
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
