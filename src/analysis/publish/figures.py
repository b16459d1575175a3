"""One function per figure: tables in, (figure, exactly-the-plotted-numbers table) out.

Every function takes the tables it draws and a ChartContext, and returns a FigureSpec whose
`data` is what the CSV beside the chart contains (labels in words, French column names).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.coverage.questionnaire import BOTH, P_ONLY, Q_ONLY
from analysis.publish import template as T
from analysis.publish.template import ChartContext, frame, subtitle, wrap

CELL_PX = 34


@dataclass
class FigureSpec:
    """A finished figure, its stable name (figNN_...) and the numbers it shows."""

    name: str
    title: str
    fig: go.Figure
    data: pd.DataFrame
    caption: str = ""


# --------------------------------------------------------------------------- helpers
def _hover_evidence(evidence: pd.DataFrame, n: int = 2, width: int = 70) -> dict:
    """(list_id, theme_id) -> hover-ready HTML of the top passages with document and page."""
    out: dict = {}
    if evidence is None or evidence.empty:
        return out
    for (li, th), grp in evidence[evidence["rank"] <= n].groupby(["list_id", "theme_id"]):
        items = []
        for _, row in grp.iterrows():
            where = str(row["path"] or row["source"])
            if pd.notna(row["page"]):
                where += f", p. {int(row['page'])}"
            text = html.escape(str(row["snippet"]))
            items.append(f"« {wrap(text, width)} »<br><i>{html.escape(where)}</i>")
        out[(li, th)] = "<br>".join(items)
    return out


def _theme_rows(ctx: ChartContext) -> tuple[list[str], list[str]]:
    ids = ctx.codebook.theme_ids
    return ids, [ctx.label(t) for t in ids]


def _axis_guides(fig: go.Figure, ctx: ChartContext, row_ids: list[str]) -> None:
    """Lines between axes and the axis names on the right of a theme-by-row matrix."""
    axes = [ctx.codebook.axis_of(t) for t in row_ids]
    start = 0
    for i in range(1, len(axes) + 1):
        if i == len(axes) or axes[i] != axes[start]:
            if i < len(axes):
                fig.add_shape(type="line", xref="paper", x0=-0.35, x1=1.0, yref="y",
                              y0=i - 0.5, y1=i - 0.5, line={"color": T.INK, "width": 1.5})
            fig.add_annotation(
                text=f"<b>{wrap(ctx.codebook.axes[axes[start]], 16)}</b>", xref="paper",
                x=1.01, xanchor="left", yref="y", y=(start + i - 1) / 2, showarrow=False,
                font={"size": 13, "color": T.INK}, align="left",
            )
            start = i


def _score_legend(fig: go.Figure, with_restrictive: bool = True,
                  with_missing: bool = False) -> None:
    """Legend entries for the 0-3 score colours (heatmaps have no legend of their own)."""
    for score in (3, 2, 1, 0):
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=T.SCORE_LABELS[score],
            marker={"symbol": "square", "size": 16, "color": T.SCORE_COLOURS[score],
                    "line": {"color": "#AAAAAA", "width": 1}},
            hoverinfo="skip",
        ))
    if with_restrictive:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name="✕ restrictif (encadré)",
            marker={"symbol": "square-open", "size": 16, "color": T.RESTRICTIVE,
                    "line": {"width": 3}}, hoverinfo="skip",
        ))
    if with_missing:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name="pas de réponse",
            marker={"symbol": "square", "size": 16, "color": T.NOT_ANSWERED},
            hoverinfo="skip",
        ))


def _score_matrix(fig: go.Figure, cov: pd.DataFrame, ctx: ChartContext,
                  evidence: pd.DataFrame | None, missing: set[str] = frozenset(),
                  column_notes: dict[str, str] | None = None) -> pd.DataFrame:
    """Heatmap themes (rows) x lists (columns) of the score, restrictive cells framed.

    Lists in `missing` (no document for this source) are greyed out, not scored;
    `column_notes` adds a line under a list's name (e.g. when it answered).
    Returns the plotted table (one row per list and theme).
    """
    row_ids, row_labels = _theme_rows(ctx)
    lists = ctx.list_ids
    notes = column_notes or {}
    col_labels = [wrap(ctx.name(li), 15) + (f"<br><i>{notes[li]}</i>" if li in notes else "")
                  for li in lists]
    cells = cov.set_index(["theme_id", "list_id"])
    hover_ev = _hover_evidence(evidence)
    z, custom, rows = [], [], []
    for r, th in enumerate(row_ids):
        z_row, c_row = [], []
        for c, li in enumerate(lists):
            cell = cells.loc[(th, li)] if (th, li) in cells.index else None
            score = int(cell["score"]) if cell is not None else 0
            stance = cell["stance"] if cell is not None else None
            stance = stance if isinstance(stance, str) else None
            n = int(cell["n_passages"]) if cell is not None else 0
            absent = li in missing
            z_row.append(None if absent else score)
            ev = hover_ev.get((li, th), "")
            c_row.append([
                ctx.name(li), row_labels[r],
                "pas de réponse" if absent else T.SCORE_LABELS[score],
                T.STANCE_LABELS.get(stance, "—"), n, ev,
            ])
            rows.append({
                "list_id": li, "liste": ctx.name(li), "theme_id": th,
                "thème": row_labels[r], "axe": ctx.codebook.axes[ctx.codebook.axis_of(th)],
                "score_0_3": None if absent else score,
                "niveau": "pas de réponse" if absent else T.SCORE_LABELS[score],
                "position_dominante": stance or "", "passages": n,
            })
            if absent:
                continue
            restrictive = stance == "restrictif"
            text = T.SCORE_LABELS[score] if score else ""
            colour = T.SCORE_TEXT[score]
            if restrictive:
                text = f"{text}<br>{T.RESTRICTIVE_MARK}" if score else T.RESTRICTIVE_MARK
                colour = T.RESTRICTIVE if score <= 1 else colour
                fig.add_shape(type="rect", xref="x", yref="y", x0=c - 0.46, x1=c + 0.46,
                              y0=r - 0.44, y1=r + 0.44,
                              line={"color": T.RESTRICTIVE, "width": 3})
            if text:
                fig.add_annotation(x=c, y=r, xref="x", yref="y", text=text, showarrow=False,
                                   font={"size": 11 if restrictive and score else 12,
                                         "color": colour})
        z.append(z_row)
        custom.append(c_row)
    fig.add_trace(go.Heatmap(
        z=z, x=list(range(len(lists))), y=list(range(len(row_ids))), customdata=custom,
        zmin=-0.5, zmax=3.5, colorscale=T.score_colourscale(), showscale=False, xgap=2,
        ygap=2, hoverongaps=False,
        hovertemplate=(
            "<b>%{customdata[0]}</b> — %{customdata[1]}<br>Engagement le plus fort : "
            "%{customdata[2]} · position dominante : %{customdata[3]}<br>"
            "%{customdata[4]} passage(s)<br>%{customdata[5]}<extra></extra>"
        ),
    ))
    for c, li in enumerate(lists):
        if li in missing:
            fig.add_shape(type="rect", xref="x", yref="y", x0=c - 0.5, x1=c + 0.5, y0=-0.5,
                          y1=len(row_ids) - 0.5, fillcolor=T.NOT_ANSWERED, opacity=0.45,
                          line={"width": 0}, layer="below")
            fig.add_annotation(x=c, y=(len(row_ids) - 1) / 2, xref="x", yref="y",
                               text="pas de réponse", textangle=-90, showarrow=False,
                               font={"size": 16, "color": T.INK})
    fig.update_xaxes(tickvals=list(range(len(lists))), ticktext=col_labels, side="top",
                     showgrid=False, range=[-0.5, len(lists) - 0.5], tickfont={"size": 12},
                     tickangle=0, zeroline=False)
    fig.update_yaxes(tickvals=list(range(len(row_ids))), ticktext=row_labels,
                     autorange="reversed", showgrid=False, tickfont={"size": 13},
                     zeroline=False)
    _axis_guides(fig, ctx, row_ids)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- figures
def fig01_carte_themes(overall: pd.DataFrame, evidence: pd.DataFrame,
                       ctx: ChartContext) -> FigureSpec:
    """Lists x themes heatmap of the 0-3 score; restrictive positions framed in vermillion."""
    title = "Quels thèmes de solidarité chaque liste aborde-t-elle, et avec quelle force ?"
    fig = go.Figure()
    data = _score_matrix(fig, overall, ctx, evidence)
    _score_legend(fig)
    n_rows = len(ctx.codebook.theme_ids)
    frame(fig, ctx, title, subtitle(
        "Engagement le plus fort par thème (programme et questionnaire réunis) ; "
        "encadré ✕ : position dominante restrictive", ctx),
        plot_height=n_rows * CELL_PX, header=50, margin={"r": 170})
    return FigureSpec("fig01_carte_themes", title, fig, data,
                      "Survolez une case pour lire les passages qui la justifient.")


def fig02_couverture_axes(axes: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Themes covered out of the axis's themes, per list, one panel per axis."""
    title = "Part des thèmes de chaque axe abordés par chaque liste"
    axis_ids = list(ctx.codebook.axes)
    n_by_axis = {a: sum(ctx.codebook.axis_of(t) == a for t in ctx.codebook.theme_ids)
                 for a in axis_ids}
    fig = make_subplots(
        rows=1, cols=len(axis_ids), shared_yaxes=True, horizontal_spacing=0.04,
        subplot_titles=[f"<b>{wrap(ctx.codebook.axes[a], 30)}</b><br>({n_by_axis[a]} thèmes)"
                        for a in axis_ids],
    )
    names = [ctx.name(li) for li in ctx.list_ids]
    rows = []
    for col, axis in enumerate(axis_ids, start=1):
        sub = axes[axes["axis"] == axis].set_index("list_id").reindex(ctx.list_ids)
        pct = (100 * sub["share_covered"].fillna(0)).round(1)
        covered = sub["n_covered"].fillna(0).astype(int)
        n_themes = sub["n_themes"].fillna(n_by_axis[axis]).astype(int)
        per100 = sub["mentions_per_100"].round(1)
        fig.add_trace(go.Bar(
            x=pct, y=names, orientation="h", showlegend=False,
            marker={"color": [ctx.colour(li) for li in ctx.list_ids]},
            text=[f"{c}/{n}" for c, n in zip(covered, n_themes, strict=True)],
            textposition="outside", cliponaxis=False,
            customdata=np.stack([covered, n_themes, per100.fillna(0)], axis=1),
            hovertemplate=("<b>%{y}</b><br>%{customdata[0]} thèmes sur %{customdata[1]} "
                           "(%{x:.0f} %)<br>%{customdata[2]:.1f} mentions pour 100 passages"
                           "<extra></extra>"),
        ), row=1, col=col)
        for li, c, n, p, m in zip(ctx.list_ids, covered, n_themes, pct, per100, strict=True):
            rows.append({"list_id": li, "liste": ctx.name(li),
                         "axe": ctx.codebook.axes[axis], "themes_couverts": int(c),
                         "themes_de_l_axe": int(n), "part_couverte_pct": float(p),
                         "mentions_pour_100_passages": None if pd.isna(m) else float(m)})
    fig.update_xaxes(range=[0, 118], tickvals=[0, 25, 50, 75, 100],
                     ticktext=[f"{v}\u00a0%" for v in (0, 25, 50, 75, 100)],
                     title_text="thèmes abordés")
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Thèmes abordés (au moins une mention favorable ou neutre) sur les thèmes de l'axe, "
        "programme et questionnaire réunis", ctx), plot_height=60 * len(names),
        header=80, legend=False)
    return FigureSpec("fig02_couverture_axes", title, fig, pd.DataFrame(rows))


