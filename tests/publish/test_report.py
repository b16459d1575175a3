"""The French report: computed findings, evidence, metrics, offline rendering in Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.publish.findings import key_findings
from analysis.publish.inputs import load_inputs
from analysis.publish.markdown import markdown_to_html
from analysis.publish.metrics import evaluation_section
from analysis.publish.report import build_report
from analysis.publish.sheets import build_list_sheets, sheet_context

NOTICE = "Données fictives de démonstration"
PLOTLY_MARK = "plotly.js v"          # in the licence header of the bundle, once per copy


def test_markdown_subset():
    html = markdown_to_html("## Titre\n\nUn **mot** et `code`\nsuite.\n\n- a\n  suite a\n- b <c>")
    assert "<h3>Titre</h3>" in html
    assert "<p>Un <strong>mot</strong> et <code>code</code> suite.</p>" in html
    assert "<li>a suite a</li><li>b &lt;c&gt;</li>" in html


def plain(text: str) -> str:
    """French no-break spaces as ordinary spaces (to compare sentences)."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_key_findings_are_computed_from_coverage(cfg):
    inputs = load_inputs(cfg)
    findings = key_findings(inputs)
    labels = [label for label, _ in findings["axes"]]
    assert labels == [f"Axe {i} · {x}" for i, x in
                      enumerate(inputs.ctx.codebook.axes.values(), start=1)]
    protect = [plain(x) for x in dict(findings["axes"])["Axe 3 · Protéger les plus fragiles"]]
    axes = inputs.axes[inputs.axes.axis == "protection"]
    expected = int((axes.n_engaged >= 3).sum())            # ceil(0.7 * 4) = 3
    assert protect[0] == (
        f"{expected} {'liste' if expected <= 1 else 'listes'} sur 4 "
        f"{'s’engage' if expected <= 1 else 's’engagent'} sur au moins 3 des 4 thèmes de "
        "l'axe « Protéger les plus fragiles » (engagement concret, général ou mention, "
        "sans position restrictive)."
    )
    assert any("Position restrictive : « Liste D d'exemple »" in s for s in protect)
    general = plain(findings["general"][0])
    assert general.startswith("3 listes sur 4 ont répondu")
    assert "sans réponse : « Liste C d'exemple »." in general


def test_report_is_self_contained_with_evidence_and_method(cfg):
    path = build_report(cfg, sheets=False)
    assert path == cfg.reports / "rapport.html"
    html = path.read_text(encoding="utf-8")
    assert html.count(PLOTLY_MARK) == 1                     # plotly.js embedded once
    soup = BeautifulSoup(html, "lxml")
    assert not soup.select("script[src], link[href]")      # nothing fetched from outside
    assert len(soup.select("div.plotly-graph-div")) == 9
    assert NOTICE in soup.select_one("#demo-banner").text
    evidence = soup.select_one("#liste-liste-a").text
    assert "programmes/liste-a/programme.pdf, p." in evidence
    assert "Score de 0 à 3" in soup.select_one("#methode").find_next("ul").find_parent().text
    assert "Évaluation non disponible" in html
    assert "Aucune relecture importée" in html


