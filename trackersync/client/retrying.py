"""Retry policy for Symbl calls, built on urllib3's :class:`~urllib3.util.Retry`.

The only module that imports urllib3. The policy (docs/api-contract.md, "Body size"
and "Concurrency of writes"):

* retried: 429, 500, 502, 503, 504, connect failures and timeouts; for idempotent
  methods (GET, PUT, DELETE) also read timeouts and dropped connections;
* ``POST`` is retried by urllib3 only when the server certainly did nothing: a 429
  (the concurrency-1 refusal), or a connection that never opened. Any other POST failure
  is *ambiguous* and goes back to the caller, which re-lists before re-sending
  (``trackersync.client.reconcile``);
* the wait is ``Retry-After`` (seconds or HTTP-date) when the server sends it, capped at
  ``max_retry_wait`` (logged), else exponential backoff with jitter;
* bounded by ``max_attempts`` and by a total time budget (``budget_s``).

Each attempt is reported to a :class:`RetryObserver`, which logs it and counts it.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SAFE_POST_STATUSES = frozenset({429})  # the request was refused before any work was done
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


def backoff_seconds(attempt: int, factor: float, cap: float) -> float:
    """Exponential backoff with jitter: ``factor * 2**(attempt-1)``, capped, times U(0.5, 1).

    Args:
        attempt: 1 for the wait after the first failure, 2 after the second, ...
        factor: base wait in seconds.
        cap: the largest wait in seconds.
    """
    base = min(cap, factor * 2.0 ** max(0, attempt - 1))
    jitter: float = random.uniform(0.5, 1.0)
    return base * jitter


@dataclass
class RetryObserver:
    """Per-request state shared by the chain of :class:`SymblRetry` objects.

    Attributes:
        method: HTTP method (for log lines).
        path: URL path (for log lines; never a query with secrets).
        sleep: the sleep function (injected so tests do not wait).
        max_retry_wait: largest single wait in seconds (caps ``Retry-After``).
        budget_s: total seconds a request may spend, waits included.
        backoff_factor: first backoff wait in seconds (doubles per retry, jittered).
        on_attempt: called with ``(status or None, error text or None, elapsed_ms)``
            for every attempt that will be retried.
        attempts: attempts made so far that were retried.
    """

    method: str
    path: str
    sleep: Callable[[float], None]
    max_retry_wait: float
    budget_s: float
    backoff_factor: float
    on_attempt: Callable[[int | None, str | None, float, float], None]
    clock: Callable[[], float] = time.monotonic
    started: float = field(default=0.0)
    mark: float = field(default=0.0)
    attempts: int = 0

    def __post_init__(self) -> None:
        self.started = self.mark = self.clock()

    def elapsed_ms(self) -> float:
        """Milliseconds since the current attempt began."""
        return (self.clock() - self.mark) * 1000.0


class SymblRetry(Retry):
    """urllib3 Retry with the trackersync policy (see module docstring)."""

    RETRY_AFTER_STATUS_CODES = frozenset({429, 503})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.observer: RetryObserver | None = None
        self.planned_wait = 0.0

    def new(self, **kw: Any) -> SymblRetry:
        """Copy with updated counters; keeps the observer (urllib3 rebuilds on every try)."""
        new = super().new(**kw)
        new.observer = self.observer
        return new

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """Retry the statuses in the forcelist; for POST only those that did no work."""
        if status_code not in self.status_forcelist:
            return False
        return self._is_method_retryable(method) or status_code in SAFE_POST_STATUSES

    def get_backoff_time(self) -> float:
        """Exponential backoff with jitter, starting with the first retry."""
        return backoff_seconds(len(self.history), self.backoff_factor, self.backoff_max)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> SymblRetry:
        """Count the failed attempt, plan the wait, and stop when the time budget is spent."""
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        obs = self.observer
        if obs is None:
            return new
        wait = new.plan_wait(response)
        status = response.status if response is not None else None
        reason = type(error).__name__ if error is not None else None
        spent = obs.clock() - obs.started
        if spent + wait > obs.budget_s:
            logger.warning(
                "%s %s: giving up, retry time budget of %.0f s spent", obs.method, obs.path,
                obs.budget_s,
            )
            raise MaxRetryError(_pool, url or "", error or ResponseError("time budget spent"))
        obs.attempts += 1
        obs.on_attempt(status, reason, obs.elapsed_ms(), wait)
        new.planned_wait = wait
        return new

    def plan_wait(self, response: BaseHTTPResponse | None) -> float:
        """Seconds to wait before the next try: capped Retry-After, else backoff."""
        obs = self.observer
        cap = obs.max_retry_wait if obs is not None else self.backoff_max
        if response is not None:
            try:
                retry_after = self.get_retry_after(response)
            except InvalidHeader:
                retry_after = None
            if retry_after is not None:
                if retry_after > cap:
                    logger.info("Retry-After of %.0f s capped at %.0f s", retry_after, cap)
                return min(retry_after, cap)
        return min(self.get_backoff_time(), cap)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Wait the planned time through the injected sleep function."""
        obs = self.observer
        if obs is None:
            super().sleep(response)
            return
        if self.planned_wait > 0:
            obs.sleep(self.planned_wait)
        obs.mark = obs.clock()


def make_retry(observer: RetryObserver, max_attempts: int, *, post_is_safe: bool) -> SymblRetry:
    """Build the Retry for one request.

    Args:
        observer: the request's observer (logging, counting, sleep, budget).
        max_attempts: total tries including the first (>= 1).
        post_is_safe: True for idempotent POSTs (the token call), so urllib3 may retry
            them like a GET.
    """
    retries = max(0, max_attempts - 1)
    retry = SymblRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        redirect=False,
        allowed_methods=None if post_is_safe else IDEMPOTENT_METHODS,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=observer.backoff_factor,
        backoff_max=observer.max_retry_wait,
        raise_on_status=False,
        respect_retry_after_header=True,
        retry_after_max=10**9,
    )
    retry.observer = observer
    return retry
