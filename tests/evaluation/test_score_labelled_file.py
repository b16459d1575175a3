"""scripts/score_labelled_file.py: the tagger scored on a labelled file outside data/eval."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from factories.scripts import load_script

pytestmark = pytest.mark.slow


def _script():
    return load_script("score_labelled_file")


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def test_a_labelled_file_is_scored_as_a_whole_and_per_group(tmp_path, capsys):
    lot = tmp_path / "lot.jsonl"
    _write(lot, [
        {"id": "a1", "text": "Ouvrir une épicerie solidaire dans chaque quartier.",
         "document": "propositions",
         "themes": [{"id": "aide_alimentaire", "stance": "favorable"}]},
        {"id": "a2", "text": "Refaire la chaussée de la rue des Tilleuls.",
         "document": "propositions", "themes": []},
        {"id": "b1", "text": "Nous ouvrirons un centre de santé municipal.",
         "document": "programme", "section": "Santé",
         # a unit the tagger finds, labelled here with the wrong theme: one FP, one FN
         "themes": [{"id": "hygiene", "stance": "favorable"}]},
    ])
    errors = tmp_path / "erreurs.csv"
    assert _script().main([str(lot), "--par", "document", "--erreurs", str(errors)]) == 0
    out = capsys.readouterr().out
    assert "document = propositions : 2 passages, 1 unités ; précision 1,00, rappel 1,00" in out
    assert "document = programme : 1 passages, 1 unités ; précision 0,00" in out
    table = pd.read_csv(errors)
    assert set(zip(table["passage_id"], table["theme_id"], strict=True)) == {
        ("b1", "acces_soins"), ("b1", "hygiene")}


def test_a_bad_line_is_refused_with_the_file_and_line_named(tmp_path, capsys):
    lot = tmp_path / "lot.jsonl"
    lot.write_text('{"id": "a1", "text": "Un texte.", "themes": []}\n{"id": "a2"}\n',
                   encoding="utf-8")
    assert _script().main([str(lot)]) == 2
    err = capsys.readouterr().err
    assert "lot.jsonl, ligne 2" in err and "themes" in err
