"""One function per figure: tables in, (figure, exactly-the-plotted-numbers table) out.

Every function takes the tables it draws and a ChartContext, and returns a FigureSpec whose
`data` is what the CSV beside the chart contains (labels in words, French column names).
"""

from __future__ import annotations

import dataclasses
import html
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analysis.coverage.compute import snippet
from analysis.coverage.questionnaire import BOTH, P_ONLY, Q_ONLY
from analysis.publish import template as T
from analysis.publish.sections import where
from analysis.publish.template import ChartContext, frame, subtitle, wrap
from analysis.publish.wording import nbsp, plural, verb

CELL_PX = 34
PHONE_CELL_PX = 30
# one-letter level codes in the cells of a phone's matrix (the legend spells them out)
PHONE_CODES = {"concret": "C", "general": "G", "mention": "M", "mixte": "±", "restrictif": "R",
               "absent": ""}


@dataclass
class FigureSpec:
    """A finished figure, its stable name (figNN_...) and the numbers it shows."""

    name: str
    title: str
    fig: go.Figure
    data: pd.DataFrame
    caption: str = ""

    def __post_init__(self) -> None:
        self.title = nbsp(self.title)            # French spacing before ? ; : !


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


def _cell_px(ctx: ChartContext) -> int:
    return PHONE_CELL_PX if ctx.phone else CELL_PX


def _matrix_layout(ctx: ChartContext, header: int) -> dict:
    """frame() arguments of a theme x list matrix: room above for the list names (written
    upwards on a phone) and on the right for the axis names."""
    if not ctx.phone:
        return {"header": header, "margin": {"r": 170}}
    longest = max((len(line) for li in ctx.list_ids
                   for line in wrap(ctx.name(li), 14).split("<br>")), default=8)
    return {"header": int(longest * 5.6) + 14 + max(0, header - 50), "margin": {"r": 30}}


def _theme_rows(ctx: ChartContext) -> tuple[list[str], list[str]]:
    ids = ctx.codebook.theme_ids
    return ids, [ctx.label(t) for t in ids]


def _axis_guides(fig: go.Figure, ctx: ChartContext, row_ids: list[str]) -> None:
    """Lines between axes and the axis names on the right of a theme-by-row matrix (on a
    phone, 'Axe N' written upwards in a narrow right margin)."""
    axes = [ctx.codebook.axis_of(t) for t in row_ids]
    start = 0
    for i in range(1, len(axes) + 1):
        if i == len(axes) or axes[i] != axes[start]:
            if i < len(axes):
                fig.add_shape(type="line", xref="paper", x0=-0.35, x1=1.0, yref="y",
                              y0=i - 0.5, y1=i - 0.5, line={"color": T.INK, "width": 1.5})
            number = list(ctx.codebook.axes).index(axes[start]) + 1
            fig.add_annotation(
                text=(f"<b>Axe {number}</b>" if ctx.phone
                      else f"<b>{wrap(ctx.codebook.axes[axes[start]], 16)}</b>"),
                xref="paper", x=1.0 if ctx.phone else 1.01,
                xanchor="center" if ctx.phone else "left", xshift=12 if ctx.phone else 0,
                yref="y", y=(start + i - 1) / 2, showarrow=False,
                font={"size": 10 if ctx.phone else 13, "color": T.INK},
                align="left", textangle=-90 if ctx.phone else 0,
            )
            start = i


def _level_legend(fig: go.Figure, with_missing: bool = False, levels=None,
                  phone_codes: bool = False) -> None:
    """Legend entries for the level colours (heatmaps have no legend of their own)."""
    for lv in levels or T.LEVEL_ORDER:
        code = PHONE_CODES[lv] if phone_codes else ""
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers",
            name=f"{code} {T.LEVEL_WORDS[lv]}" if code else T.LEVEL_WORDS[lv],
            marker={"symbol": "square", "size": 16, "color": T.LEVEL_COLOURS[lv],
                    "line": {"color": "#AAAAAA", "width": 1}},
            hoverinfo="skip",
        ))
    if with_missing:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name="pas de réponse",
            marker={"symbol": "square", "size": 16, "color": T.NOT_ANSWERED},
            hoverinfo="skip",
        ))


def _level_colourscale() -> list[list]:
    """Discrete colour scale for z = index in LEVEL_ORDER, z in [-0.5, 5.5]."""
    n = len(T.LEVEL_ORDER)
    scale = []
    for i, lv in enumerate(T.LEVEL_ORDER):
        scale += [[i / n, T.LEVEL_COLOURS[lv]], [(i + 1) / n, T.LEVEL_COLOURS[lv]]]
    return scale


