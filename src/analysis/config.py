"""One place that builds every path and setting from the project root and a YAML config.

Every file the stages read or write is a property of :class:`Config` (see
`analysis.pipeline` for which stage writes which); the codebook is loaded once per config
(:attr:`Config.codebook`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import webcolors
import yaml

from analysis.codebook import Codebook, load_codebook
from analysis.common.errors import UserError
from analysis.common.text import format_date_fr, normalise_name
from analysis.contracts import PROGRAMMES, QUESTIONNAIRE

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "demo.yml"
# the French cue words a codebook without its own `cues` section borrows
DEFAULT_CODEBOOK = PROJECT_ROOT / "config" / "codebooks" / "solidarite.yml"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
EVAL_DIR = PROJECT_ROOT / "data" / "eval"          # hand-labelled passages (evaluation)
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
METHOD_PATH = TEMPLATES_DIR / "methode.md"          # the French definitions, written once
PATH_KEYS = ("raw", "processed", "reports", "reviews")
TOP_KEYS = {
    "demo", "collective", "commune", "election", "data_date", "codebook", "paths",
    "exports", "lists", "questionnaire", "review",
    "mandate",  # after the vote: the elected list followed by analysis.suivi
    "reviewers",  # shared review: one workbook per association (analysis.workbook.groups)
}
REQUIRED = ("commune", "election", "lists", "codebook")
# A file in data/demo/ and data/demo/raw/: the folders of the fictional demo, which a real
# analysis (demo: false) must never read (see _keep_demo_apart).
DEMO_MARKER = ".donnees_fictives"


@dataclass(frozen=True)
class ListInfo:
    """One candidate list as the config describes it."""

    id: str
    name: str
    head: str = ""
    colour: str = "#777777"
    political_family: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One question of the collective's questionnaire: its id (q1...), its text, the axis
    it asks about, and the header of its column in the form export."""

    id: str
    text: str
    axis: str = ""
    column: str = ""


