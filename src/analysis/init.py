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
import shutil
from pathlib import Path

import yaml

from analysis.codebook import load_codebook
from analysis.common.errors import UserError
from analysis.common.text import slug
from analysis.config import DEFAULT_CONFIG, PROJECT_ROOT, Config, load_config
from analysis.config_schema import config_template, default

DEFAULT_CODEBOOK = "config/codebooks/solidarite.yml"
FOLDERS = {"raw": "documents", "processed": "tables", "reports": "rapports",
           "reviews": "relectures"}


def _shown(path: Path) -> str:
    """A path as the config writes it: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _questionnaire() -> dict:
    """The collective's questionnaire (form columns and the 8 questions), taken from the
    default config: the questions are the collective's, nothing in them is fictional."""
    return yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))["questionnaire"]


def config_text(commune: str, folder: Path, codebook: str, today: dt.date) -> str:
    """The config of a new analysis, every key preceded by its French description (taken
    from the validator's schema, like docs/configuration.md); the optional sections
    (`reviewers`, `mandate`) are written commented, with an example."""
    year = 2026
    values = {
        "demo": False,
        "collective": {"name": f"Collectif des associations solidaires de {commune}",
                       "short": "Collectif solidarité"},
        "commune": commune,
        "election": {"name": f"Municipales {commune} {year}",
                     "round1": dt.date(year, 3, 15), "round2": dt.date(year, 3, 22)},
        "data_date": today,
        "codebook": codebook,
        "paths": {key: _shown(folder / name) for key, name in FOLDERS.items()},
        "exports": {"workbook": "barometre_solidarite_" + _slug(commune)},
        "lists": [],
        "questionnaire": _questionnaire(),
        "review": {"threshold": default("review.threshold"),
                   "min_reviews_for_precision": default("review.min_reviews_for_precision")},
    }
    header = (f"Configuration de l'analyse « {commune} » (créée par `python -m analysis init` "
              f"le {today.isoformat()}).\n"
              "Chaque clé est précédée de sa description ; toutes sont décrites dans "
              "docs/configuration.md.\n"
              "À compléter : collective (À MODIFIER), data_date, lists (une entrée par liste).\n"
              f"Lancer l'analyse :   make report CONFIG={_shown(folder / 'config.yml')}")
    return config_template(values, header)


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
            model = load_codebook(PROJECT_ROOT / DEFAULT_CODEBOOK).classifier
            if model is not None and not (folder / model.name).exists():
                shutil.copyfile(model, folder / model.name)   # the codebook names it
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
