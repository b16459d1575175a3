"""Stage `publish`: what the press officer cites and the collective reads.

`run(cfg)` (= `stage.publish`, `python -m analysis charts`): reports/figures/ (each chart in
html, png, svg and the csv of the plotted numbers), reports/rapport.html, reports/fiches/.

Modules: `inputs` (the tables the charts are drawn from, loaded once), `template` (the one
plotly template), `figures` (one function per figure), `figure_files` (html/png/svg/csv
files), `report` (rapport.html), `findings`, `sections`, `metrics`, `markdown`, `wording`
(its parts), `sheets` and `chromium` (one printable page per list), `stage`.
"""

from analysis.publish.stage import publish, run, run_charts

__all__ = ["publish", "run", "run_charts"]
