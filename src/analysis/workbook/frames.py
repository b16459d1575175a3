"""The DataFrames behind the sheets: one row per passage x theme, untagged passages,
answers per list and question, the synthesis scores."""

from __future__ import annotations

import pandas as pd

from analysis.codebook import Codebook
from analysis.config import Config
from analysis.coverage.compute import overall
from analysis.publish.wording import nbsp
from analysis.review.rules import effective_decisions
from analysis.workbook.columns import NO_ANSWER, ORIGIN_LABELS, STRENGTH_LABELS
from analysis.workbook.inputs import WorkbookInputs


def list_rank(cfg: Config) -> dict[str, int]:
    return {li.id: i for i, li in enumerate(cfg.lists)}


def list_ids(cfg: Config, coverage: pd.DataFrame) -> list[str]:
    """Lists of the config in order, then any other list found in the coverage table."""
    ids = [li.id for li in cfg.lists]
    return ids + sorted(set(coverage["list_id"].dropna().astype(str)) - set(ids))


def _passage_view(passages: pd.DataFrame, cfg: Config) -> pd.DataFrame:
    """Passages with display columns, sorted by list (config order), source, document."""
    df = passages.copy()
    df["passage_id"] = df["passage_id"].astype(str)
    df["list_name"] = df["list_id"].map(cfg.list_name)
    df["document"] = df["path"]
    df["_rank"] = df["list_id"].map(list_rank(cfg)).fillna(len(cfg.lists))
    df["_start"] = pd.to_numeric(df["char_start"], errors="coerce")
    df["_page"] = pd.to_numeric(df["page"], errors="coerce")
    return df.sort_values(["_rank", "source", "path", "_page", "_start"], kind="stable")


def _who(d: dict) -> str:
    name = str(d.get("reviewer") or "").strip() or "anonyme"
    return f"{name}, {str(d.get('imported_at', ''))[:10]}"


def review_notes(
    decisions: pd.DataFrame, passages: pd.DataFrame, codebook: Codebook
) -> tuple[dict[tuple[str, str], str], dict[str, list[str]], list[dict]]:
    """Notes on tags touched by an imported decision, notes on passages (for the untagged
    sheet), and the effective rejections (shown on their rows, so they can be undone)."""
    label = {t.id: t.label for t in codebook.themes}
    per_tag: dict[tuple[str, str], str] = {}
    per_passage: dict[str, list[str]] = {}
    rejected: list[dict] = []
    for d in effective_decisions(decisions, passages).to_dict("records"):
        pid, tid, kind = str(d["passage_id"]), d["theme_id"], d["decision"]
        target = d["new_theme_id"] or tid
        strength = d.get("new_strength")
        strength = (f", force « {STRENGTH_LABELS.get(strength, strength)} »"
                    if isinstance(strength, str) and strength else "")
        if kind == "rejeter":
            per_tag[(pid, tid)] = (f"REJETÉ ({_who(d)}). Pour annuler le rejet : choisissez "
                                   f"Valider sur cette ligne.")
            per_passage.setdefault(pid, []).append(
                f"« {label.get(tid, tid)} » rejeté ({_who(d)})")
            rejected.append(d)
        elif kind == "valider":
            per_tag[(pid, target)] = f"Validé ({_who(d)})"
        elif kind == "ajouter":
            per_tag[(pid, target)] = f"Ajouté{strength} ({_who(d)})"
        elif target != tid:
            per_tag[(pid, target)] = (f"Corrigé depuis « {label.get(tid, tid)} »{strength} "
                                      f"({_who(d)})")
            per_passage.setdefault(pid, []).append(
                f"« {label.get(tid, tid)} » corrigé en « {label.get(target, target)} »")
        else:
            per_tag[(pid, target)] = f"Corrigé{strength or ' (position)'} ({_who(d)})"
    return per_tag, per_passage, rejected


def _rejected_tags(inputs: WorkbookInputs, rejected: list[dict]) -> pd.DataFrame:
    """The machine tags a reviewer rejected (still found by the tagger), origin 'rejected'."""
    auto = inputs.auto_tags
    if auto is None or not len(auto) or not rejected:
        return inputs.tags.iloc[0:0]
    auto = auto.assign(passage_id=auto["passage_id"].astype(str))
    wanted = {(str(d["passage_id"]), d["theme_id"]) for d in rejected}
    shown = set(zip(inputs.tags["passage_id"].astype(str), inputs.tags["theme_id"],
                    strict=True))
    keep = [(p, t) in wanted and (p, t) not in shown
            for p, t in zip(auto["passage_id"], auto["theme_id"], strict=True)]
    return auto[keep].assign(origin="rejected")


