"""Adopting a messy account: import into an empty repository, then plan says No changes."""

from __future__ import annotations

import json

from jsonschema import Draft7Validator

from tests.adopt.helpers import Account, messy_account
from trackersync.definitions.yamlnodes import compose


def test_messy_account_imports_into_files_that_plan_empty(account: Account) -> None:
    account.seed(messy_account())
    result = account.run("import")
    assert result.exit_code == 0, result.output
    assert "(1 ignored)" in result.stdout  # the Symbl. tracker
    config = (account.root / "trackersync.yaml").read_text(encoding="utf-8")
    assert "\nrules: lenient\n" in config  # most trackers need Symbl's later rules
    assert "# rules: lenient, chosen by `trackersync import`:" in config
    assert (account.root / "schema" / "tracker.schema.json").is_file()
    files = sorted(account.trackers.glob("*.yaml"))
    assert len(files) == 29
    for path in files:
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schema/tracker.schema.json\n")
    brackets = (account.trackers / "brackets.yaml").read_text(encoding="utf-8")
    assert "  - call (me) back\n" in brackets and "\naccepted_as_imported: " in brackets
    # every file is valid against the schema its modeline names
    schema = json.loads((account.root / "schema" / "tracker.schema.json").read_text())
    validator = Draft7Validator(schema)
    for path in files:
        data = compose(path.read_text(encoding="utf-8")).data
        assert not list(validator.iter_errors(data)), path

    plan = account.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert plan.stdout.strip().endswith("No changes."), plan.output
    assert "error" not in plan.output
    assert "whitespace" not in plan.output  # stored whitespace was accepted at import

    fmt = account.run("fmt", "--check")
    assert fmt.exit_code == 0, fmt.output
    assert "0 files would be reformatted, 29 unchanged." in fmt.stdout

    # Recording the IDs sends nothing to Symbl but the one list call.
    writes = [r for r in account.requests_made() if r["method"] in ("POST", "PUT", "DELETE")]
    applied = account.run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    after = [r for r in account.requests_made() if r["method"] in ("POST", "PUT", "DELETE")]
    assert [r["path"] for r in after[len(writes):]] == ["/oauth2/token:generate"] * (
        len(after) - len(writes))


def test_an_edited_accepted_tracker_must_pass_the_rules(account: Account) -> None:
    account.seed(messy_account())
    assert account.run("import").exit_code == 0
    path = account.trackers / "brackets.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - sign off\n", "  - sign off\n  - wrap up\n"),
                    encoding="utf-8")
    plan = account.run("plan")
    assert plan.exit_code == 1
    assert "phrase 1 contains '(' at column 6" in plan.stderr
    assert "was accepted as imported, but its name or phrases changed since" in plan.stderr
    # Fixing the phrases and dropping the marker makes it an ordinary update.
    fixed = path.read_text(encoding="utf-8").replace("call (me) back", "call me back")
    fixed = fixed.replace("'[internal] note'", "internal note")
    path.write_text(fixed.split("\naccepted_as_imported:")[0] + "\n", encoding="utf-8")
    plan = account.run("plan")
    assert plan.exit_code == 0, plan.output
    assert "Plan: 0 to create, 1 to update, 0 to rename, 0 to delete." in plan.stdout


def test_reordering_or_formatting_an_accepted_tracker_is_not_an_edit(account: Account) -> None:
    account.seed(messy_account())
    assert account.run("import").exit_code == 0
    path = account.trackers / "brackets.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("vocabulary:\n") + 1
    lines[start:start + 5] = reversed(lines[start:start + 5])
    lines[start] = lines[start].replace("sign off", "sign   off")
    path.write_text("".join(lines), encoding="utf-8")
    plan = account.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output
    assert account.run("fmt").exit_code == 0
    assert "sign off\n" in path.read_text(encoding="utf-8")


def test_an_existing_config_is_kept_and_its_rules_used(account: Account) -> None:
    (account.root / "trackersync.yaml").write_text("rules: strict\n", encoding="utf-8")
    account.seed(messy_account())
    result = account.run("import")
    assert result.exit_code == 0, result.output
    assert (account.root / "trackersync.yaml").read_text(encoding="utf-8") == "rules: strict\n"
    plan = account.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output


def test_import_into_a_nested_folder_points_each_file_at_the_schema(account: Account) -> None:
    account.seed(messy_account()[:3])
    result = account.run("import", "--dir", "trackers/sales")
    assert result.exit_code == 0, result.output
    config = (account.root / "trackersync.yaml").read_text(encoding="utf-8")
    assert config.startswith("# yaml-language-server: $schema=schema/config.schema.json\n")
    assert "trackers_dir" not in config  # trackers/ is searched recursively
    pricing = (account.trackers / "sales" / "pricing.yaml").read_text(encoding="utf-8")
    assert pricing.startswith(
        "# yaml-language-server: $schema=../../schema/tracker.schema.json\n")
    schema = account.root / "schema" / "tracker.schema.json"
    target = (account.trackers / "sales" / "../../schema/tracker.schema.json").resolve()
    assert target == schema.resolve() and schema.is_file()
    plan = account.run("plan")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output
    again = account.run("fmt", "--check")
    assert again.exit_code == 0, again.output


def test_an_environment_with_its_own_rules_gets_them(account: Account) -> None:
    (account.root / "trackersync.yaml").write_text(
        "rules: lenient\nenvironments:\n  prod: {rules: strict}\n", encoding="utf-8")
    account.seed(messy_account())
    result = account.run("import", "--env", "prod")
    assert result.exit_code == 0, result.output
    tracker = (account.trackers / "legacy-14.yaml").read_text(encoding="utf-8")
    assert "the rules (strict) report:" in tracker  # ',' and '?' accepted for prod
    plan = account.run("plan", "--env", "prod")
    assert plan.exit_code == 0 and "No changes." in plan.stdout, plan.output


def _config_comment(account: Account) -> str:
    """The comment lines of the written trackersync.yaml, joined into one text."""
    lines = (account.root / "trackersync.yaml").read_text(encoding="utf-8").splitlines()
    return " ".join(line[2:] for line in lines if line.startswith("# "))


def test_a_clean_account_gets_strict_rules(account: Account) -> None:
    account.seed([{"name": "Budget", "vocabulary": ["my budget", "funding", "it's 5 o'clock"]}])
    result = account.run("import")
    assert result.exit_code == 0, result.output
    assert "\nrules: strict\n" in (account.root / "trackersync.yaml").read_text()
    assert ("rules: strict, chosen by `trackersync import`: every imported tracker passes "
            "Symbl's 2022 (strict) rules.") in _config_comment(account)


def test_strict_rules_when_lenient_refuses_as_many(account: Account) -> None:
    account.seed([{"name": "Callback", "vocabulary": ["call (me) back", "ring me"]},
                  {"name": "Budget", "vocabulary": ["my budget", "funding"]}])
    result = account.run("import")
    assert result.exit_code == 0, result.output
    assert "\nrules: strict\n" in (account.root / "trackersync.yaml").read_text()
    assert ("rules: strict, chosen by `trackersync import`: 1 of 2 trackers break Symbl's "
            "2022 (strict) rules, no fewer under lenient.") in _config_comment(account)
    assert "\naccepted_as_imported: " in (account.trackers / "callback.yaml").read_text()
