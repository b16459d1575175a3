"""The questionnaire sent to the lists: xlsx and docx structure, reading a filled copy,
and the filled copy going through the real ingestion without any mapping."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from analysis.common.errors import UserError
from analysis.config import Config, load_config
from analysis.contracts import FILLED_FORM as COLUMNS
from analysis.questionnaire import run_questionnaire_template
from analysis.questionnaire.read import is_filled_template, read_filled_template


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    return load_config(None, raw=tmp_path / "raw", processed=tmp_path / "processed",
                       reports=tmp_path / "reports", reviews=tmp_path / "reviews")


@pytest.fixture
def templates(cfg: Config) -> dict[str, Path]:
    xlsx, docx = run_questionnaire_template(cfg)
    return {"xlsx": xlsx, "docx": docx}


def fill_xlsx(template: Path, target: Path, *, name="Aix Avenir", answers=None,
              engagements=None) -> Path:
    """Fill the template as a list would, with openpyxl."""
    wb = openpyxl.load_workbook(template)
    ws = wb["Réponses"]
    ws["B1"] = name
    ws["B2"] = dt.datetime(2026, 2, 20)
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    for qid, text in (answers or {}).items():
        ws.cell(rows[qid], 3).value = text
    eng = wb["Engagements"]
    erows = {eng.cell(r, 1).value: r for r in range(2, eng.max_row + 1)}
    for theme, (value, comment) in (engagements or {}).items():
        eng.cell(erows[theme], 4).value = value
        eng.cell(erows[theme], 5).value = comment
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


ANSWERS = {
    "q1": "Nous signerons des conventions pluriannuelles avec les associations de solidarité.",
    "q6": "Nous ouvrirons 100 places d'hébergement d'urgence et une épicerie solidaire.\n"
          "Le budget de l'aide alimentaire sera doublé.",
}
ENGAGEMENTS = {
    "hebergement_urgence": ("Oui", "100 places dès 2027"),
    "aide_alimentaire": ("En partie", ""),
    "personnes_migrantes": ("Non", ""),
}


def test_xlsx_template_follows_the_contract(cfg, templates):
    assert templates["xlsx"].name == "questionnaire_aix-en-provence.xlsx"
    wb = openpyxl.load_workbook(templates["xlsx"])
    assert wb.sheetnames[:3] == ["Lisez-moi", "Réponses", "Engagements"]
    meta = wb["_meta"]
    assert meta.sheet_state == "hidden"
    values = {a: b for a, b in meta.iter_rows(min_col=1, max_col=2, values_only=True)}
    assert values["format"] == "barometre-questionnaire" and values["version"] == "1"
    assert values["codebook"] == "solidarite"
    ws = wb["Réponses"]
    assert [c.value for c in ws[4]][:3] == ["question_id", "Question", "Votre réponse"]
    assert [ws.cell(r, 1).value for r in range(5, 13)] == [q.id for q in cfg.questions]
    assert ws.cell(5, 2).value == cfg.questions[0].text
    assert ws.cell(5, 3).alignment.wrap_text and ws.column_dimensions["C"].width >= 80
    dv = next(d for d in ws.data_validations.dataValidation if "B1" in str(d.sqref))
    sheet, cells = dv.formula1.split("!")
    names = [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]
    assert names == [li.name for li in cfg.lists]
    eng = wb["Engagements"]
    assert [c.value for c in eng[1]][:5] == ["theme_id", "Axe", "Thème", "Engagement",
                                             "Commentaire"]
    assert eng.max_row == 26 and eng.cell(2, 1).value == "partenariat_associatif"
    dv = next(d for d in eng.data_validations.dataValidation if "D2" in str(d.sqref))
    assert dv.formula1 == '"Oui,En partie,Non"'
    readme = "\n".join(str(c.value) for c in wb["Lisez-moi"]["A"] if c.value)
    assert "DONNÉES FICTIVES" in readme and "B1" in readme


def test_docx_template_has_letter_questions_and_grid(cfg, templates):
    doc = Document(str(templates["docx"]))
    assert doc.core_properties.category == "barometre-questionnaire"
    texts = [p.text for p in doc.paragraphs]
    assert "DONNÉES FICTIVES" in texts[0]
    assert any(cfg.collective["name"] in t for t in texts)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings[0] == "Question 1 — Partenariat avec les associations"
    assert sum(h.startswith("Question ") for h in headings) == len(cfg.questions)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Code", "Axe", "Thème", "Engagement",
                                                     "Commentaire"]
    assert len(table.rows) == 26


def test_filled_xlsx_is_read_as_answers_and_engagement_sentences(cfg, templates, tmp_path):
    filled = fill_xlsx(templates["xlsx"], tmp_path / "rempli.xlsx", answers=ANSWERS,
                       engagements=ENGAGEMENTS)
    assert is_filled_template(filled)
    df = read_filled_template(filled, cfg)
    assert list(df.columns) == COLUMNS
    assert set(df["list_name"]) == {"Aix Avenir"}
    answers = df[df.question_id != "engagements"]
    assert list(answers.question_id) == ["q1", "q6"]
    assert answers.iloc[1].text == ANSWERS["q6"]
    assert answers.iloc[0].section == cfg.questions[0].column
    eng = df[df.question_id == "engagements"].set_index("section")["text"]
    oui = eng["Engagements — Hébergement d'urgence"]
    assert oui.startswith("Engagement : Oui — Hébergement d'urgence")
    assert oui.endswith("Commentaire : 100 places dès 2027")
    assert eng["Engagements — Aide alimentaire"].startswith("Engagement : En partie — ")
    assert eng["Engagements — Personnes migrantes"] == "Engagement : Non — Personnes migrantes."
    assert len(eng) == 3                      # blank engagement rows are not answers


def test_filled_docx_is_read_like_the_xlsx(cfg, templates, tmp_path):
    doc = Document(str(templates["docx"]))
    paragraphs = doc.paragraphs
    name = next(p for p in paragraphs if p.text.startswith("Nom de la liste"))
    name.add_run("Aix Citoyenne")
    q6 = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Question 6 —"))
    paragraphs[q6 + 3].add_run("Nous ouvrirons une halte de nuit.")
    row = next(r for r in doc.tables[0].rows if r.cells[0].text == "hebergement_urgence")
    row.cells[3].text = "Oui"
    target = tmp_path / "lettre.docx"
    doc.save(target)
    assert is_filled_template(target)
    df = read_filled_template(target, cfg)
    assert set(df.list_name) == {"Aix Citoyenne"}
    assert list(df.question_id) == ["q6", "engagements"]
    assert df.iloc[0].text == "Nous ouvrirons une halte de nuit."     # question text left out
    assert df.iloc[1].text.startswith("Engagement : Oui — Hébergement d'urgence")


def test_structural_problems_name_the_sheet(cfg, templates, tmp_path):
    wb = openpyxl.load_workbook(templates["xlsx"])
    wb["Réponses"]["A4"] = "id"
    wb.save(tmp_path / "abime.xlsx")
    with pytest.raises(UserError, match="Réponses.*question_id.*ligne 4"):
        read_filled_template(tmp_path / "abime.xlsx", cfg)
    wb = openpyxl.load_workbook(templates["xlsx"])
    wb["_meta"]["B1"] = "autre-chose"
    wb.save(tmp_path / "autre.xlsx")
    with pytest.raises(UserError, match="_meta.*format"):
        read_filled_template(tmp_path / "autre.xlsx", cfg)


def test_an_edited_template_is_archived(cfg, templates, capsys):
    doc = Document(str(templates["docx"]))
    doc.add_paragraph("Paragraphe ajouté par le collectif.")
    doc.save(templates["docx"])
    capsys.readouterr()
    run_questionnaire_template(cfg)
    assert "ancienne version conservée" in capsys.readouterr().out
    archived = list((templates["docx"].parent / "archives").glob("*.docx"))
    assert len(archived) == 1
    assert "Paragraphe ajouté" in "\n".join(p.text for p in Document(str(archived[0])).paragraphs)


def test_filled_template_goes_through_the_real_ingestion(cfg, templates):
    ingest = pytest.importorskip("analysis.ingest", reason="ingestion helper not landed")
    fill_xlsx(templates["xlsx"], cfg.raw / "questionnaire" / "reponse recue 12-02.xlsx",
              answers=ANSWERS, engagements=ENGAGEMENTS)
    (cfg.raw / "programmes").mkdir(parents=True)
    passages, report = ingest.run_ingest(cfg)
    q = passages[passages.source == "questionnaire"]
    assert set(q.list_id) == {"aix-avenir"}
    assert {"q1", "q6", "engagements"} <= set(q.question_id)
    assert q[q.question_id == "q1"].text.str.contains("conventions pluriannuelles").any()
    assert q[q.question_id == "engagements"].text.str.contains(
        "Engagement : Oui — Hébergement d'urgence").any()
    row = report[report.path.str.endswith(".xlsx")].iloc[0]
    assert row.status == "ok"
