"""Stage `review`: the reviewers' decisions applied to the tagger's output, and the import
of reviewed workbooks.

- `run(cfg)` (part of `python -m analysis tag`, and of every import): tags_auto.parquet +
  passages + decisions.csv -> tags.parquet (this is its only writer) and the agreement
  metrics (reports/metrics/agreement*.json|csv);
- `run_review_import(cfg, files)` (`python -m analysis review-import FICHIER.xlsx`): reads
  reviewed workbooks (.xlsx, .ods), appends their new decisions to decisions.csv (atomic),
  lists conflicts, orphans and re-attached decisions, then refreshes tags.parquet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.progress import print_sections, summary
from analysis.common.tables import empty, read_optional, read_table, write_table
from analysis.common.text import plural
from analysis.config import Config
from analysis.contracts import CONFLICTS, DECISIONS, TAGS
from analysis.review.agreement import refresh_agreement
from analysis.review.anchors import RAPPROCHEE, RATTACHEE, Resolver, fill_anchors, resolve
from analysis.review.progress import progress_lines, review_progress
from analysis.review.report import write_review_files
from analysis.review.rules import apply_decisions, triage
from analysis.review.sheet import decisions_frame, read_reviewed_workbook
from analysis.review.store import append_decisions, read_store, reviewer_key


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
    return (f"{plural(removed, 'étiquette retirée', 'étiquettes retirées')}, "
            f"{plural(added, 'ajoutée')}, {plural(changed, 'modifiée')}")


@dataclass
class ImportSummary:
    """What an import did (returned by run_review_import, also printed)."""

    files: list[str] = field(default_factory=list)
    new: int = 0
    already: int = 0
    older: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    store_problems: list[str] = field(default_factory=list)
    conflicts: pd.DataFrame = field(default_factory=lambda: empty(CONFLICTS))
    orphans: pd.DataFrame = field(default_factory=lambda: empty(DECISIONS))
    anchoring: dict = field(default_factory=dict)
    tags_refreshed: bool = False
    tag_changes: str = ""
    write_error: str = ""
    progress: pd.DataFrame | None = None   # share of tags with a decision, per theme


def write_tags(
    cfg: Config, auto: pd.DataFrame, passages: pd.DataFrame, decisions: pd.DataFrame
) -> pd.DataFrame:
    """The one writer of tags.parquet: the tagger's tags with the decisions applied."""
    tags = apply_decisions(auto, passages, decisions)
    write_table(tags, cfg.tags_path)
    return tags


def _store(cfg: Config) -> tuple[pd.DataFrame, list[str]]:
    """Valid stored decisions and the messages on the rows that were not loaded."""
    reading = read_store(cfg.decisions_path)
    return reading.decisions, reading.messages()


def _print_store_problems(messages: list[str]) -> None:
    if messages:
        print(f"ATTENTION : {len(messages)} ligne(s) de decisions.csv à réparer (les autres "
              f"décisions s'appliquent) :")
        for message in messages:
            print(f"  - {message}")


def run(cfg: Config) -> pd.DataFrame:
    """tags_auto.parquet + decisions.csv -> tags.parquet (decisions re-attached to the
    passages that now hold their text); refresh the agreement metrics and the lists of
    conflicts, orphans and re-attached decisions."""
    auto = read_table(cfg.tags_auto_path, "tag", TAGS)
    passages = read_table(cfg.passages_path, "ingest", ["passage_id"])
    decisions, problems = _store(cfg)
    _print_store_problems(problems)
    resolved = resolve(decisions, passages)
    tags = write_tags(cfg, auto, passages, resolved)
    state = write_review_files(cfg, resolved, passages, problems)
    refresh_agreement(cfg, decisions=resolved, conflicts=state.conflicts)
    summary("review", f"{len(tags)} étiquettes après relecture ({len(auto)} automatiques, "
                      f"{len(decisions)} décision(s) enregistrée(s)) -> {cfg.tags_path}")
    for line in state.lines:
        print(line)
    return tags


def refresh_tags(cfg: Config, decisions: pd.DataFrame,
                 passages: pd.DataFrame | None) -> str | None:
    """Rewrite tags.parquet after an import; what changed, or None when inputs are missing."""
    auto = read_optional(cfg.tags_auto_path)
    if auto is None or passages is None:
        return None
    before = read_optional(cfg.tags_path)
    tags = write_tags(cfg, auto, passages, decisions)
    return _tag_changes(before, tags)


def _shown_anchors(cfg: Config, shown: dict[str, dict]) -> dict[str, dict]:
    out = {}
    for pid, anchor in shown.items():
        anchor = dict(anchor)
        if "list_name" in anchor:
            anchor["list_id"] = cfg.match_list(anchor.pop("list_name") or "") or ""
        out[pid] = anchor
    return out


def _older_message(name: str, older: list[dict]) -> str:
    who = sorted({reviewer_key(r["reviewer"], r["file_name"]) for r in older})
    made = max(str(r["edited_at"])[:16].replace("T", " ") for r in older)
    newer = max(str(r["newer_at"])[:16].replace("T", " ") for r in older)
    return (f"{name} : {len(older)} décision(s) plus ancienne(s) que celles déjà importées "
            f"de {', '.join(who)} sur les mêmes passages (ce fichier : enregistré le {made} ; "
            f"décisions déjà importées : jusqu'au {newer}) : non appliquées, les plus "
            f"récentes restent. Si ce fichier est bien le plus récent, faites-y une "
            f"modification, enregistrez-le et réimportez-le.")