@dataclass
class Config:
    """Settings of one analysis: paths, lists, questionnaire, codebook, demo flag."""

    source: Path
    demo: bool
    commune: str
    election: dict[str, Any]
    data_date: dt.date | None
    collective: dict[str, str]
    codebook_path: Path
    raw: Path
    processed: Path
    reports: Path
    reviews: Path
    lists: list[ListInfo]
    questions: list[Question]
    form: dict[str, Any] = field(default_factory=dict)
    exports: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def codebook(self) -> Codebook:
        """The config's codebook, read and validated once."""
        return load_codebook(self.codebook_path)

    # documents as received (never modified) ----------------------------------
    @property
    def programmes_dir(self) -> Path:
        """data/raw/programmes/<list_id>/: the lists' documents."""
        return self.raw / PROGRAMMES

    @property
    def answers_dir(self) -> Path:
        """data/raw/questionnaire/: form exports, filled templates, letters."""
        return self.raw / QUESTIONNAIRE

    # processed tables --------------------------------------------------------
    @property
    def passages_path(self) -> Path:
        return self.processed / "passages.parquet"

    @property
    def ingest_report_path(self) -> Path:
        return self.processed / "ingest_report.csv"

    @property
    def responses_path(self) -> Path:
        """Who answered the questionnaire, when, how much (written by the ingestion)."""
        return self.processed / "questionnaire_responses.csv"

    @property
    def tag_cache_path(self) -> Path:
        """The tagger's result cache (and, beside it, its compiled patterns)."""
        return self.processed / ".cache" / "tagger.sqlite"

    @property
    def tags_auto_path(self) -> Path:
        """Automatic tags before review (written by the tagging stage)."""
        return self.processed / "tags_auto.parquet"

    @property
    def tags_path(self) -> Path:
        """Tags after review decisions (written by the review stage only)."""
        return self.processed / "tags.parquet"

    @property
    def coverage_path(self) -> Path:
        return self.processed / "coverage.parquet"

    @property
    def manifest_path(self) -> Path:
        """sha256 of the files we last wrote for people to edit (see common.files)."""
        return self.processed / ".export_manifest.json"

    @property
    def decisions_path(self) -> Path:
        return self.reviews / "decisions.csv"

    @property
    def conflicts_path(self) -> Path:
        return self.reviews / "conflits.csv"

    @property
    def orphans_path(self) -> Path:
        return self.reviews / "orphelins.csv"

    @property
    def figures_dir(self) -> Path:
        return self.reports / "figures"

    @property
    def exports_dir(self) -> Path:
        return self.reports / "exports"

    @property
    def metrics_dir(self) -> Path:
        return self.reports / "metrics"

    @property
    def agreement_paths(self) -> dict[str, Path]:
        return {
            "json": self.metrics_dir / "agreement.json",
            "themes": self.metrics_dir / "agreement_themes.csv",
            "pairs": self.metrics_dir / "agreement_reviewers.csv",
        }

    @property
    def evaluation_test_path(self) -> Path:
        """The tagger's measured accuracy on the test split (quoted by the report)."""
        return self.metrics_dir / "evaluation_test.json"

    @property
    def bench_path(self) -> Path:
        return self.metrics_dir / "bench.json"

    @property
    def report_path(self) -> Path:
        return self.reports / "rapport.html"

    @property
    def sheets_dir(self) -> Path:
        """One-page sheet per list (fiches)."""
        return self.reports / "fiches"

    @property
    def notebooks_out_dir(self) -> Path:
        return self.reports / "notebooks"

    @property
    def questionnaire_dir(self) -> Path:
        """The questionnaire to send to the lists (xlsx and docx)."""
        return self.reports / "questionnaire"

    @property
    def workbook_path(self) -> Path:
        name = self.exports.get("workbook", "barometre_solidarite")
        if self.demo:
            name = f"{name}_DEMO_donnees_fictives"
        return self.exports_dir / f"{name}.xlsx"

    # after the vote: follow-up of the elected list's commitments (analysis.suivi) ---
    @property
    def suivi_inbox(self) -> Path:
        """data/raw/suivi/: filled registers returned by volunteers (imported on each run)."""
        return self.raw / "suivi"

    @property
    def suivi_register_path(self) -> Path:
        """The elected list's commitments, one row each (written by the suivi stage)."""
        return self.processed / "suivi_registre.parquet"

    @property
    def suivi_index_path(self) -> Path:
        """Stable commitment ids and every text seen for each (append-only, in git)."""
        return self.reviews / "suivi_engagements.csv"

    @property
    def suivi_history_path(self) -> Path:
        """Every status observation imported, dated (append-only, in git)."""
        return self.reviews / "suivi_historique.csv"

    @property
    def suivi_conflicts_path(self) -> Path:
        return self.reviews / "suivi_conflits.csv"

    @property
    def suivi_orphans_path(self) -> Path:
        return self.reviews / "suivi_orphelins.csv"

    @property
    def suivi_dir(self) -> Path:
        """reports/suivi/: the commitments with their latest status, for press and council."""
        return self.reports / "suivi"

    # lists ------------------------------------------------------------------
    def list_by_id(self, list_id: str) -> ListInfo | None:
        return next((li for li in self.lists if li.id == list_id), None)

    def list_name(self, list_id: str) -> str:
        li = self.list_by_id(list_id)
        return li.name if li else list_id

    def list_colours(self) -> dict[str, str]:
        return {li.id: li.colour for li in self.lists}

    def match_list(self, name: str) -> str | None:
        """The list id whose id, name or alias matches `name` (case, accents, spacing)."""
        key = normalise_name(name)
        for li in self.lists:
            if key in {normalise_name(x) for x in (li.id, li.name, *li.aliases)}:
                return li.id
        return None

    @property
    def demo_notice(self) -> str:
        return "Données fictives de démonstration" if self.demo else ""

    # review status (publish): below `review.threshold` of tags reviewed, never "relue";
    # no precision from reviews under `review.min_reviews_for_precision` reviewed tags
    @property
    def review_threshold(self) -> float:
        return float((self.data.get("review") or {}).get("threshold", 0.8))

    @property
    def min_reviews_for_precision(self) -> int:
        return int((self.data.get("review") or {}).get("min_reviews_for_precision", 30))

    @property
    def data_date_fr(self) -> str:
        return format_date_fr(self.data_date) if self.data_date else "date non renseignée"


def _as_date(value: Any, key: str, source: Path) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise UserError(
            f"{source}: '{key}' vaut {value!r}, ce n'est pas une date AAAA-MM-JJ "
            f"(ex. 2026-03-15)."
        ) from exc


def _resolve(path: str | Path, base: Path) -> Path:
    path = Path(path)
    return path if path.is_absolute() else (base / path)


