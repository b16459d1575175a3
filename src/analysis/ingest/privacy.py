"""Personal data masked before any output: e-mail addresses (also written « jean [at]
exemple [point] fr »), phone numbers of every country (phonenumbers), IBANs, French social
security numbers (NIR) and bank card numbers checked with their keys (python-stdnum),
birth dates and, in letters and answers, street addresses. Contact columns of form exports
are recognised so that they never reach processed/ or reports/."""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import phonenumbers
from stdnum import iban, luhn
from stdnum.fr import nir

from analysis.common.text import normalise_name

CONTACT_MASK = "[contact masqué]"
EMAIL_MASK = "[courriel masqué]"
PHONE_MASK = "[téléphone masqué]"
IBAN_MASK = "[IBAN masqué]"
NIR_MASK = "[n° de sécurité sociale masqué]"
CARD_MASK = "[n° de carte masqué]"
BIRTH_MASK = "[date de naissance masquée]"
ADDRESS_MASK = "[adresse masquée]"
# what the ingest report says was masked (counts only, never the values)
LABELS = {
    "email": "courriel", "phone": "téléphone", "iban": "IBAN",
    "nir": "n° de sécurité sociale", "card": "n° de carte bancaire",
    "birth": "date de naissance", "address": "adresse",
}

_AT = r"(?:@|\s?[\[({]\s?(?:at|arobase|@)\s?[\])}]\s?|\s(?:at|arobase)\s)"
_DOT = r"(?:\.|\s?[\[({]\s?(?:dot|point|\.)\s?[\])}]\s?|\s(?:dot|point)\s)"
EMAIL_RE = re.compile(
    rf"(?<![\w.%+\-])[A-Za-z0-9][\w.%+\-]*{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*"
    rf"{_DOT}[A-Za-z]{{2,}}\b",
    re.I,
)
# French numbers written the usual ways (kept besides phonenumbers for numbers that are
# well formed but not allocated, as in examples)
PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33[\s.\-]?(?:\(0\)[\s.\-]?)?[1-9]|0[1-9])"
    r"(?:[\s.\-]?\d{2}){4}(?!\d)"
)
IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-]?[A-Z0-9]){11,30}\b")
NIR_RE = re.compile(
    r"(?<![\d\w])[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}"
    r"(?:[\s.]?\d{2})?(?![\d\w])"
)
CARD_RE = re.compile(r"(?<![\d\w])\d(?:[ \-]?\d){12,18}(?![\d\w])")
_MONTHS = (r"(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|"
           r"novembre|d[ée]cembre)")
_DATE = rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}}(?:er)?\s+{_MONTHS}\s+\d{{4}})"
BIRTH_RE = re.compile(
    rf"(?P<lead>\b(?:n[ée]e?s?|n[ée]\(e\))\s+le\s+|\bdate\s+de\s+naissance\s*:?\s*|"
    rf"\bDDN\s*:?\s*|\bborn\s+(?:on\s+)?)(?P<date>{_DATE})",
    re.I,
)
_STREET = (r"(?:rue|avenue|av\.|boulevard|bd|bld|chemin|all[ée]e|impasse|place|route|cours|"
           r"quai|traverse|mont[ée]e|lotissement|r[ée]sidence|square|passage|villa|cit[ée])")
ADDRESS_RE = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter|quater|[a-d]))?,?\s+{_STREET}\s+"
    rf"(?:(?:de\s+la|de\s+l'|de\s+l’|des|du|de|d'|d’|la|le|les|l'|l’)\s*)?"
    rf"[A-ZÀ-Ý][\w'’\-]*(?:\s+(?:de\s+|des\s+|du\s+|la\s+|le\s+)?[A-ZÀ-Ý][\w'’\-]*){{0,4}}"
    rf"(?:,?\s+\d{{5}}(?:\s+[A-ZÀ-Ý][\w'’\-]*(?:[\s\-][A-ZÀ-Ý\w][\w'’\-]*){{0,3}})?)?"
)
CONTACT_HEADER_WORDS = ("mail", "courriel", "telephone", "portable", "phone", "mobile")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _sub(pattern: re.Pattern, repl: str, text: str, kind: str, counts: Counter,
         keep=lambda m: True) -> str:
    def one(m: re.Match) -> str:
        if not keep(m):
            return m.group(0)
        counts[kind] += 1
        return repl(m) if callable(repl) else repl
    return pattern.sub(one, text)


