"""PDF reader (pdfplumber): lines in reading order (two columns handled), headings from
font size or bold, running headers/footers and page numbers removed, page of every line;
scanned pages detected (OCR with ocrmypdf when it is installed)."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2

from analysis.ingest.blocks import Document, ReadError
from analysis.ingest.cleanup import collapse, remove_running_lines, split_bullet, titled_text
from analysis.ingest.paragraphs import Line, lines_to_blocks
from analysis.ingest.tables import table_blocks

HEADING_SIZE_RATIO = 1.15
MARGIN_RATIO = 0.09  # running headers/footers are looked for in the top and bottom 9 %
GAP_RATIO = 1.45
OCR_TIMEOUT_S = 600
_CID_RE = re.compile(r"\(cid:\d+\)")

SCANNED = (
    "PDF scanné sans texte : passer un OCR (par ex. `ocrmypdf --language fra entree.pdf "
    "sortie.pdf`) puis déposer le PDF obtenu à la place et relancer"
)
PROTECTED = (
    "fichier protégé par mot de passe : demander à la liste une version sans mot de passe "
    "(ou l'ouvrir et l'enregistrer en PDF non protégé), puis relancer"
)
MIN_VISIBLE_SIZE = 4.0      # points: smaller characters are not read by anyone
RENDER_SCALE = 2.0          # 144 dpi: enough for a 4-pt glyph to leave ink
MIN_CONTRAST = 40           # grey levels between a glyph's ink and its background
MAX_PAGES = 600
TOO_MANY_PAGES = (
    "PDF de {pages} pages (plus de {limit}) : ce n'est pas un programme ; déposer le "
    "programme seul (ou le découper), puis relancer"
)
INVISIBLE = (
    "{n} caractères invisibles ignorés (texte blanc sur fond blanc, de moins de 4 points, "
    "hors de la page ou en rendu invisible) : seul ce qu'un lecteur voit est analysé"
)
NO_VISIBLE = (
    "PDF dont tout le texte est invisible (blanc, minuscule ou hors page) : rien n'est "
    "analysé ; demander à la liste le document tel qu'il est lu"
)
CORRUPT = (
    "PDF illisible (fichier abîmé ou incomplet) : le rouvrir et le réenregistrer en PDF, "
    "ou demander un nouvel envoi, puis relancer"
)


@dataclass
class _Row:
    text: str
    x0: float
    x1: float
    top: float
    size: float
    bold: bool
    page: int
    table: list[list[str]] | None = None
    unmapped: int = 0


def read_pdf(path: Path) -> Document:
    """Read a PDF; raise ReadError for a scanned, protected or corrupt file."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise ReadError(CORRUPT + " (le fichier ne commence pas comme un PDF)", "fichier abîmé")
    pages, widths, hidden = _extract(path)
    if not any(pages) and not hidden:
        ocr_path = _ocr(path)
        if ocr_path is None:
            raise ReadError(SCANNED, "PDF scanné sans texte")
        try:
            pages, widths, _ = _extract(ocr_path, ocr_layer=True)
        finally:
            shutil.rmtree(ocr_path.parent, ignore_errors=True)
        if not any(pages):
            raise ReadError(SCANNED + " (OCR sans résultat)", "PDF scanné sans texte")
        doc = _document(pages, widths)
        doc.warnings.append("texte obtenu par OCR : relire les passages, des erreurs sont "
                            "possibles")
        return doc
    if not any(pages):
        raise ReadError(NO_VISIBLE, "sans texte visible")
    blank = [i + 1 for i, rows in enumerate(pages) if not rows]
    doc = _noted(_document(pages, widths), INVISIBLE.format(n=hidden) if hidden else None)
    return _noted(doc, (
        f"page(s) {', '.join(map(str, blank))} sans texte (scannée(s) ou images) : "
        "passer un OCR (ocrmypdf) pour les lire") if blank else None)


def _noted(doc: Document, warning: str | None) -> Document:
    """`doc`, with `warning` added to its warnings when there is one."""
    if warning:
        doc.warnings.append(warning)
    return doc


