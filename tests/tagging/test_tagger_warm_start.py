"""The warm start: the compiled state read back from disk, the phrase tables matched in
Python as spaCy's matchers match them, the tokenizer's words kept between jobs."""

from __future__ import annotations

import pickle

import pytest

import analysis.tagging.matcher as matcher_module
from analysis.config import load_config
from analysis.evaluation.scoring import EVAL_DIR, load_eval_set
from analysis.tagging import Tagger
from analysis.tagging import tagger as tagger_module
from analysis.tagging.cache import CACHE_ENV, KeptWords

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def texts():
    gold = load_eval_set(EVAL_DIR / "dev.jsonl")
    return gold["text"].tolist()[:400]


@pytest.fixture()
def fresh(monkeypatch, tmp_path):
    """As in a new process: no matcher compiled yet, an empty shared cache."""
    monkeypatch.setattr(tagger_module, "_COMPILED", {})
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared"))


def _ready(tmp_path, name="processed") -> Tagger:
    """A tagger whose model and patterns are loaded (from the shared cache), with no result
    cache: every text goes through the matcher."""
    tagger = Tagger.from_config(load_config(processed=tmp_path / name), workers=1)
    tagger._ensure_model()
    tagger.close()
    tagger.cache = None
    return tagger


def test_the_warm_start_reads_the_compiled_state_and_compiles_nothing(
        tmp_path, texts, fresh, monkeypatch):
    first = _ready(tmp_path)
    expected = first.tag_texts(texts)
    state = list((tmp_path / "shared").glob("patterns-*.pickle"))
    assert [p.name for p in state] == [f"patterns-{first.fingerprint}.pickle"]

    monkeypatch.setattr(tagger_module, "_COMPILED", {})

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(matcher_module.PatternMatcher, "_build", no_compiling)
    second = _ready(tmp_path)
    assert second.tag_texts(texts) == expected


def test_an_unreadable_compiled_state_is_compiled_again(tmp_path, texts, fresh, monkeypatch):
    expected = _ready(tmp_path).tag_texts(texts[:60])
    state = next((tmp_path / "shared").glob("patterns-*.pickle"))
    for broken in (b"", b"not a pickle", pickle.dumps({"version": -1})):
        state.write_bytes(broken)
        monkeypatch.setattr(tagger_module, "_COMPILED", {})
        assert _ready(tmp_path).tag_texts(texts[:60]) == expected
        assert matcher_module._read_state(state) is not None      # rewritten, readable


def test_phrase_tables_find_what_spacy_matchers_find(tmp_path, texts, fresh):
    """The same (segment, start, end) as spaCy's PhraseMatcher (NORM, LOWER, ORTH) and
    Matcher (token patterns) built from the same tables, on real passages."""
    from spacy.matcher import Matcher, PhraseMatcher
    from spacy.tokens import Doc

    tagger = _ready(tmp_path)
    matcher, nlp = tagger._matcher, tagger._nlp
    vocab = nlp.vocab
    spacy_matchers = []
    for attr in matcher_module.ATTRS:
        phrase = PhraseMatcher(vocab, attr=attr)
        for words, segments in matcher._phrases[attr].items():
            doc = Doc(vocab, words=list(words))
            if attr == "NORM":
                for token, word in zip(doc, words, strict=True):
                    token.norm_ = word
            for seg in segments:
                phrase.add(f"S{seg}", [doc])
        spacy_matchers.append(phrase)
    tokens = Matcher(vocab)
    for seg, positions in matcher._token_patterns:
        tokens.add(f"S{seg}", [[{attr: {"IN": list(values)}} for attr, values in positions]])
    spacy_matchers.append(tokens)
    assert matcher._token_patterns      # « loi SRU »: a token pattern is tested too
    found_some = 0
    extra = ["La loi SRU sera respectée.", "Le CCAS et les CCASs.", "", "CCAS"]
    for doc in nlp.pipe([tagger_module.normalise_text(t) for t in texts + extra]):
        expected = {}
        for m in spacy_matchers:
            for key, start, end in m(doc):
                expected.setdefault(int(vocab.strings[key][1:]), set()).add((start, end))
        expected = {seg: sorted(spans) for seg, spans in expected.items()}
        assert matcher.segment_spans(doc) == expected, doc.text
        found_some += bool(expected)
    assert found_some > 100


def test_kept_words_are_tokenised_outside_memory_zones_up_to_a_limit(tmp_path, fresh):
    nlp = _ready(tmp_path)._nlp
    before = len(nlp.vocab.strings)
    kept = KeptWords(nlp, limit=50)
    kept.keep(nlp, [f"mot{i}inédit{j} et autre{i}chose" for i in range(40) for j in (0, 1)])
    assert kept.full
    added = len(nlp.vocab.strings) - before
    assert 50 <= added < 80                           # stops once the limit is reached
    with nlp.memory_zone():
        KeptWords(nlp).keep(nlp, ["zonemot inconnu"])   # inside a zone: nothing kept
    assert "zonemot" not in nlp.vocab.strings


