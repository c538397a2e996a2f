"""The OpenAPI description (``/openapi.json``) and the JWT access tokens."""

from __future__ import annotations

import time

import jwt
import pytest
import requests

from symbl_emulator import EmulatorServer, start_emulator
from symbl_emulator.app import ROUTES, URL_MAP
from symbl_emulator.control import CONTROL_METHODS


def _spec(emulator: EmulatorServer) -> dict:
    answer = requests.get(f"{emulator.url}/openapi.json", timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    return answer.json()


def test_the_served_description_is_valid_openapi_3_1(emulator: EmulatorServer) -> None:
    # imported here, not at the top: every xdist worker imports each test module to
    # collect it, and this validator (with jsonschema and pydantic-settings) costs ~0.15 s
    # of CPU to import; only the worker that runs this test needs it
    from openapi_spec_validator import validate

    spec = _spec(emulator)
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any violation of the OpenAPI 3.1 schema


def test_every_served_route_and_control_endpoint_is_described(emulator: EmulatorServer) -> None:
    paths = _spec(emulator)["paths"]
    described = {(method.upper(), path) for path, item in paths.items() for method in item
                 if method in ("get", "put", "post", "delete", "patch")}
    served = set()
    for rule in URL_MAP.iter_rules():
        path = rule.rule.replace("<tracker_id>", "{trackerId}").replace(
            "<conversation_id>", "{conversationId}").replace("<job_id>", "{jobId}").replace(
            "<conv:conversation_id>", "{conversationId}")
        served |= {(method, path) for method in rule.methods or () if method != "HEAD"}
        assert rule.endpoint in ROUTES
    served |= {(method, f"/_emulator/{action}") for action, methods in CONTROL_METHODS.items()
               for method in methods}
    served.add(("GET", "/openapi.json"))
    assert served == described


def test_documented_examples_are_real_answers(emulator: EmulatorServer) -> None:
    spec = _spec(emulator)
    example = spec["components"]["examples"]["PromotionMentionInput"]["value"]
    token = emulator.token()
    answer = requests.post(f"{emulator.url}/v1/manage/tracker", json=example, timeout=5,
                           headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201
    assert answer.json()["tracker"]["vocabulary"] == example["vocabulary"]


def test_tokens_are_jwts_whose_expiry_matches_expires_in() -> None:
    with start_emulator(token_ttl=3600) as emulator:
        body = {"type": "application", "appId": emulator.app_id, "appSecret": emulator.app_secret}
        answer = requests.post(f"{emulator.url}/oauth2/token:generate", json=body, timeout=5)
        token, expires_in = answer.json()["accessToken"], answer.json()["expiresIn"]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert jwt.get_unverified_header(token)["alg"] == "HS256"
        assert claims["sub"] == emulator.app_id
        assert claims["exp"] - claims["iat"] == 3600 == expires_in
        assert abs(claims["exp"] - (time.time() + expires_in)) <= 2


def test_a_forged_or_tampered_token_is_refused(emulator: EmulatorServer) -> None:
    real = emulator.token()
    claims = jwt.decode(real, options={"verify_signature": False})
    forged = jwt.encode(claims, "a guessed key of at least 32 bytes!", algorithm="HS256")
    for token in (forged, real[:-2] + ("AA" if not real.endswith("AA") else "BB")):
        answer = requests.get(f"{emulator.url}/v1/manage/trackers", timeout=5,
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401
        assert answer.json() == {"message": "Token validation failed for provided token."}


@pytest.mark.parametrize(
    ("body", "status"),
    [({"appId": "x"}, 400),
     ({"appId": "trackersync-emulator-app", "appSecret": "wrong", "refreshToken": "t"}, 401),
     ({"appId": "trackersync-emulator-app", "appSecret": "trackersync-emulator-secret",
       "refreshToken": "not-a-jwt"}, 401)],
    ids=["missing-fields", "wrong-secret", "foreign-refresh-token"],
)
def test_refresh_refuses_bad_requests(emulator: EmulatorServer, body: dict, status: int) -> None:
    answer = requests.post(f"{emulator.url}/oauth2/token:refresh", json=body, timeout=5)
    assert answer.status_code == status
    assert "message" in answer.json()


def test_revoke_ends_every_token_of_the_app(emulator: EmulatorServer) -> None:
    token = emulator.token()
    body = {"appId": emulator.app_id, "appSecret": emulator.app_secret}
    answer = requests.delete(f"{emulator.url}/oauth2/token:revoke", json=body, timeout=5)
    assert answer.status_code == 200 and answer.json() == {"revoked": 1}
    after = requests.get(f"{emulator.url}/v1/manage/trackers", timeout=5,
                         headers={"x-api-key": token})
    assert after.status_code == 401


def test_not_emulated_symbl_paths_answer_501_before_authentication(
    emulator: EmulatorServer,
) -> None:
    for method, path in [("GET", "/v1/conversations/1/messages"),
                         ("GET", "/v1/conversations/1/topics"), ("POST", "/v1/endpoint:connect")]:
        answer = requests.request(method, f"{emulator.url}{path}", timeout=5)
        assert answer.status_code == 501, path
        assert "not emulated" in answer.json()["message"]
    assert requests.get(f"{emulator.url}/v1/nothing", timeout=5).status_code == 404


def _examples(spec: dict) -> list[tuple[str, dict, object]]:
    """(where, schema, value) for every example of a request body or response."""
    found = []

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            kind, name = node["$ref"].split("/")[-2:]
            node = spec["components"][kind][name]
        return node

    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            bodies = [("request", operation.get("requestBody", {}))]
            bodies += [(status, resolve(answer)) for status, answer in
                       operation["responses"].items()]
            for label, body in bodies:
                for media in body.get("content", {}).values():
                    for name, example in media.get("examples", {}).items():
                        value = resolve(example)["value"]
                        found.append((f"{method.upper()} {path} {label} {name}",
                                      media["schema"], value))
    return found


def test_every_documented_example_matches_its_schema(emulator: EmulatorServer) -> None:
    from jsonschema import Draft202012Validator

    spec = _spec(emulator)
    examples = _examples(spec)
    assert len(examples) >= 10
    for where, schema, value in examples:
        validator = Draft202012Validator({**schema, "components": spec["components"]})
        errors = [error.message for error in validator.iter_errors(value)]
        assert not errors, f"{where}: {errors}"
