"""An analyst from another commune, with only the README: `init` in a folder of their own,
the lists written in config.yml, one real programme dropped in its list's folder, the
stages run. The analysis holds that list only, nothing of the fictional demo, no « démo »
text, and every path stays inside the new folder."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from analysis import pipeline
from analysis.config import PROJECT_ROOT, load_config
from analysis.init import init_project
from analysis.review import run_review_import

pytestmark = pytest.mark.slow
DEMO_WORDS = re.compile(r"\b(démo|démonstration|fictive?s?|aix(-en-provence)?)\b", re.I)
LISTS = """lists:
  - id: villeneuve-ensemble
    name: "Villeneuve Ensemble"
    head: "Claire Dupuy"
    colour: "#0072B2"
    aliases: ["Liste Villeneuve Ensemble"]"""


def programme(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Villeneuve Ensemble — notre programme", level=1)
    d.add_heading("Solidarité", level=2)
    for text in ("Nous créerons 40 places d'hébergement d'urgence supplémentaires dès 2027.",
                 "La banque alimentaire disposera d'un local municipal gratuit.",
                 "Nous signerons des conventions pluriannuelles avec les associations de "
                 "solidarité.",
                 "Nous rénoverons le stade municipal."):
        d.add_paragraph(text, style="List Bullet")
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(path))
    return path


def texts_of_workbook(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [str(c.value) for ws in wb if ws.sheet_state == "visible"
            for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_init_then_the_readme_steps_give_a_real_analysis_with_nothing_of_the_demo(
        tmp_path, capsys):
    folder = tmp_path / "villeneuve"
    config = init_project("Villeneuve-sur-Lot", folder)
    printed = capsys.readouterr().out
    assert f"make report CONFIG={config}" in printed
    config.write_text(config.read_text(encoding="utf-8").replace("lists: []", LISTS, 1),
                      encoding="utf-8")
    cfg = load_config(config)
    programme(cfg.programmes_dir / "villeneuve-ensemble" / "programme.docx")
    for name in ("questionnaire", "ingest", "tag", "review", "coverage", "workbook"):
        pipeline.stage(name).run(cfg)

    for key in ("raw", "processed", "reports", "reviews"):
        assert getattr(cfg, key).is_relative_to(folder), key
    assert not cfg.demo and not cfg.demo_notice
    passages = pd.read_parquet(cfg.passages_path)
    tags = pd.read_parquet(cfg.tags_path)
    coverage = pd.read_parquet(cfg.coverage_path)
    for table in (passages, coverage):
        assert set(table["list_id"]) == {"villeneuve-ensemble"}
    assert set(tags["passage_id"]) <= set(passages["passage_id"]) and len(tags)
    assert "hebergement_urgence" in set(tags["theme_id"])

    assert cfg.workbook_path.is_file() and "DEMO" not in cfg.workbook_path.name
    outputs = [cfg.workbook_path, *cfg.questionnaire_dir.glob("*.xlsx")]
    for path in outputs:
        shown = [t for t in texts_of_workbook(path) if DEMO_WORDS.search(t)]
        assert not shown, (path.name, shown[:3])
    readme = " ".join(texts_of_workbook(cfg.workbook_path))  # the command for *this* analysis
    assert f"python -m analysis review-import --config {config} " in readme
    assert str(cfg.decisions_path) in readme and "data/reviews" not in readme
    for path in (cfg.ingest_report_path, cfg.responses_path):
        assert not DEMO_WORDS.search(path.read_text(encoding="utf-8")), path
    # a volunteer rejects a tag; the import points to this analysis's own `make report`
    wb = openpyxl.load_workbook(cfg.workbook_path)
    ws = wb["Passages"]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value and any(
        c.value == "Décision" for c in ws[r]))
    cols = {c.value: c.column for c in ws[head] if c.value}
    ws.cell(head + 1, cols["Décision"]).value = "Rejeter"
    returned = tmp_path / "relu.xlsx"
    wb.save(returned)
    capsys.readouterr()
    summary = run_review_import(cfg, [str(returned)])
    out = capsys.readouterr().out
    assert summary.new == 1 and cfg.decisions_path.is_file()
    assert f"make report CONFIG={config}" in out, out
    # its comments say what `demo: true` is for, and name no demo list or folder text
    assert not re.search(r"\bdémo\b|aix", config.read_text(encoding="utf-8"), re.I)
    # nothing was written in the project's own data folders
    assert not (PROJECT_ROOT / "data" / "raw" / "programmes").exists()
