"""One place that builds every path and setting from the project root and a YAML config.

Every file the stages read or write is a property of :class:`Config` (see
`analysis.pipeline` for which stage writes which); the codebook is loaded once per config
(:attr:`Config.codebook`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from analysis.codebook import Codebook, load_codebook
from analysis.common.errors import UserError
from analysis.common.text import format_date_fr, normalise_name
from analysis.config_schema import TOP_KEYS as TOP_KEYS  # re-exported: the config's keys
from analysis.config_schema import check_config, check_references, colour_hex, default
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
        """The tagger's result cache (its compiled patterns: `tagging.cache.compiled_cache_dir`,
        shared by every processed folder; here only when that folder cannot be written)."""
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
        name = self.exports.get("workbook", default("exports.workbook"))
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

    # paths and commands as an analyst types them (messages, workbooks' instructions) -----
    def shown(self, path: Path) -> str:
        """`path` relative to the project root when inside it, else absolute."""
        path = Path(path).resolve()
        return path.relative_to(PROJECT_ROOT).as_posix() if path.is_relative_to(
            PROJECT_ROOT) else path.as_posix()

    def command(self, name: str) -> str:
        """`python -m analysis <name>`, with `--config` unless this is the default config."""
        chosen = "" if self.source == DEFAULT_CONFIG.resolve() else \
            f" --config {self.shown(self.source)}"
        return f"python -m analysis {name}{chosen}"

    @property
    def make_report(self) -> str:
        """`make report`, with `CONFIG=` unless this is the default config."""
        if self.source == DEFAULT_CONFIG.resolve():
            return "make report"
        return f"make report CONFIG={self.shown(self.source)}"

    @property
    def demo_notice(self) -> str:
        return "Données fictives de démonstration" if self.demo else ""

    # review status (publish): below `review.threshold` of tags reviewed, never "relue";
    # no precision from reviews under `review.min_reviews_for_precision` reviewed tags
    @property
    def review_threshold(self) -> float:
        return float((self.data.get("review") or {}).get("threshold", default("review.threshold")))

    @property
    def min_reviews_for_precision(self) -> int:
        return int((self.data.get("review") or {}).get("min_reviews_for_precision",
                                                     default("review.min_reviews_for_precision")))

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
    errors = check_config(data, source, PROJECT_ROOT)
    if errors:
        raise UserError("\n".join(errors))

    paths = data.get("paths") or {}
    overrides = {"raw": raw, "processed": processed, "reports": reports, "reviews": reviews}
    defaults = {key: default(f"paths.{key}") for key in PATH_KEYS}
    resolved = {}
    for key in PATH_KEYS:
        if overrides[key] is not None:
            resolved[key] = Path(overrides[key]).resolve()
        else:
            resolved[key] = _resolve(paths.get(key, defaults[key]), PROJECT_ROOT)

    lists = [
        ListInfo(
            id=str(item["id"]), name=str(item["name"]), head=str(item.get("head") or ""),
            colour=colour_hex(str(item["colour"])) if item.get("colour")
            else default("lists.colour"),
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
    codebook = cfg.__dict__["codebook"] = _check_codebook(cfg.codebook_path, source)
    errors = check_references(data, source, PROJECT_ROOT, list(codebook.axes),
                              codebook.theme_ids)
    if errors:
        raise UserError("\n".join(errors))
    _keep_demo_apart(cfg)
    return cfg


# --- reading the YAML (the checks themselves: analysis.config_schema) ---

class _Loader(yaml.SafeLoader):
    """YAML loader whose impossible dates (2026-02-30) stay text, so that the check names
    the key instead of a traceback."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


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
    demo_reports = _demo_reports()
    if demo_reports is not None and cfg.reports.resolve() == demo_reports:
        raise UserError(
            f"{cfg.source} : « demo: false » mais paths.reports ({cfg.reports}) est le dossier "
            f"des résultats de la démonstration FICTIVE (config/demo.yml) : ses mesures "
            f"(accord entre relecteurs, précision) seraient lues par la vraie analyse. Donnez "
            f"un autre paths.reports, ou créez l'analyse dans son propre dossier : python -m "
            f"analysis init --commune \"{cfg.commune}\" --dossier projets/<nom>.")


def _demo_reports() -> Path | None:
    """The demo's reports folder (from config/demo.yml), if the default config is the demo."""
    try:
        data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    if data.get("demo") is not True:
        return None
    reports = (data.get("paths") or {}).get("reports", default("paths.reports"))
    return _resolve(reports, PROJECT_ROOT).resolve()