def fig03_force_engagements(overall: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """How many themes each list addresses concretely, generally, by a mere mention."""
    title = "Des engagements concrets ou de simples mentions ?"
    n_themes = len(ctx.codebook.theme_ids)
    counts = (overall.groupby("list_id")["score"].value_counts().unstack(fill_value=0)
              .reindex(index=ctx.list_ids, columns=[3, 2, 1, 0], fill_value=0))
    names = [ctx.name(li) for li in ctx.list_ids]
    fig = go.Figure()
    legend = {3: "concret (mesure chiffrée, datée, budget, lieu)", 2: "général (intention)",
              1: "mention (rien de promis)", 0: "non abordé"}
    for score in (3, 2, 1, 0):
        vals = counts[score].astype(int)
        fig.add_trace(go.Bar(
            x=vals, y=names, orientation="h", name=legend[score],
            marker={"color": T.SCORE_COLOURS[score],
                    "line": {"color": "#AAAAAA", "width": 0.5 if score == 0 else 0}},
            text=[str(v) if v else "" for v in vals], textposition="inside",
            insidetextanchor="middle", textfont={"color": T.SCORE_TEXT[score], "size": 14},
            hovertemplate=f"<b>%{{y}}</b><br>{T.SCORE_LABELS[score] if score else 'non abordé'}"
                          f" : %{{x}} thèmes sur {n_themes}<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, n_themes], title_text=f"nombre de thèmes (sur {n_themes})",
                     dtick=5)
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Nombre de thèmes selon l'engagement le plus fort de la liste "
        "(positions restrictives exclues, voir fig. 4)", ctx),
        plot_height=60 * len(names))
    data = pd.DataFrame({
        "list_id": ctx.list_ids, "liste": names,
        "themes_concret": counts[3].astype(int).values,
        "themes_general": counts[2].astype(int).values,
        "themes_mention": counts[1].astype(int).values,
        "themes_non_abordes": counts[0].astype(int).values,
        "themes_total": n_themes,
    })
    return FigureSpec("fig03_force_engagements", title, fig, data)