def _level_matrix(fig: go.Figure, cov: pd.DataFrame, ctx: ChartContext,
                  evidence: pd.DataFrame | None, missing: set[str] = frozenset(),
                  column_notes: dict[str, str] | None = None) -> pd.DataFrame:
    """Heatmap themes (rows) x lists (columns) of `level`, one colour per level.

    Lists in `missing` (no document for this source) are greyed out, not levelled;
    `column_notes` adds a line under a list's name (e.g. when it answered).
    Returns the plotted table (one row per list and theme).
    """
    row_ids, row_labels = _theme_rows(ctx)
    lists = ctx.list_ids
    notes = column_notes or {}
    col_labels = [ctx.wrap_label(ctx.name(li), 15, 14)
                  + (f"<br><i>{notes[li]}</i>" if li in notes else "") for li in lists]
    ticks = [wrap(label, 23) for label in row_labels] if ctx.phone else row_labels
    cells = cov.set_index(["theme_id", "list_id"])
    hover_ev = _hover_evidence(evidence)
    z, custom, rows = [], [], []
    for r, th in enumerate(row_ids):
        z_row, c_row = [], []
        for c, li in enumerate(lists):
            cell = cells.loc[(th, li)] if (th, li) in cells.index else None
            level = str(cell["level"]) if cell is not None else "absent"
            counts = {k: int(cell[f"n_{k}"]) if cell is not None else 0
                      for k in ("favorable", "neutre", "restrictif")}
            n = int(cell["n_passages"]) if cell is not None else 0
            absent = li in missing
            z_row.append(None if absent else T.LEVEL_ORDER.index(level))
            word = "pas de réponse" if absent else T.LEVEL_WORDS[level]
            c_row.append([ctx.name(li), row_labels[r], word, n, counts["favorable"],
                          counts["neutre"], counts["restrictif"],
                          hover_ev.get((li, th), "")])
            rows.append({
                "list_id": li, "liste": ctx.name(li), "theme_id": th,
                "thème": row_labels[r], "axe": ctx.axis_name(ctx.codebook.axis_of(th)),
                "niveau_code": None if absent else level, "niveau": word,
                "passages": n, "passages_favorables": counts["favorable"],
                "passages_neutres": counts["neutre"],
                "passages_restrictifs": counts["restrictif"],
            })
            if absent or level == "absent":
                continue
            fig.add_annotation(x=c, y=r, xref="x", yref="y",
                               text=PHONE_CODES[level] if ctx.phone else T.LEVEL_CELL[level],
                               showarrow=False,
                               font={"size": 10 if ctx.phone else 12,
                                     "color": T.LEVEL_TEXT[level]})
        z.append(z_row)
        custom.append(c_row)
    n_levels = len(T.LEVEL_ORDER)
    fig.add_trace(go.Heatmap(
        z=z, x=list(range(len(lists))), y=list(range(len(row_ids))), customdata=custom,
        zmin=-0.5, zmax=n_levels - 0.5, colorscale=_level_colourscale(), showscale=False,
        xgap=2, ygap=2, hoverongaps=False,
        hovertemplate=(
            "<b>%{customdata[0]}</b> — %{customdata[1]}<br>%{customdata[2]}<br>"
            "%{customdata[3]} passages : %{customdata[4]} favorables, %{customdata[5]} "
            "neutres, %{customdata[6]} restrictifs<br>%{customdata[7]}<extra></extra>"
        ),
    ))
    for c, li in enumerate(lists):
        if li in missing:
            fig.add_shape(type="rect", xref="x", yref="y", x0=c - 0.5, x1=c + 0.5, y0=-0.5,
                          y1=len(row_ids) - 0.5, fillcolor=T.NOT_ANSWERED, opacity=0.45,
                          line={"width": 0}, layer="below")
            fig.add_annotation(x=c, y=(len(row_ids) - 1) / 2, xref="x", yref="y",
                               text="pas de réponse", textangle=-90, showarrow=False,
                               font={"size": 12 if ctx.phone else 16, "color": T.INK})
    fig.update_xaxes(tickvals=list(range(len(lists))), ticktext=col_labels, side="top",
                     showgrid=False, range=[-0.5, len(lists) - 0.5],
                     tickfont={"size": 9 if ctx.phone else 12},
                     tickangle=-90 if ctx.phone else 0, zeroline=False)
    fig.update_yaxes(tickvals=list(range(len(row_ids))), ticktext=ticks,
                     autorange="reversed", showgrid=False,
                     tickfont={"size": 9 if ctx.phone else 13}, zeroline=False)
    _axis_guides(fig, ctx, row_ids)
    return pd.DataFrame(rows)


