"""`python -m analysis <command>`: one entry point per stage, same functions as the notebooks."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

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


def _run(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.runner import run_notebooks

    run_notebooks(cfg, config_file=args.config)


def _ingest(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.ingest import run_ingest

    run_ingest(cfg)


def _tag(cfg: Config, args: argparse.Namespace) -> None:
    if args.jsonl:
        from analysis.tagging import tag_jsonl

        tag_jsonl(cfg, sys.stdin, sys.stdout)
    else:
        from analysis.tagging import run_tag

        run_tag(cfg)


def _coverage(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.coverage import run_coverage

    run_coverage(cfg)


def _charts(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.report import publish

    publish(cfg)


def _export(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.export import run_export

    run_export(cfg)


def _review_import(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.reviews import run_review_import

    run_review_import(cfg, args.files)


def _questionnaire_template(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.questionnaire import run_questionnaire_template

    run_questionnaire_template(cfg)


def _evaluate(cfg: Config, args: argparse.Namespace) -> None:
    from analysis.evaluation import run_evaluation

    run_evaluation(cfg)


COMMANDS: dict[str, tuple[str, Callable[[Config, argparse.Namespace], None]]] = {
    "run": ("exécuter tous les carnets dans l'ordre (papermill) vers reports/notebooks/", _run),
    "ingest": ("lire programmes et réponses -> passages.parquet, ingest_report.csv", _ingest),
    "tag": ("étiqueter les passages (spaCy + codebook) -> tags.parquet ; --jsonl : filtre", _tag),
    "coverage": ("couverture par liste x thème x source -> coverage.parquet", _coverage),
    "charts": ("graphiques (html, png, svg, csv) et reports/rapport.html", _charts),
    "export": ("classeur Excel pour la relecture par les associations", _export),
    "review-import": ("importer des classeurs relus -> data/reviews/decisions.csv", _review_import),
    "questionnaire-template": ("questionnaire à envoyer aux listes (xlsx, docx)",
                               _questionnaire_template),
    "evaluate": ("mesurer l'étiqueteur sur le jeu annoté -> reports/metrics/", _evaluate),
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
        if name == "review-import":
            p.add_argument("files", nargs="+", metavar="FICHIER.xlsx", help="classeur(s) relu(s)")
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
