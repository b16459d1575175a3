"""Character and line clean-up: odd spaces, ligatures, end-of-line hyphenation,
running headers/footers and page numbers."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

# Characters mapped one by one (NFKC would also rewrite "…", "½", "²": too much for French).
_CHAR_MAP = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
    "\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2008": " ", "\u205f": " ", "\u3000": " ", "\t": " ", "\x0b": " ", "\x0c": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\u2010": "-", "\u2011": "-",
    "\u2028": "\n", "\u2029": "\n", "\r\n": "\n", "\r": "\n",
}
_CHAR_RE = re.compile("|".join(re.escape(k) for k in sorted(_CHAR_MAP, key=len, reverse=True)))
T = TypeVar("T")

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# other invisible format characters (Unicode category Cf outside scripts that show them:
# bidi marks and overrides, invisible operators, interlinear annotations, tags): a word
# written « sup\u2063primer » must read « supprimer », not slip past the tagger
_FORMAT_RE = re.compile("[\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
                        "\ufeff\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                        "\U000e0001\U000e0020-\U000e007f]")
_SPACES_RE = re.compile(r"[ ]{2,}")


def normalise_chars(text: str) -> str:
    """NFC, ligatures expanded, every odd space made a plain space, invisible characters
    and control characters removed; line breaks kept."""
    text = unicodedata.normalize("NFC", str(text))
    text = _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group(0)], text)
    text = _CONTROL_RE.sub("", text)
    text = _FORMAT_RE.sub("", text)
    return _SPACES_RE.sub(" ", text)


def collapse(text: str) -> str:
    """Normalised characters on one line: all whitespace runs become one space."""
    return " ".join(normalise_chars(text).split())


# --- end-of-line hyphenation ------------------------------------------------------------
# A hyphen at a line end is a word cut, unless the word is a real compound: these first or
# second parts are kept with their hyphen ("peut-être", "vis-à-vis", "sans-abri").
KEEP_SECOND = {
    "être", "ci", "là", "à", "en", "dire", "même", "mêmes", "il", "ils", "elle", "elles",
    "on", "nous", "vous", "je", "tu", "t", "y", "le", "la", "les", "lui", "leur", "moi",
    "toi", "vis", "clés", "clé", "type", "types", "cadre", "relais", "abri", "abris",
    "papiers", "recours", "emploi", "parent", "parents", "dessus", "dessous", "delà",
}
KEEP_FIRST = {
    "sans", "non", "demi", "semi", "mi", "quasi", "ex", "vice", "post", "pré", "après",
    "arrière", "avant", "grand", "grands", "grande", "petit", "petits", "petite", "petites",
    "beau", "belle", "ci", "là", "peut", "vis", "c'est", "au", "porte", "garde", "lieu",
    "lieux", "centre", "centres", "bien", "mal", "sous", "co", "éco", "inter", "extra",
    "multi", "pluri", "anti", "contre", "haut", "bas", "auto", "tiers",
}
_HYPHEN_END_RE = re.compile(r"([^\W\d_][\w']*)-$")
_FIRST_WORD_RE = re.compile(r"^([^\W\d_]+)")


def join_lines(left: str, right: str, vocabulary: set[str] | None = None) -> str:
    """Join two lines of one paragraph, rejoining a word cut by end-of-line hyphenation.

    `vocabulary` (lower-case words of the whole document) settles unclear cases: a cut
    word is rejoined when the joined form occurs elsewhere, kept hyphenated when only the
    hyphenated form does.
    """
    left, right = left.rstrip(), right.lstrip()
    if not left:
        return right
    if not right:
        return left
    cut = _HYPHEN_END_RE.search(left)
    if not cut:
        return f"{left} {right}"
    first = cut.group(1).lower()
    second_m = _FIRST_WORD_RE.match(right)
    if not second_m or not right[0].islower():  # "Aix-en-" + "Provence", "Covid-" + "19"
        return left + right
    second = second_m.group(1).lower()
    first_part = first.rsplit("'", 1)[-1] if "'" in first and first not in KEEP_FIRST else first
    vocab = vocabulary or set()
    joined, hyphenated = f"{first_part}{second}", f"{first_part}-{second}"
    if joined in vocab and hyphenated not in vocab:
        return left[:-1] + right
    if hyphenated in vocab and joined not in vocab:
        return left + right
    if first in KEEP_FIRST or first_part in KEEP_FIRST or second in KEEP_SECOND:
        return left + right
    return left[:-1] + right


_WORD_RE = re.compile(r"[^\W\d_][\w'-]*[^\W\d_]|[^\W\d_]")


def vocabulary(lines: Iterable[str]) -> set[str]:
    """Lower-case words (hyphenated compounds included) occurring inside lines, not at a
    line end cut by a hyphen."""
    words: set[str] = set()
    for line in lines:
        body = line[:-1] if line.endswith("-") else line
        for word in _WORD_RE.findall(body):
            words.add(word.lower().rsplit("'", 1)[-1] if "'" in word else word.lower())
    return words


# --- bullets ----------------------------------------------------------------------------
# U+F000-U+F0FF: a Symbol/Wingdings bullet as Word and LibreOffice export it to PDF
# (« \uf0b7 », « \uf0a7 », « \uf0d8 »: private-use code points of the symbol font)
BULLET_RE = re.compile(r"^\s*(?:[•◦‣▪▫●○■□◆◇►▶➢➤→✓✔☐✗*+–—\uf000-\uf0ff-])\s+(?=\S)")
NUMBERED_RE = re.compile(r"^\s*(?:\(?\d{1,2}[).]|\(?[a-z][)])\s+(?=\S)")


def split_bullet(line: str) -> tuple[bool, str]:
    """(True, text) for a bullet line: "• texte" gives "texte" (the glyph is dropped),
    "1) texte" or "2. texte" keeps its number, which carries meaning."""
    m = BULLET_RE.match(line)
    if m:
        return True, line[m.end():]
    if NUMBERED_RE.match(line):
        return True, line.lstrip()
    return False, line


# --- page numbers and running headers/footers -------------------------------------------
TITLE_MAX_CHARS = 90
_TITLE_END_RE = re.compile(r"[.!?;:…,\-–—]$")
_REST_START_RE = re.compile(r"^[.!?;:…,\-–—)»]")


def titled_text(title: str, description: str, loose: bool = False) -> str | None:
    """« Titre : description » for a bullet's bold title followed by its description (as
    Markdown's « - **Titre** : description »), or None when they read as one sentence:
    the title ends with punctuation (« Logement : », « Logement. »), the description
    starts with some, or (unless `loose`: the two are glued, or on separate lines) the
    description does not open with a capital or a digit (« **Nous créerons** un
    conseil » is emphasis, not a title)."""
    title, description = collapse(title), collapse(description)
    if not title or not description or len(title) > TITLE_MAX_CHARS:
        return None
    if _TITLE_END_RE.search(title) or _REST_START_RE.match(description):
        return None
    if loose or description[:1].isupper() or description[:1].isdigit():
        return f"{title} : {description}"
    return None


def titled(pieces: list[tuple[str, bool]]) -> str:
    """The text of a bullet that opens with a bold title: « Titre : description » (see
    titled_text; a title glued to its description or on its own line always
    takes the separator), the text as written otherwise."""
    start = 0
    while start < len(pieces) and not pieces[start][0].strip():
        start += 1
    end = start
    while end < len(pieces) and (pieces[end][1] or not pieces[end][0].strip()):
        end += 1
    lead = "".join(t for t, _ in pieces[start:end])
    rest = "".join(t for t, _ in pieces[end:])
    plain = collapse("".join(t for t, _ in pieces))
    bullet, title = split_bullet(collapse(lead))
    glued = bool(lead) and not lead[-1:].isspace() and not rest[:1].isspace()
    broken = "\n" in lead[len(lead.rstrip()):] + rest[: len(rest) - len(rest.lstrip())]
    joined = titled_text(title, rest, loose=glued or broken)
    if joined is None:
        return plain
    return ("• " if bullet else "") + joined


_PAGE_NUMBER_RES = [
    re.compile(r"^(?:page|p\.?)\s*\d+(?:\s*(?:/|sur|of|de)\s*\d+)?$", re.I),
    re.compile(r"^[-–—]\s*\d+\s*[-–—]$"),
    re.compile(r"^\d+\s*(?:/|sur)\s*\d+$", re.I),
    re.compile(r"^[\[(]?\s*\d{1,3}\s*[\])]?$"),
]
_PAGE_OF_RE = re.compile(r"\bpage\s*\d+\s*(?:/|sur|de)\s*\d+\b", re.I)


def is_page_number(line: str) -> bool:
    """"3", "- 3 -", "Page 3 / 8", "3/8", "p. 3"."""
    text = collapse(line)
    return any(r.match(text) for r in _PAGE_NUMBER_RES)


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", collapse(line).casefold())


def remove_running_lines(
    pages: list[list[T]], text: Callable[[T], str] = str, zone: int = 3,
    in_margin: Callable[[int, T], bool] | None = None,
) -> tuple[list[list[T]], int]:
    """Drop page numbers and headers/footers repeated across pages.

    A line is a candidate when it is among the first or last `zone` lines of its page; it
    is removed when it is a page number, contains "page N/M", or recurs (digits ignored)
    on at least half of the pages (and at least two). `text` gives a line's text;
    `in_margin(page_index, line)`, when given, must also hold (a PDF line in the top or
    bottom margin). Returns the pages and the number of lines removed.
    """
    def candidates(p: int, lines: list[T]) -> set[int]:
        idx = _zone_indexes(len(lines), zone)
        return {i for i in idx if in_margin is None or in_margin(p, lines[i])}

    counts: Counter[str] = Counter()
    for p, lines in enumerate(pages):
        counts.update({_line_key(text(lines[i])) for i in candidates(p, lines)})
    threshold = max(2, math.ceil(0.5 * len(pages)))
    running = {k for k, c in counts.items() if c >= threshold and k.strip()}
    out, removed = [], 0
    for p, lines in enumerate(pages):
        idx = candidates(p, lines)
        kept = []
        for i, line in enumerate(lines):
            value = text(line)
            if i in idx and (
                is_page_number(value) or _PAGE_OF_RE.search(value)
                or _line_key(value) in running
            ):
                removed += 1
                continue
            kept.append(line)
        out.append(kept)
    return out, removed


def _zone_indexes(n: int, zone: int) -> set[int]:
    return set(range(min(zone, n))) | set(range(max(0, n - zone), n))
