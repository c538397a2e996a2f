"""YAML reading: scalar resolution against ruamel's own resolvers, positions, public API."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

import trackersync.definitions as definitions
from trackersync.definitions import yamlnodes
from trackersync.definitions.yamlnodes import YamlProblem, compose, decode, plain_kind, resolve_core

STR = "tag:yaml.org,2002:str"
_RESOLVERS = {v: VersionedResolver(version=v) for v in ((1, 1), (1, 2))}


def ruamel_nonstr(text: str) -> bool:
    """True when ruamel (YAML 1.1 or 1.2) reads the plain scalar as something but a string."""
    tags = {str(r.resolve(ScalarNode, text, (True, False))) for r in _RESOLVERS.values()}
    return bool(tags - {STR, "tag:yaml.org,2002:merge", "tag:yaml.org,2002:value",
                        "tag:yaml.org,2002:yaml"})


SAMPLES = [
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "off", "OFF", "true", "False", "y", "n",
    "Y", "N", "null", "Null", "~", "", "0", "42", "-7", "+3", "0o17", "0x1F", "017", "0b101",
    "1_000", "3.14", "1e3", "1E-3", "-.5", ".5", "1.", ".inf", "-.Inf", ".nan", "1:20",
    "190:20:30.15", "2024-01-31", "2001-12-14t21:59:43.10-05:00", "2002-12-14",
    "-_", "+__", "_", "._", "yes please", "no thanks", "on it", "nope", "none", "True story",
    "3 apples", "v1.2", "0_E0", "1_0e1_0", "+.Inf", "-.nan", "0X1f", "0O7", "0B1", "__",
    "._e1", "1:2:3", "-0_", ".e1",
    "1.2.3", "12abc", "-", ".", "0xZZ", "n/a", "2024-13", "yesterday", "ON AIR", "offset",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_plain_kind_covers_what_ruamel_resolves(text: str) -> None:
    if ruamel_nonstr(text):
        assert plain_kind(text) is not None, text
    if plain_kind(text) is None:
        assert not ruamel_nonstr(text)


@settings(max_examples=300, deadline=None)
@example("0_E0")  # a float to ruamel (underscore before an exponent)
@given(st.text(alphabet="0123456789+-._:eExXoObB tTyYnN~aAlsu", max_size=12))
def test_plain_kind_never_misses_a_ruamel_non_string(text: str) -> None:
    if ruamel_nonstr(text):
        assert plain_kind(text) is not None


def kind_by_patterns(text: str) -> str | None:
    """What each of the module's patterns says of ``text``, tried in order."""
    for kind, pattern in (("boolean", yamlnodes._BOOL), ("null", yamlnodes._NULL),
                          ("number", yamlnodes._NUMBER), ("date", yamlnodes._DATE)):
        if pattern.fullmatch(text):
            return kind
    return None


@settings(max_examples=300, deadline=None)
@example("null")
@example("yes sir")
@given(st.one_of(st.sampled_from(SAMPLES),
                 st.text(alphabet="yYnNtTfFoOeEsSrRuUlL ~1.", max_size=8)))
def test_plain_kind_of_words_is_what_the_patterns_say(text: str) -> None:
    # words starting with a letter are looked up, not matched: the same answer
    assert plain_kind(text) == kind_by_patterns(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("y", "boolean"), ("n", "boolean"), ("Yes", "boolean"), ("~", "null"), ("", "null"),
    ("1e3", "number"), ("09", "number"), ("2024-01-31", "date"), ("hello", None),
    ("yes sir", None),
])
def test_plain_kind_values(text: str, kind: str | None) -> None:
    assert plain_kind(text) == kind


@pytest.mark.parametrize(("text", "value"), [
    ("true", True), ("FALSE", False), ("yes", "yes"), ("no", "no"), ("~", None), ("", None),
    ("42", 42), ("-7", -7), ("0o17", 15), ("0x1F", 31), ("1e3", 1000.0), ("3.5", 3.5),
    (".inf", math.inf), ("-.INF", -math.inf), ("2024-01-31", "2024-01-31"), ("1_000", "1_000"),
])
def test_resolve_core_is_yaml_12(text: str, value: object) -> None:
    assert resolve_core(text) == value and type(resolve_core(text)) is type(value)


def test_positions_styles_and_aliases() -> None:
    doc = compose("a: &x 'q'\nb:\n  - plain\n  - \"dq\"\n  - *x\n  - 1.5\n")
    assert doc.data == {"a": "q", "b": ["plain", "dq", "q", 1.5]}
    assert doc.position(("b", 1)) == (4, 5) == doc.items[("b",)][1]
    assert list(doc.items[("b",)]) == [(3, 5), (4, 5), (1, 4), (6, 5)]  # *x: where &x is
    assert doc.keys[("b",)] == (2, 1)
    assert doc.plain_nonstr == {("b", 3): ("number", "1.5")}


def test_recursive_alias_is_bounded() -> None:
    doc = compose("a: &x [*x]\n")
    assert [p.code for p in doc.problems] == ["yaml-depth"]


def test_decode_position_of_bad_byte() -> None:
    with pytest.raises(YamlProblem) as info:
        decode(b"a: 1\nb: \xc3\xa9\xff\n")
    assert (info.value.line, info.value.column, info.value.code) == (2, 5, "encoding")


def test_public_api_is_pinned() -> None:
    assert sorted(definitions.__all__) == sorted([
        "PROFILES", "RULES", "DefinitionSet", "Rule", "dump_tracker_yaml", "load_config",
        "load_definitions", "load_for_every_environment", "render_templates"])


def test_every_public_name_is_imported_from_the_module_it_lives_in() -> None:
    # the package imports its names on first use, from the table of where each lives:
    # the table and __all__ must name the same things, each defined in its module
    import importlib

    assert sorted(definitions._HOMES) == sorted(definitions.__all__)
    for name, home in definitions._HOMES.items():
        module = f"trackersync.definitions.{home}"
        value = getattr(definitions, name)
        assert value is getattr(importlib.import_module(module), name), name
        assert getattr(value, "__module__", module) == module, f"{name} is defined elsewhere"
    with pytest.raises(AttributeError, match="no attribute 'load_trackers'"):
        definitions.load_trackers  # noqa: B018
