"""A workbook made for deciding: decision cells beside the text, strength corrected,
reviewer named once, strict values, rejections visible and undoable, evidence that travels
(.zip), and the decisions.csv written before `new_strength` existed still loads."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.workbook import header, row_of
from openpyxl.utils import get_column_letter

from analysis.contracts import DECISIONS, REVIEWER_NAME_LABEL
from analysis.review import run_review_import
from analysis.review.sheet import read_reviewed_workbook
from analysis.review.store import append_decisions, load_decisions
from analysis.workbook import run_export
from analysis.workbook.stage import run_export as export

DECIDING = ["Liste", "Texte", "Thème", "Position", "Force", "Décision", "Thème corrigé",
            "Position corrigée", "Force corrigée", "Page", "Relecture précédente"]


def px(width: float, zoom: int) -> int:
    """Screen pixels of a column width in LibreOffice Calc at `zoom` %: 9.9 px a width
    unit at 100 %, measured on a screenshot at 1366 x 768, 100 dpi (Excel: about 7 px)."""
    return int(width * 9.9 * zoom / 100)


def readme_name_cell(wb):
    ws = wb["Lisez-moi"]
    for row in ws.iter_rows(min_row=1, max_row=30, max_col=2):
        if row[0].value == REVIEWER_NAME_LABEL:
            return row[1]
    raise AssertionError("no reviewer name cell on Lisez-moi")


def edit(path: Path, target: Path, rows: dict[tuple[str, str], dict], name: str | None,
         sheet: str = "Passages") -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    _, cols = header(ws)
    for (pid, theme), values in rows.items():
        r = row_of(ws, pid, theme)
        for key, value in values.items():
            ws.cell(r, cols[key]).value = value
    if name is not None:
        readme_name_cell(wb).value = name
    wb.save(target)
    return target


def test_decision_cells_come_right_after_text_and_theme_and_fit_a_1366_px_screen(project):
    wb = openpyxl.load_workbook(run_export(project))
    ws = wb["Passages"]
    head, cols = header(ws)
    order = sorted(cols, key=cols.get)
    assert order[:len(DECIDING)] == DECIDING
    assert order[-2:] == ["passage_id", "theme_id"]             # ids last, hidden
    for name in ("passage_id", "theme_id"):
        assert ws.column_dimensions[get_column_letter(cols[name])].hidden
    assert ws.freeze_panes == f"D{head + 1}"                     # list, text, theme stay
    widths = [ws.column_dimensions[get_column_letter(cols[h])].width for h in DECIDING[:9]]
    zoom = ws.sheet_view.zoomScale
    assert zoom >= 85                                            # still legible
    # row numbers (~35 px), the sidebar (~45 px) and the scroll bar (~15 px) take the rest
    assert sum(px(w, zoom) for w in widths) <= 1366 - 95, widths
    assert "codebook" not in " ".join(str(c.value) for row in ws.iter_rows(max_row=head)
                                      for c in row if c.value)


def test_strength_is_corrected_and_shown_on_the_next_workbook(project, tmp_path):
    path = run_export(project)
    filled = edit(path, tmp_path / "relu.xlsx",
                  {("p1", "hebergement_urgence"): {"Décision": "Corriger",
                                                   "Force corrigée": "général"}}, "Camille")
    summary = run_review_import(project, [str(filled)])
    assert summary.new == 1 and not summary.errors
    stored = load_decisions(project).iloc[-1]
    assert (stored["decision"], stored["new_strength"], stored["reviewer"]) == (
        "corriger", "general", "Camille")
    tags = pd.read_parquet(project.tags_path).set_index(["passage_id", "theme_id"])
    assert tags.loc[("p1", "hebergement_urgence"), "strength"] == "general"
    assert tags.loc[("p1", "hebergement_urgence"), "stance"] == "favorable"
    ws = openpyxl.load_workbook(run_export(project))["Passages"]
    _, cols = header(ws)
    r = row_of(ws, "p1", "hebergement_urgence")
    assert ws.cell(r, cols["Force"]).value == "général"
    assert "force « général »" in ws.cell(r, cols["Relecture précédente"]).value


def test_a_rejection_stays_visible_and_can_be_undone(project, tmp_path):
    path = run_export(project)
    first = edit(path, tmp_path / "relu_camille.xlsx",
                 {("p2", "sans_abri"): {"Décision": "Rejeter"}}, "Camille")
    run_review_import(project, [str(first)])
    kept = pd.read_parquet(project.tags_path)
    assert ("p2", "sans_abri") not in set(zip(kept["passage_id"], kept["theme_id"],
                                              strict=True))
    path = run_export(project)
    ws = openpyxl.load_workbook(path)["Passages"]
    _, cols = header(ws)
    r = row_of(ws, "p2", "sans_abri")                           # still there, marked
    assert ws.cell(r, cols["Origine"]).value == "rejetée"
    assert "Pour annuler le rejet" in ws.cell(r, cols["Relecture précédente"]).value
    second = edit(path, tmp_path / "relu_camille_2.xlsx",
                  {("p2", "sans_abri"): {"Décision": "Valider"}}, "Camille")
    summary = run_review_import(project, [str(second)])
    assert summary.new == 1 and not summary.errors
    tags = pd.read_parquet(project.tags_path).set_index(["passage_id", "theme_id"])
    assert tags.loc[("p2", "sans_abri"), "origin"] == "review"      # the tag is back
    assert tags.loc[("p2", "sans_abri"), "stance"] == "neutre"


def test_reviewer_name_is_asked_once_and_its_absence_is_warned(project, tmp_path):
    path = run_export(project)
    wb = openpyxl.load_workbook(path)
    cell = readme_name_cell(wb)
    assert cell.value is None and cell.fill.fgColor.rgb.endswith("FFF2CC")
    rules = [r for rng in wb["Lisez-moi"].conditional_formatting for r in rng.rules]
    assert any(f"LEN(TRIM({cell.coordinate}))=0" in r.formula[0] for r in rules)
    named = edit(path, tmp_path / "a.xlsx", {("p1", "hebergement_urgence"):
                                             {"Décision": "Valider"},
                                             ("p3", "acces_droits"): {"Décision": "Valider"}},
                 "Samira (Banque alimentaire)")
    reading = read_reviewed_workbook(named, project.codebook)
    assert {r["reviewer"] for r in reading.rows} == {"Samira (Banque alimentaire)"}
    anonymous = edit(path, tmp_path / "b.xlsx", {("p1", "hebergement_urgence"):
                                                 {"Décision": "Valider"}}, None)
    reading = read_reviewed_workbook(anonymous, project.codebook)
    assert len(reading.rows) == 1
    assert any("aucun nom de relecteur" in n and "Lisez-moi" in n for n in reading.notes)


@pytest.mark.parametrize("typed", ["ok", "oui", "validé", "Valide"])
def test_only_the_drop_down_words_are_accepted(project, tmp_path, typed):
    path = run_export(project)
    filled = edit(path, tmp_path / "relu.xlsx",
                  {("p1", "hebergement_urgence"): {"Décision": typed},
                   ("p3", "acces_droits"): {"Décision": "VALIDER"},
                   ("p4", "partenariat_associatif"): {"Décision": "Corriger",
                                                      "Force corrigée": "très concret"}},
                  "Camille")
    reading = read_reviewed_workbook(filled, project.codebook)
    ws = openpyxl.load_workbook(filled)["Passages"]
    errors = "\n".join(reading.errors)
    assert (f"feuille « Passages », ligne {row_of(ws, 'p1')}" in errors and repr(typed) in errors
            and "Valider, Rejeter, Corriger" in errors)
    assert f"ligne {row_of(ws, 'p4')}" in errors and "concret, général, mention" in errors
    assert [r["passage_id"] for r in reading.rows] == ["p3"]


def test_print_keeps_the_deciding_columns_on_a_4_landscape(project):
    ws = openpyxl.load_workbook(run_export(project))["Passages"]
    head, cols = header(ws)
    area = str(ws.print_area).replace("$", "").split("!")[-1]
    last = get_column_letter(cols["Page"])
    assert area.startswith("A1:") and area.split(":")[1].rstrip("0123456789") == last
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows.replace("$", "") == f"{head}:{head}"
    assert ws.cell(head + 1, cols["Texte"]).alignment.wrap_text


def test_review_folder_zip_carries_the_documents_linked_by_relative_paths(project, tmp_path):
    path = export(project, bundle=True)
    bundle = path.with_name(f"{path.stem}_dossier.zip")
    with zipfile.ZipFile(bundle) as zf:
        names = set(zf.namelist())
        assert path.name in names
        zf.extractall(tmp_path / "chez_la_benevole")
    folder = tmp_path / "chez_la_benevole"
    ws = openpyxl.load_workbook(folder / path.name)["Passages"]
    head, cols = header(ws)
    targets = [ws.cell(r, cols["Document"]).hyperlink.target for r in range(head + 1,
                                                                              ws.max_row + 1)]
    assert targets and all(t.startswith("documents/") and "#" not in t for t in targets)
    for t in targets:                                   # every link opens a file of the zip
        assert (folder / t).is_file(), t
    assert ws.cell(row_of(ws, "p1"), cols["Page"]).value == 2


def _row_check_before_new_strength(values: dict) -> str:
    """The row_check issue 15 wrote, before `new_strength` existed (DECISIONS without it)."""
    import hashlib
    joined = "\x1f".join(values.get(c, "") for c in DECISIONS if c != "new_strength")
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:8]


OLD_ROW = {"decision_id": "00000000000000d1", "imported_at": "2026-03-01T10:00:00+01:00",
           "file_name": "relu.xlsx", "file_sha256": "sha", "sheet": "Passages", "row": "5",
           "reviewer": "Camille", "passage_id": "p2", "theme_id": "sans_abri",
           "decision": "rejeter", "comment": "vu, à revoir"}


def _old_store(columns: list[str], values: dict) -> str:
    import csv
    import io
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerow([values.get(c, "") for c in columns])
    return out.getvalue()


@pytest.mark.parametrize("layout", ["first", "with_anchors", "with_new_strength"])
def test_a_decisions_file_of_any_older_layout_loads_and_is_completed(project, layout):
    """The three layouts decisions.csv had: the first 13 columns; issue 15's (anchors, dates,
    row_check, no new_strength); issue 12's (13 columns + new_strength). Every value kept,
    no row reported as edited, and the next append writes the current header."""
    from analysis.contracts import DECISIONS_CORE
    from analysis.review.store import STORED_COLUMNS, read_store
    first = [c for c in DECISIONS_CORE if c != "new_strength"]
    values = dict(OLD_ROW)
    if layout == "first":
        columns = first
    elif layout == "with_anchors":
        columns = [c for c in STORED_COLUMNS if c != "new_strength"]
        values |= {"list_id": "aix-solidaire", "text_sha1": "abc123", "quote": "un abri",
                   "edited_at": "2026-03-01T09:00:00+01:00"}
        values["row_check"] = _row_check_before_new_strength(values)
    else:
        columns = first + ["new_strength"]
        values |= {"decision": "corriger", "new_theme_id": "sans_abri",
                   "new_stance": "favorable", "new_strength": "concret"}
    project.decisions_path.parent.mkdir(parents=True, exist_ok=True)
    project.decisions_path.write_text(_old_store(columns, values), encoding="utf-8")
    reading = read_store(project.decisions_path)
    assert not reading.problems, reading.messages()
    stored = reading.decisions
    assert list(stored.columns) == DECISIONS
    for key, value in values.items():
        if key != "row_check":
            assert stored.loc[0, key] == value, key
    new = stored.assign(decision_id="00000000000000d2", passage_id="p1",
                        theme_id="hebergement_urgence", decision="corriger",
                        new_theme_id="hebergement_urgence", new_stance="favorable",
                        new_strength="mention")
    append_decisions(project, new)
    again = read_store(project.decisions_path)
    assert not again.problems, again.messages()
    assert list(again.decisions["decision_id"]) == ["00000000000000d1", "00000000000000d2"]
    assert project.decisions_path.read_text(encoding="utf-8").splitlines()[0] == ",".join(
        STORED_COLUMNS)
    for key, value in values.items():
        if key != "row_check":
            assert again.decisions.loc[0, key] == value, key
    assert again.decisions.loc[1, "new_strength"] == "mention"


def test_an_overtyped_strength_is_caught_with_the_manifest(project, tmp_path):
    """« Force » is filled by the exporter: the manifest records it, and a strength typed
    over it is read as a correction (with a warning), never as a validation; a word that is
    not a strength, or a rejection of an overtyped row, is refused with the row."""
    from analysis.review.manifest import read_manifest
    path = run_export(project)
    wb = openpyxl.load_workbook(path)
    manifest = read_manifest(wb["_export"])
    ws = wb["Passages"]
    _, cols = header(ws)
    shown = {}
    for pid, theme in (("p1", "hebergement_urgence"), ("p3", "acces_droits"),
                       ("p2", "sans_abri")):
        shown[pid] = ws.cell(row_of(ws, pid, theme), cols["Force"]).value
        assert manifest.row("Passages", pid, theme)["strength"] == shown[pid]
    other = "mention" if shown["p1"] != "mention" else "concret"
    filled = edit(path, tmp_path / "relu.xlsx", {
        ("p1", "hebergement_urgence"): {"Force": other, "Décision": "Valider"},
        ("p3", "acces_droits"): {"Force": "énorme", "Décision": "Valider"},
        ("p2", "sans_abri"): {"Force": other if shown["p2"] != other else "général",
                              "Décision": "Rejeter"},
    }, "Camille")
    reading = read_reviewed_workbook(filled, project.codebook)
    errors, notes = "\n".join(reading.errors), "\n".join(reading.notes)
    assert len(reading.errors) == 2, errors
    assert f"ligne {row_of(ws, 'p3', 'acces_droits')}" in errors and "énorme" in errors
    assert f"ligne {row_of(ws, 'p2', 'sans_abri')}" in errors and "Rejeter" in errors
    assert "force « " in notes and "lue comme « Corriger »" in notes
    (row,) = reading.rows
    assert (row["passage_id"], row["decision"]) == ("p1", "corriger")
    assert row["new_strength"] == ("mention" if other == "mention" else "concret")
