"""Everything the workbook shows, read from processed/ and reviews/."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.tables import read_optional, read_table
from analysis.config import Config
from analysis.contracts import (
    PASSAGES,
    TAGS,
)
from analysis.coverage.compute import COLUMNS as COVERAGE_COLUMNS
from analysis.coverage.questionnaire import load_responses
from analysis.review.anchors import resolve
from analysis.review.store import load_decisions


@dataclass
class WorkbookInputs:
    """Everything the workbook shows, read from processed/ and reviews/."""

    passages: pd.DataFrame
    tags: pd.DataFrame
    coverage: pd.DataFrame
    responses: pd.DataFrame | None
    decisions: pd.DataFrame          # re-attached to the current passages (review.anchors)
    codebook: Codebook
    auto_tags: pd.DataFrame | None = None


def load_inputs(cfg: Config) -> WorkbookInputs:
    """Read the tables the workbook needs; a missing one is a UserError naming the stage."""
    passages = read_table(cfg.passages_path, "ingest", PASSAGES)
    return WorkbookInputs(
        passages=passages,
        tags=read_table(cfg.tags_path, "tag", TAGS),
        coverage=read_table(cfg.coverage_path, "coverage", COVERAGE_COLUMNS),
        responses=load_responses(cfg), decisions=resolve(load_decisions(cfg), passages),
        codebook=cfg.codebook,
        auto_tags=read_optional(cfg.tags_auto_path),
    )
