"""How much of the tagging humans have reviewed, said honestly.

- `ReviewStatus.from_tables(tags, passages, cfg)`: share of tags reviewed (`origin` =
  `review`), overall and per list, and the config's threshold (`review.threshold`,
  default 80 %). Below the threshold nothing is called "relue": the source line says
  "relue à 3 %".
- `precision_text(precision, n, minimum)`: a precision measured on reviews, with its sample
  size and a 95 % Wilson interval, and not at all under `minimum` reviewed tags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis.publish.wording import fmt_int, fr_pct, plural

Z95 = 1.959964


@dataclass
class ReviewStatus:
    """Tags reviewed out of all tags, overall and per list (list_id -> (reviewed, tags))."""

    n_tags: int = 0
    n_reviewed: int = 0
    threshold: float = 0.8
    per_list: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def from_tables(cls, tags: pd.DataFrame, passages: pd.DataFrame,
                    threshold: float = 0.8) -> ReviewStatus:
        t = tags.drop_duplicates(["passage_id", "theme_id"])
        t = t.merge(passages[["passage_id", "list_id"]].drop_duplicates("passage_id"),
                    on="passage_id", how="inner")
        rev = t["origin"] == "review"
        per_list = {
            str(li): (int(rev[g.index].sum()), len(g)) for li, g in t.groupby("list_id")
        }
        return cls(len(t), int(rev.sum()), threshold, per_list)

    @staticmethod
    def _share(reviewed: int, total: int) -> float:
        return reviewed / total if total else 0.0

    @property
    def share(self) -> float:
        return self._share(self.n_reviewed, self.n_tags)

    def is_reviewed(self, list_id: str | None = None) -> bool:
        """True only when the share reviewed reaches the threshold (never on 0 tags)."""
        reviewed, total = (self.per_list.get(list_id, (0, 0)) if list_id
                           else (self.n_reviewed, self.n_tags))
        return total > 0 and self._share(reviewed, total) >= self.threshold

    def share_text(self, list_id: str | None = None) -> str:
        """'relue à 3 %' / 'non relue' / 'relue à 85 %' (a share under 1 % says '< 1 %')."""
        reviewed, total = (self.per_list.get(list_id, (0, 0)) if list_id
                           else (self.n_reviewed, self.n_tags))
        if not reviewed:
            return "non relue"
        share = self._share(reviewed, total)
        pct = "moins de 1\u00a0%" if share < 0.01 else fr_pct(share)
        return f"relue à {pct}"

    def phrase(self, list_id: str | None = None) -> str:
        """For a source line: 'analyse automatique relue à 3 % (seuil de validation : 80 %)'."""
        share = self.share_text(list_id)
        if self.is_reviewed(list_id):
            return f"analyse automatique {share} par des bénévoles"
        if share == "non relue":
            return "analyse automatique non relue"
        return (f"analyse automatique, {share} seulement (non validée ; seuil\u00a0: "
                f"{fr_pct(self.threshold)})")

    def detail(self, list_id: str | None = None) -> str:
        """'12 étiquettes relues sur 418'."""
        reviewed, total = (self.per_list.get(list_id, (0, 0)) if list_id
                           else (self.n_reviewed, self.n_tags))
        return (f"{plural(reviewed, 'étiquette relue', 'étiquettes relues')} "
                f"sur {fmt_int(total)}")


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion k/n."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (max(0.0, centre - half), min(1.0, centre + half))


def precision_text(precision: float | None, n: int | None, minimum: int = 30) -> str:
    """French sentence on a precision measured on `n` reviewed tags (none under `minimum`)."""
    n = int(n or 0)
    if precision is None or n < minimum:
        return (f"Trop peu d'étiquettes relues ({fmt_int(n)}) pour estimer une précision : "
                f"il en faut au moins {fmt_int(minimum)}. Aucune précision n'est donc affichée.")
    low, high = wilson(round(precision * n), n)
    return (f"Précision estimée sur {plural(n, 'étiquette relue', 'étiquettes relues')} : "
            f"{fr_pct(precision)} (intervalle de confiance à 95\u00a0% : "
            f"{fr_pct(low)} à {fr_pct(high)}).")
