"""The contracts between stages (see ARCHITECTURE.md): table columns and fixed values, the
review sheet's headers, the questionnaire form's layout.

Constants only (no pandas: the `tag --jsonl` filter imports this and must start fast).
Readers and writers that check these columns are in :mod:`analysis.common.tables`.
"""

from __future__ import annotations

# data/raw/ as the analyst fills it: <PROGRAMMES>/<list_id>/*, <QUESTIONNAIRE>/* ------------
PROGRAMMES, QUESTIONNAIRE = "programmes", "questionnaire"

# Processed tables -------------------------------------------------------------------------
PASSAGES = [
    "passage_id", "list_id", "source", "doc_id", "path", "page", "section",
    "question_id", "text", "char_start", "char_end",
]
TAGS = ["passage_id", "theme_id", "stance", "strength", "evidence", "origin"]
COVERAGE = [
    "list_id", "theme_id", "axis", "n_passages", "share", "score", "stance", "source", "level",
]
INGEST_REPORT = ["path", "list_id", "format", "pages", "passages", "status", "reason"]

SOURCES = ("programme", "questionnaire")
STANCES = ("favorable", "restrictif", "neutre")
STRENGTHS = ("concret", "general", "mention")
ORIGINS = ("auto", "review")
STRENGTH_SCORE = {"mention": 1, "general": 2, "concret": 3}
# `coverage.level`: the one word every output uses for a list x theme (strongest first)
LEVELS = ("concret", "general", "mention", "mixte", "restrictif", "absent")

# Review decisions (data/reviews/decisions.csv) and the review sheet of the workbook --------
DECISIONS_CORE = [
    "decision_id", "imported_at", "file_name", "file_sha256", "sheet", "row", "reviewer",
    "passage_id", "theme_id", "decision", "new_theme_id", "new_stance", "comment",
    "new_strength",
]
# what anchors a decision on its passage's content (analysis.review.anchors), when it was
# made (the workbook's own dates), and a check of the row (analysis.review.store)
DECISION_ANCHOR = [
    "list_id", "source", "path", "page", "text_sha1", "quote", "quote_prefix", "quote_suffix",
]
DECISION_TIMES = ["edited_at", "exported_at"]
DECISIONS = DECISIONS_CORE + DECISION_ANCHOR + DECISION_TIMES
DECISION_ROW_CHECK = "row_check"
# columns added to DECISIONS after decisions.csv files were first written (read as "")
DECISIONS_ADDED = ("new_strength",)
DECISION_VALUES = ("valider", "rejeter", "corriger", "ajouter")
CONFLICTS = [
    "passage_id", "theme_id", "n_reviewers", "reviewers", "positions", "retained",
    "retained_reviewer",
]
SHEET_PASSAGES = "Passages"
SHEET_UNTAGGED = "Non étiquetés"
COL_PASSAGE = "passage_id"
COL_THEME_ID = "theme_id"
COL_THEME = "Thème"
COL_STANCE = "Position"
COL_DECISION = "Décision"
COL_NEW_THEME = "Thème corrigé"
COL_NEW_STANCE = "Position corrigée"
COL_ADDED_THEME = "Thème ajouté"
COL_COMMENT = "Commentaire"
COL_REVIEWER = "Relecteur"
COL_EDITED_AT = "Date de la décision"     # optional per-row date (read when present)
COL_TEXT = "Texte"
COL_LIST = "Liste"
EXPORT_SHEET = "_export"                  # hidden: the export manifest (review.manifest)
COL_STRENGTH = "Force"
COL_NEW_STRENGTH = "Force corrigée"
DECISION_CHOICES = ("Valider", "Rejeter", "Corriger")
STRENGTH_CHOICES = ("concret", "général", "mention")   # drop-down labels of STRENGTHS
# the reviewer's name, asked once: the cell right of this label on the Lisez-moi sheet
SHEET_README = "Lisez-moi"
REVIEWER_NAME_LABEL = "Votre nom (relecteur ou relectrice) :"

# The questionnaire sent to the lists (written and read back by analysis.questionnaire) ----
FORM_FORMAT = "barometre-questionnaire"      # _meta!B1 of the xlsx, category of the docx
FORM_VERSION = "1"
META_SHEET = "_meta"
ANSWERS_SHEET = "Réponses"
ENGAGEMENTS_SHEET = "Engagements"
ANSWERS_HEADER_ROW = 4
ANSWER_HEADER = "Votre réponse"
LIST_NAME_LABEL = "Nom de la liste"
ENGAGEMENTS_QUESTION_ID = "engagements"
ENGAGEMENTS_SECTION = "Engagements"
ENGAGEMENT_CHOICES = ("Oui", "En partie", "Non")
FILLED_FORM = ["list_name", "question_id", "section", "text"]   # rows of a filled form
# "Engagement : Non — <theme>": the list declines; the tagger must not count the theme
REFUSAL_PREFIX = "Engagement : Non"


def is_refusal(text: str) -> bool:
    """True for an engagement sentence where the list answered No (such a passage names a
    theme the list does NOT commit to: the tagging stage leaves it untagged)."""
    return str(text).startswith(REFUSAL_PREFIX)
