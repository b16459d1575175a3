"""Stage `publish` (`python -m analysis charts`): the charts for the press and the report.

coverage.parquet, passages, tags, questionnaire responses (and the metrics files when they
exist) -> reports/figures/figNN_<name>.{html,png,svg,csv}, reports/rapport.html and
reports/fiches/, from one load of the tables and one build of the figures.
"""

from __future__ import annotations

from pathlib import Path

from analysis.common.progress import summary
from analysis.config import Config
from analysis.publish.figure_files import export_figures
from analysis.publish.figures import FigureSpec, build_all
from analysis.publish.inputs import ChartInputs, load_inputs
from analysis.publish.report import build_report


def run_charts(
    cfg: Config, static: bool = True,
    inputs: ChartInputs | None = None, specs: list[FigureSpec] | None = None,
) -> list[Path]:
    """Build and write every figure; return the files written (reuses `inputs`/`specs`)."""
    inputs = inputs if inputs is not None else load_inputs(cfg)
    specs = specs if specs is not None else build_all(inputs)
    result = export_figures(specs, cfg.figures_dir, cfg.demo_notice, static=static)
    text = (
        f"{len(specs)} graphiques, {len(result.written)} fichiers -> {cfg.figures_dir} "
        f"(images : {result.static_seconds:.1f} s, total {result.total_seconds:.1f} s)"
    )
    if result.skipped:
        text += f" ; NON écrits : {len(result.skipped)} fichiers PNG/SVG (voir l'avertissement)"
        if result.warning:
            print(f"ATTENTION : {result.warning}", flush=True)
    if cfg.demo:
        text += " ; données fictives de démonstration"
    summary("charts", text)
    return result.written


def publish(cfg: Config) -> tuple[list[Path], Path]:
    """Figures (reports/figures/) and report (rapport.html, list sheets) from one load of the
    processed tables and one build of the figures; returns (figure files, report path)."""
    inputs = load_inputs(cfg)
    specs = build_all(inputs)
    files = run_charts(cfg, inputs=inputs, specs=specs)
    return files, build_report(cfg, inputs=inputs, specs=specs)


run = publish
