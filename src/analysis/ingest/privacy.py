"""Personal data: e-mail addresses and phone numbers masked in passages, contact columns
of form exports recognised so that they never reach processed/ or reports/."""

from __future__ import annotations

import re

import pandas as pd

from analysis.common.text import normalise_name

CONTACT_MASK = "[contact masqué]"
EMAIL_MASK = "[courriel masqué]"
PHONE_MASK = "[téléphone masqué]"

EMAIL_RE = re.compile(
    r"\w[\w.%+\-]*\s?(?:@|\[at\]|\(at\))\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
    r"\.[A-Za-z]{2,}"
)
# French numbers: 06 12 34 56 78, 06.12.34.56.78, 06-12-34-56-78, 0612345678,
# +33 6 12 34 56 78, +33 (0)6 12 34 56 78, 0033 6 12 34 56 78
PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33[\s.\-]?(?:\(0\)[\s.\-]?)?[1-9]|0[1-9])"
    r"(?:[\s.\-]?\d{2}){4}(?!\d)"
)
CONTACT_HEADER_WORDS = ("mail", "courriel", "telephone", "portable", "phone", "mobile")


def mask(text: str) -> str:
    """Text with e-mail addresses and French phone numbers replaced by a mask."""
    text = EMAIL_RE.sub(EMAIL_MASK, text)
    return PHONE_RE.sub(PHONE_MASK, text)


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
    rest = PHONE_RE.sub("", EMAIL_RE.sub("", text)).strip(" ,;/")
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
