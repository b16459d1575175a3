"""Sentence splitting, merging, capping, sections and offsets of passages."""

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, ROW, Block
from analysis.ingest.segment import MAX_CHARS, segment, split_sentences


def sentences(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_split_respects_abbreviations_and_numbers():
    text = ("M. Dupont et Mme Durand ont présenté l'art. 12 du règlement, n° 5. "
            "Le budget atteindra 1,5 M€. Nous ouvrirons des locaux, etc. pour tous. "
            "J. Martin suivra le dossier ! Qui paiera ? 300 places seront créées.")
    assert sentences(text) == [
        "M. Dupont et Mme Durand ont présenté l'art. 12 du règlement, n° 5.",
        "Le budget atteindra 1,5 M€.",
        "Nous ouvrirons des locaux, etc. pour tous.",
        "J. Martin suivra le dossier !",
        "Qui paiera ?",
        "300 places seront créées.",
    ]


def test_split_after_closing_quote():
    assert sentences("Il a dit « oui. » Puis il est parti.") == ["Il a dit « oui. »",
                                                               "Puis il est parti."]


def _texts(blocks):
    doc, pieces = segment(blocks)
    for p in pieces:
        assert doc[p.char_start:p.char_end] == p.text
    return doc, pieces


def test_short_fragments_are_merged_and_offsets_point_into_the_cleaned_text():
    blocks = [Block(PARAGRAPH, "Oui. Nous créerons 300 places d'hébergement d'urgence. "
                               "Enfin. Et une halte de nuit ouverte toute l'année.")]
    _, pieces = _texts(blocks)
    assert [p.text for p in pieces] == [
        "Oui. Nous créerons 300 places d'hébergement d'urgence.",
        "Enfin. Et une halte de nuit ouverte toute l'année.",
    ]


def test_long_passages_are_capped_at_a_natural_break():
    text = "Nous soutiendrons " + ", ".join(f"l'association numéro {i}" for i in range(80)) + "."
    _, pieces = _texts([Block(PARAGRAPH, text)])
    assert len(pieces) > 1
    assert all(len(p.text) <= MAX_CHARS for p in pieces)
    assert " ".join(p.text for p in pieces).replace(" ,", ",") == text


def test_headings_are_sections_not_passages_and_rows_are_not_split():
    blocks = [
        Block(HEADING, "Logement", level=1),
        Block(PARAGRAPH, "Nous construirons des logements sociaux partout."),
        Block(HEADING, "Santé", level=2),
        Block(BULLET, "Ouvrir un centre de santé municipal."),
        Block(ROW, "Mesure: Épicerie solidaire. Aide; Budget: 10 000 €"),
        Block(PARAGRAPH, "—"),
    ]
    doc, pieces = _texts(blocks)
    assert [(p.section, p.text) for p in pieces] == [
        ("Logement", "Nous construirons des logements sociaux partout."),
        ("Santé", "Ouvrir un centre de santé municipal."),
        ("Santé", "Mesure: Épicerie solidaire. Aide; Budget: 10 000 €"),
    ]
    assert doc.startswith("Logement\n\nNous construirons")


def test_page_of_a_passage_is_the_page_where_it_starts():
    block = Block(PARAGRAPH, "Nous créerons un accueil de jour pour tous. Et une halte de nuit "
                             "ouverte toute l'année.", page=4)
    block.page_marks.append((block.text.index("Et une"), 5))
    _, pieces = _texts([block])
    assert [p.page for p in pieces] == [4, 5]


def test_forced_section_and_question_id_win_over_headings():
    blocks = [Block(HEADING, "Question 1"),
              Block(PARAGRAPH, "Des conventions pluriannuelles pour les associations.",
                    section="1. Partenariat", question_id="q1")]
    _, [piece] = _texts(blocks)
    assert (piece.section, piece.question_id) == ("1. Partenariat", "q1")
