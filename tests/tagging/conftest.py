"""The tagging tests share one tagger on the project's codebook, rules only (the spaCy model
loads once per module)."""

from __future__ import annotations

import pytest
from factories import CODEBOOK

from analysis.codebook import load_codebook
from analysis.tagging import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    """The rules alone: what these tests describe (the statistical second opinion has its
    own tests, with a model whose lessons are known)."""
    return Tagger(load_codebook(CODEBOOK), second_opinion=False)
