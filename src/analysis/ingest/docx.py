"""DOCX reader (python-docx): headings (styles Titre/Heading, or short all-bold lines)
become sections, list paragraphs become bullets, tables are read row by row."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, Block, Document, ReadError
from analysis.ingest.cleanup import TITLE_MAX_CHARS, collapse, split_bullet, titled
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
    "{n} caractères invisibles ignorés (texte masqué dans Word, blanc sans fond de couleur "
    "ou de moins de 4 points) : seul ce qu'un lecteur voit est analysé"
)
MIN_HALF_POINTS = 8   # w:sz is in half-points: under 4 pt nobody reads it
WHITE_MIN = 0xF0      # each channel at least this: white on a white page


def _run_hidden(run) -> bool:
    r_pr = run.find(qn("w:rPr"))
    if r_pr is None:
        return False
    vanish = r_pr.find(qn("w:vanish"))
    return vanish is not None and vanish.get(qn("w:val"), "true") not in {"0", "false", "off"}


def _on(el) -> bool:
    return el is not None and el.get(qn("w:val"), "true") not in {"0", "false", "off"}


def _white(hex_value: str | None) -> bool:
    value = (hex_value or "").strip().lstrip("#")
    if value.lower() == "auto" or len(value) != 6:
        return False
    try:
        return all(int(value[i:i + 2], 16) >= WHITE_MIN for i in (0, 2, 4))
    except ValueError:
        return False


def _filled(el) -> bool:
    """Whether a w:shd or w:highlight paints a background that is not white."""
    if el is None:
        return False
    if el.tag == qn("w:highlight"):
        return (el.get(qn("w:val")) or "none") != "none" and el.get(qn("w:val")) != "white"
    fill = el.get(qn("w:fill"))
    return fill is not None and fill.lower() != "auto" and not _white(fill)


class _Unseen:
    """Whether a run of a document is seen: not w:vanish, not under 4 pt, not white text
    on a white page (no highlight or shading of the run, its paragraph or its cell, no
    coloured page background)."""

    def __init__(self, document) -> None:
        body = document.element
        bg = body.find(qn("w:background"))
        self.page_coloured = bg is not None and not _white(bg.get(qn("w:color"))) and (
            (bg.get(qn("w:color")) or "auto").lower() != "auto")
        self.styles = document.styles
        self.cache: dict[tuple, tuple[str | None, float | None]] = {}
        self.par_styles: dict[str | None, object] = {}
        self.bold_cache: dict[tuple, bool | None] = {}

    def par_style(self, par: Paragraph):
        """The paragraph's style, looked up once per style id (python-docx scans every
        style for the default one at each call)."""
        key = par._p.style
        if key not in self.par_styles:
            self.par_styles[key] = par.style
        return self.par_styles[key]

    def style_bold(self, style_id: str | None, kind) -> bool | None:
        key = (style_id, kind)
        if key not in self.bold_cache:
            try:
                style = self.styles.get_by_id(style_id, kind) if style_id else None
            except Exception:  # a style missing from styles.xml
                style = None
            self.bold_cache[key] = _style_bold(style)
        return self.bold_cache[key]

    def style_font(self, style_id: str | None, kind) -> tuple[str | None, float | None]:
        """(colour hex, size pt) of a style and its bases."""
        key = (style_id, kind)
        if key not in self.cache:
            self.cache[key] = self._style_font(style_id, kind)
        return self.cache[key]

    def _style_font(self, style_id: str | None, kind) -> tuple[str | None, float | None]:
        colour = size = None
        try:
            style = self.styles.get_by_id(style_id, kind) if style_id else None
        except Exception:
            style = None
        while style is not None and (colour is None or size is None):
            font = style.font
            if colour is None and font.color is not None and font.color.type is not None:
                colour = str(font.color.rgb) if font.color.rgb is not None else None
            if size is None and font.size is not None:
                size = font.size.pt
            style = style.base_style
        return colour, size

    def __call__(self, run, par=None) -> bool:
        r_pr = run.find(qn("w:rPr"))
        if r_pr is not None and _on(r_pr.find(qn("w:vanish"))):
            return True
        colour = size = None
        if r_pr is not None:
            c = r_pr.find(qn("w:color"))
            if c is not None:
                colour = "FFFFFF" if c.get(qn("w:themeColor")) in {"background1"} else \
                    c.get(qn("w:val"))
            sz = r_pr.find(qn("w:sz"))
            if sz is not None and (sz.get(qn("w:val")) or "").isdigit():
                size = int(sz.get(qn("w:val"))) / 2
            r_style = r_pr.find(qn("w:rStyle"))
            if r_style is not None and (colour is None or size is None):
                sc, ss = self.style_font(r_style.get(qn("w:val")), WD_STYLE_TYPE.CHARACTER)
                colour, size = colour or sc, size if size is not None else ss
        style = self.par_style(par) if par is not None else None
        if style is not None and (colour is None or size is None):
            sc, ss = self.style_font(style.style_id, WD_STYLE_TYPE.PARAGRAPH)
            colour, size = colour or sc, size if size is not None else ss
        if size is not None and size * 2 < MIN_HALF_POINTS:
            return True
        if not _white(colour) or self.page_coloured:
            return False
        if r_pr is not None and (_filled(r_pr.find(qn("w:shd")))
                                 or _filled(r_pr.find(qn("w:highlight")))):
            return False
        p_el = run.getparent()
        while p_el is not None and p_el.tag != qn("w:p"):
            p_el = p_el.getparent()
        if p_el is not None:
            p_pr = p_el.find(qn("w:pPr"))
            if p_pr is not None and _filled(p_pr.find(qn("w:shd"))):
                return False
            for tc in p_el.iterancestors(qn("w:tc")):
                tc_pr = tc.find(qn("w:tcPr"))
                if tc_pr is not None and _filled(tc_pr.find(qn("w:shd"))):
                    return False
        return True


def paragraph_text(p, counts: dict[str, int] | None = None) -> str:
    """Text of a w:p as it reads with tracked changes accepted: insertions (w:ins) read,
    deletions (w:del, w:moveFrom) and hidden runs (w:vanish) left out, text boxes read
    apart (see _text_box_blocks). `counts` gets the inserted, deleted and hidden
    characters."""
    return "".join(text for text, _ in paragraph_pieces(p, counts))


def paragraph_pieces(p, counts: dict[str, int] | None = None, bold_of=None, unseen=None
                     ) -> list[tuple[str, bool]]:
    """The text of a w:p (see paragraph_text) as pieces (text, in bold); `bold_of(run)`
    tells whether a w:r is bold (default: never), `unseen(run)` whether a reader cannot
    see it (default: w:vanish)."""
    unseen = unseen or _run_hidden
    counts = {} if counts is None else counts
    parts: list[tuple[str, bool]] = []

    def walk(el, inserted: bool, bold: bool) -> None:
        for child in el:
            tag = child.tag
            if tag in DROPPED:
                if tag != qn("w:txbxContent"):
                    n = sum(len(t.text or "") for t in child.iter(qn("w:delText"), W_T))
                    counts["deleted"] = counts.get("deleted", 0) + n
                continue
            if tag == qn("w:r") and unseen(child):
                n = sum(len("".join((t.text or "").split())) for t in child.iter(W_T))
                counts["hidden"] = counts.get("hidden", 0) + n
                continue
            if tag == W_T:
                parts.append((child.text or "", bold))
                if inserted:
                    counts["inserted"] = counts.get("inserted", 0) + len(child.text or "")
            elif tag == W_TAB:
                parts.append(("\t", bold))
            elif tag in {W_BR, W_CR}:
                parts.append(("\n", bold))
            else:
                run_bold = bold_of(child) if (tag == qn("w:r") and bold_of) else bold
                walk(child, inserted or tag in {qn("w:ins"), qn("w:moveTo")}, run_bold)

    walk(p, False, False)
    return parts


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
    titles: set[int] = set()     # ids of bullets that are a bold title alone
    indented: set[int] = set()   # ids of paragraphs indented from the margin
    unseen = _Unseen(document)
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            rows = [["\n".join("".join(t for t, _ in paragraph_pieces(
                p._p, counts, unseen=lambda r, p=p: unseen(r, p))) for p in cell.paragraphs)
                     for cell in _unique_cells(row)] for row in item.rows]
            blocks.extend(table_blocks(rows))
        elif isinstance(item, Paragraph):
            block = _paragraph_block(item, counts, titles, unseen)
            if block is not None:
                blocks.append(block)
                if _indent(unseen.par_style(item), item) > 0:
                    indented.add(id(block))
            blocks.extend(_text_box_blocks(item, counts, unseen))
    return Document(_join_titles(blocks, titles, indented), "docx",
                    warnings=_change_notes(counts))


def _join_titles(blocks: list[Block], titles: set[int], indented: set[int]) -> list[Block]:
    """A bullet that is a bold title alone (« • **Maraudes** ») and the indented paragraph
    under it (its description): one bullet « Maraudes : … », as a reader takes them. A
    title ending with « : » takes the next paragraph even when it is not indented."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and id(prev) in titles and block.kind == PARAGRAPH and (
                id(block) in indented or prev.text.endswith(":")):
            sep = " " if prev.text.endswith(":") else " : "
            out[-1] = Block(BULLET, prev.text + sep + block.text, page=prev.page)
            continue
        out.append(block)
    return out


