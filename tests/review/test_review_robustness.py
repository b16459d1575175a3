"""Issue 15 on real files: edit time beats import time, a torn or foreign store row is
reported with its line and repair (nothing valid lost), overtyped cells are caught with
the export manifest, .ods is read, .xls / .csv are refused with the fix, one bad file
never stops the refresh, permission problems name the path, near-identical texts
re-attach above the documented threshold and orphans are loud."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.workbook import base_passages, base_tags, header, row_of, write_processed

from analysis.codebook import load_codebook
from analysis.common.errors import UserError
from analysis.config import PROJECT_ROOT, Config
from analysis.contracts import DECISIONS
from analysis.review import run, run_review_import
from analysis.review.agreement import compute_agreement
from analysis.review.anchors import SIMILARITY_THRESHOLD, fingerprint, normalise
from analysis.review.manifest import read_manifest
from analysis.review.sheet import read_reviewed_workbook
from analysis.review.store import load_decisions, read_store
from analysis.workbook import run_export

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def as_set(tags: pd.DataFrame) -> set[tuple]:
    return set(tags[["passage_id", "theme_id", "stance", "origin"]].itertuples(index=False,
                                                                               name=None))


def edit(cfg: Config, target: Path, passages: dict[tuple[str, str], dict],
         saved_at: str | None = None) -> Path:
    """The exported workbook edited like a volunteer would, saved to `target`; `saved_at`
    sets the file's own modification date (what Excel or LibreOffice write on save)."""
    wb = openpyxl.load_workbook(run_export(cfg) if not cfg.workbook_path.is_file()
                                else cfg.workbook_path)
    ws = wb["Passages"]
    _, cols = header(ws)
    for (pid, theme), values in passages.items():
        r = row_of(ws, pid, theme)
        for key, value in values.items():
            ws.cell(r, cols[key]).value = value
    wb.save(target)
    if saved_at:
        set_saved_at(target, saved_at)
    return target


def set_saved_at(path: Path, iso: str) -> None:
    """Rewrite docProps/core.xml's dcterms:modified, as a later save by Excel would."""
    import re

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + iso.encode() + rb"\g<2>", data)
            dst.writestr(item, data)
    os.replace(tmp, path)


# edit time, not import time ------------------------------------------------------------
def test_an_older_workbook_imported_after_a_newer_one_changes_nothing(project, tmp_path,
                                                                      capsys):
    run_export(project)
    monday = edit(project, tmp_path / "camille_lundi.xlsx",
                  {("p2", "sans_abri"): {"Décision": "Valider", "Relecteur": "Camille"}},
                  saved_at="2026-03-02T09:00:00Z")
    friday = edit(project, tmp_path / "camille_vendredi.xlsx",
                  {("p2", "sans_abri"): {"Décision": "Rejeter", "Relecteur": "Camille"}},
                  saved_at="2026-03-06T18:30:00Z")
    run_review_import(project, [str(friday)])
    store, tags = project.decisions_path.read_bytes(), pd.read_parquet(project.tags_path)
    assert not (tags.passage_id == "p2").any()
    capsys.readouterr()
    summary = run_review_import(project, [str(monday)])
    out = capsys.readouterr().out
    assert summary.new == 0 and len(summary.older) == 1
    assert project.decisions_path.read_bytes() == store                    # nothing stored
    pd.testing.assert_frame_equal(pd.read_parquet(project.tags_path), tags)  # nothing applied
    assert "camille_lundi.xlsx : 1 décision(s) plus ancienne(s)" in out
    assert "2026-03-02 09:00" in out and "2026-03-06 18:30" in out


def test_the_newer_decision_wins_whatever_the_import_order(project, tmp_path):
    run_export(project)
    old = edit(project, tmp_path / "a.xlsx", {("p2", "sans_abri"): {
        "Décision": "Rejeter", "Relecteur": "Camille"}}, saved_at="2026-03-02T09:00:00Z")
    new = edit(project, tmp_path / "b.xlsx", {("p2", "sans_abri"): {
        "Décision": "Valider", "Relecteur": "Camille"}}, saved_at="2026-03-06T09:00:00Z")
    run_review_import(project, [str(old)])
    summary = run_review_import(project, [str(new)])
    assert summary.new == 1 and not summary.older
    assert ("p2", "sans_abri", "neutre", "review") in as_set(pd.read_parquet(project.tags_path))
    stored = load_decisions(project)
    assert list(stored["edited_at"].str[:10]) == ["2026-03-02", "2026-03-06"]
    assert all(stored["exported_at"])                        # from the export manifest


