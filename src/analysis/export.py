"""The associations' workbook: what the machine found, for volunteers to check and correct.

`run_export(cfg)` reads processed/ (passages, tags, coverage, questionnaire_responses.csv
when present) and data/reviews/decisions.csv, and writes `cfg.workbook_path` with sheets
"Lisez-moi", "Synthèse", "Passages", "Non étiquetés", "Questionnaire", "Thèmes" and, once
review decisions exist, "Accord". The review columns and their drop-downs follow the
contract read back by :mod:`analysis.reviews`.

A workbook a volunteer may have edited is never overwritten: the sha256 of what we last
wrote is kept in processed/.export_manifest.json; a target that differs is moved to
reports/exports/archives/ first (and its pending decisions are counted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter as _col

from analysis.codebook import Codebook, load_codebook
from analysis.common.errors import UserError
from analysis.common.files import archive_if_edited, record_written, save_atomic
from analysis.common.progress import summary
from analysis.common.safe_text import write_text
from analysis.common.text import format_date_fr
from analysis.common.xlsx import (
    BOLD,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    SPARE_ROWS,
    TOP_WRAP,
    Column,
    add_choice_list,
    add_lists_sheet,
    column_letter,
    document_link,
    inline_choices,
    print_setup,
    select_sheet,
    write_paragraphs,
    write_table,
    write_title,
)
from analysis.config import Config
from analysis.contracts import (
    COL_ADDED_THEME,
    COL_COMMENT,
    COL_DECISION,
    COL_NEW_STANCE,
    COL_NEW_THEME,
    COL_PASSAGE,
    COL_REVIEWER,
    COL_STANCE,
    COL_THEME,
    COL_THEME_ID,
    COVERAGE,
    DECISION_CHOICES,
    PASSAGES,
    SHEET_PASSAGES,
    SHEET_UNTAGGED,
    SOURCES,
    STANCES,
    TAGS,
)
from analysis.coverage.questionnaire import load_responses
from analysis.review.agreement import compute_agreement
from analysis.review.conflicts import find_conflicts, find_orphans
from analysis.review.rules import effective_decisions, new_decisions
from analysis.review.sheet import ThemeResolver, decisions_frame, read_reviewed_workbook
from analysis.review.store import load_decisions

LISTS_SHEET = "_listes"
STRENGTH_LABELS = {"concret": "concret", "general": "général", "mention": "mention"}
ORIGIN_LABELS = {"auto": "automatique", "review": "relecture"}
SOURCE_LABELS = {"programme": "programme", "questionnaire": "questionnaire"}
SCORE_COLOURS = ("F7F7F7", "9ECAE1", "3182BD")
RESTRICTIVE_FORMAT = '0" ▼"'
NO_ANSWER = "— Aucune réponse reçue au questionnaire —"

_PASSAGE_CONTEXT = [
    Column(COL_PASSAGE, "passage_id",
           "Identifiant stable du passage. Ne pas modifier : il relie votre décision au "
           "passage, même après de nouveaux documents.", width=14),
    Column("Liste", "list_name", "Liste candidate."),
    Column("Source", "source", "programme (document de campagne) ou questionnaire (réponse "
           "au questionnaire du collectif)."),
    Column("Document", "document", "Fichier d'origine (chemin dans data/raw) ; cliquez pour "
           "l'ouvrir, à la bonne page pour un PDF, si le dossier data/raw est à côté.",
           width=24, wrap=True),
    Column("Page", "page", "Page du document (vide quand le format n'a pas de pages).",
           width=7),
    Column("Section", "section", "Titre le plus proche du passage dans le document, ou la "
           "question pour une réponse au questionnaire.", width=20, wrap=True),
]
_TEXT = Column("Texte", "text", "Le passage tel qu'il figure dans le document.", width=60,
               wrap=True)
_PREVIOUS = Column("Relecture précédente", "previous",
                   "Décision déjà importée sur cette ligne (qui, quand) ; vide sinon.",
                   width=18, wrap=True)
_COMMENT = Column(COL_COMMENT, "comment", "À REMPLIR si utile : votre remarque.", width=24,
                  wrap=True, review=True)
_REVIEWER = Column(COL_REVIEWER, "reviewer", "À REMPLIR : votre prénom ou nom (au moins "
                   "sur une ligne ; sert à repérer les désaccords entre relecteurs).",
                   width=16, review=True)

PASSAGE_COLUMNS = [
    *_PASSAGE_CONTEXT,
    Column(COL_THEME, "theme_label", "Thème trouvé par l'étiqueteur (ou par une relecture).",
           wrap=True, width=20),
    Column(COL_THEME_ID, "theme_id", "Identifiant du thème. Ne pas modifier.", width=16),
    Column("Axe", "axis_label", "Axe de la lettre du collectif auquel le thème appartient.",
           width=16, wrap=True),
    Column(COL_STANCE, "stance", "favorable (étend la solidarité), restrictif (la "
           "restreint), neutre (constat sans position)."),
    Column("Force", "strength", "concret (mesure chiffrée, budget, date, lieu, dispositif "
           "nommé), général (intention sans mesure), mention (le thème est évoqué)."),
    Column("Origine", "origin", "automatique (étiqueteur) ou relecture (décision importée)."),
    Column("Indices", "evidence", "Mots du passage qui ont fait choisir le thème.", width=18,
           wrap=True),
    _TEXT, _PREVIOUS,
    Column(COL_DECISION, "decision", "À REMPLIR : Valider (thème et position justes), "
           "Rejeter (le passage ne parle pas de ce thème), Corriger (remplir la correction).",
           width=13, review=True),
    Column(COL_NEW_THEME, "new_theme", "À REMPLIR avec Corriger : le bon thème (liste "
           "déroulante). Sur une ligne ajoutée sous le tableau : le thème à ajouter.", width=24,
           review=True),
    Column(COL_NEW_STANCE, "new_stance", "À REMPLIR avec Corriger : la bonne position "
           "(favorable, restrictif, neutre).", width=16, review=True),
    _COMMENT, _REVIEWER,
]
UNTAGGED_COLUMNS = [
    *_PASSAGE_CONTEXT, _TEXT, _PREVIOUS,
    Column(COL_ADDED_THEME, "new_theme", "À REMPLIR si le passage parle d'un thème : le "
           "thème (liste déroulante). Pour 2 thèmes, copiez la ligne.", width=30, review=True),
    Column(COL_STANCE, "new_stance", "À REMPLIR avec un thème ajouté : favorable, "
           "restrictif ou neutre.", width=14, review=True),
    _COMMENT, _REVIEWER,
]
QUESTIONNAIRE_COLUMNS = [
    Column("Liste", "list_name", "Liste candidate (toutes les listes de la configuration, "
           "même celles qui n'ont pas répondu)."),
    Column("question_id", "question_id", "Identifiant de la question (q1, q2, … ; "
           "« engagements » pour la grille d'engagements)."),
    Column("Question", "question", "Texte de la question posée par le collectif.", width=45,
           wrap=True),
    Column("Réponse", "text", "Réponse de la liste (passages mis bout à bout).", width=80,
           wrap=True),
    Column("Thèmes trouvés", "themes", "Thèmes étiquetés dans la réponse.", width=30,
           wrap=True),
    Column("passage_id", "passage_ids", "Passages correspondants (feuille Passages).",
           width=20, wrap=True),
    Column("Document", "document", "Fichier de la réponse (chemin dans data/raw).", width=30),
]
THEME_COLUMNS = [
    Column("theme_id", "theme_id", "Identifiant stable du thème."),
    Column("Axe", "axis_label", "Axe de la lettre du collectif.", width=26, wrap=True),
    Column("Thème", "label", "Nom du thème."),
    Column("Périmètre", "scope", "Ce que le thème couvre (note du codebook).", width=70,
           wrap=True),
    Column("Nombre de motifs", "n_patterns", "Nombre d'expressions que l'étiqueteur cherche "
           "pour ce thème."),
]
ACCORD_THEME_COLUMNS = [
    Column("Thème", "label", "Thème."),
    Column("Validées", "n_valider", "Étiquettes automatiques validées."),
    Column("Rejetées", "n_rejeter", "Étiquettes automatiques rejetées."),
    Column("Thème corrigé", "n_corriger_theme", "Étiquettes dont le thème a été corrigé."),
    Column("Position corrigée", "n_corriger_position", "Thème juste, position corrigée "
           "(hors calcul de la précision)."),
    Column("Relues", "n_evalues", "Validées + rejetées + thème corrigé."),
    Column("Précision", "precision", "Part des étiquettes relues que les relecteurs ont "
           "validées (validées / relues)."),
]
ACCORD_PAIR_COLUMNS = [
    Column("Relecteur A", "reviewer_a", "Premier relecteur."),
    Column("Relecteur B", "reviewer_b", "Second relecteur."),
    Column("Unités communes", "n_units", "Couples passage x thème jugés par les deux."),
    Column("Accords", "n_agree", "Unités où ils disent la même chose (le thème s'applique "
           "ou non)."),
    Column("Accord observé", "observed", "Accords / unités communes."),
    Column("Accord attendu par hasard", "expected", "Accord attendu si chacun répondait au "
           "hasard avec ses propres proportions."),
    Column("Kappa de Cohen", "kappa", "(observé − attendu) / (1 − attendu) : 1 accord parfait, "
           "0 pas mieux que le hasard ; vide quand il n'est pas calculable."),
]
ACCORD_CONFLICT_COLUMNS = [
    Column("passage_id", "passage_id", "Passage concerné."),
    Column("theme_id", "theme_id", "Thème concerné."),
    Column("Relecteurs", "reviewers", "Relecteurs en désaccord.", width=30, wrap=True),
    Column("Décisions", "positions", "Dernière décision de chacun.", width=60, wrap=True),
    Column("Appliquée en attendant", "retained", "La plus récente, appliquée tant que le "
           "désaccord n'est pas tranché (par une nouvelle décision).", width=30, wrap=True),
]

_ORPHAN_COLUMNS = [
    Column("Fichier relu", "document", "Classeur d'où vient la décision."),
    Column("Feuille", "sheet", "Feuille."),
    Column("Ligne", "row", "Ligne."),
    Column("passage_id", "passage_id", "Passage qui n'existe plus."),
    Column("theme_id", "theme_id", "Thème."),
    Column("Décision", "decision", "Décision (gardée dans decisions.csv)."),
    Column("Relecteur", "reviewer", "Relecteur."),
]


@dataclass
class ExportInputs:
    """Everything the workbook shows, read from processed/ and reviews/."""

    passages: pd.DataFrame
    tags: pd.DataFrame
    coverage: pd.DataFrame
    responses: pd.DataFrame | None
    decisions: pd.DataFrame
    codebook: Codebook
    auto_tags: pd.DataFrame | None = None


def _need(path: Path, stage: str, what: str) -> pd.DataFrame:
    if not path.is_file():
        raise UserError(f"{path.name} absent ({path}) : lancez d'abord "
                        f"`python -m analysis {stage}` ({what}).")
    return pd.read_parquet(path)


def load_inputs(cfg: Config) -> ExportInputs:
    """Read the tables the workbook needs; a missing one is a UserError naming the stage."""
    passages = _need(cfg.passages_path, "ingest", "lecture des documents")
    tags = _need(cfg.tags_path, "tag", "étiquetage")
    coverage = _need(cfg.coverage_path, "coverage", "calcul de la couverture")
    for df, cols, name in ((passages, PASSAGES, "passages"), (tags, TAGS, "tags"),
                           (coverage, COVERAGE, "coverage")):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise UserError(f"{name}.parquet : colonne(s) {missing} manquante(s) ; relancez "
                            f"l'étape qui le produit (make report).")
    responses = load_responses(cfg)
    auto_path = cfg.tags_auto_path
    return ExportInputs(
        passages=passages, tags=tags, coverage=coverage, responses=responses,
        decisions=load_decisions(cfg), codebook=load_codebook(cfg.codebook_path),
        auto_tags=pd.read_parquet(auto_path) if auto_path.is_file() else None,
    )


# Frames behind each sheet ---------------------------------------------------------------
def _list_rank(cfg: Config) -> dict[str, int]:
    return {li.id: i for i, li in enumerate(cfg.lists)}


def list_ids(cfg: Config, coverage: pd.DataFrame) -> list[str]:
    """Lists of the config in order, then any other list found in the coverage table."""
    ids = [li.id for li in cfg.lists]
    return ids + sorted(set(coverage["list_id"].dropna().astype(str)) - set(ids))


def _passage_view(passages: pd.DataFrame, cfg: Config) -> pd.DataFrame:
    """Passages with display columns, sorted by list (config order), source, document."""
    df = passages.copy()
    df["passage_id"] = df["passage_id"].astype(str)
    df["list_name"] = df["list_id"].map(cfg.list_name)
    df["document"] = df["path"]
    df["_rank"] = df["list_id"].map(_list_rank(cfg)).fillna(len(cfg.lists))
    df["_start"] = pd.to_numeric(df["char_start"], errors="coerce")
    df["_page"] = pd.to_numeric(df["page"], errors="coerce")
    return df.sort_values(["_rank", "source", "path", "_page", "_start"], kind="stable")


def _who(d: dict) -> str:
    name = str(d.get("reviewer") or "").strip() or "anonyme"
    return f"{name}, {str(d.get('imported_at', ''))[:10]}"


def review_notes(
    decisions: pd.DataFrame, passages: pd.DataFrame, codebook: Codebook
) -> tuple[dict[tuple[str, str], str], dict[str, list[str]]]:
    """Notes on tags touched by an imported decision, and on passages (for rejections)."""
    label = {t.id: t.label for t in codebook.themes}
    per_tag: dict[tuple[str, str], str] = {}
    per_passage: dict[str, list[str]] = {}
    for d in effective_decisions(decisions, passages).to_dict("records"):
        pid, tid, kind = str(d["passage_id"]), d["theme_id"], d["decision"]
        target = d["new_theme_id"] or tid
        if kind == "rejeter":
            per_passage.setdefault(pid, []).append(
                f"« {label.get(tid, tid)} » rejeté ({_who(d)})")
        elif kind == "valider":
            per_tag[(pid, target)] = f"Validé ({_who(d)})"
        elif kind == "ajouter":
            per_tag[(pid, target)] = f"Ajouté ({_who(d)})"
        elif target != tid:
            per_tag[(pid, target)] = f"Corrigé depuis « {label.get(tid, tid)} » ({_who(d)})"
            per_passage.setdefault(pid, []).append(
                f"« {label.get(tid, tid)} » corrigé en « {label.get(target, target)} »")
        else:
            per_tag[(pid, target)] = f"Position corrigée ({_who(d)})"
    return per_tag, per_passage


def passages_sheet_frame(inputs: ExportInputs, cfg: Config) -> pd.DataFrame:
    """One row per passage x theme, in reading order, with display columns."""
    cb = inputs.codebook
    view = _passage_view(inputs.passages, cfg)
    tags = inputs.tags.copy()
    tags["passage_id"] = tags["passage_id"].astype(str)
    theme_rank = {t: i for i, t in enumerate(cb.theme_ids)}
    tags["_theme_rank"] = tags["theme_id"].map(theme_rank).fillna(len(theme_rank))
    df = view.merge(tags, on="passage_id", how="inner", sort=False)
    df = df.sort_values(["_rank", "source", "path", "_page", "_start", "_theme_rank"],
                        kind="stable")
    known = set(cb.theme_ids)
    df["theme_label"] = [cb.label_of(t) if t in known else t for t in df["theme_id"]]
    df["axis_label"] = [cb.axes[cb.axis_of(t)] if t in known else "" for t in df["theme_id"]]
    df["strength"] = df["strength"].map(lambda s: STRENGTH_LABELS.get(s, s))
    df["origin"] = df["origin"].map(lambda s: ORIGIN_LABELS.get(s, s))
    notes, _ = review_notes(inputs.decisions, inputs.passages, cb)
    df["previous"] = [notes.get((p, t), "") for p, t in zip(df["passage_id"], df["theme_id"],
                                                            strict=True)]
    return df.reset_index(drop=True)


def untagged_sheet_frame(inputs: ExportInputs, cfg: Config) -> pd.DataFrame:
    """Passages with no tag at all (a reviewer can add a theme)."""
    view = _passage_view(inputs.passages, cfg)
    tagged = set(inputs.tags["passage_id"].astype(str))
    df = view[~view["passage_id"].isin(tagged)].copy()
    _, notes = review_notes(inputs.decisions, inputs.passages, inputs.codebook)
    df["previous"] = ["\n".join(notes.get(p, [])) for p in df["passage_id"]]
    return df.reset_index(drop=True)


def questionnaire_sheet_frame(inputs: ExportInputs, cfg: Config) -> pd.DataFrame:
    """Answers per list and question with their themes; lists without answers included."""
    cb = inputs.codebook
    questions = {q.id: q.text for q in cfg.questions}
    questions.setdefault("engagements", "Grille d'engagements thème par thème")
    q_rank = {q: i for i, q in enumerate(questions)}
    view = _passage_view(inputs.passages, cfg)
    view = view[view["source"] == "questionnaire"]
    tags = inputs.tags.assign(passage_id=inputs.tags["passage_id"].astype(str))
    themes_of = tags.groupby("passage_id")["theme_id"].agg(set).to_dict()
    rows = []
    for (list_id, qid), group in view.groupby(["list_id", "question_id"], sort=False,
                                              dropna=False):
        found = set().union(*[themes_of.get(p, set()) for p in group["passage_id"]])
        qid = "" if pd.isna(qid) else str(qid)
        rows.append({
            "list_id": list_id, "list_name": cfg.list_name(list_id), "question_id": qid,
            "question": questions.get(qid, qid), "text": "\n\n".join(group["text"].astype(str)),
            "themes": ", ".join(cb.label_of(t) for t in cb.theme_ids if t in found),
            "passage_ids": ", ".join(group["passage_id"]),
            "document": ", ".join(dict.fromkeys(group["path"].astype(str))),
        })
    answered = set(view["list_id"])
    declared = set()
    if inputs.responses is not None:
        said = inputs.responses[inputs.responses["answered"].astype(bool)]
        declared = set(said["list_id"].astype(str)) - answered
    for li in cfg.lists:
        if li.id not in answered:
            text = ("— Réponse reçue, sans texte exploitable —" if li.id in declared
                    else NO_ANSWER)
            rows.append({"list_id": li.id, "list_name": li.name, "question_id": "",
                         "question": "", "text": text, "themes": "", "passage_ids": "",
                         "document": ""})
    df = pd.DataFrame(rows, columns=["list_id", "list_name", "question_id", "question", "text",
                                     "themes", "passage_ids", "document"])
    rank = _list_rank(cfg)
    df["_r"] = df["list_id"].map(rank).fillna(len(rank))
    df["_q"] = df["question_id"].map(q_rank).fillna(len(q_rank))
    return df.sort_values(["_r", "_q"], kind="stable").reset_index(drop=True)


def synthesis_scores(
    coverage: pd.DataFrame, cfg: Config, codebook: Codebook, sources: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(scores, restrictive): theme x list frames; score = max over `sources`."""
    cov = coverage[coverage["source"].isin(sources)]
    lists = list_ids(cfg, coverage)
    cov = cov.assign(score=pd.to_numeric(cov["score"], errors="coerce").fillna(0))
    cov = cov.assign(restrictive=(cov["stance"] == "restrictif") & (cov["score"] > 0))
    scores = cov.pivot_table(index="theme_id", columns="list_id", values="score", aggfunc="max")
    restrictive = cov.pivot_table(index="theme_id", columns="list_id", values="restrictive",
                                  aggfunc="max")
    scores = scores.reindex(index=codebook.theme_ids, columns=lists).fillna(0).astype(int)
    restrictive = restrictive.reindex(index=codebook.theme_ids, columns=lists)
    return scores, restrictive.fillna(False).astype(bool)


