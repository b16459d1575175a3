"""Stable identifiers: the same text at the same place of the same file gives the same id,
on every run and every machine."""

from __future__ import annotations

import hashlib
import unicodedata

import pandas as pd

ID_LENGTH = 16


def normalise_text(text: str) -> str:
    """NFC, whitespace collapsed: the form of a passage that its id depends on."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def passage_id(list_id: str, path: str, page: int | None, text: str, occurrence: int) -> str:
    """sha1 of (list, path, page, normalised text, occurrence of that text in the file),
    16 hex characters."""
    page_key = "" if page is None or pd.isna(page) else str(int(page))
    key = "\x1f".join([list_id, path, page_key, normalise_text(text), str(occurrence)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:ID_LENGTH]


def doc_id(list_id: str, path: str) -> str:
    """A short readable document id: list id and a hash of the file's path (and row)."""
    return f"{list_id}-{hashlib.sha1(path.encode('utf-8')).hexdigest()[:8]}"


def assign_passage_ids(frame: pd.DataFrame) -> pd.Series:
    """passage_id for each row of a passages frame (rows in document order)."""
    occurrence = frame.groupby(
        [frame["list_id"], frame["path"], frame["text"].map(normalise_text)], sort=False
    ).cumcount()
    return pd.Series(
        [
            passage_id(li, p, pg, t, int(o))
            for li, p, pg, t, o in zip(
                frame["list_id"], frame["path"], frame["page"], frame["text"], occurrence,
                strict=True,
            )
        ],
        index=frame.index, dtype="str",
    )
