"""Load and validate a codebook (YAML): axes, themes, labels, scope notes and patterns."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.errors import UserError

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
THEME_KEYS = {"id", "axis", "label", "scope", "patterns", "exclude", "restrictive", "examples"}


@dataclass(frozen=True)
class Theme:
    id: str
    axis: str
    label: str
    scope: str = ""
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    restrictive: tuple[str, ...] = ()


@dataclass
class Codebook:
    name: str
    version: str
    path: Path
    axes: dict[str, str]            # axis id -> French label, in order
    themes: list[Theme]
    data: dict = field(default_factory=dict)

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def axis_of(self, theme_id: str) -> str:
        return self.theme(theme_id).axis

    def label_of(self, theme_id: str) -> str:
        return self.theme(theme_id).label

    def themes_frame(self) -> pd.DataFrame:
        """One row per theme: theme_id, axis, axis_label, label, scope, n_patterns."""
        return pd.DataFrame(
            [
                {
                    "theme_id": t.id, "axis": t.axis, "axis_label": self.axes[t.axis],
                    "label": t.label, "scope": t.scope, "n_patterns": len(t.patterns),
                }
                for t in self.themes
            ]
        )

    @property
    def fingerprint(self) -> str:
        """Changes whenever the file content changes (used as cache key)."""
        raw = self.path.read_bytes() if self.path.is_file() else b""
        return f"{self.version}-{hashlib.sha256(raw).hexdigest()[:12]}"


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook; any bad entry is named in a UserError."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Codebook introuvable : {path}. Vérifiez la clé 'codebook' de la config.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path} : YAML invalide ({exc}).") from exc
    for key in ("name", "version", "axes", "themes"):
        if key not in data:
            raise UserError(f"{path} : clé obligatoire '{key}' manquante.")
    axes = {}
    for i, ax in enumerate(data["axes"]):
        if not isinstance(ax, dict) or not ax.get("id") or not ax.get("label"):
            raise UserError(f"{path} : axes[{i}] doit avoir 'id' et 'label'.")
        axes[str(ax["id"])] = str(ax["label"])
    themes, seen = [], set()
    for i, th in enumerate(data["themes"]):
        where = f"{path} : themes[{i}]"
        if not isinstance(th, dict):
            raise UserError(f"{where} n'est pas un dictionnaire.")
        tid = th.get("id")
        where = f"{where} ({tid})" if tid else where
        extra = sorted(set(th) - THEME_KEYS)
        if extra:
            raise UserError(f"{where} : clé inconnue {extra}; clés possibles : {sorted(THEME_KEYS)}.")
        if not tid or not THEME_ID.match(str(tid)):
            raise UserError(f"{where} : 'id' doit être en snake_case (ex. aide_alimentaire).")
        if tid in seen:
            raise UserError(f"{where} : identifiant en double.")
        seen.add(tid)
        if th.get("axis") not in axes:
            raise UserError(
                f"{where} : axe {th.get('axis')!r} inconnu; axes déclarés : {list(axes)}."
            )
        if not th.get("label"):
            raise UserError(f"{where} : 'label' manquant.")
        lists = {}
        for key in ("patterns", "exclude", "restrictive"):
            value = th.get(key) or []
            if not isinstance(value, list) or not all(
                isinstance(p, str) and p.strip() for p in value
            ):
                raise UserError(f"{where} : '{key}' doit être une liste de textes non vides.")
            dupes = sorted({p for p in value if value.count(p) > 1})
            if dupes:
                raise UserError(f"{where} : motif(s) en double dans '{key}' : {dupes}.")
            lists[key] = tuple(p.strip() for p in value)
        themes.append(Theme(
            id=str(tid), axis=str(th["axis"]), label=str(th["label"]),
            scope=str(th.get("scope", "")), **lists,
        ))
    return Codebook(
        name=str(data["name"]), version=str(data["version"]), path=path,
        axes=axes, themes=themes, data=data,
    )
