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

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.files import file_sha256
from analysis.common.tables import empty
from analysis.common.text import normalise_name
from analysis.common.xlsx import SheetReading, cell_text, find_header
from analysis.contracts import (
    COL_ADDED_THEME,
    COL_COMMENT,
    COL_DECISION,
    COL_EDITED_AT,
    COL_LIST,
    COL_NEW_STANCE,
    COL_NEW_STRENGTH,
    COL_NEW_THEME,
    COL_PASSAGE,
    COL_REVIEWER,
    COL_STANCE,
    COL_STRENGTH,
    COL_TEXT,
    COL_THEME,
    COL_THEME_ID,
    DECISION_CHOICES,
    DECISIONS,
    EXPORT_SHEET,
    REVIEWER_NAME_LABEL,
    SHEET_PASSAGES,
    SHEET_README,
    SHEET_UNTAGGED,
    STANCES,
    STRENGTH_CHOICES,
    STRENGTHS,
)
from analysis.review.anchors import fingerprint
from analysis.review.manifest import Manifest, read_manifest
from analysis.review.spreadsheet import UnreadableWorkbook, open_spreadsheet
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
class WorkbookReading(SheetReading):
    """What one reviewed workbook holds: decisions, row errors, notes."""

    format: str = ""
    modified: str = ""            # the file's own last save (edit time of its decisions)
    exported_at: str = ""         # from the export manifest
    manifest: Manifest | None = None
    shown: dict[str, dict] = field(default_factory=dict)   # passage_id -> anchor shown


def _sheet(wb, name: str):
    wanted = normalise_name(name)
    sheets = wb.sheets if hasattr(wb, "sheets") else wb.worksheets
    return next((ws for ws in sheets if normalise_name(ws.title) == wanted), None)


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


@dataclass
class _Overtyped:
    """Cells the exporter filled that the volunteer changed: the typed theme id, stance or
    strength ('?' when not a valid value, None when unchanged) and what the export showed."""

    theme: str | None
    stance: str | None
    strength: str | None
    exp_theme: str
    exp_stance: str
    exp_strength: str   # the label shown in « Force » ('' when the manifest has none)


def _changed(typed: _Overtyped) -> bool:
    return bool(typed.theme or typed.stance or typed.strength)


def _overtyped(row: dict, themes: ThemeResolver, expected: dict | None) -> _Overtyped:
    tid = row["theme_id"]
    exp_theme = (expected or {}).get("theme") or themes.codebook.label_of(tid)
    exp_stance = (expected or {}).get("stance") or ""
    exp_strength = (expected or {}).get("strength") or ""
    theme = stance = strength = None
    if row["theme"] and normalise_name(row["theme"]) != normalise_name(exp_theme):
        typed = themes.resolve(row["theme"])
        if typed != tid:
            theme = typed or "?"
    if exp_stance and row["stance"] and parse_stance(row["stance"]) != exp_stance:
        stance = parse_stance(row["stance"]) or "?"
    shown = parse_strength(exp_strength)
    if shown and row.get("strength") and parse_strength(row["strength"]) != shown:
        strength = parse_strength(row["strength"]) or "?"
    return _Overtyped(theme, stance, strength, exp_theme, exp_stance, exp_strength)


