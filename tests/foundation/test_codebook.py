"""The codebook: contract (axes, 25 ids, French labels), pattern syntax and validation errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from factories import CODEBOOK

from analysis.codebook import load_codebook, parse_pattern
from analysis.common.errors import UserError

CONTRACT = {
    "partenariat": ["partenariat_associatif", "vie_democratique", "lien_social",
                    "engagement_citoyen"],
    "inclusion": ["accompagnement_social", "soutien_scolaire", "apprentissage_francais",
                  "acces_droits", "inclusion_numerique", "acces_emploi", "acces_sport"],
    "protection": ["aide_alimentaire", "aide_materielle", "hebergement_urgence",
                   "logement_social", "violences_femmes", "meres_isolees", "enfance",
                   "etudiants", "sans_abri", "acces_soins", "hygiene", "personnes_isolees",
                   "personnes_migrantes", "ecoute_dignite"],
}
REQUIRED_VOCABULARY = [
    "CCAS", "CIAS", "SIAO", "CHRS", "CADA", "PASS", "SRU", "HLM", "FLE", "RSA", "CAF", "PMI",
    "ASE", "ESAT", "IAE", "CLAS", "PRE", "QPV", "EHPAD", "MJC", "maraude", "bains-douches",
    "épicerie sociale", "épicerie solidaire", "logement d'abord", "Housing First",
    "précarité menstruelle", "France services", "maison des associations",
    "budget participatif", "conseil de quartier",
    "territoire zéro chômeur", "clause d'insertion", "Pass'Sport", "centre de santé",
    "désert médical", "plan grand froid", "mise à l'abri", "violences conjugales",
    "familles monoparentales", "aide sociale à l'enfance", "Restos du cœur",
    "banque alimentaire", "vestiaire solidaire", "domiciliation", "non-recours",
    "fracture numérique", "conseiller numérique", "tarification sociale",
]


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(CODEBOOK)


def _write(tmp_path: Path, data: dict) -> Path:
    data.pop("classifier", None)   # these tests describe the rules (the model has its own)
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _minimal(**theme) -> dict:
    base = {"id": "aide_alimentaire", "axis": "protection", "label": "Aide alimentaire",
            "scope": "Aide alimentaire.", "patterns": ["épicerie solidaire"]}
    base.update(theme)
    return {"name": "t", "version": "1", "axes": [{"id": "protection", "label": "Protéger"}],
            "themes": [base]}


def test_default_codebook_follows_the_contract(codebook):
    assert list(codebook.axes) == list(CONTRACT)
    assert codebook.theme_ids == [t for ids in CONTRACT.values() for t in ids]
    for axis, ids in CONTRACT.items():
        assert all(codebook.axis_of(t) == axis for t in ids)


def test_labels_and_scope_notes_are_french_and_patterns_rich(codebook):
    english = re.compile(r"\b(the|and|of|with|for|people|support)\b", re.IGNORECASE)
    for theme in codebook.themes:
        assert theme.label and theme.scope, theme.id
        assert not english.search(theme.scope), f"{theme.id}: scope still in English"
        assert len(theme.patterns) + len(theme.weak) + len(theme.restrictive) >= 8, theme.id
    frame = codebook.themes_frame()
    assert list(frame.columns) == ["theme_id", "axis", "axis_label", "label", "scope",
                                   "n_patterns"]
    assert (frame["n_patterns"] > 0).all()


def test_domain_vocabulary_is_covered(codebook):
    written = {
        p.casefold() for t in codebook.themes for p in (*t.patterns, *t.weak, *t.restrictive)
    }
    text = "\n".join(written)
    missing = [w for w in REQUIRED_VOCABULARY if w.casefold() not in text]
    assert not missing, missing


def test_restrictive_and_exclusion_lists_exist(codebook):
    assert codebook.theme("sans_abri").restrictive
    assert codebook.theme("personnes_migrantes").restrictive
    assert codebook.theme("logement_social").exclude
    assert all(codebook.cues[k] for k in ("favorable", "restrictive", "inverters", "intent"))


@pytest.mark.parametrize(("text", "variants"), [
    ("logement (très) social", ["logement social", "logement très social"]),
    ("aide|soutien scolaire", ["aide scolaire", "soutien scolaire"]),
    ("[tarif social|gratuité] cantine", ["tarif social cantine", "gratuité cantine"]),
    ("hébergement … urgence", ["hébergement", "urgence"]),
    ("association & subvention", ["association", "subvention"]),
])
def test_pattern_syntax_expands_variants(text, variants):
    assert parse_pattern(text).variants == variants


def test_gap_and_cooccurrence_make_segments_and_parts():
    pattern = parse_pattern("a … b & c")
    assert len(pattern.parts) == 2
    assert len(pattern.parts[0]) == 2 and len(pattern.parts[1]) == 1


@pytest.mark.parametrize(("bad", "message"), [
    ("logement (très social", "parenthèses"),
    ("hébergement …", "…"),
    ("& subvention", "&"),
    ("aide||soutien", "alternative vide"),
    ("( )", "vide"),
    ("— ; !", "aucun mot"),
])
def test_bad_pattern_syntax_is_refused(bad, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_pattern(bad)


@pytest.mark.parametrize(("theme", "message"), [
    ({"motifs": ["x"]}, "clé inconnue ['motifs']"),
    ({"patterns": ["épicerie solidaire", ""]}, "'patterns'[1] est vide"),
    ({"patterns": ["épicerie solidaire", "épicerie  solidaire"]}, "en double"),
    ({"patterns": ["épicerie (solidaire"]}, "'épicerie (solidaire' de 'patterns' invalide"),
    ({"exclude": ["épicerie solidaire"]}, "à la fois dans les motifs et dans 'exclude'"),
    ({"axis": "inconnu"}, "axe 'inconnu' inconnu"),
    ({"id": "Aide Alimentaire"}, "snake_case"),
    ({"patterns": "épicerie solidaire"}, "doit être une liste"),
    ({"vetoed_by": ["campagne"]}, "'vetoed_by' nomme ['campagne']"),
    ({"limits_protect": ["probite"]}, "'limits_protect' nomme ['probite']"),
    ({"targeted": "oui"}, "'targeted' doit valoir true ou false"),
    ({"model_adds": "non"}, "'model_adds' doit valoir true ou false"),
])
def test_bad_theme_entry_is_named(tmp_path, theme, message):
    path = _write(tmp_path, _minimal(**theme))
    with pytest.raises(UserError, match=re.escape(message)) as err:
        load_codebook(path)
    assert str(path) in str(err.value)


def test_duplicate_theme_and_unknown_keys_are_named(tmp_path):
    data = _minimal()
    data["themes"].append(dict(data["themes"][0]))
    with pytest.raises(UserError, match="identifiant en double"):
        load_codebook(_write(tmp_path, data))
    data = _minimal()
    data["motifs"] = []
    with pytest.raises(UserError, match="clé inconnue"):
        load_codebook(_write(tmp_path, data))
    data = _minimal()
    data["cues"] = {"favourable": ["créer"]}
    with pytest.raises(UserError, match="cues.favourable inconnu"):
        load_codebook(_write(tmp_path, data))
    data = _minimal()
    data["matching"] = {"gap": 0}
    with pytest.raises(UserError, match="matching.gap"):
        load_codebook(_write(tmp_path, data))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(UserError, match="introuvable"):
        load_codebook(tmp_path / "absent.yml")
    bad = tmp_path / "bad.yml"
    bad.write_text("themes: [\n", encoding="utf-8")
    with pytest.raises(UserError, match="YAML invalide"):
        load_codebook(bad)


def test_fingerprint_follows_the_file(tmp_path):
    path = _write(tmp_path, _minimal())
    before = load_codebook(path).fingerprint
    path = _write(tmp_path, _minimal(patterns=["épicerie solidaire", "banque alimentaire"]))
    assert load_codebook(path).fingerprint != before


@pytest.mark.slow
def test_pattern_made_of_function_words_is_refused_by_the_tagger(tmp_path):
    from analysis.tagging import Tagger

    path = _write(tmp_path, _minimal(patterns=["épicerie solidaire", "de la"]))
    tagger = Tagger(load_codebook(path))
    with pytest.raises(UserError, match=r"aide_alimentaire.*'de la'.*mots-outils"):
        tagger.tag_text("Une épicerie solidaire ouvrira.")


@pytest.mark.slow
def test_a_user_adds_a_theme_and_a_word_without_code(tmp_path):
    from analysis.tagging import Tagger

    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    data["themes"].append({
        "id": "culture_solidaire", "axis": "inclusion", "label": "Culture solidaire",
        "scope": "Accès à la culture des personnes modestes.",
        "patterns": ["billet suspendu", "culture & tarif solidaire"],
    })
    hygiene = next(t for t in data["themes"] if t["id"] == "hygiene")
    hygiene["patterns"].append("savonnerie solidaire")
    path = _write(tmp_path, data)
    tagger = Tagger(load_codebook(path))
    found = tagger.tag_texts([
        "Nous créerons des billets suspendus au théâtre municipal.",
        "• Ouvrir une savonnerie solidaire dans le quartier.",
    ])
    assert [t["id"] for t in found[0]] == ["culture_solidaire"]
    assert [t["id"] for t in found[1]] == ["hygiene"]