def _text_box_blocks(par: Paragraph, counts: dict[str, int], unseen=None) -> list[Block]:
    """Paragraphs of the text boxes anchored in `par` (Word stores each box twice, for new
    and old readers: the copies are read once)."""
    out: list[Block] = []
    seen: set[str] = set()
    for box in par._p.iter(qn("w:txbxContent")):
        if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            continue
        for p in box.iter(qn("w:p")):
            block = _paragraph_block(Paragraph(p, par._parent), counts, set(), unseen)
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


def _paragraph_block(par: Paragraph, counts: dict[str, int], titles: set[int],
                     unseen=None) -> Block | None:
    ctx = unseen or _Unseen(par.part.document)
    style_obj = ctx.par_style(par)
    par_bold = bool(_style_bold(style_obj))
    pieces = paragraph_pieces(par._p, counts, lambda r: _run_bold(r, ctx, par_bold),
                              (lambda r: unseen(r, par)) if unseen else None)
    text = collapse("".join(t for t, _ in pieces))
    if not text:
        return None
    style = (style_obj.name if style_obj is not None else "") or ""
    m = _HEADING_STYLE_RE.match(style.strip())
    if m:
        return Block(HEADING, text, level=int(m.group(1) or 0))
    p_pr = par._p.pPr
    listed = (p_pr is not None and p_pr.numPr is not None) or bool(
        re.search(r"list|liste|puce", style, re.I))
    typed, body = split_bullet(text)
    all_bold = all(bold for t, bold in pieces if t.strip())
    if not listed and not typed and all_bold and len(text) <= 90 and not text.endswith(
            (".", ",", ";")):
        return Block(HEADING, text, level=9)
    if not (listed or typed):
        return Block(PARAGRAPH, text)
    block = Block(BULLET, body if all_bold else split_bullet(titled(pieces))[1])
    if all_bold and len(block.text) <= TITLE_MAX_CHARS and not re.search(
            r"[.!?;…]$", block.text):
        titles.add(id(block))
    return block


def _style_bold(style) -> bool | None:
    while style is not None:
        bold = style.font.bold
        if bold is not None:
            return bold
        style = style.base_style
    return None


def _run_bold(run, ctx: _Unseen, par_bold: bool) -> bool:
    """Whether a w:r shows in bold: its own w:b, else its character style, else the
    paragraph's style (`par_bold`)."""
    r_pr = run.find(qn("w:rPr"))
    if r_pr is not None:
        b = r_pr.find(qn("w:b"))
        if b is not None:
            return b.get(qn("w:val"), "true") not in {"0", "false", "off"}
        r_style = r_pr.find(qn("w:rStyle"))
        if r_style is not None:
            bold = ctx.style_bold(r_style.get(qn("w:val")), WD_STYLE_TYPE.CHARACTER)
            if bold is not None:
                return bold
    return par_bold


def _indent(style, par: Paragraph) -> float:
    """Left indentation of a paragraph (points), its own or its style's (`style`)."""
    fmt = par.paragraph_format
    if fmt.left_indent is not None:
        return fmt.left_indent.pt
    while style is not None:
        value = style.paragraph_format.left_indent
        if value is not None:
            return value.pt
        style = style.base_style
    return 0.0
