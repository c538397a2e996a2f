"""Tracker matching: exact on word boundaries, contextual on lemmas (offset -1)."""

from __future__ import annotations

import pytest

from symbl_emulator.matching import detect, detect_language, exact_offset


def _hits(text: str, *phrases: str, mode: str = "contextual") -> list[tuple[str, int]]:
    result = detect([{"id": "1", "text": text}],
                    [{"id": "9", "name": "T", "vocabulary": list(phrases)}], mode)
    return [(m["value"], m["messageRefs"][0]["offset"]) for t in result for m in t["matches"]]


@pytest.mark.parametrize(("text", "phrase", "offset"), [
    ("No, thanks.", "no", 0),
    ("I said NO.", "no", 7),
    ("Honestly it is not the right time", "no", None),
    ("We know it", "no", None),
    ("Made in the U.S. last year", "U.S.", 12),
    ("a budget-friendly plan", "budget", 2),
    ("budgeting", "budget", None),
    ("Well no\tthanks, really", "no thanks", 5),
    ("Well no  thanks", "no thanks", 5),
    ("Well no thanks", "no  thanks", 5),
    ("Well not thanks", "no thanks", None),
])
def test_exact_matches_need_word_boundaries(text: str, phrase: str, offset: int | None) -> None:
    assert exact_offset(phrase, text) == offset


def test_contextual_match_on_lemmas_in_order() -> None:
    assert _hits("We're running a sale right now", "We have a sale right now on") == [
        ("We have a sale right now on", -1)]
    assert _hits("Now right a sale", "We have a sale right now on") == []  # order matters
    assert _hits("We're running a sale right now", "We have a sale right now on",
                 mode="exact") == []


def test_one_content_word_phrases_match_only_exactly() -> None:
    assert _hits("Our budgets are tight", "budget") == []
    assert _hits("Our budgets are tight", "budgets") == [("budgets", 4)]


@pytest.mark.slow
def test_spanish_sentences_use_spanish_lemmas_and_stop_words() -> None:
    assert detect_language("De acuerdo, gracias por estar presente") == "es"
    assert _hits("De acuerdo, gracias", "De acuerdo gracias") == [("De acuerdo gracias", -1)]


def test_phrases_sharing_common_words_are_all_found() -> None:
    phrases = [f"topic {i} billing renewal" for i in range(50)]
    assert _hits("we discussed topic 7 billing renewal today", *phrases) == [
        ("topic 7 billing renewal", 13)]
