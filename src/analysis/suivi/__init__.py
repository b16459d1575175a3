"""Stage `suivi`: after the vote, the elected list's commitments followed through the mandate.

`run(cfg)` (`python -m analysis suivi [--liste ID]`): passages + tags (reviewed decisions
applied) -> the register of the elected list's commitments (`concret` and `general` tags,
one row per commitment, the same promise in programme and questionnaire on one row with
both sources), each with a stable id kept in data/reviews/suivi_engagements.csv; its CSV
and the volunteers' workbook; the registers returned in data/raw/suivi/ are imported.
`run_suivi_import(cfg, files)` (`python -m analysis suivi-import FICHIER.xlsx`): filled
registers -> data/reviews/suivi_historique.csv (append-only: every status dated, never
overwritten), with conflicts and orphans listed like review-import.

Modules: `columns` (tables and headers), `settings` (the `mandate` section of the config),
`statuses` (the five statuses), `matching` (same promise?), `register` (commitments and
their ids), `store` (id index and history, atomic append-only writes), `history` (latest
status, status per year, conflicts, orphans), `workbook` (the register as xlsx), `sheet`
(reading a filled register), `stage` (the entry points).
"""

from analysis.suivi.stage import run, run_suivi_import

__all__ = ["run", "run_suivi_import"]
