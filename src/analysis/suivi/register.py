"""The register: the elected list's commitments on solidarity, one row per commitment.

A commitment is a passage of the list with a `concret` or `general` tag (tags.parquet:
reviewed decisions already applied, rejected tags gone, corrections in); a passage tagged
with several themes is one promise (its main theme: the strongest tag, then codebook order;
all its themes listed). Passages that make the same promise (:mod:`matching`) are one
commitment, whatever their document or source: programme passages come first (document,
page, position order), then the questionnaire; each passage joins the most similar
commitment already formed, else starts a new one.

Ids are stable: a commitment takes the id of the index entry (suivi_engagements.csv) whose
text is one of its passages' texts, else of the most similar entry of the same list; only a
promise never seen gets a new id (a hash of its first text). Ids do not depend on the
theme, so a reviewer's theme correction keeps the id too. So a rerun, a
new programme file or a reworded questionnaire answer keeps the ids volunteers use.
"""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.tables import empty
from analysis.suivi.columns import ID_INDEX, REGISTER
from analysis.suivi.matching import THRESHOLD, new_id, similarity, text_key

STRENGTHS = ("concret", "general")
SOURCE_ORDER = {"programme": 0, "questionnaire": 1}


def reference(row: dict) -> str:
    """'programmes/x/prog.pdf, p. 3' or 'questionnaire/x.pdf, p. 2, question q6'."""
    text = str(row.get("path") or row.get("source") or "")
    page = row.get("page")
    if page is not None and not pd.isna(page):
        text += f", p. {int(page)}"
    question = row.get("question_id")
    if row.get("source") == "questionnaire" and isinstance(question, str) and question:
        text += f", question {question}"
    return text


def candidates(passages: pd.DataFrame, tags: pd.DataFrame, codebook: Codebook,
               list_id: str) -> pd.DataFrame:
    """One row per passage of the list with a concret/general tag, in register order:
    its main theme (strongest, then codebook order), stance and strength of that tag, and
    `themes` (every such theme of the passage, codebook order)."""
    t = tags[tags["strength"].isin(STRENGTHS)]
    p = passages[passages["list_id"] == list_id]
    df = t.merge(p, on="passage_id", how="inner")
    if df.empty:
        return df
    order = {tid: i for i, tid in enumerate(codebook.theme_ids)}
    df = df.assign(_s=(df["strength"] != "concret").astype(int),
                   _t=df["theme_id"].map(order).fillna(len(order)))
    df = df.sort_values(["passage_id", "_s", "_t"], kind="stable")
    themes = df.sort_values("_t").groupby("passage_id")["theme_id"].agg(list)
    df = df.drop_duplicates("passage_id").drop(columns=["_s", "_t"])
    df["themes"] = df["passage_id"].map(themes)
    df["strength"] = df["passage_id"].map(
        t[t["passage_id"].isin(df["passage_id"])].groupby("passage_id")["strength"].agg(
            lambda v: "concret" if "concret" in set(v) else "general"))
    df = df.assign(_src=df["source"].map(SOURCE_ORDER).fillna(9),
                   _page=pd.to_numeric(df["page"], errors="coerce").fillna(0),
                   _start=pd.to_numeric(df["char_start"], errors="coerce").fillna(0))
    df = df.sort_values(["_src", "path", "_page", "_start", "question_id", "passage_id"],
                        kind="stable", na_position="first")
    return df.drop(columns=["_src", "_page", "_start"]).reset_index(drop=True)


def group(cands: pd.DataFrame) -> list[list[dict]]:
    """Commitments as lists of candidate rows (first row = the quote)."""
    groups: list[list[dict]] = []
    for row in cands.to_dict("records"):
        best, best_score = None, 0.0
        for g, members in enumerate(groups):
            score = max(similarity(r["text"], row["text"]) for r in members)
            if score > best_score:
                best, best_score = g, score
        if best is not None and best_score >= THRESHOLD:
            groups[best].append(row)
        else:
            groups.append([row])
    return groups