def load_config(
    path: str | Path | None = None,
    *,
    raw: str | Path | None = None,
    processed: str | Path | None = None,
    reports: str | Path | None = None,
    reviews: str | Path | None = None,
) -> Config:
    """Read a YAML config; path overrides (e.g. from `--raw`) win over the file.

    Relative paths in the file are taken from the project root; relative override paths
    from the current directory.
    """
    source = Path(path) if path else DEFAULT_CONFIG
    if not source.is_file():
        raise UserError(
            f"Fichier de configuration introuvable : {source}. "
            f"Indiquez un fichier existant avec --config (exemple : {DEFAULT_CONFIG})."
        )
    data = _read_yaml(source)
    if not isinstance(data, dict):
        raise UserError(f"{source} : le fichier doit contenir des clés (commune, lists, ...).")
    errors = check_config(data, source)
    if errors:
        raise UserError("\n".join(errors))

    paths = data.get("paths") or {}
    overrides = {"raw": raw, "processed": processed, "reports": reports, "reviews": reviews}
    defaults = {
        "raw": "data/raw", "processed": "data/processed",
        "reports": "reports", "reviews": "data/reviews",
    }
    resolved = {}
    for key in PATH_KEYS:
        if overrides[key] is not None:
            resolved[key] = Path(overrides[key]).resolve()
        else:
            resolved[key] = _resolve(paths.get(key, defaults[key]), PROJECT_ROOT)

    lists = [
        ListInfo(
            id=str(item["id"]), name=str(item["name"]), head=str(item.get("head") or ""),
            colour=_colour(str(item["colour"])) if item.get("colour") else "#777777",
            political_family=str(item.get("political_family") or ""),
            aliases=tuple(str(a) for a in item.get("aliases") or ()),
        )
        for item in data.get("lists") or []
    ]

    q = data.get("questionnaire") or {}
    questions = [
        Question(id=str(item["id"]), text=str(item["text"]), axis=str(item.get("axis") or ""),
                 column=str(item.get("column") or ""))
        for item in q.get("questions") or []
    ]

    election = dict(data.get("election") or {})
    for key in ("round1", "round2"):
        if key in election:
            election[key] = _as_date(election[key], f"election.{key}", source)

    review = data.get("review") or {}
    threshold = review.get("threshold", 0.8) if isinstance(review, dict) else None
    if not isinstance(review, dict) or not isinstance(threshold, (int, float)) or not (
        0 < threshold <= 1
    ):
        raise UserError(
            f"{source} : review.threshold doit être une part entre 0 et 1 (ex. 0.8 pour 80 %)."
        )

    collective = data.get("collective") or {}
    if isinstance(collective, str):
        collective = {"name": collective, "short": collective}

    cfg = Config(
        source=source.resolve(),
        demo=bool(data.get("demo", False)),
        commune=str(data["commune"]),
        election=election,
        data_date=_as_date(data.get("data_date"), "data_date", source),
        collective={"name": collective.get("name", ""), "short": collective.get("short", "")},
        codebook_path=_resolve(data["codebook"], PROJECT_ROOT),
        raw=resolved["raw"],
        processed=resolved["processed"],
        reports=resolved["reports"],
        reviews=resolved["reviews"],
        lists=lists,
        questions=questions,
        form=dict(q.get("form") or {}),
        exports=dict(data.get("exports") or {}),
        data=data,
    )
    cfg.__dict__["codebook"] = _check_codebook(cfg.codebook_path, source)
    _check_question_axes(cfg, source)
    _keep_demo_apart(cfg)
    return cfg


def _check_question_axes(cfg: Config, source: Path) -> None:
    """Each question's axis is one of the codebook's (issue 16: a mistyped axis was kept
    silently)."""
    axes = cfg.codebook.axes
    errors = [f"{source.name} : questionnaire.questions[{i}].axis vaut « {q.axis} » : axe "
              f"inconnu du codebook {cfg.codebook_path.name} ; axes possibles : "
              f"{', '.join(axes)}." for i, q in enumerate(cfg.questions)
              if q.axis and q.axis not in axes]
    if errors:
        raise UserError("\n".join(errors))


# --- the config checked like a form (every mistake one French line, before any stage) ---
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
FILE_NAME_RE = re.compile(r"^[\w][\w .()-]{0,99}$")
MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|&#?\w+;")
LIST_KEYS = {"id", "name", "head", "colour", "political_family", "aliases"}
QUESTION_KEYS = {"id", "text", "axis", "column"}
FORM_KEYS = {"list_column", "date_column", "contact_columns"}
ELECTION_KEYS = {"name", "round1", "round2"}
COLLECTIVE_KEYS = {"name", "short"}
EXPORT_KEYS = {"workbook"}
TEXT_HINT = "un texte entre guillemets"


