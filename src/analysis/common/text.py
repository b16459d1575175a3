"""French text helpers: tolerant name matching, dates, file-name slugs."""

from __future__ import annotations

import datetime as dt
import unicodedata


def normalise_name(text: str) -> str:
    """Lower-case, strip accents, keep letters and digits only (for tolerant matching)."""
    text = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
]


def format_date_fr(day: dt.date) -> str:
    """'27 février 2026', '1er mars 2026' (French ordinal for the first of the month)."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {MONTHS_FR[day.month - 1]} {day.year}"


def slug(text: str) -> str:
    """'Aix-en-Provence' -> 'aix-en-provence' (ASCII, lower case, hyphens)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in out.split("-") if part) or "commune"


NNBSP = "\u202f"         # narrow no-break space: thousands separator, before ; ! ?


def fmt_int(n) -> str:
    """12345 -> '12 345' (French thousands separator, narrow no-break space)."""
    return f"{int(n):,}".replace(",", NNBSP)


def is_plural(n) -> bool:
    """French: 0 and 1 take the singular ("0 liste", "1,5 million")."""
    return abs(n) >= 2


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    """'0 liste', '1 liste', '3 listes' (with a French thousands separator)."""
    return f"{fmt_int(n)} {(plural_word or word + 's') if is_plural(n) else word}"
