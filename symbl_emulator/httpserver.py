"""The HTTP layer under the emulator: Waitress, tuned and made to answer in JSON.

Waitress parses HTTP, keeps connections alive, pipelines, buffers each request body
before the application sees it (so a slow or unfinished request never reaches the app
nor its request log) and runs the application on a bounded pool of worker threads.
This module adds what a stand-in for a public API needs on top:

- every error the server itself produces (400 malformed request, 408 request timeout,
  413 body too large, 431 header too large, 501 transfer coding, 505 HTTP version) is a
  JSON ``{"message": ...}`` body, like the API's own errors;
- a request with both ``Content-Length`` and ``Transfer-Encoding: chunked``, or with
  two different ``Content-Length`` values, is refused with 400 (request smuggling);
- a total deadline per request: a request whose head and body have not fully
  arrived ``request_deadline_s`` seconds after its first byte gets 408 and the
  connection is closed (a client trickling one byte a second cannot hold it forever);
  deadlines and idle timeouts are checked once a second, or four times per the shorter
  of them when that is under 4 s (at most every 0.05 s);
- several pending connections are accepted per readiness event, so a backlog empties
  quickly after a burst;
- :meth:`HttpServer.stop` wakes the event loop at once (no poll interval to wait for).
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask
from waitress.utilities import Error

log = logging.getLogger(__name__)
# "Task queue depth is N" is expected whenever more requests arrive than there are worker
# threads (the bound doing its job); it would flood a busy emulator's stderr.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)


@dataclass(frozen=True)
class HttpLimits:
    """Bounds of the HTTP layer.

    Attributes:
        threads: worker threads running the application (requests served at once).
        connection_limit: open client connections; beyond it new connections wait in
            the listen backlog until some close.
        backlog: the listen backlog (connections the kernel queues for us).
        request_deadline_s: seconds from a request's first byte to its last; past it 408.
        idle_timeout_s: seconds a kept-alive connection may stay silent before it is closed.
        max_header_bytes: request line plus headers; beyond it 431.
        max_body_bytes: request body cap of the HTTP layer (the API's own 1 MB limit is
            checked by the application, so this only bounds memory); beyond it 413.
    """

    threads: int = 8
    connection_limit: int = 4000
    backlog: int = 2048
    request_deadline_s: float = 30.0
    idle_timeout_s: float = 60.0
    max_header_bytes: int = 65_536
    max_body_bytes: int = 64 * 1_048_576


class RequestTimeout(Error):
    """408: the request did not arrive in full before its deadline."""

    code = 408
    reason = "Request Timeout"


class HttpVersionNotSupported(Error):
    """505: a request line naming an HTTP version other than 1.0 or 1.1."""

    code = 505
    reason = "HTTP Version Not Supported"


def _json_error(error: Error) -> tuple[str, list[tuple[str, str]], bytes]:
    message = f"{error.reason}: {error.body}" if error.body else error.reason
    body = json.dumps({"message": message}).encode()
    return f"{error.code} {error.reason}", [("Content-Type", "application/json")], body


class _JsonErrorTask(ErrorTask):
    """Waitress's error answer with a JSON ``{"message"}`` body instead of plain text."""

    def execute(self) -> None:
        status, headers, body = _json_error(self.request.error)
        self.status = status
        self.response_headers.extend(headers)
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _StrictParser(HTTPRequestParser):
    """Waitress's parser, refusing ambiguous framing and timing each request."""

    def __init__(self, adj: Any) -> None:
        super().__init__(adj)
        self.started = time.monotonic()

    def received(self, data: bytes) -> int:
        consumed = int(super().received(data))
        version = getattr(self, "version", "1.0")
        error: Error | None = self.error  # type: ignore[has-type]
        if self.headers_finished and error is None and version not in ("", "1.0", "1.1"):
            self.error = HttpVersionNotSupported(f"HTTP/{version} (use HTTP/1.1)")
            self.completed = True
        return consumed

    def parse_header(self, header_plus: bytes) -> None:
        line_end = header_plus.find(b"\r\n")
        if line_end > 0:  # raw UTF-8 in the request target (curl sends ?name=Über as is)
            header_plus = _quote_high_bytes(header_plus[:line_end]) + header_plus[line_end:]
        super().parse_header(header_plus)
        if self.chunked and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("Content-Length together with Transfer-Encoding: chunked")


