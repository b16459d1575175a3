"""The export manifest of the review workbook (hidden sheet ``_export``, schema and reader
in analysis.review.manifest): when the workbook was exported and what it showed on every
review row, so that the import can tell an overtyped cell from a decision and anchor each
decision on the text exported."""

from __future__ import annotations

import pandas as pd

from analysis.contracts import SHEET_PASSAGES, SHEET_UNTAGGED
from analysis.review.anchors import passage_anchors
from analysis.review.manifest import MANIFEST_COLUMNS, write_manifest_sheet
from analysis.workbook.inputs import WorkbookInputs


def manifest_rows(inputs: WorkbookInputs, passages: pd.DataFrame,
                  untagged: pd.DataFrame) -> pd.DataFrame:
    """One manifest row per row of the Passages and Non étiquetés sheets."""
    anchors = passage_anchors(inputs.passages)
    rows = []
    for sheet, df in ((SHEET_PASSAGES, passages), (SHEET_UNTAGGED, untagged)):
        tagged = sheet == SHEET_PASSAGES
        for rec in df.to_dict("records"):
            pid = str(rec["passage_id"])
            rows.append({"sheet": sheet, "passage_id": pid,
                         "theme_id": rec.get("theme_id", "") if tagged else "",
                         "theme": rec.get("theme_label", "") if tagged else "",
                         "stance": rec.get("stance", "") if tagged else "",
                         "strength": rec.get("strength", "") if tagged else ""}
                        | anchors.get(pid, {}))
    return pd.DataFrame(rows, columns=MANIFEST_COLUMNS)


def add_export_manifest(wb, inputs: WorkbookInputs, passages: pd.DataFrame,
                        untagged: pd.DataFrame) -> str:
    """Write the hidden ``_export`` sheet; returns the export time (ISO 8601)."""
    return write_manifest_sheet(wb, manifest_rows(inputs, passages, untagged))
