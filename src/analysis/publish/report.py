"""`reports/rapport.html`: the self-contained French report (opens offline).

Key findings per axis (computed sentences), every chart (plotly.js embedded once in the
head, figures as divs), the strongest evidence per list and theme with document and page,
the method (templates/methode.md), the tagger's measured accuracy and the reviewers'
agreement when their metrics files exist, the limits, and the demo banner on demo data.
"""

from __future__ import annotations

import base64
import html
import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analysis.common.progress import summary
from analysis.config import TEMPLATES_DIR, Config
from analysis.coverage.compute import method_text
from analysis.publish import template as T
from analysis.publish.figure_files import stem
from analysis.publish.figures import FigureSpec, build_all, pair_table
from analysis.publish.findings import key_findings
from analysis.publish.inputs import ChartInputs, load_inputs
from analysis.publish.markdown import markdown_to_html, split_limits
from analysis.publish.metrics import agreement_section, evaluation_section
from analysis.publish.sections import documents_table, list_evidence, unread_documents
from analysis.publish.sheets import build_list_sheets
from analysis.publish.suivi_section import mandate_section
from analysis.publish.wording import date_fr, fmt_int, fr_pct, nbsp, plural

# Optional report sections (a clean hook for other stages, e.g. a mandate follow-up):
# each module named here exposes `report_section(cfg, inputs) -> ReportSection | None`;
# the report shows every non-None section, in this order, after the evidence.
SECTION_MODULES: list[str] = []


@dataclass
class ReportSection:
    """One optional section: anchor id, French title, trusted HTML body."""

    id: str
    title: str
    html: str


def optional_sections(cfg: Config, inputs: ChartInputs,
                      modules: list[str] | None = None) -> list[ReportSection]:
    """The optional sections that have something to show (a failing one is said, not fatal)."""
    out = []
    for name in SECTION_MODULES if modules is None else modules:
        try:
            section = importlib.import_module(name).report_section(cfg, inputs)
        except Exception as exc:  # one section never stops the report
            section = ReportSection(
                id=name.rsplit(".", 1)[-1], title=f"Section {name} non disponible",
                html=f"<p>Cette section n'a pas pu être produite : "
                     f"{html.escape(type(exc).__name__)} : {html.escape(str(exc))}.</p>")
        if section is not None:
            out.append(section)
    return out


def report_figure(spec: FigureSpec, ctx) -> go.Figure:
    """The chart as the report shows it: width follows the page, title, subtitle and source
    line in HTML around it (they wrap on a phone), room for a legend on two lines (a phone
    figure has counted its legend's rows already)."""
    fig = go.Figure(spec.fig)
    lay = fig.layout
    phone = (lay.width or T.WIDTH) <= T.PHONE_WIDTH
    top = (56 if ctx.demo else 18) + T.TITLE_PX
    bottom = 60 if phone else 70
    fig.layout.annotations = [
        a for a in lay.annotations
        if not str(a.text or "").startswith(("<b>⚠", "Source"))
    ]
    extra = 30 if lay.showlegend and not phone else 0
    t = lay.margin.t - top + extra
    height = lay.height - top + extra - (lay.margin.b - bottom)
    fig.layout.template.layout.width = None          # the width follows the page
    fig.update_layout(title=None, width=None, autosize=True, height=height,
                      margin={"t": t, "b": bottom})
    if lay.showlegend:
        fig.update_layout(legend={"y": 1, "yref": "container", "yanchor": "top"})
    return fig


def _static_uri(base: Path) -> str:
    """The exported SVG as a data URI (the printed chart: scaled to the page, self-contained)."""
    svg = base.with_suffix(".svg")
    if not svg.is_file() or not svg.stat().st_size:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.read_bytes()).decode()


def _json(fig: go.Figure) -> str:
    return pio.to_json(fig, validate=False, pretty=False)


def chart_div(name: str, wide: go.Figure, phone: go.Figure | None = None) -> str:
    """An empty chart div and its figures as JSON: the page's script draws the `wide` one,
    or the `phone` one when the chart's frame is narrower than T.PHONE_BREAK px (and
    redraws on a resize), so that no chart scrolls sideways on a phone."""
    variants = f'{{"wide":{_json(wide)},"phone":{_json(phone or wide)}}}'
    variants = variants.replace("</", "<\\/")
    height = int(wide.layout.height or 500)
    return (f'<div id="{name}" class="plotly-graph-div chart" data-spec="spec-{name}" '
            f'style="height:{height}px; width:100%;"></div>\n'
            f'<script type="application/json" id="spec-{name}">{variants}</script>')


def figure_blocks(specs: list[FigureSpec], cfg: Config, ctx=None,
                  phone_specs: list[FigureSpec] | None = None) -> list[dict]:
    """Figure divs (no plotly.js: it is in the head once) with their phone variant, their
    title, subtitle and source line in HTML, the SVG for printing, and relative links to
    the exported files."""
    phones = {s.name: s for s in phone_specs or []}
    blocks = []
    for spec in specs:
        fig = report_figure(spec, ctx) if ctx is not None else spec.fig
        phone = phones.get(spec.name)
        div = chart_div(spec.name, fig, report_figure(phone, ctx)
                        if phone is not None and ctx is not None else None)
        base = cfg.figures_dir / stem(spec.name, cfg.demo)
        files = []
        for ext in ("png", "svg", "csv", "html"):
            path = base.with_suffix(f".{ext}")
            if path.is_file():
                files.append((ext.upper(), Path(os.path.relpath(path, cfg.reports)).as_posix()))
        sub = str(spec.fig.layout.title.subtitle.text or "")
        blocks.append({
            "name": spec.name, "div": Markup(div), "caption": spec.caption or "",
            "files": files, "title": spec.title,
            "subtitle": Markup(sub),
            "source": ctx.source_line(T.figure_id(spec.name)) if ctx is not None else "",
            "static": _static_uri(base),
        })
    return blocks


