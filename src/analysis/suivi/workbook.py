"""The register as a workbook for volunteers (same conventions as the review workbook):
"Lisez-moi" (how to fill it, data dictionary), "Engagements" (one row per commitment, the
last known status shown, yellow columns to fill: Statut drop-down, date, evidence, comment,
reviewer), "Historique" (every observation imported so far). Frozen header, filters,
widths that fit, text never run as a formula, demo notice in title and print header.

A register a volunteer may have edited is never overwritten: it is moved to archives/
first (common.files), with the count of its observations not imported yet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.common.files import archive_if_edited, record_written, save_atomic
from analysis.common.text import format_date_fr
from analysis.common.xlsx import (
    SPARE_ROWS,
    Column,
    add_choice_list,
    column_letter,
    inline_choices,
    print_setup,
    select_sheet,
    write_paragraphs,
    write_table,
    write_title,
)
from analysis.config import Config
from analysis.suivi.settings import Mandate
from analysis.suivi.statuses import STATUSES, label

SHEET = "Engagements"
SHEET_HISTORY = "Historique"
COL_ID = "commitment_id"
COL_STATUS = "Statut"
COL_DATE = "Date de l'observation"
COL_EVIDENCE = "Preuve (lien ou délibération)"
COL_COMMENT = "Commentaire"
COL_REVIEWER = "Relecteur"
DATE_FORMAT = "DD/MM/YYYY"

REGISTER_COLUMNS = [
    Column(COL_ID, "commitment_id", "Identifiant stable de l'engagement (ne pas modifier) : "
           "le même d'une année sur l'autre, même avec de nouveaux documents."),
    Column("Axe", "axis_label", "Axe de la lettre du collectif.", width=22, wrap=True),
    Column("Thème", "theme", "Thème principal (référentiel du collectif).", width=24,
           wrap=True),
    Column("Tous les thèmes", "themes", "Tous les thèmes de solidarité de cet engagement.",
           width=28, wrap=True),
    Column("Force", "strength", "concret : engagement vérifiable (nombre, budget, date, lieu, "
           "dispositif nommé) ; general : intention sans mesure."),
    Column("Position", "stance", "favorable : étend la solidarité ; restrictif : la restreint "
           "(un engagement restrictif « réalisé » est une restriction appliquée)."),
    Column("Engagement (citation exacte)", "quote", "Le texte exact de la liste (programme "
           "d'abord, sinon réponse au questionnaire).", width=60, wrap=True),
    Column("Source(s)", "sources", "programme, questionnaire, ou les deux (la même promesse "
           "écrite deux fois est une seule ligne)."),
    Column("Document et page", "references", "Où lire chaque formulation : document, page "
           "(PDF), question du questionnaire.", width=40, wrap=True),
    Column("Statut connu", "status_label", "Dernier statut importé (Pas commencé si aucune "
           "observation)."),
    Column("Depuis le", "observed_on", "Date de la dernière observation importée."),
    Column("Preuve connue", "evidence", "Preuve de la dernière observation importée.",
           width=30, wrap=True),
    Column(COL_STATUS, "new_status", "À REMPLIR s'il y a du nouveau : Pas commencé, En cours, "
           "Réalisé, Abandonné, Contraire à l'engagement (liste déroulante).", review=True),
    Column(COL_DATE, "new_date", "À REMPLIR avec le statut : date à laquelle ce statut est "
           "constaté (JJ/MM/AAAA), par ex. la date de la délibération.", review=True),
    Column(COL_EVIDENCE, "new_evidence", "Lien (adresse web) ou référence de la délibération "
           "du conseil municipal, article de presse, document budgétaire.", width=36,
           wrap=True, review=True),
    Column(COL_COMMENT, "new_comment", "Précision libre.", width=30, wrap=True, review=True),
    Column(COL_REVIEWER, "new_reviewer", "Votre nom (ou celui de votre association).",
           review=True),
]
HISTORY_COLUMNS = [
    Column(COL_ID, "commitment_id", "Identifiant de l'engagement."),
    Column("Thème", "theme", "Thème.", width=24, wrap=True),
    Column("Statut", "status_label", "Statut constaté."),
    Column("Date", "observed_on", "Date de l'observation."),
    Column("Preuve", "evidence", "Preuve donnée.", width=36, wrap=True),
    Column("Commentaire", "comment", "Commentaire.", width=30, wrap=True),
    Column("Relecteur", "reviewer", "Qui l'a constaté."),
    Column("Importé le", "imported_at", "Quand l'analyste l'a importé."),
    Column("Fichier", "file_name", "Classeur d'où vient l'observation."),
]


def workbook_path(cfg: Config, mandate: Mandate) -> Path:
    name = f"suivi_mandat_{mandate.list.id}"
    if cfg.demo:
        name += "_DEMO_donnees_fictives"
    return cfg.exports_dir / f"{name}.xlsx"


def _readme(wb: Workbook, cfg: Config, mandate: Mandate, n: int, n_obs: int) -> None:
    ws = wb.create_sheet("Lisez-moi", 0)
    items: list[tuple[str, str]] = []
    if cfg.demo:
        items.append(("demo", f"{cfg.demo_notice.upper()} : liste élue, engagements et "
                              f"observations inventés pour essayer l'outil. Ne pas citer."))
    items += [
        ("h1", f"Suivi des engagements — {mandate.list.name}"),
        ("text", f"{cfg.election.get('name', cfg.commune)} : mandat du "
                 f"{format_date_fr(mandate.start)} au {format_date_fr(mandate.end)}. "
                 f"Ce registre liste les {n} engagements de solidarité de la liste élue "
                 f"(concrets ou généraux, après relecture par les associations), avec la "
                 f"citation exacte, le document et la page."),
        ("text", f"Registre produit le {format_date_fr(dt.date.today())} ; {n_obs} "
                 f"observation(s) déjà importée(s) (feuille « {SHEET_HISTORY} »)."),
        ("blank", ""),
        ("h2", "Comment le remplir"),
        ("text", "1. Enregistrez une copie à votre nom. Ne modifiez pas la colonne "
                 "commitment_id ni les colonnes bleues."),
        ("text", f"2. Feuille « {SHEET} » : pour chaque engagement dont vous avez des "
                 f"nouvelles, choisissez le « {COL_STATUS} » (liste déroulante), la « "
                 f"{COL_DATE} » (JJ/MM/AAAA), la preuve (lien, numéro et date de la "
                 f"délibération du conseil municipal…) et votre nom. Laissez vides les "
                 f"lignes sans nouvelles : le statut connu reste valable."),
        ("text", "3. Deux observations à des dates différentes pour le même engagement ? "
                 "Copiez la ligne sous le tableau et remplissez-la : chaque observation "
                 "est gardée avec sa date."),
        ("text", "4. Renvoyez le fichier à l'analyste, qui lance : "
                 f"{cfg.command('suivi-import')} VOTRE_FICHIER.xlsx (ou le dépose dans "
                 f"{cfg.shown(cfg.suivi_inbox)}/). "
                 "Rien n'est jamais effacé : chaque changement de statut est ajouté à "
                 "l'historique avec sa date ; deux statuts différents à la même date pour un "
                 "même engagement sont signalés comme désaccord."),
        ("blank", ""),
        ("h2", "Les statuts"),
        *[("text", f"{lab} : {desc}") for lab, desc in (
            (label("pas_commence"), "rien n'a été engagé."),
            (label("en_cours"), "une décision, un budget ou un chantier a commencé."),
            (label("realise"), "l'engagement est tenu (preuve à l'appui)."),
            (label("abandonne"), "la municipalité y a renoncé, ou l'a reporté au-delà du "
                                 "mandat."),
            (label("contraire"), "la municipalité a fait l'inverse de ce qui était promis."),
        )],
        ("blank", ""),
        ("h2", "Dictionnaire des données"),
    ]
    row = write_paragraphs(ws, 1, items, span=3)
    dictionary = [{"sheet": sheet, "column": c.header, "meaning": c.description}
                  for sheet, cols in ((SHEET, REGISTER_COLUMNS),
                                      (SHEET_HISTORY, HISTORY_COLUMNS)) for c in cols]
    cols = [Column("Feuille", "sheet", "", width=18), Column("Colonne", "column", "", width=28),
            Column("Signification", "meaning", "", width=100, wrap=True)]
    write_table(ws, pd.DataFrame(dictionary), cols, row, filter_rows=False)
    print_setup(ws, None, cfg.demo_notice)


def build_workbook(cfg: Config, mandate: Mandate, latest: pd.DataFrame,
                   history: pd.DataFrame, themes: dict[str, str]) -> Workbook:
    """The register workbook: `latest` (history.LATEST), `history` (HISTORY rows)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    header = write_title(ws, f"Suivi des engagements — {mandate.list.name}",
                         f"{len(latest)} engagements · mandat {mandate.start.year}–"
                         f"{mandate.end.year} · colonnes jaunes à remplir", cfg.demo_notice)
    last = write_table(ws, latest, REGISTER_COLUMNS, header)
    bottom = max(last, header + 1) + SPARE_ROWS
    status_col = column_letter(REGISTER_COLUMNS, "new_status")
    add_choice_list(ws, f"{status_col}{header + 1}:{status_col}{bottom}",
                    inline_choices(STATUSES.values()),
                    prompt="Statut constaté à la date indiquée",
                    error="Choisissez un statut de la liste.")
    date_col = column_letter(REGISTER_COLUMNS, "new_date")
    dv = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)",
                        allow_blank=True, showErrorMessage=True, errorStyle="warning",
                        errorTitle="Date attendue", error="Indiquez une date JJ/MM/AAAA.",
                        showInputMessage=True, promptTitle="Date de l'observation",
                        prompt="JJ/MM/AAAA : date à laquelle le statut est constaté")
    ws.add_data_validation(dv)
    dv.add(f"{date_col}{header + 1}:{date_col}{bottom}")
    for r in range(header + 1, bottom + 1):
        ws[f"{date_col}{r}"].number_format = DATE_FORMAT
    print_setup(ws, header, cfg.demo_notice)

    hs = wb.create_sheet(SHEET_HISTORY)
    h_header = write_title(hs, "Historique des observations importées",
                           "Lecture seule : chaque observation avec sa date, jamais effacée.",
                           cfg.demo_notice)
    shown = history.assign(theme=history["commitment_id"].map(themes).fillna(""),
                           status_label=history["status"].map(label))
    write_table(hs, shown, HISTORY_COLUMNS, h_header)
    print_setup(hs, h_header, cfg.demo_notice)
    _readme(wb, cfg, mandate, len(latest), len(history))
    select_sheet(wb, 1)
    return wb


def save_register_workbook(wb: Workbook, cfg: Config, target: Path) -> Path | None:
    """Save atomically, archiving first a copy a volunteer edited; returns the archive."""
    target.parent.mkdir(parents=True, exist_ok=True)
    archived = archive_if_edited(cfg.manifest_path, target)
    save_atomic(target, wb.save, busy=f"{target} est ouvert dans un tableur : fermez-le puis "
                                      f"relancez `python -m analysis suivi`.")
    record_written(cfg.manifest_path, target)
    return archived
