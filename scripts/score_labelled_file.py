"""Score the tagger on any labelled JSONL file (a real lot kept outside the repository, a
collective's own set), without registering it in data/eval/sets.yml.

    .venv/bin/python scripts/score_labelled_file.py LOT.jsonl [--par document]
        [--erreurs erreurs.csv] [--config config/demo.yml]

Same format and checks as data/eval (one JSON line per passage: id, text, themes, optional
section); same scores as `make eval` (micro, macro, bootstrap 95 % intervals, per theme).
`--par COLUMN` adds one line per value of a column of the file (document, commune...).
Nothing is written unless `--erreurs` is given. A set scored here is read, not frozen:
its errors must not be read before it is measured if it is to count as unseen.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.codebook import load_codebook
from analysis.common.errors import UserError
from analysis.config import load_config
from analysis.evaluation.scoring import format_table, fr_interval, fr_number, load_eval_set, score
from analysis.tagging import Tagger


def _line(name: str, result: dict) -> str:
    ci = result.get("ci95") or {}
    return (f"{name} : {result['n_passages']} passages, {result['n_gold_units']} unités ; "
            f"précision {fr_number(result['micro_precision'])}, rappel "
            f"{fr_number(result['micro_recall'])}, F1 {fr_number(result['micro_f1'])}"
            f"{fr_interval(ci, 'micro_f1')} ; positions restrictives retrouvées "
            f"{fr_number(result['restrictive_recall'])} (sur {result['n_gold_restrictive']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure l'étiqueteur sur un fichier annoté "
                                                 "quelconque (format de data/eval).")
    parser.add_argument("fichier", type=Path, help="fichier JSONL annoté")
    parser.add_argument("--config", default="config/demo.yml",
                        help="configuration (son codebook est celui mesuré)")
    parser.add_argument("--par", metavar="COLONNE",
                        help="une ligne de plus par valeur de cette colonne du fichier")
    parser.add_argument("--erreurs", type=Path, metavar="CSV",
                        help="écrire les erreurs (faux positifs, faux négatifs, positions)")
    args = parser.parse_args(argv)
    try:
        cfg = load_config(args.config)
        codebook = load_codebook(cfg.codebook_path)
        gold = load_eval_set(args.fichier, codebook)
        found = Tagger.from_config(cfg).tag_texts(gold["text"].tolist(),
                                                  sections=gold["section"].tolist())
    except UserError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    predicted = dict(zip(gold["id"], found, strict=True))
    result = score(gold, predicted, codebook)
    print(format_table(result, args.fichier.name))
    if args.par:
        raw = {}
        for line in args.fichier.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                raw[record["id"]] = str(record.get(args.par, "—"))
        groups = gold["id"].map(raw)
        for value in sorted(groups.unique()):
            print(_line(f"{args.par} = {value}", score(gold[groups == value], predicted,
                                                       codebook)))
    if args.erreurs:
        result["errors"].to_csv(args.erreurs, index=False)
        print(f"Erreurs : {args.erreurs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
