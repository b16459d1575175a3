"""Measure the automatic tagger on the hand-labelled passages of `data/eval/`.

The unit is a passage x theme pair (the guidelines are in `data/eval/README.md`):

- per theme: true positives (gold and predicted), false positives (predicted only), false
  negatives (gold only), precision, recall, F1 and support (number of gold units);
- micro P/R/F1: the same counts summed over themes; macro P/R/F1: the mean over the
  themes that have at least one gold unit (a theme never predicted counts 0 precision);
- stance accuracy: among true-positive units, the share whose predicted stance equals the
  gold stance;
- restrictive recall: among gold ``restrictif`` units, the share predicted with the same
  theme *and* the stance ``restrictif`` (restrictive precision is the converse);
- false alarms on passages with no gold theme (hard negatives, greetings).

`run_evaluation(cfg)` runs the tagger on `dev.jsonl` and `test.jsonl`, prints a French table
and writes `evaluation_<split>.json`, `per_theme_<split>.csv` and `erreurs_<split>.csv` to
`cfg.metrics_dir`. The dev split may be used to tune the codebook; the test split never.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from analysis.codebook import Codebook, load_codebook
from analysis.common.errors import UserError
from analysis.common.progress import summary
from analysis.common.safe_text import to_csv_safe
from analysis.config import DEFAULT_CONFIG, EVAL_DIR, PROJECT_ROOT, Config, load_config
from analysis.contracts import SOURCES, STANCES

SETS_FILE = "sets.yml"
SPLITS = ("dev", "test")      # the sets of a folder without sets.yml
ROLES = ("dev", "test")
EVAL_COLUMNS = ["id", "text", "section", "commune", "famille", "source", "themes", "note"]
REQUIRED_KEYS = ("id", "text", "themes")
PER_THEME_COLUMNS = [
    "theme_id", "axis", "label", "support", "predicted", "tp", "fp", "fn",
    "precision", "recall", "f1", "stance_accuracy",
]
ERROR_COLUMNS = [
    "passage_id", "theme_id", "error", "gold_stance", "predicted_stance", "evidence",
    "text", "note",
]
FALSE_POSITIVE, FALSE_NEGATIVE, WRONG_STANCE = "faux positif", "faux négatif", "position"
BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED = 1000, 2026

DEFINITIONS_FR = (
    "Unité : couple passage × thème. Précision = vrais positifs / prédits ; rappel = vrais "
    "positifs / annotés ; F1 = 2 VP / (2 VP + FP + FN). Micro : comptes sommés sur les thèmes ; "
    "macro : moyenne sur les thèmes ayant au moins un couple annoté (un thème jamais prédit "
    "compte 0 en précision). Position : part des vrais positifs dont la position prédite est "
    "celle annotée. Rappel restrictif : part des couples annotés « restrictif » prédits avec le "
    "même thème et la position « restrictif »."
)

# French headers of the CSV files (the frames keep English names, like every other table).
PER_THEME_FR = {
    "theme_id": "theme_id", "axis": "axe", "label": "thème", "support": "support (annotés)",
    "predicted": "prédits", "tp": "vrais positifs", "fp": "faux positifs",
    "fn": "faux négatifs", "precision": "précision", "recall": "rappel", "f1": "F1",
    "stance_accuracy": "exactitude de la position",
}
ERRORS_FR = {
    "passage_id": "passage", "theme_id": "theme_id", "error": "type d'erreur",
    "gold_stance": "position annotée", "predicted_stance": "position prédite",
    "evidence": "indice de l'étiqueteur", "text": "texte", "note": "note d'annotation",
}


# --------------------------------------------------------------------------- the sets
@dataclass(frozen=True)
class EvalSet:
    """One labelled set of `data/eval/sets.yml`: a test set is frozen by its sha256."""

    name: str
    file: str
    role: str                   # dev: the codebook may be tuned on it; test: never
    description: str = ""
    sha256: str | None = None   # digest of the file when it was frozen (test sets)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_sets(eval_dir: str | Path | None = None) -> tuple[list[EvalSet], str]:
    """The labelled sets of `eval_dir` and the name of the published one.

    Without a `sets.yml`, the folder holds `dev.jsonl` and `test.jsonl` (published: test).
    """
    eval_dir = Path(eval_dir or EVAL_DIR)
    registry = eval_dir / SETS_FILE
    if not registry.is_file():
        return [EvalSet(name, f"{name}.jsonl", name) for name in SPLITS], "test"
    try:
        data = yaml.safe_load(registry.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{registry} : YAML invalide ({exc}).") from exc
    sets = []
    for number, entry in enumerate(data.get("sets") or [], start=1):
        where = f"{registry.name}, jeu n° {number}"
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("file"):
            raise UserError(f"{where} : « name » et « file » sont obligatoires.")
        role = entry.get("role", "dev")
        if role not in ROLES:
            raise UserError(f"{where} : rôle « {role} » invalide ; attendu : {', '.join(ROLES)}.")
        if role == "test" and not entry.get("sha256"):
            raise UserError(f"{where} : un jeu de test doit être gelé (champ « sha256 »).")
        sets.append(EvalSet(str(entry["name"]), str(entry["file"]), role,
                            str(entry.get("description") or "").strip(),
                            entry.get("sha256")))
    names = [s.name for s in sets]
    if len(set(names)) != len(names) or not sets:
        raise UserError(f"{registry} : il faut au moins un jeu, chacun avec un nom unique.")
    published = data.get("published", "test")
    if published not in names:
        raise UserError(f"{registry} : « published: {published} » ne nomme aucun jeu.")
    return sets, published


def frozen_problems(eval_dir: str | Path | None = None) -> list[str]:
    """Test sets whose file changed since they were frozen (French messages)."""
    eval_dir = Path(eval_dir or EVAL_DIR)
    sets, _ = load_sets(eval_dir)
    return [
        f"{s.file} a changé depuis son gel (sha256 attendu {s.sha256[:12]}…) : un jeu de "
        "test ne se modifie jamais ; ajoutez un nouveau jeu plutôt."
        for s in sets
        if s.sha256 and (not (eval_dir / s.file).is_file()
                         or file_digest(eval_dir / s.file) != s.sha256)
    ]


# --------------------------------------------------------------------------- loading
def _default_codebook() -> Codebook:
    return load_codebook(load_config(DEFAULT_CONFIG).codebook_path)


def _parse_themes(value: Any, where: str, theme_ids: set[str]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise UserError(f"{where} : « themes » doit être une liste (éventuellement vide).")
    themes: list[dict[str, str]] = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or "id" not in item or "stance" not in item:
            raise UserError(
                f"{where} : chaque thème doit être un objet {{\"id\": ..., \"stance\": ...}} "
                f"(reçu : {item!r})."
            )
        theme_id, stance = item["id"], item["stance"]
        if theme_id not in theme_ids:
            raise UserError(
                f"{where} : thème inconnu « {theme_id} ». Utilisez un identifiant du codebook "
                f"(ex. {', '.join(sorted(theme_ids)[:3])}, …)."
            )
        if stance not in STANCES:
            raise UserError(
                f"{where} : position « {stance} » invalide pour « {theme_id} » ; "
                f"attendu : {', '.join(STANCES)}."
            )
        if theme_id in seen:
            raise UserError(f"{where} : le thème « {theme_id} » est annoté deux fois.")
        seen.add(theme_id)
        themes.append({"id": theme_id, "stance": stance})
    return themes


def load_eval_set(path: str | Path, codebook: Codebook | None = None) -> pd.DataFrame:
    """Read and validate one annotated JSONL file; one row per passage.

    Columns: id, text, commune, famille, source, themes (list of {"id", "stance"}), note.
    Theme ids are checked against `codebook` (default: the codebook of the demo config);
    any problem raises a UserError naming the file and the line.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(
            f"Jeu annoté introuvable : {path}. Il doit contenir une ligne JSON par passage "
            "(voir data/eval/README.md)."
        )
    codebook = codebook or _default_codebook()
    theme_ids = set(codebook.theme_ids)
    rows: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, ligne {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UserError(f"{where} : JSON invalide ({exc.msg}, colonne {exc.colno}).") from exc
        if not isinstance(record, dict):
            raise UserError(f"{where} : chaque ligne doit être un objet JSON.")
        missing = [k for k in REQUIRED_KEYS if k not in record]
        if missing:
            raise UserError(f"{where} : champ(s) manquant(s) {', '.join(missing)}.")
        pid, text = record["id"], record["text"]
        if not isinstance(pid, str) or not pid.strip():
            raise UserError(f"{where} : « id » doit être un texte non vide.")
        if pid in first_line:
            raise UserError(
                f"{where} : identifiant « {pid} » déjà utilisé ligne {first_line[pid]}."
            )
        if not isinstance(text, str) or not text.strip():
            raise UserError(f"{where} : « text » est vide.")
        source = record.get("source", "programme")
        if source not in SOURCES:
            raise UserError(f"{where} : source « {source} » invalide ; attendu : "
                            f"{', '.join(SOURCES)}.")
        first_line[pid] = number
        rows.append({
            "id": pid, "text": text, "section": record.get("section") or None,
            "commune": record.get("commune", ""),
            "famille": record.get("famille", ""), "source": source,
            "themes": _parse_themes(record["themes"], where, theme_ids),
            "note": record.get("note", ""),
        })
    if not rows:
        raise UserError(f"{path.name} : aucun passage. Ajoutez une ligne JSON par passage.")
    return pd.DataFrame(rows, columns=EVAL_COLUMNS)


# --------------------------------------------------------------------------- scoring
def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _gold_units(gold: pd.DataFrame) -> dict[tuple[str, str], str]:
    units: dict[tuple[str, str], str] = {}
    for pid, themes in zip(gold["id"], gold["themes"], strict=True):
        for t in themes:
            units[(pid, t["id"])] = t["stance"]
    return units


def _predicted_units(
    ids: Iterable[str], predicted: Mapping[str, list[dict]]
) -> dict[tuple[str, str], dict]:
    """Predictions restricted to the gold passages; the first finding per theme wins."""
    units: dict[tuple[str, str], dict] = {}
    for pid in ids:
        for found in predicted.get(pid) or []:
            units.setdefault((pid, found["id"]), found)
    return units


def _theme_order(codebook: Codebook | None, gold_units, pred_units) -> list[str]:
    """Codebook order first, then any other theme met (e.g. a tagger's unknown id)."""
    ids = list(codebook.theme_ids) if codebook else []
    seen = {t for _, t in gold_units} | {t for _, t in pred_units}
    return ids + sorted(seen - set(ids))


def _per_theme(order, gold_units, pred_units, codebook) -> pd.DataFrame:
    rows = []
    for theme in order:
        gold = {k: v for k, v in gold_units.items() if k[1] == theme}
        pred = {k: v for k, v in pred_units.items() if k[1] == theme}
        tp_keys = gold.keys() & pred.keys()
        tp, fp, fn = len(tp_keys), len(pred.keys() - gold.keys()), len(gold.keys() - pred.keys())
        same = sum(pred[k].get("stance") == gold[k] for k in tp_keys)
        known = codebook is not None and theme in codebook.theme_ids
        rows.append({
            "theme_id": theme,
            "axis": codebook.axis_of(theme) if known else "",
            "label": codebook.label_of(theme) if known else "(hors codebook)",
            "support": len(gold), "predicted": len(pred), "tp": tp, "fp": fp, "fn": fn,
            "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "f1": _ratio(2 * tp, 2 * tp + fp + fn), "stance_accuracy": _ratio(same, tp),
        })
    return pd.DataFrame(rows, columns=PER_THEME_COLUMNS)


def _errors(gold: pd.DataFrame, gold_units, pred_units) -> pd.DataFrame:
    texts = dict(zip(gold["id"], gold["text"], strict=True))
    notes = dict(zip(gold["id"], gold["note"].fillna(""), strict=True))
    rows = []
    for key in sorted(gold_units.keys() | pred_units.keys()):
        g, p = gold_units.get(key), pred_units.get(key)
        if g is not None and p is not None and p.get("stance") == g:
            continue
        error = FALSE_NEGATIVE if p is None else FALSE_POSITIVE if g is None else WRONG_STANCE
        rows.append({
            "passage_id": key[0], "theme_id": key[1], "error": error,
            "gold_stance": g or "", "predicted_stance": (p or {}).get("stance") or "",
            "evidence": (p or {}).get("evidence") or "", "text": texts[key[0]],
            "note": notes[key[0]],
        })
    return pd.DataFrame(rows, columns=ERROR_COLUMNS)


def _unit_counts(ids, gold_units, pred_units, order) -> list[list[tuple[int, int, int, int]]]:
    """Per passage: (theme index, tp, fp, fn) rows, for resampling passages."""
    index = {t: i for i, t in enumerate(order)}
    per_passage: dict[str, list[tuple[int, int, int, int]]] = {pid: [] for pid in ids}
    for key in gold_units.keys() | pred_units.keys():
        pid, theme = key
        if pid not in per_passage:
            continue
        g, p = key in gold_units, key in pred_units
        per_passage[pid].append((index[theme], int(g and p), int(p and not g), int(g and not p)))
    return [per_passage[pid] for pid in ids]


def bootstrap_intervals(
    ids: list[str], gold_units, pred_units, order: list[str],
    n_resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
) -> dict[str, list[float] | None]:
    """95 % percentile intervals of micro P/R/F1 and macro F1, passages resampled with
    replacement (`n_resamples` times, fixed seed: the same data gives the same interval).

    Macro F1 in a resample is the mean over the themes with gold units in that resample.
    """
    import numpy as np

    rows = _unit_counts(ids, gold_units, pred_units, order)
    n, k = len(rows), len(order)
    if n == 0 or k == 0:
        return {m: None for m in ("micro_precision", "micro_recall", "micro_f1", "macro_f1")}
    counts = np.zeros((n, 3, k))
    for i, units in enumerate(rows):
        for theme, tp, fp, fn in units:
            counts[i, :, theme] += (tp, fp, fn)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(n_resamples, n))
    out = {m: [] for m in ("micro_precision", "micro_recall", "micro_f1", "macro_f1")}
    for draw in draws:
        tp, fp, fn = counts[draw].sum(axis=0)            # each: per theme
        ttp, tfp, tfn = tp.sum(), fp.sum(), fn.sum()
        # a resample with no unit at all leaves the ratio undefined (nan, not counted)
        out["micro_precision"].append(ttp / (ttp + tfp) if ttp + tfp else np.nan)
        out["micro_recall"].append(ttp / (ttp + tfn) if ttp + tfn else np.nan)
        out["micro_f1"].append(2 * ttp / (2 * ttp + tfp + tfn) if ttp + tfp + tfn else np.nan)
        has_gold = (tp + fn) > 0
        f1 = np.divide(2 * tp, 2 * tp + fp + fn, out=np.zeros(k), where=(2 * tp + fp + fn) > 0)
        out["macro_f1"].append(float(f1[has_gold].mean()) if has_gold.any() else np.nan)
    return {
        m: ([float(np.nanpercentile(v, 2.5)), float(np.nanpercentile(v, 97.5))]
            if not np.isnan(v).all() else None)
        for m, v in ((m, np.asarray(v, dtype=float)) for m, v in out.items())
    }


