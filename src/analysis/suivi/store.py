"""The stage's files in data/reviews/ (kept in git: volunteers' work is never lost).

- `suivi_engagements.csv`: commitment id -> every text seen for it (append-only index);
- `suivi_historique.csv`: every observation imported, in import order (append-only).

Both are only ever extended: the new file is written beside the old one with the old bytes
unchanged followed by the new rows, then renamed into place (a reader never sees half a
file; a crash leaves the previous file intact). An observation's id is a hash of (file
sha256, sheet, row): importing the same file twice adds nothing.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.files import save_atomic
from analysis.common.safe_text import neutralise_frame, read_csv_safe
from analysis.common.tables import empty
from analysis.suivi.columns import HISTORY, ID_INDEX


def _load(path: Path, columns: list[str], what: str) -> pd.DataFrame:
    if not path.is_file() or path.stat().st_size == 0:
        return empty(columns)
    try:
        df = read_csv_safe(path)
    except pd.errors.EmptyDataError:
        return empty(columns)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} illisible ({exc}). Ce fichier contient {what} : ne le "
                        f"supprimez pas, restaurez-le depuis git (git checkout -- "
                        f"{path.name}).") from exc
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise UserError(f"{path} : colonne(s) manquante(s) {missing} ; colonnes attendues : "
                        f"{columns}. Restaurez le fichier depuis git plutôt que de le "
                        f"modifier à la main.")
    return df[columns].reset_index(drop=True)


def append_rows(path: Path, new: pd.DataFrame, columns: list[str]) -> Path:
    """Append `new` to a CSV (created with its header), atomically, old bytes unchanged."""
    if new.empty:
        return path
    old = path.read_bytes() if path.is_file() else b""
    buf = io.StringIO()
    neutralise_frame(new[columns]).to_csv(buf, header=not old, index=False,
                                          lineterminator="\n")
    if old and not old.endswith(b"\n"):
        old += b"\n"
    data = old + buf.getvalue().encode("utf-8")
    return save_atomic(path, lambda tmp: Path(tmp).write_bytes(data),
                       busy=f"{path} est ouvert dans un autre programme : fermez-le puis "
                            f"relancez.")


def load_index(path: Path) -> pd.DataFrame:
    return _load(path, ID_INDEX, "les identifiants des engagements suivis")


def load_history(path: Path) -> pd.DataFrame:
    return _load(path, HISTORY, "l'historique des observations des bénévoles")


def observation_id(file_sha256: str, sheet: str, row: int) -> str:
    return hashlib.sha256(f"suivi|{file_sha256}|{sheet}|{row}".encode()).hexdigest()[:16]


def content_key(row: dict) -> tuple[str, str, str, str]:
    """What an observation says: two with the same content are one (a forwarded copy)."""
    return (str(row["commitment_id"]), str(row["status"]), str(row["observed_on"]),
            str(row["evidence"]).strip())


def new_observations(stored: pd.DataFrame, candidates: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Candidates not yet stored (same id, or same commitment, status, date and evidence)."""
    ids = set(stored["observation_id"])
    contents = {content_key(r) for r in stored.to_dict("records")}
    keep, skipped = [], 0
    for row in candidates.to_dict("records"):
        key = content_key(row)
        if row["observation_id"] in ids or key in contents:
            skipped += 1
            continue
        ids.add(row["observation_id"])
        contents.add(key)
        keep.append(row)
    return pd.DataFrame(keep, columns=HISTORY).astype(object), skipped
