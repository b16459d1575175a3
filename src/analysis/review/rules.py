"""What decisions do to tags: the latest decision wins, applied to the tagger's output.

- For each passage x theme, the latest decision (order of ``decisions.csv``) wins
  (:func:`effective_decisions`, the one definition every reader uses); per reviewer, that
  reviewer's latest (:func:`latest_by_reviewer`).
- :func:`apply_decisions`: effective decisions are applied in that order. ``valider`` keeps
  the tag (re-adds it if the tagger no longer finds it) with origin ``review``; ``rejeter``
  removes it (and keeps it removed if the tagger finds it again); ``corriger`` replaces
  theme and/or stance (origin ``review``); ``ajouter`` adds a tag (origin ``review``).
  Strength and evidence of a review tag come from the tag it replaces, else from the
  strongest tag of the passage, else ``mention`` (conservative: a human said the theme is
  there, not how concrete), unless the reviewer corrected the strength (``new_strength``).
- :func:`new_decisions`: a row whose content equals that reviewer's latest decision on the
  same passage x theme (e.g. a forwarded copy) is not stored again.
"""

from __future__ import annotations

import pandas as pd

from analysis.common.tables import empty
from analysis.contracts import DECISION_VALUES, DECISIONS, STRENGTH_SCORE, TAGS
from analysis.review.store import reviewer_key


def _text(value) -> str:
    """A stored cell as text ('' for missing: None, NaN, a column an older file lacks)."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def outcome(row: pd.Series | dict) -> tuple[str, ...]:
    """What a decision says (two decisions with the same outcome agree)."""
    return (str(row["decision"]), str(row["new_theme_id"]), str(row["new_stance"]),
            _text(row.get("new_strength")))


def latest_by_reviewer(decisions: pd.DataFrame) -> dict[tuple[str, str, str], dict]:
    """(reviewer, passage_id, theme_id) -> that reviewer's latest decision, keys in order of
    first appearance in `decisions`."""
    latest: dict[tuple[str, str, str], dict] = {}
    for row in decisions.to_dict("records"):
        key = (reviewer_key(row["reviewer"], row["file_name"]), row["passage_id"],
               row["theme_id"])
        latest[key] = row
    return latest


def new_decisions(stored: pd.DataFrame, candidates: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Candidates that are not already stored (same id, or same content as that reviewer's
    latest decision on the passage x theme); returns (new rows, number skipped)."""
    known_ids = set(stored["decision_id"])
    latest = {key: outcome(row) + (row["comment"],)
              for key, row in latest_by_reviewer(stored).items()}
    keep, skipped = [], 0
    for row in candidates.to_dict("records"):
        key = (reviewer_key(row["reviewer"], row["file_name"]), row["passage_id"],
               row["theme_id"])
        content = outcome(row) + (row["comment"],)
        if row["decision_id"] in known_ids or latest.get(key) == content:
            skipped += 1
            continue
        keep.append(row)
        known_ids.add(row["decision_id"])
        latest[key] = content
    return pd.DataFrame(keep, columns=DECISIONS).astype(object), skipped


def effective_decisions(decisions: pd.DataFrame, passages: pd.DataFrame | None) -> pd.DataFrame:
    """The latest decision per passage x theme, in decisions.csv order, orphans left out."""
    if decisions is None or len(decisions) == 0 or "decision" not in decisions.columns:
        return empty(DECISIONS)
    df = decisions[decisions["decision"].isin(DECISION_VALUES)]
    if passages is not None and "passage_id" in passages.columns:
        df = df[df["passage_id"].isin(set(passages["passage_id"].astype(str)))]
    return df.drop_duplicates(["passage_id", "theme_id"], keep="last")


def _strongest(rows: dict, keys: set) -> str | None:
    strengths = [rows[k]["strength"] for k in keys if rows[k]["strength"] in STRENGTH_SCORE]
    return max(strengths, key=STRENGTH_SCORE.get) if strengths else None


def apply_decisions(
    tags: pd.DataFrame, passages: pd.DataFrame, decisions: pd.DataFrame
) -> pd.DataFrame:
    """Tags with review decisions applied (see the module docstring for the rules).

    Pure (inputs are not modified) and idempotent: applying the result again to the same
    decisions gives the same table. Returns TAGS columns; order of `tags` kept, added tags
    at the end.
    """
    base = tags.copy() if tags is not None and len(tags.columns) else empty(TAGS)
    for col in TAGS:
        if col not in base.columns:
            base[col] = "auto" if col == "origin" else ""
    effective = effective_decisions(decisions, passages)
    if not len(effective):
        return base[TAGS].reset_index(drop=True)
    rows: dict[tuple[str, str], dict] = {}
    for rec in base[TAGS].to_dict("records"):
        rows.setdefault((str(rec["passage_id"]), str(rec["theme_id"])), rec)
    by_passage: dict[str, set] = {}
    for key in rows:
        by_passage.setdefault(key[0], set()).add(key)

    for d in effective.to_dict("records"):
        pid, tid, kind = str(d["passage_id"]), str(d["theme_id"]), d["decision"]
        keys = by_passage.setdefault(pid, set())
        if kind == "rejeter":
            rows.pop((pid, tid), None)
            keys.discard((pid, tid))
            continue
        target = str(d["new_theme_id"] or tid)
        ref = rows.get((pid, target)) or rows.get((pid, tid))
        strength = (_text(d.get("new_strength"))
                    or (ref["strength"] if ref else (_strongest(rows, keys) or "mention")))
        if kind == "corriger" and target != tid:
            rows.pop((pid, tid), None)
            keys.discard((pid, tid))
        stance = d["new_stance"] or (ref["stance"] if ref else "neutre")
        rows[(pid, target)] = {
            "passage_id": ref["passage_id"] if ref else d["passage_id"], "theme_id": target,
            "stance": stance, "strength": strength,
            "evidence": ref["evidence"] if ref else "", "origin": "review",
        }
        keys.add((pid, target))
    out = pd.DataFrame(list(rows.values()), columns=TAGS)
    return out.reset_index(drop=True)
