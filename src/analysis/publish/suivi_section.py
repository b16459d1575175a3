"""The "bilan à mi-mandat" of the report: where the elected list's commitments stand.

Kept apart from the rest of `publish` on purpose (one call from report.py, one include in
rapport.html.j2): reads what the `suivi` stage wrote (suivi_registre.parquet) and the
volunteers' history (data/reviews/suivi_historique.csv), draws the chart of statuses per
axis and per year with the project's plotly template (figures/fig10_suivi_statuts.* with its
CSV, demo notice included) and returns what the template shows: computed sentences, the
change since the end of the previous year, the table of commitments with their latest
status and evidence, and links to the CSV files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup
from plotly.subplots import make_subplots

from analysis.common.text import format_date_fr
from analysis.config import Config
from analysis.publish.figure_files import export_figures, stem
from analysis.publish.figures import FigureSpec
from analysis.publish.template import TOOL, ChartContext, frame
from analysis.publish.wording import plural, verb
from analysis.suivi import history as H
from analysis.suivi.settings import Mandate, is_configured, load_mandate
from analysis.suivi.stage import latest_csv_path
from analysis.suivi.statuses import COLOURS, NOT_STARTED, STATUSES, label
from analysis.suivi.store import load_history

FIGURE = "fig10_suivi_statuts"


@dataclass
class SuiviContext(ChartContext):
    """The chart frame, with a source line naming the volunteers' observations."""

    n_observations: int = 0

    def source_parts(self, fig_id: str = "", list_id: str | None = None) -> list[str]:
        """The charts' citable source (collective, date of the data, tool and version,
        figure id, production date) naming the volunteers' observations."""
        parts = super().source_parts(fig_id, list_id)[:-1]       # no passages counted here
        parts[2] = (f"{TOOL} v{self.version}, engagements relevés dans le programme et le "
                    f"questionnaire, statuts observés par les bénévoles ("
                    f"{plural(self.n_observations, 'observation datée', 'observations datées')})")
        return parts


def status_figure(by_year: pd.DataFrame, ctx: SuiviContext, mandate: Mandate) -> FigureSpec:
    """Stacked bars: per axis (one panel each) and year, commitments by status on 31 Dec."""
    title = f"Les engagements de {mandate.list.name} : où en est-on ?"
    axes = list(dict.fromkeys(by_year["axis"]))
    labels = dict(zip(by_year["axis"], by_year["axis_label"], strict=False))
    totals = by_year.groupby("axis")["n_engagements"].sum() / max(by_year["year"].nunique(), 1)
    fig = make_subplots(rows=1, cols=max(len(axes), 1), shared_yaxes=True,
                        horizontal_spacing=0.05,
                        subplot_titles=[f"<b>{ctx.wrap_label(labels[a], 30, 14)}</b><br>"
                                        f"({int(totals[a])} engagements)" for a in axes])
    if ctx.phone:
        fig.update_annotations(font={"size": 10})
    for col, axis in enumerate(axes, start=1):
        mine = by_year[by_year["axis"] == axis]
        for sid in STATUSES:
            part = mine[mine["status"] == sid]
            fig.add_trace(go.Bar(
                x=[str(y) for y in part["year"]], y=part["n_engagements"], name=label(sid),
                marker={"color": COLOURS[sid]}, legendgroup=sid, showlegend=col == 1,
                text=[str(n) if n else "" for n in part["n_engagements"]],
                textposition="inside",
                hovertemplate=(f"<b>{label(sid)}</b><br>fin %{{x}} — engagements : %{{y}}"
                               f"<extra>{labels[axis]}</extra>"),
            ), row=1, col=col)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="engagements", row=1, col=1)
    fig.update_xaxes(type="category", title_text="statut au 31 décembre")
    years = sorted(by_year["year"].unique())
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]) if years else ""
    frame(fig, ctx, title,
          f"Statut de chaque engagement de solidarité à la fin de chaque année ({span}), par "
          f"axe ; « pas commencé » : aucune observation encore<br>Mandat "
          f"{mandate.start.year}–{mandate.end.year} · {ctx.election} · observations des "
          f"bénévoles", plot_height=320 if ctx.phone else 420, header=60, name=FIGURE)
    data = by_year.rename(columns={"axis_label": "axe", "year": "annee",
                                   "status_label": "statut", "n_engagements": "engagements"})
    return FigureSpec(FIGURE, title, fig, data[["axe", "annee", "statut", "engagements"]],
                      "Chaque engagement compte une fois par année, avec le dernier statut "
                      "observé au 31 décembre (la date et la preuve sont dans le tableau).")


def _counts(statuses: pd.Series) -> dict[str, int]:
    return {sid: int((statuses == sid).sum()) for sid in STATUSES}


def _phrase(counts: dict[str, int]) -> str:
    parts = [f"{counts[s]} {label(s).lower()}" for s in STATUSES if counts[s] and s != NOT_STARTED]
    if counts[NOT_STARTED]:
        parts.append(f"{plural(counts[NOT_STARTED], 'pas commencé', 'pas commencés')} ou "
                     f"sans nouvelles")
    return ", ".join(parts) or "aucun"


