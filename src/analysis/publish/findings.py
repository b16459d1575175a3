"""The report's computed sentences: key findings per axis and on the questionnaire."""

from __future__ import annotations

import math

from analysis.coverage.questionnaire import Q_ONLY
from analysis.publish.inputs import ChartInputs
from analysis.publish.wording import join_fr, plural, quoted

COVERED_SHARE = 0.7      # "covers most of the axis": at least 70 % of its themes (10 of 14)


def key_findings(inputs: ChartInputs) -> dict[str, list]:
    """Computed sentences: per axis (label, sentences) and general ones."""
    ctx, axes, overall = inputs.ctx, inputs.axes, inputs.overall
    n_lists = len(ctx.list_ids)
    per_axis = []
    for axis, label in ctx.codebook.axes.items():
        sub = axes[axes["axis"] == axis]
        n_themes = sum(ctx.codebook.axis_of(t) == axis for t in ctx.codebook.theme_ids)
        threshold = max(1, math.ceil(COVERED_SHARE * n_themes))
        wide = sub[sub["n_covered"] >= threshold]
        sentences = [
            f"{wide.shape[0]} {'liste' if len(wide) <= 1 else 'listes'} sur {n_lists} "
            f"{'couvre' if len(wide) <= 1 else 'couvrent'} au moins {threshold} des "
            f"{n_themes} thèmes de l'axe « {label} »."
        ]
        if len(sub) and sub["n_covered"].max() > 0:
            best = sub[sub["n_covered"] == sub["n_covered"].max()]
            names = [quoted(ctx.name(li)) for li in best["list_id"]]
            row = best.iloc[0]
            concrete = plural(int(row["n_concret"]), "engagement concret", "engagements concrets")
            detail = f", dont {concrete}" if len(names) == 1 else ""
            lead = "La plus complète" if len(names) == 1 else "Les plus complètes"
            sentences.append(
                f"{lead} : {join_fr(names)} ({int(row['n_covered'])}/{n_themes} thèmes{detail})."
            )
        axis_cov = overall[overall["axis"] == axis]
        covered_any = set(axis_cov.loc[axis_cov["score"] >= 1, "theme_id"])
        nobody = [ctx.label(t) for t in ctx.codebook.theme_ids
                  if ctx.codebook.axis_of(t) == axis and t not in covered_any]
        sentences.append(
            f"Thème(s) abordé(s) par aucune liste : {join_fr(nobody)}." if nobody
            else "Chaque thème de l'axe est abordé par au moins une liste."
        )
        restr = axis_cov[axis_cov["stance"] == "restrictif"]
        if len(restr):
            parts = [
                f"{quoted(ctx.name(li))} ({join_fr([ctx.label(t) for t in grp['theme_id']])})"
                for li, grp in restr.groupby("list_id", sort=False)
            ]
            sentences.append("Position dominante restrictive : " + " ; ".join(parts) + ".")
        per_axis.append((label, sentences))
    return {"axes": per_axis, "general": general_findings(inputs)}


def general_findings(inputs: ChartInputs) -> list[str]:
    ctx, resp, cons = inputs.ctx, inputs.responses, inputs.consistency
    n_lists = len(ctx.list_ids)
    resp = resp[resp["list_id"].isin(ctx.list_ids)]
    answered = resp[resp["answered"]]
    silent = [quoted(ctx.name(li)) for li in resp.loc[~resp["answered"], "list_id"]]
    out = [f"{len(answered)} {'liste' if len(answered) <= 1 else 'listes'} sur {n_lists} "
           f"{'a' if len(answered) <= 1 else 'ont'} répondu au questionnaire du collectif"
           + (f" ; sans réponse : {join_fr(silent)}." if silent else ".")]
    q_only = cons[(cons["status"] == Q_ONLY) & cons["answered"]]
    for li, grp in q_only.groupby("list_id", sort=False):
        labels = [ctx.label(t) for t in grp["theme_id"]]
        what = plural(len(labels), "thème absent", "thèmes absents")
        out.append(f"{quoted(ctx.name(li))} aborde dans ses réponses {what} de son "
                   f"programme : {join_fr(labels)}.")
    if len(answered) and not len(q_only):
        out.append("Tous les thèmes abordés dans les réponses figurent aussi dans les "
                   "programmes des listes concernées.")
    return out
