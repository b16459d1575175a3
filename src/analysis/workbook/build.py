"""The whole review workbook in memory."""

from __future__ import annotations

from openpyxl import Workbook

from analysis.common.xlsx import (
    Column,
    add_lists_sheet,
    select_sheet,
)
from analysis.config import Config
from analysis.contracts import (
    DECISION_CHOICES,
    SHEET_PASSAGES,
    SHEET_UNTAGGED,
    STANCES,
)
from analysis.review.sheet import ThemeResolver
from analysis.workbook.columns import (
    ACCORD_CONFLICT_COLUMNS,
    ACCORD_PAIR_COLUMNS,
    ACCORD_THEME_COLUMNS,
    LISTS_SHEET,
    NO_ANSWER,
    PASSAGE_COLUMNS,
    QUESTIONNAIRE_COLUMNS,
    THEME_COLUMNS,
    UNTAGGED_COLUMNS,
)
from analysis.workbook.frames import (
    passages_sheet_frame,
    questionnaire_sheet_frame,
    untagged_sheet_frame,
)
from analysis.workbook.groups import ReviewGroup
from analysis.workbook.inputs import WorkbookInputs
from analysis.workbook.manifest import add_export_manifest
from analysis.workbook.readme import add_readme_sheet
from analysis.workbook.sheets import (
    LinkFn,
    add_accord_sheet,
    add_synthesis_sheet,
    local_links,
    review_dropdowns,
    table_sheet,
)


def build_workbook(cfg: Config, inputs: WorkbookInputs, *, group: ReviewGroup | None = None,
                   link: LinkFn | None = None) -> tuple[Workbook, dict]:
    """The whole workbook in memory, and counts for the summary line.

    `group`: only its themes and lists on the review sheets (one association's workbook);
    `link`: how a row links to its document (default: relative path to cfg.raw).
    """
    cb = inputs.codebook
    resolver = ThemeResolver(cb)
    link = link or local_links(cfg, cfg.workbook_path.parent)
    wb = Workbook()
    wb.remove(wb.active)
    add_synthesis_sheet(wb, cfg, inputs)
    to_fill = "Remplissez les colonnes jaunes (voir Lisez-moi)."
    if group:
        to_fill = f"Classeur de « {group.title} » : {group.scope(cb)}. {to_fill}"

    passages = passages_sheet_frame(inputs, cfg)
    if group:
        passages = group.filter(passages).reset_index(drop=True)
    ws, header, last = table_sheet(
        wb, cfg, SHEET_PASSAGES, "Passages étiquetés : à valider, rejeter ou corriger",
        passages, PASSAGE_COLUMNS, to_fill, link=link, freeze_after="theme_label",
        print_until="page")
    refs = add_lists_sheet(wb, LISTS_SHEET, {"themes": resolver.choices,
                                             "decisions": list(DECISION_CHOICES),
                                             "stances": list(STANCES)})
    review_dropdowns(ws, PASSAGE_COLUMNS, header + 1, last, refs, decision=True)

    untagged = untagged_sheet_frame(inputs, cfg)
    if group:
        untagged = group.filter(untagged, themes=False).reset_index(drop=True)
    ws, header, last = table_sheet(
        wb, cfg, SHEET_UNTAGGED, "Passages sans thème : ajoutez un thème s'il en manque un",
        untagged, UNTAGGED_COLUMNS, to_fill, link=link, freeze_after="text",
        print_until="page")
    review_dropdowns(ws, UNTAGGED_COLUMNS, header + 1, last, refs, decision=False)

    questionnaire = questionnaire_sheet_frame(inputs, cfg)
    table_sheet(wb, cfg, "Questionnaire", "Réponses au questionnaire, liste par liste",
                 questionnaire, QUESTIONNAIRE_COLUMNS)
    themes = cb.themes_frame()
    table_sheet(wb, cfg, "Thèmes", f"La grille des thèmes (fichier {cb.path.name}, "
                 f"version {cb.version})", themes, THEME_COLUMNS)
    has_accord = add_accord_sheet(wb, cfg, inputs)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    add_export_manifest(wb, inputs, passages, untagged)

    live = passages[~passages["rejected"]] if len(passages) else passages
    reviewed = int((live["previous"] != "").sum()) if len(live) else 0
    counts = {
        "passages": len(inputs.passages), "tags": len(live), "reviewed": reviewed,
        "to_review": len(live) - reviewed,
        "rejected": int(passages["rejected"].sum()) if len(passages) else 0,
        "untagged": len(untagged), "lists_without_answer": int((questionnaire["text"]
                                                               == NO_ANSWER).sum()),
        "rows": passages,
    }
    sheets: list[tuple[str, list[Column] | str]] = [
        ("Synthèse", "Listes en colonnes, thèmes en lignes : le niveau de la liste sur le "
                     "thème, dans le vocabulaire et les couleurs des graphiques (engagement "
                     "concret, engagement général, mention, position restrictive, position "
                     "mixte, non abordé) ; sous-totaux = thèmes abordés par axe (une position "
                     "restrictive est un thème abordé), totaux par niveau, part des "
                     "étiquettes relues par liste. Premier tableau : programme et "
                     "questionnaire réunis ; puis un tableau par source (« pas de réponse » : "
                     "la liste n'a pas envoyé ce document)."),
        (SHEET_PASSAGES, PASSAGE_COLUMNS), (SHEET_UNTAGGED, UNTAGGED_COLUMNS),
        ("Questionnaire", QUESTIONNAIRE_COLUMNS), ("Thèmes", THEME_COLUMNS),
    ]
    if has_accord:
        sheets += [("Accord", ACCORD_THEME_COLUMNS + ACCORD_PAIR_COLUMNS
                    + ACCORD_CONFLICT_COLUMNS)]
    sheets.append((LISTS_SHEET, "Feuille masquée : valeurs des listes déroulantes."))
    add_readme_sheet(wb, cfg, inputs, counts, sheets, group=group)
    select_sheet(wb, 0)
    wb.properties.title = f"Baromètre solidarité — {cfg.commune}" + (
        f" — {group.title}" if group else "")
    wb.properties.creator = cfg.collective.get("name") or "barometre-solidarite"
    wb.properties.keywords = "barometre-solidarite; relecture" + (
        "; DEMO donnees fictives" if cfg.demo else "")
    return wb, counts
