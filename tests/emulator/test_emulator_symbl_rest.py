"""Symbl's own generated Python client, ``symbl-rest``, against the emulator.

``symbl-rest`` was generated from Symbl's API description of the time, so it is the
closest thing to Symbl's own contract test: every call below is the client's method
(or, for the Management API it does not model, its generic ``call_api`` transport with
its own ``x-api-key`` authentication), pointed at the emulator with
``Configuration().host``. Answers are deserialised into the client's models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import symbl_rest
from symbl_rest.rest import ApiException

from symbl_emulator import EmulatorServer


@pytest.fixture
def client(emulator: EmulatorServer) -> Iterator[symbl_rest.ApiClient]:
    """A symbl-rest ApiClient bound to the emulator, authenticated like Symbl's SDK does."""
    configuration = symbl_rest.Configuration()
    configuration.host = emulator.url
    api_client = symbl_rest.ApiClient(configuration)
    grant = symbl_rest.Grant(type="application", app_id=emulator.app_id,
                             app_secret=emulator.app_secret)
    token = symbl_rest.AuthenticationApi(api_client).generate_token(grant)
    configuration.api_key["x-api-key"] = token.access_token
    yield api_client
    api_client.rest_client.pool_manager.clear()


def _manage(client: symbl_rest.ApiClient, method: str, path: str, body: Any = None) -> Any:
    """The client's own transport and auth for the Management API it has no methods for."""
    return client.call_api(path, method, {}, [], {"Content-Type": "application/json"},
                           body=body, auth_settings=["bearerAuth"], response_type="object",
                           _return_http_data_only=True)


def test_token_generate_refresh_and_revoke(emulator: EmulatorServer) -> None:
    configuration = symbl_rest.Configuration()
    configuration.host = emulator.url
    auth = symbl_rest.AuthenticationApi(symbl_rest.ApiClient(configuration))
    grant = symbl_rest.Grant(type="application", app_id=emulator.app_id,
                             app_secret=emulator.app_secret)
    token = auth.generate_token(grant)
    assert isinstance(token, symbl_rest.Token) and token.expires_in == 86400
    refreshed = auth.refresh_token(symbl_rest.RefreshTokenRequest(
        app_id=emulator.app_id, app_secret=emulator.app_secret,
        refresh_token=token.access_token))
    assert refreshed.access_token != token.access_token and refreshed.expires_in == 86400
    auth.revoke_token(symbl_rest.RevokeTokenRequest(app_id=emulator.app_id,
                                                    app_secret=emulator.app_secret))
    configuration.api_key["x-api-key"] = refreshed.access_token
    with pytest.raises(ApiException) as revoked:
        symbl_rest.JobsApi(auth.api_client).get_job_status("any")
    assert revoked.value.status == 401
    with pytest.raises(ApiException) as wrong:
        auth.generate_token(symbl_rest.Grant(type="application", app_id=emulator.app_id,
                                             app_secret="not-the-secret"))
    assert wrong.value.status == 401


def test_management_api_through_the_clients_transport(client: symbl_rest.ApiClient) -> None:
    created = _manage(client, "POST", "/v1/manage/tracker",
                      {"name": "Promotion Mention", "vocabulary": ["We have a sale right now on"]})
    tracker_id = created["tracker"]["id"]
    bulk = _manage(client, "POST", "/v1/manage/trackers",
                   [{"name": "COVID-19", "vocabulary": ["vaccination"]}])
    assert [t["name"] for t in bulk["trackers"]] == ["COVID-19"]
    names = [t["name"] for t in _manage(client, "GET", "/v1/manage/trackers")["trackers"]]
    assert names == ["Promotion Mention", "COVID-19"]
    alias = _manage(client, "GET", "/v1/manage/tracker?name=COVID-19")["trackers"]
    assert [t["name"] for t in alias] == ["COVID-19"]
    assert _manage(client, "GET", f"/v1/manage/tracker/{tracker_id}")["tracker"]["id"] == tracker_id
    updated = _manage(client, "PUT", f"/v1/manage/tracker/{tracker_id}",
                      {"name": "Promotion Mention", "vocabulary": ["We have a sale"]})
    assert updated["tracker"]["vocabulary"] == ["We have a sale"]
    deleted = _manage(client, "DELETE", f"/v1/manage/tracker/{tracker_id}")
    assert deleted == {"id": tracker_id, "type": "tracker", "deleted": True}


def test_async_text_append_jobs_and_trackers(client: symbl_rest.ApiClient) -> None:
    stored = _manage(client, "POST", "/v1/manage/tracker",
                     {"name": "Budget", "vocabulary": ["what is your budget"]})["tracker"]
    async_api = symbl_rest.AsyncApi(client)
    body = {"name": "call",
            "messages": [{"payload": {"content": "Hi. We have a sale right now on plans."}}],
            "trackers": [{"name": "Promotion Mention",
                          "vocabulary": ["We have a sale right now on"]}],
            "enableAllTrackers": "true"}
    submitted = async_api.add_text(body=body)
    assert isinstance(submitted, symbl_rest.AsyncResponse)
    job = symbl_rest.JobsApi(client).get_job_status(submitted.job_id)
    assert isinstance(job, symbl_rest.JobResponse) and job.status == "completed"
    appended = async_api.append_text(submitted.conversation_id, body={
        "messages": [{"payload": {"content": "So what is your budget?"}}],
        "enableAllTrackers": True})
    assert appended.conversation_id == submitted.conversation_id
    for api in (symbl_rest.ConversationsApi(client), symbl_rest.TrackersApi(client)):
        detected = api.get_trackers_by_conversation_id(submitted.conversation_id)
        assert all(isinstance(item, symbl_rest.TrackersListResponse) for item in detected)
        assert {item.name for item in detected} == {stored["name"]}
        refs = detected[0].matches[0].message_refs
        assert refs[0].text == "So what is your budget?" and refs[0].offset == 3
    current = client.call_api(
        f"/v1/conversations/{submitted.conversation_id}/trackers-detected", "GET",
        auth_settings=["bearerAuth"], response_type="list[TrackersListResponse]",
        _return_http_data_only=True)
    assert [item.name for item in current] == [stored["name"]]


@pytest.mark.parametrize("method", ["get_messages_by_conversation_id",
                                    "get_topics_by_conversation_id",
                                    "get_conversation_by_conversation_id"])
def test_paths_symbl_had_but_not_emulated_answer_501(
    emulator: EmulatorServer, method: str
) -> None:
    configuration = symbl_rest.Configuration()
    configuration.host = emulator.url  # no token: 501 comes before authentication
    api = symbl_rest.ConversationsApi(symbl_rest.ApiClient(configuration))
    with pytest.raises(ApiException) as answer:
        getattr(api, method)("5815170693595136")
    assert answer.value.status == 501
    assert "not emulated" in answer.value.body.decode()
