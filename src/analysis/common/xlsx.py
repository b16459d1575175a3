"""openpyxl helpers shared by the review workbook and the questionnaire template.

One look for every sheet: a title row (with the demo notice when the data is fictional),
a coloured header, text cells that are never formulas (:mod:`analysis.common.safe_text`), widths
that fit, wrapped long text, frozen header, auto filter, drop-downs, landscape print fitted
to the page width with the header repeated on each page.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analysis.common.safe_text import write_text
from analysis.common.text import normalise_name

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
REVIEW_HEADER_FILL = PatternFill("solid", fgColor="BF8F00")
REVIEW_FILL = PatternFill("solid", fgColor="FFF2CC")
TITLE_FONT = Font(bold=True, size=14)
SUBTITLE_FONT = Font(italic=True, color="595959")
DEMO_FONT = Font(bold=True, size=13, color="C00000")
BOLD = Font(bold=True)
LINK_FONT = Font(color="0563C1", underline="single")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="center")

MAX_WIDTH = 60
MIN_WIDTH = 8
LINE_HEIGHT = 15
MAX_ROW_HEIGHT = 400
SPARE_ROWS = 500  # drop-downs also cover rows a reviewer adds below the table
HEADER_SEARCH_ROWS = 15  # a header row is looked for in the top rows of a sheet


@dataclass(frozen=True)
class Column:
    """One column of a table: header, DataFrame key, meaning (for the data dictionary)."""

    header: str
    key: str
    description: str
    width: float | None = None   # fixed width; None: fit to content
    wrap: bool = False
    review: bool = False         # a column the reviewer fills (highlighted)
    hidden: bool = False         # a technical column (ids), hidden


def write_title(ws: Worksheet, title: str, subtitle: str = "", demo_notice: str = "") -> int:
    """Title in A1 (with the demo notice, in red, when given); returns the next free row."""
    if demo_notice:
        write_text(ws.cell(row=1, column=1), f"{title} — {demo_notice.upper()}").font = Font(
            bold=True, size=14, color="C00000")
        ws.sheet_properties.tabColor = "C00000"
    else:
        write_text(ws.cell(row=1, column=1), title).font = TITLE_FONT
    row = 2
    if subtitle:
        write_text(ws.cell(row=row, column=1), subtitle).font = SUBTITLE_FONT
        row += 1
    return row


def print_setup(ws: Worksheet, header_row: int | None, demo_notice: str = "") -> None:
    """Landscape, fitted to the page width, header row repeated, demo notice in the header."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"
    if demo_notice:
        ws.oddHeader.center.text = demo_notice.upper()
        ws.oddHeader.center.color = "C00000"
    ws.oddFooter.right.text = "Page &P / &N"


def _display(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        return value.item()
    return value


def write_table(
    ws: Worksheet, df: pd.DataFrame, columns: Sequence[Column], header_row: int,
    *, links: dict[int, str] | None = None, filter_rows: bool = True,
) -> int:
    """Header and rows of `df` (keys of `columns`) from `header_row`; returns the last row.

    `links` maps a DataFrame position to the hyperlink of the first column whose key is
    'document' (the source file).
    """
    for j, col in enumerate(columns, start=1):
        cell = write_text(ws.cell(row=header_row, column=j), col.header)
        cell.font = HEADER_FONT
        cell.fill = REVIEW_HEADER_FILL if col.review else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    doc_col = next((j for j, c in enumerate(columns, start=1) if c.key == "document"), None)
    records = df.to_dict("records") if len(df) else []
    for i, rec in enumerate(records):
        r = header_row + 1 + i
        for j, col in enumerate(columns, start=1):
            cell = write_text(ws.cell(row=r, column=j), _display(rec.get(col.key)))
            cell.alignment = TOP_WRAP if col.wrap else TOP
            if col.review:
                cell.fill = REVIEW_FILL
        if links and doc_col and links.get(i):
            cell = ws.cell(row=r, column=doc_col)
            cell.hyperlink = links[i]
            cell.font = LINK_FONT
    last = header_row + len(records)
    fit_widths(ws, columns, records)
    fit_heights(ws, columns, records, header_row)
    if filter_rows:
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        right = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A{header_row}:{right}{max(last, header_row + 1)}"
    return last


def _text_len(value: Any) -> int:
    value = _display(value)
    if value is None:
        return 0
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_widths(ws: Worksheet, columns: Sequence[Column], records: list[dict]) -> None:
    """Column widths from the content (header included), bounded; fixed widths kept."""
    for j, col in enumerate(columns, start=1):
        if col.width:
            width = col.width
        else:
            longest = max([_text_len(col.header)] + [_text_len(r.get(col.key)) for r in records])
            width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(j)].width = width
        if col.hidden:
            ws.column_dimensions[get_column_letter(j)].hidden = True


