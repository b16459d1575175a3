"""Shared review: one workbook per association (config `reviewers:`), per list or per
axis, each with only its themes; review-import takes them all, reports the share of tags
decided and the conflicts between associations."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from factories.workbook import REVIEWERS, header, make_shared_project, row_of

from analysis.cli import main
from analysis.common.errors import UserError
from analysis.config import Config
from analysis.review import run_review_import
from analysis.workbook.stage import SPLIT_FOLDER, run_export


def shared_project(tmp_path: Path, reviewers) -> Config:
    return make_shared_project(tmp_path, reviewers)


def themes_of(path: Path) -> list[tuple[str, str]]:
    ws = openpyxl.load_workbook(path)["Passages"]
    head, cols = header(ws)
    return [(ws.cell(r, cols["passage_id"]).value, ws.cell(r, cols["theme_id"]).value)
            for r in range(head + 1, ws.max_row + 1)]


def test_three_association_workbooks_round_trip(tmp_path, capsys):
    cfg = shared_project(tmp_path, REVIEWERS)
    run_export(cfg, split="association")
    out = capsys.readouterr().out
    folder = cfg.exports_dir / SPLIT_FOLDER
    named = {p.stem.rsplit("_", 1)[-1]: p for p in sorted(folder.glob("*.xlsx"))}
    assert set(named) == {"banque-alimentaire", "droits", "accueil-de-nuit"}, named
    files = {"alimentaire": named["banque-alimentaire"], "droits": named["droits"],
             "nuit": named["accueil-de-nuit"]}
    assert sorted(themes_of(files["alimentaire"])) == [("p1", "hebergement_urgence"),
                                                       ("p2", "sans_abri")]
    assert sorted(themes_of(files["droits"])) == [
        ("p3", "acces_droits"), ("p4", "partenariat_associatif"),
        ("p5", "partenariat_associatif"), ("p7", "partenariat_associatif")]
    assert themes_of(files["nuit"]) == [("p2", "sans_abri")]
    assert "aucune association" in out and "Logements sociaux" in out  # themes left out
    readme = openpyxl.load_workbook(files["nuit"])["Lisez-moi"]
    assert any("Accueil de nuit" in str(c.value) for c in readme["A"] if c.value)

    decisions = {
        "alimentaire": ("Samira", {("p1", "hebergement_urgence"): "Valider",
                                   ("p2", "sans_abri"): "Valider"}),
        "droits": ("Joël", {("p3", "acces_droits"): "Rejeter"}),
        "nuit": ("Nadia", {("p2", "sans_abri"): "Rejeter"}),
    }
    returned = []
    for key, (name, rows) in decisions.items():
        wb = openpyxl.load_workbook(files[key])
        ws = wb["Passages"]
        _, cols = header(ws)
        for (pid, theme), value in rows.items():
            ws.cell(row_of(ws, pid, theme), cols["Décision"]).value = value
        readme = wb["Lisez-moi"]
        label = next(r for r in readme.iter_rows(max_row=30, max_col=2)
                     if r[0].value and str(r[0].value).startswith("Votre nom"))
        label[1].value = name
        target = tmp_path / f"retour_{key}.xlsx"
        wb.save(target)
        returned.append(str(target))
    summary = run_review_import(cfg, returned)
    out = capsys.readouterr().out
    assert summary.new == 4 and not summary.errors
    assert len(summary.conflicts) == 1                 # Samira validated, Nadia rejected
    conflict = summary.conflicts.iloc[0]
    assert (conflict["passage_id"], conflict["theme_id"]) == ("p2", "sans_abri")
    assert "Samira" in conflict["reviewers"] and "Nadia" in conflict["reviewers"]
    progress = summary.progress.set_index("theme_id")
    assert progress.loc["sans_abri", "share"] == 1.0
    assert progress.loc["partenariat_associatif", "n_decided"] == 0
    assert progress.loc["partenariat_associatif", "n_tags"] == 3
    assert "Relecture : 3 étiquettes sur 6 ont une décision (50 %)" in out
    assert "make report" in out


def test_by_list_and_by_axis(tmp_path):
    cfg = shared_project(tmp_path, REVIEWERS)
    run_export(cfg, split="liste")
    folder = cfg.exports_dir / SPLIT_FOLDER
    by_list = {p.stem: p for p in folder.glob("*.xlsx")}
    assert len(by_list) == len(cfg.lists)
    avenir = next(p for s, p in by_list.items() if s.endswith("aix-avenir"))
    assert {pid for pid, _ in themes_of(avenir)} == {"p3", "p4", "p5"}
    for p in by_list.values():
        p.unlink()
    run_export(cfg, split="axe")
    assert len(list(folder.glob("*.xlsx"))) == len(cfg.codebook.axes)


@pytest.mark.parametrize(("reviewers", "words"), [
    ([{"name": "X", "themes": ["aide_alimentaire_typo"]}],
     ["reviewers[0].themes", "aide_alimentaire_typo", "hebergement_urgence"]),
    ([{"name": "X", "axes": ["solidarite"]}], ["reviewers[0].axes", "solidarite", "protection"]),
    ([{"name": "X", "themes": ["sans_abri"], "lists": ["aix-sud"]}],
     ["reviewers[0].lists", "aix-sud", "aix-avenir"]),
    ([{"name": "X"}], ["reviewers[0]", "themes", "axes"]),
    ([{"name": "X", "themes": "sans_abri"}], ["reviewers[0].themes", "n'est pas une liste"]),
    ([{"name": "X", "themes": ["sans_abri"], "theme": ["x"]}], ["inconnue", "theme"]),
    ([{"name": "A", "themes": ["sans_abri"]}, {"name": "a", "themes": ["sans_abri"]}],
     ["reviewers[1]", "déjà pris"]),
])
def test_reviewers_section_errors_name_key_value_and_allowed(tmp_path, reviewers, words):
    with pytest.raises(UserError) as err:  # shape: at load (config check); ids: at export
        run_export(shared_project(tmp_path, reviewers), split="association")
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_cli_export_par_association(tmp_path, capsys):
    cfg = shared_project(tmp_path, REVIEWERS)
    code = main(["export", "--config", str(cfg.source), "--raw", str(cfg.raw),
                 "--processed", str(cfg.processed), "--reports", str(cfg.reports),
                 "--reviews", str(cfg.reviews), "--par-association", "--zip"])
    assert code == 0
    folder = cfg.exports_dir / SPLIT_FOLDER
    assert len(list(folder.glob("*.xlsx"))) == 3 and len(list(folder.glob("*.zip"))) == 3