def _judgement(row: dict, themes: ThemeResolver, expected: dict | None = None
               ) -> tuple[dict, list[str]]:
    """Valider / Rejeter / Corriger on an exported row; returns (fields, notes).

    `expected`: what the export manifest says this row showed (theme label, stance). A
    theme or stance typed over the exported one is never read as a validation of the
    machine's choice: with Valider or Corriger (correction columns empty) it becomes the
    correction when it is a valid value, with a warning; otherwise the row is refused."""
    tid, dec_raw = row["theme_id"], row["decision"]
    stances = ", ".join(STANCES)
    if tid not in themes.codebook.theme_ids:
        raise RowError(f"theme_id {tid!r} inconnu de la grille des thèmes ; ne modifiez pas "
                       f"la colonne theme_id (thèmes : feuille « Thèmes »).")
    decision = parse_decision(dec_raw)
    if dec_raw and not decision:
        raise RowError(f"décision {dec_raw!r} inconnue ; valeurs possibles : "
                       f"{', '.join(DECISION_CHOICES)}.")
    notes: list[str] = []
    if not decision:
        decision = "corriger"
        notes.append(f"« {COL_DECISION} » vide mais correction remplie : lue comme "
                     f"« Corriger ».")
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
    typed = _overtyped(row, themes, expected)
    exp_theme, exp_stance, exp_strength = typed.exp_theme, typed.exp_stance, typed.exp_strength
    if typed.theme == "?":
        raise RowError(f"la colonne « {COL_THEME} » a été modifiée (« {row['theme']} » au lieu "
                       f"de « {exp_theme} ») et ce n'est pas un thème du codebook ; remettez "
                       f"« {exp_theme} », ou choisissez « Corriger » et un « {COL_NEW_THEME} » "
                       f"de la liste déroulante.")
    if typed.stance == "?":
        raise RowError(f"la colonne « {COL_STANCE} » a été modifiée (« {row['stance']} » au "
                       f"lieu de « {exp_stance} ») et ce n'est pas une position ({stances}) ; "
                       f"remettez « {exp_stance} », ou choisissez « Corriger » et une "
                       f"« {COL_NEW_STANCE} ».")
    if typed.strength == "?":
        raise RowError(f"la colonne « {COL_STRENGTH} » a été modifiée (« {row['strength']} » "
                       f"au lieu de « {exp_strength} ») et ce n'est pas une force "
                       f"({', '.join(STRENGTH_CHOICES)}) ; remettez « {exp_strength} », ou "
                       f"choisissez « Corriger » et une « {COL_NEW_STRENGTH} ».")
    if decision == "rejeter" and (typed.theme or typed.stance or typed.strength):
        shown_stance = exp_stance or row["stance"]
        shown_strength = exp_strength or row.get("strength", "")
        raise RowError(f"« Rejeter » sur une ligne dont la colonne « {COL_THEME} », "
                       f"« {COL_STANCE} » ou « {COL_STRENGTH} » a été modifiée : on ne sait "
                       f"pas ce qui est rejeté. Remettez « {exp_theme} » / « {shown_stance} » / "
                       f"« {shown_strength} » pour rejeter l'étiquette proposée, ou choisissez "
                       f"« Corriger ».")
    if typed.theme and not new_theme:
        new_theme = typed.theme
        notes.append(f"thème « {row['theme']} » tapé à la place de « {exp_theme} » dans la "
                     f"colonne « {COL_THEME} » avec « {dec_raw or 'Corriger'} » : lu comme "
                     f"« Corriger » vers ce thème (la prochaine fois, utilisez « "
                     f"{COL_NEW_THEME} »).")
    if typed.stance and not new_stance:
        new_stance = typed.stance
        notes.append(f"position « {row['stance']} » tapée à la place de « {exp_stance} » avec "
                     f"« {dec_raw or 'Corriger'} » : lue comme « Corriger » vers cette "
                     f"position (la prochaine fois, utilisez « {COL_NEW_STANCE} »).")
    if typed.strength and not new_strength:
        new_strength = typed.strength
        notes.append(f"force « {row['strength']} » tapée à la place de « {exp_strength} » dans "
                     f"la colonne « {COL_STRENGTH} » avec « {dec_raw or 'Corriger'} » : lue "
                     f"comme « Corriger » vers cette force (la prochaine fois, utilisez "
                     f"« {COL_NEW_STRENGTH} »).")
    if decision == "valider" and (typed.theme or typed.stance or typed.strength):
        decision = "corriger"
    if decision == "corriger" and not (new_theme or new_stance or new_strength):
        raise RowError(f"« Corriger » sans correction ; remplissez « {COL_NEW_THEME} », "
                       f"« {COL_NEW_STANCE} » et/ou « {COL_NEW_STRENGTH} ».")
    if decision == "rejeter":
        return {"theme_id": tid, "decision": decision, "new_theme_id": "",
                "new_stance": "", "new_strength": ""}, notes
    shown = exp_stance or parse_stance(row["stance"])
    if not (new_stance or shown):
        raise RowError(f"la colonne « {COL_STANCE} » ({row['stance']!r}) a été modifiée ; "
                       f"indiquez la « {COL_NEW_STANCE} » ({stances}).")
    return {"theme_id": tid, "decision": decision, "new_theme_id": new_theme or tid,
            "new_stance": new_stance or shown, "new_strength": new_strength}, notes


def _row_date(text: str) -> str:
    """A per-row decision date typed or filled in the workbook, as ISO 8601 ('' if none)."""
    if not text:
        return ""
    for parse in (dt.datetime.fromisoformat,
                  lambda t: dt.datetime.strptime(t, "%d/%m/%Y %H:%M"),
                  lambda t: dt.datetime.strptime(t, "%d/%m/%Y")):
        try:
            return parse(text).astimezone().isoformat(timespec="seconds")
        except ValueError:
            continue
    return ""


