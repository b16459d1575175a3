"""Warm start for the regular expressions spaCy compiles when the French pipeline loads.

Importing `spacy.lang.fr` compiles one 1.4 MB regular expression (the tokenizer's
`token_match`, hyphenated and elided words); Python needs 1 to 2 s for it, in every process,
before a single text is read. Python's `re` module cannot save a compiled expression, but
what its compiler produces is a list of integers (`re._compiler._code`) that `_sre.compile`
turns back into the same object in microseconds.

`compiled_regexes(path)` is used around loading the model: long expressions compiled in
between are compiled once by the normal steps of `re._compiler.compile` (the same object
results) and their code is written to `path`; in a later process they are rebuilt from
`path`. The file is keyed by the Python version and the regular expression engine's version
(`_sre.MAGIC`, `_sre.CODESIZE`); anything unexpected (another Python, a damaged file, a
missing internal) falls back to the normal compilation, so the result never differs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from pathlib import Path

try:  # CPython internals (3.11+): without them, nothing is cached
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python implementation
    _sre = _compiler = _parser = None

MIN_LENGTH = 2_000   # shorter expressions compile in a few milliseconds


def engine_key() -> str:
    """What the stored code depends on."""
    if _sre is None:
        return ""
    return f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}"


def _compile_with_code(pattern: str, flags: int):
    """`re._compiler.compile`, step by step, keeping the arguments of `_sre.compile`."""
    parsed = _parser.parse(pattern, flags)
    with _charsets_once():
        code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    args = [flags | parsed.state.flags, list(code), parsed.state.groups - 1, groupindex,
            indexgroup]
    return _build(pattern, args), args


@contextlib.contextmanager
def _charsets_once():
    """`re._compiler._optimize_charset`, a pure function, computed once per distinct
    character set: spaCy's expressions repeat the same large Unicode classes (letters, upper
    case...) some 1,600 times for 180 distinct sets, and optimising one costs milliseconds.
    The same code results (checked by a test); a set that cannot be a key is computed as
    usual."""
    original = getattr(_compiler, "_optimize_charset", None)
    if original is None:   # pragma: no cover - internals changed
        yield
        return
    known: dict = {}

    def optimize_charset(charset, iscased=None, fixup=None, fixes=None):
        try:
            key = (tuple(charset), iscased, fixup, id(fixes))
            found = known.get(key)
        except TypeError:   # an unhashable item: as usual
            return original(charset, iscased, fixup, fixes)
        if found is None:
            found = known[key] = original(charset, iscased, fixup, fixes)
        out, hascased = found
        return list(out), hascased

    _compiler._optimize_charset = optimize_charset
    try:
        yield
    finally:
        _compiler._optimize_charset = original


def _build(pattern: str, args: list):
    final_flags, code, groups, groupindex, indexgroup = args
    return _sre.compile(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))


def _read(path: Path) -> dict[tuple[str, int], list]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("engine") != engine_key():
            return {}
        return {(e["pattern"], e["flags"]): e["args"] for e in data["entries"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write(path: Path, stored: dict[tuple[str, int], list]) -> None:
    entries = [{"pattern": p, "flags": f, "args": a} for (p, f), a in stored.items()]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"engine": engine_key(), "entries": entries}),
                       encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs the next start the compilation


@contextlib.contextmanager
def compiled_regexes(path: str | Path | None):
    """Long regular expressions compiled inside the block come from (or go to) `path`."""
    if path is None or _sre is None or not hasattr(_compiler, "_code"):
        yield
        return
    path = Path(path)
    stored = _read(path)
    used: dict[tuple[str, int], list] = {}
    fresh = False
    original = _compiler.compile

    def compile(p, flags=0):  # noqa: A001 - same name and signature as the one it stands for
        if not isinstance(p, str) or len(p) < MIN_LENGTH or flags & re.DEBUG:
            return original(p, flags)
        nonlocal fresh
        args = stored.get((p, flags))
        if args is not None:
            try:
                compiled = _build(p, args)
                used[(p, flags)] = args
                return compiled
            except (TypeError, ValueError, RuntimeError, OverflowError):
                pass  # damaged entry: compile it again
        try:
            compiled, args = _compile_with_code(p, flags)
        except (TypeError, ValueError, AttributeError):  # internals changed: plain path
            return original(p, flags)
        used[(p, flags)] = args
        fresh = True
        return compiled

    _compiler.compile = compile
    try:
        yield
    finally:
        _compiler.compile = original
    if fresh:  # only the expressions of this spaCy: an old version's are dropped
        _write(path, used)
