"""The quick shape checks agree with the pydantic models they stand in for.

What :func:`quick_tracker` (tracker mappings) and :func:`quick_config`
(``trackersync.yaml``) accept, the pydantic model accepts in strict mode with the same
values; what the model refuses, they never accept. Data is drawn from the shapes YAML
gives (dicts, lists, str, bool, int, float, None), near the valid shape and away from it.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from trackersync.definitions import config_loader, config_schema, shape
from trackersync.definitions.config_loader import from_spec, quick_config
from trackersync.definitions.schema import TrackerSpec, TrackerTestsSpec
from trackersync.definitions.shape import TRACKER_KEYS, quick_tracker

#: Examples per property. The generated values are small (a few keys, short texts from
#: small alphabets), so a few hundred meet every branch of the quick checks many times
#: over; the suite runs them on every commit (thousands cost ~10 s of CPU per run).
EQUIVALENCE_EXAMPLES = 400
#: The property tests that hold a quick check to its pydantic model.
equivalence_settings = settings(max_examples=EQUIVALENCE_EXAMPLES, deadline=None,
                                suppress_health_check=[HealthCheck.too_slow])
#: Examples per phrase property: hypothesis's default. Each example holds up to eight
#: phrases, drawn often from the list of hard ones below, so a hundred meet each of
#: those many times; a failing example is kept and tried first next run.
PHRASE_EXAMPLES = 100

_text = st.one_of(
    st.sampled_from(["", " ", "budget", "a b", "0123", "12345678901234567890123456789012",
                     "123456789012345678901234567890123", "0123456789abcdef", "0123456789ABCDEF",
                     "123\n", "\u00a0", "\u3000x", "é", "日本", "x\u200b", "strict", "lenient",
                     "revert", "refuse", "error", "warning", "off", "SYMBL_"]),
    st.text(max_size=12),
)
_scalar = st.one_of(_text, st.booleans(), st.integers(-3, 600), st.none(),
                    st.floats(allow_nan=True), st.sampled_from([0.0, 0.5, 1.0, 1.5, -0.1]))
_value = st.recursive(_scalar, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(_text, inner, max_size=3), max_leaves=6)
_texts = st.lists(_text, max_size=4) | st.lists(_value, max_size=3) | _value


def _with_extra(known: dict[str, Any], extra: dict[str, Any] | None) -> dict[str, Any]:
    return known if extra is None else {**extra, **known}


def _maybe(keys: dict[str, Any]) -> Any:
    """A mapping holding any subset of ``keys`` (each a strategy), sometimes a stray key.

    Built from two independent draws rather than ``flatmap`` (which makes a new strategy
    for every example and costs several times as much to draw).
    """
    return st.builds(_with_extra, st.fixed_dictionaries({}, optional=keys),
                     st.none() | st.dictionaries(_text, _value, max_size=1))


_tests = _maybe({"source": _text | _value, "must_fire": _texts, "must_not_fire": _texts}) | _value
_sentences = st.lists(st.text(max_size=6) | st.sampled_from(["ok", " x ", "\u00e9t\u00e9", " "]),
                      max_size=3)
_near_valid = st.fixed_dictionaries(
    {"name": _text, "vocabulary": st.lists(_text, max_size=4)},
    optional={"description": st.none() | _text, "renamed_from": st.lists(_text, max_size=2),
              "protect": st.booleans(), "id": st.none() | _text,
              "accepted_as_imported": st.none() | _text,
              "tests": st.none() | st.fixed_dictionaries(
                  {}, optional={"source": st.none() | _text, "must_fire": _sentences,
                                "must_not_fire": _sentences})},
)
_tracker = _near_valid | _maybe({
    "name": _text | _value, "vocabulary": _texts, "description": _text | _value,
    "renamed_from": _texts, "protect": st.booleans() | _value, "id": _text | _value,
    "accepted_as_imported": _text | _value, "tests": _tests,
})


def _fields(spec: Any) -> dict[str, Any]:
    """A tracker's values as plain data, from the model or from the quick check."""
    data = {key: getattr(spec, key) for key in TRACKER_KEYS}
    tests = data["tests"]
    if tests is not None:
        data["tests"] = {k: getattr(tests, k) for k in ("source", "must_fire", "must_not_fire")}
    return data


@pytest.mark.slow
@equivalence_settings
@given(data=_tracker)
def test_quick_tracker_accepts_only_what_the_model_accepts_with_the_same_values(
    data: dict[str, Any],
) -> None:
    quick = quick_tracker(data)
    try:
        spec = TrackerSpec.model_validate(data, strict=True)
    except ValidationError:
        assert quick is None
        return
    if quick is not None:
        assert _fields(quick) == _fields(spec)


def test_quick_tracker_takes_the_common_shapes() -> None:
    full = {"name": "Budget", "vocabulary": ["budget", "funds"], "description": "note",
            "renamed_from": ["Old"], "protect": True, "id": "5000000000000102",
            "accepted_as_imported": "0123456789abcdef",
            "tests": {"source": "https://example.com", "must_fire": ["what is the budget"],
                      "must_not_fire": ["hello"]}}
    for data in ({"name": "Budget", "vocabulary": ["budget"]}, full):
        quick = quick_tracker(data)
        assert quick is not None
        assert _fields(quick) == _fields(TrackerSpec.model_validate(data, strict=True))
    for refused in ({"name": "", "vocabulary": ["x"]}, {"name": "A", "vocabulary": []},
                    {"name": "A", "vocabulary": ["x"], "protect": "yes"},
                    {"name": "A", "vocabulary": ["x"], "id": 5},
                    {"name": "A", "vocabulary": ["x"], "tests": {"must_fire": [" "]}}):
        assert quick_tracker(refused) is None


