"""A statistical second opinion on the rules: one linear model per theme over word and
character n-grams of the passage (and its heading), trained on labelled passages by
`scripts/train_classifier.py` (scikit-learn's TF-IDF and logistic regression).

The tagger uses it in two ways, with thresholds stored in the model file: a theme the
rules found is dropped when the model gives it a probability below `veto_below`, and a
theme the rules missed is added when the model is surer than `add_above` (`add_above_with_rules`
when the rules found another theme in the passage), and only if the passage alone, read
without its heading, gives the theme at least `add_own_words_above` (the coding guide: a
heading may settle a reading the passage suggests, never add a theme). The model file is
plain arrays (numpy's `.npz`, no pickle); inference is written here, in numpy, so that a
`tag` process does not import scikit-learn (~0.5 s): the equality with scikit-learn's own
`predict_proba` is checked by the tests.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain
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

    def rows(self, documents: list[Iterable[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Columns and L2-normalised sublinear TF-IDF values of each document's known
        n-grams (given as their columns, repeated as often as they occur), one document
        after the other, and how many columns each has."""
        columns: list[int] = []
        counts: list[int] = []
        sizes = np.empty(len(documents), dtype=np.intp)
        for i, found in enumerate(documents):
            tally = Counter(found)
            columns += tally.keys()
            counts += tally.values()
            sizes[i] = len(tally)
        cols = np.array(columns, dtype=np.intp)
        vals = (1.0 + np.log(np.array(counts, dtype=np.float64))) * self.idf[cols]
        squares = vals * vals
        ends = np.cumsum(sizes).tolist()
        # each norm summed alone: numpy sums an array pairwise, so the sum of a slice of a
        # longer array (reduceat) could differ from it in the last bit
        norms = np.array([squares[a:b].sum() for a, b in zip([0, *ends[:-1]], ends,
                                                             strict=True)])
        norms = np.sqrt(norms)
        norms[norms == 0] = 1.0
        return cols, vals / np.repeat(norms, sizes), sizes


class _CharColumns(dict):
    """word -> the columns of its known character n-grams, computed at first sight (the
    words of passages recur); emptied past 200,000 words."""

    def __init__(self, index: dict[str, int]):
        super().__init__()
        self._index = index

    def __missing__(self, word: str) -> tuple[int, ...]:
        index = self._index
        found = tuple(index[g] for g in word_char_ngrams(word) if g in index)
        if len(self) > 200_000:
            self.clear()
        self[word] = found
        return found


