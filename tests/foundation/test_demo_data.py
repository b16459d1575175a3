"""The demo election in data/demo/raw/ is complete, readable, fictional and reproducible.

Every check opens the files with the readers the ingestion uses (pdfplumber, python-docx,
openpyxl, BeautifulSoup), as a user's documents would be opened.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from bs4 import BeautifulSoup

from analysis.config import load_config

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "demo" / "raw"
PROGRAMMES = RAW / "programmes"
QUESTIONNAIRE = RAW / "questionnaire"
DEMO_SRC = ROOT / "data" / "demo_src"
NOTICE = "Document fictif de démonstration — Baromètre solidarité"

EXPECTED_FORMATS = {
    "aix-solidaire": {".pdf"},
    "aix-ensemble": {".docx"},
    "aix-en-mouvement": {".html"},
    "aix-avenir": {".pdf"},
    "aix-d-abord": {".pdf", ".txt"},
    "aix-citoyenne": {".md"},
}
FORM_LISTS = {"aix-solidaire", "aix-ensemble", "aix-en-mouvement", "aix-citoyenne"}
FORM_CONTACT = ["Horodateur", "Adresse e-mail", "Nom du ou de la répondant·e", "Téléphone",
                "Nom de votre liste"]

# Surnames of well-known French politicians (national figures and Aix-Marseille local ones).
# Ambiguous surnames that are also common words are checked as full names.
DENY_SURNAMES = {
    "macron", "melenchon", "bardella", "zemmour", "retailleau", "hidalgo", "darmanin",
    "attal", "sarkozy", "chirac", "mitterrand", "bayrou", "barnier", "lecornu", "wauquiez",
    "ciotti", "ruffin", "glucksmann", "tondelier", "jadot", "estrosi", "muselier", "payan",
    "gaudin", "joissains", "vauzelle", "valls", "pecresse", "cazeneuve", "villepin",
    "dupontaignan", "marechal", "aliot", "mariani", "vallaud", "rousseau", "autain",
    "quatennens", "panot",
}
DENY_FULL_NAMES = {
    "le pen", "francois hollande", "edouard philippe", "elisabeth borne", "olivier faure",
    "fabien roussel", "gabriel attal", "manuel bompard", "benoit payan", "renaud muselier",
}


# --------------------------------------------------------------------------- helpers
def load_generator():
    spec = importlib.util.spec_from_file_location(
        "make_demo_data", ROOT / "scripts" / "make_demo_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def pdf_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def docx_text(path: Path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    rows = []
    for ws in wb.worksheets:
        rows += ["\t".join("" if v is None else str(v) for v in row)
                 for row in ws.iter_rows(values_only=True)]
    return "\n".join(rows)


def decode_text_file(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def extract_text(path: Path) -> str:
    """Text content of a demo file, read with a real reader for its format."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return "\f".join(pdf_pages(path))
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".xlsx":
        return xlsx_text(path)
    if suffix in (".html", ".htm"):
        return BeautifulSoup(path.read_bytes(), "lxml").get_text("\n")
    return decode_text_file(path)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " " + re.sub(r"[^a-z0-9]+", " ", text) + " "


def demo_files() -> list[Path]:
    return sorted(p for p in list(PROGRAMMES.rglob("*")) + list(QUESTIONNAIRE.rglob("*"))
                  if p.is_file() and p.name != ".gitkeep")


def list_files(list_id: str) -> list[Path]:
    return sorted(p for p in (PROGRAMMES / list_id).iterdir() if p.is_file())


@pytest.fixture(scope="module")
def cfg():
    return load_config()


@pytest.fixture(scope="module")
def texts() -> dict[Path, str]:
    return {path: extract_text(path) for path in demo_files()}


# --------------------------------------------------------------------------- programmes
def test_each_list_has_its_folder_and_formats(cfg):
    assert {li.id for li in cfg.lists} == set(EXPECTED_FORMATS)
    for list_id, formats in EXPECTED_FORMATS.items():
        folder = PROGRAMMES / list_id
        assert folder.is_dir(), f"missing {folder}"
        assert {p.suffix for p in list_files(list_id)} == formats, list_id


