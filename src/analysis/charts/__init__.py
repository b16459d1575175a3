"""Charts for the press: one template, one function per figure, html/png/svg/csv export.

`run_charts(cfg)` reads the processed tables, builds every figure (`figures.build_all`) and
writes them to `reports/figures/` (`export.export_figures`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analysis.common.progress import summary
from analysis.config import Config

if TYPE_CHECKING:
    from analysis.charts.figures import FigureSpec
    from analysis.charts.inputs import ChartInputs


def run_charts(
    cfg: Config, static: bool = True,
    inputs: ChartInputs | None = None, specs: list[FigureSpec] | None = None,
) -> list[Path]:
    """Build and write every figure; return the files written (reuses `inputs`/`specs`)."""
    from analysis.charts.export import export_figures
    from analysis.charts.figures import build_all
    from analysis.charts.inputs import load_inputs

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
