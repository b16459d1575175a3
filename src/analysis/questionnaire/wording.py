"""The questionnaire's words: the collective's letter, question titles, theme hints, and
the sentence a filled engagement row becomes (shared by the writers and the reader)."""

from __future__ import annotations

import datetime as dt
import re

from analysis.codebook import Codebook, Theme
from analysis.common.text import format_date_fr, normalise_name
from analysis.config import Config, Question
from analysis.contracts import (
    ENGAGEMENTS_QUESTION_ID,
    ENGAGEMENTS_SECTION,
    REFUSAL_PREFIX,
)

_PLAIN_PATTERN = re.compile(r"^[^\W\d_][\w' ’-]*$")

_STOPWORDS = {"a", "au", "aux", "d", "de", "des", "du", "en", "l", "la", "le", "les", "leur",
              "leurs", "pour", "sa", "ses", "son", "un", "une", "et"}


def _pattern_key(pattern: str) -> str:
    words = normalise_words(pattern)
    return " ".join(w.rstrip("sx") for w in words if w not in _STOPWORDS)


def normalise_words(text: str) -> list[str]:
    return [normalise_name(w) for w in re.findall(r"\w+", text.lower())]


def short_scope(theme: Theme, n: int = 3) -> str:
    """A few of the theme's French patterns as plain words, near-duplicates (plural,
    hyphen, article) left out; '' when the theme has no plain pattern."""
    chosen: list[str] = []
    keys: list[str] = []
    for pattern in theme.patterns:
        key = _pattern_key(pattern)
        if not _PLAIN_PATTERN.match(pattern) or not key:
            continue
        if any(key in k or k in key for k in keys):
            continue
        chosen.append(pattern)
        keys.append(key)
        if len(chosen) == n:
            break
    return ", ".join(chosen)


def short_title(question: Question) -> str:
    """'1. Partenariat avec les associations' -> 'Partenariat avec les associations'."""
    title = re.sub(r"^\s*(?:q(?:uestion)?\s*)?\d{1,2}\s*[.):–—-]\s*", "", question.column,
                   flags=re.I).strip()
    return title or (question.text if len(question.text) <= 60 else question.text[:57] + "…")


def answer_section(question: Question, number: int) -> str:
    """The section of an answer (same convention as the ingestion's question label)."""
    return question.column or f"Question {number}"


def _deadline(cfg: Config) -> str:
    first = cfg.election.get("round1")
    if isinstance(first, dt.date):
        return f"avant le {format_date_fr(first - dt.timedelta(days=21))}"
    return "dès que possible"


def intro_paragraphs(cfg: Config) -> list[str]:
    """The letter from the collective that opens the questionnaire (French)."""
    collective = cfg.collective.get("name") or "Le collectif des associations"
    election = cfg.election.get("name", f"élections municipales de {cfg.commune}")
    return [
        "Madame, Monsieur,",
        f"Notre collectif ({collective}) réunit des associations de solidarité qui agissent "
        f"chaque jour à "
        f"{cfg.commune} auprès des personnes en situation de précarité. À l'approche des "
        f"{election}, nous interrogeons toutes les listes candidates sur trois engagements : "
        f"le partenariat avec les associations, une dynamique d'inclusion et la protection "
        f"des plus fragiles.",
        f"Nous vous remercions de répondre {_deadline(cfg)}, dans ce document ou dans le "
        f"fichier Excel joint, puis de nous le renvoyer. Vos réponses seront analysées avec "
        f"celles des autres listes et citées dans le baromètre que nous publierons ; une "
        f"liste qui ne répond pas y figurera comme telle.",
        "Nous vous prions d'agréer nos salutations associatives.",
        collective,
    ]


def engagement_sentence(theme_id: str, label: str, value: str, comment: str,
                        codebook: Codebook) -> str | None:
    """A filled engagement row as a sentence the tagger and readers understand."""
    key = normalise_name(value)
    if key.startswith("enpartie") or key.startswith("partiel"):
        word = "En partie"
    elif key.startswith("oui"):
        word = "Oui"
    elif key.startswith("non"):
        word = "Non"
    else:
        word = f"« {value} »" if value else ""
    known = theme_id in codebook.theme_ids
    label = codebook.label_of(theme_id) if known else (label or theme_id)
    tail = f" Commentaire : {comment}" if comment else ""
    if not word:
        return f"Sans réponse d'engagement — {label}.{tail}" if comment else None
    if word == "Non":
        return f"{REFUSAL_PREFIX} — {label}.{tail}"
    scope = short_scope(codebook.theme(theme_id)) if known else ""
    return f"Engagement : {word} — {label}{f' ({scope})' if scope else ''}.{tail}"


def engagement_row(list_name: str, theme_id: str, label: str, value: str, comment: str,
                   codebook: Codebook) -> dict | None:
    """One output row for a filled engagement line (None when it is blank); the section
    names the theme, so a comment split off by the ingestion stays traceable."""
    sentence = engagement_sentence(theme_id, label, value, comment, codebook)
    if not sentence:
        return None
    name = codebook.label_of(theme_id) if theme_id in codebook.theme_ids else (label or theme_id)
    return {"list_name": list_name, "question_id": ENGAGEMENTS_QUESTION_ID,
            "section": f"{ENGAGEMENTS_SECTION} — {name}", "text": sentence}
