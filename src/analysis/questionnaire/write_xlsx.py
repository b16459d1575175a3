"""The questionnaire as an xlsx workbook (Lisez-moi, Réponses, Engagements, hidden _meta)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from analysis.codebook import Codebook
from analysis.common.safe_text import write_text
from analysis.common.xlsx import (
    BOLD,
    REVIEW_FILL,
    SPARE_ROWS,
    Column,
    add_choice_list,
    add_lists_sheet,
    inline_choices,
    print_setup,
    select_sheet,
    write_paragraphs,
    write_table,
)
from analysis.config import Config
from analysis.contracts import (
    ANSWER_HEADER,
    ANSWERS_HEADER_ROW,
    ANSWERS_SHEET,
    ENGAGEMENT_CHOICES,
    ENGAGEMENTS_SHEET,
    FORM_FORMAT,
    FORM_VERSION,
    LIST_NAME_LABEL,
    META_SHEET,
)
from analysis.questionnaire.wording import intro_paragraphs, short_scope

ENGAGEMENT_COLUMNS = [
    Column("theme_id", "theme_id", "Identifiant du thème (ne pas modifier).", width=22),
    Column("Axe", "axis_label", "Axe de la lettre du collectif.", width=28, wrap=True),
    Column("Thème", "label", "Thème.", width=34, wrap=True),
    Column("Engagement", "engagement", "Oui / En partie / Non.", width=14, review=True),
    Column("Commentaire", "comment", "Précisions, moyens, calendrier (facultatif).", width=60,
           wrap=True, review=True),
    Column("Repères", "hints", "Exemples de ce que couvre le thème.", width=50, wrap=True),
]


def _engagement_frame(codebook: Codebook) -> pd.DataFrame:
    return pd.DataFrame([
        {"theme_id": t.id, "axis_label": codebook.axes[t.axis], "label": t.label,
         "engagement": None, "comment": None, "hints": short_scope(t, 6)}
        for t in codebook.themes
    ])


def build_xlsx(cfg: Config, codebook: Codebook) -> Workbook:
    """The questionnaire workbook (Lisez-moi, Réponses, Engagements, hidden _meta)."""
    wb = Workbook()
    wb.remove(wb.active)
    notice = cfg.demo_notice
    ws = wb.create_sheet("Lisez-moi")
    items: list[tuple[str, str]] = []
    if cfg.demo:
        items.append(("demo", f"{notice.upper()} : questionnaire d'essai, listes fictives."))
    items += [("h1", f"Questionnaire aux listes candidates — "
                     f"{cfg.election.get('name', cfg.commune)}")]
    items += [("text", p) for p in intro_paragraphs(cfg)]
    items += [
        ("blank", ""), ("h2", "Comment remplir ce fichier"),
        ("text", f"1. Feuille « {ANSWERS_SHEET} » : choisissez le nom de votre liste en B1 "
                 f"(liste déroulante) et indiquez la date en B2."),
        ("text", f"2. Répondez à chaque question dans la colonne « {ANSWER_HEADER} » (jaune), "
                 "aussi longuement que vous le souhaitez (Alt+Entrée pour aller à la ligne)."),
        ("text", f"3. Feuille « {ENGAGEMENTS_SHEET} » : pour chaque thème, choisissez Oui, En "
                 "partie ou Non, et précisez si vous le souhaitez (moyens, calendrier)."),
        ("text", "4. Ne modifiez pas les colonnes question_id et theme_id, ne renommez pas les "
                 "feuilles : le fichier est lu automatiquement."),
        ("text", "5. Enregistrez au format Excel (.xlsx) et renvoyez le fichier au collectif."),
    ]
    write_paragraphs(ws, 1, items, chars_per_line=95)
    ws.column_dimensions["A"].width = 100
    print_setup(ws, None, notice)

    names = add_lists_sheet(wb, "_listes", {"lists": [li.name for li in cfg.lists]})
    ws = wb.create_sheet(ANSWERS_SHEET, 1)
    write_text(ws["A1"], LIST_NAME_LABEL).font = BOLD
    write_text(ws["A2"], "Date de la réponse").font = BOLD
    for ref in ("B1", "B2"):
        ws[ref].fill = REVIEW_FILL
    ws["B2"].number_format = "DD/MM/YYYY"
    add_choice_list(ws, "B1", names["lists"], prompt="Choisissez le nom de votre liste",
                    error="Choisissez le nom de votre liste dans la liste.", strict=False)
    hint = "Répondez dans la colonne C, une ligne par question."
    if notice:
        hint = f"{notice.upper()} — {hint}"
    write_text(ws["A3"], hint).font = Font(italic=True, color="C00000" if notice else "595959")
    frame = pd.DataFrame([{"question_id": q.id, "question": q.text, "answer": None}
                          for q in cfg.questions])
    columns = [Column("question_id", "question_id", "", width=20),
               Column("Question", "question", "", width=60, wrap=True),
               Column(ANSWER_HEADER, "answer", "", width=100, wrap=True, review=True)]
    last = write_table(ws, frame, columns, ANSWERS_HEADER_ROW, filter_rows=False)
    ws.freeze_panes = f"A{ANSWERS_HEADER_ROW + 1}"
    for r in range(ANSWERS_HEADER_ROW + 1, last + 1):
        ws.row_dimensions[r].height = 150
        ws.cell(row=r, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    print_setup(ws, ANSWERS_HEADER_ROW, notice)

    ws = wb.create_sheet(ENGAGEMENTS_SHEET, 2)
    last = write_table(ws, _engagement_frame(codebook), ENGAGEMENT_COLUMNS, 1)
    add_choice_list(ws, f"D2:D{last + SPARE_ROWS // 10}", inline_choices(ENGAGEMENT_CHOICES),
                    prompt="Oui, En partie ou Non",
                    error=f"Choisissez : {', '.join(ENGAGEMENT_CHOICES)}.")
    print_setup(ws, 1, notice)

    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate([
        ("format", FORM_FORMAT), ("version", FORM_VERSION), ("codebook", codebook.name),
        ("codebook_version", codebook.version), ("commune", cfg.commune),
        ("election", str(cfg.election.get("name", ""))),
        ("collective", cfg.collective.get("name", "")),
        ("generated_at", dt.date.today().isoformat()), ("demo", "oui" if cfg.demo else "non"),
    ], start=1):
        write_text(meta.cell(row=i, column=1), key)
        write_text(meta.cell(row=i, column=2), value)
    meta.sheet_state = "hidden"
    select_sheet(wb, 0)
    wb.properties.title = f"Questionnaire — {cfg.commune}"
    wb.properties.category = FORM_FORMAT
    wb.properties.creator = cfg.collective.get("name") or "barometre-solidarite"
    return wb
