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
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# deleted text (tracked changes) and comments: not what the document says
SKIPPED = {(TEXT_NS, "tracked-changes"), (OFFICE_NS, "annotation")}
DELETED_NOTE = (
    "suivi des modifications : {n} caractère(s) supprimés ignorés (le texte est lu comme si "
    "les modifications étaient acceptées)"
)


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
    deleted = sum(len("".join(_raw_text(par).split()))
                  for region in _descendants(doc.text, TEXT_NS, "deletion")
                  for par in _descendants(region, TEXT_NS, "p"))
    return Document(blocks, "odt", warnings=[DELETED_NOTE.format(n=deleted)] if deleted else [])


def _raw_text(element) -> str:
    """Text of an element, comments left out (odfpy's teletype rules for spaces, tabs
    and line breaks)."""
    from odf import teletype

    parts = []
    for child in element.childNodes:
        if getattr(child, "qname", None) in SKIPPED:
            continue
        if child.nodeType == child.TEXT_NODE:
            parts.append(str(child.data))
        elif getattr(child, "qname", None) in {(TEXT_NS, "s"), (TEXT_NS, "tab"),
                                               (TEXT_NS, "line-break")}:
            parts.append(teletype.extractText(child) or " ")
        else:
            parts.append(_raw_text(child))
    return "".join(parts)


def _text(element) -> str:
    return collapse(_raw_text(element))


def _walk(element, blocks: list[Block], in_list: bool) -> None:
    for child in element.childNodes:
        if getattr(child, "qname", None) is None or child.qname in SKIPPED:
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
