"""Agreement metrics from review decisions: the machine's precision as volunteers see it,
and inter-reviewer agreement (Cohen's kappa, computed by hand).

Definitions (also written in agreement.json for the report):

- precision of a theme = valider / (valider + rejeter + corriger-thème), over machine tags
  (present in tags_auto.parquet) that received a decision, the latest decision per
  passage x theme; a correction of the stance only confirms the theme and is counted
  apart (``n_corriger_position``), as the definition asks.
- reviewer agreement: for each pair of reviewers, the passage x theme units both judged.
  A judgement says whether the theme applies: valider, ajouter, or a stance-only
  correction -> yes; rejeter or a correction to another theme -> no (and yes for the new
  theme's unit). Cohen's kappa = (p_o - p_e) / (1 - p_e), undefined (null) when p_e = 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.safe_text import to_csv_safe
from analysis.common.tables import read_optional
from analysis.config import Config
from analysis.review.conflicts import find_conflicts
from analysis.review.rules import effective_decisions, in_edit_order
from analysis.review.store import load_decisions, reviewer_key

THEME_COLUMNS = [
    "theme_id", "axis", "label", "n_valider", "n_rejeter", "n_corriger_theme",
    "n_corriger_position", "n_evalues", "precision",
]
PAIR_COLUMNS = [
    "reviewer_a", "reviewer_b", "n_units", "n_agree", "observed", "expected", "kappa",
]
DEFINITIONS = {
    "precision": "valider / (valider + rejeter + corriger-thème), étiquettes automatiques "
                 "relues, dernière décision par passage x thème",
    "kappa": "kappa de Cohen sur les unités passage x thème jugées par les deux relecteurs "
             "(le thème s'applique : oui / non)",
}


def cohen_kappa(a: list[Any], b: list[Any]) -> float | None:
    """Cohen's kappa of two raters' labels on the same units; None when undefined."""
    if len(a) != len(b):
        raise ValueError("both raters must label the same units")
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    expected = sum((a.count(c) / n) * (b.count(c) / n) for c in set(a) | set(b))
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def machine_precision(
    decisions: pd.DataFrame, auto_tags: pd.DataFrame | None, codebook: Codebook
) -> pd.DataFrame:
    """Per theme: how many machine tags reviewers confirmed, rejected, corrected."""
    df = effective_decisions(decisions[decisions["decision"] != "ajouter"], None)
    if auto_tags is not None and len(auto_tags):
        machine = set(zip(auto_tags["passage_id"].astype(str), auto_tags["theme_id"], strict=True))
        mask = pd.Series([(str(p), t) in machine for p, t in zip(df["passage_id"],
                                                                 df["theme_id"], strict=True)],
                         index=df.index, dtype=bool)
        df = df[mask]
    theme_change = (df["decision"] == "corriger") & (df["new_theme_id"] != df["theme_id"])
    rows = []
    for t in codebook.themes:
        mine = df["theme_id"] == t.id
        n_val = int((mine & (df["decision"] == "valider")).sum())
        n_rej = int((mine & (df["decision"] == "rejeter")).sum())
        n_cor = int((mine & theme_change).sum())
        n_pos = int((mine & (df["decision"] == "corriger") & ~theme_change).sum())
        n = n_val + n_rej + n_cor
        rows.append({
            "theme_id": t.id, "axis": t.axis, "label": t.label, "n_valider": n_val,
            "n_rejeter": n_rej, "n_corriger_theme": n_cor, "n_corriger_position": n_pos,
            "n_evalues": n, "precision": round(n_val / n, 4) if n else None,
        })
    return pd.DataFrame(rows, columns=THEME_COLUMNS)


def judgements(decisions: pd.DataFrame) -> dict[str, dict[tuple[str, str], bool]]:
    """reviewer -> {(passage_id, theme_id): does the theme apply?} (latest decision wins,
    in edit order)."""
    out: dict[str, dict[tuple[str, str], bool]] = {}
    for row in in_edit_order(decisions).to_dict("records"):
        who = reviewer_key(row["reviewer"], row["file_name"])
        mine = out.setdefault(who, {})
        pid, tid, kind = str(row["passage_id"]), row["theme_id"], row["decision"]
        new = row["new_theme_id"] if isinstance(row["new_theme_id"], str) and \
            row["new_theme_id"] else tid
        if kind == "rejeter":
            mine[(pid, tid)] = False
        elif kind == "corriger" and new != tid:
            mine[(pid, tid)] = False
            mine[(pid, new)] = True
        elif kind in ("valider", "corriger", "ajouter"):
            mine[(pid, new)] = True
    return out


def reviewer_agreement(decisions: pd.DataFrame) -> pd.DataFrame:
    """Cohen's kappa for each pair of reviewers who judged common passage x theme units."""
    judged = judgements(decisions)
    names = sorted(judged)
    rows = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            units = sorted(set(judged[a]) & set(judged[b]))
            if not units:
                continue
            la = [judged[a][u] for u in units]
            lb = [judged[b][u] for u in units]
            n = len(units)
            agree = sum(x == y for x, y in zip(la, lb, strict=True))
            expected = sum((la.count(c) / n) * (lb.count(c) / n) for c in (True, False))
            kappa = cohen_kappa(la, lb)
            rows.append({
                "reviewer_a": a, "reviewer_b": b, "n_units": n, "n_agree": agree,
                "observed": round(agree / n, 4), "expected": round(expected, 4),
                "kappa": round(kappa, 4) if kappa is not None else None,
            })
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def compute_agreement(
    decisions: pd.DataFrame, auto_tags: pd.DataFrame | None, codebook: Codebook,
    conflicts: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """All agreement metrics: {'themes': df, 'pairs': df, 'summary': dict}."""
    themes = machine_precision(decisions, auto_tags, codebook)
    pairs = reviewer_agreement(decisions)
    conflicts = find_conflicts(decisions) if conflicts is None else conflicts
    n_val = int(themes["n_valider"].sum())
    n_eval = int(themes["n_evalues"].sum())
    reviewers = {reviewer_key(r, f) for r, f in zip(decisions["reviewer"], decisions["file_name"],
                                                   strict=True)}
    summary = {
        "generated_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "n_decisions": len(decisions),
        "n_reviewers": len(reviewers),
        "n_machine_tags_reviewed": n_eval,
        "precision": round(n_val / n_eval, 4) if n_eval else None,
        "n_conflicts": len(conflicts),
        "definitions": DEFINITIONS,
    }
    return {"themes": themes, "pairs": pairs, "summary": summary}


def _records(df: pd.DataFrame) -> list[dict]:
    return json.loads(df.to_json(orient="records", force_ascii=False))


def write_agreement(cfg: Config, metrics: dict[str, Any]) -> list[Path]:
    """agreement.json (summary + tables) and one CSV per table in reports/metrics/."""
    paths = cfg.agreement_paths
    cfg.metrics_dir.mkdir(parents=True, exist_ok=True)
    doc = metrics["summary"] | {
        "themes": _records(metrics["themes"]), "pairs": _records(metrics["pairs"]),
    }
    paths["json"].write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    to_csv_safe(metrics["themes"], paths["themes"])
    to_csv_safe(metrics["pairs"], paths["pairs"])
    return list(paths.values())


def refresh_agreement(
    cfg: Config, decisions: pd.DataFrame | None = None, conflicts: pd.DataFrame | None = None,
) -> dict[str, Any] | None:
    """Recompute and write the metrics from stored decisions; None when there are none."""
    decisions = load_decisions(cfg) if decisions is None else decisions
    if not len(decisions):
        return None
    auto = read_optional(cfg.tags_auto_path)
    metrics = compute_agreement(decisions, auto, cfg.codebook, conflicts)
    write_agreement(cfg, metrics)
    return metrics


def load_agreement(cfg: Config) -> dict[str, Any] | None:
    """The metrics last written (as for the report), or None."""
    path = cfg.agreement_paths["json"]
    if not path.is_file():
        return None
    doc = json.loads(path.read_text(encoding="utf-8"))
    return {
        "themes": pd.DataFrame(doc.get("themes", []), columns=THEME_COLUMNS),
        "pairs": pd.DataFrame(doc.get("pairs", []), columns=PAIR_COLUMNS),
        "summary": {k: v for k, v in doc.items() if k not in ("themes", "pairs")},
    }
