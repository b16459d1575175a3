"""The stages, in run order: the one place that says which stage comes after which.

Each stage is a package of `analysis` with a `run(cfg)` function, the command that runs it
(`python -m analysis <command>`), the notebook that runs it (`notebooks/<notebook>.ipynb`),
and the files it reads and writes (names of `Config` paths: every path comes from
`analysis.config`). Stages meet only through these files.

The rule that keeps the code flowing like the data (checked by tests/test_architecture.py):
a stage imports `analysis.config`, `analysis.contracts`, `analysis.codebook`,
`analysis.common` and the stages before it here, nothing else; no import cycles.

    questionnaire  config, codebook            -> reports/questionnaire/*.xlsx|docx
    ingest         data/raw/                   -> passages.parquet, ingest_report.csv,
                                                  questionnaire_responses.csv
    tag            passages                    -> tags_auto.parquet
    review         tags_auto + decisions.csv   -> tags.parquet, metrics/agreement*
    evaluate       data/eval/*.jsonl           -> metrics/evaluation_*, per_theme_*, erreurs_*
    suivi          passages, tags, data/raw/suivi/*.xlsx, suivi_engagements.csv,
                   suivi_historique.csv        -> suivi_registre.parquet, reports/suivi/,
                                                  exports/suivi_mandat_<liste>.xlsx
    coverage       passages, tags, responses   -> coverage.parquet
    publish        coverage, passages, tags    -> figures/, rapport.html, fiches/
    workbook       passages, tags, coverage    -> exports/<classeur>.xlsx
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.config import NOTEBOOKS_DIR, Config


@dataclass(frozen=True)
class Stage:
    """One step of the flow: what runs it, and the files it reads and writes."""

    name: str
    package: str             # analysis.<package>, which has `run(cfg)`
    command: str             # `python -m analysis <command>` runs every stage it names
    notebook: str            # notebooks/<notebook>.ipynb (one stage, or two adjacent ones)
    inputs: tuple[str, ...]  # Config attributes (paths) the stage reads
    outputs: tuple[str, ...]  # Config attributes (paths) the stage writes

    @property
    def module(self) -> str:
        return f"analysis.{self.package}"

    def function(self) -> Callable[[Config], Any]:
        """The stage's `run` (imported only when needed: `tag --jsonl` starts light)."""
        return importlib.import_module(self.module).run

    def run(self, cfg: Config) -> Any:
        return self.function()(cfg)


STAGES: tuple[Stage, ...] = (
    Stage("questionnaire", "questionnaire", "questionnaire-template", "00_questionnaire",
          inputs=("source", "codebook_path"), outputs=("questionnaire_dir",)),
    Stage("ingest", "ingest", "ingest", "01_ingestion",
          inputs=("raw",),
          outputs=("passages_path", "ingest_report_path", "responses_path")),
    Stage("tag", "tagging", "tag", "02_etiquetage",
          inputs=("passages_path", "codebook_path"), outputs=("tags_auto_path",)),
    Stage("review", "review", "tag", "02_etiquetage",
          inputs=("tags_auto_path", "passages_path", "decisions_path"),
          outputs=("tags_path", "agreement_paths")),
    Stage("evaluate", "evaluation", "evaluate", "02b_evaluation",
          inputs=("codebook_path",), outputs=("metrics_dir",)),
    # after the vote: the elected list's commitments (reads the reviewed tags; before
    # publish, whose report has the "bilan à mi-mandat" section)
    Stage("suivi", "suivi", "suivi", "02c_suivi",
          inputs=("passages_path", "tags_path", "suivi_inbox", "suivi_index_path",
                  "suivi_history_path"),
          outputs=("suivi_register_path", "suivi_index_path", "suivi_history_path",
                   "suivi_conflicts_path", "suivi_orphans_path", "suivi_dir",
                   "exports_dir")),
    Stage("coverage", "coverage", "coverage", "03_couverture",
          inputs=("passages_path", "tags_path", "responses_path", "codebook_path"),
          outputs=("coverage_path",)),
    Stage("publish", "publish", "charts", "03_couverture",
          inputs=("coverage_path", "passages_path", "tags_path", "responses_path",
                  "ingest_report_path", "metrics_dir"),
          outputs=("figures_dir", "report_path", "sheets_dir")),
    Stage("workbook", "workbook", "export", "04_exports",
          inputs=("passages_path", "tags_path", "tags_auto_path", "coverage_path",
                  "responses_path", "decisions_path"),
          outputs=("workbook_path",)),
)


def stage(name: str) -> Stage:
    """The stage called `name`."""
    for s in STAGES:
        if s.name == name:
            return s
    raise KeyError(f"no stage {name!r}; stages: {[s.name for s in STAGES]}")


def stages_of(command: str) -> list[Stage]:
    """The stages a command runs, in pipeline order (`tag` runs tag then review)."""
    return [s for s in STAGES if s.command == command]


def run_command(cfg: Config, command: str) -> Any:
    """Run the stages of `command` in order; returns what the last one returned."""
    result = None
    for s in stages_of(command):
        result = s.run(cfg)
    return result


def notebooks(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The notebooks in run order (each named once, in the order of its first stage)."""
    names = list(dict.fromkeys(s.notebook for s in STAGES))
    return [folder / f"{name}.ipynb" for name in names]
