"""Reading and writing the stages' tables: one reader that names the stage to run, frames
with contract columns, and an atomic parquet write."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.files import save_atomic


def empty(columns: list[str]) -> pd.DataFrame:
    """An empty frame with the given columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def check_columns(df: pd.DataFrame, columns: list[str], name: str) -> pd.DataFrame:
    """Raise a clear error if `df` lacks a contract column; return it in contract order."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"table '{name}' lacks column(s) {missing}; expected {columns}")
    return df[columns]


def read_table(path: Path, stage: str, columns: list[str] | None = None) -> pd.DataFrame:
    """A stage's parquet table; a missing file or column is a French UserError naming the
    command that writes it (`python -m analysis <stage>`)."""
    if not path.is_file():
        raise UserError(f"{path.name} absent ({path}) : lancez d'abord "
                        f"`python -m analysis {stage}`.")
    df = pd.read_parquet(path)
    missing = [c for c in columns or [] if c not in df.columns]
    if missing:
        raise UserError(f"{path} : colonne(s) {missing} manquante(s) ; relancez "
                        f"`python -m analysis {stage}`.")
    return df


def read_optional(path: Path) -> pd.DataFrame | None:
    """A parquet table that may not exist yet (None then)."""
    return pd.read_parquet(path) if path.is_file() else None


def write_table(df: pd.DataFrame, path: Path) -> Path:
    """Write a parquet table atomically (a reader never sees half a file)."""
    return save_atomic(path, lambda tmp: df.to_parquet(tmp, index=False))
