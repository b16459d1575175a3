"""Opening a reviewed workbook, whatever program saved it: `.xlsx` (Excel, LibreOffice,
openpyxl) and `.ods` (LibreOffice, read directly with pandas' odf engine, i.e. odfpy);
`.xls` and `.csv` (and any file that is neither) are refused with the one-line fix.

The format is recognised from the file's content, not its name (a renamed `.xls` saved as
`.xlsx` is still refused with the right advice). Also read: when the file was last saved
by a spreadsheet program (its own modification date: ``dcterms:modified`` of an xlsx,
``dc:date`` of an ods), the edit time of the decisions it holds.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import load_workbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
SAVE_AS = ("ouvrez-le dans Excel ou LibreOffice, « Enregistrer sous » au format Classeur "
           "Excel (.xlsx) ou OpenDocument (.ods), puis réimportez ce nouveau fichier.")


class UnreadableWorkbook(Exception):
    """A file that cannot be read as a reviewed workbook (message in French)."""


@dataclass
class Sheet:
    """One sheet's cell values, rows from 1 (like openpyxl's `iter_rows`)."""

    title: str
    rows: list[tuple] = field(default_factory=list)
    hidden: bool = False

    def iter_rows(self, min_row: int = 1, max_row: int | None = None,
                  max_col: int | None = None, values_only: bool = True):
        stop = len(self.rows) if max_row is None else min(max_row, len(self.rows))
        for row in self.rows[min_row - 1:stop]:
            yield row if max_col is None else row[:max_col]

    @property
    def max_row(self) -> int:
        return len(self.rows)


@dataclass
class Spreadsheet:
    path: Path
    format: str
    sheets: list[Sheet]
    modified: str = ""       # ISO 8601 with offset, '' when unknown

    def sheet(self, wanted: str, normalise) -> Sheet | None:
        key = normalise(wanted)
        return next((s for s in self.sheets if normalise(s.title) == key), None)


def _iso(value: Any, naive_is_utc: bool) -> str:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return ""
    if not isinstance(value, dt.datetime):
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC) if naive_is_utc else value.astimezone()
    return value.isoformat(timespec="seconds")


def _file_mtime(path: Path) -> str:
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    return stamp.isoformat(timespec="seconds")


def sniff(path: Path) -> str:
    """'xlsx', 'ods', 'xls', 'csv' (any text) or 'unknown', from the file's first bytes."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                if "mimetype" in names and z.read("mimetype").strip() == ODS_MIME:
                    return "ods"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except zipfile.BadZipFile:
            return "unknown"
        return "unknown"
    with path.open("rb") as fh:
        sample = fh.read(4096)
    if sample and b"\x00" not in sample:
        return "csv"
    return "unknown"


def _open_xlsx(path: Path) -> Spreadsheet:
    wb = load_workbook(path, data_only=True)
    sheets = [Sheet(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)],
                    hidden=ws.sheet_state != "visible") for ws in wb.worksheets]
    modified = _iso(wb.properties.modified, naive_is_utc=True)
    return Spreadsheet(path, "xlsx", sheets, modified)


def _ods_modified(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        meta = z.read("meta.xml").decode("utf-8", errors="replace") \
            if "meta.xml" in z.namelist() else ""
    found = re.search(r"<dc:date>([^<]+)</dc:date>", meta)
    return _iso(found.group(1).strip(), naive_is_utc=False) if found else ""


def _open_ods(path: Path) -> Spreadsheet:
    frames = pd.read_excel(path, sheet_name=None, header=None, engine="odf", dtype=object)
    sheets = []
    for title, df in frames.items():
        df = df.astype(object).where(df.notna(), None)
        sheets.append(Sheet(str(title), [tuple(r) for r in df.itertuples(index=False)]))
    return Spreadsheet(path, "ods", sheets, _ods_modified(path))


def open_spreadsheet(path: Path) -> Spreadsheet:
    """The sheets of a reviewed workbook; UnreadableWorkbook (French message naming the
    file and what to do) for any other file."""
    name = path.name
    try:
        kind = sniff(path)
    except PermissionError as exc:
        raise UnreadableWorkbook(f"{path} : lecture refusée (droits insuffisants). Donnez le "
                                 f"droit de lecture (chmod u+r \"{path}\") ou copiez le fichier "
                                 f"ailleurs, puis réimportez.") from exc
    if kind == "xls":
        raise UnreadableWorkbook(f"{name} : format Excel 97-2003 (.xls) non lu ; {SAVE_AS}")
    if kind == "csv":
        raise UnreadableWorkbook(f"{name} : fichier texte / CSV, qui ne garde qu'une feuille et "
                                 f"perd les colonnes de contrôle ; réimportez le classeur "
                                 f"complet : {SAVE_AS}")
    if kind == "unknown":
        raise UnreadableWorkbook(f"{name} : ce n'est pas un classeur .xlsx ou .ods lisible "
                                 f"(fichier abîmé, ou autre format) ; {SAVE_AS}")
    try:
        book = _open_xlsx(path) if kind == "xlsx" else _open_ods(path)
    except PermissionError as exc:
        raise UnreadableWorkbook(f"{path} : lecture refusée (droits insuffisants). Donnez le "
                                 f"droit de lecture (chmod u+r \"{path}\"), puis réimportez."
                                 ) from exc
    except Exception as exc:  # noqa: BLE001 - any broken file is one message, never a crash
        raise UnreadableWorkbook(f"{name} : classeur {kind} illisible ({type(exc).__name__}: "
                                 f"{exc}) ; {SAVE_AS}") from exc
    if not book.modified:
        book.modified = _file_mtime(path)
    return book
