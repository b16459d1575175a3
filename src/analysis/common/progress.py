"""Progress bars that work in a terminal and in a notebook, and one-line stage summaries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], desc: str, total: int | None = None) -> Iterable[T]:
    """Wrap an iterable in a notebook-aware tqdm bar, in French."""
    # imported here: `tag --jsonl` shows no bar and need not pay tqdm's import (asyncio...)
    from tqdm.auto import tqdm

    return tqdm(items, desc=desc, total=total, unit="", leave=False, dynamic_ncols=True)


def summary(stage: str, text: str) -> str:
    """Print and return the one-line summary that ends a stage."""
    line = f"[{stage}] {text}"
    print(line, flush=True)
    return line


def print_sections(sections: Iterable[tuple[str, list[str]]]) -> None:
    """Print each non-empty list of messages under its French title (« Remarques : »)."""
    for title, items in sections:
        if items:
            print(f"{title} :")
            for item in items:
                print(f"  - {item}")
