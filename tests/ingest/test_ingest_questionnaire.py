"""Questionnaire answers: form exports, letters, filled templates, lists that did not answer,
and contact data kept out of processed/."""


import pandas as pd
import pytest
from factories.ingest import FORM, make_config, make_form_xlsx, make_letter_docx

from analysis.ingest import questionnaire as ingest_questionnaire
from analysis.ingest import run_ingest

CONTACTS = ["jean.dupont@example.org", "Jean Dupont-Contact", "06 11 22 33 44",
            "anne@example.org", "Anne Secrète"]
Q1 = "1. Partenariat avec les associations : quelle place leur donnerez-vous ?"


def form_rows():
    return [
        {"Horodateur": "27/02/2026 14:03:12", "Adresse e-mail": CONTACTS[0],
         "Nom du ou de la répondant·e": CONTACTS[1], "Téléphone": CONTACTS[2],
         "Nom de votre liste": "  AIX   solidaire et ecologique ",
         Q1: "Des conventions pluriannuelles pour toutes les associations. "
             "Pour nous contacter : 06.12.34.56.78.",
         "Q2 - Participation": "",
         "3. Accompagnement et accès aux droits": "Un guichet unique d'accès aux droits.\n"
                                                  "- Maisons France services\n- Permanences\n"
                                                  "Contact : jean  dupont-contact.",
         "Joignable au": "07 98 76 54 32"},
        {"Horodateur": "28/02/2026 09:00:00", "Adresse e-mail": CONTACTS[3],
         "Nom du ou de la répondant·e": CONTACTS[4], "Téléphone": "",
         "Nom de votre liste": "Aix Inconnue 2026", Q1: "Nous verrons.",
         "Q2 - Participation": "", "3. Accompagnement et accès aux droits": "",
         "Joignable au": ""},
    ]


@pytest.fixture()
def cfg(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "programmes" / "aix-solidaire").mkdir()
    (cfg.raw / "programmes" / "aix-solidaire" / "p.txt").write_text(
        "Nous agirons pour la solidarité.", encoding="utf-8")
    (cfg.raw / "questionnaire").mkdir()
    make_form_xlsx(cfg.raw / "questionnaire" / "export_formulaire.xlsx", form_rows())
    make_letter_docx(cfg.raw / "questionnaire" / "aix-avenir.docx")
    return cfg


def test_form_answers_become_passages_with_question_ids(cfg):
    passages, report = run_ingest(cfg)
    form = passages[passages["path"] == "questionnaire/export_formulaire.xlsx"]
    assert set(form["list_id"]) == {"aix-solidaire"}  # odd case, accents and spacing matched
    assert set(form["source"]) == {"questionnaire"}
    assert form["question_id"].tolist() == ["q1", "q1", "q3", "q3", "q3", "q3"]
    assert form["text"].tolist()[-1] == "Contact : [contact masqué]."
    assert "q2" not in set(form["question_id"])  # an empty answer cell is not a passage
    assert form["text"].tolist()[1] == "Pour nous contacter : [téléphone masqué]."
    assert set(form["section"]) == {"1. Partenariat avec les associations",
                                    "3. Accompagnement et accès aux droits"}
    assert form["page"].isna().all()


def test_unmatched_list_name_is_a_warning_naming_row_and_name(cfg):
    _, report = run_ingest(cfg)
    rows = report[report["path"] == "questionnaire/export_formulaire.xlsx"]
    warning = rows[rows["status"] == "warning"].iloc[0]
    assert "ligne 3" in warning["reason"] and "« Aix Inconnue 2026 »" in warning["reason"]
    assert "aliases" in warning["reason"]
    ok = rows[rows["list_id"] == "aix-solidaire"].iloc[0]
    assert ok["status"] == "ok" and ok["passages"] == 6


def test_contact_data_never_reaches_processed(cfg):
    run_ingest(cfg)
    written = "".join(p.read_bytes().decode("utf-8", "replace") for p in
                      cfg.processed.iterdir() if p.suffix == ".csv")
    written += pd.read_parquet(cfg.passages_path).to_csv()
    for value in [*CONTACTS, "06.12.34.56.78", "07 98 76 54 32"]:
        assert value not in written
    report = pd.read_csv(cfg.ingest_report_path)
    assert "Adresse e-mail" in " ".join(report["reason"].dropna())  # named, not copied


def test_letter_split_by_question_headings(cfg):
    passages, _ = run_ingest(cfg)
    letter = passages[passages["path"] == "questionnaire/aix-avenir.docx"]
    assert set(letter["list_id"]) == {"aix-avenir"}
    q = dict(zip(letter["text"], letter["question_id"], strict=True))
    assert q["Nous signerons des conventions pluriannuelles avec les associations."] == "q1"
    assert q["Les locaux municipaux seront prêtés gratuitement."] == "q1"
    assert q["Nous créerons un conseil des personnes concernées par la précarité, réuni chaque "
             "trimestre avec les élus et les services municipaux."] == "q2"
    assert pd.isna(q["Madame, Monsieur, voici nos réponses à votre questionnaire."])
    assert q["Pour nous joindre : [téléphone masqué] ou [courriel masqué]."] == "q2"
    assert not any(t.startswith(("Question 1", "Q2")) for t in letter["text"])


