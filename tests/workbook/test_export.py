"""The review workbook: sheets, drop-downs, layout, links, formula safety, archiving.

The hand-made project (`factories.workbook.make_project`, fixture `project` in
tests/conftest.py) is shared with the review tests.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.workbook import (
    INJECTED,
    base_tags,
    header,
    row_of,
    validations,
)

from analysis.common.errors import UserError
from analysis.common.safe_text import (
    neutralise_csv_cell,
    read_csv_safe,
    restore_csv_cell,
    to_csv_safe,
)
from analysis.config import Config
from analysis.workbook import run_export


@pytest.fixture
def workbook(project: Config):
    path = run_export(project)
    return openpyxl.load_workbook(path)


def test_workbook_is_named_demo_and_has_every_sheet(project: Config, workbook):
    assert project.workbook_path.name == "barometre_solidarite_DEMO_donnees_fictives.xlsx"
    assert workbook.sheetnames[:6] == ["Lisez-moi", "Synthèse", "Passages", "Non étiquetés",
                                       "Questionnaire", "Thèmes"]
    assert "Accord" not in workbook.sheetnames          # no decision yet
    assert workbook["_listes"].sheet_state == "hidden"
    readme = workbook["Lisez-moi"]
    top = readme["A1"]
    assert "DONNÉES FICTIVES" in top.value and top.font.b and top.font.color.rgb.endswith("C00000")
    text = "\n".join(str(c.value) for c in readme["A"] if c.value)
    assert "27 février 2026" in text and "review-import" in text
    assert "Valider" in text and "Rejeter" in text and "Corriger" in text
    documented = {(c[0].value, c[1].value) for c in readme.iter_rows(min_col=1, max_col=2)}
    for column in ("Décision", "Thème corrigé", "Position corrigée", "Relecteur", "Texte"):
        assert ("Passages", column) in documented
    assert ("Non étiquetés", "Thème ajouté") in documented


def test_passages_sheet_has_one_row_per_passage_and_theme(workbook):
    ws = workbook["Passages"]
    head, cols = header(ws)
    for name in ("passage_id", "Liste", "Source", "Document", "Page", "Section", "Thème",
                 "theme_id", "Axe", "Position", "Force", "Indices", "Texte", "Décision",
                 "Thème corrigé", "Position corrigée", "Commentaire", "Relecteur"):
        assert name in cols, name
    rows = [(ws.cell(r, cols["passage_id"]).value, ws.cell(r, cols["theme_id"]).value)
            for r in range(head + 1, ws.max_row + 1)]
    assert sorted(rows) == sorted(zip(base_tags().passage_id, base_tags().theme_id,
                                      strict=True))
    r = row_of(ws, "p1", "hebergement_urgence")
    assert ws.cell(r, cols["Liste"]).value == "Aix Solidaire et Écologique"
    assert ws.cell(r, cols["Thème"]).value == "Hébergement d'urgence"
    assert ws.cell(r, cols["Page"]).value == 2
    untagged = workbook["Non étiquetés"]
    head, cols = header(untagged)
    ids = [untagged.cell(r, cols["passage_id"]).value for r in range(head + 1,
                                                                       untagged.max_row + 1)]
    assert ids == ["p6"]
    for name in ("Thème ajouté", "Position", "Commentaire", "Relecteur"):
        assert name in cols


def test_review_columns_have_drop_downs(workbook):
    ws = workbook["Passages"]
    head, cols = header(ws)
    letter = {name: openpyxl.utils.get_column_letter(j) for name, j in cols.items()}
    dvs = validations(ws)
    rng, formula = dvs[f"{letter['Décision']}{head + 1}"]
    assert formula == '"Valider,Rejeter,Corriger"'
    last = int(rng.split(":")[1][1:])
    assert last > ws.max_row, "drop-downs must also cover rows added under the table"
    _, formula = dvs[f"{letter['Position corrigée']}{head + 1}"]
    assert formula == '"favorable,restrictif,neutre"'
    _, formula = dvs[f"{letter['Thème corrigé']}{head + 1}"]
    sheet, cells = formula.split("!")
    assert sheet.strip("'") == "_listes"
    themes = [c.value for row in workbook["_listes"][cells.replace("$", "")] for c in row]
    assert len(themes) == 25 and "Hébergement d'urgence" in themes
    assert len(",".join(themes)) > 255, "that is why the list lives on a hidden sheet"
    untagged = workbook["Non étiquetés"]
    head, cols = header(untagged)
    letter = {name: openpyxl.utils.get_column_letter(j) for name, j in cols.items()}
    dvs = validations(untagged)
    assert dvs[f"{letter['Thème ajouté']}{head + 1}"][1] == formula
    assert dvs[f"{letter['Position']}{head + 1}"][1] == '"favorable,restrictif,neutre"'


@pytest.mark.parametrize("sheet", ["Passages", "Non étiquetés", "Questionnaire", "Thèmes"])
def test_tables_have_frozen_header_filter_and_fitted_print(workbook, sheet):
    ws = workbook[sheet]
    head, cols = header(ws)
    # list, text and proposed theme stay in view on the review sheets
    frozen = {"Passages": "D", "Non étiquetés": "C"}.get(sheet, "A")
    assert ws.freeze_panes == f"{frozen}{head + 1}"
    ref = ws.auto_filter.ref
    assert ref.startswith(f"A{head}:") and openpyxl.utils.get_column_letter(len(cols)) in ref
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{head}:{head}"
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width
              for j in cols.values()]
    assert all(6 <= w <= 100 for w in widths)


def test_candidate_text_stays_text(workbook):
    ws = workbook["Passages"]
    _, cols = header(ws)
    for pid, text in INJECTED.items():
        sheet = ws if pid != "p6" else workbook["Non étiquetés"]
        cell = sheet.cell(row_of(sheet, pid), cols["Texte"])
        assert cell.value == text, "the visible text is unchanged"
        assert cell.data_type == "s"
    formulas = [c.coordinate for s in workbook.worksheets for row in s.iter_rows()
                for c in row if c.data_type == "f"]
    assert formulas == []


def test_document_link_points_to_the_raw_file_and_pdf_page(project, workbook):
    ws = workbook["Passages"]
    _, cols = header(ws)
    link = ws.cell(row_of(ws, "p1"), cols["Document"]).hyperlink.target
    path, fragment = link.split("#")
    assert fragment == "page=2"
    expected = os.path.relpath(project.raw / "programmes/aix-solidaire/programme.pdf",
                               project.workbook_path.parent)
    assert path == Path(expected).as_posix()
    assert (project.workbook_path.parent / path).resolve().is_file()
    link = ws.cell(row_of(ws, "p3"), cols["Document"]).hyperlink.target
    assert "#" not in link and (project.workbook_path.parent / link).resolve().is_file()


def test_synthesis_speaks_the_level_vocabulary_of_the_charts(project, workbook):
    from analysis.coverage.compute import LEVEL_LABELS, overall
    from analysis.publish.template import LEVEL_COLOURS

    ws = workbook["Synthèse"]
    assert "DONNÉES FICTIVES" in ws["A1"].value
    head = next(c.row for c in ws["A"] if c.value == "Axe")
    names = [c.value for c in ws[head]]
    col = {n: i for i, n in enumerate(names, start=1)}
    row = {ws.cell(r, 3).value: r for r in range(head + 1, head + 40)
           if ws.cell(r, 3).value}
    # every cell of the first block is the level of the combined coverage, in words and
    # in the chart's colour
    cov = overall(pd.read_parquet(project.coverage_path))
    for rec in cov.to_dict("records"):
        cell = ws.cell(row[rec["theme_id"]], col[project.list_name(rec["list_id"])])
        assert cell.value == LEVEL_LABELS[rec["level"]], (rec["list_id"], rec["theme_id"])
        assert cell.fill.fgColor.rgb.endswith(LEVEL_COLOURS[rec["level"]].lstrip("#"))
    assert ws.cell(row["hebergement_urgence"], col["Aix Solidaire et Écologique"]).value \
        == "engagement concret"
    avenir = ws.cell(row["partenariat_associatif"], col["Aix Avenir"]).value
    assert avenir in ("position restrictive", "position mixte")   # restrictive in programme
    values = {str(c.value) for r in ws.iter_rows() for c in r if c.value is not None}
    assert not any("▼" in v or "score" in v.lower() for v in values)
    subtotal = next(r for r in range(head + 1, head + 40)
                    if str(ws.cell(r, 2).value).startswith("Sous-total"))
    partenariat = [t for t, r in row.items() if r < subtotal]
    expected = int((cov[(cov["list_id"] == "aix-avenir") & cov["theme_id"].isin(partenariat)]
                    ["level"] != "absent").sum())
    assert ws.cell(subtotal, col["Aix Avenir"]).value == expected >= 1
    # the per-source blocks: a list that did not answer is "pas de réponse", not silence
    quest = next(c.row for c in ws["A"] if str(c.value).startswith("Source : questionnaire"))
    q_head = quest + 1
    q_rows = {ws.cell(r, 3).value: r for r in range(q_head + 1, q_head + 40)
              if ws.cell(r, 3).value}
    assert ws.cell(q_rows["sans_abri"], col["Aix Citoyenne"]).value == "pas de réponse"
    # review share per list, never "relue" on no review
    share_row = next(r for r in range(head, ws.max_row + 1)
                     if ws.cell(r, 2).value == "Relecture des étiquettes de la liste")
    assert ws.cell(share_row, col["Aix Avenir"]).value == "non relue"
    assert "non relue" in ws["A2"].value


def test_questionnaire_sheet_lists_lists_without_answer(project, workbook):
    ws = workbook["Questionnaire"]
    head, cols = header(ws)
    rows = {ws.cell(r, cols["Liste"]).value: r for r in range(head + 1, ws.max_row + 1)}
    assert set(rows) == {li.name for li in project.lists}
    avenir = rows["Aix Avenir"]
    assert ws.cell(avenir, cols["N° de question"]).value == "q1"
    assert "Partenariat" in ws.cell(avenir, cols["Thèmes trouvés"]).value
    assert "Aucune réponse" in ws.cell(rows["Aix Citoyenne"], cols["Réponse"]).value


def test_themes_sheet_is_the_codebook(workbook):
    ws = workbook["Thèmes"]
    head, cols = header(ws)
    ids = [ws.cell(r, cols["theme_id"]).value for r in range(head + 1, ws.max_row + 1)]
    assert len(ids) == 25 and ids[0] == "partenariat_associatif"


def test_missing_coverage_says_which_command_to_run(project):
    project.coverage_path.unlink()
    with pytest.raises(UserError, match="python -m analysis coverage"):
        run_export(project)


def test_an_edited_workbook_is_archived_never_overwritten(project, capsys):
    path = run_export(project)
    run_export(project)                                  # unchanged: simply replaced
    assert not (path.parent / "archives").exists()
    wb = openpyxl.load_workbook(path)
    ws = wb["Passages"]
    _, cols = header(ws)
    ws.cell(row_of(ws, "p2"), cols["Décision"]).value = "Rejeter"
    wb.save(path)
    capsys.readouterr()
    run_export(project)
    out = capsys.readouterr().out
    archives = list((path.parent / "archives").glob("*.xlsx"))
    assert len(archives) == 1 and archives[0].name.startswith(path.stem)
    assert "1 décision(s) pas encore importée(s)" in out and "review-import" in out
    kept = openpyxl.load_workbook(archives[0])["Passages"]
    assert kept.cell(row_of(kept, "p2"), cols["Décision"]).value == "Rejeter"


# safe_text ------------------------------------------------------------------------------
TEXTS = ["=1+1", "+33 6", "-10 %", "@cmd", "\tx", "\rx", "'=x", "''=x", "'plain", "plain", "",
         "a=b", "'", "=", "-"]


@pytest.mark.parametrize("text", TEXTS)
def test_csv_neutralisation_is_reversible(text):
    safe = neutralise_csv_cell(text)
    assert safe[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore_csv_cell(safe) == text


def test_csv_writer_neutralises_and_reader_restores(tmp_path: Path):
    df = pd.DataFrame({"texte": list(INJECTED.values()) + ["normal"], "n": range(5)})
    path = to_csv_safe(df, tmp_path / "x.csv")
    raw = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and "'+33" in raw and "'-10 %" in raw and "'@SOMME" in raw
    back = read_csv_safe(path)
    assert list(back["texte"]) == list(df["texte"])


def test_review_columns_take_their_headers_from_the_contracts():
    import yaml

    from analysis.workbook.columns import COLUMNS_FILE

    doc = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    shared = [e for v in doc["shared"].values() for e in (v if isinstance(v, list) else [v])]
    review = [e for e in shared + [e for s in ("passages", "untagged")
                                   for e in doc["sheets"][s]] if e.get("review")]
    assert review and all("contract" in e for e in review)


def _review(cfg: Config, tmp_path: Path, decisions: dict[tuple[str, str], str]) -> None:
    """Fill the Passages sheet like a volunteer would and import it."""
    from analysis.review import run_review_import

    wb = openpyxl.load_workbook(run_export(cfg))
    ws = wb["Passages"]
    _, cols = header(ws)
    for (pid, theme), decision in decisions.items():
        r = row_of(ws, pid, theme)
        ws.cell(r, cols["Décision"]).value = decision
        ws.cell(r, cols["Relecteur"]).value = "Camille"
    filled = tmp_path / "relu_camille.xlsx"
    wb.save(filled)
    run_review_import(cfg, [str(filled)])


def _sheet_text(ws) -> str:
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_accord_on_three_reviews_shows_no_precision_and_never_says_relue(project, tmp_path):
    from analysis.publish.wording import typography_problems

    _review(project, tmp_path, {("p1", "hebergement_urgence"): "Valider",
                                ("p2", "sans_abri"): "Rejeter",
                                ("p5", "partenariat_associatif"): "Valider"})
    wb = openpyxl.load_workbook(run_export(project))
    accord = _sheet_text(wb["Accord"])
    assert "Trop peu d'étiquettes relues (3)" in accord and "au moins 30" in accord
    assert "0,00" not in accord and "67" not in accord       # 2/3 is never shown
    assert "trop peu de relectures" in accord                  # per theme too
    assert re.search(r"relue à \d+\u00a0% seulement \(non validée", accord)
    unqualified = re.compile(r"analyse automatique relue(?! à)")
    for name in ("Lisez-moi", "Synthèse", "Accord"):
        assert not unqualified.search(_sheet_text(wb[name])), name
    assert re.search(r"relue à \d+\u00a0% \(non validée\)", _sheet_text(wb["Synthèse"]))
    for name in ("Lisez-moi", "Synthèse", "Accord"):
        assert not typography_problems(_sheet_text(wb[name])), name


def test_accord_gives_precision_with_its_interval_from_thirty_reviews(tmp_path):
    from factories.workbook import make_project, passage, tag

    from analysis.publish.review_status import wilson

    passages = pd.DataFrame([passage(f"q{i}", "aix-solidaire", f"Nous ouvrirons {i} places "
                                     "d'hébergement d'urgence.", page=1) for i in range(40)])
    auto = pd.DataFrame([tag(f"q{i}", "hebergement_urgence") for i in range(40)])
    cfg = make_project(tmp_path / "p", passages, auto)
    _review(cfg, tmp_path, {(f"q{i}", "hebergement_urgence"): "Valider" if i < 35
                            else "Rejeter" for i in range(40)})
    accord = _sheet_text(openpyxl.load_workbook(run_export(cfg))["Accord"])
    low, high = wilson(35, 40)
    assert "Précision estimée sur 40 étiquettes relues\u00a0: 88\u00a0%" in accord
    assert f"{round(100 * low)}\u00a0% à {round(100 * high)}\u00a0%" in accord
    assert f"88\u00a0% [{round(100 * low)}\u00a0% – {round(100 * high)}\u00a0%] sur 40" in accord
