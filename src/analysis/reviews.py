"""Review decisions: read reviewed workbooks, store them append-only, apply them to tags.

Rules (documented for the analyst in README / the workbook's "Lisez-moi"):

- A reviewed workbook is read row by row. A valid row becomes one decision; an invalid row
  is listed with its sheet, row and what is allowed, and the file's other valid rows are
  still stored (a volunteer's work is never thrown away because of one typo).
- ``decisions.csv`` is append-only: existing rows are never rewritten or removed. A
  decision's id is a hash of (file sha256, sheet, row): importing the same file twice adds
  nothing. A row whose content equals that reviewer's latest decision on the same
  passage x theme (e.g. a forwarded copy) is not stored again either.
- What a row means: on "Passages", Valider / Rejeter / Corriger judge the exported tag
  (a filled correction with an empty Décision reads as Corriger); a row without theme_id
  (added under the table), or a copy of an exported row with Décision empty and Thème
  corrigé filled, adds that theme (``ajouter``); on "Non étiquetés", Thème ajouté +
  Position add a theme. A comment without a decision is reported, not stored. A blank
  Relecteur takes the file's only reviewer name when there is exactly one.
- Each stored decision is complete: ``valider`` keeps in ``new_theme_id``/``new_stance``
  the theme and stance the reviewer confirmed, ``corriger`` the corrected theme and stance
  (a missing one is taken from what the workbook showed), ``ajouter`` the added theme.
- :func:`apply_decisions` (run by the tagging stage at every run): for each
  passage x theme, the latest decision (order of ``decisions.csv``) wins; effective
  decisions are applied in that order. ``valider`` keeps the tag (re-adds it if the tagger
  no longer finds it) with origin ``review``; ``rejeter`` removes it (and keeps it removed
  if the tagger finds it again); ``corriger`` replaces theme and/or stance (origin
  ``review``); ``ajouter`` adds a tag (origin ``review``). Strength and evidence of a
  review tag come from the tag it replaces, else from the strongest tag of the passage,
  else ``mention`` (conservative: a human said the theme is there, not how concrete).
- Two reviewers who disagree on a passage x theme are a conflict: listed in
  ``conflits.csv`` (rewritten at each import) and printed; meanwhile the latest decision
  wins. A decision whose passage no longer exists is an orphan: listed in
  ``orphelins.csv`` and printed, never removed from ``decisions.csv``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.codebook import Codebook, load_codebook
from analysis.common.errors import UserError
from analysis.common.progress import summary
from analysis.common.safe_text import neutralise_frame, read_csv_safe, to_csv_safe
from analysis.common.tables import empty
from analysis.common.text import normalise_name
from analysis.config import Config
from analysis.contracts import STANCES, STRENGTH_SCORE, TAGS

DECISIONS = [
    "decision_id", "imported_at", "file_name", "file_sha256", "sheet", "row", "reviewer",
    "passage_id", "theme_id", "decision", "new_theme_id", "new_stance", "comment",
]
DECISION_VALUES = ("valider", "rejeter", "corriger", "ajouter")
CONFLICTS = [
    "passage_id", "theme_id", "n_reviewers", "reviewers", "positions", "retained",
    "retained_reviewer",
]

# The review contract of the workbook (shared with analysis.export) ---------------------
SHEET_PASSAGES = "Passages"
SHEET_UNTAGGED = "Non étiquetés"
COL_PASSAGE = "passage_id"
COL_THEME_ID = "theme_id"
COL_THEME = "Thème"
COL_STANCE = "Position"
COL_DECISION = "Décision"
COL_NEW_THEME = "Thème corrigé"
COL_NEW_STANCE = "Position corrigée"
COL_ADDED_THEME = "Thème ajouté"
COL_COMMENT = "Commentaire"
COL_REVIEWER = "Relecteur"
DECISION_CHOICES = ("Valider", "Rejeter", "Corriger")
HEADER_SEARCH_ROWS = 15

_DECISION_WORDS = {
    "valider": "valider", "valide": "valider", "validee": "valider", "ok": "valider",
    "rejeter": "rejeter", "rejete": "rejeter", "rejetee": "rejeter",
    "corriger": "corriger", "corrige": "corriger", "corrigee": "corriger",
}
_STANCE_WORDS = {normalise_name(s): s for s in STANCES} | {"restrictive": "restrictif"}


def tags_auto_path(cfg: Config) -> Path:
    """Automatic tags before review (written by the tagging stage)."""
    return cfg.processed / "tags_auto.parquet"


def conflicts_path(cfg: Config) -> Path:
    return cfg.reviews / "conflits.csv"


def orphans_path(cfg: Config) -> Path:
    return cfg.reviews / "orphelins.csv"


# Reading and storing ------------------------------------------------------------------
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


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def reviewer_key(reviewer: Any, file_name: Any) -> str:
    """Who decided: the reviewer's name, or the file name when the name was left blank."""
    name = str(reviewer or "").strip()
    return name if name else f"(sans nom) {file_name}"


