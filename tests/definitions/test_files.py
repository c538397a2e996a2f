"""Encodings, line ends, discovery and file labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.definitions.helpers import flat, load, rows, write

GOOD = "name: Pricing\nvocabulary:\n  - what does it cost\n  - too expensive\n  - any discount\n" \
       "  - price per seat\n  - yearly plan\n"


def test_latin1_file_is_refused_at_the_byte(tmp_path: Path) -> None:
    path = write(tmp_path, "trackers/a.yaml", "name: Caf\u00e9\n".encode("latin-1"))
    assert rows(load(tmp_path, path)) == [
        ("error", 1, 10, "encoding", "file is not valid UTF-8 (byte 0xE9); save it as UTF-8"),
    ]


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "trackers/a.yaml", GOOD.encode("utf-16"))
    assert rows(load(tmp_path, path)) == [
        ("error", 1, 1, "encoding", "file is UTF-16 or UTF-32 encoded; save it as UTF-8"),
    ]


def test_bom_and_crlf_are_read_exactly(tmp_path: Path) -> None:
    text = "\ufeff" + GOOD.replace("\n", "\r\n") + "  - caf\u00e9 au lait?\r\n"
    path = write(tmp_path, "trackers/a.yaml", text.encode("utf-8"))
    ds = load(tmp_path, path)
    assert ds.trackers[0].name == "Pricing"
    assert ds.trackers[0].vocabulary[-1] == "caf\u00e9 au lait?"
    assert [(line, col, code) for _s, line, col, code, _m in rows(ds)] == [
        (8, 5, "phrase-charset")
    ]


def test_no_definitions_in_empty_dir(tmp_path: Path) -> None:
    (tmp_path / "trackers").mkdir()
    write(tmp_path, "trackers/notes.txt", "not a tracker")
    assert flat(load(tmp_path)) == [
        ("warning", "trackers/notes.txt", 1, 1, "file-skipped", "trackers/notes.txt is not a "
         "tracker file (tracker files end in .yaml, .yml, .yaml.j2, .yml.j2, any letter "
         "case); skipped"),
        ("error", None, None, None, "no-definitions", "no tracker definitions found in "
         "trackers/ (looked for *.yaml, *.yml, *.yaml.j2, *.yml.j2, in any letter case)"),
    ]


def test_no_definitions_when_dir_missing(tmp_path: Path) -> None:
    ds = load(tmp_path, trackers_dir="trackerz")
    assert flat(ds) == [
        ("error", None, None, None, "no-definitions", "no tracker definitions found in "
         "trackerz/ (no such directory; set trackers_dir in trackersync.yaml)"),
    ]
    assert ds.trackers == [] and ds.has_errors
    with pytest.raises(Exception, match="1 error"):
        ds.raise_for_errors()


def test_missing_explicit_path(tmp_path: Path) -> None:
    ds = load(tmp_path, tmp_path / "nope.yaml")
    assert [p.message for p in ds.problems] == [f"{tmp_path / 'nope.yaml'}: no such file or "
                                                "directory"]


def test_discovery_order_suffixes_hidden_and_labels(tmp_path: Path) -> None:
    for rel in ("trackers/b.yml", "trackers/a.yaml", "trackers/sub/c.yaml",
                "trackers/.hidden.yaml", "trackers/.git/x.yaml"):
        write(tmp_path, rel, GOOD.replace("Pricing", rel))
    ds = load(tmp_path, severity={"phrase-shared": "off"})
    assert [t.name for t in ds.trackers] == ["trackers/a.yaml", "trackers/b.yml",
                                             "trackers/sub/c.yaml"]
    assert [str(t.source) for t in ds.trackers] == [
        "trackers/a.yaml:1:7", "trackers/b.yml:1:7", "trackers/sub/c.yaml:1:7"
    ]
    assert [p.relative_to(tmp_path).as_posix() for p in ds.files] == [
        "trackers/a.yaml", "trackers/b.yml", "trackers/sub/c.yaml"
    ]
    assert ds.problems == [] and ds.summary() == "3 trackers in 3 files: 0 errors, 0 warnings."


def test_broken_file_fails_the_load_but_others_still_checked(tmp_path: Path) -> None:
    write(tmp_path, "trackers/a.yaml", GOOD)
    write(tmp_path, "trackers/b.yaml", "name: [unclosed\n")
    ds = load(tmp_path)
    assert [t.name for t in ds.trackers] == ["Pricing"]
    assert ds.has_errors
    assert [(p.source.file, p.code) for p in ds.errors if p.source] == [
        ("trackers/b.yaml", "yaml-syntax")
    ]


def test_normalised_phrases_and_fields(tmp_path: Path) -> None:
    write(tmp_path, "trackers/a.yaml", GOOD.replace("too expensive", '"too \\t expensive "')
          + "description: local note\nrenamed_from: [Old Pricing]\nprotect: true\n")
    tracker = load(tmp_path).trackers[0]
    assert tracker.vocabulary[1] == "too expensive"
    assert (tracker.description, tracker.renamed_from, tracker.protect) == (
        "local note", ("Old Pricing",), True)
