"""Column contracts of the processed tables (see ARCHITECTURE.md) and a validator."""

from __future__ import annotations

import pandas as pd

PASSAGES = [
    "passage_id", "list_id", "source", "doc_id", "path", "page", "section",
    "question_id", "text", "char_start", "char_end",
]
TAGS = ["passage_id", "theme_id", "stance", "strength", "evidence", "origin"]
COVERAGE = [
    "list_id", "theme_id", "axis", "n_passages", "share", "score", "stance", "source",
]
INGEST_REPORT = ["path", "list_id", "format", "pages", "passages", "status", "reason"]

SOURCES = ("programme", "questionnaire")
STANCES = ("favorable", "restrictif", "neutre")
STRENGTHS = ("concret", "general", "mention")
ORIGINS = ("auto", "review")
STRENGTH_SCORE = {"mention": 1, "general": 2, "concret": 3}


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty frame with the given columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def check_columns(df: pd.DataFrame, columns: list[str], name: str) -> pd.DataFrame:
    """Raise a clear error if `df` lacks a contract column; return it in contract order."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks column(s) {missing}; expected {columns}")
    return df[columns]