def fit_heights(
    ws: Worksheet, columns: Sequence[Column], records: list[dict], header_row: int
) -> None:
    """Row heights that show wrapped text (spreadsheets do not always recompute them)."""
    wrapped = [(c, ws.column_dimensions[get_column_letter(j)].width or 10)
               for j, c in enumerate(columns, start=1) if c.wrap]
    if not wrapped:
        return
    for i, rec in enumerate(records):
        lines = 1
        for col, width in wrapped:
            value = _display(rec.get(col.key))
            if value is None:
                continue
            per_line = max(int(width * 1.1), 1)
            n = sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))
            lines = max(lines, n)
        if lines > 1:
            ws.row_dimensions[header_row + 1 + i].height = min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT)


def column_letter(columns: Sequence[Column], key: str) -> str:
    """Spreadsheet letter of the column whose key is `key`."""
    for j, col in enumerate(columns, start=1):
        if col.key == key:
            return get_column_letter(j)
    raise KeyError(key)


def add_choice_list(
    ws: Worksheet, cells: str, formula: str, *, prompt: str, error: str,
    strict: bool = True,
) -> DataValidation:
    """A drop-down on `cells` (e.g. 'P3:P900'); `formula` is a range or '"a,b,c"'."""
    dv = DataValidation(
        type="list", formula1=formula, allow_blank=True,
        showDropDown=False,  # (sic) False shows the arrow in Excel
        showErrorMessage=True, showInputMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="Valeur non prévue", error=error,
        promptTitle="Choisir dans la liste", prompt=prompt,
    )
    ws.add_data_validation(dv)
    dv.add(cells)
    return dv


def inline_choices(values: Iterable[str]) -> str:
    """'"a,b,c"': a drop-down formula for a few short values (< 255 characters)."""
    text = ",".join(values)
    if len(text) > 250 or '"' in text:
        raise ValueError("too long for an inline list: use a range on a hidden sheet")
    return f'"{text}"'


def add_lists_sheet(wb: Workbook, name: str, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet holding drop-down values, one column per list; returns range formulas."""
    ws = wb.create_sheet(name)
    refs = {}
    for j, (key, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        write_text(ws.cell(row=1, column=j), key).font = BOLD
        for i, value in enumerate(values, start=2):
            write_text(ws.cell(row=i, column=j), value)
        last = max(len(values) + 1, 2)
        refs[key] = f"{quote_sheetname(name)}!${letter}$2:${letter}${last}"
        ws.column_dimensions[letter].width = min(max(map(len, values), default=10) + 2, 60)
    ws.sheet_state = "hidden"
    return refs


def document_link(raw_dir: Path, workbook_dir: Path, path: str, page: Any = None) -> str:
    """Relative hyperlink from the workbook's folder to a raw document (#page=N for PDFs)."""
    rel = os.path.relpath(Path(raw_dir) / str(path), Path(workbook_dir))
    target = quote(Path(rel).as_posix(), safe="/.-_~()")
    page = _display(page)
    if str(path).lower().endswith(".pdf") and isinstance(page, int) and page > 0:
        target += f"#page={page}"
    return target


def select_sheet(wb: Workbook, index: int) -> None:
    """Open the workbook on one sheet (only that tab selected: no grouped sheets)."""
    wb.active = index
    for i, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = i == index


def write_paragraphs(
    ws: Worksheet, start_row: int, items: Iterable[tuple[str, str]], *, span: int = 1,
    chars_per_line: int = 110,
) -> int:
    """Write (style, text) pairs in column A (merged over `span` columns) from `start_row`;
    returns the next free row. Styles: 'h1', 'h2', 'demo', 'text', 'blank'."""
    row = start_row
    fonts = {"h1": TITLE_FONT, "h2": Font(bold=True, size=12, color="1F4E79"),
             "demo": DEMO_FONT, "text": Font(size=11)}
    for style, text in items:
        if style != "blank":
            cell = write_text(ws.cell(row=row, column=1), text)
            cell.font = fonts.get(style, fonts["text"])
            cell.alignment = TOP_WRAP
            if span > 1:
                ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
            lines = sum(max(1, math.ceil(len(part) / chars_per_line))
                        for part in text.split("\n"))
            if lines > 1 or style == "h1":
                ws.row_dimensions[row].height = LINE_HEIGHT * lines + (6 if style == "h1" else 0)
        row += 1
    return row


def cell_text(value: Any) -> str:
    """What a person typed in a cell, as stripped text ('' for empty; 3.0 -> '3';
    a date -> ISO format)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def find_header(
    ws: Worksheet, name: str, first: bool = False, max_rows: int = HEADER_SEARCH_ROWS
) -> tuple[int, dict[str, int]] | None:
    """(row, {normalised header: column index}) of the first row among the top `max_rows`
    holding header `name` (in its first cell when `first`); None when there is none."""
    wanted = normalise_name(name)
    for r, values in enumerate(
        ws.iter_rows(min_row=1, max_row=max_rows, values_only=True), start=1
    ):
        keys = [normalise_name(cell_text(v)) for v in values]
        if (keys and keys[0] == wanted) if first else wanted in keys:
            return r, {k: i for i, k in enumerate(keys) if k}
    return None


@dataclass
class SheetReading:
    """What one workbook filled by a person holds: the rows read, one French line per row
    error, notes on what was read leniently, or a `fatal` reason when nothing could be."""

    path: Path
    sha256: str = ""
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str = ""