def test_between_reviewers_the_later_edit_applies_not_the_later_import(project, tmp_path):
    run_export(project)
    early = edit(project, tmp_path / "youssef.xlsx", {("p2", "sans_abri"): {
        "Décision": "Rejeter", "Relecteur": "Youssef"}}, saved_at="2026-03-01T09:00:00Z")
    late = edit(project, tmp_path / "camille.xlsx", {("p2", "sans_abri"): {
        "Décision": "Valider", "Relecteur": "Camille"}}, saved_at="2026-03-04T09:00:00Z")
    run_review_import(project, [str(late)])
    summary = run_review_import(project, [str(early)])     # imported last, edited first
    assert len(summary.conflicts) == 1
    assert summary.conflicts.iloc[0].retained_reviewer == "Camille"
    assert ("p2", "sans_abri", "neutre", "review") in as_set(pd.read_parquet(project.tags_path))


# a store that can't be half-written -----------------------------------------------------
@pytest.fixture
def stored_three(project, tmp_path) -> Path:
    run_export(project)
    filled = edit(project, tmp_path / "relu_camille.xlsx", {
        ("p1", "hebergement_urgence"): {"Décision": "Valider", "Relecteur": "Camille"},
        ("p2", "sans_abri"): {"Décision": "Rejeter", "Relecteur": "Camille"},
        ("p4", "partenariat_associatif"): {"Décision": "Valider", "Relecteur": "Camille",
                                           "Commentaire": "Juste, mais à suivre : budget ?"},
    })
    assert run_review_import(project, [str(filled)]).new == 3
    return filled


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize("where", ["inside_quotes", "between_fields"])
def test_a_torn_last_line_is_reported_with_its_number_and_repair(project, stored_three,
                                                                  capsys, where):
    path = project.decisions_path
    lines = _lines(path)
    last = lines[-1]
    assert '"Juste, mais' in last                 # the comment is quoted (comma inside)
    cut = last.index("mais") if where == "inside_quotes" else last.index(",Camille,") + 1
    path.write_text("".join(lines[:-1]) + last[:cut], encoding="utf-8")
    reading = read_store(path)
    assert len(reading.decisions) == 2                              # nothing valid lost
    (problem,) = reading.problems
    assert problem.line == 4 and problem.kind == "torn"
    message = reading.messages()[0]
    assert "ligne 4" in message and "supprimez la ligne 4" in message
    assert "review-import \"relu_camille.xlsx\"" in message and "git" not in message
    capsys.readouterr()
    run(project)                                   # every stage goes on with the valid rows
    out = capsys.readouterr().out
    assert "ATTENTION : 1 ligne(s) de decisions.csv à réparer" in out and "ligne 4" in out
    tags = as_set(pd.read_parquet(project.tags_path))
    assert ("p1", "hebergement_urgence", "favorable", "review") in tags
    assert not any(t[0] == "p2" for t in tags)
    # re-importing the workbook restores the lost decision, after the torn line
    summary = run_review_import(project, [str(stored_three)])
    assert summary.new == 1 and summary.already == 2
    again = read_store(path)
    assert len(again.decisions) == 3 and [p.line for p in again.problems] == [4]
    assert ("p4", "partenariat_associatif", "restrictif", "review") in as_set(
        pd.read_parquet(project.tags_path))
    # the repair as written: delete line 4, nothing else
    lines = _lines(path)
    path.write_text("".join(lines[:3] + lines[4:]), encoding="utf-8")
    repaired = read_store(path)
    assert len(repaired.decisions) == 3 and not repaired.problems


def test_a_foreign_row_is_reported_and_the_rows_after_it_are_kept(project, stored_three):
    path = project.decisions_path
    lines = _lines(path)
    path.write_text("".join(lines[:2]) + "coucou,ceci n'est pas une décision\n"
                    + "".join(lines[2:]), encoding="utf-8")
    reading = read_store(path)
    assert len(reading.decisions) == 3
    (problem,) = reading.problems
    assert problem.line == 3 and problem.kind == "foreign"
    assert "supprimez la ligne 3" in reading.messages()[0]


def test_an_edited_row_is_loaded_with_a_note(project, stored_three):
    path = project.decisions_path
    text = path.read_text(encoding="utf-8").replace(",rejeter,", ",valider,")
    path.write_text(text, encoding="utf-8")
    reading = read_store(path)
    assert len(reading.decisions) == 3 and reading.problems[0].kind == "edited"
    assert "modifiée hors de l'outil" in reading.messages()[0]