def test_plain_text_letter_with_numbered_questions_and_copied_question_text(cfg):
    (cfg.raw / "questionnaire" / "Aix Citoyenne - réponse.txt").write_text(
        "1. Partenariat avec les associations\n\n"
        "Quelle place donnerez-vous aux associations de solidarité ?\n\n"
        "Une place centrale : un conseil local de la vie associative.\n\n"
        "2. Participation\n\nDes budgets participatifs dans chaque quartier.\n\n"
        "1. Nous commencerons par les quartiers prioritaires.\n", encoding="utf-8")
    passages, _ = run_ingest(cfg)
    letter = passages[passages["list_id"] == "aix-citoyenne"]
    assert letter["question_id"].tolist() == ["q1", "q2", "q2"]
    assert "Quelle place donnerez-vous" not in " ".join(letter["text"])


def test_letter_closing_and_signature_answer_no_question(cfg):
    (cfg.raw / "questionnaire" / "aix-citoyenne.txt").write_text(
        "Question 1\n\nUn conseil local de la vie associative.\n\n"
        "Question 2\n\nDes budgets participatifs dans chaque quartier.\n\n"
        "Nous restons à votre disposition pour en parler.\n\n"
        "Je vous prie d'agréer, Madame, Monsieur, mes salutations distinguées.\n\n"
        "Noémie Farjaud, tête de liste\n", encoding="utf-8")
    passages, _ = run_ingest(cfg)
    letter = passages[passages["list_id"] == "aix-citoyenne"].set_index("text")
    assert letter.loc["Des budgets participatifs dans chaque quartier.", "question_id"] == "q2"
    closing = letter[letter.index.str.contains("disposition|agréer")]
    assert len(closing) == 2
    assert set(closing["section"]) == {"Fin du courrier"}
    after = letter[letter.index.str.contains("disposition|agréer|Farjaud")]
    assert after["question_id"].isna().all()


def test_lists_that_did_not_answer_and_responses_table(cfg):
    _, report = run_ingest(cfg)
    no_answer = report[report["status"] == "no_answer"]
    assert no_answer["list_id"].tolist() == ["aix-citoyenne"]
    assert no_answer["reason"].tolist() == ["pas de réponse au questionnaire"]
    responses = pd.read_csv(cfg.processed / "questionnaire_responses.csv")
    assert list(responses.columns) == ["list_id", "answered", "channel", "date",
                                       "n_questions_answered", "n_words", "path"]
    rows = responses.set_index("list_id")
    assert rows.loc["aix-solidaire", "channel"] == "formulaire"
    assert rows.loc["aix-solidaire", "date"] == "2026-02-27T14:03:12"
    assert rows.loc["aix-solidaire", "n_questions_answered"] == 2
    assert rows.loc["aix-avenir", "channel"] == "courrier"
    assert rows.loc["aix-avenir", "date"] == "2026-02-12"
    assert not rows.loc["aix-citoyenne", "answered"]


def test_latest_answer_of_a_list_wins(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "questionnaire").mkdir()
    rows = form_rows()[:1] * 2
    rows[1] = {**rows[1], "Horodateur": "01/03/2026 10:00:00", Q1: "Réponse corrigée finale."}
    make_form_xlsx(cfg.raw / "questionnaire" / "f.xlsx", rows)
    passages, report = run_ingest(cfg)
    assert "Réponse corrigée finale." in set(passages["text"])
    assert "Des conventions pluriannuelles pour toutes les associations." not in set(
        passages["text"])
    skipped = report[report["status"] == "skipped"].iloc[0]
    assert "ligne 2" in skipped["reason"] and "ligne 3" in skipped["reason"]


def test_csv_export_in_windows_1252_with_semicolons(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "questionnaire").mkdir()
    frame = pd.DataFrame(form_rows()[:1]).rename(columns={Q1: "Q1 Partenariat"})
    frame.loc[0, "Q1 Partenariat"] = "L’aide aux « Restos du cœur » : 20 000 € par an."
    (cfg.raw / "questionnaire" / "export.csv").write_bytes(
        frame.to_csv(sep=";", index=False).encode("cp1252"))
    passages, _ = run_ingest(cfg)
    assert passages["text"].tolist()[0] == "L’aide aux « Restos du cœur » : 20 000 € par an."
    assert passages["question_id"].tolist()[0] == "q1"


def test_missing_list_column_is_an_error_row(tmp_path):
    cfg = make_config(tmp_path, form={**FORM, "list_column": "Nom de votre équipe"})
    (cfg.raw / "questionnaire").mkdir()
    make_form_xlsx(cfg.raw / "questionnaire" / "f.xlsx",
                   [{"Horodateur": "x", Q1: "Une réponse sans nom de liste."}])
    _, report = run_ingest(cfg)
    row = report[report["path"] == "questionnaire/f.xlsx"].iloc[0]
    assert row["status"] == "error" and "questionnaire.form.list_column" in row["reason"]


