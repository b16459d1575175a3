"""Saving files people may have opened or edited: atomic writes, archives, a manifest.

One way to save a file that a volunteer may hold open or have edited (the review workbook,
the questionnaire): :func:`save_atomic` writes beside the target and renames it into place;
:func:`archive_if_edited` first moves an edited target to ``archives/`` (it is not what we
last wrote, according to the manifest); :func:`record_written` remembers what we wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from analysis.common.errors import UserError


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_manifest(manifest: Path) -> dict:
    try:
        return json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
    except (json.JSONDecodeError, OSError):
        return {}


def record_written(manifest: Path, target: Path) -> None:
    """Remember the sha256 of a file we just wrote (see archive_if_edited)."""
    entries = read_manifest(manifest)
    entries[target.name] = file_sha256(target)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(entries, indent=2, sort_keys=True), encoding="utf-8")


def archive_if_edited(manifest: Path, target: Path) -> Path | None:
    """Move `target` to archives/ unless it is exactly what we last wrote."""
    if not target.exists():
        return None
    if read_manifest(manifest).get(target.name) == file_sha256(target):
        return None
    folder = target.parent / "archives"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    archived = folder / f"{target.stem}_{stamp}{target.suffix}"
    n = 1
    while archived.exists():
        n += 1
        archived = folder / f"{target.stem}_{stamp}_{n}{target.suffix}"
    try:
        os.replace(target, archived)
    except PermissionError as exc:
        raise UserError(f"{target} est ouvert dans un autre programme : fermez-le puis "
                        f"relancez.") from exc
    return archived


def save_atomic(target: Path, write: Callable[[Path], object], busy: str = "") -> Path:
    """Write through `write(tmp_path)` beside `target`, then rename it into place.

    A reader never sees a half-written file; a target held open by a spreadsheet program is
    a UserError (`busy`, else a generic French message), the old file left untouched.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.tmp{target.suffix}")
    write(tmp)
    try:
        os.replace(tmp, target)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(busy or f"{target} est ouvert dans un autre programme : fermez-le "
                                 f"puis relancez.") from exc
    return target