def sentences(register: pd.DataFrame, hist: pd.DataFrame, mandate: Mandate,
              axes: dict[str, str]) -> tuple[list[str], str]:
    """(computed sentences, date of the latest observation in words)."""
    known = H.known(hist, register)
    last_day = max(known["observed_on"]) if len(known) else ""
    when = format_date_fr(dt.date.fromisoformat(last_day)) if last_day else ""
    now = H.status_at(register, hist, last_day or "9999-12-31")
    n = len(register)
    n_concret = int((register["strength"] == "concret").sum())
    out = [f"{mandate.list.name} a pris {n} engagements de solidarité (dont {n_concret} "
           f"concrets) dans son programme et ses réponses au questionnaire."]
    if not len(known):
        out.append("Aucune observation importée pour l'instant : tous les engagements sont "
                   "« pas commencé » en attendant les registres des bénévoles.")
        return out, when
    out.append(f"Au {when}, d'après les observations des bénévoles : {_phrase(_counts(now))}.")
    for axis, axis_label in axes.items():
        mine = register["axis"] == axis
        if mine.any():
            c = _counts(now[mine.to_numpy()])
            extra = "".join(f", {plural(c[s], word, words)}{tail}"
                            for s, word, words, tail in (
                                ("contraire", "contraire", "contraires", " à l’engagement"),
                                ("abandonne", "abandonné", "abandonnés", "")) if c[s])
            out.append(f"{axis_label} : {plural(c['realise'], 'réalisé', 'réalisés')} sur "
                       f"{int(mine.sum())}{extra}.")
    year = int(last_day[:4])
    if year > mandate.start.year:
        before = _counts(H.status_at(register, hist, f"{year - 1}-12-31"))
        after = _counts(now)
        moves = [f"{after[s] - before[s]:+d} {label(s).lower()}" for s in STATUSES
                 if s != NOT_STARTED and after[s] != before[s]]
        if moves:
            out.append(f"Depuis fin {year - 1} : " + ", ".join(moves) + ".")
    changed = known.groupby("commitment_id")["status"].nunique()
    if (changed > 1).any():
        n_changed = int((changed > 1).sum())
        out.append(f"{plural(n_changed, 'engagement')} {verb(n_changed, 'a', 'ont')} changé "
                   f"de statut au cours du mandat\u202f; l'historique garde chaque observation "
                   f"avec sa date.")
    return out, when


def _rel(path: Path, cfg: Config) -> str:
    return Path(os.path.relpath(path, cfg.reports)).as_posix()


def mandate_section(cfg: Config) -> dict | None:
    """What the report's "bilan à mi-mandat" shows; None when no elected list is set."""
    if not is_configured(cfg):
        return None
    mandate = load_mandate(cfg)
    base = {"list_name": mandate.list.name, "start": format_date_fr(mandate.start),
            "midterm": format_date_fr(mandate.midterm), "end": format_date_fr(mandate.end)}
    path = cfg.suivi_register_path
    register = pd.read_parquet(path) if path.is_file() else None
    if register is None or (len(register) and set(register["list_id"]) != {mandate.list.id}):
        return base | {"missing": True}
    hist = load_history(cfg.suivi_history_path)
    known = H.known(hist, register)
    axes = cfg.codebook.axes
    years = H.observed_years(known, mandate.start.year, mandate.end.year)
    by_year = H.status_by_year(register, hist, axes, years)
    ctx = SuiviContext.from_config(cfg, cfg.codebook, [mandate.list.id])
    ctx = SuiviContext(**{**ctx.__dict__, "n_observations": len(known)})
    spec = status_figure(by_year, ctx, mandate)
    phone_spec = status_figure(by_year, dataclasses.replace(ctx, phone=True), mandate)
    export_figures([spec], cfg.figures_dir, cfg.demo_notice)
    div = spec.fig.to_html(full_html=False, include_plotlyjs=False, div_id=spec.name,
                           config={"displaylogo": False},
                           default_width=f"{spec.fig.layout.width}px",
                           default_height=f"{spec.fig.layout.height}px")
    fig_base = cfg.figures_dir / stem(spec.name, cfg.demo)
    files = [(ext.upper(), _rel(fig_base.with_suffix(f".{ext}"), cfg))
             for ext in ("png", "svg", "csv", "html") if fig_base.with_suffix(f".{ext}").is_file()]
    latest = H.latest_table(register, hist)
    text, when = sentences(register, hist, mandate, axes)
    table_csv = latest_csv_path(cfg, mandate)
    conflicts = H.conflicts(known)
    return base | {
        "missing": False, "when": when, "sentences": text, "n": len(register),
        "figure": {"div": Markup(div), "caption": spec.caption, "files": files,
                   "spec": spec, "phone_spec": phone_spec, "ctx": ctx},
        "rows": latest.to_dict("records"),
        "table_csv": _rel(table_csv, cfg) if table_csv.is_file() else "",
        "n_conflicts": len(conflicts), "n_orphans": len(H.orphans(hist, register)),
    }
