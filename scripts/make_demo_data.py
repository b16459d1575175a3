"""Build the fictional demo election in data/demo/raw/ from the source texts in data/demo_src/.

Every programme and letter is written once, as a markdown-like text with a YAML front
matter (`data/demo_src/<list_id>/*.md`); the questionnaire answers are YAML
(`data/demo_src/questionnaire/reponses_formulaire.yml`). This script turns them into the
files candidates actually publish: multi-page PDFs (reportlab), a Word document
(python-docx), a saved campaign web page, a Markdown file, a Windows-1252 text file, a
form export (openpyxl) and a signed letter (PDF).

The output is deterministic: reportlab runs with `invariant=1`, and the zip containers
(docx, xlsx) are rewritten with fixed timestamps and a fixed "modified" date.

Usage:
    .venv/bin/python scripts/make_demo_data.py            # writes into data/demo/raw/
    .venv/bin/python scripts/make_demo_data.py --out DIR  # writes into DIR instead

Source markup (one block per paragraph, blocks separated by blank lines):
    ## Heading level 2          ### Heading level 3
    - bullet item               1. numbered item
    | a | b | c |               table rows (first row is the header)
    > quoted or highlighted paragraph
    **bold** and *italic* inline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import re
import sys
import textwrap
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SRC_DIR = ROOT / "data" / "demo_src"
DEFAULT_OUT = ROOT / "data" / "demo" / "raw"
CONFIG_PATH = ROOT / "config" / "demo.yml"
FORM_SOURCE = SRC_DIR / "questionnaire" / "reponses_formulaire.yml"

DEMO_NOTICE = "Document fictif de démonstration — Baromètre solidarité"
# Fixed dates so that two runs give the same files.
FIXED_DATETIME = dt.datetime(2026, 2, 27, 9, 0, 0)
FIXED_ZIP_TIME = (2026, 2, 27, 9, 0, 0)
SOFT_HYPHEN = "\u00ad"


# --------------------------------------------------------------------------- sources
@dataclass
class Block:
    """One block of a source text: a heading, a paragraph, a list, a table or a quote."""

    kind: str  # h2 | h3 | p | ul | ol | table | quote
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class SourceDoc:
    """A source text with its front matter (`meta`) and parsed blocks."""

    path: Path
    meta: dict[str, Any]
    blocks: list[Block]

    @property
    def list_id(self) -> str:
        return str(self.meta["list_id"])

    @property
    def output(self) -> str:
        return str(self.meta["output"])

    @property
    def format(self) -> str:
        return str(self.meta["format"])


def read_source(path: Path) -> SourceDoc:
    """Split the YAML front matter from the body and parse the body into blocks."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", text, flags=re.S)
    if not match:
        raise ValueError(f"{path}: missing YAML front matter between '---' lines")
    meta = yaml.safe_load(match.group(1)) or {}
    for key in ("list_id", "output", "format", "title"):
        if key not in meta:
            raise ValueError(f"{path}: front matter lacks '{key}'")
    return SourceDoc(path=path, meta=meta, blocks=parse_blocks(match.group(2)))