def compare_data(inputs: ChartInputs) -> str:
    """JSON for the two-lists picker: every list's level and best quote per theme."""
    table = pair_table(inputs.overall, inputs.evidence, inputs.ctx)
    cols = ["list_id", "theme_id", "thème", "axe", "niveau_code", "niveau", "extrait",
            "document"]
    data = {"lists": [{"id": li, "name": inputs.ctx.name(li)} for li in inputs.ctx.list_ids],
            "rows": table[cols].to_dict("records"), "colours": T.LEVEL_COLOURS}
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _french(section: dict | None) -> dict | None:
    """A metrics section with its sentences in French typography (no-break spaces)."""
    if section:
        section["sentences"] = [nbsp(x) for x in section["sentences"]]
        for table in section.get("tables", []):
            table["rows"] = [[nbsp(v) if isinstance(v, str) else v for v in row]
                             for row in table["rows"]]
    return section


def _suivi(cfg: Config, ctx) -> dict | None:
    """The mandate section, its chart embedded like the others (phone variant, print SVG)."""
    section = mandate_section(cfg)
    if section and section.get("figure"):
        spec, phone = section["figure"]["spec"], section["figure"]["phone_spec"]
        block = figure_blocks([spec], cfg, section["figure"].get("ctx") or ctx, [phone])[0]
        section["figure"] = {**section["figure"], **block}
    return section


def render_report(inputs: ChartInputs, specs: list[FigureSpec], cfg: Config) -> str:
    """The whole report as one HTML string (each chart also drawn for a phone)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["html", "j2"]))
    ctx, p = inputs.ctx, inputs.passages
    codebook = inputs.ctx.codebook
    method, limits = split_limits(method_text())
    has_report, unread = unread_documents(cfg)
    review = ctx.review
    return env.get_template("rapport.html.j2").render(
        title=f"Baromètre solidarité — {cfg.commune}",
        demo=cfg.demo, demo_notice=cfg.demo_notice, collective=cfg.collective.get("name", ""),
        election=ctx.election, data_date=ctx.data_date_fr,
        generated=date_fr(ctx.produced), version=ctx.version,
        n_lists=plural(len(ctx.list_ids), "liste"),
        n_passages=plural(p["passage_id"].nunique(), "passage analysé", "passages analysés"),
        n_prog=fmt_int((p["source"] == "programme").sum()),
        n_quest=fmt_int((p["source"] == "questionnaire").sum()),
        review_line=nbsp(f"{review.phrase()} : {review.detail()}"),
        review_lists=[{"name": ctx.name(li), "share": review.share_text(li),
                       "detail": review.detail(li), "ok": review.is_reviewed(li)}
                      for li in ctx.list_ids],
        review_threshold=fr_pct(review.threshold),
        codebook_file=codebook.path.name, codebook_version=codebook.version,
        n_themes=len(codebook.theme_ids), n_axes=len(codebook.axes),
        findings=key_findings(inputs),
        figures=figure_blocks(specs, cfg, ctx, build_all(inputs, phone=True)),
        documents=documents_table(inputs, cfg), unread=unread, ingest_report=has_report,
        evidence=list_evidence(inputs), levels=[(T.LEVEL_WORDS[lv], T.LEVEL_COLOURS[lv])
                                                for lv in T.LEVEL_ORDER],
        method_html=Markup(nbsp(markdown_to_html(method))),
        limits_html=Markup(nbsp(markdown_to_html(limits))),
        evaluation=_french(evaluation_section(cfg, codebook)),
        agreement=_french(agreement_section(cfg, codebook)),
        sections=[{"id": x.id, "title": x.title, "html": Markup(x.html)}
                  for x in optional_sections(cfg, inputs)],
        compare=Markup(compare_data(inputs)),
        source=ctx.source_line("rapport.html"),
        suivi=_suivi(cfg, ctx),
        plotlyjs=Markup(get_plotlyjs()), phone_break=T.PHONE_BREAK,
    )


def build_report(
    cfg: Config, sheets: bool = True,
    inputs: ChartInputs | None = None, specs: list[FigureSpec] | None = None,
) -> Path:
    """Write reports/rapport.html from the processed tables; return its path.

    `inputs` and `specs` are reused when given (see `publish`), else loaded and built.
    """
    inputs = inputs if inputs is not None else load_inputs(cfg)
    specs = specs if specs is not None else build_all(inputs)
    cfg.reports.mkdir(parents=True, exist_ok=True)
    path = cfg.report_path
    path.write_text(render_report(inputs, specs, cfg), encoding="utf-8")
    size = path.stat().st_size / 1e6
    text = (f"{len(specs)} graphiques, {len(inputs.ctx.list_ids)} listes -> {path} "
            f"({size:.1f} Mo, s'ouvre sans réseau)")
    if sheets:
        files, warning = build_list_sheets(cfg, inputs)
        n_pdf = sum(p.suffix == ".pdf" for p in files)
        text += f" ; {n_pdf} fiches PDF par liste -> {cfg.sheets_dir}"
        if warning:
            text += f" ; {warning}"
    if cfg.demo:
        text += " ; données fictives de démonstration"
    summary("report", text)
    return path
