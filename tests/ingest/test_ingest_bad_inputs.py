"""Bad input never stops the run and is never silent."""

import hashlib
import os

import pandas as pd
import pytest
from factories.ingest import (
    make_config,
    make_docx,
    make_encrypted_pdf,
    make_programme_pdf,
    make_scanned_pdf,
)

from analysis.ingest import run_ingest


def tree_digest(root):
    """Names, sizes and contents of every file under root."""
    h = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture()
def bad_folder(tmp_path):
    cfg = make_config(tmp_path)
    folder = cfg.raw / "programmes" / "aix-solidaire"
    folder.mkdir(parents=True)
    make_programme_pdf(folder / "programme.pdf", n_pages=2)
    make_scanned_pdf(folder / "scan.pdf")
    (folder / "abime.pdf").write_bytes(os.urandom(3000))
    (folder / "vide.docx").write_bytes(b"")
    make_encrypted_pdf(folder / "protege.pdf")
    (folder / "programme.pages").write_bytes(b"PK\x03\x04 pages")
    (folder / "faux.docx").write_bytes(b"pas un zip")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "~$programme.docx").write_bytes(b"lock")
    other = cfg.raw / "programmes" / "aix-avenir"
    other.mkdir()
    make_docx(other / "programme.docx")
    return cfg


def by_name(report):
    return {p.rsplit("/", 1)[-1]: row for p, row in zip(report["path"],
                                                        report.to_dict("records"), strict=True)}


def test_each_bad_file_has_a_status_and_an_actionable_reason(bad_folder, capsys):
    before = tree_digest(bad_folder.raw)
    passages, report = run_ingest(bad_folder)
    rows = by_name(report)
    expected = {
        "scan.pdf": ("error", "PDF scanné sans texte : passer un OCR"),
        "abime.pdf": ("error", "PDF illisible"),
        "vide.docx": ("error", "fichier vide"),
        "protege.pdf": ("error", "fichier protégé par mot de passe : demander"),
        "programme.pages": ("error", "format non pris en charge (.pages) : l'exporter en PDF"),
        "faux.docx": ("error", "document Word illisible"),
        ".DS_Store": ("skipped", "fichier caché"),
        "~$programme.docx": ("skipped", "fichier caché"),
    }
    for name, (status, reason) in expected.items():
        assert rows[name]["status"] == status, name
        assert reason in rows[name]["reason"], (name, rows[name]["reason"])
        assert "relancer" in rows[name]["reason"] or status == "skipped"
    # the good files are still read
    assert rows["programme.pdf"]["status"] == "ok" and rows["programme.pdf"]["pages"] == 2
    assert set(passages["path"]) == {"programmes/aix-solidaire/programme.pdf",
                                     "programmes/aix-avenir/programme.docx"}
    # the summary line names the bad files
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("[ingest]"))
    assert line.startswith("[ingest] 2 fichiers lus, 8 ignorés (")
    for name in ("scan.pdf", "abime.pdf", "vide.docx", "protege.pdf", "programme.pages"):
        assert name in line
    assert "2 caché(s)" in line
    # the report on disk is the same, and raw/ was not touched
    on_disk = pd.read_csv(bad_folder.ingest_report_path)
    assert list(on_disk.columns) == ["path", "list_id", "format", "pages", "passages", "status",
                                     "reason"]
    assert len(on_disk) == len(report)
    assert tree_digest(bad_folder.raw) == before


def test_pdf_with_some_blank_pages_is_read_with_a_warning(tmp_path):
    from reportlab.pdfgen import canvas

    cfg = make_config(tmp_path)
    folder = cfg.raw / "programmes" / "aix-solidaire"
    folder.mkdir(parents=True)
    c = canvas.Canvas(str(folder / "mixte.pdf"))
    c.drawString(72, 700, "Nous créerons une halte de nuit pour les personnes sans-abri.")
    c.showPage()
    c.rect(72, 72, 200, 200, fill=1)
    c.showPage()
    c.save()
    passages, report = run_ingest(cfg)
    row = report[report["path"].str.endswith("mixte.pdf")].iloc[0]
    assert row["status"] == "warning" and "page(s) 2 sans texte" in row["reason"]
    assert passages["page"].tolist() == [1]


def test_file_outside_a_list_folder_is_reported(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "programmes" / "perdu.txt").write_text("Nous agirons pour tous.", "utf-8")
    _, report = run_ingest(cfg)
    row = report[report["path"] == "programmes/perdu.txt"].iloc[0]
    assert row["status"] == "error" and "programmes/<id_liste>/" in row["reason"]


def test_scanned_pdf_goes_through_ocrmypdf_when_installed(tmp_path, monkeypatch):
    """A stand-in `ocrmypdf` on PATH writes a PDF with text to its output argument."""
    import sys

    cfg = make_config(tmp_path)
    folder = cfg.raw / "programmes" / "aix-solidaire"
    folder.mkdir(parents=True)
    make_scanned_pdf(folder / "scan.pdf")
    ocr_result = make_programme_pdf(tmp_path / "ocr_result.pdf", n_pages=1)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "ocrmypdf"
    fake.write_text(f"#!{sys.executable}\nimport shutil, sys\n"
                    f"shutil.copy({str(ocr_result)!r}, sys.argv[-1])\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    before = tree_digest(cfg.raw)
    passages, report = run_ingest(cfg)
    row = report[report["path"].str.endswith("scan.pdf")].iloc[0]
    assert row["status"] == "warning" and "OCR" in row["reason"]
    assert (passages["path"] == "programmes/aix-solidaire/scan.pdf").any()
    assert tree_digest(cfg.raw) == before
