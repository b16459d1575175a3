"""Questionnaire answers: form exports (one row per list, one column per question) and
filled templates (xlsx with a `_meta` sheet, or the project's docx); letters: letters.py."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.common.text import normalise_name
from analysis.config import Config, Question
from analysis.contracts import ANSWERS_SHEET
from analysis.ingest.blocks import HEADING, Block, ReadError
from analysis.ingest.discover import match_folder
from analysis.ingest.paragraphs import lines_to_blocks
from analysis.ingest.privacy import contact_columns, mask, mask_values
from analysis.ingest.text import decode, text_lines
from analysis.questionnaire.read import is_filled_template, read_filled_template

FORM, LETTER, TEMPLATE = "formulaire", "courrier", "modele"
MISSING_QUESTIONS = "question(s) sans colonne"
EMPTY_ANSWERS = {"", "nan", "none", "n/a", "na", "nr", "-", "--", "/", "."}

CORRUPT_SHEET = (
    "tableur illisible (fichier abîmé, protégé ou d'un autre format) : le rouvrir et "
    "l'enregistrer en .xlsx (ou exporter en .csv), puis relancer"
)


@dataclass
class Response:
    """One list's answer: a form row, a filled template or a letter."""

    list_id: str | None
    name: str
    channel: str
    blocks: list[Block]
    doc_key: str
    date: str | None = None
    row: int | None = None
    status: str = "ok"
    notes: list[str] = field(default_factory=list)


def question_label(question: Question, number: int) -> str:
    """Section shown for an answer: the question's column header, else "Question N"."""
    return question.column or f"Question {number}"


def answer_blocks(text: str, question: Question, number: int) -> list[Block]:
    """Blocks of one answer cell (it may hold several paragraphs and bullets)."""
    blocks = lines_to_blocks(text_lines(str(text).replace("\r", "").split("\n")))
    label = question_label(question, number)
    out = [Block(HEADING, label, question_id=question.id)]
    for b in blocks:
        kind = "paragraph" if b.kind == HEADING else b.kind  # a short answer is not a title
        out.append(Block(kind, b.text, section=label, question_id=question.id))
    return out


def is_empty_answer(value: object) -> bool:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return True
    text = str(value).strip()
    return text.lower() in EMPTY_ANSWERS or not re.search(r"[^\W_]", text)


# --- columns ----------------------------------------------------------------------------
def find_column(headers: list, wanted: str, number: int | None = None,
                used: set | None = None) -> object | None:
    """The header matching `wanted` (equal or starting alike once normalised), else, for a
    question number, a header starting with "Q1", "Question 1", "1." or "1)"."""
    used = used or set()
    free = [h for h in headers if h not in used]
    key = normalise_name(wanted) if wanted else ""
    if key:
        for h in free:
            if normalise_name(h) == key:
                return h
        for h in free:
            nh = normalise_name(h)
            if nh.startswith(key) or (len(nh) >= 8 and key.startswith(nh)):
                return h
    if number is not None:
        pattern = re.compile(
            rf"^\s*(?:q(?:uestion)?\s*(?:n°\s*)?0*{number}(?!\d)|0*{number}\s*[.)\-:–—])", re.I
        )
        for h in free:
            if pattern.match(str(h)):
                return h
    return None


def _read_frame(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".csv":
            text, _ = decode(path.read_bytes())
            return pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=object,
                               keep_default_na=False)
        return pd.read_excel(path, dtype=object)
    except ReadError:
        raise
    except Exception as exc:  # openpyxl/pandas raise many types for broken sheets
        raise ReadError(CORRUPT_SHEET, "fichier abîmé") from exc


