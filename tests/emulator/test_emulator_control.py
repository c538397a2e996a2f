"""Control endpoints ``/_emulator/*`` (see symbl_emulator/openapi.yaml): reset, seed, state..."""

from __future__ import annotations

import json

import requests
from werkzeug.test import Client

from symbl_emulator import EmulatorServer
from symbl_emulator.app import EmulatorApp


def _ctl(
    emulator: EmulatorServer, method: str, action: str, body: object = None
) -> requests.Response:
    return requests.request(method, f"{emulator.url}/_emulator/{action}", json=body, timeout=5)


def test_seed_bypasses_rules_and_uniqueness_and_keeps_given_ids(emulator: EmulatorServer) -> None:
    items = [
        {"name": "Legacy", "vocabulary": ["What's the price?", "what's the price?"]},
        {"name": "Legacy", "vocabulary": []},
        {"id": "5123033831841280", "name": "Pinned", "vocabulary": ["x"]},
    ]
    answer = _ctl(emulator, "POST", "seed", items)
    assert answer.status_code == 201
    stored = answer.json()["trackers"]
    assert [t["name"] for t in stored] == ["Legacy", "Legacy", "Pinned"]
    assert stored[2]["id"] == "5123033831841280"
    headers = {"x-api-key": emulator.token()}
    listing = requests.get(f"{emulator.url}/v1/manage/trackers", headers=headers, timeout=5)
    assert listing.json()["trackers"] == stored


def test_seed_rejects_malformed_items_and_taken_ids_storing_nothing(
    emulator: EmulatorServer,
) -> None:
    emulator.seed([{"id": "5123033831841280", "name": "Pinned", "vocabulary": ["x"]}])
    bad = [{"name": "ok", "vocabulary": ["y"]},
           {"id": "5123033831841280", "name": "Again", "vocabulary": ["x"]}]
    assert _ctl(emulator, "POST", "seed", bad).status_code == 400
    assert _ctl(emulator, "POST", "seed", [{"name": 3, "vocabulary": []}]).status_code == 400
    assert [t["name"] for t in emulator.trackers()] == ["Pinned"]


def test_request_log_has_no_bodies_or_tokens_and_skips_control_calls(
    emulator: EmulatorServer,
) -> None:
    token = emulator.token()
    requests.post(f"{emulator.url}/v1/manage/tracker", timeout=5,
                  headers={"Authorization": f"Bearer {token}"},
                  json={"name": "Secret phrase tracker", "vocabulary": ["classified"]})
    requests.get(f"{emulator.url}/v1/manage/trackers?name=x", headers={"x-api-key": token},
                 timeout=5)
    _ctl(emulator, "GET", "state")
    log = _ctl(emulator, "GET", "requests").json()["requests"]
    assert [(e["method"], e["path"], e["query"], e["status"]) for e in log] == [
        ("POST", "/v1/manage/tracker", "", 201), ("GET", "/v1/manage/trackers", "name=x", 200)]
    assert all(isinstance(e["time"], int) and e["duration_ms"] >= 0 for e in log)
    text = json.dumps(log)
    assert token not in text and "classified" not in text and "Secret" not in text
    _ctl(emulator, "DELETE", "requests")
    assert _ctl(emulator, "GET", "requests").json() == {"requests": []}


def test_reset_clears_state_log_and_faults_but_keeps_tokens(emulator: EmulatorServer) -> None:
    token = emulator.token()
    emulator.seed([{"name": "Gone", "vocabulary": ["x"]}])
    emulator.add_faults([{"method": "GET", "path": "/v1/manage/trackers", "status": 500}])
    requests.get(f"{emulator.url}/v1/job/none", headers={"x-api-key": token}, timeout=5)
    assert _ctl(emulator, "POST", "reset").json() == {"reset": True}
    state = _ctl(emulator, "GET", "state").json()
    assert state["trackers"] == [] and state["faults"] == []
    assert state["counts"] == {"trackers": 0, "conversations": 0, "jobs": 0,
                               "transcripts": 0}
    assert emulator.requests() == []
    answer = requests.get(f"{emulator.url}/v1/manage/trackers", headers={"x-api-key": token},
                          timeout=5)
    assert answer.status_code == 200


def test_config_changes_settings_and_never_shows_the_secret(emulator: EmulatorServer) -> None:
    answer = _ctl(emulator, "POST", "config", {"rules": "lenient", "latency_ms": 5})
    assert answer.status_code == 200
    settings = answer.json()["settings"]
    assert settings["rules"] == "lenient" and settings["latency_ms"] == 5
    assert "app_secret" not in settings and emulator.app_secret not in answer.text
    assert _ctl(emulator, "POST", "config", {"rules": "loose"}).status_code == 400
    assert _ctl(emulator, "POST", "config", {"colour": "red"}).status_code == 400
    assert emulator.settings.rules == "lenient"


def test_unknown_control_endpoint_is_404_and_wrong_method_405(emulator: EmulatorServer) -> None:
    assert _ctl(emulator, "GET", "nothing").status_code == 404
    assert _ctl(emulator, "GET", "reset").status_code == 405


def test_control_endpoints_refuse_non_loopback_clients(emulator: EmulatorServer) -> None:
    client = Client(EmulatorApp(emulator.state))
    remote = client.get("/_emulator/state", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert remote.status_code == 403
    local = client.get("/_emulator/state", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert local.status_code == 200
