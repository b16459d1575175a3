"""The sheets written with openpyxl: tables with review drop-downs, the synthesis grid,
the agreement sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Font, PatternFill
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
from analysis.review.agreement import compute_agreement
from analysis.review.conflicts import find_conflicts, find_orphans
from analysis.workbook.columns import (
    ACCORD_CONFLICT_COLUMNS,
    ACCORD_PAIR_COLUMNS,
    ACCORD_THEME_COLUMNS,
    BUNDLE_DOCUMENTS,
    ORPHAN_COLUMNS,
    RESTRICTIVE_FORMAT,
    SCORE_COLOURS,
    SOURCE_LABELS,
)
from analysis.workbook.frames import list_ids, synthesis_scores
from analysis.workbook.inputs import WorkbookInputs


def notice(cfg: Config) -> str:
    return cfg.demo_notice


def subtitle(cfg: Config, extra: str = "") -> str:
    text = f"{cfg.election.get('name', cfg.commune)} — données du {cfg.data_date_fr}"
    return f"{text}. {extra}" if extra else text


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


def add_synthesis_sheet(wb: Workbook, cfg: Config, inputs: WorkbookInputs) -> None:
    ws = wb.create_sheet("Synthèse")
    extra = ("Score 0 absent, 1 mention, 2 intention générale, 3 engagement concret ; "
             "▼ = position restrictive.")
    row = write_title(ws, "Synthèse : engagement de chaque liste, thème par thème",
                      subtitle(cfg, extra), notice(cfg)) + 1
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
    print_setup(ws, first_header, notice(cfg))


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


def add_accord_sheet(wb: Workbook, cfg: Config, inputs: WorkbookInputs) -> bool:
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
                      subtitle(cfg), notice(cfg))
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
