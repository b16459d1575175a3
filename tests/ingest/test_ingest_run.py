"""The whole ingestion stage: tables, lists, ids, folders."""

import pandas as pd
import pytest
from factories.ingest import make_config, make_docx, make_html, make_programme_pdf

from analysis.common.errors import UserError
from analysis.contracts import INGEST_REPORT, PASSAGES
from analysis.ingest import run_ingest


@pytest.fixture()
def cfg(tmp_path):
    cfg = make_config(tmp_path, questions=[])
    solidaire = cfg.raw / "programmes" / "aix-solidaire"
    solidaire.mkdir()
    make_programme_pdf(solidaire / "programme.pdf")
    avenir = cfg.raw / "programmes" / "Aix Avenir"  # folder named after the list, not its id
    avenir.mkdir()
    make_docx(avenir / "programme.docx")
    return cfg


def test_tables_have_the_contract_columns_and_types(cfg):
    passages, report = run_ingest(cfg)
    stored = pd.read_parquet(cfg.passages_path)
    assert list(stored.columns) == PASSAGES
    assert list(report.columns) == INGEST_REPORT
    assert str(stored["page"].dtype) == "Int64"
    assert stored["passage_id"].is_unique
    assert stored["passage_id"].str.fullmatch(r"[0-9a-f]{16}").all()
    assert set(stored["source"]) == {"programme"}
    assert stored["question_id"].isna().all()
    pdf = stored[stored["path"] == "programmes/aix-solidaire/programme.pdf"]
    assert sorted(pdf["page"].unique()) == [1, 2, 3]
    docx = stored[stored["path"] == "programmes/Aix Avenir/programme.docx"]
    assert docx["page"].isna().all() and set(docx["list_id"]) == {"aix-avenir"}
    assert "Mesure: Épicerie solidaire; Budget: 120 000 €" in set(docx["text"])
    assert set(docx["section"].dropna()) == {"Logement et hébergement",
                                             "Nos engagements chiffrés"}
    assert (stored["char_end"] > stored["char_start"]).all()


def test_a_list_without_documents_is_reported_missing(cfg):
    _, report = run_ingest(cfg)
    row = report[report["list_id"] == "aix-citoyenne"].iloc[0]
    assert row["status"] == "missing"
    assert row["reason"].startswith("aucun document pour cette liste")


def test_unknown_list_folder_is_ingested_with_a_warning(cfg):
    folder = cfg.raw / "programmes" / "aix-nouvelle-vague"
    folder.mkdir()
    make_html(folder / "index.html")
    passages, report = run_ingest(cfg)
    assert "aix-nouvelle-vague" in set(passages["list_id"])
    row = report[report["list_id"] == "aix-nouvelle-vague"].iloc[0]
    assert row["status"] == "warning" and "absent de la configuration" in row["reason"]


def test_ids_are_stable_across_runs_and_when_a_file_is_added(cfg):
    first, _ = run_ingest(cfg)
    second, _ = run_ingest(cfg)
    pd.testing.assert_frame_equal(first, second)
    folder = cfg.raw / "programmes" / "aix-citoyenne"
    folder.mkdir()
    make_html(folder / "index.html")
    third, _ = run_ingest(cfg)
    kept = third[third["list_id"] != "aix-citoyenne"].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, kept)
    assert len(third) > len(first)


def test_same_sentence_twice_gets_two_ids(tmp_path):
    cfg = make_config(tmp_path, questions=[])
    folder = cfg.raw / "programmes" / "aix-solidaire"
    folder.mkdir()
    (folder / "p.md").write_text("# A\n\nNous aiderons toutes les familles.\n\n# B\n\n"
                                 "Nous aiderons toutes les familles.\n", encoding="utf-8")
    passages, _ = run_ingest(cfg)
    assert len(passages) == 2 and passages["passage_id"].is_unique


def test_missing_folders_raise_user_errors(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "programmes").rmdir()
    with pytest.raises(UserError, match="programmes.*introuvable.*--raw"):
        run_ingest(cfg)
    cfg.raw.rmdir()
    with pytest.raises(UserError, match="Dossier des documents introuvable"):
        run_ingest(cfg)