def _level_counts(cov: pd.DataFrame, lists: list[str]) -> pd.DataFrame:
    """Themes per list (rows) and level (columns, LEVEL_ORDER)."""
    return (cov.groupby("list_id")["level"].value_counts().unstack(fill_value=0)
            .reindex(index=lists, columns=list(T.LEVEL_ORDER), fill_value=0).astype(int))


def _level_bars(fig: go.Figure, counts: pd.DataFrame, names: list[str], total: int,
                row: int | None = None, col: int | None = None,
                showlegend: bool = True) -> None:
    """Horizontal stacked bars: one segment per level, in LEVEL_ORDER."""
    for lv in T.LEVEL_ORDER:
        vals = counts[lv]
        kwargs = {"row": row, "col": col} if row else {}
        fig.add_trace(go.Bar(
            x=vals, y=names, orientation="h", name=T.LEVEL_WORDS[lv], legendgroup=lv,
            showlegend=showlegend,
            marker={"color": T.LEVEL_COLOURS[lv],
                    "line": {"color": "#AAAAAA", "width": 0.5 if lv == "absent" else 0}},
            text=[str(v) if v else "" for v in vals], textposition="inside",
            insidetextanchor="middle", textfont={"color": T.LEVEL_TEXT[lv], "size": 13},
            hovertemplate=f"<b>%{{y}}</b><br>{T.LEVEL_WORDS[lv]} : %{{x}} thèmes sur "
                          f"{total}<extra></extra>",
        ), **kwargs)


# --------------------------------------------------------------------------- figures
def fig01_carte_themes(overall: pd.DataFrame, evidence: pd.DataFrame,
                       ctx: ChartContext) -> FigureSpec:
    """Lists x themes heatmap of the level (restrictive and mixed in their own colours)."""
    name = "fig01_carte_themes"
    title = "Quels thèmes de solidarité chaque liste aborde-t-elle, et comment ?"
    fig = go.Figure()
    data = _level_matrix(fig, overall, ctx, evidence)
    _level_legend(fig, phone_codes=ctx.phone)
    n_rows = len(ctx.codebook.theme_ids)
    frame(fig, ctx, title, subtitle(
        "Niveau de la liste sur chaque thème (programme et questionnaire réunis) ; "
        "une position restrictive n'est jamais comptée comme un engagement", ctx),
        plot_height=n_rows * _cell_px(ctx), **_matrix_layout(ctx, 50), name=name)
    return FigureSpec(name, title, fig, data,
                      "Survolez une case pour lire les passages qui la justifient.")


