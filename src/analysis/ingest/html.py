"""HTML reader: the page's main content only (<main>, <article> or the densest block);
navigation, headers, footers, cookie banners, legal notices, scripts and asides are not
passages; h1-h4 give sections, lists give bullets, tables give rows."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from analysis.ingest.blocks import BULLET, HEADING, PARAGRAPH, Block, Document, ReadError
from analysis.ingest.cleanup import collapse, split_bullet, titled_text
from analysis.ingest.css import find_hidden, hidden_by_markup, page_sheets, parse_rules
from analysis.ingest.tables import table_blocks
from analysis.ingest.text import decode, encoding_warning

DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "button", "nav",
             "aside", "select", "input", "textarea", "dialog", "canvas", "object", "head"]
BOILERPLATE_TOKENS = {
    "cookie", "cookies", "consent", "rgpd", "gdpr", "tarteaucitron", "nav", "navbar",
    "navigation", "menu", "breadcrumb", "breadcrumbs", "footer", "social", "share", "sharing",
    "partage", "newsletter", "sidebar", "widget", "skip", "popup", "modal", "mentions",
    "legal", "legales", "banner", "bandeau", "copyright", "reseaux", "suivez",
}
BOILERPLATE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search",
                     "dialog", "alertdialog"}
BOILERPLATE_TEXT_RE = re.compile(
    r"cookie|mentions l[ée]gales|tous droits r[ée]serv[ée]s|suivez[- ]nous|politique de "
    r"confidentialit[ée]|partager sur|^©|aller au contenu|retour en haut|plan du site",
    re.I,
)
BOILERPLATE_MAX_CHARS = 200
BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "dt",
              "dd", "blockquote", "pre", "div", "section", "article", "main", "header",
              "footer", "figure", "figcaption", "address", "tr", "td", "th", "body"}
HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}

HIDDEN_NOTE = (
    "{n} caractères invisibles ignorés (texte masqué par attribut, classe, feuille de style "
    "ou style en ligne, commentaires HTML) : seul ce qu'un lecteur voit est analysé"
)
MOSTLY_HIDDEN = (
    "plus de la moitié du texte de la page est masquée ({hidden} caractères masqués pour "
    "{shown} lus) : si ce sont des onglets ou des accordéons fermés, enregistrer la page en "
    "PDF avec chaque partie ouverte et déposer le PDF"
)
EMPTY_HTML = (
    "page HTML sans contenu lisible (page vide ou construite par JavaScript) : enregistrer "
    "la page en PDF depuis le navigateur (Imprimer > PDF) et déposer le PDF"
)


CSS_TOO_LARGE = (
    "feuille de style trop grande : {n} règle(s) de style non appliquée(s), du texte masqué "
    "par ces règles peut avoir été lu ; enregistrer la page en PDF pour une lecture exacte"
)


def read_html(path: Path) -> Document:
    """Read a saved web page."""
    text, encoding = decode(path.read_bytes())
    soup = BeautifulSoup(text, "lxml")
    notes: list[str] = []
    hidden = remove_hidden(soup, path.parent, notes)
    root = main_content(soup)
    if root is None:
        raise ReadError(EMPTY_HTML, "page sans contenu")
    blocks: list[Block] = []
    _walk(root, blocks)
    blocks = [b for b in blocks if not _is_boilerplate_text(b)]
    if not any(b.kind != HEADING for b in blocks):
        raise ReadError(EMPTY_HTML, "page sans contenu")
    warnings = notes + ([HIDDEN_NOTE.format(n=hidden)] if hidden else [])
    shown = sum(len("".join(b.text.split())) for b in blocks)
    if hidden > shown:
        warnings.append(MOSTLY_HIDDEN.format(hidden=hidden, shown=shown))
    return Document(blocks, "html", warnings=warnings + encoding_warning(encoding))


def _is_prose(text: str) -> bool:
    if re.match(r"\s*(?:saved from url|\[if |\[endif|<!\[endif|\s*/?\s*\w+\s*$)", text, re.I):
        return False
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 3


def remove_hidden(soup: BeautifulSoup, base: Path | None = None,
                  notes: list[str] | None = None) -> int:
    """Remove in place what a reader of the page does not see (elements hidden by the
    `hidden` attribute, aria-hidden, a known hiding class, the page's style sheets or an
    inline style, see css.py; comments); return the number of non-blank characters
    removed. `base`: the page's folder, where its saved style sheets are looked for;
    `notes` gets a warning when a style sheet is too large to be applied whole."""
    removed = 0
    rules = parse_rules(page_sheets(soup, base))
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        if _is_prose(str(comment)):  # browser marks (« saved from url ») are not counted
            removed += len("".join(str(comment).split()))
        comment.extract()
    for tag in list(soup.find_all(True)):
        if tag.decomposed or tag.name in {"head", "script", "style", "template", "noscript"}:
            continue
        if hidden_by_markup(tag):
            removed += len("".join(tag.get_text("").split()))
            tag.decompose()
    found = find_hidden(soup, rules)
    if found.skipped and notes is not None:
        notes.append(CSS_TOO_LARGE.format(n=found.skipped))
    for tag in found.elements:
        removed += len("".join(tag.get_text("").split()))
        tag.decompose()
    for text in found.texts:
        removed += len("".join(str(text).split()))
        text.extract()
    return removed


def _tokens(tag: Tag) -> set[str]:
    attrs = tag.attrs or {}
    values = [attrs.get("id") or "", " ".join(attrs.get("class") or []),
              attrs.get("aria-label") or ""]
    return set(re.split(r"[\s_\-]+", collapse(" ".join(values)).lower())) - {""}


def _is_boilerplate(tag: Tag, total: int) -> bool:
    if tag.name in {"main", "article", "body", "html"}:
        return False
    role = (tag.get("role") or "").lower()
    site_part = tag.name in {"header", "footer"} and tag.find_parent(["main", "article"]) is None
    by_token = bool(_tokens(tag) & BOILERPLATE_TOKENS)
    if not (role in BOILERPLATE_ROLES or site_part or by_token):
        return False
    if tag.find(["main", "article"]) is not None:
        return False  # a wrapper of the content, whatever its class says
    if role in BOILERPLATE_ROLES or site_part:
        return True
    return _text_len(tag) <= 0.5 * total  # a class name never removes the bulk of the page


def strip_boilerplate(soup: BeautifulSoup) -> None:
    """Remove scripts, navigation, site header/footer, banners, asides in place."""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    total = _text_len(soup)
    for tag in list(soup.find_all(True)):
        if not tag.decomposed and _is_boilerplate(tag, total):
            tag.decompose()


def main_content(soup: BeautifulSoup) -> Tag | None:
    """The element holding the page's content, boilerplate removed."""
    strip_boilerplate(soup)
    for finder in (
        lambda: soup.find_all("main"),
        lambda: soup.find_all(attrs={"role": "main"}),
        lambda: soup.find_all("article"),
    ):
        found = [t for t in finder() if _text_len(t) > 0]
        if found:
            if len(found) > 1 and found[0].name == "article":
                return _common_parent(found) or max(found, key=_text_len)
            return max(found, key=_text_len)
    return densest_block(soup)


