"""OpenDocument text reader (odfpy): headings, paragraphs, lists, tables."""

from __future__ import annotations

import zipfile
from pathlib import Path

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, Block, Document, ReadError
from analysis.ingest.cleanup import collapse, split_bullet
from analysis.ingest.tables import table_blocks

CORRUPT_ODT = (
    "document OpenDocument illisible (fichier abîmé ou protégé) : le rouvrir dans "
    "LibreOffice et le réenregistrer (.odt ou PDF) sans mot de passe, puis relancer"
)
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def read_odt(path: Path) -> Document:
    """Read an .odt file."""
    from odf import opendocument

    if not zipfile.is_zipfile(path):
        raise ReadError(CORRUPT_ODT, "fichier abîmé")
    try:
        doc = opendocument.load(str(path))
    except Exception as exc:  # odfpy raises KeyError, XML errors...
        raise ReadError(CORRUPT_ODT, "fichier abîmé") from exc
    blocks: list[Block] = []
    _walk(doc.text, blocks, in_list=False)
    return Document(blocks, "odt")


def _text(element) -> str:
    from odf import teletype

    return collapse(teletype.extractText(element))


def _walk(element, blocks: list[Block], in_list: bool) -> None:
    for child in element.childNodes:
        if getattr(child, "qname", None) is None:
            continue
        ns, name = child.qname
        if ns == TEXT_NS and name == "h":
            text = _text(child)
            if text:
                level = child.getAttrNS(TEXT_NS, "outline-level") or 1
                blocks.append(Block(HEADING, text, level=int(level)))
        elif ns == TEXT_NS and name == "p":
            text = _text(child)
            if text:
                is_bullet, body = split_bullet(text)
                kind = BULLET if (in_list or is_bullet) else PARAGRAPH
                blocks.append(Block(kind, body))
        elif ns == TEXT_NS and name in {"list", "list-item", "list-header"}:
            _walk(child, blocks, in_list=True)
        elif ns == TABLE_NS and name == "table":
            rows = []
            for row in _descendants(child, TABLE_NS, "table-row"):
                rows.append([_text(c) for c in row.childNodes
                             if getattr(c, "qname", None) == (TABLE_NS, "table-cell")])
            blocks.extend(table_blocks(rows))
        else:
            _walk(child, blocks, in_list)


def _descendants(element, ns: str, name: str):
    for child in element.childNodes:
        if getattr(child, "qname", None) == (ns, name):
            yield child
        elif getattr(child, "childNodes", None):
            yield from _descendants(child, ns, name)
