"""The ingestion stage: every file under raw/ to passages.parquet, ingest_report.csv and
questionnaire_responses.csv."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pandas as pd

from analysis.common.progress import progress, summary
from analysis.common.safe_text import to_csv_safe
from analysis.common.tables import write_table
from analysis.config import Config
from analysis.contracts import PASSAGES, PROGRAMMES, QUESTIONNAIRE
from analysis.ingest import ids
from analysis.ingest.blocks import Block, ReadError
from analysis.ingest.discover import (
    Input,
    check_raw,
    discover_programmes,
    discover_questionnaire,
    folder_lists,
)
from analysis.ingest.ingest_report import (
    HIDDEN_REASON,
    MISSING_REASON,
    NO_ANSWER_REASON,
    RESOURCE_KIND,
    RESOURCE_REASON,
    report_frame,
    report_row,
    responses_frame,
    summary_text,
)
from analysis.ingest.language import language_warning
from analysis.ingest.letters import date_in_text, split_letter
from analysis.ingest.limits import (
    MAX_PASSAGES,
    TOO_LARGE,
    check_file_size,
    check_zip_size,
    too_many_passages,
)
from analysis.ingest.privacy import mask_counted, masked_note
from analysis.ingest.questionnaire import (
    FORM,
    LETTER,
    MISSING_QUESTIONS,
    Response,
    is_template,
    merge_resubmissions,
    read_form,
    read_template,
)
from analysis.ingest.readers import EMPTY_FILE, format_of, read_document
from analysis.ingest.segment import segment

STRAY = (
    "fichier placé directement dans programmes/ : le ranger dans le dossier de sa liste "
    "(programmes/<id_liste>/), puis relancer"
)


DUPLICATE = "copie identique de « {kept} » : lue une seule fois"
REFUSED = "refused"
_COPY_RE = re.compile(r"^(?:copie de |copy of |kopie van )|\(\d+\)|[ _-](?:copie|copy)\b|"
                      r" - copie", re.I)


def mask_block(block: Block, counts: Counter | None = None, *,
               addresses: bool = False) -> Block:
    """The block with personal data masked (page marks moved accordingly); `counts` gets
    what was masked."""
    text = mask_counted(block.text, counts, addresses=addresses)
    if text == block.text:
        return block
    marks = [(len(mask_counted(block.text[:pos], addresses=addresses)), page)
             for pos, page in block.page_marks]
    return Block(block.kind, text, block.page, block.level, marks, block.section,
                 block.question_id)


def passages_of(blocks: list[Block], list_id: str, source: str, rel: str,
                doc_key: str, counts: Counter | None = None) -> list[dict]:
    """Passage rows (without passage_id) of one document, personal data masked (street
    addresses too in questionnaire answers and letters)."""
    addresses = source == "questionnaire"
    _, pieces = segment([mask_block(b, counts, addresses=addresses) for b in blocks])
    doc = ids.doc_id(list_id, doc_key)
    return [
        {"list_id": list_id, "source": source, "doc_id": doc, "path": rel, "page": p.page,
         "section": p.section, "question_id": p.question_id, "text": p.text,
         "char_start": p.char_start, "char_end": p.char_end}
        for p in pieces
    ]


class _Run:
    """State of one ingestion run."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.passages: list[dict] = []
        self.report: list[dict] = []
        self.responses: list[dict] = []
        self.pending: list[tuple[Input, Response, str, list[str]]] = []

    def read(self, item: Input, fmt: str):
        """The document, or None after reporting why it could not be read."""
        try:
            return read_document(item.path)
        except ReadError as err:
            self.report.append(report_row(item.rel, item.list_id, fmt, None, 0, err.status,
                                          err.reason, err.kind))
            return None

    # programmes -------------------------------------------------------------------------
    def programme(self, item: Input) -> None:
        fmt = format_of(item.path)
        doc = self.read(item, fmt)
        if doc is None:
            return
        counts: Counter = Counter()
        rows = passages_of(doc.blocks, item.list_id, "programme", item.rel, item.rel, counts)
        notes = [*doc.warnings, *([item.note] if item.note else [])]
        if self.too_many(item, doc, rows):
            return
        self.passages += rows
        language = language_warning(" ".join(b.text for b in doc.blocks))
        if language:
            notes.append(language)
        if not rows:
            notes.append("aucun passage retenu (texte trop court ou sans lettres)")
        status = "warning" if notes else "ok"
        notes += [masked_note(counts)] if counts else []
        self.report.append(report_row(item.rel, item.list_id, doc.format, doc.pages, len(rows),
                                      status, " ; ".join(notes)))

    def too_many(self, item: Input, doc, rows: list[dict]) -> bool:
        """Report a document with more passages than the cap (nothing of it is kept)."""
        if len(rows) <= MAX_PASSAGES:
            return False
        self.report.append(report_row(item.rel, item.list_id, doc.format, doc.pages, 0,
                                      TOO_LARGE, too_many_passages(len(rows)),
                                      "trop volumineux"))
        return True

    # questionnaire ----------------------------------------------------------------------
    def form(self, item: Input) -> None:
        fmt = format_of(item.path)
        try:
            if item.path.stat().st_size == 0:
                raise ReadError(EMPTY_FILE, "fichier vide")
            check_file_size(item.path)
            if item.path.suffix.lower() in {".xlsx", ".xlsm", ".docx"}:
                check_zip_size(item.path)
            if is_template(item.path):
                responses, notes = [read_template(item.path, self.cfg)], []
            else:
                responses, notes = read_form(item.path, self.cfg)
        except ReadError as err:
            self.report.append(report_row(item.rel, None, fmt, None, 0, err.status,
                                          err.reason, err.kind))
            return
        if not responses:
            self.report.append(report_row(item.rel, None, fmt, None, 0, "warning",
                                          " ; ".join(["formulaire sans aucune réponse", *notes])))
        for resp in responses:
            self.pending.append((item, resp, fmt, notes))

    def flush_forms(self) -> None:
        """Form rows and filled templates of every file, a list's re-submissions merged
        per question (merge_resubmissions), then reported and turned into passages."""
        merge_resubmissions([resp for _, resp, _, _ in self.pending])
        for item, resp, fmt, notes in self.pending:
            self.response(item, resp, fmt, None, notes)
        self.pending.clear()

    def letter(self, item: Input) -> None:
        fmt = format_of(item.path)
        if item.path.stat().st_size and is_template(item.path):  # a filled docx template
            self.form(item)
            return
        if item.list_id is None:
            known = [li.id for li in self.cfg.lists] or ["ma-liste"]
            self.report.append(report_row(
                item.rel, None, fmt, None, 0, "error",
                f"le nom du fichier « {item.path.name} » ne correspond à aucune liste : le "
                f"renommer avec l'identifiant de la liste (ex. {known[0]}{item.path.suffix} ;"
                f" identifiants : {', '.join(known)}), puis relancer", "liste inconnue"))
            return
        doc = self.read(item, fmt)
        if doc is None:
            return
        blocks, found = split_letter(doc.blocks, self.cfg)
        notes = list(doc.warnings)
        if not found and self.cfg.questions:
            notes.append("aucun titre de question trouvé (« Question 1 », « Q1 », « 1. ») : "
                         "passages gardés sans numéro de question")
        date = date_in_text("\n".join(b.text for b in doc.blocks))
        language = language_warning(" ".join(b.text for b in doc.blocks))
        notes += [n for n in (item.note, language) if n]
        resp = Response(item.list_id, item.list_id, LETTER, blocks, doc_key=item.rel,
                        date=date, status="warning" if notes else "ok", notes=notes)
        self.response(item, resp, doc.format, doc.pages, [])

    def response(self, item: Input, resp: Response, fmt: str, pages: int | None,
                 file_notes: list[str]) -> None:
        notes = [*resp.notes, *file_notes]
        status = resp.status
        if status == "ok" and any(n.startswith(MISSING_QUESTIONS) for n in file_notes):
            status = "warning"
        rows: list[dict] = []
        counts: Counter = Counter()
        if resp.list_id is not None and status != "skipped":
            key = item.rel if resp.channel != FORM else f"{item.rel}#{resp.list_id}"
            rows = passages_of(resp.blocks, resp.list_id, "questionnaire", item.rel, key,
                               counts)
            if len(rows) > MAX_PASSAGES:
                self.report.append(report_row(item.rel, resp.list_id, fmt, pages, 0, TOO_LARGE,
                                              too_many_passages(len(rows)), "trop volumineux"))
                return
            self.passages += rows
            qids = {q.id for q in self.cfg.questions}
            self.responses.append({
                "list_id": resp.list_id, "answered": bool(rows), "channel": resp.channel,
                "date": resp.date,
                "n_questions_answered": len({r["question_id"] for r in rows} & qids),
                "n_words": sum(len(r["text"].split()) for r in rows), "path": item.rel,
            })
            if not rows:
                notes.append("réponse sans texte : compté comme sans réponse")
                status = "warning"
        notes += [masked_note(counts)] if counts else []
        self.report.append(report_row(item.rel, resp.list_id, fmt, pages, len(rows), status,
                                      " ; ".join(notes)))

    # lists without input ----------------------------------------------------------------
    def absent_lists(self, programme_lists: set[str]) -> None:
        answered = {r["list_id"] for r in self.responses if r["answered"]}
        for li in self.cfg.lists:
            if li.id not in programme_lists:
                self.report.append(report_row(
                    f"{PROGRAMMES}/{li.id}/", li.id, "", None, 0, "missing",
                    f"{MISSING_REASON} : déposer son programme dans {PROGRAMMES}/{li.id}/ "
                    "si la liste en a publié un"))
        if not self.cfg.questions:
            return
        for li in self.cfg.lists:
            if li.id not in answered:
                self.report.append(report_row(f"{QUESTIONNAIRE}/", li.id, "", None, 0,
                                              "no_answer", NO_ANSWER_REASON))
                if li.id not in {r["list_id"] for r in self.responses}:
                    self.responses.append({
                        "list_id": li.id, "answered": False, "channel": "", "date": None,
                        "n_questions_answered": 0, "n_words": 0, "path": "",
                    })