def fig02_couverture_axes(axes: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Per axis and list: the axis's themes by level (restrictive ones are not silence)."""
    name = "fig02_couverture_axes"
    title = "Comment chaque liste aborde les thèmes de chaque axe"
    axis_ids = list(ctx.codebook.axes)
    n_by_axis = {a: sum(ctx.codebook.axis_of(t) == a for t in ctx.codebook.theme_ids)
                 for a in axis_ids}
    names = [ctx.wrap_label(ctx.name(li), 200, 16) for li in ctx.list_ids]
    titles = [f"<b>{ctx.wrap_label(ctx.axis_name(a), 24, 30)}</b><br>({n_by_axis[a]} thèmes)"
              for a in axis_ids]
    panel_px = 60 * len(names)
    gap_px = 110
    if ctx.phone:        # panels stacked, one axis under the other
        panel_px = 34 * len(names)
        fig = make_subplots(rows=len(axis_ids), cols=1, subplot_titles=titles,
                            vertical_spacing=gap_px / (len(axis_ids) * panel_px
                                                       + (len(axis_ids) - 1) * gap_px))
        fig.update_annotations(font={"size": 11})
    else:
        fig = make_subplots(rows=1, cols=len(axis_ids), shared_yaxes=True,
                            horizontal_spacing=0.03, subplot_titles=titles)
    rows = []
    for col, axis in enumerate(axis_ids, start=1):
        sub = axes[axes["axis"] == axis].set_index("list_id").reindex(ctx.list_ids)
        counts = pd.DataFrame({lv: sub[f"n_{lv}"].fillna(0).astype(int)
                               for lv in T.LEVEL_ORDER})
        counts["absent"] = counts["absent"].where(sub["n_themes"].notna(), n_by_axis[axis])
        at = {"row": col, "col": 1} if ctx.phone else {"row": 1, "col": col}
        _level_bars(fig, counts, names, n_by_axis[axis], **at, showlegend=col == 1)
        for li in ctx.list_ids:
            r = counts.loc[li]
            rows.append({"list_id": li, "liste": ctx.name(li), "axe": ctx.axis_name(axis),
                         **{f"themes_{lv}": int(r[lv]) for lv in T.LEVEL_ORDER},
                         "themes_de_l_axe": n_by_axis[axis]})
        fig.update_xaxes(range=[0, n_by_axis[axis]], dtick=max(1, n_by_axis[axis] // 4),
                         title_text="thèmes", **at)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed")
    n_panels = len(axis_ids) if ctx.phone else 1
    frame(fig, ctx, title, subtitle(
        "Thèmes de l'axe selon le niveau de la liste, programme et questionnaire réunis ; "
        "une position restrictive est un thème abordé, pas un silence", ctx),
        plot_height=n_panels * panel_px + (n_panels - 1) * gap_px,
        header=50 if ctx.phone else 80, name=name)
    return FigureSpec(name, title, fig, pd.DataFrame(rows))


def fig03_force_engagements(overall: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """How many themes each list addresses at each level (restrictive ones apart)."""
    name = "fig03_force_engagements"
    title = "Des engagements concrets ou de simples mentions ?"
    n_themes = len(ctx.codebook.theme_ids)
    counts = _level_counts(overall, ctx.list_ids)
    names = [ctx.wrap_label(ctx.name(li), 200, 16) for li in ctx.list_ids]
    fig = go.Figure()
    _level_bars(fig, counts, names, n_themes)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, n_themes], title_text=f"nombre de thèmes (sur {n_themes})",
                     dtick=5)
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Nombre de thèmes selon le niveau de la liste : engagement concret (mesure chiffrée, "
        "datée, budget, lieu), général, mention, position mixte ou restrictive", ctx),
        plot_height=(40 if ctx.phone else 60) * len(names), name=name)
    data = pd.DataFrame({"list_id": ctx.list_ids, "liste": [ctx.name(li) for li in ctx.list_ids],
                         **{f"themes_{lv}": counts[lv].values for lv in T.LEVEL_ORDER},
                         "themes_total": n_themes})
    return FigureSpec(name, title, fig, data)


def _theme_list(ids) -> str:
    return ", ".join(ids)


