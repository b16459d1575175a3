"""Reading a reviewed workbook: what volunteers typed on the "Passages" and "Non étiquetés"
sheets, as complete decisions, every invalid row listed with its sheet, row and what is
allowed (a volunteer's other rows are still stored).

What a row means: on "Passages", Valider / Rejeter / Corriger judge the exported tag (a
filled correction with an empty Décision reads as Corriger); a row without theme_id (added
under the table), or a copy of an exported row with Décision empty and Thème corrigé filled,
adds that theme (``ajouter``); on "Non étiquetés", Thème ajouté + Position add a theme. A
comment without a decision is reported, not stored. A blank Relecteur takes the file's only
reviewer name when there is exactly one. Each decision is complete: ``valider`` keeps in
``new_theme_id``/``new_stance`` the theme and stance the reviewer confirmed, ``corriger``
the corrected theme and stance (a missing one is taken from what the workbook showed),
``ajouter`` the added theme.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analysis.codebook import Codebook
from analysis.common.files import file_sha256
from analysis.common.tables import empty
from analysis.common.text import normalise_name
from analysis.common.xlsx import cell_text, find_header
from analysis.contracts import (
    COL_ADDED_THEME,
    COL_COMMENT,
    COL_DECISION,
    COL_NEW_STANCE,
    COL_NEW_STRENGTH,
    COL_NEW_THEME,
    COL_PASSAGE,
    COL_REVIEWER,
    COL_STANCE,
    COL_STRENGTH,
    COL_THEME,
    COL_THEME_ID,
    DECISION_CHOICES,
    DECISIONS,
    REVIEWER_NAME_LABEL,
    SHEET_PASSAGES,
    SHEET_README,
    SHEET_UNTAGGED,
    STANCES,
    STRENGTH_CHOICES,
    STRENGTHS,
)
from analysis.review.store import decision_id

# strict: the drop-down's three words only (any case or accents); "ok", "oui"... are refused
_DECISION_WORDS = {normalise_name(c): c.lower() for c in DECISION_CHOICES}

_STANCE_WORDS = {normalise_name(s): s for s in STANCES} | {"restrictive": "restrictif"}

_STRENGTH_WORDS = {normalise_name(label): value
                   for label, value in zip(STRENGTH_CHOICES, STRENGTHS, strict=True)}


class ThemeResolver:
    """Map what a reviewer typed (label, id, 'label [id]', any case/accents) to a theme id."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        self.by_key: dict[str, str] = {}
        for t in codebook.themes:
            for key in (t.id, t.label, f"{t.label} [{t.id}]", f"{t.label} ({t.id})"):
                self.by_key.setdefault(normalise_name(key), t.id)
        labels = [t.label for t in codebook.themes]
        unique = len({normalise_name(x) for x in labels}) == len(labels)
        self.choices = labels if unique else [f"{t.label} [{t.id}]" for t in codebook.themes]

    def resolve(self, text: str) -> str | None:
        return self.by_key.get(normalise_name(text)) if text else None

    def allowed(self) -> str:
        return "un thème de la liste déroulante (voir la feuille « Thèmes »)"


def parse_decision(text: str) -> str | None:
    return _DECISION_WORDS.get(normalise_name(text)) if text else None


def parse_stance(text: str) -> str | None:
    return _STANCE_WORDS.get(normalise_name(text)) if text else None


def parse_strength(text: str) -> str | None:
    return _STRENGTH_WORDS.get(normalise_name(text)) if text else None


def _new_strength(row: dict) -> str:
    """The corrected strength of a row ('' when not filled); RowError when not allowed."""
    if not row.get("new_strength"):
        return ""
    value = parse_strength(row["new_strength"])
    if not value:
        raise RowError(f"force corrigée {row['new_strength']!r} inconnue ; valeurs possibles : "
                       f"{', '.join(STRENGTH_CHOICES)}.")
    return value


@dataclass
class WorkbookReading:
    """What one reviewed workbook holds: decisions, row errors, notes."""

    path: Path
    sha256: str = ""
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str = ""


