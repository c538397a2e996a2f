"""Access tokens: ``POST /oauth2/token:generate`` and header checks (symbl-api.md §1, §6 item 18).

A token lives ``token_ttl`` seconds (``expiresIn``, 86400 by default). A repeat
generate call while a token is alive returns the same token with the remaining
lifetime. Every other API endpoint takes ``Authorization: Bearer <t>`` or the
deprecated ``x-api-key: <t>``; Bearer wins when both are present.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from typing import Any

from werkzeug.wrappers import Request

from symbl_emulator.responses import TOKEN_FAILED, ApiError
from symbl_emulator.settings import EmulatorSettings
from symbl_emulator.store import Store


class TokenService:
    """Issues and checks access tokens kept in the :class:`Store`.

    Args:
        store: where tokens live (so a persisted db keeps them across restarts).
        settings: supplies ``app_id``, ``app_secret`` and ``token_ttl``.
    """

    def __init__(self, store: Store, settings: EmulatorSettings) -> None:
        self._store = store
        self._settings = settings

    def generate(self, body: Any) -> dict[str, Any]:
        """Answer a token:generate body ``{"type": "application", "appId", "appSecret"}``.

        Returns:
            ``{"accessToken": str, "expiresIn": int}`` (seconds remaining).

        Raises:
            ApiError: 400 for a bad body (§6 item 18), 401 for unknown credentials.
        """
        if not isinstance(body, dict) or body.get("type") != "application":
            raise ApiError(400, "'type' must be \"application\"")
        app_id, app_secret = body.get("appId"), body.get("appSecret")
        if not isinstance(app_id, str) or not isinstance(app_secret, str):
            raise ApiError(400, "'appId' and 'appSecret' are required strings")
        ok_id = hmac.compare_digest(app_id.encode(), self._settings.app_id.encode())
        ok_secret = hmac.compare_digest(app_secret.encode(), self._settings.app_secret.encode())
        if not (ok_id and ok_secret):
            raise ApiError(401, "Unauthorized: invalid appId or appSecret.")
        return self._issue(app_id)

    def _issue(self, app_id: str) -> dict[str, Any]:
        now = time.time()
        with self._store.atomic():
            live = self._store.live_token(app_id, now)
            if live is None:
                token, ttl = secrets.token_urlsafe(32), self._settings.token_ttl
                self._store.add_token(token, app_id, now + ttl)
                return {"accessToken": token, "expiresIn": ttl}
        token, expires_at = live
        return {"accessToken": token, "expiresIn": max(1, math.ceil(expires_at - now))}

    def issue_for_tests(self) -> str:
        """A valid token for the configured app, without an HTTP round trip."""
        return str(self._issue(self._settings.app_id)["accessToken"])

    def authenticate(self, request: Request) -> str:
        """The account (app id) owning the request's token.

        Raises:
            ApiError: 401 ``{"message": "Token validation failed for provided token."}``.
        """
        token = bearer_or_api_key(request)
        owner = self._store.token_owner(token, time.time()) if token else None
        if owner is None or owner != self._settings.app_id:  # another app's token (--db reuse)
            raise ApiError(401, TOKEN_FAILED)
        return owner


def bearer_or_api_key(request: Request) -> str | None:
    """The token from ``Authorization: Bearer`` or else ``x-api-key`` (§1 "Header forms")."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    api_key = request.headers.get("x-api-key", "").strip()
    return api_key or None