def fig04_positions(overall: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Themes with a restrictive or mixed position (left) vs commitments only (right)."""
    name = "fig04_positions"
    title = "Positions restrictives et engagements en faveur de la solidarité"
    names = [ctx.wrap_label(ctx.name(li), 200, 16) for li in ctx.list_ids]
    rows = []
    for li in ctx.list_ids:
        sub = overall[overall["list_id"] == li]
        by = {lv: [ctx.label(t) for t in sub.loc[sub["level"] == lv, "theme_id"]]
              for lv in T.LEVEL_ORDER}
        engaged = by["concret"] + by["general"] + by["mention"]
        rows.append({"list_id": li, "liste": ctx.name(li),
                     "themes_position_restrictive": len(by["restrictif"]),
                     "themes_position_mixte": len(by["mixte"]),
                     "themes_engagement": len(engaged),
                     "passages_favorables": int(sub["n_favorable"].sum()),
                     "passages_restrictifs": int(sub["n_restrictif"].sum()),
                     "themes_restrictifs": _theme_list(by["restrictif"]),
                     "themes_mixtes": _theme_list(by["mixte"])})
    data = pd.DataFrame(rows)
    fig = go.Figure()
    for key, lv, label, listed in (
        ("themes_position_restrictive", "restrictif", "position restrictive",
         "themes_restrictifs"),
        ("themes_position_mixte", "mixte", "position mixte", "themes_mixtes"),
    ):
        hover = [wrap(t, 60) if t else "aucun" for t in data[listed]]
        fig.add_trace(go.Bar(
            x=-data[key], y=names, orientation="h", name=f"thèmes en {label}",
            marker_color=T.LEVEL_COLOURS[lv],
            text=data[key].map(lambda v: str(v) if v else ""), textposition="inside",
            textfont={"color": "#FFFFFF", "size": 13},
            customdata=np.stack([data[key], hover], axis=1),
            hovertemplate=(f"<b>%{{y}}</b><br>{label} : %{{customdata[0]}} thèmes<br>"
                           "%{customdata[1]}<extra></extra>"),
        ))
    fig.add_trace(go.Bar(
        x=data["themes_engagement"], y=names, orientation="h",
        name="thèmes avec engagement (concret, général ou mention)",
        marker_color=T.FAVORABLE, textfont={"color": "#FFFFFF", "size": 13},
        text=data["themes_engagement"].map(lambda v: str(v) if v else ""),
        textposition="inside",
        hovertemplate="<b>%{y}</b><br>%{x} thèmes avec engagement<extra></extra>",
    ))
    n = len(ctx.codebook.theme_ids)
    step = 5 if n > 10 else 1
    ticks = list(range(-(n // step) * step, n + 1, step))
    fig.update_layout(barmode="relative")
    fig.update_xaxes(range=[-n - 1, n + 1], tickvals=ticks,
                     ticktext=[str(abs(v)) for v in ticks],
                     title_text=(f"nombre de thèmes (sur {n})<br>← restrictifs · "
                                 "engagements →" if ctx.phone else
                                 f"nombre de thèmes (sur {n}) : ← restrictifs ou mixtes · "
                                 "engagements →"),
                     zeroline=True, zerolinecolor=T.INK, zerolinewidth=1.5)
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Thèmes où la liste a une position restrictive ou mixte (à gauche), thèmes avec "
        "engagement sans restriction (à droite) ; programme et questionnaire réunis", ctx),
        plot_height=(40 if ctx.phone else 60) * len(names), name=name)
    return FigureSpec(name, title, fig, data)


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
    """Who answered the questionnaire, and at which level each answer covers each theme."""
    name = "fig05_questionnaire"
    title = "Qui a répondu au questionnaire du collectif, et sur quels thèmes ?"
    q = coverage[coverage["source"] == "questionnaire"]
    resp = responses.set_index("list_id").reindex(ctx.list_ids)
    resp["answered"] = resp["answered"].fillna(False).astype(bool)
    missing = {li for li in ctx.list_ids if not resp.loc[li, "answered"]}
    # (on a phone the list names are written upwards: no room for a note under them)
    headers = {} if ctx.phone else {li: _answer_label(resp.loc[li]) for li in ctx.list_ids}
    ev = evidence[evidence["source"] == "questionnaire"] if len(evidence) else evidence
    fig = go.Figure()
    data = _level_matrix(fig, q, ctx, ev, missing=missing, column_notes=headers)
    _level_legend(fig, with_missing=bool(missing), phone_codes=ctx.phone)
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
        f"{plural(n_answered, 'liste')} sur {len(ctx.list_ids)} "
        f"{verb(n_answered, 'a répondu', 'ont répondu')} ; niveau de chaque thème dans les "
        "réponses", ctx),
        plot_height=n_rows * _cell_px(ctx), **_matrix_layout(ctx, 85), name=name)
    return FigureSpec(name, title, fig, data)


def fig06_coherence(consistency: pd.DataFrame, ctx: ChartContext) -> FigureSpec:
    """Programme vs questionnaire: themes in both, in the answers only, in the programme only."""
    name = "fig06_programme_questionnaire"
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
    names = [ctx.wrap_label(ctx.name(li) + ("" if a else " — pas de réponse"), 200, 16)
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
    for label, answered in zip(names, data["a_repondu"], strict=True):
        if not answered:
            fig.add_annotation(x=0, y=label, xref="x", yref="y", xanchor="left",
                               text=("comparaison impossible" if ctx.phone else
                                     "pas de réponse au questionnaire : comparaison impossible"),
                               showarrow=False, font={"color": T.MUTED,
                                                      "size": 10 if ctx.phone else 13})
    n = len(ctx.codebook.theme_ids)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(range=[0, n], dtick=5 if n > 10 else 1,
                     title_text=f"nombre de thèmes (sur {n})")
    fig.update_yaxes(autorange="reversed")
    frame(fig, ctx, title, subtitle(
        "Thèmes abordés (à n'importe quel niveau, position restrictive comprise) dans les "
        "réponses au questionnaire, dans le programme, ou dans les deux", ctx),
        plot_height=(40 if ctx.phone else 60) * len(names), name=name)
    return FigureSpec(name, title, fig, data)


def fig07_profils(overall: pd.DataFrame, ctx: ChartContext, cols: int = 3) -> FigureSpec:
    """One small profile per list: the level of every theme, as a dot in its column."""
    name = "fig07_profils_listes"
    title = "Profil de chaque liste, thème par thème"
    lists = ctx.list_ids
    cols = min(cols, 2) if ctx.phone else cols
    n_rows = max(1, -(-len(lists) // cols))
    row_ids, row_labels = _theme_rows(ctx)
    if ctx.phone:
        row_labels = [wrap(label, 24) for label in row_labels]
    order = ["absent", "restrictif", "mixte", "mention", "general", "concret"]
    panel_px = len(row_ids) * (24 if ctx.phone else 17) + 30
    gap_px = 130 if ctx.phone else 90
    fig = make_subplots(rows=n_rows, cols=cols, shared_yaxes=True, shared_xaxes=False,
                        horizontal_spacing=0.04 if ctx.phone else 0.025,
                        vertical_spacing=gap_px / (n_rows * panel_px + (n_rows - 1) * gap_px)
                        if n_rows > 1 else 0.0,
                        subplot_titles=[f"<b>{ctx.wrap_label(ctx.name(li), 200, 14)}</b>"
                                        for li in lists])
    if ctx.phone:
        fig.update_annotations(font={"size": 10})
    rows = []
    for i, li in enumerate(lists):
        r, c = i // cols + 1, i % cols + 1
        sub = overall[overall["list_id"] == li].set_index("theme_id").reindex(row_ids)
        levels = sub["level"].fillna("absent").astype(str)
        fig.add_trace(go.Scatter(
            x=[order.index(lv) for lv in levels], y=row_labels, mode="markers",
            marker={"size": 11, "color": [T.LEVEL_COLOURS[lv] for lv in levels],
                    "line": {"color": "#888888", "width": 1}},
            showlegend=False, customdata=[T.LEVEL_WORDS[lv] for lv in levels],
            hovertemplate=f"<b>{ctx.name(li)}</b><br>%{{y}} : %{{customdata}}<extra></extra>",
        ), row=r, col=c)
        for th, label, lv in zip(row_ids, row_labels, levels, strict=True):
            rows.append({"list_id": li, "liste": ctx.name(li), "theme_id": th,
                         "thème": label, "niveau_code": lv, "niveau": T.LEVEL_WORDS[lv]})
    _level_legend(fig)
    fig.update_xaxes(range=[-0.5, len(order) - 0.5], tickvals=list(range(len(order))),
                     ticktext=["non<br>abordé", "restr.", "mixte", "mention", "général",
                               "concret"], tickfont={"size": 9 if ctx.phone else 10},
                     showgrid=True, tickangle=-90 if ctx.phone else 0)
    fig.update_yaxes(autorange="reversed", tickfont={"size": 9 if ctx.phone else 11},
                     showgrid=False)
    frame(fig, ctx, title, subtitle(
        "Niveau de la liste sur chaque thème (programme et questionnaire réunis) ; "
        "restr. = position restrictive", ctx),
        plot_height=n_rows * panel_px + (n_rows - 1) * gap_px,
        header=40 if ctx.phone else 30, name=name)
    return FigureSpec(name, title, fig, pd.DataFrame(rows))


def pair_table(overall: pd.DataFrame, evidence: pd.DataFrame, ctx: ChartContext,
               lists: list[str] | None = None) -> pd.DataFrame:
    """Per list and theme: level and best quote with document and page (the two-list view)."""
    best = evidence[evidence["rank"] == 1].set_index(["list_id", "theme_id"]) \
        if len(evidence) else None
    cells = overall.set_index(["list_id", "theme_id"])
    rows = []
    for li in lists or ctx.list_ids:
        for th in ctx.codebook.theme_ids:
            lv = str(cells.loc[(li, th), "level"]) if (li, th) in cells.index else "absent"
            ev = best.loc[(li, th)] if best is not None and (li, th) in best.index else None
            rows.append({
                "list_id": li, "liste": ctx.name(li), "theme_id": th, "thème": ctx.label(th),
                "axe": ctx.axis_name(ctx.codebook.axis_of(th)), "niveau_code": lv,
                "niveau": T.LEVEL_WORDS[lv],
                "extrait": str(ev["snippet"]) if ev is not None else "",
                "document": where(ev) if ev is not None else "",
            })
    return pd.DataFrame(rows)


def fig08_deux_listes(overall: pd.DataFrame, evidence: pd.DataFrame, ctx: ChartContext,
                      pair: tuple[str, str] | None = None) -> FigureSpec:
    """Two lists side by side: per theme, each list's level and best quote (doc, page)."""
    name = "fig08_deux_listes"
    a, b = pair or (ctx.list_ids[0], ctx.list_ids[min(1, len(ctx.list_ids) - 1)])
    title = f"Deux listes côte à côte : {ctx.name(a)} et {ctx.name(b)}"
    table = pair_table(overall, evidence, ctx, [a, b])
    ta, tb = (table[table["list_id"] == x].reset_index(drop=True) for x in (a, b))

    chars, width, line_px = (19, 90, 12) if ctx.phone else (62, 150, 14)

    def quote(t: pd.DataFrame) -> list[str]:
        return [(f"<b>{T.LEVEL_WORDS[lv]}</b><br>" + (
            f"« {wrap(html.escape(snippet(q, width=width)), chars)} »<br>"
            f"<i>{_wrap_path(html.escape(d), chars + 2) if ctx.phone else html.escape(d)}</i>"
            if q else "")) for lv, q, d in zip(t["niveau_code"], t["extrait"], t["document"],
                                               strict=True)]

    def fill(t: pd.DataFrame) -> list[str]:
        return [_tint(T.LEVEL_COLOURS[lv]) for lv in t["niveau_code"]]

    themes = [wrap(x, 11 if ctx.phone else 24) for x in ta["thème"]]
    cells = [themes, quote(ta), quote(tb)]
    # every row as high as its longest cell (a table row grows with its lines): the figure
    # is as high as the table, nothing scrolls inside it
    lines = [max(c.count("<br>") + 1 for c in row) for row in zip(*cells, strict=True)]
    row_px = [max(84 if not ctx.phone else 0, n * line_px + 10) for n in lines]
    head = [ctx.wrap_label(html.escape(ctx.name(x)), 200, 18) for x in (a, b)]
    fig = go.Figure(go.Table(
        columnwidth=[24, 38, 38] if ctx.phone else [22, 39, 39],
        header={"values": ["<b>Thème</b>", *(f"<b>{h}</b>" for h in head)],
                "fill_color": "#F0F0F0", "align": "left",
                "font": {"size": 10 if ctx.phone else 13},
                "height": 44 if ctx.phone else 30},
        cells={"values": cells,
               "fill_color": [["#FFFFFF"] * len(ta), fill(ta), fill(tb)],
               "align": "left", "font": {"size": 9 if ctx.phone else 11, "color": T.INK},
               "height": 20 if ctx.phone else 84},
    ))
    frame(fig, ctx, title, subtitle(
        "Niveau de chaque liste sur chaque thème et son extrait le plus fort, avec document "
        "et page ; choisissez deux autres listes dans le rapport", ctx),
        plot_height=sum(row_px) + (60 if ctx.phone else 40), legend=False, name=name)
    fig.update_layout(margin={"l": 4, "r": 4} if ctx.phone else {"l": 20, "r": 20})
    data = ta.merge(tb, on=["theme_id", "thème", "axe"], suffixes=("_1", "_2"))
    return FigureSpec(name, title, fig, data, "Dans le rapport, deux menus permettent de "
                      "comparer n'importe quelles deux listes.")


def _wrap_path(text: str, width: int) -> str:
    """A document reference broken into lines of `width` characters (paths have no spaces)."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=True,
                                     break_on_hyphens=False)) or text


def _tint(colour: str, alpha: float = 0.28) -> str:
    """A light tint of a hex colour (cell background that keeps text readable)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - alpha * (255 - v)) for v in (r, g, b)]
    return "#" + "".join(f"{v:02X}" for v in mix)