def test_an_interrupted_append_leaves_the_store_as_it_was(project, stored_three, tmp_path,
                                                          monkeypatch):
    before = project.decisions_path.read_bytes()
    more = edit(project, tmp_path / "relu2.xlsx", {("p3", "acces_droits"): {
        "Décision": "Rejeter", "Relecteur": "Youssef"}})

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        run_review_import(project, [str(more)])
    monkeypatch.undo()
    assert project.decisions_path.read_bytes() == before
    assert len(read_store(project.decisions_path).decisions) == 3


def test_an_old_thirteen_column_store_is_read_and_upgraded_without_loss(project, tmp_path):
    old = ("decision_id,imported_at,file_name,file_sha256,sheet,row,reviewer,passage_id,"
           "theme_id,decision,new_theme_id,new_stance,comment\n"
           "0123456789abcdef,2026-03-01T10:00:00+01:00,vieux.xlsx,abc,Passages,5,Léa,p2,"
           "sans_abri,rejeter,,,\"ancien, commentaire\"\n")
    project.decisions_path.parent.mkdir(parents=True, exist_ok=True)
    project.decisions_path.write_text(old, encoding="utf-8")
    assert list(load_decisions(project)["comment"]) == ["ancien, commentaire"]
    run_export(project)
    more = edit(project, tmp_path / "relu.xlsx", {("p1", "hebergement_urgence"): {
        "Décision": "Valider", "Relecteur": "Léa"}})
    run_review_import(project, [str(more)])
    reading = read_store(project.decisions_path)
    assert not reading.problems and len(reading.decisions) == 2
    first = reading.decisions.iloc[0]
    assert (first.decision_id, first.comment, first.reviewer) == (
        "0123456789abcdef", "ancien, commentaire", "Léa")


# overtyped cells ----------------------------------------------------------------------
def test_overtyped_theme_and_stance_are_caught_with_the_manifest(project, tmp_path):
    path = run_export(project)
    wb = openpyxl.load_workbook(path)
    assert wb["_export"].sheet_state == "hidden"
    ws = wb["Passages"]
    r1, r3 = row_of(ws, "p1"), row_of(ws, "p3")
    r4, r5 = row_of(ws, "p4"), row_of(ws, "p5")
    filled = edit(project, tmp_path / "relu.xlsx", {
        ("p1", "hebergement_urgence"): {"Thème": "Personnes sans-abri", "Décision": "Valider"},
        ("p3", "acces_droits"): {"Thème": "Droits des chats", "Décision": "Valider"},
        ("p4", "partenariat_associatif"): {"Position": "neutre", "Décision": "Valider"},
        ("p5", "partenariat_associatif"): {"Thème": "Lien social", "Décision": "Rejeter"},
    })
    reading = read_reviewed_workbook(filled, load_codebook(project.codebook_path))
    errors, notes = "\n".join(reading.errors), "\n".join(reading.notes)
    assert f"feuille « Passages », ligne {r3}" in errors and "Droits des chats" in errors
    assert f"feuille « Passages », ligne {r5}" in errors and "Rejeter" in errors
    assert len(reading.errors) == 2
    assert f"ligne {r1}" in notes and "lu comme « Corriger »" in notes
    assert f"ligne {r4}" in notes and "position « neutre »" in notes
    rows = {r["passage_id"]: r for r in reading.rows}
    assert (rows["p1"]["decision"], rows["p1"]["new_theme_id"]) == ("corriger", "sans_abri")
    assert (rows["p4"]["decision"], rows["p4"]["new_stance"]) == ("corriger", "neutre")
    run_review_import(project, [str(filled)])
    tags = as_set(pd.read_parquet(project.tags_path))
    assert ("p1", "sans_abri", "favorable", "review") in tags
    assert not any(t[:2] == ("p1", "hebergement_urgence") for t in tags)
    assert ("p4", "partenariat_associatif", "neutre", "review") in tags
    assert ("p3", "acces_droits", "favorable", "auto") in tags      # refused row: untouched


def test_the_manifest_records_the_export_and_what_each_row_showed(project):
    wb = openpyxl.load_workbook(run_export(project))
    manifest = read_manifest(wb["_export"])
    import datetime as dt

    exported = dt.datetime.fromisoformat(manifest.exported_at)
    assert exported.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - exported).total_seconds()) < 600
    row = manifest.row("Passages", "p4", "partenariat_associatif")
    assert row["stance"] == "restrictif" and row["list_id"] == "aix-avenir"
    assert row["text_sha1"] == fingerprint(base_passages().set_index("passage_id")
                                           .loc["p4", "text"])