def passages_sheet_frame(inputs: WorkbookInputs, cfg: Config) -> pd.DataFrame:
    """One row per passage x theme, in reading order, with display columns; the tags a
    reviewer rejected are kept, marked (origin 'rejetée'), so the rejection can be undone."""
    cb = inputs.codebook
    view = _passage_view(inputs.passages, cfg)
    notes, _, rejected = review_notes(inputs.decisions, inputs.passages, cb)
    tags = pd.concat([inputs.tags, _rejected_tags(inputs, rejected)], ignore_index=True)
    tags["passage_id"] = tags["passage_id"].astype(str)
    theme_rank = {t: i for i, t in enumerate(cb.theme_ids)}
    tags["_theme_rank"] = tags["theme_id"].map(theme_rank).fillna(len(theme_rank))
    df = view.merge(tags, on="passage_id", how="inner", sort=False)
    df = df.sort_values(["_rank", "source", "path", "_page", "_start", "_theme_rank"],
                        kind="stable")
    known = set(cb.theme_ids)
    df["theme_label"] = [cb.label_of(t) if t in known else t for t in df["theme_id"]]
    df["axis_label"] = [cb.axes[cb.axis_of(t)] if t in known else "" for t in df["theme_id"]]
    df["strength"] = df["strength"].map(lambda s: STRENGTH_LABELS.get(s, s))
    df["rejected"] = df["origin"] == "rejected"
    df["origin"] = df["origin"].map(lambda s: ORIGIN_LABELS.get(s, s))
    df["previous"] = [notes.get((p, t), "") for p, t in zip(df["passage_id"], df["theme_id"],
                                                            strict=True)]
    return df.reset_index(drop=True)


def untagged_sheet_frame(inputs: WorkbookInputs, cfg: Config) -> pd.DataFrame:
    """Passages with no tag at all (a reviewer can add a theme)."""
    view = _passage_view(inputs.passages, cfg)
    tagged = set(inputs.tags["passage_id"].astype(str))
    df = view[~view["passage_id"].isin(tagged)].copy()
    _, notes, _ = review_notes(inputs.decisions, inputs.passages, inputs.codebook)
    df["previous"] = ["\n".join(notes.get(p, [])) for p in df["passage_id"]]
    return df.reset_index(drop=True)


def questionnaire_sheet_frame(inputs: WorkbookInputs, cfg: Config) -> pd.DataFrame:
    """Answers per list and question with their themes; lists without answers included."""
    cb = inputs.codebook
    questions = {q.id: q.text for q in cfg.questions}
    questions.setdefault("engagements", "Grille d'engagements thème par thème")
    q_rank = {q: i for i, q in enumerate(questions)}
    view = _passage_view(inputs.passages, cfg)
    view = view[view["source"] == "questionnaire"]
    tags = inputs.tags.assign(passage_id=inputs.tags["passage_id"].astype(str))
    themes_of = tags.groupby("passage_id")["theme_id"].agg(set).to_dict()
    rows = []
    for (list_id, qid), group in view.groupby(["list_id", "question_id"], sort=False,
                                              dropna=False):
        found = set().union(*[themes_of.get(p, set()) for p in group["passage_id"]])
        qid = "" if pd.isna(qid) else str(qid)
        rows.append({
            "list_id": list_id, "list_name": cfg.list_name(list_id), "question_id": qid,
            "question": nbsp(questions.get(qid, qid)),
            "text": "\n\n".join(group["text"].astype(str)),
            "themes": ", ".join(cb.label_of(t) for t in cb.theme_ids if t in found),
            "passage_ids": ", ".join(group["passage_id"]),
            "document": ", ".join(dict.fromkeys(group["path"].astype(str))),
        })
    answered = set(view["list_id"])
    declared = set()
    if inputs.responses is not None:
        said = inputs.responses[inputs.responses["answered"].astype(bool)]
        declared = set(said["list_id"].astype(str)) - answered
    for li in cfg.lists:
        if li.id not in answered:
            text = ("— Réponse reçue, sans texte exploitable —" if li.id in declared
                    else NO_ANSWER)
            rows.append({"list_id": li.id, "list_name": li.name, "question_id": "",
                         "question": "", "text": text, "themes": "", "passage_ids": "",
                         "document": ""})
    df = pd.DataFrame(rows, columns=["list_id", "list_name", "question_id", "question", "text",
                                     "themes", "passage_ids", "document"])
    rank = list_rank(cfg)
    df["_r"] = df["list_id"].map(rank).fillna(len(rank))
    df["_q"] = df["question_id"].map(q_rank).fillna(len(q_rank))
    return df.sort_values(["_r", "_q"], kind="stable").reset_index(drop=True)


def synthesis_levels(
    coverage: pd.DataFrame, cfg: Config, codebook: Codebook, source: str | None
) -> pd.DataFrame:
    """Theme x list frame of `coverage.level`: both sources combined (`source` None, as in
    the charts) or one source; None where the list sent no document of that source."""
    cov = overall(coverage) if source is None else coverage[coverage["source"] == source]
    lists = list_ids(cfg, coverage)
    levels = (cov.drop_duplicates(["theme_id", "list_id"])
              .set_index(["theme_id", "list_id"])["level"].astype(object).unstack()
              .reindex(index=codebook.theme_ids, columns=lists))
    received = (cov.groupby("list_id")["received"].any() if source is not None
                else pd.Series(True, index=lists))
    for lid in lists:
        levels[lid] = (levels[lid].fillna("absent") if bool(received.get(lid, False))
                       else None)
    return levels.astype(object).where(levels.notna(), None)
