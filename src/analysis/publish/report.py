"""`reports/rapport.html`: the self-contained French report (opens offline).

Key findings per axis (computed sentences), every chart (plotly.js embedded once in the
head, figures as divs), the strongest evidence per list and theme with document and page,
the method (templates/methode.md), the tagger's measured accuracy and the reviewers'
agreement when their metrics files exist, the limits, and the demo banner on demo data.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analysis.common.progress import summary
from analysis.common.text import format_date_fr
from analysis.config import TEMPLATES_DIR, Config
from analysis.coverage.compute import method_text
from analysis.publish.figure_files import stem
from analysis.publish.figures import FigureSpec, build_all
from analysis.publish.findings import key_findings
from analysis.publish.inputs import ChartInputs, load_inputs
from analysis.publish.markdown import markdown_to_html, split_limits
from analysis.publish.metrics import agreement_section, evaluation_section
from analysis.publish.sections import documents_table, list_evidence, unread_documents
from analysis.publish.sheets import build_list_sheets
from analysis.publish.suivi_section import mandate_section
from analysis.publish.template import fmt_int


def figure_blocks(specs: list[FigureSpec], cfg: Config) -> list[dict]:
    """Figure divs (no plotly.js: it is in the head once) with links to the exported files."""
    blocks = []
    for spec in specs:
        div = spec.fig.to_html(
            full_html=False, include_plotlyjs=False, div_id=spec.name,
            config={"displaylogo": False}, default_width=f"{spec.fig.layout.width}px",
            default_height=f"{spec.fig.layout.height}px",
        )
        base = cfg.figures_dir / stem(spec.name, cfg.demo)
        files = []
        for ext in ("png", "svg", "csv", "html"):
            path = base.with_suffix(f".{ext}")
            if path.is_file():
                files.append((ext.upper(), Path(os.path.relpath(path, cfg.reports)).as_posix()))
        blocks.append({"name": spec.name, "div": Markup(div), "caption": spec.caption or "",
                       "files": files})
    return blocks


def render_report(inputs: ChartInputs, specs: list[FigureSpec], cfg: Config) -> str:
    """The whole report as one HTML string."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["html", "j2"]))
    ctx, p = inputs.ctx, inputs.passages
    codebook = inputs.ctx.codebook
    method, limits = split_limits(method_text())
    has_report, unread = unread_documents(cfg)
    return env.get_template("rapport.html.j2").render(
        title=f"Baromètre solidarité — {cfg.commune}",
        demo=cfg.demo, demo_notice=cfg.demo_notice, collective=cfg.collective.get("name", ""),
        election=ctx.election, data_date=ctx.data_date_fr,
        generated=format_date_fr(dt.date.today()),
        n_lists=len(ctx.list_ids), n_passages=fmt_int(p["passage_id"].nunique()),
        n_prog=fmt_int((p["source"] == "programme").sum()),
        n_quest=fmt_int((p["source"] == "questionnaire").sum()),
        n_reviewed=fmt_int(ctx.n_reviewed), codebook_name=codebook.name,
        codebook_version=codebook.version, n_themes=len(codebook.theme_ids),
        findings=key_findings(inputs), figures=figure_blocks(specs, cfg),
        documents=documents_table(inputs, cfg), unread=unread, ingest_report=has_report,
        evidence=list_evidence(inputs),
        method_html=Markup(markdown_to_html(method)),
        limits_html=Markup(markdown_to_html(limits)),
        evaluation=evaluation_section(cfg, codebook),
        agreement=agreement_section(cfg, codebook),
        suivi=mandate_section(cfg),
        plotlyjs=Markup(get_plotlyjs()),
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
