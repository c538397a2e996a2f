"""``accepted_as_imported``: the rules honour it for an unchanged tracker, and only then."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.adopt.helpers import Account
from trackersync.config import Config
from trackersync.definitions import dump_tracker_yaml, load_definitions
from trackersync.definitions.accepted import content_fingerprint
from trackersync.definitions.yamlnodes import compose
from trackersync.model import Tracker

LEGACY = Tracker(name="Legacy", vocabulary=("what is it?", "call (me) back", "price, please"))


def load(tmp_path: Path, text: str, rules: str = "lenient"):  # type: ignore[no-untyped-def]
    (tmp_path / "trackers").mkdir(exist_ok=True)
    (tmp_path / "trackers" / "legacy.yaml").write_text(text, encoding="utf-8")
    return load_definitions(tmp_path, Config(rules=rules))  # type: ignore[arg-type]


def codes(loaded) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.code for p in loaded.problems]


@pytest.mark.parametrize("rules", ["strict", "lenient"])
def test_a_matching_fingerprint_accepts_the_tracker_as_stored(tmp_path: Path, rules: str) -> None:
    plain = load(tmp_path, dump_tracker_yaml(LEGACY), rules)
    assert "phrase-charset" in codes(plain) and plain.has_errors
    marked = load(tmp_path, dump_tracker_yaml(LEGACY, accepted=content_fingerprint(LEGACY)),
                  rules)
    assert codes(marked) == [], marked.problems
    assert marked.trackers[0].accepted_as_imported


def test_an_edit_brings_every_rule_back_with_a_reason(tmp_path: Path) -> None:
    edited = Tracker(name="Legacy", vocabulary=(*LEGACY.vocabulary, "one more"))
    loaded = load(tmp_path, dump_tracker_yaml(edited, accepted=content_fingerprint(LEGACY)))
    assert "phrase-charset" in codes(loaded) and "accepted-edited" in codes(loaded)
    warning = next(p for p in loaded.problems if p.code == "accepted-edited")
    assert warning.severity == "warning" and warning.source is not None
    assert warning.source.line == 7  # at the accepted_as_imported value
    assert "fix the problems reported for it" in warning.message
    assert not loaded.trackers[0].accepted_as_imported


def test_order_and_whitespace_are_not_edits() -> None:
    shuffled = Tracker(name="Legacy", vocabulary=("price,  please ", *LEGACY.vocabulary[:2]))
    assert content_fingerprint(shuffled) == content_fingerprint(LEGACY)
    renamed = Tracker(name="Legacy 2", vocabulary=LEGACY.vocabulary)
    assert content_fingerprint(renamed) != content_fingerprint(LEGACY)


def test_secrets_are_still_warned_about(tmp_path: Path) -> None:
    secret = Tracker(name="Keys", vocabulary=("AKIAIOSFODNN7EXAMPLE1234", "what?"))
    loaded = load(tmp_path, dump_tracker_yaml(secret, accepted=content_fingerprint(secret)),
                  "strict")
    assert codes(loaded) == ["phrase-secret"]


def test_a_fingerprint_of_digits_is_written_as_text() -> None:
    text = dump_tracker_yaml(LEGACY, accepted="1234567890123456")
    assert "accepted_as_imported: '1234567890123456'\n" in text
    assert compose(text).data["accepted_as_imported"] == "1234567890123456"


def test_a_malformed_fingerprint_is_refused(tmp_path: Path) -> None:
    loaded = load(tmp_path, dump_tracker_yaml(LEGACY) + "accepted_as_imported: yes please\n")
    assert "schema" in codes(loaded) and loaded.has_errors


def test_plan_warns_when_an_accepted_tracker_must_be_sent_again(account: Account) -> None:
    (account.root / "trackersync.yaml").write_text("rules: lenient\n")
    [stored] = account.seed([{"name": "Legacy", "vocabulary": list(LEGACY.vocabulary)}])
    assert account.run("import").exit_code == 0
    assert "No changes." in account.run("plan").stdout
    # Someone edits the tracker in Symbl's UI: the plan would PUT the file's phrases back.
    token = requests.post(f"{account.server.url}/oauth2/token:generate", timeout=10,
                          json={"type": "application", "appId": account.server.app_id,
                                "appSecret": account.server.app_secret}).json()["accessToken"]
    changed = requests.put(f"{account.server.url}/v1/manage/tracker/{stored['id']}", timeout=10,
                           headers={"Authorization": f"Bearer {token}"},
                           json={"name": "Legacy", "vocabulary": ["what is it"]})
    assert changed.status_code == 200, changed.text
    plan = account.run("plan")
    assert plan.exit_code == 0, plan.output
    assert "Plan: 0 to create, 1 to update" in plan.stdout
    assert ("tracker 'Legacy' is accepted as imported and may hold phrases the rules "
            "(lenient) refuse; this update sends them again") in plan.output


def test_a_tracker_the_loader_cannot_read_is_not_claimed_as_accepted(account: Account) -> None:
    (account.root / "trackersync.yaml").write_text("rules: strict\n")
    account.seed([{"name": "No Phrases", "vocabulary": []},
                  {"name": "Legacy", "vocabulary": ["what is it?", "call me"]}])
    imported = account.run("import")
    assert imported.exit_code == 0, imported.output
    assert "1 tracker accepted as imported" in imported.stdout
    assert "has no phrase; add at least one [phrase-count] (imported as stored)" in imported.output
    assert "accepted_as_imported" not in (account.trackers / "no-phrases.yaml").read_text()
    assert "accepted_as_imported" in (account.trackers / "legacy.yaml").read_text()
    plan = account.run("plan")
    assert plan.exit_code == 1
    assert 'trackers/no-phrases.yaml:6:13: error: tracker "No Phrases" has no phrase' in plan.output
