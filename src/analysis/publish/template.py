"""The one plotly template of the project, and the frame every chart gets.

Frame = French title + subtitle (what, which lists, date of the data), a source line naming
the collective and the method with the number of passages, and on demo data a visible banner
and watermark "Données fictives de démonstration" (annotations, so they are in PNG and SVG).
Colours are colour-blind safe: Okabe-Ito for categories, ColorBrewer Blues for the levels of
commitment, vermillion for restrictive positions (blue and orange never collide for
colour-blind readers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import metadata

import plotly.graph_objects as go
import plotly.io as pio

from analysis.codebook import Codebook
from analysis.coverage.compute import LEVEL_LABELS, LEVEL_SHORT
from analysis.publish.review_status import ReviewStatus
from analysis.publish.wording import (  # noqa: F401 (fmt_int re-exported)
    date_fr,
    fmt_int,
    fr_pct,
    nbsp,
    plural,
)

NAME = "barometre"


def _tool_version() -> str:
    """The installed package's version (pyproject.toml), for the citable source line."""
    try:
        return metadata.version(DIST)
    except metadata.PackageNotFoundError:
        return "dev"


DIST = "barometre-solidarite"
WIDTH = 1200
FONT = "'DejaVu Sans', Verdana, Arial, sans-serif"
INK = "#222222"
MUTED = "#666666"
GRID = "#E3E3E3"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000"]
SCORE_COLOURS = {0: "#F2F2F2", 1: "#C6DBEF", 2: "#6BAED6", 3: "#08519C"}
STANCE_LABELS = {"favorable": "favorable", "neutre": "neutre", "restrictif": "restrictif"}
FAVORABLE = "#0072B2"
RESTRICTIVE = "#D55E00"
NEUTRAL = "#999999"
NOT_ANSWERED = "#BBBBBB"
TOOL = "Baromètre solidarité"
# `coverage.level`: one colour per level, the same in every chart (restrictive in its own
# colour, mixed in reddish purple, never a shade of the commitment blues)
LEVEL_ORDER = ("concret", "general", "mention", "mixte", "restrictif", "absent")
LEVEL_COLOURS = {"concret": "#08519C", "general": "#6BAED6", "mention": "#C6DBEF",
                 "mixte": "#CC79A7", "restrictif": "#D55E00", "absent": "#F2F2F2"}
LEVEL_TEXT = {"concret": "#FFFFFF", "general": INK, "mention": INK, "mixte": "#FFFFFF",
              "restrictif": "#FFFFFF", "absent": MUTED}
LEVEL_WORDS = LEVEL_LABELS
LEVEL_CELL = LEVEL_SHORT
MARGIN = {"l": 40, "r": 40, "t": 150, "b": 130}
CHAR_PX = 8.0           # average width of a 13 px DejaVu Sans character (label margins)
# phones (the report's charts below PHONE_BREAK px): the same figures drawn for a 360 px
# screen by the same functions (`ChartContext.phone`): smaller type, wrapped labels,
# panels stacked, so that nothing scrolls sideways nor falls outside the chart
PHONE_WIDTH = 360
PHONE_BREAK = 900
PHONE_FONT = 10
PHONE_CHAR_PX = 6.3     # average width of a 10 px DejaVu Sans character
PHONE_MARGIN = {"l": 8, "r": 8}
TITLE_PX = 100          # title + two-line subtitle
LEGEND_PX = 40
DEMO_BG = "#FFF1D6"


def _template() -> go.layout.Template:
    axis = {
        "gridcolor": GRID, "zerolinecolor": "#BBBBBB", "linecolor": "#BBBBBB",
        "ticks": "", "title": {"font": {"size": 14, "color": INK}},
        "tickfont": {"size": 13, "color": INK}, "automargin": True,
    }
    return go.layout.Template(layout={
        "font": {"family": FONT, "size": 13, "color": INK},
        "separators": ", ",              # French: decimal comma, space for thousands
        "colorway": OKABE_ITO,
        "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF",
        "title": {"x": 0.0, "xref": "container", "xanchor": "left", "pad": {"l": 20},
                  "font": {"size": 22, "color": INK},
                  "subtitle": {"font": {"size": 14, "color": MUTED}}},
        # fixed vertical margins (the frame places title, legend and source line in them);
        # only the width adapts to long labels
        "xaxis": {**axis, "automargin": False}, "yaxis": {**axis, "automargin": "width"},
        "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0,
                   "yanchor": "bottom", "font": {"size": 13}, "title": {"text": ""}},
        "hoverlabel": {"font": {"family": FONT, "size": 13}, "align": "left"},
        "margin": MARGIN, "width": WIDTH,
    })


