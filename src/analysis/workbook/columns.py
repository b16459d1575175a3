"""The workbook's columns: header, key, meaning (the Lisez-moi data dictionary), width,
and which ones the reviewers fill (the review contract read back by analysis.review.sheet)."""

from __future__ import annotations

from analysis import contracts as C
from analysis.common.xlsx import (
    Column,
)

LISTS_SHEET = "_listes"

STRENGTH_LABELS = {"concret": "concret", "general": "général", "mention": "mention"}

ORIGIN_LABELS = {"auto": "automatique", "review": "relecture"}

SOURCE_LABELS = {"programme": "programme", "questionnaire": "questionnaire"}

SCORE_COLOURS = ("F7F7F7", "9ECAE1", "3182BD")

RESTRICTIVE_FORMAT = '0" ▼"'

NO_ANSWER = "— Aucune réponse reçue au questionnaire —"

_PASSAGE_CONTEXT = [
    Column(C.COL_PASSAGE, "passage_id",
           "Identifiant stable du passage. Ne pas modifier : il relie votre décision au "
           "passage, même après de nouveaux documents.", width=14),
    Column("Liste", "list_name", "Liste candidate."),
    Column("Source", "source", "programme (document de campagne) ou questionnaire (réponse "
           "au questionnaire du collectif)."),
    Column("Document", "document", "Fichier d'origine (chemin dans data/raw) ; cliquez pour "
           "l'ouvrir, à la bonne page pour un PDF, si le dossier data/raw est à côté.",
           width=24, wrap=True),
    Column("Page", "page", "Page du document (vide quand le format n'a pas de pages).",
           width=7),
    Column("Section", "section", "Titre le plus proche du passage dans le document, ou la "
           "question pour une réponse au questionnaire.", width=20, wrap=True),
]

_TEXT = Column("Texte", "text", "Le passage tel qu'il figure dans le document.", width=60,
               wrap=True)

_PREVIOUS = Column("Relecture précédente", "previous",
                   "Décision déjà importée sur cette ligne (qui, quand) ; vide sinon.",
                   width=18, wrap=True)

_COMMENT = Column(C.COL_COMMENT, "comment", "À REMPLIR si utile : votre remarque.", width=24,
                  wrap=True, review=True)

_REVIEWER = Column(C.COL_REVIEWER, "reviewer", "À REMPLIR : votre prénom ou nom (au moins "
                   "sur une ligne ; sert à repérer les désaccords entre relecteurs).",
                   width=16, review=True)

PASSAGE_COLUMNS = [
    *_PASSAGE_CONTEXT,
    Column(C.COL_THEME, "theme_label", "Thème trouvé par l'étiqueteur (ou par une relecture).",
           wrap=True, width=20),
    Column(C.COL_THEME_ID, "theme_id", "Identifiant du thème. Ne pas modifier.", width=16),
    Column("Axe", "axis_label", "Axe de la lettre du collectif auquel le thème appartient.",
           width=16, wrap=True),
    Column(C.COL_STANCE, "stance", "favorable (étend la solidarité), restrictif (la "
           "restreint), neutre (constat sans position)."),
    Column("Force", "strength", "concret (mesure chiffrée, budget, date, lieu, dispositif "
           "nommé), général (intention sans mesure), mention (le thème est évoqué)."),
    Column("Origine", "origin", "automatique (étiqueteur) ou relecture (décision importée)."),
    Column("Indices", "evidence", "Mots du passage qui ont fait choisir le thème.", width=18,
           wrap=True),
    _TEXT, _PREVIOUS,
    Column(C.COL_DECISION, "decision", "À REMPLIR : Valider (thème et position justes), "
           "Rejeter (le passage ne parle pas de ce thème), Corriger (remplir la correction).",
           width=13, review=True),
    Column(C.COL_NEW_THEME, "new_theme", "À REMPLIR avec Corriger : le bon thème (liste "
           "déroulante). Sur une ligne ajoutée sous le tableau : le thème à ajouter.", width=24,
           review=True),
    Column(C.COL_NEW_STANCE, "new_stance", "À REMPLIR avec Corriger : la bonne position "
           "(favorable, restrictif, neutre).", width=16, review=True),
    _COMMENT, _REVIEWER,
]