def _digest(path) -> str | None:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _copy_rank(item: Input) -> tuple:
    """The original before its copies: a name without « (1) », « Copie de », « - copie »,
    then the shorter, then alphabetical."""
    name = item.path.name
    return (bool(_COPY_RE.search(name)), len(name), item.rel)


def duplicates(inputs: list[Input]) -> dict[int, str]:
    """id(input) -> rel of the kept copy, for files identical (sha256) to another file of
    the same list (programmes, letters), or to another form export."""
    groups: dict[tuple, list[Input]] = {}
    for item in inputs:
        if item.kind not in {"programme", "letter", "form"}:
            continue
        digest = _digest(item.path)
        if digest is None or item.path.stat().st_size == 0:
            continue
        scope = "form" if item.kind == "form" else item.list_id
        groups.setdefault((scope, digest), []).append(item)
    out: dict[int, str] = {}
    for group in groups.values():
        if len(group) > 1:
            kept = min(group, key=_copy_rank)
            out.update({id(i): kept.rel for i in group if i is not kept})
    return out


def passages_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows to a passages table with the contract's columns, dtypes and stable ids."""
    frame = pd.DataFrame(rows, columns=[c for c in PASSAGES if c != "passage_id"])
    frame["page"] = frame["page"].astype("Int64")
    for col in ("char_start", "char_end"):
        frame[col] = frame[col].astype("int64")
    for col in ("section", "question_id"):
        frame[col] = frame[col].astype("string")
    frame.insert(0, "passage_id", ids.assign_passage_ids(frame) if len(frame) else [])
    duplicated = frame["passage_id"].duplicated()
    if duplicated.any():  # cannot happen unless the hash collides: never silent
        raise RuntimeError(f"passage_id en double : {frame.loc[duplicated, 'passage_id']}")
    return frame[PASSAGES]


