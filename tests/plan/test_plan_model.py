"""Plan data: JSON round trip, versioning, fingerprints, text rendering, public API."""

from __future__ import annotations

import json

import pytest

import trackersync.plan as plan_module
from trackersync.config import Config
from trackersync.errors import PlanError
from trackersync.pipeline import PlanOptions, build_plan
from trackersync.plan import Plan, fingerprint_of
from trackersync.render import render_plan
from trackersync.state import StateRecord

from .fakes import desired, remote


def _plan() -> Plan:
    want = [desired("A", "x", "y"), desired("B", "b", renamed_from=("Old B",)),
            desired("C", "c1", "c3")]
    have = [remote("1", "Old B", "b"), remote("2", "C", "c1", "c2"), remote("3", "Z", "z"),
            remote("4", "UI", "u")]
    owned = StateRecord({"Old B": "1", "C": "2", "Z": "3"})
    return build_plan(want, have, Config(ignore=["UI"]), PlanOptions(prune=True, api_url="u"),
                      owned)


def test_public_api_is_pinned() -> None:
    assert sorted(plan_module.__all__) == sorted([
        "ACTIONS", "PLAN_FORMAT_VERSION", "Action", "Change", "Fingerprint", "Plan", "Summary",
        "check_fresh", "digest_of", "fingerprint_of", "summarise", "CAUSES", "Cause",
        "FieldDrift"])


def test_json_round_trip_and_version() -> None:
    plan = _plan()
    data = json.loads(plan.to_json())
    assert data["format_version"] == 2
    assert data["summary"] == {"create": 1, "update": 1, "rename": 1, "delete": 1,
                               "pending": 4, "drift": 0, "conflict": 0}
    assert {c["action"] for c in data["changes"]} == {"create", "update", "rename", "delete"}
    assert Plan.from_json(plan.to_json()) == plan
    data["format_version"] = 1
    with pytest.raises(PlanError, match="format_version 1 is not supported"):
        Plan.from_json(json.dumps(data))
    with pytest.raises(PlanError, match="invalid JSON"):
        Plan.from_json("{")


def test_fingerprint_ignores_order_but_not_content() -> None:
    a = fingerprint_of([desired("A", "x", "y")], [remote("1", "R", "p", "q")])
    b = fingerprint_of([desired("A", "y", "x")], [remote("1", "R", "q", "p")])
    c = fingerprint_of([desired("A", "y", "z")], [remote("1", "R", "q", "p")])
    assert a == b
    assert a.desired != c.desired and a.remote == c.remote


def test_text_render_is_exact() -> None:
    assert render_plan(_plan()) == "\n".join([
        '+ create "A"',
        "    + x",
        "    + y",
        '~ update "C" (id 2)',
        "    + c3",
        "    - c2",
        '~ rename "Old B" -> "B" (id 1)',
        '- delete "Z" (id 3, 1 phrase)',
        "",
        "Plan: 1 to create, 1 to update, 1 to rename, 1 to delete.",
    ])
    colored = render_plan(_plan(), color=True)
    assert "\x1b[32m+ create" in colored and "\x1b[31m- delete" in colored


def test_no_changes_text() -> None:
    plan = build_plan([desired("A", "x")], [remote("1", "A", "x")], Config(), PlanOptions())
    assert render_plan(plan) == "No changes."
    assert json.loads(render_plan(plan, "json"))["changes"] == []
    with pytest.raises(PlanError, match="unknown plan format"):
        render_plan(plan, "yaml")
