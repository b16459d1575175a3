"""Builders shared by the ingestion tests: a small config and real files (PDF, DOCX, HTML,
text, xlsx) generated into tmp_path. No test here."""

from __future__ import annotations

from pathlib import Path

import yaml

from analysis.config import PROJECT_ROOT, load_config

LISTS = [
    {"id": "aix-solidaire", "name": "Aix Solidaire et Écologique", "colour": "#009E73",
     "aliases": ["Aix Solidaire"]},
    {"id": "aix-avenir", "name": "Aix Avenir", "colour": "#0072B2"},
    {"id": "aix-citoyenne", "name": "Aix Citoyenne", "colour": "#D55E00"},
]
QUESTIONS = [
    {"id": "q1", "axis": "partenariat", "column": "1. Partenariat avec les associations",
     "text": "Quelle place donnerez-vous aux associations de solidarité ?"},
    {"id": "q2", "axis": "partenariat", "column": "2. Participation des habitants",
     "text": "Comment associerez-vous les habitants aux décisions municipales ?"},
    {"id": "q3", "axis": "inclusion", "column": "3. Accompagnement et accès aux droits",
     "text": "Quels moyens pour l'accompagnement social et l'accès aux droits ?"},
]
FORM = {"list_column": "Nom de votre liste", "date_column": "Horodateur",
        "contact_columns": ["Adresse e-mail", "Téléphone", "Nom du ou de la répondant·e"]}

PARAGRAPH_LINES = [
    "Nous renforcerons l'accompa-",
    "gnement social des familles et nous",
    "ouvrirons un accueil de jour peut-être dès",
    "2027 à Aix-en-Provence, vis-à-vis de la gare.",
]


def make_config(tmp_path: Path, lists=None, questions=None, form=None):
    """A config YAML in tmp_path (demo.yml structure) loaded with tmp raw/processed."""
    data = {
        "demo": True, "commune": "Aix-en-Provence",
        "election": {"name": "Test", "round1": "2026-03-15"},
        "data_date": "2026-02-27",
        "codebook": str(PROJECT_ROOT / "config" / "codebooks" / "solidarite.yml"),
        "lists": LISTS if lists is None else lists,
        "questionnaire": {"form": FORM if form is None else form,
                          "questions": QUESTIONS if questions is None else questions},
    }
    path = tmp_path / "test.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    raw = tmp_path / "raw"
    (raw / "programmes").mkdir(parents=True, exist_ok=True)
    return load_config(path, raw=raw, processed=tmp_path / "processed",
                       reports=tmp_path / "reports", reviews=tmp_path / "reviews")


def _register_font():
    """A TTF font with French glyphs (œ, €, ’) when the system has one, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for regular, bold in [
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ]:
        if Path(regular).is_file() and Path(bold).is_file():
            pdfmetrics.registerFont(TTFont("TestSans", regular))
            pdfmetrics.registerFont(TTFont("TestSans-Bold", bold))
            return "TestSans", "TestSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def make_programme_pdf(path: Path, n_pages: int = 3, **canvas_kwargs) -> Path:
    """A multi-page programme drawn line by line: running header and footer
    "Programme — Page N/M", a heading per page, a hyphenated paragraph, bullets."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    regular, bold = _register_font()
    c = canvas.Canvas(str(path), pagesize=A4, **canvas_kwargs)
    _, height = A4
    for page in range(1, n_pages + 1):
        c.setFont(regular, 9)
        c.drawString(72, height - 40, "Aix Solidaire — programme municipal 2026")
        c.setFont(bold, 16)
        c.drawString(72, height - 90, f"Chapitre {page} : solidarité et logement")
        c.setFont(regular, 11)
        y = height - 130
        for line in PARAGRAPH_LINES:
            c.drawString(72, y, line)
            y -= 14
        y -= 14
        c.drawString(72, y, f"Nous créerons {page * 100} places d'hébergement d'urgence.")
        y -= 14
        c.drawString(72, y, "Ce sera financé par un budget de 1,5 M€ par an.")
        y -= 28
        for item in ("Ouvrir une épicerie solidaire.", "Soutenir le Secours populaire."):
            c.drawString(80, y, f"• {item} (page {page})")
            y -= 14
        c.setFont(regular, 9)
        c.drawString(250, 30, f"Programme — Page {page}/{n_pages}")
        c.showPage()
    c.save()
    return path


