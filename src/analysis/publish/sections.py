"""Tables of the report: strongest evidence per list and theme, documents read and unread."""

from __future__ import annotations

import pandas as pd

from analysis.common.safe_text import read_csv_safe
from analysis.common.text import format_date_fr
from analysis.config import Config
from analysis.publish.inputs import ChartInputs
from analysis.publish.template import LEVEL_WORDS


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
    """Per list: one row per addressed theme (any level but `absent`) with its strongest
    passage; the themes not addressed are named apart."""
    ctx, overall = inputs.ctx, inputs.overall
    best = inputs.evidence[inputs.evidence["rank"] == 1].set_index(["list_id", "theme_id"])
    blocks = []
    for li in ctx.list_ids:
        sub = overall[overall["list_id"] == li].set_index("theme_id")
        rows, absent = [], []
        for th in ctx.codebook.theme_ids:
            cell = sub.loc[th] if th in sub.index else None
            if cell is None or cell["level"] == "absent":
                absent.append(ctx.label(th))
                continue
            ev = best.loc[(li, th)] if (li, th) in best.index else None
            rows.append({
                "theme": ctx.label(th), "level": LEVEL_WORDS[cell["level"]],
                "level_code": cell["level"], "n": int(cell["n_passages"]),
                "n_restrictif": int(cell["n_restrictif"]),
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