def parse_blocks(body: str) -> list[Block]:
    """Parse the small markup described in the module docstring."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", body.strip()):
        lines = [line.rstrip() for line in chunk.strip().splitlines()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("### "):
            blocks.append(Block("h3", first[4:].strip()))
            lines = lines[1:]
        elif first.startswith("## "):
            blocks.append(Block("h2", first[3:].strip()))
            lines = lines[1:]
        if not lines:
            continue
        if lines[0].startswith("- "):
            blocks.append(Block("ul", items=_items(lines, r"- ")))
        elif re.match(r"\d+\. ", lines[0]):
            blocks.append(Block("ol", items=_items(lines, r"\d+\. ")))
        elif lines[0].startswith("|"):
            rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
                    for line in lines if not re.match(r"^\|[\s:|-]+\|$", line)]
            blocks.append(Block("table", rows=rows))
        elif lines[0].startswith("> "):
            blocks.append(Block("quote", " ".join(line[2:].strip() for line in lines)))
        else:
            blocks.append(Block("p", " ".join(line.strip() for line in lines)))
    return blocks


def _items(lines: list[str], marker: str) -> list[str]:
    """List items; a line that does not start with the marker continues the previous item."""
    items: list[str] = []
    for line in lines:
        if re.match(marker, line):
            items.append(re.sub("^" + marker, "", line).strip())
        else:
            items[-1] += " " + line.strip()
    return items


def strip_markup(text: str) -> str:
    """Inline markup removed (plain text)."""
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m.group(1) or m.group(2), text)


def to_reportlab(text: str) -> str:
    """Inline markup as reportlab Paragraph mini-HTML (text escaped)."""
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    return re.sub(r"\*(.+?)\*", r"<i>\1</i>", text)


def to_html(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    return re.sub(r"\*(.+?)\*", r"<em>\1</em>", text)


def typography(text: str, mode: str | None) -> str:
    """Apply the typography a word processor would: curly apostrophes, French spacing."""
    if not mode:
        return text
    text = text.replace("'", "\u2019")
    if mode == "word":
        # Word's French autocorrect: no-break space before ; : ! ? and inside « ».
        text = re.sub(r" ([;:!?»])", "\u00a0\\1", text)
        text = text.replace("« ", "«\u00a0")
    return text


def hyphenation_hints(words: list[str]) -> list[tuple[re.Pattern[str], list[int]]]:
    """Compile hints like 'ac|com|pa|gne|ment' into (pattern, offsets of break points).

    Break points leaving fewer than 3 letters on either side are ignored.
    """
    hints = []
    for word in sorted(words, key=len, reverse=True):  # longest first: "municipalité" wins
        parts = word.split("|")
        plain = "".join(parts)
        offsets, pos = [], 0
        for part in parts[:-1]:
            pos += len(part)
            if pos >= 3 and len(plain) - pos >= 3:
                offsets.append(pos)
        hints.append((re.compile(re.escape(plain), re.I), offsets))
    return hints


def add_soft_hyphens(text: str, hints: list[tuple[re.Pattern[str], list[int]]]) -> str:
    """Insert soft hyphens at the hinted break points, keeping the matched case."""
    for pattern, offsets in hints:
        def insert(match: re.Match[str], offsets: list[int] = offsets) -> str:
            word = match.group(0)
            pieces, last = [], 0
            for off in offsets:
                pieces.append(word[last:off])
                last = off
            pieces.append(word[last:])
            return SOFT_HYPHEN.join(pieces)
        text = pattern.sub(insert, text)
    return text


def plain_lines(doc: SourceDoc) -> list[str]:
    """The document's text, one line per heading/paragraph/item (used for word counts)."""
    lines = [doc.meta["title"], doc.meta.get("subtitle", "")]
    for block in doc.blocks:
        if block.kind in ("ul", "ol"):
            lines.extend(block.items)
        elif block.kind == "table":
            lines.extend(" ".join(row) for row in block.rows)
        else:
            lines.append(block.text)
    return [strip_markup(line) for line in lines if line]


def count_words(text: str) -> int:
    """Whitespace-separated tokens that contain a letter or a digit (like `wc -w`)."""
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


