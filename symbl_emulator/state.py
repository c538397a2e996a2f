"""Everything a request handler needs: settings, store, tokens, faults, log, locks.

Also the request helpers shared by the handler modules: JSON body reading
("Body size", "Content-Type") and the per-account in-flight lock ("Concurrency of writes");
sections of ``docs/api-contract.md``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from symbl_emulator.auth import TokenService
from symbl_emulator.faults import FaultBook
from symbl_emulator.responses import ApiError
from symbl_emulator.settings import EmulatorSettings
from symbl_emulator.store import Store

LOG_CAPACITY = 10_000
TOO_LARGE = "request entity too large"  # Express body-parser's wording


class RequestLog:
    """The last requests served: method, path, query, status, time — no bodies, no tokens."""

    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def add(self, entry: dict[str, Any]) -> None:
        """Append one entry (the oldest entries go beyond :data:`LOG_CAPACITY`)."""
        with self._lock:
            self._entries.append(entry)
            del self._entries[:-LOG_CAPACITY]

    def entries(self) -> list[dict[str, Any]]:
        """A copy of the entries, oldest first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()


@dataclass
class EmulatorState:
    """Shared state of one emulator instance (one per server)."""

    settings: EmulatorSettings
    store: Store
    faults: FaultBook = field(default_factory=FaultBook)
    log: RequestLog = field(default_factory=RequestLog)
    _account_locks: dict[str, threading.Lock] = field(default_factory=dict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.tokens = TokenService(self.store, self.settings)
        self.stopping = threading.Event()

    def sleep_ms(self, milliseconds: int) -> None:
        """Wait ``milliseconds`` (latency, fault delays); cut short when the server stops."""
        if milliseconds > 0:
            self.stopping.wait(milliseconds / 1000)

    @contextmanager
    def in_flight(self, account: str) -> Iterator[None]:
        """Hold the account's create/update slot, or raise 429 ("Concurrency of writes").

        The handling delay ``latency_ms`` is spent while the slot is held, so two
        overlapping writes reproducibly give one 429.
        """
        with self._guard:
            lock = self._account_locks.setdefault(account, threading.Lock())
        if not lock.acquire(blocking=False):
            raise ApiError(
                429, "Too many requests: this API allows a maximum concurrency of 1 request."
            )
        try:
            self.sleep_ms(self.settings.latency_ms)
            yield
        finally:
            lock.release()


def check_size(request: Request, limit: int) -> None:
    """413 when ``Content-Length`` exceeds ``limit`` bytes; the body is not read."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiError(413, TOO_LARGE)


def read_json(request: Request, limit: int) -> Any:
    """Decode the JSON body of a POST/PUT ("Body size", "Content-Type").

    Raises:
        ApiError: 413 above ``limit`` bytes (declared or actual); 400 when the
            ``Content-Type`` is not JSON or the body does not parse.
    """
    check_size(request, limit)
    if request.mimetype != "application/json":
        raise ApiError(400, "Content-Type must be application/json")
    # One byte past the limit: a chunked body (no Content-Length) is read up to limit + 1
    # bytes, so "too large" is seen instead of silently parsing a truncated body.
    request.max_content_length = limit + 1
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge as exc:
        raise ApiError(413, TOO_LARGE) from exc
    if len(raw) > limit:
        raise ApiError(413, TOO_LARGE)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ApiError(400, "Request body is not valid JSON: nested too deeply") from exc
    _check_unicode(data)
    return data


def _check_unicode(data: Any) -> None:
    """400 when a string holds a lone surrogate (``"\\ud800"``): not storable text."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ApiError(400, "Request body holds a lone surrogate escape (such as "
                               "\\ud800), which is not valid Unicode text") from exc
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