class ThemeClassifier:
    """Probabilities per theme for passages, from a model file written by the trainer."""

    def __init__(self, path: str | Path, thresholds: dict[str, float] | None = None):
        """`thresholds`: values the codebook sets over the file's (`classifier_thresholds`:
        veto_below, add_above, add_above_with_rules, add_own_words_above)."""
        self.path = Path(path)
        try:
            data = np.load(self.path, allow_pickle=False)
            meta = json.loads(str(data["meta"]))
            self.labels: tuple[str, ...] = tuple(data["labels"].tolist())
            self.veto_below = float(meta["veto_below"])
            self.add_above = float(meta["add_above"])
            # a passage the rules already read needs a surer model to get one more theme
            # (older files: the same threshold)
            self.add_above_with_rules = float(meta.get("add_above_with_rules", self.add_above))
            # … and the passage's own words must point to the theme (older files: no test)
            self.add_own_words_above = float(meta.get("add_own_words_above", 0.0))
            missing = sorted({"word_vocab", "char_vocab", "word_idf", "char_idf", "coef",
                              "intercept"} - set(data.files))
            if missing:
                raise KeyError(missing)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise self._unreadable(exc) from exc
        for key, value in (thresholds or {}).items():
            setattr(self, key, float(value))
        self.meta = meta
        # the vocabularies and weights are read at the first passage scored: with several
        # workers, in the scorer process only (forked before spaCy loads), not before
        self._arrays = None

    def _unreadable(self, exc) -> UserError:
        return UserError(
            f"Modèle statistique illisible : {self.path} ({exc}). Régénérez-le avec "
            "`python scripts/train_classifier.py`, ou retirez la clé 'classifier' du "
            "codebook pour étiqueter avec les seules règles.")

    def _load(self) -> None:
        try:
            data = np.load(self.path, allow_pickle=False)
            words, chars = data["word_vocab"].tolist(), data["char_vocab"].tolist()
            word = _Vectoriser({w: i for i, w in enumerate(words)}, data["word_idf"])
            char = _Vectoriser({c: i for i, c in enumerate(chars)}, data["char_idf"])
            # features x themes, so that a document's rows are read in one gather
            weights = np.ascontiguousarray(data["coef"].T, dtype=np.float64)
            intercept = data["intercept"].astype(np.float64)
        except (OSError, ValueError, KeyError) as exc:
            raise self._unreadable(exc) from exc
        if weights.shape != (len(words) + len(chars), len(self.labels)):
            raise UserError(f"Modèle statistique incohérent : {self.path} (dimensions). "
                            "Régénérez-le avec `python scripts/train_classifier.py`.")
        self._word, self._char, self._weights, self._intercept = word, char, weights, intercept
        self.n_words = len(words)
        self._word_columns = _CharColumns(self._char.index)   # word -> its char n-grams
        self._arrays = True

    def probabilities(self, texts: list[str], sections: list | None = None) -> np.ndarray:
        """One row per text, one column per label (`labels`), in [0, 1]."""
        if self._arrays is None:
            self._load()
        enabled = gc.isenabled()
        gc.disable()   # many small lists, no cycle: in a tagger's large heap the collector
        try:           # would double the time
            return self._probabilities(texts, sections)
        finally:
            if enabled:
                gc.enable()

    def opinions(self, texts: list[str], sections: list | None = None) -> np.ndarray:
        """One (2, labels) block per text: the probabilities reading the passage with its
        heading, then reading it alone. The second is computed only where it can change an
        addition (a heading given and a label above an addition threshold); elsewhere it
        repeats the first."""
        probs = self.probabilities(texts, sections)
        own = probs.copy()
        if self.add_own_words_above > 0 and sections is not None:
            low = min(self.add_above, self.add_above_with_rules)
            rows = [i for i, s in enumerate(sections)
                    if isinstance(s, str) and s.strip() and (probs[i] > low).any()]
            if rows:
                own[rows] = self.probabilities([texts[i] for i in rows])
        return np.stack([probs, own], axis=1)

    def _probabilities(self, texts: list[str], sections: list | None) -> np.ndarray:
        if len(texts) > CHUNK:   # the gathered rows of a chunk stay small (~10 MB)
            return np.vstack([
                self._probabilities(texts[i:i + CHUNK],
                                   None if sections is None else sections[i:i + CHUNK])
                for i in range(0, len(texts), CHUNK)])
        index = self._word.index
        known = self._word_columns.__getitem__
        word_columns, char_columns = [], []
        for i, text in enumerate(texts):
            section = sections[i] if sections is not None else None
            doc = model_text(text, section if isinstance(section, str) else None)
            word_columns.append([index[g] for g in word_ngrams(doc) if g in index])
            char_columns.append(chain.from_iterable(map(known, _words(doc))))
        wcols, wvals, wsizes = self._word.rows(word_columns)
        ccols, cvals, csizes = self._char.rows(char_columns)
        sizes = wsizes + csizes
        scores = np.tile(self._intercept, (len(texts), 1))
        total = int(sizes.sum())
        if total:
            # each document's rows in one array, its words' then its characters' (the
            # order of the sums below), every weighted row gathered at once and summed
            # document by document
            ends = np.cumsum(sizes)
            starts = ends - sizes
            cols = np.empty(total, dtype=np.intp)
            vals = np.empty(total, dtype=np.float64)
            at_words = np.arange(len(wcols)) + np.repeat(starts - np.cumsum(wsizes) + wsizes,
                                                         wsizes)
            at_chars = np.arange(len(ccols)) + np.repeat(
                starts + wsizes - (np.cumsum(csizes) - csizes), csizes)
            cols[at_words], vals[at_words] = wcols, wvals
            cols[at_chars], vals[at_chars] = ccols + self.n_words, cvals
            contrib = np.take(self._weights, cols, axis=0)
            contrib *= vals[:, None]
            has = sizes > 0
            scores[has] += np.add.reduceat(contrib, starts[has], axis=0)
        return 1.0 / (1.0 + np.exp(-scores))
