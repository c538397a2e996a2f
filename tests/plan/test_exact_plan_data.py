"""A saved plan read without pydantic equals pydantic's reading; anything unusual is left
to pydantic (``trackersync.exactdata``, used by ``Plan.from_json``)."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from pydantic import TypeAdapter

from trackersync.errors import PlanError
from trackersync.exactdata import build_exact
from trackersync.model import Problem, SourceRef
from trackersync.plan import Change, FieldDrift, Fingerprint, Plan, Summary, _content_digest


def rich_plan() -> Plan:
    """A plan using every field type: drift, warnings with and without a source, ids."""
    return Plan(
        fingerprint=Fingerprint(desired="d" * 64, remote="r" * 64,
                                remote_trackers={"1": "a" * 16}, desired_trackers={"A": "b"}),
        changes=[
            Change(action="create", name="A", added=["x", "y"], vocabulary=["x", "y"],
                   protect=True, source="trackers/a.yaml"),
            Change(action="update", name="B", tracker_id="1", added=["n"], removed=["o"],
                   cause="conflict", drift=[FieldDrift(field="vocabulary", change="added",
                                                       account="n"),
                                            FieldDrift(field="name", change="changed",
                                                       snapshot="Old", account="B")]),
            Change(action="rename", name="C", old_name="Old C", tracker_id="2"),
            Change(action="delete", name="Z", tracker_id="3", cause="drift"),
        ],
        unmanaged=["UI"],
        warnings=[Problem(severity="warning", message="long phrase", code="phrase-words",
                          source=SourceRef(file="trackers/a.yaml", line=4, column=7),
                          tracker="A"),
                  Problem(severity="warning", message="whole set")],
        summary=Summary(create=1, update=1, rename=1, delete=1, pending=2, drift=1,
                        conflict=1),
        env="prod", api_url="https://api.symbl.ai", prune=True, remote_count=3,
        drift_policy="refuse", drift_only=False,
    )


def saved_data(plan: Plan) -> dict[str, Any]:
    """The JSON data ``plan --out`` writes for ``plan``, without its digest."""
    data = json.loads(plan.to_json())
    data.pop("digest")
    return data


@pytest.mark.parametrize("plan", [rich_plan(), Plan(fingerprint=Fingerprint(desired="",
                                                                              remote=""))],
                         ids=["rich", "empty"])
def test_a_written_plan_is_built_exactly_as_pydantic_builds_it(plan: Plan) -> None:
    data = saved_data(plan)
    built = build_exact(Plan, copy.deepcopy(data))
    assert built is not None
    assert built == TypeAdapter(Plan).validate_python(data) == plan
    assert Plan.from_json(plan.to_json()) == plan


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


UNSURE = {
    "a string count": (("remote_count",), "3"),
    "a float count": (("remote_count",), 3.0),
    "a number for a flag": (("prune",), 1),
    "a bool for a number": (("summary", "create"), True),
    "an unknown action": (("changes", 0, "action"), "move"),
    "a phrase that is a number": (("changes", 0, "added", 0), 7),
    "a tuple-like list given as a string": (("unmanaged",), "UI"),
    "an unknown key": (("surprise",), "x"),
    "a missing required key": (("fingerprint", "remote"), KeyError),
    "a wrong nested type": (("warnings", 0, "source"), "trackers/a.yaml:4:7"),
    "a dict of numbers": (("fingerprint", "remote_trackers", "1"), 5),
    "an unknown version": (("format_version",), 3),
    "a float version": (("format_version",), 2.0),
    "a null name": (("changes", 0, "name"), None),
}


@pytest.mark.parametrize("path,value", UNSURE.values(), ids=UNSURE.keys())
def test_anything_unusual_is_left_to_pydantic(path: tuple[Any, ...], value: Any) -> None:
    data = _set(saved_data(rich_plan()), path, value)
    assert build_exact(Plan, data) is None


def test_a_plan_pydantic_refuses_is_still_refused_with_its_message() -> None:
    forged = json.loads(rich_plan().to_json())  # an action no plan has, digest made to match
    forged["changes"][0]["action"] = "move"
    forged.pop("digest")
    assert build_exact(Plan, forged) is None
    forged["digest"] = _content_digest(forged)
    with pytest.raises(PlanError, match="not a valid trackersync plan: 1 validation error"
                                        "(.|\n)*Input should be 'create'"):
        Plan.from_json(json.dumps(forged))


def test_a_lax_value_pydantic_accepts_is_still_accepted() -> None:
    forged = json.loads(rich_plan().to_json())  # "3" for 3: pydantic's lax mode decides
    forged["remote_count"] = "3"
    forged.pop("digest")
    forged["digest"] = _content_digest(forged)
    assert Plan.from_json(json.dumps(forged)) == rich_plan()


# Types a plan does not use today, each in a dataclass of its own: what build_exact is
# not sure of returns None rather than a guess.
@dataclass
class OneOfTwo:
    value: int | str


@dataclass
class IntKeys:
    value: dict[int, str]


@dataclass
class LiteralOne:
    value: Literal[1]


@dataclass
class MaybeInt:
    value: int | None


@dataclass
class WithDerived:
    value: int
    derived: int = field(init=False, default=0)


@pytest.mark.parametrize("cls,data", [
    (OneOfTwo, {"value": 1}),
    (OneOfTwo, {"value": None}),
    (IntKeys, {"value": {}}),
    (LiteralOne, {"value": True}),
    (LiteralOne, {"value": 1.0}),
    (WithDerived, {"value": 1, "derived": 2}),
    (MaybeInt, {"value": "1"}),
    (MaybeInt, []),
], ids=["union of two types", "null for a union without None", "non-string keys",
        "bool for Literal[1]", "float for Literal[1]", "a field not taken by __init__",
        "str for int | None", "a list for a dataclass"])
def test_types_outside_the_understood_set_are_left_to_pydantic(cls: type,
                                                                data: Any) -> None:
    assert build_exact(cls, data) is None


def test_understood_types_are_built() -> None:
    assert build_exact(MaybeInt, {"value": None}) == MaybeInt(value=None)
    assert build_exact(MaybeInt, {"value": 4}) == MaybeInt(value=4)
    assert build_exact(LiteralOne, {"value": 1}) == LiteralOne(value=1)
    assert build_exact(WithDerived, {"value": 3}) == WithDerived(value=3)
