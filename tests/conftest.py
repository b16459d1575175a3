"""Shared fixtures. Tests are grouped by stage (one folder per package of src/analysis/);
factories (small real files and projects) are in tests/factories/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from factories.workbook import make_project

from analysis.config import Config
from analysis.tagging.cache import CACHE_ENV


@pytest.fixture(autouse=True, scope="session")
def compiled_cache(tmp_path_factory) -> Path:
    """The tagger's shared cache (compiled codebook, spaCy's expressions) in a temporary
    folder for the whole session, never the user's ~/.cache; subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("compiled-cache")
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """A hand-made project (demo config, processed tables) for workbook and review tests."""
    return make_project(tmp_path)
