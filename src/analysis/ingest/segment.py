"""Cut a document's blocks into passages: sentence- or bullet-sized units a reviewer can
judge in one read, each with its page, nearest heading and offsets in the cleaned text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.ingest.blocks import HEADING, ROW, Block

# a passage shorter than this is merged with its neighbour in the same block
MIN_CHARS = 30
MIN_WORDS = 4
# a passage longer than this is cut at the last ";", ":", "," or space before it
MAX_CHARS = 500
BLOCK_SEPARATOR = "\n\n"

ABBREVIATIONS = {
    "m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "drs", "pr", "me", "mgr", "st", "ste",
    "sts", "art", "arts", "n", "no", "nos", "etc", "cf", "p", "pp", "ex", "av", "bd", "bld",
    "vol", "chap", "env", "min", "max", "hab", "éd", "cie", "ca", "coll", "dép", "fig",
    "tél", "tel", "r", "ss", "resp", "id", "ibid", "op", "al", "approx", "réf", "ref",
    "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc", "lun", "mar", "mer",
    "jeu", "ven", "sam", "dim", "gén", "adj", "dir", "prés", "vs", "svp", "inf", "sup",
    "éval", "hors", "cad", "càd", "ass", "asso", "assoc", "dept", "mun", "nat",
}
_END_RE = re.compile(r"[.!?…]+(?:\s?[\"»”’)\]])*(?=\s+[\"«“(\[A-ZÀ-ÖØ-Þ0-9•–—-])")
_WORD_BEFORE_RE = re.compile(r"([^\W\d_]+)\.$")
_LETTER_RE = re.compile(r"[^\W\d_]")


@dataclass
class Piece:
    """One passage before it gets its ids."""

    text: str
    char_start: int
    char_end: int
    page: int | None
    section: str | None
    question_id: str | None


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of `text`, whitespace trimmed.

    A sentence ends at ".", "!", "?" or "…" followed by a space and a capital, a digit or
    an opening quote, unless the word before the full stop is an abbreviation ("M.",
    "Mme.", "art.", "etc.") or an initial ("J. Dupont").
    """
    spans, start = [], 0
    for m in _END_RE.finditer(text):
        if m.group(0).startswith(".") and len(m.group(0).rstrip("\"»”’)] ")) == 1:
            word = _WORD_BEFORE_RE.search(text[: m.start() + 1])
            if word and (word.group(1).lower() in ABBREVIATIONS or (
                len(word.group(1)) == 1 and word.group(1).isupper()
            )):
                continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _too_short(text: str) -> bool:
    return len(text) < MIN_CHARS or len(text.split()) < MIN_WORDS


def merge_short(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge each too-short span with the next one (the last with the previous one)."""
    out: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for span in spans:
        if pending is not None:
            span = (pending[0], span[1])
            pending = None
        if _too_short(text[span[0]:span[1]]):
            pending = span
        else:
            out.append(span)
    if pending is not None:
        if out and out[-1][1] - out[-1][0] + pending[1] - pending[0] <= MAX_CHARS:
            out[-1] = (out[-1][0], pending[1])
        else:
            out.append(pending)
    return out


def cap_long(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut spans longer than MAX_CHARS at a natural break."""
    out = []
    for start, end in spans:
        while end - start > MAX_CHARS:
            window = text[start:start + MAX_CHARS]
            cut = -1
            for sep in ("; ", " : ", ", ", " "):
                pos = window.rfind(sep, MAX_CHARS // 2)
                if pos > 0:
                    cut = pos + len(sep.rstrip())
                    break
            if cut <= 0:
                cut = MAX_CHARS
            out.append(_trim(text, start, start + cut))
            start = _trim(text, start + cut, end)[0]
        out.append((start, end))
    return [s for s in out if s[1] > s[0]]


def block_spans(block: Block) -> list[tuple[int, int]]:
    """Passage spans inside one block (a table row is not cut into sentences)."""
    text = block.text
    if block.kind == ROW:
        spans = [_trim(text, 0, len(text))]
    else:
        spans = merge_short(text, split_sentences(text))
    return cap_long(text, spans)


def segment(blocks: list[Block]) -> tuple[str, list[Piece]]:
    """The document's cleaned text (blocks joined by blank lines, headings included) and
    its passages; headings are sections, not passages; text without a letter is dropped."""
    parts: list[str] = []
    pieces: list[Piece] = []
    offset = 0
    section: str | None = None
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        lead = len(block.text) - len(block.text.lstrip())
        marks = [(max(0, pos - lead), page) for pos, page in block.page_marks]
        block = Block(block.kind, text, block.page, block.level, marks,
                      block.section, block.question_id)
        if parts:
            offset += len(BLOCK_SEPARATOR)
        parts.append(text)
        if block.kind == HEADING:
            section = text
        else:
            for start, end in block_spans(block):
                chunk = text[start:end]
                if _LETTER_RE.search(chunk):
                    pieces.append(Piece(
                        chunk, offset + start, offset + end, block.page_at(start),
                        block.section if block.section is not None else section,
                        block.question_id,
                    ))
        offset += len(text)
    return BLOCK_SEPARATOR.join(parts), pieces
