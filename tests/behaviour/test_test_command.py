"""``trackersync test``: behaviour tests run through the Async text API of an emulator."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from junitparser import Failure, JUnitXml

Cli = Callable[..., Result]


def _summary(cli: Cli, *args: str) -> dict:
    result = cli("test", "--format", "json", *args)
    data: dict = json.loads(result.stdout)
    return data


def test_seed_example_and_no_inside_not_pass(cli: Cli, project: Path) -> None:
    result = cli("test", "--junit-out", str(project / "report.xml"))
    assert result.exit_code == 0, result.output
    assert "4 passed, 0 failed" in result.output
    xml = JUnitXml.fromfile(str(project / "report.xml"))
    assert xml.tests == 4 and xml.failures == 0
    data = _summary(cli)
    cases = {c["text"]: c for f in data["files"] for c in f["cases"]}
    [hit] = [h for h in cases["We're running a sale right now"]["hits"]]
    assert hit == {"tracker": "Promotion Mention", "phrase": "We have a sale right now on",
                   "offset": -1, "exact": False, "sentence": "We're running a sale right now"}
    no_hits = cases["Honestly it is not the right time"]["hits"]
    assert no_hits == []  # 'no' never fires inside 'not'


def test_a_breaking_change_fails_at_the_sentence(cli: Cli, project: Path) -> None:
    promo = project / "trackers" / "promo.yaml"
    promo.write_text(promo.read_text().replace("  - We have a sale right now on\n", ""))
    result = cli("test", "--junit-out", str(project / "report.xml"))
    assert result.exit_code == 1
    assert ("FAIL trackers/promo.yaml:9:7: must_fire 'Promotion Mention': "
            "\"We're running a sale right now\"") in result.output
    assert "'Promotion Mention' did not fire on this sentence" in result.output
    assert "3 passed, 1 failed" in result.output
    xml = JUnitXml.fromfile(str(project / "report.xml"))
    assert xml.tests == 4 and xml.failures == 1
    failed = [case for suite in xml for case in suite
              if any(isinstance(r, Failure) for r in case.result)]
    assert [c._elem.get("file") for c in failed] == ["trackers/promo.yaml"]
    assert failed[0]._elem.get("line") == "9"
    github = cli("test", "--format", "github").output
    assert "::error file=trackers/promo.yaml,line=9,col=7,title=behaviour test failed::" \
        in github


def test_must_not_fire_failure_names_the_phrase(cli: Cli, project: Path) -> None:
    denial = project / "trackers" / "denial.yaml"
    denial.write_text(denial.read_text().replace("  - not interested\n",
                                                 "  - not interested\n  - right time\n"))
    result = cli("test")
    assert result.exit_code == 1
    assert "'Denial' fired on this sentence: 'Denial' (phrase 'right time', exact)" \
        in result.output


def test_one_async_job_per_test_file(cli: Cli) -> None:
    data = _summary(cli)
    assert data["summary"]["files"] == 2
    # token + one bulk create, then per file: submit, job status, trackers-detected
    assert data["summary"]["requests"] == 2 + 3 * 2


def test_conversation_files_expect_trackers_per_message(cli: Cli, project: Path) -> None:
    folder = project / "tracker-tests"
    folder.mkdir()
    (folder / "call.yaml").write_text(
        "source: https://example.com/call\n"
        "messages:\n"
        "  - text: Hello there. We're running a sale right now.\n"
        "    expect: [Promotion Mention]\n"
        "  - text: Honestly it is not the right time.\n"
        "    expect: []\n"
        "  - text: Just some context.\n", encoding="utf-8")
    result = cli("test", str(folder))
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed (1 test file" in result.output
    (folder / "call.yaml").write_text(
        "messages:\n  - text: No sale today.\n    expect: [Denial, Nobody]\n")
    result = cli("test", str(folder))
    assert result.exit_code == 1
    assert ("tracker-tests/call.yaml:3:22: error: message 1 expects 'Nobody', which no "
            "tracker file defines") in result.output
    assert "0 passed, 0 failed (0 test files, 0 jobs, 0 requests" in result.output


def test_conversation_file_testing_nothing_or_expecting_twice_is_an_error(
        cli: Cli, project: Path) -> None:
    folder = project / "tracker-tests"
    folder.mkdir()
    (folder / "empty.yaml").write_text("messages: []\n", encoding="utf-8")
    (folder / "context.yaml").write_text("messages:\n  - text: Just context.\n",
                                         encoding="utf-8")
    (folder / "twice.yaml").write_text(
        "messages:\n  - text: No sale today.\n    expect: [Denial, Denial]\n",
        encoding="utf-8")
    result = cli("test", str(folder))
    assert result.exit_code == 1
    assert ("tracker-tests/empty.yaml:1:1: error: no message has 'expect', so this file "
            "tests nothing") in result.output
    assert ("tracker-tests/context.yaml:1:1: error: no message has 'expect', so this file "
            "tests nothing") in result.output
    assert ("tracker-tests/twice.yaml:3:22: error: message 1 expects 'Denial' twice"
            in result.output)


def test_collisions_and_coverage_are_warnings_a_config_can_raise(cli: Cli,
                                                                   project: Path) -> None:
    promo = project / "trackers" / "promo.yaml"
    promo.write_text(promo.read_text().replace(
        "    - We're running a sale right now\n",
        "    - We're running a sale right now\n    - No, we have a sale right now on shoes\n"))
    result = cli("test")
    assert result.exit_code == 0, result.output
    assert ("trackers/promo.yaml:11:7: warning: sentence fires 2 trackers: 'Promotion Mention' "
            "(phrase 'We have a sale right now on', exact) and 'Denial' (phrase 'no', exact)"
            ) in result.output
    assert ("trackers/promo.yaml:1:7: warning: tracker 'Promotion Mention': 3 of 4 phrases "
            "exercised by no test sentence") in result.output
    config = project / "trackersync.yaml"
    config.write_text("trackers_dir: trackers\nseverity: {test-collision: error}\n")
    result = cli("test")
    assert result.exit_code == 1
    assert "trackers/promo.yaml:11:7: error: sentence fires 2 trackers" in result.output


def test_tests_block_is_validated_and_never_planned(cli: Cli, project: Path) -> None:
    assert cli("validate").exit_code == 0
    assert cli("--emulator", "apply", "--auto-approve").exit_code == 0
    plan = cli("--emulator", "plan", "--format", "json")
    assert json.loads(plan.stdout)["summary"]["create"] == 0, plan.output
    promo = project / "trackers" / "promo.yaml"
    promo.write_text(promo.read_text().replace("must_not_fire", "must_not_fyre"))
    result = cli("validate")
    assert result.exit_code == 1
    assert 'trackers/promo.yaml:11:3: error: tracker "Promotion Mention": unknown key ' \
        '"must_not_fyre"' in result.output


def test_emulator_target_uses_the_recorded_ids(cli: Cli) -> None:
    result = cli("--emulator", "test")
    assert result.exit_code == 1 and "run apply first" in result.output
    assert cli("--emulator", "apply", "--auto-approve").exit_code == 0
    result = cli("--emulator", "test")
    assert result.exit_code == 0, result.output
    assert "4 passed, 0 failed" in result.output


def test_markdown_summary_escapes_and_lists_failures(cli: Cli, project: Path) -> None:
    promo = project / "trackers" / "promo.yaml"
    promo.write_text(promo.read_text().replace(
        "    - We're running a sale right now\n", "    - '@team <b>free</b> | now'\n"))
    out = project / "comment.md"
    assert cli("test", "--markdown-out", str(out)).exit_code == 1
    text = out.read_text()
    assert text.startswith("<!-- trackersync-test -->")
    assert "@\u200bteam \\<b\\>free\\</b\\> \\| now" in text and "<b>" not in text


def test_env_target_uses_the_ids_its_apply_recorded(cli: Cli, project: Path) -> None:
    from symbl_emulator import start_emulator

    (project / "trackersync.yaml").write_text(
        "trackers_dir: trackers\nenvironments:\n  staging:\n"
        "    credentials_prefix: SYMBL_STAGING_\n", encoding="utf-8")
    with start_emulator() as server:
        env = {"SYMBL_STAGING_API_URL": server.url, "SYMBL_STAGING_APP_ID": server.app_id,
               "SYMBL_STAGING_APP_SECRET": server.app_secret}
        assert cli("apply", "--env", "staging", "--auto-approve", env=env).exit_code == 0
        assert (project / "trackers.ids.staging.json").is_file()
        result = cli("test", "--env", "staging", env=env)
        assert result.exit_code == 0, result.output
        assert "4 passed, 0 failed (2 test files, 2 jobs" in result.output
        assert server.url in result.output
        submitted = [r for r in server.requests() if r["path"] == "/v1/process/text"]
        assert len(submitted) == 2


def test_invalid_tracker_files_stop_before_any_job(cli: Cli, project: Path) -> None:
    (project / "trackers" / "bad.yaml").write_text("name: Bad\nvocabluary: [x]\n")
    result = cli("test")
    assert result.exit_code == 1
    assert 'trackers/bad.yaml:2:1: error: tracker "Bad": unknown key "vocabluary"' \
        in result.output


def test_invalid_tracker_files_are_annotations_with_format_github(cli: Cli,
                                                                   project: Path) -> None:
    (project / "trackers" / "bad.yaml").write_text("name: Bad\nvocabluary: [x]\n")
    result = cli("test", "--format", "github")
    assert result.exit_code == 1
    assert ('::error file=trackers/bad.yaml,line=2,col=1::tracker "Bad": unknown key '
            '"vocabluary"') in result.stdout


def test_invalid_tracker_files_still_write_the_junit_report(cli: Cli, project: Path) -> None:
    from junitparser import JUnitXml

    (project / "trackers" / "bad.yaml").write_text("name: Bad\nvocabluary: [x]\n")
    result = cli("test", "--junit-out", str(project / "report.xml"))
    assert result.exit_code == 1
    xml = JUnitXml.fromfile(str(project / "report.xml"))
    assert xml.tests >= 1 and xml.failures >= 1
    names = [case.name for suite in xml for case in suite]
    assert any("vocabluary" in name for name in names), names


def test_cli_formats_are_the_renderers() -> None:
    from trackersync.behaviour.report import RENDERERS
    from trackersync.cli.test_cmd import FORMATS

    assert sorted(FORMATS) == sorted(RENDERERS)


def test_conversation_files_of_this_repository_match_their_schema(cli: Cli) -> None:
    from jsonschema import Draft7Validator
    from ruamel.yaml import YAML

    schema = json.loads(cli("schema", "--for", "conversation").stdout)
    Draft7Validator.check_schema(schema)
    validator = Draft7Validator(schema)
    files = sorted((Path(__file__).resolve().parents[2] / "tracker-tests").glob("*.yaml"))
    assert files
    for path in files:
        data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path
    assert list(validator.iter_errors({"messages": [{"text": "x", "expect": "A"}]}))


def test_sentences_cannot_forge_log_lines_or_break_junit(cli: Cli, project: Path) -> None:
    promo = project / "trackers" / "promo.yaml"
    promo.write_text(promo.read_text().replace(
        "    - We're running a sale right now\n",
        '    - "Hello\\n::error::forged\\u001b[31m red"\n'), encoding="utf-8")
    result = cli("test", "--junit-out", str(project / "report.xml"))
    assert result.exit_code == 1
    assert not [ln for ln in result.output.splitlines() if ln.startswith("::")]
    assert "\x1b" not in result.output and "Hello\\n::error::forged\\u001b[31m red" \
        in result.output
    xml = JUnitXml.fromfile(str(project / "report.xml"))
    assert xml.failures == 1
    github = cli("test", "--format", "github").output
    assert '"Hello\\n::error::forged\\u001b[31m red": ' in github
    assert not [ln for ln in github.splitlines() if ln.startswith("::error::forged")]
