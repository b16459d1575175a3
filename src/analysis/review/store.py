"""`data/reviews/decisions.csv`: the reviewers' decisions, append-only, kept in git.

- Stored values are never changed or removed. A decision's id is a hash of (file sha256,
  sheet, row): importing the same file twice adds nothing.
- Appends are atomic (:func:`append_decisions`): the whole new file is written beside the
  old one, flushed and fsync'ed, then renamed over it, so a crash, a full disk or a killed
  process leaves either the old file or the new one, never half a row.
- Every row is checked on load (:func:`read_store`): number of fields, known decision,
  dates, and a ``row_check`` (8 hex of the sha1 of the row's other fields). A torn row
  (cut by an interrupted write or a bad merge) or a foreign row (pasted by hand) is
  reported with its line number and the exact repair; every valid row, before and after
  it, is still loaded. A row whose check differs but whose fields are all valid is loaded,
  with a note (edited outside the tool).
- A file written before anchors and edit dates existed (13 columns), or before
  ``new_strength`` (DECISIONS_ADDED), or with ``new_strength`` but no anchors, is read as
  such; the next append rewrites it with the current header, every old value kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.safe_text import neutralise_csv_cell, restore_csv_cell
from analysis.common.tables import empty
from analysis.config import Config
from analysis.contracts import (
    DECISION_ROW_CHECK,
    DECISION_VALUES,
    DECISIONS,
    DECISIONS_ADDED,
    DECISIONS_CORE,
    STANCES,
)

STORED_COLUMNS = DECISIONS + [DECISION_ROW_CHECK]
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
_RECORD_START = re.compile(r"^[0-9a-f]{16},")
_DATE_COLUMNS = ("imported_at", "edited_at", "exported_at")


@dataclass
class StoreProblem:
    """A row of decisions.csv that could not be loaded (or was loaded with a doubt)."""

    line: int            # first physical line of the row (1 = header)
    last_line: int
    kind: str            # "torn" (incomplete), "foreign" (not a decision), "edited" (loaded)
    text: str            # the raw row
    file_name: str = ""  # the reviewed workbook it came from, when readable
    reason: str = ""

    @property
    def loaded(self) -> bool:
        return self.kind == "edited"

    def message(self, path: Path) -> str:
        where = (f"{path}, ligne {self.line}" if self.line == self.last_line
                 else f"{path}, lignes {self.line} à {self.last_line}")
        excerpt = self.text.strip().replace("\n", "⏎")
        excerpt = excerpt if len(excerpt) <= 70 else excerpt[:70] + "…"
        if self.kind == "edited":
            return (f"{where} : {self.reason} ; la décision est lue telle quelle. Si ce n'est "
                    f"pas voulu, réimportez le classeur {self.file_name or 'd’origine'}.")
        lines = (f"la ligne {self.line}" if self.line == self.last_line
                 else f"les lignes {self.line} à {self.last_line}")
        source = (f"puis réimportez {self.file_name} (python -m analysis review-import "
                  f"\"{self.file_name}\") : la décision y est encore"
                  if self.file_name else "puis réimportez le classeur d'où elle vient")
        what = ("ligne incomplète (écriture interrompue)" if self.kind == "torn"
                else "ligne qui n'est pas une décision")
        return (f"{where} : {what}, ignorée ({self.reason}) : « {excerpt} ». Réparation : "
                f"ouvrez {path.name} dans un éditeur de texte, supprimez {lines} (et rien "
                f"d'autre), enregistrez, {source}. Les autres décisions sont lues normalement.")


@dataclass
class StoreReading:
    """decisions.csv as loaded: the valid decisions and the rows that were not."""

    path: Path
    decisions: pd.DataFrame
    problems: list[StoreProblem] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    spans: list[tuple[str, dict | None]] = field(default_factory=list)  # (raw, record|None)

    @property
    def refused(self) -> list[StoreProblem]:
        return [p for p in self.problems if not p.loaded]

    def messages(self) -> list[str]:
        return [p.message(self.path) for p in self.problems]


def row_check(record: dict) -> str:
    """8 hex characters of the sha1 of a row's stored values (DECISIONS order). A column
    added later (DECISIONS_ADDED) counts only when filled, so that the rows written before
    it existed keep their check."""
    joined = "\x1f".join(str(record.get(c, "") or "") for c in DECISIONS
                         if c not in DECISIONS_ADDED or str(record.get(c, "") or ""))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:8]


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _balanced(text: str) -> bool:
    return text.count('"') % 2 == 0


def _valid_date(value: str) -> bool:
    if not value:
        return True
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check(fields: list[str], header: list[str]) -> tuple[dict | None, str, str]:
    """(record, kind, reason): record None when the row cannot be a decision."""
    if len(fields) < len(header):
        kind = "torn" if fields and _HEX16.match(fields[0]) else "foreign"
        return None, kind, f"{len(fields)} champ(s) sur {len(header)}"
    if len(fields) > len(header):
        return None, "foreign", f"{len(fields)} champs au lieu de {len(header)}"
    record = {h: restore_csv_cell(v) for h, v in zip(header, fields, strict=True)}
    if not record.get("decision_id"):
        return None, "foreign", "decision_id vide"
    if record.get("decision") not in DECISION_VALUES:
        return None, "foreign", f"décision {record.get('decision')!r} inconnue"
    if not record.get("passage_id") or not record.get("theme_id"):
        return None, "foreign", "passage_id ou theme_id vide"
    if record.get("new_stance", "") not in ("", *STANCES):
        return None, "foreign", f"position {record.get('new_stance')!r} inconnue"
    bad = [c for c in _DATE_COLUMNS if c in record and not _valid_date(record[c])]
    if bad:
        return None, "torn", f"date incomplète dans {bad[0]} ({record[bad[0]]!r})"
    if DECISION_ROW_CHECK in header:
        if record[DECISION_ROW_CHECK] != row_check(record):
            return record, "edited", "contrôle de ligne différent (ligne modifiée hors de " \
                                     "l'outil, ou coupée dans sa dernière colonne)"
    return record, "", ""


def _looks_like_record(line: str, header: list[str]) -> bool:
    if not _RECORD_START.match(line) or not _balanced(line):
        return False
    rows = _parse(line)
    return len(rows) == 1 and _check(rows[0], header)[0] is not None


def _file_name(fields: list[str], header: list[str]) -> str:
    i = header.index("file_name") if "file_name" in header else -1
    value = fields[i] if 0 <= i < len(fields) else ""
    return value if value.lower().endswith((".xlsx", ".ods", ".xlsm")) else ""


def read_store(path: Path) -> StoreReading:
    """Every row of a decisions file checked; valid rows in file order (DECISIONS columns,
    text, '' for a value an older file does not have)."""
    reading = StoreReading(path=path, decisions=empty(DECISIONS))
    if not path.is_file():
        return reading
    try:
        raw = path.read_bytes()
    except PermissionError as exc:
        raise UserError(f"{path} : lecture refusée (droits insuffisants). Donnez les droits de "
                        f"lecture à votre compte (chmod u+r \"{path}\") puis relancez.") from exc
    text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        return reading
    header = [restore_csv_cell(c) for c in _parse(lines[0])[0]]
    # a column added later (DECISIONS_ADDED) is read as "" from a file written before it
    missing = [c for c in DECISIONS_CORE if c not in header and c not in DECISIONS_ADDED]
    if missing:
        raise UserError(
            f"{path}, ligne 1 : en-tête inattendu, colonne(s) manquante(s) {missing}. La "
            f"première ligne doit être : {','.join(STORED_COLUMNS)}. Rétablissez-la dans un "
            f"éditeur de texte (les lignes suivantes ne sont pas touchées) puis relancez."
        )
    reading.header = header
    reading.spans.append((lines[0], None))
    records: list[dict] = []
    i = 1
    while i < len(lines):
        if not lines[i].strip():
            reading.spans.append((lines[i], None))
            i += 1
            continue
        j, buf = i, lines[i]
        while not _balanced(buf) and j + 1 < len(lines) \
                and not _looks_like_record(lines[j + 1], header):
            j += 1
            buf += lines[j]
        rows = _parse(buf) if _balanced(buf) else []
        if len(rows) == 1:
            record, kind, reason = _check(rows[0], header)
        else:
            fields = _parse(buf + '"')[0] if buf.strip() else []
            record, kind, reason = None, "torn", "guillemet non refermé"
            rows = [fields]
        if "\ufffd" in buf and record is not None:
            record, kind, reason = None, "foreign", "caractères illisibles (pas de l'UTF-8)"
        if kind:
            reading.problems.append(StoreProblem(i + 1, j + 1, kind, buf,
                                                 _file_name(rows[0], header), reason))
        if record is not None:
            records.append(record)
        reading.spans.append((buf, record))
        i = j + 1
    if records:
        df = pd.DataFrame(records)
        for c in DECISIONS:
            if c not in df.columns:
                df[c] = ""
        reading.decisions = df[DECISIONS].astype(object).fillna("").reset_index(drop=True)
    return reading


_warned: set[tuple[str, int, int]] = set()


def load_decisions(cfg: Config, quiet: bool = False) -> pd.DataFrame:
    """All valid stored review decisions, in store order (empty frame when none). Rows that
    could not be loaded are reported once (stderr) with their line and repair."""
    reading = read_store(cfg.decisions_path)
    if reading.problems and not quiet:
        st = cfg.decisions_path.stat()
        key = (str(cfg.decisions_path), st.st_mtime_ns, st.st_size)
        if key not in _warned:
            _warned.add(key)
            for message in reading.messages():
                print(f"Attention : {message}", file=sys.stderr)
    return reading.decisions


def decision_id(file_sha256: str, sheet: str, row: int) -> str:
    """Stable id of a decision: the same row of the same file always gets the same id."""
    return hashlib.sha256(f"{file_sha256}|{sheet}|{row}".encode()).hexdigest()[:16]


def reviewer_key(reviewer: Any, file_name: Any) -> str:
    """Who decided: the reviewer's name, or the file name when the name was left blank."""
    name = str(reviewer or "").strip()
    return name if name else f"(sans nom) {file_name}"


def _clean(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def _serialise(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for rec in records:
        values = {c: _clean(rec.get(c, "")) for c in DECISIONS}
        values[DECISION_ROW_CHECK] = row_check(values)
        writer.writerow([neutralise_csv_cell(values[c]) for c in STORED_COLUMNS])
    return out.getvalue()


def _header_line() -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(STORED_COLUMNS)
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file: write, flush, fsync, rename, fsync
    the folder. A permission problem is a UserError naming the folder and what to do."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        if hasattr(os, "O_DIRECTORY"):
            fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except PermissionError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise UserError(
            f"Écriture impossible dans {path.parent} (droits insuffisants : {exc.strerror}). "
            f"Donnez à votre compte le droit d'écrire dans ce dossier (chmod u+w "
            f"\"{path.parent}\"), ou choisissez un autre dossier avec --reviews, puis "
            f"relancez. Rien n'a été écrit : {path.name} est inchangé."
        ) from exc


def append_decisions(cfg: Config, new: pd.DataFrame) -> Path:
    """Append rows to decisions.csv atomically (created with its header when absent).

    Every byte already stored is kept, in place; a file with an older header gets the
    current header and its rows the new (empty) columns, values unchanged; rows that could
    not be loaded are kept verbatim (see read_store's report)."""
    path = cfg.decisions_path
    records = new.reindex(columns=DECISIONS).astype(object).to_dict("records")
    reading = read_store(path)
    if not reading.header:
        data = _header_line() + _serialise(records)
    elif reading.header == STORED_COLUMNS:
        old = path.read_text(encoding="utf-8", errors="surrogateescape")
        if old and not old.endswith("\n"):
            old += "\n"
        data = old + _serialise(records)
    else:
        parts = [_header_line()]
        for raw, record in reading.spans[1:]:
            if record is None:
                parts.append(raw if raw.endswith("\n") else raw + "\n")
            else:
                parts.append(_serialise([record]))
        data = "".join(parts) + _serialise(records)
    write_atomic(path, data.encode("utf-8", errors="surrogateescape"))
    return path
