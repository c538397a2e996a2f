"""The Symbl Trackers Management API, as typed operations (docs/api-contract.md).

Contract (what callers may rely on):

* ``list_trackers``: read-only, retried freely. A
  list answer that is not the documented shape raises, it is never read as empty.
* ``update_tracker`` (PUT, full replace) and ``delete_tracker``: idempotent,
  retried on 429/5xx/timeouts; a DELETE that 404s *after a retry* counts as done.
* ``create_trackers``: not idempotent. Bodies are chunked under 1 MB; a 413 halves the
  chunk; after an ambiguous failure (timeout, dropped connection, 5xx, 2xx with an odd
  body) or a 409, the account is re-listed and only the trackers still missing are
  re-sent (``reconcile``). Never a duplicate, never a lost tracker. If it fails part-way
  the raised :class:`~trackersync.errors.ApiError` carries ``created`` (the trackers
  that exist, with ids).
* Requests are strictly serial per account; every error is a trackersync ApiError with
  status, method, path and the API's message; no secret appears in any of them.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

from trackersync.client import chunking, listing, reconcile
from trackersync.client.auth import TOKEN_PATH, Credentials, IssuedToken, TokenManager
from trackersync.client.redaction import Redactor
from trackersync.client.retrying import backoff_seconds
from trackersync.client.transport import Reply, Transport
from trackersync.errors import (
    ApiError,
    AuthError,
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    ResponseShapeError,
    TransportError,
)
from trackersync.model import BODY_LIMIT_BYTES, RemoteTracker, Tracker

logger = logging.getLogger(__name__)

LIST_PATH = "/v1/manage/trackers"  # GET all / ?name=, POST bulk (docs/api-contract.md)
ONE_PATH = "/v1/manage/tracker/{id}"  # GET, PUT, DELETE (docs/api-contract.md)
_STATUS_ERRORS: dict[int, type[ApiError]] = {
    401: AuthError, 403: AuthError, 404: NotFoundError, 409: ConflictError,
    413: PayloadTooLargeError, 429: RateLimitedError,
}


class SymblClient:
    """A careful client for one Symbl account's trackers.

    Args:
        base_url: e.g. ``https://api.symbl.ai``; plain ``http://`` only to loopback.
        credentials: from :meth:`Credentials.from_env` (or the emulator's app id/secret).
        timeout: ``(connect, read)`` seconds per attempt.
        max_attempts: tries per request (and re-send rounds per create chunk).
        max_retry_wait: cap in seconds on one wait, ``Retry-After`` included.
        sleep: the sleep function (tests pass a fake to stay fast).
        backoff_factor: first backoff wait in seconds; doubles per retry, with jitter.
        retry_budget: total seconds one request may spend retrying.
        chunk_bytes: largest bulk-create body to send (default 1,000,000 < 1 MiB).
        clock: monotonic clock for token expiry (tests may fake it).

    Raises:
        ConfigError: the base URL is not acceptable.
    """

    def __init__(
        self,
        base_url: str,
        credentials: Credentials,
        *,
        timeout: tuple[float, float] = (5.0, 30.0),
        max_attempts: int = 5,
        max_retry_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        backoff_factor: float = 0.5,
        retry_budget: float = 300.0,
        chunk_bytes: int = chunking.DEFAULT_CHUNK_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._creds = credentials
        self._redactor = Redactor(credentials.secret_values())
        self._transport = Transport(
            base_url, self._redactor, lock_key=credentials.account_key(), timeout=timeout,
            max_attempts=max_attempts, max_retry_wait=max_retry_wait, budget_s=retry_budget,
            backoff_factor=backoff_factor, sleep=sleep,
        )
        self._tokens = TokenManager(credentials, self._generate_token, self._redactor,
                                    clock=clock)
        self._max_attempts = max(1, max_attempts)
        self._max_retry_wait = max_retry_wait
        self._backoff_factor = backoff_factor
        self._sleep = sleep
        self._chunk_bytes = min(chunk_bytes, BODY_LIMIT_BYTES)
        self._held: dict[str, dict[str, Any]] = {}
        self._known: dict[str, tuple[str, ...]] = {}  # see share_phrases
        #: names of trackers a create found already made by another run (a 409, then the
        #: same name and phrases in a re-list): adopted, not created by this run.
        self.adopted: set[str] = set()
        #: ids a DELETE found already gone (404).
        self.gone: set[str] = set()

    @property
    def base_url(self) -> str:
        """The normalised API base URL (no trailing slash)."""
        return self._transport.base_url

    @property
    def request_count(self) -> int:
        """HTTP requests attempted so far, retries and token calls included."""
        return self._transport.request_count

    def close(self) -> None:
        """Release the HTTP connections."""
        self._transport.close()

    def __enter__(self) -> SymblClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SymblClient({self.base_url!r}, credentials={self._creds!r})"

    # --- reads ---------------------------------------------------------------

    def list_trackers(self) -> list[RemoteTracker]:
        """Every tracker in the account: ``GET /v1/manage/trackers`` (docs/api-contract.md).

        One GET normally; continuation hints, if a server ever sends them, are followed.
        Raises ResponseShapeError for any answer that is not a tracker list.
        """
        return self._hold(listing.collect(self._fetch_page, LIST_PATH))

    def held_fields(self, tracker_id: str) -> dict[str, Any]:
        """Fields besides id/name/vocabulary the account last showed for ``tracker_id``.

        Read from the latest listing (or GET) of this client; ``{}`` when unknown. PUT
        sends them back unchanged, and apply's verify checks they survived.
        """
        return dict(self._held.get(str(tracker_id), {}))

    def share_phrases(self, trackers: Iterable[Tracker]) -> None:
        """Let listings reuse these trackers' phrase strings where they are equal.

        A listing's tracker with the same name and the same phrases (in the same order)
        as one of ``trackers`` then holds that tracker's vocabulary instead of a decoded
        copy: the values are the same, the account's phrases are not held twice.

        Args:
            trackers: trackers whose phrases are in Unicode NFC (the tracker files').
        """
        self._known = {tracker.name: tracker.vocabulary for tracker in trackers}

    def _hold(self, trackers: list[RemoteTracker]) -> list[RemoteTracker]:
        for tracker in trackers:
            self._held[tracker.id] = dict(tracker.extra)
        return trackers

    # --- writes --------------------------------------------------------------

    def update_tracker(self, tracker_id: str, tracker: Tracker) -> RemoteTracker:
        """Replace a tracker's name and vocabulary: ``PUT /v1/manage/tracker/{id}``.

        PUT replaces the whole object (docs/api-contract.md, "PUT replaces"), so the body
        is what the account holds (every field the last listing showed, see
        :meth:`held_fields`) with ``name`` and ``vocabulary`` set from ``tracker``: fields
        trackersync does not model survive.
        Returns the tracker as the server answered it (callers verify convergence, since
        a server may merge instead of replace, as Symbl's documented sample does).

        Raises:
            PayloadTooLargeError: the body would exceed the limit (nothing sent).
            ConflictError: another tracker already has the new name.
            NotFoundError: unknown id.
        """
        held = self._held.get(str(tracker_id), {})
        body = chunking.serialize({**held, **chunking.tracker_payload(tracker)})
        path = _one(tracker_id)
        if len(body) > self._chunk_bytes:
            raise PayloadTooLargeError(
                f"PUT {path}: tracker {tracker.name!r} is {len(body):,} bytes as JSON, over "
                f"the {self._chunk_bytes:,}-byte limit; split its vocabulary",
                method="PUT", path=path,
            )
        reply = self._ok(self._call("PUT", path, body=body))
        return self._hold([_single_tracker(reply)])[0]

    def delete_tracker(self, tracker_id: str) -> None:
        """Delete one tracker: ``DELETE /v1/manage/tracker/{id}`` (docs/api-contract.md).

        The goal is "this tracker no longer exists", so a 404 counts as done: after a
        retry or a token renewal the first attempt did it, or a concurrent run (or a
        person in Symbl's UI) deleted it meanwhile. The id is then in :attr:`gone`.

        Raises:
            ApiError: any other failure (never for 404).
        """
        path = _one(tracker_id)
        reply = self._call("DELETE", path)
        if reply.status == 404:
            logger.info("DELETE %s: 404, the tracker is already gone; counted as done", path)
            self.gone.add(str(tracker_id))
            return
        self._ok(reply)
        body = reply.json() if reply.body.strip() else {}
        if isinstance(body, dict) and body.get("deleted") is False:
            raise ApiError(f"DELETE {path} answered {reply.status} but deleted=false",
                           status=reply.status, method="DELETE", path=path)

    def create_trackers(self, trackers: Sequence[Tracker]) -> list[RemoteTracker]:
        """Create trackers with bulk ``POST /v1/manage/trackers`` (docs/api-contract.md).

        Chunks are sent in order, each under ``chunk_bytes``; see the module docstring
        for 413 splitting and ambiguity handling.

        Returns:
            The created (or adopted) trackers with ids, in the input order.

        Raises:
            PayloadTooLargeError: a single tracker cannot fit (nothing sent).
            ConflictError: duplicate names in ``trackers`` (nothing sent), a 409 not
                caused by this run, or drift (same name, different phrases).
            ApiError: any other failure; its ``created`` lists what exists now.
        """
        items = list(trackers)
        names = [t.name for t in items]
        dupes = sorted(n for n, count in Counter(names).items() if count > 1)
        if dupes:
            raise ConflictError(f"the same name is created twice in one call: {dupes}",
                                method="POST", path=LIST_PATH)
        bodies = chunking.plan_bodies(items, self._chunk_bytes)
        # Each tracker is serialized once; a re-sent or halved part reuses its bytes.
        payloads = {tracker.name: item for chunk in bodies for tracker, item in chunk}
        logger.info("creating %d tracker(s) in %d chunk(s)", len(items), len(bodies))
        done: dict[str, RemoteTracker] = {}
        for chunk in bodies:
            self._create_chunk([tracker for tracker, _ in chunk], done, payloads)
        return [done[n] for n in names]

    def _create_chunk(self, chunk: list[Tracker], done: dict[str, RemoteTracker],
                      payloads: Mapping[str, bytes]) -> None:
        queue, rounds = [chunk], 0
        while queue:
            part = queue.pop(0)
            try:
                for tracker in self._post_bulk(part, payloads):
                    done[tracker.name] = tracker
            except PayloadTooLargeError:
                if len(part) == 1:
                    raise
                logger.info("413 for %d trackers; splitting the chunk in half", len(part))
                queue[:0] = chunking.halves(part)
            except ApiError as exc:
                if not _ambiguous(exc):
                    raise
                rounds += 1
                rest = self._reconcile(part, exc, rounds, done)
                if rest and rounds >= self._max_attempts:
                    raise
                queue[:0] = rest

    def _reconcile(self, part: list[Tracker], exc: ApiError, rounds: int,
                   done: dict[str, RemoteTracker]) -> list[list[Tracker]]:
        logger.warning("POST %s for %d tracker(s) failed (%s); re-listing to see what exists",
                       LIST_PATH, len(part), exc.status or "no answer")
        found = reconcile.resolve(part, self.list_trackers())
        for tracker in found.adopted:
            done[tracker.name] = tracker
            if isinstance(exc, ConflictError):  # made by someone else, not by this run
                self.adopted.add(tracker.name)
        logger.info("reconciled: %d already exist (adopted), %d still missing",
                    len(found.adopted), len(found.missing))
        if not found.missing:
            return []
        if isinstance(exc, ConflictError) and not found.adopted:
            raise exc  # the 409 is not about anything this run created: never retry it
        if not isinstance(exc, ConflictError):
            self._sleep(backoff_seconds(rounds, self._backoff_factor, self._max_retry_wait))
        return [found.missing]

    def _post_bulk(self, part: list[Tracker],
                   payloads: Mapping[str, bytes]) -> list[RemoteTracker]:
        body = chunking.join_items([payloads[t.name] for t in part])
        reply = self._ok(self._call("POST", LIST_PATH, body=body))
        created = listing.parse_trackers(reply, reply.json())
        by_name = {t.name: t for t in created}
        missing = [t.name for t in part if t.name not in by_name]
        if missing:
            raise listing.shape_error(reply, f"its answer lacks {len(missing)} sent tracker(s)")
        return [by_name[t.name] for t in part]

    # --- other endpoints (the Async API, see trackersync.client.asyncapi) -----

    def request_json(self, method: str, path: str, *, params: Mapping[str, str] | None = None,
                     body: bytes | None = None,
                     content_type: str = "application/json") -> Any:
        """Send one authenticated request and return its decoded JSON answer.

        Not retried on a POST (Async submissions are not idempotent); the token is
        renewed once after a 401 as for every call.

        Raises:
            ApiError: a non-2xx answer (subclass by status), or a body that is not JSON.
        """
        reply = self._call(method, path, params=params, body=body, content_type=content_type)
        return self._ok(reply).json()

    # --- plumbing ------------------------------------------------------------

    def _fetch_page(self, path: str, params: Mapping[str, str] | None) -> listing.Page:
        reply = self._ok(self._call("GET", path, params=params))
        return listing.parse_page(reply, self.base_url, self._known)

    def _call(self, method: str, path: str, *, params: Mapping[str, str] | None = None,
              body: bytes | None = None, content_type: str = "application/json") -> Reply:
        """Send with a valid token; after a 401 renew the token once and resend."""
        token = self._tokens.token()
        reply = self._transport.send(method, path, token=token, params=params, body=body,
                                     content_type=content_type)
        if reply.status != 401:
            return reply
        prefix = self._creds.prefix
        if not self._tokens.renew_after_401(token):
            raise self._error(reply, f"the access token was refused; set a valid "
                              f"{prefix}ACCESS_TOKEN, or {prefix}APP_ID and {prefix}APP_SECRET")
        logger.info("%s %s -> 401; renewed the access token, sending once more", method, path)
        reply = self._transport.send(method, path, token=self._tokens.token(), params=params,
                                     body=body, content_type=content_type)
        if reply.status == 401:
            raise self._error(reply, "credentials were refused: a freshly generated token "
                              f"was rejected too; check {prefix}APP_ID and {prefix}APP_SECRET")
        return reply

    def _generate_token(self) -> IssuedToken:
        body = chunking.serialize(self._creds.token_request_body())
        reply = self._transport.send("POST", TOKEN_PATH, body=body, post_is_safe=True)
        prefix = self._creds.prefix
        if reply.status in (400, 401, 403):
            raise self._error(reply, f"credentials were refused; check {prefix}APP_ID and "
                              f"{prefix}APP_SECRET", cls=AuthError)
        data = self._ok(reply).json()
        token = data.get("accessToken") if isinstance(data, dict) else None
        expires = data.get("expiresIn") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token or not isinstance(expires, int | float):
            raise listing.shape_error(reply, "it lacks accessToken/expiresIn")
        self._redactor.add(token)
        return IssuedToken(token, float(expires))

    def _ok(self, reply: Reply) -> Reply:
        if reply.ok:
            return reply
        raise self._error(reply)

    def _error(self, reply: Reply, hint: str = "", cls: type[ApiError] | None = None) -> ApiError:
        api_message = _api_message(reply)
        text = f"{reply.method} {reply.path} failed: HTTP {reply.status}"
        if api_message:
            text += f": {api_message}"
        if reply.attempts > 1:
            text += f" (after {reply.attempts} attempts)"
        if reply.note:
            text += f"; {reply.note}"
        if hint:
            text += f" ({hint})"
        red = self._redactor.redact
        return (cls or _STATUS_ERRORS.get(reply.status, ApiError))(
            red(text), status=reply.status, method=reply.method, path=reply.path,
            api_message=red(api_message) if api_message else None,
        )


def _one(tracker_id: str) -> str:
    return ONE_PATH.format(id=quote(str(tracker_id), safe=""))


def _single_tracker(reply: Reply) -> RemoteTracker:
    body = reply.json()
    if isinstance(body, dict) and isinstance(body.get("tracker"), dict):
        return listing.parse_tracker(reply, body["tracker"])
    if isinstance(body, dict) and {"id", "name", "vocabulary"} <= body.keys():
        return listing.parse_tracker(reply, body)
    raise listing.shape_error(reply, "it holds no 'tracker' object")


def _api_message(reply: Reply) -> str | None:
    """The ``message`` of a JSON error body (``{"message": ...}``), shortened; never a raw body."""
    try:
        body: Any = reply.json()
    except ResponseShapeError:
        return f"non-JSON {reply.content_type or 'body'}" if reply.body else None
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        return None
    return message if len(message) <= 300 else message[:300] + "..."


def _ambiguous(exc: ApiError) -> bool:
    """True when a failed POST may have created something, or is a 409 to look into."""
    if isinstance(exc, ConflictError | TransportError | ResponseShapeError):
        return True
    return exc.status is not None and exc.status >= 500
