"""``dump_tracker_yaml``: stable YAML that the loader reads back equal (hypothesis too)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.definitions.helpers import load, write
from trackersync.definitions import dump_tracker_yaml
from trackersync.definitions.checks import normalise
from trackersync.model import DesiredTracker, Tracker
from trackersync.text import nfc


def read_back(text: str) -> DesiredTracker:
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp), "t.yaml", text)
        ds = load(Path(tmp), path, rules="lenient")
        structural = [p for p in ds.problems if p.code in (
            "yaml-syntax", "schema", "unknown-key", "quote-it", "file-shape", "encoding")]
        assert structural == [], (text, structural)
        assert len(ds.trackers) == 1, text
        return ds.trackers[0]


def test_dump_is_clean_and_quotes_ambiguous_words() -> None:
    tracker = Tracker(name="Approval", vocabulary=("sounds great", "yes", "No", "on", "3.14",
                                                   "2024-01-31", "it's fine", "null", "~"))
    assert dump_tracker_yaml(tracker, comments=["Imported from Symbl", "id 123"]) == (
        "# Imported from Symbl\n"
        "# id 123\n"
        "name: Approval\n"
        "vocabulary:\n"
        "  - sounds great\n"
        "  - 'yes'\n"
        "  - 'No'\n"
        "  - 'on'\n"
        "  - '3.14'\n"
        "  - '2024-01-31'\n"
        "  - it's fine\n"
        "  - 'null'\n"
        "  - '~'\n"
    )
    back = read_back(dump_tracker_yaml(tracker))
    assert (back.name, back.vocabulary) == (tracker.name, tracker.vocabulary)


def test_dump_desired_fields_and_names_needing_quotes() -> None:
    tracker = DesiredTracker(name="no", vocabulary=("a: b", "- dash", "#hash", " lead"),
                             description="note: local", renamed_from=("yes", "Old"),
                             protect=True)
    text = dump_tracker_yaml(tracker)
    assert text.splitlines()[0] == "name: 'no'"
    back = read_back(text)
    assert back.model_copy(update={"source": None, "vocabulary": ()}) == tracker.model_copy(
        update={"source": None, "vocabulary": ()})
    assert back.vocabulary == ("a: b", "- dash", "#hash", "lead")  # normalised on read


def test_long_phrases_are_not_folded() -> None:
    phrase = " ".join(["word"] * 400)
    text = dump_tracker_yaml(Tracker(name="Long", vocabulary=(phrase,)))
    assert f"  - {phrase}\n" in text


_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40)
_names = _text.map(nfc).filter(lambda s: s.strip() != "")  # names are read in NFC
_phrases = _text.map(normalise).filter(bool)


# hypothesis's default count: the names and phrases needing quotes are checked above every
# run; each run draws new trackers, and a failing one is kept and tried first next run
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_names, vocabulary=st.lists(_phrases, min_size=1, max_size=8, unique=True),
       description=st.none() | _text, renamed=st.lists(_names, max_size=2), protect=st.booleans())
def test_any_valid_tracker_reads_back_equal(
    name: str, vocabulary: list[str], description: str | None, renamed: list[str],
    protect: bool,
) -> None:
    tracker = DesiredTracker(name=name, vocabulary=tuple(vocabulary), description=description,
                             renamed_from=tuple(renamed), protect=protect)
    back = read_back(dump_tracker_yaml(tracker))
    assert back.model_copy(update={"source": None}) == tracker
