"""The test of the importer: import an account, then plan against it shows no changes."""

from __future__ import annotations

import json

import pytest
import requests
from helpers import Project, first_of_each_name, real_trackers

NO_CHANGES = "No changes."


def assert_plan_is_empty(project: Project) -> None:
    result = project.run("plan")
    assert result.exit_code == 0, result.output
    assert NO_CHANGES in result.stdout, result.output


def test_real_trackers_round_trip(project: Project) -> None:
    items = first_of_each_name(real_trackers())
    project.seed(items)
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert len(project.files()) == len(items) == 20
    assert f"Imported {len(items)} trackers into trackers/." in result.stdout
    assert "(" not in result.stdout.splitlines()[-1]  # nothing skipped
    assert_plan_is_empty(project)
    # Adoption's last step: apply records the IDs (ids_file) without writing to Symbl.
    applied = project.run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    log = requests.get(f"{project.server.url}/_emulator/requests", timeout=10).json()
    writes = [r for r in log["requests"] if r["method"] in ("POST", "PUT", "DELETE")]
    assert [r["path"] for r in writes] == ["/oauth2/token:generate"] * len(writes)
    ids = json.loads((project.root / "trackers.ids.json").read_text(encoding="utf-8"))
    assert sorted(ids["names"]) == sorted(item["name"] for item in items)


def test_reimport_is_idempotent_and_stable(project: Project) -> None:
    project.seed(first_of_each_name(real_trackers()))
    assert project.run("import").exit_code == 0
    before = project.files()
    mtimes = {p: (project.trackers / p).stat().st_mtime_ns for p in before}
    again = project.run("import")
    assert again.exit_code == 0, again.output
    assert project.files() == before
    assert {p: (project.trackers / p).stat().st_mtime_ns for p in before} == mtimes
    assert again.stdout.splitlines()[-1] == (
        f"Imported 0 trackers into trackers/ ({len(before)} skipped: already defined)."
    )
    # --overwrite rewrites each tracker's own file: byte-identical (stable output).
    refreshed = project.run("import", "--overwrite")
    assert refreshed.exit_code == 0, refreshed.output
    assert f"Imported {len(before)} trackers" in refreshed.stdout
    assert project.files() == before
    assert_plan_is_empty(project)


def test_repeated_names_get_distinct_files_and_a_warning(project: Project) -> None:
    items = real_trackers()
    project.seed(items)
    result = project.run("import")
    assert result.exit_code == 0, result.output
    files = project.files()
    assert len(files) == len(items) == 30  # never merged
    assert sorted(p for p in files if p.startswith("promotion-mention")) == [
        "promotion-mention-2.yaml",
        "promotion-mention-3.yaml",
        "promotion-mention-4.yaml",
        "promotion-mention-a2779cfd-9539-43c8-a9c5-795282e0103d.yaml",
        "promotion-mention.yaml",
    ]
    assert "4 remote trackers share this name" in result.stderr
    assert "trackers/voice-message-2.yaml: warning: tracker 'Voice Message'" in result.stderr
    assert b"other remote trackers have the same name" in files["voice-message.yaml"]
    # The repository now defines "Voice Message" twice: plan refuses (documented by
    # the definitions rules: name-duplicate is an error) until the extras are removed.
    plan = project.run("plan")
    assert plan.exit_code == 1, plan.output
    assert (
        'trackers/voice-message.yaml:4:7: error: tracker "Voice Message" is also defined at '
        "trackers/voice-message-2.yaml:4:7; names must be unique"
    ) in plan.stderr


@pytest.mark.parametrize(
    "name",
    ["../x", "a/b", "/etc/passwd", "..", "🎉", "Crème brûlée", "?!,", "a\\b", "CON", " padded "],
)
def test_hostile_and_odd_names_round_trip(project: Project, name: str) -> None:
    project.seed([{"name": name, "vocabulary": ["first phrase", "second phrase"]}])
    result = project.run("import")
    assert result.exit_code == 0, result.output
    everything = {p for p in project.root.parent.rglob("*") if p.is_file()}
    schemas = {project.root / "schema" / f"{kind}.schema.json" for kind in ("tracker", "config")}
    written = everything - {project.root / "trackersync.yaml"} - schemas
    assert len(written) == 1 and written.pop().parent == project.trackers
    assert_plan_is_empty(project)


def test_names_colliding_after_slugging_round_trip(project: Project) -> None:
    names = ["Pricing", "pricing", "PRICING", "pricing?", "Prícing", "🎉", "😀", "tracker"]
    project.seed([{"name": n, "vocabulary": [f"phrase {i}"]} for i, n in enumerate(names)])
    result = project.run("import")
    assert result.exit_code == 0, result.output
    assert sorted(project.files()) == [
        "pricing-2.yaml", "pricing-3.yaml", "pricing-4.yaml", "pricing-5.yaml", "pricing.yaml",
        "tracker-2.yaml", "tracker-3.yaml", "tracker.yaml",
    ]  # fmt: skip
    assert_plan_is_empty(project)


TRICKY_PHRASES = [
    "yes", "No", "on", "OFF", "y", "n", "~", "null", "true", "1e3", "0x1F", "012", "1_000",
    "2024-01-01", ".inf", "- dash first", "? question first", "key: value", "a #hash",
    "#comment", "'single'", '"double"', "&anchor", "*alias", "!tag", "%directive", "@at",
    "`tick", "{brace}", "trailing colon:", "tab\tinside", "ümlaut", "emoji 🎉", "back\\slash",
    "|pipe", ">fold", "=", ",comma first", "multi  space",
]  # fmt: skip


def test_phrases_are_written_exactly_as_stored(project: Project) -> None:
    project.seed([{"name": "Tricky", "vocabulary": TRICKY_PHRASES}])
    result = project.run("import")
    assert result.exit_code == 0, result.output
    text = (project.trackers / "tricky.yaml").read_text(encoding="utf-8")
    from trackersync.definitions import load_config, load_definitions

    loaded = load_definitions(project.root, load_config(None, project.root))
    assert [t.vocabulary for t in loaded.trackers if t.name == "Tricky"] == [
        tuple(" ".join(p.split()) for p in TRICKY_PHRASES)
    ], text
    assert_plan_is_empty(project)


def test_whitespace_that_the_loader_normalises_round_trips(project: Project) -> None:
    vocabulary = ["trailing space ", " leading space", "inner  double", "tab\tinside", "plain"]
    project.seed([{"name": "Spaces", "vocabulary": vocabulary}])
    result = project.run("import")
    assert result.exit_code == 0, result.output
    text = (project.trackers / "spaces.yaml").read_text(encoding="utf-8")
    # written as the loader reads them; the stored variants are recorded and accepted
    assert "  - trailing space\n  - leading space\n  - inner double\n  - tab inside\n" in text
    assert "[phrase-whitespace]" in text  # recorded in the header comment
    assert "\naccepted_as_imported: " in text
    assert 'spaces.yaml: warning: tracker "Spaces": phrase 1 "trailing space "' in result.stderr
    assert_plan_is_empty(project)
    plan = project.run("plan")
    assert "whitespace" not in plan.output, plan.output  # no warning on every plan
