"""The statistical second opinion: features and probabilities equal scikit-learn's, the
tagger's veto and additions, the codebook key, and the trainer's guard against test sets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml
from factories import CODEBOOK
from factories.scripts import load_script

from analysis.codebook import load_codebook
from analysis.common.errors import UserError
from analysis.tagging import Tagger
from analysis.tagging.classifier import ThemeClassifier, char_ngrams, model_text, word_ngrams

pytestmark = pytest.mark.slow
sklearn = pytest.importorskip("sklearn")   # the dev extra: the trainer's library
ROOT = Path(__file__).resolve().parents[2]


def _trainer():
    return load_script("train_classifier")


# a made-up word stands for the theme, so that what the model learnt is known
ROWS = (
    [{"text": f"Nous offrirons des zorglubs aux familles, semaine {i}.", "section": "Aide",
      "themes": [{"id": "aide_alimentaire", "stance": "favorable"}]} for i in range(12)]
    + [{"text": f"Une épicerie solidaire de la compagnie théâtrale, saison {i}.",
        "section": "Culture", "themes": []} for i in range(12)]
    + [{"text": f"Réunion du club de pétanque numéro {i} au boulodrome.", "section": "",
        "themes": [{"id": "lien_social", "stance": "favorable"}]} for i in range(12)]
)


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    trainer = _trainer()
    word, char, labels, models = trainer.fit(ROWS)
    out = tmp_path_factory.mktemp("model") / "tiny.npz"
    trainer.export(out, word, char, labels, models,
                   {"veto_below": 0.1, "add_above": 0.7, "labels": labels})
    return out


def test_features_are_scikit_learns(model):
    from sklearn.feature_extraction.text import CountVectorizer

    chars = CountVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()
    words = CountVectorizer(ngram_range=(1, 2)).build_analyzer()
    for text in ["Créer  un\tcity-stade", "l'aide aux devoirs", "a", "ÉPICERIE Solidaire !"]:
        assert char_ngrams(text) == chars(text)
        assert word_ngrams(text) == words(text)


def test_probabilities_are_scikit_learns(model):
    trainer = _trainer()
    word, char, labels, models = trainer.fit(ROWS)
    texts = ["Des zorglubs pour tous.", "Le club de pétanque.", "", "Rien à voir ici."]
    from scipy.sparse import hstack

    docs = [model_text(t) for t in texts]
    X = hstack([word.transform(docs), char.transform(docs)]).tocsr()
    expected = np.column_stack([m.predict_proba(X)[:, 1] for m in models])
    got = ThemeClassifier(model).probabilities(texts, [None] * len(texts))
    assert ThemeClassifier(model).labels == tuple(labels)
    np.testing.assert_allclose(got, expected, atol=1e-5)


def _codebook_with(tmp_path: Path, model: Path, model_adds: bool = True) -> Path:
    """The project's codebook with the tiny model and its thresholds; `model_adds`: whether
    every theme may be added by it (the examples use food aid, which the real codebook
    never lets it add)."""
    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    data["classifier"] = "tiny.npz"
    data.pop("classifier_thresholds", None)     # the tiny model's own thresholds
    if model_adds:
        for theme in data["themes"]:
            theme.pop("model_adds", None)
    shutil.copy(model, tmp_path / "tiny.npz")
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_model_adds_vetoes_and_spares_restrictions(tmp_path, model):
    tagger = Tagger(load_codebook(_codebook_with(tmp_path, model)))
    rules = Tagger(load_codebook(CODEBOOK))
    added = {f["id"]: f for f in tagger.tag_text("Nous distribuerons des zorglubs chaque mois.")}
    assert added["aide_alimentaire"]["evidence"].startswith("second avis statistique")
    assert added["aide_alimentaire"]["stance"] == "favorable"
    # a theme the model adds takes the passage's first action: a cut the list commits to
    # restricts (a cut it only describes does not: test below)
    cut = {f["id"]: f for f in tagger.tag_text("Nous supprimerons les zorglubs chaque mois.")}
    assert cut["aide_alimentaire"]["stance"] == "restrictif"
    assert "aide_alimentaire" not in {f["id"] for f in rules.tag_text(
        "Nous distribuerons des zorglubs chaque mois.")}
    # the rules find food aid in « épicerie solidaire »; the model, taught otherwise, vetoes it
    text = "Nous ouvrirons une épicerie solidaire de la compagnie théâtrale."
    assert "aide_alimentaire" in {f["id"] for f in rules.tag_text(text)}
    assert "aide_alimentaire" not in {f["id"] for f in tagger.tag_text(text)}
    # a restriction the rules read is never vetoed
    closing = "Nous fermerons l'épicerie solidaire de la compagnie théâtrale."
    found = {f["id"]: f["stance"] for f in tagger.tag_text(closing)}
    assert found.get("aide_alimentaire") == "restrictif"


def test_an_addition_follows_the_passages_own_position(tmp_path, model):
    tagger = Tagger(load_codebook(_codebook_with(tmp_path, model)))
    past, question = ("En 2024, la ville offrait des zorglubs aux familles.",
                      "Offrirez-vous des zorglubs aux familles ?")
    sure = ThemeClassifier(model).probabilities([past, question])
    assert (sure[:, ThemeClassifier(model).labels.index("aide_alimentaire")] > 0.7).all()
    # a diagnosis is neutral; a question put to the reader takes no position at all
    said = {f["id"]: f for f in tagger.tag_text(past)}
    assert said["aide_alimentaire"]["stance"] == "neutre"
    assert tagger.tag_text(question) == []
    # a passage that takes something away, or ranks residents, restricts what it adds
    for text in ("Nous supprimerons les zorglubs offerts aux familles.",
                 "Les zorglubs seront réservés aux familles françaises."):
        found = {f["id"]: f for f in tagger.tag_text(text)}
        assert found["aide_alimentaire"]["stance"] == "restrictif", text


def test_an_addition_respects_what_the_codebook_refuses(tmp_path, model):
    """The guide's rule 1 holds for the model's additions."""
    tagger = Tagger(load_codebook(_codebook_with(tmp_path, model)))
    assert load_codebook(CODEBOOK).theme("aide_alimentaire").targeted
    texts = ["Nous offrirons des zorglubs à toutes les familles.",     # a measure for all
             "Nous offrirons des zorglubs à toutes les familles modestes."]  # a need named
    sure = ThemeClassifier(model).probabilities(texts)
    assert (sure[:, ThemeClassifier(model).labels.index("aide_alimentaire")] > 0.7).all()
    found = [{f["id"] for f in tagger.tag_text(t)} for t in texts]
    assert "aide_alimentaire" not in found[0]
    assert "aide_alimentaire" in found[1]
    # a theme that is not reserved to people in need is still added to a measure for all
    assert not load_codebook(CODEBOOK).theme("lien_social").targeted
    for_all = "Réunion du club de pétanque pour tous les habitants au boulodrome."
    assert "lien_social" in {f["id"] for f in tagger.tag_text(for_all)}


def test_a_theme_the_model_may_not_add_is_only_vetoed(tmp_path, model):
    """`model_adds: false`: the model adds the theme alone only to a restriction, and still
    vetoes it."""
    assert not load_codebook(CODEBOOK).theme("aide_alimentaire").model_adds
    assert load_codebook(CODEBOOK).theme("lien_social").model_adds
    tagger = Tagger(load_codebook(_codebook_with(tmp_path, model, model_adds=False)))
    (tmp_path / "adds").mkdir()
    adding = Tagger(load_codebook(_codebook_with(tmp_path / "adds", model)))
    text = "Nous distribuerons des zorglubs chaque mois."
    assert "aide_alimentaire" in {f["id"] for f in adding.tag_text(text)}
    assert "aide_alimentaire" not in {f["id"] for f in tagger.tag_text(text)}
    # … except to a restriction, rare and telling
    cut = {f["id"]: f["stance"]
           for f in tagger.tag_text("Nous supprimerons les zorglubs chaque mois.")}
    assert cut.get("aide_alimentaire") == "restrictif"
    vetoed = "Nous ouvrirons une épicerie solidaire de la compagnie théâtrale."
    assert "aide_alimentaire" not in {f["id"] for f in tagger.tag_text(vetoed)}
    # another theme is still added
    club = "Réunion du club de pétanque pour tous les habitants au boulodrome."
    assert "lien_social" in {f["id"] for f in tagger.tag_text(club)}


def _edited_codebook(tmp_path: Path, model: Path, edit) -> Tagger:
    """A tagger of the codebook with the tiny model, every theme addable, after `edit(theme)`
    has changed each theme's entry in place."""
    path = _codebook_with(tmp_path, model)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for theme in data["themes"]:
        edit(theme)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return Tagger(load_codebook(path))