def test_kept_words_change_no_result(tmp_path, texts, fresh, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(tagger_module, "KeptWords",
                      lambda nlp: KeptWords(nlp, limit=0))   # every new word in the zone
        zoned = _ready(tmp_path, "zoned")
        assert zoned._words_kept.full or zoned._words_kept.limit <= len(
            zoned._nlp.vocab.strings)
        expected = zoned.tag_texts(texts)
    monkeypatch.setattr(tagger_module, "_COMPILED", {})
    kept = _ready(tmp_path)
    assert not kept._words_kept.full
    assert kept.tag_texts(texts) == expected


def test_a_tagging_process_does_not_import_spacy_command_line():
    """`spacy.cli` (typer, weasel, requests) stays out of the tagging process; `spacy.info`
    still answers."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from analysis.tagging.nlp import load_nlp\n"
        "nlp = load_nlp()\n"
        "assert [t.norm_ for t in nlp('Une épicerie solidaire.')][1] == 'epicerie'\n"
        "assert not {'spacy.cli', 'weasel', 'typer'} & set(sys.modules), 'imported'\n"
        "import spacy\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


_JOB_LOG: dict = {}
_REAL_WORK = tagger_module._work


def _logged_work(job):
    """In a worker: which process tagged how many texts, then the real job."""
    import os

    keys, _ = job   # the keys and their second opinion (scored by the scorer process)
    with _JOB_LOG["path"].open("a") as f:
        f.write(f"{os.getpid()} {len(keys)}\n")
    return _REAL_WORK(job)


def test_two_workers_share_a_single_batch(tmp_path, texts, monkeypatch):
    """One batch larger than a job is cut into jobs for both workers, results in order."""
    log = tmp_path / "jobs.log"
    monkeypatch.setattr(tagger_module, "JOB_SIZE", 50)
    monkeypatch.setitem(_JOB_LOG, "path", log)
    monkeypatch.setattr(tagger_module, "_work", _logged_work)
    cfg = load_config(processed=tmp_path / "processed")
    one = Tagger.from_config(cfg, use_cache=False, workers=1)
    expected = list(one.tag_batches([(texts[:230], None)]))
    two = Tagger.from_config(cfg, use_cache=False, workers=2)
    assert list(two.tag_batches([(texts[:230], None), ([], None), (texts[230:260], None)])
                ) == expected + [[], expected_tail(one, texts[230:260])]
    assert two.stats["analysed"] == 260
    jobs = [line.split() for line in log.read_text().splitlines()]
    assert sorted(int(n) for _, n in jobs) == [0, 30, 30, 50, 50, 50, 50]
    assert len({pid for pid, n in jobs if n != "0"}) == 2    # both workers had work


def expected_tail(tagger, texts):
    return next(tagger.tag_batches([(texts, None)]))


def test_a_short_batch_is_cut_finer_so_that_the_workers_end_together():
    """A full batch goes out in jobs of JOB_SIZE; a short one (the input's last: here 214
    texts) in at least two jobs per worker, none under MIN_JOB texts; every text once, in
    order."""
    assert (tagger_module.JOB_SIZE, tagger_module.MIN_JOB) == (128, 32)
    parts = tagger_module.job_parts(list(range(214)), 2)
    assert [len(p) for p in parts] == [54, 54, 54, 52]
    assert [k for p in parts for k in p] == list(range(214))
    for n, workers, sizes in ((512, 2, [128] * 4), (1024, 2, [128] * 8),
                              (100, 2, [32, 32, 32, 4]), (20, 2, [20]), (300, 1, [128, 128, 44]),
                              (214, 3, [36, 36, 36, 36, 36, 34])):
        assert [len(p) for p in tagger_module.job_parts(list(range(n)), workers)] == sizes
    assert tagger_module.job_parts([], 2) == [[]]


def test_kept_phrase_ids_are_checked_against_the_pipeline(tmp_path, fresh):
    """The compiled state keeps the phrase tables on string ids (hashes); a warm start uses
    them only if they still spell the phrases with this pipeline's ids."""
    tagger = _ready(tmp_path)
    matcher, vocab = tagger._matcher, tagger._nlp.vocab
    for attr in matcher_module.ATTRS:
        ids = matcher._phrase_ids[attr]
        assert matcher_module.Phrases.ids_hold(vocab, matcher._phrases[attr], ids)
        assert matcher_module.Phrases(vocab, matcher._phrases[attr]).ids() == ids
    table, lengths = matcher._phrase_ids["NORM"]
    shifted = {tuple(i + 1 for i in key): segments for key, segments in table.items()}
    assert not matcher_module.Phrases.ids_hold(vocab, matcher._phrases["NORM"],
                                               (shifted, lengths))
