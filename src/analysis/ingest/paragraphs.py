"""Group the lines of a laid-out text (PDF page, plain text) into headings, paragraphs and
bullets: lines of a paragraph joined, hyphenation rejoined, bullets kept apart."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, Block
from analysis.ingest.cleanup import collapse, join_lines, split_bullet, titled_text, vocabulary

_SENTENCE_END_RE = re.compile(r"[.!?:…»\"”)]\s*$")


@dataclass
class Line:
    """One line as a reader sees it.

    gap_before: a blank line or a large vertical gap precedes it; heading: heading level
    (0 = body text); x0: left position (points, or leading spaces); width: line length
    (points or characters), to tell a paragraph's short last line from a wrapped one;
    blocks: blocks already built by the reader (a table's rows), inserted here as they are.
    """

    text: str
    page: int | None = None
    gap_before: bool = False
    heading: int = 0
    x0: float | None = None
    width: float | None = None
    blocks: list[Block] | None = None  # ready-made blocks (a table) placed at this line
    bold: bool = False  # the whole line is bold (a PDF bullet's title)


def lines_to_blocks(lines: list[Line]) -> list[Block]:
    """Headings, paragraphs and bullets from lines, in order."""
    lines = [ln for ln in lines if ln.blocks or collapse(ln.text)]
    vocab = vocabulary(collapse(ln.text) for ln in lines if not ln.blocks)
    widths = sorted(ln.width for ln in lines if ln.width and not ln.heading and not ln.blocks)
    full = widths[int(0.75 * (len(widths) - 1))] if widths else None
    blocks: list[Block] = []
    current: Block | None = None
    prev: Line | None = None
    bullet_x0: float | None = None
    title: Block | None = None  # a bullet whose lines so far are all bold

    for line in lines:
        if line.blocks is not None:
            blocks.extend(line.blocks)
            current, prev = None, None
            continue
        text = collapse(line.text)
        if line.heading:
            if (
                current is not None and current.kind == HEADING and prev is not None
                and prev.heading == line.heading and not line.gap_before
            ):
                current.text = join_lines(current.text, text, vocab)
            else:
                current = Block(HEADING, text, page=line.page, level=line.heading)
                blocks.append(current)
            prev = line
            continue
        is_bullet, body = split_bullet(text)
        if is_bullet:
            current = Block(BULLET, body, page=line.page)
            blocks.append(current)
            bullet_x0 = line.x0
            title = current if line.bold else None
        elif current is None or current.kind == HEADING or (
            line.gap_before or _ends_paragraph(prev, line, current, full, bullet_x0)
        ) and not _describes(title, current, line, bullet_x0):
            current = Block(PARAGRAPH, text, page=line.page)
            blocks.append(current)
        else:
            joined = join_lines(current.text, text, vocab)
            if current is title and not line.bold:  # « • **Titre** », description below
                joined = titled_text(current.text, text, loose=True) or joined
                title = None
            elif current is not title:
                title = None
            if line.page != current.page_at(len(current.text)):
                current.page_marks.append((len(joined) - len(text), line.page))
            current.text = joined
        prev = line
    return [b for b in blocks if b.text.strip()]


def _describes(title: Block | None, current: Block, line: Line, bullet_x0: float | None
               ) -> bool:
    """Whether `line` is the description under a bullet's bold title: in regular type,
    indented past the bullet's glyph, on the same page (even after a paragraph space)."""
    return (
        title is not None and current is title and not line.bold and bullet_x0 is not None
        and not re.search(r"[.!?;…]$", current.text)
        and line.x0 is not None and line.x0 > bullet_x0 + 1
        and line.page == current.page_at(len(current.text))
    )


def _ends_paragraph(
    prev: Line | None, line: Line, current: Block, full: float | None, bullet_x0: float | None
) -> bool:
    """Whether `line` starts a new paragraph although no gap precedes it."""
    if prev is None:
        return True
    prev_text = collapse(prev.text)
    ends_sentence = bool(_SENTENCE_END_RE.search(prev_text))
    if current.kind == BULLET and bullet_x0 is not None and line.x0 is not None:
        # a bullet continues on indented lines; a line back at the margin after a full stop
        # is a new paragraph
        if line.x0 <= bullet_x0 + 1 and (ends_sentence or line.text.lstrip()[:1].isupper()):
            return True
    if ends_sentence and full and prev.width is not None and prev.width < 0.8 * full:
        return True
    return False