def _text_len(tag: Tag) -> int:
    return len(collapse(tag.get_text(" ")))


def _common_parent(tags: list[Tag]) -> Tag | None:
    parent = tags[0].parent
    return parent if parent is not None and all(t.parent is parent for t in tags) else None


def densest_block(soup: BeautifulSoup) -> Tag | None:
    """The element whose paragraphs hold the most text (readability-style score: a
    paragraph's length counts fully for its parent, half for its grandparent), with few
    links."""
    scores: dict[int, tuple[float, Tag]] = {}
    for par in soup.find_all(["p", "li", "h1", "h2", "h3", "h4", "td", "pre", "blockquote"]):
        length = _text_len(par)
        if length < 20:
            continue
        for weight, anc in ((1.0, par.parent), (0.5, par.parent.parent if par.parent else None)):
            if isinstance(anc, Tag):
                old = scores.get(id(anc), (0.0, anc))[0]
                scores[id(anc)] = (old + weight * length, anc)
    best = None
    for score, tag in scores.values():
        links = sum(len(collapse(a.get_text(" "))) for a in tag.find_all("a"))
        score *= 1 - min(1.0, links / max(1, _text_len(tag)))
        if best is None or score > best[0]:
            best = (score, tag)
    if best is None:
        return soup.body if soup.body is not None and _text_len(soup.body) else None
    tag = best[1]
    # climb to include sibling headings of the content block
    while tag.parent is not None and tag.parent.name not in {"body", "html", "[document]"} and (
        _text_len(tag) >= 0.7 * _text_len(tag.parent)
    ):
        tag = tag.parent
    return tag


