"""Evaluation of the tagger: scoring arithmetic, loading errors, the labelled set itself."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis.codebook import Codebook, Theme, load_codebook
from analysis.common.errors import UserError
from analysis.common.safe_text import read_csv_safe
from analysis.config import load_config
from analysis.evaluation import scoring as evaluation
from analysis.evaluation.scoring import (
    EVAL_DIR,
    FALSE_NEGATIVE,
    FALSE_POSITIVE,
    WRONG_STANCE,
    load_eval_set,
    run_evaluation,
    score,
)

SMALL_THEMES = {
    "partenariat": ["partenariat_associatif"],
    "inclusion": ["acces_droits"],
    "protection": ["aide_alimentaire", "hebergement_urgence", "logement_social", "enfance",
                   "etudiants", "sans_abri", "acces_soins", "hygiene", "personnes_migrantes",
                   "ecoute_dignite"],
}


@pytest.fixture(scope="module")
def codebook():
    """A small hand-made codebook: the scoring tests do not depend on the real YAML."""
    themes = [Theme(id=t, axis=axis, label=t.replace("_", " ").capitalize())
              for axis, ids in SMALL_THEMES.items() for t in ids]
    return Codebook(name="test", version="1", path=Path("absent.yml"),
                    axes={axis: axis.capitalize() for axis in SMALL_THEMES}, themes=themes)


@pytest.fixture(scope="module")
def real_codebook():
    return load_codebook(load_config().codebook_path)


def gold(*rows: tuple[str, str, list[tuple[str, str]]]) -> pd.DataFrame:
    """Gold frame from (id, text, [(theme, stance), ...]) tuples."""
    return pd.DataFrame(
        [
            {"id": pid, "text": text, "themes": [{"id": t, "stance": s} for t, s in themes],
             "note": ""}
            for pid, text, themes in rows
        ]
    )


def pred(*themes: tuple[str, str]) -> list[dict]:
    return [{"id": t, "stance": s, "strength": "general", "evidence": t} for t, s in themes]


GOLD = gold(
    ("p1", "Créer 100 logements sociaux ; fermer le centre d'accueil.",
     [("logement_social", "favorable"), ("personnes_migrantes", "restrictif")]),
    ("p2", "Ouvrir 50 places d'hébergement.", [("logement_social", "favorable")]),
    ("p3", "Rénover le stade.", []),
)


def row(result, theme_id):
    return result["per_theme"].set_index("theme_id").loc[theme_id]


# --------------------------------------------------------------------------- scoring
def test_perfect_predictions(codebook):
    predicted = {
        "p1": pred(("logement_social", "favorable"), ("personnes_migrantes", "restrictif")),
        "p2": pred(("logement_social", "favorable")),
        "p3": [],
    }
    result = score(GOLD, predicted, codebook)
    assert (result["micro_precision"], result["micro_recall"], result["micro_f1"]) == (1, 1, 1)
    assert result["macro_f1"] == 1 and result["n_themes_macro"] == 2
    assert result["stance_accuracy"] == 1 and result["restrictive_recall"] == 1
    assert result["no_theme_false_alarm_rate"] == 0
    assert result["errors"].empty
    # every codebook theme has a row, in codebook order
    assert result["per_theme"]["theme_id"].tolist() == codebook.theme_ids


def test_all_wrong_predictions(codebook):
    predicted = {"p1": pred(("hygiene", "favorable")), "p2": pred(("enfance", "neutre")),
                 "p3": pred(("sans_abri", "restrictif"))}
    result = score(GOLD, predicted, codebook)
    assert (result["tp"], result["fp"], result["fn"]) == (0, 3, 3)
    assert result["micro_precision"] == 0 and result["micro_recall"] == 0
    assert result["micro_f1"] == 0 and result["macro_f1"] == 0
    assert result["stance_accuracy"] is None          # no true positive to judge
    assert result["restrictive_recall"] == 0
    assert result["no_theme_false_alarm_rate"] == 1
    counts = Counter(result["errors"]["error"])
    assert counts == {FALSE_POSITIVE: 3, FALSE_NEGATIVE: 3}


def test_partial_predictions_by_hand(codebook):
    predicted = {
        "p1": pred(("logement_social", "favorable")),                 # misses migrants
        "p2": pred(("hebergement_urgence", "favorable")),             # wrong theme
        "p3": pred(("logement_social", "neutre")),                    # false alarm
    }
    result = score(GOLD, predicted, codebook)
    log = row(result, "logement_social")
    assert (log.tp, log.fp, log.fn, log.support, log.predicted) == (1, 1, 1, 2, 2)
    assert log.precision == pytest.approx(0.5) and log.recall == pytest.approx(0.5)
    assert log.f1 == pytest.approx(0.5)
    mig = row(result, "personnes_migrantes")
    assert pd.isna(mig.precision) and mig.recall == 0 and mig.f1 == 0
    heb = row(result, "hebergement_urgence")
    assert heb.support == 0 and heb.fp == 1 and heb.f1 == 0
    # micro: tp 1, fp 2, fn 2
    assert result["micro_precision"] == pytest.approx(1 / 3)
    assert result["micro_recall"] == pytest.approx(1 / 3)
    assert result["micro_f1"] == pytest.approx(1 / 3)
    # macro over the two themes with gold units (precision of a never-predicted theme = 0)
    assert result["macro_precision"] == pytest.approx(0.25)
    assert result["macro_recall"] == pytest.approx(0.25)
    assert result["macro_f1"] == pytest.approx(0.25)
    assert result["no_theme_false_alarm_rate"] == 1
    errors = result["errors"].set_index(["passage_id", "theme_id"])
    assert errors.loc[("p1", "personnes_migrantes"), "error"] == FALSE_NEGATIVE
    assert errors.loc[("p3", "logement_social"), "error"] == FALSE_POSITIVE
    assert errors.loc[("p3", "logement_social"), "text"] == "Rénover le stade."


def test_empty_predictions(codebook):
    result = score(GOLD, {}, codebook)
    assert result["n_predicted_units"] == 0
    assert result["micro_precision"] is None
    assert result["micro_recall"] == 0 and result["micro_f1"] == 0
    assert result["macro_f1"] == 0 and result["macro_precision"] == 0
    assert result["restrictive_recall"] == 0 and result["no_theme_false_alarm_rate"] == 0
    assert set(result["errors"]["error"]) == {FALSE_NEGATIVE}
    assert len(result["errors"]) == result["n_gold_units"] == 3


def test_multi_theme_passage_counts_each_unit(codebook):
    g = gold(("m", "texte", [("aide_alimentaire", "favorable"), ("etudiants", "favorable"),
                             ("acces_soins", "favorable")]))
    result = score(g, {"m": pred(("aide_alimentaire", "favorable"), ("etudiants", "favorable"),
                                 ("hygiene", "favorable"))}, codebook)
    assert (result["tp"], result["fp"], result["fn"]) == (2, 1, 1)
    assert result["micro_recall"] == pytest.approx(2 / 3)
    assert result["micro_precision"] == pytest.approx(2 / 3)
    assert row(result, "acces_soins").recall == 0


def test_stance_accuracy_on_true_positives_only(codebook):
    g = gold(("a", "x", [("sans_abri", "restrictif")]), ("b", "y", [("sans_abri", "favorable")]),
             ("c", "z", [("hygiene", "neutre")]))
    predicted = {"a": pred(("sans_abri", "favorable")), "b": pred(("sans_abri", "favorable"))}
    result = score(g, predicted, codebook)
    # the theme is found twice (recall counts both), the stance is right once
    assert row(result, "sans_abri").recall == 1
    assert result["stance_accuracy"] == pytest.approx(0.5)
    assert row(result, "sans_abri").stance_accuracy == pytest.approx(0.5)
    assert result["stance_confusion"]["restrictif"]["favorable"] == 1
    assert result["stance_confusion"]["favorable"]["favorable"] == 1
    wrong = result["errors"][result["errors"]["error"] == WRONG_STANCE]
    assert wrong[["passage_id", "gold_stance", "predicted_stance"]].values.tolist() == [
        ["a", "restrictif", "favorable"]
    ]


def test_restrictive_recall_needs_theme_and_stance(codebook):
    g = gold(
        ("a", "x", [("logement_social", "restrictif"), ("personnes_migrantes", "restrictif")]),
        ("b", "y", [("sans_abri", "restrictif")]),
        ("c", "z", [("acces_droits", "favorable")]),
    )
    predicted = {
        "a": pred(("logement_social", "restrictif"), ("personnes_migrantes", "favorable")),
        "b": pred(("ecoute_dignite", "restrictif")),          # right stance, wrong theme
        "c": pred(("acces_droits", "restrictif")),             # restrictive false alarm
    }
    result = score(g, predicted, codebook)
    assert result["n_gold_restrictive"] == 3
    assert result["restrictive_recall"] == pytest.approx(1 / 3)
    assert result["restrictive_precision"] == pytest.approx(1 / 3)


def test_unknown_ids_are_ignored_and_first_finding_wins(codebook):
    predicted = {"zzz": pred(("hygiene", "favorable")),
                 "p2": pred(("logement_social", "favorable"), ("logement_social", "restrictif"))}
    result = score(GOLD, predicted, codebook)
    assert result["n_predicted_units"] == 1
    assert row(result, "logement_social").stance_accuracy == 1


def test_theme_outside_codebook_gets_its_own_row(codebook):
    result = score(GOLD, {"p3": pred(("theme_invente", "favorable"))}, codebook)
    extra = row(result, "theme_invente")
    assert extra.fp == 1 and extra.label == "(hors codebook)"


# --------------------------------------------------------------------------- loading
def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"id": "x-1", "text": "Ouvrir un centre de santé.", "source": "programme",
                   "themes": [{"id": "acces_soins", "stance": "favorable"}]}, ensure_ascii=False)


def test_load_eval_set_reads_rows(tmp_path, codebook):
    other = json.dumps({"id": "x-2", "text": "Bonjour.", "themes": []})
    df = load_eval_set(write_lines(tmp_path / "ok.jsonl", [GOOD, "", other]), codebook)
    assert df["id"].tolist() == ["x-1", "x-2"]
    assert df.loc[0, "themes"] == [{"id": "acces_soins", "stance": "favorable"}]
    assert df.loc[1, "source"] == "programme"


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ({"id": "x-2", "text": "t", "themes": [{"id": "logement_sociaux", "stance": "favorable"}]},
         "thème inconnu « logement_sociaux »"),
        ({"id": "x-2", "text": "t", "themes": [{"id": "hygiene", "stance": "positif"}]},
         "position « positif »"),
        ({"id": "x-1", "text": "t", "themes": []}, "déjà utilisé ligne 1"),
        ({"id": "x-2", "text": "  ", "themes": []}, "« text » est vide"),
        ({"id": "x-2", "text": "t"}, "manquant"),
        ({"id": "x-2", "text": "t", "themes": [{"id": "hygiene", "stance": "neutre"},
                                                {"id": "hygiene", "stance": "favorable"}]},
         "annoté deux fois"),
        ({"id": "x-2", "text": "t", "source": "tract", "themes": []}, "source « tract »"),
    ],
)
def test_load_errors_name_file_and_line(tmp_path, codebook, bad, expected):
    path = write_lines(tmp_path / "jeu.jsonl", [GOOD, json.dumps(bad, ensure_ascii=False)])
    with pytest.raises(UserError) as err:
        load_eval_set(path, codebook)
    assert "jeu.jsonl, ligne 2" in str(err.value)
    assert expected in str(err.value)


def test_load_errors_bad_json_and_missing_file(tmp_path, codebook):
    other = json.dumps({"id": "x-2", "text": "Bonjour.", "themes": []})
    path = write_lines(tmp_path / "casse.jsonl", [GOOD, other, '{"id": "x-3", "text": '])
    with pytest.raises(UserError, match=r"casse\.jsonl, ligne 3 : JSON invalide"):
        load_eval_set(path, codebook)
    with pytest.raises(UserError, match="introuvable"):
        load_eval_set(tmp_path / "absent.jsonl", codebook)


# --------------------------------------------------------------------------- the labelled set
def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return re.sub(r"[\W_]+", " ", text).strip()


@pytest.fixture(scope="module")
def registry():
    return evaluation.load_sets(EVAL_DIR)


@pytest.fixture(scope="module")
def eval_sets(real_codebook, registry):
    sets, _ = registry
    return {s.name: load_eval_set(EVAL_DIR / s.file, real_codebook) for s in sets}


def test_published_set_is_a_frozen_test_set_untouched_since(registry):
    sets, published = registry
    by_name = {s.name: s for s in sets}
    assert by_name[published].role == "test" and by_name[published].sha256
    assert evaluation.frozen_problems(EVAL_DIR) == []


def test_a_changed_frozen_set_is_reported(tmp_path):
    (tmp_path / "test.jsonl").write_text('{"id": "t-1", "text": "x", "themes": []}\n', "utf-8")
    digest = evaluation.file_digest(tmp_path / "test.jsonl")
    (tmp_path / "sets.yml").write_text(
        f"published: test\nsets:\n- name: test\n  file: test.jsonl\n  role: test\n"
        f"  sha256: {digest}\n", "utf-8")
    assert evaluation.frozen_problems(tmp_path) == []
    with (tmp_path / "test.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"id": "t-2", "text": "y", "themes": []}\n')
    problems = evaluation.frozen_problems(tmp_path)
    assert len(problems) == 1 and "test.jsonl a changé depuis son gel" in problems[0]


def test_registry_errors_name_the_entry(tmp_path):
    (tmp_path / "sets.yml").write_text("sets:\n- name: test\n  file: t.jsonl\n  role: test\n",
                                       "utf-8")
    with pytest.raises(UserError, match=r"jeu n° 1 : un jeu de test doit être gelé"):
        evaluation.load_sets(tmp_path)
    (tmp_path / "sets.yml").write_text("sets:\n- name: a\n  file: a.jsonl\n  role: valid\n",
                                       "utf-8")
    with pytest.raises(UserError, match="rôle « valid » invalide"):
        evaluation.load_sets(tmp_path)


def test_realistic_sets_size_and_balance(eval_sets, real_codebook):
    """The coding-guide corpus: >= 1,500 passages, >= 40 % without theme, >= 80 restrictive
    units over >= 10 themes, every theme measurable in the test split."""
    both = pd.concat([eval_sets["dev"], eval_sets["test"]], ignore_index=True)
    assert len(both) >= 1500 and both["id"].is_unique
    assert sum(not themes for themes in both["themes"]) / len(both) >= 0.40
    units = [t for themes in both["themes"] for t in themes]
    restrictive = Counter(t["id"] for t in units if t["stance"] == "restrictif")
    assert sum(restrictive.values()) >= 80 and len(restrictive) >= 10
    test_themes = Counter(t["id"] for themes in eval_sets["test"]["themes"] for t in themes)
    assert set(real_codebook.theme_ids) <= set(test_themes)


def test_short_sets_size_and_balance(eval_sets, real_codebook):
    both = pd.concat([eval_sets["courts_dev"], eval_sets["courts_test"]], ignore_index=True)
    assert len(both) >= 450 and both["id"].is_unique
    units = [t for themes in both["themes"] for t in themes]
    per_theme = Counter(t["id"] for t in units)
    too_few = {t: per_theme[t] for t in real_codebook.theme_ids if per_theme[t] < 8}
    assert not too_few, f"themes with fewer than 8 labelled passages: {too_few}"
    assert sum(t["stance"] == "restrictif" for t in units) >= 40


def test_no_document_shared_between_dev_and_test(eval_sets):
    """The realistic split is by whole document: no passage id stem and no long text of the
    test split appears in any tuning set."""
    test = eval_sets["test"]
    tuning = pd.concat([df for name, df in eval_sets.items() if name != "test"])
    stems = {i.split("-", 1)[1] for i in tuning["id"] if i.startswith("dev-w")}
    assert not stems & {i.split("-", 1)[1] for i in test["id"]}
    # only what every list repeats can recur: the collective's eight questions, a slogan
    long_texts = {_norm(t) for t in tuning["text"] if len(t) > 60}
    shared = [t for t in test["text"] if len(t) > 60 and _norm(t) in long_texts
              and not t.rstrip().endswith("?")]
    assert len(shared) <= 0.005 * len(test)


def test_ids_are_unique_across_sets(eval_sets):
    ids = pd.concat([df["id"] for df in eval_sets.values()])
    assert ids.is_unique


def test_realistic_sets_rebuild_from_their_sources():
    """dev.jsonl and test.jsonl are exactly what the annotations and adjudication give."""
    import subprocess

    done = subprocess.run([sys.executable, str(EVAL_DIR.parents[1] / "scripts" /
                                               "build_eval_set.py")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    total = done.stdout.strip().splitlines()[-1]
    agreement = float(re.search(r"accord sur les thèmes \(F1\) ([\d.]+)", total).group(1))
    assert agreement >= 0.9


# --------------------------------------------------------------------------- running
class KeywordTagger:
    """A tiny stand-in for analysis.tagging.Tagger (same tag_texts contract)."""

    RULES = {"logement": "logement_social", "santé": "acces_soins"}

    def tag_texts(self, texts):
        out = []
        for text in texts:
            found = [
                {"id": theme, "stance": "restrictif" if "fermer" in text.lower() else "favorable",
                 "strength": "general", "evidence": word}
                for word, theme in self.RULES.items() if word in text.lower()
            ]
            out.append(found)
        return out


def _mini_split(path, prefix):
    rows = [
        {"id": f"{prefix}-1", "text": "Construire 200 logements sociaux.",
         "themes": [{"id": "logement_social", "stance": "favorable"}]},
        {"id": f"{prefix}-2", "text": "=HYPERLINK(\"http://x\") centre de santé",
         "themes": []},
        {"id": f"{prefix}-3", "text": "-Fermer le centre de santé et l'accueil de nuit.",
         "themes": [{"id": "acces_soins", "stance": "restrictif"},
                    {"id": "hebergement_urgence", "stance": "restrictif"}]},
    ]
    write_lines(path, [json.dumps(r, ensure_ascii=False) for r in rows])


@pytest.fixture
def mini_eval(tmp_path):
    eval_dir = tmp_path / "eval"
    eval_dir.mkdir()
    for split in ("dev", "test"):
        _mini_split(eval_dir / f"{split}.jsonl", split)
    cfg = load_config(reports=tmp_path / "reports")
    return cfg, eval_dir


def test_run_evaluation_writes_metrics_for_both_splits(mini_eval, codebook, monkeypatch,
                                                       capsys):
    cfg, eval_dir = mini_eval
    monkeypatch.setattr(evaluation, "_tagger", lambda cfg: KeywordTagger())
    results = run_evaluation(cfg, eval_dir=eval_dir, codebook=codebook)
    assert set(results) == {"dev", "test"}
    test = results["test"]
    # units: logement tp, santé fp (p2), santé tp restrictif (p3), hébergement fn
    assert (test["tp"], test["fp"], test["fn"]) == (2, 1, 1)
    assert test["restrictive_recall"] == pytest.approx(0.5)
    out = capsys.readouterr().out
    assert "jeu « dev »" in out and "jeu « test »" in out and "Micro" in out
    for split in ("dev", "test"):
        metrics = json.loads((cfg.metrics_dir / f"evaluation_{split}.json").read_text("utf-8"))
        assert metrics["split"] == split and metrics["n_passages"] == 3
        assert metrics["micro_f1"] == pytest.approx(2 / 3)
        assert len(metrics["per_theme"]) == len(codebook.theme_ids)
    per_theme = pd.read_csv(cfg.metrics_dir / "per_theme_test.csv")
    assert {"précision", "rappel", "F1", "support (annotés)"} <= set(per_theme.columns)
    raw = (cfg.metrics_dir / "erreurs_test.csv").read_text("utf-8")
    # texts that a spreadsheet would run are neutralised, and restored by read_csv_safe
    assert "'=HYPERLINK" in raw and "'-Fermer" in raw
    errors = read_csv_safe(cfg.metrics_dir / "erreurs_test.csv")
    assert set(errors["type d'erreur"]) == {FALSE_POSITIVE, FALSE_NEGATIVE}
    assert errors["texte"].str.startswith("=HYPERLINK").any()


def test_run_evaluation_single_split(mini_eval, codebook):
    cfg, eval_dir = mini_eval
    result = run_evaluation(cfg, split="dev", tagger=KeywordTagger(), eval_dir=eval_dir,
                            codebook=codebook)
    assert result["n_passages"] == 3 and "per_theme" in result
    assert not (cfg.metrics_dir / "evaluation_test.json").exists()
    with pytest.raises(UserError, match="inconnu"):
        run_evaluation(cfg, split="valid", tagger=KeywordTagger(), eval_dir=eval_dir,
                       codebook=codebook)


def test_missing_tagger_module_is_a_user_error(mini_eval, codebook, monkeypatch):
    cfg, eval_dir = mini_eval
    monkeypatch.setitem(sys.modules, "analysis.tagging", None)
    with pytest.raises(UserError, match="analysis.tagging"):
        run_evaluation(cfg, eval_dir=eval_dir, codebook=codebook)


def test_error_analysis_helpers(codebook):
    predicted = {"p1": pred(("logement_social", "restrictif")),
                 "p2": pred(("hebergement_urgence", "favorable")),
                 "p3": pred(("logement_social", "neutre"))}
    result = score(GOLD, predicted, codebook)
    summary_table = evaluation.error_summary(result)
    assert summary_table.loc["logement_social", FALSE_POSITIVE] == 1
    assert summary_table.loc["logement_social", FALSE_NEGATIVE] == 1
    assert summary_table.loc["logement_social", WRONG_STANCE] == 1
    assert summary_table["total"].sum() == len(result["errors"]) == 5
    sample = evaluation.error_sample(result, n=1)
    assert Counter(sample["error"]) == {FALSE_POSITIVE: 1, FALSE_NEGATIVE: 1}
    worst = evaluation.worst_themes(result, n=2)
    assert worst["theme_id"].tolist() == ["personnes_migrantes", "logement_social"]


# --------------------------------------------------------------------------- intervals
def _noisy_set(n: int):
    """n passages with one gold theme each; every third prediction wrong."""
    rows, predicted = [], {}
    for i in range(n):
        rows.append((f"p{i}", "texte", [("sans_abri", "favorable")]))
        predicted[f"p{i}"] = pred(("hygiene" if i % 3 == 0 else "sans_abri", "favorable"))
    return gold(*rows), predicted


def test_bootstrap_interval_brackets_the_point_estimate_and_shrinks_with_data(codebook):
    small = score(*_noisy_set(30), codebook)
    large = score(*_noisy_set(600), codebook)
    for result in (small, large):
        low, high = result["ci95"]["micro_f1"]
        assert low <= result["micro_f1"] <= high
        assert low < high
    width = {name: r["ci95"]["micro_f1"][1] - r["ci95"]["micro_f1"][0]
             for name, r in (("small", small), ("large", large))}
    assert width["large"] < width["small"] / 2


def test_bootstrap_is_reproducible_and_degenerate_when_perfect(codebook):
    first, second = score(*_noisy_set(60), codebook), score(*_noisy_set(60), codebook)
    assert first["ci95"] == second["ci95"]
    perfect = score(GOLD, {"p1": pred(("logement_social", "favorable"),
                                      ("personnes_migrantes", "restrictif")),
                           "p2": pred(("logement_social", "favorable"))}, codebook)
    assert perfect["ci95"]["micro_f1"] == [1.0, 1.0]


def test_interval_is_printed_in_french(codebook):
    result = score(*_noisy_set(60), codebook)
    table = evaluation.format_table(result, "test")
    assert re.search(r"F1 0,\d\d \[IC 95 % 0,\d\d – 0,\d\d\]", table)
