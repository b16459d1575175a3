"""ingest_report.csv rows, questionnaire_responses.csv rows and the stage's summary line."""

from __future__ import annotations

import pandas as pd

from analysis.contracts import INGEST_REPORT

RESPONSES = ["list_id", "answered", "channel", "date", "n_questions_answered", "n_words",
             "path"]
READ_STATUSES = {"ok", "warning"}
MISSING_REASON = "aucun document pour cette liste"
NO_ANSWER_REASON = "pas de réponse au questionnaire"
HIDDEN_REASON = "fichier caché ou temporaire (ignoré)"
RESOURCE_REASON = (
    "fichier de la page web enregistrée « {page} » : ses feuilles de style servent à lire la "
    "page (texte masqué), ce n'est pas un document"
)
RESOURCE_KIND = "fichier de page web"
MAX_NAMED = 10


def report_row(path: str, list_id: str | None, fmt: str, pages: int | None, passages: int,
               status: str, reason: str = "", kind: str = "") -> dict:
    """One row of ingest_report.csv (`kind` is a short label kept for the summary only)."""
    return {"path": path, "list_id": list_id or "", "format": fmt, "pages": pages,
            "passages": passages, "status": status, "reason": reason, "_kind": kind}


def report_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*INGEST_REPORT, "_kind"])
    frame["pages"] = frame["pages"].astype("Int64")
    frame["passages"] = frame["passages"].fillna(0).astype("int64")
    return frame


def responses_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=RESPONSES)
    frame["answered"] = frame["answered"].astype(bool)
    frame["n_questions_answered"] = frame["n_questions_answered"].astype("int64")
    frame["n_words"] = frame["n_words"].astype("int64")
    return frame


def summary_text(report: pd.DataFrame, passages: pd.DataFrame) -> str:
    """"N fichiers lus, K ignorés (raisons…), P passages, L listes" and what is missing."""
    files = report[~report["status"].isin({"missing", "no_answer"})]
    read_paths = set(files.loc[files["status"].isin(READ_STATUSES), "path"])
    ignored = files[~files["path"].isin(read_paths)].drop_duplicates("path")
    hidden = ignored[ignored["reason"] == HIDDEN_REASON]
    resources = ignored[ignored["_kind"] == RESOURCE_KIND]
    named = ignored[(ignored["reason"] != HIDDEN_REASON) & (ignored["_kind"] != RESOURCE_KIND)]
    reasons = [f"{p.rsplit('/', 1)[-1]} : {k or s}"
               for p, k, s in zip(named["path"], named["_kind"], named["status"], strict=True)]
    if len(reasons) > MAX_NAMED:
        reasons = reasons[:MAX_NAMED] + [f"+{len(reasons) - MAX_NAMED} autres"]
    if len(hidden):
        reasons.append(f"{len(hidden)} caché(s)")
    if len(resources):
        reasons.append(f"{len(resources)} fichier(s) de page web enregistrée")
    text = f"{len(read_paths)} fichiers lus, {len(ignored)} ignorés"
    if reasons:
        text += f" ({' ; '.join(reasons)})"
    n_lists = passages["list_id"].nunique() if len(passages) else 0
    text += f", {len(passages)} passages, {n_lists} listes"
    extra = []
    warnings = files[files["status"] == "warning"]
    if len(warnings):
        extra.append(f"{len(warnings)} avertissement(s)")
    missing = report.loc[report["status"] == "missing", "list_id"].tolist()
    if missing:
        extra.append(f"sans document : {', '.join(missing)}")
    no_answer = report.loc[report["status"] == "no_answer", "list_id"].tolist()
    if no_answer:
        extra.append(f"sans réponse au questionnaire : {', '.join(no_answer)}")
    if extra:
        text += " — " + " ; ".join(extra) + " (détail : ingest_report.csv)"
    return text