def score(
    gold: pd.DataFrame,
    predicted: Mapping[str, list[dict]],
    codebook: Codebook | None = None,
    *,
    intervals: bool = True,
) -> dict[str, Any]:
    """Compare predictions with the gold annotations (passage x theme units).

    `gold` has at least the columns id, text, themes (as returned by `load_eval_set`);
    `predicted` maps a passage id to the tagger's findings ({"id", "stance", ...}); ids
    absent from `predicted` count as "no theme found", ids absent from `gold` are ignored.
    Returns scalar metrics, `per_theme` (DataFrame, PER_THEME_COLUMNS), `errors`
    (DataFrame, ERROR_COLUMNS: false positives, false negatives, wrong stances) and, unless
    `intervals` is False, `ci95`: bootstrap 95 % intervals (see `bootstrap_intervals`).
    """
    gold = gold.copy()
    if "note" not in gold.columns:
        gold["note"] = ""
    gold_units = _gold_units(gold)
    pred_units = _predicted_units(gold["id"], predicted)
    order = _theme_order(codebook, gold_units, pred_units)
    per_theme = _per_theme(order, gold_units, pred_units, codebook)

    tp, fp, fn = (int(per_theme[c].sum()) for c in ("tp", "fp", "fn"))
    scored = per_theme[per_theme["support"] > 0]
    macro = {
        m: (float(scored[m].fillna(0.0).mean()) if len(scored) else None)
        for m in ("precision", "recall", "f1")
    }
    tp_keys = gold_units.keys() & pred_units.keys()
    same_stance = sum(pred_units[k].get("stance") == gold_units[k] for k in tp_keys)
    gold_restr = {k for k, s in gold_units.items() if s == "restrictif"}
    pred_restr = {k for k, p in pred_units.items() if p.get("stance") == "restrictif"}
    empty_ids = [pid for pid, th in zip(gold["id"], gold["themes"], strict=True) if not th]
    alarms = sum(bool(predicted.get(pid)) for pid in empty_ids)
    confusion = {
        g: {p: sum(1 for k in tp_keys if gold_units[k] == g and pred_units[k].get("stance") == p)
            for p in STANCES}
        for g in STANCES
    }
    return {
        "n_passages": int(len(gold)),
        "n_gold_units": len(gold_units),
        "n_predicted_units": len(pred_units),
        "tp": tp, "fp": fp, "fn": fn,
        "micro_precision": _ratio(tp, tp + fp),
        "micro_recall": _ratio(tp, tp + fn),
        "micro_f1": _ratio(2 * tp, 2 * tp + fp + fn),
        "macro_precision": macro["precision"],
        "macro_recall": macro["recall"],
        "macro_f1": macro["f1"],
        "n_themes_macro": int(len(scored)),
        "stance_accuracy": _ratio(same_stance, len(tp_keys)),
        "stance_confusion": confusion,
        "n_gold_restrictive": len(gold_restr),
        "restrictive_recall": _ratio(len(gold_restr & pred_restr), len(gold_restr)),
        "restrictive_precision": _ratio(len(gold_restr & pred_restr), len(pred_restr)),
        "n_no_theme_passages": len(empty_ids),
        "no_theme_false_alarm_rate": _ratio(alarms, len(empty_ids)),
        "ci95": (bootstrap_intervals(list(gold["id"]), gold_units, pred_units, order)
                 if intervals else {}),
        "per_theme": per_theme,
        "errors": _errors(gold, gold_units, pred_units),
    }


