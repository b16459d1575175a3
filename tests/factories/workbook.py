"""A small hand-made project for the workbook and review tests: processed tables for the
demo config in a temporary folder, and helpers to find rows and drop-downs in a sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from analysis import contracts
from analysis.config import DEFAULT_CONFIG, Config, load_config
from analysis.review.rules import apply_decisions
from analysis.review.store import load_decisions

INJECTED = {
    "p2": '=HYPERLINK("http://exemple.invalid/?x=1","Cliquez ici")',
    "p3": "+33 6 12 34 56 78 : appelez notre permanence d'accès aux droits",
    "p4": "-10 % sur les subventions aux associations",
    "p7": "@SOMME(A1:A9) pour les associations",
}


def passage(pid, list_id, text, *, source="programme", path=None, page=None, section="",
            question=None) -> dict:
    path = path or f"programmes/{list_id}/programme.pdf"
    return {"passage_id": pid, "list_id": list_id, "source": source, "doc_id": f"d-{list_id}",
            "path": path, "page": page, "section": section, "question_id": question,
            "text": text, "char_start": 0, "char_end": len(text)}


def tag(pid, theme, stance="favorable", strength="general", evidence="mot") -> dict:
    return {"passage_id": pid, "theme_id": theme, "stance": stance, "strength": strength,
            "evidence": evidence, "origin": "auto"}


def base_passages() -> pd.DataFrame:
    rows = [
        passage("p1", "aix-solidaire", "Nous ouvrirons 200 places d'hébergement d'urgence.",
                page=2, section="Protéger"),
        passage("p2", "aix-solidaire", INJECTED["p2"], page=3, section="Liens"),
        passage("p3", "aix-avenir", INJECTED["p3"], path="programmes/aix-avenir/prog.docx"),
        passage("p4", "aix-avenir", INJECTED["p4"], path="programmes/aix-avenir/prog.docx"),
        passage("p5", "aix-avenir", "Nous soutiendrons les associations de solidarité.",
                source="questionnaire", path="questionnaire/formulaire.csv",
                section="1. Partenariat avec les associations", question="q1"),
        passage("p6", "aix-ensemble", "Une ville apaisée pour toutes et tous.",
                path="programmes/aix-ensemble/prog.html"),
        passage("p7", "aix-ensemble", INJECTED["p7"], path="programmes/aix-ensemble/prog.html"),
    ]
    df = pd.DataFrame(rows, columns=contracts.PASSAGES)
    df["page"] = df["page"].astype("Int64")
    return df


def base_tags() -> pd.DataFrame:
    return pd.DataFrame([
        tag("p1", "hebergement_urgence", strength="concret", evidence="hébergement d'urgence"),
        tag("p2", "sans_abri", stance="neutre", strength="mention"),
        tag("p3", "acces_droits", evidence="accès aux droits"),
        tag("p4", "partenariat_associatif", stance="restrictif", evidence="subventions"),
        tag("p5", "partenariat_associatif", evidence="associations"),
        tag("p7", "partenariat_associatif", stance="neutre", strength="mention"),
    ], columns=contracts.TAGS)


def simple_coverage(cfg: Config, passages: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """The coverage table as the coverage stage computes it (with `level` and `received`)."""
    from analysis.codebook import load_codebook
    from analysis.coverage.compute import compute_coverage

    cb = load_codebook(cfg.codebook_path)
    answered = {li.id: bool(((passages.list_id == li.id)
                             & (passages.source == "questionnaire")).any()) for li in cfg.lists}
    return compute_coverage(passages, tags, cb, [li.id for li in cfg.lists], answered)


def write_processed(cfg: Config, passages: pd.DataFrame, auto: pd.DataFrame) -> None:
    """passages, tags_auto, tags (= auto + stored decisions) and coverage in cfg.processed."""
    cfg.processed.mkdir(parents=True, exist_ok=True)
    passages.to_parquet(cfg.passages_path, index=False)
    auto.to_parquet(cfg.tags_auto_path, index=False)
    tags = apply_decisions(auto, passages, load_decisions(cfg))
    tags.to_parquet(cfg.tags_path, index=False)
    simple_coverage(cfg, passages, tags).to_parquet(cfg.coverage_path, index=False)


def make_project(tmp_path: Path, passages: pd.DataFrame | None = None,
                 auto: pd.DataFrame | None = None) -> Config:
    cfg = load_config(None, raw=tmp_path / "data" / "raw",
                      processed=tmp_path / "data" / "processed",
                      reports=tmp_path / "reports", reviews=tmp_path / "data" / "reviews")
    passages = base_passages() if passages is None else passages
    for rel in set(passages["path"]):
        target = cfg.raw / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"document")
    write_processed(cfg, passages, base_tags() if auto is None else auto)
    return cfg


# three associations sharing the review (config `reviewers:`); the third overlaps the first
# on sans_abri, so two associations may disagree there
REVIEWERS = [
    {"name": "Banque alimentaire", "themes": ["hebergement_urgence", "sans_abri"]},
    {"name": "Accès aux droits 13", "file": "droits",
     "themes": ["acces_droits", "partenariat_associatif"]},
    {"name": "Accueil de nuit", "themes": ["sans_abri"], "lists": ["aix-solidaire"]},
]


def make_shared_project(tmp_path: Path, reviewers: list[dict],
                        write_document: Callable[[Path], None] | None = None) -> Config:
    """The demo config with these `reviewers`, in tmp_path, and the small hand-made tables;
    each source document is written by `write_document` (default: placeholder bytes)."""
    data = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    data["reviewers"] = reviewers
    source = tmp_path / "config.yml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    cfg = load_config(source, raw=tmp_path / "raw", processed=tmp_path / "processed",
                      reports=tmp_path / "reports", reviews=tmp_path / "reviews")
    passages = base_passages()
    for rel in sorted(set(passages["path"])):
        target = cfg.raw / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if write_document is None:
            target.write_bytes(b"document")
        else:
            write_document(target)
    write_processed(cfg, passages, base_tags())
    return cfg


def header(ws) -> tuple[int, dict[str, int]]:
    """(header row, {header: column number}) of a data sheet."""
    for row in ws.iter_rows(min_row=1, max_row=10):
        values = [c.value for c in row]
        if "passage_id" in values or "theme_id" in values:
            return row[0].row, {v: i for i, v in enumerate(values, start=1) if v}
    raise AssertionError(f"no header in {ws.title}")


def row_of(ws, passage_id: str, theme_id: str | None = None) -> int:
    head, cols = header(ws)
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, cols["passage_id"]).value == passage_id and (
            theme_id is None or ws.cell(r, cols["theme_id"]).value == theme_id
        ):
            return r
    raise AssertionError(f"{passage_id} x {theme_id} not in {ws.title}")


def validations(ws) -> dict[str, tuple[str, str]]:
    """{first cell of the range: (range, formula1)} of the sheet's list drop-downs."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        rng = str(dv.sqref)
        out[rng.split(":")[0]] = (rng, dv.formula1)
    return out
