"""Real-world hostile inputs (one folder each under ``cases/``): what a user expects.

Each folder is a small project from a public bug report against a tool of the same
family: Unicode look-alikes, a file discovery skipped, template errors, a YAML alias
bomb, an environment name that is a path, an ignore entry with brackets. The CLI runs
in-process against the emulator over real HTTP.
"""

from __future__ import annotations

import os
import unicodedata

import pytest

from .conftest import Project


def test_unicode_look_alike_is_the_remote_tracker_not_a_second_one(project) -> None:
    p: Project = project("unicode-names")
    plan = p.run("plan")
    assert plan.exit_code == 0, plan.output
    assert '~ update "Café Mention" (id 5000000000000001)' in plan.stdout
    assert "+ create" not in plan.stdout
    assert "another Unicode normal form" in plan.stdout
    applied = p.run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    (only,) = p.state()
    assert only["id"] == "5000000000000001"
    assert only["name"] == unicodedata.normalize("NFC", "Café Mention")
    assert all(unicodedata.is_normalized("NFC", phrase) for phrase in only["vocabulary"])
    assert p.run("plan").stdout.endswith("No changes.\n")


def test_unicode_variants_in_the_files_are_duplicates(project) -> None:
    p: Project = project("unicode-names/local-variants")
    result = p.run("validate")
    assert result.exit_code == 1
    assert ('trackers/a.yaml:4:5: error: tracker "Café Mention": phrase 2 "the café is open" '
            "repeats phrase 1 (they differ only in Unicode normal form") in result.stdout
    assert ("trackers/b.yaml:1:7: error: tracker \"Café Mention\" is also defined at "
            "trackers/a.yaml:1:7 (the two differ only in Unicode normal form") in result.stdout


def test_upper_case_extension_is_a_tracker_file_and_never_a_delete(project) -> None:
    p: Project = project("upper-case-extension")
    assert "2 trackers in 2 files" in p.run("validate").stdout
    (p.root / "trackers" / "Pricing.YAML").rename(p.root / "trackers" / "pricing.yaml")
    assert p.run("apply", "--auto-approve").exit_code == 0  # applied from pricing.yaml
    (p.root / "trackers" / "pricing.yaml").rename(p.root / "trackers" / "Pricing.YAML")
    plan = p.run("plan")
    assert plan.exit_code == 0 and plan.stdout.endswith("No changes.\n"), plan.output


def test_a_skipped_file_makes_prune_refuse_and_is_named(project) -> None:
    p: Project = project("upper-case-extension")
    assert p.run("apply", "--auto-approve").exit_code == 0
    (p.root / "trackers" / "Pricing.YAML").rename(p.root / "trackers" / "Pricing.yaml.bak")
    validate = p.run("validate")
    assert ("trackers/Pricing.yaml.bak:1:1: warning: trackers/Pricing.yaml.bak is not a "
            "tracker file") in validate.stdout
    plan = p.run("plan")
    assert plan.exit_code == 1
    assert "refusing to plan with prune on" in plan.stderr
    assert "trackers/Pricing.yaml.bak" in plan.stderr
    assert "- delete" not in plan.stdout
    assert len(p.state()) == 2
    p.write("trackers/NOTES.md", "notes about trackers\n")  # documentation never blocks
    (p.root / "trackers" / "Pricing.yaml.bak").rename(p.root / "trackers" / "pricing.yml")
    assert p.run("plan").stdout.endswith("No changes.\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_and_symlink_out_of_the_project_are_refused_unread(project, tmp_path) -> None:
    p: Project = project("upper-case-extension")
    os.mkfifo(p.root / "trackers" / "pipe.yaml")  # reading it would block forever
    outside = tmp_path / "outside.yaml"
    outside.write_text("name: Outside\nvocabulary: [a]\n")
    (p.root / "trackers" / "link.yaml").symlink_to(outside)
    result = p.run("validate")
    assert result.exit_code == 1
    assert ("trackers/pipe.yaml:1:1: error: trackers/pipe.yaml is a FIFO (named pipe), not "
            "a regular file; refused (not read)") in result.stdout
    assert ("trackers/link.yaml:1:1: error: trackers/link.yaml is a symbolic link leaving the "
            "project folder; refused (not read)") in result.stdout
    assert "Outside" not in result.stdout


def test_template_errors_point_into_the_template(project) -> None:
    p: Project = project("template-lines")
    result = p.run("validate")
    assert result.exit_code == 1
    assert ("trackers/products.yaml.j2:13:9: error: tracker \"Competitor\": phrase 4 contains "
            "'?' at column 18") in result.stdout
    rendered = p.run("render")
    assert rendered.exit_code == 0
    lines = rendered.stdout.splitlines()
    assert lines[0] == "# trackers/products.yaml.j2 rendered for environment default"
    assert "28        - what does it cost?" in lines


def test_yaml_error_from_a_variable_names_the_variable(project) -> None:
    p: Project = project("template-lines/injection")
    result = p.run("validate")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "trackers/company.yaml.j2:1:7: error: YAML syntax error: mapping values are not "
        "allowed in this context; caused by the value of variable 'company', \"Acme: Pro\"")
    assert '(name: "{{ company }} Mention")' in result.stdout


