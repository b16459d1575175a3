"""Stage `workbook` (`python -m analysis export`): the associations' review workbook.

passages, tags, coverage (questionnaire_responses.csv when present) and
data/reviews/decisions.csv -> `cfg.workbook_path` with sheets "Lisez-moi", "Synthèse",
"Passages", "Non étiquetés", "Questionnaire", "Thèmes" and, once review decisions exist,
"Accord". A workbook a volunteer may have edited is never overwritten (see save.py).
"""

from __future__ import annotations

from pathlib import Path

from analysis.common.progress import summary
from analysis.config import Config
from analysis.workbook.build import build_workbook
from analysis.workbook.inputs import load_inputs
from analysis.workbook.save import save_workbook


def run_export(cfg: Config) -> Path:
    """Write the review workbook (cfg.workbook_path); returns its path."""
    inputs = load_inputs(cfg)
    wb, counts = build_workbook(cfg, inputs)
    path, archived = save_workbook(wb, cfg, inputs.codebook)
    note = f" (ancien classeur archivé : {archived.name})" if archived else ""
    summary("export", f"{path} : {counts['tags']} étiquettes à relire, {counts['untagged']} "
                      f"passages sans thème, {counts['lists_without_answer']} liste(s) sans "
                      f"réponse au questionnaire{note}")
    return path

run = run_export