# formats and rights -------------------------------------------------------------------
def convert(source: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--norestore", "--convert-to", fmt, "--outdir", str(outdir), str(source)],
                   capture_output=True, text=True, timeout=180, check=True)
    (out,) = outdir.iterdir()
    return out


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : `make test` "
                    "l'installe (scripts/system_deps.sh --office)")
def test_ods_is_read_and_xls_refused_and_the_good_file_still_refreshes(project, tmp_path):
    run_export(project)
    ps = openpyxl.load_workbook(project.workbook_path)["Passages"]
    filled = edit(project, tmp_path / "relu_camille.xlsx", {
        ("p2", "sans_abri"): {"Décision": "Rejeter", "Relecteur": "Camille"},
        ("p3", "acces_droits"): {"Décision": "Corriger", "Thème corrigé": "Accès au numérique",
                                 "Relecteur": "Camille"},
        ("p5", "partenariat_associatif"): {"Décision": "Peut-être", "Relecteur": "Camille"}})
    ods = convert(filled, "ods", tmp_path / "ods", tmp_path / "profile")
    xls = convert(filled, "xls", tmp_path / "xls", tmp_path / "profile")
    reading = read_reviewed_workbook(ods, load_codebook(project.codebook_path))
    assert reading.format == "ods" and reading.manifest and reading.modified
    assert f"ligne {row_of(ps, 'p5')}" in reading.errors[0]          # rows numbered as shown
    csv = tmp_path / "relu_yasmine.csv"
    csv.write_text("passage_id;Décision\np1;Valider\n", encoding="utf-8")
    summary = run_review_import(project, [str(xls), str(ods), str(csv)])
    assert summary.new == 2 and summary.tags_refreshed
    refused = "\n".join(summary.errors)
    assert "relu_camille.xls : format Excel 97-2003 (.xls) non lu" in refused
    assert "relu_yasmine.csv : fichier texte / CSV" in refused and "Enregistrer sous" in refused
    tags = as_set(pd.read_parquet(project.tags_path))
    assert not any(t[0] == "p2" for t in tags)
    assert ("p3", "inclusion_numerique", "favorable", "review") in tags
    assert project.conflicts_path.is_file() and project.agreement_paths["json"].is_file()


def test_a_renamed_xls_and_a_broken_file_are_refused_with_the_fix(project, tmp_path):
    fake = tmp_path / "relu.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    broken = tmp_path / "abime.xlsx"
    broken.write_bytes(b"PK\x03\x04 pas vraiment un zip")
    with pytest.raises(UserError) as err:
        run_review_import(project, [str(fake), str(broken)])
    assert "relu.xlsx : format Excel 97-2003 (.xls)" in str(err.value)
    assert "abime.xlsx : ce n'est pas un classeur .xlsx ou .ods lisible" in str(err.value)


def _nobody_can_run() -> bool:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return os.geteuid() != 0
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            sys.executable, "-c", "import analysis"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _nobody_can_run(), reason="ni compte non-root ni setpriv : le dossier "
                    "en lecture seule ne peut pas être simulé")
def test_a_read_only_reviews_folder_is_named_with_what_to_do(tmp_path):
    """data/reviews read-only: the import says which folder and what to do, writes nothing,
    exits 2 (as root, the import runs as `nobody`, for whom the folder is read-only)."""
    from factories.workbook import make_project

    root = Path(tempfile.mkdtemp(prefix="ro-reviews-"))
    try:
        os.chmod(root, 0o755)
        cfg = make_project(root)
        run_export(cfg)
        filled = edit(cfg, root / "relu.xlsx", {("p2", "sans_abri"): {
            "Décision": "Rejeter", "Relecteur": "Camille"}})
        cfg.reviews.mkdir(parents=True, exist_ok=True)
        for d in (cfg.processed, cfg.reports, cfg.reports / "metrics"):
            d.mkdir(parents=True, exist_ok=True)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames:
                os.chmod(Path(dirpath) / name, 0o777)
            for name in filenames:
                os.chmod(Path(dirpath) / name, 0o666)
        os.chmod(cfg.reviews, 0o555)
        os.chmod(filled, 0o644)
        cmd = [sys.executable, "-m", "analysis", "review-import", str(filled),
               "--raw", str(cfg.raw), "--processed", str(cfg.processed),
               "--reports", str(cfg.reports), "--reviews", str(cfg.reviews)]
        if os.geteuid() == 0:
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
        env = dict(os.environ, HOME=str(root), PYTHONPATH=str(PROJECT_ROOT / "src"))
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300,
                              cwd=root)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"Écriture impossible dans {cfg.reviews}" in done.stderr
        assert f"chmod u+w \"{cfg.reviews}\"" in done.stderr and "Traceback" not in done.stderr
        assert not cfg.decisions_path.exists()
    finally:
        os.chmod(root / "data" / "reviews", 0o755) if (root / "data" / "reviews").exists() \
            else None
        shutil.rmtree(root, ignore_errors=True)