def test_letter_with_unknown_file_name_is_reported(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "questionnaire").mkdir()
    make_letter_docx(cfg.raw / "questionnaire" / "reponse-mairie.docx")
    passages, report = run_ingest(cfg)
    row = report[report["path"] == "questionnaire/reponse-mairie.docx"].iloc[0]
    assert row["status"] == "error" and "renommer" in row["reason"]
    assert passages.empty


def test_filled_template_is_read_by_the_template_reader(tmp_path, monkeypatch):
    from openpyxl import Workbook

    cfg = make_config(tmp_path)
    (cfg.raw / "questionnaire").mkdir()
    path = cfg.raw / "questionnaire" / "modele_rempli.xlsx"
    wb = Workbook()
    sheet = wb.active
    sheet.title = "Réponses"
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"] = "Liste", "Aix Avenir", "Date", "2026-02-20"
    meta = wb.create_sheet("_meta")
    meta.append(["format", "barometre-questionnaire"])
    wb.save(path)
    calls = []

    def read_filled_template(p, c):
        calls.append(p)
        return pd.DataFrame({
            "list_name": ["Aix Avenir", "Aix Avenir"], "question_id": ["q1", "engagements"],
            "section": ["Question 1", "Engagements"],
            "text": ["Nous doublerons les subventions aux associations.",
                     "Engagement : Oui — Hébergement d'urgence."],
        })

    monkeypatch.setattr(ingest_questionnaire, "read_filled_template", read_filled_template)
    passages, report = run_ingest(cfg)
    assert calls == [path]
    assert passages["question_id"].tolist() == ["q1", "engagements"]
    assert set(passages["list_id"]) == {"aix-avenir"}
    responses = pd.read_csv(cfg.processed / "questionnaire_responses.csv").set_index("list_id")
    assert responses.loc["aix-avenir", "channel"] == "modele"
    assert responses.loc["aix-avenir", "date"].startswith("2026-02-20")


def test_empty_form_file_and_unknown_question_column(tmp_path):
    cfg = make_config(tmp_path)
    (cfg.raw / "questionnaire").mkdir()
    (cfg.raw / "questionnaire" / "vide.xlsx").write_bytes(b"")
    make_form_xlsx(cfg.raw / "questionnaire" / "f.xlsx", [
        {"Nom de votre liste": "Aix Avenir", Q1: "Des conventions pluriannuelles pour tous."},
    ])
    _, report = run_ingest(cfg)
    rows = report.set_index("path")
    assert rows.loc["questionnaire/vide.xlsx", "status"] == "error"
    assert "fichier vide" in rows.loc["questionnaire/vide.xlsx", "reason"]
    assert rows.loc["questionnaire/f.xlsx", "status"] == "warning"
    assert "question(s) sans colonne : q2" in rows.loc["questionnaire/f.xlsx", "reason"]


def test_real_filled_templates_xlsx_and_docx(tmp_path):
    """The questionnaire written by analysis.questionnaire, filled, is read back."""
    import docx
    from openpyxl import load_workbook

    from analysis.questionnaire import run_questionnaire_template

    cfg = make_config(tmp_path)
    xlsx, docx_path = run_questionnaire_template(cfg)
    wb = load_workbook(xlsx)
    ws = wb["Réponses"]
    ws["B1"] = "aix  avenir"
    ws["B2"] = "2026-02-21"
    ws.cell(row=5, column=3, value="Nous doublerons les subventions aux associations.")
    eng = wb["Engagements"]
    eng.cell(row=2, column=4, value="Oui")
    (cfg.raw / "questionnaire").mkdir()
    wb.save(cfg.raw / "questionnaire" / "modele_aix_avenir.xlsx")

    letter = docx.Document(str(docx_path))
    heading = next(p for p in letter.paragraphs if p.text.startswith("Question 2"))
    answer = letter.add_paragraph("Un collège de personnes concernées par la précarité.")
    heading._p.addnext(answer._p)  # the answer right under its question
    for p in letter.paragraphs:
        if p.text.startswith("Nom de la liste"):
            p.text = "Nom de la liste : Aix Citoyenne"
    letter.save(cfg.raw / "questionnaire" / "reponse.docx")

    passages, report = run_ingest(cfg)
    xlsx_rows = passages[passages["path"] == "questionnaire/modele_aix_avenir.xlsx"]
    assert set(xlsx_rows["list_id"]) == {"aix-avenir"}
    assert "q1" in set(xlsx_rows["question_id"])
    assert "engagements" in set(xlsx_rows["question_id"])
    docx_rows = passages[passages["path"] == "questionnaire/reponse.docx"]
    assert set(docx_rows["list_id"]) == {"aix-citoyenne"}
    assert docx_rows["question_id"].tolist() == ["q2"]
    responses = pd.read_csv(cfg.processed / "questionnaire_responses.csv").set_index("list_id")
    assert responses.loc["aix-avenir", "channel"] == "modele"
    assert responses.loc["aix-citoyenne", "channel"] == "modele"
