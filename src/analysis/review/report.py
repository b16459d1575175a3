"""What the review stage tells, at every run: conflicts (``conflits.csv``), orphans
(``orphelins.csv``), decisions re-attached to a moved passage (``rattachements.csv``), and
the counts (``reports/metrics/relecture_rattachement.json``, read by the run summary).

A folder that cannot be written is a warning naming the path and what to do: the tags are
still refreshed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.common.safe_text import to_csv_safe
from analysis.common.tables import empty
from analysis.config import Config
from analysis.contracts import CONFLICTS, DECISIONS
from analysis.review.anchors import (
    EN_PLACE,
    ORPHELINE,
    RAPPROCHEE,
    RATTACHEE,
    SIMILARITY_THRESHOLD,
    passage_anchors,
)
from analysis.review.conflicts import find_conflicts, find_orphans

REATTACHED_COLUMNS = [
    "decision_id", "file_name", "sheet", "row", "reviewer", "theme_id", "decision", "status",
    "similarity", "stored_passage_id", "passage_id", "path_before", "page_before",
    "path_now", "page_now", "text_before", "text_now",
]


def reattached_path(cfg: Config) -> Path:
    return cfg.reviews / "rattachements.csv"


def anchoring_path(cfg: Config) -> Path:
    return cfg.metrics_dir / "relecture_rattachement.json"


@dataclass
class ReviewState:
    conflicts: pd.DataFrame = field(default_factory=lambda: empty(CONFLICTS))
    orphans: pd.DataFrame = field(default_factory=lambda: empty(DECISIONS))
    reattached: pd.DataFrame = field(default_factory=lambda: empty(REATTACHED_COLUMNS))
    counts: dict = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)      # printed, loud
    warnings: list[str] = field(default_factory=list)


def reattached_frame(resolved: pd.DataFrame, passages: pd.DataFrame | None) -> pd.DataFrame:
    """The decisions attached to another passage than the one they were made on."""
    moved = resolved[resolved["anchor_status"].isin([RATTACHEE, RAPPROCHEE])]
    if not len(moved):
        return empty(REATTACHED_COLUMNS)
    now = passage_anchors(passages) if passages is not None else {}
    rows = []
    for d in moved.to_dict("records"):
        cur = now.get(d["passage_id"], {})
        rows.append({
            "decision_id": d["decision_id"], "file_name": d["file_name"], "sheet": d["sheet"],
            "row": d["row"], "reviewer": d["reviewer"], "theme_id": d["theme_id"],
            "decision": d["decision"], "status": d["anchor_status"],
            "similarity": d["similarity"], "stored_passage_id": d["stored_passage_id"],
            "passage_id": d["passage_id"], "path_before": d.get("path", ""),
            "page_before": d.get("page", ""), "path_now": cur.get("path", ""),
            "page_now": cur.get("page", ""), "text_before": str(d.get("quote", ""))[:300],
            "text_now": str(cur.get("quote", ""))[:300],
        })
    return pd.DataFrame(rows, columns=REATTACHED_COLUMNS)


def anchoring_lines(cfg: Config, counts: dict) -> list[str]:
    """The loud French lines on how decisions were attached (also in the run summary)."""
    n = counts.get("n_decisions", 0)
    if not n:
        return []
    moved = counts.get(RATTACHEE, 0) + counts.get(RAPPROCHEE, 0)
    lines = [
        f"Décisions de relecture : {n} — {counts.get(EN_PLACE, 0)} à leur place, "
        f"{counts.get(RATTACHEE, 0)} rattachée(s) au même texte déplacé (fichier ou dossier "
        f"renommé, autre page), {counts.get(RAPPROCHEE, 0)} rapprochée(s) d'un texte quasi "
        f"identique (similarité ≥ {SIMILARITY_THRESHOLD:.0f} %), "
        f"{counts.get(ORPHELINE, 0)} orpheline(s)."
    ]
    if moved:
        lines.append(f"  {moved} décision(s) suivent leur texte : vérifiez la liste dans "
                     f"{counts.get('reattached_file', reattached_path(cfg))}.")
    if counts.get(ORPHELINE, 0):
        lines.append(f"  ATTENTION : {counts[ORPHELINE]} décision(s) orpheline(s) (leur texte "
                     f"n'existe plus dans la liste) : elles ne s'appliquent plus mais restent "
                     f"dans decisions.csv ; détail dans "
                     f"{counts.get('orphans_file', cfg.orphans_path)}.")
    if counts.get("store_problems"):
        lines.append(f"  ATTENTION : {counts['store_problems']} ligne(s) de decisions.csv "
                     f"illisible(s) ignorée(s) : la réparation est indiquée plus haut "
                     f"(python -m analysis tag la réaffiche).")
    return lines


def _write(path: Path, write, warnings: list[str]) -> None:
    try:
        write(path)
    except PermissionError as exc:
        warnings.append(f"{path} non écrit (droits insuffisants : {exc.strerror}) ; donnez le "
                        f"droit d'écrire dans {path.parent} (chmod u+w \"{path.parent}\") puis "
                        f"relancez. Les étiquettes sont à jour quand même.")


def write_review_files(cfg: Config, resolved: pd.DataFrame, passages: pd.DataFrame | None,
                       store_problems: list[str] | None = None) -> ReviewState:
    """Conflicts, orphans, re-attached decisions and their counts, written and returned."""
    state = ReviewState()
    if not len(resolved):
        state.counts = {"n_decisions": 0}
        _write(anchoring_path(cfg), lambda p: _dump(p, state.counts), state.warnings)
        return state
    state.conflicts = find_conflicts(resolved)
    if passages is not None:
        state.orphans = find_orphans(resolved, passages)
        state.reattached = reattached_frame(resolved, passages)
    counts = Counter(resolved["anchor_status"]) if passages is not None else Counter()
    state.counts = {"n_decisions": len(resolved)} | {
        k: int(counts.get(k, 0)) for k in (EN_PLACE, RATTACHEE, RAPPROCHEE, ORPHELINE)} | {
        "similarity_threshold": SIMILARITY_THRESHOLD,
        "store_problems": len(store_problems or []),
        "reattached_file": str(reattached_path(cfg)), "orphans_file": str(cfg.orphans_path),
    }
    if passages is None:
        state.counts[EN_PLACE] = len(resolved)
    _write(cfg.conflicts_path, lambda p: to_csv_safe(state.conflicts, p), state.warnings)
    if passages is not None:
        _write(cfg.orphans_path, lambda p: to_csv_safe(state.orphans, p), state.warnings)
        _write(reattached_path(cfg), lambda p: to_csv_safe(state.reattached, p),
               state.warnings)
    _write(anchoring_path(cfg), lambda p: _dump(p, state.counts), state.warnings)
    state.lines = anchoring_lines(cfg, state.counts) + [f"  {w}" for w in state.warnings]
    return state


def _dump(path: Path, counts: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(counts, ensure_ascii=False, indent=2), encoding="utf-8")


def load_anchoring(cfg: Config) -> dict | None:
    path = anchoring_path(cfg)
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, json.JSONDecodeError):
        return None
