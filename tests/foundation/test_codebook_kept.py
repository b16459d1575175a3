"""The parsed codebook kept in the shared cache folder: read back while nothing changed,
parsed again when the file, the code or the copy changes, never an error of its own."""

from __future__ import annotations

import re
import shutil

import pytest

import analysis.codebook as codebook_module
from analysis.codebook import load_codebook
from analysis.common.cache_dir import CACHE_ENV
from analysis.common.errors import UserError
from analysis.config import DEFAULT_CODEBOOK


@pytest.fixture
def book(tmp_path, monkeypatch):
    """A copy of the project's codebook (and its model), a shared folder of its own."""
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "shared"))
    folder = tmp_path / "codebooks"
    folder.mkdir()
    for source in DEFAULT_CODEBOOK.parent.glob(f"{DEFAULT_CODEBOOK.stem}*"):
        shutil.copy(source, folder / source.name)
    return folder / DEFAULT_CODEBOOK.name


def kept(tmp_path):
    return sorted((tmp_path / "shared").glob("codebook-*.pickle"))


def test_a_codebook_read_once_is_read_back_without_parsing(book, tmp_path, monkeypatch):
    first = load_codebook(book)
    assert len(kept(tmp_path)) == 1

    def no_parsing(path):
        raise AssertionError("parsed again")

    monkeypatch.setattr(codebook_module, "_parse_codebook", no_parsing)
    again = load_codebook(book)
    assert again == first and again is not first
    assert again.fingerprint == first.fingerprint
    assert again.themes[0].patterns == first.themes[0].patterns


def test_a_changed_codebook_is_parsed_again(book, tmp_path):
    first = load_codebook(book)
    text = book.read_text(encoding="utf-8")
    book.write_text(re.sub(r"(?m)^version: .*$", "version: '1999.1'", text, count=1),
                    encoding="utf-8")
    changed = load_codebook(book)
    assert changed.version == "1999.1" != first.version
    assert len(kept(tmp_path)) == 2
    # a bad codebook is never kept: its error is said at each start
    book.write_text(text.replace("themes:", "themes_mal_ecrit:", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(UserError, match="clé"):
            load_codebook(book)
    assert len(kept(tmp_path)) == 2


def test_a_damaged_copy_is_parsed_again_and_rewritten(book, tmp_path):
    expected = load_codebook(book)
    (copy,) = kept(tmp_path)
    for damage in (b"", b"\x80garbage", b"\x80\x05K\x01."):   # the last: a pickled 1
        copy.write_bytes(damage)
        assert load_codebook(book) == expected
        assert kept(tmp_path) == [copy] and copy.read_bytes() != damage


def test_the_model_removed_after_the_copy_is_said_as_before(book, tmp_path):
    first = load_codebook(book)
    assert first.classifier is not None and first.classifier.is_file()
    first.classifier.unlink()
    with pytest.raises(UserError, match="classifier|modèle"):
        load_codebook(book)


def test_an_unwritable_shared_folder_only_costs_the_parsing(book, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "shared"))
    assert load_codebook(book) == load_codebook(book)
    assert blocker.read_text() == "not a folder"
