"""JSON responses and the error the handlers raise (``docs/api-contract.md`` "Error bodies").

Management and auth errors carry ``{"message": string}``; the Async 429 carries
``{"statusCode": 429, "message": ...}``, as Symbl documents it.
"""

from __future__ import annotations

import json
from typing import Any

from werkzeug.wrappers import Response

TOKEN_FAILED = "Token validation failed for provided token."  # Symbl's errors page
CONVERSATION_NOT_FOUND = "The conversationId is either invalid or does not exist."


class ApiError(Exception):
    """An error answer: HTTP ``status`` with body ``{"message": message}`` (or ``body``).

    Args:
        status: HTTP status code (400, 401, 404, 409, 413, 429, ...).
        message: the human-readable ``message`` field.
        body: a full JSON body to send instead of ``{"message": message}``.
        headers: extra response headers (e.g. ``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = body if body is not None else {"message": message}
        self.headers = dict(headers or {})

    def response(self) -> Response:
        """The error as a JSON :class:`~werkzeug.wrappers.Response`."""
        return json_response(self.body, self.status, self.headers)


class DropConnection(Exception):
    """Raised to close the client's connection without writing any answer."""


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Serialise ``data`` as compact UTF-8 JSON with ``Content-Type: application/json``."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response