# --------------------------------------------------------------------------- PDF
def _pdf_styles(meta: dict[str, Any], colour: str) -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # The bullet glyph comes from Vera (shipped with reportlab): in the standard Type 1 fonts
    # "•" is written as code 127, which pdfminer/pdfplumber extract as "(cid:127)".
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    body_font = meta.get("body_font", "Helvetica")
    bold_font = meta.get("heading_font", "Helvetica-Bold")
    italic_font = {"Times-Roman": "Times-Italic"}.get(body_font, "Helvetica-Oblique")
    size = float(meta.get("font_size", 10))
    accent = colors.HexColor(colour)
    body = ParagraphStyle(
        "body", fontName=body_font, fontSize=size, leading=size * 1.38,
        alignment=TA_JUSTIFY, spaceAfter=size * 0.55,
        embeddedHyphenation=1 if meta.get("hyphenate") else 0,
    )
    return {
        "body": body,
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=16, bulletIndent=5,
                                 spaceAfter=size * 0.3, bulletFontName="Vera"),
        "quote": ParagraphStyle("quote", parent=body, fontName=italic_font, leftIndent=18,
                                rightIndent=18, textColor=colors.HexColor("#333333"),
                                borderPadding=6, spaceBefore=4, spaceAfter=10),
        "h2": ParagraphStyle("h2", fontName=bold_font, fontSize=size + 5, leading=size + 9,
                             textColor=accent, spaceBefore=size * 1.2, spaceAfter=size * 0.6,
                             keepWithNext=1),
        "h3": ParagraphStyle("h3", fontName=bold_font, fontSize=size + 1.5,
                             leading=size + 5, spaceBefore=size * 0.8, spaceAfter=size * 0.35,
                             keepWithNext=1),
        "title": ParagraphStyle("title", fontName=bold_font, fontSize=26, leading=31,
                                textColor=accent, alignment=TA_LEFT, spaceAfter=6),
        "subtitle": ParagraphStyle("subtitle", fontName=italic_font, fontSize=15, leading=19,
                                   textColor=colors.HexColor("#333333"), spaceAfter=6),
        "byline": ParagraphStyle("byline", fontName=bold_font, fontSize=11, leading=15,
                                 spaceAfter=18),
        "cell": ParagraphStyle("cell", fontName=body_font, fontSize=size - 0.5,
                               leading=(size - 0.5) * 1.25),
        "cell_head": ParagraphStyle("cell_head", fontName=bold_font, fontSize=size - 0.5,
                                    leading=(size - 0.5) * 1.25, textColor=colors.white),
        "right": ParagraphStyle("right", parent=body, alignment=2),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
        "accent": accent,
    }


