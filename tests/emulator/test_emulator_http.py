"""The HTTP layer as a foreign client meets it: keep-alive, pipelining, framing, JSON errors.

Raw sockets where a well-behaved client library would hide the behaviour (pipelining,
conflicting headers, a request that never completes), plain ``requests`` elsewhere.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import quote

import pytest
import requests

from symbl_emulator import EmulatorServer, HttpLimits, start_emulator


def _connect(emulator: EmulatorServer) -> socket.socket:
    sock = socket.create_connection((emulator.host, emulator.port), timeout=10)
    return sock


def _read_responses(sock: socket.socket, count: int) -> list[tuple[int, dict[str, str], bytes]]:
    """Read ``count`` HTTP responses (Content-Length framed) from ``sock``."""
    data = b""
    answers = []
    while len(answers) < count:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                raise AssertionError(f"connection closed after {len(answers)} answers: {data!r}")
            data += chunk
        head, _, data = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.strip().lower(): v.strip() for k, v in (ln.split(":", 1) for ln in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(data) < length:
            data += sock.recv(65536)
        answers.append((status, headers, data[:length]))
        data = data[length:]
    return answers


def _raw(emulator: EmulatorServer, payload: bytes) -> tuple[int, dict[str, str], bytes]:
    with _connect(emulator) as sock:
        sock.sendall(payload)
        return _read_responses(sock, 1)[0]


def _get(path: str, token: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n").encode()


def test_two_pipelined_requests_on_one_connection_are_both_answered(
    emulator: EmulatorServer,
) -> None:
    token = emulator.token()
    with _connect(emulator) as sock:
        sock.sendall(_get("/v1/manage/trackers", token) + _get("/v1/manage/tracker/1", token))
        answers = _read_responses(sock, 2)
        assert [status for status, _, _ in answers] == [200, 404]
        sock.sendall(_get("/v1/manage/trackers", token))  # the connection is still open
        assert _read_responses(sock, 1)[0][0] == 200
    assert len(emulator.requests()) == 3


def test_a_session_reuses_one_connection(emulator: EmulatorServer) -> None:
    headers = {"Authorization": f"Bearer {emulator.token()}"}
    with requests.Session() as session:
        first = session.get(f"{emulator.url}/v1/manage/trackers", headers=headers, timeout=5)
        second = session.get(f"{emulator.url}/v1/manage/trackers", headers=headers, timeout=5)
    assert first.headers.get("Connection", "").lower() != "close"
    assert (first.status_code, second.status_code) == (200, 200)


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"NONSENSE\r\n\r\n", 400),
        (b"GET /v1/manage/trackers HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n",
         431),
        (b"GET /v1/manage/trackers?name=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"POST /v1/manage/trackers HTTP/1.1\r\nHost: x\r\nContent-Length: 900000000\r\n\r\n",
         413),
        (b"POST /v1/manage/trackers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
         b"Content-Length: 3\r\n\r\n[]", 400),
        (b"POST /v1/manage/trackers HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
         b"Transfer-Encoding: chunked\r\n\r\n2\r\n[]\r\n0\r\n\r\n", 400),
        (b"GET /v1/manage/trackers HTTP/2.0\r\nHost: x\r\n\r\n", 505),
    ],
    ids=["bad-request-line", "headers-too-large", "uri-too-long", "body-too-large",
         "conflicting-content-length", "content-length-and-chunked", "http-version"],
)
def test_server_errors_are_json_messages(
    emulator: EmulatorServer, payload: bytes, status: int
) -> None:
    answer_status, headers, body = _raw(emulator, payload)
    assert answer_status == status, body
    assert headers["content-type"].startswith("application/json")
    assert isinstance(json.loads(body)["message"], str)
    assert emulator.requests() == []  # refused before the API saw a request


def test_405_names_the_allowed_methods(emulator: EmulatorServer) -> None:
    answer = requests.patch(f"{emulator.url}/v1/manage/tracker/1", timeout=5)
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PUT", "DELETE"}
    assert answer.json() == {"message": "Method Not Allowed"}
    control = requests.get(f"{emulator.url}/_emulator/reset", timeout=5)
    assert control.status_code == 405 and control.headers["Allow"] == "POST"


@pytest.mark.slow
def test_a_request_that_never_completes_gets_408_and_is_not_logged() -> None:
    with start_emulator(limits=HttpLimits(request_deadline_s=0.5)) as emulator, \
            _connect(emulator) as sock:
        sock.sendall(b"POST /v1/manage/trackers HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n[")
        status, headers, body = _read_responses(sock, 1)[0]
        assert status == 408
        assert json.loads(body)["message"].startswith("Request Timeout")
        assert headers["connection"] == "close"
        assert emulator.requests() == []


def test_an_aborted_request_is_not_logged(emulator: EmulatorServer) -> None:
    with _connect(emulator) as sock:
        sock.sendall(b"POST /v1/manage/trackers HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Length: 100\r\n\r\n[")
    token = emulator.token()
    requests.get(f"{emulator.url}/v1/manage/trackers", timeout=5,
                 headers={"Authorization": f"Bearer {token}"})
    assert [entry["path"] for entry in emulator.requests()] == ["/v1/manage/trackers"]


def test_raw_and_percent_encoded_utf8_queries_are_decoded_once(emulator: EmulatorServer) -> None:
    emulator.seed([{"name": "Über", "vocabulary": ["a"]}])
    token = emulator.token()
    raw = _raw(emulator, _get("/v1/manage/trackers?name=Über", token).replace(
        "Über".encode("latin-1"), "Über".encode()))
    encoded = _raw(emulator, _get("/v1/manage/trackers?name=" + quote("Über"), token))
    for status, _, body in (raw, encoded):
        assert status == 200
        assert [t["name"] for t in json.loads(body)["trackers"]] == ["Über"]


def test_a_percent_encoded_path_is_decoded_once(emulator: EmulatorServer) -> None:
    token = emulator.token()
    status, _, body = _raw(emulator, _get("/v1/manage/tracker/%2541", token))
    assert status == 404
    assert "%41" in json.loads(body)["message"]  # "%2541" -> "%41", not "A"


def test_stop_does_not_wait_for_a_poll_interval() -> None:
    emulator = start_emulator()
    with requests.Session() as session:
        session.get(f"{emulator.url}/openapi.json", timeout=5)
        started = time.monotonic()
        emulator.stop()
        elapsed = time.monotonic() - started
    print(f"stop took {elapsed * 1000:.0f} ms")
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{emulator.url}/openapi.json", timeout=2)