def _open_error(exc: Exception) -> ReadError:
    names, cur = [], exc
    while cur is not None:
        names.append(type(cur).__name__)
        names.extend(type(a).__name__ for a in getattr(cur, "args", ()) if
                     isinstance(a, Exception))
        cur = cur.__cause__ or cur.__context__
    if any("Password" in n or "Encrypt" in n for n in names):
        return ReadError(PROTECTED, "protégé par mot de passe")
    return ReadError(CORRUPT, "fichier abîmé")


def _extract(path: Path, *, ocr_layer: bool = False
             ) -> tuple[list[list[list[dict]]], list[tuple[float, float]], int]:
    """Physical rows (words at one height, left to right) of each page, page sizes, and
    the number of invisible characters left out (`ocr_layer`: the text is an OCR layer,
    invisible by design, and is kept)."""
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise _open_error(exc) from exc
    pages, widths, hidden = [], [], 0
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ReadError(TOO_MANY_PAGES.format(pages=len(pdf.pages), limit=MAX_PAGES),
                            "trop volumineux", status="too_large")
        rendered = None if ocr_layer else _renderer(path)
        try:
            for i, page in enumerate(pdf.pages):
                if rendered is not None:
                    visible, n = _visible_chars(page, rendered, i)
                    hidden += n
                    view = page.filter(lambda obj, v=visible: obj.get("object_type") != "char"
                                       or id(obj) in v)
                else:
                    view = page
                pages.append(_cluster_rows(_page_words(view)))
                widths.append((float(page.width), float(page.height)))
                page.close()  # free the page's parsed objects (long documents)
        except ReadError:
            raise
        except Exception as exc:
            raise _open_error(exc) from exc
        finally:
            if rendered is not None:
                rendered.close()
    return pages, widths, hidden


def _renderer(path: Path):
    """The PDF opened with pdfium to render pages (None when pdfium cannot open it: the
    colour and size checks alone are then used)."""
    try:
        return pypdfium2.PdfDocument(str(path))
    except Exception:
        return None


def _visible_chars(page, rendered, index: int) -> tuple[set[int], int]:
    """ids of the page's characters a reader can see, and how many others (not blank)
    were left out: a glyph under 4 pt, outside the page box, or whose place on the
    rendered page shows no ink (white on white, rendering mode invisible, covered)."""
    chars = page.chars
    if not chars:
        return set(), 0
    x0b, top_b, x1b, bottom_b = (float(v) for v in page.bbox)
    image = None
    if not page.rotation:
        try:
            bitmap = rendered[index].render(scale=RENDER_SCALE, grayscale=True)
            image = bitmap.to_numpy().astype(np.int16)
            if image.ndim == 3:
                image = image[..., 0]
        except Exception:
            image = None
    visible: set[int] = set()
    hidden = 0
    for ch in chars:
        if not ch["text"].strip():
            visible.add(id(ch))
            continue
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        ok = float(ch.get("size") or 0) >= MIN_VISIBLE_SIZE and (
            x0b <= cx <= x1b and top_b <= cy <= bottom_b)
        if ok and image is not None and ch["x1"] - ch["x0"] >= 1:  # zero-width glyphs: kept
            ok = _has_ink(image, ch, x0b, top_b)
        if ok:
            visible.add(id(ch))
        else:
            hidden += 1
    return visible, hidden


def _has_ink(image, ch: dict, x0b: float, top_b: float) -> bool:
    h, w = image.shape[:2]
    x0 = max(0, int((ch["x0"] - x0b) * RENDER_SCALE))
    x1 = min(w, int((ch["x1"] - x0b) * RENDER_SCALE) + 1)
    y0 = max(0, int((ch["top"] - top_b) * RENDER_SCALE))
    y1 = min(h, int((ch["bottom"] - top_b) * RENDER_SCALE) + 1)
    if x1 <= x0 or y1 <= y0:
        return False
    region = image[y0:y1, x0:x1]
    return int(region.max()) - int(region.min()) >= MIN_CONTRAST


