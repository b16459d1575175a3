"""Reading a filled questionnaire (xlsx or docx) back, for the ingestion: the one place
that recognises our template (:func:`is_filled_template`) and turns it into answer rows
(:func:`read_filled_template`)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from analysis.codebook import Codebook
from analysis.common.errors import UserError
from analysis.common.text import normalise_name
from analysis.common.xlsx import cell_text, find_header
from analysis.config import Config
from analysis.contracts import (
    ANSWER_HEADER,
    ANSWERS_HEADER_ROW,
    ANSWERS_SHEET,
    ENGAGEMENTS_SHEET,
    FILLED_FORM,
    FORM_FORMAT,
    FORM_VERSION,
    LIST_NAME_LABEL,
    META_SHEET,
)
from analysis.questionnaire.wording import answer_section, engagement_row

_HEADING = re.compile(r"^\s*question\s*(\d{1,2})\s*[—–:.-]", re.I)


def _meta(wb, path: Path) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise UserError(f"{path.name} : feuille « {META_SHEET} » absente : ce n'est pas le "
                        f"questionnaire produit par `python -m analysis questionnaire-template`.")
    ws = wb[META_SHEET]
    meta = {cell_text(a): cell_text(b) for a, b, *_ in ws.iter_rows(min_col=1, max_col=2,
                                                             values_only=True) if a}
    if meta.get("format") != FORM_FORMAT:
        raise UserError(f"{path.name}, feuille « {META_SHEET} » : format {meta.get('format')!r}"
                        f", attendu {FORM_FORMAT!r}.")
    if meta.get("version") != FORM_VERSION:
        raise UserError(f"{path.name}, feuille « {META_SHEET} » : version "
                        f"{meta.get('version')!r} non prise en charge (attendue {FORM_VERSION}) ; "
                        f"mettez le projet à jour.")
    return meta


def _find_header(ws, first: str, path: Path, expected_row: int) -> tuple[int, dict[str, int]]:
    found = find_header(ws, first, first=True)
    if found:
        return found
    raise UserError(f"{path.name}, feuille « {ws.title} » : ligne d'en-tête commençant par "
                    f"« {first} » introuvable (attendue ligne {expected_row}) ; ne supprimez "
                    f"pas les en-têtes du questionnaire.")


def _read_xlsx(path: Path, cfg: Config, codebook: Codebook) -> pd.DataFrame:
    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise UserError(f"{path.name} : classeur illisible ({exc}) ; enregistrez-le en .xlsx."
                        ) from exc
    _meta(wb, path)
    if ANSWERS_SHEET not in wb.sheetnames:
        raise UserError(f"{path.name} : feuille « {ANSWERS_SHEET} » absente.")
    ws = wb[ANSWERS_SHEET]
    list_name = " ".join(cell_text(ws["B1"].value).split())
    header, columns = _find_header(ws, "question_id", path, ANSWERS_HEADER_ROW)
    answer_col = columns.get(normalise_name(ANSWER_HEADER), 2)
    numbers = {q.id: (i, q) for i, q in enumerate(cfg.questions, start=1)}
    rows = []
    for r, values in enumerate(ws.iter_rows(min_row=header + 1, values_only=True),
                               start=header + 1):
        qid = cell_text(values[0]) if values else ""
        answer = cell_text(values[answer_col]) if answer_col < len(values) else ""
        if not answer:
            continue
        if qid in numbers:
            number, question = numbers[qid]
            section = answer_section(question, number)
        else:
            section = f"Réponse hors questions ({ANSWERS_SHEET}, ligne {r})"
            qid = qid or "autre"
        rows.append({"list_name": list_name, "question_id": qid, "section": section,
                     "text": answer})
    if ENGAGEMENTS_SHEET in wb.sheetnames:
        ws = wb[ENGAGEMENTS_SHEET]
        header, columns = _find_header(ws, "theme_id", path, 1)
        get = {name: columns.get(normalise_name(name)) for name in
               ("theme_id", "Thème", "Engagement", "Commentaire")}
        if get["Engagement"] is None:
            raise UserError(f"{path.name}, feuille « {ENGAGEMENTS_SHEET} », ligne {header} : "
                            f"colonne « Engagement » introuvable.")
        for values in ws.iter_rows(min_row=header + 1, values_only=True):
            def cell(name: str, values: tuple = values) -> str:
                i = get[name]
                return cell_text(values[i]) if i is not None and i < len(values) else ""
            row = engagement_row(list_name, cell("theme_id"), cell("Thème"),
                                 cell("Engagement"), cell("Commentaire"), codebook)
            if row:
                rows.append(row)
    return pd.DataFrame(rows, columns=FILLED_FORM)


def _read_docx(path: Path, cfg: Config, codebook: Codebook) -> pd.DataFrame:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UserError(f"{path.name} : document Word illisible ({exc}).") from exc
    if doc.core_properties.category != FORM_FORMAT:
        raise UserError(f"{path.name} : ce document n'est pas le questionnaire produit par "
                        f"`python -m analysis questionnaire-template`.")
    questions = {normalise_name(q.text) for q in cfg.questions}
    label_key = normalise_name(LIST_NAME_LABEL)
    list_name, current, rows = "", None, []
    answers: dict[int, list[str]] = {}
    for para in doc.paragraphs:
        text = para.text.strip()
        key = normalise_name(text)
        if key.startswith(label_key) and ":" in text and not list_name and current is None:
            list_name = " ".join(text.split(":", 1)[1].strip(" _.").split())
            continue
        heading = _HEADING.match(text)
        if heading and 1 <= int(heading.group(1)) <= len(cfg.questions):
            current = int(heading.group(1))
            continue
        if para.style.name.startswith("Heading"):
            current = None
            continue
        if current is None or not text or key in questions:
            continue
        if key.startswith(normalise_name(ANSWER_HEADER)):
            text = text.split(":", 1)[1].strip() if ":" in text else ""
            if not text:
                continue
        answers.setdefault(current, []).append(text)
    for number, parts in answers.items():
        q = cfg.questions[number - 1]
        rows.append({"list_name": list_name, "question_id": q.id,
                     "section": answer_section(q, number), "text": "\n".join(parts)})
    for table in doc.tables:
        header = [normalise_name(c.text) for c in table.rows[0].cells]
        if not header or header[0] != "code" or "engagement" not in header:
            continue
        i_theme, i_eng = header.index("theme") if "theme" in header else 2, header.index(
            "engagement")
        i_com = header.index("commentaire") if "commentaire" in header else None
        for row in table.rows[1:]:
            cells = [c.text.strip() for c in row.cells]
            row = engagement_row(list_name, cells[0], cells[i_theme], cells[i_eng],
                                 cells[i_com] if i_com is not None else "", codebook)
            if row:
                rows.append(row)
    return pd.DataFrame(rows, columns=FILLED_FORM)


def is_filled_template(path: str | Path) -> bool:
    """True for an xlsx with a `_meta` sheet or a docx marked as our questionnaire (the one
    recogniser of a filled template: the ingestion asks it too)."""
    path = Path(path)
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            wb = load_workbook(path, read_only=True)
            try:
                return META_SHEET in wb.sheetnames
            finally:
                wb.close()
        if path.suffix.lower() == ".docx":
            from docx import Document

            return Document(str(path)).core_properties.category == FORM_FORMAT
    except Exception:  # any unreadable file is simply not a template
        return False
    return False


def read_filled_template(path: str | Path, cfg: Config) -> pd.DataFrame:
    """A list's filled questionnaire (xlsx or docx) as rows: list_name, question_id,
    section, text. One row per non-empty answer; engagement rows become sentences with
    question_id 'engagements' ("Engagement : Oui — <thème> (<repères>). Commentaire : …";
    "Engagement : Non — <thème>." so the gap stays visible). `list_name` is what the list
    wrote (B1 / "Nom de la liste :"), possibly empty: the caller matches it to a list.
    Structural problems raise UserError naming the file, sheet and row."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path} : fichier introuvable.")
    codebook = cfg.codebook
    if path.suffix.lower() == ".docx":
        return _read_docx(path, cfg, codebook)
    return _read_xlsx(path, cfg, codebook)
