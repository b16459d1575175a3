"""The questionnaire: who answered, when, how much; themes per answer; programme vs answers.

Inputs: `processed/questionnaire_responses.csv` (written by the ingestion: list_id, answered,
channel, date, n_questions_answered, n_words, path), the passages and tags, and the
coverage table. Outputs are DataFrames with the columns named in the constants below.
"""

from __future__ import annotations

import pandas as pd

from analysis import contracts
from analysis.codebook import Codebook
from analysis.common.errors import UserError
from analysis.common.safe_text import read_csv_safe
from analysis.common.tables import empty
from analysis.config import Config
from analysis.coverage.compute import best_tag_per_theme, dominant_stance

RESPONSE_COLUMNS = [
    "list_id", "answered", "channel", "date", "n_questions_answered", "n_words", "path",
]
RESPONSE_TABLE = [
    "list_id", "answered", "channel", "date", "n_questions_answered", "n_questions", "n_words",
    "n_passages", "path",
]
ANSWERS = [
    "list_id", "question_id", "theme_id", "axis", "n_passages", "stance", "score", "strength",
    "evidence",
]
BOTH, Q_ONLY, P_ONLY, NONE = (
    "les deux", "questionnaire seulement", "programme seulement", "aucun",
)
STATUSES = (BOTH, Q_ONLY, P_ONLY, NONE)
CONSISTENCY = [
    "list_id", "theme_id", "axis", "in_programme", "in_questionnaire", "status", "answered",
    "programme_score", "questionnaire_score", "programme_level", "questionnaire_level",
]
TRUE_WORDS = {"true", "1", "oui", "yes", "vrai", "o", "y"}


def _as_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    return str(value).strip().lower() in TRUE_WORDS


def read_responses(path) -> pd.DataFrame:
    """Read questionnaire_responses.csv; French UserError naming the file if malformed."""
    try:
        df = read_csv_safe(path, dtype={"list_id": str}, keep_default_na=True)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise UserError(
            f"{path} : fichier illisible ({exc}). Relancez `python -m analysis ingest`."
        ) from exc
    missing = [c for c in ("list_id", "answered") if c not in df.columns]
    if missing:
        raise UserError(
            f"{path} : colonne(s) {missing} manquante(s) ; colonnes attendues "
            f"{RESPONSE_COLUMNS}. Relancez `python -m analysis ingest`."
        )
    for col in RESPONSE_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df["answered"] = df["answered"].map(_as_bool)
    raw = df["date"].astype(object)
    dates = pd.to_datetime(raw, errors="coerce", format="ISO8601")   # '2026-02-09T18:42:13'
    other = dates.isna() & raw.notna()
    if other.any():                                                   # e.g. '23/02/2026'
        dates[other] = pd.to_datetime(raw[other], errors="coerce", dayfirst=True,
                                      format="mixed")
    df["date"] = dates
    for col in ("n_questions_answered", "n_words"):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df[RESPONSE_COLUMNS]


def load_responses(cfg: Config) -> pd.DataFrame | None:
    """The ingestion's questionnaire_responses.csv, or None when it does not exist."""
    path = cfg.responses_path
    return read_responses(path) if path.is_file() else None


