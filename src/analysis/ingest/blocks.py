"""The units every reader produces: text blocks (headings, paragraphs, bullets, table rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

HEADING, PARAGRAPH, BULLET, ROW = "heading", "paragraph", "bullet", "row"


@dataclass
class Block:
    """One block of a document, in reading order.

    `page_marks` lists (offset in `text`, page) where a block continues on a later page
    (a PDF paragraph cut by a page break); `section` and `question_id` are set by the
    questionnaire readers, which know them better than the nearest heading.
    """

    kind: str
    text: str
    page: int | None = None
    level: int = 0
    page_marks: list[tuple[int, int]] = field(default_factory=list)
    section: str | None = None
    question_id: str | None = None

    def page_at(self, offset: int) -> int | None:
        """Page of the character at `offset` in this block."""
        page = self.page
        for start, later in self.page_marks:
            if offset >= start:
                page = later
        return page


@dataclass
class Document:
    """What a reader returns: blocks, number of pages (None when the format has none),
    and warnings a volunteer should see in ingest_report.csv."""

    blocks: list[Block]
    format: str
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


class ReadError(Exception):
    """A file that cannot be read: `reason` says why and what to do (French), `kind` is a
    short label for the summary line, `status` the ingest_report status."""

    def __init__(self, reason: str, kind: str = "illisible", status: str = "error"):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.status = status
