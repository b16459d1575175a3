"""The measured accuracy (evaluation) and the reviewers' agreement, as the report shows them:
any metrics JSON rendered as French sentences and tables."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.config import Config
from analysis.publish.review_status import precision_text
from analysis.publish.wording import fmt_int, fr_number

METRIC_LABELS = {
    "precision": "précision", "recall": "rappel", "f1": "F1", "support": "effectif",
    "accuracy": "exactitude", "micro": "micro (tous thèmes)", "macro": "macro (moyenne des thèmes)",
    "stance_accuracy": "exactitude de la position", "restrictive_recall":
    "rappel des positions restrictives", "n": "effectif", "kappa": "kappa de Cohen",
    "tp": "vrais positifs", "fp": "faux positifs", "fn": "faux négatifs",
    "n_decisions": "décisions de relecture", "n_reviewers": "relecteurs",
    "n_machine_tags_reviewed": "étiquettes automatiques relues", "n_conflicts": "désaccords",
    "theme_id": "thème", "label": "thème", "reviewer_a": "relecteur A",
    "reviewer_b": "relecteur B", "n_units": "unités communes", "n_agree": "accords",
    "observed": "accord observé", "expected": "accord attendu",
    "micro_precision": "précision (micro)", "micro_recall": "rappel (micro)",
    "micro_f1": "F1 (micro)", "macro_precision": "précision (macro)",
    "macro_recall": "rappel (macro)", "macro_f1": "F1 (macro)",
    "n_passages": "passages annotés", "n_gold_units": "couples passage × thème annotés",
    "n_predicted_units": "couples passage × thème prédits", "n_themes_macro": "thèmes (macro)",
    "stance_confusion": "positions : annotée (ligne) et prédite (colonnes)",
    "n_gold_restrictive": "positions restrictives annotées",
    "restrictive_precision": "précision des positions restrictives",
    "n_no_theme_passages": "passages sans thème", "no_theme_false_alarm_rate":
    "fausses alertes sur les passages sans thème", "n_errors": "erreurs", "split": "jeu",
    "file": "fichier", "date": "date", "codebook": "référentiel", "unit": "unité",
    "per_theme": "par thème", "predicted": "prédits", "axis": "axe", "clé": "",
    "themes": "par thème", "pairs": "paires de relecteurs", "n_evalues": "évaluées",
    "n_valider": "validées", "n_rejeter": "rejetées", "n_corriger_theme": "thème corrigé",
    "n_corriger_position": "position corrigée",
}


def _label(key: str) -> str:
    return METRIC_LABELS.get(str(key), str(key).replace("_", " "))


def describe_metrics(doc: dict, codebook=None) -> dict:
    """Generic French rendering of a metrics JSON: sentences for scalars, tables for
    dicts/lists of records. Tolerant of the exact layout chosen by the metric writer."""
    sentences, tables, scalars = [], [], []
    for key, value in doc.items():
        if key in ("definitions", "generated_at"):
            continue
        if isinstance(value, (int, float, str, bool)) or value is None:
            scalars.append((_label(key), fr_number(value)))
        elif isinstance(value, dict) and all(
            not isinstance(v, (dict, list)) for v in value.values()
        ):
            scalars += [(f"{_label(key)} — {_label(k)}", fr_number(v)) for k, v in value.items()]
        elif isinstance(value, dict):
            records = [{"clé": k, **v} for k, v in value.items() if isinstance(v, dict)]
            tables.append(_table(_label(key), records, codebook))
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            tables.append(_table(_label(key), value, codebook))
    if scalars:
        tables.insert(0, {"title": "Mesures d'ensemble", "columns": ["mesure", "valeur"],
                          "rows": scalars})
    defs = doc.get("definitions")
    if isinstance(defs, dict):
        sentences += [f"{_label(k)} : {v}." for k, v in defs.items()]
    elif isinstance(defs, str) and defs.strip():
        sentences.append(defs.strip())
    return {"sentences": sentences, "tables": [t for t in tables if t["rows"]]}


def _table(title: str, records: list[dict], codebook=None) -> dict:
    columns = list(dict.fromkeys(k for r in records for k in r))
    if "label" in columns and "theme_id" in columns:
        columns.remove("theme_id")
    rows = []
    for r in records:
        row = []
        for c in columns:
            v = r.get(c)
            if c in ("clé", "theme_id") and codebook is not None and v in codebook.theme_ids:
                v = codebook.label_of(v)
            row.append(fr_number(v))
        rows.append(row)
    return {"title": title, "columns": [_label(c) for c in columns], "rows": rows}


def find_metric(doc: dict, *paths: tuple[str, ...]):
    """First value found at one of the key paths (e.g. ('micro', 'f1'))."""
    for path in paths:
        node = doc
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return node
    return None


def load_json(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return doc if isinstance(doc, dict) else None


def evaluation_section(cfg: Config, codebook) -> dict | None:
    doc = load_json(cfg.evaluation_test_path)
    if doc is None:
        return None
    out = describe_metrics(doc, codebook)
    p = find_metric(doc, ("micro", "precision"), ("micro_precision",), ("precision",))
    r = find_metric(doc, ("micro", "recall"), ("micro_recall",), ("recall",))
    f = find_metric(doc, ("micro", "f1"), ("micro_f1",), ("f1",))
    if p is not None and r is not None:
        lead = (f"Sur le jeu de test annoté à la main, l'étiquetage automatique trouve "
                f"{round(100 * r)} % des thèmes présents (rappel) et {round(100 * p)} % des "
                f"thèmes qu'il signale sont justes (précision)")
        lead += f" ; F1 = {fr_number(float(f))}{_interval(doc, 'micro_f1')}." if f is not None \
            else "."
        extra = []
        described = _test_set_description(doc)
        if described:
            extra.append(described)
        stance = find_metric(doc, ("stance_accuracy",))
        if stance is not None:
            extra.append(f"La position (favorable, neutre, restrictive) est juste pour "
                         f"{round(100 * stance)} % des thèmes bien trouvés.")
        restr = find_metric(doc, ("restrictive_recall",))
        if restr is not None:
            extra.append(f"Les positions restrictives sont les plus difficiles : "
                         f"{round(100 * restr)} % sont retrouvées ; une « position restrictive » "
                         "doit être vérifiée dans ses passages avant d'être citée.")
        out["sentences"][:0] = [lead, *extra]
    return out


def _interval(doc: dict, metric: str) -> str:
    """« (intervalle de confiance à 95 % : 0,68 à 0,74) » from the evaluation's bootstrap."""
    bounds = (doc.get("ci95") or {}).get(metric)
    if not bounds or len(bounds) != 2:
        return ""
    return (f" (intervalle de confiance à 95 % : {fr_number(float(bounds[0]))} à "
            f"{fr_number(float(bounds[1]))})")


