"""What a journalist sees, rendered by a real headless Chromium: the report printed to A4
without a cut chart, readable at phone and desktop widths, one-page list sheets; one
vocabulary for restrictive positions in every output; honest review status; French
typography over every label, title and sheet text."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from factories.browser import chromium, measure, print_pdf, screenshot
from factories.sample import write_sample_project

from analysis.config import load_config
from analysis.publish import figures as F
from analysis.publish import publish
from analysis.publish.inputs import load_inputs
from analysis.publish.review_status import ReviewStatus, precision_text, wilson
from analysis.publish.sheets import sheet_context
from analysis.publish.wording import typography_problems

needs_chromium = pytest.mark.skipif(chromium() is None, reason="Chromium absent")
A4 = (595.3, 841.9)


@pytest.fixture(scope="module")
def commune(tmp_path_factory):
    """A generated three-list commune, the last list restrictive on three themes, fully
    published (figures in every format, report, sheets)."""
    base = tmp_path_factory.mktemp("commune")
    cfg = load_config(write_sample_project(base / "proj", lists=3))
    publish(cfg)
    return cfg


def all_figure_texts(spec) -> list[str]:
    lay = spec.fig.layout
    texts = [spec.title, str(lay.title.text or ""), str(lay.title.subtitle.text or "")]
    texts += [str(a.text or "") for a in lay.annotations]
    texts += [str(t.name or "") for t in spec.fig.data]
    for key in lay:
        if key.startswith(("xaxis", "yaxis")):
            axis = lay[key]
            texts += [str(x) for x in (axis.ticktext or ())]
            texts.append(str(axis.title.text or ""))
    return [re.sub(r"<[^>]+>", " ", t) for t in texts]


# ------------------------------------------------------------------ vocabulary and honesty
def test_no_restrictive_theme_is_silence_or_commitment_anywhere(commune):
    inputs = load_inputs(commune)
    hostile = "liste-c"
    restr = inputs.overall[(inputs.overall["list_id"] == hostile)
                           & (inputs.overall["level"] == "restrictif")]
    labels = [inputs.ctx.label(t) for t in restr["theme_id"]]
    assert len(labels) == 3
    # every figure CSV written: a restrictive cell is never "non abordé" nor a commitment
    for csv in sorted(commune.figures_dir.glob("*.csv")):
        table = pd.read_csv(csv)
        if "niveau_code" in table.columns:
            bad = table[(table["niveau_code"] == "restrictif")
                        & (table["niveau"] != "position restrictive")]
            assert bad.empty, csv.name
    fig03 = pd.read_csv(next(commune.figures_dir.glob("fig03_*.csv"))).set_index("list_id")
    assert fig03.loc[hostile, "themes_restrictif"] == 3
    assert fig03.loc[hostile, "themes_absent"] + fig03.loc[hostile, [
        "themes_concret", "themes_general", "themes_mention", "themes_mixte",
        "themes_restrictif"]].sum() == 8
    # the sheet: the restrictive themes are listed as such, never as commitments or absent
    sheet = sheet_context(inputs, hostile, commune)
    assert {r["theme"] for r in sheet["restrictive"]} == set(labels)
    assert not any("réduirons" in r["snippet"] for r in sheet["commitments"])
    assert not any(label in sheet["absent"] for label in labels)
    # the workbook's synthesis: the same word on the same cells
    from openpyxl import load_workbook

    from analysis.workbook import run_export
    ws = load_workbook(run_export(commune))["Synthèse"]
    head = next(c.row for c in ws["A"] if c.value == "Axe")
    column = next(c.column for c in ws[head] if c.value == commune.list_name(hostile))
    words = {ws.cell(r, 2).value: ws.cell(r, column).value for r in range(head + 1, head + 16)
             if ws.cell(r, 3).value in inputs.ctx.codebook.theme_ids}
    assert len(words) == 8
    for label in labels:
        assert words[label] == "position restrictive", label
    # the report's evidence table for that list
    soup = BeautifulSoup(commune.report_path.read_text(encoding="utf-8"), "lxml")
    block = soup.select_one(f"#liste-{hostile}")
    rows = {tr.find_all("td")[0].text: tr.find_all("td")[1].text
            for tr in block.select("tbody tr")}
    for label in labels:
        assert rows[label] == "position restrictive"
    assert not any(label in block.select_one("p.note").text for label in labels)


def test_a_few_reviews_never_say_relue(commune):
    inputs = load_inputs(commune)
    review = inputs.ctx.review
    assert 0 < review.n_reviewed < 0.8 * review.n_tags
    unqualified = re.compile(r"analyse automatique relue(?! à)")
    for spec in F.build_all(inputs):
        for text in all_figure_texts(spec):
            assert not unqualified.search(text), spec.name
    html = commune.report_path.read_text(encoding="utf-8")
    assert not unqualified.search(html)
    assert "relue à" in html and "seulement (non validée" in html
    for sheet in commune.sheets_dir.glob("*.html"):
        assert not unqualified.search(sheet.read_text(encoding="utf-8"))


def test_review_share_threshold_and_precision_rules():
    status = ReviewStatus(n_tags=418, n_reviewed=3, threshold=0.8,
                          per_list={"a": (3, 100), "b": (0, 318)})
    assert not status.is_reviewed() and status.share_text() == "relue à moins de 1\u00a0%"
    assert status.share_text("b") == "non relue"
    assert "non validée" in status.phrase()
    done = ReviewStatus(n_tags=10, n_reviewed=8, threshold=0.8)
    assert done.is_reviewed() and done.phrase().endswith("par des bénévoles")
    assert not ReviewStatus().is_reviewed()
    text = precision_text(0.0, 2)
    assert "Trop peu" in text and "0,00" not in text and "0\u00a0%" not in text
    low, high = wilson(35, 40)
    assert 0.73 < low < 0.75 and 0.94 < high < 0.96
    assert "n" not in precision_text(0.875, 40).split(":")[0] or "40" in precision_text(0.875, 40)


def test_config_threshold_is_read_and_checked(tmp_path):
    import yaml

    from analysis.common.errors import UserError
    path = write_sample_project(tmp_path / "p")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["review"] = {"threshold": 0.5, "min_reviews_for_precision": 50}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cfg = load_config(path)
    assert cfg.review_threshold == 0.5 and cfg.min_reviews_for_precision == 50
    data["review"] = {"threshold": 80}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(UserError, match="review.threshold"):
        load_config(path)


# columns that quote the documents exactly (their typography is the candidates')
QUOTED_COLUMNS = {"Texte", "Réponse", "Preuve", "Section"}


def workbook_texts(path) -> dict[str, list[str]]:
    """Every text of every sheet of a workbook, but the columns quoting the documents."""
    import openpyxl

    out = {}
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":       # drop-down values, export manifest
            continue
        quoted: set[int] = set()
        texts = []
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    if cell.value in QUOTED_COLUMNS:
                        quoted.add(cell.column)
                    elif cell.column not in quoted:
                        texts.append(cell.value)
        out[ws.title] = texts
    return out


def test_french_typography_over_every_label_title_and_sheet(commune):
    from analysis.workbook import run_export

    inputs = load_inputs(commune)
    problems = []
    for spec in [*F.build_all(inputs), *F.build_all(inputs, phone=True)]:
        for text in all_figure_texts(spec):
            problems += [f"{spec.name}: {p}" for p in typography_problems(text)]
    for sheet, texts in workbook_texts(run_export(commune)).items():
        for text in texts:
            problems += [f"classeur, {sheet}: {p}" for p in typography_problems(text)]
    for page in [commune.report_path, *sorted(commune.sheets_dir.glob("*.html"))]:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup(["script", "style", "code"]):
            tag.decompose()
        problems += [f"{page.name}: {p}" for p in typography_problems(soup.get_text(" "))]
    assert not problems, "\n".join(problems[:20])
    assert typography_problems("Thème(s) abordé(s) le 1 mars ; 0 listes sur 3 couvrent")


# ------------------------------------------------------------------ rendered by Chromium
@pytest.mark.slow
@needs_chromium
def test_printed_report_is_a4_portrait_with_every_chart_whole(commune, tmp_path):
    import pdfplumber

    pdf_path = print_pdf(commune.report_path, tmp_path / "rapport.pdf")
    ids = [s.name for s in F.build_all(load_inputs(commune))]
    with pdfplumber.open(pdf_path) as pdf:
        assert len(pdf.pages) <= 30
        text = ""
        for page in pdf.pages:
            assert abs(page.width - A4[0]) < 2 and abs(page.height - A4[1]) < 2
            words = [w for w in page.extract_words() if len(w["text"]) > 2]
            assert all(w["x1"] <= page.width - 25 for w in words), page.page_number
            # without the faint watermark (large letters that interleave with the text)
            small = page.filter(lambda o: o.get("object_type") != "char" or o["size"] < 20)
            text += (small.extract_text() or "") + "\n"
    flat = re.sub(r"\s+", " ", text)
    for name in ids:
        # the last line of the chart's own source line is printed whole: nothing cut
        # on the right, and the chart is there as its citable image
        assert re.search(rf"\({name}\) · produit le .{{6,30}} · \d+ passages analysés",
                         flat), name


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("width", [360, 375, 768, 1280, 1920])
def test_report_charts_keep_their_labels_on_phone_and_desktop(commune, width, tmp_path):
    found = measure(commune.report_path, width)
    assert found["viewport"] == width
    assert found["scrollWidth"] <= width + 1          # the page itself never scrolls sideways
    assert len(found["charts"]) == 9
    for chart in found["charts"]:
        assert chart["drawn"], chart["id"]
        clipped = [t for t in chart["clipped"] if "fictives" not in t]   # the watermark
        assert not clipped, (chart["id"], clipped)
        # no chart wider than its frame nor than the screen: nothing scrolls sideways
        assert chart["width"] <= chart["frameWidth"] + 1 <= width + 1, chart["id"]
        assert chart["labels"] > 10, chart["id"]        # and its labels are drawn
    shot = screenshot(commune.report_path, tmp_path / f"rapport_{width}.png", width, 1600)
    assert shot.stat().st_size > 10_000


@pytest.mark.slow
@needs_chromium
def test_each_sheet_is_one_page_even_for_a_rich_list(tmp_path):
    import pdfplumber

    from analysis.publish.sheets import build_list_sheets
    cfg = load_config(write_sample_project(tmp_path / "riche", lists=3, seed=11))
    inputs = load_inputs(cfg)
    # a rich list: every theme concrete AND restrictive elsewhere
    ctx = sheet_context(inputs, "liste-c", cfg)
    files, warning = build_list_sheets(cfg, inputs)
    assert not warning
    for pdf_path in [p for p in files if p.suffix == ".pdf"]:
        with pdfplumber.open(pdf_path) as pdf:
            assert len(pdf.pages) == 1, pdf_path.name
            text = pdf.pages[0].extract_text()
        assert "Baromètre solidarité v" in text and "fiche_" in text
    assert len(ctx["restrictive"]) <= 4
