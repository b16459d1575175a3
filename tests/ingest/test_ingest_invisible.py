"""Text a reader of a Word or OpenDocument file does not see (issue 16): white on a white
page, under 4 points, hidden by a style; left out and counted, while white text on a
coloured shading or highlight is read. Files written by python-docx and odfpy."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from analysis.ingest.docx import read_docx
from analysis.ingest.odt import read_odt

VISIBLE = "Nous soutiendrons les associations du quartier par des conventions."
SECRETS = [
    "Nous fermerons le foyer de nuit des sans abri.",
    "Nous réduirons le budget du CCAS de moitié.",
    "Nous vendrons les logements sociaux vacants.",
    "Nous couperons les maraudes.",
]
SHOWN = ["Un bandeau blanc sur fond vert, bien visible.",
         "Un texte blanc surligné en bleu, visible aussi."]
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def _hidden_count(warnings: list[str]) -> int:
    note = next(w for w in warnings if "caractères invisibles ignorés" in w)
    return int(note.split()[0])


def test_docx_white_and_tiny_text_is_left_out_and_counted(tmp_path):
    d = docx.Document()
    d.add_paragraph(VISIBLE)
    d.add_paragraph().add_run(SECRETS[0]).font.color.rgb = WHITE
    d.add_paragraph().add_run(SECRETS[1]).font.size = Pt(1)
    style = d.styles.add_style("Discret", WD_STYLE_TYPE.PARAGRAPH)
    style.font.color.rgb = RGBColor(0xFE, 0xFE, 0xFE)           # white through a style
    d.add_paragraph(SECRETS[2], style="Discret")
    banner = d.add_paragraph()
    banner.add_run(SHOWN[0]).font.color.rgb = WHITE
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), "006633")
    banner._p.get_or_add_pPr().append(shading)
    marked = d.add_paragraph().add_run(SHOWN[1])
    marked.font.color.rgb = WHITE
    marked.font.highlight_color = WD_COLOR_INDEX.BLUE
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].add_run(SECRETS[3]).font.color.rgb = WHITE
    table.cell(0, 1).text = "Une cellule visible sur l'accès aux droits."
    d.save(str(tmp_path / "w.docx"))
    doc = read_docx(tmp_path / "w.docx")
    text = " ".join(b.text for b in doc.blocks)
    assert VISIBLE in text and all(s in text for s in SHOWN)
    assert "Une cellule visible" in text
    assert not any(s[:20] in text for s in SECRETS)
    assert _hidden_count(doc.warnings) == sum(len("".join(s.split())) for s in SECRETS)


def test_odt_hidden_white_and_tiny_text_is_left_out_and_bold_titles_kept(tmp_path):
    from odf import style, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    for name, props in (("Blanc", {"color": "#ffffff"}), ("Minuscule", {"fontsize": "1pt"}),
                        ("Cache", {"display": "none"}), ("Gras", {"fontweight": "bold"}),
                        ("Bandeau", {"color": "#ffffff", "backgroundcolor": "#003366"})):
        s = style.Style(name=name, family="text")
        s.addElement(style.TextProperties(**props))
        doc.automaticstyles.addElement(s)
    par = text.P(text=VISIBLE)
    doc.text.addElement(par)
    for secret, name in zip(SECRETS[:3], ("Blanc", "Minuscule", "Cache"), strict=True):
        p = text.P()
        p.addElement(text.Span(stylename=name, text=secret))
        doc.text.addElement(p)
    p = text.P()
    p.addElement(text.Span(stylename="Bandeau", text=SHOWN[0]))
    doc.text.addElement(p)
    p = text.P()                       # a « hidden paragraph » field hides its paragraph
    p.addElement(text.HiddenParagraph(condition="ooow:1", ishidden="true"))
    p.addText(SECRETS[3])
    doc.text.addElement(p)
    items = text.List()
    item = text.ListItem()
    p = text.P()
    p.addElement(text.Span(stylename="Gras", text="Épicerie solidaire"))
    p.addText("Une épicerie dans chaque quartier.")
    item.addElement(p)
    items.addElement(item)
    doc.text.addElement(items)
    doc.save(str(tmp_path / "t.odt"))
    read = read_odt(tmp_path / "t.odt")
    texts = [b.text for b in read.blocks]
    assert texts == [VISIBLE, SHOWN[0], "Épicerie solidaire : Une épicerie dans chaque quartier."]
    assert _hidden_count(read.warnings) == sum(len("".join(s.split())) for s in SECRETS)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : `make test` "
                    "l'installe (scripts/system_deps.sh)")
def test_a_docx_saved_as_odt_by_libreoffice_hides_the_same_text(tmp_path):
    d = docx.Document()
    d.add_paragraph(VISIBLE)
    d.add_paragraph().add_run(SECRETS[0]).font.color.rgb = WHITE
    d.add_paragraph().add_run(SECRETS[1]).font.size = Pt(1)
    d.add_paragraph().add_run(SECRETS[2]).font.hidden = True
    item = d.add_paragraph(style="List Bullet")
    item.add_run("Épicerie solidaire").bold = True
    item.add_run("Une épicerie dans chaque quartier.")
    d.save(str(tmp_path / "w.docx"))
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "odt", "--outdir", str(tmp_path / "odt"),
                    str(tmp_path / "w.docx")], check=True, capture_output=True, timeout=180)
    read = read_odt(tmp_path / "odt" / "w.odt")
    assert [b.text for b in read.blocks] == [
        VISIBLE, "Épicerie solidaire : Une épicerie dans chaque quartier."]
    assert _hidden_count(read.warnings) == sum(len("".join(s.split())) for s in SECRETS[:3])
