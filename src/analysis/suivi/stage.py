"""Stage `suivi`: the register of the elected list's commitments and the import of filled
registers.

- `run(cfg, list_id=None)` (`python -m analysis suivi [--liste ID]`): passages + tags ->
  data/processed/suivi_registre.parquet (ids kept in data/reviews/suivi_engagements.csv);
  imports the filled registers found in data/raw/suivi/ (same file twice adds nothing);
  writes reports/suivi/engagements_<liste>.csv (latest status and evidence, demo notice),
  data/reviews/suivi_conflits.csv and suivi_orphelins.csv, and the volunteers' workbook
  reports/exports/suivi_mandat_<liste>.xlsx. Without an elected list in the config (and no
  --liste), says so and does nothing.
- `run_suivi_import(cfg, files, list_id=None)` (`python -m analysis suivi-import
  FICHIER.xlsx`): the observations of filled registers appended to
  data/reviews/suivi_historique.csv, what was new, known, refused, in conflict or orphan
  reported, then the same outputs as `run`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.progress import print_sections, summary
from analysis.common.safe_text import to_csv_safe
from analysis.common.tables import empty, read_table, write_table
from analysis.config import Config
from analysis.contracts import PASSAGES, TAGS
from analysis.suivi import history as H
from analysis.suivi.columns import CONFLICTS, HISTORY, ID_INDEX
from analysis.suivi.register import build_register
from analysis.suivi.settings import Mandate, is_configured, load_mandate
from analysis.suivi.sheet import observations_frame, read_register
from analysis.suivi.store import (
    append_rows,
    load_history,
    load_index,
    new_observations,
)
from analysis.suivi.workbook import build_workbook, save_register_workbook, workbook_path

NOTICE_COLUMN = "avertissement"


@dataclass
class SuiviResult:
    """What a run or an import did (also printed)."""

    mandate: Mandate | None = None
    register: pd.DataFrame = field(default_factory=pd.DataFrame)
    latest: pd.DataFrame = field(default_factory=pd.DataFrame)
    files: list[str] = field(default_factory=list)
    new: int = 0
    already: int = 0
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: pd.DataFrame = field(default_factory=lambda: empty(CONFLICTS))
    orphans: pd.DataFrame = field(default_factory=lambda: empty(HISTORY))
    new_ids: int = 0
    paths: dict[str, Path] = field(default_factory=dict)


def latest_csv_path(cfg: Config, mandate: Mandate) -> Path:
    name = f"engagements_{mandate.list.id}" + ("_DEMO" if cfg.demo else "")
    return cfg.suivi_dir / f"{name}.csv"


def refresh_register(cfg: Config, mandate: Mandate, result: SuiviResult) -> pd.DataFrame:
    """Build the register (ids from the index, new ids appended to it) and write it."""
    passages = read_table(cfg.passages_path, "ingest", PASSAGES)
    tags = read_table(cfg.tags_path, "tag", TAGS)
    index = load_index(cfg.suivi_index_path)
    today = dt.date.today().isoformat()
    register, added = build_register(passages, tags, cfg.codebook, mandate.list.id, index,
                                     today)
    append_rows(cfg.suivi_index_path, added, ID_INDEX)
    result.new_ids = int(added["commitment_id"].nunique()) if len(added) else 0
    if result.new_ids:
        known = set(index["commitment_id"])
        result.new_ids = len(set(added["commitment_id"]) - known)
    write_table(register, cfg.suivi_register_path)
    result.register = register
    return register


def import_files(cfg: Config, mandate: Mandate, files: list[Path | str],
                 result: SuiviResult) -> int:
    """Append the new observations of `files`; returns how many files could be read."""
    known_ids = set(load_index(cfg.suivi_index_path)["commitment_id"])
    earliest = cfg.election.get("round1") or mandate.start
    imported_at = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    readable = 0
    for name in files:
        # the demo's fictional observations run past today's date (2026-2028)
        reading = read_register(name, known_ids, earliest, dt.date.max if cfg.demo else None)
        if reading.fatal:
            result.errors.append(reading.fatal)
            continue
        readable += 1
        result.files.append(reading.path.name)
        result.errors += reading.errors
        result.notes += reading.notes
        fresh, skipped = new_observations(load_history(cfg.suivi_history_path),
                                          observations_frame(reading, imported_at))
        append_rows(cfg.suivi_history_path, fresh, HISTORY)
        result.new += len(fresh)
        result.already += skipped
        print(f"  {reading.path.name} : {len(fresh)} nouvelle(s) observation(s), {skipped} "
              f"déjà connue(s), {len(reading.errors)} ligne(s) refusée(s)", flush=True)
    return readable


def write_outputs(cfg: Config, mandate: Mandate, register: pd.DataFrame,
                  result: SuiviResult) -> None:
    """Latest-status CSV, conflicts, orphans and the workbook, from the stored history."""
    hist = load_history(cfg.suivi_history_path)
    result.conflicts = H.conflicts(H.known(hist, register))
    result.orphans = H.orphans(hist, register)
    for table, path in ((result.conflicts, cfg.suivi_conflicts_path),
                        (result.orphans, cfg.suivi_orphans_path)):
        if len(table):                 # derived lists: present only when there is something
            to_csv_safe(table, path)
        else:
            path.unlink(missing_ok=True)
    latest = H.latest_table(register, hist)
    result.latest = latest
    table = latest.copy()
    if cfg.demo:
        table.insert(0, NOTICE_COLUMN, cfg.demo_notice)
    csv_path = latest_csv_path(cfg, mandate)
    to_csv_safe(table, csv_path, encoding="utf-8-sig")
    themes = dict(zip(register["commitment_id"], register["theme"], strict=True))
    wb = build_workbook(cfg, mandate, latest, hist, themes)
    target = workbook_path(cfg, mandate)
    archived = save_register_workbook(wb, cfg, target)
    if archived:
        print(f"Le registre {target.name} avait été modifié depuis sa production : il est "
              f"conservé dans {archived} (importez-le : python -m analysis suivi-import "
              f"\"{archived}\").", flush=True)
    result.paths = {"register": cfg.suivi_register_path, "csv": csv_path, "workbook": target,
                    "history": cfg.suivi_history_path}


def _print_details(cfg: Config, result: SuiviResult) -> None:
    print_sections([("Lignes refusées (à corriger dans le registre puis réimporter)",
                      result.errors), ("Remarques", result.notes)])
    if len(result.conflicts):
        print(f"Désaccords ({len(result.conflicts)} : même engagement, même date, statuts "
              f"différents ; détail dans {cfg.suivi_conflicts_path}) ; en attendant, "
              f"l'observation importée en dernier s'applique :")
        for row in result.conflicts.head(20).to_dict("records"):
            print(f"  - {row['commitment_id']} au {row['observed_on']} : {row['positions']}")
    if len(result.orphans):
        print(f"Observations orphelines ({len(result.orphans)} : engagement absent du "
              f"registre actuel, gardées dans l'historique ; détail dans "
              f"{cfg.suivi_orphans_path}) :")
        for row in result.orphans.head(20).to_dict("records"):
            print(f"  - {row['file_name']} (ligne {row['row']}) : {row['commitment_id']}")


def _counts(latest: pd.DataFrame) -> str:
    counts = latest["status_label"].value_counts()
    return ", ".join(f"{n} {lab.lower()}" for lab, n in counts.items()) or "aucun"


def run(cfg: Config, list_id: str | None = None) -> SuiviResult | None:
    """Register, import of data/raw/suivi/, outputs (see the module docstring)."""
    if list_id is None and not is_configured(cfg):
        summary("suivi", "aucune liste élue dans la configuration (section « mandate ») : "
                         "suivi du mandat non produit")
        return None
    mandate = load_mandate(cfg, list_id)
    result = SuiviResult(mandate=mandate)
    register = refresh_register(cfg, mandate, result)
    inbox = sorted(p for p in cfg.suivi_inbox.glob("*.xlsx") if not p.name.startswith(
        ("~$", ".~lock"))) if cfg.suivi_inbox.is_dir() else []
    if inbox:
        print(f"Registres remplis trouvés dans {cfg.suivi_inbox} : {len(inbox)}", flush=True)
        import_files(cfg, mandate, inbox, result)
    write_outputs(cfg, mandate, register, result)
    _print_details(cfg, result)
    n_src = (register["sources"] == "programme + questionnaire").sum() if len(register) else 0
    text = (f"{mandate.list.name} : {len(register)} engagements ({n_src} dans le programme et "
            f"le questionnaire, {result.new_ids} nouveaux) ; statuts : {_counts(result.latest)}"
            f" ; {result.new} observation(s) importée(s), {len(result.conflicts)} désaccord(s),"
            f" {len(result.orphans)} orpheline(s) -> {result.paths['workbook']}")
    if cfg.demo:
        text += " ; données fictives de démonstration"
    summary("suivi", text)
    return result


def run_suivi_import(cfg: Config, files: list[str], list_id: str | None = None) -> SuiviResult:
    """Store the observations of filled registers, report, refresh the outputs."""
    if not files:
        raise UserError("Indiquez au moins un registre rempli : "
                        "python -m analysis suivi-import FICHIER.xlsx")
    mandate = load_mandate(cfg, list_id)
    result = SuiviResult(mandate=mandate)
    register = refresh_register(cfg, mandate, result)
    if not import_files(cfg, mandate, files, result):
        raise UserError("Aucun registre lisible :\n  " + "\n  ".join(result.errors))
    write_outputs(cfg, mandate, register, result)
    _print_details(cfg, result)
    summary("suivi-import", f"{len(result.files)} registre(s) : {result.new} nouvelle(s) "
                            f"observation(s), {result.already} déjà connue(s), "
                            f"{len(result.errors)} erreur(s), {len(result.conflicts)} "
                            f"désaccord(s), {len(result.orphans)} orpheline(s) ; statuts : "
                            f"{_counts(result.latest)}")
    return result
