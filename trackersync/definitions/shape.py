"""The keys of a tracker file, and a quick check of a tracker's common, valid shape.

The shape of a tracker file is fixed by the pydantic models of :mod:`.schema` (the
source of truth, and of the JSON Schema). Importing pydantic and building those models
costs more than checking a whole project of ordinary files, so the loader first asks
:func:`quick_tracker`: it accepts a tracker mapping only when it is plainly what the
model accepts (every value of exactly the type the model takes), giving the same values
the model would. Whenever it is not sure it returns ``None``, and the loader validates
with pydantic, so every message about a bad file is pydantic's. A property test holds
the two together: what the quick check accepts, the model accepts with the same values;
what the model refuses, the quick check never accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Every key a tracker mapping may hold, in the order ``trackersync fmt`` writes them.
TRACKER_KEYS = (
    "name", "vocabulary", "description", "renamed_from", "protect", "accepted_as_imported",
    "id", "tests",
)
#: Every key of a tracker's ``tests:`` mapping.
TESTS_KEYS = ("source", "must_fire", "must_not_fire")

_TRACKER_KEYS = frozenset(TRACKER_KEYS)
_STR = frozenset((str,))
_TESTS_KEYS = frozenset(TESTS_KEYS)
#: The model's patterns, matched as the model matches them (the whole text; no newline
#: allowed before the end).
_ID = re.compile(r"[0-9]{1,32}")
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
#: A sentence holding a visible ASCII character surely matches the model's ``\S``.
_VISIBLE_ASCII = re.compile(r"[!-~]")


@dataclass(frozen=True, slots=True)
class TestsFields:
    """A tracker's ``tests:`` block, as the model's ``TrackerTestsSpec`` holds it."""

    source: str | None
    must_fire: list[str]
    must_not_fire: list[str]


@dataclass(frozen=True, slots=True)
class TrackerFields:
    """One tracker mapping's values, as the model's ``TrackerSpec`` holds them."""

    name: str
    vocabulary: list[str]
    description: str | None
    renamed_from: list[str]
    protect: bool
    id: str | None
    accepted_as_imported: str | None
    tests: TestsFields | None


def _texts(value: Any) -> bool:
    """True for a list holding only exact ``str`` values (the model's strict list[str])."""
    return type(value) is list and {*map(type, value)} <= _STR


def _optional_text(value: Any) -> bool:
    return value is None or type(value) is str


def quick_tracker(data: Any) -> TrackerFields | None:
    """The values of a plainly valid tracker mapping; ``None`` when not sure.

    Args:
        data: one tracker mapping as composed from YAML (dicts, lists, str, bool, ...).

    Returns:
        The fields the pydantic ``TrackerSpec`` would hold after validating ``data`` in
        strict mode, or ``None``: then validate with the model (which may accept it
        still, or refuse it with its own messages).
    """
    if type(data) is not dict or not _TRACKER_KEYS.issuperset(data):
        return None
    get = data.get
    name, vocabulary = get("name"), get("vocabulary")
    if type(name) is not str or not name or not _texts(vocabulary) or not vocabulary:
        return None
    description, renamed = get("description"), get("renamed_from", [])
    protect, tid, accepted = get("protect", False), get("id"), get("accepted_as_imported")
    if not _optional_text(description) or not _texts(renamed) or type(protect) is not bool:
        return None
    if tid is not None and (type(tid) is not str or not _ID.fullmatch(tid)):
        return None
    if accepted is not None and (type(accepted) is not str
                                 or not _FINGERPRINT.fullmatch(accepted)):
        return None
    tests = get("tests")
    fields = None
    if tests is not None:
        fields = _quick_tests(tests)
        if fields is None:
            return None
    return TrackerFields(name=name, vocabulary=list(vocabulary), description=description,
                         renamed_from=list(renamed), protect=protect, id=tid,
                         accepted_as_imported=accepted, tests=fields)


def _quick_tests(data: Any) -> TestsFields | None:
    if type(data) is not dict or not _TESTS_KEYS.issuperset(data):
        return None
    source = data.get("source")
    fire, not_fire = data.get("must_fire", []), data.get("must_not_fire", [])
    if not _optional_text(source) or not _texts(fire) or not _texts(not_fire):
        return None
    search = _VISIBLE_ASCII.search
    if not all(search(text) for text in fire) or not all(search(text) for text in not_fire):
        return None
    return TestsFields(source=source, must_fire=list(fire), must_not_fire=list(not_fire))
