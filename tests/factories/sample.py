"""Small synthetic passages / tags / questionnaire responses to draw the charts without data.

Deterministic (seeded). Used by the tests and to preview the charts before any ingestion;
the texts are obviously fictional and every chart drawn from them carries the demo notice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import contracts
from analysis.codebook import Codebook

VERBS = {
    "concret": "Nous financerons {n} actions nouvelles, avec un budget de {n}0 000 euros dès "
               "2027, pour le thème « {label} ».",
    "general": "Nous voulons renforcer notre action pour le thème « {label} ».",
    "mention": "Le thème « {label} » fait partie des sujets de la ville.",
    "restrictif": "Nous réduirons les dépenses consacrées au thème « {label} ».",
}


def sample_tables(
    codebook: Codebook,
    lists: list[str],
    not_answering: tuple[str, ...] = (),
    hostile: tuple[str, ...] = (),
    seed: int = 7,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(passages, tags, questionnaire_responses) for `lists`.

    Lists in `not_answering` get no questionnaire passages (answered False); lists in
    `hostile` get restrictive-only tags on the last three themes of the codebook.
    """
    rng = np.random.default_rng(seed)
    themes = codebook.theme_ids
    passages, tags, responses = [], [], []
    for li in lists:
        for source in contracts.SOURCES:
            if source == "questionnaire" and li in not_answering:
                continue
            n = int(rng.integers(12, 30)) if source == "programme" else 8
            for k in range(n):
                pid = f"{li}-{source[:1]}{k:03d}"
                theme = themes[int(rng.integers(0, len(themes)))]
                strength = str(rng.choice(contracts.STRENGTHS, p=[0.3, 0.4, 0.3]))
                stance = "favorable" if strength != "mention" else str(
                    rng.choice(["favorable", "neutre"])
                )
                if li in hostile and theme in themes[-3:]:
                    stance, strength = "restrictif", "general"
                key = "restrictif" if stance == "restrictif" else strength
                text = VERBS[key].format(n=k + 2, label=codebook.label_of(theme))
                path = (f"programmes/{li}/programme.pdf" if source == "programme"
                        else f"questionnaire/{li}.docx")
                passages.append({
                    "passage_id": pid, "list_id": li, "source": source,
                    "doc_id": f"{li}-{source}", "path": path,
                    "page": k // 4 + 1 if source == "programme" else None,
                    "section": "Solidarité",
                    "question_id": f"q{k % 8 + 1}" if source == "questionnaire" else None,
                    "text": text, "char_start": 0, "char_end": len(text),
                })
                tags.append({
                    "passage_id": pid, "theme_id": theme, "stance": stance,
                    "strength": strength, "evidence": codebook.label_of(theme).lower(),
                    "origin": "review" if k == 0 else "auto",
                })
        if li in hostile:
            for j, theme in enumerate(themes[-3:]):
                pid = f"{li}-hostile{j}"
                text = VERBS["restrictif"].format(n=0, label=codebook.label_of(theme))
                passages.append({
                    "passage_id": pid, "list_id": li, "source": "programme",
                    "doc_id": f"{li}-programme", "path": f"programmes/{li}/programme.pdf",
                    "page": 9, "section": "Sécurité", "question_id": None, "text": text,
                    "char_start": 0, "char_end": len(text),
                })
                tags.append({"passage_id": pid, "theme_id": theme, "stance": "restrictif",
                             "strength": "general", "evidence": "réduirons",
                             "origin": "auto"})
        answered = li not in not_answering
        responses.append({
            "list_id": li, "answered": answered, "channel": "formulaire" if answered else None,
            "date": "2026-02-12" if answered else None,
            "n_questions_answered": 8 if answered else 0, "n_words": 640 if answered else 0,
            "path": "questionnaire/export.csv" if answered else None,
        })
    p = pd.DataFrame(passages, columns=contracts.PASSAGES)
    t = pd.DataFrame(tags, columns=contracts.TAGS)
    t = t.drop_duplicates(["passage_id", "theme_id"])
    return p, t, pd.DataFrame(responses)


SAMPLE_CODEBOOK = {
    "name": "exemple", "version": "1",
    "axes": [{"id": "partenariat", "label": "Partenariat avec les associations"},
             {"id": "inclusion", "label": "Dynamique d'inclusion"},
             {"id": "protection", "label": "Protéger les plus fragiles"}],
    "themes": [
        {"id": "partenariat_associatif", "axis": "partenariat",
         "label": "Partenariat avec les associations"},
        {"id": "vie_democratique", "axis": "partenariat", "label": "Vie démocratique"},
        {"id": "acces_droits", "axis": "inclusion", "label": "Accès aux droits"},
        {"id": "acces_emploi", "axis": "inclusion", "label": "Freins à l'emploi"},
        {"id": "aide_alimentaire", "axis": "protection", "label": "Aide alimentaire"},
        {"id": "hebergement_urgence", "axis": "protection", "label": "Hébergement d'urgence"},
        {"id": "sans_abri", "axis": "protection", "label": "Personnes sans-abri"},
        {"id": "personnes_migrantes", "axis": "protection", "label": "Personnes migrantes"},
    ],
}


def write_sample_project(base, demo: bool = True, lists: int = 4, seed: int = 7):
    """A small self-contained project under `base` (config, codebook, processed tables).

    Returns the config file path. The third list does not answer the questionnaire, the
    last one has restrictive-only positions. For tests and for previewing the charts.
    """
    from pathlib import Path

    import yaml

    from analysis.codebook import load_codebook

    base = Path(base)
    (base / "processed").mkdir(parents=True, exist_ok=True)
    codebook_path = base / "codebook.yml"
    codebook_path.write_text(yaml.safe_dump(SAMPLE_CODEBOOK, allow_unicode=True),
                             encoding="utf-8")
    colours = ["#009E73", "#CC79A7", "#E69F00", "#0072B2", "#56B4E9", "#D55E00"]
    ids = [f"liste-{chr(97 + i)}" for i in range(lists)]
    config = {
        "demo": demo, "commune": "Exempleville",
        "collective": {"name": "Collectif d'exemple", "short": "Collectif d'exemple"},
        "election": {"name": "Municipales Exempleville 2026"}, "data_date": "2026-02-27",
        "codebook": str(codebook_path),
        "paths": {"raw": str(base / "raw"), "processed": str(base / "processed"),
                  "reports": str(base / "reports"), "reviews": str(base / "reviews")},
        "lists": [{"id": li, "name": f"Liste {chr(65 + i)} d'exemple", "colour": colours[i],
                   "head": f"Tête de liste {chr(65 + i)} (fictive)"}
                  for i, li in enumerate(ids)],
        "questionnaire": {"questions": [{"id": f"q{k}", "text": f"Question {k} ?"}
                                        for k in range(1, 9)]},
    }
    config_path = base / "config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    codebook = load_codebook(codebook_path)
    passages, tags, responses = sample_tables(
        codebook, ids, not_answering=(ids[2],) if lists > 2 else (),
        hostile=(ids[-1],), seed=seed,
    )
    passages.to_parquet(base / "processed" / "passages.parquet", index=False)
    tags.to_parquet(base / "processed" / "tags.parquet", index=False)
    responses.to_csv(base / "processed" / "questionnaire_responses.csv", index=False)
    return config_path