def response_table(
    responses: pd.DataFrame | None,
    lists: list[str],
    n_questions: int,
    passages: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per list (all lists): answered, channel, date, questions answered, words.

    Without questionnaire_responses.csv the answer is inferred from questionnaire passages.
    `n_passages` = questionnaire passages of the list.
    """
    qp = pd.DataFrame(columns=contracts.PASSAGES)
    if passages is not None:
        qp = passages[passages["source"] == "questionnaire"]
    n_pass = qp.groupby("list_id")["passage_id"].nunique()
    if responses is None:
        words = qp.assign(_w=qp["text"].fillna("").str.split().str.len()).groupby(
            "list_id"
        )["_w"].sum()
        n_q = qp.groupby("list_id")["question_id"].nunique()
        responses = pd.DataFrame({
            "list_id": lists,
            "answered": [li in n_pass.index for li in lists],
            "channel": None, "date": pd.NaT,
            "n_questions_answered": [int(n_q.get(li, 0)) for li in lists],
            "n_words": [int(words.get(li, 0)) for li in lists],
            "path": None,
        })
    resp = responses.drop_duplicates("list_id", keep="last").set_index("list_id")
    ids = list(dict.fromkeys([*lists, *resp.index]))
    out = resp.reindex(ids)
    out["answered"] = out["answered"].map(_as_bool)
    out["n_questions"] = n_questions
    out["n_questions_answered"] = out["n_questions_answered"].fillna(0).astype(int)
    out["n_words"] = out["n_words"].fillna(0).astype(int)
    out["n_passages"] = [int(n_pass.get(li, 0)) for li in ids]
    out = out.rename_axis("list_id").reset_index()
    return out[RESPONSE_TABLE]


def answers_by_question(
    passages: pd.DataFrame, tags: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Per list, question and theme: passages, dominant stance, best commitment (ANSWERS)."""
    qp = passages[passages["source"] == "questionnaire"].drop_duplicates("passage_id")
    t = best_tag_per_theme(tags, codebook).merge(
        qp[["passage_id", "list_id", "question_id"]], on="passage_id", how="inner"
    )
    if t.empty:
        return empty(ANSWERS)
    t["question_id"] = t["question_id"].fillna("(sans question)")
    t["_fav"] = t["_score"].where(t["stance"] != "restrictif", 0)
    g = t.groupby(["list_id", "question_id", "theme_id"], sort=False)
    out = pd.DataFrame({
        "n_passages": g["passage_id"].nunique(),
        "score": g["_fav"].max(),
        "evidence": g["evidence"].agg(lambda s: " ; ".join(dict.fromkeys(s.dropna()))),
        **{f"n_{st}": g["stance"].agg(lambda s, v=st: int((s == v).sum()))
           for st in contracts.STANCES},
    }).reset_index()
    out["stance"] = dominant_stance(out["n_favorable"], out["n_neutre"], out["n_restrictif"])
    names = {v: k for k, v in contracts.STRENGTH_SCORE.items()}
    out["strength"] = out["score"].map(names)
    out["axis"] = out["theme_id"].map(codebook.axis_of)
    order = {tid: i for i, tid in enumerate(codebook.theme_ids)}
    out = out.sort_values(["list_id", "question_id", "theme_id"],
                          key=lambda s: s.map(order) if s.name == "theme_id" else s)
    return out[ANSWERS].reset_index(drop=True)


def programme_vs_questionnaire(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per list and theme: addressed (`level` not `absent`, restrictive included) in the
    programme, in the answers, or both; with each source's level.

    `status` is one of STATUSES; `answered` says whether the list answered at all (a list
    that did not answer gets "programme seulement"/"aucun": read `answered` before quoting).
    """
    prog = coverage[coverage["source"] == "programme"].set_index(["list_id", "theme_id"])
    ques = coverage[coverage["source"] == "questionnaire"].set_index(["list_id", "theme_id"])
    ques = ques.reindex(prog.index)
    out = pd.DataFrame({
        "axis": prog["axis"],
        "programme_score": prog["score"].astype(int),
        "questionnaire_score": ques["score"].fillna(0).astype(int),
        "answered": ques["received"].fillna(False).astype(bool),
        "programme_level": prog["level"],
        "questionnaire_level": ques["level"].fillna("absent"),
    })
    out["in_programme"] = out["programme_level"] != "absent"
    out["in_questionnaire"] = out["questionnaire_level"] != "absent"
    out["status"] = [
        BOTH if p and q else Q_ONLY if q else P_ONLY if p else NONE
        for p, q in zip(out["in_programme"], out["in_questionnaire"], strict=True)
    ]
    return out.reset_index()[CONSISTENCY]