def run_review_import(cfg: Config, files: list[str]) -> ImportSummary:
    """Store the decisions of reviewed workbooks; report new/known/older rows, errors,
    conflicts, orphans and re-attached decisions; refresh tags.parquet and the agreement
    metrics. One unreadable file never stops the others nor the refresh."""
    if not files:
        raise UserError("Indiquez au moins un classeur relu : "
                        "python -m analysis review-import FICHIER.xlsx")
    codebook = cfg.codebook
    result = ImportSummary()
    readable = 0
    imported_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    passages = pd.read_parquet(cfg.passages_path) if cfg.passages_path.is_file() else None
    resolver = Resolver(passages) if passages is not None else None
    stored, result.store_problems = _store(cfg)
    _print_store_problems(result.store_problems)
    for name in files:
        reading = read_reviewed_workbook(name, codebook)
        if reading.fatal:
            result.errors.append(reading.fatal)
            print(f"  {Path(name).name} : non lu — {reading.fatal}")
            continue
        readable += 1
        result.files.append(reading.path.name)
        result.errors += reading.errors
        result.notes += reading.notes
        candidates = fill_anchors(decisions_frame(reading, imported_at), passages,
                                  _shown_anchors(cfg, reading.shown))
        t = triage(stored, candidates, resolve(stored, passages, resolver),
                   resolve(candidates, passages, resolver))
        if len(t.new) and not result.write_error:
            try:
                append_decisions(cfg, t.new)
            except UserError as exc:
                result.write_error = str(exc)
        if result.write_error:
            print(f"  {reading.path.name} : {len(t.new)} décision(s) lue(s), NON "
                  f"enregistrée(s) (voir ci-dessous)")
            continue
        stored = read_store(cfg.decisions_path).decisions
        result.new += len(t.new)
        result.already += t.known
        result.older += t.older
        if t.older:
            result.notes.append(_older_message(reading.path.name, t.older))
        print(f"  {reading.path.name} : {len(t.new)} nouvelle(s) décision(s), {t.known} déjà "
              f"importée(s), {len(t.older)} plus ancienne(s) qu'une décision déjà importée, "
              f"{len(reading.errors)} ligne(s) refusée(s)")
    if not readable:
        raise UserError("Aucun classeur lisible :\n  " + "\n  ".join(result.errors))

    resolved = resolve(stored, passages, resolver)
    state = write_review_files(cfg, resolved, passages, result.store_problems)
    result.conflicts, result.orphans = state.conflicts, state.orphans
    result.anchoring = state.counts
    result.notes += state.warnings
    if passages is None:
        result.notes.append("passages.parquet absent : orphelins non vérifiés "
                            "(lancez `python -m analysis ingest`).")
    changes = refresh_tags(cfg, resolved, passages)
    result.tags_refreshed = changes is not None
    result.tag_changes = changes or ""
    refresh_agreement(cfg, decisions=resolved, conflicts=result.conflicts)
    result.progress = review_progress(read_optional(cfg.tags_auto_path), resolved, passages,
                                      codebook)
    _print_details(cfg, result, state.lines)
    print("\n".join(progress_lines(result.progress)))
    summary("review-import", _summary_line(result))
    if result.write_error:
        raise UserError(result.write_error)
    return result


def _print_details(cfg: Config, result: ImportSummary, anchoring: list[str]) -> None:
    print_sections([("Lignes refusées (à corriger dans le classeur puis réimporter)",
                      result.errors), ("Remarques", result.notes)])
    if len(result.conflicts):
        print(f"Désaccords entre relecteurs ({len(result.conflicts)}, détail dans "
              f"{cfg.conflicts_path}) ; en attendant, la décision la plus récente s'applique :")
        for row in result.conflicts.head(20).to_dict("records"):
            print(f"  - passage {row['passage_id']} x {row['theme_id']} : {row['positions']}")
    for line in anchoring:
        print(line)
    if len(result.orphans):
        for row in result.orphans.head(20).to_dict("records"):
            print(f"  - {row['file_name']} ({row['sheet']}, ligne {row['row']}) : passage "
                  f"{row['passage_id']} x {row['theme_id']}")
    if result.tags_refreshed:
        print(f"tags.parquet mis à jour : {result.tag_changes}. "
              f"Relancez `{cfg.make_report}` (ou `{cfg.command('run')}`) pour mettre à "
              f"jour graphiques, rapport et classeur.")
    else:
        print("tags.parquet non mis à jour (tags_auto.parquet ou passages.parquet absent) : "
              f"lancez `{cfg.command('tag')}`.")


def _summary_line(result: ImportSummary) -> str:
    c = result.anchoring
    moved = c.get(RATTACHEE, 0) + c.get(RAPPROCHEE, 0)
    return (f"{len(result.files)} classeur(s) : {result.new} nouvelle(s) décision(s), "
            f"{result.already} déjà importée(s), {len(result.older)} plus ancienne(s), "
            f"{len(result.errors)} erreur(s), {len(result.conflicts)} désaccord(s), "
            f"{moved} rattachée(s) à un passage déplacé, {len(result.orphans)} orpheline(s)")
