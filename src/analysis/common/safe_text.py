"""Text from candidates is data, never a formula: safe writing to CSV and to xlsx cells.

A spreadsheet program runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, on
some programs, a tab or a carriage return) as a formula ("CSV/formula injection").
Programmes and questionnaire answers are written by third parties, so every writer of this
project goes through this module:

- CSV: :func:`neutralise_csv_cell` prefixes such a cell with an apostrophe (the OWASP
  recommendation); :func:`to_csv_safe` applies it to every text cell of a DataFrame and
  :func:`read_csv_safe` undoes it exactly (the prefix is reversible, see
  :func:`restore_csv_cell`), so our own CSV round-trips are lossless.
- xlsx: :func:`write_text` stores a string cell as text (openpyxl ``data_type = "s"``),
  never as a formula, and sets the cell's ``quotePrefix`` style so that the text stays text
  if a volunteer edits the cell in Excel or LibreOffice. The visible text is identical.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_CHARS = 32767
TRUNCATION_NOTE = " […] (texte tronqué : voir le document source)"
_NEEDS_PREFIX = re.compile(r"^'*[=+\-@\t\r]")


def looks_like_formula(value: Any) -> bool:
    """True when a spreadsheet program could run `value` as a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES)


def neutralise_csv_cell(value: Any) -> Any:
    """Prefix an apostrophe to a text that a spreadsheet would run; other values unchanged.

    Texts that already start with apostrophes followed by a dangerous character get one
    more apostrophe, which makes :func:`restore_csv_cell` an exact inverse.
    """
    if isinstance(value, str) and _NEEDS_PREFIX.match(value):
        return "'" + value
    return value


def restore_csv_cell(value: Any) -> Any:
    """Inverse of :func:`neutralise_csv_cell` (for CSV files this project wrote)."""
    if isinstance(value, str) and value.startswith("'") and _NEEDS_PREFIX.match(value[1:]):
        return value[1:]
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells and column names are neutralised."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise_csv_cell).astype(object)
    out.columns = [neutralise_csv_cell(c) for c in out.columns]
    return out


def to_csv_safe(df: pd.DataFrame, path: str | Path, **kwargs: Any) -> Path:
    """Write `df` as UTF-8 CSV with formula-like text neutralised; return the path.

    Keyword arguments go to :meth:`pandas.DataFrame.to_csv` (default ``index=False``).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    kwargs.setdefault("index", False)
    kwargs.setdefault("encoding", "utf-8")
    neutralise_frame(df).to_csv(path, **kwargs)
    return path


def read_csv_safe(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV written by :func:`to_csv_safe`, all cells as text, prefixes removed."""
    kwargs.setdefault("dtype", str)
    kwargs.setdefault("keep_default_na", False)
    kwargs.setdefault("encoding", "utf-8")
    df = pd.read_csv(path, **kwargs)
    df.columns = [restore_csv_cell(c) for c in df.columns]
    for col in df.columns:
        df[col] = df[col].map(restore_csv_cell).astype(object)
    return df


def clean_for_xlsx(text: str) -> str:
    """Remove the control characters xlsx cannot store; truncate over Excel's cell limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > XLSX_MAX_CHARS:
        text = text[: XLSX_MAX_CHARS - len(TRUNCATION_NOTE)] + TRUNCATION_NOTE
    return text


def write_text(cell: Any, value: Any) -> Any:
    """Assign `value` to an openpyxl cell; a string is always stored as text, never run.

    Returns the cell. Non-string values (numbers, dates, None) are assigned unchanged.
    """
    if not isinstance(value, str):
        cell.value = value
        return cell
    value = clean_for_xlsx(value)
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell
