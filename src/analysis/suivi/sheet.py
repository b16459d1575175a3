"""Reading a filled register: each row with a status becomes an observation; every row that
cannot be stored is listed with its file, row and what to do (the others are kept)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analysis.common.files import file_sha256
from analysis.common.tables import empty
from analysis.common.text import normalise_name
from analysis.common.xlsx import SheetReading, cell_text, find_header
from analysis.suivi.columns import HISTORY
from analysis.suivi.statuses import NEEDS_EVIDENCE, STATUSES, label, parse_status
from analysis.suivi.store import observation_id
from analysis.suivi.workbook import (
    COL_COMMENT,
    COL_DATE,
    COL_EVIDENCE,
    COL_ID,
    COL_REVIEWER,
    COL_STATUS,
    SHEET,
)

_FR_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class RegisterReading(SheetReading):
    """What one filled register holds: observations, row errors, notes."""


def parse_date(value) -> dt.date | None:
    """A date cell: a real date, 'JJ/MM/AAAA' or 'AAAA-MM-JJ'; None if it is not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    m = _FR_DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def read_register(path: str | Path, known_ids: set[str], earliest: dt.date,
                  today: dt.date | None = None) -> RegisterReading:
    """Observations of a filled register (never raises for a row; `fatal` for the file).

    A date after `today` is refused (a typo in the year); `today` defaults to the real
    date; the demo, whose fictional observations run to 2028, passes `dt.date.max`."""
    path = Path(path)
    today = today or dt.date.today()
    reading = RegisterReading(path=path)
    if not path.is_file():
        reading.fatal = f"{path} : fichier introuvable."
        return reading
    reading.sha256 = file_sha256(path)
    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        reading.fatal = (f"{path.name} : ce n'est pas un classeur .xlsx lisible ({exc}). "
                         f"Enregistrez-le au format Excel (.xlsx) puis recommencez.")
        return reading
    ws = next((w for w in wb.worksheets if normalise_name(w.title) == normalise_name(SHEET)),
              None)
    if ws is None:
        reading.fatal = (f"{path.name} : feuille « {SHEET} » absente ; ce classeur ne vient "
                         f"pas de `python -m analysis suivi`.")
        return reading
    found = find_header(ws, COL_ID)
    where = f"{path.name}, feuille « {ws.title} »"
    if not found:
        reading.fatal = f"{where} : colonne « {COL_ID} » introuvable dans l'en-tête."
        return reading
    header_row, columns = found
    missing = [h for h in (COL_STATUS, COL_DATE) if normalise_name(h) not in columns]
    if missing:
        reading.fatal = (f"{where} : colonne(s) {missing} introuvable(s) ; les en-têtes ont "
                         f"été modifiés. Reprenez le registre produit par "
                         f"`python -m analysis suivi`.")
        return reading

    def get(values: tuple, name: str, raw: bool = False):
        i = columns.get(normalise_name(name))
        if i is None or i >= len(values):
            return None if raw else ""
        return values[i] if raw else cell_text(values[i])

    allowed = ", ".join(STATUSES.values())
    for r, values in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                               start=header_row + 1):
        at = f"{where}, ligne {r}"
        cid, status_raw = get(values, COL_ID), get(values, COL_STATUS)
        date_raw = get(values, COL_DATE, raw=True)
        evidence, comment = get(values, COL_EVIDENCE), get(values, COL_COMMENT)
        reviewer = get(values, COL_REVIEWER)
        if not status_raw:
            if evidence or comment or cell_text(date_raw):
                reading.notes.append(f"{at} : preuve, date ou commentaire sans « {COL_STATUS} »,"
                                     f" non enregistré ; choisissez un statut puis réimportez.")
            continue
        status = parse_status(status_raw)
        day = parse_date(date_raw)
        if not cid:
            reading.errors.append(f"{at} : {COL_ID} vide ; copiez la ligne de l'engagement "
                                  f"plutôt que d'en saisir une nouvelle.")
        elif cid not in known_ids:
            reading.errors.append(f"{at} : engagement {cid!r} inconnu ; ne modifiez pas la "
                                  f"colonne {COL_ID}.")
        elif not status:
            reading.errors.append(f"{at} : statut {status_raw!r} inconnu ; valeurs "
                                  f"possibles : {allowed}.")
        elif day is None:
            shown = cell_text(date_raw)
            reading.errors.append(f"{at} : « {COL_DATE} » "
                                  + (f"{shown!r} n'est pas une date" if shown else "vide")
                                  + " ; indiquez la date à laquelle le statut est constaté "
                                    "(JJ/MM/AAAA).")
        elif day > today:
            reading.errors.append(f"{at} : date {day:%d/%m/%Y} dans le futur ; indiquez la "
                                  f"date à laquelle le statut a été constaté.")
        elif day < earliest:
            reading.errors.append(f"{at} : date {day:%d/%m/%Y} antérieure à l'élection "
                                  f"({earliest:%d/%m/%Y}) ; vérifiez l'année.")
        else:
            if status in NEEDS_EVIDENCE and not evidence:
                reading.notes.append(f"{at} : « {label(status)} » sans preuve ; enregistré, "
                                     f"mais ajoutez le lien ou la délibération pour pouvoir "
                                     f"le citer.")
            reading.rows.append({"sheet": ws.title, "row": r, "commitment_id": cid,
                                 "status": status, "observed_on": day.isoformat(),
                                 "evidence": evidence, "comment": comment,
                                 "reviewer": reviewer})
    return reading


def observations_frame(reading: RegisterReading, imported_at: str) -> pd.DataFrame:
    records = [row | {"observation_id": observation_id(reading.sha256, row["sheet"], row["row"]),
                      "imported_at": imported_at, "file_name": reading.path.name,
                      "file_sha256": reading.sha256, "row": str(row["row"])}
               for row in reading.rows]
    return pd.DataFrame(records, columns=HISTORY).astype(object) if records else empty(HISTORY)