def register() -> str:
    """Register the template under NAME (idempotent) and return its name."""
    pio.templates[NAME] = _template()
    return NAME


register()


@dataclass
class ChartContext:
    """What every chart needs to know besides its table: lists, themes, date, demo flag."""

    list_ids: list[str]
    list_names: dict[str, str]
    list_colours: dict[str, str]
    codebook: Codebook
    collective: str
    data_date_fr: str
    demo_notice: str = ""
    n_passages: int = 0
    n_reviewed: int = 0
    election: str = ""
    extra: dict = field(default_factory=dict)
    review: ReviewStatus = field(default_factory=ReviewStatus)
    collective_name: str = ""
    version: str = field(default_factory=lambda: _tool_version())
    produced: dt.date = field(default_factory=dt.date.today)
    phone: bool = False             # draw for a phone screen (PHONE_WIDTH)

    @property
    def width(self) -> int:
        return PHONE_WIDTH if self.phone else WIDTH

    def wrap_label(self, text: str, desktop: int, phone: int) -> str:
        """A label wrapped for the screen drawn (`phone` characters per line on a phone)."""
        return wrap(text, phone if self.phone else desktop)

    @classmethod
    def from_config(cls, cfg, codebook: Codebook, list_ids: list[str], n_passages: int = 0,
                    n_reviewed: int = 0, review: ReviewStatus | None = None) -> ChartContext:
        return cls(
            review=review or ReviewStatus(threshold=cfg.review_threshold),
            collective_name=cfg.collective.get("name") or cfg.collective.get("short") or "",
            list_ids=list(list_ids),
            list_names={li: cfg.list_name(li) for li in list_ids},
            list_colours={li: cfg.list_colours().get(li, NEUTRAL) for li in list_ids},
            codebook=codebook,
            collective=cfg.collective.get("short") or cfg.collective.get("name") or "",
            data_date_fr=cfg.data_date_fr,
            demo_notice=cfg.demo_notice,
            n_passages=n_passages,
            n_reviewed=n_reviewed,
            election=str(cfg.election.get("name", "")),
        )

    @property
    def demo(self) -> bool:
        return bool(self.demo_notice)

    def name(self, list_id: str) -> str:
        return self.list_names.get(list_id, list_id)

    def colour(self, list_id: str) -> str:
        return self.list_colours.get(list_id, NEUTRAL)

    def label(self, theme_id: str) -> str:
        return self.codebook.label_of(theme_id)

    def axis_name(self, axis: str) -> str:
        """'Axe 1 · Partenariat avec les associations' (never confused with a theme label)."""
        ids = list(self.codebook.axes)
        number = ids.index(axis) + 1 if axis in ids else 0
        return f"Axe {number} · {self.codebook.axes.get(axis, axis)}"

    def lists_phrase(self) -> str:
        return plural(len(self.list_ids), "liste")

    def source_parts(self, fig_id: str = "", list_id: str | None = None) -> list[str]:
        """The citable source: collective, date of the data, tool and version, review
        status, figure id, production date, passages (each part stands alone)."""
        parts = [f"Source : {self.collective_name or self.collective}",
                 f"documents reçus au {self.data_date_fr}",
                 f"{TOOL} v{self.version}, {self.review.phrase(list_id)}"]
        if fig_id:
            parts.append(fig_id)
        parts += [f"produit le {date_fr(self.produced)}",
                  plural(self.n_passages, "passage analysé", "passages analysés")]
        return parts

    def source_line(self, fig_id: str = "", list_id: str | None = None,
                    html_break: bool = False) -> str:
        """The source parts joined by ' · ' (on two lines in a chart with html_break)."""
        parts = [nbsp(p) for p in self.source_parts(fig_id, list_id)]
        if html_break:
            return "<br>".join([" · ".join(parts[:2]), parts[2], " · ".join(parts[3:])])
        return " · ".join(parts)


fmt_pct = fr_pct


