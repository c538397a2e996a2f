"""Validation profiles strict|lenient over HTTP (docs/api-contract.md, "Phrase count" on)."""

from __future__ import annotations

import pytest
from conftest import Api

ONE = "/v1/manage/tracker"


def _post(api: Api, vocabulary: object, name: object = "Rules") -> tuple[int, str]:
    name = api.name(name) if isinstance(name, str) and name else name
    answer = api.post(ONE, json={"name": name, "vocabulary": vocabulary})
    return answer.status_code, answer.json().get("message", "") if answer.status_code != 201 else ""


@pytest.mark.parametrize(
    "phrase",
    ["it's fine", "it\u2019s fine", "bye-bye", "version 2.0", "Café crème", "naïve", "日本語"],
)
def test_strict_accepts_letters_digits_spaces_dot_apostrophes_dash(api: Api, phrase: str) -> None:
    assert _post(api, [phrase]) == (201, "")


@pytest.mark.parametrize("char", ["?", ",", "!", ":", "&", "(", "[", "/", "\u201c"])
def test_strict_rejects_other_punctuation_naming_the_character(api: Api, char: str) -> None:
    status, message = _post(api, ["fine", f"what{char} now"])
    assert status == 400
    assert repr(char) in message and "vocabulary[1]" in message


@pytest.mark.emulator_only
@pytest.mark.parametrize("phrase", ["What's the price?", "yes, please", "COVID-19 & more"])
def test_lenient_accepts_most_punctuation(api: Api, phrase: str) -> None:
    assert api.emulator is not None
    api.emulator.configure(rules="lenient")
    assert _post(api, [phrase]) == (201, "")


@pytest.mark.emulator_only
@pytest.mark.parametrize("char", ["(", ")", "[", "]"])
def test_lenient_rejects_brackets(api: Api, char: str) -> None:
    assert api.emulator is not None
    api.emulator.configure(rules="lenient")
    status, message = _post(api, [f"a {char} b"])
    assert status == 400 and repr(char) in message


def test_phrase_count_strict_1_to_50(api: Api) -> None:
    assert _post(api, [])[0] == 400
    assert _post(api, [f"phrase {n}" for n in range(51)], "Too many")[0] == 400
    assert _post(api, [f"phrase {n}" for n in range(50)], "Fifty")[0] == 201
    assert _post(api, ["just one"], "One")[0] == 201


@pytest.mark.emulator_only
def test_phrase_count_lenient_has_no_maximum(api: Api) -> None:
    assert api.emulator is not None
    api.emulator.configure(rules="lenient")
    assert _post(api, [f"phrase {n}" for n in range(120)])[0] == 201
    assert _post(api, [], "Empty")[0] == 400


@pytest.mark.parametrize("profile", ["strict", "lenient"])
def test_exact_duplicate_phrases_are_400_case_variants_are_not(api: Api, profile: str) -> None:
    if api.emulator is None and profile == "lenient":
        pytest.skip("profile is an emulator setting")
    if api.emulator is not None:
        api.emulator.configure(rules=profile)
    status, message = _post(api, ["order number", "order number"])
    assert status == 400 and "duplicate" in message
    assert _post(api, ["order number", "Order number"], "Case")[0] == 201


@pytest.mark.parametrize(
    ("name", "vocabulary"),
    [
        (None, ["x"]), ("", ["x"]), (42, ["x"]), ("n", "x"), ("n", [1, 2]), ("n", None),
        ("n", ["  "]), ("n", ["ok", ""]),
    ],
)
def test_types_and_empty_values_are_400(api: Api, name: object, vocabulary: object) -> None:
    status, message = _post(api, vocabulary, name)
    assert status == 400 and message


def test_stored_strings_are_kept_exactly_as_sent(api: Api) -> None:
    name = api.name(" Spaced  Name ")
    answer = api.post(ONE, json={"name": name, "vocabulary": ["  two  spaces "]})
    assert answer.status_code == 201
    assert answer.json()["tracker"]["name"] == name
    assert answer.json()["tracker"]["vocabulary"] == ["  two  spaces "]


def test_one_400_names_every_problem_of_every_bulk_item(api: Api) -> None:
    bulk = [{"name": api.name("A"), "vocabulary": ["ok?"]},
            {"name": api.name("B"), "vocabulary": ["x", "x"]}]
    answer = api.post("/v1/manage/trackers", json=bulk)
    assert answer.status_code == 400
    message = answer.json()["message"]
    assert "trackers[0]" in message and "trackers[1]" in message
