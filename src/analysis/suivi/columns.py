"""Columns of the stage's tables and files (French headers of the workbook are in
`workbook`). Every table is one row per unit, documented here once."""

from __future__ import annotations

# data/processed/suivi_registre.parquet: one row per commitment of the elected list
REGISTER = [
    "commitment_id",   # stable id (kept in data/reviews/suivi_engagements.csv)
    "list_id", "theme_id", "theme", "axis", "axis_label",   # its main theme
    "themes",          # every theme of its passages (" ; "-joined labels)
    "strength",        # strongest of its passages: concret | general
    "stance",          # favorable | restrictif | neutre (dominant)
    "quote",           # the exact text of its first passage (programme first)
    "sources",         # programme | questionnaire | programme + questionnaire
    "references",      # "programmes/x/prog.pdf, p. 3 ; questionnaire/x.pdf, p. 2, question q6"
    "passage_ids",     # " ; "-joined passage ids, first one = quote
    "n_passages",
]
# data/reviews/suivi_engagements.csv: id index, append-only (one row per text seen for an id;
# theme_id is the main theme when the text was first seen, for reading only)
ID_INDEX = ["commitment_id", "list_id", "theme_id", "text_key", "first_seen"]
# data/reviews/suivi_historique.csv: the observations, append-only, in import order
HISTORY = [
    "observation_id", "imported_at", "file_name", "file_sha256", "sheet", "row", "reviewer",
    "commitment_id", "status", "observed_on", "evidence", "comment",
]
# data/reviews/suivi_conflits.csv: same commitment, same date, different statuses
CONFLICTS = ["commitment_id", "observed_on", "n_observations", "positions", "retained"]
# reports/suivi/engagements_<list>.csv: the table for the press and the council
LATEST = [
    "commitment_id", "axis_label", "theme", "themes", "strength", "stance", "quote", "sources",
    "references", "status", "status_label", "observed_on", "evidence", "comment",
    "reviewer", "n_observations",
]