# Sheets ---------------------------------------------------------------------------------
def _notice(cfg: Config) -> str:
    return cfg.demo_notice


def _subtitle(cfg: Config, extra: str = "") -> str:
    text = f"{cfg.election.get('name', cfg.commune)} — données du {cfg.data_date_fr}"
    return f"{text}. {extra}" if extra else text


def _links(df: pd.DataFrame, cfg: Config) -> dict[int, str]:
    folder = cfg.workbook_path.parent
    return {i: document_link(cfg.raw, folder, p, pg)
            for i, (p, pg) in enumerate(zip(df["path"], df["page"], strict=True))
            if isinstance(p, str) and p}


def _review_dropdowns(ws, columns, first: int, last: int, refs: dict[str, str],
                      decision: bool) -> None:
    end = last + SPARE_ROWS
    if decision:
        letter = column_letter(columns, "decision")
        add_choice_list(ws, f"{letter}{first}:{letter}{end}", inline_choices(DECISION_CHOICES),
                        prompt="Valider, Rejeter ou Corriger",
                        error=f"Choisissez : {', '.join(DECISION_CHOICES)}.")
    letter = column_letter(columns, "new_theme")
    add_choice_list(ws, f"{letter}{first}:{letter}{end}", refs["themes"],
                    prompt="Un thème du codebook (feuille Thèmes)",
                    error="Choisissez un thème de la liste (feuille Thèmes).")
    letter = column_letter(columns, "new_stance")
    add_choice_list(ws, f"{letter}{first}:{letter}{end}", inline_choices(STANCES),
                    prompt="favorable, restrictif ou neutre",
                    error=f"Choisissez : {', '.join(STANCES)}.")


