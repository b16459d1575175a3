"""The shared review as three associations would live it, with a real spreadsheet program:
`export --par-association --zip` writes one review folder per association; each volunteer
unzips it, opens the source documents from the workbook's links, decides (a rejection, a
corrected strength, a validation), and saves in LibreOffice; `review-import` takes the
three files back and reports the share of tags decided per theme and the disagreement."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.ingest import make_docx, make_html, make_programme_pdf
from factories.workbook import REVIEWERS, header, make_shared_project, row_of

from analysis.config import Config
from analysis.review import run_review_import
from analysis.review.store import load_decisions
from analysis.workbook.stage import SPLIT_FOLDER, run_export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : "
                       "`make test` l'installe (scripts/system_deps.sh --office)"),
]

def _real_document(target: Path) -> None:
    """A real PDF, DOCX or HTML document, or a questionnaire export as CSV."""
    makers = {".pdf": make_programme_pdf, ".docx": make_docx, ".html": make_html}
    if target.suffix in makers:
        makers[target.suffix](target)
    else:
        pd.DataFrame({"Nom de votre liste": ["Aix Avenir"]}).to_csv(target, index=False)


def project(tmp_path: Path) -> Config:
    """The small hand-made tables, with real documents (PDF, DOCX, HTML, CSV) in raw/."""
    return make_shared_project(tmp_path, REVIEWERS, write_document=_real_document)


def links(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)["Passages"]
    head, cols = header(ws)
    return [ws.cell(r, cols["Document"]).hyperlink.target
            for r in range(head + 1, ws.max_row + 1) if ws.cell(r, cols["Document"]).hyperlink]


def libreoffice_save(edited: Path, profile: Path) -> Path:
    """Open `edited` in LibreOffice headless and save it as .xlsx in the same folder (as a
    volunteer's « Enregistrer » does; links are then written by LibreOffice)."""
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(edited.parent),
         str(edited)], capture_output=True, text=True, timeout=180)
    saved = edited.with_suffix(".xlsx")
    assert result.returncode == 0 and saved.is_file(), result.stderr or result.stdout
    return saved


def decide(workbook: Path, reviewer: str, rows: dict, target: Path) -> Path:
    """Write decisions (header -> value per (passage, theme)) and the reviewer's name once,
    on Lisez-moi, with openpyxl; saved under a name LibreOffice then rewrites as .xlsx."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Passages"]
    _, cols = header(ws)
    for (pid, theme), cells in rows.items():
        for column, value in cells.items():
            ws.cell(row_of(ws, pid, theme), cols[column]).value = value
    readme = wb["Lisez-moi"]
    label = next(r for r in readme.iter_rows(max_row=40, max_col=2)
                 if r[0].value and str(r[0].value).startswith("Votre nom"))
    label[1].value = reviewer
    wb.save(target)
    return target


def test_three_association_review_folders_round_trip_through_libreoffice(tmp_path, capsys):
    cfg = project(tmp_path)
    run_export(cfg, split="association", bundle=True)
    capsys.readouterr()
    folder = cfg.exports_dir / SPLIT_FOLDER
    bundles = {p.name.split("_")[-2]: p for p in folder.glob("*_dossier.zip")}
    assert set(bundles) == {"banque-alimentaire", "droits", "accueil-de-nuit"}, bundles

    decisions = {
        "banque-alimentaire": ("Samira", {
            ("p1", "hebergement_urgence"): {"Décision": "Corriger", "Force corrigée": "général"},
            ("p2", "sans_abri"): {"Décision": "Valider"}}),
        "droits": ("Joël", {("p3", "acces_droits"): {"Décision": "Rejeter"},
                            ("p4", "partenariat_associatif"): {"Décision": "Valider"}}),
        "accueil-de-nuit": ("Nadia", {("p2", "sans_abri"): {"Décision": "Rejeter"}}),
    }
    returned = []
    for key, bundle in bundles.items():
        home = tmp_path / "chez" / key                   # the volunteer unzips the folder
        with zipfile.ZipFile(bundle) as zf:
            zf.extractall(home)
        (workbook,) = home.glob("*.xlsx")
        targets = links(workbook)
        assert targets, key
        for target in targets:                           # every link opens a real document
            assert not Path(target).is_absolute() and ".." not in target, target
            assert (workbook.parent / target).is_file(), (key, target)
        name, rows = decisions[key]
        edited = decide(workbook, name, rows, home / f"{workbook.stem}_relu.enregistre")
        saved = libreoffice_save(edited, tmp_path / "profile")
        after = links(saved)                             # LibreOffice keeps them relative
        assert sorted(after) == sorted(targets), (after, targets)
        assert all((saved.parent / t).is_file() for t in after)
        returned.append(str(saved))

    summary = run_review_import(cfg, returned)
    out = capsys.readouterr().out
    assert summary.new == 5 and not summary.errors, summary.errors
    stored = load_decisions(cfg).set_index(["passage_id", "theme_id", "reviewer"])
    corrected = stored.loc[("p1", "hebergement_urgence", "Samira")]
    assert (corrected["decision"], corrected["new_strength"]) == ("corriger", "general")
    assert stored.loc[("p3", "acces_droits", "Joël"), "decision"] == "rejeter"

    assert len(summary.conflicts) == 1                   # Samira validated, Nadia rejected
    conflict = summary.conflicts.iloc[0]
    assert (conflict["passage_id"], conflict["theme_id"]) == ("p2", "sans_abri")
    assert "Samira" in conflict["reviewers"] and "Nadia" in conflict["reviewers"]

    progress = summary.progress.set_index("theme_id")
    expected = {"hebergement_urgence": (1, 1), "sans_abri": (1, 1), "acces_droits": (1, 1),
                "partenariat_associatif": (1, 3)}
    for theme, (decided, total) in expected.items():
        assert (progress.loc[theme, "n_decided"], progress.loc[theme, "n_tags"]) == (
            decided, total), theme
    assert "Relecture : 4 étiquettes sur 6 ont une décision (67 %)" in out
    assert "désaccord" in out.lower() and "make report" in out

    tags = pd.read_parquet(cfg.tags_path).set_index(["passage_id", "theme_id"])
    assert tags.loc[("p1", "hebergement_urgence"), "strength"] == "general"
    assert ("p3", "acces_droits") not in tags.index

    # the next workbook counts what is left: p5 and p7 only (p2 decided either way)
    run_export(cfg)
    line = capsys.readouterr().out
    assert "2 étiquettes à relire" in line, line
