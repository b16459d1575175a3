"""Stage `review`: the reviewers' decisions applied to the tagger's output, and the import
of reviewed workbooks.

- `run(cfg)` (part of `python -m analysis tag`, and of every import): tags_auto.parquet +
  passages + decisions.csv -> tags.parquet (this is its only writer) and the agreement
  metrics (reports/metrics/agreement*.json|csv);
- `run_review_import(cfg, files)` (`python -m analysis review-import FICHIER.xlsx`): reads
  reviewed workbooks, appends their new decisions to decisions.csv, lists conflicts and
  orphans (conflits.csv, orphelins.csv), then runs `run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.progress import summary
from analysis.common.safe_text import to_csv_safe
from analysis.common.tables import empty, read_optional, read_table, write_table
from analysis.config import Config
from analysis.contracts import CONFLICTS, DECISIONS, TAGS
from analysis.review.agreement import refresh_agreement
from analysis.review.conflicts import find_conflicts, find_orphans
from analysis.review.progress import progress_lines, review_progress
from analysis.review.rules import apply_decisions, new_decisions
from analysis.review.sheet import decisions_frame, read_reviewed_workbook
from analysis.review.store import append_decisions, load_decisions


def _tag_changes(before: pd.DataFrame | None, after: pd.DataFrame) -> str:
    if before is None:
        return f"{len(after)} étiquettes"
    key = ["passage_id", "theme_id"]
    old = before.set_index(key)[["stance", "origin"]]
    new = after.set_index(key)[["stance", "origin"]]
    removed = len(old.index.difference(new.index))
    added = len(new.index.difference(old.index))
    common = old.index.intersection(new.index)
    changed = int((old.loc[common] != new.loc[common]).any(axis=1).sum()) if len(common) else 0
    if not (removed or added or changed):
        return "aucun changement"
    return f"{removed} étiquette(s) retirée(s), {added} ajoutée(s), {changed} modifiée(s)"


@dataclass
class ImportSummary:
    """What an import did (returned by run_review_import, also printed)."""

    files: list[str] = field(default_factory=list)
    new: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: pd.DataFrame = field(default_factory=lambda: empty(CONFLICTS))
    orphans: pd.DataFrame = field(default_factory=lambda: empty(DECISIONS))
    tags_refreshed: bool = False
    tag_changes: str = ""
    progress: pd.DataFrame | None = None   # share of tags with a decision, per theme


def write_tags(
    cfg: Config, auto: pd.DataFrame, passages: pd.DataFrame, decisions: pd.DataFrame
) -> pd.DataFrame:
    """The one writer of tags.parquet: the tagger's tags with the decisions applied."""
    tags = apply_decisions(auto, passages, decisions)
    write_table(tags, cfg.tags_path)
    return tags


def run(cfg: Config) -> pd.DataFrame:
    """tags_auto.parquet + decisions.csv -> tags.parquet; refresh the agreement metrics."""
    auto = read_table(cfg.tags_auto_path, "tag", TAGS)
    passages = read_table(cfg.passages_path, "ingest", ["passage_id"])
    decisions = load_decisions(cfg)
    tags = write_tags(cfg, auto, passages, decisions)
    refresh_agreement(cfg, decisions=decisions)
    summary("review", f"{len(tags)} étiquettes après relecture ({len(auto)} automatiques, "
                      f"{len(decisions)} décision(s) enregistrée(s)) -> {cfg.tags_path}")
    return tags


def refresh_tags(cfg: Config, decisions: pd.DataFrame) -> str | None:
    """Rewrite tags.parquet after an import; what changed, or None when inputs are missing."""
    auto = read_optional(cfg.tags_auto_path)
    if auto is None or not cfg.passages_path.is_file():
        return None
    before = read_optional(cfg.tags_path)
    tags = write_tags(cfg, auto, pd.read_parquet(cfg.passages_path), decisions)
    return _tag_changes(before, tags)