def test_a_theme_the_model_may_not_veto_keeps_the_rules_reading(tmp_path, model):
    """`model_vetoes: false`: the rules' finding stands whatever the model thinks of it."""
    text = "Nous ouvrirons une épicerie solidaire de la compagnie théâtrale."
    vetoing = Tagger(load_codebook(_codebook_with(tmp_path, model)))
    assert "aide_alimentaire" not in {f["id"] for f in vetoing.tag_text(text)}

    def spare_food_aid(theme):
        if theme["id"] == "aide_alimentaire":
            theme["model_vetoes"] = False
    (tmp_path / "spared").mkdir()
    spared = _edited_codebook(tmp_path / "spared", model, spare_food_aid)
    assert "aide_alimentaire" in {f["id"] for f in spared.tag_text(text)}
    # another theme is still vetoed: the flag is the theme's own
    assert load_codebook(CODEBOOK).theme("lien_social").model_vetoes


def test_a_named_scheme_is_never_vetoed(tmp_path, model):
    """Cues `named_schemes`: a theme the rules read on a named scheme stands whatever the
    model thinks of it; a scheme named elsewhere in the passage spares nothing."""
    text = "Nous ouvrirons une épicerie solidaire de la compagnie théâtrale."
    path = _codebook_with(tmp_path, model)

    def tagger_naming(schemes: list[str]) -> Tagger:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["cues"]["named_schemes"] = schemes
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        return Tagger(load_codebook(path))

    for schemes, kept in (([], False), (["compagnie théâtrale"], False),
                          (["épicerie solidaire"], True)):
        found = {f["id"] for f in tagger_naming(schemes).tag_text(text)}
        assert ("aide_alimentaire" in found) is kept, schemes


