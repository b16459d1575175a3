"""Stage `evaluate`: the tagger measured on the hand-labelled passages of `data/eval/`.

`run(cfg)` (`python -m analysis evaluate`, `make eval`): dev and test splits ->
reports/metrics/evaluation_<split>.json, per_theme_<split>.csv, erreurs_<split>.csv
(`scoring`); `bench.run_bench` (`python -m analysis bench`, `make bench`): the tagger's
speed and memory as whole processes -> reports/metrics/bench.json.
"""

from __future__ import annotations

from typing import Any

from analysis.config import Config
from analysis.evaluation.scoring import run_evaluation


def run(cfg: Config) -> dict[str, Any]:
    """Both splits, metrics written to reports/metrics/."""
    return run_evaluation(cfg)


__all__ = ["run", "run_evaluation"]
