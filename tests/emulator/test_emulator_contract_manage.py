"""Contract: Trackers Management API (decisions in docs/api-contract.md).

Written against a base URL and a token with plain ``requests``; runs against a real
account with ``--live`` (tests marked ``emulator_only`` are then skipped).
"""

from __future__ import annotations

import re

import pytest
from conftest import Api

ONE = "/v1/manage/tracker"
MANY = "/v1/manage/trackers"
ID = re.compile(r"^\d{16}$")
COVID = ["social distancing", "cover face with mask", "coronavirus", "COVID-19"]


def _create(api: Api, name: str, vocabulary: list[str] | None = None) -> dict[str, object]:
    answer = api.post(ONE, json={"name": api.name(name), "vocabulary": vocabulary or ["hello"]})
    assert answer.status_code == 201, answer.text
    tracker: dict[str, object] = answer.json()["tracker"]
    return tracker


def test_create_one_is_201_with_tracker_and_16_digit_id(api: Api) -> None:
    answer = api.post(ONE, json={"name": api.name("COVID-19"), "vocabulary": COVID})
    assert answer.status_code == 201
    tracker = answer.json()["tracker"]
    assert ID.match(tracker["id"]) and 4e15 <= int(tracker["id"]) < 7e15
    assert tracker["name"] == api.name("COVID-19") and tracker["vocabulary"] == COVID


def test_bulk_create_is_201_in_input_order(api: Api) -> None:
    items = [{"name": api.name(f"Bulk {n}"), "vocabulary": [f"phrase {n}"]} for n in "BCA"]
    answer = api.post(MANY, json=items)
    assert answer.status_code == 201
    created = answer.json()["trackers"]
    assert [t["name"] for t in created] == [i["name"] for i in items]
    assert len({t["id"] for t in created}) == 3


def test_object_body_on_plural_path_is_a_single_create(api: Api) -> None:
    answer = api.post(MANY, json={"name": api.name("Later API"), "vocabulary": ["hi there"]})
    assert answer.status_code == 201
    assert answer.json()["tracker"]["name"] == api.name("Later API")


@pytest.mark.parametrize("body", ["not a list", 42, []])
def test_bulk_body_that_is_not_a_non_empty_array_is_400(api: Api, body: object) -> None:
    answer = api.post(MANY, json=body)
    assert answer.status_code == 400
    assert isinstance(answer.json()["message"], str)


def test_list_all_is_trackers_array_in_creation_order(api: Api) -> None:
    made = [_create(api, name)["id"] for name in ("Zeta", "Alpha", "Mid")]
    listing = api.get(MANY)
    assert listing.status_code == 200
    ids = [t["id"] for t in listing.json()["trackers"]]
    assert [i for i in ids if i in made] == made


def test_list_by_name_is_exact_and_case_sensitive(api: Api) -> None:
    upper = _create(api, "Pricing")
    lower = _create(api, "pricing")
    found = api.get(MANY, params={"name": api.name("Pricing")}).json()["trackers"]
    assert [t["id"] for t in found] == [upper["id"]]
    found = api.get(MANY, params={"name": api.name("pricing")}).json()["trackers"]
    assert [t["id"] for t in found] == [lower["id"]]
    assert api.get(MANY, params={"name": api.name("Pric")}).json() == {"trackers": []}


def test_empty_name_param_means_all_and_unknown_params_are_ignored(api: Api) -> None:
    made = _create(api, "Any")
    for params in ({"name": ""}, {"page": "2", "limit": "1"}):
        ids = [t["id"] for t in api.get(MANY, params=params).json()["trackers"]]
        assert made["id"] in ids


def test_singular_list_alias_with_name(api: Api) -> None:
    made = _create(api, "Alias")
    answer = api.get(ONE, params={"name": api.name("Alias")})
    assert answer.status_code == 200
    assert [t["id"] for t in answer.json()["trackers"]] == [made["id"]]


def test_get_by_id_and_404s(api: Api) -> None:
    made = _create(api, "Get me", ["one phrase"])
    answer = api.get(f"{ONE}/{made['id']}")
    assert answer.status_code == 200 and answer.json() == {"tracker": made}
    for bad in ("4000000000000000", "not-a-number"):
        missing = api.get(f"{ONE}/{bad}")
        assert missing.status_code == 404 and "message" in missing.json()


def test_put_replaces_name_and_vocabulary(api: Api) -> None:
    made = _create(api, "Promotion Mention", ["We have a sale", "special promotion"])
    body = {"id": made["id"], "name": api.name("Promo"), "vocabulary": ["new offer"]}
    answer = api.put(f"{ONE}/{made['id']}", json=body)
    assert answer.status_code == 200
    expected = {"id": made["id"], "name": api.name("Promo"), "vocabulary": ["new offer"]}
    assert answer.json() == {"tracker": expected}
    assert api.get(f"{ONE}/{made['id']}").json()["tracker"] == expected


def test_put_to_own_name_is_fine_and_to_another_name_is_409(api: Api) -> None:
    first = _create(api, "First")
    _create(api, "Second")
    same = api.put(f"{ONE}/{first['id']}", json={"name": api.name("First"), "vocabulary": ["x"]})
    assert same.status_code == 200
    clash = api.put(f"{ONE}/{first['id']}", json={"name": api.name("Second"), "vocabulary": ["x"]})
    assert clash.status_code == 409 and "message" in clash.json()


