"""A real spreadsheet program opens what we write: LibreOffice headless converts the review
workbook and the questionnaire, shows candidate text as text, and a workbook re-saved by
LibreOffice (as a volunteer would) imports cleanly."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from factories.workbook import INJECTED, header, row_of

from analysis.questionnaire import run_questionnaire_template
from analysis.review import run_review_import
from analysis.review.store import load_decisions
from analysis.workbook import run_export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : "
                       "`make test` l'installe (scripts/system_deps.sh --office)"),
]
# CSV export: UTF-8, every sheet to its own file (-1), cells "as shown" (number formats).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def convert(source: Path, target_format: str, outdir: Path, profile: Path) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    produced = sorted(outdir.iterdir())
    assert result.returncode == 0 and produced, result.stderr or result.stdout
    return produced


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_libreoffice_shows_candidate_text_as_text(project, tmp_path):
    workbook = run_export(project)
    files = convert(workbook, CSV_FILTER, tmp_path / "csv", tmp_path / "profile")
    by_sheet = {p.stem[len(workbook.stem) + 1:]: p for p in files}
    assert {"Lisez-moi", "Synthèse", "Passages", "Non étiquetés", "Questionnaire",
            "Thèmes"} <= set(by_sheet)
    rows = read_csv(by_sheet["Passages"])
    head = next(i for i, r in enumerate(rows) if "passage_id" in r)
    text_col, id_col = rows[head].index("Texte"), rows[head].index("passage_id")
    shown = {r[id_col]: r[text_col] for r in rows[head + 1:] if len(r) > id_col and r[id_col]}
    for pid, text in INJECTED.items():
        assert shown[pid] == text, f"{pid}: LibreOffice showed {shown[pid]!r}"
    assert "Cliquez ici" not in shown.values()           # the formula was never evaluated
    synthesis = read_csv(by_sheet["Synthèse"])
    cells = {cell for row in synthesis for cell in row}
    assert cells & {"position restrictive", "position mixte"}, "restrictive level shown"
    readme = read_csv(by_sheet["Lisez-moi"])
    assert "DONNÉES FICTIVES" in readme[0][0]


def test_workbook_resaved_by_libreoffice_imports_cleanly(project, tmp_path):
    workbook = run_export(project)
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Passages"]
    _, cols = header(ws)
    ws.cell(row_of(ws, "p2"), cols["Décision"]).value = "Rejeter"
    ws.cell(row_of(ws, "p3"), cols["Décision"]).value = "Corriger"
    ws.cell(row_of(ws, "p3"), cols["Thème corrigé"]).value = "Accès au numérique"
    edited = tmp_path / "relu_camille.xlsx"
    wb.save(edited)
    (resaved,) = convert(edited, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo",
                         tmp_path / "profile")
    back = openpyxl.load_workbook(resaved)
    ws = back["Passages"]
    _, cols = header(ws)
    for pid, text in INJECTED.items():
        if pid == "p6":
            continue
        cell = ws.cell(row_of(ws, pid), cols["Texte"])
        assert cell.value == text and cell.data_type == "s"
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"Valider,Rejeter,Corriger"' in formulas, "drop-downs survive a LibreOffice save"
    summary = run_review_import(project, [str(resaved)])
    assert summary.new == 2 and not summary.errors
    stored = load_decisions(project).set_index("passage_id")
    assert stored.loc["p3", "new_theme_id"] == "inclusion_numerique"


def test_questionnaire_workbook_opens_in_libreoffice(project, tmp_path):
    xlsx, _ = run_questionnaire_template(project)
    files = convert(xlsx, CSV_FILTER, tmp_path / "csv", tmp_path / "profile")
    answers = next(p for p in files if p.stem.endswith("Réponses"))
    rows = read_csv(answers)
    assert rows[3][:3] == ["question_id", "Question", "Votre réponse"]
    assert [r[0] for r in rows[4:12]] == [q.id for q in project.questions]


def _has_writer() -> bool:
    program = Path(SOFFICE).resolve().parent if SOFFICE else None
    return bool(program and list(program.glob("libswlo.so*")))


@pytest.mark.skipif(not _has_writer(), reason="LibreOffice Writer absent (seul Calc est "
                    "installé par scripts/system_deps.sh --office) : docx non converti")
def test_questionnaire_letter_opens_in_libreoffice(project, tmp_path):
    _, docx = run_questionnaire_template(project)
    (pdf,) = convert(docx, "pdf", tmp_path / "pdf", tmp_path / "profile")
    assert pdf.suffix == ".pdf" and pdf.stat().st_size > 1000
