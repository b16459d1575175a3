"""The lemmatiser's tables kept packed in the shared cache: read in milliseconds, not decoded.

The French model stores its lemmatiser tables in one msgpack file (`lookups.bin`, 9.6 MB):
216,849 lookup entries, 9 exception tables (one per part of speech), the noun / verb /
adjective / adverb indexes and the suffix rules. Decoding it makes about 400,000 Python
objects and cost each start 0.15 s of the model's 0.4 s, before any worker could begin. The
two big tables (lookup and exceptions) are packed here instead: their keys as one sorted
array of 64-bit hashes (spaCy's string hashes), their values as one string, and an entry is
unpacked only when asked for (a binary search, about a microsecond; each word is asked once
or twice per process, the lemmatiser keeps its answers). The small tables (rules, indexes)
are kept as they are (msgpack) and read normally.

The packed file lives in the compiled cache's folder (`analysis.tagging.cache`), named by
the model's version, the source file (path, size, modification time) and this module's code;
it is written at once (temporary file renamed), and a file that does not match its name or
cannot be read is built again from `lookups.bin`. Answers are those of the decoded tables
(`PackedTable.get` as `HashedTable.get`, `PackedExceptions` as the exceptions table: a
table per part of speech, plus one for every part of speech at once, see
`KeyCandidates`); a table of an unexpected shape is not packed (decoded as before).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import pickle
from array import array
from bisect import bisect_left
from itertools import accumulate
from pathlib import Path

PACKED_FILE = "lemma-tables-{}.pickle"   # in the compiled cache's folder
FORMAT = 1
KEY_SEP, VALUE_SEP = "\x1f", "\x1e"     # between an entry's key and values, between values
PACKED = ("lemma_lookup", "lemma_exc")   # the big tables; the others stay msgpack
KEEP = 4   # packed files of older models / code kept in the folder


def string_id(key) -> int:
    return _hasher()(key)


def _hasher():
    """spaCy's string hash (`get_string_id`: a string's hash, or the hash itself)."""
    global _HASH
    if _HASH is None:
        from spacy.strings import get_string_id

        _HASH = get_string_id
    return _HASH


_HASH = None


class PackedTable:
    """A table from words to lists of strings, keys hashed as spaCy hashes them: `get`,
    `[]` and `in` take a string or its hash, as `HashedTable` (a spaCy `Table`) does. With
    `keyed`, each entry also stores its word, checked on reading (a string-keyed table:
    the answer of a plain dictionary)."""

    __slots__ = ("_hashes", "_ends", "_text", "_keyed")

    def __init__(self, hashes: array, ends: array, text: str, keyed: bool):
        self._hashes, self._ends, self._text, self._keyed = hashes, ends, text, keyed

    @classmethod
    def pack(cls, table: dict, keyed: bool) -> PackedTable:
        """`table`: {hash: [str, ...]} (keyed=False) or {str: [str, ...]} (keyed=True);
        ValueError for anything else (the table is then decoded as before)."""
        hash_of = _hasher()
        rows = []
        for key, values in table.items():
            if type(values) is not list or not values:
                raise ValueError(f"value of {key!r}: {values!r}")
            for v in values:
                if type(v) is not str or not v:
                    raise ValueError(f"value of {key!r}: {values!r}")
            text = VALUE_SEP.join(values)
            if keyed:
                if type(key) is not str:
                    raise ValueError(f"key {key!r}")
                rows.append((hash_of(key), f"{key}{KEY_SEP}{text}"))
            else:
                if type(key) is not int or not 0 <= key < 2 ** 64:
                    raise ValueError(f"key {key!r}")
                rows.append((key, text))
        rows.sort()
        texts = [text for _, text in rows]
        joined = "".join(texts)
        # a separator inside a word or a lemma would make two entries of one
        separators = joined.count(KEY_SEP), joined.count(VALUE_SEP)
        if separators != ((len(rows) if keyed else 0),
                          sum(len(v) - 1 for v in table.values()) if rows else 0):
            raise ValueError("a separator inside a word")
        hashes = array("Q", [h for h, _ in rows])
        if len(set(hashes)) != len(hashes):
            raise ValueError("two keys with one hash")
        ends = array("Q", accumulate(map(len, texts)))
        return cls(hashes, ends, joined, keyed)

    def _find(self, key) -> int:
        if isinstance(key, str):
            word, ident = key, string_id(key)
        elif self._keyed:
            return -1        # a string-keyed table knows no hashes (a dictionary's answer)
        else:
            word, ident = None, key
        hashes = self._hashes
        i = bisect_left(hashes, ident)
        if i == len(hashes) or hashes[i] != ident:
            return -1
        if self._keyed:
            start = self._ends[i - 1] if i else 0
            if not self._text.startswith(f"{word}{KEY_SEP}", start, self._ends[i]):
                return -1
        return i

    def _values(self, i: int) -> list[str]:
        start, end = (self._ends[i - 1] if i else 0), self._ends[i]
        text = self._text[start:end]
        if self._keyed:
            text = text.split(KEY_SEP, 1)[1]
        return text.split(VALUE_SEP)

    def get(self, key, default=None):
        i = self._find(key)
        return default if i < 0 else self._values(i)

    def __getitem__(self, key):
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return self._values(i)

    def __contains__(self, key) -> bool:
        return self._find(key) >= 0

    def __len__(self) -> int:
        return len(self._hashes)

    def items(self):
        """Every (key, values): hashes for a hash-keyed table, words otherwise (slow: for
        checks, never on the tagging path)."""
        for i in range(len(self._hashes)):
            values = self._values(i)
            if self._keyed:
                start = self._ends[i - 1] if i else 0
                yield self._text[start:self._ends[i]].split(KEY_SEP, 1)[0], values
            else:
                yield self._hashes[i], values

    def __reduce__(self):
        return (_unpack_table, (self._hashes.tobytes(), self._ends.tobytes(), self._text,
                                self._keyed))


def _unpack_table(hashes: bytes, ends: bytes, text: str, keyed: bool) -> PackedTable:
    a, b = array("Q"), array("Q")
    a.frombytes(hashes)
    b.frombytes(ends)
    return PackedTable(a, b, text, keyed)


class HashedTable(dict):
    """A lemmatiser table as spaCy's `lookups.Table` answers it (keys are string hashes;
    `get`, `in` and `[]` take a string or its hash), built in one step from the stored
    dictionary: spaCy's Table inserts its 217,000 entries one Python call at a time, which
    costs more than loading the rest of the model."""

    __slots__ = ()

    def get(self, key, default=None):
        return dict.get(self, string_id(key), default)

    def __getitem__(self, key):
        return dict.__getitem__(self, string_id(key))

    def __contains__(self, key):
        return dict.__contains__(self, string_id(key))


class PackedExceptions(HashedTable):
    """The exceptions table (part of speech -> its exceptions, the part of speech given as
    a string or its hash, as `HashedTable`), each part of speech a keyed `PackedTable`;
    `merged`: every part of speech's exceptions of a word at once (their values one after
    the other, in the table's order)."""

    __slots__ = ("merged",)

    def __reduce__(self):
        return (_unpack_exceptions, (dict(self), self.merged))