def _remember_shown(reading: WorkbookReading, row: dict) -> None:
    """What the row showed, for anchoring when the passage is no longer current: the
    manifest's anchor, else the visible Texte / Liste cells."""
    pid = row["passage_id"]
    if pid in reading.shown:
        return
    if reading.manifest and pid in reading.manifest.anchors:
        reading.shown[pid] = reading.manifest.anchors[pid]
    elif row.get("text"):
        reading.shown[pid] = {"list_name": row.get("list", ""), "text_sha1":
                              fingerprint(row["text"]), "quote": row["text"]}


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
              "text": COL_TEXT, "list": COL_LIST, "edited_at": COL_EDITED_AT,
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
    manifest = reading.manifest
    exported = manifest.passage_ids(SHEET_PASSAGES) if manifest else set()
    for r, row in rows:
        at = f"{where}, ligne {r}"
        is_copy = occurrences[(row["passage_id"], row["theme_id"])] > 1
        expected = manifest.row(SHEET_PASSAGES, row["passage_id"], row["theme_id"]) \
            if manifest else None
        if not (row["decision"] or row["new_theme"] or row["new_stance"]
                or row["new_strength"]):
            if row["comment"]:
                reading.notes.append(
                    f"{at} : commentaire sans décision, non enregistré comme décision "
                    f"(choisissez Valider, Rejeter ou Corriger) : « {row['comment'][:80]} »")
            if row["theme_id"] and row["theme_id"] in themes.codebook.theme_ids \
                    and not is_copy and _changed(_overtyped(row, themes, expected)):
                reading.notes.append(
                    f"{at} : « {COL_THEME} », « {COL_STANCE} » ou « {COL_STRENGTH} » modifié(e) "
                    f"sans décision, non enregistré ; pour changer l'étiquette choisissez "
                    f"« Corriger » et remplissez « {COL_NEW_THEME} » / « {COL_NEW_STANCE} » / "
                    f"« {COL_NEW_STRENGTH} ».")
            continue
        if not row["passage_id"]:
            reading.errors.append(f"{at} : passage_id vide ; une décision doit rester sur la "
                                  f"ligne du passage (ne videz pas la colonne passage_id).")
            continue
        adding = not row["theme_id"] or (is_copy and not row["decision"]
                                         and bool(row["new_theme"]))
        if manifest and manifest.rows and row["passage_id"] not in exported:
            reading.errors.append(f"{at} : passage_id {row['passage_id']!r} absent de ce "
                                  f"classeur à l'export (colonne modifiée ?) ; remettez "
                                  f"l'identifiant d'origine de la ligne.")
            continue
        if manifest and manifest.rows and not adding and expected is None:
            reading.errors.append(f"{at} : le couple passage_id × theme_id "
                                  f"({row['passage_id']}, {row['theme_id']}) n'a pas été "
                                  f"exporté (colonne theme_id modifiée ?) ; remettez le "
                                  f"theme_id d'origine, et pour changer de thème choisissez "
                                  f"« Corriger ».")
            continue
        try:
            if adding:
                decided, notes = _addition(row, themes), []
            else:
                decided, notes = _judgement(row, themes, expected)
        except RowError as exc:
            reading.errors.append(f"{at} : {exc}")
            continue
        reading.notes += [f"{at} : {note}" for note in notes]
        if expected and row["text"] and fingerprint(row["text"]) != \
                manifest.anchors.get(row["passage_id"], {}).get("text_sha1", ""):
            reading.notes.append(f"{at} : la colonne « {COL_TEXT} » a été modifiée ; la "
                                 f"décision s'applique au passage exporté, pas au texte tapé.")
        _remember_shown(reading, row)
        reading.rows.append({"sheet": ws.title, "row": r, "reviewer": row["reviewer"],
                             "passage_id": row["passage_id"], "comment": row["comment"],
                             "edited_at": _row_date(row["edited_at"])}
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
        shown_row = {"passage_id": pid, "text": get(values, COL_TEXT),
                     "list": get(values, COL_LIST)}
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
            _remember_shown(reading, shown_row)
            reading.rows.append({
                "sheet": ws.title, "row": r, "reviewer": get(values, COL_REVIEWER),
                "passage_id": pid, "comment": comment, "theme_id": theme,
                "decision": "ajouter", "new_theme_id": theme, "new_stance": stance,
                "new_strength": "",
                "edited_at": _row_date(get(values, COL_EDITED_AT)),
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
    """Every filled review row of a workbook (.xlsx or .ods), with the invalid rows listed
    (never raises for a row or a file: a bad row is an error message; a file that cannot
    be read sets `fatal`, with what to do)."""
    path = Path(path)
    reading = WorkbookReading(path=path)
    if not path.is_file():
        reading.fatal = f"{path} : fichier introuvable."
        return reading
    try:
        book = open_spreadsheet(path)
        reading.sha256 = file_sha256(path)
    except UnreadableWorkbook as exc:
        reading.fatal = str(exc)
        return reading
    except PermissionError:
        reading.fatal = (f"{path} : lecture refusée (droits insuffisants). Donnez le droit de "
                         f"lecture (chmod u+r \"{path}\"), puis réimportez.")
        return reading
    reading.format, reading.modified = book.format, book.modified
    wb = book
    reading.manifest = read_manifest(_sheet(wb, EXPORT_SHEET))
    if reading.manifest:
        reading.exported_at = reading.manifest.exported_at
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
    """The rows of a reading as decision records (DECISIONS columns; the anchor is filled by
    the import, see anchors.fill_anchors). A decision was made when its row says (a date
    column), else when the file was last saved by its spreadsheet program."""
    records = [
        row | {
            "decision_id": decision_id(reading.sha256, row["sheet"], row["row"]),
            "imported_at": imported_at, "file_name": reading.path.name,
            "file_sha256": reading.sha256, "row": str(row["row"]),
            "edited_at": row.get("edited_at") or reading.modified or imported_at,
            "exported_at": reading.exported_at,
        }
        for row in reading.rows
    ]
    return pd.DataFrame(records, columns=DECISIONS).astype(object) if records else empty(DECISIONS)
