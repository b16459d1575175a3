"""After the vote: the register of the elected list's commitments (sources, pages, stable
ids), the volunteers' workbook filled with openpyxl and imported back (append-only history,
conflicts, orphans, refused rows), a rerun with a new programme file, and the chart and the
"bilan à mi-mandat" section of the report. Real xlsx files throughout."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from factories.workbook import make_project, passage, tag, write_processed

from analysis import cli, contracts
from analysis.config import load_config
from analysis.publish.report import build_report
from analysis.publish.suivi_section import mandate_section
from analysis.suivi import history as H
from analysis.suivi import run, run_suivi_import
from analysis.suivi.sheet import read_register
from analysis.suivi.store import load_history, load_index
from analysis.suivi.workbook import (
    COL_DATE,
    COL_EVIDENCE,
    COL_ID,
    COL_REVIEWER,
    COL_STATUS,
    SHEET,
)

LIST = "aix-avenir"                     # the elected list of config/demo.yml
PROG = f"programmes/{LIST}/programme.pdf"
LETTER = f"questionnaire/{LIST}.pdf"
SHELTER = "Nous ouvrirons 200 places d'hébergement d'urgence d'ici 2028 avec les associations."
SHELTER_Q = "Nous ouvrirons 200 places d'hébergement d'urgence avec les associations."
FOOD = "Nous ouvrirons une épicerie solidaire dans chaque quartier prioritaire."
LIBRARY = "Nous ouvrirons 300 places d'hébergement d'urgence pour les familles avec enfants."


def passages_v1() -> pd.DataFrame:
    rows = [
        passage("a1", LIST, SHELTER, path=PROG, page=2),
        passage("a2", LIST, FOOD, path=PROG, page=3),
        passage("a3", LIST, "La solidarité est une valeur de notre ville.", path=PROG, page=1),
        passage("a4", LIST, LIBRARY, path=PROG, page=4),
        passage("q1", LIST, SHELTER_Q, source="questionnaire", path=LETTER, page=1,
                question="q6"),
        passage("o1", "aix-solidaire", FOOD, path="programmes/aix-solidaire/p.pdf", page=1),
    ]
    df = pd.DataFrame(rows, columns=contracts.PASSAGES)
    df["page"] = df["page"].astype("Int64")
    return df


def tags_v1() -> pd.DataFrame:
    return pd.DataFrame([
        tag("a1", "hebergement_urgence", strength="concret"),
        tag("a1", "partenariat_associatif", strength="general"),
        tag("a2", "aide_alimentaire", strength="general"),
        tag("a3", "lien_social", stance="neutre", strength="mention"),
        tag("a4", "hebergement_urgence", strength="concret"),
        tag("q1", "hebergement_urgence", strength="concret"),
        tag("o1", "aide_alimentaire", strength="general"),
    ], columns=contracts.TAGS)


@pytest.fixture
def elected(tmp_path: Path):
    return make_project(tmp_path, passages_v1(), tags_v1())


def by_quote(register: pd.DataFrame, text: str) -> dict:
    rows = register[register["quote"] == text]
    assert len(rows) == 1, register[["commitment_id", "quote"]]
    return rows.iloc[0].to_dict()


def fill(workbook: Path, target: Path, entries: list[tuple], reviewer: str = "Camille") -> Path:
    """Fill the register like a volunteer: (commitment_id, status, date, evidence) per row;
    a second entry for the same id goes on a copied row under the table."""
    wb = openpyxl.load_workbook(workbook)
    ws = wb[SHEET]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == COL_ID)
    cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(r, 1).value: r for r in range(head + 1, ws.max_row + 1)
            if ws.cell(r, 1).value}
    used = set()
    for cid, status, day, evidence in entries:
        r = rows.get(cid, ws.max_row + 1)
        if r in used or cid not in rows:
            r = ws.max_row + 1
            ws.cell(r, 1).value = cid
        used.add(r)
        ws.cell(r, cols[COL_STATUS]).value = status
        ws.cell(r, cols[COL_DATE]).value = day
        ws.cell(r, cols[COL_EVIDENCE]).value = evidence
        ws.cell(r, cols[COL_REVIEWER]).value = reviewer
    wb.save(target)
    return target


# --------------------------------------------------------------------------- register
def test_register_lists_the_elected_lists_commitments_with_sources_and_pages(elected):
    result = run(elected)
    reg = result.register
    assert set(reg["list_id"]) == {LIST}                       # the elected list only
    assert len(reg) == 3                                       # a3 is a mere mention
    shelter = by_quote(reg, SHELTER)
    assert shelter["sources"] == "programme + questionnaire"   # the same promise twice
    assert shelter["passage_ids"] == "a1 ; q1"
    assert f"{PROG}, p. 2" in shelter["references"]
    assert f"{LETTER}, p. 1, question q6" in shelter["references"]
    assert shelter["strength"] == "concret" and shelter["theme_id"] == "hebergement_urgence"
    assert "Partenariat avec les associations" in shelter["themes"]      # one row, 2 themes
    # 300 places is another promise than 200 places, even if the words are the same
    assert by_quote(reg, LIBRARY)["commitment_id"] != shelter["commitment_id"]
    assert by_quote(reg, FOOD)["sources"] == "programme"
    assert pd.read_parquet(elected.suivi_register_path)["commitment_id"].tolist() == \
        reg["commitment_id"].tolist()


def test_a_rejected_tag_is_not_a_commitment(tmp_path):
    tags = tags_v1()
    cfg = make_project(tmp_path, passages_v1(), tags[tags["passage_id"] != "a2"])
    assert FOOD not in set(run(cfg).register["quote"])


def test_ids_survive_reruns_and_a_new_programme_file(elected):
    first = run(elected).register.set_index("quote")["commitment_id"]
    again = run(elected).register.set_index("quote")["commitment_id"]
    assert first.to_dict() == again.to_dict()
    # a new programme file: the shelter promise reworded, and a new promise
    extra = pd.DataFrame([
        passage("n1", LIST, "D'ici 2028, 200 places d'hébergement d'urgence seront ouvertes "
                "avec les associations.", path=f"programmes/{LIST}/programme_v2.pdf", page=1),
        passage("n2", LIST, "Nous créerons une maison des associations au centre-ville.",
                path=f"programmes/{LIST}/programme_v2.pdf", page=2),
    ], columns=contracts.PASSAGES)
    passages = pd.concat([extra, passages_v1()], ignore_index=True)   # new file sorts first
    passages["page"] = passages["page"].astype("Int64")
    tags = pd.concat([tags_v1(), pd.DataFrame([
        tag("n1", "hebergement_urgence", strength="concret"),
        tag("n2", "partenariat_associatif", strength="general")], columns=contracts.TAGS)])
    write_processed(elected, passages, tags)
    reg = run(elected).register
    for quote, cid in first.items():
        assert cid in set(reg["commitment_id"]), f"id of « {quote} » lost"
    shelter = reg[reg["commitment_id"] == first[SHELTER]].iloc[0]
    assert "n1" in shelter["passage_ids"] and "programme_v2.pdf, p. 1" in shelter["references"]
    assert len(reg) == 4
    index = load_index(elected.suivi_index_path)
    assert index["commitment_id"].nunique() == 4


# --------------------------------------------------------------------------- round trip
def test_filled_register_imports_then_a_second_import_keeps_both_dates(elected, tmp_path):
    result = run(elected)
    ids = result.register.set_index("quote")["commitment_id"]
    book = result.paths["workbook"]
    f1 = fill(book, tmp_path / "suivi_2027.xlsx", [
        (ids[SHELTER], "En cours", dt.datetime(2027, 3, 1), "Délibération n° 2027-12"),
        (ids[FOOD], "Réalisé", "15/06/2027", "https://ville.example/epicerie"),
    ])
    out = run_suivi_import(elected, [str(f1)])
    assert (out.new, out.already, out.errors) == (2, 0, [])
    assert run_suivi_import(elected, [str(f1)]).new == 0          # same file twice: nothing

    # a rerun with a new programme file keeps the statuses
    extra = passage("n2", LIST, "Nous créerons une maison des associations au centre-ville.",
                    path=f"programmes/{LIST}/nouveau.pdf", page=1)
    passages = pd.concat([passages_v1(), pd.DataFrame([extra], columns=contracts.PASSAGES)])
    passages["page"] = passages["page"].astype("Int64")
    write_processed(elected, passages, pd.concat([tags_v1(), pd.DataFrame(
        [tag("n2", "partenariat_associatif")], columns=contracts.TAGS)]))
    rerun = run(elected)
    latest = rerun.latest.set_index("commitment_id")
    assert latest.loc[ids[SHELTER], "status_label"] == "En cours"
    assert latest.loc[ids[FOOD], "observed_on"] == "2027-06-15"

    # the next year's register shows the known status; a changed status is added, dated
    wb = openpyxl.load_workbook(rerun.paths["workbook"])
    ws = wb[SHEET]
    shown = [[c.value for c in row] for row in ws.iter_rows(min_row=1, max_row=ws.max_row)]
    row = next(r for r in shown if r[0] == ids[SHELTER])
    assert "En cours" in row and "2027-03-01" in row
    f2 = fill(rerun.paths["workbook"], tmp_path / "suivi_2028.xlsx", [
        (ids[SHELTER], "Réalisé", dt.datetime(2028, 2, 1), "Délibération n° 2028-03")],
        reviewer="Léo")
    assert run_suivi_import(elected, [str(f2)]).new == 1
    hist = load_history(elected.suivi_history_path)
    mine = hist[hist["commitment_id"] == ids[SHELTER]]
    assert mine[["observed_on", "status"]].values.tolist() == [
        ["2027-03-01", "en_cours"], ["2028-02-01", "realise"]]
    by_year = H.status_by_year(rerun.register, hist, elected.codebook.axes, [2026, 2027, 2028])
    prot = by_year[(by_year["axis"] == "protection")].set_index(["year", "status"])
    assert prot.loc[(2026, "pas_commence"), "n_engagements"] == 3     # shelter, 300, food
    assert prot.loc[(2027, "en_cours"), "n_engagements"] == 1
    assert prot.loc[(2028, "realise"), "n_engagements"] == 2       # shelter + food


def test_the_history_is_only_ever_extended(elected, tmp_path):
    ids = run(elected).register.set_index("quote")["commitment_id"]
    book = run(elected).paths["workbook"]
    run_suivi_import(elected, [str(fill(book, tmp_path / "a.xlsx",
                                        [(ids[FOOD], "En cours", "01/02/2027", "x")]))])
    before = elected.suivi_history_path.read_bytes()
    run_suivi_import(elected, [str(fill(book, tmp_path / "b.xlsx",
                                        [(ids[FOOD], "Abandonné", "01/02/2028", "y")]))])
    after = elected.suivi_history_path.read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert not list(elected.reviews.glob(".*tmp*"))               # atomic: no leftover


def test_bad_rows_are_listed_with_file_and_row_and_the_others_kept(elected, tmp_path):
    ids = run(elected).register.set_index("quote")["commitment_id"]
    book = run(elected).paths["workbook"]
    f = fill(book, tmp_path / "mauvais.xlsx", [
        (ids[SHELTER], "Presque fini", "01/03/2027", ""),          # unknown status
        (ids[FOOD], "Réalisé", None, ""),                          # no date
        (ids[LIBRARY], "En cours", "2027-04-31", ""),              # not a date
        ("E-inconnu", "En cours", "01/03/2027", ""),               # unknown id
        (ids[LIBRARY], "Réalisé", "01/01/2020", "trop tôt"),       # before the election
    ])
    out = run_suivi_import(elected, [str(f)])
    assert out.new == 0 and len(out.errors) == 5
    text = "\n".join(out.errors)
    assert "mauvais.xlsx" in text and "ligne" in text
    assert "'Presque fini' inconnu" in text and "Réalisé" in text
    assert "vide" in text and "'2027-04-31' n'est pas une date" in text
    assert "'E-inconnu' inconnu" in text and "antérieure à l'élection" in text
    # a good row in the same file is stored
    g = fill(book, tmp_path / "mixte.xlsx", [(ids[SHELTER], "Réalisé", "01/03/2027", ""),
                                             (ids[FOOD], "N'importe quoi", "01/03/2027", "")])
    out = run_suivi_import(elected, [str(g)])
    assert out.new == 1 and len(out.errors) == 1
    assert any("sans preuve" in n for n in out.notes)


def test_a_future_date_is_refused_outside_the_demo(elected, tmp_path):
    ids = run(elected).register.set_index("quote")["commitment_id"]
    book = run(elected).paths["workbook"]
    f = fill(book, tmp_path / "futur.xlsx", [(ids[FOOD], "En cours", "01/03/2031", "")])
    reading = read_register(f, set(ids), dt.date(2026, 3, 15), today=dt.date(2027, 1, 1))
    assert not reading.rows and "dans le futur" in reading.errors[0]


def test_same_date_different_statuses_is_a_conflict_and_the_last_import_applies(
        elected, tmp_path):
    result = run(elected)
    ids = result.register.set_index("quote")["commitment_id"]
    a = fill(result.paths["workbook"], tmp_path / "camille.xlsx",
             [(ids[FOOD], "Réalisé", "01/10/2027", "inauguration")], reviewer="Camille")
    b = fill(result.paths["workbook"], tmp_path / "leo.xlsx",
             [(ids[FOOD], "En cours", "01/10/2027", "travaux")], reviewer="Léo")
    out = run_suivi_import(elected, [str(a), str(b)])
    assert len(out.conflicts) == 1
    row = out.conflicts.iloc[0]
    assert "Camille : Réalisé" in row["positions"] and "Léo : En cours" in row["positions"]
    assert elected.suivi_conflicts_path.is_file()
    assert out.latest.set_index("commitment_id").loc[ids[FOOD], "status_label"] == "En cours"
    assert len(load_history(elected.suivi_history_path)) == 2      # both kept


def test_an_observation_of_a_vanished_commitment_is_an_orphan_never_dropped(elected, tmp_path):
    result = run(elected)
    ids = result.register.set_index("quote")["commitment_id"]
    f = fill(result.paths["workbook"], tmp_path / "s.xlsx",
             [(ids[FOOD], "En cours", "01/10/2027", "")])
    run_suivi_import(elected, [str(f)])
    tags = tags_v1()
    write_processed(elected, passages_v1(), tags[tags["passage_id"] != "a2"])
    out = run(elected)
    assert out.orphans["commitment_id"].tolist() == [ids[FOOD]]
    assert elected.suivi_orphans_path.is_file()
    assert len(load_history(elected.suivi_history_path)) == 1


def test_registers_dropped_in_data_raw_suivi_are_imported_on_each_run(elected, tmp_path):
    result = run(elected)
    ids = result.register.set_index("quote")["commitment_id"]
    elected.suivi_inbox.mkdir(parents=True)
    fill(result.paths["workbook"], elected.suivi_inbox / "retour.xlsx",
         [(ids[FOOD], "En cours", "01/10/2027", "")])
    assert run(elected).new == 1
    assert run(elected).new == 0


# --------------------------------------------------------------------------- workbook
def test_the_register_workbook_follows_the_review_workbook_conventions(elected):
    path = run(elected).paths["workbook"]
    assert "DEMO" in path.name
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["Lisez-moi", SHEET, "Historique"]
    ws = wb[SHEET]
    assert "DONNÉES FICTIVES" in ws["A1"].value
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == COL_ID)
    assert ws.freeze_panes == f"A{head + 1}"
    cols = {ws.cell(head, c).value: c for c in range(1, ws.max_column + 1)}
    letter = openpyxl.utils.get_column_letter(cols[COL_STATUS])
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(f"{letter}{head + 1}" in str(dv.sqref) for dv in lists)
    assert "Contraire à l'engagement" in lists[0].formula1
    readme = " ".join(str(c.value) for row in wb["Lisez-moi"].iter_rows() for c in row
                      if c.value)
    assert "suivi-import" in readme and "Dictionnaire des données" in readme


# --------------------------------------------------------------------------- outputs
def test_chart_csv_and_report_section_show_the_change(elected, tmp_path):
    result = run(elected)
    ids = result.register.set_index("quote")["commitment_id"]
    run_suivi_import(elected, [str(fill(result.paths["workbook"], tmp_path / "a.xlsx", [
        (ids[SHELTER], "En cours", "01/03/2027", "délib. 1"),
        (ids[SHELTER], "Réalisé", "01/02/2028", "délib. 2")]))])
    table = pd.read_csv(elected.suivi_dir / f"engagements_{LIST}_DEMO.csv",
                        encoding="utf-8-sig")
    assert set(table["avertissement"]) == {"Données fictives de démonstration"}
    assert table.set_index("commitment_id").loc[ids[SHELTER], "status_label"] == "Réalisé"
    section = mandate_section(elected)
    assert section["n"] == 3
    text = " ".join(section["sentences"])
    assert "1 réalisé" in text and "Depuis fin 2027 : -1 en cours, +1 réalisé." in text
    chart = pd.read_csv(elected.figures_dir / "fig10_suivi_statuts_DEMO.csv",
                        encoding="utf-8-sig")
    assert set(chart["avertissement"]) == {"Données fictives de démonstration"}
    prot = chart[chart["axe"] == "Protéger les plus fragiles"].set_index(["annee", "statut"])
    assert prot.loc[(2027, "En cours"), "engagements"] == 1
    assert prot.loc[(2028, "Réalisé"), "engagements"] == 1
    html = build_report(elected, sheets=False).read_text(encoding="utf-8")
    assert "bilan à mi-mandat" in html and 'id="fig10_suivi_statuts"' in html
    assert "délib. 2" in html


def test_without_an_elected_list_nothing_is_produced(tmp_path):
    src = Path(load_config().source).read_text(encoding="utf-8")
    start = src.index("mandate:")
    end = src.index("lists:")
    plain = tmp_path / "sans_mandat.yml"
    plain.write_text(src[:start] + src[end:].replace("codebook: config", "codebook: config"),
                     encoding="utf-8")
    text = plain.read_text(encoding="utf-8").replace(
        "codebook: config/codebooks/solidarite.yml",
        f"codebook: {load_config().codebook_path}")
    plain.write_text(text, encoding="utf-8")
    cfg = load_config(plain, raw=tmp_path / "raw", processed=tmp_path / "p",
                      reports=tmp_path / "r", reviews=tmp_path / "rv")
    assert run(cfg) is None and mandate_section(cfg) is None


def test_cli_suivi_follows_another_list_with_liste(elected, capsys):
    code = cli.main(["suivi", "--liste", "aix-solidaire", "--processed", str(elected.processed),
                     "--reports", str(elected.reports), "--reviews", str(elected.reviews),
                     "--raw", str(elected.raw)])
    assert code == 0
    reg = pd.read_parquet(elected.suivi_register_path)
    assert set(reg["list_id"]) == {"aix-solidaire"} and len(reg) == 1
    code = cli.main(["suivi", "--liste", "inconnue", "--processed", str(elected.processed)])
    assert code == 2 and "inconnue" in capsys.readouterr().err


# --------------------------------------------------------------------------- LibreOffice
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) absent : `make test` "
                    "l'installe (scripts/system_deps.sh --office)")
def test_a_register_resaved_by_libreoffice_imports_with_its_dates(elected, tmp_path):
    result = run(elected)
    ids = result.register.set_index("quote")["commitment_id"]
    (tmp_path / "in").mkdir()
    filled = fill(result.paths["workbook"], tmp_path / "in" / "rempli.xlsx",
                  [(ids[FOOD], "Réalisé", dt.datetime(2027, 6, 15), "Délibération n° 2027-40")])
    out_dir = tmp_path / "lo"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
         str(out_dir), str(filled)], capture_output=True, text=True, timeout=180)
    resaved = out_dir / "rempli.xlsx"
    assert done.returncode == 0 and resaved.is_file(), done.stderr
    out = run_suivi_import(elected, [str(resaved)])
    assert (out.new, out.errors) == (1, [])
    hist = load_history(elected.suivi_history_path)
    assert hist[["commitment_id", "status", "observed_on"]].values.tolist() == [
        [ids[FOOD], "realise", "2027-06-15"]]
