"""The value rules under both profiles: counts, characters, size, limits, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definitions.helpers import flat, load, rows, write
from trackersync.definitions import PROFILES, RULES


def tracker_yaml(name: str, phrases: list[str]) -> str:
    body = "".join(f"  - {p!r}\n".replace("'", '"') if "'" in p else f"  - '{p}'\n"
                   for p in phrases)
    return f"name: '{name}'\nvocabulary:\n{body}"


def phrases(n: int, stem: str = "phrase") -> list[str]:
    return [f"{stem} number {i}" for i in range(n)]


def test_every_rule_has_a_source_and_valid_severity() -> None:
    for rule in RULES.values():
        assert rule.source and rule.summary
        assert rule.severity in ("error", "warning")
        if rule.severity == "warning":
            assert rule.adjustable, rule.code


@pytest.mark.parametrize(("rules", "count", "expected"), [
    ("strict", 50, []),
    ("strict", 51, [("error", 1, 7, "phrase-count", 'tracker "T" has 51 phrases; at most 50 are '
                     "allowed (rules: strict); split it into several trackers")]),
    ("lenient", 51, []),
    ("lenient", 400, []),
    ("strict", 4, [("warning", 1, 7, "phrase-few",
                    'tracker "T" has 4 phrases; Symbl recommends at least 5')]),
    ("lenient", 1, [("warning", 1, 7, "phrase-few",
                     'tracker "T" has 1 phrase; Symbl recommends at least 5')]),
])
def test_phrase_count_by_profile(tmp_path: Path, rules: str, count: int, expected: list) -> None:
    path = write(tmp_path, "t.yaml", tracker_yaml("T", phrases(count)))
    assert rows(load(tmp_path, path, rules=rules)) == expected


def test_empty_vocabulary(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", "name: T\nvocabulary: []\n")
    assert rows(load(tmp_path, path)) == [
        ("error", 2, 13, "phrase-count", 'tracker "T" has no phrase; add at least one')
    ]


@pytest.mark.parametrize(("phrase", "strict", "lenient"), [
    ("it's fine", [], []),
    ("it\u2019s fine", [], []),
    ("bye-bye now", [], []),
    ("Dr. Who", [], []),
    ("\u00e9t\u00e9 caf\u00e9 na\u00efve", [], []),
    ("e\u0301te\u0301 decomposed", [], []),  # combining marks belong to their letters
    ("\u4f60\u597d \u0645\u0631\u062d\u0628\u0627 42", [], []),
    ("vocabulary_1", ["'_' at column 11"], []),
    ("okay, sounds good", ["',' at column 5"], []),
    ("what? really! now: yes", ["'?' at column 5", "'!' at column 13", "':' at column 18"],
     []),
    ("call (maybe) [later]", ["'(' at column 6", "')' at column 12", "'[' at column 14",
                              "']' at column 20"],
     ["'(' at column 6", "')' at column 12", "'[' at column 14", "']' at column 20"]),
    ("a\u00a0b", [], []),  # no-break space: whitespace, normalised to one space
    ("zero\u200bwidth", [], []),  # invisible: reported once, as phrase-invisible
])
def test_characters_by_profile(tmp_path: Path, phrase: str, strict: list, lenient: list) -> None:
    path = write(tmp_path, "t.yaml", tracker_yaml("T", [phrase, *phrases(4)]))
    for rules, bad in (("strict", strict), ("lenient", lenient)):
        problems = [p for p in load(tmp_path, path, rules=rules).problems
                    if p.code == "phrase-charset"]
        if not bad:
            assert problems == []
            continue
        allowed = PROFILES[rules].allowed
        assert [p.message for p in problems] == [
            f'tracker "T": phrase 1 contains {", ".join(bad)} ({allowed}; rules: {rules})'
        ]
        assert (problems[0].source.line, problems[0].source.column) == (3, 5)


def test_body_over_one_megabyte(tmp_path: Path) -> None:
    big = ["word " * 2000 + str(i) for i in range(110)]  # ~1.1 MB as JSON
    path = write(tmp_path, "t.yaml", tracker_yaml("Big", big))
    found = [r for r in rows(load(tmp_path, path, rules="lenient")) if r[3] == "body-size"]
    assert len(found) == 1
    assert found[0][:4] == ("error", 1, 7, "body-size")
    assert found[0][4].startswith('tracker "Big": its request body would be 1')
    assert found[0][4].endswith("bytes, over Symbl's 1 MB limit; split it into several trackers")


def test_account_limit_default_500(tmp_path: Path) -> None:
    items = "".join(f"  - name: T{i}\n    vocabulary: [alpha {i}, beta {i}, gamma {i}, delta {i},"
                    f" epsilon {i}]\n" for i in range(501))
    path = write(tmp_path, "all.yaml", "trackers:\n" + items)
    ds = load(tmp_path, path)
    assert flat(ds) == [("error", None, None, None, "account-limit",
                         "501 trackers are defined; a Symbl account holds at most 500")]
    assert len(ds.trackers) == 501


def test_account_limit_configurable(tmp_path: Path) -> None:
    for i in range(3):
        write(tmp_path, f"trackers/t{i}.yaml", tracker_yaml(f"T{i}", phrases(5, f"s{i}")))
    assert [p.message for p in load(tmp_path, account_limit=2).problems] == [
        "3 trackers are defined; a Symbl account holds at most 2"
    ]


def test_severity_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", tracker_yaml("T", ["a b", "A B", "c d"]))
    assert [(s, c) for s, _l, _c, c, _m in rows(load(tmp_path, path))] == [
        ("warning", "phrase-few"), ("warning", "phrase-case-variant")
    ]
    ds = load(tmp_path, path, severity={"phrase-few": "off", "phrase-case-variant": "error"})
    assert [(s, c) for s, _l, _c, c, _m in rows(ds)] == [("error", "phrase-case-variant")]
    # rules the API enforces ignore overrides (load_config refuses them up front)
    path2 = write(tmp_path, "u.yaml", tracker_yaml("U", ["a?", *phrases(4)]))
    ds = load(tmp_path, path2, severity={"phrase-charset": "off"})
    assert [c for *_x, c, _m in rows(ds)] == ["phrase-charset"]


def test_duplicate_after_normalisation_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml", tracker_yaml("T", ["order number ", "order  number",
                                                        *phrases(4)]))
    assert [(s, line, c) for s, line, _c, c, _m in rows(load(tmp_path, path))] == [
        ("warning", 3, "phrase-whitespace"),
        ("warning", 4, "phrase-whitespace"),
        ("error", 4, "phrase-duplicate"),
    ]


def test_words_mixing_latin_cyrillic_or_greek_letters_are_look_alikes(tmp_path: Path) -> None:
    # 'Рricing' starts with CYRILLIC CAPITAL LETTER ER; 'priсe' has CYRILLIC SMALL LETTER ES.
    path = write(tmp_path, "t.yaml", tracker_yaml("\u0420ricing", [
        "what is the pri\u0441e", "цена вопроса", "Pricing ценa", *phrases(3)]))
    found = [(line, code, msg) for _s, line, _c, code, msg in rows(load(tmp_path, path))]
    assert [(line, code) for line, code, _m in found] == [
        (1, "name-mixed-script"), (3, "phrase-mixed-script"), (5, "phrase-mixed-script")]
    assert "U+0420 CYRILLIC CAPITAL LETTER ER at column 1" in found[0][2]
    assert "U+0441 CYRILLIC SMALL LETTER ES at column 16" in found[1][2]
    assert "U+0061 LATIN SMALL LETTER A at column 12" in found[2][2]


def test_an_invisible_character_is_reported_once(tmp_path: Path) -> None:
    path = write(tmp_path, "t.yaml",
                 tracker_yaml("T", ["co\u200bst it", "a? b\u200b", *phrases(4)]))
    found = [(line, code, msg) for _s, line, _c, code, msg in rows(load(tmp_path, path))]
    assert [(line, code) for line, code, _m in found] == [
        (3, "phrase-invisible"), (4, "phrase-invisible"), (4, "phrase-charset")]
    assert "U+200B" not in found[2][2]
    assert "'?' at column 2" in found[2][2]
