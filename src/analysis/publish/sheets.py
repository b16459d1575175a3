"""One printable page per list (reports/fiches/fiche_<list>.html|pdf)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analysis.config import TEMPLATES_DIR, Config
from analysis.coverage.compute import snippet
from analysis.coverage.questionnaire import Q_ONLY
from analysis.publish.chromium import find_chromium, print_pdf
from analysis.publish.figure_files import stem
from analysis.publish.inputs import ChartInputs, load_inputs
from analysis.publish.sections import where
from analysis.publish.wording import fr_number, join_fr


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
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR),
                      autoescape=select_autoescape(["html", "j2"]))
    template = env.get_template("fiche.html.j2")
    out_dir = cfg.sheets_dir
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
