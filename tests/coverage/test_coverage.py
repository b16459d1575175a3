"""Coverage arithmetic on small hand-made frames, questionnaire analysis, run_coverage."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import contracts
from analysis.codebook import Codebook, Theme
from analysis.common.errors import UserError
from analysis.config import load_config
from analysis.coverage import compute as cov_mod
from analysis.coverage import questionnaire as qa
from analysis.coverage import run_coverage

LISTS = ["l1", "l2", "l3"]     # l3 has no passage at all


@pytest.fixture
def codebook() -> Codebook:
    return Codebook(
        name="test", version="1", path=Path("none.yml"),
        axes={"a": "Axe A", "b": "Axe B"},
        themes=[Theme("t1", "a", "Thème un"), Theme("t2", "a", "Thème deux"),
                Theme("t3", "b", "Thème trois"), Theme("t4", "b", "Thème quatre")],
    )


def passage(pid, list_id, source="programme", text="texte", page=1, question=None):
    return {"passage_id": pid, "list_id": list_id, "source": source, "doc_id": f"{list_id}-d",
            "path": f"programmes/{list_id}/p.pdf" if source == "programme" else f"q/{list_id}",
            "page": page, "section": "", "question_id": question, "text": text,
            "char_start": 0, "char_end": len(text)}


def tag(pid, theme, stance="favorable", strength="general", origin="auto", evidence="mot"):
    return {"passage_id": pid, "theme_id": theme, "stance": stance, "strength": strength,
            "evidence": evidence, "origin": origin}


@pytest.fixture
def passages() -> pd.DataFrame:
    rows = [passage(f"p{i}", "l1") for i in range(1, 5)]               # 4 programme passages
    rows += [passage("q1", "l1", "questionnaire", question="q1"),
             passage("q2", "l1", "questionnaire", question="q2")]      # l1 answered
    rows += [passage(f"m{i}", "l2") for i in range(1, 3)]              # l2: programme only
    return pd.DataFrame(rows, columns=contracts.PASSAGES)


@pytest.fixture
def tags() -> pd.DataFrame:
    return pd.DataFrame([
        tag("p1", "t1", strength="concret"),
        tag("p2", "t1", stance="neutre", strength="mention"),
        tag("p3", "t2", stance="restrictif", strength="concret"),      # restrictive only
        tag("p1", "t2", stance="restrictif", strength="mention"),
        tag("p4", "t3", strength="mention", origin="review"),          # review tag counts
        tag("q1", "t1", strength="general"),
        tag("q2", "t2", strength="concret"),
        tag("m1", "t1", stance="favorable", strength="general"),       # tie: 1 fav, 1 restr
        tag("m2", "t1", stance="restrictif", strength="concret"),
        tag("zz", "t1"),                                                # unknown passage
        tag("p1", "unknown_theme"),                                     # unknown theme
    ], columns=contracts.TAGS)


def cell(cov, li, th, src="programme"):
    row = cov[(cov.list_id == li) & (cov.theme_id == th) & (cov.source == src)]
    assert len(row) == 1
    return row.iloc[0]


@pytest.fixture
def cov(passages, tags, codebook):
    return cov_mod.compute_coverage(passages, tags, codebook, LISTS, {"l1": True, "l2": False})


def test_every_list_theme_source_row_is_present(cov):
    assert list(cov.columns[:len(contracts.COVERAGE)]) == contracts.COVERAGE
    assert len(cov) == 3 * 4 * 2
    assert not cov.duplicated(["list_id", "theme_id", "source"]).any()
    assert set(cov["axis"]) == {"a", "b"}


def test_share_is_tagged_passages_over_all_passages_of_list_and_source(cov):
    c = cell(cov, "l1", "t1")
    assert c.n_passages == 2 and c.n_source_passages == 4
    assert c.share == pytest.approx(0.5)
    assert cell(cov, "l1", "t1", "questionnaire").share == pytest.approx(0.5)


def test_score_is_strongest_non_restrictive_strength(cov):
    assert cell(cov, "l1", "t1").score == 3                     # concret favorable
    assert cell(cov, "l1", "t1").stance in ("favorable", "neutre")   # 1 fav / 1 neutral
    assert cell(cov, "l1", "t1").stance == "favorable"          # tie: favorable over neutre
    assert cell(cov, "l1", "t3").score == 1


def test_restrictive_only_theme_scores_zero_with_restrictive_stance(cov):
    c = cell(cov, "l1", "t2")
    assert c.score == 0 and c.stance == "restrictif" and c.n_passages == 2
    assert c.n_restrictif == 2 and c.n_favorable == 0


def test_tie_between_favorable_and_restrictive_goes_to_restrictive(cov):
    c = cell(cov, "l2", "t1")
    assert c.stance == "restrictif"
    assert c.score == 2          # the favorable 'general' tag still scores; restrictive never


def test_list_without_passages_gets_zero_rows(cov):
    rows = cov[cov.list_id == "l3"]
    assert len(rows) == 8
    assert (rows.n_passages == 0).all() and (rows.score == 0).all()
    assert rows.stance.isna().all() and rows.share.isna().all()
    assert not rows.received.any()


def test_no_answer_is_distinct_from_answered_but_silent(cov):
    not_answered = cell(cov, "l2", "t3", "questionnaire")
    silent = cell(cov, "l1", "t3", "questionnaire")
    assert not_answered.n_passages == 0 and silent.n_passages == 0
    assert pd.isna(not_answered.stance) and pd.isna(silent.stance)
    assert not not_answered.received and math.isnan(not_answered.share)
    assert silent.received and silent.share == 0


def test_theme_nobody_covers_is_all_zero(cov):
    rows = cov[cov.theme_id == "t4"]
    assert len(rows) == 6 and (rows.n_passages == 0).all() and rows.stance.isna().all()


def test_review_tag_is_counted_and_overrides_auto_on_same_passage(passages, codebook):
    tags = pd.DataFrame([
        tag("p1", "t1", stance="favorable", strength="concret", origin="auto"),
        tag("p1", "t1", stance="restrictif", strength="general", origin="review"),
    ], columns=contracts.TAGS)
    cov = cov_mod.compute_coverage(passages, tags, codebook, LISTS)
    c = cell(cov, "l1", "t1")
    assert c.n_passages == 1 and c.stance == "restrictif" and c.score == 0


def test_unknown_passages_and_themes_are_left_out(cov):
    assert cov["n_passages"].sum() == 9
    assert set(cov["theme_id"]) == {"t1", "t2", "t3", "t4"}


def test_list_seen_in_passages_but_not_in_config_is_added(passages, tags, codebook):
    extra = pd.concat([passages, pd.DataFrame([passage("x1", "l9")])], ignore_index=True)
    cov = cov_mod.compute_coverage(extra, tags, codebook, LISTS)
    assert "l9" in set(cov.list_id)
    assert len(cov) == 4 * 4 * 2


def test_answered_inferred_from_passages_without_responses_file(passages, tags, codebook):
    cov = cov_mod.compute_coverage(passages, tags, codebook, LISTS)
    assert cell(cov, "l1", "t4", "questionnaire").received
    assert not cell(cov, "l2", "t4", "questionnaire").received


def test_overall_combines_sources_exactly(cov):
    ov = cov_mod.overall(cov)
    c = ov[(ov.list_id == "l1") & (ov.theme_id == "t2")].iloc[0]
    # programme: 2 restrictive passages; questionnaire: 1 favorable concret passage
    assert c.n_passages == 3 and c.n_source_passages == 6
    assert c.score == 3 and c.stance == "restrictif"
    assert c.share == pytest.approx(0.5)
    assert len(ov) == 3 * 4


def test_level_is_one_word_per_list_and_theme(cov):
    assert list(cov.columns[:len(contracts.COVERAGE)]) == contracts.COVERAGE
    assert set(cov["level"]) <= set(contracts.LEVELS)
    assert cell(cov, "l1", "t1").level == "concret"
    assert cell(cov, "l1", "t3").level == "mention"
    assert cell(cov, "l1", "t2").level == "restrictif"       # restrictive only: not absent
    assert cell(cov, "l2", "t1").level == "mixte"            # favorable and restrictive
    assert cell(cov, "l1", "t4").level == "absent"
    assert (cov.loc[cov["n_restrictif"] > 0, "level"].isin(["restrictif", "mixte"])).all()
    assert (cov.loc[cov["n_passages"] == 0, "level"] == "absent").all()
    ov = cov_mod.overall(cov)
    c = ov[(ov.list_id == "l1") & (ov.theme_id == "t2")].iloc[0]
    assert c.level == "mixte"                     # restrictive programme, concrete answer
    assert cov_mod.level_of(0, 0, 0) == "absent" and cov_mod.level_of(2, 0, 3) == "general"


def test_axis_summary_counts_themes_by_level_and_length(cov, codebook):
    ax = cov_mod.axis_summary(cov, codebook)
    assert list(ax.columns) == cov_mod.AXIS_SUMMARY
    l1a = ax[(ax.list_id == "l1") & (ax.axis == "a")].iloc[0]
    assert l1a.n_themes == 2 and l1a.n_addressed == 2
    assert l1a.n_concret == 1 and l1a.n_mixte == 1 and l1a.n_engaged == 1
    # mentions on axis a: t1 (2 programme + 1 questionnaire) + t2 (2 + 1), for 6 passages
    assert l1a.mentions_per_100 == pytest.approx(100 * 6 / 6)
    l1b = ax[(ax.list_id == "l1") & (ax.axis == "b")].iloc[0]
    assert l1b.mentions_per_100 == pytest.approx(100 * 1 / 6)
    prog = cov_mod.axis_summary(cov, codebook, source="programme")
    p1a = prog[(prog.list_id == "l1") & (prog.axis == "a")].iloc[0]
    assert p1a.n_engaged == 1 and p1a.n_restrictif == 1 and p1a.n_absent == 0
    assert p1a.n_addressed == 2                  # a restrictive-only theme is addressed
    levels = [f"n_{lv}" for lv in contracts.LEVELS]
    assert (ax[levels].sum(axis=1) == ax["n_themes"]).all()
    l3 = ax[ax.list_id == "l3"]
    assert (l3.n_addressed == 0).all() and l3.mentions_per_100.isna().all()


def test_evidence_puts_dominant_stance_and_strength_first(passages, codebook):
    long = "Introduction. " * 30 + "Nous fermerons le centre d'accueil de nuit." + " Fin." * 30
    p = pd.concat([passages, pd.DataFrame([passage("p9", "l1", text=long, page=7)])])
    tags = pd.DataFrame([
        tag("p1", "t4", strength="concret"),
        tag("p9", "t4", stance="restrictif", strength="mention", evidence="fermerons"),
        tag("p2", "t4", stance="restrictif", strength="general"),
    ], columns=contracts.TAGS)
    ev = cov_mod.evidence(p, tags, codebook)
    top = ev[(ev.list_id == "l1") & (ev.theme_id == "t4")].sort_values("rank")
    assert list(top.passage_id) == ["p2", "p9", "p1"]
    snip = top[top.passage_id == "p9"].iloc[0].snippet
    assert "fermerons" in snip and snip.startswith("…") and len(snip) <= 225


def test_method_text_defines_terms_in_french():
    text = cov_mod.method_text()
    for word in ("Score", "restrictif", "Part des passages", "Position dominante", "Limites"):
        assert word in text


# ------------------------------------------------------------------ questionnaire analysis
def test_programme_vs_questionnaire_statuses(cov):
    cons = qa.programme_vs_questionnaire(cov)
    assert list(cons.columns) == qa.CONSISTENCY
    status = cons.set_index(["list_id", "theme_id"])["status"]
    assert status[("l1", "t1")] == qa.BOTH
    assert status[("l1", "t2")] == qa.BOTH             # a restrictive programme addresses it
    levels = cons.set_index(["list_id", "theme_id"])
    assert levels.loc[("l1", "t2"), "programme_level"] == "restrictif"
    assert levels.loc[("l1", "t2"), "questionnaire_level"] == "concret"
    assert status[("l1", "t3")] == qa.P_ONLY
    assert status[("l1", "t4")] == qa.NONE
    assert not cons[cons.list_id == "l2"]["answered"].any()


def test_response_table_from_file_and_inferred(tmp_path, passages):
    path = tmp_path / "questionnaire_responses.csv"
    path.write_text("list_id,answered,channel,date,n_questions_answered,n_words,path\n"
                    "l1,True,formulaire,2026-02-10,2,120,questionnaire/f.csv\n"
                    "l2,False,,,0,0,\n", encoding="utf-8")
    resp = qa.read_responses(path)
    table = qa.response_table(resp, LISTS, 8, passages)
    assert list(table.list_id) == LISTS
    assert table.set_index("list_id").loc["l1", "n_questions_answered"] == 2
    assert not table.set_index("list_id").loc["l3", "answered"]
    inferred = qa.response_table(None, LISTS, 8, passages).set_index("list_id")
    assert inferred.loc["l1", "answered"] and not inferred.loc["l2", "answered"]
    assert inferred.loc["l1", "n_questions_answered"] == 2


def test_response_dates_in_mixed_formats_are_all_read(tmp_path):
    path = tmp_path / "questionnaire_responses.csv"
    path.write_text("list_id,answered,channel,date,n_questions_answered,n_words,path\n"
                    "a,True,courrier,2026-02-23,8,1,x\n"
                    "b,True,formulaire,2026-02-09T18:42:13,8,1,y\n"
                    "c,oui,formulaire,25/02/2026,8,1,y\n"
                    "d,False,,,0,0,\n", encoding="utf-8")
    resp = qa.read_responses(path).set_index("list_id")
    assert [d.day if pd.notna(d) else None for d in resp["date"]] == [23, 9, 25, None]
    assert list(resp["answered"]) == [True, True, True, False]


def test_bad_responses_file_names_the_file(tmp_path):
    path = tmp_path / "questionnaire_responses.csv"
    path.write_text("liste,reponse\nl1,oui\n", encoding="utf-8")
    with pytest.raises(UserError, match="questionnaire_responses.csv"):
        qa.read_responses(path)


def test_answers_by_question(passages, tags, codebook):
    ans = qa.answers_by_question(passages, tags, codebook)
    assert list(ans.columns) == qa.ANSWERS
    q2 = ans[(ans.list_id == "l1") & (ans.question_id == "q2")].iloc[0]
    assert q2.theme_id == "t2" and q2.strength == "concret" and q2.stance == "favorable"


# ------------------------------------------------------------------ run_coverage
def test_run_coverage_writes_table_and_requires_inputs(tmp_path, capsys):
    from factories.sample import write_sample_project

    cfg = load_config(write_sample_project(tmp_path / "proj"))
    passages = pd.read_parquet(cfg.passages_path)
    tags_path = cfg.tags_path.rename(cfg.processed / "tags_saved.parquet")
    with pytest.raises(UserError, match="analysis tag"):
        run_coverage(cfg)
    tags_path.rename(cfg.tags_path)
    cfg.passages_path.unlink()
    with pytest.raises(UserError, match="analysis ingest"):
        run_coverage(cfg)
    passages.to_parquet(cfg.passages_path)
    cov = run_coverage(cfg)
    assert cfg.coverage_path.is_file()
    assert len(pd.read_parquet(cfg.coverage_path)) == len(cov) == len(cfg.lists) * 8 * 2
    q = cov[cov.source == "questionnaire"].drop_duplicates("list_id").set_index("list_id")
    assert not q.loc["liste-c", "received"] and q.loc["liste-a", "received"]
    out = capsys.readouterr().out
    assert out.startswith("[coverage]") and "3/4 listes ont répondu" in out
