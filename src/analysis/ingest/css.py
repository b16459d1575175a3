"""What CSS hides in a saved web page: the page's style sheets (`<style>` and local
`<link rel=stylesheet>` files) and inline styles are parsed with tinycss2, selectors
matched with soupsieve and ranked with cssselect's specificity, and each element's
cascaded style tells whether a reader sees it (display, visibility, font size, opacity,
off-screen position, clip, 1-pixel boxes, text colour equal to its background).

The page is read as on a desktop screen (1280 px wide, media `screen`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cssselect
import soupsieve
import tinycss2
import tinycss2.color3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

SCREEN_WIDTH, SCREEN_HEIGHT = 1280, 800
ROOT_FONT_PX = 16.0
MIN_FONT_PX = 4 * 4 / 3           # 4 pt, as for PDF characters
OFFSCREEN_PX = -500.0             # a box moved further than this is out of sight
MIN_CONTRAST = 1.2                # text/background luminance ratio below which text is unseen
MAX_SHEET_BYTES = 2_000_000
MAX_RULES = 20_000
MAX_SELECTORS = 3_000             # distinct selectors matched against one page

# properties that can hide an element or its text (others are not looked at)
PROPERTIES = {
    "display", "visibility", "font-size", "opacity", "position", "left", "top", "right",
    "bottom", "text-indent", "margin-left", "margin-top", "clip", "clip-path", "width",
    "height", "max-width", "max-height", "overflow", "overflow-x", "overflow-y", "transform",
    "color", "background-color", "background", "background-image", "font",
}
SKIPPED_AT_RULES = {"font-face", "keyframes", "-webkit-keyframes", "page", "import",
                    "charset", "namespace", "counter-style", "property", "font-feature-values"}
SKIPPED_TAGS = {"head", "script", "style", "template", "noscript", "title", "meta", "link"}


@dataclass
class Rule:
    """One selector of a style rule, with the declarations it sets."""

    selector: str
    specificity: tuple[int, int, int]
    order: int
    declarations: list[tuple[str, str, bool]]  # (property, value, !important)
    needs: frozenset[str] = frozenset()  # « .class » and « #id » every match must have


@dataclass
class Inherited:
    """What an element passes to its children: font size (px), visibility, text colour,
    the background painted behind it, whether that background is an image."""

    font_px: float = ROOT_FONT_PX
    invisible: bool = False
    color: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    background: tuple[float, float, float] = (1.0, 1.0, 1.0)
    image: bool = False


@dataclass
class Hidden:
    """What a page's CSS hides: whole elements, and text nodes whose own style (inherited
    size, visibility or colour) makes them unseen."""

    elements: list[Tag] = field(default_factory=list)
    texts: list[NavigableString] = field(default_factory=list)
    skipped: int = 0  # style rules not applied (style sheet too large)


HIDDEN_CLASSES = {
    "sr-only", "sr-only-focusable", "visually-hidden", "visuallyhidden", "screen-reader-text",
    "screen-reader-only", "hidden", "d-none", "invisible", "is-hidden", "hide", "u-hidden",
    "offscreen", "element-invisible", "a11y-hidden", "hidden-text",
}
def hidden_by_markup(tag: Tag) -> bool:
    """Hidden by its markup alone: the `hidden` attribute, aria-hidden, or a class that
    hides text in every common framework (the page's style sheet may not be saved)."""
    attrs = tag.attrs or {}
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if tag.name == "details":
        return False
    classes = {c.lower() for c in (attrs.get("class") or [])}
    return bool(classes & HIDDEN_CLASSES)


# --- reading style sheets ------------------------------------------------------------------
def page_sheets(soup: BeautifulSoup, base: Path | None) -> list[str]:
    """The text of the page's style sheets, in document order: `<style>` elements and
    `<link rel=stylesheet>` files saved next to the page (never outside its folder, never
    over the network)."""
    sheets: list[str] = []
    for tag in soup.find_all(["style", "link"]):
        if not media_applies(tag.get("media") or ""):
            continue
        if tag.name == "style":
            sheets += _with_imports(tag.get_text(""), base, base)
            continue
        rel = " ".join(tag.get("rel") or []).lower()
        href = str(tag.get("href") or "")
        if "stylesheet" in rel and base is not None:
            found = _local_sheet(base, base, href)
            if found is not None:
                sheets += _with_imports(found[0], found[1], base)
    return sheets


def _with_imports(sheet: str, folder: Path | None, base: Path | None, depth: int = 0
                  ) -> list[str]:
    """`sheet` after the local style sheets it @imports (as a browser applies them)."""
    out: list[str] = []
    if folder is not None and base is not None and depth < 3:
        for node in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
            if node.type != "at-rule" or node.lower_at_keyword != "import":
                continue
            tokens = [t for t in node.prelude if t.type not in {"whitespace", "comment"}]
            if not tokens:
                continue
            first = tokens[0]
            href = first.value if first.type in {"url", "string"} else (
                first.arguments[0].value if first.type == "function" and first.lower_name ==
                "url" and first.arguments and first.arguments[0].type == "string" else None)
            media = tinycss2.serialize(tokens[1:])
            if href is None or not media_applies(media):
                continue
            found = _local_sheet(folder, base, href)
            if found is not None:
                out += _with_imports(found[0], found[1], base, depth + 1)
    return out + [sheet]


def _local_sheet(folder: Path, base: Path, href: str) -> tuple[str, Path] | None:
    """The text and folder of a style sheet `href` (relative to `folder`), when it is a
    file inside the page's folder `base` (never outside it, never over the network)."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = folder / unquote(parts.path)
    try:
        if not path.resolve().is_relative_to(base.resolve()) or not path.is_file():
            return None
        if path.stat().st_size > MAX_SHEET_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    return data.decode("utf-8", errors="replace"), path.parent


def parse_rules(sheets: list[str]) -> list[Rule]:
    """Style rules that apply on a desktop screen and set a property that can hide text,
    one per selector of each rule, in source order."""
    rules: list[Rule] = []
    order = 0
    for sheet in sheets:
        nodes = tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True)
        stack = list(reversed(nodes))
        while stack and len(rules) < MAX_RULES:
            node = stack.pop()
            if node.type == "at-rule":
                name = node.lower_at_keyword
                if name in SKIPPED_AT_RULES or node.content is None:
                    continue
                if name == "media" and not media_applies(tinycss2.serialize(node.prelude)):
                    continue
                inner = tinycss2.parse_rule_list(node.content, skip_comments=True,
                                                 skip_whitespace=True)
                stack.extend(reversed(inner))
                continue
            if node.type != "qualified-rule":
                continue
            declarations = declarations_of(node.content)
            if not declarations:
                continue
            for selector, needs in _selectors(node.prelude):
                try:
                    parsed = cssselect.parse(selector)
                except Exception:  # a selector cssselect does not know: not applied
                    continue
                if not parsed or parsed[0].pseudo_element is not None:
                    continue  # ::before, ::placeholder... style no element of the page
                order += 1
                rules.append(Rule(selector, parsed[0].specificity(), order, declarations,
                                  needs))
    return rules


def _selectors(prelude) -> list[tuple[str, frozenset[str]]]:
    """The selectors of a rule's prelude, split on top-level commas, each with the classes
    and ids it requires (outside :not() and the like), to skip at once the rules of a
    large style sheet that match nothing in the page."""
    out, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            out.append(current)
            current = []
        else:
            current.append(token)
    out.append(current)
    result = []
    for tokens in out:
        text = tinycss2.serialize(tokens).strip()
        if not text:
            continue
        needs = {"#" + t.value for t in tokens if t.type == "hash" and t.is_identifier}
        needs |= {"." + b.value for a, b in zip(tokens, tokens[1:], strict=False)
                  if a.type == "literal" and a.value == "." and b.type == "ident"}
        result.append((text, frozenset(needs)))
    return result


def declarations_of(content) -> list[tuple[str, str, bool]]:
    """(property, value, important) of the declarations in a block or a style attribute,
    for the properties that can hide text."""
    if content is None:
        return []
    nodes = tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
    out = []
    for node in nodes:
        if node.type == "declaration" and node.lower_name in PROPERTIES:
            out.append((node.lower_name, tinycss2.serialize(node.value).strip().lower(),
                        node.important))
    return out


# --- media queries -------------------------------------------------------------------------
def media_applies(query: str) -> bool:
    """Whether a media query list holds on a desktop screen (1280 × 800, colour, mouse);
    an unknown feature does not hold, an empty list always does."""
    query = query.strip().lower()
    if not query:
        return True
    return any(_one_query(q.strip()) for q in query.split(","))


def _one_query(query: str) -> bool:
    tokens = tinycss2.parse_component_value_list(query, skip_comments=True)
    tokens = [t for t in tokens if t.type != "whitespace"]
    negate = False
    result = True
    for token in tokens:
        if token.type == "ident":
            word = token.lower_value
            if word == "not":
                negate = True
            elif word in {"only", "and"}:
                continue
            elif word in {"all", "screen"}:
                continue
            else:  # print, speech, or something unknown
                result = False
        elif token.type == "() block":
            result = result and _feature(token.content)
        else:
            result = False
    return result != negate


def _feature(content) -> bool:
    parts = [t for t in content if t.type != "whitespace"]
    if not parts or parts[0].type != "ident":
        return False
    name = parts[0].lower_value
    value = parts[2] if len(parts) >= 3 and parts[1] == ":" else None
    if value is None:
        return name in {"color", "hover", "pointer"}
    size = {"width": SCREEN_WIDTH, "height": SCREEN_HEIGHT}
    for prefix, compare in (("min-", lambda a, b: a >= b), ("max-", lambda a, b: a <= b),
                            ("", lambda a, b: a == b)):
        dim = name[len(prefix):] if name.startswith(prefix) else None
        if dim in size:
            px = _length(value, ROOT_FONT_PX)
            return px is not None and compare(size[dim], px)
    if name == "orientation" and value.type == "ident":
        return value.lower_value == "landscape"
    if name in {"hover", "any-hover"} and value.type == "ident":
        return value.lower_value == "hover"
    if name in {"pointer", "any-pointer"} and value.type == "ident":
        return value.lower_value == "fine"
    return False


# --- values --------------------------------------------------------------------------------
_UNITS = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4,
          "q": 96 / 101.6, "rem": ROOT_FONT_PX, "vw": SCREEN_WIDTH / 100,
          "vh": SCREEN_HEIGHT / 100}


def _length(token, em_px: float, percent_of: float | None = None) -> float | None:
    """A length token in pixels (None when it is not a plain length)."""
    if token.type == "number":
        return float(token.value) if token.value == 0 else None
    if token.type == "percentage":
        return None if percent_of is None else token.value * percent_of / 100
    if token.type == "dimension":
        unit = token.lower_unit
        if unit == "em":
            return token.value * em_px
        if unit in _UNITS:
            return token.value * _UNITS[unit]
    return None


def _tokens(value: str):
    return [t for t in tinycss2.parse_component_value_list(value, skip_comments=True)
            if t.type not in {"whitespace", "comment"}]


def _first_length(value: str, em_px: float, percent_of: float | None = None) -> float | None:
    tokens = _tokens(value)
    return _length(tokens[0], em_px, percent_of) if len(tokens) == 1 else None


def _color(value: str):
    color = tinycss2.color3.parse_color(value)
    return color if color is not None and color != "currentColor" else None


def _background(value: str) -> tuple[tuple[float, float, float, float] | None, bool]:
    """Colour and whether there is an image, from a `background` shorthand."""
    color, image = None, False
    for token in _tokens(value):
        if token.type == "url" or (token.type == "function" and (
                token.lower_name == "url" or token.lower_name.endswith("gradient"))):
            image = True
        else:
            found = tinycss2.color3.parse_color(token)
            if found is not None and found != "currentColor":
                color = found
    return color, image


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# --- the cascade ---------------------------------------------------------------------------
def cascade(soup: BeautifulSoup, rules: list[Rule]
            ) -> tuple[dict[int, dict[str, str]], int]:
    """For each element (by id()) styled by a rule or a style attribute, the winning value
    of each property that can hide text (!important, then inline, then specificity, then
    source order); and the number of rules left out past MAX_SELECTORS."""
    best: dict[int, dict[str, tuple[tuple, str]]] = {}

    def apply(tag: Tag, key: tuple, declarations) -> None:
        props = best.setdefault(id(tag), {})
        for name, value, important in declarations:
            rank = (important, *key)
            if name not in props or rank >= props[name][0]:
                props[name] = (rank, value)

    # presentational attributes (« <font color=white> », « bgcolor »): below every rule
    for tag in soup.find_all(["font", "body", "table", "tr", "td", "th"]):
        hints = []
        if tag.name == "font" and tag.get("color"):
            hints.append(("color", str(tag["color"]).strip().lower(), False))
        if tag.name != "font" and tag.get("bgcolor"):
            hints.append(("background-color", str(tag["bgcolor"]).strip().lower(), False))
        if hints:
            apply(tag, (False, (-1, 0, 0), 0), hints)
    present: set[str] = set()
    for tag in soup.find_all(True):
        present.update("." + c for c in (tag.get("class") or []))
        if tag.get("id"):
            present.add("#" + str(tag.get("id")))
    matches: dict[str, list[Tag]] = {}
    skipped = 0
    for rule in rules:
        if not rule.needs <= present:
            continue
        if rule.selector not in matches and len(matches) >= MAX_SELECTORS:
            skipped += 1
            continue
        if rule.selector not in matches:
            try:
                matches[rule.selector] = soupsieve.select(rule.selector, soup)
            except Exception:  # a selector soupsieve cannot match (a browser extension...)
                matches[rule.selector] = []
        for tag in matches[rule.selector]:
            apply(tag, (False, rule.specificity, rule.order), rule.declarations)
    for tag in soup.find_all(style=True):
        apply(tag, (True, (0, 0, 0), 0), declarations_of(str(tag.get("style") or "")))
    return {k: {name: value for name, (_, value) in v.items()} for k, v in best.items()}, \
        skipped


def _hides_box(style: dict[str, str], font_px: float) -> bool:
    """Whether an element's own style takes it out of sight with everything inside it."""
    if style.get("display") == "none":
        return True
    opacity = _tokens(style.get("opacity", "1"))
    if len(opacity) == 1 and opacity[0].type in {"number", "percentage"} and (
            opacity[0].value <= (0.01 if opacity[0].type == "number" else 1)):
        return True
    positioned = style.get("position") in {"absolute", "fixed", "relative", "sticky"}
    sides = ("left", "top", "right", "bottom") if positioned else ()
    for name in (*sides, "margin-left", "margin-top", "text-indent"):
        px = _first_length(style.get(name, ""), font_px, SCREEN_WIDTH)
        if px is not None and px <= OFFSCREEN_PX:
            return True
    if _clipped(style):
        return True
    overflow = {style.get(k, "") for k in ("overflow", "overflow-x", "overflow-y")}
    if overflow & {"hidden", "clip"}:
        for name in ("width", "height", "max-width", "max-height"):
            px = _first_length(style.get(name, ""), font_px)
            if px is not None and px <= 1:
                return True
    return _transform_hides(style.get("transform", ""), font_px)


def _clipped(style: dict[str, str]) -> bool:
    for token in _tokens(style.get("clip", "")):
        if token.type == "function" and token.lower_name == "rect":
            values = [_length(t, ROOT_FONT_PX) for t in token.arguments
                      if t.type not in {"whitespace", "literal"}]
            if len(values) == 4 and None not in values:
                top, right, bottom, left = values
                if bottom - top <= 1 or right - left <= 1:
                    return True
    for token in _tokens(style.get("clip-path", "")):
        if token.type != "function":
            continue
        args = [t for t in token.arguments if t.type not in {"whitespace", "literal"}]
        if token.lower_name == "inset" and args and args[0].type == "percentage" \
                and args[0].value >= 50:
            return True
        if token.lower_name in {"circle", "ellipse"} and args and args[0].type in {
                "number", "dimension", "percentage"} and args[0].value == 0:
            return True
    return False


def _transform_hides(value: str, font_px: float) -> bool:
    for token in _tokens(value):
        if token.type != "function":
            continue
        args = [t for t in token.arguments if t.type not in {"whitespace", "literal"}]
        name = token.lower_name
        if name in {"scale", "scalex", "scaley"} and args and args[0].type == "number" \
                and args[0].value == 0:
            return True
        if name in {"translate", "translatex", "translatey", "translate3d"}:
            for arg in args:
                px = _length(arg, font_px)
                if px is not None and px <= OFFSCREEN_PX:
                    return True
    return False


def _font_px(style: dict[str, str], parent_px: float) -> float:
    value = style.get("font-size")
    if value is None and "font" in style:  # shorthand « font: 0/0 a » (image replacement)
        tokens = _tokens(style["font"])
        sizes = [t for t in tokens if t.type in {"dimension", "percentage", "number"}
                 and not (t.type == "number" and t.value != 0)]
        value = tinycss2.serialize([sizes[0]]) if sizes else None
    if value is None:
        return parent_px
    tokens = _tokens(value)
    if len(tokens) != 1:
        return parent_px
    px = _length(tokens[0], parent_px, parent_px)
    return parent_px if px is None else px


def _backdrop(tag: Tag, style: dict[str, str]) -> bool:
    """An element laid behind its siblings (a hero picture, a coloured band): positioned
    out of the flow, and a picture or a painted background."""
    if style.get("position") not in {"absolute", "fixed"}:
        return False
    if tag.name in {"img", "picture", "video", "svg", "canvas", "iframe"}:
        return True
    if any(k in style.get("background-image", "") + style.get("background", "")
           for k in ("url(", "gradient")):
        return True
    for key in ("background-color", "background"):
        colour = _color(style[key]) if key == "background-color" and key in style else (
            _background(style[key])[0] if key in style else None)
        if colour is not None and colour.alpha > 0.5 and _contrast(colour, (1, 1, 1)) > 1.2:
            return True
    return False


def find_hidden(soup: BeautifulSoup, rules: list[Rule]) -> Hidden:
    """Elements and text nodes of the page a reader does not see, outermost only."""
    styles, skipped = cascade(soup, rules)
    hidden = Hidden(skipped=skipped)
    root = soup.find("html") or soup
    stack: list[tuple[Tag, Inherited]] = [(root, Inherited())]
    while stack:
        tag, parent = stack.pop()
        style = styles.get(id(tag), {})
        font_px = _font_px(style, parent.font_px)
        page = tag is soup or tag.name in {"html", "body"}  # hidden until a script runs
        if not page and _hides_box(style, font_px):
            hidden.elements.append(tag)
            continue
        state = Inherited(font_px, parent.invisible, parent.color, parent.background,
                          parent.image)
        if "visibility" in style and not page:
            state.invisible = style["visibility"] in {"hidden", "collapse"}
        color = _color(style["color"]) if "color" in style else None
        if color is not None:
            state.color = tuple(color)
        bg, image = None, False
        if "background-color" in style:
            bg = _color(style["background-color"])
        if "background" in style:
            bg2, image = _background(style["background"])
            bg = bg2 or bg
        if any(k in style.get("background-image", "") for k in ("url(", "gradient")):
            image = True
        if bg is not None and bg.alpha > 0.5:
            state.background = tuple(bg)[:3]
            state.image = image
        elif image:
            state.image = True
        if any(isinstance(c, Tag) and _backdrop(c, styles.get(id(c), {}))
               for c in tag.children):
            state.image = True  # text drawn over a positioned picture or colour: not judged
        unseen = state.invisible or state.font_px < MIN_FONT_PX or (
            not state.image and (state.color[3] <= 0.05 or
                                 _contrast(state.color, state.background) < MIN_CONTRAST))
        for child in tag.children:
            if isinstance(child, Tag):
                if child.name not in SKIPPED_TAGS:
                    stack.append((child, state))
            elif type(child) is NavigableString and unseen and child.strip() and not \
                    isinstance(child, Comment):
                hidden.texts.append(child)
    return hidden

