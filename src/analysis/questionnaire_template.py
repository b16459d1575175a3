"""The questionnaire the collective sends to the lists (xlsx and docx), and its reader.

Both files come from the config (questions, lists, collective) and the codebook (the
engagement grid, one row per theme). A list fills either; the filled file is dropped in
data/raw/questionnaire/ and the ingestion reads it through :func:`read_filled_template`
without any mapping to write.

xlsx contract (shared with the ingestion): hidden sheet ``_meta`` (A key, B value:
``format`` = ``barometre-questionnaire``, ``version`` = ``1``, ``codebook``); sheet
``Réponses`` with B1 = list name, B2 = date, header row 4 ``question_id | Question |
Votre réponse``, one question per row from row 5; sheet ``Engagements`` with header row 1
``theme_id | Axe | Thème | Engagement | Commentaire`` (+ a "Repères" column), Engagement
in Oui / En partie / Non. The docx carries the same marker in its core properties
(category ``barometre-questionnaire``) and uses headings "Question N — <titre>".
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from analysis.codebook import Codebook, Theme, load_codebook
from analysis.common.errors import UserError
from analysis.common.progress import summary
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
    slug,
    write_paragraphs,
    write_table,
)
from analysis.config import Config, Question, format_date_fr, normalise_name
from analysis.export import archive_if_edited, record_written

FORMAT = "barometre-questionnaire"
VERSION = "1"
META_SHEET = "_meta"
ANSWERS_SHEET = "Réponses"
ENGAGEMENTS_SHEET = "Engagements"
ANSWERS_HEADER_ROW = 4
ANSWER_HEADER = "Votre réponse"
ENGAGEMENTS_QUESTION_ID = "engagements"
ENGAGEMENTS_SECTION = "Engagements"
ENGAGEMENT_CHOICES = ("Oui", "En partie", "Non")
COLUMNS = ["list_name", "question_id", "section", "text"]
REFUSAL_PREFIX = "Engagement : Non"   # a list said No: the theme must not count as covered
LIST_NAME_LABEL = "Nom de la liste"
_PLAIN_PATTERN = re.compile(r"^[^\W\d_][\w' ’-]*$")
_HEADING = re.compile(r"^\s*question\s*(\d{1,2})\s*[—–:.-]", re.I)

ENGAGEMENT_COLUMNS = [
    Column("theme_id", "theme_id", "Identifiant du thème (ne pas modifier).", width=22),
    Column("Axe", "axis_label", "Axe de la lettre du collectif.", width=28, wrap=True),
    Column("Thème", "label", "Thème.", width=34, wrap=True),
    Column("Engagement", "engagement", "Oui / En partie / Non.", width=14, review=True),
    Column("Commentaire", "comment", "Précisions, moyens, calendrier (facultatif).", width=60,
           wrap=True, review=True),
    Column("Repères", "hints", "Exemples de ce que couvre le thème.", width=50, wrap=True),
]


def template_paths(cfg: Config) -> dict[str, Path]:
    folder = cfg.reports / "questionnaire"
    stem = f"questionnaire_{slug(cfg.commune)}"
    return {"xlsx": folder / f"{stem}.xlsx", "docx": folder / f"{stem}.docx"}


_STOPWORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "l", "la", "le", "les", "leur",
              "leurs", "pour", "sa", "ses", "son", "un", "une", "et"}


def _pattern_key(pattern: str) -> str:
    words = normalise_words(pattern)
    return " ".join(w.rstrip("sx") for w in words if w not in _STOPWORDS)


def normalise_words(text: str) -> list[str]:
    return [normalise_name(w) for w in re.findall(r"\w+", text.lower())]


def short_scope(theme: Theme, n: int = 3) -> str:
    """A few of the theme's French patterns as plain words, near-duplicates (plural,
    hyphen, article) left out; '' when the theme has no plain pattern."""
    chosen: list[str] = []
    keys: list[str] = []
    for pattern in theme.patterns:
        key = _pattern_key(pattern)
        if not _PLAIN_PATTERN.match(pattern) or not key:
            continue
        if any(key in k or k in key for k in keys):
            continue
        chosen.append(pattern)
        keys.append(key)
        if len(chosen) == n:
            break
    return ", ".join(chosen)


def short_title(question: Question) -> str:
    """'1. Partenariat avec les associations' -> 'Partenariat avec les associations'."""
    title = re.sub(r"^\s*(?:q(?:uestion)?\s*)?\d{1,2}\s*[.):–—-]\s*", "", question.column,
                   flags=re.I).strip()
    return title or (question.text if len(question.text) <= 60 else question.text[:57] + "…")


def answer_section(question: Question, number: int) -> str:
    """The section of an answer (same convention as the ingestion's question label)."""
    return question.column or f"Question {number}"


def _deadline(cfg: Config) -> str:
    first = cfg.election.get("round1")
    if isinstance(first, dt.date):
        return f"avant le {format_date_fr(first - dt.timedelta(days=21))}"
    return "dès que possible"


def intro_paragraphs(cfg: Config) -> list[str]:
    """The letter from the collective that opens the questionnaire (French)."""
    collective = cfg.collective.get("name") or "Le collectif des associations"
    election = cfg.election.get("name", f"élections municipales de {cfg.commune}")
    return [
        "Madame, Monsieur,",
        f"Notre collectif ({collective}) réunit des associations de solidarité qui agissent "
        f"chaque jour à "
        f"{cfg.commune} auprès des personnes en situation de précarité. À l'approche des "
        f"{election}, nous interrogeons toutes les listes candidates sur trois engagements : "
        f"le partenariat avec les associations, une dynamique d'inclusion et la protection "
        f"des plus fragiles.",
        f"Nous vous remercions de répondre {_deadline(cfg)}, dans ce document ou dans le "
        f"fichier Excel joint, puis de nous le renvoyer. Vos réponses seront analysées avec "
        f"celles des autres listes et citées dans le baromètre que nous publierons ; une "
        f"liste qui ne répond pas y figurera comme telle.",
        "Nous vous prions d'agréer nos salutations associatives.",
        collective,
    ]


def _engagement_frame(codebook: Codebook) -> pd.DataFrame:
    return pd.DataFrame([
        {"theme_id": t.id, "axis_label": codebook.axes[t.axis], "label": t.label,
         "engagement": None, "comment": None, "hints": short_scope(t, 6)}
        for t in codebook.themes
    ])


# Writing --------------------------------------------------------------------------------
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
        ("format", FORMAT), ("version", VERSION), ("codebook", codebook.name),
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
    wb.properties.category = FORMAT
    wb.properties.creator = cfg.collective.get("name") or "barometre-solidarite"
    return wb


def build_docx(cfg: Config, codebook: Codebook):
    """The questionnaire letter (python-docx Document)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    props = doc.core_properties
    props.category = FORMAT
    props.subject = FORMAT
    props.keywords = f"{FORMAT}; version={VERSION}; codebook={codebook.name}"
    props.title = f"Questionnaire — {cfg.election.get('name', cfg.commune)}"
    props.author = cfg.collective.get("name") or "barometre-solidarite"
    if cfg.demo:
        run = doc.add_paragraph().add_run(
            f"{cfg.demo_notice.upper()} : questionnaire d'essai, listes fictives.")
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    doc.add_heading(f"Questionnaire aux listes candidates — "
                    f"{cfg.election.get('name', cfg.commune)}", level=1)
    for text in intro_paragraphs(cfg):
        doc.add_paragraph(text)
    doc.add_paragraph(f"{LIST_NAME_LABEL} : ")
    doc.add_paragraph("Date : ")
    for number, q in enumerate(cfg.questions, start=1):
        doc.add_heading(f"Question {number} — {short_title(q)}", level=2)
        para = doc.add_paragraph(q.text)
        para.runs[0].italic = True
        doc.add_paragraph().add_run(f"{ANSWER_HEADER} :").bold = True
        for _ in range(3):
            doc.add_paragraph("")
    doc.add_heading("Engagements thème par thème", level=2)
    doc.add_paragraph("Pour chaque thème, écrivez Oui, En partie ou Non dans la colonne "
                      "Engagement, et précisez si vous le souhaitez.")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Code", "Axe", "Thème", "Engagement",
                                                "Commentaire"], strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for t in codebook.themes:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = t.id, codebook.axes[t.axis], t.label
        for cell in cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    doc.add_paragraph("")
    doc.add_paragraph("Merci de votre réponse.")
    return doc


def run_questionnaire_template(cfg: Config) -> list[Path]:
    """Write the questionnaire (xlsx and docx) to reports/questionnaire/; returns the paths.

    A file edited since we last wrote it (e.g. a customised letter) is archived first.
    """
    codebook = load_codebook(cfg.codebook_path)
    if not cfg.questions:
        raise UserError(f"{cfg.source} : aucune question dans questionnaire.questions ; "
                        f"ajoutez-les (id, text) avant de produire le questionnaire.")
    paths = template_paths(cfg)
    paths["xlsx"].parent.mkdir(parents=True, exist_ok=True)
    archived = []
    for kind, builder in (("xlsx", build_xlsx), ("docx", build_docx)):
        target = paths[kind]
        old = archive_if_edited(cfg, target)
        if old:
            archived.append(old)
            print(f"{target.name} avait été modifié : ancienne version conservée dans {old}")
        builder(cfg, codebook).save(target)
        record_written(cfg, target)
    summary("questionnaire-template",
            f"{len(cfg.questions)} questions, {len(codebook.themes)} thèmes -> "
            f"{paths['xlsx']} et {paths['docx'].name}"
            + (f" ({len(archived)} ancien(s) fichier(s) archivé(s))" if archived else ""))
    return [paths["xlsx"], paths["docx"]]


# Reading --------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def engagement_sentence(theme_id: str, label: str, value: str, comment: str,
                        codebook: Codebook) -> str | None:
    """A filled engagement row as a sentence the tagger and readers understand."""
    key = normalise_name(value)
    if key.startswith("enpartie") or key.startswith("partiel"):
        word = "En partie"
    elif key.startswith("oui"):
        word = "Oui"
    elif key.startswith("non"):
        word = "Non"
    else:
        word = f"« {value} »" if value else ""
    known = theme_id in codebook.theme_ids
    label = codebook.label_of(theme_id) if known else (label or theme_id)
    tail = f" Commentaire : {comment}" if comment else ""
    if not word:
        return f"Sans réponse d'engagement — {label}.{tail}" if comment else None
    if word == "Non":
        return f"{REFUSAL_PREFIX} — {label}.{tail}"
    scope = short_scope(codebook.theme(theme_id)) if known else ""
    return f"Engagement : {word} — {label}{f' ({scope})' if scope else ''}.{tail}"


def is_refusal(text: str) -> bool:
    """True for an engagement sentence where the list answered No (for the tagger: such a
    passage names a theme the list does NOT commit to)."""
    return str(text).startswith(REFUSAL_PREFIX)


def engagement_row(list_name: str, theme_id: str, label: str, value: str, comment: str,
                   codebook: Codebook) -> dict | None:
    """One output row for a filled engagement line (None when it is blank); the section
    names the theme, so a comment split off by the ingestion stays traceable."""
    sentence = engagement_sentence(theme_id, label, value, comment, codebook)
    if not sentence:
        return None
    name = codebook.label_of(theme_id) if theme_id in codebook.theme_ids else (label or theme_id)
    return {"list_name": list_name, "question_id": ENGAGEMENTS_QUESTION_ID,
            "section": f"{ENGAGEMENTS_SECTION} — {name}", "text": sentence}


def _meta(wb, path: Path) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise UserError(f"{path.name} : feuille « {META_SHEET} » absente : ce n'est pas le "
                        f"questionnaire produit par `python -m analysis questionnaire-template`.")
    ws = wb[META_SHEET]
    meta = {_text(a): _text(b) for a, b, *_ in ws.iter_rows(min_col=1, max_col=2,
                                                             values_only=True) if a}
    if meta.get("format") != FORMAT:
        raise UserError(f"{path.name}, feuille « {META_SHEET} » : format {meta.get('format')!r}"
                        f", attendu {FORMAT!r}.")
    if meta.get("version") != VERSION:
        raise UserError(f"{path.name}, feuille « {META_SHEET} » : version "
                        f"{meta.get('version')!r} non prise en charge (attendue {VERSION}) ; "
                        f"mettez le projet à jour.")
    return meta


def _find_header(ws, first: str, path: Path, expected_row: int) -> tuple[int, dict[str, int]]:
    for r, values in enumerate(ws.iter_rows(min_row=1, max_row=15, values_only=True), start=1):
        keys = [normalise_name(_text(v)) for v in values]
        if keys and keys[0] == normalise_name(first):
            return r, {k: i for i, k in enumerate(keys) if k}
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
    list_name = " ".join(_text(ws["B1"].value).split())
    header, columns = _find_header(ws, "question_id", path, ANSWERS_HEADER_ROW)
    answer_col = columns.get(normalise_name(ANSWER_HEADER), 2)
    numbers = {q.id: (i, q) for i, q in enumerate(cfg.questions, start=1)}
    rows = []
    for r, values in enumerate(ws.iter_rows(min_row=header + 1, values_only=True),
                               start=header + 1):
        qid = _text(values[0]) if values else ""
        answer = _text(values[answer_col]) if answer_col < len(values) else ""
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
                return _text(values[i]) if i is not None and i < len(values) else ""
            row = engagement_row(list_name, cell("theme_id"), cell("Thème"),
                                 cell("Engagement"), cell("Commentaire"), codebook)
            if row:
                rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _read_docx(path: Path, cfg: Config, codebook: Codebook) -> pd.DataFrame:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UserError(f"{path.name} : document Word illisible ({exc}).") from exc
    if doc.core_properties.category != FORMAT:
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
    return pd.DataFrame(rows, columns=COLUMNS)


def is_filled_template(path: str | Path) -> bool:
    """True for an xlsx with a `_meta` sheet or a docx marked as our questionnaire."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".xlsx":
            wb = load_workbook(path, read_only=True)
            try:
                return META_SHEET in wb.sheetnames
            finally:
                wb.close()
        if path.suffix.lower() == ".docx":
            from docx import Document

            return Document(str(path)).core_properties.category == FORMAT
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
    codebook = load_codebook(cfg.codebook_path)
    if path.suffix.lower() == ".docx":
        return _read_docx(path, cfg, codebook)
    return _read_xlsx(path, cfg, codebook)