def run_review_import(cfg: Config, files: list[str]) -> ImportSummary:
    """Store the decisions of reviewed workbooks; report new/known rows, errors, conflicts
    and orphans; refresh tags.parquet and the agreement metrics."""
    if not files:
        raise UserError("Indiquez au moins un classeur relu : "
                        "python -m analysis review-import FICHIER.xlsx")
    codebook = cfg.codebook
    result = ImportSummary()
    readable = 0
    imported_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    for name in files:
        reading = read_reviewed_workbook(name, codebook)
        if reading.fatal:
            result.errors.append(reading.fatal)
            continue
        readable += 1
        result.files.append(reading.path.name)
        result.errors += reading.errors
        result.notes += reading.notes
        fresh, skipped = new_decisions(load_decisions(cfg), decisions_frame(reading, imported_at))
        if len(fresh):
            append_decisions(cfg, fresh)
        result.new += len(fresh)
        result.already += skipped
        print(f"  {reading.path.name} : {len(fresh)} nouvelle(s) décision(s), {skipped} déjà "
              f"importée(s), {len(reading.errors)} ligne(s) refusée(s)")
    if not readable:
        raise UserError("Aucun classeur lisible :\n  " + "\n  ".join(result.errors))

    decisions = load_decisions(cfg)
    result.conflicts = find_conflicts(decisions)
    to_csv_safe(result.conflicts, cfg.conflicts_path)
    if cfg.passages_path.is_file():
        result.orphans = find_orphans(decisions, pd.read_parquet(cfg.passages_path))
        to_csv_safe(result.orphans, cfg.orphans_path)
    else:
        result.notes.append("passages.parquet absent : orphelins non vérifiés "
                            "(lancez `python -m analysis ingest`).")
    changes = refresh_tags(cfg, decisions)
    result.tags_refreshed = changes is not None
    result.tag_changes = changes or ""
    refresh_agreement(cfg, decisions=decisions, conflicts=result.conflicts)
    passages = pd.read_parquet(cfg.passages_path) if cfg.passages_path.is_file() else None
    result.progress = review_progress(read_optional(cfg.tags_auto_path), decisions, passages,
                                      codebook)
    _print_details(cfg, result)
    print("\n".join(progress_lines(result.progress)))
    summary("review-import", _summary_line(result))
    return result


def _print_details(cfg: Config, result: ImportSummary) -> None:
    for title, items in (("Lignes refusées (à corriger dans le classeur puis réimporter)",
                          result.errors), ("Remarques", result.notes)):
        if items:
            print(f"{title} :")
            for item in items:
                print(f"  - {item}")
    if len(result.conflicts):
        print(f"Désaccords entre relecteurs ({len(result.conflicts)}, détail dans "
              f"{cfg.conflicts_path}) ; en attendant, la décision la plus récente s'applique :")
        for row in result.conflicts.head(20).to_dict("records"):
            print(f"  - passage {row['passage_id']} x {row['theme_id']} : {row['positions']}")
    if len(result.orphans):
        print(f"Décisions orphelines ({len(result.orphans)}, passage disparu, gardées dans "
              f"decisions.csv ; détail dans {cfg.orphans_path}) :")
        for row in result.orphans.head(20).to_dict("records"):
            print(f"  - {row['file_name']} ({row['sheet']}, ligne {row['row']}) : passage "
                  f"{row['passage_id']} x {row['theme_id']}")
    if result.tags_refreshed:
        print(f"tags.parquet mis à jour : {result.tag_changes}. "
              f"Relancez `make report` (ou `python -m analysis run --config …`) pour mettre à "
              f"jour graphiques, rapport et classeur.")
    else:
        print("tags.parquet non mis à jour (tags_auto.parquet ou passages.parquet absent) : "
              "lancez `python -m analysis tag`.")


def _summary_line(result: ImportSummary) -> str:
    return (f"{len(result.files)} classeur(s) : {result.new} nouvelle(s) décision(s), "
            f"{result.already} déjà importée(s), {len(result.errors)} erreur(s), "
            f"{len(result.conflicts)} désaccord(s), {len(result.orphans)} orpheline(s)")
