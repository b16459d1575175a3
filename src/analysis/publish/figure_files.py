"""Write each figure side by side as HTML (offline), PNG (scale 2), SVG and CSV.

Static images go through kaleido in ONE batch (one Chromium session). Without a Chromium,
HTML and CSV are still written, `ExportResult.warning` says what was skipped (run_charts prints
it once), nothing crashes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.io as pio

from analysis.common.safe_text import neutralise_frame
from analysis.publish.template import WIDTH

SCALE = 2
STATIC_FORMATS = ("png", "svg")
NOTICE_COLUMN = "avertissement"
NO_CHROME = (
    "Chromium introuvable ou inutilisable pour l'export statique ({error}). "
    "Graphiques écrits en HTML et CSV seulement ; PNG et SVG NON écrits : {skipped}. "
    "Installez-le (`sudo apt-get install chromium`, ou `make setup`) "
    "ou indiquez un Chrome existant : export BROWSER_PATH=/chemin/vers/chrome."
)


@dataclass
class ExportResult:
    """Files written, static files skipped (with why), and how long the image export took."""

    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    warning: str = ""
    static_seconds: float = 0.0
    total_seconds: float = 0.0


def stem(name: str, demo: bool) -> str:
    """File stem of a figure: `figNN_name`, with `_DEMO` on demo data."""
    return f"{name}_DEMO" if demo else name


def csv_frame(data: pd.DataFrame, demo_notice: str = "") -> pd.DataFrame:
    """The table as written: text cells neutralised (safe_text), demo notice column on demo."""
    out = neutralise_frame(data)
    if demo_notice:
        out.insert(0, NOTICE_COLUMN, demo_notice)
    return out


def write_csv(data: pd.DataFrame, path: Path, demo_notice: str = "") -> Path:
    """UTF-8 with BOM (Excel reads the accents), comma-separated, decimal point."""
    csv_frame(data, demo_notice).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def write_html(fig, path: Path) -> Path:
    """Interactive HTML that opens offline: plotly.min.js is copied beside it."""
    fig.write_html(
        path, include_plotlyjs="directory", full_html=True, config={"displaylogo": False},
        default_width=f"{fig.layout.width}px", default_height=f"{fig.layout.height}px",
    )
    return path


def write_static(figs: list, paths: list[Path]) -> tuple[list[Path], str]:
    """PNG/SVG for every (fig, path) pair in one kaleido batch; ('', error) on failure."""
    try:
        pio.write_images(figs, paths, scale=SCALE, width=WIDTH,
                         height=[f.layout.height for f in figs])
    except Exception as exc:  # no Chromium, broken Chromium, kaleido missing: never crash
        return [], f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return [p for p in paths if p.is_file() and p.stat().st_size > 0], ""


def export_figures(specs: list, out_dir: Path, demo_notice: str = "",
                   static: bool = True) -> ExportResult:
    """Write html + csv for every spec, then png + svg for all of them in one batch."""
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    figs, paths = [], []
    for spec in specs:
        base = out_dir / stem(spec.name, bool(demo_notice))
        result.written.append(write_html(spec.fig, base.with_suffix(".html")))
        result.written.append(write_csv(spec.data, base.with_suffix(".csv"), demo_notice))
        for fmt in STATIC_FORMATS:
            figs.append(spec.fig)
            paths.append(base.with_suffix(f".{fmt}"))
    for path in paths:      # never leave a stale image from an earlier run beside new data
        path.unlink(missing_ok=True)
    bundle = out_dir / "plotly.min.js"      # written by write_html(include_plotlyjs="directory")
    if bundle.is_file():
        result.written.append(bundle)
    if static and figs:
        t1 = time.perf_counter()
        done, error = write_static(figs, paths)
        result.static_seconds = time.perf_counter() - t1
        result.written += done
        result.skipped = [p.name for p in paths if p not in done]
        if error or result.skipped:
            result.warning = NO_CHROME.format(
                error=error or "fichiers vides", skipped=", ".join(result.skipped)
            )
    elif figs:
        result.skipped = [p.name for p in paths]
    result.total_seconds = time.perf_counter() - t0
    return result
