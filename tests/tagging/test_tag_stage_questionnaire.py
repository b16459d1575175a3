"""The tagging stage on questionnaire-template engagement sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.codebook import load_codebook
from analysis.config import load_config
from analysis.contracts import PASSAGES
from analysis.questionnaire.wording import engagement_sentence
from analysis.tagging import run_tag

pytestmark = pytest.mark.slow


def test_an_engagement_answered_no_is_not_counted_as_covered(tmp_path):
    cfg = load_config(None, processed=tmp_path / "p", reviews=tmp_path / "r",
                      reports=tmp_path / "rep")
    codebook = load_codebook(cfg.codebook_path)
    rows = []
    for i, answer in enumerate(["Oui", "Non"]):
        text = engagement_sentence("hebergement_urgence", codebook.label_of("hebergement_urgence"),
                                   answer, "", codebook)
        rows.append({
            "passage_id": f"p{i}", "list_id": "aix-solidaire", "source": "questionnaire",
            "doc_id": "d", "path": "questionnaire/x.xlsx", "page": None,
            "section": "Engagements", "question_id": "engagements", "text": text,
            "char_start": 0, "char_end": len(text),
        })
    cfg.processed.mkdir(parents=True)
    pd.DataFrame(rows, columns=PASSAGES).to_parquet(cfg.passages_path, index=False)
    tags = run_tag(cfg)
    assert set(tags.loc[tags["theme_id"] == "hebergement_urgence", "passage_id"]) == {"p0"}
