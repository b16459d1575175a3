"""Each reader on real files generated here: PDF, DOCX, HTML, Markdown, text, ODT."""

import pytest
from factories.ingest import (
    CP1252_TEXT,
    make_docx,
    make_html,
    make_programme_pdf,
)

from analysis.ingest.blocks import BULLET, HEADING, ROW
from analysis.ingest.readers import read_document
from analysis.ingest.text import decode


def texts(doc, kind=None):
    return [b.text for b in doc.blocks if kind is None or b.kind == kind]


def test_pdf_pages_hyphenation_footer_headings_bullets(tmp_path):
    doc = read_document(make_programme_pdf(tmp_path / "programme.pdf", n_pages=3))
    assert doc.format == "pdf" and doc.pages == 3
    body = " ".join(texts(doc))
    assert "Page" not in body and "programme municipal 2026" not in body  # running lines
    assert "accompagnement social" in body and "accompa-" not in body
    assert "peut-être" in body and "Aix-en-Provence" in body and "vis-à-vis" in body
    headings = [(b.page, b.text) for b in doc.blocks if b.kind == HEADING]
    assert headings == [(n, f"Chapitre {n} : solidarité et logement") for n in (1, 2, 3)]
    bullets = [(b.page, b.text) for b in doc.blocks if b.kind == BULLET]
    assert (2, "Soutenir le Secours populaire. (page 2)") in bullets
    places = [b.page for b in doc.blocks if "places d'hébergement" in b.text]
    assert places == [1, 2, 3]
    assert "1,5 M€" in body


def test_pdf_two_columns_are_read_column_by_column(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "colonnes.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 10)
    left = [f"Gauche ligne {i} sur le logement social," for i in range(12)] + ["fin gauche."]
    right = [f"Droite ligne {i} sur la santé publique," for i in range(12)] + ["fin droite."]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        c.drawString(60, 700 - 13 * i, a)
        c.drawString(320, 700 - 13 * i, b)
    c.save()
    body = " ".join(texts(read_document(path)))
    assert body.index("fin gauche.") < body.index("Droite ligne 0")
    assert "Gauche ligne 1 sur le logement social, Gauche ligne 2" in body


def test_docx_headings_bullets_and_table_rows(tmp_path):
    doc = read_document(make_docx(tmp_path / "programme.docx"))
    assert doc.pages is None
    assert texts(doc, HEADING) == ["Programme d'Aix Avenir", "Logement et hébergement",
                                  "Nos engagements chiffrés"]
    assert texts(doc, BULLET) == ["Créer une halte de nuit pour les sans-abri",
                                 "Doubler les maraudes sociales en hiver"]
    assert texts(doc, ROW) == ["Mesure: Épicerie solidaire; Budget: 120 000 €",
                              "Mesure: Bains-douches; Budget: 80 000 €"]


def test_html_main_content_only(tmp_path):
    doc = read_document(make_html(tmp_path / "page.html"))
    body = " ".join(texts(doc)).lower()
    for boilerplate in ("cookies", "accueil", "l'équipe", "mentions légales", "suivez-nous",
                        "faux passage", "contact@", "color"):
        assert boilerplate not in body
    assert texts(doc, HEADING) == ["Notre programme pour une ville solidaire",
                                  "Santé et dignité", "Alimentation"]
    assert "Installer des bains-douches publics gratuits." in texts(doc, BULLET)


def test_html_without_main_uses_the_densest_block(tmp_path):
    path = tmp_path / "page.htm"
    para = "<p>Nous financerons les associations de solidarité du quartier chaque année.</p>"
    path.write_text(
        "<html><body><div class='top'><a href='/'>Accueil</a> <a href='/x'>Liste</a></div>"
        f"<div id='contenu'><h2>Solidarité</h2>{para * 4}</div>"
        "<div class='bas'>© 2026 — Tous droits réservés</div></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert texts(doc, HEADING) == ["Solidarité"]
    assert len(doc.blocks) == 5 and "Accueil" not in " ".join(texts(doc))


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1", "cp1252"])
def test_text_encodings(tmp_path, encoding):
    text = CP1252_TEXT if encoding != "latin-1" else CP1252_TEXT.replace("’", "'").replace(
        "Œ", "Oe").replace("œ", "oe").replace("€", "euros")
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert texts(doc, HEADING) == ["Nos priorités"]
    body = " ".join(texts(doc, "paragraph"))
    expected = " ".join(text.split("\n\n", 1)[1].split())
    assert body == expected


def test_cp1252_curly_quotes_oe_and_euro_decode_correctly():
    text, _ = decode("L’œuvre « Cœur » : 15 € — c’est “bien”.".encode("cp1252"))
    assert text == "L’œuvre « Cœur » : 15 € — c’est “bien”."
    short, _ = decode("Solidarité à Aix".encode("cp1252"))
    assert short == "Solidarité à Aix"


def test_text_wrapped_lines_joined_and_bullets_kept(tmp_path):
    path = tmp_path / "programme.txt"
    path.write_text(
        "NOS PROPOSITIONS\n\nNous voulons une ville où chacun trouve sa place et où\n"
        "l'accompa-\ngnement social est renforcé.\n\n- Ouvrir une épicerie solidaire\n"
        "- Créer 50 places d'hébergement\n", encoding="utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (HEADING, "NOS PROPOSITIONS"),
        ("paragraph", "Nous voulons une ville où chacun trouve sa place et où "
                      "l'accompagnement social est renforcé."),
        (BULLET, "Ouvrir une épicerie solidaire"),
        (BULLET, "Créer 50 places d'hébergement"),
    ]


def test_markdown_headings_bullets_tables_and_inline_markup(tmp_path):
    path = tmp_path / "programme.md"
    path.write_text(
        "---\ntitle: x\n---\n# Programme\n\nIntro **forte** avec un [lien](http://x.fr).\n\n"
        "Santé\n-----\n\n* Bains-douches gratuits\n* Maraudes\n  renforcées\n\n"
        "| Mesure | Coût |\n|---|---|\n| Épicerie | 10 k€ |\n", encoding="utf-8")
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (HEADING, "x"),  # the front matter's title: a section, never a passage
        (HEADING, "Programme"), ("paragraph", "Intro forte avec un lien."),
        (HEADING, "Santé"), (BULLET, "Bains-douches gratuits"), (BULLET, "Maraudes renforcées"),
        (ROW, "Mesure: Épicerie; Coût: 10 k€"),
    ]


def test_odt_headings_paragraphs_lists(tmp_path):
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text="Logement"))
    odt.text.addElement(P(text="Nous construirons des logements sociaux."))
    items = List()
    for value in ("Halte de nuit", "Maraudes"):
        item = ListItem()
        item.addElement(P(text=value))
        items.addElement(item)
    odt.text.addElement(items)
    path = tmp_path / "programme.odt"
    odt.save(str(path))
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (HEADING, "Logement"), ("paragraph", "Nous construirons des logements sociaux."),
        (BULLET, "Halte de nuit"), (BULLET, "Maraudes"),
    ]


def test_docx_text_boxes_are_read_once(tmp_path):
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    par = d.add_paragraph("Notre programme en bref.")
    box = (
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Encadré : 80 places d'hébergement d'urgence.</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    par._p.append(parse_xml(box))
    path = tmp_path / "encadre.docx"
    d.save(str(path))
    assert texts(read_document(path)) == ["Notre programme en bref.",
                                          "Encadré : 80 places d'hébergement d'urgence."]
