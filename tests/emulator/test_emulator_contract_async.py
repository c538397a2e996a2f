"""Contract: Async API text submissions, jobs, trackers-detected (docs/api-contract.md)."""

from __future__ import annotations

import re
import uuid

import pytest
from conftest import Api

TEXT = "/v1/process/text"
NOT_FOUND = {"message": "The conversationId is either invalid or does not exist."}


def _messages(*contents: str) -> list[dict[str, object]]:
    return [{"payload": {"content": c, "contentType": "text/plain"},
             "from": {"name": "Agent", "userId": "agent@example.com"}} for c in contents]


def _submit(api: Api, body: dict[str, object]) -> tuple[str, str]:
    answer = api.post(TEXT, json=body)
    assert answer.status_code == 201, answer.text
    data = answer.json()
    assert re.fullmatch(r"\d{16}", data["conversationId"])
    assert str(uuid.UUID(data["jobId"])) == data["jobId"]
    return data["conversationId"], data["jobId"]


def _detected(api: Api, conversation_id: str, path: str = "trackers-detected") -> list[dict]:
    answer = api.get(f"/v1/conversations/{conversation_id}/{path}")
    assert answer.status_code == 200
    result: list[dict] = answer.json()
    return result


def test_inline_trackers_give_documented_offsets(api: Api) -> None:
    body = {
        "messages": _messages(
            "All you need to do is be polite and friendly. I don't know which platform is best."
        ),
        "trackers": [{"name": "Etiquette", "vocabulary": ["Be polite and friendly", "platform"]}],
    }
    conversation_id, job_id = _submit(api, body)
    assert api.get(f"/v1/job/{job_id}").json() == {"id": job_id, "status": "completed"}
    result = _detected(api, conversation_id)
    assert len(result) == 1 and result[0]["name"] == "Etiquette"
    assert re.fullmatch(r"\d{16}", result[0]["id"])
    by_value = {m["value"]: m for m in result[0]["matches"]}
    polite = by_value["Be polite and friendly"]
    assert polite["type"] == "vocabulary" and polite["insightRefs"] == []
    assert [(r["text"], r["offset"]) for r in polite["messageRefs"]] == [
        ("All you need to do is be polite and friendly.", 22)]
    assert [(r["text"], r["offset"]) for r in by_value["platform"]["messageRefs"]] == [
        ("I don't know which platform is best.", 19)]


def test_trackers_by_id_and_enable_all_are_deduplicated(api: Api) -> None:
    made = api.post("/v1/manage/trackers", json=[
        {"name": api.name("Refund"), "vocabulary": ["refund"]},
        {"name": api.name("Cancel"), "vocabulary": ["cancel my order"]},
    ]).json()["trackers"]
    body = {"messages": _messages("I want a refund. Please cancel my order now!"),
            "trackers": [{"id": made[0]["id"]}], "enableAllTrackers": "true"}
    conversation_id, _ = _submit(api, body)
    ids = [t["id"] for t in _detected(api, conversation_id)]
    assert ids.count(made[0]["id"]) == 1 and made[1]["id"] in ids


def test_stored_trackers_need_enable_all_or_an_id(api: Api) -> None:
    api.post("/v1/manage/tracker", json={"name": api.name("Hidden"), "vocabulary": ["refund"]})
    conversation_id, _ = _submit(api, {"messages": _messages("I want a refund.")})
    assert _detected(api, conversation_id) == []
    body = {"messages": _messages("I want a refund."), "enableAllTrackers": True}
    conversation_id, _ = _submit(api, body)
    assert [t["name"] for t in _detected(api, conversation_id)] == [api.name("Hidden")]


def test_matching_is_case_insensitive_per_sentence_in_message_order(api: Api) -> None:
    body = {"messages": _messages("REFUND please. No refund? Fine!", "a Refund again"),
            "trackers": [{"name": "R", "vocabulary": ["refund", "never said"]}]}
    conversation_id, _ = _submit(api, body)
    (tracker,) = _detected(api, conversation_id)
    (match,) = tracker["matches"]  # phrases without a match are left out
    assert [(r["text"], r["offset"]) for r in match["messageRefs"]] == [
        ("REFUND please.", 0), ("No refund?", 3), ("a Refund again", 2)]
    assert len({r["id"] for r in match["messageRefs"]}) == 3


def test_deprecated_trackers_path_has_the_same_body(api: Api) -> None:
    body = {"messages": _messages("hello world"),
            "trackers": [{"name": "Greeting", "vocabulary": ["hello"]}]}
    conversation_id, _ = _submit(api, body)
    assert _detected(api, conversation_id, "trackers") == _detected(api, conversation_id)


def test_append_adds_messages_and_redetects_with_new_trackers(api: Api) -> None:
    first = {"messages": _messages("hello world"),
             "trackers": [{"name": "Greeting", "vocabulary": ["hello"]}]}
    conversation_id, job_id = _submit(api, first)
    again = {"messages": _messages("goodbye world"),
             "trackers": [{"name": "Words", "vocabulary": ["world"]}]}
    answer = api.put(f"{TEXT}/{conversation_id}", json=again)
    assert answer.status_code == 201
    assert answer.json()["conversationId"] == conversation_id
    assert answer.json()["jobId"] != job_id
    (tracker,) = _detected(api, conversation_id)
    assert tracker["name"] == "Words"
    texts = [r["text"] for r in tracker["matches"][0]["messageRefs"]]
    assert texts == ["hello world", "goodbye world"]


def test_unknown_ids_are_404_with_documented_body(api: Api) -> None:
    assert api.get("/v1/conversations/4000000000000000/trackers-detected").json() == NOT_FOUND
    assert api.get("/v1/conversations/4000000000000000/trackers").status_code == 404
    answer = api.put(f"{TEXT}/4000000000000000", json={"messages": _messages("x")})
    assert answer.status_code == 404 and answer.json() == NOT_FOUND
    assert api.get(f"/v1/job/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"messages": {}},
        {"messages": [{"payload": {}}]},
        {"messages": _messages("x"), "trackers": [{"id": "4000000000000000"}]},
        {"messages": _messages("x"), "trackers": "COVID"},
        {"messages": _messages("x"), "trackers": [{"name": "n"}]},
        {"messages": _messages("x"), "enableAllTrackers": "yes"},
    ],
)
def test_bad_bodies_and_unknown_tracker_ids_are_400(api: Api, body: dict[str, object]) -> None:
    answer = api.post(TEXT, json=body)
    assert answer.status_code == 400 and "message" in answer.json()


@pytest.mark.emulator_only
def test_results_are_empty_until_the_job_completes(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(job_delay_ms=600_000)
    body = {"messages": _messages("hello"), "trackers": [{"name": "G", "vocabulary": ["hello"]}]}
    conversation_id, job_id = _submit(api, body)
    assert api.get(f"/v1/job/{job_id}").json()["status"] == "scheduled"
    assert _detected(api, conversation_id) == []


@pytest.mark.emulator_only
def test_concurrent_jobs_limit_is_429_with_documented_body(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(job_delay_ms=600_000, max_concurrent_jobs=1)
    _submit(api, {"messages": _messages("one")})
    answer = api.post(TEXT, json={"messages": _messages("two")})
    assert answer.status_code == 429
    data = answer.json()
    assert data["statusCode"] == 429 and "maximum of 1 number of concurrent jobs" in data["message"]
