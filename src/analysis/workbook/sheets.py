"""The sheets written with openpyxl: tables with review drop-downs, the synthesis grid,
the agreement sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter as _col

from analysis.codebook import Codebook
from analysis.common.safe_text import write_text
from analysis.common.xlsx import (
    BOLD,
    CENTER,
    HEADER_FILL,
    HEADER_FONT,
    SPARE_ROWS,
    TOP_WRAP,
    Column,
    add_choice_list,
    column_letter,
    document_link,
    inline_choices,
    print_setup,
    write_paragraphs,
    write_table,
    write_title,
)
from analysis.config import Config
from analysis.contracts import (
    DECISION_CHOICES,
    SOURCES,
    STANCES,
    STRENGTH_CHOICES,
)
from analysis.coverage.compute import ADDRESSED_LEVELS, LEVEL_LABELS
from analysis.publish.review_status import ReviewStatus, precision_text, wilson
from analysis.publish.template import LEVEL_COLOURS, LEVEL_ORDER, LEVEL_TEXT
from analysis.publish.wording import fmt_int, fr_pct, nbsp, plural
from analysis.review.agreement import compute_agreement
from analysis.review.conflicts import find_conflicts, find_orphans
from analysis.workbook.columns import (
    ACCORD_CONFLICT_COLUMNS,
    ACCORD_PAIR_COLUMNS,
    ACCORD_THEME_COLUMNS,
    BUNDLE_DOCUMENTS,
    ORPHAN_COLUMNS,
    SOURCE_LABELS,
)
from analysis.workbook.frames import list_ids, synthesis_levels
from analysis.workbook.inputs import WorkbookInputs


def notice(cfg: Config) -> str:
    return cfg.demo_notice


def subtitle(cfg: Config, extra: str = "") -> str:
    text = f"{cfg.election.get('name', cfg.commune)} — données du {cfg.data_date_fr}"
    return nbsp(f"{text}. {extra}" if extra else text)


CENTER_WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)

LinkFn = Callable[[str, Any], str]


def local_links(cfg: Config, folder: Path) -> LinkFn:
    """Links from a workbook in `folder` to the documents in cfg.raw (relative paths)."""
    return lambda path, page: document_link(cfg.raw, folder, path, page)


def bundle_links(path: str, page: Any = None) -> str:
    """Links inside a review folder (.zip): documents/<path in raw>, no #page fragment
    (Excel does not open a local file whose link has one; the page is in its column)."""
    return quote((Path(BUNDLE_DOCUMENTS) / str(path)).as_posix(), safe="/.-_~()")


def _links(df: pd.DataFrame, link: LinkFn) -> dict[int, str]:
    return {i: link(p, pg)
            for i, (p, pg) in enumerate(zip(df["path"], df["page"], strict=True))
            if isinstance(p, str) and p}


def review_dropdowns(ws, columns, first: int, last: int, refs: dict[str, str],
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
    if any(c.key == "new_strength" for c in columns):
        letter = column_letter(columns, "new_strength")
        add_choice_list(ws, f"{letter}{first}:{letter}{end}", inline_choices(STRENGTH_CHOICES),
                        prompt="concret, général ou mention",
                        error=f"Choisissez : {', '.join(STRENGTH_CHOICES)}.")


# the review sheets open at 90 %: text, theme and every decision cell fit a 1366 px screen
REVIEW_ZOOM = 90

REJECTED_FONT = Font(italic=True, strike=True, color="808080")
REJECTED_FILL = PatternFill("solid", fgColor="EDEDED")


def table_sheet(wb: Workbook, cfg: Config, name: str, title: str, df: pd.DataFrame,
                 columns: list[Column], extra: str = "", link: LinkFn | None = None,
                 freeze_after: str | None = None, print_until: str | None = None) -> tuple:
    """A table sheet. `freeze_after`: key of the last column kept in view when scrolling
    right; `print_until`: key of the last printed column (the rest is for screens)."""
    ws = wb.create_sheet(name)
    header = write_title(ws, title, subtitle(cfg, extra), notice(cfg))
    last = write_table(ws, df, columns, header, links=_links(df, link) if link else None)
    if freeze_after:
        ws.freeze_panes = ws.cell(row=header + 1,
                                  column=[c.key for c in columns].index(freeze_after) + 2)
        ws.sheet_view.zoomScale = REVIEW_ZOOM
        ws.row_dimensions[header].height = 32   # two-line headers ("Position corrigée")
    if "rejected" in df.columns:
        for i, rejected in enumerate(df["rejected"]):
            if rejected:
                for j, col in enumerate(columns, start=1):
                    cell = ws.cell(row=header + 1 + i, column=j)
                    if col.key in ("text", "theme_label", "stance", "strength"):
                        cell.font = REJECTED_FONT
                    if not col.review:
                        cell.fill = REJECTED_FILL
    print_setup(ws, header, notice(cfg))
    if print_until:
        right = column_letter(columns, print_until)
        ws.print_area = f"A1:{right}{max(last, header + 1)}"
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.page_margins.header = ws.page_margins.footer = 0.3
    return ws, header, last


def review_status(cfg: Config, inputs: WorkbookInputs) -> ReviewStatus:
    """Share of tags reviewed, overall and per list (the charts' and report's helper)."""
    return ReviewStatus.from_tables(inputs.tags, inputs.passages, cfg.review_threshold)


def add_synthesis_sheet(wb: Workbook, cfg: Config, inputs: WorkbookInputs) -> None:
    """Lists x themes in the one vocabulary of `coverage.level` (the charts' words and
    colours), a block per source, counts per level, and how much has been reviewed."""
    ws = wb.create_sheet("Synthèse")
    review = review_status(cfg, inputs)
    extra = nbsp(f"Relecture : {review.phrase()} — {review.detail()}.")
    row = write_title(ws, "Synthèse : niveau de chaque liste, thème par thème",
                      subtitle(cfg, extra), notice(cfg)) + 1
    blocks = [("Programmes et questionnaire réunis", None)]
    present = set(inputs.coverage["source"])
    blocks += [(f"Source : {SOURCE_LABELS[s]} seulement", s) for s in SOURCES if s in present]
    lists = list_ids(cfg, inputs.coverage)
    first_header = None
    for title, source in blocks:
        levels = synthesis_levels(inputs.coverage, cfg, inputs.codebook, source)
        write_text(ws.cell(row=row, column=1), title).font = Font(bold=True, size=12,
                                                                  color="1F4E79")
        row += 1
        first_header = first_header or row
        row = _level_block(ws, row, cfg, inputs.codebook, levels, review,
                           missing_word=MISSING_WORDS.get(source, "")) + 1
    words = ", ".join(LEVEL_LABELS[lv] for lv in LEVEL_ORDER)
    legend = [("text", nbsp(
        f"Lecture : une case donne le niveau de la liste sur ce thème, dans le même "
        f"vocabulaire et les mêmes couleurs que les graphiques et le rapport : {words}. "
        f"« Position restrictive » : la liste ne fait que restreindre (supprimer, fermer, "
        f"conditionner…) ; « position mixte » : elle restreint et s'engage à la fois. Un "
        f"thème où la liste a une position restrictive est abordé : il n'est jamais compté "
        f"comme « non abordé » ni comme un engagement. Les passages sont dans la feuille "
        f"Passages.")),
        ("text", nbsp(f"Relecture : {review.phrase()}. Un résultat n'est dit « relu » qu'à "
                      f"partir de {fr_pct(review.threshold)} d'étiquettes relues (clé "
                      f"review.threshold de la configuration)."))]
    write_paragraphs(ws, row, legend, span=3 + len(lists), chars_per_line=150)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 38
    ws.column_dimensions["C"].width = 22
    for j in range(len(lists)):
        ws.column_dimensions[_col(4 + j)].width = 17
    ws.freeze_panes = ws.cell(row=(first_header or 4) + 1, column=4)
    print_setup(ws, first_header, notice(cfg))


MISSING_WORDS = {"programme": "pas de programme", "questionnaire": "pas de réponse"}
MISSING_FILL = PatternFill("solid", fgColor="BBBBBB")


def _level_cell(ws, row: int, col: int, level: str | None, missing_word: str):
    """One list x theme cell: the level's French words on the level's chart colour."""
    if level is None:
        cell = write_text(ws.cell(row=row, column=col), missing_word)
        cell.fill, cell.font = MISSING_FILL, Font(italic=True, color="444444")
    else:
        cell = write_text(ws.cell(row=row, column=col), LEVEL_LABELS[level])
        cell.fill = PatternFill("solid", fgColor=LEVEL_COLOURS[level].lstrip("#"))
        cell.font = Font(color=LEVEL_TEXT[level].lstrip("#"),
                         bold=level in ("restrictif", "mixte"))
    cell.alignment = CENTER_WRAP
    return cell


def _level_block(ws, row: int, cfg: Config, cb: Codebook, levels: pd.DataFrame,
                 review: ReviewStatus, missing_word: str) -> int:
    """Write one lists x themes block with counts per axis and level; returns the next
    free row. `levels` holds a level per cell, None where the list sent no such document."""
    lists = list(levels.columns)
    headers = ["Axe", "Thème", "theme_id"] + [cfg.list_name(lid) for lid in lists]
    for j, text in enumerate(headers, start=1):
        cell = write_text(ws.cell(row=row, column=j), text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, TOP_WRAP
    ws.row_dimensions[row].height = 32
    row += 1
    for axis, axis_label in cb.axes.items():
        themes = [t for t in cb.themes if t.axis == axis]
        for t in themes:
            write_text(ws.cell(row=row, column=1), axis_label)
            write_text(ws.cell(row=row, column=2), t.label)
            write_text(ws.cell(row=row, column=3), t.id)
            for j, lid in enumerate(lists, start=4):
                _level_cell(ws, row, j, levels.loc[t.id, lid], missing_word)
            row += 1
        write_text(ws.cell(row=row, column=1), axis_label).font = BOLD
        write_text(ws.cell(row=row, column=2),
                   f"Sous-total : thèmes abordés (sur {len(themes)})").font = BOLD
        write_text(ws.cell(row=row, column=3), "tout niveau sauf non abordé")
        for j, lid in enumerate(lists, start=4):
            col = levels.loc[[t.id for t in themes], lid]
            value = (int(col.isin(ADDRESSED_LEVELS).sum()) if col.notna().any()
                     else missing_word)
            cell = ws.cell(row=row, column=j, value=value)
            cell.font, cell.alignment = BOLD, CENTER
        row += 1
    n = len(cb.themes)
    totals = [(f"Total : thèmes abordés (sur {n})", ADDRESSED_LEVELS)]
    totals += [(f"dont {LEVEL_LABELS[lv]}", (lv,)) for lv in LEVEL_ORDER if lv != "absent"]
    totals.append((LEVEL_LABELS["absent"], ("absent",)))
    for text, wanted in totals:
        write_text(ws.cell(row=row, column=2), text).font = BOLD
        for j, lid in enumerate(lists, start=4):
            col = levels[lid]
            value = int(col.isin(wanted).sum()) if col.notna().any() else missing_word
            cell = ws.cell(row=row, column=j, value=value)
            cell.font, cell.alignment = BOLD, CENTER
        row += 1
    write_text(ws.cell(row=row, column=2), "Relecture des étiquettes de la liste").font = BOLD
    for j, lid in enumerate(lists, start=4):
        text = review.share_text(lid)
        if text != "non relue" and not review.is_reviewed(lid):
            text += " (non validée)"
        cell = write_text(ws.cell(row=row, column=j), nbsp(text))
        cell.alignment = CENTER_WRAP
    ws.row_dimensions[row].height = 30
    return row + 1


def add_accord_sheet(wb: Workbook, cfg: Config, inputs: WorkbookInputs) -> bool:
    """Agreement metrics, conflicts and orphans; False (no sheet) without decisions.

    A precision is shown only from `review.min_reviews_for_precision` reviewed tags (overall
    and per theme), always with its sample size and a 95 % Wilson interval."""
    if not len(inputs.decisions):
        return False
    conflicts = find_conflicts(inputs.decisions)
    metrics = compute_agreement(inputs.decisions, inputs.auto_tags, inputs.codebook, conflicts)
    orphans = find_orphans(inputs.decisions, inputs.passages)
    s = metrics["summary"]
    minimum = cfg.min_reviews_for_precision
    review = review_status(cfg, inputs)
    n_reviewed = int(s["n_machine_tags_reviewed"] or 0)
    ws = wb.create_sheet("Accord")
    row = write_title(ws, "Accord : ce que les relecteurs pensent de l'étiqueteur",
                      subtitle(cfg), notice(cfg))
    row = write_paragraphs(ws, row, [
        ("text", nbsp(f"{plural(s['n_decisions'], 'décision')} de "
                      f"{plural(s['n_reviewers'], 'relecteur')}. Relecture : "
                      f"{review.phrase()} — {review.detail()}.")),
        ("text", nbsp("L'étiqueteur vu par les relecteurs : part des étiquettes "
                      "automatiques relues qu'ils ont validées. "
                      + precision_text(s["precision"], n_reviewed, minimum))),
        # (the orphans' sentence is read by the review tests: plain spaces, as written)
        ("text", f"Désaccords entre relecteurs : {fmt_int(len(conflicts))} (la décision "
                 f"la plus récente s'applique en attendant). Décisions orphelines (passage "
                 f"disparu, décision gardée) : {len(orphans)}."),
    ], span=7) + 1
    metrics["themes"] = theme_precision(metrics["themes"], minimum)
    blocks = [("Par thème", metrics["themes"], ACCORD_THEME_COLUMNS),
              ("Entre relecteurs (kappa de Cohen)", metrics["pairs"], ACCORD_PAIR_COLUMNS),
              ("Désaccords", conflicts, ACCORD_CONFLICT_COLUMNS)]
    if len(orphans):
        blocks.append(("Décisions orphelines", orphans.rename(columns={"file_name": "document"}),
                       ORPHAN_COLUMNS))
    for title, df, columns in blocks:
        write_text(ws.cell(row=row, column=1), title).font = Font(bold=True, size=12,
                                                                  color="1F4E79")
        last = write_table(ws, df, columns, row + 1, filter_rows=False)
        row = max(last, row + 2) + 2
    for j in range(1, 8):
        ws.column_dimensions[_col(j)].width = max(ws.column_dimensions[_col(j)].width or 0, 18)
    print_setup(ws, None, notice(cfg))
    return True


def precision_cell(precision, n: int, minimum: int) -> str:
    """'88 % [75 – 95 %] sur 40' ; under `minimum` reviewed tags: 'trop peu (12 < 30)'."""
    n = int(n or 0)
    if precision is None or pd.isna(precision) or n < minimum:
        return nbsp(f"trop peu de relectures ({fmt_int(n)} < {fmt_int(minimum)})")
    low, high = wilson(round(float(precision) * n), n)
    return nbsp(f"{fr_pct(float(precision))} [{fr_pct(low)} – {fr_pct(high)}] sur "
                f"{fmt_int(n)}")


def theme_precision(themes: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """The per-theme table with its precision as text (interval, sample size, or none)."""
    themes = themes.copy()
    themes["precision"] = [precision_cell(p, n, minimum)
                           for p, n in zip(themes["precision"], themes["n_evalues"],
                                           strict=True)]
    return themes
