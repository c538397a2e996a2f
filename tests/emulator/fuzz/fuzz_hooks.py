"""Schemathesis hooks for fuzzing the emulator (loaded through ``SCHEMATHESIS_HOOKS``).

- Authentication: a fresh access token from ``POST /oauth2/token:generate`` with the
  credentials in ``EMULATOR_APP_ID`` / ``EMULATOR_APP_SECRET``, fetched again on a 401
  (the fuzzer itself may expire or revoke tokens through the endpoints it tests).
- After every call to a control endpoint that changes behaviour (faults,
  settings, tokens), the emulator's defaults are restored, so one generated fault rule or
  setting cannot turn the answers to the next, unrelated requests into failures.
- Audio and video uploads: their documented media types are sent as raw bytes (the
  generated ``format: binary`` string).
"""

from __future__ import annotations

import os
from typing import Any

import requests
import schemathesis

URL = os.environ["EMULATOR_URL"]
CREDENTIALS = {"type": "application", "appId": os.environ["EMULATOR_APP_ID"],
               "appSecret": os.environ["EMULATOR_APP_SECRET"]}
DEFAULTS: dict[str, Any] = {
    "rules": "lenient", "latency_ms": 0, "put_mode": "replace", "token_ttl": 86400,
    "tracker_limit": 500, "max_body_bytes": 1_048_576, "job_delay_ms": 0,
    "max_concurrent_jobs": None, "matching": "contextual", "max_media_bytes": 64 * 1_048_576,
    "app_id": CREDENTIALS["appId"],
    "app_secret": CREDENTIALS["appSecret"],
}
STATEFUL_CONTROLS = ("/_emulator/faults", "/_emulator/config", "/_emulator/tokens/expire",
                     "/oauth2/token:revoke")


@schemathesis.serializer("audio/wav", "audio/mpeg", "audio/mp3", "audio/wave", "video/mp4")
def media_bytes(ctx: Any, value: Any) -> bytes:
    """An upload's body: the generated binary value as it is (text encoded as UTF-8)."""
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    return str(value).encode("utf-8", "surrogatepass")


@schemathesis.auth(refresh_interval=None)
class EmulatorToken:
    """A token from token:generate (the live one, or a new one)."""

    def get(self, case: Any, ctx: Any) -> str:
        answer = requests.post(f"{URL}/oauth2/token:generate", json=CREDENTIALS, timeout=10)
        answer.raise_for_status()
        return str(answer.json()["accessToken"])

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def after_call(context: Any, case: Any, response: Any) -> None:
    """Undo what a control call changed: faults, settings, expired or revoked tokens."""
    if case.operation.path in STATEFUL_CONTROLS:
        requests.delete(f"{URL}/_emulator/faults", timeout=10)
        requests.post(f"{URL}/_emulator/config", json=DEFAULTS, timeout=10)
