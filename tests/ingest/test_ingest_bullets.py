"""A bullet's bold title and its description are one passage (issue 16), in DOCX
(python-docx), in PDF (reportlab, and LibreOffice's export of the same DOCX) and in
Markdown: « Titre : description », the title neither lost, nor a passage of its own, nor
glued to the description."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from analysis.ingest.docx import read_docx
from analysis.ingest.pdf import read_pdf
from analysis.ingest.stage import run_ingest
from analysis.ingest.text import read_md
from tests.factories.ingest import make_config

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
EXPECTED = [
    "Épicerie solidaire : une épicerie dans chaque quartier.",
    "Bains-douches : Ouverts le dimanche matin toute l'année.",
    "Accueil de nuit : Cinquante places de plus dès l'hiver.",
    "Maraudes : Des maraudes sociales chaque soir avec les associations.",
]
# what follows the titled bullets: emphasis inside a sentence, a bullet without title,
# and a paragraph at the margin, which stay as written
TAIL = [
    "Nous créerons un conseil des associations.",
    "Logement",
    "Nous agirons sur tous ces fronts dès le premier jour.",
]


def titled_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Nos engagements", level=1)
    p = d.add_paragraph(style="List Bullet")
    p.add_run("Épicerie solidaire").bold = True
    p.add_run(" : une épicerie dans chaque quartier.")
    p = d.add_paragraph(style="List Bullet")
    p.add_run("Bains-douches").bold = True                # glued to its description
    p.add_run("Ouverts le dimanche matin toute l'année.")
    p = d.add_paragraph(style="List Bullet")
    title = p.add_run("Accueil de nuit")                  # a line break after the title
    title.bold = True
    title.add_break()
    p.add_run("Cinquante places de plus dès l'hiver.")
    d.add_paragraph(style="List Bullet").add_run("Maraudes").bold = True
    under = d.add_paragraph("Des maraudes sociales chaque soir avec les associations.")
    under.paragraph_format.left_indent = Pt(36)           # the description under the bullet
    p = d.add_paragraph(style="List Bullet")
    p.add_run("Nous créerons").bold = True                # emphasis, not a title
    p.add_run(" un conseil des associations.")
    d.add_paragraph("Logement", style="List Bullet")
    d.add_paragraph("Nous agirons sur tous ces fronts dès le premier jour.")
    d.save(str(path))
    return path


def titled_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 780
    c.setFont("Helvetica-Bold", 16)
    c.drawString(72, y, "Nos engagements")
    y -= 30

    def bullet(title: str, rest: str, same_line: bool = True) -> None:
        nonlocal y
        c.setFont("Helvetica", 11)
        c.drawString(72, y, "•")
        c.setFont("Helvetica-Bold", 11)
        c.drawString(86, y, title)
        c.setFont("Helvetica", 11)
        if same_line:
            c.drawString(86 + c.stringWidth(title + " ", "Helvetica-Bold", 11), y, rest)
        else:  # the description on the line under the title, at the bullet's text indent
            y -= 14
            c.drawString(86, y, rest)
        y -= 22

    bullet("Épicerie solidaire :", "une épicerie dans chaque quartier.")
    bullet("Bains-douches", "Ouverts le dimanche matin toute l'année.")
    bullet("Accueil de nuit", "Cinquante places de plus dès l'hiver.", same_line=False)
    bullet("Maraudes", "Des maraudes sociales chaque soir avec les associations.",
           same_line=False)
    bullet("Nous créerons", "un conseil des associations.")
    c.drawString(72, y, "• Logement")
    c.drawString(72, y - 24, "Nous agirons sur tous ces fronts dès le premier jour.")
    c.showPage()
    c.save()
    return path


def _bodies(doc) -> list[str]:
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "Nos engagements"
    return [b.text for b in doc.blocks[1:]]


def test_docx_bold_titles_and_descriptions_are_one_bullet(tmp_path):
    doc = read_docx(titled_docx(tmp_path / "p.docx"))
    assert _bodies(doc) == EXPECTED + TAIL
    assert all(b.kind == "bullet" for b in doc.blocks[1:-1])


def test_pdf_bold_titles_and_descriptions_are_one_bullet(tmp_path):
    doc = read_pdf(titled_pdf(tmp_path / "p.pdf"))
    assert _bodies(doc) == EXPECTED + TAIL


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : `make test` "
                    "l'installe (scripts/system_deps.sh)")
def test_a_docx_exported_to_pdf_by_libreoffice_reads_as_the_docx(tmp_path):
    source = titled_docx(tmp_path / "p.docx")
    out = tmp_path / "pdf"
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    # LibreOffice writes the bullets in OpenSymbol, as private-use U+F0B7 glyphs
    assert _bodies(read_pdf(out / "p.pdf")) == EXPECTED + TAIL


def test_markdown_bold_titles_on_the_bullets_line(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("# Nos engagements\n\n- **Épicerie solidaire** : une épicerie dans "
                    "chaque quartier.\n- **Bains-douches**Ouverts le dimanche matin toute "
                    "l'année.\n- **Accueil de nuit** Cinquante places de plus dès l'hiver.\n"
                    "- **Nous créerons** un conseil des associations.\n", encoding="utf-8")
    assert _bodies(read_md(path)) == EXPECTED[:3] + TAIL[:1]


def test_each_titled_bullet_is_one_passage_in_the_run(tmp_path):
    cfg = make_config(tmp_path)
    prog = cfg.raw / "programmes" / "aix-avenir"
    prog.mkdir(parents=True)
    titled_docx(prog / "programme.docx")
    titled_pdf(prog / "tract.pdf")
    passages, _ = run_ingest(cfg)
    for name in ("programme.docx", "tract.pdf"):
        texts = passages.loc[passages["path"].str.endswith(name), "text"].tolist()
        for expected in EXPECTED:
            assert expected in texts, (name, expected)
        assert not any(t in {"Maraudes", "Accueil de nuit", "Bains-douches"} for t in texts)
        assert set(passages.loc[passages["path"].str.endswith(name), "section"]) == {
            "Nos engagements"}


def test_html_bold_titles_inside_the_list_item(tmp_path):
    from analysis.ingest.html import read_html

    path = tmp_path / "p.html"
    path.write_text(
        "<html><body><main><h1>Nos engagements</h1><ul>"
        "<li><strong>Épicerie solidaire</strong> : une épicerie dans chaque quartier.</li>"
        "<li><b>Bains-douches</b>Ouverts le dimanche matin toute l'année.</li>"
        "<li><strong>Accueil de nuit</strong><br>Cinquante places de plus dès l'hiver.</li>"
        "<li><strong>Maraudes</strong><p>Des maraudes sociales chaque soir avec les "
        "associations.</p></li>"
        "<li><strong>Nous créerons</strong> un conseil des associations.</li>"
        "<li>Logement</li></ul><p>Nous agirons sur tous ces fronts dès le premier jour.</p>"
        "</main></body></html>", encoding="utf-8")
    assert _bodies(read_html(path)) == EXPECTED + TAIL


def test_a_long_docx_of_titled_bullets_is_read_quickly(tmp_path):
    import time

    d = docx.Document()
    for i in range(2000):
        p = d.add_paragraph(style="List Bullet")
        p.add_run(f"Titre {i}").bold = True
        p.add_run(f" Description numéro {i} sur la solidarité et les associations.")
        d.add_paragraph(f"Un paragraphe {i} sur l'accès aux droits des habitants.")
    d.save(str(tmp_path / "long.docx"))
    start = time.perf_counter()
    doc = read_docx(tmp_path / "long.docx")
    assert time.perf_counter() - start < 20  # style lookups cached: about 0.3 s
    assert doc.blocks[0].text == "Titre 0 : Description numéro 0 sur la solidarité et les " \
        "associations."
    assert len(doc.blocks) == 4000