def _block_flowables(doc: SourceDoc, styles: dict[str, Any]) -> list[Any]:
    """Body blocks as reportlab flowables (typography and hyphenation applied)."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    mode = doc.meta.get("typography")
    hints = hyphenation_hints(doc.meta.get("hyphenate") or [])
    bullet = doc.meta.get("bullet", "•")

    def para(text: str, style: Any, hyphenate: bool = True, **kw: Any) -> Any:
        text = to_reportlab(typography(text, mode))
        if hints and hyphenate:
            text = add_soft_hyphens(text, hints)
        return Paragraph(text, style, **kw)

    flow: list[Any] = []
    for block in doc.blocks:
        if block.kind in ("h2", "h3"):
            flow.append(para(block.text, styles[block.kind], hyphenate=False))
        elif block.kind == "p":
            flow.append(para(block.text, styles["body"]))
        elif block.kind == "quote":
            flow.append(para(block.text, styles["quote"]))
        elif block.kind == "ul":
            flow.extend(para(item, styles["bullet"], bulletText=bullet) for item in block.items)
            flow.append(Spacer(1, 4))
        elif block.kind == "ol":
            flow.extend(para(item, styles["bullet"], bulletText=f"{i}.")
                        for i, item in enumerate(block.items, 1))
            flow.append(Spacer(1, 4))
        elif block.kind == "table":
            head, *rows = block.rows
            data = [[para(c, styles["cell_head"], hyphenate=False) for c in head]]
            data += [[para(c, styles["cell"], hyphenate=False) for c in row] for row in rows]
            widths = [None] * len(head)
            table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([
                ("BACKGROUND", (0, 0), (-1, 0), styles["accent"]),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F2F2F2")]),
            ]))
            flow.extend([Spacer(1, 4), table, Spacer(1, 10)])
    return flow


def _programme_cover(doc: SourceDoc, styles: dict[str, Any], list_info: Any) -> list[Any]:
    from reportlab.platypus import HRFlowable, Paragraph, Spacer

    mode = doc.meta.get("typography")
    flow = [
        Paragraph(to_reportlab(typography(list_info.name, mode)), styles["title"]),
        Paragraph(to_reportlab(typography(doc.meta["title"], mode)), styles["subtitle"]),
    ]
    if doc.meta.get("subtitle"):
        flow.append(Paragraph(to_reportlab(typography(f"« {doc.meta['subtitle']} »", mode)),
                              styles["subtitle"]))
    flow.append(Paragraph(
        to_reportlab(typography(f"Liste conduite par {list_info.head}", mode)),
        styles["byline"]))
    flow += [HRFlowable(width="100%", thickness=2, color=styles["accent"]), Spacer(1, 10)]
    return flow


def _letter_head(doc: SourceDoc, styles: dict[str, Any], list_info: Any) -> list[Any]:
    from reportlab.platypus import HRFlowable, Paragraph, Spacer

    meta = doc.meta
    mode = meta.get("typography")

    def p(text: str, style: str) -> Any:
        return Paragraph(to_reportlab(typography(text, mode)), styles[style])

    flow = [p(list_info.name, "title")]
    flow += [p(line, "body") for line in meta.get("letterhead", [])]
    flow += [HRFlowable(width="100%", thickness=1.5, color=styles["accent"]), Spacer(1, 8)]
    flow += [p(line, "right") for line in meta.get("recipient", [])]
    flow += [Spacer(1, 6), p(meta["place_date"], "right"), Spacer(1, 6)]
    flow.append(p(f"**Objet :** {meta['object']}", "body"))
    return flow


def _letter_signature(doc: SourceDoc, styles: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    mode = doc.meta.get("typography")
    lines = [Spacer(1, 10)]
    lines += [Paragraph(to_reportlab(typography(line, mode)), styles["right"])
              for line in doc.meta.get("signature", [])]
    return [KeepTogether(lines)]


def render_pdf(doc: SourceDoc, out: Path, list_info: Any) -> int:
    """Write a programme or letter PDF; return its number of pages."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    meta = doc.meta
    styles = _pdf_styles(meta, list_info.colour)
    is_letter = doc.format == "letter"
    header_text = typography(meta.get("running_header") or f"{list_info.name} — {meta['title']}",
                             meta.get("typography"))

    def build(total: int | None, target: Any) -> int:
        template = SimpleDocTemplate(
            target, pagesize=A4, leftMargin=2.2 * cm, rightMargin=2.2 * cm,
            topMargin=2.3 * cm, bottomMargin=2.2 * cm, invariant=1,
            title=f"{list_info.name} — {meta['title']}", author=list_info.name,
            subject=DEMO_NOTICE, creator="Baromètre solidarité — make_demo_data.py",
            producer="ReportLab",
        )

        def decorate(canvas: Any, tpl: Any) -> None:
            width, height = A4
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.setFillColor(colors.HexColor("#555555"))
            if not (is_letter and tpl.page == 1):
                canvas.drawString(2.2 * cm, height - 1.4 * cm, header_text)
                canvas.setStrokeColor(styles["accent"])
                canvas.setLineWidth(1)
                canvas.line(2.2 * cm, height - 1.55 * cm, width - 2.2 * cm, height - 1.55 * cm)
            canvas.drawString(2.2 * cm, 1.2 * cm, DEMO_NOTICE)
            canvas.drawRightString(width - 2.2 * cm, 1.2 * cm,
                                   f"Page {tpl.page} / {total or '?'}")
            canvas.restoreState()

        if is_letter:
            flow = (_letter_head(doc, styles, list_info) + _block_flowables(doc, styles)
                    + _letter_signature(doc, styles))
        else:
            flow = _programme_cover(doc, styles, list_info) + _block_flowables(doc, styles)
        template.build(flow, onFirstPage=decorate, onLaterPages=decorate)
        return template.page

    pages = build(None, io.BytesIO())  # first pass: count pages for "Page N / M"
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    if build(pages, buffer) != pages:
        raise RuntimeError(f"{out}: page count changed between passes")
    out.write_bytes(buffer.getvalue())
    return pages


# --------------------------------------------------------------------------- DOCX
def _add_runs(paragraph: Any, text: str) -> None:
    """Add text with **bold** / *italic* runs to a python-docx paragraph."""
    for piece in re.split(r"(\*\*.+?\*\*|\*.+?\*)", text):
        if not piece:
            continue
        if piece.startswith("**"):
            paragraph.add_run(piece[2:-2]).bold = True
        elif piece.startswith("*"):
            paragraph.add_run(piece[1:-1]).italic = True
        else:
            paragraph.add_run(piece)


