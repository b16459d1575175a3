"""Speed features keep results: several workers, the on-disk pattern cache."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest

from analysis.config import load_config
from analysis.evaluation.scoring import EVAL_DIR, load_eval_set
from analysis.tagging import Tagger
from analysis.tagging.cache import CACHE_ENV
from analysis.tagging.tagger import _score as real_score
from analysis.tagging.tagger import _work as real_work

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def texts():
    gold = load_eval_set(EVAL_DIR / "dev2.jsonl")
    return gold["text"].tolist()[:300], gold["section"].tolist()[:300]


def test_two_workers_give_the_same_findings_in_the_same_order(tmp_path, texts):
    cfg = load_config(processed=tmp_path / "processed")
    one = Tagger.from_config(cfg, use_cache=False, workers=1).tag_texts(*texts[:1],
                                                                       sections=texts[1])
    two = Tagger.from_config(cfg, use_cache=False, workers=2).tag_texts(*texts[:1],
                                                                       sections=texts[1])
    assert one == two
    assert sum(bool(found) for found in one) > 50


def _marked(kind: str, size: int) -> None:
    (Path(os.environ["SCORER_MARKS"]) / f"{kind}-{size}-{uuid.uuid4().hex}").touch()


def _marking_score(keys):
    """The scorer process's `_score`, leaving a mark of each job it scores."""
    _marked("scored", len(keys))
    return real_score(keys)


def _failing_score(keys):
    raise RuntimeError("scorer down")


def _marking_work(job):
    """A worker's `_work`, marking each job that came without its probabilities."""
    keys, probs = job
    if keys and probs is None:
        _marked("unscored", len(keys))
    return real_work(job)


def _marks(folder: Path, kind: str) -> int:
    return sum(int(p.name.split("-")[1]) for p in folder.glob(f"{kind}-*"))


@pytest.mark.parametrize("scorer", ["works", "fails"])
def test_the_scorer_process_changes_no_result_and_its_failure_stops_nothing(
        tmp_path, texts, monkeypatch, scorer):
    """With workers, the second opinion is computed by a process of its own, forked before
    the model loads, and each job reaches a worker with its probabilities; if that process
    fails, the workers compute them: the same findings either way."""
    from analysis.tagging import tagger as tagger_module

    cfg = load_config(processed=tmp_path / "processed")
    expected = Tagger.from_config(cfg, use_cache=False, workers=1).tag_texts(
        *texts[:1], sections=texts[1])
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv("SCORER_MARKS", str(marks))
    monkeypatch.setattr(tagger_module, "_score",
                        _marking_score if scorer == "works" else _failing_score)
    monkeypatch.setattr(tagger_module, "_work", _marking_work)
    two = Tagger.from_config(cfg, use_cache=False, workers=2)
    assert two._classifier is not None            # the default codebook has one
    assert two.tag_texts(*texts[:1], sections=texts[1]) == expected
    tagged = two.stats["analysed"]
    assert tagged > 250
    if scorer == "works":
        assert _marks(marks, "scored") == tagged and _marks(marks, "unscored") == 0
    else:
        assert _marks(marks, "scored") == 0 and _marks(marks, "unscored") == tagged


def test_compiled_patterns_are_cached_on_disk_and_reused(tmp_path, texts, monkeypatch):
    from analysis.tagging import tagger as tagger_module

    monkeypatch.setattr(tagger_module, "_COMPILED", {})   # as in a fresh process
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared"))
    cfg = load_config(processed=tmp_path / "processed")
    first = Tagger.from_config(cfg, workers=1)
    expected = first.tag_texts(texts[0][:40])
    first.close()
    cached = list((tmp_path / "shared").glob("patterns-*.json"))
    assert len(cached) == 1
    json.loads(cached[0].read_text(encoding="utf-8"))          # a readable file
    monkeypatch.setattr(tagger_module, "_COMPILED", {})
    second = Tagger.from_config(cfg, workers=1)
    second.cache.put_many({})                                       # results not reused:
    second.cache = None                                             # patterns only
    assert second.tag_texts(texts[0][:40]) == expected


def test_two_workers_compile_the_same_patterns_as_one(tmp_path, texts, monkeypatch):
    from analysis.tagging import tagger as tagger_module

    files = []
    for workers in (1, 2):
        monkeypatch.setattr(tagger_module, "_COMPILED", {})   # a cold start each time
        monkeypatch.setenv(CACHE_ENV, str(tmp_path / f"shared{workers}"))
        cfg = load_config(processed=tmp_path / f"processed{workers}")
        tagger = Tagger.from_config(cfg, workers=workers)
        tagger._ensure_model()
        assert tagger._matcher.workers == workers
        tagger.close()
        files += list((tmp_path / f"shared{workers}").glob("patterns-*.json"))
    assert len(files) == 2 and files[0].name == files[1].name
    assert files[0].read_bytes() == files[1].read_bytes()


def test_with_every_result_cached_two_workers_load_no_model(tmp_path, texts):
    cfg = load_config(processed=tmp_path / "processed")
    first = Tagger.from_config(cfg, workers=2)
    expected = first.tag_texts(texts[0][:30])
    first.close()
    second = Tagger.from_config(cfg, workers=2)
    assert second.tag_texts(texts[0][:30]) == expected
    assert not second.model_loaded
    mixed = second.tag_texts(texts[0][:30] + ["Nous créerons une épicerie solidaire à Lille."])
    assert mixed[:30] == expected and second.model_loaded and mixed[30]
    second.close()
