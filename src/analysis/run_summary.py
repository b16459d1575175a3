"""The short summary that ends `make report`: inputs read / skipped, passages, tags, outputs."""

from __future__ import annotations

import pandas as pd

from analysis.common.safe_text import read_csv_safe
from analysis.config import PROJECT_ROOT, Config
from analysis.review.report import anchoring_lines, load_anchoring
from analysis.review.store import read_store


def _rel(cfg: Config, path) -> str:
    try:
        return str(path.relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def run_summary_lines(cfg: Config) -> list[str]:
    """French lines describing what the last run read, skipped and wrote."""
    lines = []
    if cfg.demo:
        lines.append("ATTENTION : données fictives de démonstration (demo: true dans la config).")
    if cfg.ingest_report_path.is_file():
        rep = read_csv_safe(cfg.ingest_report_path)
        # duplicate / refused / too_large: hostile or repeated inputs (issue 16)
        not_read = ["error", "skipped", "duplicate", "refused", "too_large"]
        files = rep[rep["status"].isin(["ok", "warning", *not_read])]
        ok = files[files["status"].isin(["ok", "warning"])]
        bad = files[files["status"].isin(not_read)]
        lines.append(
            f"Documents lus : {ok['path'].nunique()} ; entrées ignorées : {len(bad)}"
            + (" (détail ci-dessous et dans ingest_report.csv)." if len(bad) else ".")
        )
        for _, row in bad.iterrows():
            lines.append(f"  - ignoré : {row['path']} — {row['reason']}")
        for _, row in rep[~rep.index.isin(files.index)].iterrows():
            lines.append(f"  - {row['list_id']} : {row['reason']}")
    if cfg.passages_path.is_file():
        passages = pd.read_parquet(cfg.passages_path)
        lines.append(
            f"Passages : {len(passages)} ({passages['list_id'].nunique()} listes)."
        )
    if cfg.tags_path.is_file():
        tags = pd.read_parquet(cfg.tags_path)
        reviewed = int((tags["origin"] == "review").sum()) if "origin" in tags else 0
        lines.append(
            f"Étiquettes : {len(tags)} sur {tags['passage_id'].nunique()} passages "
            f"({reviewed} issues de la relecture)."
        )
    lines += review_summary_lines(cfg)
    outputs = [
        ("Rapport", cfg.report_path),
        ("Graphiques", cfg.figures_dir),
        ("Classeur", cfg.workbook_path),
        ("Carnets exécutés", cfg.notebooks_out_dir),
    ]
    for label, path in outputs:
        if path.exists():
            lines.append(f"{label} : {_rel(cfg, path)}")
    return lines


def review_summary_lines(cfg: Config) -> list[str]:
    """Reviewers' decisions: how many stayed in place, re-attached to a moved text, or are
    orphans (never silent), and store rows to repair (see analysis.review.report)."""
    counts = load_anchoring(cfg) or {}
    try:
        problems = read_store(cfg.decisions_path).messages()
    except Exception as exc:  # noqa: BLE001 - the summary itself must never fail
        problems = [str(exc)]
    lines = anchoring_lines(cfg, counts | {"store_problems": 0})
    if problems:
        lines.append(f"ATTENTION : {len(problems)} ligne(s) de {cfg.decisions_path.name} à "
                     f"réparer (les autres décisions s'appliquent) :")
        lines += [f"  - {m}" for m in problems]
    return lines


def print_run_summary(cfg: Config) -> None:
    print("\n=== Résumé ===")
    for line in run_summary_lines(cfg):
        print(line)