# near-identical texts, orphans ----------------------------------------------------------
def test_near_identical_text_reattaches_above_the_threshold_else_orphan(project, tmp_path,
                                                                       capsys):
    run_export(project)
    filled = edit(project, tmp_path / "relu.xlsx", {
        ("p1", "hebergement_urgence"): {"Décision": "Valider", "Relecteur": "Camille"},
        ("p5", "partenariat_associatif"): {"Décision": "Rejeter", "Relecteur": "Camille"}})
    run_review_import(project, [str(filled)])
    passages = base_passages()
    # re-sent: p1 slightly edited (hyphenation + one word), p5 rewritten completely
    p1 = passages.passage_id == "p1"
    passages.loc[p1, "text"] = "Nous ouvrirons 250 places d'héberge- ment d'urgence."
    passages.loc[p1, "passage_id"] = "p1b"
    p5 = passages.passage_id == "p5"
    passages.loc[p5, "text"] = "Les associations auront des locaux gratuits."
    passages.loc[p5, "passage_id"] = "p5b"
    auto = base_tags().replace({"passage_id": {"p1": "p1b", "p5": "p5b"}})
    write_processed(project, passages, auto)
    capsys.readouterr()
    run(project)
    out = capsys.readouterr().out
    assert "1 rapprochée(s)" in out and "1 orpheline(s)" in out and "ATTENTION" in out
    tags = as_set(pd.read_parquet(project.tags_path))
    assert ("p1b", "hebergement_urgence", "favorable", "review") in tags
    assert ("p5b", "partenariat_associatif", "favorable", "auto") in tags   # not re-applied
    orphans = pd.read_csv(project.orphans_path)
    assert list(orphans["passage_id"]) == ["p5"]
    moved = pd.read_csv(project.reviews / "rattachements.csv")
    assert list(moved["status"]) == ["rapprochee"]
    assert moved["similarity"].iloc[0] >= SIMILARITY_THRESHOLD


def test_normalisation_joins_hyphenation_and_typography():
    assert normalise("L’héberge- ment  d’URGENCE") == normalise("l'hébergement d'urgence")
    assert fingerprint("A  b") == fingerprint("a b") and fingerprint("") == ""


# agreement ---------------------------------------------------------------------------------
def test_agreement_with_only_additions_does_not_crash(project):
    cb = load_codebook(project.codebook_path)
    rows = [{"decision_id": f"d{i}", "imported_at": "2026-03-01", "file_name": "r.xlsx",
             "file_sha256": "s", "sheet": "Non étiquetés", "row": str(i), "reviewer": who,
             "passage_id": "p6", "theme_id": "lien_social", "decision": "ajouter",
             "new_theme_id": "lien_social", "new_stance": "favorable", "comment": ""}
            for i, who in enumerate(["Camille", "Youssef"])]
    metrics = compute_agreement(pd.DataFrame(rows, columns=DECISIONS), base_tags(), cb)
    assert metrics["summary"]["n_machine_tags_reviewed"] == 0
    assert metrics["summary"]["precision"] is None
    assert metrics["pairs"].iloc[0].n_units == 1


def test_the_run_summary_says_how_decisions_attached_and_what_to_repair(project,
                                                                        stored_three):
    from analysis.run_summary import run_summary_lines

    path = project.decisions_path
    lines = _lines(path)
    path.write_text("".join(lines[:-1]) + lines[-1][:30], encoding="utf-8")
    run(project)
    text = "\n".join(run_summary_lines(project))
    assert "Décisions de relecture : 2 — 2 à leur place" in text and "0 orpheline(s)" in text
    assert "ATTENTION : 1 ligne(s) de decisions.csv à réparer" in text
    assert "supprimez la ligne 4" in text
