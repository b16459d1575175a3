"""How real programmes write, read like the plain form: inclusive writing and the first
person plural that opens a title."""

from __future__ import annotations

import pytest

from analysis.tagging.tagger import normalise_text

pytestmark = pytest.mark.slow


def _themes(tagger, text: str) -> dict[str, str]:
    return {t["id"]: t["stance"] for t in tagger.tag_text(text)}


@pytest.mark.parametrize("inclusive, plain", [
    ("Les habitant·es voteront le budget participatif de leur quartier.",
     "Les habitants voteront le budget participatif de leur quartier."),
    ("Un accueil digne des personnes à la rue et des migrant.es.",
     "Un accueil digne des personnes à la rue et des migrants."),
    ("Chaque conseil de quartier réunira des habitant·es, des élu·es et des usager·ère·s.",
     "Chaque conseil de quartier réunira des habitants, des élus et des usagers."),
])
def test_inclusive_writing_reads_like_the_plain_form(tagger, inclusive, plain):
    assert _themes(tagger, plain), plain  # the pair means something only if the plain form is found
    assert _themes(tagger, inclusive) == _themes(tagger, plain)


def test_inclusive_points_keep_the_text_length_and_sentence_ends():
    for text in ("Les habitant·es et tou·te·s les usager·ère·s.", "Il est parti. Elle reste.",
                 "Santé · Logement", "la ville.Et puis"):
        out = normalise_text(text)
        assert len(out) == len(text)
    assert normalise_text("habitant·es, migrant.es.") == "habitant-es, migrant-es."
    assert normalise_text("Il est parti. Elle reste.") == "Il est parti. Elle reste."
    assert normalise_text("Santé · Logement") == "Santé · Logement"


@pytest.mark.parametrize("title, theme_id", [
    ("Mettons à l'abri les plus précaires.", "hebergement_urgence"),
    ("Créons un centre de santé dans chaque quartier.", "acces_soins"),
    ("Soutenons les associations de solidarité.", "partenariat_associatif"),
])
def test_title_in_the_first_person_plural_is_a_verb(tagger, title, theme_id):
    assert _themes(tagger, title).get(theme_id) == "favorable"
    # the same words in the future tense give the same theme
    assert theme_id in _themes(tagger, "Nous " + title[0].lower() + title[1:])


def test_plural_nouns_in_ons_keep_their_noun_lemma(tagger):
    tagger._ensure_model()
    doc = tagger._nlp("Maisons des associations et actions de quartier.")
    assert [t.norm_ for t in doc][:1] == ["maison"]
