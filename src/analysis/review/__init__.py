"""Stage `review`: what the associations' reviewers decided, applied to the tagger's output.

`run(cfg)`: tags_auto.parquet + data/reviews/decisions.csv -> tags.parquet (its only
writer) and reports/metrics/agreement*; `run_review_import(cfg, files)`: reviewed workbooks
-> decisions.csv (append-only), conflits.csv, orphelins.csv, then the same tags.parquet.

Modules: `store` (decisions.csv: atomic appends, every row checked), `spreadsheet`
(opening .xlsx / .ods, refusing .xls / .csv), `manifest` (the workbook's hidden export
manifest), `sheet` (reading a reviewed workbook), `anchors` (decisions anchored on their
text, re-attached at every run), `rules` (edit order, latest decision, applying
decisions), `conflicts` (disagreements, orphans), `report` (conflicts, orphans,
re-attached decisions and their counts), `agreement` (precision seen by reviewers, Cohen's
kappa), `stage` (the two entry points).
"""

from analysis.review.stage import run, run_review_import

__all__ = ["run", "run_review_import"]
