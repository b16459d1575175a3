"""The `mandate` section of the config: which list was elected, when the mandate began.

    mandate:
      elected: aix-avenir      # id of the elected list (one of `lists`)
      start: 2026-03-22        # start of the mandate (default: election.round2 or round1)
      years: 6                 # length of the mandate (default 6)

`python -m analysis suivi --liste ID` follows another list without editing the config.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from analysis.common.errors import UserError
from analysis.config import Config, ListInfo

KEYS = {"elected", "start", "years"}


@dataclass(frozen=True)
class Mandate:
    """The list whose commitments are followed, and the mandate's dates."""

    list: ListInfo
    start: dt.date
    years: int = 6

    @property
    def end(self) -> dt.date:
        return self.start.replace(year=self.start.year + self.years)

    @property
    def midterm(self) -> dt.date:
        return self.start.replace(year=self.start.year + self.years // 2)


def is_configured(cfg: Config) -> bool:
    """True when the config names an elected list (the follow-up is then produced)."""
    return bool((cfg.data.get("mandate") or {}).get("elected"))


def load_mandate(cfg: Config, list_id: str | None = None) -> Mandate:
    """The mandate of the config (`list_id` overrides `mandate.elected`); French errors."""
    section = cfg.data.get("mandate") or {}
    where = f"{cfg.source}"
    if not isinstance(section, dict):
        raise UserError(f"{where} : la section « mandate » doit contenir des clés "
                        f"(elected, start, years).")
    unknown = sorted(set(section) - KEYS)
    if unknown:
        raise UserError(f"{where} : mandate.{unknown[0]} inconnu ; clés possibles : "
                        f"{sorted(KEYS)}.")
    chosen = list_id or section.get("elected")
    if not chosen:
        raise UserError(f"{where} : aucune liste élue. Ajoutez « mandate: {{elected: <id>}} » "
                        f"à la configuration ou lancez `python -m analysis suivi --liste <id>` "
                        f"(listes : {', '.join(li.id for li in cfg.lists)}).")
    info = cfg.list_by_id(str(chosen))
    if info is None:
        match = cfg.match_list(str(chosen))
        info = cfg.list_by_id(match) if match else None
    if info is None:
        raise UserError(f"{where} : la liste élue {chosen!r} n'est pas dans « lists » ; "
                        f"listes possibles : {', '.join(li.id for li in cfg.lists)}.")
    start = section.get("start") or cfg.election.get("round2") or cfg.election.get("round1")
    if start is None:
        raise UserError(f"{where} : indiquez mandate.start (date de début du mandat, "
                        f"AAAA-MM-JJ).")
    if not isinstance(start, dt.date):
        try:
            start = dt.date.fromisoformat(str(start))
        except ValueError as exc:
            raise UserError(f"{where} : mandate.start vaut {start!r}, ce n'est pas une date "
                            f"AAAA-MM-JJ.") from exc
    years = section.get("years", 6)
    if not isinstance(years, int) or not 1 <= years <= 10:
        raise UserError(f"{where} : mandate.years vaut {years!r} ; indiquez un nombre "
                        f"d'années entre 1 et 10 (6 pour un mandat municipal).")
    return Mandate(list=info, start=start, years=years)
