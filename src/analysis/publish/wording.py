"""French typography of every label, title, sentence and sheet text (the one helper).

- numbers: `fmt_int` (narrow no-break space for thousands), `fr_number`, `fr_pct`;
- agreement: `plural` / `count` ("0 liste", "1 liste", "2 listes": French singular below 2),
  `verb` ("couvre" / "couvrent"), never "Thème(s)";
- dates: `date_fr` ("1er mars 2026"), ordinals (`ordinal`: 1er, 2e);
- spaces: `nbsp` puts the no-break space French needs before « ; : ! ? % » and inside
  « guillemets »; `quoted` names a list in guillemets;
- `typography_problems(text)` lists the slips the tests look for in every output.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from analysis.common.text import NNBSP, fmt_int, format_date_fr, is_plural, plural

NBSP = "\u00a0"          # before : and inside « »



def fr_pct(x, digits: int = 0) -> str:
    """0.125 -> '12,5 %' (French, no-break space before %)."""
    return f"{100 * x:.{digits}f}".replace(".", ",") + NBSP + "%"




count = plural


def verb(n: int, singular: str, plural_form: str) -> str:
    """The verb agreeing with `n` subjects: verb(0, 'couvre', 'couvrent') -> 'couvre'."""
    return plural_form if is_plural(n) else singular


def ordinal(n: int, feminine: bool = False) -> str:
    """1 -> '1er' ('1re' in the feminine), 2 -> '2e'."""
    if n == 1:
        return "1re" if feminine else "1er"
    return f"{n}e"


def date_fr(day: dt.date | None) -> str:
    """'1er mars 2026', '27 février 2026'; 'date non renseignée' for None."""
    return format_date_fr(day) if day else "date non renseignée"


def fr_number(value: Any) -> str:
    """French display of a metric: 0.853 -> '0,85', 12 -> '12', None -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return fmt_int(value)
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def nbsp(text: str) -> str:
    """French spacing: no-break spaces before ; : ! ? % » and after «."""
    text = re.sub(r"[ \u00a0\u202f]+([;!?])", NNBSP + r"\1", str(text))
    text = re.sub(r"(?<=\S)[ \u00a0]+(:)(?=\s|$)", NBSP + r"\1", text)
    text = re.sub(r"(\d)[ \u00a0]+%", r"\1" + NBSP + "%", text)
    text = re.sub(r"«[ \u00a0]*", "«" + NBSP, text)
    return re.sub(r"[ \u00a0]*»", NBSP + "»", text)


def quoted(name: str) -> str:
    """A list's name in French quotes (names may contain commas: « Aix Ensemble, Aix Commune »)."""
    return f"«{NBSP}{name}{NBSP}»"


def join_fr(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b et c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


# What a reader must never see (the tests run this over every output) ---------------------
_SLIPS = [
    (re.compile(r"\b\w+\(s\)"), "pluriel entre parenthèses « (s) »"),
    (re.compile(r"\b1 (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
                r"octobre|novembre|décembre)\b"), "« 1 <mois> » au lieu de « 1er »"),
    (re.compile(r"\b[01] (?:listes|thèmes|passages|étiquettes|documents|engagements|"
                r"positions|relectures)\b"), "pluriel après 0 ou 1"),
    (re.compile(r"\b(?:[2-9]|\d{2,}) (?:liste|thème|passage|étiquette|document)\b(?![-\w])"),
     "singulier après 2 ou plus"),
    (re.compile(r"\b[01] listes? sur \d+ (?:couvrent|ont)\b"), "verbe au pluriel après 0 ou 1"),
    # (a file name such as solidarite.yml or a path is not a word)
    (re.compile(r"(?<![\w/.-])(?:solidarite|referentiel|themes|precision|donnees|reponse|"
                r"fictives de demonstration)(?![\w/-]|\.\w)"), "mot sans accent"),
    (re.compile(r"\w ;|\w !|\w \?"), "espace ordinaire avant ; ! ? (espace insécable)"),
]


def typography_problems(text: str) -> list[str]:
    """The French slips found in `text` (empty list when clean), each with its context."""
    out = []
    for pattern, why in _SLIPS:
        for m in pattern.finditer(str(text)):
            start = max(0, m.start() - 30)
            out.append(f"{why} : …{str(text)[start:m.end() + 30]}…")
    return out