def _sheet(wb, name: str):
    wanted = normalise_name(name)
    return next((ws for ws in wb.worksheets if normalise_name(ws.title) == wanted), None)


def _getter(columns: dict[str, int]):
    def get(values: tuple, header: str) -> str:
        i = columns.get(normalise_name(header))
        return cell_text(values[i]) if i is not None and i < len(values) else ""
    return get


class RowError(ValueError):
    """A filled review row that cannot be stored (message says what is allowed)."""


def _addition(row: dict, themes: ThemeResolver) -> dict:
    """A theme added on the Passages sheet (a new row, or a copied row with a theme)."""
    if parse_decision(row["decision"]) == "rejeter":
        raise RowError("« Rejeter » sur une ligne ajoutée : il n'y a pas d'étiquette à rejeter.")
    theme = themes.resolve(row["new_theme"] or row["theme"])
    stance = parse_stance(row["new_stance"] or row["stance"])
    if not theme:
        raise RowError(f"ligne ajoutée sans thème valide ({row['new_theme']!r}) ; indiquez "
                       f"dans « {COL_NEW_THEME} » {themes.allowed()}.")
    if not stance:
        raise RowError(f"ligne ajoutée sans position valide ({row['new_stance']!r}) ; "
                       f"indiquez dans « {COL_NEW_STANCE} » : {', '.join(STANCES)}.")
    return {"theme_id": theme, "decision": "ajouter", "new_theme_id": theme,
            "new_stance": stance, "new_strength": _new_strength(row)}


def _judgement(row: dict, themes: ThemeResolver) -> tuple[dict, str]:
    """Valider / Rejeter / Corriger on an exported row; returns (fields, note)."""
    tid, dec_raw = row["theme_id"], row["decision"]
    stances = ", ".join(STANCES)
    if tid not in themes.codebook.theme_ids:
        raise RowError(f"theme_id {tid!r} inconnu de la grille des thèmes ; ne modifiez pas "
                       f"la colonne theme_id (thèmes : feuille « Thèmes »).")
    decision = parse_decision(dec_raw)
    if dec_raw and not decision:
        raise RowError(f"décision {dec_raw!r} inconnue ; valeurs possibles : "
                       f"{', '.join(DECISION_CHOICES)}.")
    note = ""
    if not decision:
        decision = "corriger"
        note = f"« {COL_DECISION} » vide mais correction remplie : lue comme « Corriger »."
    new_theme, new_stance = themes.resolve(row["new_theme"]), parse_stance(row["new_stance"])
    if row["new_theme"] and not new_theme:
        raise RowError(f"thème corrigé {row['new_theme']!r} inconnu ; choisissez "
                       f"{themes.allowed()}.")
    if row["new_stance"] and not new_stance:
        raise RowError(f"position corrigée {row['new_stance']!r} inconnue ; valeurs "
                       f"possibles : {stances}.")
    new_strength = _new_strength(row)
    if decision in ("valider", "rejeter") and (new_theme or new_stance or new_strength):
        raise RowError(f"« {dec_raw} » avec un thème, une position ou une force corrigé(e) ; "
                       f"pour changer l'étiquette choisissez « Corriger », sinon videz la "
                       f"correction.")
    if decision == "corriger" and not (new_theme or new_stance or new_strength):
        raise RowError(f"« Corriger » sans correction ; remplissez « {COL_NEW_THEME} », "
                       f"« {COL_NEW_STANCE} » et/ou « {COL_NEW_STRENGTH} ».")
    if decision == "rejeter":
        return {"theme_id": tid, "decision": decision, "new_theme_id": "",
                "new_stance": "", "new_strength": ""}, note
    shown = parse_stance(row["stance"])
    if not (new_stance or shown):
        raise RowError(f"la colonne « {COL_STANCE} » ({row['stance']!r}) a été modifiée ; "
                       f"indiquez la « {COL_NEW_STANCE} » ({stances}).")
    return {"theme_id": tid, "decision": decision, "new_theme_id": new_theme or tid,
            "new_stance": new_stance or shown, "new_strength": new_strength}, note


