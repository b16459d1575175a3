"""Coverage of the codebook's themes by each list and source: how much, how strong, which stance.

Definitions (French, shown in the report and quoted by the README) live in
`templates/methode.md`; `method_text()` returns them. In short:

- `n_passages`: passages of the list and source tagged with the theme (any stance);
- `share`: `n_passages` / all passages of the list and source (NaN when there are none);
- `score`: strongest strength (STRENGTH_SCORE) among the FAVORABLE or NEUTRAL tags, 0 if none:
  a restrictive tag never raises the score (a hostile mention is not a commitment);
- `stance`: the most frequent stance among the theme's passages, ties won by `restrictif`,
  then `favorable`, then `neutre`; null when the theme is absent;
- `level` (contracts.LEVELS): `restrictif` when every finding is restrictive, `mixte` when
  there are restrictive and non-restrictive findings, else the strongest non-restrictive
  strength (`concret`, `general`, `mention`), `absent` when nothing was found. A theme with
  a restrictive finding is never `absent` and never a commitment (see `level_of`).

Beyond the contract columns (contracts.COVERAGE, first and in order) the table carries
`n_source_passages` (the share's denominator), `n_favorable`, `n_neutre`, `n_restrictif`
(passages per stance) and `received` (the list supplied this source: a programme with
passages; for the questionnaire, `answered` in questionnaire_responses.csv), so that
"did not answer" and "answered but silent" stay distinct and sources can be combined exactly.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis import contracts
from analysis.codebook import Codebook
from analysis.common.tables import check_columns, empty
from analysis.config import METHOD_PATH, Config

STANCE_PRIORITY = ("restrictif", "favorable", "neutre")   # tie-break order of the dominant stance
STANCE_COUNTS = {"favorable": "n_favorable", "neutre": "n_neutre", "restrictif": "n_restrictif"}
EXTRA = ["n_source_passages", "n_favorable", "n_neutre", "n_restrictif", "received"]
COLUMNS = contracts.COVERAGE + EXTRA
OVERALL = "ensemble"            # `source` value of the combined programme + questionnaire view
AXIS_SUMMARY = [
    "list_id", "axis", "axis_label", "n_themes", "n_addressed", "n_engaged", "share_engaged",
    "n_concret", "n_general", "n_mention", "n_mixte", "n_restrictif", "n_absent",
    "n_mentions", "n_list_passages", "mentions_per_100",
]
EVIDENCE = [
    "list_id", "theme_id", "rank", "passage_id", "source", "path", "page", "section",
    "question_id", "stance", "strength", "origin", "evidence", "snippet",
]


LEVEL_LABELS = {       # the French words of `level`, the same in every output
    "concret": "engagement concret", "general": "engagement général", "mention": "mention",
    "mixte": "position mixte", "restrictif": "position restrictive", "absent": "non abordé",
}
LEVEL_SHORT = {        # in a chart cell
    "concret": "concret", "general": "général", "mention": "mention", "mixte": "mixte",
    "restrictif": "restrictif", "absent": "",
}
COMMITMENT_LEVELS = ("concret", "general", "mention")   # non-restrictive findings only
ADDRESSED_LEVELS = ("concret", "general", "mention", "mixte", "restrictif")


def level_of(score, n_restrictif, n_other):
    """`level` from the best non-restrictive score and the restrictive / other passage counts.

    Element-wise on arrays/Series as well as on scalars.
    """
    score, n_r, n_o = (np.asarray(x) for x in (score, n_restrictif, n_other))
    names = np.array(["absent", "mention", "general", "concret"], dtype=object)
    by_score = names[np.clip(score.astype(int), 0, 3)]
    out = np.where(n_r > 0, np.where(n_o > 0, "mixte", "restrictif"), by_score).astype(object)
    return out if out.ndim else out.item()


def add_level(cov: pd.DataFrame) -> pd.DataFrame:
    """Set `level` from `score`, `n_restrictif`, `n_favorable` and `n_neutre`."""
    cov["level"] = level_of(cov["score"], cov["n_restrictif"],
                            cov["n_favorable"] + cov["n_neutre"])
    return cov


def method_text() -> str:
    """The French definitions (markdown), written once for the report and the README."""
    return METHOD_PATH.read_text(encoding="utf-8")


def list_order(cfg: Config, passages: pd.DataFrame | None = None) -> list[str]:
    """Lists of the config in their order, then any other list_id seen in the passages."""
    ids = [li.id for li in cfg.lists]
    if passages is not None and len(passages):
        extra = sorted(set(passages["list_id"].dropna().astype(str)) - set(ids))
        ids += extra
    return ids


def dominant_stance(n_favorable, n_neutre, n_restrictif):
    """Most frequent stance, `restrictif` winning ties then `favorable`; None if all zero.

    Works element-wise on arrays/Series as well as on scalars.
    """
    counts = {
        "favorable": np.asarray(n_favorable), "neutre": np.asarray(n_neutre),
        "restrictif": np.asarray(n_restrictif),
    }
    top = np.maximum.reduce(list(counts.values()))
    conditions = [(counts[s] == top) & (top > 0) for s in STANCE_PRIORITY]
    out = np.select(conditions, list(STANCE_PRIORITY), default=None).astype(object)
    out[out == "None"] = None
    return out if out.ndim else out.item()


def best_tag_per_theme(tags: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One tag per passage and theme (a review tag beats an automatic one, then the strongest).

    Tags of themes unknown to the codebook are left out; unknown stances count as neutral.
    """
    check_columns(tags, contracts.TAGS, "tags")
    t = tags[tags["theme_id"].isin(codebook.theme_ids)].copy()
    t["stance"] = t["stance"].where(t["stance"].isin(contracts.STANCES), "neutre")
    t["_score"] = t["strength"].map(contracts.STRENGTH_SCORE).fillna(0).astype(int)
    t["_review"] = (t["origin"] == "review").astype(int)
    t = t.sort_values(["_review", "_score"], ascending=False, kind="stable")
    return t.drop_duplicates(["passage_id", "theme_id"]).drop(columns=["_review"])


