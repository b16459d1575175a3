"""`python -m analysis <command>`: one entry point per stage, same functions as the notebooks.

A stage command runs the stages `analysis.pipeline` gives it (`tag`: tag then review).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Callable

from analysis import pipeline
from analysis.common.errors import UserError
from analysis.config import Config, load_config

# argparse's own words, in French (argparse looks `_` up in its module at each call)
_FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (possibles : %(choices)s)",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "expected one argument": "une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "invalid %(type)s value: %(value)r": "valeur %(value)r invalide (type attendu : %(type)s)",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "impossible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
}
_english = argparse._


def _french(message: str) -> str:
    return _FRENCH.get(message, _english(message))


argparse._ = _french


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FICHIER",
                        help="fichier YAML de configuration (défaut : config/demo.yml, la "
                             "démonstration fictive)")
    parser.add_argument("--raw", metavar="DOSSIER",
                        help="dossier des documents reçus (remplace paths.raw)")
    parser.add_argument("--processed", metavar="DOSSIER",
                        help="dossier des tables produites (paths.processed)")
    parser.add_argument("--reports", metavar="DOSSIER",
                        help="dossier des rapports (paths.reports)")
    parser.add_argument("--reviews", metavar="DOSSIER",
                        help="dossier des décisions de relecture (paths.reviews)")


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
    if args.prepare:
        _entry("analysis.tagging.prepare", "prepare")(cfg, workers=args.workers)
    elif args.jsonl:
        _entry(pipeline.stage("tag").module, "tag_jsonl")(cfg, sys.stdin, sys.stdout,
                                                          workers=args.workers)
    else:
        if args.workers is not None:  # read by the tag stage (analysis.tagging.stage)
            os.environ["BAROMETRE_WORKERS"] = str(args.workers)
        pipeline.run_command(cfg, "tag")
    # the process ends here: its last garbage collection would walk the whole spaCy model
    # for nothing (about 0.4 s); what is alive now is left to the end of the process
    gc.freeze()


def _export(cfg: Config, args: argparse.Namespace) -> None:
    split = ("association" if args.par_association else "liste" if args.par_liste
             else "axe" if args.par_axe else None)
    _entry(pipeline.stage("workbook").module, "run_export")(cfg, split=split, bundle=args.zip)


def _review_import(cfg: Config, args: argparse.Namespace) -> None:
    _entry(pipeline.stage("review").module, "run_review_import")(cfg, args.files)


def _suivi(cfg: Config, args: argparse.Namespace) -> None:
    _entry(pipeline.stage("suivi").module, "run")(cfg, args.liste)


def _suivi_import(cfg: Config, args: argparse.Namespace) -> None:
    _entry(pipeline.stage("suivi").module, "run_suivi_import")(cfg, args.files, args.liste)


def _bench(cfg: Config, args: argparse.Namespace) -> None:
    given = {k: v for k, v in (("words", args.words), ("seed", args.seed),
                               ("repeat", args.repeat)) if v is not None}
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
    "export": ("classeur Excel pour la relecture par les associations ; --par-association : "
               "un classeur par association", _export),
    "review-import": ("importer des classeurs relus -> <reviews>/decisions.csv", _review_import),
    "questionnaire-template": ("questionnaire à envoyer aux listes (xlsx, docx)", _stages),
    "evaluate": ("mesurer l'étiqueteur sur le jeu annoté -> reports/metrics/", _stages),
    "suivi": ("après le vote : registre des engagements de la liste élue (xlsx, csv)", _suivi),
    "suivi-import": ("importer des registres de suivi remplis -> <reviews>/"
                     "suivi_historique.csv", _suivi_import),
    "bench": ("vitesse et mémoire de l'étiqueteur -> reports/metrics/bench.json", _bench),
}
INIT_HELP = ("créer une nouvelle analyse (une autre commune) : configuration commentée, "
             "dossiers, étapes suivantes")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Baromètre solidarité : analyse des programmes municipaux.",
        epilog="Aide d'une commande : python -m analysis COMMANDE --help. Nouvelle commune : "
               "python -m analysis init --commune \"Ma Commune\" --dossier projets/ma-commune",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", title="commandes")
    init = sub.add_parser("init", help=INIT_HELP, description=INIT_HELP)
    init.add_argument("--commune", required=True,
                      help="nom de la commune (ex. « Villeneuve-sur-Lot »)")
    init.add_argument("--dossier", required=True, metavar="DOSSIER",
                      help="dossier de la nouvelle analyse (ex. projets/villeneuve) ; créé s'il "
                           "n'existe pas, jamais écrasé")
    init.add_argument("--copier-codebook", action="store_true",
                      help="copier la grille des thèmes (codebook) dans le dossier, pour "
                           "l'adapter sans toucher à celle du projet")
    init.set_defaults(func=None, init=True)
    for name, (help_text, func) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        _common(p)
        p.set_defaults(func=func)
        if name == "tag":
            p.add_argument("--jsonl", action="store_true",
                           help='lire {"id", "text"} par ligne (stdin), écrire les thèmes (stdout)')
            p.add_argument("--workers", type=int, metavar="N",
                           help="processus d'étiquetage (défaut : les cœurs disponibles)")
            p.add_argument("--prepare", action="store_true",
                           help="préparer seulement le démarrage rapide (fait par make setup) "
                                ": codebook compilé et expressions de spaCy dans le cache "
                                "partagé ($BAROMETRE_CACHE, sinon ~/.cache/barometre-"
                                "solidarite), sans rien étiqueter")
        if name == "review-import":
            p.add_argument("files", nargs="+", metavar="FICHIER.xlsx", help="classeur(s) relu(s)")
        if name in ("suivi", "suivi-import"):
            p.add_argument("--liste", metavar="ID",
                           help="liste suivie (défaut : mandate.elected de la configuration)")
        if name == "suivi-import":
            p.add_argument("files", nargs="+", metavar="FICHIER.xlsx",
                           help="registre(s) rempli(s)")
        if name == "bench":
            p.add_argument("--words", type=int, metavar="N",
                           help="taille du corpus (défaut : 250 000 mots)")
            p.add_argument("--seed", type=int, metavar="N", help="graine du tirage du corpus")
            p.add_argument("--scales", help="tailles du passage à l'échelle, en mots "
                           "(défaut : 500000,1000000,2000000 ; 0 : aucune)")
            p.add_argument("--repeat", type=int, metavar="N",
                           help="paires pipeline complet / étiqueteur mesurées tour à tour "
                                "(défaut : 2)")
        if name == "export":
            split = p.add_mutually_exclusive_group()
            split.add_argument("--par-association", action="store_true",
                               help="en plus, un classeur par association de la section "
                                    "« reviewers: » de la configuration, avec ses seuls thèmes")
            split.add_argument("--par-liste", action="store_true",
                               help="en plus, un classeur par liste candidate")
            split.add_argument("--par-axe", action="store_true",
                               help="en plus, un classeur par axe de la lettre du collectif")
            p.add_argument("--zip", action="store_true",
                           help="écrire aussi, à côté de chaque classeur, un dossier de relecture "
                                ".zip avec les documents sources (liens relatifs)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "init", False):
        try:
            _entry("analysis.init", "init_project")(args.commune, args.dossier,
                                                    copy_codebook=args.copier_codebook)
        except UserError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 2
        return 0
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
