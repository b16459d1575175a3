"""Plain text and Markdown readers, and byte decoding (UTF-8, Latin-1, Windows-1252...)."""

from __future__ import annotations

import codecs
import re
import tomllib
from pathlib import Path

import charset_normalizer
import yaml
from bs4 import BeautifulSoup

from analysis.ingest.blocks import HEADING, Block, Document, ReadError
from analysis.ingest.cleanup import normalise_chars, split_bullet, titled_text
from analysis.ingest.css import find_hidden, hidden_by_markup, page_sheets, parse_rules
from analysis.ingest.paragraphs import Line, lines_to_blocks
from analysis.ingest.tables import table_blocks

UNWRAPPED_WIDTH = 110
TXT_HEADING_MAX = 80
_FR_LOWER = set("àâäçéèêëîïôöùûüÿœæ")
_FR_OTHER = set("ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ€’‘“”«»…–—°\u00a0\u202f")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))

UNDECODABLE = (
    "encodage du texte non reconnu : l'ouvrir dans un éditeur et l'enregistrer en UTF-8, "
    "puis relancer"
)


def _plausibility(text: str) -> int:
    """How French/Western a decoded text looks: accented lower-case letters score high,
    control characters and letters of unexpected alphabets low."""
    score = 0
    for ch in text:
        if ch.isascii():
            score += 1 if (ch.isprintable() or ch in "\n\r\t") else -5
        elif ch in _FR_LOWER:
            score += 2
        elif ch in _FR_OTHER:
            score += 1
        else:
            score -= 5
    return score


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of `data`: BOM, else UTF-8, else the most plausible of
    charset-normalizer's guesses, Windows-1252 and Latin-1 (charset-normalizer alone
    takes short French Windows-1252 texts for Central European ones)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _decode_by_line(data)
    if mixed is not None:
        return mixed
    candidates = ["cp1252", "latin_1"]
    candidates += [m.encoding for m in charset_normalizer.from_bytes(data)]
    best: tuple[int, int, str, str] | None = None
    for rank, encoding in enumerate(candidates):
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        key = (_plausibility(text), -rank, text, encoding)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        raise ReadError(UNDECODABLE, "encodage")
    return best[2], best[3]


MIXED_PREFIX = "mixed:"
MAX_LINES_NAMED = 5


def _decode_by_line(data: bytes) -> tuple[str, str] | None:
    """A UTF-8 text with a few lines in Windows-1252 (pasted from another file): each line
    decoded on its own. None when no line is real UTF-8 beyond ASCII (a legacy file)."""
    lines = data.split(b"\n")
    utf8_non_ascii, legacy, out = 0, [], []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8_non_ascii += not line.isascii()
        except UnicodeDecodeError:
            legacy.append(number)
            text = line.decode("cp1252", errors="replace")
        out.append(text)
    if not utf8_non_ascii or len(legacy) > utf8_non_ascii:
        return None
    return "\n".join(out), MIXED_PREFIX + ",".join(map(str, legacy))


def encoding_warning(encoding: str) -> list[str]:
    """The warning for a file that mixes encodings (see decode), else none."""
    if not encoding.startswith(MIXED_PREFIX):
        return []
    numbers = encoding[len(MIXED_PREFIX):].split(",")
    shown = ", ".join(numbers[:MAX_LINES_NAMED]) + (" …" if len(numbers) > MAX_LINES_NAMED
                                                     else "")
    return [f"encodage mixte : {len(numbers)} ligne(s) en Windows-1252 dans un fichier UTF-8 "
            f"(ligne {shown}), décodée(s) à part : vérifier les accents de ces lignes, "
            "ou réenregistrer le fichier en UTF-8"]


def read_text_file(path: Path) -> tuple[str, str]:
    """Decoded text (line breaks normalised) and its encoding."""
    text, encoding = decode(path.read_bytes())
    return normalise_chars(text), encoding


# --- plain text -------------------------------------------------------------------------
def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def text_lines(raw_lines: list[str]) -> list[Line]:
    """Lines of a plain text: blank lines are breaks; a short line standing alone without
    final punctuation (or underlined with === / ---) is a heading."""
    widths = sorted(len(x.rstrip()) for x in raw_lines if x.strip())
    unwrapped = bool(widths) and widths[int(0.75 * (len(widths) - 1))] > UNWRAPPED_WIDTH
    lines: list[Line] = []
    n = len(raw_lines)
    i = 0
    while i < n:
        raw = raw_lines[i].rstrip()
        stripped = raw.strip()
        if not stripped or re.fullmatch(r"[=\-_*~]{3,}", stripped):
            i += 1
            continue
        blank_before = i == 0 or not raw_lines[i - 1].strip()
        nxt = raw_lines[i + 1].strip() if i + 1 < n else ""
        level = 0
        if nxt and re.fullmatch(r"=+|-+", nxt) and len(nxt) >= 3:
            level = 1 if nxt.startswith("=") else 2
        elif blank_before and not nxt and _looks_like_heading(stripped):
            level = 2
        lines.append(Line(stripped, gap_before=blank_before or unwrapped, heading=level,
                          x0=_indent(raw), width=len(raw)))
        i += 1
    return lines


