"""`data/reviews/decisions.csv`: the reviewers' decisions, append-only, kept in git.

Existing rows are never rewritten or removed. A decision's id is a hash of (file sha256,
sheet, row): importing the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.files import save_atomic
from analysis.common.safe_text import neutralise_frame, read_csv_safe, to_csv_safe
from analysis.common.tables import empty
from analysis.config import Config
from analysis.contracts import DECISIONS, DECISIONS_ADDED


def load_decisions(cfg: Config) -> pd.DataFrame:
    """All stored review decisions, in import order (empty frame when none)."""
    path = cfg.decisions_path
    if not path.is_file():
        return empty(DECISIONS)
    try:
        df = read_csv_safe(path)
    except pd.errors.EmptyDataError:
        return empty(DECISIONS)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise UserError(
            f"{path} illisible ({exc}). Ce fichier contient le travail des relecteurs : "
            f"ne le supprimez pas, restaurez-le depuis git (git checkout -- {path.name})."
        ) from exc
    for col in DECISIONS_ADDED:  # a file written before the column existed
        if col not in df.columns:
            df[col] = ""
    missing = [c for c in DECISIONS if c not in df.columns]
    if missing:
        raise UserError(
            f"{path} : colonne(s) manquante(s) {missing}. Colonnes attendues : {DECISIONS}. "
            f"Restaurez le fichier depuis git plutôt que de le modifier à la main."
        )
    return df[DECISIONS].reset_index(drop=True)


def decision_id(file_sha256: str, sheet: str, row: int) -> str:
    """Stable id of a decision: the same row of the same file always gets the same id."""
    return hashlib.sha256(f"{file_sha256}|{sheet}|{row}".encode()).hexdigest()[:16]


def reviewer_key(reviewer: Any, file_name: Any) -> str:
    """Who decided: the reviewer's name, or the file name when the name was left blank."""
    name = str(reviewer or "").strip()
    return name if name else f"(sans nom) {file_name}"


def append_decisions(cfg: Config, new: pd.DataFrame) -> Path:
    """Append rows to decisions.csv (created with its header when absent); never rewrite."""
    path = cfg.decisions_path
    new = new[DECISIONS]
    if not path.is_file() or path.stat().st_size == 0:
        return to_csv_safe(new, path)
    with path.open(encoding="utf-8") as fh:
        stored_header = fh.readline().strip().split(",")
    if stored_header != DECISIONS:
        # written before a column was added: every stored row kept, header completed
        upgraded = pd.concat([load_decisions(cfg), new], ignore_index=True)[DECISIONS]
        return save_atomic(path, lambda tmp: to_csv_safe(upgraded, tmp))
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        ends_with_newline = fh.read(1) == b"\n"
    with path.open("a", encoding="utf-8", newline="") as fh:
        if not ends_with_newline:
            fh.write("\n")
        neutralise_frame(new).to_csv(fh, header=False, index=False)
    return path
