"""DOCX reader (python-docx): headings (styles Titre/Heading, or short all-bold lines)
become sections, list paragraphs become bullets, tables are read row by row."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, Block, Document, ReadError
from analysis.ingest.cleanup import collapse, split_bullet
from analysis.ingest.tables import table_blocks

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_HEADING_STYLE_RE = re.compile(r"^(?:heading|titre|title)\s*(\d*)$", re.I)

PROTECTED_DOCX = (
    "fichier protégé par mot de passe : demander à la liste une version sans mot de passe "
    "(ou l'ouvrir et l'enregistrer sans protection), puis relancer"
)
OLD_WORD = (
    "ancien format Word (.doc) enregistré sous l'extension .docx : l'ouvrir dans Word ou "
    "LibreOffice, l'enregistrer en .docx, puis relancer"
)
CORRUPT_DOCX = (
    "document Word illisible (fichier abîmé ou incomplet) : le rouvrir dans Word ou "
    "LibreOffice et le réenregistrer en .docx, ou demander un nouvel envoi, puis relancer"
)


def check_ooxml(path: Path, label: str) -> None:
    """Raise ReadError for a protected (OLE-wrapped) or non-zip office file."""
    with open(path, "rb") as fh:
        data = fh.read()
    if data.startswith(OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise ReadError(PROTECTED_DOCX, "protégé par mot de passe")
        raise ReadError(OLD_WORD if label == "docx" else CORRUPT_DOCX, "ancien format Word")
    if not zipfile.is_zipfile(path):
        raise ReadError(CORRUPT_DOCX, "fichier abîmé")


W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
DROPPED = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent")}
TRACKED_NOTE = (
    "suivi des modifications : {ins} caractère(s) insérés lus, {dele} caractère(s) supprimés "
    "ignorés (le texte est lu comme si les modifications étaient acceptées)"
)
VANISH_NOTE = (
    "{n} caractères invisibles ignorés (texte masqué dans Word) : seul ce qu'un lecteur "
    "voit est analysé"
)


def _run_hidden(run) -> bool:
    r_pr = run.find(qn("w:rPr"))
    if r_pr is None:
        return False
    vanish = r_pr.find(qn("w:vanish"))
    return vanish is not None and vanish.get(qn("w:val"), "true") not in {"0", "false", "off"}


def paragraph_text(p, counts: dict[str, int] | None = None) -> str:
    """Text of a w:p as it reads with tracked changes accepted: insertions (w:ins) read,
    deletions (w:del, w:moveFrom) and hidden runs (w:vanish) left out, text boxes read
    apart (see _text_box_blocks). `counts` gets the inserted, deleted and hidden
    characters."""
    counts = {} if counts is None else counts
    parts: list[str] = []

    def walk(el, inserted: bool) -> None:
        for child in el:
            tag = child.tag
            if tag in DROPPED:
                if tag != qn("w:txbxContent"):
                    n = sum(len(t.text or "") for t in child.iter(qn("w:delText"), W_T))
                    counts["deleted"] = counts.get("deleted", 0) + n
                continue
            if tag == qn("w:r") and _run_hidden(child):
                n = sum(len((t.text or "").strip()) for t in child.iter(W_T))
                counts["hidden"] = counts.get("hidden", 0) + n
                continue
            if tag == W_T:
                parts.append(child.text or "")
                if inserted:
                    counts["inserted"] = counts.get("inserted", 0) + len(child.text or "")
            elif tag == W_TAB:
                parts.append("\t")
            elif tag in {W_BR, W_CR}:
                parts.append("\n")
            else:
                walk(child, inserted or tag in {qn("w:ins"), qn("w:moveTo")})

    walk(p, False)
    return "".join(parts)


def _change_notes(counts: dict[str, int]) -> list[str]:
    notes = []
    if counts.get("inserted") or counts.get("deleted"):
        notes.append(TRACKED_NOTE.format(ins=counts.get("inserted", 0),
                                         dele=counts.get("deleted", 0)))
    if counts.get("hidden"):
        notes.append(VANISH_NOTE.format(n=counts["hidden"]))
    return notes


def read_docx(path: Path) -> Document:
    """Read a .docx file."""
    check_ooxml(path, "docx")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises KeyError, ValueError, BadZipFile...
        raise ReadError(CORRUPT_DOCX, "fichier abîmé") from exc
    blocks: list[Block] = []
    counts: dict[str, int] = {}
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [["\n".join(paragraph_text(p._p, counts) for p in cell.paragraphs)
                     for cell in _unique_cells(row)] for row in item.rows]
            blocks.extend(table_blocks(rows))
        elif isinstance(item, Paragraph):
            block = _paragraph_block(item, counts)
            if block is not None:
                blocks.append(block)
            blocks.extend(_text_box_blocks(item, counts))
    return Document(blocks, "docx", warnings=_change_notes(counts))


def _text_box_blocks(par: Paragraph, counts: dict[str, int]) -> list[Block]:
    """Paragraphs of the text boxes anchored in `par` (Word stores each box twice, for new
    and old readers: the copies are read once)."""
    out: list[Block] = []
    seen: set[str] = set()
    for box in par._p.iter(qn("w:txbxContent")):
        if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            continue
        for p in box.iter(qn("w:p")):
            block = _paragraph_block(Paragraph(p, par._parent), counts)
            if block is not None and block.text not in seen:
                seen.add(block.text)
                out.append(block)
    return out


def _unique_cells(row) -> list:
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _paragraph_block(par: Paragraph, counts: dict[str, int]) -> Block | None:
    text = collapse(paragraph_text(par._p, counts))
    if not text:
        return None
    style = (par.style.name if par.style is not None else "") or ""
    m = _HEADING_STYLE_RE.match(style.strip())
    if m:
        return Block(HEADING, text, level=int(m.group(1) or 0))
    p_pr = par._p.pPr
    if (p_pr is not None and p_pr.numPr is not None) or re.search(r"list|liste|puce", style, re.I):
        return Block(BULLET, split_bullet(text)[1])
    if _all_bold(par) and len(text) <= 90 and not text.endswith((".", ",", ";")):
        return Block(HEADING, text, level=9)
    is_bullet, body = split_bullet(text)
    return Block(BULLET if is_bullet else PARAGRAPH, body)


def _all_bold(par: Paragraph) -> bool:
    runs = [r for r in par.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(par.style is not None and par.style.font.bold)
    return all(r.bold or (r.bold is None and style_bold) for r in runs)