def _looks_like_heading(text: str) -> bool:
    return (
        len(text) <= TXT_HEADING_MAX and not split_bullet(text)[0]
        and not re.search(r"[.,;:!?…»\"”)]$", text) and bool(re.search(r"[^\W\d_]", text))
        and (text[0].isupper() or text[0].isdigit())
    )


def read_txt(path: Path) -> Document:
    """Read a plain text file (any common encoding)."""
    text, encoding = read_text_file(path)
    return Document(lines_to_blocks(text_lines(text.split("\n"))), "txt",
                    warnings=encoding_warning(encoding))


# --- Markdown ---------------------------------------------------------------------------
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_HR_RE = re.compile(r"^\s{0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_INLINE_SUBS = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?!\w)"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),
]


def strip_inline_markdown(text: str) -> str:
    """Text of a Markdown line without links, emphasis, code and HTML tags."""
    for pattern, repl in _INLINE_SUBS:
        text = pattern.sub(repl, text)
    return text


_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
COMMENTS_NOTE = (
    "{n} caractères invisibles ignorés (commentaires <!-- --> du Markdown) : seul ce qu'un "
    "lecteur voit est analysé"
)


def front_matter(text: str) -> tuple[dict, str]:
    """Metadata of a YAML (---) or TOML (+++) front matter, as static campaign sites
    write it, and the text after it (unchanged when there is none)."""
    lines = text.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in {"---", "+++"}:
        return {}, text
    ends = {"---", "..."} if fence == "---" else {"+++"}
    end = next((i for i, x in enumerate(lines[1:], 1) if x.strip() in ends), None)
    if end is None:
        return {}, text
    body = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(body) if fence == "---" else tomllib.loads(body)
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError):
        meta = {}
    return (meta if isinstance(meta, dict) else {}), "\n".join(lines[end + 1:])


def strip_comments(text: str) -> tuple[str, int]:
    """Text without <!-- comments --> (line breaks kept) and the non-blank characters
    removed."""
    removed = 0

    def one(m: re.Match) -> str:
        nonlocal removed
        removed += len("".join(m.group(0).split()))
        return "\n" * m.group(0).count("\n")
    return _COMMENT_RE.sub(one, text), removed


def markdown_blocks(text: str) -> list[Block]:
    """Blocks of a Markdown text: ATX/setext headings, paragraphs, bullets, pipe tables;
    the front matter's title as the first section, never a passage."""
    meta, text = front_matter(text)
    raw_lines = text.split("\n")
    blocks: list[Block] = []
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        blocks.append(Block(HEADING, collapse_spaces(strip_inline_markdown(title)), level=1))
    buffer: list[Line] = []
    table: list[list[str]] = []
    gap = True
    in_fence = False
    in_item = False  # the last text line belongs to a list item
    item_x0 = 0      # indentation of that item's bullet

    def flush() -> None:
        blocks.extend(lines_to_blocks(buffer))
        buffer.clear()
        if table:
            blocks.extend(table_blocks(table))
            table.clear()

    for i, raw in enumerate(raw_lines):
        line = raw.rstrip()
        if line.strip().startswith(("```", "~~~")):
            in_fence, gap = not in_fence, True
            continue
        line = re.sub(r"^\s{0,3}(?:>\s?)+", "", line) if not in_fence else line
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and not in_fence:
            if buffer:
                flush()
            if not re.fullmatch(r"\|[\s:|\-]+\|", stripped):
                table.append([strip_inline_markdown(c) for c in stripped.strip("|").split("|")])
            continue
        if table:
            flush()
        nxt = raw_lines[i + 1].strip() if i + 1 < len(raw_lines) else ""
        if not stripped or (_HR_RE.match(line) and not (buffer and not gap)):
            gap = True
            continue
        if re.fullmatch(r"=+|-+", stripped) and buffer and buffer[-1].heading:
            continue  # setext underline of the previous line
        atx = _ATX_RE.match(line)
        if atx:
            buffer.append(Line(strip_inline_markdown(atx.group(2)), gap_before=True,
                               heading=len(atx.group(1))))
            gap = True
            continue
        level = 0
        is_bullet = bool(split_bullet(stripped)[0])
        if stripped and re.fullmatch(r"=+|-+", nxt) and not is_bullet:
            level = 1 if nxt.startswith("=") else 2
        indent = len(line) - len(line.lstrip())
        # an indented paragraph under a bullet (a loose list: « - **Titre** », blank line,
        # « ␣␣description ») continues that bullet, as a reader takes it
        continues = in_item and gap and indent >= 1 and not is_bullet and not level
        if continues and buffer and not re.search(r"[.!?;:…]$", buffer[-1].text.rstrip()):
            buffer[-1].text = buffer[-1].text.rstrip() + " :"  # « Titre : description »
        if is_bullet:
            item_x0 = indent
        x0 = max(indent, item_x0 + 2) if continues else indent  # kept inside the bullet
        buffer.append(Line(_bullet_title(stripped) if is_bullet else
                           strip_inline_markdown(stripped),
                           gap_before=(gap or bool(level)) and not continues,
                           heading=level, x0=float(x0)))
        in_item = is_bullet or (in_item and (indent >= 1 or not gap))
        gap = bool(level)
    flush()
    return blocks