def test_report_quotes_evaluation_and_agreement_when_present(cfg):
    cfg.metrics_dir.mkdir(parents=True)
    (cfg.metrics_dir / "evaluation_test.json").write_text(json.dumps({
        "micro": {"precision": 0.81, "recall": 0.74, "f1": 0.773},
        "stance_accuracy": 0.9,
        "per_theme": {"aide_alimentaire": {"precision": 1.0, "recall": 0.5, "support": 4}},
    }), encoding="utf-8")
    (cfg.metrics_dir / "agreement.json").write_text(json.dumps({
        "n_machine_tags_reviewed": 40, "precision": 0.875, "n_reviewers": 2,
        "pairs": [{"reviewer_a": "A", "reviewer_b": "B", "n_units": 10, "kappa": 0.61}],
    }), encoding="utf-8")
    html = plain(build_report(cfg, sheets=False).read_text(encoding="utf-8"))
    assert "trouve 74 % des thèmes présents (rappel) et 81 % des" in html
    assert "F1 = 0,77" in html and "exactitude de la position" in html
    assert "Aide alimentaire" in html                     # theme id shown by its label
    assert "ont relu 40 étiquettes automatiques" in html
    assert plain("Précision estimée sur 40 étiquettes relues : 88 % (intervalle de confiance "
                 "à 95 % : 74 % à 95 %)") in plain(html)
    assert "kappa de Cohen" in html and "0,61" in html


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
        "google-chrome")


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="Chromium absent")
def test_report_renders_its_charts_in_headless_chromium(cfg):
    path = build_report(cfg, sheets=False)
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--virtual-time-budget=15000", "--dump-dom", Path(path).resolve().as_uri()],
            capture_output=True, text=True, timeout=180, check=True,
        ).stdout
    soup = BeautifulSoup(dom, "lxml")
    divs = soup.select("div.plotly-graph-div")
    assert len(divs) == 9
    for div in divs:                                        # every chart drawn, not blank
        assert div.select("svg.main-svg"), div.get("id")
        assert div.select("g.cartesianlayer path, g.table"), div.get("id")
    assert soup.select("g.heatmaplayer image, g.heatmaplayer path, g.hm image")


def test_sheet_context_shows_restrictive_positions_apart(cfg):
    inputs = load_inputs(cfg)
    hostile = sheet_context(inputs, "liste-d", cfg)
    assert hostile["n_restrictif"] >= 1 and hostile["restrictive"]
    assert all(".pdf, p." in r["where"] for r in hostile["restrictive"])
    silent = sheet_context(inputs, "liste-c", cfg)
    assert silent["questionnaire"] == "Pas de réponse au questionnaire."


@pytest.mark.slow
@pytest.mark.skipif(chromium() is None, reason="Chromium absent")
def test_one_page_pdf_sheet_per_list(cfg):
    import pdfplumber

    files, warning = build_list_sheets(cfg)
    pdfs = [p for p in files if p.suffix == ".pdf"]
    assert not warning and len(pdfs) == len(cfg.lists)
    for pdf_path in pdfs:
        assert pdf_path.name.endswith("_DEMO.pdf")
        with pdfplumber.open(pdf_path) as pdf:
            assert len(pdf.pages) == 1
            assert NOTICE in pdf.pages[0].extract_text()


def test_flat_evaluation_layout_and_restrictive_caveat(cfg):
    cfg.metrics_dir.mkdir(parents=True)
    (cfg.metrics_dir / "evaluation_test.json").write_text(json.dumps({
        "definitions": "Unité : couple passage × thème.", "micro_precision": 0.93,
        "micro_recall": 0.75, "micro_f1": 0.83, "restrictive_recall": 0.58,
        "stance_confusion": {"favorable": {"favorable": 184, "restrictif": 6}},
        "per_theme": [{"theme_id": "sans_abri", "label": "Personnes sans-abri", "f1": 0.5}],
    }), encoding="utf-8")
    section = evaluation_section(cfg, load_inputs(cfg).ctx.codebook)
    assert section["sentences"][0].startswith("Sur le jeu de test annoté à la main, "
                                              "l'étiquetage automatique trouve 75 %")
    assert any("58 % sont retrouvées" in s for s in section["sentences"])
    assert "Unité : couple passage × thème." in section["sentences"]
    titles = [t["title"] for t in section["tables"]]
    assert "par thème" in titles and any("positions" in t for t in titles)
    per_theme = next(t for t in section["tables"] if t["title"] == "par thème")
    assert per_theme["columns"] == ["thème", "F1"] and per_theme["rows"] == [
        ["Personnes sans-abri", "0,50"]]
