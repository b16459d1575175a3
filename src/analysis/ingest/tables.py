"""Tables to blocks: a data table gives one passage per row "col: value; col: value", a
layout table (long text in cells) gives its cells' paragraphs."""

from __future__ import annotations

from analysis.ingest.blocks import PARAGRAPH, ROW, Block
from analysis.ingest.cleanup import collapse

LAYOUT_CELL_CHARS = 150


def dedupe_cells(cells: list[str]) -> list[str]:
    """Cells of a row with horizontally merged cells (repeated values) counted once."""
    out: list[str] = []
    for cell in cells:
        if not out or cell != out[-1]:
            out.append(cell)
    return out


def table_blocks(rows: list[list[str]]) -> list[Block]:
    """Blocks for a table given as rows of cell texts (first row = header)."""
    rows = [[collapse(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    cells = [c for row in rows for c in row if c]
    if sum(len(c) for c in cells) / max(1, len(cells)) > LAYOUT_CELL_CHARS:
        return [Block(PARAGRAPH, c) for c in cells]
    width = max(len(row) for row in rows)
    if len(rows) == 1 or width == 1:
        return [Block(ROW, "; ".join(c for c in dedupe_cells(row) if c)) for row in rows]
    header = rows[0]
    blocks = []
    for row in rows[1:]:
        parts = []
        for i, value in enumerate(row):
            if not value or (i and value == row[i - 1] and header[i] == header[i - 1]):
                continue
            name = header[i] if i < len(header) else ""
            parts.append(f"{name}: {value}" if name and name != value else value)
        if parts:
            blocks.append(Block(ROW, "; ".join(parts)))
    return blocks
