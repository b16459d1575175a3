"""What the observations say: the latest status of each commitment, its status at the end
of each year, conflicts (same commitment and date, different statuses) and orphans
(observations of a commitment no longer in the register, kept in the history).

Order of observations: by date observed, then by import order (the history file's order);
so the latest status is the one of the latest date, and for two observations of the same
date, the one imported last (listed as a conflict when their statuses differ).
"""

from __future__ import annotations

import pandas as pd

from analysis.common.tables import empty
from analysis.suivi.columns import CONFLICTS, HISTORY, LATEST
from analysis.suivi.statuses import NOT_STARTED, STATUSES, label

YEAR_COLUMNS = ["axis", "axis_label", "year", "status", "status_label", "n_engagements"]


def ordered(history: pd.DataFrame) -> pd.DataFrame:
    """Observations by date observed, then import order."""
    if history.empty:
        return history
    h = history.assign(_i=range(len(history)))
    return h.sort_values(["observed_on", "_i"], kind="stable").drop(columns="_i")


def known(history: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    return history[history["commitment_id"].isin(set(register["commitment_id"]))]


def orphans(history: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Observations whose commitment is not in the register any more (never deleted)."""
    return history[~history["commitment_id"].isin(set(register["commitment_id"]))].reset_index(
        drop=True)


def conflicts(history: pd.DataFrame) -> pd.DataFrame:
    """Same commitment, same date, different statuses (the one imported last applies)."""
    rows = []
    for (cid, day), grp in history.groupby(["commitment_id", "observed_on"], sort=True):
        if grp["status"].nunique() < 2:
            continue
        positions = " ; ".join(
            f"{r['reviewer'] or '(sans nom) ' + r['file_name']} : {label(r['status'])}"
            for r in grp.to_dict("records"))
        rows.append({"commitment_id": cid, "observed_on": day, "n_observations": len(grp),
                     "positions": positions, "retained": label(grp.iloc[-1]["status"])})
    return pd.DataFrame(rows, columns=CONFLICTS).astype(object) if rows else empty(CONFLICTS)


def status_at(register: pd.DataFrame, history: pd.DataFrame, day: str) -> pd.Series:
    """commitment_id -> status on `day` (ISO date, included): its latest observation then."""
    h = ordered(known(history, register))
    h = h[h["observed_on"] <= day]
    last = h.groupby("commitment_id")["status"].last().to_dict() if len(h) else {}
    return pd.Series([last.get(c, NOT_STARTED) for c in register["commitment_id"]],
                     index=register["commitment_id"], dtype=object)


def latest_table(register: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """One row per commitment with its latest status, date, evidence (LATEST columns)."""
    h = ordered(known(history, register))
    last = {r["commitment_id"]: r for r in h.to_dict("records")}
    counts = h["commitment_id"].value_counts().to_dict() if len(h) else {}
    rows = []
    for r in register.to_dict("records"):
        o = last.get(r["commitment_id"])
        status = o["status"] if o else NOT_STARTED
        rows.append({
            **{k: r[k] for k in ("commitment_id", "axis_label", "theme", "themes", "strength",
                                 "stance", "quote", "sources", "references")},
            "status": status, "status_label": label(status),
            "observed_on": o["observed_on"] if o else "", "evidence": o["evidence"] if o else "",
            "comment": o["comment"] if o else "", "reviewer": o["reviewer"] if o else "",
            "n_observations": int(counts.get(r["commitment_id"], 0)),
        })
    return pd.DataFrame(rows, columns=LATEST)


def observed_years(history: pd.DataFrame, start_year: int, end_year: int) -> list[int]:
    """From the mandate's first year to the last year observed (at least the first)."""
    years = [int(d[:4]) for d in history["observed_on"] if str(d)[:4].isdigit()]
    last = min(max([start_year, *years]), end_year)
    return list(range(start_year, last + 1))


def status_by_year(register: pd.DataFrame, history: pd.DataFrame, axes: dict[str, str],
                   years: list[int]) -> pd.DataFrame:
    """Per axis and year: how many commitments had each status on 31 December."""
    rows = []
    for year in years:
        at = status_at(register, history, f"{year}-12-31")
        reg = register.assign(status=at.to_numpy())
        for axis, axis_label in axes.items():
            mine = reg[reg["axis"] == axis]
            if mine.empty:
                continue
            for sid in STATUSES:
                rows.append({"axis": axis, "axis_label": axis_label, "year": year,
                             "status": sid, "status_label": label(sid),
                             "n_engagements": int((mine["status"] == sid).sum())})
    return pd.DataFrame(rows, columns=YEAR_COLUMNS)


__all__ = ["HISTORY", "conflicts", "latest_table", "orphans", "status_by_year"]