def _table_sheet(wb: Workbook, cfg: Config, name: str, title: str, df: pd.DataFrame,
                 columns: list[Column], extra: str = "", links: bool = True) -> tuple:
    ws = wb.create_sheet(name)
    header = write_title(ws, title, _subtitle(cfg, extra), _notice(cfg))
    last = write_table(ws, df, columns, header, links=_links(df, cfg) if links else None)
    print_setup(ws, header, _notice(cfg))
    return ws, header, last


def add_synthesis_sheet(wb: Workbook, cfg: Config, inputs: ExportInputs) -> None:
    ws = wb.create_sheet("Synthèse")
    extra = ("Score 0 absent, 1 mention, 2 intention générale, 3 engagement concret ; "
             "▼ = position restrictive.")
    row = write_title(ws, "Synthèse : engagement de chaque liste, thème par thème",
                      _subtitle(cfg, extra), _notice(cfg)) + 1
    blocks = [("Programmes et questionnaire (score le plus élevé des deux sources)", SOURCES)]
    present = set(inputs.coverage["source"])
    blocks += [(f"Source : {SOURCE_LABELS[s]} seulement", (s,)) for s in SOURCES if s in present]
    first_header = None
    ranges: list[str] = []
    for title, sources in blocks:
        scores, restrictive = synthesis_scores(inputs.coverage, cfg, inputs.codebook, sources)
        write_text(ws.cell(row=row, column=1), title).font = Font(bold=True, size=12,
                                                                  color="1F4E79")
        row += 1
        first_header = first_header or row
        row = _score_block(ws, row, cfg, inputs.codebook, scores, restrictive, ranges) + 1
    legend = [("text", "Lecture : une case donne la force la plus élevée trouvée pour ce "
               "thème dans les passages de la liste (les textes sont dans la feuille "
               "Passages). ▼ en rouge : la position dominante sur ce thème est restrictive "
               "(dans le programme ou le questionnaire)."),
              ("text", "Sous-totaux : nombre de thèmes abordés (score ≥ 1) par axe.")]
    lists = list_ids(cfg, inputs.coverage)
    write_paragraphs(ws, row, legend, span=3 + len(lists), chars_per_line=150)
    rule = ColorScaleRule(start_type="num", start_value=0, start_color=SCORE_COLOURS[0],
                          mid_type="num", mid_value=1.5, mid_color=SCORE_COLOURS[1],
                          end_type="num", end_value=3, end_color=SCORE_COLOURS[2])
    ws.conditional_formatting.add(" ".join(ranges), rule)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 38
    ws.column_dimensions["C"].width = 22
    for j in range(len(lists)):
        ws.column_dimensions[_col(4 + j)].width = 16
    ws.freeze_panes = ws.cell(row=(first_header or 4) + 1, column=4)
    print_setup(ws, first_header, _notice(cfg))


