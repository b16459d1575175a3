"""Stage `workbook`: the review workbook the associations' volunteers check and correct.

`run(cfg)` (= `run_export`, `python -m analysis export`): passages, tags, coverage,
questionnaire responses and decisions -> reports/exports/<classeur>.xlsx. Modules:
`inputs` (the tables), `frames` (one DataFrame per sheet), `columns` (headers, meanings,
review columns), `sheets` and `readme` (openpyxl, French prose), `build` (the workbook in
memory), `save` (archive an edited copy, never overwrite it), `stage`. The review columns
are read back by `analysis.review.sheet` (contract: `analysis.contracts`).
"""

from analysis.workbook.stage import run, run_export

__all__ = ["run", "run_export"]
