"""target.open_target: embedded emulator with persisted state, environments, URL precedence."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from symbl_emulator import EmulatorServer
from tests.leakscan import LeakScan
from trackersync.cli.common import AppContext
from trackersync.config import Config, EnvironmentConfig
from trackersync.errors import AuthError, ConfigError
from trackersync.target import open_target, resolve_account

from .helpers import FakeSleep, tracker

STAGING = Config(environments={"staging": EnvironmentConfig(
    api_url="https://staging.example", credentials_prefix="SYMBL_STAGING_")})


def app(root: Path, *, use_emulator: bool) -> AppContext:
    return AppContext(config_path=root / "trackersync.yaml", use_emulator=use_emulator,
                      verbose=0, color=False)


def test_emulator_target_persists_state_between_runs(
    tmp_path: Path, leaks: LeakScan, fake_sleep: FakeSleep
) -> None:
    options = {"sleep": fake_sleep}
    with open_target(app(tmp_path, use_emulator=True), Config(), None, environ={},
                     client_options=options) as target:
        assert isinstance(target.emulator, EmulatorServer)
        leaks.secrets.add(target.emulator.app_secret)
        assert target.api_url == target.emulator.url and target.env_name is None
        (made,) = target.client.create_trackers([tracker("Alpha")])
        url = target.emulator.url
    assert (tmp_path / ".trackersync" / "emulator.db").is_file()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/v1/manage/trackers", timeout=2)  # stopped on exit
    with open_target(app(tmp_path, use_emulator=True), Config(), None, environ={},
                     client_options=options) as target:
        assert [t.id for t in target.client.list_trackers()] == [made.id]


def test_emulator_target_uses_the_config_rules(tmp_path: Path, leaks: LeakScan) -> None:
    with open_target(app(tmp_path, use_emulator=True), Config(rules="lenient"), None,
                     environ={}) as target:
        assert target.emulator is not None
        leaks.secrets.add(target.emulator.app_secret)
        (made,) = target.client.create_trackers([tracker("Q", "what's the price?")])
        assert made.vocabulary == ("what's the price?",)


def test_real_target_reads_prefixed_credentials_and_url(tmp_path: Path) -> None:
    environ = {"SYMBL_STAGING_ACCESS_TOKEN": "staging-token-1"}
    with open_target(app(tmp_path, use_emulator=False), STAGING, "staging",
                     environ=environ) as target:
        assert target.api_url == "https://staging.example"
        assert target.env_name == "staging" and target.emulator is None
        assert "staging-token-1" not in repr(target.client)


def test_unknown_environment_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="known: staging"), open_target(
        app(tmp_path, use_emulator=False), STAGING, "prod", environ={}
    ):
        pass  # pragma: no cover


def test_missing_credentials_name_the_prefixed_variables(tmp_path: Path) -> None:
    with pytest.raises(AuthError, match="SYMBL_STAGING_APP_SECRET"), open_target(
        app(tmp_path, use_emulator=False), STAGING, "staging", environ={}
    ):
        pass  # pragma: no cover


def test_plain_http_url_from_the_environment_is_refused(tmp_path: Path) -> None:
    environ = {"SYMBL_ACCESS_TOKEN": "tok-123456", "SYMBL_API_URL": "http://api.example"}
    with pytest.raises(ConfigError, match="plain http"), open_target(
        app(tmp_path, use_emulator=False), Config(), None, environ=environ
    ):
        pass  # pragma: no cover


@pytest.mark.parametrize(
    ("env", "environ", "url"),
    [
        (None, {}, "https://api.symbl.ai"),
        (None, {"SYMBL_API_URL": "https://override"}, "https://override"),
        ("staging", {}, "https://staging.example"),
        ("staging", {"SYMBL_API_URL": "https://leftover"}, "https://staging.example"),
        ("staging", {"SYMBL_API_URL": "https://o", "SYMBL_STAGING_API_URL": "https://s"},
         "https://s"),
    ],
)
def test_api_url_precedence(env: str | None, environ: dict[str, str], url: str) -> None:
    assert resolve_account(STAGING, env, environ)[0] == url
