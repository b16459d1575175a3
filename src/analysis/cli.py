"""`python -m analysis <command>`: one entry point per stage, same functions as the notebooks.

A stage command runs the stages `analysis.pipeline` gives it (`tag`: tag then review).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable

from analysis import pipeline
from analysis.common.errors import UserError
from analysis.config import Config, load_config


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="fichier YAML de configuration (défaut : config/demo.yml)")
    parser.add_argument("--raw", help="dossier des documents reçus (remplace paths.raw)")
    parser.add_argument("--processed", help="dossier des tables produites (paths.processed)")
    parser.add_argument("--reports", help="dossier des rapports (paths.reports)")
    parser.add_argument("--reviews", help="dossier des décisions de relecture (paths.reviews)")


def _config(args: argparse.Namespace) -> Config:
    return load_config(
        args.config, raw=args.raw, processed=args.processed,
        reports=args.reports, reviews=args.reviews,
    )


def _entry(module: str, name: str) -> Callable:
    """A function of a stage module, imported when the command runs (so that `tag --jsonl`
    does not load what other commands need)."""
    return getattr(importlib.import_module(module), name)


def _run(cfg: Config, args: argparse.Namespace) -> None:
    _entry("analysis.runner", "run_notebooks")(cfg, config_file=args.config)


def _stages(cfg: Config, args: argparse.Namespace) -> None:
    pipeline.run_command(cfg, args.command)


def _tag(cfg: Config, args: argparse.Namespace) -> None:
    if args.workers is not None and args.workers < 1:
        raise SystemExit("Erreur : --workers attend un nombre entier >= 1.")
    if args.jsonl:
        _entry(pipeline.stage("tag").module, "tag_jsonl")(cfg, sys.stdin, sys.stdout,
                                                          workers=args.workers)
    else:
        if args.workers is not None:  # read by the tag stage (analysis.tagging.stage)
            os.environ["BAROMETRE_WORKERS"] = str(args.workers)
        pipeline.run_command(cfg, "tag")


def _review_import(cfg: Config, args: argparse.Namespace) -> None:
    _entry(pipeline.stage("review").module, "run_review_import")(cfg, args.files)


def _suivi(cfg: Config, args: argparse.Namespace) -> None:
    _entry(pipeline.stage("suivi").module, "run")(cfg, args.liste)


def _suivi_import(cfg: Config, args: argparse.Namespace) -> None:
    _entry(pipeline.stage("suivi").module, "run_suivi_import")(cfg, args.files, args.liste)


def _bench(cfg: Config, args: argparse.Namespace) -> None:
    given = {k: v for k, v in (("words", args.words), ("seed", args.seed)) if v is not None}
    if args.scales is not None:
        try:
            given["scales"] = tuple(int(x) for x in args.scales.split(",") if x.strip() != "0")
        except ValueError:
            raise SystemExit("Erreur : --scales attend des nombres de mots séparés par des "
                             "virgules (ex. 500000,1000000), ou 0.") from None
    _entry("analysis.evaluation.bench", "run_bench")(cfg, config_file=args.config, **given)


COMMANDS: dict[str, tuple[str, Callable[[Config, argparse.Namespace], None]]] = {
    "run": ("exécuter tous les carnets dans l'ordre (papermill) vers reports/notebooks/", _run),
    "ingest": ("lire programmes et réponses -> passages.parquet, ingest_report.csv", _stages),
    "tag": ("étiqueter les passages (spaCy + codebook) -> tags.parquet ; --jsonl : filtre", _tag),
    "coverage": ("couverture par liste x thème x source -> coverage.parquet", _stages),
    "charts": ("graphiques (html, png, svg, csv) et reports/rapport.html", _stages),
    "export": ("classeur Excel pour la relecture par les associations", _stages),
    "review-import": ("importer des classeurs relus -> data/reviews/decisions.csv", _review_import),
    "questionnaire-template": ("questionnaire à envoyer aux listes (xlsx, docx)", _stages),
    "evaluate": ("mesurer l'étiqueteur sur le jeu annoté -> reports/metrics/", _stages),
    "suivi": ("après le vote : registre des engagements de la liste élue (xlsx, csv)", _suivi),
    "suivi-import": ("importer des registres de suivi remplis -> data/reviews/"
                     "suivi_historique.csv", _suivi_import),
    "bench": ("vitesse et mémoire de l'étiqueteur -> reports/metrics/bench.json", _bench),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Baromètre solidarité : analyse des programmes municipaux.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    for name, (help_text, func) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p)
        p.set_defaults(func=func)
        if name == "tag":
            p.add_argument("--jsonl", action="store_true",
                           help='lire {"id", "text"} par ligne (stdin), écrire les thèmes (stdout)')
            p.add_argument("--workers", type=int, metavar="N",
                           help="processus d'étiquetage (défaut : les cœurs disponibles)")
        if name == "review-import":
            p.add_argument("files", nargs="+", metavar="FICHIER.xlsx", help="classeur(s) relu(s)")
        if name in ("suivi", "suivi-import"):
            p.add_argument("--liste", metavar="ID",
                           help="liste suivie (défaut : mandate.elected de la configuration)")
        if name == "suivi-import":
            p.add_argument("files", nargs="+", metavar="FICHIER.xlsx", help="registre(s) rempli(s)")
        if name == "bench":
            p.add_argument("--words", type=int, help="taille du corpus (défaut : 250 000 mots)")
            p.add_argument("--seed", type=int, help="graine du tirage du corpus")
            p.add_argument("--scales", help="tailles du passage à l'échelle, en mots "
                           "(défaut : 500000,1000000,2000000 ; 0 : aucune)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        args.func(_config(args), args)
    except UserError as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    return 0
