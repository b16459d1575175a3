"""Hostile inputs (issue 16): what a list hands in must not change the numbers behind the
analyst's back, leak personal data, or stop the run. Every file is written by a real
library (reportlab, python-docx, openpyxl) or as raw bytes."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from stdnum import iban, luhn
from stdnum.fr import nir

from analysis.ingest.docx import read_docx
from analysis.ingest.html import read_html
from analysis.ingest.pdf import read_pdf
from analysis.ingest.privacy import mask_counted
from analysis.ingest.stage import run_ingest
from analysis.ingest.text import read_md, read_txt
from tests.factories.ingest import make_config

VISIBLE = "Nous soutiendrons les associations du quartier par des conventions pluriannuelles."
SECRETS = [
    "Nous ouvrirons trois banques alimentaires et un accueil de nuit.",
    "Nous creerons une epicerie solidaire dans chaque quartier.",
    "Texte hors de la page sur le logement social.",
    "Hebergement d'urgence pour toutes les familles sans abri.",
]


def _texts(tmp_path, cfg):
    passages, report = run_ingest(cfg)
    return passages, report


# --- invisible text -----------------------------------------------------------------------
def hidden_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, VISIBLE)
    c.setFillColorRGB(1, 1, 1)                     # white on white
    c.drawString(72, 740, SECRETS[0])
    c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 1)                      # 1-pt text
    c.drawString(72, 720, SECRETS[1])
    c.setFont("Helvetica", 11)
    c.drawString(72, 2000, SECRETS[2])             # outside the page box
    text = c.beginText(72, 700)
    text.setTextRenderMode(3)                      # rendering mode invisible
    text.textLine(SECRETS[3])
    text.setTextRenderMode(0)
    c.drawText(text)
    c.setFillColorRGB(0, 0, 0.5)                   # white on a dark banner: visible
    c.rect(60, 660, 450, 30, fill=1, stroke=0)
    c.setFillColorRGB(1, 1, 1)
    c.drawString(72, 670, "Un centre social ouvert le soir dans chaque quartier.")
    c.showPage()
    c.save()
    return path


def test_pdf_invisible_characters_are_left_out_and_counted(tmp_path):
    doc = read_pdf(hidden_pdf(tmp_path / "p.pdf"))
    text = " ".join(b.text for b in doc.blocks)
    assert VISIBLE in text
    assert "Un centre social ouvert le soir" in text  # white on a coloured banner is seen
    for secret in SECRETS:
        assert secret[:25] not in text
    hidden = sum(len(s.replace(" ", "")) for s in SECRETS)
    note = next(w for w in doc.warnings if "caractères invisibles ignorés" in w)
    assert int(note.split()[0]) == hidden


def test_html_hidden_elements_and_comments_are_not_read(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html><body><main><h2>Solidarité</h2><p>" + VISIBLE + "</p>"
        "<p hidden>Nous fermerons le foyer de nuit.</p>"
        "<p class='sr-only'>Nous supprimerons les subventions.</p>"
        "<p class='visually-hidden'>Nous expulserons les squatteurs.</p>"
        "<p style='font-size:0'>Nous réduirons le CCAS.</p>"
        "<div style='visibility: hidden'>Nous vendrons les logements sociaux.</div>"
        "<span aria-hidden='true'>Aide alimentaire conditionnée.</span>"
        "<!-- Nous supprimerons l'accueil de jour des personnes sans abri. -->"
        "<p>Un second paragraphe bien visible sur l'accès aux droits.</p>"
        "</main></body></html>", encoding="utf-8")
    doc = read_html(path)
    text = " ".join(b.text for b in doc.blocks)
    assert VISIBLE in text and "accès aux droits" in text
    for word in ("foyer", "subventions", "squatteurs", "CCAS", "vendrons", "conditionnée",
                 "accueil de jour"):
        assert word not in text
    assert any("caractères invisibles ignorés" in w for w in doc.warnings)


def test_markdown_comments_and_front_matter_are_never_passages(tmp_path):
    path = tmp_path / "prog.md"
    path.write_text(
        '+++\ntitle = "Notre Programme"\ndate = 2026-02-01\n+++\n\n'
        "<!-- Nous supprimerons les subventions aux associations. -->\n"
        "Nous ouvrirons une épicerie solidaire.\n\n<!--\nFermer l'accueil de nuit.\n-->\n"
        "Un second paragraphe visible.\n", encoding="utf-8")
    doc = read_md(path)
    assert doc.blocks[0].kind == "heading" and doc.blocks[0].text == "Notre Programme"
    bodies = [b.text for b in doc.blocks if b.kind != "heading"]
    assert bodies == ["Nous ouvrirons une épicerie solidaire.", "Un second paragraphe visible."]
    assert not any("+++" in b.text or "title =" in b.text for b in doc.blocks)
    assert any("commentaires" in w for w in doc.warnings)


def tracked_docx(path: Path) -> Path:
    d = docx.Document()
    p = d.add_paragraph("Nous ouvrirons ")

    def run(text: str, wrapper: str | None = None, deleted: bool = False):
        r = OxmlElement("w:r")
        t = OxmlElement("w:delText" if deleted else "w:t")
        t.text = text
        t.set(qn("xml:space"), "preserve")
        r.append(t)
        if wrapper is None:
            return r
        w = OxmlElement(wrapper)
        w.set(qn("w:id"), "1")
        w.set(qn("w:author"), "Relecteur")
        w.append(r)
        return w

    p._p.append(run("trois épiceries solidaires", "w:ins"))
    p._p.append(run("la fermeture du foyer", "w:del", deleted=True))
    p._p.append(run(" dans la ville."))
    hidden = d.add_paragraph().add_run("Texte masqué : nous fermerons le CCAS.")
    hidden.font.hidden = True
    d.add_paragraph("Un paragraphe ordinaire sur l'accès aux droits.")
    d.save(str(path))
    return path


def test_docx_insertions_read_deletions_and_hidden_runs_dropped(tmp_path):
    doc = read_docx(tracked_docx(tmp_path / "t.docx"))
    text = " ".join(b.text for b in doc.blocks)
    assert "Nous ouvrirons trois épiceries solidaires dans la ville." in text
    assert "fermeture du foyer" not in text and "CCAS" not in text
    assert any("26 caractère(s) insérés lus" in w for w in doc.warnings)


# --- encodings, names, links ---------------------------------------------------------------
def test_utf8_file_with_one_windows_1252_line_is_decoded_by_line(tmp_path):
    path = tmp_path / "tract.txt"
    path.write_bytes("Une épicerie solidaire.\n\nDes repas chauds.\n\n".encode()
                     + "Un café associatif à la gare.\n".encode("cp1252"))
    doc = read_txt(path)
    text = " ".join(b.text for b in doc.blocks)
    assert "épicerie" in text and "café associatif à la gare" in text and "Ã" not in text
    assert any("encodage mixte" in w and "ligne 5" in w for w in doc.warnings)


def test_hostile_files_in_one_run(tmp_path):
    cfg = make_config(tmp_path)
    raw = cfg.raw
    prog = raw / "programmes" / "aix-avenir"
    prog.mkdir(parents=True)
    hidden_pdf(prog / "programme.pdf")
    (prog / "programme (1).pdf").write_bytes((prog / "programme.pdf").read_bytes())
    (prog / "Copie de programme.pdf").write_bytes((prog / "programme.pdf").read_bytes())
    # a Latin-1 name, as unzipped from an archive made on Windows
    latin = os.fsencode(prog) + b"/Programme \xe9t\xe9.txt"
    with open(latin, "wb") as fh:
        fh.write("Nous créerons des jardins partagés dans chaque quartier.\n".encode())
    # a link leading out of data/raw
    outside = tmp_path / "secret.txt"
    outside.write_text("Mot de passe du compte : hunter2, ne pas diffuser.", encoding="utf-8")
    (prog / "note.txt").symlink_to(outside)
    # an English programme
    eng = raw / "programmes" / "aix-citoyenne"
    eng.mkdir()
    (eng / "programme.txt").write_text(
        "We will open three food banks, build social housing and support the charities of "
        "every neighbourhood. Our city will care for homeless people and for families in "
        "need, with new shelters and a free legal advice service.\n\nWe will also fund "
        "the local associations that welcome refugees and teach the language.\n",
        encoding="utf-8")
    # a list known only by its folder, and its letter
    new = raw / "programmes" / "ville-nouvelle"
    new.mkdir()
    (new / "programme.txt").write_text("Nous ouvrirons un accueil de jour.\n", encoding="utf-8")
    q = raw / "questionnaire"
    q.mkdir()
    (q / "ville-nouvelle.txt").write_text(
        "Question 1\n\nNous signerons des conventions pluriannuelles avec les associations.\n\n"
        "Question 2\n\nUn conseil citoyen tiré au sort, écrire à jean [at] exemple [point] fr "
        "ou au +44 20 7946 0958 ; j'habite 12 rue des Lilas, 13100 Aix-en-Provence.\n",
        encoding="utf-8")
    passages, report = run_ingest(cfg)
    by_path = report.set_index("path")
    # duplicates read once, the original kept
    assert by_path.loc["programmes/aix-avenir/programme.pdf", "status"] == "warning"
    for copy in ("programme (1).pdf", "Copie de programme.pdf"):
        row = by_path.loc[f"programmes/aix-avenir/{copy}"]
        assert row["status"] == "duplicate" and "programme.pdf" in row["reason"]
    pdf_passages = passages[passages["path"].str.endswith(".pdf")]
    assert pdf_passages["path"].nunique() == 1
    assert not passages["text"].str.contains("banques alimentaires").any()
    # Latin-1 name: read, name repaired and reported
    latin_row = report[report["path"].str.contains("Programme été")]
    assert len(latin_row) == 1 and "Latin-1" in latin_row["reason"].iloc[0]
    assert passages["text"].str.contains("jardins partagés").any()
    # the link out of data/raw is refused, its text never read
    assert by_path.loc["programmes/aix-avenir/note.txt", "status"] == "refused"
    assert not passages["text"].str.contains("hunter2").any()
    # English flagged with its language
    assert "anglais" in by_path.loc["programmes/aix-citoyenne/programme.txt", "reason"]
    # a letter for a list known only by its folder: read and split by question
    letter = passages[passages["path"] == "questionnaire/ville-nouvelle.txt"]
    assert set(letter["list_id"]) == {"ville-nouvelle"}
    assert {"q1", "q2"} <= set(letter["question_id"].dropna())
    joined = " ".join(letter["text"])
    assert "exemple" not in joined and "7946" not in joined and "Lilas" not in joined
    assert "masquées" in by_path.loc["questionnaire/ville-nouvelle.txt", "reason"]
    assert "courriel" in by_path.loc["questionnaire/ville-nouvelle.txt", "reason"]
    # the outputs are valid UTF-8
    (cfg.processed / "ingest_report.csv").read_text(encoding="utf-8")


def test_zip_bomb_docx_gets_a_status_not_an_out_of_memory(tmp_path):
    cfg = make_config(tmp_path)
    prog = cfg.raw / "programmes" / "aix-avenir"
    prog.mkdir(parents=True)
    good = tracked_docx(tmp_path / "good.docx")
    bomb = prog / "bombe.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                body = b"<w:p><w:r><w:t>Nous ouvrirons un foyer.</w:t></w:r></w:p>" * 900_000
                data = data.replace(b"<w:body>", b"<w:body>" + body, 1)
            dst.writestr(info.filename, data)
    assert bomb.stat().st_size < 1_000_000
    (prog / "programme.txt").write_text("Nous ouvrirons un accueil de jour.\n", encoding="utf-8")
    passages, report = run_ingest(cfg)
    row = report.set_index("path").loc["programmes/aix-avenir/bombe.docx"]
    assert row["status"] == "too_large" and "décompressé" in row["reason"]
    assert passages["text"].str.contains("accueil de jour").any()  # the others still read


# --- form re-submissions -----------------------------------------------------------------
def test_form_resubmission_merged_per_question_and_unparseable_dates_never_win(tmp_path):
    cfg = make_config(tmp_path)
    q = cfg.raw / "questionnaire"
    q.mkdir(parents=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Horodateur", "Nom de votre liste", "1. Partenariat avec les associations",
               "2. Participation des habitants", "3. Accompagnement et accès aux droits"])
    ws.append(["2026-02-10 10:00", "Aix Avenir", "Des conventions pluriannuelles signées.",
               "Un budget participatif de 2 millions.", "Trois maisons des droits."])
    ws.append(["2026-02-12 09:00", "Aix Avenir", "Des conventions sur six ans.", "", ""])
    ws.append(["hier soir", "Aix Avenir", "brouillon à compléter", "", ""])
    wb.save(q / "formulaire.xlsx")
    # the same export dropped twice
    (q / "formulaire (1).xlsx").write_bytes((q / "formulaire.xlsx").read_bytes())
    passages, report = run_ingest(cfg)
    answers = passages[passages["source"] == "questionnaire"]
    by_q = answers.groupby("question_id")["text"].apply(" ".join)
    assert by_q["q1"] == "Des conventions sur six ans."
    assert "budget participatif" in by_q["q2"] and "maisons des droits" in by_q["q3"]
    assert not answers["text"].str.contains("brouillon").any()
    assert len(answers) == 3
    dup = report[report["path"] == "questionnaire/formulaire (1).xlsx"]
    assert dup["status"].tolist() == ["duplicate"]
    notes = " ".join(report["reason"].fillna(""))
    assert "illisible" in notes and "complétée par les réponses plus anciennes" in notes


# --- personal data -----------------------------------------------------------------------
def test_personal_data_masked_with_checksums_and_counted():
    card = "497010123456789" + luhn.calc_check_digit("497010123456789")
    n13 = "1850578006084"
    social = n13 + nir.calc_check_digits(n13)
    bban = "FR7630006000011234567890189"
    assert iban.is_valid(bban)
    text = (f"IBAN {bban[:4]} {bban[4:8]} {bban[8:12]} {bban[12:16]} {bban[16:20]} "
            f"{bban[20:24]} {bban[24:]}. NIR {social}. Carte {card[:4]} {card[4:8]} "
            f"{card[8:12]} {card[12:]}. Appelez le +44 20 7946 0958 ou le +49 30 901820 ou "
            "le 06 12 34 56 78. Écrire à marie (at) asso.org ou paul[at]exemple[dot]fr. "
            "Née le 12/03/1975. Budget de 150 000 000 € pour 1 200 logements en 2026.")
    counts = {}
    from collections import Counter
    counts = Counter()
    out = mask_counted(text, counts)
    for leaked in (bban[-6:], social[-6:], card[-4:], "7946", "901820", "56 78", "asso.org",
                   "exemple", "1975"):
        assert leaked not in out, leaked
    assert "150 000 000 €" in out and "1 200 logements" in out  # amounts are not phones
    assert counts == Counter(iban=1, nir=1, card=1, phone=3, email=2, birth=1)


def test_a_luhn_invalid_long_number_is_not_taken_for_a_card():
    out = mask_counted("Référence du marché public 1234 5678 9012 3456.")
    assert "1234 5678 9012 3456" in out


def test_odt_deleted_text_and_comments_are_not_read(tmp_path):
    from odf import dc, office, text
    from odf.element import Element
    from odf.opendocument import OpenDocumentText

    from analysis.ingest.odt import read_odt

    doc = OpenDocumentText()
    changes = text.TrackedChanges()
    region = Element(qname=(text.TEXTNS, "changed-region"), check_grammar=False)
    region.setAttrNS(text.TEXTNS, "id", "ct1")
    deletion = text.Deletion()
    info = office.ChangeInfo()
    for part, value in ((dc.Creator(), "Relecteur"), (dc.Date(), "2026-02-01T10:00:00")):
        part.addText(value)
        info.addElement(part)
    deletion.addElement(info)
    gone = text.P()
    gone.addText("Nous fermerons le foyer de nuit.")
    deletion.addElement(gone)
    region.addElement(deletion)
    changes.addElement(region)
    doc.text.addElement(changes)
    par = text.P()
    par.addText("Nous ouvrirons ")
    par.addElement(text.Change(changeid="ct1"))
    par.addText("un accueil de jour.")
    note = office.Annotation()
    note_par = text.P()
    note_par.addText("Commentaire : supprimer les subventions")
    note.addElement(note_par)
    par.addElement(note)
    doc.text.addElement(par)
    doc.save(str(tmp_path / "t.odt"))
    read = read_odt(tmp_path / "t.odt")
    assert [b.text for b in read.blocks] == ["Nous ouvrirons un accueil de jour."]
    assert any("27 caractère(s) supprimés" in w for w in read.warnings)


def test_a_bullets_bold_title_and_its_description_are_one_passage(tmp_path):
    md = tmp_path / "p.md"
    md.write_text("- **Épicerie solidaire**\n\n  Une épicerie dans chaque quartier.\n"
                  "- **Bains-douches**\n\n  Ouverts le dimanche.\n\n- Santé\n- Logement\n\n"
                  "Nous agirons sur tous ces fronts.\n", encoding="utf-8")
    html = tmp_path / "p.html"
    html.write_text("<html><body><main><ul><li><strong>Épicerie solidaire</strong><p>Une "
                    "épicerie dans chaque quartier.</p></li><li><strong>Bains-douches</strong>"
                    "<p>Ouverts le dimanche.</p></li></ul><p>Nous agirons sur tous ces "
                    "fronts.</p></main></body></html>", encoding="utf-8")
    expected = ["Épicerie solidaire : Une épicerie dans chaque quartier.",
                "Bains-douches : Ouverts le dimanche."]
    assert [b.text for b in read_md(md).blocks] == [
        *expected, "Santé", "Logement", "Nous agirons sur tous ces fronts."]
    assert [b.text for b in read_html(html).blocks] == [
        *expected, "Nous agirons sur tous ces fronts."]


def test_linked_folders_out_of_raw_are_refused_and_unknown_folders_get_safe_ids(tmp_path):
    cfg = make_config(tmp_path)
    secret_dir = tmp_path / "ailleurs"
    secret_dir.mkdir()
    (secret_dir / "notes.txt").write_text("Identifiant bancaire et mot de passe du trésorier.",
                                          encoding="utf-8")
    (cfg.raw / "programmes" / "aix-avenir").symlink_to(secret_dir, target_is_directory=True)
    odd = cfg.raw / "programmes" / "Ville.Sud"
    odd.mkdir()
    (odd / "programme.txt").write_text("Nous ouvrirons un accueil de jour.\n", encoding="utf-8")
    passages, report = run_ingest(cfg)
    assert not passages["text"].str.contains("trésorier").any()
    refused = report[report["status"] == "refused"]
    assert refused["path"].tolist() == ["programmes/aix-avenir"]
    assert "hors de data/raw" in refused["reason"].iloc[0]
    assert set(passages["list_id"]) == {"ville-sud"}