@pytest.mark.parametrize("list_id, min_pages, max_pages", [
    ("aix-solidaire", 4, 12), ("aix-avenir", 4, 12), ("aix-d-abord", 2, 3),
])
def test_programme_pdfs_are_multipage_with_running_notice(list_id, min_pages, max_pages):
    [path] = [p for p in list_files(list_id) if p.suffix == ".pdf"]
    pages = pdf_pages(path)
    assert min_pages <= len(pages) <= max_pages
    for number, text in enumerate(pages, 1):
        assert NOTICE in text, f"{path.name} page {number}"
        assert f"Page {number} / {len(pages)}" in text
        assert "(cid:" not in text  # every glyph maps back to a character


def test_one_pdf_has_words_hyphenated_at_line_end():
    [path] = list_files("aix-solidaire")
    text = "\n".join(pdf_pages(path))
    breaks = re.findall(r"[a-zàâçéèêëîïôûùœ]-\n[a-zàâçéèêëîïôûùœ]+", text)
    assert len(breaks) >= 3, breaks
    assert "\u00ad" not in text  # soft hyphens are rendered as "-" or dropped, never leaked


def test_docx_has_word_structure():
    [path] = list_files("aix-ensemble")
    document = docx.Document(path)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "List Bullet"} <= styles
    assert document.tables and len(document.tables[0].rows) >= 3
    assert NOTICE in document.sections[0].footer.paragraphs[0].text
    assert document.sections[0].header.paragraphs[0].text.strip()
    assert document.core_properties.created == dt.datetime(2026, 2, 27, 9, tzinfo=dt.UTC)


def test_html_page_looks_saved_from_a_campaign_site():
    [path] = list_files("aix-en-mouvement")
    soup = BeautifulSoup(path.read_bytes(), "lxml")
    assert soup.find("nav") and soup.find("main") and soup.find("main").find("article")
    assert soup.find(id="cookie-banner")
    assert "Suivez-nous" in soup.find("aside").get_text()
    assert "Mentions légales" in soup.find("footer").get_text()
    assert soup.find("script")
    article = soup.find("article")
    assert len(article.find_all("h2")) >= 5 and article.find("h3") and article.find("ul")
    assert NOTICE in soup.get_text()


def test_markdown_programme_states_it_is_fictional():
    [path] = list_files("aix-citoyenne")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# ") and "\n## " in text
    assert NOTICE in text


def test_tract_is_windows_1252_with_accents():
    [path] = [p for p in list_files("aix-d-abord") if p.suffix == ".txt"]
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1252")
    assert "\r\n" in text
    for char in "éèàç’€œ":
        assert char in text, char
    assert NOTICE in text


def test_every_document_says_it_is_fictional(texts):
    for path, text in texts.items():
        if path.suffix != ".xlsx":
            assert NOTICE in text, path


def test_programmes_are_several_pages_long(texts):
    for list_id in EXPECTED_FORMATS:
        words = sum(len(texts[p].split()) for p in list_files(list_id))
        assert 1500 <= words <= 4000, (list_id, words)


def test_named_schemes_and_hard_cases_are_present(texts):
    def programme(list_id: str) -> str:
        return "\n".join(texts[p] for p in list_files(list_id)).replace("-\n", "-")

    rich = programme("aix-solidaire")
    for scheme in ["CCAS", "SIAO", "maraudes", "bains-douches", "épiceries sociales",
                   "Logement d'abord", "FLE", "tarification sociale", "précarité menstruelle",
                   "France services", "conventions pluriannuelles"]:
        assert scheme in rich, scheme
    restrictive = programme("aix-d-abord")
    for measure in ["arrêté anti-mendicité", "Priorité aux Aixois", "fin de l'accueil des migrants",
                    "subventions municipales aux associations d'aide aux migrants"]:
        assert measure.lower() in restrictive.lower(), measure
    assert "associations non essentielles" in programme("aix-avenir")
    assert "ne fermerons pas" in programme("aix-ensemble")
    assert "hébergement touristique" in programme("aix-en-mouvement")
    assert "isolation" in programme("aix-citoyenne")
    assert "CCAS" not in programme("aix-citoyenne")