def wrap(text: str, width: int = 18) -> str:
    """Break a label into lines of about `width` characters with <br>."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def left_margin(fig: go.Figure, char_px: float = CHAR_PX) -> int:
    """Left margin that fits the longest y label (tick texts or a bar chart's categories),
    so that the source line and the banner can start at the figure's left edge."""
    labels: list[str] = []
    for key in fig.layout:
        if key.startswith("yaxis") and fig.layout[key].ticktext:
            labels += [str(x) for x in fig.layout[key].ticktext]
    for trace in fig.data:
        ys = getattr(trace, "y", None)
        if ys is not None and trace.type in ("bar", "scatter"):
            labels += [y for y in ys if isinstance(y, str)]
    if not labels:
        return MARGIN["l"]
    longest = max(len(line) for label in labels for line in label.split("<br>"))
    return int(longest * char_px) + (16 if char_px < CHAR_PX else 30)


def legend_height(fig: go.Figure, width: int) -> int:
    """Pixels a horizontal legend needs on a phone, its entries wrapped into rows."""
    names = [str(t.name) for t in fig.data
             if t.name and t.showlegend is not False]
    rows, used = 1 if names else 0, 0
    for name in names:
        entry = 40 + len(name) * PHONE_CHAR_PX
        if used and used + entry > width - 16:
            rows, used = rows + 1, 0
        used += entry
    return rows * 20 + 6


def figure_id(name: str) -> str:
    """'fig01_carte_themes' -> 'fig. 01 (fig01_carte_themes)'."""
    number = name[3:5] if name.startswith("fig") and name[3:5].isdigit() else ""
    return f"fig. {number} ({name})" if number else name


def frame(fig: go.Figure, ctx: ChartContext, title: str, subtitle: str, plot_height: int,
          header: int = 0, legend: bool = True, margin: dict | None = None,
          name: str = "") -> go.Figure:
    """Apply the template, title, subtitle, legend place, source line and demo notice.

    Top margin, from the top: demo banner (on demo data), title, two-line subtitle, legend
    (if `legend`), then `header` pixels for labels drawn above the plot (e.g. column names).
    """
    top = 56 if ctx.demo else 18
    width = ctx.width
    m = {**MARGIN, **(PHONE_MARGIN if ctx.phone else {}), **(margin or {})}
    if ctx.phone:
        m["l"] = max(m["l"], left_margin(fig, PHONE_CHAR_PX))
        # plotly wraps a horizontal legend at the plot area's width
        legend_px = legend_height(fig, width - m["l"] - m["r"]) if legend else 0
    else:
        m["l"] = max(m["l"], left_margin(fig))
        legend_px = LEGEND_PX if legend else 0
    m["t"] = top + TITLE_PX + legend_px + header
    height = m["t"] + plot_height + m["b"]
    fig.update_layout(
        template=NAME, height=height, width=width, margin=m, showlegend=legend,
        title={"text": f"<b>{nbsp(title)}</b>", "subtitle": {"text": nbsp(subtitle)},
               "yref": "container", "y": 1 - top / height, "yanchor": "top"},
    )
    if ctx.phone:
        fig.update_layout(font={"size": PHONE_FONT}, legend={"font": {"size": PHONE_FONT}},
                          hoverlabel={"font": {"size": 11}})
        for key in list(fig.layout):         # the template's 13-14 px axis text, smaller
            if key.startswith(("xaxis", "yaxis")):
                axis = fig.layout[key]
                if not axis.tickfont.size or axis.tickfont.size > PHONE_FONT:
                    axis.tickfont.size = PHONE_FONT
                axis.title.font.size = PHONE_FONT + 1
    if legend:
        fig.update_layout(legend={
            "yref": "container", "y": 1 - (top + TITLE_PX) / height, "yanchor": "top",
            "xref": "container", "x": 0.015, "xanchor": "left", "traceorder": "normal",
        })
    plot_h = max(plot_height, 1)
    plot_w = max(width - m["l"] - m["r"], 1)
    left = -(m["l"] - 20) / plot_w       # the source line starts at the figure's left edge
    fig.add_annotation(
        text=ctx.source_line(figure_id(name), html_break=True), xref="paper", yref="paper",
        x=left, xanchor="left",
        y=-(m["b"] - 10) / plot_h, yanchor="bottom", showarrow=False,
        font={"size": 12, "color": MUTED}, align="left",
    )
    if ctx.demo:
        fig.add_annotation(
            text=f"<b>⚠ {ctx.demo_notice}</b> — listes, programmes et réponses inventés",
            xref="paper", yref="paper", x=left, xanchor="left",
            y=1 + (m["t"] - 12) / plot_h, yanchor="top", showarrow=False,
            font={"size": 14, "color": "#7A3E00"}, bgcolor=DEMO_BG,
            bordercolor=RESTRICTIVE, borderwidth=1, borderpad=5,
        )
        fig.add_annotation(
            text=ctx.demo_notice, xref="paper", yref="paper", x=0.5, y=0.5,
            showarrow=False, textangle=-25, opacity=0.08,
            font={"size": 24 if ctx.phone else 64, "color": "#000000"},
        )
    return fig


def subtitle(what: str, ctx: ChartContext) -> str:
    """'<what>' then, on a second line, election, number of lists and date of the data."""
    parts = [ctx.lists_phrase(), f"documents reçus au {ctx.data_date_fr}"]
    if ctx.election:
        parts.insert(0, ctx.election)
    return nbsp(f"{what}<br>{' · '.join(parts)}")
