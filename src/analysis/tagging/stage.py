"""The tagging stage (`python -m analysis tag`) and the JSON-lines filter (`tag --jsonl`)."""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
from collections import deque
from typing import IO, TYPE_CHECKING

from analysis.common.errors import UserError
from analysis.common.progress import progress, summary
from analysis.config import Config
from analysis.contracts import TAGS, is_refusal
from analysis.tagging.tagger import Tagger

if TYPE_CHECKING:  # pandas is only needed by the pipeline stage, not by `tag --jsonl`
    import pandas as pd

JSONL_BATCH = 512      # most lines tagged together
JSONL_WAIT = 0.05      # seconds to wait for more lines before tagging a partial batch


def tags_frame(passage_ids, results: list[list[dict]]) -> pd.DataFrame:
    """TAGS table (origin "auto") from tagger results, one row per passage x theme."""
    import pandas as pd

    from analysis.common.tables import empty  # pandas: not for --jsonl

    rows = [
        {
            "passage_id": pid, "theme_id": t["id"], "stance": t["stance"],
            "strength": t["strength"], "evidence": t["evidence"], "origin": "auto",
        }
        for pid, found in zip(passage_ids, results, strict=True)
        for t in found
    ]
    return pd.DataFrame(rows, columns=TAGS).astype("object") if rows else empty(TAGS)


STAGE_BATCH = 2048     # passages read from passages.parquet at a time


def _workers(workers: int | None) -> int | None:
    """--workers N, else BAROMETRE_WORKERS, else None (the processors available)."""
    if workers is not None:
        return workers
    env = os.environ.get("BAROMETRE_WORKERS", "").strip()
    if env:
        if not env.isdigit() or int(env) < 1:
            raise UserError(f"BAROMETRE_WORKERS={env!r} : un nombre entier >= 1 est attendu.")
        return int(env)
    return None


def _passage_batches(path, counter: list[int]):
    """(ids, texts, sections) of passages.parquet, STAGE_BATCH rows at a time."""
    import pyarrow.parquet as pq

    from analysis.common.tables import read_table  # checks the file and its columns

    try:
        parquet = pq.ParquetFile(path)
    except Exception:  # noqa: BLE001 - let read_table word the error
        read_table(path, "ingest", ["passage_id", "text"])
        raise
    names = set(parquet.schema_arrow.names)
    if not {"passage_id", "text"} <= names:
        read_table(path, "ingest", ["passage_id", "text"])  # raises the French message
    columns = ["passage_id", "text"] + (["section"] if "section" in names else [])
    for batch in parquet.iter_batches(batch_size=STAGE_BATCH, columns=columns):
        data = batch.to_pydict()
        ids = data["passage_id"]
        # "Engagement : Non — <theme>" (filled questionnaire template): the list declines
        # to commit, so the theme named there must not count as covered: not tagged.
        texts = ["" if not isinstance(t, str) or is_refusal(t) else t for t in data["text"]]
        sections = data.get("section")
        counter[0] += len(ids)
        yield ids, texts, sections


def run_tag(cfg: Config, workers: int | None = None) -> pd.DataFrame:
    """Tag every passage: passages.parquet -> tags_auto.parquet (the machine's tags; the
    review stage applies the reviewers' decisions to them and writes tags.parquet).

    Passages are read, tagged and turned into tag rows batch by batch (memory follows the
    tags found, not the size of the texts), by `workers` processes (default: the cores)."""
    import pandas as pd

    from analysis.common.tables import empty, write_table  # pandas: not for --jsonl

    started = time.perf_counter()
    if not cfg.passages_path.is_file():
        from analysis.common.tables import read_table

        read_table(cfg.passages_path, "ingest", ["passage_id", "text"])  # French error
    tagger = Tagger.from_config(cfg, workers=_workers(workers))
    import pyarrow.parquet as pq

    total = pq.ParquetFile(cfg.passages_path).metadata.num_rows
    counter = [0]
    ids_in_order: deque = deque()

    def batches():
        for ids, texts, sections in _passage_batches(cfg.passages_path, counter):
            ids_in_order.append(ids)
            yield texts, sections

    frames = []
    with progress(None, "Étiquetage", total=total) as bar:
        for results in tagger.tag_batches(batches()):
            ids = ids_in_order.popleft()
            for found in results:
                if isinstance(found, Exception):
                    raise found
            frames.append(tags_frame(ids, results))
            bar.update(len(ids))
    tagger.close()
    frames = [f for f in frames if len(f)]
    auto = (pd.concat(frames, ignore_index=True).astype("object") if frames
            else empty(TAGS))
    write_table(auto, cfg.tags_auto_path)
    n_themes = auto["theme_id"].nunique()
    summary(
        "tag",
        f"{counter[0]} passages, {len(auto)} étiquettes automatiques, "
        f"{n_themes}/{len(tagger.codebook.themes)} thèmes trouvés, "
        f"repris du cache {tagger.stats['cache_hits']}/{counter[0]}, "
        f"analysés {tagger.stats['analysed']} (dont {tagger.stats['skipped']} sans mot du "
        f"codebook), {tagger.workers} processus, "
        f"{time.perf_counter() - started:.1f} s -> {cfg.tags_auto_path}",
    )
    return auto


