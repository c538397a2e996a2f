"""Several trackers in the account share a name: every ID is listed, and ``id:`` pins one."""

from __future__ import annotations

from .conftest import Project

TWINS = [
    {"id": "5000000000000951", "name": "Dup", "vocabulary": ["a b", "c d", "e f", "g h", "i j"]},
    {"id": "5000000000000952", "name": "Dup", "vocabulary": ["k l", "m n", "o p", "q r", "s t"]},
]
FIVE = "[a b, c d, e f, g h, new one]"


def test_plan_refuses_a_shared_name_listing_every_id(project) -> None:
    p: Project = project()
    p.seed(TWINS)
    p.write("trackers/d.yaml", f"name: Dup\nvocabulary: {FIVE}\n")
    result = p.run("plan")
    assert result.exit_code == 1
    assert ("tracker 'Dup': 2 remote trackers have this name (ids 5000000000000951, "
            "5000000000000952); delete the extras in Symbl, or pin the one this file manages "
            "with id:") in result.stderr


def test_id_pins_the_tracker_the_file_manages(project) -> None:
    p: Project = project()
    p.seed(TWINS)
    p.write("trackers/d.yaml", "name: Dup\nid: '5000000000000951'\n"
            "vocabulary: [a b, c d, e f, g h, i j]\n")
    plan = p.run("plan")  # the pinned twin already matches: nothing to do
    assert plan.exit_code == 0 and plan.stdout.endswith("No changes.\n"), plan.output
    assert "Unmanaged (no file defines them; left alone): \"Dup\"" in plan.stdout
    p.write("trackers/d.yaml", f"name: Dup\nid: '5000000000000951'\nvocabulary: {FIVE}\n")
    refused = p.run("plan")  # the API refuses a PUT under a name another tracker holds
    assert refused.exit_code == 1
    assert ("tracker 'Dup' (id 5000000000000951): its name is shared with id "
            "5000000000000952, and the API refuses to change a tracker whose name another "
            "one holds") in refused.stderr
    p.write("trackers/d.yaml", f"name: Dup EU\nid: '5000000000000951'\nvocabulary: {FIVE}\n")
    assert '~ rename "Dup" -> "Dup EU" (id 5000000000000951)' in p.run("plan").stdout
    assert p.run("apply", "--auto-approve").exit_code == 0
    by_id = {t["id"]: (t["name"], t["vocabulary"]) for t in p.state()}
    assert by_id["5000000000000951"] == ("Dup EU", ["a b", "c d", "e f", "g h", "new one"])
    assert by_id["5000000000000952"] == ("Dup", ["k l", "m n", "o p", "q r", "s t"])
    assert p.run("plan").stdout.endswith("No changes.\n")


def test_id_with_another_name_is_a_rename_and_an_unknown_id_an_error(project) -> None:
    p: Project = project()
    p.seed(TWINS)
    p.write("trackers/d.yaml", f"name: Deals\nid: '5000000000000952'\nvocabulary: {FIVE}\n")
    assert '~ rename "Dup" -> "Deals" (id 5000000000000952)' in p.run("plan").stdout
    p.write("trackers/d.yaml", f"name: Deals\nid: '5000000000000999'\nvocabulary: {FIVE}\n")
    result = p.run("plan")
    assert result.exit_code == 1
    assert "tracker 'Deals' pins id 5000000000000999, which is not in the account" \
        in result.stderr


def test_two_files_pinning_one_id_and_an_unquoted_id_are_refused(project) -> None:
    p: Project = project()
    p.write("trackers/a.yaml", f"name: A\nid: '5000000000000951'\nvocabulary: {FIVE}\n")
    p.write("trackers/b.yaml", f"name: B\nid: '5000000000000951'\nvocabulary: {FIVE}\n")
    p.write("trackers/c.yaml", f"name: C\nid: 5000000000000953\nvocabulary: {FIVE}\n")
    result = p.run("validate")
    assert result.exit_code == 1
    assert ('trackers/b.yaml:1:7: error: tracker "B" pins id 5000000000000951, which '
            'tracker "A" (trackers/a.yaml:1:7) pins too') in result.stdout
    assert ("trackers/c.yaml:2:5: error: tracker \"C\": id is an unquoted 5000000000000953, "
            "which YAML may read as a number; quote it: '5000000000000953'") in result.stdout