class _Loader(yaml.SafeLoader):
    """YAML loader whose impossible dates (2026-02-30) stay text, so that the check names
    the key instead of a traceback."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"« {value} »"
    return text if len(text) <= 80 else text[:77] + "…"


def _type_fr(value: Any) -> str:
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, dict):
        return "un dictionnaire"
    if isinstance(value, list):
        return "une liste"
    if value is None:
        return "vide"
    if isinstance(value, int | float):
        return "un nombre"
    return "un texte"


class _Checker:
    """Collects one French line per mistake: key, value, what is allowed."""

    def __init__(self, source: Path):
        self.source = source
        self.errors: list[str] = []

    def error(self, key: str, value: Any, allowed: str) -> None:
        self.errors.append(f"{self.source.name} : {key} vaut {_shown(value)} : {allowed}.")

    def text(self, key: str, value: Any, *, required: bool = False, markup: bool = False) -> bool:
        """A scalar text (numbers accepted as text); False after reporting a mistake."""
        if value is None:
            if required:
                self.errors.append(f"{self.source.name} : {key} manquant : écrire {TEXT_HINT}.")
            return not required
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, value, f"{_type_fr(value)} n'est pas accepté ici, écrire {TEXT_HINT}")
            return False
        if required and not str(value).strip():
            self.errors.append(f"{self.source.name} : {key} est vide : écrire {TEXT_HINT}.")
            return False
        if not markup and isinstance(value, str) and MARKUP_RE.search(value):
            self.error(key, value, "le balisage HTML (<a …>, <b>, &amp;…) n'est pas accepté, "
                                   "écrire le texte simple tel qu'il doit s'afficher")
            return False
        return True

    def mapping(self, key: str, value: Any, allowed: set[str]) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, value, f"{_type_fr(value)} ; attendu des sous-clés "
                                   f"({', '.join(sorted(allowed))})")
            return {}
        for extra in sorted(set(map(str, value)) - allowed):
            self.errors.append(f"{self.source.name} : clé inconnue {key}.{extra} ; clés "
                               f"possibles : {', '.join(sorted(allowed))}.")
        return value

    def sequence(self, key: str, value: Any) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, value, f"{_type_fr(value)} ; attendu une liste (une ligne « - … » "
                                   "par élément, ou [\"a\", \"b\"])")
            return []
        return value

    def date(self, key: str, value: Any) -> None:
        if value is None or isinstance(value, dt.date):
            return
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            self.error(key, value, "ce n'est pas une date AAAA-MM-JJ qui existe (ex. 2026-03-15)")

    def inside_project(self, key: str, value: Any) -> None:
        if not self.text(key, value):
            return
        path = Path(str(value))
        if not str(value).strip():
            self.error(key, value, "chemin vide")
        elif not path.is_absolute() and not (PROJECT_ROOT / path).resolve().is_relative_to(
                PROJECT_ROOT):
            self.error(key, value, "ce chemin relatif sort du projet (..) : écrire un chemin "
                                   "dans le projet (ex. data/raw) ou un chemin absolu")


def _colour(value: str) -> str | None:
    """The colour as #rrggbb, or None when it is not a CSS colour."""
    text = value.strip()
    try:
        if text.startswith("#"):
            webcolors.normalize_hex(text)
            return text  # as written (the charts keep the analyst's spelling)
        return webcolors.name_to_hex(text.lower())
    except ValueError:
        return None


