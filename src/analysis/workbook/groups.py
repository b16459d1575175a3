"""Shared review: who reviews what. One workbook per association (the `reviewers:` section
of the config), per list, or per axis of the letter, each with only its themes and lists.

    reviewers:
      - name: "Banque alimentaire du Pays d'Aix"   # shown on the workbook (required)
        file: banque-alimentaire                   # file name (default: from the name)
        themes: [aide_alimentaire]                 # theme ids (sheet Thèmes, column theme_id)
        axes: [protection]                         # every theme of these axes
        lists: [aix-avenir]                        # only these lists (default: all)
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.codebook import Codebook
from analysis.common.errors import UserError
from analysis.common.text import slug
from analysis.config import Config
from analysis.config_schema import key_at
from analysis.publish.wording import nbsp, plural

REVIEWER_KEYS = tuple(k.name for k in key_at("reviewers").children)  # the config's schema
SPLITS = ("association", "liste", "axe")


@dataclass(frozen=True)
class ReviewGroup:
    """What one reviewer (an association, a list's reviewers, an axis' experts) reviews."""

    id: str                                  # file name part (a slug)
    title: str
    themes: frozenset[str] | None = None     # None: every theme
    lists: frozenset[str] | None = None      # None: every list

    def filter(self, df: pd.DataFrame, themes: bool = True) -> pd.DataFrame:
        keep = pd.Series(True, index=df.index)
        if themes and self.themes is not None and "theme_id" in df.columns:
            keep &= df["theme_id"].isin(self.themes)
        if self.lists is not None and "list_id" in df.columns:
            keep &= df["list_id"].isin(self.lists)
        return df[keep]

    def scope(self, codebook: Codebook) -> str:
        """'3 thèmes (Aide alimentaire, …), toutes les listes' in French."""
        if self.themes is None:
            themes = "tous les thèmes"
        else:
            labels = [t.label for t in codebook.themes if t.id in self.themes]
            themes = f"{plural(len(labels), 'thème')} : {', '.join(labels)}"
        lists = "toutes les listes" if self.lists is None else (
            f"{'listes' if len(self.lists) > 1 else 'liste'} {', '.join(sorted(self.lists))}")
        return nbsp(f"{themes} ; {lists}")


def _ids(value, where: str, allowed: list[str], what: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list):
        raise UserError(f"{where} : {value!r} n'est pas une liste ; écrivez par exemple "
                        f"[{allowed[0] if allowed else 'id'}].")
    bad = [str(v) for v in value if str(v) not in allowed]
    if bad:
        raise UserError(f"{where} : {what} inconnu(s) {bad} ; valeurs possibles : "
                        f"{', '.join(allowed)}.")
    return [str(v) for v in value]


def reviewer_groups(cfg: Config) -> list[ReviewGroup]:
    """The `reviewers:` section of the config, checked against the codebook and the lists;
    each error names the key, the value and what is allowed."""
    section = cfg.data.get("reviewers")
    where = f"{cfg.source.name}, reviewers"
    if not section:
        raise UserError(f"{cfg.source.name} : aucune section « reviewers: » ; ajoutez une entrée "
                        f"par association (name, themes ou axes ; voir docs/configuration.md), "
                        f"ou utilisez --par-liste ou --par-axe.")
    if not isinstance(section, list):
        raise UserError(f"{where} : doit être une liste d'associations (« - name: … »).")
    cb = cfg.codebook
    groups, seen = [], set()
    for i, item in enumerate(section):
        at = f"{where}[{i}]"
        if not isinstance(item, dict) or not str(item.get("name") or "").strip():
            raise UserError(f"{at} : chaque association doit avoir un « name ».")
        extra = sorted(set(item) - set(REVIEWER_KEYS))
        if extra:
            raise UserError(f"{at} : clé(s) inconnue(s) {extra} ; clés possibles : "
                            f"{', '.join(REVIEWER_KEYS)}.")
        themes = _ids(item.get("themes"), f"{at}.themes", cb.theme_ids, "thème(s)")
        axes = _ids(item.get("axes"), f"{at}.axes", list(cb.axes), "axe(s)")
        themes += [t.id for t in cb.themes if t.axis in axes and t.id not in themes]
        if not themes:
            raise UserError(f"{at} ({item['name']}) : indiquez « themes » et/ou « axes » ; "
                            f"axes possibles : {', '.join(cb.axes)}.")
        lists = _ids(item.get("lists"), f"{at}.lists", [li.id for li in cfg.lists],
                     "liste(s)") or None
        gid = slug(item.get("file") or item["name"])
        if gid in seen:
            raise UserError(f"{at} : le nom de fichier {gid!r} est déjà pris par une autre "
                            f"association ; donnez-lui un « file » différent.")
        seen.add(gid)
        groups.append(ReviewGroup(gid, str(item["name"]).strip(), frozenset(themes),
                                  frozenset(lists) if lists else None))
    return groups


def list_groups(cfg: Config) -> list[ReviewGroup]:
    """One group per list of the config (every theme)."""
    return [ReviewGroup(slug(li.id), li.name, None, frozenset([li.id])) for li in cfg.lists]


def axis_groups(cfg: Config) -> list[ReviewGroup]:
    """One group per axis of the codebook (its themes, every list)."""
    cb = cfg.codebook
    return [ReviewGroup(slug(axis), label, frozenset(t.id for t in cb.themes if t.axis == axis))
            for axis, label in cb.axes.items()]


def groups_for(cfg: Config, split: str) -> list[ReviewGroup]:
    """The groups of a split: 'association' (config), 'liste' or 'axe'."""
    builders = {"association": reviewer_groups, "liste": list_groups, "axe": axis_groups}
    if split not in builders:
        raise UserError(f"découpage {split!r} inconnu ; possibles : {', '.join(SPLITS)}.")
    return builders[split](cfg)


def unassigned_themes(groups: list[ReviewGroup], codebook: Codebook) -> list[str]:
    """Theme ids no group reviews (said at export: nothing left out silently)."""
    if any(g.themes is None for g in groups):
        return []
    covered = set().union(*(g.themes for g in groups)) if groups else set()
    return [t for t in codebook.theme_ids if t not in covered]
