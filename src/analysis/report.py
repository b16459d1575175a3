"""`reports/rapport.html`: the self-contained French report (opens offline).

Key findings per axis (computed sentences), every chart (plotly.js embedded once in the
head, figures as divs), the strongest evidence per list and theme with document and page,
the method (templates/methode.md), the tagger's measured accuracy and the reviewers'
agreement when their metrics files exist, the limits, and the demo banner on demo data.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analysis.charts.export import stem
from analysis.charts.figures import FigureSpec, build_all
from analysis.charts.inputs import ChartInputs, load_inputs
from analysis.charts.template import SCORE_LABELS, fmt_int
from analysis.common.progress import summary
from analysis.common.safe_text import read_csv_safe
from analysis.common.text import format_date_fr
from analysis.config import Config
from analysis.coverage.compute import method_text, snippet
from analysis.coverage.questionnaire import Q_ONLY

TEMPLATES = Path(__file__).parent / "templates"
REPORT_NAME = "rapport.html"
COVERED_SHARE = 0.7      # "covers most of the axis": at least 70 % of its themes (10 of 14)
METRIC_LABELS = {
    "precision": "précision", "recall": "rappel", "f1": "F1", "support": "effectif",
    "accuracy": "exactitude", "micro": "micro (tous thèmes)", "macro": "macro (moyenne des thèmes)",
    "stance_accuracy": "exactitude de la position", "restrictive_recall":
    "rappel des positions restrictives", "n": "effectif", "kappa": "kappa de Cohen",
    "tp": "vrais positifs", "fp": "faux positifs", "fn": "faux négatifs",
    "n_decisions": "décisions de relecture", "n_reviewers": "relecteurs",
    "n_machine_tags_reviewed": "étiquettes automatiques relues", "n_conflicts": "désaccords",
    "theme_id": "thème", "label": "thème", "reviewer_a": "relecteur A",
    "reviewer_b": "relecteur B", "n_units": "unités communes", "n_agree": "accords",
    "observed": "accord observé", "expected": "accord attendu",
    "micro_precision": "précision (micro)", "micro_recall": "rappel (micro)",
    "micro_f1": "F1 (micro)", "macro_precision": "précision (macro)",
    "macro_recall": "rappel (macro)", "macro_f1": "F1 (macro)",
    "n_passages": "passages annotés", "n_gold_units": "couples passage × thème annotés",
    "n_predicted_units": "couples passage × thème prédits", "n_themes_macro": "thèmes (macro)",
    "stance_confusion": "positions : annotée (ligne) et prédite (colonnes)",
    "n_gold_restrictive": "positions restrictives annotées",
    "restrictive_precision": "précision des positions restrictives",
    "n_no_theme_passages": "passages sans thème", "no_theme_false_alarm_rate":
    "fausses alertes sur les passages sans thème", "n_errors": "erreurs", "split": "jeu",
    "file": "fichier", "date": "date", "codebook": "référentiel", "unit": "unité",
    "per_theme": "par thème", "predicted": "prédits", "axis": "axe", "clé": "",
    "themes": "par thème", "pairs": "paires de relecteurs", "n_evalues": "évaluées",
    "n_valider": "validées", "n_rejeter": "rejetées", "n_corriger_theme": "thème corrigé",
    "n_corriger_position": "position corrigée",
}


# ---------------------------------------------------------------- small formatting helpers
def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def fr_number(value: Any) -> str:
    """French display of a metric: 0.853 -> '0,85', 12 -> '12', None -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return fmt_int(value)
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def quoted(name: str) -> str:
    """A list's name in French quotes (names may contain commas: « Aix Ensemble, Aix Commune »)."""
    return f"« {name} »"


