"""The Passages sheet printed by a real LibreOffice (headless, to PDF): A4 landscape, the
deciding columns at a legible size, the header repeated on every page, ids not printed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pdfplumber
import pytest
from factories.workbook import base_passages, make_project, passage, tag

from analysis import contracts
from analysis.workbook import run_export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : "
                       "`make test` l'installe (scripts/system_deps.sh --office)"),
]
SENTENCE = ("Nous ouvrirons un accueil de jour avec douches, bagagerie et domiciliation, "
            "géré avec les associations, et nous doublerons le budget du CCAS d'ici 2028.")


def big_project(tmp_path: Path):
    """120 tagged passages: the Passages sheet runs over several printed pages."""
    rows = [passage(f"x{i:03d}", "aix-solidaire", f"{i}. {SENTENCE}", page=1 + i // 10)
            for i in range(120)]
    passages = pd.concat([base_passages(), pd.DataFrame(rows, columns=contracts.PASSAGES)],
                         ignore_index=True)
    passages["page"] = passages["page"].astype("Int64")
    auto = pd.DataFrame([tag(f"x{i:03d}", "sans_abri", strength="concret") for i in range(120)],
                        columns=contracts.TAGS)
    return make_project(tmp_path, passages=passages, auto=auto)


def test_passages_print_legibly_on_a4_landscape_in_libreoffice(tmp_path):
    cfg = big_project(tmp_path)
    workbook = run_export(cfg)
    wb = openpyxl.load_workbook(workbook)          # print only the Passages sheet
    for name in wb.sheetnames:
        if name != "Passages":
            del wb[name]
    only = tmp_path / "passages.xlsx"
    wb.save(only)
    out = tmp_path / "pdf"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(out), str(only)],
        capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out / "passages.pdf") as pdf:
        pages = pdf.pages
        assert 3 <= len(pages) <= 40, len(pages)
        for page in pages:
            assert round(page.width) == 842 and round(page.height) == 595   # A4 landscape
            text = page.extract_text() or ""
            assert "Texte" in text and "Décision" in text, "header repeated on every page"
            assert "passage_id" not in text and "theme_id" not in text     # ids not printed
        body = [c for c in pages[1].chars if c["text"].strip()]
        sizes = sorted(c["size"] for c in body)
        median = sizes[len(sizes) // 2]
        assert median >= 7.5, f"printed text too small: {median:.1f} pt"
        words = " ".join((p.extract_text() or "") for p in pages)
        assert "doublerons le budget" in words               # the text column wraps, whole
