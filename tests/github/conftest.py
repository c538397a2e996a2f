"""Fixtures of the ghsim tests (see helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import make_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository created from this one: .github/ and three tracker files (no .git)."""
    return make_workspace(tmp_path / "ws")
