"""The tagging tests share one tagger on the project's codebook (the spaCy model loads once
per module)."""

from __future__ import annotations

import pytest
from factories import CODEBOOK

from analysis.codebook import load_codebook
from analysis.tagging import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_codebook(CODEBOOK))