def join_fr(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b et c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def markdown_to_html(md: str) -> str:
    """The small markdown of methode.md: ## / ### headings, - lists, paragraphs, **, `."""
    def inline(text: str) -> str:
        text = html.escape(text, quote=False)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        return re.sub(r"`(.+?)`", r"<code>\1</code>", text)

    out, para, items = [], [], []

    def flush() -> None:
        if para:
            out.append(f"<p>{inline(' '.join(para))}</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for line in md.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)", stripped)
        if not stripped:
            flush()
        elif heading:
            flush()
            level = min(len(heading.group(1)) + 1, 5)     # '##' in the file -> <h3>
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif stripped.startswith("- "):
            if para:
                flush()
            items.append(stripped[2:])
        elif items and line.startswith("  "):
            items[-1] += " " + stripped
        else:
            para.append(stripped)
    flush()
    return "\n".join(out)


def split_limits(md: str) -> tuple[str, str]:
    """(method without its 'Limites' section, the 'Limites' section body)."""
    parts = re.split(r"^#{2,4}\s+Limites\s*$", md, maxsplit=1, flags=re.MULTILINE)
    return (parts[0], parts[1]) if len(parts) == 2 else (md, "")


# ---------------------------------------------------------------- findings
def key_findings(inputs: ChartInputs) -> dict[str, list]:
    """Computed sentences: per axis (label, sentences) and general ones."""
    ctx, axes, overall = inputs.ctx, inputs.axes, inputs.overall
    n_lists = len(ctx.list_ids)
    per_axis = []
    for axis, label in ctx.codebook.axes.items():
        sub = axes[axes["axis"] == axis]
        n_themes = sum(ctx.codebook.axis_of(t) == axis for t in ctx.codebook.theme_ids)
        threshold = max(1, math.ceil(COVERED_SHARE * n_themes))
        wide = sub[sub["n_covered"] >= threshold]
        sentences = [
            f"{wide.shape[0]} {'liste' if len(wide) <= 1 else 'listes'} sur {n_lists} "
            f"{'couvre' if len(wide) <= 1 else 'couvrent'} au moins {threshold} des "
            f"{n_themes} thèmes de l'axe « {label} »."
        ]
        if len(sub) and sub["n_covered"].max() > 0:
            best = sub[sub["n_covered"] == sub["n_covered"].max()]
            names = [quoted(ctx.name(li)) for li in best["list_id"]]
            row = best.iloc[0]
            concrete = plural(int(row["n_concret"]), "engagement concret", "engagements concrets")
            detail = f", dont {concrete}" if len(names) == 1 else ""
            lead = "La plus complète" if len(names) == 1 else "Les plus complètes"
            sentences.append(
                f"{lead} : {join_fr(names)} ({int(row['n_covered'])}/{n_themes} thèmes{detail})."
            )
        axis_cov = overall[overall["axis"] == axis]
        covered_any = set(axis_cov.loc[axis_cov["score"] >= 1, "theme_id"])
        nobody = [ctx.label(t) for t in ctx.codebook.theme_ids
                  if ctx.codebook.axis_of(t) == axis and t not in covered_any]
        sentences.append(
            f"Thème(s) abordé(s) par aucune liste : {join_fr(nobody)}." if nobody
            else "Chaque thème de l'axe est abordé par au moins une liste."
        )
        restr = axis_cov[axis_cov["stance"] == "restrictif"]
        if len(restr):
            parts = [
                f"{quoted(ctx.name(li))} ({join_fr([ctx.label(t) for t in grp['theme_id']])})"
                for li, grp in restr.groupby("list_id", sort=False)
            ]
            sentences.append("Position dominante restrictive : " + " ; ".join(parts) + ".")
        per_axis.append((label, sentences))
    return {"axes": per_axis, "general": general_findings(inputs)}


def general_findings(inputs: ChartInputs) -> list[str]:
    ctx, resp, cons = inputs.ctx, inputs.responses, inputs.consistency
    n_lists = len(ctx.list_ids)
    resp = resp[resp["list_id"].isin(ctx.list_ids)]
    answered = resp[resp["answered"]]
    silent = [quoted(ctx.name(li)) for li in resp.loc[~resp["answered"], "list_id"]]
    out = [f"{len(answered)} {'liste' if len(answered) <= 1 else 'listes'} sur {n_lists} "
           f"{'a' if len(answered) <= 1 else 'ont'} répondu au questionnaire du collectif"
           + (f" ; sans réponse : {join_fr(silent)}." if silent else ".")]
    q_only = cons[(cons["status"] == Q_ONLY) & cons["answered"]]
    for li, grp in q_only.groupby("list_id", sort=False):
        labels = [ctx.label(t) for t in grp["theme_id"]]
        what = plural(len(labels), "thème absent", "thèmes absents")
        out.append(f"{quoted(ctx.name(li))} aborde dans ses réponses {what} de son "
                   f"programme : {join_fr(labels)}.")
    if len(answered) and not len(q_only):
        out.append("Tous les thèmes abordés dans les réponses figurent aussi dans les "
                   "programmes des listes concernées.")
    return out


# ---------------------------------------------------------------- evidence and documents
def where(row) -> str:
    """'programmes/x/programme.pdf, p. 3' or 'questionnaire, q3'."""
    text = str(row["path"]) if isinstance(row["path"], str) and row["path"] else str(
        row["source"])
    if pd.notna(row["page"]):
        text += f", p. {int(row['page'])}"
    if row["source"] == "questionnaire" and isinstance(row["question_id"], str):
        text += f", question {row['question_id']}"
    return text


def list_evidence(inputs: ChartInputs) -> list[dict]:
    """Per list: one row per addressed theme with its strongest passage."""
    ctx, overall = inputs.ctx, inputs.overall
    best = inputs.evidence[inputs.evidence["rank"] == 1].set_index(["list_id", "theme_id"])
    blocks = []
    for li in ctx.list_ids:
        sub = overall[overall["list_id"] == li].set_index("theme_id")
        rows, absent = [], []
        for th in ctx.codebook.theme_ids:
            cell = sub.loc[th] if th in sub.index else None
            if cell is None or int(cell["n_passages"]) == 0:
                absent.append(ctx.label(th))
                continue
            ev = best.loc[(li, th)] if (li, th) in best.index else None
            rows.append({
                "theme": ctx.label(th), "level": SCORE_LABELS[int(cell["score"])],
                "stance": cell["stance"] or "", "n": int(cell["n_passages"]),
                "snippet": ev["snippet"] if ev is not None else "",
                "where": where(ev) if ev is not None else "",
            })
        blocks.append({"list_id": li, "name": ctx.name(li), "rows": rows,
                       "absent": ", ".join(absent)})
    return blocks


def documents_table(inputs: ChartInputs, cfg: Config) -> list[dict]:
    p, resp = inputs.passages, inputs.responses.set_index("list_id")
    out = []
    for li in inputs.ctx.list_ids:
        mine = p[p["list_id"] == li]
        info = cfg.list_by_id(li)
        q = "non reçu"
        if li in resp.index and resp.loc[li, "answered"]:
            r = resp.loc[li]
            q = "répondu"
            if pd.notna(r["date"]):
                q += f" le {format_date_fr(pd.Timestamp(r['date']).date())}"
            if r["n_questions"]:
                q += f" ({r['n_questions_answered']}/{r['n_questions']} questions)"
        out.append({
            "name": inputs.ctx.name(li), "head": info.head if info else "",
            "n_docs": int(mine["path"].nunique()),
            "n_prog": int((mine["source"] == "programme").sum()), "questionnaire": q,
        })
    return out


def unread_documents(cfg: Config) -> tuple[bool, list[dict]]:
    """(ingest report exists, documents with status error/skipped and their reason)."""
    path = cfg.ingest_report_path
    if not path.is_file():
        return False, []
    try:
        df = read_csv_safe(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return False, []
    if "status" not in df.columns:
        return True, []
    bad = df[df["status"].isin(["error", "skipped"])]
    return True, [{"path": r.get("path", ""), "reason": r.get("reason", "")}
                  for r in bad.to_dict("records")]


# ---------------------------------------------------------------- metrics files
def _label(key: str) -> str:
    return METRIC_LABELS.get(str(key), str(key).replace("_", " "))


def describe_metrics(doc: dict, codebook=None) -> dict:
    """Generic French rendering of a metrics JSON: sentences for scalars, tables for
    dicts/lists of records. Tolerant of the exact layout chosen by the metric writer."""
    sentences, tables, scalars = [], [], []
    for key, value in doc.items():
        if key in ("definitions", "generated_at"):
            continue
        if isinstance(value, (int, float, str, bool)) or value is None:
            scalars.append((_label(key), fr_number(value)))
        elif isinstance(value, dict) and all(
            not isinstance(v, (dict, list)) for v in value.values()
        ):
            scalars += [(f"{_label(key)} — {_label(k)}", fr_number(v)) for k, v in value.items()]
        elif isinstance(value, dict):
            records = [{"clé": k, **v} for k, v in value.items() if isinstance(v, dict)]
            tables.append(_table(_label(key), records, codebook))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append(_table(_label(key), value, codebook))
    if scalars:
        tables.insert(0, {"title": "Mesures d'ensemble", "columns": ["mesure", "valeur"],
                          "rows": scalars})
    defs = doc.get("definitions")
    if isinstance(defs, dict):
        sentences += [f"{_label(k)} : {v}." for k, v in defs.items()]
    elif isinstance(defs, str) and defs.strip():
        sentences.append(defs.strip())
    return {"sentences": sentences, "tables": [t for t in tables if t["rows"]]}


def _table(title: str, records: list[dict], codebook=None) -> dict:
    columns = list(dict.fromkeys(k for r in records for k in r))
    if "label" in columns and "theme_id" in columns:
        columns.remove("theme_id")
    rows = []
    for r in records:
        row = []
        for c in columns:
            v = r.get(c)
            if c in ("clé", "theme_id") and codebook is not None and v in codebook.theme_ids:
                v = codebook.label_of(v)
            row.append(fr_number(v))
        rows.append(row)
    return {"title": title, "columns": [_label(c) for c in columns], "rows": rows}


def find_metric(doc: dict, *paths: tuple[str, ...]):
    """First value found at one of the key paths (e.g. ('micro', 'f1'))."""
    for path in paths:
        node = doc
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return node
    return None


def load_json(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return doc if isinstance(doc, dict) else None


def evaluation_section(cfg: Config, codebook) -> dict | None:
    doc = load_json(cfg.metrics_dir / "evaluation_test.json")
    if doc is None:
        return None
    out = describe_metrics(doc, codebook)
    p = find_metric(doc, ("micro", "precision"), ("micro_precision",), ("precision",))
    r = find_metric(doc, ("micro", "recall"), ("micro_recall",), ("recall",))
    f = find_metric(doc, ("micro", "f1"), ("micro_f1",), ("f1",))
    if p is not None and r is not None:
        lead = (f"Sur le jeu de test annoté à la main, l'étiquetage automatique trouve "
                f"{round(100 * r)} % des thèmes présents (rappel) et {round(100 * p)} % des "
                f"thèmes qu'il signale sont justes (précision)")
        lead += f" ; F1 = {fr_number(float(f))}." if f is not None else "."
        extra = []
        stance = find_metric(doc, ("stance_accuracy",))
        if stance is not None:
            extra.append(f"La position (favorable, neutre, restrictive) est juste pour "
                         f"{round(100 * stance)} % des thèmes bien trouvés.")
        restr = find_metric(doc, ("restrictive_recall",))
        if restr is not None:
            extra.append(f"Les positions restrictives sont les plus difficiles : "
                         f"{round(100 * restr)} % sont retrouvées ; une case « ✕ restrictif » "
                         "doit être vérifiée dans ses passages avant d'être citée.")
        out["sentences"][:0] = [lead, *extra]
    return out


def agreement_section(cfg: Config, codebook) -> dict | None:
    doc = load_json(cfg.metrics_dir / "agreement.json")
    if doc is None:
        return None
    out = describe_metrics(doc, codebook)
    prec, n = doc.get("precision"), doc.get("n_machine_tags_reviewed")
    if isinstance(prec, (int, float)) and n:
        out["sentences"].insert(0, (
            f"Les bénévoles ont relu {fmt_int(n)} étiquettes automatiques : "
            f"{round(100 * prec)} % ont été validées telles quelles."))
    return out


# ---------------------------------------------------------------- rendering
def figure_blocks(specs: list[FigureSpec], cfg: Config) -> list[dict]:
    """Figure divs (no plotly.js: it is in the head once) with links to the exported files."""
    blocks = []
    for spec in specs:
        div = spec.fig.to_html(
            full_html=False, include_plotlyjs=False, div_id=spec.name,
            config={"displaylogo": False}, default_width=f"{spec.fig.layout.width}px",
            default_height=f"{spec.fig.layout.height}px",
        )
        base = cfg.figures_dir / stem(spec.name, cfg.demo)
        files = []
        for ext in ("png", "svg", "csv", "html"):
            path = base.with_suffix(f".{ext}")
            if path.is_file():
                files.append((ext.upper(), Path(os.path.relpath(path, cfg.reports)).as_posix()))
        blocks.append({"name": spec.name, "div": Markup(div), "caption": spec.caption or "",
                       "files": files})
    return blocks


def render_report(inputs: ChartInputs, specs: list[FigureSpec], cfg: Config) -> str:
    """The whole report as one HTML string."""
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html", "j2"]))
    ctx, p = inputs.ctx, inputs.passages
    codebook = inputs.ctx.codebook
    method, limits = split_limits(method_text())
    has_report, unread = unread_documents(cfg)
    return env.get_template("rapport.html.j2").render(
        title=f"Baromètre solidarité — {cfg.commune}",
        demo=cfg.demo, demo_notice=cfg.demo_notice, collective=cfg.collective.get("name", ""),
        election=ctx.election, data_date=ctx.data_date_fr,
        generated=format_date_fr(dt.date.today()),
        n_lists=len(ctx.list_ids), n_passages=fmt_int(p["passage_id"].nunique()),
        n_prog=fmt_int((p["source"] == "programme").sum()),
        n_quest=fmt_int((p["source"] == "questionnaire").sum()),
        n_reviewed=fmt_int(ctx.n_reviewed), codebook_name=codebook.name,
        codebook_version=codebook.version, n_themes=len(codebook.theme_ids),
        findings=key_findings(inputs), figures=figure_blocks(specs, cfg),
        documents=documents_table(inputs, cfg), unread=unread, ingest_report=has_report,
        evidence=list_evidence(inputs),
        method_html=Markup(markdown_to_html(method)),
        limits_html=Markup(markdown_to_html(limits)),
        evaluation=evaluation_section(cfg, codebook),
        agreement=agreement_section(cfg, codebook),
        plotlyjs=Markup(get_plotlyjs()),
    )


# ---------------------------------------------------------------- one-page sheets per list
CHROME_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--no-pdf-header-footer", "--print-to-pdf-no-header",
]


def find_chromium() -> str | None:
    """A Chromium/Chrome executable: $BROWSER_PATH, then the usual names on PATH."""
    candidates = [os.environ.get("BROWSER_PATH", "")] + [
        shutil.which(n) or "" for n in
        ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    ]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def print_pdf(html_path: Path, pdf_path: Path, chrome: str) -> bool:
    """Print an HTML file to PDF with headless Chromium (fresh profile); True on success."""
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        try:
            subprocess.run(
                [chrome, *CHROME_FLAGS, f"--user-data-dir={profile}",
                 f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
                capture_output=True, timeout=120, check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return False
    return pdf_path.is_file() and pdf_path.stat().st_size > 0


def sheet_context(inputs: ChartInputs, list_id: str, cfg: Config) -> dict:
    """Everything the one-page sheet of a list shows."""
    ctx = inputs.ctx
    mine = inputs.overall[inputs.overall["list_id"] == list_id]
    axes = inputs.axes[inputs.axes["list_id"] == list_id]
    ev = inputs.evidence[(inputs.evidence["list_id"] == list_id)
                         & (inputs.evidence["rank"] == 1)].set_index("theme_id")
    order = {t: i for i, t in enumerate(ctx.codebook.theme_ids)}

    def rows(theme_ids) -> list[dict]:
        out = []
        for th in sorted(theme_ids, key=order.get):
            if th in ev.index:
                r = ev.loc[th]
                out.append({"theme": ctx.label(th), "snippet": snippet(r["snippet"], width=170),
                            "where": where(r)})
        return out

    concrete = mine[mine["score"] == 3]
    concrete = concrete.sort_values("n_passages", ascending=False, kind="stable").head(5)
    resp = inputs.responses.set_index("list_id")
    q = "Pas de réponse au questionnaire."
    if list_id in resp.index and resp.loc[list_id, "answered"]:
        cons = inputs.consistency[(inputs.consistency["list_id"] == list_id)]
        only_q = [ctx.label(t) for t in cons.loc[cons["status"] == Q_ONLY,
                                                 "theme_id"]]
        q = "A répondu au questionnaire."
        if only_q:
            q += (f" Thèmes abordés dans les réponses mais absents du programme : "
                  f"{join_fr(only_q)}.")
    info = cfg.list_by_id(list_id)
    return {
        "name": ctx.name(list_id), "head": info.head if info else "", "demo": cfg.demo,
        "demo_notice": cfg.demo_notice, "election": ctx.election, "data_date": ctx.data_date_fr,
        "n_themes": len(ctx.codebook.theme_ids), "n_covered": int((mine["score"] >= 1).sum()),
        "n_concret": int((mine["score"] == 3).sum()),
        "n_restrictif": int((mine["stance"] == "restrictif").sum()),
        "axes": [{"label": r["axis_label"], "covered": f"{r['n_covered']}/{r['n_themes']}",
                  "concret": r["n_concret"], "restrictif": r["n_restrictif"],
                  "per100": fr_number(r["mentions_per_100"])} for _, r in axes.iterrows()],
        "questionnaire": q,
        "commitments": rows(concrete["theme_id"]),
        "restrictive": rows(mine.loc[mine["stance"] == "restrictif", "theme_id"])[:4],
        "absent": ", ".join(ctx.label(t) for t in mine.loc[mine["n_passages"] == 0, "theme_id"]),
        "source": ctx.source_line(),
    }


def build_list_sheets(cfg: Config, inputs: ChartInputs | None = None) -> tuple[list[Path], str]:
    """reports/fiches/fiche_<list>[_DEMO].html and .pdf (PDF only when Chromium is found).

    Returns (files written, warning or '').
    """
    inputs = inputs or load_inputs(cfg)
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("fiche.html.j2")
    out_dir = cfg.reports / "fiches"
    out_dir.mkdir(parents=True, exist_ok=True)
    chrome = find_chromium()
    written, failed = [], []
    for li in inputs.ctx.list_ids:
        base = out_dir / stem(f"fiche_{li}", cfg.demo)
        html_path = base.with_suffix(".html")
        html_path.write_text(template.render(**sheet_context(inputs, li, cfg)), encoding="utf-8")
        written.append(html_path)
        if chrome and print_pdf(html_path, base.with_suffix(".pdf"), chrome):
            written.append(base.with_suffix(".pdf"))
        else:
            failed.append(base.with_suffix(".pdf").name)
    warning = ""
    if failed:
        warning = (f"fiches PDF non écrites ({len(failed)}) : "
                   + ("Chromium introuvable" if not chrome else "échec de l'impression")
                   + " ; les fiches HTML sont à imprimer depuis un navigateur.")
    return written, warning


def build_report(
    cfg: Config, sheets: bool = True,
    inputs: ChartInputs | None = None, specs: list[FigureSpec] | None = None,
) -> Path:
    """Write reports/rapport.html from the processed tables; return its path.

    `inputs` and `specs` are reused when given (see `publish`), else loaded and built.
    """
    inputs = inputs if inputs is not None else load_inputs(cfg)
    specs = specs if specs is not None else build_all(inputs)
    cfg.reports.mkdir(parents=True, exist_ok=True)
    path = cfg.reports / REPORT_NAME
    path.write_text(render_report(inputs, specs, cfg), encoding="utf-8")
    size = path.stat().st_size / 1e6
    text = (f"{len(specs)} graphiques, {len(inputs.ctx.list_ids)} listes -> {path} "
            f"({size:.1f} Mo, s'ouvre sans réseau)")
    if sheets:
        files, warning = build_list_sheets(cfg, inputs)
        n_pdf = sum(p.suffix == ".pdf" for p in files)
        text += f" ; {n_pdf} fiches PDF par liste -> {cfg.reports / 'fiches'}"
        if warning:
            text += f" ; {warning}"
    if cfg.demo:
        text += " ; données fictives de démonstration"
    summary("report", text)
    return path


def publish(cfg: Config) -> tuple[list[Path], Path]:
    """Figures (reports/figures/) and report (rapport.html, list sheets) from one load of the
    processed tables and one build of the figures; returns (figure files, report path)."""
    from analysis.charts import run_charts

    inputs = load_inputs(cfg)
    specs = build_all(inputs)
    files = run_charts(cfg, inputs=inputs, specs=specs)
    return files, build_report(cfg, inputs=inputs, specs=specs)


run = publish