def _outcome(row: pd.Series | dict) -> tuple[str, str, str]:
    return (str(row["decision"]), str(row["new_theme_id"]), str(row["new_stance"]))


def append_decisions(cfg: Config, new: pd.DataFrame) -> Path:
    """Append rows to decisions.csv (created with its header when absent); never rewrite."""
    path = cfg.decisions_path
    new = new[DECISIONS]
    if not path.is_file() or path.stat().st_size == 0:
        return to_csv_safe(new, path)
    with path.open("rb") as fh:
        fh.seek(-1, 2)
        ends_with_newline = fh.read(1) == b"\n"
    with path.open("a", encoding="utf-8", newline="") as fh:
        if not ends_with_newline:
            fh.write("\n")
        neutralise_frame(new).to_csv(fh, header=False, index=False)
    return path


# Resolving what volunteers typed ------------------------------------------------------
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


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class WorkbookReading:
    """What one reviewed workbook holds: decisions, row errors, notes."""

    path: Path
    sha256: str = ""
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fatal: str = ""


def _find_header(ws, required: str = COL_PASSAGE) -> tuple[int, dict[str, int]] | None:
    for r, values in enumerate(
        ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1
    ):
        keys = [normalise_name(_cell_text(v)) for v in values]
        if normalise_name(required) in keys:
            return r, {k: i for i, k in enumerate(keys) if k}
    return None


def _sheet(wb, name: str):
    wanted = normalise_name(name)
    return next((ws for ws in wb.worksheets if normalise_name(ws.title) == wanted), None)


def _getter(columns: dict[str, int]):
    def get(values: tuple, header: str) -> str:
        i = columns.get(normalise_name(header))
        return _cell_text(values[i]) if i is not None and i < len(values) else ""
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
            "new_stance": stance}


def _judgement(row: dict, themes: ThemeResolver) -> tuple[dict, str]:
    """Valider / Rejeter / Corriger on an exported row; returns (fields, note)."""
    tid, dec_raw = row["theme_id"], row["decision"]
    stances = ", ".join(STANCES)
    if tid not in themes.codebook.theme_ids:
        raise RowError(f"theme_id {tid!r} inconnu du codebook ; ne modifiez pas la colonne "
                       f"theme_id (thèmes : feuille « Thèmes »).")
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
    if decision in ("valider", "rejeter") and (new_theme or new_stance):
        raise RowError(f"« {dec_raw} » avec un thème ou une position corrigé(e) ; pour "
                       f"changer l'étiquette choisissez « Corriger », sinon videz la correction.")
    if decision == "corriger" and not (new_theme or new_stance):
        raise RowError(f"« Corriger » sans thème corrigé ni position corrigée ; remplissez "
                       f"« {COL_NEW_THEME} » et/ou « {COL_NEW_STANCE} ».")
    if decision == "rejeter":
        return {"theme_id": tid, "decision": decision, "new_theme_id": "",
                "new_stance": ""}, note
    shown = parse_stance(row["stance"])
    if not (new_stance or shown):
        raise RowError(f"la colonne « {COL_STANCE} » ({row['stance']!r}) a été modifiée ; "
                       f"indiquez la « {COL_NEW_STANCE} » ({stances}).")
    return {"theme_id": tid, "decision": decision, "new_theme_id": new_theme or tid,
            "new_stance": new_stance or shown}, note