def test_quoting_fix_keeps_a_statement_on_the_same_line_outside_the_quotes(project) -> None:
    p: Project = project()
    p.write("trackersync.yaml", "vars:\n  phrases: ['a b', 'c: d']\n")
    p.write("trackers/t.yaml.j2", "name: T\nvocabulary:\n"
            "{% for p in phrases %}  - {{ p }}\n{% endfor %}\n")
    result = p.run("validate")
    assert result.exit_code == 1
    assert "caused by the value of variable 'p', \"c: d\"" in result.stdout
    assert '({% for p in phrases %}  - "{{ p }}")' in result.stdout


def test_unmatched_output_line_is_quoted_with_its_output_line_number(project) -> None:
    p: Project = project()
    p.write("trackersync.yaml", "vars:\n  phrases: \"\\n  - a b\\n  - what?\"\n")
    p.write("trackers/t.yaml.j2", "name: T\nvocabulary: {{ phrases }}\n")
    result = p.run("validate")
    assert result.exit_code == 1
    assert ("trackers/t.yaml.j2:2:1: error: tracker \"T\": phrase 2 contains '?' at column 5 "
            "(only letters, digits, spaces and . ' ’ - are allowed; rules: strict) (line 4 of "
            "the output rendered from trackers/t.yaml.j2: \"- what?\")") in result.stdout


def test_validate_checks_templates_for_every_environment(project) -> None:
    p: Project = project()
    p.write("trackersync.yaml", "vars: {company: Acme}\nenvironments:\n  eu:\n"
            "    vars: {company: 'Acme: EU'}\n  us: {}\n")
    p.write("trackers/c.yaml.j2", "name: '{{ company }} Mention'\nvocabulary:\n"
            "  - we use {{ company }}\n  - a b\n  - c d\n  - e f\n  - g h\n")
    result = p.run("validate")
    assert result.exit_code == 1
    assert ('trackers/c.yaml.j2:3:5: error: environment "eu": tracker "Acme: EU Mention": '
            "phrase 1 is a mapping, not text" in result.stdout), result.stdout
    assert "caused by the value of variable 'company', \"Acme: EU\"" in result.stdout
    assert p.run("validate", "--env", "us").exit_code == 0


def test_alias_bomb_is_refused_at_the_file(project) -> None:
    p: Project = project("alias-bomb")
    result = p.run("validate")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "trackers/laughs.yaml:6:36: error: more than 100,000 values once aliases are "
        "expanded")


def test_environment_name_that_is_a_path_is_refused_in_the_config(project) -> None:
    p: Project = project("env-name-path")
    message = ('trackersync.yaml:3:3: environments: "eu/prod" cannot be an environment '
               "name: it becomes part of file names")
    for args in (["validate"], ["plan", "--env", "eu/prod"], ["ids", "--env", "eu/prod"]):
        result = p.run(*args)
        assert result.exit_code == 1
        assert message in result.stderr, result.output
    assert not any(p.root.glob("trackers.ids*"))


def test_ignore_entry_with_brackets_matches_itself(project) -> None:
    p: Project = project("ignore-glob-brackets")
    plan = p.run("plan")
    assert plan.exit_code == 0, plan.output
    changes = plan.stdout.split("\nwarning:")[0]
    assert "Deals" not in changes  # neither deleted nor listed as unmanaged
    assert 'Unmanaged (no file defines them; left alone): "Old Stuff"' in changes
    assert ("warning: ignore entry 'Deals [EU]' matches that tracker and, as a glob, also "
            "'Deals E'; write 'Deals [[]EU]' to match only the name") in plan.stdout
    assert ("warning: ignore pattern 'Legacy*' matches no tracker in the account"
            in plan.stdout)
    assert p.run("apply", "--auto-approve").exit_code == 0
    assert sorted(t["name"] for t in p.state()) == ["Budget", "Deals E", "Deals [EU]", "Old Stuff"]


def test_ignore_entry_that_matches_nothing_suggests_a_similar_name(project) -> None:
    p: Project = project("ignore-glob-brackets")
    p.write("trackersync.yaml", "prune: false\nignore: ['deals [eu]']\n")
    plan = p.run("plan")
    assert ("ignore pattern 'deals [eu]' matches no tracker in the account (similar: "
            "'Deals [EU]')") in plan.stdout


def test_multi_line_variable_breaking_the_yaml_is_named(project) -> None:
    p: Project = project()
    p.write("trackersync.yaml", 'vars:\n  extra: "a b\\n- c: d"\n')
    p.write("trackers/t.yaml.j2", "name: T\nvocabulary:\n  - {{ extra }}\n  - x y\n")
    result = p.run("validate")
    assert result.exit_code == 1
    assert result.stdout.startswith("trackers/t.yaml.j2:3:1: error: YAML syntax error")
    assert ('(line 4 of the output rendered from trackers/t.yaml.j2: "- c: d"); caused by the '
            "value of variable 'extra'") in result.stdout
