"""Review round-trip: decisions applied to tags, workbook import, conflicts, orphans,
agreement; the whole loop export -> edit -> import -> tag/coverage again."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.workbook import (
    base_passages,
    base_tags,
    header,
    make_project,
    passage,
    row_of,
    write_processed,
)

from analysis import contracts
from analysis.cli import main
from analysis.codebook import load_codebook
from analysis.common.errors import UserError
from analysis.config import Config
from analysis.contracts import DECISIONS
from analysis.review import run_review_import
from analysis.review.agreement import cohen_kappa, compute_agreement, load_agreement
from analysis.review.rules import apply_decisions
from analysis.review.sheet import read_reviewed_workbook
from analysis.review.store import load_decisions
from analysis.workbook import run_export


def decision(pid, theme, kind, new_theme="", new_stance="", reviewer="Camille", n=1,
             file_name="relu.xlsx") -> dict:
    return {"decision_id": f"id{n}-{pid}-{theme}-{reviewer}", "imported_at": f"2026-03-0{n}",
            "file_name": file_name, "file_sha256": "sha", "sheet": "Passages", "row": str(n),
            "reviewer": reviewer, "passage_id": pid, "theme_id": theme, "decision": kind,
            "new_theme_id": new_theme, "new_stance": new_stance, "comment": ""}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=DECISIONS)


def as_set(tags: pd.DataFrame) -> set[tuple]:
    return set(tags[["passage_id", "theme_id", "stance", "origin"]].itertuples(index=False,
                                                                               name=None))


# apply_decisions -------------------------------------------------------------------------
def test_each_decision_kind_changes_the_tags_as_documented():
    auto, passages = base_tags(), base_passages()
    decisions = frame(
        decision("p1", "hebergement_urgence", "valider", "hebergement_urgence", "favorable"),
        decision("p2", "sans_abri", "rejeter"),
        decision("p3", "acces_droits", "corriger", "inclusion_numerique", "favorable"),
        decision("p4", "partenariat_associatif", "corriger", "partenariat_associatif",
                 "neutre"),
        decision("p6", "lien_social", "ajouter", "lien_social", "favorable"),
    )
    out = apply_decisions(auto, passages, decisions)
    assert list(out.columns) == contracts.TAGS
    got = as_set(out)
    assert ("p1", "hebergement_urgence", "favorable", "review") in got
    assert not any(t[0] == "p2" for t in got)
    assert ("p3", "inclusion_numerique", "favorable", "review") in got
    assert not any(t[:2] == ("p3", "acces_droits") for t in got)
    assert ("p4", "partenariat_associatif", "neutre", "review") in got
    assert ("p6", "lien_social", "favorable", "review") in got
    assert ("p5", "partenariat_associatif", "favorable", "auto") in got       # untouched
    corrected = out[out.theme_id == "inclusion_numerique"].iloc[0]
    assert corrected.strength == "general" and corrected.evidence == "accès aux droits"
    added = out[out.passage_id == "p6"].iloc[0]
    assert added.strength == "mention"          # nothing else known about p6: conservative


def test_apply_is_pure_and_idempotent():
    auto, passages = base_tags(), base_passages()
    decisions = frame(
        decision("p3", "acces_droits", "corriger", "inclusion_numerique", "favorable", n=1),
        decision("p3", "inclusion_numerique", "rejeter", n=2),
        decision("p1", "sans_abri", "ajouter", "sans_abri", "favorable", n=3),
        decision("p2", "sans_abri", "valider", "sans_abri", "neutre", n=4),
    )
    auto_copy, dec_copy = auto.copy(), decisions.copy()
    once = apply_decisions(auto, passages, decisions)
    pd.testing.assert_frame_equal(auto, auto_copy)
    pd.testing.assert_frame_equal(decisions, dec_copy)
    twice = apply_decisions(once, passages, decisions)
    pd.testing.assert_frame_equal(once, twice)
    assert not (once.passage_id == "p3").any()              # corrected, then rejected
    added = once[(once.passage_id == "p1") & (once.theme_id == "sans_abri")].iloc[0]
    assert added.strength == "concret"                      # strongest tag of the passage


def test_decisions_survive_a_new_tagger_run():
    passages = base_passages()
    decisions = frame(decision("p2", "sans_abri", "rejeter"),
                      decision("p5", "partenariat_associatif", "valider",
                               "partenariat_associatif", "favorable"))
    retagged = base_tags()[lambda d: d.passage_id != "p5"]  # the tagger lost p5's tag
    out = apply_decisions(retagged, passages, decisions)
    assert not (out.passage_id == "p2").any()               # still rejected
    assert ("p5", "partenariat_associatif", "favorable", "review") in as_set(out)


def test_latest_decision_wins_and_orphans_are_ignored():
    decisions = frame(decision("p2", "sans_abri", "rejeter", reviewer="A", n=1),
                      decision("p2", "sans_abri", "valider", "sans_abri", "neutre",
                               reviewer="B", n=2),
                      decision("gone", "sans_abri", "ajouter", "sans_abri", "favorable", n=3))
    out = apply_decisions(base_tags(), base_passages(), decisions)
    assert ("p2", "sans_abri", "neutre", "review") in as_set(out)
    assert not (out.passage_id == "gone").any()


def test_no_decision_returns_the_tags_unchanged():
    out = apply_decisions(base_tags(), base_passages(), pd.DataFrame())
    pd.testing.assert_frame_equal(out, base_tags())


# reading a reviewed workbook -------------------------------------------------------------
def fill(path: Path, edits: dict[tuple[str, int], dict[str, str]], target: Path) -> Path:
    """Open an exported workbook, write {(sheet, row): {header: value}}, save to target."""
    wb = openpyxl.load_workbook(path)
    for (sheet, row), values in edits.items():
        ws = wb[sheet]
        _, cols = header(ws)
        for name, value in values.items():
            ws.cell(row, cols[name]).value = value
    wb.save(target)
    return target


def next_row(ws) -> int:
    return ws.max_row + 1


@pytest.fixture
def exported(project: Config):
    path = run_export(project)
    return path, openpyxl.load_workbook(path)


def test_bad_rows_are_named_and_good_rows_kept(project, exported, tmp_path):
    path, wb = exported
    ps, un = wb["Passages"], wb["Non étiquetés"]
    edits = {
        ("Passages", row_of(ps, "p1")): {"Décision": "Valider", "Relecteur": "Camille"},
        ("Passages", row_of(ps, "p2")): {"Décision": "Peut-être"},
        ("Passages", row_of(ps, "p3")): {"Décision": "Corriger"},
        ("Passages", row_of(ps, "p4")): {"Décision": "Corriger", "Thème corrigé": "Logement"},
        ("Passages", row_of(ps, "p5")): {"Décision": "Corriger",
                                         "Position corrigée": "hostile"},
        ("Passages", row_of(ps, "p7")): {"Décision": "rejeter "},
        ("Non étiquetés", row_of(un, "p6")): {"Thème ajouté": "Lien social"},
    }
    filled = fill(path, edits, tmp_path / "relu.xlsx")
    reading = read_reviewed_workbook(filled, load_codebook(project.codebook_path))
    errors = "\n".join(reading.errors)
    assert f"ligne {row_of(ps, 'p2')}" in errors and "Peut-être" in errors
    assert "Valider, Rejeter, Corriger" in errors
    assert f"ligne {row_of(ps, 'p3')}" in errors and "« Corriger » sans correction" in errors
    assert "'Logement' inconnu" in errors
    assert "'hostile' inconnue" in errors and "favorable, restrictif, neutre" in errors
    assert "« Non étiquetés »" in errors and "position" in errors
    assert len(reading.errors) == 5
    kept = {(r["passage_id"], r["decision"], r["reviewer"]) for r in reading.rows}
    assert kept == {("p1", "valider", "Camille"), ("p7", "rejeter", "Camille")}


def test_a_copied_row_adds_a_theme_and_keeps_the_original(project, exported, tmp_path):
    path, wb = exported
    ws = wb["Passages"]
    _, cols = header(ws)
    source = row_of(ws, "p1", "hebergement_urgence")
    copy = ws.max_row + 1
    for j in range(1, ws.max_column + 1):
        ws.cell(copy, j).value = ws.cell(source, j).value
    ws.cell(copy, cols["Thème corrigé"]).value = "Personnes sans-abri"
    ws.cell(copy, cols["Position corrigée"]).value = "favorable"
    ws.cell(source, cols["Décision"]).value = "Valider"
    wb.save(tmp_path / "relu.xlsx")
    run_review_import(project, [str(tmp_path / "relu.xlsx")])
    got = as_set(pd.read_parquet(project.tags_path))
    assert ("p1", "hebergement_urgence", "favorable", "review") in got
    assert ("p1", "sans_abri", "favorable", "review") in got


def test_import_stores_valid_rows_and_lists_the_others(project, exported, tmp_path, capsys):
    path, wb = exported
    ps = wb["Passages"]
    filled = fill(path, {("Passages", row_of(ps, "p2")): {"Décision": "Rejeter"},
                         ("Passages", row_of(ps, "p3")): {"Décision": "n'importe"}},
                  tmp_path / "relu.xlsx")
    summary = run_review_import(project, [str(filled)])
    out = capsys.readouterr().out
    assert summary.new == 1 and len(summary.errors) == 1
    assert "n'importe" in out and "Lignes refusées" in out
    stored = load_decisions(project)
    assert list(stored[["passage_id", "decision"]].itertuples(index=False, name=None)) == [
        ("p2", "rejeter")]


def test_a_file_that_is_not_a_workbook_is_reported_not_fatal(project, exported, tmp_path):
    path, wb = exported
    ps = wb["Passages"]
    good = fill(path, {("Passages", row_of(ps, "p2")): {"Décision": "Rejeter"}},
                tmp_path / "relu.xlsx")
    bad = tmp_path / "notes.xlsx"
    bad.write_text("pas un classeur")
    summary = run_review_import(project, [str(bad), str(good)])
    assert summary.new == 1 and "notes.xlsx" in summary.errors[0]
    with pytest.raises(UserError, match="Aucun classeur lisible"):
        run_review_import(project, [str(bad)])


# the whole loop ------------------------------------------------------------------------
def review_round(project: Config, tmp_path: Path, name: str, reviewer: str,
                 passages_edits: dict[tuple[str, str], dict], untagged: dict[str, dict] | None
                 = None, new_rows: list[dict] | None = None) -> Path:
    """Export, fill like a volunteer would (openpyxl), save under `name`."""
    path = run_export(project)
    wb = openpyxl.load_workbook(path)
    ws = wb["Passages"]
    _, cols = header(ws)
    for (pid, theme), values in passages_edits.items():
        r = row_of(ws, pid, theme)
        for key, value in (values | {"Relecteur": reviewer}).items():
            ws.cell(r, cols[key]).value = value
    for values in new_rows or []:
        r = next_row(ws)
        for key, value in values.items():
            ws.cell(r, cols[key]).value = value
    un = wb["Non étiquetés"]
    _, ucols = header(un)
    for pid, values in (untagged or {}).items():
        r = row_of(un, pid)
        for key, value in (values | {"Relecteur": reviewer}).items():
            un.cell(r, ucols[key]).value = value
    target = tmp_path / name
    wb.save(target)
    return target


def coverage_score(cfg: Config, list_id: str, theme: str, source: str = "programme") -> int:
    cov = pd.read_parquet(cfg.coverage_path)
    row = cov[(cov.list_id == list_id) & (cov.theme_id == theme) & (cov.source == source)]
    return int(row["score"].iloc[0]) if len(row) else 0


def rerun_tag_and_coverage(cfg: Config) -> None:
    """What `tag` (decisions applied to tags_auto) and `coverage` do after an import."""
    passages = pd.read_parquet(cfg.passages_path)
    tags = apply_decisions(pd.read_parquet(cfg.tags_auto_path), passages,
                           load_decisions(cfg))
    tags.to_parquet(cfg.tags_path, index=False)
    stage("analysis.coverage", "run_coverage")(cfg)


def test_round_trip_export_edit_import_rerun(project, tmp_path, capsys):
    rerun_tag_and_coverage(project)
    assert coverage_score(project, "aix-solidaire", "sans_abri") == 1
    assert coverage_score(project, "aix-ensemble", "lien_social") == 0
    filled = review_round(
        project, tmp_path, "relu_camille.xlsx", "Camille",
        {("p2", "sans_abri"): {"Décision": "Rejeter"},
         ("p3", "acces_droits"): {"Décision": "Corriger",
                                  "Thème corrigé": "Accès au numérique"}},
        untagged={"p6": {"Thème ajouté": "Lien social", "Position": "favorable"}},
        new_rows=[{"passage_id": "p1", "Thème corrigé": "Personnes sans-abri",
                   "Position corrigée": "favorable"}],
    )
    summary = run_review_import(project, [str(filled)])
    assert summary.new == 4 and not summary.errors and summary.tags_refreshed
    tags = pd.read_parquet(project.tags_path)           # refreshed by the import itself
    got = as_set(tags)
    assert not any(t[:2] == ("p2", "sans_abri") for t in got)
    assert ("p3", "inclusion_numerique", "favorable", "review") in got
    assert ("p6", "lien_social", "favorable", "review") in got
    assert ("p1", "sans_abri", "favorable", "review") in got

    rerun_tag_and_coverage(project)
    assert coverage_score(project, "aix-solidaire", "sans_abri") == 3      # p1 is concret
    assert coverage_score(project, "aix-avenir", "acces_droits") == 0
    assert coverage_score(project, "aix-avenir", "inclusion_numerique") == 2
    assert coverage_score(project, "aix-ensemble", "lien_social") == 1

    # the next workbook shows the reviewed tags, and the rejected one, marked, on its row
    wb = openpyxl.load_workbook(run_export(project))
    ws = wb["Passages"]
    _, cols = header(ws)
    r = row_of(ws, "p3", "inclusion_numerique")
    assert ws.cell(r, cols["Origine"]).value == "relecture"
    assert "Corrigé depuis « Accès aux droits »" in ws.cell(r, cols["Relecture précédente"]).value
    r = row_of(ws, "p2", "sans_abri")
    assert ws.cell(r, cols["Origine"]).value == "rejetée"
    assert "REJETÉ (Camille" in ws.cell(r, cols["Relecture précédente"]).value
    assert ws.cell(r, cols["Texte"]).font.strike
    assert "Accord" in wb.sheetnames

    # importing the same file again changes nothing
    before = project.decisions_path.read_bytes()
    tags_before = pd.read_parquet(project.tags_path)
    again = run_review_import(project, [str(filled)])
    assert again.new == 0 and again.already == 4
    assert project.decisions_path.read_bytes() == before
    pd.testing.assert_frame_equal(pd.read_parquet(project.tags_path), tags_before)


def test_disagreement_is_reported_not_resolved_silently(project, tmp_path, capsys):
    a = review_round(project, tmp_path, "a.xlsx", "Camille",
                     {("p2", "sans_abri"): {"Décision": "Rejeter"},
                      ("p1", "hebergement_urgence"): {"Décision": "Valider"}})
    b = review_round(project, tmp_path, "b.xlsx", "Youssef",
                     {("p2", "sans_abri"): {"Décision": "Valider"},
                      ("p1", "hebergement_urgence"): {"Décision": "Valider"}})
    run_review_import(project, [str(a)])
    capsys.readouterr()
    summary = run_review_import(project, [str(b)])
    out = capsys.readouterr().out
    assert len(summary.conflicts) == 1
    conflict = summary.conflicts.iloc[0]
    assert (conflict.passage_id, conflict.theme_id) == ("p2", "sans_abri")
    assert "Camille" in conflict.positions and "Youssef" in conflict.positions
    assert "Désaccords entre relecteurs (1" in out
    assert project.conflicts_path.is_file()
    assert len(pd.read_csv(project.conflicts_path)) == 1
    tags = pd.read_parquet(project.tags_path)        # meanwhile the latest decision applies
    assert ("p2", "sans_abri", "neutre", "review") in as_set(tags)
    metrics = load_agreement(project)
    pair = metrics["pairs"].iloc[0]
    assert pair.n_units == 2 and pair.n_agree == 1
    wb = openpyxl.load_workbook(run_export(project))
    accord = "\n".join(str(c.value) for row in wb["Accord"].iter_rows() for c in row if c.value)
    assert "Youssef" in accord and "Désaccords" in accord


def test_orphans_are_reported_and_kept_across_new_inputs(project, tmp_path, capsys):
    filled = review_round(project, tmp_path, "relu.xlsx", "Camille",
                          {("p2", "sans_abri"): {"Décision": "Rejeter"},
                           ("p4", "partenariat_associatif"): {"Décision": "Valider"}})
    run_review_import(project, [str(filled)])
    stored = project.decisions_path.read_bytes()
    # new ingestion: p2 vanished (document replaced), a new programme arrived
    passages = base_passages()[lambda d: d.passage_id != "p2"]
    new = pd.DataFrame([passage("n1", "aix-citoyenne", "Un accueil de jour pour les "
                                "personnes sans-abri.", path="programmes/aix-citoyenne/p.pdf",
                                page=1)], columns=contracts.PASSAGES)
    passages = pd.concat([passages, new], ignore_index=True)
    auto = pd.concat([base_tags()[lambda d: d.passage_id != "p2"],
                      pd.DataFrame([{"passage_id": "n1", "theme_id": "sans_abri",
                                     "stance": "favorable", "strength": "general",
                                     "evidence": "sans-abri", "origin": "auto"}])],
                     ignore_index=True)
    write_processed(project, passages, auto)
    capsys.readouterr()
    again = review_round(project, tmp_path, "relu2.xlsx", "Camille",
                         {("n1", "sans_abri"): {"Décision": "Valider"}})
    summary = run_review_import(project, [str(again)])
    out = capsys.readouterr().out
    assert list(summary.orphans["passage_id"]) == ["p2"]
    assert "1 orpheline(s)" in out and "ATTENTION" in out
    assert len(pd.read_csv(project.orphans_path)) == 1
    assert project.decisions_path.read_bytes().startswith(stored)   # append-only
    decisions = load_decisions(project)
    assert set(decisions["passage_id"]) == {"p2", "p4", "n1"}
    tags = pd.read_parquet(project.tags_path)
    assert ("p4", "partenariat_associatif", "restrictif", "review") in as_set(tags)
    assert ("n1", "sans_abri", "favorable", "review") in as_set(tags)


def test_cli_review_import(project, exported, tmp_path, capsys):
    path, wb = exported
    filled = fill(path, {("Passages", row_of(wb["Passages"], "p2")): {"Décision": "Rejeter"}},
                  tmp_path / "relu.xlsx")
    args = ["review-import", str(filled), "--processed", str(project.processed),
            "--reports", str(project.reports), "--reviews", str(project.reviews),
            "--raw", str(project.raw)]
    assert main(args) == 0
    assert "1 nouvelle(s) décision(s)" in capsys.readouterr().out
    assert main(["review-import", str(tmp_path / "absent.xlsx"), "--reviews",
                 str(project.reviews), "--processed", str(project.processed)]) == 2
    assert "introuvable" in capsys.readouterr().err


# agreement -------------------------------------------------------------------------------
def test_cohen_kappa_by_hand():
    # textbook example: 50 units, 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa = 0.4
    a = ["oui"] * 25 + ["non"] * 25
    b = ["oui"] * 20 + ["non"] * 5 + ["oui"] * 10 + ["non"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "y"], ["x", "y"]) == pytest.approx(1.0)
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None        # chance agreement is 1
    assert cohen_kappa([], []) is None


def test_machine_precision_per_theme(project):
    cb = load_codebook(project.codebook_path)
    decisions = frame(
        decision("p5", "partenariat_associatif", "valider", "partenariat_associatif",
                 "favorable", n=1),
        decision("p4", "partenariat_associatif", "rejeter", n=2),
        decision("p7", "partenariat_associatif", "corriger", "lien_social", "neutre", n=3),
        decision("p1", "hebergement_urgence", "corriger", "hebergement_urgence", "neutre",
                 n=4),
        decision("p6", "lien_social", "ajouter", "lien_social", "favorable", n=5),
    )
    metrics = compute_agreement(decisions, base_tags(), cb)
    themes = metrics["themes"].set_index("theme_id")
    assert themes.loc["partenariat_associatif", "precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert themes.loc["hebergement_urgence", "n_corriger_position"] == 1
    assert pd.isna(themes.loc["hebergement_urgence", "precision"])
    assert themes.loc["lien_social", "n_evalues"] == 0          # an addition is not a check
    assert metrics["summary"]["precision"] == pytest.approx(1 / 3, abs=1e-4)


# the real pipeline -----------------------------------------------------------------------
def stage(module: str, name: str):
    """A stage function of another helper's module; skip (with the reason) while missing."""
    mod = pytest.importorskip(module, reason=f"{module} not landed yet")
    if not hasattr(mod, name):
        pytest.skip(f"{module}.{name} not landed yet")
    return getattr(mod, name)


