"""Helpers for the adoption tests: an account in the emulator and a repository beside it."""

from __future__ import annotations

from typing import Any

import requests

from tests.importer.helpers import Project


class Account(Project):
    """A user's repository (the current directory) and the Symbl account behind it."""

    def requests_made(self) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.server.url}/_emulator/requests", timeout=10)
        answer.raise_for_status()
        return list(answer.json()["requests"])


def messy_account() -> list[dict[str, Any]]:
    """30 trackers as an account made before (and after) Symbl's 2022 rules may hold them.

    Commas, ``?`` and ``!``, brackets (which even the lenient rules refuse), trailing and
    repeated spaces, phrases differing only in whitespace, one phrase, more than 50
    phrases, names differing only in case, a name with a trailing space, a ``Symbl.``
    tracker, a phrase shared by two trackers, and words YAML would read as booleans,
    nulls or numbers.
    """
    items: list[dict[str, Any]] = [
        {"name": "Pricing", "vocabulary": ["how much does it cost?", "price, please",
                                           "what is the price", "pricing", "our budget "]},
        {"name": "pricing", "vocabulary": ["cheap", "expensive", "costly", "discount"]},
        {"name": "Brackets", "vocabulary": ["call (me) back", "[internal] note", "follow up",
                                            "next step", "sign off"]},
        {"name": "Trailing ", "vocabulary": ["  hello there", "good  morning", "bye ",
                                             "see you", "take care"]},
        {"name": "Symbl.Greeting", "vocabulary": ["hello"]},
        {"name": "Shared A", "vocabulary": ["budget", "cash flow", "funding"]},
        {"name": "Shared B", "vocabulary": ["budget", "money", "spend"]},
        {"name": "One", "vocabulary": ["just one"]},
        {"name": "Many", "vocabulary": [f"phrase number {i}" for i in range(60)]},
        {"name": "Yes words", "vocabulary": ["yes", "No", "on", "1e3", "null", "~"]},
        {"name": "Question?", "vocabulary": ["what?", "why not!", "user_name", "a: b",
                                             "# hash"]},
        {"name": "Colon: name", "vocabulary": ["- dash", "'quoted'", '"dq"', "it's fine",
                                               "tab\there"]},
        {"name": "Español", "vocabulary": ["¿cuánto cuesta?", "precio, por favor",
                                           "descuento", "oferta", "barato"]},
        {"name": "Dup ws", "vocabulary": ["same", "same ", "other", "thing", "more"]},
    ]
    while len(items) < 30:
        n = len(items)
        items.append({"name": f"Legacy {n}", "vocabulary": [
            f"legacy {n} one", f"legacy {n} two, or three", f"legacy {n} four?"]})
    return items
