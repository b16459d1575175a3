"""What decisions do to tags: the latest decision wins, applied to the tagger's output.

- Decisions are taken in edit order (:func:`in_edit_order`): when the decision was made
  (``edited_at``: a per-row date, else the workbook's own modification date), not when it
  was imported; same date, store order. For each passage x theme the latest wins
  (:func:`effective_decisions`, the one definition every reader uses); per reviewer, that
  reviewer's latest (:func:`latest_by_reviewer`).
- Given the current passages, decisions are first re-attached to the passage that now
  holds their text (:mod:`analysis.review.anchors`); orphans are left out.
- :func:`apply_decisions`: effective decisions are applied in that order. ``valider`` keeps
  the tag (re-adds it if the tagger no longer finds it) with origin ``review``; ``rejeter``
  removes it (and keeps it removed if the tagger finds it again); ``corriger`` replaces
  theme and/or stance (origin ``review``); ``ajouter`` adds a tag (origin ``review``).
  Strength and evidence of a review tag come from the tag it replaces, else from the
  strongest tag of the passage, else ``mention`` (conservative: a human said the theme is
  there, not how concrete), unless the reviewer corrected the strength (``new_strength``).
- :func:`triage`: a row whose content equals that reviewer's latest decision on the same
  passage x theme (e.g. a forwarded copy) is not stored again; nor is a row older than that
  reviewer's stored decision on it (an older workbook imported after a newer one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis.common.tables import empty
from analysis.contracts import DECISION_VALUES, DECISIONS, STRENGTH_SCORE, TAGS
from analysis.review.anchors import resolve
from analysis.review.store import reviewer_key


def _text(value: object) -> str:
    """A stored cell as text ('' for missing: None, NaN, NA, a column an older file lacks)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def outcome(row: pd.Series | dict) -> tuple[str, ...]:
    """What a decision says (two decisions with the same outcome agree)."""
    return (str(row["decision"]), _text(row["new_theme_id"]), _text(row["new_stance"]),
            _text(row.get("new_strength")))


def edit_time(row: pd.Series | dict) -> pd.Timestamp:
    """When a decision was made: edited_at, else imported_at (UTC; NaT when unknown)."""
    for key in ("edited_at", "imported_at"):
        value = _text(row.get(key) if hasattr(row, "get") else None)
        if value:
            ts = pd.to_datetime(value, utc=True, errors="coerce", format="ISO8601")
            if not pd.isna(ts):
                return ts
    return pd.NaT


def in_edit_order(decisions: pd.DataFrame) -> pd.DataFrame:
    """Decisions sorted by when they were made (stable: same time keeps store order)."""
    if decisions is None or not len(decisions):
        return decisions
    when = pd.Series([edit_time(r) for r in decisions.to_dict("records")],
                     index=decisions.index, dtype="datetime64[ns, UTC]")
    order = when.fillna(pd.Timestamp.min.tz_localize("UTC")).sort_values(kind="stable").index
    return decisions.loc[order]


def _key(row: dict) -> tuple[str, str, str]:
    return (reviewer_key(row["reviewer"], row["file_name"]), _text(row["passage_id"]),
            _text(row["theme_id"]))


def latest_by_reviewer(decisions: pd.DataFrame) -> dict[tuple[str, str, str], dict]:
    """(reviewer, passage_id, theme_id) -> that reviewer's latest decision (edit order)."""
    latest: dict[tuple[str, str, str], dict] = {}
    for row in in_edit_order(decisions).to_dict("records"):
        latest[_key(row)] = row
    return latest


@dataclass
class Triage:
    """Candidate decisions sorted out against the store."""

    new: pd.DataFrame
    known: int = 0                                   # same id, or same content
    older: list[dict] = field(default_factory=list)  # superseded by a newer stored one


def triage(stored: pd.DataFrame, candidates: pd.DataFrame,
           stored_keys: pd.DataFrame | None = None,
           candidate_keys: pd.DataFrame | None = None) -> Triage:
    """New candidates (not stored yet, not older than the same reviewer's stored decision on
    that passage x theme). `*_keys`: the same frames re-attached to the current passages
    (see anchors.resolve), so that a decision made on a renamed file meets its twin."""
    stored_keys = stored if stored_keys is None else stored_keys
    candidate_keys = candidates if candidate_keys is None else candidate_keys
    known_ids = set(stored["decision_id"])
    latest = {key: (outcome(row) + (_text(row["comment"]),), edit_time(row))
              for key, row in latest_by_reviewer(stored_keys).items()}
    keep, result = [], Triage(new=empty(DECISIONS))
    for row, keyed in zip(candidates.to_dict("records"), candidate_keys.to_dict("records"),
                          strict=True):
        key = _key(keyed)
        content = outcome(row) + (_text(row["comment"]),)
        when = edit_time(row)
        before = latest.get(key)
        if row["decision_id"] in known_ids or (before and before[0] == content):
            result.known += 1
            continue
        if before and not pd.isna(when) and not pd.isna(before[1]) and when < before[1]:
            result.older.append(row | {"newer_at": before[1]})
            continue
        keep.append(row)
        known_ids.add(row["decision_id"])
        latest[key] = (content, when)
    result.new = pd.DataFrame(keep, columns=DECISIONS).astype(object) if keep \
        else empty(DECISIONS)
    return result


def new_decisions(stored: pd.DataFrame, candidates: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Candidates that are not already stored; returns (new rows, number skipped)."""
    t = triage(stored, candidates)
    return t.new, t.known + len(t.older)


def effective_decisions(decisions: pd.DataFrame, passages: pd.DataFrame | None) -> pd.DataFrame:
    """The latest decision per passage x theme (edit order). Given `passages`, decisions
    are re-attached to the passage that now holds their text and orphans are left out."""
    if decisions is None or len(decisions) == 0 or "decision" not in decisions.columns:
        return empty(DECISIONS)
    df = decisions[decisions["decision"].isin(DECISION_VALUES)]
    if passages is not None and "passage_id" in passages.columns:
        if "anchor_status" not in df.columns:
            df = resolve(df, passages)
        df = df[df["passage_id"].isin(set(passages["passage_id"].astype(str)))]
    df = in_edit_order(df)
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
