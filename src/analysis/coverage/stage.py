"""Stage `coverage` (`python -m analysis coverage`): passages + tags + questionnaire
responses -> coverage.parquet (one row per list x theme x source)."""

from __future__ import annotations

import pandas as pd

from analysis import contracts
from analysis.common.progress import summary
from analysis.common.tables import read_table, write_table
from analysis.config import Config
from analysis.coverage.compute import compute_coverage, list_order
from analysis.coverage.questionnaire import load_responses


def run_coverage(cfg: Config) -> pd.DataFrame:
    """Read passages, tags and questionnaire responses; write coverage.parquet."""
    passages = read_table(cfg.passages_path, "ingest")
    tags = read_table(cfg.tags_path, "tag")
    codebook = cfg.codebook
    responses = load_responses(cfg)
    answered = None
    if responses is not None:
        answered = dict(zip(responses["list_id"], responses["answered"], strict=True))
    lists = list_order(cfg, passages)
    cov = compute_coverage(passages, tags, codebook, lists, answered)
    write_table(cov, cfg.coverage_path)

    unknown_passages = int((~tags["passage_id"].isin(passages["passage_id"])).sum())
    unknown_themes = int((~tags["theme_id"].isin(codebook.theme_ids)).sum())
    q = cov[(cov["source"] == "questionnaire")].drop_duplicates("list_id")
    n_reviewed = int((tags["origin"] == "review").sum())
    text = (
        f"{len(lists)} listes × {len(codebook.theme_ids)} thèmes × {len(contracts.SOURCES)} "
        f"sources = {len(cov)} lignes ; {int(q['received'].sum())}/{len(q)} listes ont répondu "
        f"au questionnaire ; {n_reviewed} étiquettes relues"
    )
    if unknown_passages or unknown_themes:
        text += (
            f" ; ignorées : {unknown_passages} étiquettes sans passage connu, "
            f"{unknown_themes} de thème inconnu du référentiel"
        )
    summary("coverage", f"{text} -> {cfg.coverage_path}")
    return cov


run = run_coverage
