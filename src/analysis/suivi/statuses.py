"""The five statuses of a commitment, as volunteers choose them in the register."""

from __future__ import annotations

from analysis.common.text import normalise_name

NOT_STARTED = "pas_commence"
STATUSES = {                      # id -> French label (order of the drop-down and charts)
    NOT_STARTED: "Pas commencé",
    "en_cours": "En cours",
    "realise": "Réalisé",
    "abandonne": "Abandonné",
    "contraire": "Contraire à l'engagement",
}
# statuses that close a commitment: say what proves it (a note when the evidence is empty)
NEEDS_EVIDENCE = ("realise", "abandonne", "contraire")
# colour-blind safe (Okabe-Ito), grey for "not started"
COLOURS = {
    NOT_STARTED: "#BBBBBB", "en_cours": "#56B4E9", "realise": "#009E73",
    "abandonne": "#E69F00", "contraire": "#D55E00",
}

_WORDS = {normalise_name(label): sid for sid, label in STATUSES.items()}
_WORDS |= {normalise_name(sid): sid for sid in STATUSES}
_WORDS |= {"contraire": "contraire", "fait": "realise", "realisee": "realise",
           "abandonnee": "abandonne", "pascommencee": NOT_STARTED, "encours": "en_cours"}


def parse_status(text: str) -> str | None:
    """The status id of what a volunteer typed (label or id, any case/accents), or None."""
    return _WORDS.get(normalise_name(text)) if text else None


def label(status_id: str) -> str:
    return STATUSES.get(status_id, status_id)