def compute_coverage(
    passages: pd.DataFrame,
    tags: pd.DataFrame,
    codebook: Codebook,
    lists: list[str],
    answered: dict[str, bool] | None = None,
) -> pd.DataFrame:
    """Every list x theme x source row (zeros when absent), contract columns first.

    `lists` is the full list order (config lists plus extras); `answered` maps list_id to
    whether the list answered the questionnaire (from questionnaire_responses.csv); when it
    is None, a list answered if it has questionnaire passages.
    """
    p = check_columns(passages, contracts.PASSAGES, "passages")
    p = p[["passage_id", "list_id", "source"]].drop_duplicates("passage_id")
    lists = list(dict.fromkeys([*lists, *sorted(set(p["list_id"].dropna()) - set(lists))]))
    denom = p.groupby(["list_id", "source"]).size()

    t = best_tag_per_theme(tags, codebook).merge(p, on="passage_id", how="inner")
    t["_fav_score"] = t["_score"].where(t["stance"] != "restrictif", 0)
    keys = ["list_id", "theme_id", "source"]
    grouped = t.groupby(keys)
    agg = pd.DataFrame({
        "n_passages": grouped["passage_id"].nunique(),
        "score": grouped["_fav_score"].max(),
        **{col: grouped["stance"].agg(lambda s, v=st: int((s == v).sum()))
           for st, col in STANCE_COUNTS.items()},
    }) if len(t) else pd.DataFrame(columns=["n_passages", "score", *STANCE_COUNTS.values()])

    grid = pd.MultiIndex.from_product(
        [lists, codebook.theme_ids, list(contracts.SOURCES)], names=keys
    )
    cov = agg.reindex(grid).fillna(0).astype(int).reset_index()
    cov["axis"] = cov["theme_id"].map({t.id: t.axis for t in codebook.themes})
    cov["n_source_passages"] = [
        int(denom.get((li, src), 0)) for li, src in zip(cov["list_id"], cov["source"], strict=True)
    ]
    cov["share"] = cov["n_passages"] / cov["n_source_passages"].where(
        cov["n_source_passages"] > 0
    )
    cov["stance"] = dominant_stance(cov["n_favorable"], cov["n_neutre"], cov["n_restrictif"])
    cov["received"] = cov["n_source_passages"] > 0
    if answered is not None:
        is_q = cov["source"] == "questionnaire"
        cov.loc[is_q, "received"] = cov.loc[is_q, "list_id"].map(
            lambda li: bool(answered.get(li, False))
        ) | cov.loc[is_q, "received"]
    return add_level(cov)[COLUMNS]


def overall(coverage: pd.DataFrame) -> pd.DataFrame:
    """Programme and questionnaire combined (source 'ensemble'): counts summed, best score.

    Exact because a passage has a single source.
    """
    keys = ["list_id", "theme_id", "axis"]
    sums = ["n_passages", "n_source_passages", *STANCE_COUNTS.values()]
    g = coverage.groupby(keys, sort=False)
    out = g[sums].sum()
    out["score"] = g["score"].max()
    out["received"] = g["received"].any()
    out = out.reset_index()
    out["share"] = out["n_passages"] / out["n_source_passages"].where(
        out["n_source_passages"] > 0
    )
    out["stance"] = dominant_stance(out["n_favorable"], out["n_neutre"], out["n_restrictif"])
    out["source"] = OVERALL
    return add_level(out)[COLUMNS]


