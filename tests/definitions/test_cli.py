"""``trackersync validate`` and ``trackersync schema``, driven in-process with CliRunner."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.definitions.helpers import write
from tests.helpers import invoke

REPO = Path(__file__).parents[2]
GOOD = "name: {name}\nvocabulary: [alpha {name}, beta {name}, gamma {name}, delta {name}, " \
       "epsilon {name}]\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "trackers/a.yaml", GOOD.format(name="A"))
    write(tmp_path, "trackers/b.yaml", "name: B\nvocabulary:\n  - why?\n  - Yes\n")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = invoke(args)
    return result.exit_code, result.stdout, result.stderr


def test_validate_text(project: Path) -> None:
    code, out, _err = run("validate")
    assert code == 1
    assert out.splitlines() == [
        "trackers/b.yaml:1:7: warning: tracker \"B\" has 2 phrases; Symbl recommends at least 5",
        "trackers/b.yaml:3:5: error: tracker \"B\": phrase 1 contains '?' at column 4 (only "
        "letters, digits, spaces and . ' ’ - are allowed; rules: strict)",
        "trackers/b.yaml:4:5: error: tracker \"B\": phrase 2 is an unquoted Yes, which YAML may "
        "read as a boolean; quote it: 'Yes'",
        "2 trackers in 2 files: 2 errors, 1 warning.",
    ]


def test_validate_paths_and_strict(project: Path) -> None:
    assert run("validate", "trackers/a.yaml") == (
        0, "1 tracker in 1 file: 0 errors, 0 warnings.\n", "")
    write(project, "trackers/c.yaml", "name: C\nvocabulary: [one thing]\n")
    assert run("validate", "trackers/c.yaml")[0] == 0
    assert run("validate", "--strict", "trackers/c.yaml")[0] == 1


def test_validate_json(project: Path) -> None:
    code, out, _err = run("validate", "--format", "json")
    assert code == 1
    items = json.loads(out)
    assert [(i["file"], i["line"], i["column"], i["severity"], i["code"], i["tracker"])
            for i in items] == [
        ("trackers/b.yaml", 1, 7, "warning", "phrase-few", "B"),
        ("trackers/b.yaml", 3, 5, "error", "phrase-charset", "B"),
        ("trackers/b.yaml", 4, 5, "error", "quote-it", "B"),
    ]


def test_validate_json_names_the_tracker_of_every_problem_about_one(project: Path) -> None:
    five = "[alpha, beta, gamma, delta, epsilon]"
    files = {
        "c": f"name: C\nvocabulary: {five}\ncolour: red\n",
        "d": "name: D\n",
        "e": "name: E\nvocabulary: []\n",
        "f": "name: F\nvocabulary: {a: b}\n",
        "g": "name: G\nvocabulary: [alpha, [beta], gamma, delta, epsilon]\nprotect: '1'\n",
        "h": f"trackers:\n  - name: H\n    vocabulary: {five}\n    colour: red\nextra: 1\n",
    }
    for stem, text in files.items():
        write(project, f"trackers/{stem}.yaml", text)
    code, out, _err = run("validate", "--format", "json")
    assert code == 1
    items = [i for i in json.loads(out) if i["file"] != "trackers/a.yaml"]
    got = {(i["file"][9:10], i["code"], i["tracker"]) for i in items}
    assert {
        ("c", "unknown-key", "C"),
        ("d", "schema", "D"),
        ("e", "phrase-count", "E"),
        ("f", "schema", "F"),
        ("g", "schema", "G"),
        ("h", "unknown-key", "H"),
        ("h", "unknown-key", None),  # the file's own key "extra": no tracker
    } <= got
    assert sum(i["tracker"] == "G" and i["code"] == "schema" for i in items) == 2
    for item in items:
        named = item["message"].startswith("tracker \"")
        assert (item["tracker"] is not None) == named, item
        if named:
            assert item["message"].startswith(f'tracker "{item["tracker"]}"'), item


def test_validate_github(project: Path) -> None:
    code, out, _err = run("validate", "--format", "github")
    assert code == 1
    assert out.splitlines()[0] == (
        "::warning file=trackers/b.yaml,line=1,col=7::tracker \"B\" has 2 phrases; Symbl "
        "recommends at least 5")
    assert out.splitlines()[2].startswith("::error file=trackers/b.yaml,line=4,col=5::")
    assert len(out.splitlines()) == 3


def test_validate_report_writes_the_same_problems_as_plain_lines(project: Path) -> None:
    code, out, _err = run("validate", "--format", "github", "--report", "problems.txt")
    assert code == 1
    report = (project / "problems.txt").read_text().splitlines()
    assert len(report) == len(out.splitlines()) == 3
    assert report[0] == ('trackers/b.yaml:1:7: warning: tracker "B" has 2 phrases; Symbl '
                         "recommends at least 5")
    assert report[2].startswith("trackers/b.yaml:4:5: error: ")
    assert not any(line.startswith("::") for line in report)
    code, _out, err = run("validate", "--report", "no-such-folder/x/problems.txt")
    assert code == 1 and "cannot write the report" not in err  # folders are created
    (project / "blocked").write_text("a file, not a folder")
    code, _out, err = run("validate", "--report", "blocked/problems.txt")
    assert code == 1 and "blocked/problems.txt: cannot write the report" in err


def test_validate_no_definitions_and_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("validate")
    assert code == 1
    assert out.splitlines()[0].startswith("error: no tracker definitions found in trackers/")
    write(tmp_path, "trackersync.yaml", "trackers_dri: x\n")
    code, out, err = run("validate")
    assert code == 1 and out == ""
    assert 'trackersync.yaml:1:1: unknown key "trackers_dri"; did you mean "trackers_dir"?' in err


def test_validate_env_and_config_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "proj/trackersync.yaml",
          "vars: {who: Prod}\nenvironments:\n  staging:\n    vars: {who: Staging}\n")
    write(tmp_path, "proj/trackers/t.yaml.j2", GOOD.format(name="{{ who }}"))
    assert run("--config", "proj/trackersync.yaml", "validate", "--format", "json") == (
        0, "[]\n", "")
    code, _out, err = run("--config", "proj/trackersync.yaml", "validate", "--env", "prod")
    assert code == 1 and 'unknown environment "prod"' in err


def test_validate_repository_trackers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code, out, _err = run("validate")
    assert code == 0, out
    assert out.splitlines()[-1].startswith("12 trackers in 12 files: 0 errors, ")
    assert all(": warning: " in line for line in out.splitlines()[:-1])


def test_schema_command(tmp_path: Path) -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in out  # draft-07 keeps definitions under "definitions"
    tracker = schema["definitions"]["TrackerSpec"]
    assert tracker["additionalProperties"] is False
    assert sorted(tracker["properties"]) == ["accepted_as_imported", "description", "id",
                                             "name", "protect", "renamed_from", "tests",
                                             "vocabulary"]
    assert tracker["required"] == ["name", "vocabulary"]
    code, out, _ = run("schema", "--for", "config")
    assert code == 0 and "trackers_dir" in json.loads(out)["properties"]
    assert "$defs" not in out


def _refs_alone(node: object) -> bool:
    """True when no "$ref" in ``node`` has sibling keywords (draft-07 would ignore them)."""
    if isinstance(node, list):
        return all(_refs_alone(item) for item in node)
    if not isinstance(node, dict):
        return True
    return ("$ref" not in node or len(node) == 1) and all(map(_refs_alone, node.values()))


@pytest.mark.parametrize("target", ["tracker", "config"])
def test_schema_declares_the_dialect_it_is_written_in(target: str) -> None:
    import jsonschema
    from jsonschema.validators import validator_for

    schema = json.loads(run("schema", "--for", target)[1])
    cls = validator_for(schema)
    assert cls is jsonschema.Draft7Validator
    cls.check_schema(schema)
    assert _refs_alone(schema)
    refs = set(re.findall(r'"\$ref": "([^"]*)"', json.dumps(schema)))
    assert refs and refs <= {f"#/definitions/{name}" for name in schema["definitions"]}


def test_schema_accepts_the_repository_trackers_and_refuses_bad_shapes() -> None:
    import jsonschema
    from jsonschema.validators import validator_for

    from trackersync.definitions.yamlnodes import compose, read_text

    schema = json.loads(run("schema")[1])
    validator = validator_for(schema)(schema)
    files = sorted((REPO / "trackers").glob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        data = compose(read_text(path)).data  # read exactly as the loader reads it
        assert list(validator.iter_errors(data)) == [], path
    validator.validate({"trackers": [{"name": "A", "vocabulary": ["x"], "protect": True}]})
    for bad in ({"name": "A", "vocabluary": ["x"]}, {"name": "A", "vocabulary": []},
                {"trackers": []}, {"name": "A", "vocabulary": ["x"], "protect": "yes"},
                {"name": "A", "vocabulary": ["x", ""]}, {"name": "", "vocabulary": ["x"]}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(bad)


def test_config_schema_accepts_every_default_and_refuses_unknown_keys() -> None:
    import jsonschema
    from jsonschema.validators import validator_for

    from trackersync.definitions.config_schema import Config

    schema = json.loads(run("schema", "--for", "config")[1])
    validator = validator_for(schema)(schema)
    example = Config.model_validate(
        {"environments": {"prod": {"api_url": "https://api.symbl.ai"}}})
    validator.validate(json.loads(example.model_dump_json()))
    for bad in ({"prune": "yes"}, {"trackers_dri": "x"}, {"safety": {"max_deletes": -1}},
                {"environments": {"prod": {"token": "x"}}}):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(bad)


def test_keywords_beside_a_ref_survive_the_draft07_conversion() -> None:
    from trackersync.definitions.schema import as_draft07

    given = {"$defs": {"S": {"type": "object"}},
             "properties": {"s": {"$ref": "#/$defs/S", "description": "d", "default": {}}}}
    assert as_draft07(given) == {
        "definitions": {"S": {"type": "object"}},
        "properties": {"s": {"allOf": [{"$ref": "#/definitions/S"}], "description": "d",
                             "default": {}}},
    }
    assert "$defs" in given  # the input is left alone


def test_nothing_sent_to_any_api(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validate opened a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setitem(os.environ, "SYMBL_API_URL", "http://127.0.0.1:9")
    assert run("validate", "trackers/a.yaml")[0] == 0
