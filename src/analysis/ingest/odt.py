"""OpenDocument text reader (odfpy): headings, paragraphs, lists, tables; text a reader
does not see (hidden, white on white, under 4 pt, deleted, comments) left out and counted;
a list item's bold title and its description read « Titre : description »."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, Block, Document, ReadError
from analysis.ingest.cleanup import collapse, split_bullet, titled
from analysis.ingest.tables import table_blocks

CORRUPT_ODT = (
    "document OpenDocument illisible (fichier abîmé ou protégé) : le rouvrir dans "
    "LibreOffice et le réenregistrer (.odt ou PDF) sans mot de passe, puis relancer"
)
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
MIN_PT = 4.0
HIDDEN_NOTE = (
    "{n} caractères invisibles ignorés (texte masqué, blanc sans fond de couleur ou de moins "
    "de 4 points) : seul ce qu'un lecteur voit est analysé"
)
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
    reader = _Reader(_Styles(doc))
    reader.walk(doc.text, blocks, in_list=False)
    deleted = sum(len("".join(_raw_text(par).split()))
                  for region in _descendants(doc.text, TEXT_NS, "deletion")
                  for par in _descendants(region, TEXT_NS, "p"))
    warnings = [DELETED_NOTE.format(n=deleted)] if deleted else []
    if reader.hidden:
        warnings.append(HIDDEN_NOTE.format(n=reader.hidden))
    return Document(blocks, "odt", warnings=warnings)


class _Styles:
    """The document's text styles (automatic and named, with their parents): whether a
    style hides its text, its colour, size, background and weight."""

    def __init__(self, doc) -> None:
        self.raw: dict[str, tuple[str | None, dict]] = {}
        for container in (doc.styles, doc.automaticstyles):
            for style in getattr(container, "childNodes", []):
                if getattr(style, "qname", None) != (STYLE_NS, "style"):
                    continue
                props: dict = {}
                for child in style.childNodes:
                    q = getattr(child, "qname", None)
                    if q == (STYLE_NS, "text-properties"):
                        for key, (ns, local) in {
                            "display": (TEXT_NS, "display"), "color": (FO_NS, "color"),
                            "size": (FO_NS, "font-size"), "weight": (FO_NS, "font-weight"),
                            "background": (FO_NS, "background-color"),
                        }.items():
                            value = child.getAttrNS(ns, local)
                            if value:
                                props[key] = str(value)
                    elif q == (STYLE_NS, "paragraph-properties"):
                        value = child.getAttrNS(FO_NS, "background-color")
                        if value:
                            props["background"] = str(value)
                name = style.getAttrNS(STYLE_NS, "name")
                if name:
                    self.raw[str(name)] = (style.getAttrNS(STYLE_NS, "parent-style-name"),
                                           props)

    def props(self, name: str | None) -> dict:
        """The style's text properties, its parents' filling the gaps."""
        out: dict = {}
        seen = set()
        while name and name in self.raw and name not in seen:
            seen.add(name)
            parent, props = self.raw[name]
            for key, value in props.items():
                out.setdefault(key, value)
            name = parent
        return out


def _white(colour: str | None) -> bool:
    value = (colour or "").lstrip("#")
    try:
        return len(value) == 6 and all(int(value[i:i + 2], 16) >= 0xF0 for i in (0, 2, 4))
    except ValueError:
        return False


def _size_pt(value: str | None, parent: float) -> float:
    if not value:
        return parent
    value = value.strip()
    try:
        if value.endswith("%"):
            return parent * float(value[:-1]) / 100
        if value.endswith("pt"):
            return float(value[:-2])
    except ValueError:
        pass
    return parent


@dataclass
class _State:
    size: float = 12.0
    white: bool = False
    background: bool = False
    bold: bool = False


class _Reader:
    """Blocks of the document, with what its styles hide left out (counted in `hidden`)."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.hidden = 0

    def state(self, element, parent: _State) -> tuple[_State, bool]:
        """The style state inside `element`, and whether its style hides it."""
        name = element.getAttrNS(TEXT_NS, "style-name") if hasattr(element, "getAttrNS") \
            else None
        props = self.styles.props(str(name)) if name else {}
        if element.qname == (TEXT_NS, "hidden-text"):
            if (element.getAttrNS(TEXT_NS, "is-hidden") or "true") != "false":
                return parent, True
        if props.get("display") == "none":
            return parent, True
        state = _State(_size_pt(props.get("size"), parent.size), parent.white,
                       parent.background, parent.bold)
        if "color" in props:
            state.white = _white(props["color"])
        bg = props.get("background")
        if bg and bg != "transparent" and not _white(bg):
            state.background = True
        if "weight" in props:
            state.bold = props["weight"] in {"bold", "600", "700", "800", "900"}
        return state, state.size < MIN_PT or (state.white and not state.background)

    def pieces(self, element, parent: _State) -> list[tuple[str, bool]]:
        """(text, bold) pieces of an element, comments and hidden text left out."""
        from odf import teletype

        out: list[tuple[str, bool]] = []
        for child in element.childNodes:
            q = getattr(child, "qname", None)
            if q in SKIPPED:
                continue
            if child.nodeType == child.TEXT_NODE:
                out.append((str(child.data), parent.bold))
            elif q in {(TEXT_NS, "s"), (TEXT_NS, "tab"), (TEXT_NS, "line-break")}:
                out.append((teletype.extractText(child) or " ", parent.bold))
            elif q is not None:
                state, hides = self.state(child, parent)
                if hides:
                    self.hidden += len("".join(_raw_text(child).split()))
                    continue
                out.extend(self.pieces(child, state))
        return out

    def paragraph(self, element, parent: _State) -> tuple[str, list[tuple[str, bool]]]:
        state, hides = self.state(element, parent)
        # a « hidden paragraph » field hides the paragraph that holds it
        hides = hides or any(
            getattr(c, "qname", None) == (TEXT_NS, "hidden-paragraph")
            and (c.getAttrNS(TEXT_NS, "is-hidden") or "true") != "false"
            for c in element.childNodes)
        if hides:
            self.hidden += len("".join(_raw_text(element).split()))
            return "", []
        pieces = self.pieces(element, state)
        return collapse("".join(t for t, _ in pieces)), pieces

    def walk(self, element, blocks: list[Block], in_list: bool,
             parent: _State | None = None) -> None:
        parent = parent or _State()
        for child in element.childNodes:
            if getattr(child, "qname", None) is None or child.qname in SKIPPED:
                continue
            ns, name = child.qname
            if ns == TEXT_NS and name == "h":
                text, _ = self.paragraph(child, parent)
                if text:
                    level = child.getAttrNS(TEXT_NS, "outline-level") or 1
                    blocks.append(Block(HEADING, text, level=int(level)))
            elif ns == TEXT_NS and name == "p":
                text, pieces = self.paragraph(child, parent)
                if text:
                    is_bullet, body = split_bullet(text)
                    if in_list or is_bullet:
                        blocks.append(Block(BULLET, split_bullet(titled(pieces))[1]))
                    else:
                        blocks.append(Block(PARAGRAPH, body))
            elif ns == TEXT_NS and name in {"list", "list-item", "list-header"}:
                self.walk(child, blocks, in_list=True, parent=parent)
            elif ns == TABLE_NS and name == "table":
                rows = []
                for row in _descendants(child, TABLE_NS, "table-row"):
                    rows.append([" ".join(t for t in (self.paragraph(p, parent)[0]
                                                      for p in _paragraphs(c)) if t)
                                 for c in row.childNodes
                                 if getattr(c, "qname", None) == (TABLE_NS, "table-cell")])
                blocks.extend(table_blocks(rows))
            else:
                self.walk(child, blocks, in_list, parent)


def _paragraphs(cell):
    for child in cell.childNodes:
        if getattr(child, "qname", None) in {(TEXT_NS, "p"), (TEXT_NS, "h")}:
            yield child
        elif getattr(child, "childNodes", None) and getattr(child, "qname", None) is not None:
            yield from _paragraphs(child)


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


def _descendants(element, ns: str, name: str):
    for child in element.childNodes:
        if getattr(child, "qname", None) == (ns, name):
            yield child
        elif getattr(child, "childNodes", None):
            yield from _descendants(child, ns, name)