def _read_passages_sheet(ws, reading: WorkbookReading, themes: ThemeResolver) -> None:
    """Decisions of the Passages sheet. A row without theme_id (added under the table), or
    a copy of an earlier row whose Décision is empty and Thème corrigé filled, adds a theme;
    other filled rows judge the exported tag."""
    found = _find_header(ws)
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
              "new_stance": COL_NEW_STANCE, "comment": COL_COMMENT, "reviewer": COL_REVIEWER}
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
        if not (row["decision"] or row["new_theme"] or row["new_stance"]):
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
    found = _find_header(ws)
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
            })


def read_reviewed_workbook(path: str | Path, codebook: Codebook) -> WorkbookReading:
    """Every filled review row of a workbook, with the invalid rows listed (never raises
    for a row: a bad row is an error message; an unreadable file sets `fatal`)."""
    import zipfile

    from openpyxl import load_workbook

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


def new_decisions(stored: pd.DataFrame, candidates: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Candidates that are not already stored (same id, or same content as that reviewer's
    latest decision on the passage x theme); returns (new rows, number skipped)."""
    known_ids = set(stored["decision_id"])
    latest: dict[tuple[str, str, str], tuple] = {}
    for row in stored.to_dict("records"):
        key = (reviewer_key(row["reviewer"], row["file_name"]), row["passage_id"],
               row["theme_id"])
        latest[key] = _outcome(row) + (row["comment"],)
    keep, skipped = [], 0
    for row in candidates.to_dict("records"):
        key = (reviewer_key(row["reviewer"], row["file_name"]), row["passage_id"],
               row["theme_id"])
        content = _outcome(row) + (row["comment"],)
        if row["decision_id"] in known_ids or latest.get(key) == content:
            skipped += 1
            continue
        keep.append(row)
        known_ids.add(row["decision_id"])
        latest[key] = content
    return pd.DataFrame(keep, columns=DECISIONS).astype(object), skipped


# Applying -------------------------------------------------------------------------------
def effective_decisions(decisions: pd.DataFrame, passages: pd.DataFrame | None) -> pd.DataFrame:
    """The latest decision per passage x theme, in decisions.csv order, orphans left out."""
    if decisions is None or len(decisions) == 0 or "decision" not in decisions.columns:
        return empty(DECISIONS)
    df = decisions[decisions["decision"].isin(DECISION_VALUES)]
    if passages is not None and "passage_id" in passages.columns:
        df = df[df["passage_id"].isin(set(passages["passage_id"].astype(str)))]
    return df.drop_duplicates(["passage_id", "theme_id"], keep="last")


def _strongest(rows: dict, keys: set) -> str | None:
    strengths = [rows[k]["strength"] for k in keys if rows[k]["strength"] in STRENGTH_SCORE]
    return max(strengths, key=STRENGTH_SCORE.get) if strengths else None


def apply_decisions(
    tags: pd.DataFrame, passages: pd.DataFrame, decisions: pd.DataFrame
) -> pd.DataFrame:
    """Tags with review decisions applied (see the module docstring for the rules).

    Pure (inputs are not modified) and idempotent: applying the result again to the same
    decisions gives the same table. Returns TAGS columns; order of `tags` kept, added tags
    at the end.
    """
    base = tags.copy() if tags is not None and len(tags.columns) else empty(TAGS)
    for col in TAGS:
        if col not in base.columns:
            base[col] = "auto" if col == "origin" else ""
    effective = effective_decisions(decisions, passages)
    if not len(effective):
        return base[TAGS].reset_index(drop=True)
    rows: dict[tuple[str, str], dict] = {}
    for rec in base[TAGS].to_dict("records"):
        rows.setdefault((str(rec["passage_id"]), str(rec["theme_id"])), rec)
    by_passage: dict[str, set] = {}
    for key in rows:
        by_passage.setdefault(key[0], set()).add(key)

    for d in effective.to_dict("records"):
        pid, tid, kind = str(d["passage_id"]), str(d["theme_id"]), d["decision"]
        keys = by_passage.setdefault(pid, set())
        if kind == "rejeter":
            rows.pop((pid, tid), None)
            keys.discard((pid, tid))
            continue
        target = str(d["new_theme_id"] or tid)
        ref = rows.get((pid, target)) or rows.get((pid, tid))
        strength = ref["strength"] if ref else (_strongest(rows, keys) or "mention")
        if kind == "corriger" and target != tid:
            rows.pop((pid, tid), None)
            keys.discard((pid, tid))
        stance = d["new_stance"] or (ref["stance"] if ref else "neutre")
        rows[(pid, target)] = {
            "passage_id": ref["passage_id"] if ref else d["passage_id"], "theme_id": target,
            "stance": stance, "strength": strength,
            "evidence": ref["evidence"] if ref else "", "origin": "review",
        }
        keys.add((pid, target))
    out = pd.DataFrame(list(rows.values()), columns=TAGS)
    return out.reset_index(drop=True)


# Reports ------------------------------------------------------------------------------
def _describe(row: dict) -> str:
    if row["decision"] in ("rejeter", "valider"):
        return row["decision"]
    return f"{row['decision']} → {row['new_theme_id']} ({row['new_stance']})"


def find_conflicts(decisions: pd.DataFrame) -> pd.DataFrame:
    """Passage x theme pairs on which reviewers' latest decisions differ (CONFLICTS)."""
    if decisions is None or len(decisions) == 0:
        return empty(CONFLICTS)
    out = []
    for (pid, tid), group in decisions.groupby(["passage_id", "theme_id"], sort=False):
        latest: dict[str, dict] = {}
        for row in group.to_dict("records"):
            latest[reviewer_key(row["reviewer"], row["file_name"])] = row
        if len({_outcome(r) for r in latest.values()}) < 2:
            continue
        last = group.iloc[-1].to_dict()
        out.append({
            "passage_id": pid, "theme_id": tid, "n_reviewers": len(latest),
            "reviewers": " ; ".join(latest),
            "positions": " ; ".join(f"{who} : {_describe(r)}" for who, r in latest.items()),
            "retained": _describe(last),
            "retained_reviewer": reviewer_key(last["reviewer"], last["file_name"]),
        })
    return pd.DataFrame(out, columns=CONFLICTS).astype(object) if out else empty(CONFLICTS)


def find_orphans(decisions: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Decisions whose passage no longer exists in passages.parquet."""
    if decisions is None or len(decisions) == 0:
        return empty(DECISIONS)
    known = set(passages["passage_id"].astype(str))
    return decisions[~decisions["passage_id"].astype(str).isin(known)].reset_index(drop=True)


def _tag_changes(before: pd.DataFrame | None, after: pd.DataFrame) -> str:
    if before is None:
        return f"{len(after)} étiquettes"
    key = ["passage_id", "theme_id"]
    old = before.set_index(key)[["stance", "origin"]]
    new = after.set_index(key)[["stance", "origin"]]
    removed = len(old.index.difference(new.index))
    added = len(new.index.difference(old.index))
    common = old.index.intersection(new.index)
    changed = int((old.loc[common] != new.loc[common]).any(axis=1).sum()) if len(common) else 0
    if not (removed or added or changed):
        return "aucun changement"
    return f"{removed} étiquette(s) retirée(s), {added} ajoutée(s), {changed} modifiée(s)"


@dataclass
class ImportSummary:
    """What an import did (returned by run_review_import, also printed)."""

    files: list[str] = field(default_factory=list)
    new: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: pd.DataFrame = field(default_factory=lambda: empty(CONFLICTS))
    orphans: pd.DataFrame = field(default_factory=lambda: empty(DECISIONS))
    tags_refreshed: bool = False
    tag_changes: str = ""


def refresh_tags(cfg: Config, decisions: pd.DataFrame) -> str | None:
    """Rewrite tags.parquet from tags_auto.parquet + decisions; None when inputs are missing."""
    auto_path = tags_auto_path(cfg)
    if not (auto_path.is_file() and cfg.passages_path.is_file()):
        return None
    passages = pd.read_parquet(cfg.passages_path)
    before = pd.read_parquet(cfg.tags_path) if cfg.tags_path.is_file() else None
    tags = apply_decisions(pd.read_parquet(auto_path), passages, decisions)
    tmp = cfg.tags_path.with_suffix(".parquet.tmp")
    tags.to_parquet(tmp, index=False)
    tmp.replace(cfg.tags_path)
    return _tag_changes(before, tags)


def run_review_import(cfg: Config, files: list[str]) -> ImportSummary:
    """Store the decisions of reviewed workbooks; report new/known rows, errors, conflicts
    and orphans; refresh tags.parquet and the agreement metrics."""
    from analysis.agreement import refresh_agreement

    if not files:
        raise UserError("Indiquez au moins un classeur relu : "
                        "python -m analysis review-import FICHIER.xlsx")
    codebook = load_codebook(cfg.codebook_path)
    result = ImportSummary()
    readable = 0
    imported_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    for name in files:
        reading = read_reviewed_workbook(name, codebook)
        if reading.fatal:
            result.errors.append(reading.fatal)
            continue
        readable += 1
        result.files.append(reading.path.name)
        result.errors += reading.errors
        result.notes += reading.notes
        fresh, skipped = new_decisions(load_decisions(cfg), decisions_frame(reading, imported_at))
        if len(fresh):
            append_decisions(cfg, fresh)
        result.new += len(fresh)
        result.already += skipped
        print(f"  {reading.path.name} : {len(fresh)} nouvelle(s) décision(s), {skipped} déjà "
              f"importée(s), {len(reading.errors)} ligne(s) refusée(s)")
    if not readable:
        raise UserError("Aucun classeur lisible :\n  " + "\n  ".join(result.errors))

    decisions = load_decisions(cfg)
    result.conflicts = find_conflicts(decisions)
    to_csv_safe(result.conflicts, conflicts_path(cfg))
    if cfg.passages_path.is_file():
        result.orphans = find_orphans(decisions, pd.read_parquet(cfg.passages_path))
        to_csv_safe(result.orphans, orphans_path(cfg))
    else:
        result.notes.append("passages.parquet absent : orphelins non vérifiés "
                            "(lancez `python -m analysis ingest`).")
    changes = refresh_tags(cfg, decisions)
    result.tags_refreshed = changes is not None
    result.tag_changes = changes or ""
    refresh_agreement(cfg, decisions=decisions, conflicts=result.conflicts)
    _print_details(cfg, result)
    summary("review-import", _summary_line(result))
    return result


def _print_details(cfg: Config, result: ImportSummary) -> None:
    for title, items in (("Lignes refusées (à corriger dans le classeur puis réimporter)",
                          result.errors), ("Remarques", result.notes)):
        if items:
            print(f"{title} :")
            for item in items:
                print(f"  - {item}")
    if len(result.conflicts):
        print(f"Désaccords entre relecteurs ({len(result.conflicts)}, détail dans "
              f"{conflicts_path(cfg)}) ; en attendant, la décision la plus récente s'applique :")
        for row in result.conflicts.head(20).to_dict("records"):
            print(f"  - passage {row['passage_id']} x {row['theme_id']} : {row['positions']}")
    if len(result.orphans):
        print(f"Décisions orphelines ({len(result.orphans)}, passage disparu, gardées dans "
              f"decisions.csv ; détail dans {orphans_path(cfg)}) :")
        for row in result.orphans.head(20).to_dict("records"):
            print(f"  - {row['file_name']} ({row['sheet']}, ligne {row['row']}) : passage "
                  f"{row['passage_id']} x {row['theme_id']}")
    if result.tags_refreshed:
        print(f"tags.parquet mis à jour : {result.tag_changes}. "
              f"Relancez `python -m analysis coverage` puis `charts` et `export`.")
    else:
        print("tags.parquet non mis à jour (tags_auto.parquet ou passages.parquet absent) : "
              "lancez `python -m analysis tag`.")


def _summary_line(result: ImportSummary) -> str:
    return (f"{len(result.files)} classeur(s) : {result.new} nouvelle(s) décision(s), "
            f"{result.already} déjà importée(s), {len(result.errors)} erreur(s), "
            f"{len(result.conflicts)} désaccord(s), {len(result.orphans)} orpheline(s)")
