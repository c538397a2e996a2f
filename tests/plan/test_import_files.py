"""Files written by import get the permissions any new file gets."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from symbl_emulator import EmulatorServer
from tests.plan.helpers import run as _run


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("umask_022")
def test_imported_files_get_the_mode_any_new_file_gets(
    project: dict, emulator: EmulatorServer
) -> None:
    emulator.seed([{"id": "5000000000000601", "name": "Budget", "vocabulary": ["my budget"]}])
    result = _run(project, "import")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(Path("trackers/budget.yaml").stat().st_mode) == 0o644
    os.chmod("trackers/budget.yaml", 0o664)  # --overwrite keeps the file's own mode
    assert _run(project, "import", "--overwrite").exit_code == 0
    assert stat.S_IMODE(Path("trackers/budget.yaml").stat().st_mode) == 0o664
    os.umask(0o077)
    emulator.seed([{"id": "5000000000000602", "name": "Denial", "vocabulary": ["no way"]}])
    assert _run(project, "import").exit_code == 0
    assert stat.S_IMODE(Path("trackers/denial.yaml").stat().st_mode) == 0o600
