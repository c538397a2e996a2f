"""Scripted faults, each observed by a plain ``requests`` client (``POST /_emulator/faults``)."""

from __future__ import annotations

import pytest
import requests

from symbl_emulator import EmulatorServer

MANY = "/v1/manage/trackers"
BULK = [{"name": "Refund", "vocabulary": ["refund"]}, {"name": "Cancel", "vocabulary": ["cancel"]}]


def _fault(emulator: EmulatorServer, **rule: object) -> None:
    answer = requests.post(f"{emulator.url}/_emulator/faults", json=[rule], timeout=5)
    assert answer.status_code == 201, answer.text


def _bulk(emulator: EmulatorServer, timeout: float = 10) -> requests.Response:
    headers = {"Authorization": f"Bearer {emulator.token()}"}
    return requests.post(f"{emulator.url}{MANY}", json=BULK, headers=headers, timeout=timeout)


def _names(emulator: EmulatorServer) -> list[str]:
    state = requests.get(f"{emulator.url}/_emulator/state", timeout=5).json()
    return [t["name"] for t in state["trackers"]]


def test_status_fault_answers_without_performing(emulator: EmulatorServer) -> None:
    _fault(emulator, method="POST", path=MANY, status=502)
    answer = _bulk(emulator)
    assert answer.status_code == 502 and answer.json() == {"message": "Bad Gateway"}
    assert _names(emulator) == []
    assert _bulk(emulator).status_code == 201  # times defaults to 1


@pytest.mark.parametrize("status", [502, 504])
def test_commit_then_fail_stores_the_effect(emulator: EmulatorServer, status: int) -> None:
    _fault(emulator, method="POST", path=MANY, status=status, after_commit=True)
    assert _bulk(emulator).status_code == status
    assert _names(emulator) == ["Refund", "Cancel"]
    assert _bulk(emulator).status_code == 409  # a blind retry would now conflict


def test_dropped_connection_without_commit(emulator: EmulatorServer) -> None:
    _fault(emulator, method="POST", path=MANY, drop=True)
    with pytest.raises(requests.ConnectionError):
        _bulk(emulator)
    assert _names(emulator) == []


def test_dropped_connection_after_commit(emulator: EmulatorServer) -> None:
    _fault(emulator, method="POST", path=MANY, drop=True, after_commit=True)
    with pytest.raises(requests.ConnectionError):
        _bulk(emulator)
    assert _names(emulator) == ["Refund", "Cancel"]
    log = requests.get(f"{emulator.url}/_emulator/requests", timeout=5).json()["requests"]
    assert log[-1]["dropped"] is True and log[-1]["status"] is None


def test_delay_after_commit_makes_the_client_time_out(emulator: EmulatorServer) -> None:
    _fault(emulator, method="POST", path=MANY, delay_ms=3000, after_commit=True)
    with pytest.raises(requests.Timeout):
        _bulk(emulator, timeout=0.3)
    # the slow request is still being answered, but its effect is already stored
    assert _names(emulator) == ["Refund", "Cancel"]


def test_times_and_retry_after_headers(emulator: EmulatorServer) -> None:
    _fault(emulator, method="GET", path=MANY, status=429, times=2,
           headers={"Retry-After": "1"}, body={"message": "slow down"})
    url, headers = f"{emulator.url}{MANY}", {"x-api-key": emulator.token()}
    for _ in range(2):
        answer = requests.get(url, headers=headers, timeout=5)
        assert answer.status_code == 429 and answer.headers["Retry-After"] == "1"
        assert answer.json() == {"message": "slow down"}
    assert requests.get(url, headers=headers, timeout=5).status_code == 200


def test_raw_body_fault_such_as_html_with_200(emulator: EmulatorServer) -> None:
    _fault(emulator, method="GET", path=MANY, status=200, body="<html>maintenance</html>",
           content_type="text/html")
    answer = requests.get(f"{emulator.url}{MANY}", headers={"x-api-key": emulator.token()},
                          timeout=5)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert answer.text == "<html>maintenance</html>"


def test_match_is_method_and_exact_path_star_matches_any_method(emulator: EmulatorServer) -> None:
    _fault(emulator, method="*", path="/v1/manage/tracker/4000000000000000", status=503)
    headers = {"x-api-key": emulator.token()}
    other = requests.get(f"{emulator.url}/v1/manage/tracker/4000000000000001", headers=headers,
                         timeout=5)
    assert other.status_code == 404
    hit = requests.delete(f"{emulator.url}/v1/manage/tracker/4000000000000000?x=1",
                          headers=headers, timeout=5)
    assert hit.status_code == 503


@pytest.mark.parametrize(
    "rule",
    [
        {"path": MANY, "status": 502},
        {"method": "POST", "path": MANY},
        {"method": "POST", "path": MANY, "status": 502, "drop": True},
        {"method": "POST", "path": MANY, "status": 502, "times": 0},
        {"method": "POST", "path": MANY, "status": 502, "surprise": 1},
        {"method": "POST", "path": MANY, "status": 200, "body": {}, "content_type": "text/html"},
    ],
)
def test_bad_fault_rules_are_400_and_not_added(emulator: EmulatorServer, rule: dict) -> None:
    answer = requests.post(f"{emulator.url}/_emulator/faults", json=[rule], timeout=5)
    assert answer.status_code == 400
    assert requests.get(f"{emulator.url}/_emulator/faults", timeout=5).json() == {"faults": []}


def test_faults_can_be_listed_and_cleared(emulator: EmulatorServer) -> None:
    _fault(emulator, method="POST", path=MANY, status=500, times=3)
    listed = requests.get(f"{emulator.url}/_emulator/faults", timeout=5).json()["faults"]
    assert listed[0]["times"] == 3 and listed[0]["status"] == 500
    requests.delete(f"{emulator.url}/_emulator/faults", timeout=5)
    assert _bulk(emulator).status_code == 201