def axis_summary(
    coverage: pd.DataFrame, codebook: Codebook, source: str | None = None
) -> pd.DataFrame:
    """Per list and axis: the axis's themes counted by `level`, and more (AXIS_SUMMARY).

    `source` None combines programme and questionnaire; otherwise one source only.
    `n_<level>` counts themes at that level; `n_addressed` = every level but `absent` (a
    restrictive-only theme IS addressed); `n_engaged` = concret + general + mention
    (non-restrictive findings only), `share_engaged` = n_engaged / n_themes.
    `mentions_per_100` = (passage x theme) mentions of the axis per 100 passages of the
    list, which takes the length of the documents into account.
    """
    cov = overall(coverage) if source is None else coverage[coverage["source"] == source]
    g = cov.groupby(["list_id", "axis"], sort=False)
    out = pd.DataFrame({
        "n_themes": g["theme_id"].nunique(),
        **{f"n_{lv}": g["level"].agg(lambda s, v=lv: int((s == v).sum()))
           for lv in contracts.LEVELS},
        "n_mentions": g["n_passages"].sum(),
        "n_list_passages": g["n_source_passages"].max(),
    }).reset_index()
    out["n_addressed"] = out["n_themes"] - out["n_absent"]
    out["n_engaged"] = out[[f"n_{lv}" for lv in COMMITMENT_LEVELS]].sum(axis=1)
    out["axis_label"] = out["axis"].map(codebook.axes)
    out["share_engaged"] = out["n_engaged"] / out["n_themes"]
    out["mentions_per_100"] = 100 * out["n_mentions"] / out["n_list_passages"].where(
        out["n_list_passages"] > 0
    )
    order = {a: i for i, a in enumerate(codebook.axes)}
    lists = list(dict.fromkeys(coverage["list_id"]))
    out = out.sort_values(
        ["list_id", "axis"], key=lambda s: s.map(order) if s.name == "axis" else s.map(
            {li: i for i, li in enumerate(lists)}
        ),
    )
    int_cols = [c for c in AXIS_SUMMARY if c.startswith("n_")]
    out[int_cols] = out[int_cols].astype(int)
    return out[AXIS_SUMMARY].reset_index(drop=True)


def snippet(text: str, evidence: str | None = None, width: int = 220) -> str:
    """A short extract of `text`, centred on the first evidence words found in it."""
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    if len(text) <= width:
        return text
    start = 0
    for term in [evidence or "", *re.split(r"[;,|/]", evidence or "")]:
        term = term.strip()
        pos = text.lower().find(term.lower()) if term else -1
        if pos >= 0:
            start = max(0, pos - width // 3)
            break
    end = min(len(text), start + width)
    start = max(0, end - width)
    cut = text[start:end].strip()
    return ("…" if start > 0 else "") + cut + ("…" if end < len(text) else "")


def evidence(
    passages: pd.DataFrame, tags: pd.DataFrame, codebook: Codebook, per_theme: int = 3
) -> pd.DataFrame:
    """The strongest passages per list and theme (columns EVIDENCE), best first.

    Passages with the cell's dominant stance come first (so a '✕ restrictif' cell shows
    the restrictive words), then stronger ones, reviewed ones, programme before questionnaire.
    """
    p = check_columns(passages, contracts.PASSAGES, "passages").drop_duplicates(
        "passage_id"
    )
    t = best_tag_per_theme(tags, codebook).merge(p, on="passage_id", how="inner")
    if t.empty:
        return empty(EVIDENCE)
    counts = t.groupby(["list_id", "theme_id"])["stance"].value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=list(contracts.STANCES), fill_value=0)
    cell = pd.Series(
        dominant_stance(counts["favorable"], counts["neutre"], counts["restrictif"]),
        index=counts.index, name="_cell_stance",
    )
    t = t.join(cell, on=["list_id", "theme_id"])
    t["_match"] = (t["stance"] == t["_cell_stance"]).astype(int)
    t["_review"] = (t["origin"] == "review").astype(int)
    t["_prog"] = (t["source"] == "programme").astype(int)
    t = t.sort_values(
        ["list_id", "theme_id", "_match", "_score", "_review", "_prog", "passage_id"],
        ascending=[True, True, False, False, False, False, True], kind="stable",
    )
    t["rank"] = t.groupby(["list_id", "theme_id"]).cumcount() + 1
    t = t[t["rank"] <= per_theme].copy()
    t["snippet"] = [snippet(x, e) for x, e in zip(t["text"], t["evidence"], strict=True)]
    return t[EVIDENCE].reset_index(drop=True)
