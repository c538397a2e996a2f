"""dump_tracker_yaml as import uses it: files read back as exactly the remote strings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from trackersync.definitions import dump_tracker_yaml
from trackersync.model import Tracker


def dump_tracker(tracker: Tracker, comments: tuple[str, ...] | list[str] = ()) -> str:
    return dump_tracker_yaml(tracker, comments=comments)


WORDS = ["yes", "No", "on", "OFF", "y", "~", "null", "1e3", "0x1F", "012", "2024-01-01",
         ".inf", "- x", "? x", "key: value", "a #h", "#c", "'s", '"d', "&a", "*a", "!t",
         "%d", "@a", "`t", "{b}", "[b]", "x:", "a\tb", " lead", "trail ", "a\x85b",
         "a\u2028b", "\ufeffbom", "a\x00b", "|p", ">f", "", "ümlaut 🎉"]  # fmt: skip


def read(text: str) -> tuple[str, list[str]]:
    data = YAML(typ="safe", pure=True).load(text)
    return data["name"], data["vocabulary"]


@pytest.mark.parametrize("word", WORDS)
def test_tricky_scalars_read_back_as_the_same_strings(word: str) -> None:
    text = dump_tracker(Tracker(name=word, vocabulary=(word, "plain")))
    assert read(text) == (word, [word, "plain"]), text


# hypothesis's default count: the words YAML reads as other types are checked above every
# run; each run draws new texts, and a failing one is kept and tried first next run
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40), st.lists(st.text(max_size=40), max_size=5))
def test_any_text_reads_back_unchanged(name: str, phrases: list[str]) -> None:
    text = dump_tracker(Tracker(name=name, vocabulary=tuple(phrases)))
    assert read(text) == (name, phrases), text


def test_layout_is_clean_and_stable() -> None:
    tracker = Tracker(name="Approval", vocabulary=("sounds great", "yes", "okay, sounds good"))
    text = dump_tracker(tracker, ["Imported from Symbl.", "two\nlines"])
    assert text == (
        "# Imported from Symbl.\n"
        "# two\n"
        "# lines\n"
        "name: Approval\n"
        "vocabulary:\n"
        "  - sounds great\n"
        "  - 'yes'\n"
        "  - okay, sounds good\n"
    )
    assert dump_tracker(tracker, ["Imported from Symbl.", "two\nlines"]) == text


def test_long_phrases_are_not_folded(tmp_path: Path) -> None:
    phrase = "word " * 200 + "end"
    text = dump_tracker(Tracker(name="Long", vocabulary=(phrase,)))
    assert text.count("\n") == 3


@pytest.mark.parametrize("odd", ["a\u2028b", "a\x85b", "a\nb", "a\rb", "key: value\n- x"])
def test_header_comments_cannot_break_the_file(tmp_path: Path, odd: str) -> None:
    from trackersync.config import Config
    from trackersync.importer.importer import ImportEntry
    from trackersync.importer.run import RuleChecker
    from trackersync.model import RemoteTracker

    tracker = RemoteTracker(id="5000000000000001", name=odd, vocabulary=(odd, "plain"))
    checker = RuleChecker(Config())
    findings = checker([tracker])[tracker.id]
    assert findings.problems  # strict rules refuse the control characters / punctuation
    entry = ImportEntry(tracker, "x.yaml", tmp_path / "x.yaml", "write", problems=(odd,),
                        fingerprint=findings.fingerprint)
    text = checker.render(entry, "strict")
    # the name is kept exactly; phrases are written as the loader reads them
    assert read(text) == (odd, [" ".join(odd.split()), "plain"]), text
    assert all(line.startswith("# ") for line in text.split("\nname:")[0].split("\n")), text
