"""The tagging stage (`python -m analysis tag`) and the JSON-lines filter (`tag --jsonl`)."""

from __future__ import annotations

import json
import queue
import sys
import threading
import time
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


def run_tag(cfg: Config) -> pd.DataFrame:
    """Tag every passage: passages.parquet -> tags_auto.parquet (the machine's tags; the
    review stage applies the reviewers' decisions to them and writes tags.parquet)."""
    from analysis.common.tables import read_table, write_table  # pandas: not for --jsonl

    started = time.perf_counter()
    passages = read_table(cfg.passages_path, "ingest", ["passage_id", "text"])
    # "Engagement : Non — <theme>" (filled questionnaire template): the list declines to
    # commit, so the theme named there must not count as covered: such texts are not tagged.
    texts = ["" if is_refusal(t) else t for t in passages["text"].fillna("").astype(str)]
    tagger = Tagger.from_config(cfg)
    with progress(None, "Étiquetage", total=len(texts)) as bar:
        sections = passages["section"].tolist() if "section" in passages.columns else None
        results = tagger.tag_texts(texts, progress=bar.update, sections=sections)
    tagger.close()
    auto = tags_frame(passages["passage_id"].tolist(), results)
    write_table(auto, cfg.tags_auto_path)
    n_themes = auto["theme_id"].nunique()
    summary(
        "tag",
        f"{len(passages)} passages, {len(auto)} étiquettes automatiques, "
        f"{n_themes}/{len(tagger.codebook.themes)} thèmes trouvés, "
        f"cache {tagger.stats['cache_hits']}/{len(texts)}, "
        f"{tagger.stats['skipped']} sans mot du codebook, "
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


def _tag_safely(tagger: Tagger, texts: list[str],
                sections: list[str | None]) -> list[list[dict] | Exception]:
    try:
        return tagger.tag_texts(texts, sections=sections)
    except UserError:
        raise
    except Exception:  # noqa: BLE001 - one odd text must not stop the stream
        out: list[list[dict] | Exception] = []
        for text, section in zip(texts, sections, strict=True):
            try:
                out.append(tagger.tag_texts([text], sections=[section])[0])
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        return out


def tag_jsonl(cfg: Config, stdin: IO[str], stdout: IO[str]) -> int:
    """Filter: one `{"id", "text"}` JSON line in (optionally `"section"`, the passage's
    heading, read as context), one `{"id", "themes"}` line out, in order.

    A bad line gives `{"id": ..., "themes": [], "error": "..."}` and a message on stderr.
    Lines are tagged in batches as they arrive. Returns the number of lines written.
    """
    for stream in (stdin, stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    tagger = Tagger.from_config(cfg)
    lines: queue.Queue = queue.Queue(maxsize=4 * JSONL_BATCH)
    threading.Thread(target=_reader, args=(stdin, lines), daemon=True).start()
    number = written = errors = 0
    eof = False
    while not eof:
        batch, eof = _next_batch(lines)
        parsed = []
        for line in batch:
            number += 1
            parsed.append(_parse_line(number, line.rstrip("\r\n")))
        texts = [text for _, text, _, err in parsed if err is None]
        sections = [section for _, _, section, err in parsed if err is None]
        results = iter(_tag_safely(tagger, texts, sections) if texts else [])
        for ident, _, _, err in parsed:
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
