"""Real-world loading cases: YAML 1.1 booleans, whitespace, secrets, Symbl. names."""

from __future__ import annotations

from pathlib import Path

from tests.definitions.helpers import CASES, load, rows

SCENARIOS = CASES / "scenarios"


def case(name: str) -> list[tuple]:
    return rows(load(SCENARIOS, SCENARIOS / name))


def test_norway_booleans_refused_quoted_accepted() -> None:
    ds = load(SCENARIOS, SCENARIOS / "norway-booleans.yaml")
    quote_it = [(line, col, msg) for _s, line, col, code, msg in rows(ds) if code == "quote-it"]
    assert [(line, col) for line, col, _m in quote_it] == [
        (10, 9), (13, 9), (17, 9), (18, 9), (19, 9), (22, 9)]
    assert quote_it[0][2] == ('tracker "Approval": phrase 1 is an unquoted Yes, which YAML may '
                              "read as a boolean; quote it: 'Yes'")
    assert quote_it[-1][2].startswith('tracker "Refusal": phrase 6 is an unquoted n,')
    confirmation = next(t for t in ds.trackers if t.name == "Confirmation")
    assert confirmation.vocabulary == ("Yes", "No problem", "on it", "confirmed",
                                       "that is correct")
    assert not [p for p in ds.errors if p.tracker == "Confirmation"]
    for tracker in ds.trackers:  # never a bool, never "True"/"true"
        assert all(isinstance(p, str) and p not in ("True", "true", "False", "false")
                   for p in tracker.vocabulary)


def test_whitespace_normalised_and_collisions() -> None:
    ds = load(SCENARIOS, SCENARIOS / "whitespace-normalization.yaml")
    assert ds.trackers[0].vocabulary == ("order number", "tracking code", "shipment status",
                                         "invoice id", "where is my parcel", "Order number")
    assert [(s, line, code) for s, line, _c, code, _m in rows(ds)] == [
        ("warning", 18, "phrase-whitespace"),
        ("warning", 19, "phrase-whitespace"),
        ("warning", 20, "phrase-whitespace"),
        ("warning", 21, "phrase-whitespace"),
        ("warning", 23, "phrase-case-variant"),
    ]
    strict = load(SCENARIOS, SCENARIOS / "whitespace-normalization.yaml",
                  severity={"phrase-case-variant": "error"})
    assert [p.code for p in strict.errors] == ["phrase-case-variant"]


def test_unknown_key_not_echoed_and_token_masked() -> None:
    found = case("secrets-redaction.yaml")
    assert [(s, line, col, code) for s, line, col, code, _m in found] == [
        ("error", 17, 5, "unknown-key"), ("warning", 23, 9, "phrase-secret")]
    text = "\n".join(m for *_x, m in found)
    assert "app-secret-placeholder" not in text
    assert "eyJhbGciOiJIUzI1NiJ9" not in text


def test_sample_app_report() -> None:
    found = case("sample-app-trackers.yaml")
    assert [(s, line, code) for s, line, _c, code, _m in found] == [
        ("warning", 16, "phrase-few"),           # Card Updated: 3 phrases
        ("warning", 31, "phrase-shared"),        # "it works now" in two trackers
        ("error", 46, "phrase-charset"),         # Greeting: '?'
        ("error", 47, "phrase-charset"),
        ("error", 49, "name-reserved"),          # Symbl.Courtesy
        ("error", 56, "name-reserved"),          # Symbl.Farewell
        ("warning", 56, "phrase-few"),
    ]


def test_renamed_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "tracker-defs").mkdir()
    ds = load(tmp_path)
    assert ds.trackers == [] and ds.has_errors
    assert ds.errors[0].message.startswith("no tracker definitions found in trackers/")
