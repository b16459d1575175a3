"""One printable page per list (reports/fiches/fiche_<list>.html|pdf)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pypdfium2 as pdfium
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.config import TEMPLATES_DIR, Config
from analysis.coverage.compute import snippet
from analysis.coverage.questionnaire import Q_ONLY
from analysis.publish.chromium import find_chromium, print_pdf
from analysis.publish.figure_files import stem
from analysis.publish.inputs import ChartInputs, load_inputs
from analysis.publish.sections import where
from analysis.publish.template import LEVEL_WORDS
from analysis.publish.wording import fr_number, join_fr, nbsp, plural

MAX_COMMITMENTS = 4      # rows per section that keep the sheet on one A4 page
MAX_RESTRICTIVE = 4
SNIPPET_WIDTH = 150
# tighter and tighter layouts tried in turn until the printed sheet is one page:
# (commitments shown, restrictive positions shown, characters per quote)
FITS = [(MAX_COMMITMENTS, MAX_RESTRICTIVE, SNIPPET_WIDTH), (4, 4, 110), (3, 3, 110),
        (3, 3, 80), (2, 2, 80), (2, 2, 60), (1, 1, 60)]


def _more(n_more: int, workbook: str) -> str:
    if n_more <= 0:
        return ""
    return (f"et {plural(n_more, 'autre thème', 'autres thèmes')} : voir le classeur "
            f"{workbook} (feuille Passages) ou rapport.html")


def sheet_context(inputs: ChartInputs, list_id: str, cfg: Config,
                  fit: tuple[int, int, int] = FITS[0]) -> dict:
    """Everything the one-page sheet of a list shows (in the vocabulary of `level`);
    `fit`: rows of commitments and of restrictive positions shown, characters per quote
    (what is left out is said: "et 3 autres thèmes : voir le classeur")."""
    max_commitments, max_restrictive, width = fit
    ctx = inputs.ctx
    mine = inputs.overall[inputs.overall["list_id"] == list_id]
    axes = inputs.axes[inputs.axes["list_id"] == list_id]
    ev = inputs.evidence[inputs.evidence["list_id"] == list_id]
    order = {t: i for i, t in enumerate(ctx.codebook.theme_ids)}
    workbook = cfg.workbook_path.name

    def quote(theme_ids, restrictive: bool) -> list[dict]:
        """The best passage per theme, restrictive ones or never restrictive ones."""
        pool = ev[(ev["stance"] == "restrictif") == restrictive]
        out = []
        for th in theme_ids:
            rows = pool[pool["theme_id"] == th]
            if not restrictive:
                rows = rows.sort_values("strength", key=lambda s: s.map(
                    {"concret": 0, "general": 1, "mention": 2}), kind="stable")
            if len(rows):
                r = rows.iloc[0]
                out.append({"theme": ctx.label(th), "level": LEVEL_WORDS[
                    str(mine.set_index("theme_id").loc[th, "level"])],
                    "snippet": snippet(r["snippet"], width=width), "where": where(r)})
        return out

    # commitments: concrete non-restrictive findings (a mixed theme quotes its commitment)
    concrete = mine[mine["score"] == 3].sort_values(
        ["level", "n_passages"], ascending=[True, False], kind="stable",
        key=lambda s: s.map({"concret": 0, "mixte": 1}) if s.name == "level" else s)
    commitments = quote(concrete["theme_id"], restrictive=False)
    restr = mine[mine["level"].isin(["restrictif", "mixte"])].sort_values(
        "theme_id", key=lambda s: s.map(order), kind="stable")
    restrictive = quote(restr["theme_id"], restrictive=True)
    resp = inputs.responses.set_index("list_id")
    q = "Pas de réponse au questionnaire."
    if list_id in resp.index and resp.loc[list_id, "answered"]:
        cons = inputs.consistency[(inputs.consistency["list_id"] == list_id)]
        only_q = [ctx.label(t) for t in cons.loc[cons["status"] == Q_ONLY, "theme_id"]]
        q = "A répondu au questionnaire."
        if only_q:
            q += (f" Thèmes abordés dans les réponses mais absents du programme : "
                  f"{join_fr(only_q)}.")
    info = cfg.list_by_id(list_id)
    counts = mine["level"].value_counts()
    n = {lv: int(counts.get(lv, 0)) for lv in LEVEL_WORDS}
    review = ctx.review
    return {
        "name": ctx.name(list_id), "head": info.head if info else "", "demo": cfg.demo,
        "demo_notice": cfg.demo_notice, "election": ctx.election, "data_date": ctx.data_date_fr,
        "n_themes": len(ctx.codebook.theme_ids),
        "n_engaged": n["concret"] + n["general"] + n["mention"], "n_concret": n["concret"],
        "n_mixte": n["mixte"], "n_restrictif": n["restrictif"], "n_absent": n["absent"],
        "headline": headline(n, len(ctx.codebook.theme_ids)),
        "axes": [{"label": ctx.axis_name(r["axis"]),
                  "engaged": f"{r['n_engaged']}/{r['n_themes']}",
                  "concret": r["n_concret"], "restrictif": r["n_restrictif"],
                  "mixte": r["n_mixte"], "absent": r["n_absent"],
                  "per100": fr_number(r["mentions_per_100"])} for _, r in axes.iterrows()],
        "questionnaire": nbsp(q),
        "commitments": commitments[:max_commitments],
        "commitments_more": _more(len(commitments) - max_commitments, workbook),
        "restrictive": restrictive[:max_restrictive],
        "restrictive_more": _more(len(restrictive) - max_restrictive, workbook),
        "overflow": False,
        "n_restrictive_themes": len(restr),
        "absent": ", ".join(ctx.label(t) for t in mine.loc[mine["level"] == "absent",
                                                            "theme_id"]),
        "review": f"{review.share_text(list_id).capitalize()} ({review.detail(list_id)}).",
        "source": ctx.source_line(f"fiche_{list_id}", list_id=list_id),
    }


def headline(n: dict, n_themes: int) -> str:
    """'12 thèmes sur 25 avec un engagement, dont 3 concrets ; 2 en position restrictive…'."""
    engaged = n["concret"] + n["general"] + n["mention"]
    text = (f"{plural(engaged, 'thème')} sur {n_themes} avec un engagement, dont "
            f"{plural(n['concret'], 'engagement concret', 'engagements concrets')}")
    extra = []
    if n["restrictif"]:
        extra.append(f"{plural(n['restrictif'], 'thème')} en position restrictive")
    if n["mixte"]:
        extra.append(f"{plural(n['mixte'], 'thème')} en position mixte")
    extra.append(f"{plural(n['absent'], 'thème non abordé', 'thèmes non abordés')}")
    return nbsp(text + " ; " + " ; ".join(extra) + ".")


def page_count(pdf: Path) -> int:
    """Pages of a printed PDF (0 when it cannot be read)."""
    try:
        with contextlib.closing(pdfium.PdfDocument(str(pdf))) as doc:
            return len(doc)
    except (OSError, pdfium.PdfiumError):
        return 0


def build_list_sheets(cfg: Config, inputs: ChartInputs | None = None) -> tuple[list[Path], str]:
    """reports/fiches/fiche_<list>[_DEMO].html and .pdf (PDF only when Chromium is found).

    Returns (files written, warning or '').
    """
    inputs = inputs or load_inputs(cfg)
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("fiche.html.j2")
    out_dir = cfg.sheets_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    chrome = find_chromium()
    written, failed = [], []
    for li in inputs.ctx.list_ids:
        base = out_dir / stem(f"fiche_{li}", cfg.demo)
        html_path, pdf_path = base.with_suffix(".html"), base.with_suffix(".pdf")
        printed = False
        for i, fit in enumerate(FITS):       # tighter until the printed sheet is one page
            context = sheet_context(inputs, li, cfg, fit)
            last = i == len(FITS) - 1 or not chrome
            context["overflow"] = last and chrome is not None
            html_path.write_text(template.render(**context), encoding="utf-8")
            printed = bool(chrome) and print_pdf(html_path, pdf_path, chrome)
            if not printed or last or page_count(pdf_path) <= 1:
                break
        if printed and page_count(pdf_path) <= 1 and context["overflow"]:
            context["overflow"] = False           # the tightest layout fits after all
            html_path.write_text(template.render(**context), encoding="utf-8")
            printed = print_pdf(html_path, pdf_path, chrome)
        written.append(html_path)
        if printed:
            written.append(pdf_path)
        else:
            failed.append(pdf_path.name)
    warning = ""
    if failed:
        warning = (f"fiches PDF non écrites ({len(failed)}) : "
                   + ("Chromium introuvable" if not chrome else "échec de l'impression")
                   + " ; les fiches HTML sont à imprimer depuis un navigateur.")
    return written, warning
