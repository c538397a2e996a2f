"""Contract: the documented Async requests with trackers, audio/video submissions, matching.

The two requests of Symbl's tutorial "Consuming Trackers with Async API"
(https://github.com/symblai/symbl-docs/blob/bf1cf782e3850e7c7c6e6de820b6ae09d69edf69/docs/tutorials/trackers/consuming-trackers-async-api.md)
are sent as printed there, minus the shell comments and the trailing commas that make
them invalid JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from urllib.parse import quote

import pytest
from conftest import Api

pytestmark = pytest.mark.emulator_only

SEED_AUDIO_URL_BODY = """{
    "url": "<PUBLIC_AUDIO_FILE_URL>",
    "confidenceThreshold": 0.6,
    "timezoneOffset": 0,
    "trackers": [
        {
            "name": "Promotion Mention",
            "vocabulary": [
                "We have a special promotion going on if you book this before",
                "I can offer you a discount of 10 20 percent you being a new customer for us",
                "We have our month special this month",
                "We have a sale right now on"
            ]
        }
    ]
}"""

SEED_TEXT_BODY = """{
  "name": "Afternoon Business Meeting",
  "detectPhrases": true,
  "confidenceThreshold": 0.6,
  "entities": [
    {
      "customType": "Company Executives",
      "value": "Marketing director",
      "text": "Marketing director"
    }
  ],
  "detectEntities": true,
  "messages": [],
  "trackers": [
    {
      "id": "5123033831841280"
    },
    {
      "id": "6174043823841420"
    }
  ]
}"""

JSON = {"Content-Type": "application/json"}


def _transcript(api: Api, **body: object) -> None:
    assert api.emulator is not None
    answer = api.post("/_emulator/transcripts", json=body, auth=False)
    assert answer.status_code == 201, answer.text


def _accepted(answer: object) -> tuple[str, str]:
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    data = answer.json()  # type: ignore[attr-defined]
    assert set(data) == {"conversationId", "jobId"}
    assert re.fullmatch(r"\d{16}", data["conversationId"])
    assert str(uuid.UUID(data["jobId"])) == data["jobId"]
    return data["conversationId"], data["jobId"]


def _detected(api: Api, conversation_id: str) -> list[dict]:
    answer = api.get(f"/v1/conversations/{conversation_id}/trackers-detected")
    assert answer.status_code == 200
    result: list[dict] = answer.json()
    return result


def test_seed_audio_url_request_detects_the_documented_match(api: Api) -> None:
    _transcript(api, url="<PUBLIC_AUDIO_FILE_URL>",
                messages=["Hi, thanks for calling. We're running a sale right now"])
    conversation_id, job_id = _accepted(
        api.post("/v1/process/audio/url", data=SEED_AUDIO_URL_BODY, headers=JSON))
    assert api.get(f"/v1/job/{job_id}").json() == {"id": job_id, "status": "completed"}
    [tracker] = _detected(api, conversation_id)
    assert re.fullmatch(r"\d{16}", tracker["id"]) and tracker["name"] == "Promotion Mention"
    [match] = tracker["matches"]
    assert match["type"] == "vocabulary" and match["value"] == "We have a sale right now on"
    assert match["insightRefs"] == []
    [ref] = match["messageRefs"]
    assert ref["text"] == "We're running a sale right now" and ref["offset"] == -1
    assert re.fullmatch(r"\d{16}", ref["id"])


def test_seed_text_request_with_tracker_ids(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.seed([
        {"id": "5123033831841280", "name": "Denial", "vocabulary": ["no", "not interested"]},
        {"id": "6174043823841420", "name": "Budget", "vocabulary": ["budget", "our budget"]},
    ])
    conversation_id, job_id = _accepted(
        api.post("/v1/process/text", data=SEED_TEXT_BODY, headers=JSON))
    assert api.get(f"/v1/job/{job_id}").json()["status"] == "completed"
    assert _detected(api, conversation_id) == []
    answer = api.put(f"/v1/process/text/{conversation_id}", json={
        "messages": [{"payload": {"content": "Honestly it is not the right time. "
                                             "We have no budget for this."}}],
        "trackers": [{"id": "5123033831841280"}, {"id": "6174043823841420"}]})
    _accepted(answer)
    detected = {t["name"]: t for t in _detected(api, conversation_id)}
    assert set(detected) == {"Denial", "Budget"}
    [no] = detected["Denial"]["matches"]
    assert no["value"] == "no" and [r["text"] for r in no["messageRefs"]] == [
        "We have no budget for this."]  # never inside "not"
    assert no["messageRefs"][0]["offset"] == 8


def test_exact_matching_option_turns_the_contextual_layer_off(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(matching="exact")
    body = {"messages": [{"payload": {"content": "We're running a sale right now"}}],
            "trackers": [{"name": "Promo", "vocabulary": ["We have a sale right now on",
                                                          "sale right now"]}]}
    conversation_id, _ = _accepted(api.post("/v1/process/text", json=body))
    [tracker] = _detected(api, conversation_id)
    assert [(m["value"], m["messageRefs"][0]["offset"]) for m in tracker["matches"]] == [
        ("sale right now", 16)]


@pytest.mark.parametrize("kind", ["audio", "video"])
def test_url_endpoints_use_the_registered_transcript_and_append(api: Api, kind: str) -> None:
    url = f"https://example.com/{kind}.file"
    _transcript(api, url=url, messages=[{"payload": {"content": "Let us talk budget."}}])
    trackers = [{"name": "Budget", "vocabulary": ["budget"]}]
    path = f"/v1/process/{kind}/url"
    conversation_id, _ = _accepted(api.post(path, json={"url": url, "trackers": trackers}))
    assert [t["name"] for t in _detected(api, conversation_id)] == ["Budget"]
    second = "https://example.com/second"
    _transcript(api, url=second, messages=["Any discount for us?"])
    _accepted(api.put(f"{path}/{conversation_id}", json={
        "url": second, "trackers": [{"name": "Discount", "vocabulary": ["discount"]}]}))
    assert [t["name"] for t in _detected(api, conversation_id)] == ["Discount"]
    _, job = _accepted(api.post(path, json={"url": "https://example.com/none"}))
    assert api.get(f"/v1/job/{job}").json()["status"] == "completed"
    assert api.post(path, json={"trackers": trackers}).status_code == 400
    assert api.put(f"{path}/4000000000000000", json={"url": url}).status_code == 404


@pytest.mark.parametrize(("kind", "mime"), [("audio", "audio/wav"), ("video", "video/mp4")])
def test_file_endpoints_take_trackers_in_the_query(api: Api, kind: str, mime: str) -> None:
    data = f"RIFF fake {kind} bytes".encode()
    _transcript(api, sha256=hashlib.sha256(data).hexdigest(),
                messages=["Stay safe during the pandemic. Wear a mask."])
    trackers = quote(json.dumps([{"name": "COVID-19", "vocabulary": ["pandemic", "mask"]}]))
    path = f"/v1/process/{kind}"
    answer = api.post(f"{path}?trackers={trackers}&name=Call", data=data,
                      headers={"Content-Type": mime})
    conversation_id, _ = _accepted(answer)
    [tracker] = _detected(api, conversation_id)
    assert [m["value"] for m in tracker["matches"]] == ["pandemic", "mask"]
    assert api.emulator is not None
    api.emulator.seed([{"name": "Stored", "vocabulary": ["wear a mask"]}])
    _accepted(api.put(f"{path}/{conversation_id}?enableAllTrackers=true", data=data,
                      headers={"Content-Type": mime}))
    assert [t["name"] for t in _detected(api, conversation_id)] == ["Stored"]
    assert api.post(path, data=data, headers={"Content-Type": "text/plain"}).status_code == 400
    assert api.post(path, data=b"", headers={"Content-Type": mime}).status_code == 400
    assert api.post(f"{path}?trackers=COVID", data=data,
                    headers={"Content-Type": mime}).status_code == 400


def test_a_chunked_upload_is_measured_and_accepted(api: Api) -> None:
    data = [b"chunked ", b"bytes"]
    _transcript(api, sha256=hashlib.sha256(b"".join(data)).hexdigest(), messages=["No."])
    answer = api.post("/v1/process/audio", data=iter(data),
                      params={"trackers": '[{"name": "Denial", "vocabulary": ["no"]}]'},
                      headers={"Content-Type": "audio/mpeg"})
    conversation_id, _ = _accepted(answer)
    assert [t["name"] for t in _detected(api, conversation_id)] == ["Denial"]


def test_file_upload_may_exceed_the_json_body_limit(api: Api) -> None:
    data = b"\0" * (1_048_576 + 10)
    _accepted(api.post("/v1/process/audio?enableAllTrackers=true", data=data,
                       headers={"Content-Type": "audio/mpeg"}))


def test_bad_transcripts_are_refused(api: Api) -> None:
    for body in ({"messages": []}, {"url": "", "messages": []}, {"url": "u"},
                 {"url": "u", "messages": [{"payload": {}}]}):
        assert api.post("/_emulator/transcripts", json=body, auth=False).status_code == 400
