"""Is it the same promise? Two texts of the same list and theme are one commitment when the
content words of the shorter one are (almost all) in the longer one, and the numbers they
both give agree: those of one are among those of the other ("200 places d'ici 2028" is
"200 places"; "400 logements sociaux par an" is not "300 logements sociaux par an").

Words are compared on their first five letters, accents and case ignored, so that
"financerons" and "financés", "soutien" and "soutiendrons" meet. Deterministic, no model.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

THRESHOLD = 0.7        # share of the shorter text's content words found in the other
MIN_WORDS = 3          # below, only an identical text key matches
STEM = 5
STOPWORDS = {
    "nous", "vous", "dans", "pour", "avec", "sans", "sera", "seront", "leur", "leurs",
    "chaque", "tous", "toutes", "tout", "plus", "moins", "notre", "nos", "votre", "cette",
    "ces", "des", "les", "une", "aux", "par", "sur", "qui", "que", "dont", "afin", "ainsi",
    "entre", "vers", "chez", "mais", "comme", "ville", "aussi", "elle", "elles", "ils",
}
_WORD = re.compile(r"[a-z]+|\d+")


def _ascii(text: str) -> str:
    text = str(text).replace("œ", "oe").replace("’", "'")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def text_key(text: str) -> str:
    """The text as compared for identity: lower case, no accents, words and digits only."""
    return " ".join(_WORD.findall(_ascii(text)))


def content(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stems of content words, numbers) of a text."""
    tokens = _WORD.findall(_ascii(text))
    numbers = frozenset(t for t in tokens if t.isdigit())
    words = frozenset(t[:STEM] for t in tokens
                      if not t.isdigit() and len(t) >= 4 and t not in STOPWORDS)
    return words, numbers


def similarity(a: str, b: str) -> float:
    """0..1: how much the shorter text's content is in the other (0 if numbers disagree)."""
    if text_key(a) == text_key(b):
        return 1.0
    (wa, na), (wb, nb) = content(a), content(b)
    if na and nb and not (na <= nb or nb <= na):
        return 0.0
    small = min(len(wa), len(wb))
    if small < MIN_WORDS:
        return 0.0
    return len(wa & wb) / small


def same_promise(a: str, b: str) -> bool:
    return similarity(a, b) >= THRESHOLD


def new_id(list_id: str, key: str) -> str:
    """A commitment id minted from the first text seen (deterministic): 'E-1a2b3c4d'."""
    digest = hashlib.sha256(f"{list_id}|{key}".encode()).hexdigest()
    return f"E-{digest[:8]}"