def check_config(data: dict, source: Path) -> list[str]:
    """Every mistake of a config (already a dict), one French line each."""
    c = _Checker(source)
    name = source.name
    for key in sorted(set(map(str, data)) - TOP_KEYS):
        c.errors.append(f"{name} : clé inconnue '{key}'. Clés possibles : {sorted(TOP_KEYS)}.")
    for key in REQUIRED:
        if key not in data:
            c.errors.append(f"{name} : clé obligatoire manquante : {key}.")
    demo = data.get("demo", False)
    if not isinstance(demo, bool):
        c.error("demo", demo, "écrire demo: true ou demo: false, sans guillemets")
    c.text("commune", data.get("commune"), required="commune" in data)
    collective = data.get("collective")
    if isinstance(collective, dict):
        for key, value in c.mapping("collective", collective, COLLECTIVE_KEYS).items():
            c.text(f"collective.{key}", value)
    else:
        c.text("collective", collective)
    election = c.mapping("election", data.get("election"), ELECTION_KEYS)
    c.text("election.name", election.get("name"))
    for key in ("round1", "round2"):
        c.date(f"election.{key}", election.get(key))
    c.date("data_date", data.get("data_date"))
    codebook = data.get("codebook")
    if "codebook" in data and c.text("codebook", codebook, required=True):
        c.inside_project("codebook", codebook)
    paths = c.mapping("paths", data.get("paths"), set(PATH_KEYS))
    for key, value in paths.items():
        if key in PATH_KEYS:
            c.inside_project(f"paths.{key}", value)
    exports = c.mapping("exports", data.get("exports"), EXPORT_KEYS)
    workbook = exports.get("workbook")
    if workbook is not None and c.text("exports.workbook", workbook) and (
            not FILE_NAME_RE.match(str(workbook)) or ".." in str(workbook)):
        c.error("exports.workbook", workbook, "écrire un simple nom de fichier sans dossier ni "
                "extension (lettres, chiffres, espaces, - et _ ; ex. barometre_solidarite) : "
                "le classeur est toujours écrit dans reports/exports/")
    _check_lists(c, data)
    _check_questionnaire(c, data)
    _check_reviewers(c, data)
    return c.errors


REVIEWER_KEYS = {"name", "file", "themes", "axes", "lists"}


def _check_reviewers(c: _Checker, data: dict) -> None:
    """The shape of the `reviewers:` section (shared review, analysis.workbook.groups); the
    theme, axis and list ids are checked against the codebook and the lists at export."""
    for i, item in enumerate(c.sequence("reviewers", data.get("reviewers"))):
        where = f"reviewers[{i}]"
        if not isinstance(item, dict):
            c.error(where, item, "attendu une association : « - name: … » avec themes et/ou "
                    "axes (voir docs/configuration.md)")
            continue
        c.mapping(where, item, REVIEWER_KEYS)
        c.text(f"{where}.name", item.get("name"), required=True)
        c.text(f"{where}.file", item.get("file"))
        for key in ("themes", "axes", "lists"):
            value = item.get(key)
            if value is not None and not isinstance(value, list):
                c.error(f"{where}.{key}", value, "n'est pas une liste ; écrire une liste "
                        f"d'identifiants : {key}: [\"a\", \"b\"]")
            for k, one in enumerate(value if isinstance(value, list) else []):
                c.text(f"{where}.{key}[{k}]", one, required=True)


def _check_lists(c: _Checker, data: dict) -> None:
    lists = c.sequence("lists", data.get("lists"))
    if "lists" in data and isinstance(data.get("lists"), list | type(None)) and not lists:
        c.errors.append(f"{c.source.name} : lists est vide : décrire au moins une liste "
                        "(id, name).")
    seen: dict[str, int] = {}
    for i, item in enumerate(lists):
        where = f"lists[{i}]"
        if not isinstance(item, dict):
            c.error(where, item, "attendu un dictionnaire avec au moins id et name")
            continue
        lid = item.get("id")
        where = f"lists[{i}] ({lid})" if isinstance(lid, str | int) else where
        c.mapping(where, item, LIST_KEYS)
        if lid is None or isinstance(lid, bool) or not isinstance(lid, str | int) or \
                not SLUG_RE.match(str(lid)):
            c.error(f"{where}.id", lid, "un identifiant court en minuscules, chiffres, - ou _ "
                    "(sans point, barre, espace ni accent ; ex. aix-solidaire) : il nomme le "
                    "dossier data/raw/programmes/<id>/ et les fichiers de sortie")
        elif str(lid) in seen:
            c.error(f"{where}.id", lid, f"identifiant déjà pris par lists[{seen[str(lid)]}] : "
                    "chaque liste a un identifiant unique")
        else:
            seen[str(lid)] = i
        c.text(f"{where}.name", item.get("name"), required=True)
        for key in ("head", "political_family"):
            c.text(f"{where}.{key}", item.get(key))
        colour = item.get("colour")
        if colour is not None and (not isinstance(colour, str) or _colour(colour) is None):
            c.error(f"{where}.colour", colour, "une couleur CSS : code hexadécimal entre "
                    "guillemets (ex. \"#009E73\") ou nom anglais (green, darkred…)")
        aliases = item.get("aliases")
        if aliases is not None and not isinstance(aliases, list):
            c.error(f"{where}.aliases", aliases, "attendu une liste de noms, même pour un "
                    "seul : aliases: [\"Aix Avenir\"]")
        for k, alias in enumerate(aliases if isinstance(aliases, list) else []):
            c.text(f"{where}.aliases[{k}]", alias, required=True)


