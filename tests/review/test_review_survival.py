"""Volunteers' decisions survive renamed files, renamed list folders and re-sent PDFs
(issue 15, "Done when"): on a reviewed copy of the demo programme of Aix Solidaire (the real
PDF of data/demo/raw, the real ingest, tagger, review, export and import stages), every decision
stays applied, and the run says how many re-attached."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.workbook import header

from analysis import pipeline
from analysis.config import PROJECT_ROOT, Config, load_config
from analysis.review import run_review_import
from analysis.review.report import anchoring_path, reattached_path
from analysis.review.store import load_decisions
from analysis.workbook import run_export

pytestmark = pytest.mark.slow
DEMO_PDF = (PROJECT_ROOT / "data" / "demo" / "raw" / "programmes" / "aix-solidaire"
            / "programme_2026.pdf")
N_DECISIONS = 20


def project_at(root: Path) -> Config:
    return load_config(None, raw=root / "raw", processed=root / "processed",
                       reports=root / "reports", reviews=root / "reviews")


def rerun(cfg: Config) -> None:
    """What `make report` does before the outputs: ingest, tag (+ review), coverage."""
    pipeline.run_command(cfg, "ingest")
    pipeline.run_command(cfg, "tag")
    pipeline.run_command(cfg, "coverage")


def applied(cfg: Config) -> tuple[set, set]:
    """(review tags, auto tags) of the current run, by passage text (ids change)."""
    tags = pd.read_parquet(cfg.tags_path).merge(pd.read_parquet(cfg.passages_path),
                                                on="passage_id")
    key = ["text", "theme_id", "stance"]
    review = set(tags[tags.origin == "review"][key].itertuples(index=False, name=None))
    auto = set(tags[tags.origin == "auto"][key].itertuples(index=False, name=None))
    return review, auto


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> Path:
    """The demo programme of one list, ingested, tagged, exported, reviewed (20 decisions:
    valider / rejeter / corriger la position, in turn) and imported."""
    root = tmp_path_factory.mktemp("reviewed")
    folder = root / "raw" / "programmes" / "aix-solidaire"
    folder.mkdir(parents=True)
    shutil.copy(DEMO_PDF, folder / "programme_2026.pdf")
    cfg = project_at(root)
    rerun(cfg)
    wb = openpyxl.load_workbook(run_export(cfg))
    ws = wb["Passages"]
    head, cols = header(ws)
    rows = list(range(head + 1, ws.max_row + 1))[:N_DECISIONS]
    assert len(rows) == N_DECISIONS, "the demo programme has fewer tags than expected"
    for k, r in enumerate(rows):
        stance = ws.cell(r, cols["Position"]).value
        kind = ("Valider", "Rejeter", "Corriger")[k % 3]
        ws.cell(r, cols["Décision"]).value = kind
        if kind == "Corriger":
            ws.cell(r, cols["Position corrigée"]).value = (
                "neutre" if stance != "neutre" else "favorable")
        ws.cell(r, cols["Relecteur"]).value = "Camille"
    wb.save(root / "relu_camille.xlsx")
    summary = run_review_import(cfg, [str(root / "relu_camille.xlsx")])
    assert summary.new == N_DECISIONS and not summary.errors
    rerun(cfg)
    return root


@pytest.fixture
def demo(reviewed: Path, tmp_path: Path) -> tuple[Config, tuple[set, set]]:
    root = tmp_path / "project"
    shutil.copytree(reviewed, root)
    cfg = project_at(root)
    return cfg, applied(cfg)


def assert_every_decision_applied(cfg: Config, before: tuple[set, set], moved: int,
                                  out: str) -> None:
    review, auto = applied(cfg)
    assert review == before[0], "a review tag was lost or changed"
    assert auto == before[1], "a rejected or corrected tag came back"
    counts = json.loads(anchoring_path(cfg).read_text(encoding="utf-8"))
    assert counts["orpheline"] == 0
    assert counts["rattachee"] + counts["rapprochee"] == moved
    assert f"{moved} rattachée(s)" in out and "0 orpheline(s)" in out
    listed = pd.read_csv(reattached_path(cfg))
    assert len(listed) == moved and set(listed["status"]) <= {"rattachee", "rapprochee"}


def test_the_reviewed_demo_applies_its_twenty_decisions(demo):
    cfg, (review, _) = demo
    decisions = load_decisions(cfg)
    assert len(decisions) == N_DECISIONS
    assert (decisions["text_sha1"] != "").all() and (decisions["list_id"] == "aix-solidaire"
                                                     ).all()
    assert len(review) == N_DECISIONS - len(range(1, N_DECISIONS, 3))   # all but rejeter


def test_renaming_the_programme_file_keeps_every_decision(demo, capsys):
    cfg, before = demo
    folder = cfg.raw / "programmes" / "aix-solidaire"
    (folder / "programme_2026.pdf").rename(folder / "Programme 2026 (version finale).pdf")
    capsys.readouterr()
    rerun(cfg)
    out = capsys.readouterr().out
    assert_every_decision_applied(cfg, before, N_DECISIONS, out)
    assert "Décisions de relecture : 20 — 0 à leur place, 20 rattachée(s)" in out
    listed = pd.read_csv(reattached_path(cfg))
    assert set(listed["path_now"]) == {
        "programmes/aix-solidaire/Programme 2026 (version finale).pdf"}


def test_renaming_the_list_folder_with_its_alias_keeps_every_decision(demo, capsys):
    cfg, before = demo
    (cfg.raw / "programmes" / "aix-solidaire").rename(cfg.raw / "programmes" / "Aix Solidaire")
    capsys.readouterr()
    rerun(cfg)
    assert_every_decision_applied(cfg, before, N_DECISIONS, capsys.readouterr().out)


def test_a_resent_pdf_with_one_more_page_keeps_every_decision(demo, capsys, tmp_path):
    import pypdfium2 as pdfium
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    cfg, before = demo
    target = cfg.raw / "programmes" / "aix-solidaire" / "programme_2026.pdf"
    cover = tmp_path / "avant-propos.pdf"
    c = canvas.Canvas(str(cover), pagesize=A4)
    c.drawString(72, 760, "Avant-propos de la version définitive du programme.")
    c.drawString(72, 740, "Cette version ajoute une page de présentation de l'équipe.")
    c.showPage()
    c.save()
    merged = pdfium.PdfDocument(str(cover))
    merged.import_pages(pdfium.PdfDocument(str(target)))
    resent = tmp_path / "programme_2026.pdf"
    merged.save(str(resent))
    shutil.copy(resent, target)
    capsys.readouterr()
    rerun(cfg)
    out = capsys.readouterr().out
    passages = pd.read_parquet(cfg.passages_path)
    assert passages["page"].max() == len(pdfium.PdfDocument(str(DEMO_PDF))) + 1  # ids moved
    assert_every_decision_applied(cfg, before, N_DECISIONS, out)


def test_a_new_workbook_after_a_rename_shows_the_reviews_on_the_new_passages(demo):
    cfg, before = demo
    folder = cfg.raw / "programmes" / "aix-solidaire"
    (folder / "programme_2026.pdf").rename(folder / "programme_2026_v2.pdf")
    rerun(cfg)
    wb = openpyxl.load_workbook(run_export(cfg))
    ws = wb["Passages"]
    head, cols = header(ws)
    previous = [ws.cell(r, cols["Relecture précédente"]).value for r in
                range(head + 1, ws.max_row + 1)]
    # every decision shows on its new passage: the kept tags and (issue 12) the rejected
    # ones, which stay visible, marked, so that the rejection can be undone
    assert sum(1 for p in previous if p) == N_DECISIONS
    origins = [ws.cell(r, cols["Origine"]).value for r in range(head + 1, ws.max_row + 1)]
    assert origins.count("rejetée") == N_DECISIONS - len(before[0])
    accord = "\n".join(str(c.value) for row in wb["Accord"].iter_rows() for c in row if c.value)
    assert "Décisions orphelines (passage disparu, décision gardée) : 0" in accord