STATUS_COLOURS = {BOTH: T.FAVORABLE, Q_ONLY: "#E69F00", P_ONLY: "#56B4E9",
                  "aucun": "#F2F2F2", "pas de réponse": T.NOT_ANSWERED}
STATUS_WORDS = {BOTH: "les deux", Q_ONLY: "promis au collectif seulement",
                P_ONLY: "programme seulement", "aucun": "ni l'un ni l'autre",
                "pas de réponse": "pas de réponse au questionnaire"}


def fig09_programme_questionnaire_themes(consistency: pd.DataFrame,
                                         ctx: ChartContext) -> FigureSpec:
    """Per theme and list: programme level vs questionnaire level, and which has it."""
    name = "fig09_programme_questionnaire_themes"
    title = "Thème par thème : promis au collectif, écrit dans le programme, ou les deux ?"
    row_ids, row_labels = _theme_rows(ctx)
    statuses = list(STATUS_COLOURS)
    cells = consistency.set_index(["theme_id", "list_id"])
    z, custom, rows = [], [], []
    fig = go.Figure()
    for r, th in enumerate(row_ids):
        z_row, c_row = [], []
        for c, li in enumerate(ctx.list_ids):
            cell = cells.loc[(th, li)] if (th, li) in cells.index else None
            answered = bool(cell["answered"]) if cell is not None else False
            p_lv = str(cell["programme_level"]) if cell is not None else "absent"
            q_lv = str(cell["questionnaire_level"]) if cell is not None else "absent"
            status = str(cell["status"]) if cell is not None and answered else "pas de réponse"
            z_row.append(statuses.index(status))
            c_row.append([ctx.name(li), row_labels[r], STATUS_WORDS[status],
                          T.LEVEL_WORDS[p_lv], T.LEVEL_WORDS[q_lv] if answered else "—"])
            rows.append({"list_id": li, "liste": ctx.name(li), "theme_id": th,
                         "thème": row_labels[r], "a_repondu": answered,
                         "niveau_programme": T.LEVEL_WORDS[p_lv],
                         "niveau_questionnaire": T.LEVEL_WORDS[q_lv] if answered else "",
                         "statut": STATUS_WORDS[status]})
            if status in (BOTH, Q_ONLY, P_ONLY):
                short = ({BOTH: "P+Q", Q_ONLY: "Q", P_ONLY: "P"} if ctx.phone else
                         {BOTH: "P + Q", Q_ONLY: "Q seul", P_ONLY: "P seul"})[status]
                fig.add_annotation(x=c, y=r, xref="x", yref="y", text=short, showarrow=False,
                                   font={"size": 9 if ctx.phone else 11,
                                         "color": "#FFFFFF" if status == BOTH else T.INK})
        z.append(z_row)
        custom.append(c_row)
    n = len(statuses)
    scale = []
    for i, st in enumerate(statuses):
        scale += [[i / n, STATUS_COLOURS[st]], [(i + 1) / n, STATUS_COLOURS[st]]]
    fig.add_trace(go.Heatmap(
        z=z, x=list(range(len(ctx.list_ids))), y=list(range(len(row_ids))), customdata=custom,
        zmin=-0.5, zmax=n - 0.5, colorscale=scale, showscale=False, xgap=2, ygap=2,
        hovertemplate=("<b>%{customdata[0]}</b> — %{customdata[1]}<br>%{customdata[2]}<br>"
                       "programme : %{customdata[3]}<br>questionnaire : %{customdata[4]}"
                       "<extra></extra>"),
    ))
    for st in statuses:
        fig.add_trace(go.Scatter(
            x=[None], y=[None], mode="markers", name=STATUS_WORDS[st], hoverinfo="skip",
            marker={"symbol": "square", "size": 16, "color": STATUS_COLOURS[st],
                    "line": {"color": "#AAAAAA", "width": 1}}))
    fig.update_xaxes(tickvals=list(range(len(ctx.list_ids))),
                     ticktext=[ctx.wrap_label(ctx.name(li), 15, 14) for li in ctx.list_ids],
                     side="top", showgrid=False, range=[-0.5, len(ctx.list_ids) - 0.5],
                     zeroline=False, tickangle=-90 if ctx.phone else 0,
                     tickfont={"size": 9 if ctx.phone else 12})
    fig.update_yaxes(tickvals=list(range(len(row_ids))),
                     ticktext=[wrap(x, 23) for x in row_labels] if ctx.phone else row_labels,
                     autorange="reversed", showgrid=False, zeroline=False,
                     tickfont={"size": 9} if ctx.phone else None)
    _axis_guides(fig, ctx, row_ids)
    frame(fig, ctx, title, subtitle(
        "P = programme, Q = réponses au questionnaire ; « Q seul » : promis au collectif mais "
        "absent du programme ; le niveau de chaque source est dans le CSV", ctx),
        plot_height=len(row_ids) * _cell_px(ctx), **_matrix_layout(ctx, 50), name=name)
    return FigureSpec(name, title, fig, pd.DataFrame(rows))


def build_all(inputs, phone: bool = False) -> list[FigureSpec]:
    """Every figure of the report, in order, from a ChartInputs (`phone`: drawn for a
    PHONE_WIDTH screen, for the report's narrow layout; the exported files are not)."""
    ctx = dataclasses.replace(inputs.ctx, phone=True) if phone else inputs.ctx
    return [
        fig01_carte_themes(inputs.overall, inputs.evidence, ctx),
        fig02_couverture_axes(inputs.axes, ctx),
        fig03_force_engagements(inputs.overall, ctx),
        fig04_positions(inputs.overall, ctx),
        fig05_questionnaire(inputs.coverage, inputs.responses, inputs.questionnaire_evidence,
                            ctx),
        fig06_coherence(inputs.consistency, ctx),
        fig07_profils(inputs.overall, ctx),
        fig08_deux_listes(inputs.overall, inputs.evidence, ctx, ctx.extra.get("pair")),
        fig09_programme_questionnaire_themes(inputs.consistency, ctx),
    ]
