"""`python -m analysis init --commune "Villeneuve-sur-Lot" --dossier projets/villeneuve`:
a new analysis in its own folder, never mixed with the demo.

Writes `<dossier>/config.yml` (every key commented in French, `demo: false`, paths inside
the folder), the folders the stages read and write, optionally a copy of the codebook,
and prints the next steps. An existing config is never overwritten.

    <dossier>/config.yml
    <dossier>/documents/programmes/<id_de_liste>/   documents of the lists, as received
    <dossier>/documents/questionnaire/              form export, letters, filled templates
    <dossier>/relectures/                           reviewers' decisions (keep them in git)
    <dossier>/tables/, <dossier>/rapports/          rebuilt by each run
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml

from analysis.common.errors import UserError
from analysis.common.text import slug
from analysis.config import DEFAULT_CONFIG, PROJECT_ROOT, Config, load_config

DEFAULT_CODEBOOK = "config/codebooks/solidarite.yml"
FOLDERS = {"raw": "documents", "processed": "tables", "reports": "rapports",
           "reviews": "relectures"}


def _q(text: str) -> str:
    """A YAML scalar in double quotes (JSON strings are valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def _shown(path: Path) -> str:
    """A path as the config writes it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _questionnaire_block() -> str:
    """The collective's questionnaire (form columns and the 8 questions), taken from the
    default config: the questions are the collective's, nothing in them is fictional."""
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    block = yaml.safe_dump({"questionnaire": data["questionnaire"]}, allow_unicode=True,
                           sort_keys=False, width=100)
    return block


def config_text(commune: str, folder: Path, codebook: str, today: dt.date) -> str:
    """The commented config of a new analysis (French comments on every key)."""
    paths = {key: _shown(folder / name) for key, name in FOLDERS.items()}
    year = 2026
    return f"""\
# Configuration de l'analyse « {commune} » (créée par `python -m analysis init` le
# {today.isoformat()}). Toutes les clés sont décrites dans docs/configuration.md.
# Lancer l'analyse :   make report CONFIG={_shown(folder / "config.yml")}

# false : une vraie analyse (true ne sert qu'aux données fictives d'exemple livrées avec
# l'outil, dans data/demo/ ; elles ne sont jamais lues ici).
demo: false

# Le collectif qui publie : son nom figure sous chaque graphique et dans le classeur.
collective:
  name: {_q(f"Collectif des associations solidaires de {commune}")}   # À MODIFIER
  short: {_q("Collectif solidarité")}                                  # nom court (graphiques)

# La commune, et l'élection (nom affiché, dates des tours au format AAAA-MM-JJ).
commune: {_q(commune)}
election:
  name: {_q(f"Municipales {commune} {year}")}
  round1: {year}-03-15
  round2: {year}-03-22

# Date à laquelle les documents ont été collectés (AAAA-MM-JJ) : affichée sur chaque
# graphique. À mettre à jour à chaque nouvelle collecte.
data_date: {today.isoformat()}

# La grille des thèmes (codebook) : thèmes, axes, mots cherchés. Celle du projet par défaut.
codebook: {codebook}

# Où sont les documents et où vont les résultats (relatifs à la racine du projet).
paths:
  raw: {paths["raw"]}             # documents reçus, jamais modifiés
  processed: {paths["processed"]}    # tables produites (recalculées à chaque analyse)
  reports: {paths["reports"]}    # rapport, graphiques, fiches, classeurs
  reviews: {paths["reviews"]}  # décisions des relecteurs : à garder (git)

# Nom du classeur de relecture (sans extension), écrit dans <reports>/exports/.
exports:
  workbook: {_q("barometre_solidarite_" + _slug(commune))}

# Les listes candidates. Une entrée par liste :
#   id      identifiant court, minuscules et tirets (c'est aussi le nom du dossier
#           <raw>/programmes/<id>/ où déposer ses documents)
#   name    nom affiché ; head : tête de liste ; colour : couleur des graphiques (#RRGGBB)
#   political_family : famille politique (facultatif)
#   aliases : autres écritures du nom (formulaire, courriers), en liste
# Exemple (à recopier sans le « # » et à compléter) :
#  - id: liste-a
#    name: "Nom de la liste A"
#    head: "Prénom Nom"
#    colour: "#0072B2"
#    political_family: ""
#    aliases: ["Liste A"]
lists: []

# Relecture partagée (facultatif) : `python -m analysis export --par-association --config …`
# écrit un classeur par association avec ses seuls thèmes (ids : feuille « Thèmes » du
# classeur, ou docs/configuration.md). Exemple :
# reviewers:
#   - name: "Banque alimentaire"
#     themes: [aide_alimentaire]
#   - name: "Association d'accueil des personnes migrantes"
#     axes: [protection]
#     lists: [liste-a]

# Seuils de la relecture (facultatif) : à partir de quelle part d'étiquettes relues une source
# dit « analyse relue », et combien d'étiquettes relues il faut pour afficher une précision.
review:
  threshold: 0.8
  min_reviews_for_precision: 30

# Après le vote (facultatif) : la liste élue dont on suit les engagements
# (`python -m analysis suivi`) ; à décommenter et compléter :
# mandate:
#   elected: liste-a
#   start: 2026-03-29
#   years: 6

# Le questionnaire envoyé aux listes. form : les colonnes de l'export du formulaire en ligne
# (list_column : le nom de la liste ; date_column : l'horodatage ; contact_columns : jamais
# copiées). questions : id (q1…), axis (partenariat, inclusion, protection), column
# (en-tête de la colonne dans l'export), text (la question posée).
{_questionnaire_block()}"""


def _slug(text: str) -> str:
    return slug(text).replace("-", "_")


def _check_written(config: Path) -> Config:
    """The file we wrote must load (fail here, not in a stage). Checked with one placeholder
    list: `lists: []` is the one thing the analyst still has to describe, and the config
    check (issue 16) refuses it with its own French line until then."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data["lists"] = [{"id": "liste-a", "name": "Liste A"}]
    probe = config.with_name(f".{config.stem}.verification.yml")
    probe.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        return load_config(probe)
    finally:
        probe.unlink(missing_ok=True)


def init_project(commune: str, folder: str | Path, copy_codebook: bool = False,
                 today: dt.date | None = None) -> Path:
    """Create a new analysis in `folder`; returns its config path (never overwritten)."""
    commune = str(commune).strip()
    if not commune:
        raise UserError("--commune est vide : indiquez le nom de la commune, ex. "
                        "--commune \"Villeneuve-sur-Lot\".")
    folder = Path(folder)
    if not folder.is_absolute():
        folder = Path.cwd() / folder
    config = folder / "config.yml"
    if config.exists():
        raise UserError(f"{config} existe déjà : il n'est jamais écrasé. Choisissez un autre "
                        f"--dossier, ou modifiez ce fichier.")
    for name in FOLDERS.values():
        (folder / name).mkdir(parents=True, exist_ok=True)
    for sub in ("programmes", "questionnaire"):
        (folder / FOLDERS["raw"] / sub).mkdir(parents=True, exist_ok=True)
    codebook = DEFAULT_CODEBOOK
    if copy_codebook:
        target = folder / "codebook.yml"
        if not target.exists():
            shutil.copyfile(PROJECT_ROOT / DEFAULT_CODEBOOK, target)
        codebook = _shown(target)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# recalculés à chaque analyse ; relectures/ et documents/ sont "
                          "à garder\ntables/\nrapports/\n", encoding="utf-8")
    config.write_text(config_text(commune, folder, codebook, today or dt.date.today()),
                      encoding="utf-8")
    cfg = _check_written(config)
    shown = _shown(config)
    print(f"Nouvelle analyse « {commune} » créée dans {_shown(folder)} :\n"
          f"  {shown}   la configuration (chaque clé est commentée)\n"
          f"  {_shown(cfg.programmes_dir)}/<id_de_liste>/   les programmes, tels que reçus\n"
          f"  {_shown(cfg.answers_dir)}/   les réponses au questionnaire\n"
          f"  {_shown(cfg.reviews)}/   les décisions des relecteurs (à garder)\n"
          f"Étapes suivantes :\n"
          f"  1. Dans {shown} : les listes (lists), le collectif, la date de collecte "
          f"(data_date).\n"
          f"  2. Déposez les documents : un dossier par liste dans "
          f"{_shown(cfg.programmes_dir)}/ (nommé comme son id).\n"
          f"  3. make report CONFIG={shown}\n"
          f"  4. Relecture : .venv/bin/python -m analysis export --config {shown} "
          f"[--par-association] [--zip], puis review-import des classeurs relus.")
    return config
