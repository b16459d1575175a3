"""`make bench` on a small corpus: every measure a whole process, outputs checked identical,
the warm start's parts and the one-line process recorded in bench.json."""

from __future__ import annotations

import json

import pytest

from analysis.config import load_config
from analysis.evaluation.bench import format_table, run_bench

pytestmark = pytest.mark.slow


def test_a_small_bench_writes_every_measure(tmp_path, capsys):
    cfg = load_config(processed=tmp_path / "processed", reports=tmp_path / "reports")
    result = run_bench(cfg, words=600, scales=(800,), repeat=1)
    written = json.loads(cfg.bench_path.read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(result))
    assert 600 <= written["corpus"]["words"] < 700
    for key in ("tokenizer", "baseline_full_pipeline", "tag_jsonl_1_worker",
                "tag_jsonl_2_workers", "tag_jsonl_after_setup", "tag_jsonl_warm_start",
                "tag_jsonl_warm_start_1_worker", "tag_jsonl_warm_cache"):
        assert written[key]["seconds"] > 0 and written[key]["max_rss_mb"] > 0, key
        assert written["speedup_vs_baseline"][key] > 0
    assert written["tag_jsonl_after_setup"]["prepare"]["seconds"] > 0
    start = written["warm_start"]
    assert set(start["parts_seconds"]) == {"project_imports", "import_spacy", "model",
                                           "patterns"}
    assert 0 < sum(start["parts_seconds"].values()) <= start["ready_seconds"] + 0.05
    assert start["one_line_process"]["seconds"] > 0
    assert [r["words"] for r in written["scaling"]] and written["scaling"][0]["words"] >= 800
    assert written["national_40M_words_hours"] > 0
    table = format_table(written)
    assert "motifs" in table and "une seule ligne" in table and "make setup" in table