UNTAGGED_COLUMNS = [
    *_PASSAGE_CONTEXT, _TEXT, _PREVIOUS,
    Column(C.COL_ADDED_THEME, "new_theme", "À REMPLIR si le passage parle d'un thème : le "
           "thème (liste déroulante). Pour 2 thèmes, copiez la ligne.", width=30, review=True),
    Column(C.COL_STANCE, "new_stance", "À REMPLIR avec un thème ajouté : favorable, "
           "restrictif ou neutre.", width=14, review=True),
    _COMMENT, _REVIEWER,
]

QUESTIONNAIRE_COLUMNS = [
    Column("Liste", "list_name", "Liste candidate (toutes les listes de la configuration, "
           "même celles qui n'ont pas répondu)."),
    Column("question_id", "question_id", "Identifiant de la question (q1, q2, … ; "
           "« engagements » pour la grille d'engagements)."),
    Column("Question", "question", "Texte de la question posée par le collectif.", width=45,
           wrap=True),
    Column("Réponse", "text", "Réponse de la liste (passages mis bout à bout).", width=80,
           wrap=True),
    Column("Thèmes trouvés", "themes", "Thèmes étiquetés dans la réponse.", width=30,
           wrap=True),
    Column("passage_id", "passage_ids", "Passages correspondants (feuille Passages).",
           width=20, wrap=True),
    Column("Document", "document", "Fichier de la réponse (chemin dans data/raw).", width=30),
]

THEME_COLUMNS = [
    Column("theme_id", "theme_id", "Identifiant stable du thème."),
    Column("Axe", "axis_label", "Axe de la lettre du collectif.", width=26, wrap=True),
    Column("Thème", "label", "Nom du thème."),
    Column("Périmètre", "scope", "Ce que le thème couvre (note du codebook).", width=70,
           wrap=True),
    Column("Nombre de motifs", "n_patterns", "Nombre d'expressions que l'étiqueteur cherche "
           "pour ce thème."),
]

ACCORD_THEME_COLUMNS = [
    Column("Thème", "label", "Thème."),
    Column("Validées", "n_valider", "Étiquettes automatiques validées."),
    Column("Rejetées", "n_rejeter", "Étiquettes automatiques rejetées."),
    Column("Thème corrigé", "n_corriger_theme", "Étiquettes dont le thème a été corrigé."),
    Column("Position corrigée", "n_corriger_position", "Thème juste, position corrigée "
           "(hors calcul de la précision)."),
    Column("Relues", "n_evalues", "Validées + rejetées + thème corrigé."),
    Column("Précision", "precision", "Part des étiquettes relues que les relecteurs ont "
           "validées (validées / relues)."),
]

ACCORD_PAIR_COLUMNS = [
    Column("Relecteur A", "reviewer_a", "Premier relecteur."),
    Column("Relecteur B", "reviewer_b", "Second relecteur."),
    Column("Unités communes", "n_units", "Couples passage x thème jugés par les deux."),
    Column("Accords", "n_agree", "Unités où ils disent la même chose (le thème s'applique "
           "ou non)."),
    Column("Accord observé", "observed", "Accords / unités communes."),
    Column("Accord attendu par hasard", "expected", "Accord attendu si chacun répondait au "
           "hasard avec ses propres proportions."),
    Column("Kappa de Cohen", "kappa", "(observé − attendu) / (1 − attendu) : 1 accord parfait, "
           "0 pas mieux que le hasard ; vide quand il n'est pas calculable."),
]

ACCORD_CONFLICT_COLUMNS = [
    Column("passage_id", "passage_id", "Passage concerné."),
    Column("theme_id", "theme_id", "Thème concerné."),
    Column("Relecteurs", "reviewers", "Relecteurs en désaccord.", width=30, wrap=True),
    Column("Décisions", "positions", "Dernière décision de chacun.", width=60, wrap=True),
    Column("Appliquée en attendant", "retained", "La plus récente, appliquée tant que le "
           "désaccord n'est pas tranché (par une nouvelle décision).", width=30, wrap=True),
]

ORPHAN_COLUMNS = [
    Column("Fichier relu", "document", "Classeur d'où vient la décision."),
    Column("Feuille", "sheet", "Feuille."),
    Column("Ligne", "row", "Ligne."),
    Column("passage_id", "passage_id", "Passage qui n'existe plus."),
    Column("theme_id", "theme_id", "Thème."),
    Column("Décision", "decision", "Décision (gardée dans decisions.csv)."),
    Column("Relecteur", "reviewer", "Relecteur."),
]