def _read_passages_sheet(ws, reading: WorkbookReading, themes: ThemeResolver) -> None:
    """Decisions of the Passages sheet. A row without theme_id (added under the table), or
    a copy of an earlier row whose Décision is empty and Thème corrigé filled, adds a theme;
    other filled rows judge the exported tag."""
    found = find_header(ws, COL_PASSAGE)
    where = f"{reading.path.name}, feuille « {ws.title} »"
    if not found:
        reading.fatal = f"{where} : colonne « passage_id » introuvable dans l'en-tête."
        return
    header_row, columns = found
    needed = [COL_THEME_ID, COL_DECISION, COL_NEW_THEME, COL_NEW_STANCE]
    missing = [h for h in needed if normalise_name(h) not in columns]
    if missing:
        reading.fatal = (f"{where} : colonne(s) {missing} introuvable(s). Ce classeur ne vient "
                         f"pas de `python -m analysis export` ou ses en-têtes ont été modifiés.")
        return
    get = _getter(columns)
    fields = {"passage_id": COL_PASSAGE, "theme_id": COL_THEME_ID, "theme": COL_THEME,
              "stance": COL_STANCE, "decision": COL_DECISION, "new_theme": COL_NEW_THEME,
              "new_stance": COL_NEW_STANCE, "comment": COL_COMMENT, "reviewer": COL_REVIEWER,
              "strength": COL_STRENGTH, "new_strength": COL_NEW_STRENGTH}
    rows = [
        (r, {key: get(values, name) for key, name in fields.items()})
        for r, values in enumerate(
            ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        )
    ]
    # a (passage, theme) seen on several rows means a copied row, wherever the reviewer's
    # sorting or filtering put the copy (above or below the original)
    occurrences = Counter((row["passage_id"], row["theme_id"]) for _, row in rows)
    for r, row in rows:
        at = f"{where}, ligne {r}"
        is_copy = occurrences[(row["passage_id"], row["theme_id"])] > 1
        if not (row["decision"] or row["new_theme"] or row["new_stance"]
                or row["new_strength"]):
            if row["comment"]:
                reading.notes.append(
                    f"{at} : commentaire sans décision, non enregistré comme décision "
                    f"(choisissez Valider, Rejeter ou Corriger) : « {row['comment'][:80]} »")
            continue
        if not row["passage_id"]:
            reading.errors.append(f"{at} : passage_id vide ; une décision doit rester sur la "
                                  f"ligne du passage (ne videz pas la colonne passage_id).")
            continue
        adding = not row["theme_id"] or (is_copy and not row["decision"]
                                         and bool(row["new_theme"]))
        try:
            if adding:
                decided, note = _addition(row, themes), ""
            else:
                decided, note = _judgement(row, themes)
        except RowError as exc:
            reading.errors.append(f"{at} : {exc}")
            continue
        if note:
            reading.notes.append(f"{at} : {note}")
        reading.rows.append({"sheet": ws.title, "row": r, "reviewer": row["reviewer"],
                             "passage_id": row["passage_id"], "comment": row["comment"]}
                            | decided)


def _read_untagged_sheet(ws, reading: WorkbookReading, themes: ThemeResolver) -> None:
    found = find_header(ws, COL_PASSAGE)
    where = f"{reading.path.name}, feuille « {ws.title} »"
    if not found:
        reading.errors.append(f"{where} : colonne « passage_id » introuvable ; feuille ignorée.")
        return
    header_row, columns = found
    get = _getter(columns)
    for r, values in enumerate(
        ws.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
    ):
        pid, theme_raw = get(values, COL_PASSAGE), get(values, COL_ADDED_THEME)
        stance_raw, comment = get(values, COL_STANCE), get(values, COL_COMMENT)
        at = f"{where}, ligne {r}"
        if not (theme_raw or stance_raw):
            if comment:
                reading.notes.append(f"{at} : commentaire sans thème ajouté, non enregistré : "
                                     f"« {comment[:80]} »")
            continue
        theme, stance = themes.resolve(theme_raw), parse_stance(stance_raw)
        if not pid:
            reading.errors.append(f"{at} : passage_id vide ; ajoutez le thème sur la ligne du "
                                  f"passage (copiez la ligne pour ajouter un 2e thème).")
        elif not theme:
            reading.errors.append(f"{at} : thème ajouté {theme_raw!r} inconnu ; choisissez "
                                  f"{themes.allowed()}.")
        elif not stance:
            reading.errors.append(f"{at} : position {stance_raw!r} manquante ou inconnue ; "
                                  f"valeurs possibles : {', '.join(STANCES)}.")
        else:
            reading.rows.append({
                "sheet": ws.title, "row": r, "reviewer": get(values, COL_REVIEWER),
                "passage_id": pid, "comment": comment, "theme_id": theme,
                "decision": "ajouter", "new_theme_id": theme, "new_stance": stance,
                "new_strength": "",
            })