def _add_page_field(paragraph: Any) -> None:
    """Append a PAGE field (Word fills in the number when it displays the document)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field_el = OxmlElement("w:fldSimple")
    field_el.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_el.append(run)
    paragraph._p.append(field_el)


def render_docx(doc: SourceDoc, out: Path, list_info: Any) -> None:
    import docx
    from docx.shared import Pt, RGBColor

    meta = doc.meta
    mode = meta.get("typography")

    def t(text: str) -> str:
        return typography(text, mode)

    document = docx.Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    colour = RGBColor.from_string(list_info.colour.lstrip("#").upper())
    for name in ("Title", "Heading 1", "Heading 2"):
        document.styles[name].font.color.rgb = colour

    section = document.sections[0]
    section.header.paragraphs[0].text = t(f"{list_info.name} — {meta['title']}")
    footer = section.footer.paragraphs[0]
    footer.text = f"{DEMO_NOTICE} — page "
    _add_page_field(footer)

    document.add_heading(t(list_info.name), level=0)
    if meta.get("subtitle"):
        _add_runs(document.add_paragraph(style="Subtitle"), t(meta["subtitle"]))
    _add_runs(document.add_paragraph(), t(f"**{meta['title']}** — liste conduite par "
                                          f"{list_info.head}"))
    for block in doc.blocks:
        if block.kind == "h2":
            document.add_heading(t(block.text), level=1)
        elif block.kind == "h3":
            document.add_heading(t(block.text), level=2)
        elif block.kind == "p":
            _add_runs(document.add_paragraph(), t(block.text))
        elif block.kind == "quote":
            _add_runs(document.add_paragraph(style="Intense Quote"), t(block.text))
        elif block.kind in ("ul", "ol"):
            style = "List Bullet" if block.kind == "ul" else "List Number"
            for item in block.items:
                _add_runs(document.add_paragraph(style=style), t(item))
        elif block.kind == "table":
            table = document.add_table(rows=0, cols=len(block.rows[0]))
            table.style = "Light Grid Accent 1"
            for r, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = ""
                    _add_runs(cell.paragraphs[0], t(f"**{value}**" if r == 0 else value))
            document.add_paragraph()

    props = document.core_properties
    props.title = f"{list_info.name} — {meta['title']}"
    props.subject = DEMO_NOTICE
    props.author = meta.get("author", list_info.name)
    props.last_modified_by = meta.get("author", list_info.name)
    props.comments = DEMO_NOTICE
    props.keywords = "municipales 2026; programme; démonstration"
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.last_printed = FIXED_DATETIME
    props.revision = 1
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(out)
    normalise_zip(out)


def normalise_zip(path: Path) -> None:
    """Rewrite an OOXML zip with fixed timestamps and a fixed dcterms:modified."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    stamp = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, data)
    path.write_bytes(buffer.getvalue())


# --------------------------------------------------------------------------- HTML, MD, TXT
def html_article(doc: SourceDoc) -> str:
    """The body of a campaign web page: <h1> then sections, lists, tables."""
    parts = [f"<h1>{to_html(doc.meta['title'])}</h1>"]
    if doc.meta.get("subtitle"):
        parts.append(f'<p class="chapo">{to_html(doc.meta["subtitle"])}</p>')
    open_section = False
    for block in doc.blocks:
        if block.kind == "h2":
            if open_section:
                parts.append("</section>")
            slug = re.sub(r"[^a-z0-9]+", "-", strip_markup(block.text).lower()).strip("-")
            parts.append(f'<section id="{slug[:40]}">\n<h2>{to_html(block.text)}</h2>')
            open_section = True
        elif block.kind == "h3":
            parts.append(f"<h3>{to_html(block.text)}</h3>")
        elif block.kind == "p":
            parts.append(f"<p>{to_html(block.text)}</p>")
        elif block.kind == "quote":
            parts.append(f"<blockquote><p>{to_html(block.text)}</p></blockquote>")
        elif block.kind in ("ul", "ol"):
            tag = block.kind
            items = "\n".join(f"  <li>{to_html(item)}</li>" for item in block.items)
            parts.append(f"<{tag}>\n{items}\n</{tag}>")
        elif block.kind == "table":
            head, *rows = block.rows
            cells = "".join(f"<th>{to_html(c)}</th>" for c in head)
            body = "\n".join("<tr>" + "".join(f"<td>{to_html(c)}</td>" for c in row) + "</tr>"
                             for row in rows)
            parts.append(f"<table>\n<thead><tr>{cells}</tr></thead>\n<tbody>\n{body}\n"
                         "</tbody>\n</table>")
    if open_section:
        parts.append("</section>")
    return "\n".join(parts)