def _quote_high_bytes(line: bytes) -> bytes:
    """Percent-encode bytes >= 0x80 of a request line, so that the path and the query are
    decoded exactly once, as UTF-8, whether the client encoded them or not."""
    if line.isascii():
        return line
    return b"".join(b"%%%02X" % byte if byte >= 0x80 else bytes([byte]) for byte in line)


class _Channel(HTTPChannel):
    parser_class = _StrictParser
    error_task_class = _JsonErrorTask


class _Server(TcpWSGIServer):
    """Waitress's TCP server with request deadlines, batched accepts and a prompt stop."""

    channel_class = _Channel
    deadline_s = 30.0
    accept_batch = 64

    def handle_accept(self) -> None:
        for _ in range(self.accept_batch):
            if len(self._map) >= self.adj.connection_limit:
                return
            try:
                pair = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                log.debug("accept() failed", exc_info=True)
                return
            conn, addr = pair
            try:
                self.set_socket_options(conn)  # TCP_NODELAY: no 40 ms Nagle stall per answer
            except OSError:  # the client left before we got to it
                conn.close()
                continue
            self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        cutoff = time.monotonic() - self.deadline_s
        for channel in list(self.active_channels.values()):
            request = channel.request
            if request is None or request.started > cutoff or channel.will_close:
                continue
            with channel.requests_lock:
                if channel.request is not request:
                    continue
                request.error = RequestTimeout(
                    f"the request did not arrive in full within {self.deadline_s:g} s"
                )
                request.completed = True
                channel.request = None
                channel.requests.append(request)
                if len(channel.requests) == 1:
                    self.add_task(channel)


class HttpServer:
    """A WSGI application served by Waitress on ``host:port`` (port 0 = a free one).

    The socket is bound and listening when the constructor returns; :meth:`start`
    runs the event loop in a daemon thread.

    Raises:
        OSError: the address cannot be bound.
    """

    def __init__(self, app: Any, *, host: str, port: int, limits: HttpLimits) -> None:
        self._server = _Server(
            app, host=host, port=port, threads=limits.threads,
            connection_limit=limits.connection_limit, backlog=limits.backlog,
            channel_timeout=limits.idle_timeout_s, cleanup_interval=1,
            max_request_header_size=limits.max_header_bytes,
            max_request_body_size=limits.max_body_bytes,
            asyncore_use_poll=True, asyncore_loop_timeout=1,
            log_socket_errors=False, expose_tracebacks=False, ident="symbl-emulator",
            clear_untrusted_proxy_headers=False,
        )
        self._server.deadline_s = limits.request_deadline_s
        # Deadlines and idle timeouts are checked on a tick: once a second, or a quarter
        # of the shortest of them when that is shorter, so a 0.5 s deadline answers 408
        # within ~0.6 s rather than at the next whole second.
        self._tick_s = max(0.05, min(1.0, limits.request_deadline_s / 4,
                                     limits.idle_timeout_s / 4))
        self._server.adj.cleanup_interval = self._tick_s
        self.port = int(self._server.effective_port)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"symbl-emulator-{self.port}",
                                        daemon=True)

    def start(self) -> None:
        """Serve in a daemon thread."""
        self._thread.start()

    def _run(self) -> None:
        server = self._server
        while not self._stopping.is_set():
            wasyncore.loop(timeout=self._tick_s, map=server._map, use_poll=True, count=1)

    def stop(self, grace_s: float = 2.0) -> None:
        """Stop accepting, close every connection and the worker threads."""
        self._stopping.set()
        self._server.pull_trigger()
        if self._thread.is_alive():
            self._thread.join(timeout=grace_s)
        for channel in list(self._server._map.values()):
            if channel is self._server or channel is self._server.trigger:
                continue
            with contextlib.suppress(OSError):
                channel.socket.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                channel.close()
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=grace_s)
        with contextlib.suppress(OSError):
            self._server.close()


__all__ = ["HttpLimits", "HttpServer", "HttpVersionNotSupported", "RequestTimeout"]
