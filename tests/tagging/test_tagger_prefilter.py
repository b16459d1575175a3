"""The text pre-filter never changes a result: it only skips texts no pattern can match."""

from __future__ import annotations

import json

import pytest
from factories import CODEBOOK

import analysis.tagging.matcher as matcher_module
from analysis.codebook import load_codebook
from analysis.config import PROJECT_ROOT
from analysis.tagging import Tagger
from analysis.tagging.matcher import text_prefixes

pytestmark = pytest.mark.slow

DEV = PROJECT_ROOT / "data" / "eval" / "dev.jsonl"


SENTENCES = [
    "Les personnes âgés isolés recevront un appel.",      # inflection unlike the pattern
    "Nous mettrons les familles à l'abri dès ce soir.",  # irregular verb: « mis », « mettre »
    "Personne ne dort dehors : voilà notre objectif.",
    "Les Restaurants du Cœur auront un local.",
    "ÉPICERIES SOLIDAIRES ET BAINS DOUCHES",
    "Nous ouvrirons des bains douches et un vestiaire solidaire.",
    "Le pass’sport sera doublé pour les familles modestes.",
    "Nous lutterons contre le non recours et la fracture numérique.",
    "Nous refuserons les arrêtés anti-mendicité.",
    "Zéro enfant à la rue : c'est notre engagement.",
]
OFF_TOPIC = [
    "Le budget des routes sera revu.",
    "Nous planterons 2 000 arbres dans les cours d'école.",
    "La police municipale sera équipée de caméras-piétons.",
]


def _texts() -> list[str]:
    texts = SENTENCES + OFF_TOPIC
    if DEV.is_file():  # development set only, never the held-out test set
        with DEV.open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def test_prefixes_are_folded_word_beginnings():
    found = text_prefixes("Épiceries SOLIDAIRES, l'abri")
    assert {"e", "ep", "epi", "epic", "soli", "abri"} <= found
    assert "icer" not in found


def test_prefilter_changes_no_result(monkeypatch):
    texts = _texts()
    codebook = load_codebook(CODEBOOK)
    monkeypatch.setattr(matcher_module, "PREFILTER", True)
    with_filter = Tagger(codebook)
    filtered = with_filter.tag_texts(texts)
    monkeypatch.setattr(matcher_module, "PREFILTER", False)
    without = Tagger(codebook).tag_texts(texts)
    assert filtered == without
    assert any(filtered[: len(SENTENCES)])
    assert with_filter.stats["skipped"] >= len(OFF_TOPIC)  # off-topic texts never reach spaCy


def test_key_candidates_hold_every_key_the_tagger_gives():
    """The second pre-filter's premise, token by token: whatever part of speech and lemma
    the tagger chose, the key it wrote is among the word's candidates."""
    from analysis.tagging.nlp import KeyCandidates, load_nlp

    nlp = load_nlp()
    candidates = KeyCandidates(nlp)
    texts = _texts()
    dev2 = PROJECT_ROOT / "data" / "eval" / "dev2.jsonl"
    if dev2.is_file():
        with dev2.open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    checked = 0
    for doc in nlp.pipe(texts):
        for tok in doc:
            assert tok.norm_ in candidates(tok.text), (tok.text, tok.lemma_, tok.pos_)
            checked += 1
    assert checked > 20_000


def test_the_key_prefilter_skips_more_and_keeps_every_text_with_a_theme(monkeypatch):
    codebook = load_codebook(CODEBOOK)
    tagger = Tagger(codebook)
    tagger._ensure_model()
    matcher, nlp = tagger._matcher, tagger._nlp
    theme_kinds = {"patterns", "weak", "restrictive", "context"}
    first = [t for t in _texts() if matcher.possible(t)]
    kept = 0
    for doc in nlp.pipe(first):
        found = any(h.kind in theme_kinds for h in matcher(doc))
        passes = matcher.possible_doc(nlp.make_doc(doc.text))
        assert passes or not found, doc.text
        kept += passes
    assert kept < len(first)                        # it does skip texts the first lets by
    assert not matcher.possible_doc(nlp.make_doc(OFF_TOPIC[0]))


def test_word_beginnings_read_chunk_by_chunk_are_those_of_the_whole_text():
    """`text_prefixes` folds each chunk between white space once (cached): the same words
    as folding the whole text, whatever the characters (ligatures, combining accents,
    non-breaking and other Unicode spaces, digits in circles, dotted capital I)."""
    import random

    from analysis.tagging.nlp import fold

    def whole(text):
        return {w[:k] for w in matcher_module.WORD.findall(fold(text))
                for k in range(1, matcher_module.PREFIX + 1)}

    alphabet = ("aéèeEzÇÀ’'œæİ①ﬁﬀ½0-–.,\u0301\u0327 \t\n\u00a0\u202f\u2009\u3000\u2028"
                "\x1cΣσς")
    rng = random.Random(2026)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
             for _ in range(3000)]
    texts += ["Une épicerie\u00a0solidaire ﬁnancée à ½ par l'État", "  ", ""]
    for text in texts:
        assert text_prefixes(text) == whole(text), repr(text)
        assert text_prefixes(text) == whole(text), repr(text)   # from the cache
