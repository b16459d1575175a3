"""Disagreements and orphans: two reviewers who disagree on a passage x theme (listed in
``conflits.csv``; meanwhile the latest decision wins), decisions whose passage no longer
exists, even after re-attachment on its text (listed in ``orphelins.csv``, never removed
from ``decisions.csv``)."""

from __future__ import annotations

import pandas as pd

from analysis.common.tables import empty
from analysis.contracts import CONFLICTS, DECISIONS
from analysis.review.anchors import ORPHELINE, resolve
from analysis.review.rules import effective_decisions, latest_by_reviewer, outcome
from analysis.review.store import reviewer_key


def _describe(row: dict) -> str:
    if row["decision"] in ("rejeter", "valider"):
        return row["decision"]
    strength = row.get("new_strength")
    strength = f", {strength}" if isinstance(strength, str) and strength else ""
    return f"{row['decision']} → {row['new_theme_id']} ({row['new_stance']}{strength})"


def find_conflicts(decisions: pd.DataFrame) -> pd.DataFrame:
    """Passage x theme pairs on which reviewers' latest decisions differ (CONFLICTS)."""
    if decisions is None or len(decisions) == 0:
        return empty(CONFLICTS)
    by_unit: dict[tuple[str, str], dict[str, dict]] = {}
    for (who, pid, tid), row in latest_by_reviewer(decisions).items():
        by_unit.setdefault((pid, tid), {})[who] = row
    retained = {(r["passage_id"], r["theme_id"]): r
                for r in effective_decisions(decisions, None).to_dict("records")}
    out = []
    for (pid, tid), latest in by_unit.items():
        if len({outcome(r) for r in latest.values()}) < 2:
            continue
        last = retained[(pid, tid)]
        out.append({
            "passage_id": pid, "theme_id": tid, "n_reviewers": len(latest),
            "reviewers": " ; ".join(latest),
            "positions": " ; ".join(f"{who} : {_describe(r)}" for who, r in latest.items()),
            "retained": _describe(last),
            "retained_reviewer": reviewer_key(last["reviewer"], last["file_name"]),
        })
    return pd.DataFrame(out, columns=CONFLICTS).astype(object) if out else empty(CONFLICTS)


def find_orphans(decisions: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Decisions whose text no longer exists in the list (after re-attachment, see
    analysis.review.anchors): DECISIONS columns, the stored passage_id."""
    if decisions is None or len(decisions) == 0:
        return empty(DECISIONS)
    df = decisions if "anchor_status" in decisions.columns else resolve(decisions, passages)
    orphans = df[df["anchor_status"] == ORPHELINE].copy()
    orphans["passage_id"] = orphans["stored_passage_id"]
    return orphans.reindex(columns=DECISIONS).reset_index(drop=True)
