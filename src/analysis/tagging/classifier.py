"""A statistical second opinion on the rules: one linear model per theme over word and
character n-grams of the passage (and its heading), trained on labelled passages by
`scripts/train_classifier.py` (scikit-learn's TF-IDF and logistic regression).

The tagger uses it in two ways, with thresholds stored in the model file: a theme the
rules found is dropped when the model gives it a probability below `veto_below`, and a
theme the rules missed is added when the model is surer than `add_above`. The model file is
plain arrays (numpy's `.npz`, no pickle); inference is written here, in numpy, so that a
`tag` process does not import scikit-learn (~0.5 s): the equality with scikit-learn's own
`predict_proba` is checked by the tests.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.common.errors import UserError

# scikit-learn's defaults, reproduced exactly (see `word_ngrams`, `char_ngrams`)
TOKEN = re.compile(r"(?u)\b\w\w+\b")
WHITE = re.compile(r"\s\s+")
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (3, 5)
SECTION_SEP = " || "
CHUNK = 64   # texts scored at once


def model_text(text: str, section: str | None = None) -> str:
    """What the model reads: the heading, a separator, the passage (lowercased later)."""
    return f"{section or ''}{SECTION_SEP}{text or ''}"


def word_ngrams(doc: str) -> list[str]:
    """scikit-learn's `analyzer='word'`, `ngram_range=(1, 2)`, lowercase."""
    tokens = TOKEN.findall(doc.lower())
    out = list(tokens)
    out += [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    return out


def word_char_ngrams(word: str) -> list[str]:
    """The character n-grams of one word, padded with spaces (scikit-learn's char_wb)."""
    w = f" {word} "
    size = len(w)
    out: list[str] = []
    lo, hi = CHAR_NGRAMS
    for n in range(lo, hi + 1):
        if size <= n:
            out.append(w)        # the whole padded word, once, and no longer n-grams
            break
        out.extend(w[i:i + n] for i in range(size - n + 1))
    return out


def _words(doc: str) -> list[str]:
    """The words char_wb reads: lowercase, split on whitespace."""
    return WHITE.sub(" ", doc.lower()).split()


def char_ngrams(doc: str) -> list[str]:
    """scikit-learn's `analyzer='char_wb'`, `ngram_range=(3, 5)`, lowercase."""
    return [g for w in _words(doc) for g in word_char_ngrams(w)]


@dataclass(frozen=True)
class _Vectoriser:
    """A fitted `TfidfVectorizer(sublinear_tf=True)`: vocabulary, idf, L2 norm."""

    index: dict[str, int]
    idf: np.ndarray

    def row(self, columns: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Columns and L2-normalised sublinear TF-IDF values of a document's known n-grams
        (given as their columns, repeated as often as they occur)."""
        counts = Counter(columns)
        cols = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        vals = (1.0 + np.log(tf)) * self.idf[cols]
        norm = float(np.sqrt((vals * vals).sum()))
        return cols, (vals / norm if norm else vals)


class ThemeClassifier:
    """Probabilities per theme for passages, from a model file written by the trainer."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            data = np.load(self.path, allow_pickle=False)
            meta = json.loads(str(data["meta"]))
            words, chars = data["word_vocab"].tolist(), data["char_vocab"].tolist()
            self._word = _Vectoriser({w: i for i, w in enumerate(words)}, data["word_idf"])
            self._char = _Vectoriser({c: i for i, c in enumerate(chars)}, data["char_idf"])
            # features x themes, so that a document's rows are read in one gather
            self._weights = np.ascontiguousarray(data["coef"].T, dtype=np.float64)
            self._intercept = data["intercept"].astype(np.float64)
            self.labels: tuple[str, ...] = tuple(data["labels"].tolist())
        except (OSError, ValueError, KeyError) as exc:
            raise UserError(
                f"Modèle statistique illisible : {self.path} ({exc}). Régénérez-le avec "
                "`python scripts/train_classifier.py`, ou retirez la clé 'classifier' du "
                "codebook pour étiqueter avec les seules règles."
            ) from exc
        self.n_words = len(words)
        self._word_columns: dict[str, list[int]] = {}   # word -> its known char n-grams
        self.meta = meta
        self.veto_below = float(meta["veto_below"])
        self.add_above = float(meta["add_above"])
        if self._weights.shape != (len(words) + len(chars), len(self.labels)):
            raise UserError(f"Modèle statistique incohérent : {self.path} (dimensions). "
                            "Régénérez-le avec `python scripts/train_classifier.py`.")

    def _columns(self, word: str) -> list[int]:
        """Known character n-grams of a word, as columns (words recur: computed once)."""
        found = self._word_columns.get(word)
        if found is None:
            index = self._char.index
            found = [index[g] for g in word_char_ngrams(word) if g in index]
            if len(self._word_columns) > 200_000:
                self._word_columns.clear()
            self._word_columns[word] = found
        return found

    def probabilities(self, texts: list[str], sections: list | None = None) -> np.ndarray:
        """One row per text, one column per label (`labels`), in [0, 1]."""
        enabled = gc.isenabled()
        gc.disable()   # many small lists, no cycle: in a tagger's large heap the collector
        try:           # would double the time
            return self._probabilities(texts, sections)
        finally:
            if enabled:
                gc.enable()

    def _probabilities(self, texts: list[str], sections: list | None) -> np.ndarray:
        if len(texts) > CHUNK:   # the gathered rows of a chunk stay small (~10 MB)
            return np.vstack([
                self._probabilities(texts[i:i + CHUNK],
                                   None if sections is None else sections[i:i + CHUNK])
                for i in range(0, len(texts), CHUNK)])
        index = self._word.index
        cols, vals, sizes = [], [], []
        for i, text in enumerate(texts):
            section = sections[i] if sections is not None else None
            doc = model_text(text, section if isinstance(section, str) else None)
            wcols, wvals = self._word.row([index[g] for g in word_ngrams(doc) if g in index])
            ccols, cvals = self._char.row(
                [c for w in _words(doc) for c in self._columns(w)])
            cols += [wcols, ccols + self.n_words]
            vals += [wvals, cvals]
            sizes.append(len(wcols) + len(ccols))
        scores = np.tile(self._intercept, (len(texts), 1))
        if sum(sizes):
            # every document's weighted rows at once, summed document by document
            contrib = self._weights[np.concatenate(cols)] * np.concatenate(vals)[:, None]
            starts = np.cumsum([0, *sizes[:-1]])
            has = np.array(sizes) > 0
            scores[has] += np.add.reduceat(contrib, starts[has], axis=0)
        return 1.0 / (1.0 + np.exp(-scores))
