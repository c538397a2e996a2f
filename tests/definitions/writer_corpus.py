"""Trackers that stress the tracker-file writer: every kind of text YAML treats specially.

Shared by the writer tests; ``writer_golden.json`` (next to this file, under
``fixtures/``) holds what the ruamel.yaml round-trip writer produced for each of them
before the direct writer existed, so both writers are held to the same bytes.
Regenerate it only on purpose: ``python -m tests.definitions.writer_corpus``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).parent / "fixtures" / "writer_golden.json"

#: Texts YAML reads as something else, or must quote or escape.
HOSTILE = [
    # quotes and indicators, leading and inside
    "it's fine", "'quoted'", '"double"', "say \"hi\"", "both ' and \"", "''", '""',
    "a: b", "a:b", "ends with:", ":start", ": start", "key: value", "x:", "a #h", "a#h",
    "#c", "# c", "- dash", "-dash", "-", "? x", "?x", "?", "* star", "*a", "& amp", "&a",
    "! bang", "!t", "%d", "% d", "@a", "@ a", "`t", "` tick", "{b}", "[b]", "a, b", ",a",
    "a [b]", "a {b}", "|p", ">f", "a | b", "a > b", "---", "--- x", "...", "... x",
    "a --- b", "a ... b", "<<", "=", "a = b", "100%", "50% off", "C#", "C++", "a\\b",
    "\\", "back\\slash", "url: http://x.y/z", "http://x.y", "a:", "a: ", "a :b",
    # YAML 1.1 / 1.2 booleans, nulls, numbers, dates
    "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "on", "On", "ON", "off",
    "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null",
    "NULL", "~", "0", "1", "-1", "+1", "012", "0o17", "0x1F", "0b101", "1_000", "1e3",
    "1E3", "3.14", ".5", "-.5", "1.", ".inf", "-.Inf", ".NaN", "12:30", "190:20:30",
    "2024-01-31", "2024-1-3", "2001-12-14t21:59:43.10-05:00", "2002-12-14 21:59:43.10 -5",
    "1.2.3", "yes please", "no way", "null hypothesis", "true story", "~ tilde",
    "3 day trial", "24/7 support", "1st place", "1e3 units", "0x1F color", "it's 12:30",
    "no'quote", "yes'", "1'000",
    # whitespace
    " lead", "trail ", " both ", "two  spaces", "a\tb", "\ttab", "tab\t", "a\nb", "a\rb",
    "a\r\nb", "\n", "line\n", "a \nb", "a\n b",
    # non-ASCII, look-alikes, emoji, escapes
    "ümlaut", "naïve café", "日本語の文", "Ελληνικά", "Рricing", "раураl", "ｆｕｌｌ",
    "emoji 🎉", "🎉", "👩‍👩‍👧 family", "flag 🇫🇷", "a\u00a0b", "a\u200bb", "\u200b",
    "a\u2009b", "a\u3000b", "a\u3164b", "a\ufe0fb", "\ufeffbom", "a\u2028b", "a\u2029b",
    "a\x85b", "a\x00b", "a\x07b", "a\x1bb", "a\x7fb", "a\x9fb", "a\ud7ffb", "a\ue000b",
    "a\ufffdb", "a\uffffb", "a\U0001f600b", "a\U000e0001b", "a\U0010fffdb", "a\u202eb",
    "a\u00adb", "e\u0301", "ﬁ ligature", "İstanbul",
]


def _random_text(rng: random.Random) -> str:
    """A text of 1-30 characters drawn mostly from what YAML treats specially."""
    alphabet = ("abcXYZ019 ' \":#-?*&!%@`,[]{}|>.<=~\\/\t\n\r\x00\x85\u2028\u00a0\u200b"
                "\u3000é日🎉\ufeff\x7f\U0001f600")
    length = rng.randint(1, 30)
    return "".join(rng.choice(alphabet) for _ in range(length))


def corpus() -> list[dict[str, Any]]:
    """Every case: ``{"tracker": {...}, "desired": bool, "comments": [...], "accepted"}``."""
    rng = random.Random(17)
    cases: list[dict[str, Any]] = []
    for word in HOSTILE:
        cases.append({"tracker": {"name": word, "vocabulary": [word, "plain", f"x {word}",
                                                               f"{word} x"]},
                      "desired": False, "comments": [], "accepted": None})
    long_phrase = " ".join(["word"] * 800)
    cases.append({"tracker": {"name": "Long", "vocabulary": [long_phrase, "a: " + long_phrase,
                                                             "\t" + long_phrase]},
                  "desired": False, "comments": ["a comment", "two\nlines"], "accepted": None})
    for index in range(300):
        vocabulary = [_random_text(rng) for _ in range(rng.randint(1, 6))]
        tracker: dict[str, Any] = {"name": _random_text(rng), "vocabulary": vocabulary}
        desired = index % 2 == 0
        if desired:
            if rng.random() < 0.5:
                tracker["description"] = _random_text(rng)
            tracker["renamed_from"] = [_random_text(rng) for _ in range(rng.randint(0, 2))]
            tracker["protect"] = rng.random() < 0.5
        accepted = str(rng.randrange(10**15, 10**16)) if rng.random() < 0.3 else None
        comments = ["Imported from Symbl (remote id 1)."] if rng.random() < 0.3 else []
        cases.append({"tracker": tracker, "desired": desired, "comments": comments,
                      "accepted": accepted})
    cases.append({"tracker": {"name": "Desired", "vocabulary": ["a"], "description": "",
                              "renamed_from": ["", "yes"], "protect": True},
                  "desired": True, "comments": [], "accepted": "0123"})
    return cases


def build(case: dict[str, Any]) -> Any:
    """The :class:`Tracker` (or :class:`DesiredTracker`) of one corpus case."""
    from trackersync.model import DesiredTracker, Tracker

    fields = dict(case["tracker"])
    fields["vocabulary"] = tuple(fields["vocabulary"])
    if "renamed_from" in fields:
        fields["renamed_from"] = tuple(fields["renamed_from"])
    return DesiredTracker(**fields) if case["desired"] else Tracker(**fields)


def main() -> None:
    """Write :data:`GOLDEN` from the round-trip writer (see the module docstring)."""
    from trackersync.definitions.writer import dump_tracker_yaml_ruamel

    cases = corpus()
    for case in cases:
        case["text"] = dump_tracker_yaml_ruamel(build(case), comments=case["comments"],
                                                accepted=case["accepted"])
    GOLDEN.write_text(json.dumps(cases, ensure_ascii=True, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
