"""`python -m analysis tag --prepare`, run by `make setup`: the shared cache made ready once, so
that the first tagging after an install (and every new processed folder) starts warm."""

from __future__ import annotations

import time
from pathlib import Path

from analysis.common.progress import summary
from analysis.config import Config
from analysis.tagging.cache import compiled_cache_dir
from analysis.tagging.nlp import lemma_tables_file, regex_file_name
from analysis.tagging.tagger import Tagger


def prepare(cfg: Config, workers: int | None = None) -> Path | None:
    """`python -m analysis tag --prepare` (run by `make setup`): compile the configuration's
    codebook and spaCy's regular expressions, and pack the lemmatiser's tables, into the
    shared cache, so that the first `tag` after an install starts warm. Nothing is tagged;
    already prepared: nothing done."""
    started = time.perf_counter()
    tagger = Tagger.from_config(cfg, workers=workers)   # the shared cache, else beside it
    try:
        where = compiled_cache_dir(cfg.tag_cache_path.parent)
        ready = [where / regex_file_name(), where / f"patterns-{tagger.fingerprint}.pickle"]
        tables = lemma_tables_file(tagger.model)   # the lemmatiser's tables, packed
        if tables is not None:
            ready.append(where / tables)
        if all(p.is_file() and p.stat().st_size for p in ready):
            summary("tag --prepare", "codebook compilé et expressions de spaCy déjà prêts "
                                     f"dans {where}")
            return where
        tagger._ensure_model()
    finally:
        tagger.close()
    summary("tag --prepare", f"codebook compilé et expressions de spaCy prêts dans {where} "
                             f"({time.perf_counter() - started:.1f} s) : le prochain "
                             "étiquetage démarrera à chaud")
    return where
