"""The direct tracker-file writer writes, byte for byte, what the round-trip writer writes.

``fixtures/writer_golden.json`` holds the files the ruamel.yaml round-trip writer wrote
for a corpus of hostile trackers (quotes, indicators, YAML 1.1/1.2 booleans, nulls,
numbers and dates, leading/trailing spaces, tabs, control characters, invisible
characters, look-alike letters, emoji, very long phrases) before the direct writer
existed; both writers must still write exactly those bytes, and agree on random text.
"""

from __future__ import annotations

import json
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.definitions.writer_corpus import GOLDEN, HOSTILE, build
from trackersync.config import Config
from trackersync.definitions import writer
from trackersync.definitions.checks import normalise
from trackersync.definitions.loader import check_documents
from trackersync.model import DesiredTracker, Tracker
from trackersync.text import nfc

CASES = json.loads(GOLDEN.read_text(encoding="utf-8"))
#: Examples per property: hypothesis's default. The inputs known to be hard are checked
#: every run by the golden corpus; each run draws new examples (no fixed seed), and
#: hypothesis keeps any failing one in its example database and tries it first next run.
EXAMPLES = 100


def _name(case: dict[str, Any]) -> str:
    return repr(case["tracker"]["name"])[:40]


# The golden cases are checked in one test each (not one test per case): a case costs
# less than pytest's own work per test. Every case is still checked, and a failure
# names each case that failed.
def test_both_writers_write_the_golden_bytes() -> None:
    wrong = []
    for case in CASES:
        tracker = build(case)
        kwargs = {"comments": case["comments"], "accepted": case["accepted"]}
        for dump in (writer.dump_tracker_yaml, writer.dump_tracker_yaml_ruamel):
            if dump(tracker, **kwargs) != case["text"]:
                wrong.append(f"{dump.__name__}: {_name(case)}")
    assert wrong == [], f"{len(wrong)} of {len(CASES)} golden cases written differently"


def test_the_golden_corpus_is_written_directly() -> None:
    """Only the shapes the direct writer leaves alone (empty texts) go to ruamel.yaml."""
    left = [case["tracker"]["name"] for case in CASES
            if writer._direct(writer._fields(build(case), case["accepted"])) is None]
    assert left == ["Desired"]  # an empty description and an empty earlier name


def test_empty_list_and_huge_text_are_left_to_ruamel() -> None:
    empty = Tracker(name="Empty", vocabulary=())
    assert writer.dump_tracker_yaml(empty) == "name: Empty\nvocabulary: []\n"
    huge = Tracker(name="Huge", vocabulary=("a: " + "b " * 40_000 + "c",))
    assert writer._direct(writer._fields(huge, None)) is None
    assert writer.dump_tracker_yaml(huge) == writer.dump_tracker_yaml_ruamel(huge)


_hostile_chars = st.sampled_from(list("abcXYZ019 '\":#-?*&!%|>@`,[]{}.<=~\\/_+\t\n\r\x00\x85"
                                      "\u2028\u2029\u00a0\u200b\u3000\u3164\ufe0f\ufeff"
                                      "\x7féİ日🎉\U0001f600\ue000\ufffd"))
_hostile = st.text(_hostile_chars, min_size=1, max_size=24)
_words = st.sampled_from(HOSTILE)
_any = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=24)
# what the regex [A-Za-z][A-Za-z0-9 .,'?!:#-]{0,12} matches, drawn without from_regex
# (three times cheaper per example)
_ascii = st.builds("{}{}".format, st.sampled_from(string.ascii_letters),
                   st.text(string.ascii_letters + string.digits + " .,'?!:#-", max_size=12))
_accepted_ids = st.text("0123456789", min_size=16, max_size=16)
_texts = (_hostile | _words | _any | _ascii | st.builds("{} {}".format, _words, _hostile)
          | st.builds("{} {}".format, _ascii, _words))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_texts, vocabulary=st.lists(_texts, min_size=1, max_size=6),
       description=st.none() | _texts, renamed=st.lists(_texts, max_size=2),
       protect=st.booleans(), accepted=st.none() | _accepted_ids)
