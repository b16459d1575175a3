"""Stage `questionnaire`: the form the collective sends to the lists, and its reader.

- `run(cfg)` (`python -m analysis questionnaire-template`): config (questions, lists) and
  codebook (engagement grid) -> `reports/questionnaire/questionnaire_<commune>.xlsx|docx`
  (`stage`, writers `write_xlsx`, `write_docx`, words in `wording`);
- `read.read_filled_template` / `read.is_filled_template`: a filled copy dropped in
  `data/raw/questionnaire/`, as the ingestion reads it.

Layout of both files: `analysis.contracts` (questionnaire section).
"""

from analysis.questionnaire.stage import run, run_questionnaire_template

__all__ = ["run", "run_questionnaire_template"]