_BOLD_LEAD_RE = re.compile(r"^(\s*\S+\s+)(\*\*|__)(?=\S)(.+?)(?<=\S)\2(.*)$")


def _bullet_title(line: str) -> str:
    """A bullet line's text; « - **Titre** Description » (or the two glued) reads
    « Titre : Description », as the DOCX and PDF readers read a bold title."""
    m = _BOLD_LEAD_RE.match(line)
    if m and split_bullet(m.group(1) + "x")[0]:
        rest = m.group(4)
        joined = titled_text(strip_inline_markdown(m.group(3)), strip_inline_markdown(rest),
                             loose=bool(rest) and not rest[:1].isspace())
        if joined is not None:
            return m.group(1) + joined
    return strip_inline_markdown(line)


_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)\b[^>]*?(/?)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
HTML_HIDDEN_NOTE = (
    "{n} caractères invisibles ignorés (HTML masqué dans le Markdown : attribut, classe ou "
    "style) : seul ce qu'un lecteur voit est analysé"
)


def strip_hidden_html(text: str, base: Path | None = None) -> tuple[str, int]:
    """Markdown without the HTML it embeds that a reader of the rendered page does not see
    (elements hidden by attribute, known class, inline style or a `<style>` of the file,
    as for an HTML page: see html.remove_hidden), nor `<style>`/`<script>` blocks; line
    breaks kept. Returns the text and the non-blank characters removed."""
    if not _TAG_RE.search(text):
        return text, 0
    soup = BeautifulSoup(text, "html.parser")
    found = find_hidden(soup, parse_rules(page_sheets(soup, base)))
    targets = [t for t in soup.find_all(True) if hidden_by_markup(t)] + found.elements
    targets += [t.parent for t in found.texts if t.parent is not None]
    code = [t for t in soup.find_all(["style", "script", "template"])]
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    spans, counted = [], 0
    for tag in dict.fromkeys(targets + code):
        if tag.sourceline is None or any(tag in t.parents for t in targets if t is not tag):
            continue
        start = starts[tag.sourceline - 1] + tag.sourcepos
        spans.append((start, _element_end(text, start, tag.name)))
        if tag not in code:
            counted += len("".join(tag.get_text("").split()))
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out.append(text[last:start])
        out.append("\n" * text.count("\n", start, end))
        last = end
    out.append(text[last:])
    return "".join(out), counted


def _element_end(text: str, start: int, name: str) -> int:
    """End offset of the element whose opening tag starts at `start` (its closing tag,
    nested ones of the same name counted; the end of the paragraph if it is not closed)."""
    first = _TAG_RE.match(text, start)
    if first is None:
        return start
    if name.lower() in _VOID or first.group(3):
        return first.end()
    depth = 0
    for m in _TAG_RE.finditer(text, start):
        if m.group(2).lower() != name.lower() or m.group(3):
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    blank = text.find("\n\n", start)
    return len(text) if blank < 0 else blank


def read_md(path: Path) -> Document:
    """Read a Markdown file."""
    text, encoding = read_text_file(path)
    text, removed = strip_comments(text)
    warnings = [COMMENTS_NOTE.format(n=removed)] if removed else []
    text, hidden = strip_hidden_html(text, path.parent)
    warnings += [HTML_HIDDEN_NOTE.format(n=hidden)] if hidden else []
    return Document(markdown_blocks(text), "md", warnings=warnings + encoding_warning(encoding))


def collapse_spaces(text: str) -> str:
    return " ".join(text.split())