def _walk(node: Tag, blocks: list[Block]) -> None:
    """Append blocks for `node`'s content in document order."""
    inline: list[str] = []

    def flush() -> None:
        text = collapse("".join(inline))
        inline.clear()
        if text:
            is_bullet, body = split_bullet(text)
            blocks.append(Block(BULLET if is_bullet else PARAGRAPH, body))

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:
                inline.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            inline.append(" ")
            continue
        if name not in BLOCK_TAGS:
            inline.append(child.get_text(""))
            continue
        flush()
        if name in HEADING_TAGS:
            text = collapse(child.get_text(" "))
            if text:
                blocks.append(Block(HEADING, text, level=HEADING_TAGS[name]))
        elif name in {"h5", "h6", "p", "dt", "dd", "figcaption", "pre", "address"}:
            _walk(child, blocks)
        elif name == "li":
            start = len(blocks)
            _walk(child, blocks)
            if len(blocks) > start and blocks[start].kind == PARAGRAPH:
                blocks[start].kind = BULLET
            _inline_title(child, blocks, start)
            _join_item_title(blocks, start)
        elif name == "table":
            rows = [[c.get_text(" ") for c in tr.find_all(["td", "th"])]
                    for tr in child.find_all("tr")]
            blocks.extend(table_blocks(rows))
        else:
            _walk(child, blocks)
    flush()


TITLE_MAX_CHARS = 90


BOLD_TAGS = {"strong", "b"}


def _inline_title(item: Tag, blocks: list[Block], start: int) -> None:
    """« <li><strong>Titre</strong> Description</li> » (or the two glued) reads
    « Titre : Description », as a bold title in Markdown, Word or PDF."""
    if len(blocks) <= start or blocks[start].kind != BULLET:
        return
    children = [c for c in item.children if not (isinstance(c, NavigableString)
                                                 and not str(c).strip())]
    if len(children) < 2 or not isinstance(children[0], Tag) or \
            children[0].name not in BOLD_TAGS:
        return
    lead = children[0].get_text("")
    title = collapse(lead)
    text = blocks[start].text
    if not title or not text.startswith(title) or len(text) == len(title):
        return
    after = children[1]
    following = after.get_text("") if isinstance(after, Tag) else str(after)
    glued = not lead[-1:].isspace() and not following[:1].isspace()
    joined = titled_text(title, text[len(title):], loose=glued)
    if joined is not None:
        blocks[start].text = joined


def _join_item_title(blocks: list[Block], start: int) -> None:
    """A list item made of a short title (« <strong>Épicerie solidaire</strong> ») and the
    description under it (« <p>…</p> »): one bullet, as a reader takes it."""
    if len(blocks) < start + 2:
        return
    title, body = blocks[start], blocks[start + 1]
    if title.kind == BULLET and body.kind == PARAGRAPH and len(title.text) <= TITLE_MAX_CHARS \
            and not re.search(r"[.!?;…]$", title.text):
        sep = " " if title.text.endswith(":") else " : "
        blocks[start:start + 2] = [Block(BULLET, title.text + sep + body.text)]


def _is_boilerplate_text(block: Block) -> bool:
    return len(block.text) <= BOILERPLATE_MAX_CHARS and bool(
        BOILERPLATE_TEXT_RE.search(block.text)
    )
