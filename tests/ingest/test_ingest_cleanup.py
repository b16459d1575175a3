"""Character clean-up, hyphenation, running headers/footers, paragraphs and bullets."""

import pytest

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH
from analysis.ingest.cleanup import (
    is_page_number,
    join_lines,
    normalise_chars,
    remove_running_lines,
    split_bullet,
    vocabulary,
)
from analysis.ingest.paragraphs import Line, lines_to_blocks


def test_odd_spaces_ligatures_and_invisible_characters_are_normalised():
    text = ("La\u00a0solidarit\u00e9\u202f: une ﬁerté, un ﬂux,\u200b 1\u2009500\u00a0€, "
            "ré\u00adsidence")
    assert normalise_chars(text) == "La solidarité : une fierté, un flux, 1 500 €, résidence"


def test_invisible_format_characters_cannot_split_a_word_from_the_tagger():
    hostile = ("Nous allons sup\u2063primer les aides, \u202efermer\u202c le foyer et "
               "condi\u200ftionner l'\U000e0041accueil.")
    assert normalise_chars(hostile) == ("Nous allons supprimer les aides, fermer le foyer et "
                                        "conditionner l'accueil.")


def test_french_typography_is_kept():
    text = "« L’œuvre » — c’est… 10 € ; n° 5"
    assert normalise_chars(text) == text


@pytest.mark.parametrize(("left", "right", "expected"), [
    ("l'accompa-", "gnement social", "l'accompagnement social"),
    ("nous ouvrirons dès 2027 à Aix-en-", "Provence", "nous ouvrirons dès 2027 à Aix-en-Provence"),
    ("un accueil peut-", "être gratuit", "un accueil peut-être gratuit"),
    ("vis-", "à-vis de la gare", "vis-à-vis de la gare"),
    ("les personnes sans-", "abri", "les personnes sans-abri"),
    ("le non-", "recours aux droits", "le non-recours aux droits"),
    ("une ligne", "suivante", "une ligne suivante"),
    ("un tiret –", "puis la suite", "un tiret – puis la suite"),
])
def test_join_lines_rejoins_cut_words_and_keeps_compounds(left, right, expected):
    assert join_lines(left, right) == expected


def test_document_vocabulary_settles_unclear_cuts():
    vocab = vocabulary(["le centre socio-culturel du quartier"])
    assert join_lines("un centre socio-", "culturel", vocab) == "un centre socio-culturel"
    vocab = vocabulary(["la coconstruction des politiques"])
    assert join_lines("la co-", "construction", vocab) == "la coconstruction"


@pytest.mark.parametrize("line", ["3", "- 3 -", "– 12 –", "Page 3 / 8", "page 3 sur 8", "3/8",
                                  "p. 4", "[7]"])
def test_page_numbers_are_recognised(line):
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["2026 : une année solidaire", "300 places", "Page d'accueil"])
def test_text_lines_are_not_page_numbers(line):
    assert not is_page_number(line)


def test_running_header_and_footer_removed_body_kept():
    pages = [
        ["Aix Solidaire — programme 2026", f"Chapitre {n}", "Nous agirons.", "Texte propre.",
         f"Programme — Page {n}/4"]
        for n in range(1, 5)
    ]
    pages[2].insert(3, "Une ligne unique de la page trois.")
    cleaned, removed = remove_running_lines(pages, zone=1)
    assert removed == 8
    assert all("Programme — Page" not in line for p in cleaned for line in p)
    assert all(p[0].startswith("Chapitre") for p in cleaned)
    assert "Une ligne unique de la page trois." in cleaned[2]


def test_single_page_number_removed_even_without_repetition():
    cleaned, _ = remove_running_lines([["Titre", "Du texte.", "Page 1 / 1"]])
    assert cleaned == [["Titre", "Du texte."]]


@pytest.mark.parametrize(("line", "text"), [
    ("• Ouvrir une épicerie", "Ouvrir une épicerie"),
    ("- Ouvrir une épicerie", "Ouvrir une épicerie"),
    ("– Ouvrir une épicerie", "Ouvrir une épicerie"),
    ("* Ouvrir une épicerie", "Ouvrir une épicerie"),
    ("▪ Ouvrir une épicerie", "Ouvrir une épicerie"),
    ("1) Ouvrir une épicerie", "1) Ouvrir une épicerie"),
    ("  2. Ouvrir une épicerie", "2. Ouvrir une épicerie"),
])
def test_bullet_markers(line, text):
    assert split_bullet(line) == (True, text)


def test_compound_and_numbers_are_not_bullets():
    assert not split_bullet("peut-être demain")[0]
    assert not split_bullet("300 places")[0]


def test_lines_to_blocks_joins_paragraph_lines_and_keeps_bullets_apart():
    lines = [
        Line("Nos engagements", heading=1),
        Line("Nous renforcerons l'accompa-", x0=0, width=60),
        Line("gnement des familles.", x0=0, width=21),
        Line("Un nouveau paragraphe commence ici et continue", x0=0, width=60),
        Line("sur deux lignes.", x0=0, width=16),
        Line("• Ouvrir une épicerie solidaire", x0=2, width=30),
        Line("  dans chaque quartier.", x0=4, width=22),
        Line("- Doubler les maraudes.", x0=2, width=22),
    ]
    blocks = lines_to_blocks(lines)
    assert [(b.kind, b.text) for b in blocks] == [
        (HEADING, "Nos engagements"),
        (PARAGRAPH, "Nous renforcerons l'accompagnement des familles."),
        (PARAGRAPH, "Un nouveau paragraphe commence ici et continue sur deux lignes."),
        (BULLET, "Ouvrir une épicerie solidaire dans chaque quartier."),
        (BULLET, "Doubler les maraudes."),
    ]


def test_paragraph_continuing_on_next_page_keeps_page_of_each_part():
    lines = [Line("Nous créerons un accueil de jour et", page=1, width=50),
             Line("une halte de nuit.", page=2, width=50)]
    [block] = lines_to_blocks(lines)
    assert block.page_at(0) == 1
    assert block.page_at(block.text.index("une halte")) == 2
