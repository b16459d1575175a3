"""Smoke test: the whole workflow (`python -m analysis run`) on the demo election."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.config import PROJECT_ROOT
from analysis.runner import notebook_order

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("run")
    cmd = [
        sys.executable, "-m", "analysis", "run",
        "--processed", str(out / "processed"), "--reports", str(out / "reports"),
        "--reviews", str(out / "reviews"),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out, proc.stdout


def test_every_notebook_is_executed_to_ipynb_and_html(demo_run):
    out, _ = demo_run
    for book in notebook_order():
        executed = out / "reports" / "notebooks" / book.name
        assert executed.is_file() and executed.with_suffix(".html").is_file()
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
        assert any(c.get("outputs") for c in cells), f"{book.name} produced no output"


def test_outputs_of_every_stage_exist(demo_run):
    out, _ = demo_run
    passages = pd.read_parquet(out / "processed" / "passages.parquet")
    tags = pd.read_parquet(out / "processed" / "tags.parquet")
    coverage = pd.read_parquet(out / "processed" / "coverage.parquet")
    assert passages["list_id"].nunique() == 6
    assert set(tags["passage_id"]) <= set(passages["passage_id"])
    assert set(coverage["list_id"]) >= set(passages["list_id"])
    figures = list((out / "reports" / "figures").glob("fig*"))
    assert {p.suffix for p in figures} >= {".html", ".csv", ".png", ".svg"}
    assert (out / "reports" / "rapport.html").stat().st_size > 100_000
    assert list((out / "reports" / "exports").glob("*.xlsx"))


def test_run_ends_with_a_summary_of_inputs_and_outputs(demo_run):
    _, stdout = demo_run
    summary = stdout.split("=== Résumé ===", 1)[1]
    assert "Documents lus : 9" in summary
    assert "Passages :" in summary and "Étiquettes :" in summary
    assert "fictives" in summary


def test_demo_outputs_keep_one_vocabulary_a_citable_source_and_french(demo_run):
    """The issue-11 'done when' on the demo: no restrictive-only theme shown as silence or a
    commitment, never "relue" without review, the two new views in every format, the full
    source line on every figure, French typography in the report, sheets and workbook."""
    import re

    import openpyxl
    from bs4 import BeautifulSoup

    from analysis.config import load_config
    from analysis.coverage.compute import overall
    from analysis.publish.inputs import load_inputs
    from analysis.publish.sheets import sheet_context
    from analysis.publish.wording import typography_problems

    out, _ = demo_run
    reports, figures = out / "reports", out / "reports" / "figures"
    cfg = load_config(None, processed=out / "processed", reports=reports,
                      reviews=out / "reviews")
    combined = overall(pd.read_parquet(out / "processed" / "coverage.parquet"))
    restr = combined[combined["level"] == "restrictif"]
    assert len(restr) >= 3                       # the demo has restrictive-only themes
    with_restr = combined[combined["n_restrictif"] > 0]
    assert set(with_restr["level"]) <= {"restrictif", "mixte"}
    for csv in figures.glob("fig*.csv"):         # every chart's numbers
        table = pd.read_csv(csv)
        if "niveau_code" in table.columns:
            bad = table[(table["niveau_code"] == "restrictif")
                        & (table["niveau"] != "position restrictive")]
            assert bad.empty, csv.name
    fig03 = pd.read_csv(figures / "fig03_force_engagements_DEMO.csv").set_index("list_id")
    for li, n in restr.groupby("list_id").size().items():
        assert fig03.loc[li, "themes_restrictif"] == n
    inputs = load_inputs(cfg)
    for li, group in restr.groupby("list_id"):   # the one-page sheets
        sheet = sheet_context(inputs, li, cfg)
        labels = {inputs.ctx.label(t) for t in group["theme_id"]}
        assert not labels & {r["theme"] for r in sheet["commitments"]}, li
        assert not any(label in sheet["absent"] for label in labels), li
    workbook = next((reports / "exports").glob("barometre_solidarite*.xlsx"))
    ws = openpyxl.load_workbook(workbook)["Synthèse"]
    head = next(c.row for c in ws["A"] if c.value == "Axe")
    col = {c.value: c.column for c in ws[head]}
    row = {ws.cell(r, 3).value: r for r in range(head + 1, head + 40) if ws.cell(r, 3).value}
    for rec in restr.to_dict("records"):
        assert ws.cell(row[rec["theme_id"]], col[cfg.list_name(rec["list_id"])]).value \
            == "position restrictive"
    # each sheet is one A4 page (tighter layouts are tried until it is)
    from analysis.publish.sheets import page_count
    pdfs = sorted((reports / "fiches").glob("fiche_*.pdf"))
    assert len(pdfs) == 6 and [page_count(p) for p in pdfs] == [1] * 6
    # the two new views, in every format; the full source line on every figure
    for name in ("fig08_deux_listes", "fig09_programme_questionnaire_themes"):
        for ext in ("html", "png", "svg", "csv"):
            assert (figures / f"{name}_DEMO.{ext}").stat().st_size > 1000, (name, ext)
    svgs = sorted(figures.glob("fig*.svg"))
    assert len(svgs) >= 10
    for svg in svgs:
        text = svg.read_text(encoding="utf-8")
        name = svg.stem.removesuffix("_DEMO")
        for part in ("Collectif des associations solidaires", "documents reçus au",
                     "Baromètre solidarité v", f"({name})", "produit le"):
            assert part in text, (svg.name, part)
    # never "relue" without review; French typography everywhere a reader looks
    unqualified = re.compile(r"analyse automatique relue(?! à)")
    problems = []
    for page in [reports / "rapport.html", *sorted((reports / "fiches").glob("*.html"))]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup(["script", "style", "code"]) + soup.select(".quote, .doc"):
            tag.decompose()
        text = soup.get_text(" ")
        assert not unqualified.search(text), page.name
        problems += [f"{page.name}: {p}" for p in typography_problems(text)]
    for ws in openpyxl.load_workbook(workbook).worksheets:
        if ws.sheet_state != "visible":
            continue
        quoted: set[int] = set()
        for cells in ws.iter_rows():
            for cell in cells:
                if not isinstance(cell.value, str):
                    continue
                if cell.value in ("Texte", "Réponse", "Preuve", "Section"):
                    quoted.add(cell.column)
                elif cell.column not in quoted:
                    assert not unqualified.search(cell.value), ws.title
                    problems += [f"{ws.title}: {p}" for p in typography_problems(cell.value)]
    assert not problems, "\n".join(problems[:20])