@pytest.mark.parametrize("text, theme_id", [
    ("Mettre en place un CLIC pour informer les personnes âgées et leurs familles.",
     "accompagnement_social"),
    ("Créer un nouvel hôtel social.", "hebergement_urgence"),
    ("Objectif : plus aucun foyer sous le seuil de pauvreté (minimum social garanti).",
     "aide_materielle"),
    ("Notre projet d'urbanisme repose sur deux pôles : un cœur de village autour de la salle "
     "des fêtes et un écoquartier près de l'école avec logements adaptés et maison médicale.",
     "acces_soins"),
    ("Une révision citoyenne du plan local d'urbanisme.", "vie_democratique"),
    ("Construire un boulodrome couvert près de l'école.", "acces_sport"),
])
def test_the_project_model_keeps_the_named_schemes_it_never_saw(text, theme_id):
    """The real second opinion vetoed these local schemes on real programmes."""
    assert theme_id in {f["id"] for f in Tagger(load_codebook(CODEBOOK)).tag_text(text)}


def _set_thresholds(path: Path, thresholds) -> Path:
    """The codebook at `path` with `classifier_thresholds` set (None: the key removed)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("classifier_thresholds", None)
    if thresholds is not None:
        data["classifier_thresholds"] = thresholds
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_the_codebook_sets_the_second_opinions_thresholds(tmp_path, model):
    """`classifier_thresholds`: the codebook's values win over the model file's."""
    text = "Nous distribuerons des zorglubs chaque mois."
    path = _codebook_with(tmp_path, model)
    column = ThemeClassifier(model).labels.index("aide_alimentaire")
    assert 0.7 < ThemeClassifier(model).probabilities([text])[0, column] < 0.9999
    found = {}
    for name, thresholds in (("file", None), ("codebook", {"add_above": 0.9999})):
        tagger = Tagger(load_codebook(_set_thresholds(path, thresholds)))
        found[name] = {f["id"] for f in tagger.tag_text(text)}
    assert "aide_alimentaire" in found["file"]
    assert "aide_alimentaire" not in found["codebook"]
    clf = ThemeClassifier(model, {"veto_below": 0.25})
    assert (clf.veto_below, clf.add_above) == (0.25, 0.7)    # the others stay the file's


@pytest.mark.parametrize("thresholds, message", [
    ({"add_abov": 0.9}, "classifier_thresholds.add_abov inconnu"),
    ({"add_above": 1.5}, "classifier_thresholds.add_above doit être une probabilité"),
    ({"veto_below": "haut"}, "classifier_thresholds.veto_below doit être une probabilité"),
    ({"veto_below": True}, "classifier_thresholds.veto_below doit être une probabilité"),
    ([0.9], "'classifier_thresholds' doit être un dictionnaire"),
])
def test_bad_thresholds_are_refused_with_the_file_named(tmp_path, model, thresholds, message):
    path = _set_thresholds(_codebook_with(tmp_path, model), thresholds)
    with pytest.raises(UserError, match=f"codebook.yml.*{message}"):
        load_codebook(path)


@pytest.mark.parametrize("text, theme_id", [
    ("Pour nous, la santé va de pair avec la solidarité.", "acces_soins"),
    ("La démocratie ne se limite pas au jour du vote.", "vie_democratique"),
])
def test_the_project_model_adds_a_theme_only_when_it_is_sure(tmp_path, text, theme_id):
    """On real programmes, the model's additions between 0.7 (its file's threshold) and 0.9
    were mostly values the list states, with no measure: the codebook asks for 0.9."""
    codebook = load_codebook(CODEBOOK)
    clf = ThemeClassifier(codebook.classifier)
    assert 0.7 < clf.probabilities([text])[0, clf.labels.index(theme_id)] < 0.9
    assert theme_id not in {f["id"] for f in Tagger(codebook).tag_text(text)}
    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    data.pop("classifier_thresholds", None)
    data["classifier"] = str(codebook.classifier)
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert theme_id in {f["id"] for f in Tagger(load_codebook(path)).tag_text(text)}


def test_the_project_model_needs_the_passages_own_words_to_add_a_theme(tmp_path):
    """On real programmes (lot 23), bullets that only continue their heading (« pour les
    habitants sur une application mobile » under a participation heading) got the heading's
    theme from the model: the codebook asks the passage read alone for 0.3, not 0.1."""
    text, heading = ("pour les habitants sur une application mobile.",
                     "Vers un nouveau système de participation des habitants")
    codebook = load_codebook(CODEBOOK)
    clf = ThemeClassifier(codebook.classifier)
    column = clf.labels.index("vie_democratique")
    assert clf.probabilities([text], [heading])[0, column] > 0.9
    assert 0.1 < clf.probabilities([text])[0, column] < 0.3
    assert Tagger(codebook).tag_texts([text], sections=[heading]) == [[]]
    data = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    data["classifier_thresholds"].pop("add_own_words_above")
    data["classifier"] = str(codebook.classifier)
    path = tmp_path / "codebook.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = Tagger(load_codebook(path)).tag_texts([text], sections=[heading])[0]
    assert [f["id"] for f in found] == ["vie_democratique"]


def _with_thresholds(tmp_path: Path, name: str, fitted, **thresholds) -> tuple[Path, Tagger]:
    """The fitted tiny model written with these thresholds (veto 0.1, addition 0.7 unless
    given), and a tagger of a codebook that uses it, in the folder `name`."""
    word, char, labels, models = fitted
    out = tmp_path / f"{name}.npz"
    (tmp_path / name).mkdir()
    _trainer().export(out, word, char, labels, models,
                      {"veto_below": 0.1, "add_above": 0.7, **thresholds})
    return out, Tagger(load_codebook(_codebook_with(tmp_path / name, out)))


def test_a_passage_the_rules_read_needs_a_surer_model_for_one_more_theme(tmp_path):
    """`add_above_with_rules`: the model's neighbour theme of an explicit proposal."""
    fitted = _trainer().fit(ROWS)
    labels = fitted[2]
    text = "Nous offrirons des zorglubs aux familles et des cours de français aux adultes."
    found = {}
    for name, bar in (("lenient", 0.7), ("strict", 0.9999)):
        out, tagger = _with_thresholds(tmp_path, name, fitted, add_above_with_rules=bar)
        prob = ThemeClassifier(out).probabilities([text])[0]
        assert 0.7 < prob[list(labels).index("aide_alimentaire")] < 0.9999
        found[name] = {f["id"] for f in tagger.tag_text(text)}
    assert "apprentissage_francais" in found["strict"]         # the rules' own theme
    assert "aide_alimentaire" in found["lenient"]
    assert "aide_alimentaire" not in found["strict"]
    # alone, the same model adds it at the usual threshold
    alone = Tagger(load_codebook(_codebook_with(tmp_path / "strict", out)))
    assert "aide_alimentaire" in {f["id"] for f in alone.tag_text(
        "Nous offrirons des zorglubs aux familles.")}