# --------------------------------------------------------------------------- error analysis
def worst_themes(result: dict[str, Any], n: int = 5) -> pd.DataFrame:
    """The `n` themes with the lowest F1 among those with gold units (ties: most errors)."""
    per_theme = result["per_theme"]
    scored = per_theme[per_theme["support"] > 0].assign(errors=lambda d: d["fp"] + d["fn"])
    return scored.sort_values(["f1", "errors"], ascending=[True, False]).head(n)


def error_summary(result: dict[str, Any]) -> pd.DataFrame:
    """Errors counted per theme and type (columns: faux positif, faux négatif, position)."""
    errors = result["errors"]
    table = errors.groupby(["theme_id", "error"]).size().unstack(fill_value=0)
    table = table.reindex(columns=[FALSE_POSITIVE, FALSE_NEGATIVE, WRONG_STANCE], fill_value=0)
    return table.assign(total=table.sum(axis=1)).sort_values("total", ascending=False)


def error_sample(result: dict[str, Any], n: int = 10, seed: int = 0) -> pd.DataFrame:
    """Up to `n` false positives and `n` false negatives, drawn reproducibly, for reading."""
    errors = result["errors"]
    parts = [
        group.sample(min(n, len(group)), random_state=seed)
        for kind, group in errors.groupby("error", sort=False)
        if kind in (FALSE_POSITIVE, FALSE_NEGATIVE)
    ]
    if not parts:
        return errors.head(0)
    return pd.concat(parts).sort_values(["error", "theme_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------- reporting
def fr_number(value: float | None, digits: int = 2) -> str:
    """0.8123 -> '0,81'; None -> '—' (undefined ratio)."""
    if value is None or pd.isna(value):
        return "—"
    return f"{value:.{digits}f}".replace(".", ",")


def fr_interval(ci: Mapping[str, Any], metric: str) -> str:
    """' [0,78 – 0,86]' for a bootstrap 95 % interval, '' when there is none."""
    bounds = ci.get(metric) if ci else None
    if not bounds:
        return ""
    return f" [IC 95 % {fr_number(bounds[0])} – {fr_number(bounds[1])}]"


def format_table(result: dict[str, Any], split: str) -> str:
    """The French text table printed by `run_evaluation`."""
    per_theme = result["per_theme"]
    width = max([len(str(x)) for x in per_theme["label"]] + [5])
    lines = [
        f"Évaluation de l'étiqueteur — jeu « {split} » : {result['n_passages']} passages, "
        f"{result['n_gold_units']} couples passage × thème annotés",
        f"{'Thème':<{width}}  {'support':>7}  {'prédits':>7}  {'précision':>9}  "
        f"{'rappel':>6}  {'F1':>5}",
    ]
    for row in per_theme.itertuples():
        lines.append(
            f"{row.label:<{width}}  {row.support:>7}  {row.predicted:>7}  "
            f"{fr_number(row.precision):>9}  {fr_number(row.recall):>6}  {fr_number(row.f1):>5}"
        )
    ci = result.get("ci95") or {}
    lines += [
        f"Micro : précision {fr_number(result['micro_precision'])}"
        f"{fr_interval(ci, 'micro_precision')}, "
        f"rappel {fr_number(result['micro_recall'])}{fr_interval(ci, 'micro_recall')}, "
        f"F1 {fr_number(result['micro_f1'])}{fr_interval(ci, 'micro_f1')}",
        f"Macro ({result['n_themes_macro']} thèmes) : précision "
        f"{fr_number(result['macro_precision'])}, rappel {fr_number(result['macro_recall'])}, "
        f"F1 {fr_number(result['macro_f1'])}{fr_interval(ci, 'macro_f1')}",
        f"Position juste sur les thèmes trouvés : {fr_number(result['stance_accuracy'])} ; "
        f"rappel des positions restrictives : {fr_number(result['restrictive_recall'])} "
        f"(sur {result['n_gold_restrictive']})",
        f"Passages sans thème étiquetés à tort : "
        f"{fr_number(result['no_theme_false_alarm_rate'])} "
        f"(sur {result['n_no_theme_passages']})",
    ]
    return "\n".join(lines)


def _json_ready(result: dict[str, Any], split: str, codebook: Codebook, path: Path) -> dict:
    scalars = {k: v for k, v in result.items() if k not in ("per_theme", "errors")}
    per_theme = result["per_theme"].astype(object).where(result["per_theme"].notna(), None)
    return {
        "split": split,
        "file": path.relative_to(PROJECT_ROOT).as_posix() if path.is_relative_to(PROJECT_ROOT)
        else str(path),
        "date": dt.date.today().isoformat(),
        "codebook": codebook.fingerprint,
        "unit": "passage x thème",
        "definitions": DEFINITIONS_FR,
        **scalars,
        "n_errors": int(len(result["errors"])),
        "per_theme": per_theme.to_dict(orient="records"),
    }


def write_outputs(result: dict[str, Any], split: str, metrics_dir: Path,
                  codebook: Codebook, source: Path) -> list[Path]:
    """Write evaluation_<split>.json, per_theme_<split>.csv, erreurs_<split>.csv."""
    metrics_dir.mkdir(parents=True, exist_ok=True)
    json_path = metrics_dir / f"evaluation_{split}.json"
    json_path.write_text(
        json.dumps(_json_ready(result, split, codebook, source), ensure_ascii=False, indent=2),
        encoding="utf-8",
    )
    per_theme = to_csv_safe(result["per_theme"].rename(columns=PER_THEME_FR),
                            metrics_dir / f"per_theme_{split}.csv")
    errors = to_csv_safe(result["errors"].rename(columns=ERRORS_FR),
                         metrics_dir / f"erreurs_{split}.csv")
    return [json_path, per_theme, errors]


# --------------------------------------------------------------------------- running
def _tagger(cfg: Config):
    try:
        from analysis.tagging import Tagger
    except ModuleNotFoundError as exc:
        if exc.name not in ("analysis.tagging",):
            raise
        raise UserError(
            "L'étiqueteur (analysis.tagging) est introuvable : l'évaluation ne peut pas tourner."
        ) from exc
    return Tagger.from_config(cfg)


def evaluate_split(cfg: Config, split: str, tagger: Any = None,
                   eval_dir: str | Path | None = None,
                   codebook: Codebook | None = None) -> dict[str, Any]:
    """Tag one labelled set with the tagger, score it, print the table, write its metrics.

    `tagger` (default: `Tagger.from_config(cfg)`), `eval_dir` (default: data/eval) and
    `codebook` (default: the config's) can be given, e.g. by tests.
    """
    eval_dir = Path(eval_dir or EVAL_DIR)
    sets, published = load_sets(eval_dir)
    by_name = {s.name: s for s in sets}
    if split not in by_name:
        raise UserError(f"Jeu « {split} » inconnu : choisissez parmi {', '.join(by_name)}.")
    entry = by_name[split]
    codebook = codebook or load_codebook(cfg.codebook_path)
    path = eval_dir / entry.file
    gold = load_eval_set(path, codebook)
    tagger = tagger or _tagger(cfg)
    found = tagger.tag_texts(gold["text"].tolist(), sections=gold["section"].tolist()) \
        if _takes_sections(tagger) else tagger.tag_texts(gold["text"].tolist())
    if len(found) != len(gold):
        raise RuntimeError(f"tagger returned {len(found)} results for {len(gold)} texts")
    result = score(gold, dict(zip(gold["id"], found, strict=True)), codebook)
    result.update({
        "role": entry.role, "published": split == published, "description": entry.description,
        "frozen": (file_digest(path) == entry.sha256) if entry.sha256 else None,
    })
    print(format_table(result, split), flush=True)
    if result["frozen"] is False:
        print(f"ATTENTION : {entry.file} a changé depuis son gel ; ses chiffres ne valent "
              "plus mesure indépendante.", flush=True)
    paths = write_outputs(result, split, cfg.metrics_dir, codebook, path)
    result["outputs"] = paths
    summary(
        "evaluate",
        f"{split} : F1 micro {fr_number(result['micro_f1'])}, macro "
        f"{fr_number(result['macro_f1'])}, position {fr_number(result['stance_accuracy'])}, "
        f"rappel restrictif {fr_number(result['restrictive_recall'])} "
        f"({result['n_passages']} passages) -> {paths[0].parent}",
    )
    return result


def _takes_sections(tagger: Any) -> bool:
    import inspect

    try:
        return "sections" in inspect.signature(tagger.tag_texts).parameters
    except (TypeError, ValueError):
        return False


def run_evaluation(cfg: Config, split: str | None = None, tagger: Any = None,
                   eval_dir: str | Path | None = None,
                   codebook: Codebook | None = None) -> dict[str, Any]:
    """Evaluate the tagger on the labelled sets of `data/eval/` (see `sets.yml`).

    With a set name, returns that set's result (see `score`, plus `outputs`). Without one
    (the `python -m analysis evaluate` default), evaluates every set with the same tagger
    and returns {name: result}.
    """
    if split is not None:
        return evaluate_split(cfg, split, tagger, eval_dir, codebook)
    codebook = codebook or load_codebook(cfg.codebook_path)
    tagger = tagger or _tagger(cfg)
    sets, _ = load_sets(eval_dir)
    return {s.name: evaluate_split(cfg, s.name, tagger, eval_dir, codebook) for s in sets}
