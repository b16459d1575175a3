"""Find the input files under raw/: one folder per list in programmes/, form exports,
filled templates and letters in questionnaire/."""

from __future__ import annotations

import re
import unicodedata
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
    """One file to ingest. kind: programme | form | letter | hidden | stray | outside
    (a link leading out of raw/, never read) | resource (a file of a saved web page's
    folder, `note` names the page). `rel` is always printable UTF-8 (a name
    written by Windows in Latin-1 is shown decoded, the file is opened by its real path)."""

    path: Path
    rel: str
    kind: str
    list_id: str | None = None
    note: str = ""


OUTSIDE = (
    "lien symbolique qui mène hors de data/raw ({target}) : non lu ; copier le document "
    "lui-même dans le dossier de la liste, puis relancer"
)
LEGACY_NAME = (
    "nom de fichier écrit en Latin-1/Windows (archive zip faite sous Windows ?) : lu sous le "
    "nom « {name} » ; le renommer pour éviter les caractères mal codés"
)


def printable(name: str) -> tuple[str, bool]:
    """A file name as UTF-8 text, and whether it had to be repaired: undecodable bytes
    (kept by Python as surrogates) read as Windows-1252."""
    try:
        name.encode("utf-8")
        return name, False
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("cp1252", errors="replace"), True


def slug(name: str) -> str:
    """A safe list id for a folder missing from the config (the same rule as the config's
    ids: lower case, digits, - and _; « Ville.Sud » -> « ville-sud »), so that no output
    file name can be shared or leave its folder."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9_]+", "-", ascii_name.lower()).strip("-_")
    return text[:64].strip("-_") or "liste-sans-nom"


def relative(path: Path, raw: Path) -> str:
    """Path relative to raw/, with forward slashes, always printable."""
    return printable(path.relative_to(raw).as_posix())[0]


def inside(path: Path, raw: Path) -> bool:
    """Whether `path`, links followed, is under raw/."""
    try:
        return path.resolve().is_relative_to(raw.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def _guarded(path: Path, cfg: Config, item: Input) -> Input:
    """`item`, or an `outside` input when the path leaves raw/; a repaired name noted."""
    if not inside(path, cfg.raw):
        try:
            target = printable(str(path.resolve()))[0]
        except (OSError, RuntimeError):
            target = "boucle de liens"
        return Input(path, item.rel, "outside", item.list_id, OUTSIDE.format(target=target))
    shown, repaired = printable(path.name)
    if repaired:
        item.note = "; ".join(n for n in (item.note, LEGACY_NAME.format(name=shown)) if n)
    return item


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
    """Files under `folder`, sorted, hidden folders not entered, linked folders not
    followed (a link to a file is returned, to be checked by _guarded)."""
    out = []
    for path in sorted(folder.rglob("*"), key=lambda p: p.as_posix().encode(
            "utf-8", "surrogateescape")):
        parts = path.relative_to(folder).parts
        if any(p.startswith(".") for p in parts[:-1]):
            continue
        if path.is_symlink() and not path.is_file():
            if path.exists():  # a linked folder
                out.append(path)
            continue
        if path.is_file():
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
        rel = relative(entry, cfg.raw)
        if not inside(entry, cfg.raw):
            inputs.append(_guarded(entry, cfg, Input(entry, rel, "outside")))
            continue
        if entry.is_file():
            kind = "hidden" if is_hidden(entry) else "stray"
            inputs.append(Input(entry, rel, kind))
            continue
        if not entry.is_dir() or entry.name.startswith((".", "__MACOSX")):
            continue
        folder = printable(entry.name)[0]
        list_id = cfg.match_list(folder)
        note = ""
        if list_id is None:
            list_id = slug(folder)
            note = (
                f"dossier « {folder} » absent de la configuration : lu sous l'identifiant "
                f"« {list_id} » ; l'ajouter dans lists: de {cfg.source.name} (nom, couleur) "
                "ou renommer le dossier avec l'identifiant d'une liste"
            )
        for path in _files(entry):
            kind = "hidden" if is_hidden(path) else "programme"
            page = page_of_resource(path, entry)
            item = Input(path, relative(path, cfg.raw), kind, list_id, note)
            if page is not None and kind == "programme":
                item.kind, item.note = "resource", page
            inputs.append(_guarded(path, cfg, item))
    return inputs


PAGE_SUFFIXES = (".html", ".htm", ".xhtml")


def page_of_resource(path: Path, top: Path) -> str | None:
    """For a file of the « <page>_files/ » folder a browser writes next to a saved page
    (style sheets, images, scripts), the page's name; else None."""
    for parent in path.parents:
        if parent == top or not parent.is_relative_to(top):
            return None
        for marker in ("_files", "_fichiers", "-Dateien", "_archivos"):
            if parent.name.endswith(marker):
                stem = parent.name[: -len(marker)]
                for suffix in PAGE_SUFFIXES:
                    if (parent.parent / (stem + suffix)).is_file():
                        return printable(stem + suffix)[0]
    return None


def folder_lists(cfg: Config, programmes: list[Input]) -> dict[str, str]:
    """Lists known only by their programme folder: normalised id -> id."""
    known = {li.id for li in cfg.lists}
    return {normalise_name(i.list_id): i.list_id for i in programmes
            if i.kind == "programme" and i.list_id and i.list_id not in known}


def discover_questionnaire(cfg: Config, extra: dict[str, str] | None = None) -> list[Input]:
    """Files of raw/questionnaire/: form exports (xlsx/csv, filled templates included) and
    letters named after a list — one of the config, or one known only by its programme
    folder (`extra`, see folder_lists), attached to it as its programme is."""
    extra = extra or {}
    root = cfg.answers_dir
    if not root.is_dir():
        return []
    inputs = []
    for path in _files(root):
        rel = relative(path, cfg.raw)
        if is_hidden(path):
            item = Input(path, rel, "hidden")
        elif path.suffix.lower() in FORM_SUFFIXES:
            item = Input(path, rel, "form")
        else:
            stem = printable(path.stem)[0]
            list_id, note = match_folder(cfg, stem), ""
            if list_id is None and extra:
                list_id = _extra_match(stem, extra)
                if list_id is not None:
                    note = (f"liste « {list_id} » absente de la configuration : courrier "
                            "rattaché au dossier de programme du même nom ; l'ajouter dans "
                            f"lists: de {cfg.source.name}")
            item = Input(path, rel, "letter", list_id, note)
        inputs.append(_guarded(path, cfg, item))
    return inputs


def _extra_match(stem: str, extra: dict[str, str]) -> str | None:
    key = normalise_name(stem)
    if key in extra:
        return extra[key]
    best = max((k for k in extra if k and key.startswith(k)), key=len, default=None)
    return extra[best] if best else None
