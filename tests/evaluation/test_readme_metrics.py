"""The README's accuracy table is the one the current codebook gives on the frozen sets."""

from __future__ import annotations

import re

import pytest

from analysis.config import PROJECT_ROOT, load_config
from analysis.evaluation.scoring import EVAL_DIR, load_eval_set, score
from analysis.tagging import Tagger

pytestmark = pytest.mark.slow


def _readme_f1() -> dict[str, float]:
    block = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = block[block.index("<!-- metrics:start -->"):block.index("<!-- metrics:end -->")]
    row = next(line for line in block.splitlines() if line.startswith("| **F1 micro**"))
    values = re.findall(r"\*\*(\d,\d\d)\*\*", row)
    names = ("test", "test2", "test3", "propositions_test", "propositions_test2")
    assert len(values) == len(names), "one bold F1 per frozen set in the README table"
    return {name: float(v.replace(",", ".")) for name, v in zip(names, values, strict=True)}


def test_readme_quotes_the_measured_f1_of_the_frozen_sets():
    cfg = load_config()
    tagger = Tagger.from_config(cfg, use_cache=False)
    quoted = _readme_f1()
    for name, value in quoted.items():
        gold = load_eval_set(EVAL_DIR / f"{name}.jsonl", cfg.codebook)
        found = tagger.tag_texts(gold["text"].tolist(), sections=gold["section"].tolist())
        result = score(gold, dict(zip(gold["id"], found, strict=True)), cfg.codebook,
                       intervals=False)
        assert round(result["micro_f1"], 2) == pytest.approx(value), (
            f"README quotes F1 {value} on {name}, the tagger gives {result['micro_f1']:.3f}: "
            "rerun `make eval` and update the README's metrics block")