def test_a_heading_alone_never_adds_a_theme(tmp_path):
    """`add_own_words_above`: the model, reading the passage without its heading, must
    point to the theme too (the guide: a heading settles a reading, never makes one)."""
    fitted = _trainer().fit(ROWS)
    labels = fitted[2]
    vague, clear = "Nous en reparlerons très vite avec vous.", "Nous offrirons aux familles."
    column = list(labels).index("aide_alimentaire")
    found = {}
    for name, bar in (("lenient", 0.5), ("strict", 0.6)):
        out, tagger = _with_thresholds(tmp_path, name, fitted, add_own_words_above=bar)
        clf = ThemeClassifier(out)
        both = clf.opinions([vague, clear, vague], ["Aide", "Aide", None])
        assert both.shape == (3, 2, len(labels))
        # read with the heading « Aide », the vague sentence is above the addition bar;
        # alone, between the two bars; the clear one stays above both; no heading: as is
        assert both[0, 0, column] > 0.7 and 0.5 < both[0, 1, column] < 0.6
        assert both[1, 1, column] > 0.7
        assert np.array_equal(both[2, 0], both[2, 1])
        found[name] = [{f["id"] for f in tagger.tag_text(t, "Aide")} for t in (vague, clear)]
    assert "aide_alimentaire" in found["lenient"][0]
    assert "aide_alimentaire" not in found["strict"][0]
    assert all("aide_alimentaire" in f[1] for f in found.values())