def readme_reviewer(wb) -> str:
    """The name typed once on the Lisez-moi sheet (the cell right of REVIEWER_NAME_LABEL),
    '' when the sheet, the label or the name is missing."""
    ws = _sheet(wb, SHEET_README)
    if ws is None:
        return ""
    wanted = normalise_name(REVIEWER_NAME_LABEL)
    for values in ws.iter_rows(min_row=1, max_row=60, max_col=3, values_only=True):
        if values and normalise_name(cell_text(values[0])) == wanted:
            return cell_text(values[1]) if len(values) > 1 else ""
    return ""


def _reviewer_from_readme(wb, reading: WorkbookReading) -> None:
    """Rows without a Relecteur take the Lisez-moi name; a workbook with decisions and no
    name at all gets a warning (its decisions are attributed to the file name)."""
    name = readme_reviewer(wb)
    blank = [row for row in reading.rows if not row["reviewer"]]
    if name:
        for row in blank:
            row["reviewer"] = name
    elif blank and not any(row["reviewer"] for row in reading.rows):
        reading.notes.append(
            f"{reading.path.name} : ATTENTION, aucun nom de relecteur (feuille « {SHEET_README} »,"
            f" case « {REVIEWER_NAME_LABEL} » vide) : les {len(blank)} décision(s) sont "
            f"attribuées au fichier « {reading.path.name} ». Écrivez votre nom dans cette case "
            f"pour que les désaccords entre relecteurs soient repérés.")


def read_reviewed_workbook(path: str | Path, codebook: Codebook) -> WorkbookReading:
    """Every filled review row of a workbook, with the invalid rows listed (never raises
    for a row: a bad row is an error message; an unreadable file sets `fatal`)."""
    path = Path(path)
    reading = WorkbookReading(path=path)
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
    themes = ThemeResolver(codebook)
    ws = _sheet(wb, SHEET_PASSAGES)
    if ws is None:
        reading.fatal = (f"{path.name} : feuille « {SHEET_PASSAGES} » absente ; ce classeur ne "
                         f"vient pas de `python -m analysis export`.")
        return reading
    _read_passages_sheet(ws, reading, themes)
    if reading.fatal:
        return reading
    ws = _sheet(wb, SHEET_UNTAGGED)
    if ws is not None:
        _read_untagged_sheet(ws, reading, themes)
    _reviewer_from_readme(wb, reading)
    names = {row["reviewer"] for row in reading.rows if row["reviewer"]}
    if len(names) == 1:
        (name,) = names
        blank = [row for row in reading.rows if not row["reviewer"]]
        for row in blank:
            row["reviewer"] = name
        if blank:
            reading.notes.append(f"{path.name} : {len(blank)} ligne(s) sans « {COL_REVIEWER} » "
                                 f"attribuée(s) à {name}, seul relecteur nommé du fichier.")
    return reading


def decisions_frame(reading: WorkbookReading, imported_at: str) -> pd.DataFrame:
    """The rows of a reading as decision records (DECISIONS columns)."""
    records = [
        row | {
            "decision_id": decision_id(reading.sha256, row["sheet"], row["row"]),
            "imported_at": imported_at, "file_name": reading.path.name,
            "file_sha256": reading.sha256, "row": str(row["row"]),
        }
        for row in reading.rows
    ]
    return pd.DataFrame(records, columns=DECISIONS).astype(object) if records else empty(DECISIONS)
