"""``trackersync detect`` against an emulator server: text, messages JSON, audio URL, upload."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from click.testing import Result

from symbl_emulator import EmulatorServer, start_emulator

Cli = Callable[..., Result]


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with start_emulator() as srv:
        yield srv


@pytest.fixture
def account(server: EmulatorServer, cli: Cli) -> dict[str, str]:
    """Credentials of the emulator account, with the project's trackers applied to it."""
    env = {"SYMBL_API_URL": server.url, "SYMBL_APP_ID": server.app_id,
           "SYMBL_APP_SECRET": server.app_secret}
    applied = cli("apply", "--auto-approve", env=env)
    assert applied.exit_code == 0, applied.output
    return env


def _transcript(server: EmulatorServer, **body: object) -> None:
    answer = requests.post(f"{server.url}/_emulator/transcripts", json=body, timeout=5)
    assert answer.status_code == 201, answer.text


def _api_calls(server: EmulatorServer) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in server.requests()]


def test_text_file_table_highlights_exact_matches(cli: Cli, account: dict[str, str],
                                                  project: Path) -> None:
    path = project / "call.txt"
    path.write_text("We have a sale right now on shoes.\nWe're running a sale right now\n")
    result = cli("detect", str(path), env=account)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "1 tracker(s) detected." in lines[0]
    assert lines[2].split() == ["TRACKER", "PHRASE", "MATCH", "SENTENCE"]
    rows = "\n".join(lines[3:])
    assert "exact       [We have a sale right now on] shoes." in rows
    assert "contextual  We're running a sale right now" in rows


def test_messages_json_and_json_output(cli: Cli, account: dict[str, str],
                                       project: Path) -> None:
    path = project / "messages.json"
    path.write_text(json.dumps({"messages": [
        {"payload": {"content": "No, thanks. Honestly it is not the right time."}}]}))
    result = cli("detect", str(path), "--trackers", "Denial", "--format", "json", env=account)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [t["name"] for t in data["trackers"]] == ["Denial"]
    [match] = data["trackers"][0]["matches"]
    assert match["value"] == "no" and [r["text"] for r in match["messageRefs"]] == ["No, thanks."]


def test_audio_url_uses_the_registered_transcript(cli: Cli, account: dict[str, str],
                                                  server: EmulatorServer) -> None:
    url = "https://example.com/calls/42.mp3"
    _transcript(server, url=url, messages=["Hi there. We're running a sale right now."])
    result = cli("detect", url, "--format", "json", env=account)
    assert result.exit_code == 0, result.output
    assert "POST /v1/process/audio/url" in _api_calls(server)
    [tracker] = json.loads(result.stdout)["trackers"]
    assert tracker["name"] == "Promotion Mention"
    assert tracker["matches"][0]["messageRefs"][0]["offset"] == -1


@pytest.mark.parametrize(("suffix", "endpoint"), [(".wav", "/v1/process/audio"),
                                                  (".mp4", "/v1/process/video")])
def test_uploaded_file_uses_the_transcript_of_its_bytes(
        cli: Cli, account: dict[str, str], server: EmulatorServer, project: Path,
        suffix: str, endpoint: str) -> None:
    data = b"RIFF....WAVEfmt fake media"
    path = project / f"call{suffix}"
    path.write_bytes(data)
    _transcript(server, sha256=hashlib.sha256(data).hexdigest(), messages=["No."])
    result = cli("detect", str(path), "--format", "json", env=account)
    assert result.exit_code == 0, result.output
    assert f"POST {endpoint}" in _api_calls(server)
    assert [t["name"] for t in json.loads(result.stdout)["trackers"]] == ["Denial"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trackers", "Nope"], "no tracker file defines 'Nope'"),
        (["--media", "audio"], None),
    ],
)
def test_bad_input_fails_before_any_request(cli: Cli, account: dict[str, str],
                                            server: EmulatorServer, project: Path,
                                            args: list[str], message: str | None) -> None:
    before = len(_api_calls(server))
    text = project / "call.txt"
    text.write_text("hello\n")
    source = str(text) if message else str(project / "missing.txt")
    result = cli("detect", source, *args, env=account)
    assert result.exit_code == 1
    assert (message or "cannot read the file") in result.output
    for bad, why in (("call.ogg", "unsupported input type '.ogg'"),
                     ("empty.txt", "no message to submit")):
        (project / bad).write_bytes(b"\n")
        result = cli("detect", str(project / bad), env=account)
        assert result.exit_code == 1 and why in result.output
    assert len(_api_calls(server)) == before


def test_waiting_is_bounded(cli: Cli, account: dict[str, str], server: EmulatorServer,
                            project: Path) -> None:
    server.configure(job_delay_ms=600_000)
    path = project / "call.txt"
    path.write_text("No.\n")
    result = cli("detect", str(path), "--timeout", "0.1", env=account)
    assert result.exit_code == 1
    assert "job scheduled" in result.output
    assert "is still 'scheduled' after 0.1 s" in result.output


@pytest.mark.slow
def test_fresh_emulator_needs_no_apply(cli: Cli, project: Path) -> None:
    path = project / "call.txt"
    path.write_text("We have a sale right now on shoes.\n")
    result = cli("detect", str(path), "--fresh")
    assert result.exit_code == 0, result.output
    assert "[We have a sale right now on]" in result.stdout


def test_not_applied_points_at_fresh(cli: Cli, project: Path) -> None:
    path = project / "call.txt"
    path.write_text("We have a sale right now on shoes.\n")
    result = cli("detect", str(path))
    assert result.exit_code == 1
    assert "run apply first" in result.output
    assert "--fresh" in result.output
    assert "run without --env and --emulator" not in result.output


def test_ctrl_c_while_waiting_leaves_nothing_behind(cli: Cli, project: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from trackersync.client import asyncapi

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(asyncapi, "job_status", interrupted)
    path = project / "call.txt"
    path.write_text("No.\n")
    before = sorted(p.name for p in project.iterdir())
    result = cli("detect", str(path), "--fresh")
    assert result.exit_code == 130 and "Interrupted." in result.output
    assert sorted(p.name for p in project.iterdir()) == before  # no state, no temp files