_env = _maybe({"api_url": _text | _value, "credentials_prefix": _text | _value,
               "rules": _text | _value, "vars": st.dictionaries(_text, _value, max_size=2)
               | _value})
_config = _maybe({
    "trackers_dir": _text | _value, "rules": _text | _value, "api_url": _text | _value,
    "prune": st.booleans() | _value, "ignore": _texts,
    "safety": _maybe({"max_deletes": st.integers(-2, 20) | _value,
                      "max_delete_fraction": st.floats(-0.5, 1.5) | _value,
                      "drift": _text | _value}) | _value,
    "state_file": _text | _value, "ids_file": _text | _value,
    "vars": st.dictionaries(_text, _value, max_size=2) | _value,
    "environments": st.dictionaries(_text, _env, max_size=2) | _value,
    "account_limit": st.integers(-1, 30000) | _value,
    "severity": st.dictionaries(_text, _text, max_size=2) | _value,
    "tests_dir": _text | _value,
})


@pytest.mark.slow
@equivalence_settings
@given(data=_config)
def test_quick_config_accepts_only_what_the_model_accepts_with_the_same_values(
    data: dict[str, Any],
) -> None:
    quick = quick_config(data)
    try:
        spec = config_schema.Config.model_validate(data, strict=True)
    except ValidationError:
        assert quick is None
        return
    if quick is not None:
        assert dataclasses.asdict(quick) == dataclasses.asdict(from_spec(spec))


def test_the_quick_tracker_check_knows_exactly_the_models_keys() -> None:
    assert sorted(shape.TRACKER_KEYS) == sorted(TrackerSpec.model_fields)
    assert sorted(shape.TESTS_KEYS) == sorted(TrackerTestsSpec.model_fields)
    assert [f.name for f in dataclasses.fields(shape.TrackerFields)] == list(
        TrackerSpec.model_fields)
    assert [f.name for f in dataclasses.fields(shape.TestsFields)] == list(
        TrackerTestsSpec.model_fields)


def test_the_quick_config_check_knows_exactly_the_models_keys() -> None:
    top = set(config_schema.Config.model_fields) | {"ids_file"}  # the older name, read too
    assert top == config_loader._TOP_KEYS
    assert set(config_schema.SafetyConfig.model_fields) == config_loader._SAFETY_KEYS
    assert set(config_schema.EnvironmentConfig.model_fields) == config_loader._ENV_KEYS


def test_the_config_dataclasses_have_the_models_fields_and_defaults() -> None:
    from trackersync import config

    for name in ("Config", "SafetyConfig", "EnvironmentConfig"):
        model = getattr(config_schema, name)
        plain = getattr(config, name)
        assert [f.name for f in dataclasses.fields(plain)] == list(model.model_fields)
    assert dataclasses.asdict(config.Config()) == dataclasses.asdict(
        from_spec(config_schema.Config()))
    assert quick_config({}) == config.Config()
    assert quick_config({"ids_file": "x.json"}) == config.Config(state_file="x.json")


_phrase = st.one_of(
    st.sampled_from([
        "budget", "Budget", "what is the price", "a" * 24 + "1", "eyJhbGciOi.eyJzdWIi.x",
        "AKIA" + "A" * 16, "ghp_" + "a" * 24,
        "one two three four five six seven eight nine ten eleven", "don't", "re-sign",
        "it's ok.", "na\u00efve", "caf\u00e9", " lead", "two  spaces", "tab\there", "q?",
        "a_b", "(x)", "", "\u00a0nbsp", "zero\u200bwidth", "\u0420ricing", "x" * 19 + " 1",
    ]),
    st.text(alphabet=st.sampled_from(list("abAB01 -_.'?()é\u00a0")), max_size=30),
)


@settings(max_examples=PHRASE_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.lists(_phrase, min_size=1, max_size=8), rules=st.sampled_from(["strict",
                                                                            "lenient"]))
def test_a_vocabulary_judged_quiet_has_no_problem_phrase_by_phrase(
    raw: list[str], rules: str,
) -> None:
    from trackersync.definitions.checks import Entry, _check_each_phrase, _quiet_phrases
    from trackersync.definitions.rules import PROFILES, Reporter
    from trackersync.model import DesiredTracker, normalise_vocabulary

    tracker = DesiredTracker(name="T", vocabulary=normalise_vocabulary(raw))
    entry = Entry(tracker=tracker, file="t.yaml", name_pos=(1, 1), raw_phrases=raw,
                  phrase_pos=[(i + 2, 5) for i in range(len(raw))])
    rep = Reporter()
    _check_each_phrase(entry, PROFILES[rules], rep)
    if _quiet_phrases(entry):
        assert rep.problems == []


@settings(max_examples=PHRASE_EXAMPLES, deadline=None)
@given(raw=st.lists(_phrase | st.text(
    alphabet=st.sampled_from(list("ab \t\n\x1c\x00\u00a0e\u0301")), max_size=8), max_size=6))
def test_a_whole_vocabulary_is_normalised_as_each_phrase_is(raw: list[str]) -> None:
    from trackersync.model import normalise_phrase, normalise_vocabulary

    assert normalise_vocabulary(raw) == tuple(normalise_phrase(p) for p in raw)
