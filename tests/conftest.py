"""Shared fixtures. Tests are grouped by stage (one folder per package of src/analysis/);
factories (small real files and projects) are in tests/factories/."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories.workbook import make_project

from analysis.config import Config


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """A hand-made project (demo config, processed tables) for workbook and review tests."""
    return make_project(tmp_path)
