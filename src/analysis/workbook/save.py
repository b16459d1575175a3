"""Saving the workbook without losing a volunteer's edits: an edited copy is archived
(reports/exports/archives/) with the count of its decisions not imported yet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from analysis.codebook import Codebook
from analysis.common.files import archive_if_edited, record_written, save_atomic
from analysis.config import Config
from analysis.review.rules import new_decisions
from analysis.review.sheet import decisions_frame, read_reviewed_workbook
from analysis.review.store import load_decisions


def pending_decisions(cfg: Config, path: Path, codebook: Codebook) -> int:
    """Filled review rows of a workbook that are not yet in decisions.csv."""
    reading = read_reviewed_workbook(path, codebook)
    if reading.fatal or not reading.rows:
        return 0
    fresh, _ = new_decisions(load_decisions(cfg),
                                decisions_frame(reading, imported_at=""))
    return len(fresh)


def save_workbook(wb: Workbook, cfg: Config, codebook: Codebook,
                  target: Path | None = None) -> tuple[Path, Path | None]:
    """Write the workbook (archiving an edited one first) and record its sha256."""
    target = target or cfg.workbook_path
    target.parent.mkdir(parents=True, exist_ok=True)
    archived = archive_if_edited(cfg.manifest_path, target)
    if archived:
        pending = pending_decisions(cfg, archived, codebook)
        hint = (f" Il contient {pending} décision(s) pas encore importée(s) : "
                f"python -m analysis review-import \"{archived}\"" if pending else "")
        print(f"Le classeur {target.name} avait été modifié depuis le dernier export : il est "
              f"conservé dans {archived}.{hint}")
    save_atomic(target, wb.save, busy=f"{target} est ouvert dans un tableur : fermez-le puis "
                                      f"relancez l'export.")
    record_written(cfg.manifest_path, target)
    return target, archived
