"""The questionnaire as a Word letter (headings "Question N — <titre>", engagement table)."""

from __future__ import annotations

from analysis.codebook import Codebook
from analysis.config import Config
from analysis.contracts import ANSWER_HEADER, FORM_FORMAT, FORM_VERSION, LIST_NAME_LABEL
from analysis.questionnaire.wording import intro_paragraphs, short_title


def build_docx(cfg: Config, codebook: Codebook):
    """The questionnaire letter (python-docx Document)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    props = doc.core_properties
    props.category = FORM_FORMAT
    props.subject = FORM_FORMAT
    props.keywords = f"{FORM_FORMAT}; version={FORM_VERSION}; codebook={codebook.name}"
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
