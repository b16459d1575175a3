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
