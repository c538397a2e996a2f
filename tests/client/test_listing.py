"""Reading trackers: shapes, failed reads, pagination hints, put/delete.

A list that cannot be trusted raises; it is never read as "no trackers".
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from symbl_emulator import EmulatorServer
from tests.leakscan import LeakScan
from trackersync.client import Credentials, SymblClient
from trackersync.errors import (
    ConflictError,
    NotFoundError,
    PayloadTooLargeError,
    ResponseShapeError,
)

from .helpers import FakeSleep, api_log, faults, tracker

LIST = "/v1/manage/trackers"


def page(first: int, last: int, **extra: Any) -> dict[str, Any]:
    """A list body holding 'Topic NN' trackers first..last."""
    trackers = [{"id": f"50000000000006{i:02d}", "name": f"Topic {i:02d}",
                 "vocabulary": [f"topic {i} phrase 1"]} for i in range(first, last + 1)]
    return {"trackers": trackers, **extra}


def list_fault(body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {"method": "GET", "path": LIST, "status": 200, "body": body,
            "headers": headers or {}}


def test_single_tracker_variant_is_tolerated(client: SymblClient, emulator: EmulatorServer) -> None:
    faults(emulator, list_fault({"tracker": page(1, 1)["trackers"][0]}))
    assert [t.name for t in client.list_trackers()] == ["Topic 01"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "no 'trackers' key"),
        ({"trackers": {"id": "1"}}, "not an array"),
        ({"trackers": [{"id": 5000000000000601, "name": "A", "vocabulary": []}]}, "id"),
        ({"trackers": [{"id": "1", "name": "A"}]}, "vocabulary"),
        ([], "not an object"),
        ("<html>Maintenance</html>", "not an object"),
    ],
    ids=["missing-key", "object-not-array", "numeric-id", "no-vocabulary", "array", "string"],
)
def test_odd_list_bodies_are_shape_errors_never_empty(
    body: Any, words: str, client: SymblClient, emulator: EmulatorServer, leaks: LeakScan
) -> None:
    """Answers that are not a tracker list."""
    faults(emulator, list_fault(body))
    with pytest.raises(ResponseShapeError) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert words in str(caught.value) and caught.value.status == 200


@pytest.fixture
def html_server() -> Iterator[str]:
    """A loopback server answering 200 text/html to everything (the emulator only
    speaks JSON, so this one case uses a minimal Werkzeug app)."""

    @Request.application
    def app(request: Request) -> Response:
        if request.path == "/oauth2/token:generate":
            return Response(json.dumps({"accessToken": "html-case-token", "expiresIn": 60}),
                            mimetype="application/json")
        return Response("<html><body>Maintenance</body></html>", mimetype="text/html")

    server = make_server("127.0.0.1", 0, app, threaded=True)
    # shutdown() waits for serve_forever's next poll: 0.05 s, not the default 0.5 s
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_html_with_200_is_a_shape_error_naming_the_content_type(
    html_server: str, fake_sleep: FakeSleep, leaks: LeakScan
) -> None:
    leaks.secrets.update({"html-case-secret", "html-case-token"})
    creds = Credentials(app_id="html-app", app_secret="html-case-secret")
    with SymblClient(html_server, creds, sleep=fake_sleep) as client, pytest.raises(
        ResponseShapeError
    ) as caught:
        client.list_trackers()
    leaks.check(caught.value)
    assert "text/html" in str(caught.value) and "Maintenance" not in str(caught.value)


def test_a_cursor_pages_are_followed_and_deduplicated(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, list_fault(page(1, 25, nextToken="t2")), list_fault(page(20, 30)))
    found = client.list_trackers()
    assert [t.name for t in found] == [f"Topic {i:02d}" for i in range(1, 31)]
    requests_seen = [(r["path"], r["query"]) for r in emulator.requests() if r["path"] == LIST]
    assert requests_seen == [(LIST, ""), (LIST, "nextToken=t2")]


def test_b_a_repeated_page_is_pagination_that_did_not_advance(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, list_fault(page(1, 25, nextToken="t2")),
           list_fault(page(1, 25, nextToken="t2")))
    with pytest.raises(ResponseShapeError, match="pagination did not advance"):
        client.list_trackers()


def test_c_a_total_larger_than_the_listing_is_incomplete(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, list_fault(page(1, 25), {"X-Total-Count": "30"}))
    with pytest.raises(ResponseShapeError, match="listing incomplete"):
        client.list_trackers()


def test_offset_and_total_in_the_body_are_followed(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, list_fault(page(1, 10, offset=0, total=15)),
           list_fault(page(11, 15, offset=10, total=15)))
    assert len(client.list_trackers()) == 15


def test_a_next_link_to_another_host_is_not_followed(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    faults(emulator, list_fault(page(1, 2, next="https://elsewhere.example/v1/manage/trackers")))
    with pytest.raises(ResponseShapeError, match="another host"):
        client.list_trackers()
    assert len([r for r in emulator.requests() if r["path"] == LIST]) == 1


def test_update_delete_round_trip(client: SymblClient, emulator: EmulatorServer) -> None:
    (made,) = client.create_trackers([tracker("Alpha")])
    updated = client.update_tracker(made.id, tracker("Alpha", "new phrase"))
    assert updated.vocabulary == ("new phrase",) and updated.id == made.id
    client.delete_tracker(made.id)
    assert emulator.trackers() == []


def test_errors_carry_status_method_path_and_api_message(
    client: SymblClient, emulator: EmulatorServer, leaks: LeakScan
) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.update_tracker("4000000000000000", tracker("Alpha"))
    leaks.check(caught.value)
    err = caught.value
    path = "/v1/manage/tracker/4000000000000000"
    assert (err.status, err.method, err.path) == (404, "PUT", path)
    assert err.api_message == "Tracker with id '4000000000000000' not found."
    client.delete_tracker("4000000000000000")  # already gone: the goal is met
    assert client.gone == {"4000000000000000"}


def test_put_rename_clash_is_a_conflict(client: SymblClient) -> None:
    alpha, _ = client.create_trackers([tracker("Alpha"), tracker("Beta")])
    with pytest.raises(ConflictError) as caught:
        client.update_tracker(alpha.id, tracker("Beta"))
    assert caught.value.status == 409 and caught.value.method == "PUT"


def test_put_over_the_limit_is_refused_before_sending(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    huge = tracker("Huge", *(f"phrase {i} " + "x" * 30_000 for i in range(40)))
    with pytest.raises(PayloadTooLargeError):
        client.update_tracker("5000000000000001", huge)
    assert api_log(emulator) == []


def test_delete_whose_answer_was_lost_counts_as_done(
    client: SymblClient, emulator: EmulatorServer
) -> None:
    (made,) = client.create_trackers([tracker("Alpha")])
    path = f"/v1/manage/tracker/{made.id}"
    faults(emulator, {"method": "DELETE", "path": path, "drop": True, "after_commit": True})
    client.delete_tracker(made.id)
    assert emulator.trackers() == []
    assert [e for e in api_log(emulator) if e[1] == path] == [
        ("DELETE", path, None), ("DELETE", path, 404)]


def test_ids_are_quoted_into_the_path(client: SymblClient, emulator: EmulatorServer) -> None:
    """A hostile id cannot reach another endpoint (it would answer 200 or 405, not 404)."""
    client.delete_tracker("../trackers?x=1")  # 404: no such tracker, so nothing to delete
    assert client.gone == {"../trackers?x=1"}
    deletes = [e for e in api_log(emulator) if e[0] == "DELETE"]
    assert [e[2] for e in deletes] == [404]


def test_shared_phrases_are_held_once_and_the_listing_is_unchanged(
    client: SymblClient, emulator: EmulatorServer,
) -> None:
    from trackersync.model import DesiredTracker

    emulator.seed([
        {"name": "Budget", "vocabulary": ["my budget", "our budget"]},
        {"name": "Edited", "vocabulary": ["one", "two"]},
        {"name": "Only remote", "vocabulary": ["alone"]},
    ])
    plain = client.list_trackers()
    budget = DesiredTracker(name="Budget", vocabulary=("my budget", "our budget"))
    edited = DesiredTracker(name="Edited", vocabulary=("one", "three"))
    client.share_phrases([budget, edited])
    shared = client.list_trackers()
    assert shared == plain  # the same values
    by_name = {t.name: t for t in shared}
    assert by_name["Budget"].vocabulary is budget.vocabulary  # the file's phrases, held once
    assert by_name["Edited"].vocabulary == ("one", "two")  # differs: the account's own
