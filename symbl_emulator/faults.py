"""Scripted faults for tests: ``POST /_emulator/faults`` (see ``symbl_emulator/openapi.yaml``).

A rule ``{method, path, status, times, after_commit, delay_ms, drop, headers, body}``
matches requests by method (or ``"*"``) and exact path (no query). Each match uses
one of its ``times`` (default 1). Without ``after_commit`` the request is not
performed: after ``delay_ms`` the client gets ``status`` (or a dropped connection,
or, with neither, the real answer late). With ``after_commit`` the request is
performed and stored first, then the answer is replaced — the ambiguous failures a
client must survive (a 502 or 504 after the tracker was in fact created).
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

_INT_FIELDS = ("times", "delay_ms")


def integral(value: Any) -> Any:
    """``4.0`` → ``4``: JSON Schema's "integer" includes numbers with a zero fraction."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: An HTTP header name (RFC 9110 token) and the characters a header value must not hold.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_CTL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

@dataclass
class FaultRule:
    """One scripted fault.

    Attributes:
        method: HTTP method to match, upper case, or ``"*"``.
        path: exact request path, e.g. ``"/v1/manage/trackers"``.
        status: status code to answer instead, or ``None``.
        times: how many matching requests this rule still applies to.
        after_commit: perform the real request first, then answer the fault.
        delay_ms: wait this long before answering (after the commit if ``after_commit``).
        drop: close the connection without any answer.
        headers: extra headers on the fault's answer (e.g. ``{"Retry-After": "2"}``).
        body: JSON body of the fault's answer (default ``{"message": <reason>}``).
        content_type: when set, ``body`` must be a string and is sent verbatim with this
            ``Content-Type`` (e.g. an HTML error page answered with status 200).
    """

    method: str
    path: str
    status: int | None = None
    times: int = 1
    after_commit: bool = False
    delay_ms: int = 0
    drop: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    content_type: str | None = None

    @classmethod
    def parse(cls, data: Any) -> FaultRule:
        """Build a rule from its JSON object.

        Raises:
            ValueError: a missing or wrongly typed field, or a rule that does nothing.
        """
        if not isinstance(data, dict):
            raise ValueError("each fault must be a JSON object")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        if not isinstance(data.get("method"), str) or not isinstance(data.get("path"), str):
            raise ValueError("'method' and 'path' are required strings")
        data = {key: integral(value) if key in (*_INT_FIELDS, "status") else value
                for key, value in data.items()}
        rule = cls(**{**data, "method": data["method"].upper()})
        rule._check()
        return rule

    def _check(self) -> None:
        for name in _INT_FIELDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"'{name}' must be a non-negative integer")
        if self.times < 1:
            raise ValueError("'times' must be at least 1")
        if self.status is not None and (
            isinstance(self.status, bool) or not isinstance(self.status, int)
            or not 100 <= self.status <= 599
        ):
            raise ValueError("'status' must be an HTTP status code or null")
        if not isinstance(self.after_commit, bool) or not isinstance(self.drop, bool):
            raise ValueError("'after_commit' and 'drop' must be booleans")
        if self.drop and self.status is not None:
            raise ValueError("a fault has either 'status' or 'drop', not both")
        if self.status is None and not self.drop and self.delay_ms == 0:
            raise ValueError("a fault needs 'status', 'drop' or 'delay_ms'")
        if not isinstance(self.headers, dict) or not all(
            isinstance(k, str) and _TOKEN.fullmatch(k) and isinstance(v, str)
            and not _CTL.search(v) for k, v in self.headers.items()
        ):
            raise ValueError("'headers' must map header names to one-line string values")
        if "?" in self.path or not self.path.startswith("/"):
            raise ValueError("'path' is an exact path such as /v1/manage/trackers (no query: "
                             "faults match the path only)")
        if self.content_type is not None and not (
            isinstance(self.content_type, str) and isinstance(self.body, str)
        ):
            raise ValueError("'content_type' needs a string 'body'")

    def matches(self, method: str, path: str) -> bool:
        """Whether this rule applies to a request."""
        return self.method in ("*", method.upper()) and self.path == path


class FaultBook:
    """The active fault rules, in the order they were added; thread-safe."""

    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._lock = threading.Lock()

    def add(self, rules: list[FaultRule]) -> None:
        """Append rules (earlier rules match first)."""
        with self._lock:
            self._rules.extend(rules)

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def take(self, method: str, path: str) -> FaultRule | None:
        """The first rule matching the request, using up one of its ``times``."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path):
                    rule.times -= 1
                    if rule.times == 0:
                        self._rules.remove(rule)
                    return rule
        return None

    def snapshot(self) -> list[dict[str, Any]]:
        """The remaining rules as JSON objects."""
        with self._lock:
            return [asdict(rule) for rule in self._rules]
