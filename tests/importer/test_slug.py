"""File names for imported trackers: slugs, collisions, no path traversal."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackersync.errors import ConfigError
from trackersync.importer.slug import Resolver, assign_file_names, safe_target, slugify
from trackersync.model import RemoteTracker
from trackersync.textfold import fold_to_ascii

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def remote(name: str, tracker_id: str) -> RemoteTracker:
    return RemoteTracker(id=tracker_id, name=name, vocabulary=("a phrase",))


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Promotion Mention", "promotion-mention"),
        ("COVID-19", "covid-19"),
        ("tracker_name", "tracker-name"),
        ("Crème brûlée – Café", "creme-brulee-cafe"),
        ("dificil", "dificil"),
        ("../x", "x"),
        ("a/b", "a-b"),
        ("/etc/passwd", "etc-passwd"),
        ("..", "tracker"),
        ("a\x00b", "a-b"),
        ("🎉🎉", "tracker"),
        ("?!,", "tracker"),
        ("", "tracker"),
        ("CON", "con-tracker"),
        ("  Symbl.Courtesy  ", "symbl-courtesy"),
        ("re\u0301sume\u0301 now", "resume-now"),
        ("Straße", "strasse"),
        ("Ελληνικά", "ellinika"),
        ("Привет мир", "privet-mir"),
        ("日本語", "ribenyu"),
        ("Emoji 😀", "emoji"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_slug_is_cut_to_60_characters_without_a_trailing_dash() -> None:
    name = "Promotion Mention - a2779cfd-9539-43c8-a9c5-795282e0103d and more words here"
    slug = slugify(name)
    assert len(slug) <= 60 and not slug.endswith("-")
    assert slug.startswith("promotion-mention-a2779cfd")


@given(st.text(max_size=200))
def test_any_name_gives_a_plain_file_stem(name: str) -> None:
    slug = slugify(name)
    assert SLUG.fullmatch(slug) and len(slug) <= 60


def test_case_only_and_repeated_names_get_distinct_files() -> None:
    trackers = [
        remote("pricing", "5000000000000003"),
        remote("Pricing", "5000000000000002"),
        remote("Pricing", "5000000000000001"),
        remote("Voice Message", "5000000000000004"),
    ]
    names = assign_file_names(trackers)
    assert names == {
        "5000000000000001": "pricing.yaml",  # ("Pricing", ...01) sorts first
        "5000000000000002": "pricing-2.yaml",
        "5000000000000003": "pricing-3.yaml",
        "5000000000000004": "voice-message.yaml",
    }


def test_file_names_do_not_depend_on_listing_order() -> None:
    trackers = [
        remote(n, f"50000000000000{i:02d}")
        for i, n in enumerate(["a", "A", "a 2", "a-2", "A?", "b", "🎉", "..", "tracker"])
    ]
    first = assign_file_names(trackers)
    second = assign_file_names(list(reversed(trackers)))
    assert first == second
    assert len(set(first.values())) == len(trackers)
    # "A" claims a.yaml; "a 2" keeps its plain slug a-2 (claimed before suffixes are
    # handed out), so "A?" and "a", in (name, id) order, take a-3 and a-4.
    by_name = {t.name: first[t.id] for t in trackers if t.name in ("A", "a 2", "A?", "a")}
    assert by_name == {"A": "a.yaml", "a 2": "a-2.yaml", "A?": "a-3.yaml", "a": "a-4.yaml"}


def test_file_names_are_unique_ignoring_case() -> None:
    trackers = [
        remote(n, f"50000000000001{i:02d}")
        for i, n in enumerate(["ABC", "abc", "Abc", "a.b.c", "a b c"])
    ]
    values = list(assign_file_names(trackers).values())
    assert len({v.lower() for v in values}) == len(values)


def test_safe_target_stays_inside_the_folder(tmp_path: Path) -> None:
    assert safe_target(tmp_path, "x.yaml") == (tmp_path / "x.yaml").resolve()
    for bad in ("../x.yaml", "a/b.yaml", "/etc/passwd", "..", "."):
        with pytest.raises(ConfigError, match="outside"):
            safe_target(tmp_path, bad)


def test_safe_target_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "trackers"
    folder.mkdir()
    (folder / "evil.yaml").symlink_to(outside / "evil.yaml")
    with pytest.raises(ConfigError, match="outside"):
        safe_target(folder, "evil.yaml")


def test_resolver_resolves_as_path_resolve_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                ) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.yaml").write_text("x")
    (tmp_path / "linked").symlink_to(real)  # a folder reached through a link
    (real / "link.yaml").symlink_to(real / "sub" / "b.yaml")  # a file that is a link
    (real / "chain.yaml").symlink_to("link.yaml")  # a relative link to a link
    (real / "loop.yaml").symlink_to("loop.yaml")
    monkeypatch.chdir(real)
    resolve = Resolver()
    for path in [real / "a.yaml", tmp_path / "linked" / "a.yaml", tmp_path / "linked" / "new",
                 real / "link.yaml", tmp_path / "linked" / "chain.yaml", real / "sub" / "..",
                 tmp_path / "linked" / "sub" / ".." / "a.yaml", Path("a.yaml"), Path("."),
                 tmp_path / "linked"]:
        assert resolve(path) == path.resolve(), path
        assert resolve(path) == path.resolve(), path  # again, from the folder cache
    with pytest.raises(RuntimeError):  # as Path.resolve: a link loop is an error
        resolve(real / "loop.yaml")


@given(st.text(st.characters(max_codepoint=127), max_size=80))
def test_an_ascii_name_slugs_as_its_transliteration_would(name: str) -> None:
    from trackersync.importer.slug import _NON_ALNUM
    from trackersync.textfold import fold_to_ascii

    assert _NON_ALNUM.sub("-", name.lower()) == _NON_ALNUM.sub("-", fold_to_ascii(name).lower())


def test_ascii_is_folded_as_the_transliteration_would_fold_it() -> None:
    # ASCII is folded without the transliteration library (not imported for ASCII names)
    import unicodedata

    from anyascii import anyascii

    for char in map(chr, range(128)):
        kind = unicodedata.category(char)[0]
        expected = ("".join(c if c.isalnum() else " " for c in anyascii(char))
                    if kind in "LN" else " ")
        assert fold_to_ascii(char) == expected, repr(char)
    assert fold_to_ascii("Café Ελληνικά") == "Cafe Ellinika"
