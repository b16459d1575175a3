"""The "Lisez-moi" sheet: how to review, step by step, and the data dictionary (French)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Border, Font, PatternFill, Side

from analysis.common.safe_text import write_text
from analysis.common.text import format_date_fr
from analysis.common.xlsx import (
    REVIEW_FILL,
    TOP_WRAP,
    Column,
    print_setup,
    write_paragraphs,
    write_table,
)
from analysis.config import Config
from analysis.contracts import REVIEWER_NAME_LABEL, SHEET_README
from analysis.publish.wording import nbsp, plural
from analysis.workbook.groups import ReviewGroup
from analysis.workbook.inputs import WorkbookInputs
from analysis.workbook.sheets import notice, review_status


def _reviewer_cell(ws, row: int) -> int:
    """The reviewer's name, asked once (read back by analysis.review.sheet); red while
    empty. Returns the next free row."""
    label = write_text(ws.cell(row=row, column=1), REVIEWER_NAME_LABEL)
    label.font, label.alignment = Font(bold=True, size=12), TOP_WRAP
    cell = ws.cell(row=row, column=2)
    cell.fill = REVIEW_FILL
    cell.border = Border(*(Side(style="medium", color="BF8F00"),) * 4)
    hint = write_text(ws.cell(row=row, column=3), nbsp(
                      "← À REMPLIR une fois : votre prénom et nom (ou celui de votre "
                      "association). Il s'applique à chaque ligne que vous remplissez ; la case "
                      "reste rouge tant qu'elle est vide."))
    hint.font, hint.alignment = Font(bold=True, color="C00000"), TOP_WRAP
    ws.conditional_formatting.add(f"B{row}", FormulaRule(
        formula=[f'LEN(TRIM(B{row}))=0'], fill=PatternFill("solid", fgColor="F4B6B6")))
    ws.row_dimensions[row].height = 36
    return row + 2


def add_readme_sheet(wb: Workbook, cfg: Config, inputs: WorkbookInputs, counts: dict,
                     sheets: list[tuple[str, list[Column] | str]],
                     group: ReviewGroup | None = None) -> None:
    ws = wb.create_sheet(SHEET_README, 0)
    cb = inputs.codebook
    top: list[tuple[str, str]] = []
    if cfg.demo:
        top.append(("demo", f"{cfg.demo_notice.upper()} : listes, têtes de liste et textes "
                            f"inventés pour essayer l'outil. Ne pas citer, ne pas diffuser "
                            f"comme un résultat."))
    top.append(("h1", f"Baromètre solidarité — {cfg.election.get('name', cfg.commune)}"))
    if group:
        top.append(("h2", f"Classeur de relecture de « {group.title} » : {group.scope(cb)}."))
    row = write_paragraphs(ws, 1, [(st, nbsp(t)) for st, t in top], span=3)
    row = _reviewer_cell(ws, row)
    items: list[tuple[str, str]] = [
        ("text", f"Ce classeur rassemble ce que l'étiqueteur automatique a trouvé dans les "
                 f"programmes des listes candidates et leurs réponses au questionnaire, "
                 f"thème par thème ({len(cb.themes)} thèmes en {len(cb.axes)} axes, tirés de "
                 f"la lettre du collectif), pour que les associations le vérifient et le "
                 f"corrigent."),
        ("text", f"Collectif : {cfg.collective.get('name') or '—'}. Commune : {cfg.commune}."),
        ("text", nbsp(
            f"Date des données (collecte des documents) : {cfg.data_date_fr}. Classeur "
            f"produit le {format_date_fr(dt.date.today())} : "
            f"{plural(counts['passages'], 'passage')} ; "
            f"{plural(counts['to_review'], 'étiquette')} à relire, "
            f"{plural(counts['reviewed'], 'déjà relue', 'déjà relues')}, "
            f"{plural(counts['rejected'], 'rejetée', 'rejetées')} (en gris, pour pouvoir "
            f"annuler) ; {plural(counts['untagged'], 'passage')} sans thème. Relecture : "
            f"{review_status(cfg, inputs).phrase()}.")),
        ("blank", ""),
        ("h2", "Comment relire, étape par étape"),
        ("text", "1. Écrivez votre nom dans la case jaune ci-dessus, puis enregistrez une copie à "
                 "votre nom (ex. barometre_relu_Camille.xlsx). Ne renommez pas les feuilles ; "
                 "ne touchez pas aux colonnes masquées (identifiants, tout à droite)."),
        ("text", "2. Feuille « Passages » : une ligne par passage et par thème trouvé. Liste, "
                 "Texte et Thème proposé restent visibles quand vous allez vers la droite. "
                 "Le texte est cité exactement ; la colonne Page dit où il est, et Document "
                 "ouvre la source (dans le dossier de relecture .zip, ou si le dossier des "
                 "documents est à côté du classeur). Les filtres de l'en-tête permettent de "
                 "relire une liste ou un thème."),
        ("text", "3. Colonnes jaunes, juste à droite du thème : « Décision » = Valider si le "
                 "thème, la position et la force sont justes ; Rejeter si le passage ne parle "
                 "pas de ce thème ; Corriger si l'un des trois est faux, puis choisissez "
                 "« Thème corrigé », « Position corrigée » et/ou « Force corrigée » (listes "
                 "déroulantes ; une autre valeur est refusée)."),
        ("text", "Relecture précédente : une décision déjà importée est rappelée sur sa "
                 "ligne. Une étiquette rejetée reste affichée, en gris barré : pour annuler "
                 "le rejet, choisissez Valider sur cette ligne."),
        ("text", "4. Un thème manque ? Feuille « Non étiquetés » : choisissez « Thème "
                 "ajouté » et « Position » sur la ligne du passage (copiez la ligne pour un "
                 "second thème). Pour un passage déjà étiqueté (feuille « Passages »), copiez "
                 "sa ligne sous le tableau, laissez « Décision » vide et choisissez « Thème "
                 "corrigé » et « Position corrigée » : ce thème sera ajouté, l'étiquette "
                 "d'origine reste telle quelle."),
        ("text", "5. Si utile, un « Commentaire ». Les lignes laissées vides ne comptent pas : "
                 "relisez ce que vous pouvez. (La colonne « Relecteur », tout à droite, ne sert "
                 "que si plusieurs personnes remplissent le même fichier.)"),
        ("text", "6. Renvoyez le fichier à l'analyste, qui lance : "
                 f"{cfg.command('review-import')} VOTRE_FICHIER.xlsx. Vos décisions sont "
                 f"conservées ({cfg.shown(cfg.decisions_path)}) et s'appliquent à toutes les "
                 "analyses "
                 "suivantes, même avec de nouveaux documents. Les lignes mal remplies sont "
                 "signalées une à une ; les désaccords entre relecteurs sont listés, pas "
                 "tranchés en silence (la décision la plus récente s'applique en attendant)."),
        ("blank", ""),
        ("h2", "Positions et forces"),
        ("text", nbsp("Position : favorable = le texte étend ou renforce la solidarité sur "
                      "ce thème ; restrictif = il la restreint (supprimer, fermer, "
                      "conditionner, expulser…) ; neutre = le thème est évoqué sans "
                      "position.")),
        ("text", nbsp("Force : concret = mesure chiffrée, budget, date, lieu ou dispositif "
                      "nommé ; général = intention sans mesure ; mention = le thème est "
                      "seulement évoqué.")),
        ("text", nbsp("Niveau d'une liste sur un thème (feuille Synthèse, graphiques, rapport, "
                      "fiches) : engagement concret, engagement général ou mention (la force la "
                      "plus haute de ses passages non restrictifs) ; position restrictive (elle "
                      "ne fait que restreindre) ; position mixte (elle restreint et s'engage "
                      "à la fois) ; non abordé. Une position restrictive n'est jamais comptée "
                      "comme un engagement ni comme un silence.")),
        ("blank", ""),
        ("h2", "Dictionnaire des données"),
    ]
    row = write_paragraphs(ws, row, [(st, nbsp(t)) for st, t in items], span=3)
    dictionary = []
    for sheet, spec in sheets:
        if isinstance(spec, str):
            dictionary.append({"sheet": sheet, "column": "", "meaning": nbsp(spec)})
        else:
            dictionary += [{"sheet": sheet, "column": c.header, "meaning": nbsp(c.description)}
                           for c in spec]
    columns = [Column("Feuille", "sheet", "", width=18), Column("Colonne", "column", "",
                                                                 width=24),
               Column("Signification", "meaning", "", width=100, wrap=True)]
    write_table(ws, pd.DataFrame(dictionary), columns, row, filter_rows=False)
    print_setup(ws, None, notice(cfg))
