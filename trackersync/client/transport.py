"""HTTP transport for the Symbl API: one requests Session, one request at a time.

The only module that imports requests; its exceptions become
:class:`~trackersync.errors.TransportError` here. It knows nothing about trackers:
it sends bytes, returns a :class:`Reply` for every HTTP answer (errors included), logs
one INFO line per HTTP call (method, path, status, milliseconds; never headers or
bodies), and counts every attempt.

Serial by design: the Management API allows one request at a time per account
(docs/api-contract.md, "Concurrency of writes"), so every send holds a lock shared by
all transports of that account in this process.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.auth
from requests.adapters import HTTPAdapter

from trackersync import __version__
from trackersync.client.redaction import Redactor
from trackersync.client.retrying import RetryObserver, make_retry
from trackersync.errors import ConfigError, ResponseShapeError, TransportError

logger = logging.getLogger(__name__)

_ACCOUNT_LOCKS: dict[str, threading.Lock] = {}
_ACCOUNT_LOCKS_GUARD = threading.Lock()


def account_lock(key: str) -> threading.Lock:
    """The process-wide lock for one account (base URL + credential key)."""
    with _ACCOUNT_LOCKS_GUARD:
        return _ACCOUNT_LOCKS.setdefault(key, threading.Lock())


def check_base_url(url: str) -> str:
    """Validate and normalise the API base URL (no trailing slash, no ``/v1``).

    ``https://`` is required, except that plain ``http://`` is allowed to loopback
    hosts (127.0.0.0/8, ::1, localhost), where the emulator runs.

    Raises:
        ConfigError: not an http(s) URL, plain http to a non-loopback host, or a URL
            carrying a user name or password (Symbl authenticates with tokens; such a URL
            would put a secret into every message that names the URL). The message then
            never repeats the URL.
    """
    parts = urlsplit(url.strip())
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            "the API URL carries a user name or password (user:pass@host); remove it - "
            "credentials come from SYMBL_APP_ID/SYMBL_APP_SECRET or SYMBL_ACCESS_TOKEN"
        )
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"API URL {url!r} is not an http(s) URL (e.g. https://api.symbl.ai)")
    if parts.scheme == "http" and not _is_loopback(host):
        raise ConfigError(
            f"API URL {url!r} uses plain http:// to a non-loopback host; use https:// "
            "(http is only allowed to 127.0.0.1, ::1 or localhost)"
        )
    path = parts.path.rstrip("/")
    if path.endswith("/v1"):
        path = path[: -len("/v1")]
    return f"{parts.scheme}://{parts.netloc}{path}"


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Reply:
    """One HTTP answer.

    Attributes:
        method, path: what was asked (path without query).
        status: HTTP status code.
        headers: response headers (case-insensitive mapping).
        body: raw body bytes.
        attempts: tries it took (1 = first try).
        next_link: the ``Link: <...>; rel="next"`` URL, if the server sent one.
        note: why retrying stopped early (e.g. a ``Retry-After`` past the budget), if so.
    """

    method: str
    path: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    attempts: int
    next_link: str | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        """True for any 2xx (creates may answer 200 or 201; docs/api-contract.md)."""
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        """The media type without parameters, e.g. ``application/json``."""
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def json(self, object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
        """The decoded JSON body (``object_hook``: as :func:`json.loads` takes it).

        Raises:
            ResponseShapeError: the body is not JSON (message names status and
                content type, never the raw body).
        """
        try:
            return json.loads(self.body.decode("utf-8"), object_hook=object_hook)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResponseShapeError(
                f"{self.method} {self.path} answered {self.status} with "
                f"{self.content_type or 'no content type'} ({len(self.body)} bytes), not JSON",
                status=self.status, method=self.method, path=self.path,
            ) from exc


class Transport:
    """Sends requests to one base URL, serially, with the retry policy of ``retrying``.

    Args:
        base_url: checked with :func:`check_base_url`.
        redactor: masks secrets in the messages this class builds.
        lock_key: account identity for the shared per-account lock.
        timeout: ``(connect, read)`` seconds.
        max_attempts: tries per request including the first.
        max_retry_wait: cap in seconds for one wait (``Retry-After`` included).
        budget_s: total seconds one request may take with its retries.
        backoff_factor: first backoff in seconds (doubles each retry, with jitter).
        sleep: injected for tests.
    """

    def __init__(
        self,
        base_url: str,
        redactor: Redactor,
        *,
        lock_key: str,
        timeout: tuple[float, float],
        max_attempts: int,
        max_retry_wait: float,
        budget_s: float,
        backoff_factor: float,
        sleep: Callable[[float], None],
    ) -> None:
        self.base_url = check_base_url(base_url)
        self._redactor = redactor
        self._lock = account_lock(f"{self.base_url}|{lock_key}")
        self._timeout = timeout
        self._max_attempts = max(1, max_attempts)
        self._max_retry_wait = max_retry_wait
        self._budget_s = budget_s
        self._backoff_factor = backoff_factor
        self._sleep = sleep
        self._session = requests.Session()
        # proxies from the environment are honoured, except for the loopback emulator
        self._session.trust_env = not _is_loopback(urlsplit(self.base_url).hostname or "")
        self._adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1)
        self._session.mount("http://", self._adapter)
        self._session.mount("https://", self._adapter)
        self._session.headers.update(
            {"User-Agent": f"trackersync/{__version__}", "Accept": "application/json"}
        )
        self.request_count = 0

    def send(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Mapping[str, str] | None = None,
        body: bytes | None = None,
        post_is_safe: bool = False,
        content_type: str = "application/json",
    ) -> Reply:
        """Send one request (with urllib3 retries) and return the final HTTP answer.

        Args:
            method: ``GET``, ``POST``, ``PUT`` or ``DELETE``.
            path: absolute path, e.g. ``/v1/manage/trackers``.
            token: access token for ``Authorization: Bearer`` (docs/api-contract.md).
            params: query parameters.
            body: the exact JSON bytes to send (``Content-Type: application/json``,
                docs/api-contract.md, "Content-Type"); measured by the caller for the 1 MB limit.
            post_is_safe: let urllib3 retry this POST like a GET (idempotent calls only).
            content_type: the body's media type (an audio or video upload sends its own).

        Raises:
            TransportError: no HTTP answer after the retries (timeout, refused, dropped).
        """
        headers = {"Content-Type": content_type} if body is not None else {}
        with self._lock:
            observer = self._observer(method, path)
            self._adapter.max_retries = make_retry(
                observer, self._max_attempts, post_is_safe=post_is_safe
            )
            try:
                resp = self._session.request(
                    method, self.base_url + path, params=params, data=body, headers=headers,
                    auth=_Bearer(token), timeout=self._timeout, allow_redirects=False,
                )
                content = resp.content
            except requests.RequestException as exc:
                self.request_count += 1
                raise self._transport_error(method, path, exc, observer) from exc
            self.request_count += 1
        attempts = observer.attempts + 1
        suffix = f" after {attempts} attempts" if attempts > 1 else ""
        logger.info("%s %s -> %s (%.0f ms)%s", method, path, resp.status_code,
                    observer.elapsed_ms(), suffix)
        next_link = resp.links.get("next", {}).get("url")
        return Reply(method, path, resp.status_code, resp.headers, content, attempts, next_link,
                     observer.refusal)

    def _observer(self, method: str, path: str) -> RetryObserver:
        def on_attempt(status: int | None, error: str | None, ms: float, wait: float) -> None:
            self.request_count += 1
            outcome = status if status is not None else f"no answer ({error})"
            logger.info("%s %s -> %s (%.0f ms); retry %d of %d in %.2f s", method, path,
                        outcome, ms, observer.attempts, self._max_attempts - 1, wait)

        observer = RetryObserver(
            method=method, path=path, sleep=self._sleep, max_retry_wait=self._max_retry_wait,
            budget_s=self._budget_s, backoff_factor=self._backoff_factor, on_attempt=on_attempt,
        )
        return observer

    def _transport_error(
        self, method: str, path: str, exc: requests.RequestException, observer: RetryObserver
    ) -> TransportError:
        cause = _root_cause(exc)
        if isinstance(exc, requests.ConnectTimeout) or cause == "ConnectTimeoutError":
            what = f"could not connect within {self._timeout[0]:g} s"
        elif isinstance(exc, requests.ReadTimeout) or cause == "ReadTimeoutError":
            what = f"no answer within {self._timeout[1]:g} s (read timeout)"
        elif isinstance(exc, requests.ConnectionError):
            what = f"connection refused or dropped ({cause})"
        else:
            what = f"request failed ({type(exc).__name__})"
        attempts = observer.attempts + 1
        logger.info("%s %s -> no answer: %s (%.0f ms)", method, path, what, observer.elapsed_ms())
        message = self._redactor.redact(
            f"{method} {path}: {what}, after {attempts} attempt(s) to {self.base_url}"
        )
        return TransportError(message, method=method, path=path)

    def close(self) -> None:
        """Close the session's pooled connections."""
        self._session.close()


class _Bearer(requests.auth.AuthBase):
    """Sets ``Authorization: Bearer <token>`` (docs/api-contract.md), or nothing for ``None``.

    Passing an auth object also stops requests from applying ``.netrc`` credentials;
    proxy settings from the environment are still honoured. The repr hides the token.
    """

    def __init__(self, token: str | None) -> None:
        self._token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if self._token is not None:
            request.headers["Authorization"] = f"Bearer {self._token}"
        return request

    def __repr__(self) -> str:
        return "_Bearer(***)"


def _root_cause(exc: BaseException) -> str:
    """The innermost exception's class name (e.g. ``RemoteDisconnected``), for messages."""
    current = exc
    for _ in range(8):
        nxt = getattr(current, "reason", None)
        if not isinstance(nxt, BaseException):
            nxt = next((a for a in reversed(current.args) if isinstance(a, BaseException)), None)
        if nxt is None or nxt is current:
            break
        current = nxt
    return type(current).__name__