@pytest.mark.slow
def test_direct_writer_matches_round_trip_writer(
    name: str, vocabulary: list[str], description: str | None, renamed: list[str],
    protect: bool, accepted: str | None,
) -> None:
    tracker = DesiredTracker(name=name, vocabulary=tuple(vocabulary), description=description,
                             renamed_from=tuple(renamed), protect=protect)
    assert writer._direct(writer._fields(tracker, accepted)) is not None
    assert writer.dump_tracker_yaml(tracker, accepted=accepted) == \
        writer.dump_tracker_yaml_ruamel(tracker, accepted=accepted)


_hostile_names = (_hostile | _words).map(nfc).filter(lambda s: s.strip() != "")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_hostile_names,
       vocabulary=st.lists((_hostile | _words).map(normalise).filter(bool), min_size=1,
                           max_size=6, unique=True),
       description=st.none() | _hostile | _words, renamed=st.lists(_hostile_names, max_size=2),
       protect=st.booleans())
def test_hostile_tracker_reads_back_equal_through_the_loader(
    name: str, vocabulary: list[str], description: str | None, renamed: list[str],
    protect: bool,
) -> None:
    """What is written is read back, by the loader ``validate`` uses, as the same tracker
    (names in NFC and phrases normalised, as the loader reads every file).
    """
    tracker = DesiredTracker(name=name, vocabulary=tuple(vocabulary), description=description,
                             renamed_from=tuple(renamed), protect=protect)
    loaded = check_documents({"trackers/t.yaml": writer.dump_tracker_yaml(tracker)},
                             Config(rules="lenient"))
    structural = [p for p in loaded.problems if p.code in (
        "yaml-syntax", "schema", "unknown-key", "quote-it", "file-shape", "encoding")]
    assert structural == []
    assert len(loaded.trackers) == 1
    fields = ("name", "vocabulary", "description", "renamed_from", "protect")
    back = loaded.trackers[0]
    assert [getattr(back, f) for f in fields] == [getattr(tracker, f) for f in fields]


def both_readings(tracker: Tracker, rules: str) -> tuple[object, object]:
    """What checking the written text gives, and what checking the writer's document gives:
    every tracker read and every problem (code, message, file, line, column)."""
    document = writer.written_document(tracker)
    assert document is not None
    config = Config(rules=rules)  # type: ignore[arg-type]
    results = []
    for given_as in (writer.dump_tracker_yaml(tracker), document):
        loaded = check_documents({"trackers/t.yaml": given_as}, config)
        results.append((loaded.trackers, [(p.code, p.severity, p.message, p.source)
                                          for p in loaded.problems]))
    return results[0], results[1]


@pytest.mark.parametrize("rules", ["strict", "lenient"])
def test_the_writers_document_reads_as_its_text_golden(rules: str) -> None:
    differ = []
    for case in (c for c in CASES if not c["accepted"]):
        built = build(case)
        tracker = Tracker(name=built.name, vocabulary=built.vocabulary)
        if writer.written_document(tracker) is None:  # left to ruamel.yaml: the text is read
            assert writer._direct(writer._fields(tracker, None)) is None, _name(case)
            continue
        from_text, from_document = both_readings(tracker, rules)
        if from_document != from_text:
            differ.append((_name(case), from_text, from_document))
    assert differ == [], f"{len(differ)} golden cases read differently from their document"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_texts, vocabulary=st.lists(_texts, min_size=1, max_size=6),
       rules=st.sampled_from(["strict", "lenient"]))
def test_the_writers_document_reads_as_its_text(name: str, vocabulary: list[str],
                                                rules: str) -> None:
    # import checks the document the writer builds instead of reading its own output:
    # the same trackers and the same problems, at the same places
    tracker = Tracker(name=name, vocabulary=tuple(vocabulary))
    from_text, from_document = both_readings(tracker, rules)
    assert from_document == from_text


def test_a_tracker_with_more_than_name_and_phrases_has_no_document() -> None:
    desired = DesiredTracker(name="Budget", vocabulary=("budget",), description="money")
    assert writer.written_document(desired) is None
    assert writer.written_document(Tracker(name="", vocabulary=("budget",))) is None
    assert writer.written_document(Tracker(name="Budget", vocabulary=())) is None
