"""The tables the charts and the report are drawn from, loaded once."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.tables import read_table
from analysis.config import Config
from analysis.coverage import compute as cov_mod
from analysis.coverage import questionnaire as qa
from analysis.coverage.stage import run_coverage
from analysis.publish.review_status import ReviewStatus
from analysis.publish.template import ChartContext


@dataclass
class ChartInputs:
    """Coverage (per source), its combined view, evidence, questionnaire tables."""

    coverage: pd.DataFrame            # coverage.COLUMNS, per source
    overall: pd.DataFrame             # programme + questionnaire combined
    axes: pd.DataFrame                # coverage.AXIS_SUMMARY (combined sources)
    evidence: pd.DataFrame            # coverage.EVIDENCE (both sources ranked together)
    questionnaire_evidence: pd.DataFrame  # coverage.EVIDENCE of questionnaire passages only
    responses: pd.DataFrame           # questionnaire_analysis.RESPONSE_TABLE, one row per list
    consistency: pd.DataFrame         # questionnaire_analysis.CONSISTENCY
    passages: pd.DataFrame
    ctx: ChartContext


def build_inputs(
    coverage: pd.DataFrame,
    passages: pd.DataFrame,
    tags: pd.DataFrame,
    codebook: Codebook,
    ctx: ChartContext,
    responses: pd.DataFrame | None = None,
    n_questions: int = 0,
) -> ChartInputs:
    """Derive every table the charts need from coverage, passages and tags."""
    return ChartInputs(
        coverage=coverage,
        overall=cov_mod.overall(coverage),
        axes=cov_mod.axis_summary(coverage, codebook),
        evidence=cov_mod.evidence(passages, tags, codebook),
        questionnaire_evidence=cov_mod.evidence(
            passages[passages["source"] == "questionnaire"], tags, codebook
        ),
        responses=qa.response_table(responses, ctx.list_ids, n_questions, passages),
        consistency=qa.programme_vs_questionnaire(coverage),
        passages=passages,
        ctx=ctx,
    )


def load_inputs(cfg: Config) -> ChartInputs:
    """Read passages and tags; reuse coverage.parquet unless missing or older than one of
    its inputs (passages, tags, questionnaire responses, codebook)."""
    passages = read_table(cfg.passages_path, "ingest")
    tags = read_table(cfg.tags_path, "tag")
    path = cfg.coverage_path
    coverage = None
    sources = [cfg.passages_path, cfg.tags_path, cfg.responses_path, cfg.codebook_path]
    newest = max(p.stat().st_mtime for p in sources if p.is_file())
    if path.is_file() and path.stat().st_mtime >= newest:
        coverage = pd.read_parquet(path)
        if any(c not in coverage.columns for c in cov_mod.COLUMNS):
            coverage = None                  # written by an older version: rebuild it
    if coverage is None:  # said, not silent: the coverage stage prints its own summary
        print(f"{path.name} absent ou plus ancien que ses entrées : la couverture est "
              f"recalculée.", flush=True)
        coverage = run_coverage(cfg)
    codebook = cfg.codebook
    lists = list(dict.fromkeys([*cov_mod.list_order(cfg, passages), *coverage["list_id"]]))
    ctx = ChartContext.from_config(
        cfg, codebook, lists, n_passages=int(passages["passage_id"].nunique()),
        n_reviewed=int((tags["origin"] == "review").sum()),
        review=ReviewStatus.from_tables(tags, passages, cfg.review_threshold),
    )
    return build_inputs(
        coverage, passages, tags, codebook, ctx, qa.load_responses(cfg), len(cfg.questions)
    )
