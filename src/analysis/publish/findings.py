"""The report's computed sentences: key findings per axis and on the questionnaire."""

from __future__ import annotations

import math

from analysis.coverage.questionnaire import Q_ONLY
from analysis.publish.inputs import ChartInputs
from analysis.publish.wording import join_fr, nbsp, plural, quoted, verb

COVERED_SHARE = 0.7      # "covers most of the axis": at least 70 % of its themes (10 of 14)


def key_findings(inputs: ChartInputs) -> dict[str, list]:
    """Computed sentences: per axis (label, sentences) and general ones."""
    ctx, axes, overall = inputs.ctx, inputs.axes, inputs.overall
    n_lists = len(ctx.list_ids)
    per_axis = []
    for axis in ctx.codebook.axes:
        label = ctx.axis_name(axis)
        sub = axes[axes["axis"] == axis]
        n_themes = sum(ctx.codebook.axis_of(t) == axis for t in ctx.codebook.theme_ids)
        threshold = max(1, math.ceil(COVERED_SHARE * n_themes))
        wide = sub[sub["n_engaged"] >= threshold]
        n_wide = int(wide.shape[0])
        sentences = [
            f"{plural(n_wide, 'liste')} sur {n_lists} "
            f"{verb(n_wide, 's’engage', 's’engagent')} sur au moins {threshold} des "
            f"{n_themes} thèmes de l'axe « {ctx.codebook.axes[axis]} » (engagement concret, "
            "général ou mention, sans position restrictive)."
        ]
        if len(sub) and sub["n_engaged"].max() > 0:
            best = sub[sub["n_engaged"] == sub["n_engaged"].max()]
            names = [quoted(ctx.name(li)) for li in best["list_id"]]
            row = best.iloc[0]
            concrete = plural(int(row["n_concret"]), "engagement concret", "engagements concrets")
            detail = f", dont {concrete}" if len(names) == 1 else ""
            lead = "La plus engagée" if len(names) == 1 else "Les plus engagées"
            sentences.append(
                f"{lead} : {join_fr(names)} ({int(row['n_engaged'])}/{n_themes} thèmes{detail})."
            )
        axis_cov = overall[overall["axis"] == axis]
        addressed = set(axis_cov.loc[axis_cov["level"] != "absent", "theme_id"])
        nobody = [ctx.label(t) for t in ctx.codebook.theme_ids
                  if ctx.codebook.axis_of(t) == axis and t not in addressed]
        if nobody:
            what = "Thème abordé" if len(nobody) == 1 else "Thèmes abordés"
            sentences.append(f"{what} par aucune liste : {join_fr(nobody)}.")
        else:
            sentences.append("Chaque thème de l'axe est abordé par au moins une liste.")
        for lv, word in (("restrictif", "Position restrictive"), ("mixte", "Position mixte")):
            restr = axis_cov[axis_cov["level"] == lv]
            if len(restr):
                parts = [
                    f"{quoted(ctx.name(li))} ({join_fr([ctx.label(t) for t in grp['theme_id']])})"
                    for li, grp in restr.groupby("list_id", sort=False)
                ]
                sentences.append(f"{word} : " + " ; ".join(parts) + ".")
        per_axis.append((label, [nbsp(x) for x in sentences]))
    return {"axes": per_axis, "general": [nbsp(x) for x in general_findings(inputs)]}


def general_findings(inputs: ChartInputs) -> list[str]:
    ctx, resp, cons = inputs.ctx, inputs.responses, inputs.consistency
    n_lists = len(ctx.list_ids)
    resp = resp[resp["list_id"].isin(ctx.list_ids)]
    answered = resp[resp["answered"]]
    silent = [quoted(ctx.name(li)) for li in resp.loc[~resp["answered"], "list_id"]]
    out = [f"{plural(len(answered), 'liste')} sur {n_lists} "
           f"{verb(len(answered), 'a', 'ont')} répondu au questionnaire du collectif"
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