@pytest.mark.parametrize(
    "body",
    [{"vocabulary": ["x"]}, {"name": "n"}, {"id": "4000000000000001", "name": "n",
                                            "vocabulary": ["x"]}, ["not", "an", "object"]],
)
def test_put_bad_bodies_are_400(api: Api, body: object) -> None:
    made = _create(api, "Target")
    answer = api.put(f"{ONE}/{made['id']}", json=body)
    assert answer.status_code == 400 and "message" in answer.json()


def test_put_unknown_id_is_404(api: Api) -> None:
    answer = api.put(f"{ONE}/4000000000000000", json={"name": api.name("n"), "vocabulary": ["x"]})
    assert answer.status_code == 404


@pytest.mark.emulator_only
def test_put_merge_mode_reproduces_the_documented_sample(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(put_mode="merge")
    original = ["We have a special promotion going on if you book this before",
                "I can offer you a discount of 10 20 percent",
                "We have a sale right now on", "Being a new customer"]
    made = _create(api, "Promotion Mention", original)
    new = ["Is there a way to get a discount", "I would like a discount", "Check for offers"]
    answer = api.put(f"{ONE}/{made['id']}", json={"name": "Promotion Mention", "vocabulary": new})
    assert answer.status_code == 200
    assert answer.json()["tracker"]["vocabulary"] == new + original


def test_delete_answers_documented_body_then_404(api: Api) -> None:
    made = _create(api, "Delete me")
    answer = api.delete(f"{ONE}/{made['id']}")
    assert answer.status_code == 200
    assert answer.json() == {"id": made["id"], "type": "tracker", "deleted": True}
    assert api.delete(f"{ONE}/{made['id']}").status_code == 404
    assert api.get(f"{ONE}/{made['id']}").status_code == 404


def test_duplicate_name_is_409_on_create_and_in_bulk(api: Api) -> None:
    _create(api, "Taken")
    again = api.post(ONE, json={"name": api.name("Taken"), "vocabulary": ["x"]})
    assert again.status_code == 409 and "message" in again.json()
    bulk = [{"name": api.name("Fresh"), "vocabulary": ["y"]},
            {"name": api.name("Taken"), "vocabulary": ["x"]}]
    assert api.post(MANY, json=bulk).status_code == 409
    assert api.get(MANY, params={"name": api.name("Fresh")}).json() == {"trackers": []}


def test_same_name_twice_in_one_bulk_is_409_and_nothing_is_stored(api: Api) -> None:
    bulk = [{"name": api.name("Twice"), "vocabulary": ["y"]},
            {"name": api.name("Twice"), "vocabulary": ["x"]}]
    assert api.post(MANY, json=bulk).status_code == 409
    assert api.get(MANY, params={"name": api.name("Twice")}).json() == {"trackers": []}


def test_bulk_with_one_invalid_item_is_400_and_all_or_nothing(api: Api) -> None:
    bulk = [{"name": api.name("Good"), "vocabulary": ["fine phrase"]},
            {"name": api.name("Bad"), "vocabulary": "not a list"}]
    answer = api.post(MANY, json=bulk)
    assert answer.status_code == 400 and "vocabulary" in answer.json()["message"]
    assert api.get(MANY, params={"name": api.name("Good")}).json() == {"trackers": []}


@pytest.mark.parametrize(("method", "path"), [("POST", ONE), ("POST", MANY), ("PUT", ONE)])
def test_body_over_1_mb_is_413(api: Api, method: str, path: str) -> None:
    if method == "PUT":
        path = f"{ONE}/{_create(api, 'Big')['id']}"
    phrases = [f"phrase number {n} " + "x" * 90 for n in range(11_000)]
    body = {"name": api.name("Huge"), "vocabulary": phrases}
    answer = api.call(method, path, json=[body] if path == MANY else body)
    assert answer.status_code == 413
    assert answer.json() == {"message": "request entity too large"}


def test_non_json_body_and_wrong_content_type_are_400(api: Api) -> None:
    broken = api.post(ONE, data=b"{not json", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400
    form = api.post(ONE, data={"name": "x", "vocabulary": "y"})
    assert form.status_code == 400


def test_get_and_delete_need_no_content_type(api: Api) -> None:
    made = _create(api, "No CT")
    assert api.get(f"{ONE}/{made['id']}", headers={"Content-Type": ""}).status_code == 200
    assert api.delete(f"{ONE}/{made['id']}").status_code == 200


def test_extra_keys_are_ignored(api: Api) -> None:
    body = {"name": api.name("Extra"), "vocabulary": ["hello"], "description": "d",
            "categories": ["c"], "languages": ["en-US"]}
    answer = api.post(ONE, json=body)
    assert answer.status_code == 201
    assert set(answer.json()["tracker"]) == {"id", "name", "vocabulary"}


@pytest.mark.emulator_only
def test_unknown_route_is_404_and_wrong_method_is_405(api: Api) -> None:
    assert api.get("/v1/manage/nothing").status_code == 404
    wrong = api.call("PATCH", f"{ONE}/4000000000000000", json={})
    assert wrong.status_code == 405 and "message" in wrong.json()


@pytest.mark.emulator_only
def test_account_limit_is_400_and_whole_batch_fails(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(tracker_limit=3)
    _create(api, "One")
    bulk = [{"name": f"N{n}", "vocabulary": ["x"]} for n in range(3)]
    answer = api.post(MANY, json=bulk)
    assert answer.status_code == 400 and "limit of 3" in answer.json()["message"]
    assert len(api.get(MANY).json()["trackers"]) == 1
    assert api.post(MANY, json=bulk[:2]).status_code == 201
    assert api.post(ONE, json={"name": "Over", "vocabulary": ["x"]}).status_code == 400
