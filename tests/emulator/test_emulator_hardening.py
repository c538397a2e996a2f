"""Inputs a foreign client may send that the emulator must refuse cleanly.

Found by a fidelity trial: a chunked body over 1 MB was truncated and parsed; deep
nesting and lone surrogates gave 500; a merge-mode PUT could exceed 50 phrases; seeded
non-string phrases broke the public API; faults accepted values that could never work;
tokens of another app survived a restart with other credentials. Plain ``requests``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from symbl_emulator import EmulatorServer, start_emulator

ONE = "/v1/manage/tracker"
LIMIT = 1_048_576


def _auth(emulator: EmulatorServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {emulator.token()}", "Content-Type": "application/json"}


def _chunks(data: bytes, size: int = 65_536) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _body_of_size(size: int) -> bytes:
    head = b'{"name":"padded","vocabulary":["a"]}'
    return head + b" " * (size - len(head))


@pytest.mark.parametrize(("size", "status"), [(LIMIT, 201), (LIMIT + 1, 413), (3 * LIMIT, 413)])
def test_chunked_bodies_are_measured_not_truncated(
    emulator: EmulatorServer, size: int, status: int
) -> None:
    answer = requests.post(f"{emulator.url}{ONE}", data=_chunks(_body_of_size(size)),
                           headers=_auth(emulator), timeout=30)
    assert answer.status_code == status, answer.text
    names = [t["name"] for t in emulator.trackers()]
    assert names == (["padded"] if status == 201 else [])


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000,
     '{"name":"\\ud800","vocabulary":["a"]}'],
    ids=["deeply-nested", "lone-surrogate"],
)
@pytest.mark.parametrize("path", [ONE, "/v1/manage/trackers", "/v1/process/text",
                                  "/_emulator/seed", "/_emulator/faults"])
def test_malformed_json_is_a_400_with_a_message(
    emulator: EmulatorServer, body: str, path: str
) -> None:
    answer = requests.post(f"{emulator.url}{path}", data=body.encode(),
                           headers=_auth(emulator), timeout=30)
    assert answer.status_code == 400, answer.text
    assert "message" in answer.json()


def test_merge_put_keeps_the_strict_phrase_limit() -> None:
    with start_emulator(put_mode="merge") as emulator:
        full = {"name": "Full", "vocabulary": [f"phrase {i}" for i in range(50)]}
        created = requests.post(f"{emulator.url}{ONE}", json=full, headers=_auth(emulator),
                                timeout=10).json()["tracker"]
        answer = requests.put(f"{emulator.url}{ONE}/{created['id']}", headers=_auth(emulator),
                              json={"name": "Full", "vocabulary": ["new one", "new two"]},
                              timeout=10)
        assert answer.status_code == 400, answer.text
        assert len(emulator.trackers()[0]["vocabulary"]) == 50


def test_seed_refuses_non_string_phrases(emulator: EmulatorServer) -> None:
    answer = requests.post(f"{emulator.url}/_emulator/seed", timeout=5,
                           json=[{"name": "x", "vocabulary": [1, None, {"a": 1}]}])
    assert answer.status_code == 400
    assert emulator.trackers() == []


@pytest.mark.parametrize(
    "rule",
    [{"method": "GET", "path": "/v1/manage/trackers", "status": 503, "headers": {"X-A": "a\nb"}},
     {"method": "GET", "path": "/v1/manage/trackers", "status": 503,
      "headers": {"Bad Name:": "x"}},
     {"method": "GET", "path": "/v1/manage/trackers?name=x", "status": 503}],
    ids=["header-value-newline", "header-name", "path-with-query"],
)
def test_faults_that_could_never_work_are_refused(
    emulator: EmulatorServer, rule: dict[str, object]
) -> None:
    answer = requests.post(f"{emulator.url}/_emulator/faults", json=[rule], timeout=5)
    assert answer.status_code == 400, answer.text
    assert requests.get(f"{emulator.url}/_emulator/faults", timeout=5).json() == {"faults": []}


def test_expires_in_never_reports_zero_for_a_live_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from symbl_emulator import auth

    with start_emulator(token_ttl=2) as emulator:
        body = {"type": "application", "appId": emulator.app_id, "appSecret": emulator.app_secret}
        first = requests.post(f"{emulator.url}/oauth2/token:generate", json=body, timeout=5)
        # 1.2 s later by the emulator's clock (no sleeping): 0.8 s of the token are left.
        later = time.time() + 1.2
        monkeypatch.setattr(auth, "time", type("Clock", (), {"time": staticmethod(lambda: later)}))
        again = requests.post(f"{emulator.url}/oauth2/token:generate", json=body, timeout=5)
        assert again.json()["accessToken"] == first.json()["accessToken"]
        assert again.json()["expiresIn"] == 1


def test_tokens_of_another_app_are_refused_after_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.db")
    with start_emulator(db_path=db, app_id="first-app", app_secret="first-secret") as emulator:
        token = emulator.token()
    with start_emulator(db_path=db, app_id="other-app", app_secret="other-secret") as emulator:
        answer = requests.get(f"{emulator.url}/v1/manage/trackers", timeout=5,
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401
        assert answer.json() == {"message": "Token validation failed for provided token."}