def _within(word: dict, bbox: tuple) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _page_words(page) -> list[dict]:
    """Words of a page; a ruled table (2 rows and 2 columns at least, found by pdfplumber)
    becomes one pseudo-word carrying its rows."""
    words = [w for w in page.extract_words(extra_attrs=["size", "fontname"])
             if w["text"].strip()]
    for table in page.find_tables():
        rows = [[collapse(c or "") for c in row] for row in table.extract()]
        if len(rows) < 2 or max(len(r) for r in rows) < 2:
            continue  # a frame around text, not a table
        inside = [w for w in words if _within(w, table.bbox)]
        if not inside:
            continue
        words = [w for w in words if not _within(w, table.bbox)]
        x0, top, x1, bottom = table.bbox
        words.append({
            "text": " ".join(c for r in rows for c in r if c), "x0": x0, "x1": x1,
            "top": top, "bottom": bottom, "fontname": "",
            "size": statistics.median(float(w["size"]) for w in inside), "table": rows,
        })
    return words


def _cluster_rows(words: list[dict]) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if "table" in w or (rows and "table" in rows[-1][0]):
            rows.append([w])
        elif rows and abs(w["top"] - rows[-1][0]["top"]) <= max(2.0, 0.4 * float(w["size"])):
            rows[-1].append(w)
        else:
            rows.append([w])
    return rows


def _gutter(words: list[dict], width: float) -> tuple[float, float] | None:
    """The empty vertical band between two text columns, if the page has two."""
    if len(words) < 40:
        return None
    lo, hi = int(0.3 * width), int(0.7 * width)
    cover = Counter()
    for w in words:
        for x in range(max(lo, int(w["x0"])), min(hi, int(w["x1"]) + 1)):
            cover[x] += 1
    limit = max(1, 0.02 * len(words))
    best, run_start = None, None
    for x in range(lo, hi + 1):
        empty = cover[x] <= limit and x < hi
        if empty and run_start is None:
            run_start = x
        elif not empty and run_start is not None:
            if best is None or x - run_start > best[1] - best[0]:
                best = (run_start, x)
            run_start = None
    if best is None or best[1] - best[0] < 10:
        return None
    left = sum(1 for w in words if w["x1"] <= best[0] + 1)
    right = sum(1 for w in words if w["x0"] >= best[1] - 1)
    if min(left, right) < 0.25 * len(words):
        return None
    return float(best[0]), float(best[1])


def _row(words: list[dict], page: int) -> _Row:
    words = sorted(words, key=lambda w: w["x0"])
    sizes = [float(w["size"]) for w in words for _ in w["text"]]
    texts = [w["text"] for w in words]
    if _CID_RE.fullmatch(texts[0]):  # a bullet glyph the font does not map to text
        texts[0] = "•"
    unmapped = sum(len(_CID_RE.findall(t)) for t in texts)
    texts = [_CID_RE.sub("", t) for t in texts]
    # the bullet glyph is often in a symbol font: it does not make a bold line regular
    glyph = 1 if split_bullet(texts[0] + " x")[0] and len(texts[0]) <= 2 else 0
    bolds = [_is_bold(w["fontname"]) for w in words]
    text = " ".join(t for t in texts if t)
    lead = next((i for i in range(glyph, len(words)) if not bolds[i]), len(words))
    if glyph < lead < len(words):  # « • **Titre** Description » on one line
        joined = titled_text(" ".join(t for t in texts[glyph:lead] if t),
                             " ".join(t for t in texts[lead:] if t))
        if joined is not None:
            text = " ".join(t for t in (*texts[:glyph], joined) if t)
    return _Row(
        text=text, x0=float(words[0]["x0"]), x1=float(words[-1]["x1"]),
        top=float(words[0]["top"]), size=statistics.fmean(sizes),
        bold=glyph < len(words) and all(bolds[glyph:]), page=page,
        table=words[0].get("table"), unmapped=unmapped,
    )


def _is_bold(fontname: str) -> bool:
    name = fontname.lower()
    return any(k in name for k in ("bold", "black", "heavy", "semibold", "demi"))


