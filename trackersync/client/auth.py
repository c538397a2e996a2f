"""Symbl credentials and the access token's life cycle.

Source: docs/api-contract.md (``POST /oauth2/token:generate`` with
``{"type": "application", "appId", "appSecret"}`` → ``{"accessToken", "expiresIn"}``,
``expiresIn`` in seconds; a repeat call may return the same token with the remaining
lifetime; docs/api-contract.md, "Authentication").

Secrets never leave this module in clear text except as the ``Authorization`` header
value (built by the transport) and, inside GitHub Actions, one ``::add-mask::`` line
per new token on stdout (so the runner masks it everywhere).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from trackersync.client.redaction import MASK, Redactor
from trackersync.errors import AuthError

logger = logging.getLogger(__name__)

TOKEN_PATH = "/oauth2/token:generate"
RENEW_MARGIN_MAX_S = 300.0  # renew at most 5 minutes before expiry ...
RENEW_MARGIN_FRACTION = 0.1  # ... or at 90 % of the lifetime, whichever is later


class Credentials:
    """How to authenticate to one Symbl account.

    Either a ready ``access_token`` (used as is; a 401 is then final), or an
    ``app_id`` + ``app_secret`` pair from which tokens are generated and renewed.
    When both are given the token is used first and the pair renews it.

    ``repr()`` and ``str()`` never show the values (``***``).
    """

    __slots__ = ("_access_token", "_app_id", "_app_secret", "github_actions", "prefix")

    def __init__(
        self,
        *,
        app_id: str | None = None,
        app_secret: str | None = None,
        access_token: str | None = None,
        github_actions: bool = False,
        prefix: str = "SYMBL_",
    ) -> None:
        self._app_id = app_id or None
        self._app_secret = app_secret or None
        self._access_token = access_token or None
        self.github_actions = github_actions
        self.prefix = prefix
        if self._access_token is None and not self.renewable:
            raise AuthError(_missing_message(prefix, app_id, app_secret))

    @classmethod
    def from_env(
        cls, prefix: str = "SYMBL_", environ: Mapping[str, str] | None = None
    ) -> Credentials:
        """Read ``<prefix>ACCESS_TOKEN``, or ``<prefix>APP_ID`` + ``<prefix>APP_SECRET``.

        Args:
            prefix: the environment's ``credentials_prefix`` (README "Configuration"),
                e.g. ``SYMBL_``.
            environ: the environment to read (default ``os.environ``); empty values count
                as unset. ``GITHUB_ACTIONS=true`` turns on ``::add-mask::`` for tokens.

        Raises:
            AuthError: neither form is complete; the message names the variables to set.
        """
        env = os.environ if environ is None else environ
        return cls(
            app_id=env.get(f"{prefix}APP_ID"),
            app_secret=env.get(f"{prefix}APP_SECRET"),
            access_token=env.get(f"{prefix}ACCESS_TOKEN"),
            github_actions=env.get("GITHUB_ACTIONS") == "true",
            prefix=prefix,
        )

    @property
    def renewable(self) -> bool:
        """True when an app id and secret are present, so tokens can be generated."""
        return self._app_id is not None and self._app_secret is not None

    @property
    def access_token(self) -> str | None:
        """The ready-made token, if one was given."""
        return self._access_token

    def token_request_body(self) -> dict[str, str]:
        """The ``POST /oauth2/token:generate`` body (docs/api-contract.md). Holds the secret."""
        if self._app_id is None or self._app_secret is None:
            raise AuthError("no app id/secret to generate a token with")
        return {"type": "application", "appId": self._app_id, "appSecret": self._app_secret}

    def secret_values(self) -> tuple[str, ...]:
        """Every value that must be masked in output (secret, token; also the app id)."""
        values = (self._app_secret, self._access_token, self._app_id)
        return tuple(v for v in values if v)

    def account_key(self) -> str:
        """A non-secret key that tells accounts apart (for the per-account request lock)."""
        ident = self._app_id or self._access_token or ""
        return hashlib.sha256(ident.encode()).hexdigest()[:16]

    def __repr__(self) -> str:
        shown = {
            "app_id": self._app_id,
            "app_secret": self._app_secret,
            "access_token": self._access_token,
        }
        inner = ", ".join(f"{k}={MASK if v else None}" for k, v in shown.items())
        return f"Credentials({inner}, prefix={self.prefix!r})"

    __str__ = __repr__


def _missing_message(prefix: str, app_id: str | None, app_secret: str | None) -> str:
    if app_id and not app_secret:
        return f"{prefix}APP_ID is set but {prefix}APP_SECRET is not; set both"
    if app_secret and not app_id:
        return f"{prefix}APP_SECRET is set but {prefix}APP_ID is not; set both"
    return (
        f"no Symbl credentials: set {prefix}ACCESS_TOKEN, or {prefix}APP_ID and "
        f"{prefix}APP_SECRET (or use --emulator)"
    )


@dataclass(frozen=True)
class IssuedToken:
    """A token from ``/oauth2/token:generate``; ``expires_in`` in seconds (docs/api-contract.md)."""

    access_token: str
    expires_in: float

    def __repr__(self) -> str:
        return f"IssuedToken(access_token={MASK}, expires_in={self.expires_in})"


class TokenManager:
    """Holds the current access token and renews it before it runs out.

    Renewal happens (a) before a request when the token is within its margin of expiry
    (min(300 s, 10 % of ``expiresIn``)), and (b) once after a 401, via
    :meth:`renew_after_401`. A renewal that returns the *same* token (docs/api-contract.md
    caching) is kept until it really expires, so it is not regenerated on every call.
    """

    def __init__(
        self,
        credentials: Credentials,
        generate: Callable[[], IssuedToken],
        redactor: Redactor,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._creds = credentials
        self._generate = generate
        self._redactor = redactor
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = credentials.access_token
        self._renew_at: float | None = None  # None: never renew on time (static token)
        self._masked: set[str] = set()
        if self._token is not None:
            self._announce(self._token)

    @property
    def renewable(self) -> bool:
        """True when tokens can be generated (an app id and secret are known)."""
        return self._creds.renewable

    def token(self) -> str:
        """Return a token that is not about to expire, generating one if needed."""
        with self._lock:
            due = self._renew_at is not None and self._clock() >= self._renew_at
            if self._token is None or (due and self.renewable):
                self._renew_locked()
            assert self._token is not None
            return self._token

    def renew_after_401(self, refused: str) -> bool:
        """Generate a fresh token after ``refused`` got a 401; False if impossible."""
        with self._lock:
            if not self.renewable:
                return False
            if self._token == refused:
                self._renew_locked()
            return True

    def _renew_locked(self) -> None:
        previous = self._token
        issued = self._generate()
        now = self._clock()
        margin = min(RENEW_MARGIN_MAX_S, RENEW_MARGIN_FRACTION * issued.expires_in)
        self._token = issued.access_token
        self._redactor.add(issued.access_token)
        self._renew_at = now + issued.expires_in - margin
        if issued.access_token == previous and issued.expires_in <= margin:
            self._renew_at = now + issued.expires_in  # same token back: wait for real expiry
        logger.info("access token obtained (expires in %.0f s)", issued.expires_in)
        self._announce(issued.access_token)

    def _announce(self, token: str) -> None:
        self._redactor.add(token)
        if self._creds.github_actions and token not in self._masked:
            self._masked.add(token)
            # stderr, never stdout: stdout carries plans, JSON and IDs that get redirected
            # into files and PR comments; the Actions runner reads commands on both streams.
            sys.stderr.write(f"::add-mask::{token}\n")
            sys.stderr.flush()
