"""The workbook's columns: header, key, meaning (the Lisez-moi data dictionary), width,
and which ones the reviewers fill (the review contract read back by analysis.review.sheet).

The columns are data, in templates/classeur_colonnes.yml (French prose, like methode.md);
a review column names its header constant of analysis.contracts, so the workbook and the
review import cannot disagree.
"""

from __future__ import annotations

import yaml

from analysis import contracts
from analysis.common.xlsx import Column
from analysis.config import TEMPLATES_DIR

COLUMNS_FILE = TEMPLATES_DIR / "classeur_colonnes.yml"

LISTS_SHEET = "_listes"

STRENGTH_LABELS = {"concret": "concret", "general": "général", "mention": "mention"}

ORIGIN_LABELS = {"auto": "automatique", "review": "relecture", "rejected": "rejetée"}

SOURCE_LABELS = {"programme": "programme", "questionnaire": "questionnaire"}

BUNDLE_DOCUMENTS = "documents"   # folder of the source documents in a review folder (.zip)

NO_ANSWER = "— Aucune réponse reçue au questionnaire —"


def _column(entry: dict) -> Column:
    header = getattr(contracts, entry["contract"]) if "contract" in entry else entry["header"]
    return Column(header, entry["key"], entry["meaning"], width=entry.get("width"),
                  wrap=entry.get("wrap", False), review=entry.get("review", False),
                  hidden=entry.get("hidden", False))


def load_columns(path=COLUMNS_FILE) -> dict[str, list[Column]]:
    """Sheet name -> its columns, `shared: <name>` entries expanded."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    shared = {name: [_column(e) for e in (v if isinstance(v, list) else [v])]
              for name, v in doc["shared"].items()}
    return {sheet: [c for e in entries
                    for c in (shared[e["shared"]] if "shared" in e else [_column(e)])]
            for sheet, entries in doc["sheets"].items()}


_SHEETS = load_columns()
PASSAGE_COLUMNS = _SHEETS["passages"]
UNTAGGED_COLUMNS = _SHEETS["untagged"]
QUESTIONNAIRE_COLUMNS = _SHEETS["questionnaire"]
THEME_COLUMNS = _SHEETS["themes"]
ACCORD_THEME_COLUMNS = _SHEETS["accord_themes"]
ACCORD_PAIR_COLUMNS = _SHEETS["accord_pairs"]
ACCORD_CONFLICT_COLUMNS = _SHEETS["accord_conflicts"]
ORPHAN_COLUMNS = _SHEETS["orphans"]
