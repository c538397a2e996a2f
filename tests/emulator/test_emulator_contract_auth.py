"""Contract: authentication (docs/api-contract.md). Runs live with ``--live``."""

from __future__ import annotations

import pytest
from conftest import Api

TOKEN_FAILED = {"message": "Token validation failed for provided token."}
LIST = "/v1/manage/trackers"


def _generate(api: Api, body: object) -> object:
    return api.post("/oauth2/token:generate", json=body, auth=False)


@pytest.mark.emulator_only  # needs the app credentials, which a live run does not hold
def test_generate_returns_token_and_lifetime_then_same_token(api: Api) -> None:
    assert api.emulator is not None
    body = {"type": "application", "appId": api.emulator.app_id,
            "appSecret": api.emulator.app_secret}
    api.post("/_emulator/tokens/expire", auth=False)  # the fixture already holds one
    first = api.post("/oauth2/token:generate", json=body, auth=False)
    assert first.status_code == 200
    data = first.json()
    assert set(data) == {"accessToken", "expiresIn"} and data["expiresIn"] == 86400
    again = api.post("/oauth2/token:generate", json=body, auth=False).json()
    assert again["accessToken"] == data["accessToken"]
    assert 0 < again["expiresIn"] <= data["expiresIn"]
    fresh = {"Authorization": f"Bearer {data['accessToken']}"}
    assert api.get(LIST, auth=False, headers=fresh).status_code == 200


@pytest.mark.emulator_only
@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"appSecret": "wrong"}, 401),
        ({"appId": "someone-else"}, 401),
        ({"type": "user"}, 400),
        ({"appSecret": None}, 400),
    ],
)
def test_generate_rejects_bad_credentials_and_bodies(
    api: Api, change: dict[str, object], status: int
) -> None:
    assert api.emulator is not None
    body = {"type": "application", "appId": api.emulator.app_id,
            "appSecret": api.emulator.app_secret, **change}
    body = {k: v for k, v in body.items() if v is not None}
    answer = api.post("/oauth2/token:generate", json=body, auth=False)
    assert answer.status_code == status
    assert isinstance(answer.json()["message"], str)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-token"},
        {"x-api-key": "not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_missing_or_bad_token_is_401_with_documented_body(
    api: Api, headers: dict[str, str]
) -> None:
    answer = api.get(LIST, auth=False, headers=headers)
    assert answer.status_code == 401
    assert answer.json() == TOKEN_FAILED


def test_x_api_key_is_accepted(api: Api) -> None:
    answer = api.get(LIST, auth=False, headers={"x-api-key": api.target.token})
    assert answer.status_code == 200


def test_bearer_wins_over_x_api_key(api: Api) -> None:
    good = api.target.token
    both_good_bearer = {"Authorization": f"Bearer {good}", "x-api-key": "bad"}
    assert api.get(LIST, auth=False, headers=both_good_bearer).status_code == 200
    both_bad_bearer = {"Authorization": "Bearer bad", "x-api-key": good}
    assert api.get(LIST, auth=False, headers=both_bad_bearer).status_code == 401


@pytest.mark.emulator_only
def test_expired_token_is_401_and_generate_issues_a_new_one(api: Api) -> None:
    assert api.emulator is not None
    old = api.target.token
    assert api.post("/_emulator/tokens/expire", auth=False).json()["expired"] >= 1
    assert api.get(LIST).status_code == 401
    body = {"type": "application", "appId": api.emulator.app_id,
            "appSecret": api.emulator.app_secret}
    new = api.post("/oauth2/token:generate", json=body, auth=False).json()["accessToken"]
    assert new != old
    assert api.get(LIST, auth=False, headers={"x-api-key": new}).status_code == 200


@pytest.mark.emulator_only
def test_token_ttl_is_configurable_and_zero_ttl_tokens_never_work(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(token_ttl=0)
    api.post("/_emulator/tokens/expire", auth=False)
    body = {"type": "application", "appId": api.emulator.app_id,
            "appSecret": api.emulator.app_secret}
    data = api.post("/oauth2/token:generate", json=body, auth=False).json()
    assert data["expiresIn"] == 0
    bearer = {"Authorization": f"Bearer {data['accessToken']}"}
    assert api.get(LIST, auth=False, headers=bearer).status_code == 401
