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