run = run_tag


# --------------------------------------------------------------------------- JSON lines
def _parse_line(number: int, line: str) -> tuple[object, str | None, str | None, str | None]:
    """(id, text, section, error) of one input line; `section` (the heading) is optional."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, None, (f"ligne {number} : JSON invalide ({exc.msg}, "
                                  f"colonne {exc.colno})")
    if not isinstance(obj, dict):
        return None, None, None, (f'ligne {number} : un objet {{"id": ..., "text": ...}} '
                                  "est attendu")
    ident = obj.get("id")
    text = obj.get("text")
    if not isinstance(text, str):
        what = "absent" if "text" not in obj else f"de type {type(text).__name__}"
        return ident, None, None, (f"ligne {number} : champ \"text\" {what} "
                                   "(un texte est attendu)")
    section = obj.get("section")
    if section is not None and not isinstance(section, str):
        return ident, None, None, (f"ligne {number} : champ \"section\" de type "
                                   f"{type(section).__name__} (un texte ou rien est attendu)")
    return ident, text, section, None


def _reader(stream: IO[str], lines: queue.Queue) -> None:
    try:
        for line in stream:
            lines.put(line)
    finally:
        lines.put(None)


def _next_batch(lines: queue.Queue) -> tuple[list[str], bool]:
    """Lines available now (at least one, unless EOF), and whether EOF was reached."""
    first = lines.get()
    if first is None:
        return [], True
    batch = [first]
    deadline = time.monotonic() + JSONL_WAIT
    while len(batch) < JSONL_BATCH:
        try:
            item = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if item is None:
            return batch, True
        batch.append(item)
    return batch, False


def tag_jsonl(cfg: Config, stdin: IO[str], stdout: IO[str], workers: int | None = None) -> int:
    """Filter: one `{"id", "text"}` JSON line in (optionally `"section"`, the passage's
    heading, read as context), one `{"id", "themes"}` line out, in order.

    A bad line gives `{"id": ..., "themes": [], "error": "..."}` and a message on stderr.
    Lines are tagged in batches as they arrive, by `workers` processes (default: the
    cores), and written in their input order. Returns the number of lines written.
    """
    for stream in (stdin, stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    tagger = Tagger.from_config(cfg, workers=_workers(workers))
    lines: queue.Queue = queue.Queue(maxsize=4 * JSONL_BATCH)
    threading.Thread(target=_reader, args=(stdin, lines), daemon=True).start()
    counts = {"number": 0}
    parsed_batches: deque = deque()

    def batches():
        eof = False
        while not eof:
            batch, eof = _next_batch(lines)
            if not batch:
                break
            parsed = []
            for line in batch:
                counts["number"] += 1
                parsed.append(_parse_line(counts["number"], line.rstrip("\r\n")))
            parsed_batches.append(parsed)
            yield ([text for _, text, _, err in parsed if err is None],
                   [section for _, _, section, err in parsed if err is None])

    written = errors = 0
    for tagged in tagger.tag_batches(batches()):
        results = iter(tagged)
        for ident, _, _, err in parsed_batches.popleft():
            found = next(results) if err is None else None
            if isinstance(found, Exception):
                err = f"erreur d'étiquetage ({type(found).__name__}: {found})"
            if err is not None:
                errors += 1
                print(f"tag --jsonl : {err}", file=sys.stderr, flush=True)
                out = {"id": ident, "themes": [], "error": err}
            else:
                out = {"id": ident, "themes": found}
            stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
            written += 1
        stdout.flush()
    tagger.close()
    print(
        f"[tag --jsonl] {written} lignes, {errors} en erreur, cache {tagger.stats['cache_hits']}"
        f"/{tagger.stats['texts']}",
        file=sys.stderr, flush=True,
    )
    return written
