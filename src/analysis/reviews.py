"""Review decisions (STUB, to be replaced by the workbook/review work)."""

from __future__ import annotations

import pandas as pd

from analysis.config import Config


def load_decisions(cfg: Config) -> pd.DataFrame:
    """All stored review decisions (empty frame when none)."""
    return pd.DataFrame()


def apply_decisions(
    tags: pd.DataFrame, passages: pd.DataFrame, decisions: pd.DataFrame
) -> pd.DataFrame:
    """Automatic tags with review decisions applied (origin 'review' for corrected/added)."""
    return tags
