"""One fixture per fault kind (tests/definitions/fixtures/): exact message, line, column."""

from __future__ import annotations

import pytest

from tests.definitions.helpers import FIXTURES, flat, load, rows

ALLOWED = (
    "(allowed: name, vocabulary, description, renamed_from, protect, accepted_as_imported, "
    "id, tests)"
)
SHAPE = "a tracker file is a mapping with name and vocabulary (or a 'trackers:' list)"
STRICT = "only letters, digits, spaces and . ' ’ - are allowed; rules: strict"

EXPECTED = {
    "duplicate-key.yaml": [
        ("error", 8, 1, "duplicate-key", 'duplicate key "name" (first at line 1); keep only one'),
    ],
    "unknown-key.yaml": [
        ("error", 1, 1, "schema", 'tracker "Pricing": required key "vocabulary" is missing'),
        ("error", 2, 1, "unknown-key",
         f'tracker "Pricing": unknown key "vocabluary"; did you mean "vocabulary"? {ALLOWED}'),
        ("error", 4, 1, "unknown-key", f'tracker "Pricing": unknown key "app_secret" {ALLOWED}'),
    ],
    "quote-it.yaml": [
        ("error", 4, 9, "quote-it", 'tracker "Approval": phrase 1 is an unquoted Yes, which '
         "YAML may read as a boolean; quote it: 'Yes'"),
        ("error", 6, 9, "quote-it", 'tracker "Approval": phrase 3 is an unquoted on, which '
         "YAML may read as a boolean; quote it: 'on'"),
        ("error", 7, 9, "quote-it", 'tracker "Approval": phrase 4 is an unquoted 3.14, which '
         "YAML may read as a number; quote it: '3.14'"),
        ("error", 8, 9, "quote-it", 'tracker "Approval": phrase 5 is an unquoted 1e3, which '
         "YAML may read as a number; quote it: '1e3'"),
        ("error", 9, 9, "quote-it", 'tracker "Approval": phrase 6 is an unquoted ~, which '
         "YAML may read as a null; quote it: '~'"),
        ("error", 9, 9, "phrase-charset",
         f"tracker \"Approval\": phrase 6 contains '~' at column 1 ({STRICT})"),
        ("error", 10, 9, "quote-it", 'tracker "Approval": phrase 7 is an unquoted 2024-01-31, '
         "which YAML may read as a date; quote it: '2024-01-31'"),
        ("error", 11, 9, "phrase-duplicate", 'tracker "Approval": phrase 8 "Yes" repeats phrase '
         "1; Symbl refuses duplicate phrases; remove one"),
        ("error", 13, 11, "quote-it", 'tracker "no": the name is an unquoted no, which YAML may '
         "read as a boolean; quote it: 'no'"),
        ("error", 15, 9, "quote-it", 'tracker "no": phrase 1 is an unquoted y, which YAML may '
         "read as a boolean; quote it: 'y'"),
        ("error", 16, 9, "quote-it", 'tracker "no": phrase 2 is an unquoted n, which YAML may '
         "read as a boolean; quote it: 'n'"),
        ("error", 20, 20, "quote-it", 'tracker "no": renamed_from item 1 is an unquoted true, '
         "which YAML may read as a boolean; quote it: 'true'"),
    ],
    "shapes.yaml": [
        ("error", 4, 9, "schema", 'tracker "Notes": phrase 1 is a mapping, not text; quote it '
         "(an unquoted ': ' or '- ' inside a phrase starts a mapping or a list)"),
        ("error", 5, 9, "schema", 'tracker "Notes": phrase 2 is a list, not text; quote it '
         "(an unquoted ': ' or '- ' inside a phrase starts a mapping or a list)"),
        ("error", 9, 14, "schema", 'tracker "Notes": protect must be true or false'),
        ("error", 11, 17, "schema",
         "tracker \"Single\": vocabulary must be a list (one '- item' per line)"),
        ("error", 12, 5, "schema", 'tracker 3: required key "name" is missing'),
        ("error", 14, 5, "file-shape", "trackers item 4 is a single value; each item is a "
         "mapping with name and vocabulary"),
    ],
    "phrases.yaml": [
        ("error", 4, 5, "phrase-charset",
         f"tracker \"Greeting\": phrase 2 contains '?' at column 23 ({STRICT})"),
        ("warning", 5, 5, "phrase-whitespace", 'tracker "Greeting": phrase 3 "hello,  there " '
         'has leading, trailing or repeated whitespace; it is used as "hello, there"'),
        ("error", 5, 5, "phrase-charset",
         f"tracker \"Greeting\": phrase 3 contains ',' at column 6 ({STRICT})"),
        ("warning", 7, 5, "phrase-case-variant", 'tracker "Greeting": phrase 5 "Hello There" '
         "differs from phrase 4 only in case; Symbl matches ignoring case, keep one"),
        ("error", 8, 5, "phrase-empty",
         'tracker "Greeting": phrase 6 is empty; remove it or write the phrase'),
        ("error", 9, 5, "phrase-empty",
         'tracker "Greeting": phrase 7 is empty; remove it or write the phrase'),
        ("error", 10, 4, "phrase-empty",
         'tracker "Greeting": phrase 8 is empty; remove it or write the phrase'),
        ("warning", 11, 5, "phrase-whitespace", 'tracker "Greeting": phrase 9 "we   will   call '
         'you back" has leading, trailing or repeated whitespace; it is used as "we will call '
         'you back"'),
        ("warning", 12, 5, "phrase-long", 'tracker "Greeting": phrase 10 has 15 words; Symbl '
         "advises short phrases (at most 10 words)"),
    ],
    "names.yaml": [
        ("error", 2, 11, "name-reserved", "tracker \"Symbl.Farewell\": names starting with "
         "'Symbl.' belong to the platform's trackers; trackersync must not manage them; "
         "rename it"),
        ("warning", 4, 11, "name-ephemeral", 'tracker "Promo Check - 6513270e-269e-4d37-b2a7-'
         "4de452e6b438\" ends in a GUID and looks ephemeral (a test run's leftover?); use a "
         "stable name"),
        ("warning", 6, 11, "name-whitespace", 'tracker " Spaced  Name" has leading, trailing or '
         "repeated spaces; the name is used exactly as written"),
        ("error", 8, 11, "name-empty", "tracker name is empty; give the tracker a name"),
        ("error", 10, 11, "name-empty", "tracker name is empty; give the tracker a name"),
    ],
    "renames-a.yaml": [
        ("error", 4, 5, "renamed-from",
         "tracker \"Billing\": renamed_from \"Billing\" is the tracker's own name; remove it"),
    ],
    "token.yaml": [
        ("warning", 7, 5, "phrase-secret", 'tracker "Login Trouble": phrase 5 "eyJh…" (60 '
         "characters, masked) looks like a token or key; remove it if it is a secret"),
    ],
    "shared-phrase.yaml": [
        ("warning", 5, 32, "phrase-shared", 'tracker "Happy Customer": phrase 2 "It works now" '
         'is also in tracker "Problem Solved" (phrase 2); both trackers will match it'),
    ],
    "syntax.yaml": [
        ("error", 4, 1, "yaml-syntax", "YAML syntax error: while parsing a flow sequence "
         "(started at line 2, column 13): did not find expected ',' or ']'"),
    ],
    "tabs.yaml": [
        ("error", 3, 1, "yaml-syntax", "tab character used for indentation; indent with spaces"),
    ],
    "multidoc.yaml": [
        ("error", 3, 1, "yaml-syntax", "file holds several YAML documents ('---'); use one "
         "document with a top-level 'trackers:' list"),
    ],
    "list.yaml": [("error", 1, 1, "file-shape", f"file holds a list; {SHAPE}")],
    "scalar.yaml": [("error", 1, 1, "file-shape", f"file holds a single value; {SHAPE}")],
    "empty.yaml": [("error", 1, 1, "file-shape", f"file is empty; {SHAPE}")],
    "empty-list.yaml": [
        ("error", 1, 11, "file-shape", "'trackers' must be a non-empty list of trackers (each "
         "with name and vocabulary)"),
    ],
    "tag.yaml": [
        ("error", 3, 5, "yaml-syntax",
         "YAML tag 'tag:yaml.org,2002:int' is not supported here; remove it"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fault_fixture(name: str) -> None:
    ds = load(FIXTURES, FIXTURES / name)
    assert rows(ds) == EXPECTED[name]
    assert {p.source.file for p in ds.problems if p.source} <= {name}
    assert ds.has_errors == any(r[0] == "error" for r in EXPECTED[name])


def test_every_fixture_has_expectations() -> None:
    on_disk = {p.name for p in FIXTURES.glob("*.yaml")}
    assert on_disk - set(EXPECTED) == {"dup-name-a.yaml", "dup-name-b.yaml", "renames-b.yaml"}


def test_unknown_key_value_never_echoed() -> None:
    ds = load(FIXTURES, FIXTURES / "unknown-key.yaml")
    text = "\n".join(str(p) for p in ds.problems)
    assert "app_secret" in text
    assert "s3cr3t" not in text


def test_token_phrase_masked_everywhere() -> None:
    ds = load(FIXTURES, FIXTURES / "token.yaml")
    assert "eyJhbGciOiJIUzI1NiJ9" not in "\n".join(str(p) for p in ds.problems)
    # the phrase itself is kept exactly (only messages mask it)
    assert ds.trackers[0].vocabulary[4].startswith("eyJhbGciOiJIUzI1NiJ9.")


def test_names_across_files_all_in_one_run() -> None:
    ds = load(FIXTURES, FIXTURES / "dup-name-a.yaml", FIXTURES / "dup-name-b.yaml")
    assert [(f, line, col, code) for _s, f, line, col, code, _m in flat(ds)] == [
        ("dup-name-b.yaml", 2, 11, "name-duplicate"),
        ("dup-name-b.yaml", 4, 11, "name-case-variant"),
    ]
    assert ds.problems[0].message == (
        'tracker "Pricing" is also defined at dup-name-a.yaml:1:7; names must be unique'
    )
    assert ds.problems[1].severity == "warning"
    assert ds.problems[1].message == (
        'tracker "pricing" differs from tracker "Pricing" (dup-name-a.yaml:1:7) only in case; '
        "Symbl keeps them as two trackers"
    )


def test_renamed_from_conflicts_across_files() -> None:
    ds = load(FIXTURES, FIXTURES / "renames-a.yaml", FIXTURES / "renames-b.yaml")
    assert rows(ds) == [
        ("error", 4, 5, "renamed-from",
         "tracker \"Billing\": renamed_from \"Billing\" is the tracker's own name; remove it"),
        ("error", 5, 5, "renamed-from", 'tracker "Billing": renamed_from "Invoices" is defined '
         "at renames-b.yaml:1:7; a name cannot be both renamed and kept"),
        ("error", 3, 16, "renamed-from", 'tracker "Invoices": renamed_from "Old Payments" is '
         'also claimed by tracker "Billing"; only one tracker can take it over'),
    ]
    assert [p.source.file for p in ds.problems if p.source] == [
        "renames-a.yaml", "renames-a.yaml", "renames-b.yaml"
    ]


def test_all_fixtures_in_one_run_sorted() -> None:
    ds = load(FIXTURES, FIXTURES)
    keys = [(p.source.file, p.source.line, p.source.column) for p in ds.problems if p.source]
    assert keys == sorted(keys)
    files = {k[0] for k in keys}
    assert files >= set(EXPECTED) - {"renames-a.yaml"}
    assert ds.has_errors
