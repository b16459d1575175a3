"""Tables to look at the tagging result (used by the tagging notebook)."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.contracts import STANCES


def _short(text: str, width: int = 220) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def theme_counts(tags: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per theme (codebook order): axis, label, tagged passages per stance, total."""
    counts = (
        tags.groupby(["theme_id", "stance"]).size().unstack(fill_value=0)
        if len(tags) else pd.DataFrame()
    )
    counts = counts.reindex(index=codebook.theme_ids, columns=list(STANCES), fill_value=0)
    frame = codebook.themes_frame().set_index("theme_id")[["axis_label", "label"]]
    out = frame.join(counts).fillna(0)
    out[list(STANCES)] = out[list(STANCES)].astype(int)
    out["total"] = out[list(STANCES)].sum(axis=1)
    return out.rename(columns={"axis_label": "axe", "label": "thème"})


def examples_by_theme(tags: pd.DataFrame, passages: pd.DataFrame, codebook: Codebook,
                      per_theme: int = 3, seed: int = 0) -> pd.DataFrame:
    """A few tagged passages per theme, with stance, strength and the words that matched.

    Restrictive findings come first, then a sample of the others (fixed seed).
    """
    cols = ["thème", "list_id", "stance", "strength", "evidence", "text"]
    if not len(tags):
        return pd.DataFrame(columns=cols)
    merged = tags.merge(passages[["passage_id", "list_id", "text"]], on="passage_id", how="inner")
    rows = []
    for theme_id in codebook.theme_ids:
        group = merged[merged["theme_id"] == theme_id]
        if group.empty:
            continue
        first = group[group["stance"] == "restrictif"].head(1)
        rest = group.drop(first.index)
        rest = rest.sample(min(len(rest), per_theme - len(first)), random_state=seed)
        picked = pd.concat([first, rest]).assign(thème=codebook.label_of(theme_id))
        rows.append(picked)
    out = pd.concat(rows, ignore_index=True)
    out["text"] = out["text"].map(_short)
    return out[cols]


def untagged_sample(tags: pd.DataFrame, passages: pd.DataFrame, per_list: int = 5,
                    seed: int = 0) -> pd.DataFrame:
    """Passages without any theme, a sample per list (to spot what the codebook misses)."""
    cols = ["list_id", "source", "section", "text"]
    untagged = passages[~passages["passage_id"].isin(tags["passage_id"])]
    untagged = untagged[untagged["text"].fillna("").str.split().str.len() >= 5]
    if untagged.empty:
        return pd.DataFrame(columns=cols)
    out = (
        untagged.groupby("list_id", group_keys=False)
        .apply(lambda g: g.sample(min(len(g), per_list), random_state=seed))
        .reset_index(drop=True)
    )
    out["text"] = out["text"].map(_short)
    return out[[c for c in cols if c in out.columns]]


def untagged_share(tags: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Per list: passages, tagged passages and the share left without a theme."""
    tagged = passages["passage_id"].isin(tags["passage_id"])
    out = passages.assign(tagged=tagged).groupby("list_id")["tagged"].agg(["size", "sum"])
    out = out.rename(columns={"size": "passages", "sum": "étiquetés"})
    out["part sans thème"] = (1 - out["étiquetés"] / out["passages"]).round(2)
    return out
