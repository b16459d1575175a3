"""Decisions anchored on content, not on place.

A ``passage_id`` depends on the file's path and page: renaming a programme file, renaming
its list folder, re-sending a PDF with one more page or a new form-export name gives every
passage a new id. So each decision also keeps (as web annotation tools anchor a highlight
on its text): the list, the source, the document and page it was made on, a fingerprint of
the passage's normalised text (``text_sha1``), the text itself (``quote``) and a little
context (``quote_prefix``: the end of the previous passage of the document,
``quote_suffix``: the start of the next one).

At every run (:func:`resolve`), each decision is attached to a current passage:

1. ``en_place``: its passage_id still exists;
2. ``rattachee``: a passage of the same list (any file, any page) has the same normalised
   text; among several, the one whose context (previous / next passage), document and
   source match best;
3. ``rapprochee``: a passage of the same list has a near-identical text: similarity
   (:func:`rapidfuzz.fuzz.ratio` of the normalised texts, 0-100, i.e. 100 x (1 - Indel
   distance / total length)) at least :data:`SIMILARITY_THRESHOLD` (small edits, a word
   cut by hyphenation, a re-sent version); the most similar wins, context breaks ties;
4. else ``orpheline``: kept in decisions.csv, listed in orphelins.csv, counted loudly.

The store is never rewritten: the attachment is recomputed at every run from the anchor.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pandas as pd
from rapidfuzz import fuzz, process

SIMILARITY_THRESHOLD = 90.0
CONTEXT_CHARS = 60
QUOTE_MAX_CHARS = 2000

EN_PLACE, RATTACHEE, RAPPROCHEE, ORPHELINE = "en_place", "rattachee", "rapprochee", "orpheline"
STATUS_LABELS = {
    EN_PLACE: "à sa place",
    RATTACHEE: "rattachée (même texte ailleurs : fichier renommé, déplacé, autre page)",
    RAPPROCHEE: f"rapprochée (texte quasi identique, similarité ≥ {SIMILARITY_THRESHOLD:.0f} %)",
    ORPHELINE: "orpheline (texte introuvable dans la liste)",
}
RESOLVED_EXTRA = ["stored_passage_id", "anchor_status", "similarity"]

_TRANSLATE = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00ab": '"',
                            "\u00bb": '"', "\u201c": '"', "\u201d": '"', "\u2013": "-",
                            "\u2014": "-", "\u2010": "-", "\u2011": "-", "\u00a0": " ",
                            "\u202f": " ", "\u00ad": None})
_HYPHEN_BREAK = re.compile(r"(\w)- (\w)")


def normalise(text: object) -> str:
    """The form of a text its anchor compares: NFKC, case folded, typographic quotes and
    dashes unified, soft hyphens removed, words cut by a line-end hyphen rejoined,
    whitespace collapsed."""
    s = unicodedata.normalize("NFKC", str(text or "")).translate(_TRANSLATE).casefold()
    s = " ".join(s.split())
    return _HYPHEN_BREAK.sub(r"\1\2", s)


def fingerprint(text: object) -> str:
    """16 hex characters of the sha1 of the normalised text ('' for an empty text)."""
    norm = normalise(text)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16] if norm else ""


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def _page(value: object) -> str:
    text = _text(value)
    try:
        return str(int(float(text))) if text else ""
    except ValueError:
        return text


def passage_anchors(passages: pd.DataFrame) -> dict[str, dict[str, str]]:
    """passage_id -> its anchor fields (DECISION_ANCHOR), context taken from the previous
    and next passages of the same document, in reading order."""
    if passages is None or not len(passages):
        return {}
    df = passages.reset_index(drop=True).copy()
    for col in ("list_id", "source", "path", "page", "text", "char_start"):
        if col not in df.columns:
            df[col] = None
    df["_order"] = range(len(df))
    df["_page"] = pd.to_numeric(df["page"], errors="coerce")
    df["_start"] = pd.to_numeric(df["char_start"], errors="coerce")
    df = df.sort_values(["path", "_page", "_start", "_order"], kind="stable",
                        na_position="first")
    out: dict[str, dict[str, str]] = {}
    for _, group in df.groupby("path", sort=False, dropna=False):
        texts = [_text(t) for t in group["text"]]
        for k, row in enumerate(group.to_dict("records")):
            text = texts[k]
            out[str(row["passage_id"])] = {
                "list_id": _text(row.get("list_id")), "source": _text(row.get("source")),
                "path": _text(row.get("path")), "page": _page(row.get("page")),
                "text_sha1": fingerprint(text), "quote": text[:QUOTE_MAX_CHARS],
                "quote_prefix": texts[k - 1][-CONTEXT_CHARS:] if k > 0 else "",
                "quote_suffix": texts[k + 1][:CONTEXT_CHARS] if k + 1 < len(texts) else "",
            }
    return out


def _context_score(anchor: dict, candidate: dict) -> float:
    """How well a candidate's surroundings match the anchor's (higher is better)."""
    score = 0.0
    for key in ("quote_prefix", "quote_suffix"):
        a, b = normalise(anchor.get(key)), normalise(candidate.get(key))
        if a and b:
            score += fuzz.ratio(a, b) / 100
        elif not a and not b:
            score += 0.5
    score += 0.3 * (_text(anchor.get("path")) == candidate["path"])
    score += 0.2 * (_text(anchor.get("source")) == candidate["source"])
    score += 0.1 * (_page(anchor.get("page")) == candidate["page"])
    return score


class Resolver:
    """Finds, for an anchor, the current passage that holds its text (see module doc)."""

    def __init__(self, passages: pd.DataFrame, threshold: float = SIMILARITY_THRESHOLD):
        self.threshold = threshold
        self.anchors = passage_anchors(passages)
        self.by_text: dict[tuple[str, str], list[str]] = {}
        self.by_list: dict[str, tuple[list[str], list[str]]] = {}
        for pid, a in self.anchors.items():
            self.by_text.setdefault((a["list_id"], a["text_sha1"]), []).append(pid)
            ids, texts = self.by_list.setdefault(a["list_id"], ([], []))
            ids.append(pid)
            texts.append(normalise(a["quote"]))
        self._cache: dict[tuple, tuple[str, str, float | None]] = {}

    def _best(self, anchor: dict, pids: list[str]) -> str:
        return max(pids, key=lambda p: _context_score(anchor, self.anchors[p]))

    def resolve(self, passage_id: str, anchor: dict) -> tuple[str, str, float | None]:
        """(current passage_id or '', status, similarity in % or None)."""
        if passage_id in self.anchors:
            return passage_id, EN_PLACE, None
        list_id, sha = _text(anchor.get("list_id")), _text(anchor.get("text_sha1"))
        if not (list_id and sha):
            return "", ORPHELINE, None
        key = (list_id, sha, _text(anchor.get("quote_prefix")),
               _text(anchor.get("quote_suffix")), _text(anchor.get("path")))
        if key in self._cache:
            return self._cache[key]
        result: tuple[str, str, float | None] = ("", ORPHELINE, None)
        exact = self.by_text.get((list_id, sha))
        if exact:
            result = (self._best(anchor, exact), RATTACHEE, 100.0)
        elif list_id in self.by_list and _text(anchor.get("quote")):
            ids, texts = self.by_list[list_id]
            found = process.extract(normalise(anchor["quote"]), texts, scorer=fuzz.ratio,
                                    score_cutoff=self.threshold, limit=10)
            if found:
                top = max(score for _, score, _ in found)
                best = [ids[i] for _, score, i in found if score >= top - 1e-9]
                result = (self._best(anchor, best), RAPPROCHEE, round(float(top), 1))
        self._cache[key] = result
        return result


def anchor_of(decision: dict) -> dict:
    return {k: decision.get(k, "") for k in ("list_id", "source", "path", "page", "text_sha1",
                                             "quote", "quote_prefix", "quote_suffix")}


def resolve(decisions: pd.DataFrame, passages: pd.DataFrame | None,
            resolver: Resolver | None = None) -> pd.DataFrame:
    """Decisions with ``passage_id`` set to the current passage that holds their text
    (orphans keep the stored id), plus ``stored_passage_id``, ``anchor_status`` and
    ``similarity``. Without passages, every decision is left where it is."""
    df = decisions.copy()
    df["passage_id"] = df["passage_id"].map(_text)
    if "stored_passage_id" not in df.columns:
        df["stored_passage_id"] = df["passage_id"]
    if passages is None or "passage_id" not in getattr(passages, "columns", []):
        df["anchor_status"] = EN_PLACE
        df["similarity"] = None
        return df
    resolver = resolver or Resolver(passages)
    current, status, similarity = [], [], []
    for row in df.to_dict("records"):
        pid, st, sim = resolver.resolve(row["passage_id"], anchor_of(row))
        current.append(pid or row["passage_id"])
        status.append(st)
        similarity.append(sim)
    df["passage_id"] = current
    df["anchor_status"] = status
    df["similarity"] = similarity
    return df


def fill_anchors(decisions: pd.DataFrame, passages: pd.DataFrame | None,
                 shown: dict[str, dict] | None = None) -> pd.DataFrame:
    """Anchor fields of new decisions: from the current passage with that id, else from
    what the workbook showed (`shown`: passage_id -> anchor fields, e.g. from its export
    manifest or its Texte / Liste cells). Existing non-empty values are kept."""
    df = decisions.copy()
    known = passage_anchors(passages) if passages is not None else {}
    shown = shown or {}
    rows = df.to_dict("records")
    for row in rows:
        src = known.get(_text(row["passage_id"])) or shown.get(_text(row["passage_id"])) or {}
        for key, value in src.items():
            if not _text(row.get(key)):
                row[key] = value
    out = pd.DataFrame(rows, columns=list(df.columns)) if rows else df
    return out