def render_html(doc: SourceDoc, out: Path, list_info: Any) -> None:
    """Fill the site shell (nav, cookie banner, aside, footer, scripts) with the article."""
    shell = (doc.path.parent / doc.meta["shell"]).read_text(encoding="utf-8")
    page = (shell.replace("{{ARTICLE}}", html_article(doc))
            .replace("{{TITLE}}", html.escape(f"{doc.meta['title']} | {list_info.name}"))
            .replace("{{LIST_NAME}}", html.escape(list_info.name))
            .replace("{{HEAD}}", html.escape(list_info.head))
            .replace("{{NOTICE}}", html.escape(DEMO_NOTICE)))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8", newline="\n")


def render_markdown(doc: SourceDoc, out: Path, list_info: Any) -> None:
    body = doc.path.read_text(encoding="utf-8").split("\n---\n", 1)[1].strip()
    lines = [f"# {list_info.name} — {doc.meta['title']}", ""]
    if doc.meta.get("subtitle"):
        lines += [f"*{doc.meta['subtitle']}*", ""]
    lines += [f"> {DEMO_NOTICE}. Liste conduite par {list_info.head}.", "", body, "",
              "---", "", f"*{DEMO_NOTICE}*", ""]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8", newline="\n")


def render_text(doc: SourceDoc, out: Path, list_info: Any) -> None:
    """Plain text wrapped at 76 columns, CRLF, in the encoding of the front matter."""
    mode = doc.meta.get("typography")
    width = int(doc.meta.get("wrap", 76))

    def wrap(text: str, indent: str = "", first: str = "") -> list[str]:
        return textwrap.wrap(typography(strip_markup(text), mode), width=width,
                             initial_indent=first or indent, subsequent_indent=indent) or [""]

    title = typography(f"{list_info.name.upper()} — {doc.meta['title']}", mode)
    lines = [DEMO_NOTICE, "", title, "=" * len(title), ""]
    if doc.meta.get("subtitle"):
        lines += wrap(doc.meta["subtitle"]) + [""]
    for block in doc.blocks:
        if block.kind in ("h2", "h3"):
            text = typography(strip_markup(block.text), mode)
            text = text.upper() if block.kind == "h2" else text
            lines += [text, ("=" if block.kind == "h2" else "-") * len(text), ""]
        elif block.kind in ("p", "quote"):
            lines += wrap(block.text) + [""]
        elif block.kind in ("ul", "ol"):
            for i, item in enumerate(block.items, 1):
                marker = "\u2022 " if block.kind == "ul" else f"{i}. "
                lines += wrap(item, indent=" " * len(marker), first=marker)
            lines.append("")
        elif block.kind == "table":
            lines += [" | ".join(row) for row in block.rows] + [""]
    lines += ["--", DEMO_NOTICE, ""]
    encoding = doc.meta.get("encoding", "utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes("\r\n".join(lines).encode(encoding))  # strict: fails on unmappable chars


# --------------------------------------------------------------------------- questionnaire
def build_form(source: Path, out: Path, questions: list[Any]) -> int:
    """Write the online form export (one row per answering list); return the row count."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    columns = list(data["columns"]) + [q.column for q in questions]
    wb = Workbook()
    ws = wb.active
    ws.title = data.get("sheet", "Réponses au formulaire 1")
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        missing = [q.id for q in questions if q.id not in row["answers"]]
        if missing:
            raise ValueError(f"{source}: row {row['list_name']!r} lacks answers {missing}")
        timestamp = dt.datetime.fromisoformat(str(row["timestamp"]))
        values = [timestamp, row["email"], row["respondent"], str(row["phone"]),
                  row["list_name"]]
        values += [str(row["answers"][q.id]).strip() for q in questions]
        ws.append(values)
        ws.cell(ws.max_row, 1).number_format = "dd/mm/yyyy hh:mm:ss"
    widths = [20, 32, 26, 16, 30] + [60] * len(questions)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row[5:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    wb.properties.creator = data.get("creator", "Formulaire en ligne")
    wb.properties.title = data.get("title", "Questionnaire")
    wb.properties.description = DEMO_NOTICE
    wb.properties.created = FIXED_DATETIME
    wb.properties.lastModifiedBy = data.get("creator", "Formulaire en ligne")
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    normalise_zip(out)
    return len(data["rows"])


# --------------------------------------------------------------------------- driver
RENDERERS = {
    "pdf": render_pdf, "letter": render_pdf, "docx": render_docx,
    "html": render_html, "md": render_markdown, "txt": render_text,
}


def source_docs(src_dir: Path = SRC_DIR) -> list[SourceDoc]:
    """Every source text with a front matter (README files excluded)."""
    return [read_source(p) for p in sorted(src_dir.glob("*/*.md"))]


def load_demo_config() -> Any:
    sys.path.insert(0, str(ROOT / "src"))
    from analysis.config import load_config

    return load_config(CONFIG_PATH)


def build_all(out_dir: Path | str, src_dir: Path = SRC_DIR) -> list[dict[str, Any]]:
    """Generate every demo file under out_dir (a data/raw-like folder).

    Returns one record per file: path (relative to out_dir), list_id, format, pages
    (PDF only, else None), words (source word count).
    """
    out_dir = Path(out_dir)
    cfg = load_demo_config()
    records = []
    for doc in source_docs(src_dir):
        list_info = cfg.list_by_id(doc.list_id)
        if list_info is None:
            raise ValueError(f"{doc.path}: unknown list_id {doc.list_id!r}")
        if doc.format not in RENDERERS:
            raise ValueError(f"{doc.path}: unknown format {doc.format!r}")
        out = out_dir / doc.output
        pages = RENDERERS[doc.format](doc, out, list_info)
        records.append({
            "path": doc.output, "list_id": doc.list_id, "format": doc.format,
            "source": "questionnaire" if doc.format == "letter" else "programme",
            "pages": pages if doc.format in ("pdf", "letter") else None,
            "words": sum(count_words(line) for line in plain_lines(doc)),
        })
    form_out = out_dir / "questionnaire" / "reponses_formulaire.xlsx"
    n_rows = build_form(src_dir / FORM_SOURCE.relative_to(SRC_DIR), form_out, cfg.questions)
    records.append({"path": "questionnaire/reponses_formulaire.xlsx", "list_id": "",
                    "format": "xlsx", "source": "questionnaire", "pages": None,
                    "words": n_rows})
    return records


def unexpected_files(out_dir: Path, records: list[dict[str, Any]]) -> list[Path]:
    """Files in the programme folders that this generator did not produce."""
    produced = {out_dir / r["path"] for r in records}
    folder = out_dir / "programmes"
    return sorted(p for p in folder.rglob("*") if p.is_file() and p not in produced
                  and p.name != ".gitkeep")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="output folder (default: data/demo/raw)")
    args = parser.parse_args(argv)
    records = build_all(args.out)
    words: dict[str, int] = {}
    for rec in records:
        pages = f"{rec['pages']} p." if rec["pages"] else ""
        unit = "rows" if rec["format"] == "xlsx" else "words"
        print(f"{rec['path']:<58} {rec['format']:<6} {pages:>6} {rec['words']:>6} {unit}")
        if rec["source"] == "programme":
            words[rec["list_id"]] = words.get(rec["list_id"], 0) + rec["words"]
    print("programme words per list: "
          + ", ".join(f"{k} {v}" for k, v in sorted(words.items())))
    for path in unexpected_files(args.out, records):
        print(f"warning: {path} was not produced by this script (left untouched)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
