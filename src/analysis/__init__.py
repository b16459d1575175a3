"""Baromètre solidarité: ingest municipal programmes, tag solidarity themes, chart coverage.

The package tree is the flow: one sub-package per stage (questionnaire, ingest, tagging,
review, evaluation, coverage, publish, workbook), in the order `analysis.pipeline` states,
each with a `run(cfg)`; `config`, `contracts`, `codebook` and `common` are what every stage
may use; `cli` and `runner` are the entry points.
"""

__version__ = "0.1.0"