def _score_block(ws, row: int, cfg: Config, cb: Codebook, scores: pd.DataFrame,
                 restrictive: pd.DataFrame, ranges: list[str]) -> int:
    """Write one lists x themes block with axis subtotals; returns the next free row."""
    lists = list(scores.columns)
    headers = ["Axe", "Thème", "theme_id"] + [cfg.list_name(lid) for lid in lists]
    for j, text in enumerate(headers, start=1):
        cell = write_text(ws.cell(row=row, column=j), text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, TOP_WRAP
    ws.row_dimensions[row].height = 32
    row += 1
    totals = dict.fromkeys(lists, 0)
    n_restrictive = dict.fromkeys(lists, 0)
    for axis, axis_label in cb.axes.items():
        themes = [t for t in cb.themes if t.axis == axis]
        start = row
        for t in themes:
            write_text(ws.cell(row=row, column=1), axis_label)
            write_text(ws.cell(row=row, column=2), t.label)
            write_text(ws.cell(row=row, column=3), t.id)
            for j, lid in enumerate(lists, start=4):
                cell = ws.cell(row=row, column=j, value=int(scores.loc[t.id, lid]))
                cell.alignment = CENTER
                if restrictive.loc[t.id, lid]:
                    cell.number_format = RESTRICTIVE_FORMAT
                    cell.font = Font(bold=True, color="C00000")
                    n_restrictive[lid] += 1
            row += 1
        ranges.append(f"D{start}:{_col(3 + len(lists))}{row - 1}")
        write_text(ws.cell(row=row, column=1), axis_label).font = BOLD
        write_text(ws.cell(row=row, column=2),
                   f"Sous-total : thèmes abordés (sur {len(themes)})").font = BOLD
        for j, lid in enumerate(lists, start=4):
            n = int((scores.loc[[t.id for t in themes], lid] > 0).sum())
            totals[lid] += n
            cell = ws.cell(row=row, column=j, value=n)
            cell.font, cell.alignment = BOLD, CENTER
        row += 1
    for text, values in ((f"Total : thèmes abordés (sur {len(cb.themes)})", totals),
                         ("dont avec une position restrictive (▼)", n_restrictive)):
        write_text(ws.cell(row=row, column=2), text).font = BOLD
        for j, lid in enumerate(lists, start=4):
            cell = ws.cell(row=row, column=j, value=values[lid])
            cell.font, cell.alignment = BOLD, CENTER
        row += 1
    return row


def add_accord_sheet(wb: Workbook, cfg: Config, inputs: ExportInputs) -> bool:
    """Agreement metrics, conflicts and orphans; False (no sheet) without decisions."""
    if not len(inputs.decisions):
        return False
    conflicts = find_conflicts(inputs.decisions)
    metrics = compute_agreement(inputs.decisions, inputs.auto_tags, inputs.codebook, conflicts)
    orphans = find_orphans(inputs.decisions, inputs.passages)
    s = metrics["summary"]
    precision = (f"{s['precision']:.0%}".replace("%", " %") if s["precision"] is not None
                 else "non calculable")
    ws = wb.create_sheet("Accord")
    row = write_title(ws, "Accord : ce que les relecteurs pensent de l'étiqueteur",
                      _subtitle(cfg), _notice(cfg))
    row = write_paragraphs(ws, row, [
        ("text", f"{s['n_decisions']} décisions de {s['n_reviewers']} relecteur(s). "
                 f"Précision de l'étiqueteur vue par les relecteurs : {precision} "
                 f"({s['n_machine_tags_reviewed']} étiquettes automatiques relues)."),
        ("text", f"Désaccords entre relecteurs : {len(conflicts)} (la décision la plus "
                 f"récente s'applique en attendant). Décisions orphelines (passage disparu, "
                 f"décision gardée) : {len(orphans)}."),
    ], span=7) + 1
    blocks = [("Par thème", metrics["themes"], ACCORD_THEME_COLUMNS),
              ("Entre relecteurs (kappa de Cohen)", metrics["pairs"], ACCORD_PAIR_COLUMNS),
              ("Désaccords", conflicts, ACCORD_CONFLICT_COLUMNS)]
    if len(orphans):
        blocks.append(("Décisions orphelines", orphans.rename(columns={"file_name": "document"}),
                       _ORPHAN_COLUMNS))
    for title, df, columns in blocks:
        write_text(ws.cell(row=row, column=1), title).font = Font(bold=True, size=12,
                                                                  color="1F4E79")
        last = write_table(ws, df, columns, row + 1, filter_rows=False)
        row = max(last, row + 2) + 2
    for j in range(1, 8):
        ws.column_dimensions[_col(j)].width = max(ws.column_dimensions[_col(j)].width or 0, 18)
    print_setup(ws, None, _notice(cfg))
    return True


def add_readme_sheet(wb: Workbook, cfg: Config, inputs: ExportInputs, counts: dict,
                     sheets: list[tuple[str, list[Column] | str]]) -> None:
    ws = wb.create_sheet("Lisez-moi", 0)
    cb = inputs.codebook
    items: list[tuple[str, str]] = []
    if cfg.demo:
        items.append(("demo", f"{cfg.demo_notice.upper()} : listes, têtes de liste et textes "
                              f"inventés pour essayer l'outil. Ne pas citer, ne pas diffuser "
                              f"comme un résultat."))
    items += [
        ("h1", f"Baromètre solidarité — {cfg.election.get('name', cfg.commune)}"),
        ("text", f"Ce classeur rassemble ce que l'étiqueteur automatique a trouvé dans les "
                 f"programmes des listes candidates et leurs réponses au questionnaire, "
                 f"thème par thème ({len(cb.themes)} thèmes en {len(cb.axes)} axes, tirés de "
                 f"la lettre du collectif), pour que les associations le vérifient et le "
                 f"corrigent."),
        ("text", f"Collectif : {cfg.collective.get('name') or '—'}. Commune : {cfg.commune}."),
        ("text", f"Date des données (collecte des documents) : {cfg.data_date_fr}. "
                 f"Classeur produit le {format_date_fr(dt.date.today())} : "
                 f"{counts['passages']} passages, {counts['tags']} étiquettes "
                 f"({counts['reviewed']} déjà relues), {counts['untagged']} passages sans "
                 f"thème."),
        ("blank", ""),
        ("h2", "Comment relire, étape par étape"),
        ("text", "1. Enregistrez une copie à votre nom (ex. barometre_relu_Camille.xlsx). Ne "
                 "renommez pas les feuilles ; ne modifiez pas les colonnes passage_id et "
                 "theme_id."),
        ("text", "2. Feuille « Passages » : une ligne par passage et par thème trouvé. Lisez "
                 "le Texte et le Thème proposé ; cliquez sur Document pour voir la source "
                 "(à la bonne page d'un PDF, si le dossier data/raw est à côté du classeur). "
                 "Les filtres de l'en-tête permettent de relire une liste ou un thème."),
        ("text", "3. Colonne jaune « Décision » : Valider si le thème et la position sont "
                 "justes ; Rejeter si le passage ne parle pas de ce thème ; Corriger si le "
                 "thème ou la position est faux, puis choisissez « Thème corrigé » et/ou "
                 "« Position corrigée » (listes déroulantes)."),
        ("text", "4. Un thème manque ? Feuille « Non étiquetés » : choisissez « Thème "
                 "ajouté » et « Position » sur la ligne du passage (copiez la ligne pour un "
                 "second thème). Pour un passage déjà étiqueté (feuille « Passages »), copiez "
                 "sa ligne sous le tableau, laissez « Décision » vide et choisissez « Thème "
                 "corrigé » et « Position corrigée » : ce thème sera ajouté, l'étiquette "
                 "d'origine reste telle quelle."),
        ("text", "5. Écrivez votre nom dans « Relecteur » et, si utile, un « Commentaire ». "
                 "Les lignes laissées vides ne comptent pas : relisez ce que vous pouvez."),
        ("text", "6. Renvoyez le fichier à l'analyste, qui lance : python -m analysis "
                 "review-import VOTRE_FICHIER.xlsx. Vos décisions sont conservées "
                 "(data/reviews/decisions.csv) et s'appliquent à toutes les analyses "
                 "suivantes, même avec de nouveaux documents. Les lignes mal remplies sont "
                 "signalées une à une ; les désaccords entre relecteurs sont listés, pas "
                 "tranchés en silence (la décision la plus récente s'applique en attendant)."),
        ("blank", ""),
        ("h2", "Positions et forces"),
        ("text", "Position : favorable = le texte étend ou renforce la solidarité sur ce "
                 "thème ; restrictif = il la restreint (supprimer, fermer, conditionner, "
                 "expulser…) ; neutre = le thème est évoqué sans position."),
        ("text", "Force : concret = mesure chiffrée, budget, date, lieu ou dispositif "
                 "nommé (score 3) ; général = intention sans mesure (score 2) ; mention = le "
                 "thème est seulement évoqué (score 1) ; absent = score 0."),
        ("blank", ""),
        ("h2", "Dictionnaire des données"),
    ]
    row = write_paragraphs(ws, 1, items, span=3)
    dictionary = []
    for sheet, spec in sheets:
        if isinstance(spec, str):
            dictionary.append({"sheet": sheet, "column": "", "meaning": spec})
        else:
            dictionary += [{"sheet": sheet, "column": c.header, "meaning": c.description}
                           for c in spec]
    columns = [Column("Feuille", "sheet", "", width=18), Column("Colonne", "column", "",
                                                                 width=24),
               Column("Signification", "meaning", "", width=100, wrap=True)]
    write_table(ws, pd.DataFrame(dictionary), columns, row, filter_rows=False)
    print_setup(ws, None, _notice(cfg))


def build_workbook(cfg: Config, inputs: ExportInputs) -> tuple[Workbook, dict]:
    """The whole workbook in memory, and counts for the summary line."""
    cb = inputs.codebook
    resolver = ThemeResolver(cb)
    wb = Workbook()
    wb.remove(wb.active)
    add_synthesis_sheet(wb, cfg, inputs)

    passages = passages_sheet_frame(inputs, cfg)
    ws, header, last = _table_sheet(
        wb, cfg, SHEET_PASSAGES, "Passages étiquetés : à valider, rejeter ou corriger",
        passages, PASSAGE_COLUMNS, "Remplissez les colonnes jaunes (voir Lisez-moi).")
    refs = add_lists_sheet(wb, LISTS_SHEET, {"themes": resolver.choices,
                                             "decisions": list(DECISION_CHOICES),
                                             "stances": list(STANCES)})
    _review_dropdowns(ws, PASSAGE_COLUMNS, header + 1, last, refs, decision=True)

    untagged = untagged_sheet_frame(inputs, cfg)
    ws, header, last = _table_sheet(
        wb, cfg, SHEET_UNTAGGED, "Passages sans thème : ajoutez un thème s'il en manque un",
        untagged, UNTAGGED_COLUMNS, "Remplissez les colonnes jaunes (voir Lisez-moi).")
    _review_dropdowns(ws, UNTAGGED_COLUMNS, header + 1, last, refs, decision=False)

    questionnaire = questionnaire_sheet_frame(inputs, cfg)
    _table_sheet(wb, cfg, "Questionnaire", "Réponses au questionnaire, liste par liste",
                 questionnaire, QUESTIONNAIRE_COLUMNS, links=False)
    themes = cb.themes_frame()
    _table_sheet(wb, cfg, "Thèmes", f"Les thèmes du codebook « {cb.name} » "
                 f"(version {cb.version})", themes, THEME_COLUMNS, links=False)
    has_accord = add_accord_sheet(wb, cfg, inputs)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))

    counts = {
        "passages": len(inputs.passages), "tags": len(passages),
        "reviewed": int((inputs.tags["origin"] == "review").sum()),
        "untagged": len(untagged), "lists_without_answer": int((questionnaire["text"]
                                                               == NO_ANSWER).sum()),
    }
    sheets: list[tuple[str, list[Column] | str]] = [
        ("Synthèse", "Listes en colonnes, thèmes en lignes : score 0 à 3 (couleur plus foncée "
                     "= engagement plus concret), ▼ = position restrictive, sous-totaux = "
                     "thèmes abordés par axe. Premier tableau : maximum des deux sources ; "
                     "puis un tableau par source."),
        (SHEET_PASSAGES, PASSAGE_COLUMNS), (SHEET_UNTAGGED, UNTAGGED_COLUMNS),
        ("Questionnaire", QUESTIONNAIRE_COLUMNS), ("Thèmes", THEME_COLUMNS),
    ]
    if has_accord:
        sheets += [("Accord", ACCORD_THEME_COLUMNS + ACCORD_PAIR_COLUMNS
                    + ACCORD_CONFLICT_COLUMNS)]
    sheets.append((LISTS_SHEET, "Feuille masquée : valeurs des listes déroulantes."))
    add_readme_sheet(wb, cfg, inputs, counts, sheets)
    select_sheet(wb, 0)
    wb.properties.title = f"Baromètre solidarité — {cfg.commune}"
    wb.properties.creator = cfg.collective.get("name") or "barometre-solidarite"
    wb.properties.keywords = "barometre-solidarite; relecture" + (
        "; DEMO donnees fictives" if cfg.demo else "")
    return wb, counts


