"""French wording of numbers and lists in the report's sentences and tables."""

from __future__ import annotations

import math
from typing import Any

from analysis.publish.template import fmt_int


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def fr_number(value: Any) -> str:
    """French display of a metric: 0.853 -> '0,85', 12 -> '12', None -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return fmt_int(value)
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def quoted(name: str) -> str:
    """A list's name in French quotes (names may contain commas: « Aix Ensemble, Aix Commune »)."""
    return f"« {name} »"


def join_fr(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b et c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
