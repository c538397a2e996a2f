"""Access tokens: ``POST /oauth2/token:generate``, ``:refresh``, ``:revoke`` and header checks.

Symbl's docs call the access token "the JWT token": each one is a JWT signed with
HS256 (PyJWT) carrying ``sub`` (the app id), ``iat``, ``exp`` (``iat + expiresIn``) and
a random ``jti``. The signing key is derived from the app secret, so tokens survive a
restart on the same database and credentials, and no other app's token verifies. A
token lives ``token_ttl`` seconds (``expiresIn``, 86400 by default); a repeat generate
call while a token is alive returns the same token with the remaining lifetime. Every
other API endpoint takes ``Authorization: Bearer <t>`` or the deprecated
``x-api-key: <t>``; Bearer wins when both are present. See ``docs/api-contract.md``
("Authentication", "Token refresh and revoke").
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from typing import Any

import jwt
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
            ApiError: 400 for a bad body (``type`` not ``"application"``, a field missing),
                401 for unknown credentials.
        """
        if not isinstance(body, dict) or body.get("type") != "application":
            raise ApiError(400, "'type' must be \"application\"")
        return self._issue(self._credentials(body))

    def refresh(self, body: Any) -> dict[str, Any]:
        """Answer a token:refresh body ``{"appId", "appSecret", "refreshToken"}``.

        ``refreshToken`` is a token this emulator issued to the app (expired or not);
        the answer is a new token with the full lifetime; older tokens stay valid.

        Returns:
            ``{"accessToken": str, "expiresIn": int}``.

        Raises:
            ApiError: 400 for a bad body, 401 for unknown credentials or a refresh
                token that is not one of the app's.
        """
        app_id = self._credentials(body)
        old = body.get("refreshToken")
        if not isinstance(old, str) or not old:
            raise ApiError(400, "'refreshToken' is a required string")
        try:
            claims = jwt.decode(old, self._key(), algorithms=["HS256"],
                                options={"verify_exp": False})
        except jwt.InvalidTokenError as exc:
            raise ApiError(401, "Unauthorized: the refreshToken was not issued here.") from exc
        if claims.get("sub") != app_id:
            raise ApiError(401, "Unauthorized: the refreshToken belongs to another app.")
        return self._new_token(app_id, time.time())

    def revoke(self, body: Any) -> dict[str, Any]:
        """Answer a token:revoke body ``{"appId", "appSecret"}``: every token of the app
        stops working at once.

        Returns:
            ``{"revoked": int}``, how many tokens were live or stored.

        Raises:
            ApiError: 400 for a bad body, 401 for unknown credentials.
        """
        app_id = self._credentials(body)
        return {"revoked": self._store.revoke_tokens(app_id)}

    def _credentials(self, body: Any) -> str:
        """The app id of a body holding ``appId`` and ``appSecret``; 400 or 401 otherwise."""
        if not isinstance(body, dict):
            raise ApiError(400, "Request body must be a JSON object.")
        app_id, app_secret = body.get("appId"), body.get("appSecret")
        if not isinstance(app_id, str) or not isinstance(app_secret, str):
            raise ApiError(400, "'appId' and 'appSecret' are required strings")
        ok_id = hmac.compare_digest(app_id.encode(), self._settings.app_id.encode())
        ok_secret = hmac.compare_digest(app_secret.encode(), self._settings.app_secret.encode())
        if not (ok_id and ok_secret):
            raise ApiError(401, "Unauthorized: invalid appId or appSecret.")
        return app_id

    def _key(self) -> bytes:
        """The HS256 signing key, derived from the app secret (never the secret itself)."""
        secret = self._settings.app_secret.encode()
        return hmac.new(secret, b"symbl-emulator access token", hashlib.sha256).digest()

    def _new_token(self, app_id: str, now: float) -> dict[str, Any]:
        ttl = self._settings.token_ttl
        # JWT times are whole seconds, so ``exp`` may fall up to 1 s before the exact expiry
        # the store keeps (and enforces); :meth:`authenticate` allows that 1 s of leeway.
        issued = int(now)
        claims = {"iss": "symbl-emulator", "sub": app_id, "iat": issued,
                  "exp": issued + ttl, "jti": secrets.token_urlsafe(12)}
        token = jwt.encode(claims, self._key(), algorithm="HS256")
        with self._store.atomic():
            self._store.add_token(token, app_id, now + ttl)
        return {"accessToken": token, "expiresIn": ttl}

    def _issue(self, app_id: str) -> dict[str, Any]:
        now = time.time()
        with self._store.atomic():
            live = self._store.live_token(app_id, now)
            if live is None:
                return self._new_token(app_id, now)
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
        if token is None or owner is None or owner != self._settings.app_id:  # another app's
            raise ApiError(401, TOKEN_FAILED)
        try:
            jwt.decode(token, self._key(), algorithms=["HS256"], leeway=1)
        except jwt.InvalidTokenError as exc:
            raise ApiError(401, TOKEN_FAILED) from exc
        return owner


def bearer_or_api_key(request: Request) -> str | None:
    """The token from ``Authorization: Bearer`` or else the deprecated ``x-api-key``."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    api_key = request.headers.get("x-api-key", "").strip()
    return api_key or None
