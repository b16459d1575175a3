"""The language of a document (py3langid, a maintained language identifier trained on 97
languages): the codebook is French, a programme in another language is flagged."""

from __future__ import annotations

import functools

MIN_CHARS = 200
MIN_PROBABILITY = 0.9
SAMPLE_CHARS = 20_000
NAMES_FR = {
    "en": "anglais", "es": "espagnol", "it": "italien", "de": "allemand", "pt": "portugais",
    "ar": "arabe", "nl": "néerlandais", "oc": "occitan", "ca": "catalan", "tr": "turc",
    "ro": "roumain", "pl": "polonais", "ru": "russe", "zh": "chinois", "vi": "vietnamien",
}


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float] | None:
    """(ISO 639-1 code, probability) of `text`, or None when it is too short to tell."""
    sample = " ".join(text.split())[:SAMPLE_CHARS]
    if sum(c.isalpha() for c in sample) < MIN_CHARS:
        return None
    lang, prob = _identifier().classify(sample)
    return lang, float(prob)


def language_warning(text: str) -> str | None:
    """A warning for a document that is not in French, naming its language."""
    found = detect(text)
    if found is None or found[0] == "fr" or found[1] < MIN_PROBABILITY:
        return None
    lang, _ = found
    name = NAMES_FR.get(lang, f"code {lang}")
    return (f"document en {name} (langue détectée : {lang}) et non en français : le codebook "
            "est français, ses thèmes y seront peu ou pas trouvés ; demander la version "
            "française ou faire relire ce document à la main")