def _phones(text: str, counts: Counter) -> str:
    """Numbers of any country found by phonenumbers: written with +/00 (international) or
    a leading 0 (French national), never a bare amount (« 150 000 000 € »)."""
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(text, "FR", phonenumbers.Leniency.VALID):
        raw = match.raw_string.lstrip()
        if raw[:1] in "+0(" and len(_digits(raw)) >= 8:
            spans.append((match.start, match.end))
    for start, end in reversed(spans):
        text = text[:start] + PHONE_MASK + text[end:]
        counts["phone"] += 1
    return _sub(PHONE_RE, PHONE_MASK, text, "phone", counts)


def _iban_ok(m: re.Match) -> bool:
    return iban.is_valid(m.group(0))


_NIR_LABEL = re.compile(r"s[ée]curit[ée] sociale|\bnir\b|\bn° ?ss\b|\binsee\b", re.I)
_CARD_LABEL = re.compile(r"\bcarte\b|\bcb\b|\bvisa\b|mastercard|\bcard\b", re.I)


def _labelled(m: re.Match, label: re.Pattern) -> bool:
    return bool(label.search(m.string[max(0, m.start() - 40): m.start()]))


def _nir_ok(m: re.Match) -> bool:
    """A NIR whose key checks (python-stdnum), or one named as such (a typo is still
    personal data)."""
    compact = re.sub(r"[\s.]", "", m.group(0))
    if len(compact) == 15 and nir.is_valid(compact):
        return True
    return len(compact) in {13, 15} and _labelled(m, _NIR_LABEL)


def _card_ok(m: re.Match) -> bool:
    value = _digits(m.group(0))
    if not 13 <= len(value) <= 19 or len(set(value)) <= 2:
        return False
    return luhn.is_valid(value) or _labelled(m, _CARD_LABEL)


def mask_counted(text: str, counts: Counter | None = None, *, addresses: bool = False) -> str:
    """Text with personal data replaced by masks; `counts` gets how many of each kind."""
    counts = Counter() if counts is None else counts
    text = _sub(EMAIL_RE, EMAIL_MASK, text, "email", counts)
    text = _sub(IBAN_RE, IBAN_MASK, text, "iban", counts, _iban_ok)
    text = _sub(NIR_RE, NIR_MASK, text, "nir", counts, _nir_ok)
    text = _sub(CARD_RE, CARD_MASK, text, "card", counts, _card_ok)
    text = _phones(text, counts)
    text = _sub(BIRTH_RE, lambda m: m.group("lead") + BIRTH_MASK, text, "birth", counts)
    if addresses:
        text = _sub(ADDRESS_RE, ADDRESS_MASK, text, "address", counts)
    return text


def mask(text: str, *, addresses: bool = False) -> str:
    """Text with e-mail addresses, phone numbers, IBANs, NIRs, card numbers and birth
    dates (and street addresses when asked) replaced by a mask."""
    return mask_counted(text, addresses=addresses)


def masked_note(counts: Counter) -> str:
    """« données personnelles masquées : 2 téléphone, 1 IBAN » (counts only)."""
    parts = [f"{n} {LABELS[k]}" for k, n in sorted(counts.items()) if n]
    return "données personnelles masquées : " + ", ".join(parts) if parts else ""


def mask_values(text: str, values: list[str]) -> str:
    """Text with every occurrence of the given contact values (a respondent's name copied
    into an answer) replaced by a mask, whatever the case."""
    for value in sorted({" ".join(str(v).split()) for v in values}, key=len, reverse=True):
        if len(value) >= 3:
            pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, value.split())) + r"(?!\w)"
            text = re.sub(pattern, CONTACT_MASK, text, flags=re.I)
    return text


def looks_like_contact(value: object) -> bool:
    """Whether a cell holds an e-mail address or a phone number and little else."""
    text = str(value).strip()
    if not text or text.lower() == "nan":
        return False
    rest = _phones(EMAIL_RE.sub("", text), Counter()).replace(PHONE_MASK, "").strip(" ,;/")
    return rest != text and len(rest) <= 3


def contact_columns(frame: pd.DataFrame, configured: list[str] | tuple[str, ...] = ()) -> list:
    """Columns of a form export that hold contact data: the configured ones (tolerant
    match), those whose header names an e-mail or a phone, and those whose non-empty
    values mostly look like e-mails or phone numbers."""
    wanted = {normalise_name(c) for c in configured}
    found = []
    for col in frame.columns:
        key = normalise_name(col)
        values = frame[col].dropna().astype(str).str.strip()
        values = values[values != ""]
        by_value = len(values) > 0 and values.map(looks_like_contact).mean() >= 0.5
        if key in wanted or any(w in key for w in CONTACT_HEADER_WORDS) or by_value:
            found.append(col)
    return found
