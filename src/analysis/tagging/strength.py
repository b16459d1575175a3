"""Strength of a commitment: concret (measurable), general (an intention) or mention.

- mention: the stance is neutre (diagnosis, context, nothing promised);
- concret: the clause holds a number (« 200 places », « dix travailleurs sociaux »), an
  amount or a percentage, a year or a date, a named place (« au Mirail », « quartier de la
  Paillade »), a quoted scheme name (« Voisins solidaires ») or a `concrete` cue of the
  codebook (« par an », « d'ici », « France services »…);
- general otherwise.
"""

from __future__ import annotations

from analysis.tagging.context import BULLETS, DocContext

NOT_NUMBERS = {"un", "une", "premier", "premiere", "seul", "seule"}
PLACE_NOUNS = {
    "quartier", "rue", "avenue", "boulevard", "cite", "secteur", "site", "campus", "parc",
    "place", "hameau", "village", "gare", "residence", "allee", "chemin", "route", "plage",
}
PLACE_ARTICLES = {"au", "aux", "du"}
GENERIC_NAMES = {
    "ville", "mairie", "metropole", "etat", "region", "departement", "republique", "france",
    "commune", "municipalite", "prefecture", "europe", "conseil", "maire",
}
QUOTES = {"«": "»", '"': '"', "“": "”"}


def _number(ctx: DocContext, i: int) -> str | None:
    """« 2 000 € », « dix travailleurs », « 15 % »: the number and the word after it."""
    toks = ctx.tokens
    tok = toks[i]
    if tok.text.isdigit() and len(tok.text) == 3 and i > 0 and toks[i - 1].text.isdigit():
        return None  # thousands group of the previous number (« 2 000 »)
    text = tok.text
    if not text.isalpha() and any(ch.isdigit() for ch in text):   # no letter is a digit
        j = i
        while j + 1 < len(toks) and toks[j + 1].text.isdigit() and len(toks[j + 1].text) == 3:
            j += 1
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        words = [t.text for t in toks[i:j + 1]]
        if nxt is not None and (nxt.is_alpha or nxt.text in ("€", "%")):
            words.append(nxt.text)
        return " ".join(words)
    if tok.like_num and tok.is_alpha and tok.norm_ not in NOT_NUMBERS:
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        return f"{tok.text} {nxt.text}" if nxt is not None and nxt.is_alpha else tok.text
    return None


def _first_word(ctx: DocContext) -> int | None:
    """Index of the first token that is neither a space nor a bullet (computed once)."""
    first = ctx.__dict__.get("_first_word", -1)
    if first == -1:
        first = next((t.i for t in ctx.tokens if not (t.is_space or t.text in BULLETS)), None)
        ctx.__dict__["_first_word"] = first
    return first


def _list_number(ctx: DocContext, i: int) -> bool:
    """« 2. Tirer au sort … »: the number of a list item, not a measure."""
    first = _first_word(ctx)
    nxt = ctx.tokens[i + 1].text if i + 1 < len(ctx.tokens) else ""
    return i == first and ctx.tokens[i].text.isdigit() and nxt in (".", ")", "-", "–")


def _place(ctx: DocContext, i: int, start: int) -> str | None:
    tok = ctx.tokens[i]
    if i <= start or not tok.text[:1].isupper() or tok.text.isupper() or tok.pos_ != "PROPN":
        return None
    if tok.norm_ in GENERIC_NAMES or tok.lower_.endswith(("ais", "ois", "aises", "oises")):
        return None
    prev = ctx.tokens[i - 1]
    prev2 = ctx.tokens[i - 2] if i >= 2 else None
    if prev.norm_ in PLACE_NOUNS or prev.lower_ in PLACE_ARTICLES:
        return f"{prev.text} {tok.text}"
    if prev.norm_ == "le" and prev2 is not None and prev2.norm_ in {"a", "de"} | PLACE_NOUNS:
        return f"{prev2.text} {prev.text}{'' if prev.text.endswith(chr(39)) else ' '}{tok.text}"
    return None


def _quoted_name(ctx: DocContext, tokens: list[int]) -> str | None:
    for i in tokens:
        close = QUOTES.get(ctx.tokens[i].text)
        if close and i + 1 < len(ctx.doc) and ctx.tokens[i + 1].text[:1].isupper():
            words = []
            for j in range(i + 1, min(len(ctx.doc), i + 8)):
                if ctx.tokens[j].text == close:
                    return " ".join(words) or None
                words.append(ctx.tokens[j].text)
    return None


def _measures(ctx: DocContext) -> tuple[list, dict]:
    """What each token of the passage can measure, read once per passage (a passage has
    several hits): (i, number, place) for the tokens with a number or a place (a place
    counts only after the first token of the clauses read), and the quoted name that
    opens at a token (`_quoted_name`, token by token)."""
    found = ctx.__dict__.get("_measures")
    if found is None:
        marks, names = [], {}
        for i in range(len(ctx.tokens)):
            if not _list_number(ctx, i):
                number = _number(ctx, i)
                place = None if number else _place(ctx, i, -1)
                if number or place:
                    marks.append((i, number, place))
            if ctx.tokens[i].text in QUOTES:
                name = _quoted_name(ctx, [i])
                if name:
                    names[i] = name
        found = ctx.__dict__["_measures"] = (marks, names)
    return found


def measurable(ctx: DocContext, clauses: set[int]) -> list[str]:
    """Words that make a commitment measurable in the given clauses (empty: none)."""
    clause = ctx.clause
    start = next((i for i, c in enumerate(clause) if c in clauses), None)
    if start is None:
        return []
    marks, names = _measures(ctx)
    found: list[str] = []
    for i, number, place in marks:
        if clause[i] not in clauses:
            continue
        text = number or (place if i > start else None)
        if text and text not in found:
            found.append(text)
    for cue in ctx.cues.get("concrete", []):
        if clause[cue.start] in clauses:
            text = cue.text(ctx.doc)
            if not any(text in f for f in found):
                found.append(text)
    # the first quoted name opening in the clauses (a quote without a closing one within
    # seven words: the next one)
    name = next((n for i, n in names.items() if clause[i] in clauses), None)
    if name:
        found.append(f"« {name} »")
    return found


def strength_of(ctx: DocContext, stance: str, clauses: set[int]) -> tuple[str, list[str]]:
    """(strength, evidence words)."""
    if stance == "neutre":
        return "mention", []
    found = measurable(ctx, clauses)
    return ("concret", found) if found else ("general", [])
