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
