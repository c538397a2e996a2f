"""The emulator's OpenAPI 3.1 description: ``symbl_emulator/openapi.yaml``, served as JSON.

The YAML file in the package is the one source; ``GET /openapi.json`` serves it
converted to JSON (read once, then cached). It describes every endpoint the emulator
serves, the control endpoints included, with the documented examples.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from werkzeug.wrappers import Response

SPEC_FILE = "openapi.yaml"


@functools.cache
def load_spec() -> dict[str, Any]:
    """The OpenAPI description as a JSON-compatible dict (YAML 1.2, read once)."""
    from ruamel.yaml import YAML  # only when the description is first asked for

    text = resources.files("symbl_emulator").joinpath(SPEC_FILE).read_text(encoding="utf-8")
    data = YAML(typ="safe", pure=True).load(text)
    return json.loads(json.dumps(data))  # plain dicts and lists, no YAML types


@functools.cache
def _spec_bytes() -> bytes:
    return json.dumps(load_spec(), ensure_ascii=False, separators=(",", ":")).encode()


def openapi_response() -> Response:
    """``GET /openapi.json``: the description, ``Content-Type: application/json``."""
    return Response(_spec_bytes(), status=200, mimetype="application/json")