def _test_set_description(doc: dict) -> str:
    """What the published figures were measured on, and whether the set is still frozen."""
    n, units = doc.get("n_passages"), doc.get("n_gold_units")
    if not n:
        return ""
    text = (f"Mesure faite sur {fmt_int(n)} passages ({fmt_int(units or 0)} couples passage × "
            "thème annotés par deux annotateurs indépendants puis arbitrés), jamais utilisés "
            "pour écrire les motifs")
    if doc.get("frozen") is False:
        text += " — ATTENTION : le fichier a changé depuis son gel, la mesure n'est plus "\
                "indépendante"
    return text + "."


def agreement_section(cfg: Config, codebook) -> dict | None:
    """Reviewers' agreement; a precision from reviews only with >= min_reviews reviewed tags
    (overall and per theme), always with its sample size and a 95 % interval."""
    doc = load_json(cfg.agreement_paths["json"])
    if doc is None:
        return None
    minimum = cfg.min_reviews_for_precision
    prec, n = doc.get("precision"), doc.get("n_machine_tags_reviewed")
    shown = dict(doc)
    shown.pop("precision", None)
    if isinstance(shown.get("themes"), list):
        shown["themes"] = [
            {**r, "precision": r.get("precision")
             if int(r.get("n_evalues") or 0) >= minimum else None}
            for r in shown["themes"] if isinstance(r, dict)
        ]
    out = describe_metrics(shown, codebook)
    sentences = []
    if n:
        sentences.append(f"Les bénévoles ont relu {fmt_int(n)} étiquettes automatiques.")
    sentences.append(precision_text(prec if isinstance(prec, (int, float)) else None, n,
                                    minimum))
    sentences.append(f"Une précision par thème n'est affichée qu'à partir de {minimum} "
                     "étiquettes relues sur ce thème (« — » sinon).")
    out["sentences"][:0] = sentences
    return out
