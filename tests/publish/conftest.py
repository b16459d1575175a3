"""The publish tests draw from the synthetic sample project (factories.sample)."""

from __future__ import annotations

import pytest
from factories.sample import write_sample_project

from analysis.config import Config, load_config


@pytest.fixture
def cfg(tmp_path) -> Config:
    return load_config(write_sample_project(tmp_path / "proj"))
