"""Stage `review`: what the associations' reviewers decided, applied to the tagger's output.

`run(cfg)`: tags_auto.parquet + data/reviews/decisions.csv -> tags.parquet (its only
writer) and reports/metrics/agreement*; `run_review_import(cfg, files)`: reviewed workbooks
-> decisions.csv (append-only), conflits.csv, orphelins.csv, then the same tags.parquet.

Modules: `store` (decisions.csv), `sheet` (reading a reviewed workbook), `rules` (latest
decision, applying decisions), `conflicts` (disagreements, orphans), `agreement`
(precision seen by reviewers, Cohen's kappa), `stage` (the two entry points).
"""

from analysis.review.stage import run, run_review_import

__all__ = ["run", "run_review_import"]