def make_scanned_pdf(path: Path) -> Path:
    """A PDF whose only page is a drawing: no text layer."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(72, 72, 300, 500, fill=1)
    c.showPage()
    c.save()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from reportlab.lib import pdfencrypt

    return make_programme_pdf(
        path, n_pages=1, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="x")
    )


def make_docx(path: Path) -> Path:
    """Headings, a paragraph, bullets and a table."""
    import docx

    d = docx.Document()
    d.add_heading("Programme d'Aix Avenir", level=1)
    d.add_heading("Logement et hébergement", level=2)
    d.add_paragraph("Nous construirons 200 logements sociaux d'ici 2028. "
                    "M. le maire présentera le plan en conseil municipal.")
    d.add_paragraph("Créer une halte de nuit pour les sans-abri", style="List Bullet")
    d.add_paragraph("Doubler les maraudes sociales en hiver", style="List Bullet")
    d.add_heading("Nos engagements chiffrés", level=2)
    table = d.add_table(rows=3, cols=2)
    for row, values in zip(table.rows, [("Mesure", "Budget"),
                                        ("Épicerie solidaire", "120 000 €"),
                                        ("Bains-douches", "80 000 €")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    d.save(str(path))
    return path


HTML_PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Aix Citoyenne</title><script>var tracking = "Nous créerons un faux passage";</script>
<style>.x{color:red}</style></head><body>
<header><a href="/">Accueil</a> <nav><ul><li><a href="/prog">Programme</a></li>
<li><a href="/equipe">L'équipe</a></li></ul></nav></header>
<div id="cookie-banner">Ce site utilise des cookies. <button>Accepter</button></div>
<main><article>
<h1>Notre programme pour une ville solidaire</h1>
<p>Aix Citoyenne veut une ville où personne n'est laissé de côté.</p>
<h2>Santé et dignité</h2>
<p>Nous ouvrirons un centre de santé municipal avec des consultations sans avance de frais.</p>
<ul><li>Installer des bains-douches publics gratuits.</li>
<li>Créer une permanence d'accès aux droits dans chaque quartier.</li></ul>
<h3>Alimentation</h3>
<p>Nous soutiendrons les épiceries solidaires avec une subvention de 50 000 € par an.</p>
</article>
<aside class="social">Suivez-nous sur les réseaux sociaux !</aside></main>
<footer><p>Mentions légales — © 2026 Aix Citoyenne. Tous droits réservés.</p>
<p>Contact : contact@aix-citoyenne.example</p></footer>
</body></html>"""


def make_html(path: Path) -> Path:
    path.write_text(HTML_PAGE, encoding="utf-8")
    return path


CP1252_TEXT = (
    "Nos priorités\n\n"
    "L’association « Œuvre du cœur » recevra 15 000 € par an.\n"
    "Nous financerons l’aide alimentaire : c’est une priorité.\n"
)


def make_form_xlsx(path: Path, rows: list[dict]) -> Path:
    """A form export: one row per list, contact columns included."""
    import pandas as pd

    pd.DataFrame(rows).to_excel(path, index=False)
    return path


def make_letter_docx(path: Path) -> Path:
    """A letter answering the questionnaire with "Question 1" / "Q2" headings."""
    import docx

    d = docx.Document()
    d.add_paragraph("Aix-en-Provence, le 12 février 2026")
    d.add_paragraph("Madame, Monsieur, voici nos réponses à votre questionnaire.")
    d.add_heading("Question 1 — Partenariat avec les associations", level=2)
    d.add_paragraph("Nous signerons des conventions pluriannuelles avec les associations. "
                    "Les locaux municipaux seront prêtés gratuitement.")
    d.add_paragraph("Q2. Nous créerons un conseil des personnes concernées par la précarité, "
                    "réuni chaque trimestre avec les élus et les services municipaux.")
    d.add_paragraph("Pour nous joindre : 06 12 34 56 78 ou equipe@aix-solidaire.example.")
    d.save(str(path))
    return path
