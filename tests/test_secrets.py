"""Token-looking phrases: one detector, flagged by validate, masked in every plan view."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from symbl_emulator import EmulatorServer
from trackersync.cli import main
from trackersync.secrets import MASK, display, looks_secret, mask_secrets

# Fake credentials of well-known shapes (none is real).
TOKENS = [
    "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB",
    "AKIAIOSFODNN7EXAMPLE",
    "SreSuperSecret-7f3a9c2e1d",
    "w1IBJ3XJ9w-Z6KljPzZwDgo_eaddwrTKNFIZtnD42d8",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.ZmFrZS1zaWduYXR1cmU",
]


@pytest.mark.parametrize("token", TOKENS)
def test_token_shapes_are_detected_and_masked(token: str) -> None:
    assert looks_secret(token)
    assert mask_secrets(f"my key is {token} ok") == f"my key is {MASK} ok"


@pytest.mark.parametrize(
    "text",
    ["We have a special promotion going on if you book this before",
     "Promotion Mention - a2779cfd-9539-43c8-a9c5-795282e0103d",
     "internationalisationsabcdefg", "COVID-19 vaccination 2021"],
)
def test_ordinary_phrases_and_guids_are_left_alone(text: str) -> None:
    assert not looks_secret(text)


GUID = "3f2b8c1e-9a4d-4c1e-8f2b-1234567890ab"


@pytest.mark.parametrize(
    "text",
    [f"test-tracker-{GUID}", f"trackers/test-tracker-{GUID}.yaml:2:7: warning",
     f"{GUID}-{GUID}", f"trackers/sales/nightly-run-{GUID}-copy.yaml"],
)
def test_a_long_word_is_judged_without_its_guids(text: str) -> None:
    assert mask_secrets(text) == text


@pytest.mark.parametrize("token", TOKENS[:4])
def test_a_token_next_to_a_guid_is_still_masked(token: str) -> None:
    assert looks_secret(f"{token}-{GUID}")
    assert looks_secret(f"{GUID}_{token}")
    assert token not in mask_secrets(f"key {GUID}{token} end")


def test_validate_flags_and_plan_masks_every_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "trackersync.yaml").write_text("rules: lenient\n")
    (tmp_path / "trackers").mkdir()
    vocabulary = "\n".join(f"  - {json.dumps(t)}" for t in [*TOKENS, "normal words"])
    (tmp_path / "trackers" / "pasted.yaml").write_text(f"name: Pasted\nvocabulary:\n{vocabulary}\n")
    monkeypatch.chdir(tmp_path)

    validate = CliRunner().invoke(main, ["validate", "--format", "json"])
    flagged = [p for p in json.loads(validate.stdout) if p["code"] == "phrase-secret"]
    assert len(flagged) == len(TOKENS)

    for fmt in ("text", "markdown"):
        plan = CliRunner().invoke(main, ["--emulator", "plan", "--format", fmt])
        assert plan.exit_code == 0, plan.output
        assert "normal words" in plan.stdout
        for token in TOKENS:
            assert token not in plan.output, (fmt, token)


@pytest.mark.parametrize(
    "text",
    ["PUT /v1/manage/tracker/6973743091479735 failed",
     "/tmp/pytest-of-root/pytest-12/test_sigterm0/trackers.ids.json",
     "trackers/test-tracker-3f2b8c1e-9a4d-4c1e-8f2b-1234567890ab.yaml"],
)
def test_paths_and_urls_are_not_tokens(text: str) -> None:
    assert mask_secrets(text) == text


def test_aws_secret_key_shape_is_masked_but_lowercase_paths_are_not() -> None:
    assert mask_secrets("aws wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == f"aws {MASK}"
    assert mask_secrets("abc123def456ghi789jkl012.mno345pqr678stu901vwx") == MASK
    assert mask_secrets("see v1/manage/tracker/6973743091479735") == (
        "see v1/manage/tracker/6973743091479735")


def test_display_escapes_control_characters_so_no_log_line_can_be_forged() -> None:
    shown = display("Sales\n::add-mask::Plan\r\x1b[31m\u202e")
    assert "\n" not in shown and "\r" not in shown and "\x1b" not in shown
    assert shown == "Sales\\n::add-mask::Plan\\r\\u001b[31m\\u202e"


def test_a_name_with_a_newline_is_refused_by_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "a.yaml").write_text(
        'name: "Sales\\n::warning title=Approved::LGTM"\n'
        "vocabulary: [one two, three four, five six, seven eight, nine ten]\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 1
    codes = [p["code"] for p in json.loads(result.stdout)]
    assert "name-control" in codes and "name-whitespace" not in codes


def test_remote_names_are_escaped_and_masked_in_the_text_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, emulator: EmulatorServer
) -> None:
    (tmp_path / "trackers").mkdir()
    (tmp_path / "trackers" / "a.yaml").write_text("name: Mine\nvocabulary: [one two]\n")
    requests.post(f"{emulator.url}/_emulator/seed", timeout=5, json=[
        {"name": "Evil\n::add-mask::Plan", "vocabulary": ["x"]},
        {"name": f"Unm {TOKENS[0]}", "vocabulary": ["y"]},
    ])
    monkeypatch.chdir(tmp_path)
    env = {"SYMBL_API_URL": emulator.url, "SYMBL_APP_ID": emulator.app_id,
           "SYMBL_APP_SECRET": emulator.app_secret, "SYMBL_ACCESS_TOKEN": None}
    result = CliRunner().invoke(main, ["plan"], env=env)
    assert result.exit_code == 0, result.output
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert '"Evil\\n::add-mask::Plan"' in result.stdout
    assert TOKENS[0] not in result.stdout


#: 3,000 texts in all, ten per example: the check itself costs microseconds, so one text
#: per example would spend nearly all the time in hypothesis's own per-example work.
@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.sampled_from(list("aAzZ09+=_./- \t\nyJeIKSgphousrxbtk")),
                              max_size=60), min_size=10, max_size=10))
def test_the_cheap_first_look_never_misses_a_candidate(texts: list[str]) -> None:
    from trackersync.secrets import _CANDIDATE, could_be_secret

    for text in texts:
        if not could_be_secret(text):
            assert _CANDIDATE.search(text) is None, text