def _reading_order(rows: list[list[dict]], width: float, page: int) -> list[_Row]:
    """Rows top to bottom; with two columns, the left column before the right one between
    full-width rows."""
    gutter = _gutter([w for r in rows for w in r], width)
    if gutter is None:
        return [_row(r, page) for r in rows]
    mid = (gutter[0] + gutter[1]) / 2
    out: list[_Row] = []
    left: list[_Row] = []
    right: list[_Row] = []
    for r in rows:
        if any(w["x0"] < mid < w["x1"] for w in r):
            out += left + right + [_row(r, page)]
            left, right = [], []
            continue
        lw = [w for w in r if w["x1"] <= mid]
        rw = [w for w in r if w["x0"] >= mid]
        if lw:
            left.append(_row(lw, page))
        if rw:
            right.append(_row(rw, page))
    return out + left + right


def _row_text(words: list[dict]) -> str:
    return " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))


def _document(physical: list[list[list[dict]]], sizes: list[tuple[float, float]]) -> Document:
    all_sizes = [float(w["size"]) for p in physical for r in p for w in r]
    body_size = statistics.median(all_sizes) if all_sizes else 10.0

    def in_margin(page: int, row: list[dict]) -> bool:
        """In the top/bottom margin and not in a title font (headers are small)."""
        height = sizes[page][1]
        top, bottom = min(w["top"] for w in row), max(w["bottom"] for w in row)
        small = max(float(w["size"]) for w in row) < HEADING_SIZE_RATIO * body_size
        return small and (top < MARGIN_RATIO * height or bottom > (1 - MARGIN_RATIO) * height)

    physical, _ = remove_running_lines(physical, text=_row_text, in_margin=in_margin)
    rows = [r for i, p in enumerate(physical) for r in _reading_order(p, sizes[i][0], i + 1)]
    weights = Counter()
    for r in rows:
        weights[round(r.size, 1)] += len(r.text)
    body = weights.most_common(1)[0][0] if weights else 10.0
    heading_sizes = sorted({round(r.size, 1) for r in rows
                            if r.size >= body * HEADING_SIZE_RATIO}, reverse=True)
    steps = [b.top - a.top for a, b in zip(rows, rows[1:], strict=False)
             if a.page == b.page and b.top > a.top and abs(a.size - body) < 0.5
             and abs(b.size - body) < 0.5]
    leading = statistics.median(steps) if steps else body * 1.2
    lines: list[Line] = []
    prev: _Row | None = None
    for r in rows:
        level = 0
        if round(r.size, 1) in heading_sizes:
            level = heading_sizes.index(round(r.size, 1)) + 1
        elif r.bold and _looks_like_heading(r.text):
            level = len(heading_sizes) + 1
        gap = (
            prev is not None and prev.page == r.page and r.top > prev.top
            and r.top - prev.top > GAP_RATIO * max(leading, prev.size)
        )
        if r.table is not None:
            tables = table_blocks(r.table)
            for block in tables:
                block.page = r.page
            lines.append(Line(r.text, page=r.page, blocks=tables))
        else:
            lines.append(Line(r.text, page=r.page, gap_before=gap, heading=level, x0=r.x0,
                              width=r.x1 - r.x0, bold=r.bold))
        prev = r
    unmapped = sum(r.unmapped for r in rows)
    return _noted(Document(lines_to_blocks(lines), "pdf", pages=len(physical)), (
        f"{unmapped} caractère(s) du PDF sans équivalent texte (police mal encodée) retirés :"
        " relire les passages, ou demander un PDF exporté autrement") if unmapped else None)


def _looks_like_heading(text: str) -> bool:
    text = collapse(text)
    return (
        0 < len(text) <= 90 and not split_bullet(text)[0]
        and not text.endswith((".", ",", ";")) and any(c.isalpha() for c in text)
    )


def _ocr(path: Path) -> Path | None:
    """An OCR'd copy of `path` in a temporary folder (data/raw is never touched), or None
    when ocrmypdf is not installed or fails."""
    exe = shutil.which("ocrmypdf")
    if exe is None:
        return None
    out_dir = Path(tempfile.mkdtemp(prefix="barometre-ocr-"))
    out = out_dir / "ocr.pdf"
    try:
        subprocess.run(
            [exe, "--quiet", "--skip-text", "--language", "fra", str(path), str(out)],
            check=True, capture_output=True, timeout=OCR_TIMEOUT_S,
        )
    except (subprocess.SubprocessError, OSError):
        shutil.rmtree(out_dir, ignore_errors=True)
        return None
    return out
