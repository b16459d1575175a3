"""Train the tagger's statistical second opinion (see analysis/tagging/classifier.py).

    python scripts/train_classifier.py [--extra annotated.jsonl ...] [--out FILE]

Reads the *development* sets of data/eval/sets.yml (never a test set) and any extra
annotated JSONL files ({"text", "section", "themes": [{"id", "stance"}]}, e.g. real
programmes annotated outside the repository); refuses a file registered as a test set and
any passage whose text is in a test set. Fits, per theme with enough examples, a logistic
regression over TF-IDF word (1-2) and character (3-5, within words) n-grams of heading +
passage (scikit-learn), keeps the features the models use most, refits on them and writes
plain arrays (.npz) with the thresholds and the provenance of the training data.
Needs the dev extra (scikit-learn): `pip install -e '.[dev]'`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.tagging.classifier import (  # noqa: E402
    CHAR_NGRAMS,
    WORD_NGRAMS,
    char_ngrams,
    model_text,
    word_ngrams,
)

EVAL = ROOT / "data" / "eval"
OUT = ROOT / "config" / "codebooks" / "solidarite-classifier.npz"
MIN_POSITIVES = 8
C = 4.0


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def training_rows(extra: list[Path]) -> tuple[list[dict], list[dict]]:
    sets = yaml.safe_load((EVAL / "sets.yml").read_text(encoding="utf-8"))["sets"]
    tests = [EVAL / s["file"] for s in sets if s["role"] == "test"]
    test_texts = {" ".join(r["text"].split()) for p in tests for r in _read(p)}
    test_hashes = {_sha(p) for p in tests}
    files = [EVAL / s["file"] for s in sets if s["role"] == "dev"] + list(extra)
    rows, sources = [], []
    for path in files:
        if path.resolve() in {t.resolve() for t in tests} or _sha(path) in test_hashes:
            sys.exit(f"{path} est un jeu de test gelé : on n'entraîne jamais dessus.")
        got = _read(path)
        kept = [r for r in got if " ".join(r["text"].split()) not in test_texts]
        if len(kept) < len(got):
            # the same short line (« Nos propositions », a heading) in a test set: never
            # learnt from, so that no test passage is seen in training
            print(f"{path.name} : {len(got) - len(kept)} passage(s) identiques à un passage "
                  "d'un jeu de test, écartés de l'entraînement.")
        rows += kept
        sources.append({"file": path.name, "sha256": _sha(path), "passages": len(kept),
                        "left_out_as_in_a_test_set": len(got) - len(kept)})
    return rows, sources


def fit(rows: list[dict], vocabularies=None):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [model_text(r["text"], r.get("section")) for r in rows]
    wv, cv = vocabularies or (None, None)
    word = TfidfVectorizer(analyzer=word_ngrams, min_df=1 if wv else 2, sublinear_tf=True,
                           vocabulary=wv)
    char = TfidfVectorizer(analyzer=char_ngrams, min_df=1 if cv else 3, sublinear_tf=True,
                           vocabulary=cv)
    X = hstack([word.fit_transform(docs), char.fit_transform(docs)]).tocsr()
    gold = [{t["id"] for t in r.get("themes", [])} for r in rows]
    labels = sorted(t for t in {t for g in gold for t in g}
                    if sum(t in g for g in gold) >= MIN_POSITIVES)
    models = [LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
              .fit(X, np.array([t in g for g in gold])) for t in labels]
    return word, char, labels, models


def export(out: Path, word, char, labels, models, meta: dict) -> None:
    """Plain arrays, written atomically (read by analysis.tagging.classifier)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp, meta=np.array(json.dumps(meta, ensure_ascii=False)),
        labels=np.array(labels, dtype=str),
        word_vocab=np.array(word.get_feature_names_out().tolist(), dtype=str),
        char_vocab=np.array(char.get_feature_names_out().tolist(), dtype=str),
        word_idf=word.idf_, char_idf=char.idf_,
        coef=np.vstack([m.coef_[0] for m in models]).astype(np.float32),
        intercept=np.array([m.intercept_[0] for m in models]),
    )
    tmp.replace(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Entraîne le second avis statistique de "
                                             "l'étiqueteur (jeux de développement seulement).")
    ap.add_argument("--extra", nargs="*", type=Path, default=[],
                    help="autres fichiers annotés (JSONL text/section/themes)")
    ap.add_argument("--out", type=Path, default=OUT, help=f"fichier écrit (défaut : {OUT})")
    ap.add_argument("--features", type=int, default=40_000,
                    help="n-grammes gardés (les plus utilisés par les modèles)")
    # chosen on real lots whose errors the rules had not yet read (see data/eval/README.md)
    ap.add_argument("--veto-below", type=float, default=0.1,
                    help="un thème des règles est retiré sous cette probabilité")
    ap.add_argument("--add-above", type=float, default=0.7,
                    help="un thème manqué par les règles est ajouté au-dessus")
    ap.add_argument("--add-above-with-rules", type=float, default=0.9,
                    help="seuil d'ajout quand les règles ont déjà trouvé un autre thème au "
                         "passage (un thème voisin d'une proposition déjà lue)")
    ap.add_argument("--add-own-words-above", type=float, default=0.1,
                    help="un ajout demande aussi cette probabilité au passage lu sans son "
                         "titre de section (le titre ne fait jamais un thème à lui seul)")
    args = ap.parse_args(argv)
    import sklearn

    rows, sources = training_rows(args.extra)
    word, char, labels, models = fit(rows)
    coef = np.vstack([m.coef_[0] for m in models])
    keep = np.argsort(-np.abs(coef).max(axis=0))[: args.features]
    n_word = len(word.vocabulary_)
    names = np.concatenate([word.get_feature_names_out(), char.get_feature_names_out()])
    kept_words = sorted(str(names[i]) for i in keep if i < n_word)
    kept_chars = sorted(str(names[i]) for i in keep if i >= n_word)
    word, char, labels, models = fit(rows, (kept_words, kept_chars))
    meta = {
        "trained": dt.date.today().isoformat(), "scikit_learn": sklearn.__version__,
        "sources": sources, "passages": len(rows), "labels": labels,
        "word_ngrams": WORD_NGRAMS, "char_ngrams": CHAR_NGRAMS, "C": C,
        "min_positives": MIN_POSITIVES, "features": len(kept_words) + len(kept_chars),
        "veto_below": args.veto_below, "add_above": args.add_above,
        "add_above_with_rules": args.add_above_with_rules,
        "add_own_words_above": args.add_own_words_above,
    }
    export(args.out, word, char, labels, models, meta)
    print(f"{args.out} : {len(labels)} thèmes, {meta['features']} n-grammes, "
          f"{len(rows)} passages ({', '.join(s['file'] for s in sources)})")


if __name__ == "__main__":
    main()
