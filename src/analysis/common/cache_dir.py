"""The shared folder of compiled artefacts (the tagger's compiled codebook, spaCy's regular
expressions, the parsed codebook): one for every analysis on this machine."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "BAROMETRE_CACHE"          # the shared folder of compiled artefacts, if set
CACHE_NAME = "barometre-solidarite"    # its name under $XDG_CACHE_HOME (~/.cache)


def shared_cache_dir() -> Path:
    """The shared folder asked for: $BAROMETRE_CACHE, else $XDG_CACHE_HOME/barometre-solidarite,
    else ~/.cache/barometre-solidarite."""
    given = os.environ.get(CACHE_ENV, "").strip()
    if given:
        return Path(given).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / CACHE_NAME
