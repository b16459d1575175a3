"""The compiled codebook and spaCy's regular expressions live in one shared cache folder
($BAROMETRE_CACHE, else ~/.cache/barometre-solidarite), independent of --processed; the
results stay per processed folder."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import analysis.tagging.matcher as matcher_module
from analysis.config import PROJECT_ROOT, load_config
from analysis.tagging import Tagger
from analysis.tagging import tagger as tagger_module
from analysis.tagging.cache import CACHE_ENV, compiled_cache_dir, shared_cache_dir
from analysis.tagging.nlp import lemma_tables_file

pytestmark = pytest.mark.slow

LINES = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate([
    "• Créer une épicerie solidaire dans chaque quartier.",
    "Nous doublerons les maraudes et ouvrirons un accueil de jour.",
    "Les aides seront réservées aux Français.",
    "Nous rénoverons le stade municipal.",
    "La loi SRU sera respectée : 25 % de logements sociaux.",
])]


def _jsonl(processed: Path, shared: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**__import__("os").environ, CACHE_ENV: str(shared)}
    return subprocess.run(
        [sys.executable, "-m", "analysis", "tag", *(extra or ("--jsonl",)), "--processed",
         str(processed)], input="".join(line + "\n" for line in LINES), capture_output=True,
        text=True, encoding="utf-8", cwd=PROJECT_ROOT, env=env, timeout=300, check=True)


def _compiled(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*") if p.suffix in (".json", ".pickle"))


def test_the_shared_folder_is_asked_by_env_then_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "mine"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert shared_cache_dir() == tmp_path / "mine"
    assert compiled_cache_dir(tmp_path / "proc") == tmp_path / "mine"
    assert (tmp_path / "mine").is_dir()
    monkeypatch.delenv(CACHE_ENV)
    assert shared_cache_dir() == tmp_path / "xdg" / "barometre-solidarite"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")   # XDG: absolute paths only
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert shared_cache_dir() == tmp_path / "home" / ".cache" / "barometre-solidarite"


def test_two_processed_folders_share_one_compiled_cache(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    first = _jsonl(tmp_path / "a", shared)
    assert any(n.startswith("patterns-") and n.endswith(".pickle") for n in _compiled(shared))
    assert any(n.startswith("spacy-regexes-") for n in _compiled(shared))
    # the second folder compiles nothing (checked in this process: no _build)
    monkeypatch.setenv(CACHE_ENV, str(shared))
    monkeypatch.setattr(tagger_module, "_COMPILED", {})

    def no_compiling(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(matcher_module.PatternMatcher, "_build", no_compiling)
    tagger = Tagger.from_config(load_config(processed=tmp_path / "b"), workers=1)
    texts = [json.loads(line)["text"] for line in LINES]
    found = tagger.tag_texts(texts)
    tagger.close()
    expected = [json.loads(line)["themes"] for line in first.stdout.splitlines()]
    assert [[t["id"] for t in f] for f in found] == [[t["id"] for t in e] for e in expected]
    for proc in ("a", "b"):   # results per folder, nothing compiled beside them
        assert _compiled(tmp_path / proc / ".cache") == []
        assert (tmp_path / proc / ".cache" / "tagger.sqlite").is_file()


def test_prepare_makes_the_first_run_warm_with_the_same_output(tmp_path):
    cold = _jsonl(tmp_path / "cold", tmp_path / "cold-cache")
    prepared = _jsonl(tmp_path / "setup", tmp_path / "shared", "--prepare")
    assert "prêts dans" in prepared.stdout and str(tmp_path / "shared") in prepared.stdout
    assert lemma_tables_file() in _compiled(tmp_path / "shared")   # packed lemma tables
    assert not list((tmp_path / "shared").glob("tagger.sqlite"))
    again = _jsonl(tmp_path / "setup", tmp_path / "shared", "--prepare")
    assert "déjà prêts" in again.stdout
    warm = _jsonl(tmp_path / "new", tmp_path / "shared")
    assert warm.stdout == cold.stdout and warm.stdout.count("\n") == len(LINES)
    assert _compiled(tmp_path / "shared") == _compiled(tmp_path / "cold-cache")


def test_an_unwritable_shared_folder_falls_back_to_the_processed_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")   # even root cannot create a folder under a file
    proc = _jsonl(tmp_path / "proc", blocker / "cache")
    assert "Dossier de cache partagé" in proc.stderr and CACHE_ENV in proc.stderr
    assert str(tmp_path / "proc" / ".cache") in proc.stderr
    compiled = _compiled(tmp_path / "proc" / ".cache")
    assert any(n.endswith(".pickle") for n in compiled)
    assert any(n.startswith("spacy-regexes-") for n in compiled)
    reference = _jsonl(tmp_path / "other", tmp_path / "shared")
    assert proc.stdout == reference.stdout


def test_damaged_shared_files_are_rebuilt_with_the_same_output(tmp_path):
    shared = tmp_path / "shared"
    expected = _jsonl(tmp_path / "first", shared).stdout
    names = _compiled(shared)
    for damage in (b"", b"\x80garbage{", b"{\"engine\": 1}"):
        for name in names:
            (shared / name).write_bytes(damage)
        assert _jsonl(tmp_path / f"p{len(damage)}", shared).stdout == expected
        assert _compiled(shared) == names
        state = next(shared.glob("patterns-*.pickle"))
        assert pickle.loads(state.read_bytes())["version"] == matcher_module.STATE_VERSION
        for name in names:
            if name.endswith(".json"):
                json.loads((shared / name).read_text(encoding="utf-8"))   # readable again