def test_full_pipeline_with_real_stages(tmp_path: Path):
    """ingest -> tag -> coverage -> export -> review -> import -> tag -> coverage."""
    run_ingest = stage("analysis.ingest", "run_ingest")
    tag, review = stage("analysis.tagging", "run"), stage("analysis.review", "run")

    def run_tag(cfg):  # the `tag` command: the tagger, then the reviewers' decisions
        tag(cfg)
        return review(cfg)

    run_coverage = stage("analysis.coverage", "run_coverage")
    import docx

    cfg = make_project(tmp_path)
    for d in (cfg.processed,):
        shutil.rmtree(d)
    folder = cfg.raw / "programmes" / "aix-solidaire"
    shutil.rmtree(cfg.raw)
    folder.mkdir(parents=True)
    doc = docx.Document()
    doc.add_heading("Protéger les plus fragiles", level=1)
    doc.add_paragraph("Nous créerons 150 places d'hébergement d'urgence dès 2027 et un "
                      "accueil de jour pour les personnes sans-abri.")
    doc.add_paragraph("Nous ouvrirons deux épiceries solidaires dans les quartiers nord.")
    doc.save(folder / "programme.docx")
    run_ingest(cfg)
    run_tag(cfg)
    run_coverage(cfg)
    auto = pd.read_parquet(cfg.tags_auto_path)
    assert len(auto), "the tagger found nothing in the test programme"
    first = auto.iloc[0]
    path = run_export(cfg)
    wb = openpyxl.load_workbook(path)
    ws = wb["Passages"]
    _, cols = header(ws)
    ws.cell(row_of(ws, first.passage_id, first.theme_id), cols["Décision"]).value = "Rejeter"
    wb.save(tmp_path / "relu.xlsx")
    run_review_import(cfg, [str(tmp_path / "relu.xlsx")])
    run_tag(cfg)
    run_coverage(cfg)
    tags = pd.read_parquet(cfg.tags_path)
    assert not ((tags.passage_id == first.passage_id) & (tags.theme_id == first.theme_id)).any()
    assert len(load_decisions(cfg)) == 1
