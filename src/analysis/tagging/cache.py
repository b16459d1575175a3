"""A small SQLite cache of tagging results, keyed by passage text and tagger fingerprint.

The fingerprint covers the codebook file, the tagging code and the model version, so a
change in any of them invalidates old entries (they are pruned when the new ones are
written). An unchanged rerun finds every passage here and never loads spaCy.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

CHUNK = 500


def text_key(fingerprint: str, text: str) -> str:
    return hashlib.sha256(f"{fingerprint}\x00{text}".encode()).hexdigest()


class TagCache:
    """Results (list of theme dicts) per text, for one tagger fingerprint."""

    def __init__(self, path: str | Path, fingerprint: str):
        self.path = Path(path)
        self.fingerprint = fingerprint
        self._pruned = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # used from the thread that feeds the workers too (the Tagger holds a lock around it)
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS tags (key TEXT PRIMARY KEY, fingerprint TEXT, result TEXT)"
        )

    def get_many(self, texts: Iterable[str]) -> dict[str, list[dict]]:
        """Cached results for the texts that have one."""
        by_key = {text_key(self.fingerprint, t): t for t in texts}
        keys = list(by_key)
        out: dict[str, list[dict]] = {}
        for i in range(0, len(keys), CHUNK):
            chunk = keys[i:i + CHUNK]
            rows = self._db.execute(
                f"SELECT key, result FROM tags WHERE key IN ({','.join('?' * len(chunk))})", chunk
            )
            for key, result in rows:
                out[by_key[key]] = json.loads(result)
        return out

    def put_many(self, results: dict[str, list[dict]]) -> None:
        if not results:
            return
        with self._db:
            if not self._pruned:
                self._db.execute("DELETE FROM tags WHERE fingerprint != ?", (self.fingerprint,))
                self._pruned = True
            self._db.executemany(
                "INSERT OR REPLACE INTO tags (key, fingerprint, result) VALUES (?, ?, ?)",
                [
                    (text_key(self.fingerprint, t), self.fingerprint,
                     json.dumps(r, ensure_ascii=False))
                    for t, r in results.items()
                ],
            )

    def close(self) -> None:
        self._db.close()