# Saving without losing a volunteer's edits ---------------------------------------------
def pending_decisions(cfg: Config, path: Path, codebook: Codebook) -> int:
    """Filled review rows of a workbook that are not yet in decisions.csv."""
    reading = read_reviewed_workbook(path, codebook)
    if reading.fatal or not reading.rows:
        return 0
    fresh, _ = new_decisions(load_decisions(cfg),
                                decisions_frame(reading, imported_at=""))
    return len(fresh)


def save_workbook(wb: Workbook, cfg: Config, codebook: Codebook) -> tuple[Path, Path | None]:
    """Write the workbook (archiving an edited one first) and record its sha256."""
    target = cfg.workbook_path
    target.parent.mkdir(parents=True, exist_ok=True)
    archived = archive_if_edited(cfg.manifest_path, target)
    if archived:
        pending = pending_decisions(cfg, archived, codebook)
        hint = (f" Il contient {pending} décision(s) pas encore importée(s) : "
                f"python -m analysis review-import \"{archived}\"" if pending else "")
        print(f"Le classeur {target.name} avait été modifié depuis le dernier export : il est "
              f"conservé dans {archived}.{hint}")
    save_atomic(target, wb.save, busy=f"{target} est ouvert dans un tableur : fermez-le puis "
                                      f"relancez l'export.")
    record_written(cfg.manifest_path, target)
    return target, archived


def run_export(cfg: Config) -> Path:
    """Write the review workbook (cfg.workbook_path); returns its path."""
    inputs = load_inputs(cfg)
    wb, counts = build_workbook(cfg, inputs)
    path, archived = save_workbook(wb, cfg, inputs.codebook)
    note = f" (ancien classeur archivé : {archived.name})" if archived else ""
    summary("export", f"{path} : {counts['tags']} étiquettes à relire, {counts['untagged']} "
                      f"passages sans thème, {counts['lists_without_answer']} liste(s) sans "
                      f"réponse au questionnaire{note}")
    return path


run = run_export