def run_ingest(cfg: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every file under cfg.raw; write passages.parquet, ingest_report.csv and
    questionnaire_responses.csv in cfg.processed; print the summary line."""
    check_raw(cfg)
    programmes = discover_programmes(cfg)
    inputs = programmes + discover_questionnaire(cfg, folder_lists(cfg, programmes))
    run = _Run(cfg)
    copies = duplicates(inputs)
    for item in progress(inputs, desc="Lecture des fichiers", total=len(inputs)):
        if item.kind == "outside":
            run.report.append(report_row(item.rel, item.list_id, format_of(item.path), None,
                                         0, REFUSED, item.note, "hors de data/raw"))
        elif id(item) in copies:
            run.report.append(report_row(item.rel, item.list_id, format_of(item.path), None,
                                         0, "duplicate", DUPLICATE.format(kept=copies[id(item)]),
                                         "doublon"))
        elif item.kind == "hidden":
            run.report.append(report_row(item.rel, item.list_id, format_of(item.path), None,
                                         0, "skipped", HIDDEN_REASON, "caché"))
        elif item.kind == "resource":
            run.report.append(report_row(item.rel, item.list_id, format_of(item.path), None,
                                         0, "skipped", RESOURCE_REASON.format(page=item.note),
                                         RESOURCE_KIND))
        elif item.kind == "stray":
            run.report.append(report_row(item.rel, None, format_of(item.path), None, 0,
                                         "error", STRAY, "hors dossier de liste"))
        elif item.kind == "programme":
            run.programme(item)
        elif item.kind == "form":
            run.form(item)
        else:
            run.letter(item)
    run.flush_forms()
    run.absent_lists({i.list_id for i in inputs if i.kind == "programme"})

    passages = passages_frame(run.passages)
    report = report_frame(run.report)
    write_table(passages, cfg.passages_path)
    public_report = report.drop(columns="_kind")
    to_csv_safe(public_report, cfg.ingest_report_path, index=False)
    to_csv_safe(responses_frame(run.responses), cfg.responses_path, index=False)
    summary("ingest", summary_text(report, passages))
    return passages, public_report
