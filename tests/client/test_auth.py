"""Credentials, token generation and renewal, 401 handling, base-URL rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from symbl_emulator import EmulatorServer
from tests.leakscan import LeakScan
from trackersync.client import Credentials, SymblClient
from trackersync.errors import AuthError, ConfigError

from .helpers import api_log, faults

TOKEN = "/oauth2/token:generate"
LIST = "/v1/manage/trackers"


def test_from_env_reads_token_or_app_pair_with_prefix() -> None:
    token_only = Credentials.from_env("SYMBL_", {"SYMBL_ACCESS_TOKEN": "tok-123456"})
    assert token_only.access_token == "tok-123456" and not token_only.renewable
    pair = Credentials.from_env(
        "SYMBL_STAGING_", {"SYMBL_STAGING_APP_ID": "id-1", "SYMBL_STAGING_APP_SECRET": "sec-1"}
    )
    assert pair.renewable and pair.access_token is None
    assert pair.token_request_body() == {"type": "application", "appId": "id-1",
                                         "appSecret": "sec-1"}


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({}, ["SYMBL_ACCESS_TOKEN", "SYMBL_APP_ID", "SYMBL_APP_SECRET"]),
        ({"SYMBL_APP_ID": "id-1"}, ["SYMBL_APP_SECRET"]),
        ({"SYMBL_APP_SECRET": "sec-123", "SYMBL_ACCESS_TOKEN": ""}, ["SYMBL_APP_ID"]),
    ],
)
def test_missing_credentials_name_the_variables(
    environ: dict[str, str], names: list[str], leaks: LeakScan
) -> None:
    leaks.secrets.add("sec-123")
    with pytest.raises(AuthError) as caught:
        Credentials.from_env("SYMBL_", environ)
    leaks.check(caught.value)
    for name in names:
        assert name in str(caught.value)


def test_credentials_repr_hides_every_value() -> None:
    creds = Credentials(app_id="the-app-id", app_secret="the-app-secret",
                        access_token="the-access-token")
    for text in (repr(creds), str(creds)):
        assert "the-app-secret" not in text and "the-access-token" not in text
        assert "the-app-id" not in text and "***" in text


def test_token_is_generated_once_and_sent_as_bearer(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    client.list_trackers()
    client.list_trackers()
    assert api_log(emulator) == [("POST", TOKEN, 200), ("GET", LIST, 200), ("GET", LIST, 200)]
    assert client.request_count == 3


def test_bad_app_credentials_are_refused_with_a_clear_error(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, leaks: LeakScan
) -> None:
    leaks.secrets.add("wrong-secret-value")
    client = make_client(Credentials(app_id=emulator.app_id, app_secret="wrong-secret-value"))
    with pytest.raises(AuthError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert "credentials were refused" in str(caught.value)
    assert "SYMBL_APP_SECRET" in str(caught.value)
    assert (caught.value.status, caught.value.method, caught.value.path) == (401, "POST", TOKEN)
    assert api_log(emulator) == [("POST", TOKEN, 401)]  # never retried, nothing else sent


def test_a_refused_static_token_is_final_at_once(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer, leaks: LeakScan
) -> None:
    client = make_client(Credentials(access_token="not-a-valid-token"))
    with pytest.raises(AuthError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert caught.value.status == 401
    assert "SYMBL_ACCESS_TOKEN" in str(caught.value)
    assert "Token validation failed" in (caught.value.api_message or "")
    assert api_log(emulator) == [("GET", LIST, 401)]


def test_token_expiry_mid_run_renews_once_after_401(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    client.list_trackers()
    expired = requests.post(f"{emulator.url}/_emulator/tokens/expire", timeout=5)
    assert expired.json()["expired"] == 1
    assert client.list_trackers() == []
    assert api_log(emulator) == [
        ("POST", TOKEN, 200), ("GET", LIST, 200),
        ("GET", LIST, 401), ("POST", TOKEN, 200), ("GET", LIST, 200),
    ]


def test_second_401_after_renewal_says_credentials_were_refused(
    client: SymblClient, emulator: EmulatorServer, leaks: LeakScan
) -> None:
    client.list_trackers()
    faults(emulator, {"method": "GET", "path": LIST, "status": 401, "times": 2})
    with pytest.raises(AuthError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert "credentials were refused" in str(caught.value)
    assert [entry[2] for entry in api_log(emulator)] == [200, 200, 401, 200, 401]


def test_token_is_renewed_before_expires_in_runs_out(
    make_client: Callable[..., SymblClient], emulator: EmulatorServer
) -> None:
    emulator.configure(token_ttl=100)
    now = [1000.0]
    client = make_client(clock=lambda: now[0])
    client.list_trackers()
    now[0] += 50  # half the lifetime: keep the token
    client.list_trackers()
    now[0] += 45  # within the 10 % margin: renew before the call, without any 401
    client.list_trackers()
    assert api_log(emulator) == [
        ("POST", TOKEN, 200), ("GET", LIST, 200), ("GET", LIST, 200),
        ("POST", TOKEN, 200), ("GET", LIST, 200),
    ]


def test_github_actions_masks_each_new_token_once(
    emulator: EmulatorServer, fake_sleep: Callable[[float], None], leaks: LeakScan,
    capsys: pytest.CaptureFixture[str],
) -> None:
    leaks.secrets.add(emulator.app_secret)
    environ = {"SYMBL_APP_ID": emulator.app_id, "SYMBL_APP_SECRET": emulator.app_secret,
               "GITHUB_ACTIONS": "true"}
    with SymblClient(emulator.url, Credentials.from_env("SYMBL_", environ),
                     sleep=fake_sleep) as client:
        client.list_trackers()
        requests.post(f"{emulator.url}/_emulator/tokens/expire", timeout=5)
        client.list_trackers()
    captured = capsys.readouterr()
    assert "::add-mask::" not in captured.out  # stdout is redirected into plan files
    masks = [line for line in captured.err.splitlines() if line.startswith("::add-mask::")]
    assert len(masks) == 2 and masks[0] != masks[1]
    assert {line.removeprefix("::add-mask::") for line in masks} <= leaks.secrets


def test_no_mask_lines_outside_github_actions(
    client: SymblClient, capsys: pytest.CaptureFixture[str]
) -> None:
    client.list_trackers()
    captured = capsys.readouterr()
    assert "::add-mask::" not in captured.out + captured.err


@pytest.mark.parametrize(
    "url",
    ["http://api.symbl.ai", "http://10.0.0.5:8750", "ftp://127.0.0.1", "api.symbl.ai",
     "http://localhost.evil.example"],
)
def test_plain_http_is_refused_except_to_loopback(url: str) -> None:
    with pytest.raises(ConfigError):
        SymblClient(url, Credentials(access_token="tok-123456"))


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("https://api.symbl.ai/", "https://api.symbl.ai"),
        ("https://api.symbl.ai/v1/", "https://api.symbl.ai"),
        ("http://127.0.0.1:8750", "http://127.0.0.1:8750"),
        ("http://127.1.2.3:8750", "http://127.1.2.3:8750"),
        ("http://localhost:8750/", "http://localhost:8750"),
        ("http://[::1]:8750", "http://[::1]:8750"),
    ],
)
def test_https_and_loopback_http_are_accepted(url: str, normalised: str) -> None:
    with SymblClient(url, Credentials(access_token="tok-123456")) as client:
        assert client.base_url == normalised


@pytest.mark.parametrize(
    "url", ["http://user:s3cr3t-pw@127.0.0.1:8750", "https://s3cr3t-pw@api.symbl.ai"]
)
def test_url_with_credentials_is_refused_without_repeating_them(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        SymblClient(url, Credentials(access_token="tok-123456"))
    assert "s3cr3t-pw" not in str(caught.value)
    assert "user name or password" in str(caught.value)
