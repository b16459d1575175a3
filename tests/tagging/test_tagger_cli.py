"""`python -m analysis tag --jsonl` (subprocess) and the `tag` pipeline stage."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis.common.errors import UserError
from analysis.config import PROJECT_ROOT, load_config
from analysis.contracts import TAGS

pytestmark = pytest.mark.slow


def _run_jsonl(lines: list[str], processed) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analysis", "tag", "--jsonl", "--processed", str(processed)],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True,
        encoding="utf-8", cwd=PROJECT_ROOT, timeout=300, check=False,
    )


def test_jsonl_one_line_per_input_in_order_with_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "• Créer une épicerie solidaire dans chaque quartier."}),
        "{ceci n'est pas du JSON",
        json.dumps({"id": 7, "text": "Nous doublerons les maraudes et ouvrirons un accueil."}),
        json.dumps({"id": "sans-texte"}),
        json.dumps(["pas", "un", "objet"]),
        "",
        json.dumps({"id": "c", "text": "Nous rénoverons le stade municipal."}),
        json.dumps({"id": "d", "text": "Les aides seront réservées aux Français.",
                    "extra": "ignoré"}, ensure_ascii=False),
    ]
    proc = _run_jsonl(lines, tmp_path / "proc")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o["id"] for o in out] == ["a", None, 7, "sans-texte", None, None, "c", "d"]
    assert [t["id"] for t in out[0]["themes"]] == ["aide_alimentaire"]
    assert out[0]["themes"][0]["stance"] == "favorable"
    assert {t["id"] for t in out[2]["themes"]} == {"sans_abri"}
    assert out[6]["themes"] == [] and "error" not in out[6]
    for bad in (1, 3, 4, 5):
        assert out[bad]["themes"] == [] and out[bad]["error"].startswith(f"ligne {bad + 1}")
    assert "JSON invalide" in out[1]["error"] and '"text" absent' in out[3]["error"]
    assert proc.stderr.count("tag --jsonl : ligne") == 4
    assert out[7]["themes"][0]["stance"] == "restrictif"


def test_jsonl_rerun_is_served_from_the_cache(tmp_path):
    lines = [json.dumps({"id": i, "text": f"Nous créerons {i} places en CHRS."}) for i in range(5)]
    first = _run_jsonl(lines, tmp_path / "proc")
    second = _run_jsonl(lines, tmp_path / "proc")
    assert first.stdout == second.stdout
    assert "cache 5/5" in second.stderr
    assert (tmp_path / "proc" / ".cache" / "tagger.sqlite").is_file()


@pytest.fixture
def cfg(tmp_path):
    return load_config(None, raw=tmp_path / "raw", processed=tmp_path / "processed",
                       reports=tmp_path / "reports", reviews=tmp_path / "reviews")


def test_run_tag_writes_auto_and_reviewed_tags(cfg, capsys):
    from analysis.review import run as run_review
    from analysis.tagging import run_tag

    cfg.processed.mkdir(parents=True)
    passages = pd.DataFrame({
        "passage_id": ["p1", "p2", "p3", "p4"],
        "list_id": ["aix-solidaire"] * 4,
        "text": [
            "• Créer deux épiceries solidaires et renforcer le CCAS.",
            "Nous réaliserons une nouvelle piste cyclable.",
            "• Créer deux épiceries solidaires et renforcer le CCAS.",
            None,
        ],
    })
    passages.to_parquet(cfg.passages_path)
    tags = run_tag(cfg)
    auto = pd.read_parquet(cfg.processed / "tags_auto.parquet")
    assert list(auto.columns) == TAGS and list(tags.columns) == TAGS
    assert set(auto["origin"]) == {"auto"}
    assert sorted(auto[auto.passage_id == "p1"]["theme_id"]) == [
        "accompagnement_social", "aide_alimentaire"]
    assert auto[auto.passage_id == "p1"].reset_index(drop=True).equals(
        auto[auto.passage_id == "p3"].reset_index(drop=True).assign(passage_id="p1"))
    assert not auto["passage_id"].isin(["p2", "p4"]).any()
    run_review(cfg)  # the `tag` command's second stage: tags.parquet
    assert cfg.tags_path.is_file()
    first = capsys.readouterr().out
    assert "[tag] 4 passages" in first and "cache 0/4" in first
    run_tag(cfg)
    assert "cache 3/4" in capsys.readouterr().out


def test_run_tag_without_passages_says_what_to_do(cfg):
    from analysis.tagging import run_tag

    with pytest.raises(UserError, match="lancez d'abord `python -m analysis ingest`"):
        run_tag(cfg)
