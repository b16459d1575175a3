"""A small SQLite cache of tagging results, keyed by passage text and tagger fingerprint,
and the words the tokenizer keeps between jobs (`KeptWords`).

The fingerprint covers the codebook file, the tagging code and the model version, so a
change in any of them invalidates old entries (they are pruned when the new ones are
written). An unchanged rerun finds every passage here and never loads spaCy.

The results stay per processed folder; what compiling the codebook and loading spaCy produce
(content-addressed: the file names carry their fingerprint or versions) goes to one shared
folder, `compiled_cache_dir()`: a new processed folder, or the first run after `make setup`
(`python -m analysis tag --prepare`), starts warm.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

# the shared folder is named in `analysis.common` (the codebook keeps its parsed copy there)
from analysis.common.cache_dir import CACHE_ENV, shared_cache_dir

CHUNK = 500
# new strings (words and their attributes) the tokenizer may keep for good: about 40 MB
KEPT_STRINGS = 100_000


def compiled_cache_dir(fallback: str | Path | None = None) -> Path | None:
    """Where the compiled codebook patterns and spaCy's regular expressions are kept: the
    shared folder if it can be written to, else `fallback` (the processed folder's cache;
    None: nothing kept), said once in French on stderr."""
    return _resolve(str(shared_cache_dir()), None if fallback is None else str(fallback))


@functools.cache
def _resolve(shared: str, fallback: str | None) -> Path | None:
    path = Path(shared)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):   # writable, not only present
            pass
        return path
    except OSError as exc:
        where = (f"ils seront gardés dans {fallback} (démarrage à froid pour chaque nouveau "
                 "dossier)" if fallback else "ils ne seront pas gardés")
        print(f"Dossier de cache partagé {path} inutilisable ({exc.strerror or exc}) : "
              f"{where}. Pour un démarrage rapide, indiquez un dossier où écrire dans la "
              f"variable {CACHE_ENV} (ex. export {CACHE_ENV}=/tmp/barometre-cache).",
              file=sys.stderr)
        return None if fallback is None else Path(fallback)


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


class KeptWords:
    """The words of the first texts, tokenised once outside spaCy's memory zones.

    The tagger reads its texts inside a memory zone (what they create is freed after each
    job: memory stays flat), but inside a zone spaCy's tokenizer caches nothing: every
    word is split again at each occurrence, about four times slower than a cached word.
    Texts tokenised here, before the zone, leave their words cached for good (the same
    tokens: the cache is spaCy's own), until `KEPT_STRINGS` new strings are kept; the
    frequent words come early, so the later texts find most of theirs."""

    def __init__(self, nlp, limit: int = KEPT_STRINGS):
        self.limit = len(nlp.vocab.strings) + limit
        self.full = False

    def keep(self, nlp, texts: Iterable[str]) -> list:
        """Tokenise `texts` (outside a memory zone) until the limit is reached; the docs
        made, by position (None where a text was not tokenised here), for the tagger to
        reuse instead of tokenising the same texts again inside the zone."""
        texts = list(texts)
        docs: list = [None] * len(texts)
        if self.full or nlp.vocab.in_memory_zone:
            return docs
        strings = nlp.vocab.strings
        for i, text in enumerate(texts):
            if len(strings) >= self.limit:
                self.full = True
                return docs
            if text:
                docs[i] = nlp.make_doc(text)
        return docs