def assign_ids(groups: list[list[dict]], index: pd.DataFrame, list_id: str,
               today: str) -> tuple[list[str], pd.DataFrame]:
    """(one id per group, index rows to append)."""
    mine = index[index["list_id"] == list_id]
    entries = list(mine[["commitment_id", "text_key"]].itertuples(index=False))
    known_ids = set(index["commitment_id"])
    taken: set[str] = set()
    ids: list[str] = []
    for rows in groups:
        keys = {text_key(r["text"]) for r in rows}
        exact = [e.commitment_id for e in entries
                 if e.text_key in keys and e.commitment_id not in taken]
        chosen = exact[0] if exact else None
        if chosen is None:
            scored = [(max(similarity(e.text_key, r["text"]) for r in rows), -i, e.commitment_id)
                      for i, e in enumerate(entries) if e.commitment_id not in taken]
            scored = [s for s in scored if s[0] >= THRESHOLD]
            if scored:
                chosen = max(scored)[2]
        if chosen is None:
            first = text_key(rows[0]["text"])
            chosen, n = new_id(list_id, first), 1
            while chosen in taken or chosen in known_ids:
                n += 1
                chosen = new_id(list_id, f"{first}#{n}")
        taken.add(chosen)
        ids.append(chosen)
    known = set(zip(index["commitment_id"], index["text_key"], strict=True))
    new_rows = []
    for cid, rows in zip(ids, groups, strict=True):
        for r in rows:
            key = text_key(r["text"])
            if (cid, key) not in known:
                known.add((cid, key))
                new_rows.append({"commitment_id": cid, "list_id": list_id,
                                 "theme_id": r["theme_id"], "text_key": key,
                                 "first_seen": today})
    return ids, pd.DataFrame(new_rows, columns=ID_INDEX).astype(object)


def _dominant(values: list[str]) -> str:
    counts = pd.Series(values).value_counts()
    return str(counts.index[0]) if len(counts) else ""


def build_register(passages: pd.DataFrame, tags: pd.DataFrame, codebook: Codebook,
                   list_id: str, index: pd.DataFrame | None = None,
                   today: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(register, index rows to append) for `list_id` (REGISTER columns, one row each)."""
    index = empty(ID_INDEX) if index is None else index
    cands = candidates(passages, tags, codebook, list_id)
    if cands.empty:
        return empty(REGISTER), empty(ID_INDEX)
    groups = group(cands)
    ids, added = assign_ids(groups, index, list_id, today)
    rows = []
    for cid, members in zip(ids, groups, strict=True):
        first = members[0]
        theme = codebook.theme(first["theme_id"])
        sources = sorted({m["source"] for m in members}, key=lambda s: SOURCE_ORDER.get(s, 9))
        refs = list(dict.fromkeys(reference(m) for m in members))
        all_themes = [t for t in codebook.theme_ids if any(t in m["themes"] for m in members)]
        rows.append({
            "commitment_id": cid, "list_id": list_id, "theme_id": theme.id,
            "theme": theme.label, "axis": theme.axis,
            "themes": " ; ".join(codebook.label_of(t) for t in all_themes),
            "axis_label": codebook.axes.get(theme.axis, theme.axis),
            "strength": "concret" if any(m["strength"] == "concret" for m in members)
            else "general",
            "stance": _dominant([m["stance"] for m in members]),
            "quote": str(first["text"]), "sources": " + ".join(sources),
            "references": " ; ".join(refs),
            "passage_ids": " ; ".join(dict.fromkeys(str(m["passage_id"]) for m in members)),
            "n_passages": len({m["passage_id"] for m in members}),
        })
    reg = pd.DataFrame(rows, columns=REGISTER)
    axis_order = {a: i for i, a in enumerate(codebook.axes)}
    theme_order = {t: i for i, t in enumerate(codebook.theme_ids)}
    reg = reg.assign(_a=reg["axis"].map(axis_order), _t=reg["theme_id"].map(theme_order),
                     _i=range(len(reg)))
    reg = reg.sort_values(["_a", "_t", "_i"]).drop(columns=["_a", "_t", "_i"])
    return reg.reset_index(drop=True), added
