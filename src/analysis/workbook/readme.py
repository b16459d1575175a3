"""The "Lisez-moi" sheet: how to review, step by step, and the data dictionary (French)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook

from analysis.common.text import format_date_fr
from analysis.common.xlsx import (
    Column,
    print_setup,
    write_paragraphs,
    write_table,
)
from analysis.config import Config
from analysis.workbook.inputs import WorkbookInputs
from analysis.workbook.sheets import notice


def add_readme_sheet(wb: Workbook, cfg: Config, inputs: WorkbookInputs, counts: dict,
                     sheets: list[tuple[str, list[Column] | str]]) -> None:
    ws = wb.create_sheet("Lisez-moi", 0)
    cb = inputs.codebook
    items: list[tuple[str, str]] = []
    if cfg.demo:
        items.append(("demo", f"{cfg.demo_notice.upper()} : listes, têtes de liste et textes "
                              f"inventés pour essayer l'outil. Ne pas citer, ne pas diffuser "
                              f"comme un résultat."))
    items += [
        ("h1", f"Baromètre solidarité — {cfg.election.get('name', cfg.commune)}"),
        ("text", f"Ce classeur rassemble ce que l'étiqueteur automatique a trouvé dans les "
                 f"programmes des listes candidates et leurs réponses au questionnaire, "
                 f"thème par thème ({len(cb.themes)} thèmes en {len(cb.axes)} axes, tirés de "
                 f"la lettre du collectif), pour que les associations le vérifient et le "
                 f"corrigent."),
        ("text", f"Collectif : {cfg.collective.get('name') or '—'}. Commune : {cfg.commune}."),
        ("text", f"Date des données (collecte des documents) : {cfg.data_date_fr}. "
                 f"Classeur produit le {format_date_fr(dt.date.today())} : "
                 f"{counts['passages']} passages, {counts['tags']} étiquettes "
                 f"({counts['reviewed']} déjà relues), {counts['untagged']} passages sans "
                 f"thème."),
        ("blank", ""),
        ("h2", "Comment relire, étape par étape"),
        ("text", "1. Enregistrez une copie à votre nom (ex. barometre_relu_Camille.xlsx). Ne "
                 "renommez pas les feuilles ; ne modifiez pas les colonnes passage_id et "
                 "theme_id."),
        ("text", "2. Feuille « Passages » : une ligne par passage et par thème trouvé. Lisez "
                 "le Texte et le Thème proposé ; cliquez sur Document pour voir la source "
                 "(à la bonne page d'un PDF, si le dossier data/raw est à côté du classeur). "
                 "Les filtres de l'en-tête permettent de relire une liste ou un thème."),
        ("text", "3. Colonne jaune « Décision » : Valider si le thème et la position sont "
                 "justes ; Rejeter si le passage ne parle pas de ce thème ; Corriger si le "
                 "thème ou la position est faux, puis choisissez « Thème corrigé » et/ou "
                 "« Position corrigée » (listes déroulantes)."),
        ("text", "4. Un thème manque ? Feuille « Non étiquetés » : choisissez « Thème "
                 "ajouté » et « Position » sur la ligne du passage (copiez la ligne pour un "
                 "second thème). Pour un passage déjà étiqueté (feuille « Passages »), copiez "
                 "sa ligne sous le tableau, laissez « Décision » vide et choisissez « Thème "
                 "corrigé » et « Position corrigée » : ce thème sera ajouté, l'étiquette "
                 "d'origine reste telle quelle."),
        ("text", "5. Écrivez votre nom dans « Relecteur » et, si utile, un « Commentaire ». "
                 "Les lignes laissées vides ne comptent pas : relisez ce que vous pouvez."),
        ("text", "6. Renvoyez le fichier à l'analyste, qui lance : python -m analysis "
                 "review-import VOTRE_FICHIER.xlsx. Vos décisions sont conservées "
                 "(data/reviews/decisions.csv) et s'appliquent à toutes les analyses "
                 "suivantes, même avec de nouveaux documents. Les lignes mal remplies sont "
                 "signalées une à une ; les désaccords entre relecteurs sont listés, pas "
                 "tranchés en silence (la décision la plus récente s'applique en attendant)."),
        ("blank", ""),
        ("h2", "Positions et forces"),
        ("text", "Position : favorable = le texte étend ou renforce la solidarité sur ce "
                 "thème ; restrictif = il la restreint (supprimer, fermer, conditionner, "
                 "expulser…) ; neutre = le thème est évoqué sans position."),
        ("text", "Force : concret = mesure chiffrée, budget, date, lieu ou dispositif "
                 "nommé (score 3) ; général = intention sans mesure (score 2) ; mention = le "
                 "thème est seulement évoqué (score 1) ; absent = score 0."),
        ("blank", ""),
        ("h2", "Dictionnaire des données"),
    ]
    row = write_paragraphs(ws, 1, items, span=3)
    dictionary = []
    for sheet, spec in sheets:
        if isinstance(spec, str):
            dictionary.append({"sheet": sheet, "column": "", "meaning": spec})
        else:
            dictionary += [{"sheet": sheet, "column": c.header, "meaning": c.description}
                           for c in spec]
    columns = [Column("Feuille", "sheet", "", width=18), Column("Colonne", "column", "",
                                                                 width=24),
               Column("Signification", "meaning", "", width=100, wrap=True)]
    write_table(ws, pd.DataFrame(dictionary), columns, row, filter_rows=False)
    print_setup(ws, None, notice(cfg))
