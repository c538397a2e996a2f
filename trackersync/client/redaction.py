"""Keeps secret values (app secret, access tokens) out of messages, logs and reprs.

Every string the client builds from outside data (API error messages, transport
error descriptions) passes through :meth:`Redactor.redact` before it reaches an
exception or a log line. Nothing here imports a third-party library.
"""

from __future__ import annotations

import threading

MASK = "***"
_MIN_SECRET_LEN = 4  # shorter values would mask ordinary words


class Redactor:
    """A set of secret strings, and the means to mask them in any text.

    Thread-safe: tokens are added while other threads may be formatting errors.
    """

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Remember ``secret`` (ignored when empty or shorter than 4 characters)."""
        if secret and len(secret) >= _MIN_SECRET_LEN:
            with self._lock:
                self._secrets.add(secret)

    def redact(self, text: str) -> str:
        """Return ``text`` with every known secret replaced by ``***`` (longest first)."""
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, MASK)
        return text

    def __repr__(self) -> str:
        return f"Redactor({len(self._secrets)} secret(s))"
