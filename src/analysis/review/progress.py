"""How much of the tagging the reviewers have looked at: per theme, the share of the tags
(the tagger's, plus those reviewers added) that got a decision. Printed by every import,
so that with twenty associations reviewing in parallel the analyst sees what is left."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.text import is_plural, plural
from analysis.review.rules import effective_decisions

COLUMNS = ["theme_id", "label", "n_tags", "n_decided", "share"]


def review_progress(auto: pd.DataFrame | None, decisions: pd.DataFrame,
                    passages: pd.DataFrame | None, codebook: Codebook) -> pd.DataFrame:
    """One row per theme: tags to review, how many got a decision, the share decided."""
    units: set[tuple[str, str]] = set()
    if auto is not None and len(auto):
        units |= set(zip(auto["passage_id"].astype(str), auto["theme_id"], strict=True))
    decided: set[tuple[str, str]] = set()
    for d in effective_decisions(decisions, passages).to_dict("records"):
        pid = str(d["passage_id"])
        decided.add((pid, d["theme_id"]))
        if d["decision"] == "ajouter":
            units.add((pid, d["theme_id"]))
    rows = []
    for t in codebook.themes:
        mine = {u for u in units if u[1] == t.id}
        n_done = len(mine & decided)
        rows.append({"theme_id": t.id, "label": t.label, "n_tags": len(mine),
                     "n_decided": n_done,
                     "share": round(n_done / len(mine), 4) if mine else None})
    return pd.DataFrame(rows, columns=COLUMNS)


def progress_lines(progress: pd.DataFrame) -> list[str]:
    """French lines: the total, then each theme that has tags (least reviewed first)."""
    n_tags, n_done = int(progress["n_tags"].sum()), int(progress["n_decided"].sum())
    share = f"{n_done / n_tags:.0%}".replace("%", " %") if n_tags else "—"
    verb = "ont" if is_plural(n_done) else "a"
    lines = [f"Relecture : {plural(n_done, 'étiquette')} sur {n_tags} {verb} une décision "
             f"({share})."]
    todo = progress[progress["n_tags"] > 0].sort_values(["share", "label"])
    for row in todo.to_dict("records"):
        pct = f"{row['share']:.0%}".replace("%", " %")
        lines.append(f"  {row['label']} : {row['n_decided']}/{row['n_tags']} ({pct})")
    return lines
