"""Plan warnings: one format everywhere, locations shown, messages masked."""

from __future__ import annotations

from pathlib import Path

from symbl_emulator import EmulatorServer
from tests.plan.helpers import FIVE
from tests.plan.helpers import run as _run
from tests.plan.helpers import write as _write
from trackersync.model import Problem, SourceRef
from trackersync.render.markdown import escape_text, escape_warning
from trackersync.render.text import warning_line
from trackersync.secrets import MASK


def test_plan_warnings_use_the_validate_format(project: dict) -> None:
    _write("short.yaml", "name: Short\nvocabulary: [only one]\n")
    expected = 'trackers/short.yaml:1:7: warning: tracker "Short" has 1 phrase'
    text = _run(project, "plan")
    assert text.exit_code == 0
    assert any(line.startswith(expected) for line in text.stdout.splitlines()), text.stdout
    assert "Warning:" not in text.stdout
    for fmt in ("json", "markdown"):
        other = _run(project, "plan", "--format", fmt)
        assert other.exit_code == 0
        assert any(line.startswith(expected) for line in other.stderr.splitlines()), fmt
    _write("bad.yaml", "name: Bad\nvocabulary: [what?]\n")
    failed = _run(project, "plan")
    assert failed.exit_code == 1
    assert any(line.startswith(expected) for line in failed.stderr.splitlines())


def test_remote_warnings_have_no_location_but_the_same_shape(
    project: dict, emulator: EmulatorServer
) -> None:
    _write("t.yaml", f"name: Tracker 1\nvocabulary: {FIVE}\n")
    emulator.seed([{"id": "5000000000000040", "name": "Dup", "vocabulary": ["a"]},
                   {"id": "5000000000000041", "name": "Dup", "vocabulary": ["b"]}])
    result = _run(project, "plan")
    assert "\nwarning: remote: 2 trackers share the name 'Dup'" in result.stdout


GUID = "3f2b8c1e-9a4d-4c1e-8f2b-1234567890ab"


TOKEN = "ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"


def test_plan_warnings_name_a_guid_slug_file_and_still_mask_tokens(project: dict) -> None:
    path = f"trackers/test-tracker-{GUID}.yaml"
    Path(path).write_text(f"name: Test Tracker {GUID}\nvocabulary: [hello, hi]\n")
    Path("trackersync.yaml").write_text("rules: lenient\n")
    _write("pasted.yaml", f"name: Pasted\nvocabulary: [{TOKEN}, {FIVE[1:-1]}]\n")
    text = _run(project, "plan")
    assert text.exit_code == 0, text.output
    assert f'{path}:1:7: warning: tracker "Test Tracker {GUID}" has 2 phrases' in text.stdout
    assert MASK in text.stdout and TOKEN not in text.output  # the pasted phrase is masked
    markdown = _run(project, "plan", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    assert f'test-tracker-{GUID}.yaml:1:7: tracker "Test Tracker {GUID}" has' in markdown.stdout
    assert f"Defined in trackers/test-tracker-{GUID}.yaml:1:7" in markdown.stdout
    assert f"{path}:1:7: warning:" in markdown.stderr  # warnings also go to stderr
    assert TOKEN not in markdown.output


def test_a_warning_shows_its_path_and_masks_its_message() -> None:
    where = SourceRef(file=f"trackers/test-tracker-{GUID}.yaml", line=3, column=5)
    warning = Problem(severity="warning", message=f"phrase {TOKEN} looks odd", source=where)
    assert warning_line(warning) == (
        f"trackers/test-tracker-{GUID}.yaml:3:5: warning: phrase {MASK} looks odd")
    assert escape_warning(warning) == (
        f"trackers/test-tracker-{GUID}.yaml:3:5: phrase {escape_text(MASK)} looks odd")
    # no location: a name quoting "x:1:2: " is never taken for one, the whole text is masked
    quoted = Problem(severity="warning", message=f"tracker '{TOKEN}:1:2: x' is odd")
    assert warning_line(quoted) == f"warning: tracker '{MASK}:1:2: x' is odd"
    assert TOKEN not in escape_warning(quoted)