def test_a_missing_or_foreign_model_is_refused_with_the_file_named(tmp_path, model):
    path = _codebook_with(tmp_path, model)
    (tmp_path / "tiny.npz").unlink()
    with pytest.raises(UserError, match="tiny.npz"):
        load_codebook(path)
    bad = tmp_path / "tiny.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(UserError, match="illisible"):
        Tagger(load_codebook(path))
    # a model of other themes than the codebook's
    trainer = _trainer()
    rows = [dict(r, themes=[{"id": "theme_inconnu", "stance": "favorable"}] if r["themes"]
                 else []) for r in ROWS]
    word, char, labels, models = trainer.fit(rows)
    trainer.export(bad, word, char, labels, models, {"veto_below": 0.1, "add_above": 0.7})
    with pytest.raises(UserError, match="theme_inconnu"):
        Tagger(load_codebook(path))


def test_the_trainer_never_learns_from_a_test_set(tmp_path):
    trainer = _trainer()
    sets = yaml.safe_load((ROOT / "data" / "eval" / "sets.yml").read_text(encoding="utf-8"))
    test = next(s for s in sets["sets"] if s["role"] == "test")
    copy = tmp_path / "copie.jsonl"
    shutil.copy(ROOT / "data" / "eval" / test["file"], copy)
    with pytest.raises(SystemExit, match="jeu de test"):
        trainer.training_rows([copy])
    # a passage of a test set inside another file is left out, and counted
    line = (ROOT / "data" / "eval" / test["file"]).read_text(encoding="utf-8").splitlines()[0]
    mixed = tmp_path / "mixte.jsonl"
    mixed.write_text(line + "\n" + json.dumps(ROWS[0], ensure_ascii=False) + "\n",
                     encoding="utf-8")
    rows, sources = trainer.training_rows([mixed])
    assert sources[-1]["passages"] == 1 and sources[-1]["left_out_as_in_a_test_set"] == 1
    assert json.loads(line)["text"] not in {r["text"] for r in rows}


def test_the_weights_are_read_at_the_first_passage_scored_and_checked_then(tmp_path, model):
    """A tagger with several workers reads the model's weights in its scorer process only:
    construction reads the labels and thresholds (a missing array is refused at once), the
    weights come with the first passage scored, and a model of inconsistent dimensions is
    refused then, with the file named."""
    arrays = dict(np.load(model, allow_pickle=False))
    clf = ThemeClassifier(model)
    assert clf._arrays is None and clf.labels and clf.veto_below == 0.1
    first = clf.probabilities(["Des zorglubs pour tous."])
    assert clf._arrays is not None
    assert np.array_equal(first, ThemeClassifier(model).probabilities(["Des zorglubs pour tous."]))
    missing = tmp_path / "sans-poids.npz"
    np.savez(missing, **{k: v for k, v in arrays.items() if k != "coef"})
    with pytest.raises(UserError, match="illisible.*sans-poids.npz|sans-poids.npz.*coef"):
        ThemeClassifier(missing)
    odd = tmp_path / "dimensions.npz"
    np.savez(odd, **{**arrays, "coef": arrays["coef"][:, :-1]})
    clf = ThemeClassifier(odd)   # labels and thresholds are fine
    with pytest.raises(UserError, match="incohérent.*dimensions.npz"):
        clf.probabilities(["Des zorglubs pour tous."])


def test_a_theme_the_model_adds_restricts_only_when_the_list_commits():
    """The first action of the passage gives a model-added theme its stance; a cut that
    is only described (« la participation diminue ») is a diagnosis, not a restriction."""
    from analysis.tagging.stance import action_cues

    tagger = Tagger(load_codebook(CODEBOOK))
    tagger._ensure_model()

    def first_restricts(text: str) -> bool:
        doc = tagger._nlp(text)
        _, ctx = tagger._context(doc, tagger._hits(doc, ""))
        return tagger._first_action_restricts(ctx, action_cues(ctx, []))

    assert first_restricts("Nous réduirons la participation des habitants.")
    assert not first_restricts("À chaque scrutin, la participation diminue.")
