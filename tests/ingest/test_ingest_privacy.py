"""Masking of e-mails and phone numbers, detection of contact columns."""

import pandas as pd
import pytest

from analysis.ingest.privacy import EMAIL_MASK, PHONE_MASK, contact_columns, mask


@pytest.mark.parametrize("phone", [
    "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "0612345678", "+33 6 12 34 56 78",
    "+33612345678", "+33 (0)6 12 34 56 78", "0033 6 12 34 56 78", "04 42 12 34 56",
])
def test_french_phone_numbers_are_masked(phone):
    assert mask(f"Appelez le {phone} demain.") == f"Appelez le {PHONE_MASK} demain."


@pytest.mark.parametrize("email", ["contact@aix-solidaire.fr", "zoé.martin@asso.example.org",
                                   "jean+vote@mail.fr"])
def test_emails_are_masked(email):
    assert mask(f"Écrire à {email}.") == f"Écrire à {EMAIL_MASK}."


@pytest.mark.parametrize("text", ["Le 3919 et le 115 restent gratuits.",
                                  "Un budget de 1 500 000 € en 2026 pour 300 places.",
                                  "Ouverture le 12/03/2026 à 14 h."])
def test_numbers_that_are_not_phones_are_kept(text):
    assert mask(text) == text


def test_contact_columns_by_config_by_header_and_by_values():
    frame = pd.DataFrame({
        "Nom du ou de la répondant·e": ["Jean", "Anne"],
        "Courriel de contact": ["", ""],
        "Coordonnées": ["jean@x.fr", "06 12 34 56 78"],
        "Commentaire": ["Merci", "Bonne journée"],
    })
    found = contact_columns(frame, ["Nom du ou de la repondant.e"])
    assert found == ["Nom du ou de la répondant·e", "Courriel de contact", "Coordonnées"]