# --------------------------------------------------------------------------- questionnaire
def test_form_export_has_config_columns_and_four_lists(cfg):
    wb = openpyxl.load_workbook(QUESTIONNAIRE / "reponses_formulaire.xlsx")
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    assert header[:5] == FORM_CONTACT
    assert set(cfg.form["contact_columns"]) <= set(header)
    assert cfg.form["list_column"] in header and cfg.form["date_column"] in header
    assert header[5:] == [q.column for q in cfg.questions]
    assert len(body) == 4
    list_col = header.index(cfg.form["list_column"])
    matched = {cfg.match_list(row[list_col]) for row in body}
    assert matched == FORM_LISTS
    names = [row[list_col] for row in body]
    assert all(name not in {li.name for li in cfg.lists} for name in names)  # typed by humans
    for row in body:
        stamp = row[header.index(cfg.form["date_column"])]
        assert isinstance(stamp, dt.datetime) and (stamp.year, stamp.month) == (2026, 2)
        assert all(isinstance(v, str) and v.strip() for v in row[5:])
    answers = "\n".join(v for row in body for v in row[5:])
    assert re.search(r"[\w.-]+@[\w.-]+\.example", answers)
    assert re.search(r"\b0[67](?: ?\d{2}){4}\b", answers)
    assert "Voir notre programme." in answers


def test_aix_avenir_answered_by_signed_letter():
    letter = QUESTIONNAIRE / "aix-avenir.pdf"
    pages = pdf_pages(letter)
    assert len(pages) == 2
    text = "\n".join(pages)
    assert "Madame, Monsieur," in text
    for number in range(1, 9):
        assert f"Question {number} — " in text
    assert "Castelmoure" in text.split("Question 8 — ")[1]
    assert all(NOTICE in page for page in pages)


def test_aix_d_abord_did_not_answer(cfg):
    assert not any("abord" in p.name for p in QUESTIONNAIRE.iterdir())
    ws = openpyxl.load_workbook(QUESTIONNAIRE / "reponses_formulaire.xlsx").active
    header = [c.value for c in ws[1]]
    col = header.index(cfg.form["list_column"]) + 1
    names = [ws.cell(r, col).value for r in range(2, ws.max_row + 1)]
    assert "aix-d-abord" not in {cfg.match_list(name) for name in names}


# --------------------------------------------------------------------------- fiction
def test_no_real_politician_is_named(texts):
    sources = {p: p.read_text(encoding="utf-8") for p in DEMO_SRC.rglob("*")
               if p.is_file() and p.suffix in (".md", ".yml", ".html")}
    for path, text in {**texts, **sources}.items():
        flat = normalise(text)
        tokens = set(flat.split())
        assert not tokens & DENY_SURNAMES, (path, tokens & DENY_SURNAMES)
        hits = [name for name in DENY_FULL_NAMES if f" {name} " in flat]
        assert not hits, (path, hits)


def test_heads_of_list_are_the_fictional_ones(cfg, texts):
    for li in cfg.lists:
        surname = li.head.split(" (")[0].split()[-1]
        assert any(surname in texts[p] for p in list_files(li.id)), li.id


# --------------------------------------------------------------------------- generator
def test_generator_reproduces_the_committed_files(tmp_path):
    generator = load_generator()
    records = generator.build_all(tmp_path)
    produced = sorted(rec["path"] for rec in records)
    committed = {str(p.relative_to(RAW)) for p in demo_files()}
    assert set(produced) <= committed, set(produced) - committed
    for rel in produced:
        assert extract_text(tmp_path / rel) == extract_text(RAW / rel), rel
    assert generator.unexpected_files(RAW, records) == []