def _iso(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return pd.Timestamp(value).isoformat()
    text = str(value).strip()
    try:
        iso_like = bool(re.match(r"\d{4}-\d{2}-\d{2}", text))
        return pd.Timestamp(pd.to_datetime(text, dayfirst=not iso_like)).isoformat()
    except (ValueError, TypeError, OverflowError):
        return None  # « hier soir »: never sorted as the newest answer


def read_form(path: Path, cfg: Config) -> tuple[list[Response], list[str]]:
    """Responses of a form export, and notes on the file (missing or dropped columns).

    Contact columns and columns that are not questions are never read into a Response.
    """
    frame = _read_frame(path)
    headers = list(frame.columns)
    if not headers:
        raise ReadError("formulaire vide (aucune colonne) : vérifier l'export du formulaire "
                        "(une ligne d'en-tête, une ligne par liste), puis relancer", "vide")
    form = cfg.form
    list_col = find_column(headers, form.get("list_column", ""))
    if list_col is None:
        list_col = next((h for h in headers if "liste" in normalise_name(h)), None)
    if list_col is None:
        raise ReadError(
            f"colonne du nom de liste « {form.get('list_column', '')} » introuvable dans "
            f"l'en-tête : corriger questionnaire.form.list_column dans {cfg.source.name}",
            "colonne manquante",
        )
    used = {list_col}
    date_col = find_column(headers, form.get("date_column", ""), used=used)
    if date_col is not None:
        used.add(date_col)
    qcols: dict[str, object] = {}
    missing = []
    for number, q in enumerate(cfg.questions, start=1):
        col = find_column(headers, q.column, number, used)
        if col is None:
            missing.append(f"{q.id} (« {q.column or q.text[:40]} »)")
        else:
            qcols[q.id] = col
            used.add(col)
    others = [h for h in headers if h not in used]
    contacts = contact_columns(frame[others], form.get("contact_columns") or [])
    ignored = [h for h in others if h not in contacts and not str(h).startswith("Unnamed")]
    notes = []
    if missing:
        notes.append(f"{MISSING_QUESTIONS} : " + ", ".join(missing)
                     + f" ; vérifier questionnaire.questions[].column dans {cfg.source.name}")
    if contacts:
        notes.append("colonnes de contact écartées : " + ", ".join(f"« {c} »" for c in contacts))
    if ignored:
        notes.append("colonnes ignorées (ni question ni liste) : "
                     + ", ".join(f"« {c} »" for c in ignored))

    numbers = {q.id: i for i, q in enumerate(cfg.questions, start=1)}
    responses = []
    for idx, row in frame.iterrows():
        line = int(idx) + 2  # header is spreadsheet line 1
        name = "" if is_empty_answer(row[list_col]) else " ".join(str(row[list_col]).split())
        private = [str(row[c]) for c in contacts if not is_empty_answer(row[c])]
        answers = {qid: mask_values(str(row[col]), private) for qid, col in qcols.items()
                   if not is_empty_answer(row[col])}
        if not name and not answers:
            continue
        blocks = []
        for q in cfg.questions:
            if q.id in answers:
                blocks += answer_blocks(str(answers[q.id]), q, numbers[q.id])
        raw_date = row[date_col] if date_col is not None else None
        resp = Response(
            cfg.match_list(name) if name else None, name, FORM, blocks,
            doc_key=f"{path.name}#{line}", row=line, date=_iso(raw_date),
        )
        if resp.date is None and not is_empty_answer(raw_date):
            resp.notes.append(f"ligne {line} : date « {mask(str(raw_date))[:40]} » illisible : "
                              "cette réponse ne passe jamais devant une réponse datée")
        if not name:
            resp.status = "warning"
            resp.notes.append(f"ligne {line} : nom de liste vide : compléter la colonne "
                              f"« {list_col} » puis relancer")
        elif resp.list_id is None:
            resp.status = "warning"
            resp.notes.append(
                f"ligne {line} : liste « {mask(name)} » inconnue : ajouter ce nom dans les "
                f"aliases de la liste concernée dans {cfg.source.name} (listes connues : "
                f"{', '.join(li.id for li in cfg.lists)}), puis relancer"
            )
        responses.append(resp)
    return responses, notes


def _where(r: Response) -> str:
    return f"ligne {r.row} de {r.doc_key.split('#')[0]}" if r.row else r.doc_key


def _by_question(blocks: list[Block]) -> dict[str | None, list[Block]]:
    out: dict[str | None, list[Block]] = {}
    for b in blocks:
        out.setdefault(b.question_id, []).append(b)
    return out


def merge_resubmissions(responses: list[Response]) -> None:
    """A list that answered several times (a re-submission correcting one answer, in one
    export or several): for each question, the newest non-empty answer, in place. Newest
    is by date, a row without a readable date always older than a dated one, then file and
    row order. The newest response carries the merged answers and a note; the others are
    marked skipped with a note naming the row kept."""
    by_list: dict[str, list[tuple[int, Response]]] = {}
    for order, r in enumerate(responses):
        if r.list_id is not None and r.status == "ok" and r.channel in {FORM, TEMPLATE}:
            by_list.setdefault(r.list_id, []).append((order, r))
    for group in by_list.values():
        if len(group) < 2:
            continue
        ranked = [r for _, r in sorted(group, key=lambda x: (x[1].date is not None,
                                                             x[1].date or "", x[0]))]
        latest = ranked[-1]
        merged: dict[str | None, list[Block]] = {}
        source: dict[str | None, Response] = {}
        for r in reversed(ranked):  # newest first
            for qid, blocks in _by_question(r.blocks).items():
                if qid not in merged and any(b.kind != HEADING for b in blocks):
                    merged[qid], source[qid] = blocks, r
        order = list(dict.fromkeys(b.question_id for r in ranked for b in r.blocks))
        latest.blocks = [b for qid in order if qid in merged for b in merged[qid]]
        older = sorted({qid for qid, r in source.items() if r is not latest and qid},
                       key=order.index)
        if older:
            taken = ", ".join(f"{qid} ({_where(source[qid])})" for qid in older)
            latest.notes.append(f"{_where(latest)} : réponse la plus récente de la liste, "
                                f"complétée par les réponses plus anciennes à : {taken}")
        for r in ranked[:-1]:
            r.status = "skipped"
            r.notes.append(f"{_where(r)} : réponse remplacée par la réponse plus récente de la "
                           f"même liste ({_where(latest)}), question par question")


# --- filled template --------------------------------------------------------------------
def is_template(path: Path) -> bool:
    """A filled questionnaire template (see analysis.questionnaire.read)."""
    return is_filled_template(path)


def _template_date(path: Path) -> str | None:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            return (_iso(wb[ANSWERS_SHEET]["B2"].value) if ANSWERS_SHEET in wb.sheetnames
                    else None)
        finally:
            wb.close()
    except Exception:
        return None


def read_template(path: Path, cfg: Config) -> Response:
    """A filled questionnaire template, read by analysis.questionnaire.read."""
    try:
        frame = read_filled_template(path, cfg)
    except Exception as exc:
        message = str(exc) or type(exc).__name__
        raise ReadError(f"modèle de questionnaire illisible ({message}) : vérifier le fichier "
                        "renvoyé par la liste, puis relancer", "fichier abîmé") from exc
    frame = frame[~frame["text"].map(is_empty_answer)] if len(frame) else frame
    names = [n for n in frame.get("list_name", pd.Series(dtype=object)).dropna().astype(str)
             if n.strip()]
    name = names[0] if names else path.stem
    list_id = cfg.match_list(name) or _match_stem(cfg, path)
    blocks: list[Block] = []
    for (qid, section), group in frame.groupby(["question_id", "section"], sort=False):
        blocks.append(Block(HEADING, str(section), question_id=str(qid)))
        for text in group["text"]:
            for b in lines_to_blocks(text_lines(str(text).split("\n"))):
                kind = "paragraph" if b.kind == HEADING else b.kind
                blocks.append(Block(kind, b.text, section=str(section), question_id=str(qid)))
    resp = Response(list_id, name, TEMPLATE, blocks, doc_key=path.name,
                    date=_template_date(path))
    if list_id is None:
        resp.status = "warning"
        resp.notes.append(f"liste « {mask(name)} » inconnue : ajouter ce nom dans les aliases de"
                          f" la liste concernée dans {cfg.source.name}, puis relancer")
    return resp


def _match_stem(cfg: Config, path: Path) -> str | None:
    return match_folder(cfg, path.stem)