def _check_questionnaire(c: _Checker, data: dict) -> None:
    q = c.mapping("questionnaire", data.get("questionnaire"), {"form", "questions"})
    form = c.mapping("questionnaire.form", q.get("form"), FORM_KEYS)
    for key in ("list_column", "date_column"):
        c.text(f"questionnaire.form.{key}", form.get(key))
    contacts = form.get("contact_columns")
    if contacts is not None and not isinstance(contacts, list):
        c.error("questionnaire.form.contact_columns", contacts,
                "attendu une liste d'en-têtes : [\"Adresse e-mail\", \"Téléphone\"]")
    for k, col in enumerate(contacts if isinstance(contacts, list) else []):
        c.text(f"questionnaire.form.contact_columns[{k}]", col, required=True)
    seen_ids: dict[str, int] = {}
    seen_cols: dict[str, int] = {}
    for i, item in enumerate(c.sequence("questionnaire.questions", q.get("questions"))):
        where = f"questionnaire.questions[{i}]"
        if not isinstance(item, dict):
            c.error(where, item, "attendu un dictionnaire avec id et text")
            continue
        qid = item.get("id")
        c.mapping(where, item, QUESTION_KEYS)
        if qid is None or isinstance(qid, bool) or not isinstance(qid, str | int) or \
                not SLUG_RE.match(str(qid)):
            c.error(f"{where}.id", qid, "un identifiant court en minuscules (ex. q1)")
        elif str(qid) in seen_ids:
            c.error(f"{where}.id", qid, f"identifiant déjà pris par "
                    f"questionnaire.questions[{seen_ids[str(qid)]}] : chaque question a un "
                    "identifiant unique")
        else:
            seen_ids[str(qid)] = i
        c.text(f"{where}.text", item.get("text"), required=True)
        c.text(f"{where}.axis", item.get("axis"))
        column = item.get("column")
        if c.text(f"{where}.column", column) and column:
            key = normalise_name(str(column))
            if key in seen_cols:
                c.error(f"{where}.column", column, f"colonne déjà donnée à "
                        f"questionnaire.questions[{seen_cols[key]}] : une colonne par question")
            seen_cols[key] = i


def _read_yaml(source: Path) -> Any:
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{source} : le fichier n'est pas en UTF-8 (octet 0x{raw[exc.start]:02x} ligne "
            f"{line}, sans doute enregistré en Windows-1252/Latin-1) : l'ouvrir dans un "
            "éditeur et l'enregistrer en UTF-8, puis relancer."
        ) from exc
    try:
        return yaml.load(text, Loader=_Loader) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{source} : YAML invalide ({exc}). Corrigez la syntaxe.") from exc


def _check_codebook(path: Path, source: Path) -> Codebook:
    """The codebook, loaded now so that its mistakes stop the run before any stage."""
    try:
        codebook = load_codebook(path)
    except UserError:
        raise
    except Exception as exc:  # a codebook the loader did not foresee
        raise UserError(f"{path} (codebook de {source.name}) : illisible ({exc}) ; vérifier "
                        "sa structure (name, version, axes, themes).") from exc
    if not codebook.themes:
        raise UserError(f"{path} (codebook de {source.name}) : aucun thème ; décrire au moins "
                        "un thème sous themes:.")
    return codebook


def _demo_folder(path: Path) -> Path | None:
    """The folder holding the demo marker at or above `path`, if any."""
    for folder in (path, *path.parents):
        if (folder / DEMO_MARKER).is_file():
            return folder
    return None


def _keep_demo_apart(cfg: Config) -> None:
    """A real analysis (demo: false) never reads or writes the demo's folders."""
    if cfg.demo:
        return
    for key in ("raw", "processed", "reviews"):
        folder = _demo_folder(getattr(cfg, key))
        if folder is not None:
            raise UserError(
                f"{cfg.source} : « demo: false » mais paths.{key} ({getattr(cfg, key)}) est dans "
                f"{folder}, le dossier des données FICTIVES de la démonstration : elles se "
                f"mêleraient à la vraie analyse. Créez-la dans son propre dossier : "
                f"python -m analysis init --commune \"{cfg.commune}\" --dossier projets/"
                f"<nom> (voir docs/configuration.md).")