def _unpack_exceptions(tables: dict, merged: PackedTable) -> PackedExceptions:
    out = PackedExceptions(tables)
    out.merged = merged
    return out


def pack_exceptions(raw: dict) -> PackedExceptions:
    """{pos hash: {word: [lemma, ...]}} packed (ValueError for another shape)."""
    if not all(isinstance(k, int) and isinstance(v, dict) for k, v in raw.items()):
        raise ValueError("exceptions of an unexpected shape")
    out = PackedExceptions({pos: PackedTable.pack(table, keyed=True)
                            for pos, table in raw.items()})
    merged: dict[str, list[str]] = {}
    for table in raw.values():
        for word, values in table.items():
            merged.setdefault(word, []).extend(values)
    out.merged = PackedTable.pack(merged, keyed=True)
    return out


def file_name(source: Path, model_version: str) -> str:
    """The packed file of `source` (lookups.bin): named by the model's version, the
    source's path, size and modification time, and this module's code."""
    stat = source.stat()
    code = Path(__file__).read_bytes()
    key = hashlib.sha256(
        f"{FORMAT}|{model_version}|{source.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|".encode()
        + code).hexdigest()[:16]
    return PACKED_FILE.format(key)


def read_packed(source: Path, model_version: str, cache_dir: Path | None) -> dict | None:
    """The lemmatiser's tables of `source` by name, the big ones packed, from the cache's
    file; None if there is none, or it cannot be read, or it is not this source's."""
    if cache_dir is None:
        return None
    import srsly

    name = file_name(source, model_version)
    try:
        stored = pickle.loads((Path(cache_dir) / name).read_bytes())
        if stored.get("format") != FORMAT or stored.get("name") != name:
            return None
        tables = srsly.msgpack_loads(stored["small"])
        packed = stored["packed"]
        if set(packed) != set(PACKED) or not all(
                isinstance(packed[k], kind) for k, kind in (("lemma_lookup", PackedTable),
                                                            ("lemma_exc", PackedExceptions))):
            return None
        tables.update(packed)
        return tables
    except Exception:  # noqa: BLE001 - missing, damaged or foreign: decoded as before
        return None


def write_packed(source: Path, model_version: str, cache_dir: Path, raw: dict) -> bool:
    """Pack the decoded tables `raw` of `source` into the cache's file; False if they are
    not of the expected shape (nothing written) or the folder cannot be written."""
    import srsly

    try:
        packed = {"lemma_lookup": PackedTable.pack(raw["lemma_lookup"], keyed=False),
                  "lemma_exc": pack_exceptions(raw["lemma_exc"])}
    except (KeyError, ValueError, TypeError, AttributeError):
        return False        # a model of another shape: its tables stay decoded each time
    path = Path(cache_dir) / file_name(source, model_version)
    small = {k: v for k, v in raw.items() if k not in PACKED}
    return _write(path, {"format": FORMAT, "name": path.name,
                         "small": srsly.msgpack_dumps(small), "packed": packed})


_WRITERS: list[int] = []   # processes writing a packed file (waited for at exit)


def write_packed_later(source: Path, model_version: str, cache_dir: Path, raw: dict) -> None:
    """`write_packed` in a forked process (about a second of packing, once per model and
    cache folder, beside this run instead of before it); where processes cannot be forked,
    here. The process waits for it when it ends."""
    if not hasattr(os, "fork"):  # pragma: no cover - not POSIX
        write_packed(source, model_version, cache_dir, raw)
        return
    pid = os.fork()
    if pid == 0:   # the child: pack, write, leave without running the parent's exit code
        code = 1
        try:
            code = 0 if write_packed(source, model_version, cache_dir, raw) else 1
        finally:
            os._exit(code)
    if not _WRITERS:
        atexit.register(wait_writers)
    _WRITERS.append(pid)


def wait_writers() -> None:
    """Wait for the packed files being written (at the end of the process)."""
    while _WRITERS:
        try:
            os.waitpid(_WRITERS.pop(), 0)
        except ChildProcessError:
            pass


def _write(path: Path, data: dict) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
        old = sorted(path.parent.glob(PACKED_FILE.format("*")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP:]:
            stale.unlink(missing_ok=True)
        return True
    except OSError:
        return False  # a read-only cache only costs the next start the decoding
