"""The export manifest: a hidden sheet ``_export`` of the review workbook that records when
it was exported and, for every review row, what the exporter filled (passage, theme, theme
label, stance, strength label, and the passage's anchor: list, document, page, text
fingerprint, text, context). The import compares the cells a volunteer should not edit with
it (an overtyped theme, stance or strength is detected, never read as a validation of the
machine's choice) and anchors each decision on the text exported, whatever was typed over it.

Written by the workbook stage through :func:`write_manifest_sheet`; read back by
:func:`read_manifest`. A workbook exported before the manifest existed is read without it;
one exported before the strength column existed, without the strength check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.common.safe_text import write_text
from analysis.common.xlsx import cell_text
from analysis.contracts import EXPORT_SHEET

MANIFEST_FORMAT = "barometre-relecture-export"
MANIFEST_VERSION = "1"
MANIFEST_COLUMNS = [
    "sheet", "passage_id", "theme_id", "theme", "stance", "strength", "list_id", "source", "path",
    "page", "text_sha1", "quote", "quote_prefix", "quote_suffix",
]
ANCHOR_KEYS = ["list_id", "source", "path", "page", "text_sha1", "quote", "quote_prefix",
               "quote_suffix"]


@dataclass
class Manifest:
    exported_at: str = ""
    rows: dict[tuple[str, str, str], dict] = field(default_factory=dict)  # (sheet, pid, tid)
    anchors: dict[str, dict] = field(default_factory=dict)                # pid -> anchor

    def row(self, sheet: str, passage_id: str, theme_id: str) -> dict | None:
        return self.rows.get((sheet, passage_id, theme_id))

    def passage_ids(self, sheet: str) -> set[str]:
        return {pid for (s, pid, _) in self.rows if s == sheet}


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def write_manifest_sheet(wb, rows: pd.DataFrame, exported_at: str | None = None) -> str:
    """Add the hidden manifest sheet to an openpyxl workbook; `rows` has MANIFEST_COLUMNS
    (one per review row of the Passages and Non étiquetés sheets). Returns exported_at."""
    exported_at = exported_at or now_iso()
    ws = wb.create_sheet(EXPORT_SHEET)
    ws.append(["format", MANIFEST_FORMAT, "version", MANIFEST_VERSION])
    ws.append(["exported_at", exported_at])
    ws.append(["Feuille technique : ne pas modifier (sert à relire vos décisions)."])
    ws.append(MANIFEST_COLUMNS)
    for rec in rows.reindex(columns=MANIFEST_COLUMNS).astype(object).to_dict("records"):
        r = ws.max_row + 1
        for j, c in enumerate(MANIFEST_COLUMNS, start=1):
            value = rec[c]
            value = "" if value is None or (isinstance(value, float) and pd.isna(value)) \
                else str(value)
            write_text(ws.cell(row=r, column=j), value)
    ws.sheet_state = "hidden"
    return exported_at


def read_manifest(sheet) -> Manifest | None:
    """The manifest of a workbook's ``_export`` sheet (review.spreadsheet.Sheet or openpyxl
    worksheet); None when absent or not ours."""
    if sheet is None:
        return None
    rows = [tuple(cell_text(v) for v in r) for r in sheet.iter_rows(values_only=True)]
    if not rows or len(rows[0]) < 2 or rows[0][1] != MANIFEST_FORMAT:
        return None
    manifest = Manifest()
    if len(rows) > 1 and rows[1] and rows[1][0] == "exported_at":
        manifest.exported_at = rows[1][1] if len(rows[1]) > 1 else ""
    try:
        start = next(i for i, r in enumerate(rows) if r and r[0] == "sheet")
    except StopIteration:
        return manifest
    head = list(rows[start])
    for values in rows[start + 1:]:
        rec = {h: (values[i] if i < len(values) else "") for i, h in enumerate(head) if h}
        if not rec.get("passage_id"):
            continue
        manifest.rows[(rec["sheet"], rec["passage_id"], rec.get("theme_id", ""))] = rec
        manifest.anchors.setdefault(rec["passage_id"], {k: rec.get(k, "") for k in ANCHOR_KEYS})
    return manifest
