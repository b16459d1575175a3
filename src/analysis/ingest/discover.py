"""Find the input files under raw/: one folder per list in programmes/, form exports,
filled templates and letters in questionnaire/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.common.errors import UserError
from analysis.common.text import normalise_name
from analysis.config import Config
from analysis.contracts import PROGRAMMES
from analysis.ingest.readers import is_hidden

FORM_SUFFIXES = {".xlsx", ".xlsm", ".csv"}


@dataclass
class Input:
    """One file to ingest. kind: programme | form | letter | hidden | stray."""

    path: Path
    rel: str
    kind: str
    list_id: str | None = None
    note: str = ""


def relative(path: Path, raw: Path) -> str:
    """Path relative to raw/, with forward slashes."""
    return path.relative_to(raw).as_posix()


def check_raw(cfg: Config) -> None:
    """Raise a UserError naming the missing folder and what to do."""
    if not cfg.raw.is_dir():
        raise UserError(
            f"Dossier des documents introuvable : {cfg.raw}. Créez-le (avec un sous-dossier "
            f"{PROGRAMMES}/<id_liste>/ par liste, ex. {PROGRAMMES}/{_example(cfg)}/programme.pdf)"
            " ou indiquez le bon dossier avec --raw."
        )
    if not (cfg.programmes_dir).is_dir():
        raise UserError(
            f"Dossier {cfg.programmes_dir} introuvable : créez-le et déposez-y un dossier "
            f"par liste portant son identifiant (ex. {PROGRAMMES}/{_example(cfg)}/), "
            "ou indiquez un autre dossier avec --raw."
        )


def _example(cfg: Config) -> str:
    return cfg.lists[0].id if cfg.lists else "ma-liste"


def _files(folder: Path) -> list[Path]:
    """Files under `folder`, sorted, hidden folders not entered."""
    out = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") for p in parts[:-1]) or not path.is_file():
            continue
        out.append(path)
    return out


def match_folder(cfg: Config, name: str) -> str | None:
    """List id of a folder or file stem: exact/tolerant match, else the longest list id or
    name that starts it ("aix-solidaire_reponse" -> "aix-solidaire")."""
    found = cfg.match_list(name)
    if found:
        return found
    key = normalise_name(name)
    best = None
    for li in cfg.lists:
        for alias in (li.id, li.name, *li.aliases):
            k = normalise_name(alias)
            if k and key.startswith(k) and (best is None or len(k) > best[0]):
                best = (len(k), li.id)
    return best[1] if best else None


def discover_programmes(cfg: Config) -> list[Input]:
    """Every file of raw/programmes/, with its list id."""
    root = cfg.programmes_dir
    inputs: list[Input] = []
    for entry in sorted(root.iterdir()):
        if entry.is_file():
            kind = "hidden" if is_hidden(entry) else "stray"
            inputs.append(Input(entry, relative(entry, cfg.raw), kind))
            continue
        if not entry.is_dir() or entry.name.startswith((".", "__MACOSX")):
            continue
        list_id = cfg.match_list(entry.name)
        note = ""
        if list_id is None:
            list_id = entry.name
            note = (
                f"dossier « {entry.name} » absent de la configuration : lu sous l'identifiant "
                f"« {entry.name} » ; l'ajouter dans lists: de {cfg.source.name} (nom, couleur) "
                "ou renommer le dossier avec l'identifiant d'une liste"
            )
        for path in _files(entry):
            kind = "hidden" if is_hidden(path) else "programme"
            inputs.append(Input(path, relative(path, cfg.raw), kind, list_id, note))
    return inputs


def discover_questionnaire(cfg: Config) -> list[Input]:
    """Files of raw/questionnaire/: form exports (xlsx/csv, filled templates included) and
    letters named after a list."""
    root = cfg.answers_dir
    if not root.is_dir():
        return []
    inputs = []
    for path in _files(root):
        rel = relative(path, cfg.raw)
        if is_hidden(path):
            inputs.append(Input(path, rel, "hidden"))
        elif path.suffix.lower() in FORM_SUFFIXES:
            inputs.append(Input(path, rel, "form"))
        else:
            inputs.append(Input(path, rel, "letter", match_folder(cfg, path.stem)))
    return inputs
