"""One identity for text, tried with random Unicode: plan after apply is empty, and no
look-alike duplicate is ever created.

Names and phrases are drawn from an alphabet of look-alikes: composed and decomposed
accents (``é`` / ``e`` + U+0301, ``Å`` / ``A`` + U+030A / U+212B ANGSTROM SIGN), letter
case variants, invisible characters (U+200B, U+200D, U+FEFF, U+00AD, U+2066) and unusual
spaces (U+00A0, U+2009, U+3000). The account may already hold a look-alike of a tracker
the files define (another normal form, an invisible character, an odd or extra space).
The real loader, differ, client and applier run against the emulator over HTTP.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbl_emulator import EmulatorServer, start_emulator
from trackersync.apply import apply_plan
from trackersync.client import Credentials, SymblClient
from trackersync.config import Config
from trackersync.errors import DefinitionError
from trackersync.pipeline import PlanOptions, make_plan
from trackersync.text import look_alike_key

LETTERS = ["e", "é", "e\u0301", "E", "É", "a", "A", "Å", "A\u030a", "\u212b", "n", "ñ",
           "n\u0303", "o", "O"]
HIDDEN = ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u2066", "\u00a0", "\u2009", "\u3000"]

_word = st.lists(st.sampled_from(LETTERS), min_size=1, max_size=4).map("".join)
_hidden_word = st.tuples(_word, st.sampled_from(HIDDEN), _word).map("".join)
_text = st.lists(_word | _hidden_word, min_size=1, max_size=3).map(" ".join)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def quoted(text: str) -> str:
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    with start_emulator() as srv:
        yield srv


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_text, min_size=1, max_size=4),
    phrases=st.lists(_text, min_size=1, max_size=3),
    remote_look_alike=st.sampled_from([None, "NFD", "\u200b", " ", "\u00a0"]),
)
def test_plan_after_apply_is_empty_and_no_look_alike_is_created(
    server: EmulatorServer, names: list[str], phrases: list[str], remote_look_alike: str | None
) -> None:
    server.reset()
    root = Path(tempfile.mkdtemp())
    try:
        (root / "trackers").mkdir()
        for index, name in enumerate(names):
            vocabulary = "".join(f"  - {quoted(p)}\n" for p in phrases)
            (root / "trackers" / f"t{index}.yaml").write_text(
                f"name: {quoted(name)}\nvocabulary:\n{vocabulary}", encoding="utf-8")
        if remote_look_alike:  # the account holds a look-alike of the first name
            name = unicodedata.normalize("NFD", names[0])
            if remote_look_alike != "NFD":  # an invisible character or an odd/extra space
                name = name.replace(" ", remote_look_alike, 1) if " " in name and \
                    remote_look_alike == "\u00a0" else name + remote_look_alike
            server.seed([{"name": name,
                          "vocabulary": [unicodedata.normalize("NFD", p) for p in phrases]}])
        before = server.trackers()
        config = Config(rules="lenient", severity={"phrase-few": "off"})
        creds = Credentials(app_id=server.app_id, app_secret=server.app_secret)
        with SymblClient(server.url, creds, sleep=lambda _s: None) as client:
            try:
                result = make_plan(root, config, client, PlanOptions(api_url=server.url))
            except DefinitionError as exc:
                # refused (invisible characters, look-alike duplicates): nothing was sent
                assert any(p.severity == "error" for p in exc.problems)
                assert server.trackers() == before
                return
            apply_plan(result.plan, client)
            again = make_plan(root, config, client, PlanOptions(api_url=server.url))
        assert again.plan.changes == [], again.plan.changes
        stored = server.trackers()
        seen = [look_alike_key(t["name"]) for t in stored]
        assert len(seen) == len(set(seen)), f"look-alike names created: {seen}"
        assert all(t["name"] == nfc(t["name"]) for t in stored)
        assert {t["name"] for t in stored} == {nfc(n) for n in names}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_plans_show_invisible_characters_visibly(project) -> None:
    p = project()
    p.seed([{"id": "5000000000000801", "name": "Price\u200bList",
             "vocabulary": ["price\u00a0list", "list of prices", "what it costs", "the fee",
                            "rates"]}])
    p.write("trackers/a.yaml", "name: Budget\nvocabulary: [a b, c d, e f, g h, i j]\n")
    text = p.run("plan").stdout
    assert 'Unmanaged (no file defines them; left alone): "Price<U+200B>List"' in text
    markdown = p.run("plan", "--format", "markdown").stdout
    assert "Price&#92;u200bList" in markdown and "\u200b" not in markdown  # shows \u200b
    data = p.run("plan", "--format", "json").stdout
    assert "Price\\u200bList" in data and "\u200b" not in data


def test_invisible_character_in_a_name_is_refused_naming_the_code_point(project) -> None:
    p = project()
    p.write("trackers/a.yaml", "name: \"Budget\\u200b\"\nvocabulary: [a b, c d, e f, g h, "
            "\"i\\u00a0j\"]\n")
    result = p.run("validate")
    assert result.exit_code == 1
    assert ("trackers/a.yaml:1:7: error: tracker \"Budget<U+200B>\" contains U+200B ZERO "
            "WIDTH SPACE at column 7, which cannot be seen") in result.stdout
    assert ("trackers/a.yaml:2:34: warning: tracker \"Budget<U+200B>\": phrase 5 has U+00A0 "
            "NO-BREAK SPACE at column 2; normalised: sent with a plain space as \"i j\""
            ) in result.stdout


def test_remote_name_with_an_invisible_character_is_renamed_not_doubled(project) -> None:
    p = project()
    p.seed([{"id": "5000000000000802", "name": "Budget\u200b",
             "vocabulary": ["a b", "c d", "e f", "g h", "i j"]}])
    p.write("trackers/a.yaml", "name: Budget\nvocabulary: [a b, c d, e f, g h, i j]\n")
    plan = p.run("plan").stdout
    assert '~ rename "Budget<U+200B>" -> "Budget" (id 5000000000000802)' in plan
    assert "looks the same (it differs only in invisible characters or spaces)" in plan
    assert p.run("apply", "--auto-approve").exit_code == 0
    assert [(t["id"], t["name"]) for t in p.state()] == [("5000000000000802", "Budget")]
