"""The config is checked like a form (issue 16): every mistake is one French line naming
the key, the value and what is allowed, raised before any stage runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis.common.errors import UserError
from analysis.config import DEFAULT_CONFIG, PROJECT_ROOT, load_config


def _demo() -> dict:
    return yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict | None = None, text: str | None = None) -> Path:
    path = tmp_path / "cfg.yml"
    if text is None:
        text = yaml.safe_dump(data, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def _lines(tmp_path: Path, data: dict | None = None, text: str | None = None) -> list[str]:
    with pytest.raises(UserError) as err:
        load_config(_write(tmp_path, data, text))
    return str(err.value).splitlines()


def _set(path: str, value):
    def change(d):
        keys = path.split(".")
        cur = d
        for k in keys[:-1]:
            cur = cur[int(k)] if k.isdigit() else cur[k]
        last = keys[-1]
        if last.isdigit():
            cur[int(last)] = value
        else:
            cur[last] = value
        return d
    return change


MISTAKES = [
    ("demo-string", _set("demo", "false"), "demo", "sans guillemets"),
    ("demo-non", _set("demo", "non"), "demo", "true ou demo: false"),
    ("id-dot", _set("lists.0.id", "ville.sud"), "lists[0]", "sans point"),
    ("id-slash", _set("lists.0.id", "aix/sud"), "lists[0]", "barre"),
    ("aliases-string", _set("lists.3.aliases", "Avenir"), "aliases", "liste de noms"),
    ("colour", _set("lists.0.colour", "vert"), "colour", "couleur CSS"),
    ("html-name", _set("lists.0.name", '<a href="https://x.example">Aix</a>'), "name",
     "balisage HTML"),
    ("workbook-path", _set("exports.workbook", "../../.."), "exports.workbook",
     "simple nom de fichier"),
    ("date", _set("data_date", "2026-02-30"), "data_date", "date AAAA-MM-JJ"),
    ("wrong-type-lists", _set("lists", "aix-solidaire"), "lists", "une liste"),
    ("wrong-type-commune", _set("commune", ["Aix"]), "commune", "texte"),
    ("wrong-type-questions", _set("questionnaire.questions", {"q1": "x"}),
     "questionnaire.questions", "une liste"),
    ("path-outside", _set("paths.reports", "../../elsewhere"), "paths.reports", "sort du projet"),
    ("reviewers-string", _set("reviewers", "banque"), "reviewers", "une liste"),
    ("reviewer-key", _set("reviewers", [{"name": "Banque", "themes": ["t"], "theme": "t"}]),
     "reviewers[0].theme", "clés possibles"),
    ("reviewer-themes-string", _set("reviewers", [{"name": "Banque", "themes": "t"}]),
     "reviewers[0].themes", "n'est pas une liste"),
    ("reviewer-no-name", _set("reviewers", [{"themes": ["t"]}]), "reviewers[0].name",
     "manquant"),
    # ids that must exist in the codebook or the lists, checked at load, not in a stage
    ("question-axis", _set("questionnaire.questions.0.axis", "partnership"),
     "questionnaire.questions[0].axis", "axes possibles : partenariat, inclusion, protection"),
    ("reviewer-theme", _set("reviewers", [{"name": "Banque", "themes": ["aide_alimentair"]}]),
     "reviewers[0].themes[0]", "aide_alimentaire"),
    ("reviewer-list", _set("reviewers", [{"name": "Banque", "axes": ["protection"],
                                          "lists": ["aix-futur"]}]),
     "reviewers[0].lists[0]", "listes possibles : aix-solidaire"),
    ("reviewer-neither", _set("reviewers", [{"name": "Banque"}]), "reviewers[0]",
     "themes et/ou axes"),
    ("elected", _set("mandate.elected", "aix-futur"), "mandate.elected", "aix-avenir"),
    ("years", _set("mandate.years", 60), "mandate.years", "entre 1 et 10"),
    ("threshold", _set("review", {"threshold": 80}), "review.threshold", "entre 0 et 1"),
    ("min-reviews", _set("review", {"min_reviews_for_precision": -3}),
     "review.min_reviews_for_precision", "entier positif"),
    ("unknown-nested", _set("questionnaire.form.list_colum", "Liste"),
     "questionnaire.form.list_colum", "list_column"),
]


@pytest.mark.parametrize("change,key,allowed", [m[1:] for m in MISTAKES],
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_one_french_line_naming_key_and_what_is_allowed(tmp_path, change, key,
                                                                         allowed):
    lines = _lines(tmp_path, change(_demo()))
    assert len(lines) == 1, lines
    assert key in lines[0] and allowed in lines[0] and "cfg.yml" in lines[0]


def test_duplicate_question_ids_and_list_ids_are_refused(tmp_path):
    data = _demo()
    data["questionnaire"]["questions"][1]["id"] = "q1"
    data["lists"][1]["id"] = data["lists"][0]["id"]
    lines = _lines(tmp_path, data)
    assert len(lines) == 2
    assert any("questions[1].id" in x and "déjà pris" in x for x in lines)
    assert any("lists[1]" in x and "déjà pris" in x for x in lines)


def test_impossible_date_in_election_is_named_not_a_traceback(tmp_path):
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("round2: 2026-03-22",
                                                              "round2: 2026-02-30")
    lines = _lines(tmp_path, text=text)
    assert lines == [line for line in lines if "election.round2" in line] and len(lines) == 1


def test_config_saved_in_windows_1252_is_named(tmp_path):
    path = tmp_path / "cfg.yml"
    path.write_bytes(DEFAULT_CONFIG.read_text(encoding="utf-8").encode("cp1252", "replace"))
    with pytest.raises(UserError, match=r"pas en UTF-8.*ligne \d+.*UTF-8"):
        load_config(path)


@pytest.mark.parametrize("codebook,expected", [
    ("", "clé obligatoire"),
    ("name: x\nversion: '1'\naxes:\n  - {id: a, label: A}\nthemes: []\n", "aucun thème"),
], ids=["empty", "no-themes"])
def test_codebook_mistakes_stop_before_any_stage(tmp_path, codebook, expected):
    cb = tmp_path / "cb.yml"
    cb.write_text(codebook, encoding="utf-8")
    data = _demo()
    data["codebook"] = str(cb)
    with pytest.raises(UserError, match=expected):
        load_config(_write(tmp_path, data))


def test_several_mistakes_are_all_listed_at_once(tmp_path):
    data = _demo()
    data["demo"] = "oui"
    data["lists"][0]["colour"] = "vert"
    data["lists"][2]["aliases"] = "Mouvement"
    assert len(_lines(tmp_path, data)) == 3


def test_valid_configs_still_load_and_css_names_become_hex(tmp_path):
    data = _demo()
    data["lists"][0]["colour"] = "darkgreen"
    cfg = load_config(_write(tmp_path, data))
    assert cfg.list_colours()["aix-solidaire"] == "#006400"
    assert load_config().list_colours()["aix-solidaire"] == "#009E73"  # kept as written


def test_a_reviewers_section_is_accepted_and_the_demo_guard_still_holds(tmp_path):
    data = _demo()
    data["reviewers"] = [{"name": "Banque alimentaire", "file": "banque",
                          "themes": ["aide_alimentaire"], "lists": ["aix-avenir"]}]
    cfg = load_config(_write(tmp_path, data))
    assert cfg.data["reviewers"][0]["name"] == "Banque alimentaire"
    data["demo"] = False                       # a real analysis pointed at the demo folders
    lines = _lines(tmp_path, data)
    assert "demo: false" in lines[0] and "FICTIVES" in lines[0]


def test_the_cli_prints_the_line_and_runs_no_stage(tmp_path):
    data = _demo()
    data["demo"] = "false"
    path = _write(tmp_path, data)
    out = subprocess.run([sys.executable, "-m", "analysis", "ingest", "--config", str(path),
                          "--processed", str(tmp_path / "p")], capture_output=True, text=True,
                         cwd=PROJECT_ROOT)
    assert out.returncode != 0
    assert "demo vaut « false »" in out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "p").exists()