def _theme_list(ids) -> str:
    return ", ".join(ids)


def fig04_positions(overall: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Themes whose dominant position is restrictive vs favorable, per list.

    Dominant (not "at least one") so that one stray passage does not make a bar; the
    passage counts per stance are in the hover and the CSV.
    """
    title = "Positions restrictives et favorables à la solidarité"
    names = [ctx.name(li) for li in ctx.list_ids]
    rows = []
    for li in ctx.list_ids:
        sub = overall[overall["list_id"] == li]
        fav = [ctx.label(t) for t in sub.loc[sub["stance"] == "favorable", "theme_id"]]
        res = [ctx.label(t) for t in sub.loc[sub["stance"] == "restrictif", "theme_id"]]
        rows.append({"list_id": li, "liste": ctx.name(li),
                     "themes_dominante_favorable": len(fav),
                     "themes_dominante_restrictive": len(res),
                     "passages_favorables": int(sub["n_favorable"].sum()),
                     "passages_restrictifs": int(sub["n_restrictif"].sum()),
                     "themes_restrictifs": _theme_list(res)})
    data = pd.DataFrame(rows)
    res_hover = [wrap(t, 60) if t else "aucun" for t in data["themes_restrictifs"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=-data["themes_dominante_restrictive"], y=names, orientation="h",
        name="thèmes où la position dominante est restrictive", marker_color=T.RESTRICTIVE,
        text=data["themes_dominante_restrictive"].map(lambda v: str(v) if v else ""),
        textposition="outside", cliponaxis=False,
        customdata=np.stack([data["themes_dominante_restrictive"],
                             data["passages_restrictifs"], res_hover], axis=1),
        hovertemplate=("<b>%{y}</b><br>%{customdata[0]} thèmes :<br>%{customdata[2]}<br>"
                       "(%{customdata[1]} passages restrictifs en tout)<extra></extra>"),
    ))
    fig.add_trace(go.Bar(
        x=data["themes_dominante_favorable"], y=names, orientation="h",
        name="thèmes où la position dominante est favorable", marker_color=T.FAVORABLE,
        text=data["themes_dominante_favorable"].map(lambda v: str(v) if v else ""),
        textposition="outside", cliponaxis=False,
        customdata=np.stack([data["themes_dominante_favorable"],
                             data["passages_favorables"]], axis=1),
        hovertemplate=("<b>%{y}</b><br>%{customdata[0]} thèmes<br>(%{customdata[1]} passages "
                       "favorables en tout)<extra></extra>"),
    ))
    n = len(ctx.codebook.theme_ids)
    ticks = list(range(-n, n + 1, 5))
    fig.update_layout(barmode="relative")
    fig.update_xaxes(range=[-n - 2, n + 2], tickvals=ticks, ticktext=[str(abs(v)) for v in ticks],
                     title_text=f"nombre de thèmes (sur {n}) : ← restrictifs · favorables →",
                     zeroline=True, zerolinecolor=T.INK, zerolinewidth=1.5)
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Nombre de thèmes selon la position dominante de la liste : restrictive (à gauche), "
        "favorable (à droite) ; programme et questionnaire réunis", ctx),
        plot_height=60 * len(names))
    return FigureSpec("fig04_positions", title, fig, data)


def _answer_label(row) -> str:
    if not row["answered"]:
        return "pas de réponse"
    parts = [f"{row['n_questions_answered']}/{row['n_questions']} questions"
             if row["n_questions"] else "réponse reçue"]
    if pd.notna(row["date"]):
        parts.append("le " + pd.Timestamp(row["date"]).strftime("%d/%m"))
    return "<br>".join(parts)


def fig05_questionnaire(coverage: pd.DataFrame, responses: pd.DataFrame,
                        evidence: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Who answered the questionnaire, and which themes each answer covers."""
    title = "Qui a répondu au questionnaire du collectif, et sur quels thèmes ?"
    q = coverage[coverage["source"] == "questionnaire"]
    resp = responses.set_index("list_id").reindex(ctx.list_ids)
    resp["answered"] = resp["answered"].fillna(False).astype(bool)
    missing = {li for li in ctx.list_ids if not resp.loc[li, "answered"]}
    headers = {li: _answer_label(resp.loc[li]) for li in ctx.list_ids}
    ev = evidence[evidence["source"] == "questionnaire"] if len(evidence) else evidence
    fig = go.Figure()
    data = _score_matrix(fig, q, ctx, ev, missing=missing, column_notes=headers)
    _score_legend(fig, with_restrictive=(data["position_dominante"] == "restrictif").any(),
                  with_missing=bool(missing))
    n_answered = len(ctx.list_ids) - len(missing)
    data = data.merge(
        resp[["answered", "date", "n_questions_answered", "n_questions", "n_words"]]
        .rename(columns={"answered": "a_repondu", "date": "date_reponse",
                         "n_questions_answered": "questions_repondues",
                         "n_questions": "questions_posees", "n_words": "mots"})
        .rename_axis("list_id").reset_index(), on="list_id", how="left",
    )
    data["date_reponse"] = pd.to_datetime(data["date_reponse"]).dt.strftime("%Y-%m-%d")
    n_rows = len(ctx.codebook.theme_ids)
    frame(fig, ctx, title, subtitle(
        f"{n_answered} liste{'s' if n_answered > 1 else ''} sur {len(ctx.list_ids)} ont "
        "répondu ; engagement le plus fort par thème dans les réponses", ctx),
        plot_height=n_rows * CELL_PX, header=85, margin={"r": 170})
    return FigureSpec("fig05_questionnaire", title, fig, data)


def fig06_coherence(consistency: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Programme vs questionnaire: themes in both, in the answers only, in the programme only."""

    title = "Ce que les listes promettent au collectif figure-t-il dans leur programme ?"
    colours = {BOTH: T.FAVORABLE, P_ONLY: "#56B4E9", Q_ONLY: "#E69F00"}
    legend = {BOTH: "programme et questionnaire",
              Q_ONLY: "questionnaire seulement (absent du programme)",
              P_ONLY: "programme seulement"}
    rows = []
    for li in ctx.list_ids:
        sub = consistency[consistency["list_id"] == li]
        answered = bool(sub["answered"].any())
        row = {"list_id": li, "liste": ctx.name(li), "a_repondu": answered}
        for status, key in ((BOTH, "les_deux"), (Q_ONLY, "questionnaire_seulement"),
                            (P_ONLY, "programme_seulement")):
            ids = sub.loc[sub["status"] == status, "theme_id"] if answered else []
            row[key] = len(ids)
            if status == Q_ONLY:
                row["themes_questionnaire_seulement"] = _theme_list(ctx.label(t) for t in ids)
        rows.append(row)
    data = pd.DataFrame(rows)
    names = [ctx.name(li) + ("" if a else " — pas de réponse")
             for li, a in zip(ctx.list_ids, data["a_repondu"], strict=True)]
    fig = go.Figure()
    keys = {BOTH: "les_deux", Q_ONLY: "questionnaire_seulement", P_ONLY: "programme_seulement"}
    for status in (BOTH, Q_ONLY, P_ONLY):
        vals = data[keys[status]]
        fig.add_trace(go.Bar(
            x=vals, y=names, orientation="h", name=legend[status],
            marker_color=colours[status], text=vals.map(lambda v: str(v) if v else ""),
            textposition="inside", insidetextanchor="middle",
            textfont={"color": "#FFFFFF" if status == BOTH else T.INK, "size": 14},
            hovertemplate=f"<b>%{{y}}</b><br>{legend[status]} : %{{x}} thèmes<extra></extra>",
        ))
    for name, answered in zip(names, data["a_repondu"], strict=True):
        if not answered:
            fig.add_annotation(x=0, y=name, xref="x", yref="y", xanchor="left",
                               text="pas de réponse au questionnaire : comparaison impossible",
                               showarrow=False, font={"color": T.MUTED, "size": 13})
    n = len(ctx.codebook.theme_ids)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, n], dtick=5, title_text=f"nombre de thèmes (sur {n})")
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Thèmes abordés (score d'au moins 1) dans les réponses au questionnaire, "
        "dans le programme, ou dans les deux", ctx), plot_height=60 * len(names))
    return FigureSpec("fig06_programme_questionnaire", title, fig, data)


def fig07_profils(overall: pd.DataFrame, ctx: ChartContext, cols: int = 3) -> FigureSpec:
    """One small profile per list: the score of every theme, restrictive positions marked."""
    title = "Profil de chaque liste, thème par thème"
    lists = ctx.list_ids
    n_rows = max(1, -(-len(lists) // cols))
    row_ids, row_labels = _theme_rows(ctx)
    fig = make_subplots(rows=n_rows, cols=cols, shared_yaxes=True, shared_xaxes=False,
                        horizontal_spacing=0.025, vertical_spacing=0.09 / n_rows,
                        subplot_titles=[f"<b>{ctx.name(li)}</b>" for li in lists])
    rows = []
    for i, li in enumerate(lists):
        r, c = i // cols + 1, i % cols + 1
        sub = overall[overall["list_id"] == li].set_index("theme_id").reindex(row_ids)
        scores = sub["score"].fillna(0).astype(int)
        stance = sub["stance"].where(sub["stance"].notna(), "")
        fig.add_trace(go.Bar(
            x=scores, y=row_labels, orientation="h", marker_color=ctx.colour(li),
            showlegend=False, customdata=[T.SCORE_LABELS[s] for s in scores],
            hovertemplate=f"<b>{ctx.name(li)}</b><br>%{{y}} : %{{customdata}}<extra></extra>",
        ), row=r, col=c)
        restr = stance == "restrictif"
        fig.add_trace(go.Scatter(
            x=scores[restr] + 0.25, y=[row_labels[j] for j, f in enumerate(restr) if f],
            mode="markers", marker={"symbol": "x", "size": 11, "color": T.INK},
            showlegend=False,
            hovertemplate=f"<b>{ctx.name(li)}</b><br>%{{y}} : position restrictive"
                          "<extra></extra>",
        ), row=r, col=c)
        for th, label, s, st in zip(row_ids, row_labels, scores, stance, strict=True):
            rows.append({"list_id": li, "liste": ctx.name(li), "theme_id": th,
                         "thème": label, "score_0_3": int(s), "niveau": T.SCORE_LABELS[s],
                         "position_dominante": st})
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip",
                             name="position dominante restrictive",
                             marker={"symbol": "x", "size": 11, "color": T.INK}))
    fig.update_xaxes(range=[0, 3.6], tickvals=[1, 2, 3],
                     ticktext=["mention", "général", "concret"], tickfont={"size": 11},
                     showgrid=True)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, showgrid=False)
    frame(fig, ctx, title, subtitle(
        "Engagement le plus fort par thème (0 = non abordé ; programme et questionnaire "
        "réunis) ; ✕ = position dominante restrictive", ctx),
        plot_height=n_rows * (len(row_ids) * 17 + 70), header=30)
    return FigureSpec("fig07_profils_listes", title, fig, pd.DataFrame(rows))


def build_all(inputs) -> list[FigureSpec]:
    """Every figure of the report, in order, from a ChartInputs."""
    ctx = inputs.ctx
    return [
        fig01_carte_themes(inputs.overall, inputs.evidence, ctx),
        fig02_couverture_axes(inputs.axes, ctx),
        fig03_force_engagements(inputs.overall, ctx),
        fig04_positions(inputs.overall, ctx),
        fig05_questionnaire(inputs.coverage, inputs.responses, inputs.questionnaire_evidence,
                            ctx),
        fig06_coherence(inputs.consistency, ctx),
        fig07_profils(inputs.overall, ctx),
    ]
