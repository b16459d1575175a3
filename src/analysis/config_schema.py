"""Every key of a configuration, written once: the validator, the reference and the template.

`SCHEMA` describes each key of the YAML config (type, required or not, default, French
description, allowed values, references to the lists or the codebook). From it:

- :func:`check_config` checks a config like a form, one French line per mistake naming the
  key, the value and what is allowed (unknown keys included), before any stage runs;
  :func:`check_references` then checks the ids that point to the lists and the codebook;
- :func:`reference_markdown` writes `docs/configuration.md`
  (`python scripts/make_config_reference.py`; a test fails when the committed file differs);
- :func:`config_template` writes the commented config of `python -m analysis init`.

A key the validator accepts is therefore always documented, and a documented key always
checked.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import webcolors
import yaml

from analysis.common.text import normalise_name

TEXT_HINT = "un texte entre guillemets"
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
FILE_NAME_RE = re.compile(r"^[\w][\w .()-]{0,99}$")
MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z!][^>]*>|&#?\w+;")


@dataclass(frozen=True)
class Key:
    """One key of the config.

    kind: bool, text, date, path, slug, colour, filename, number, integer, texts (a list of
    texts), mapping (sub-keys in `children`), items (a list of mappings, each with the
    `children` keys). `allowed` is what an error message says is allowed; `ref` names what
    the value must be an id of ("lists", "themes", "axes"); `unique` makes the value unique
    among the entries of its list (the text says so); `example` is YAML shown in the
    reference and, commented, in the template.
    """

    name: str
    kind: str
    doc: str
    required: bool = False
    default: Any = None
    children: tuple[Key, ...] = ()
    allowed: str = ""
    ref: str = ""
    unique: str = ""
    example: str = ""
    title: str = ""          # heading of the key's own section in the reference
    note: str = ""           # paragraph after that section's table
    also_text: bool = False  # a mapping that may also be written as one text
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    label_by: str = ""       # items: the child whose value names an entry in messages
    one_of: tuple[str, ...] = ()  # items: at least one of these children is required
    empty: str = ""          # items: the message when the list is empty (then required)

    def child(self, name: str) -> Key:
        return next(k for k in self.children if k.name == name)


LIST_ID = ("un identifiant court en minuscules, chiffres, - ou _ (sans point, barre, espace "
           "ni accent ; ex. ville-solidaire) : il nomme le dossier programmes/<id>/ des documents "
           "et les fichiers de sortie")

SCHEMA: tuple[Key, ...] = (
    Key("demo", "bool", default=False, doc=(
        "`true` seulement pour les données fictives d'exemple livrées avec l'outil "
        "(`config/demo.yml`, dossiers `data/demo/`) : chaque graphique, export et rapport "
        "dit alors que les données sont fictives. Une vraie analyse écrit `false` ; si elle "
        "visait un dossier de ces données fictives (repéré par le fichier `.donnees_fictives`), "
        "elle serait refusée."), ),
    Key("collective", "mapping", also_text=True, title="le collectif qui publie", doc=(
        "le collectif qui publie : son nom figure dans la ligne source de chaque graphique et "
        "dans le classeur. Un simple texte vaut pour `name` et `short`."), children=(
        Key("name", "text", doc="nom complet du collectif (ligne source des graphiques, "
                                "classeur, rapport)"),
        Key("short", "text", doc="nom court, là où la place manque (graphiques)"),
    )),
    Key("commune", "text", required=True, doc="la commune analysée (titres, classeur)."),
    Key("election", "mapping", required=True, title="l'élection", doc=(
        "l'élection : nom affiché et dates des tours."), children=(
        Key("name", "text", doc="nom affiché de l'élection (titres du rapport, du classeur et "
                                "du questionnaire) ; défaut : le nom de la commune"),
        Key("round1", "date", doc="date du premier tour, `AAAA-MM-JJ` (questionnaire : date "
                                  "limite de réponse ; suivi : début par défaut)"),
        Key("round2", "date", doc="date du second tour, `AAAA-MM-JJ` (suivi : début du "
                                  "mandat par défaut)"),
    )),
    Key("data_date", "date", doc=(
        "date de collecte des documents, `AAAA-MM-JJ`, en sous-titre de chaque graphique "
        "(« date non renseignée » sinon) ; à mettre à jour à chaque nouvelle collecte.")),
    Key("codebook", "path", required=True, doc=(
        "la grille des thèmes (thèmes, axes, motifs) : `config/codebooks/solidarite.yml`, ou "
        "une copie à adapter (`init --copier-codebook`). Le codebook est vérifié avec la "
        "configuration, avant toute étape.")),
    Key("paths", "mapping", title="où sont les documents et où vont les résultats", doc=(
        "les dossiers de l'analyse, relatifs à la racine du projet (ou absolus) ; aucun ne "
        "peut sortir du projet par `..`."), note=(
        "En ligne de commande, `--raw`, `--processed`, `--reports`, `--reviews` remplacent ces "
        "chemins pour une exécution."), children=(
        Key("raw", "path", default="data/raw", doc=(
            "documents reçus, jamais modifiés : `programmes/<id_de_liste>/`, `questionnaire/` "
            "(export du formulaire, courriers) et `suivi/` (registres de suivi remplis, "
            "importés à chaque exécution)")),
        Key("processed", "path", default="data/processed", doc=(
            "tables recalculées à chaque analyse (passages, étiquettes, couverture, registre "
            "des engagements) et le cache de l'étiqueteur")),
        Key("reports", "path", default="reports", doc=(
            "rapport, graphiques, fiches, classeurs (`exports/`), mesures (`metrics/`), "
            "suivi (`suivi/`) ; une vraie analyse (`demo: false`) ne peut pas prendre le "
            "dossier `reports` des données fictives d'exemple")),
        Key("reviews", "path", default="data/reviews", doc=(
            "le travail des relecteurs, à garder (git) : `decisions.csv`, `conflits.csv`, "
            "`orphelins.csv`, et l'historique du suivi (`suivi_historique.csv`, "
            "`suivi_engagements.csv`)")),
    )),
    Key("exports", "mapping", title="le classeur de relecture", doc="le classeur de relecture.",
        children=(
            Key("workbook", "filename", default="barometre_solidarite", allowed=(
                "écrire un simple nom de fichier sans dossier ni extension (lettres, chiffres, "
                "espaces, - et _ ; ex. barometre_solidarite) : le classeur est toujours écrit "
                "dans reports/exports/"), doc=(
                "nom du classeur de relecture, sans `.xlsx`, écrit dans `<reports>/exports/` "
                "(suivi de `_DEMO_donnees_fictives` sur les données fictives) ; les classeurs "
                "par association vont dans `<reports>/exports/par_association/`")),
        )),
    Key("lists", "items", required=True, label_by="id", title="une entrée par liste candidate",
        empty="lists est vide : décrire au moins une liste (id, name).",
        allowed="attendu un dictionnaire avec au moins id et name", doc=(
            "les listes candidates, au moins une : `init` écrit une liste vide, et les "
            "commandes s'arrêtent sur « lists est vide » tant qu'aucune n'est décrite."), note=(
            "Un dossier `programmes/<id>/` sans entrée ici est lu quand même, avec un "
            "avertissement."), example="""\
lists:
  - id: liste-a
    name: "Nom de la liste A"
    head: "Prénom Nom"
    colour: "#0072B2"
    political_family: ""
    aliases: ["Liste A"]""", children=(
            Key("id", "slug", required=True, allowed=LIST_ID, unique=(
                "chaque liste a un identifiant unique"), doc=(
                "identifiant court (minuscules, chiffres, `-`, `_`), unique : c'est le nom du "
                "dossier `<raw>/programmes/<id>/` et du courrier `<raw>/questionnaire/<id>.pdf` "
                "(ou `.docx`)")),
            Key("name", "text", required=True, doc="nom affiché (graphiques, rapport, "
                                                   "classeur)"),
            Key("head", "text", doc="tête de liste (fiches, rapport)"),
            Key("colour", "colour", default="#777777", doc=(
                "couleur de la liste dans les graphiques : `\"#RRGGBB\"` entre guillemets, ou "
                "un nom de couleur CSS anglais (`darkgreen`)")),
            Key("political_family", "text", doc="famille politique (affichée dans les fiches)"),
            Key("aliases", "texts", allowed=(
                "attendu une liste de noms, même pour un seul : aliases: [\"Liste A\"]"), doc=(
                "autres écritures du nom, **en liste** (`[\"Liste A\", \"A 2026\"]`), pour "
                "reconnaître la liste dans l'export du formulaire et les courriers ; la casse, "
                "les accents et les espaces sont déjà ignorés")),
        )),
    Key("questionnaire", "mapping", title="le questionnaire envoyé aux listes", doc=(
        "le questionnaire envoyé aux listes : l'export du formulaire et les questions."),
        children=(
            Key("form", "mapping", title="l'export du formulaire en ligne (xlsx ou csv)", doc=(
                "les colonnes de l'export du formulaire en ligne (xlsx ou csv, une ligne par "
                "liste, une colonne par question)"), children=(
                Key("list_column", "text", doc=(
                    "en-tête de la colonne qui donne le nom de la liste (reconnu par `name` ou "
                    "`aliases`)")),
                Key("date_column", "text", doc=(
                    "en-tête de l'horodatage : si une liste a répondu deux fois, la réponse la "
                    "plus récente l'emporte")),
                Key("contact_columns", "texts", allowed=(
                    "attendu une liste d'en-têtes : [\"Adresse e-mail\", \"Téléphone\"]"), doc=(
                    "en-têtes des colonnes de contact (e-mail, téléphone, nom du répondant), en "
                    "liste : **jamais** copiées dans les tables ni les rapports")),
            )),
            Key("questions", "items", title="une entrée par question",
                allowed="attendu un dictionnaire avec id et text", doc=(
                    "les questions posées, une entrée par question"), children=(
                    Key("id", "slug", required=True, allowed=(
                        "un identifiant court en minuscules (ex. q1)"), unique=(
                        "chaque question a un identifiant unique"), doc=(
                        "`q1`, `q2`… (unique) ; sert aussi à découper les courriers sur "
                        "« Question 2 », « Q2 », « 2. »")),
                    Key("text", "text", required=True, doc=(
                        "la question posée (questionnaire à envoyer, classeur)")),
                    Key("axis", "text", ref="axes", doc=(
                        "l'axe de la question : un identifiant d'axe du codebook "
                        "(`partenariat`, `inclusion`, `protection` pour le codebook par "
                        "défaut)")),
                    Key("column", "text", unique="une colonne par question", doc=(
                        "en-tête de la colonne de cette question dans l'export du formulaire")),
                )),
        )),
    Key("reviewers", "items", title="la relecture partagée", one_of=("themes", "axes"),
        allowed=("attendu une association : « - name: … » avec themes et/ou axes (voir "
                 "docs/configuration.md)"), doc=(
            "la relecture partagée : un classeur par association "
            "(`python -m analysis export --par-association`)."), note=(
            "`python -m analysis export --par-association` écrit, en plus du classeur commun, "
            "un classeur par entrée avec ses seuls thèmes (et ses seules listes si `lists` est "
            "donné). Au retour, `python -m analysis review-import` prend tous les fichiers à la "
            "fois, dit quelle part des étiquettes a reçu une décision (par thème) et liste les "
            "désaccords entre relecteurs. Sans section `reviewers`, `--par-liste` (un classeur "
            "par liste) et `--par-axe` (un par axe) restent possibles ; `--zip` joint les "
            "documents sources à chaque classeur. Un thème relu par aucune association est "
            "signalé à l'export (il reste dans le classeur commun)."), example="""\
reviewers:
  - name: "Banque alimentaire"
    themes: [aide_alimentaire, aide_materielle]
  - name: "Accueil de nuit"
    themes: [hebergement_urgence, sans_abri]
  - name: "Association d'accueil des personnes migrantes"
    axes: [protection]
    lists: [liste-a, liste-b]""", children=(
            Key("name", "text", required=True, doc="nom de l'association, affiché sur son "
                                                   "classeur"),
            Key("file", "text", doc=(
                "partie du nom de fichier de son classeur (défaut : tirée de `name`) ; unique")),
            Key("themes", "texts", ref="themes", allowed=(
                "n'est pas une liste ; écrire une liste d'identifiants : themes: [\"a\", \"b\"]"),
                doc=("identifiants de thèmes (colonne `theme_id` de la feuille « Thèmes » du "
                     "classeur) ; `themes` et/ou `axes` sont obligatoires")),
            Key("axes", "texts", ref="axes", allowed=(
                "n'est pas une liste ; écrire une liste d'identifiants : axes: [\"a\", \"b\"]"),
                doc="identifiants d'axes du codebook : tous leurs thèmes"),
            Key("lists", "texts", ref="lists", allowed=(
                "n'est pas une liste ; écrire une liste d'identifiants : lists: [\"a\", \"b\"]"),
                doc="identifiants de listes (`lists[].id`) ; défaut : toutes"),
        )),
    Key("review", "mapping", title="seuils de la relecture", doc=(
        "seuils de la relecture affichés dans le rapport et les graphiques."), children=(
        Key("threshold", "number", default=0.8, minimum=0, maximum=1, exclusive_minimum=True,
            allowed="une part entre 0 et 1 (ex. 0.8 pour 80 %)", doc=(
                "part des étiquettes relues (entre 0 et 1) à partir de laquelle une source "
                "peut dire « analyse relue »")),
        Key("min_reviews_for_precision", "integer", default=30, minimum=0, allowed=(
            "un nombre entier positif ou nul (ex. 30)"), doc=(
            "nombre d'étiquettes relues en dessous duquel aucune précision issue de la "
            "relecture n'est affichée")),
    )),
    Key("mandate", "mapping", title="après le vote, le suivi des engagements", doc=(
        "après le vote, le suivi des engagements de la liste élue "
        "(`python -m analysis suivi`) ; sans `elected`, pas de suivi."), note=(
        "`python -m analysis suivi --liste <id>` suit une autre liste sans modifier la "
        "configuration. Les registres remplis par les bénévoles se déposent dans "
        "`<raw>/suivi/` (ou s'importent avec `python -m analysis suivi-import`) ; "
        "l'historique des statuts est dans `<reviews>/suivi_historique.csv`."),
        example="""\
mandate:
  elected: liste-a
  start: 2026-03-29
  years: 6""", children=(
            Key("elected", "slug", ref="list_name", allowed=LIST_ID, doc=(
                "l'`id` de la liste élue (une des `lists`)")),
            Key("start", "date", doc=(
                "date d'installation du conseil, `AAAA-MM-JJ` (défaut : `election.round2`, "
                "sinon `election.round1`)")),
            Key("years", "integer", default=6, minimum=1, maximum=10, allowed=(
                "un nombre d'années entre 1 et 10 (6 pour un mandat municipal)"), doc=(
                "durée du mandat en années")),
        )),
)

TOP_KEYS = {k.name for k in SCHEMA}
REQUIRED = tuple(k.name for k in SCHEMA if k.required)


def key_at(path: str) -> Key:
    """The key at a dotted path (`paths.raw`, `questionnaire.questions.id`)."""
    keys, found = SCHEMA, None
    for part in path.split("."):
        found = next(k for k in keys if k.name == part)
        keys = found.children
    assert found is not None
    return found


def default(path: str) -> Any:
    """The default value of a key, as documented."""
    return key_at(path).default


def walk(keys: tuple[Key, ...] = SCHEMA, prefix: str = ""):
    """(dotted path, key) for every key of the schema, parents first."""
    for key in keys:
        path = f"{prefix}.{key.name}" if prefix else key.name
        yield path, key
        yield from walk(key.children, path)


# --- the validator -----------------------------------------------------------------------

def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"« {value} »"
    return text if len(text) <= 80 else text[:77] + "…"


def _type_fr(value: Any) -> str:
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, dict):
        return "un dictionnaire"
    if isinstance(value, list):
        return "une liste"
    if value is None:
        return "vide"
    if isinstance(value, int | float):
        return "un nombre"
    return "un texte"


def colour_hex(value: str) -> str | None:
    """The colour as written when it is a #hex code, its hex code for a CSS name, or None
    when it is not a CSS colour."""
    text = value.strip()
    try:
        if text.startswith("#"):
            webcolors.normalize_hex(text)
            return text  # as written (the charts keep the analyst's spelling)
        return webcolors.name_to_hex(text.lower())
    except ValueError:
        return None


@dataclass
class _Checker:
    """Collects one French line per mistake: key, value, what is allowed."""

    source: Path
    root: Path
    errors: list[str] = field(default_factory=list)
    refs: list[tuple[str, Any, str]] = field(default_factory=list)

    def line(self, text: str) -> None:
        self.errors.append(f"{self.source.name} : {text}")

    def error(self, key: str, value: Any, allowed: str) -> None:
        self.line(f"{key} vaut {_shown(value)} : {allowed}.")

    def text(self, key: str, value: Any, *, required: bool = False) -> bool:
        """A scalar text (numbers accepted as text); False after reporting a mistake."""
        if value is None:
            if required:
                self.line(f"{key} manquant : écrire {TEXT_HINT}.")
            return not required
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, value, f"{_type_fr(value)} n'est pas accepté ici, écrire {TEXT_HINT}")
            return False
        if required and not str(value).strip():
            self.line(f"{key} est vide : écrire {TEXT_HINT}.")
            return False
        if isinstance(value, str) and MARKUP_RE.search(value):
            self.error(key, value, "le balisage HTML (<a …>, <b>, &amp;…) n'est pas accepté, "
                                   "écrire le texte simple tel qu'il doit s'afficher")
            return False
        return True

    def date(self, key: str, value: Any) -> None:
        if isinstance(value, dt.date):
            return
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            self.error(key, value, "ce n'est pas une date AAAA-MM-JJ qui existe (ex. 2026-03-15)")

    def path(self, key: str, value: Any, required: bool) -> None:
        if not self.text(key, value, required=required) or value is None:
            return
        path = Path(str(value))
        if not str(value).strip():
            self.error(key, value, "chemin vide")
        elif not path.is_absolute() and not (self.root / path).resolve().is_relative_to(
                self.root):
            self.error(key, value, "ce chemin relatif sort du projet (..) : écrire un chemin "
                                   "dans le projet (ex. data/raw) ou un chemin absolu")

    def number(self, key: Key, where: str, value: Any) -> None:
        integer = key.kind == "integer"
        ok = isinstance(value, int if integer else int | float) and not isinstance(value, bool)
        if ok and key.minimum is not None:
            ok = value > key.minimum if key.exclusive_minimum else value >= key.minimum
        if ok and key.maximum is not None:
            ok = value <= key.maximum
        if not ok:
            self.error(where, value, f"attendu {key.allowed}")

    # one key, any kind ------------------------------------------------------------------
    def value(self, key: Key, where: str, value: Any) -> None:
        kind = key.kind
        if kind == "bool":
            if not isinstance(value, bool):
                self.error(where, value, f"écrire {key.name}: true ou {key.name}: false, sans "
                                         "guillemets")
        elif kind == "text":
            if self.text(where, value, required=key.required) and key.ref and value is not None:
                self.refs.append((where, value, key.ref))
        elif kind == "path":
            self.path(where, value, key.required)
        elif kind == "date":
            if value is not None:
                self.date(where, value)
        elif kind == "slug":
            if value is None and not key.required:
                return
            if value is None or isinstance(value, bool) or not isinstance(value, str | int) \
                    or not SLUG_RE.match(str(value)):
                self.error(where, value, key.allowed)
            elif key.ref:
                self.refs.append((where, value, key.ref))
        elif kind == "colour":
            if value is not None and (not isinstance(value, str) or colour_hex(value) is None):
                self.error(where, value, "une couleur CSS : code hexadécimal entre guillemets "
                           "(ex. \"#009E73\") ou nom anglais (green, darkred…)")
        elif kind == "filename":
            if value is not None and self.text(where, value) and (
                    not FILE_NAME_RE.match(str(value)) or ".." in str(value)):
                self.error(where, value, key.allowed)
        elif kind in ("number", "integer"):
            if value is not None:
                self.number(key, where, value)
        elif kind == "texts":
            self.texts(key, where, value)
        elif kind == "mapping":
            if key.also_text and not isinstance(value, dict):
                self.text(where, value)
            elif value is not None:
                self.mapping(key, where, value)
        elif kind == "items":
            self.items(key, where, value)
        else:  # pragma: no cover - a schema mistake, caught by the tests
            raise ValueError(f"unknown kind {kind!r} for {where}")

    def texts(self, key: Key, where: str, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.error(where, value, key.allowed)
            return
        for k, one in enumerate(value):
            if self.text(f"{where}[{k}]", one, required=True) and key.ref:
                self.refs.append((f"{where}[{k}]", one, key.ref))

    def mapping(self, key: Key, where: str, value: Any) -> None:
        names = [k.name for k in key.children]
        if not isinstance(value, dict):
            self.error(where, value, f"{_type_fr(value)} ; attendu des sous-clés "
                                     f"({', '.join(sorted(names))})")
            return
        self.keys(key.children, value, where)

    def keys(self, keys: tuple[Key, ...], data: dict, where: str) -> None:
        names = [k.name for k in keys]
        for extra in sorted(set(map(str, data)) - set(names)):
            self.line(f"clé inconnue {where}.{extra} ; clés possibles : "
                      f"{', '.join(sorted(names))}.")
        for child in keys:
            self.value(child, f"{where}.{child.name}", data.get(child.name))

    def items(self, key: Key, where: str, value: Any) -> None:
        if value is None or value == []:
            if key.empty and (value is not None or key.required):
                self.line(key.empty)
            return
        if not isinstance(value, list):
            self.error(where, value, f"{_type_fr(value)} ; attendu une liste (une ligne "
                                     "« - … » par élément, ou [\"a\", \"b\"])")
            return
        seen: dict[str, dict[str, int]] = {k.name: {} for k in key.children if k.unique}
        for i, item in enumerate(value):
            at = f"{where}[{i}]"
            if not isinstance(item, dict):
                self.error(at, item, key.allowed)
                continue
            label = item.get(key.label_by) if key.label_by else None
            if isinstance(label, str | int) and not isinstance(label, bool):
                at = f"{at} ({label})"
            self.keys(key.children, item, at)
            if key.one_of and not any(item.get(k) for k in key.one_of):
                self.line(f"{at} : indiquer {' et/ou '.join(key.one_of)}.")
            for child in key.children:
                one = item.get(child.name)
                if not child.unique or not isinstance(one, str | int) or isinstance(one, bool) \
                        or (child.kind == "slug" and not SLUG_RE.match(str(one))):
                    continue
                norm = normalise_name(str(one))
                if norm in seen[child.name]:
                    self.error(f"{at}.{child.name}", one, f"déjà pris par {where}"
                               f"[{seen[child.name][norm]}] : {child.unique}")
                seen[child.name].setdefault(norm, i)


def check_config(data: dict, source: Path, root: Path) -> list[str]:
    """Every mistake of a config (already a dict), one French line each; relative paths
    must stay inside `root`. The ids that refer to the lists or the codebook are checked by
    :func:`check_references` once the codebook is loaded."""
    return _check(data, source, root).errors


def _check(data: dict, source: Path, root: Path) -> _Checker:
    c = _Checker(source, root)
    for key in sorted(set(map(str, data)) - TOP_KEYS):
        c.line(f"clé inconnue '{key}'. Clés possibles : {sorted(TOP_KEYS)}.")
    for key in SCHEMA:
        if key.required and key.name not in data:
            c.line(f"clé obligatoire manquante : {key.name}.")
        elif key.name in data:
            c.value(key, key.name, data[key.name])
    return c


def check_references(data: dict, source: Path, root: Path, axes: list[str],
                     themes: list[str]) -> list[str]:
    """The ids of the config that must exist: a question's axis and a reviewer's axes and
    themes in the codebook, a reviewer's lists and the elected list among `lists`."""
    c = _check(data, source, root)
    lists = [item for item in data.get("lists") or [] if isinstance(item, dict)]
    list_ids = [str(item.get("id")) for item in lists]
    names = {normalise_name(str(x)) for item in lists
             for x in (item.get("id"), item.get("name"), *(item.get("aliases") or []))
             if isinstance(x, str | int)}
    errors = []
    for where, value, ref in c.refs:
        if ref == "axes" and str(value) not in axes:
            errors.append(f"{source.name} : {where} vaut {_shown(value)} : axe inconnu du "
                          f"codebook ; axes possibles : {', '.join(axes)}.")
        elif ref == "themes" and str(value) not in themes:
            errors.append(f"{source.name} : {where} vaut {_shown(value)} : thème inconnu du "
                          f"codebook ; thèmes possibles : {', '.join(themes)}.")
        elif ref == "lists" and str(value) not in list_ids:
            errors.append(f"{source.name} : {where} vaut {_shown(value)} : liste inconnue ; "
                          f"listes possibles : {', '.join(list_ids)}.")
        elif ref == "list_name" and normalise_name(str(value)) not in names:
            errors.append(f"{source.name} : {where} vaut {_shown(value)} : liste inconnue ; "
                          f"listes possibles : {', '.join(list_ids)}.")
    return errors


# --- the reference (docs/configuration.md) -----------------------------------------------

KIND_FR = {
    "bool": "booléen (`true`, `false`)", "text": "texte", "date": "date `AAAA-MM-JJ`",
    "path": "chemin", "slug": "identifiant", "colour": "couleur", "filename": "nom de fichier",
    "number": "nombre", "integer": "nombre entier", "texts": "liste de textes",
    "mapping": "sous-clés", "items": "liste d'entrées",
}
INTRO = """\
# Référence de la configuration

<!-- Fichier généré par `python scripts/make_config_reference.py` depuis le validateur
     (src/analysis/config_schema.py) : ne pas le modifier à la main. -->

Une analyse = un fichier YAML. `python -m analysis init --commune "…" --dossier projets/…`
en écrit un, commenté, avec ses dossiers ; `config/demo.yml` est celui de la démonstration
fictive. La configuration est lue et vérifiée avant toute étape : une clé inconnue, une
valeur du mauvais type ou une référence inexistante (liste, thème, axe) arrête la commande
sur une ligne en français qui nomme la clé, la valeur et ce qui est permis.

Cette page est écrite à partir du validateur lui-même (`src/analysis/config_schema.py`) : une
clé acceptée est décrite ici, une clé décrite ici est vérifiée ; un test échoue si elle
diffère du validateur. Les chemins relatifs sont pris depuis la racine du projet (le dossier
du `Makefile`).
"""
OUTRO = """\
## Lancer une analyse

```bash
make report CONFIG=projets/ma-commune/config.yml
# ou, étape par étape :
.venv/bin/python -m analysis run --config projets/ma-commune/config.yml
.venv/bin/python -m analysis export --config projets/ma-commune/config.yml --par-association --zip
```
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default_md(key: Key) -> str:
    if key.default is None:
        return "—"
    if isinstance(key.default, bool):
        return f"`{str(key.default).lower()}`"
    return f"`{key.default}`"


def _title(path: str, key: Key) -> str:
    return f"`{path}`" + (f" — {key.title}" if key.title else "")


def _type_md(key: Key, path: str) -> str:
    text = KIND_FR[key.kind]
    if key.kind in ("mapping", "items") and key.children:
        text += " : " + ", ".join(f"`{k.name}`" for k in key.children)
        text = f"[{text}](#{_anchor(_title(path, key))})"
    if key.also_text:
        text += ", ou un texte"
    one = {"axes": "un axe du codebook", "themes": "un thème du codebook",
           "lists": "un `id` de `lists`", "list_name": "un `id` de `lists`"}
    many = {"axes": "des axes du codebook", "themes": "des thèmes du codebook",
            "lists": "des `id` de `lists`"}
    if key.ref:
        text += f" ({(many if key.kind == 'texts' else one)[key.ref]})"
    return text


def _required_md(key: Key, parent: Key | None) -> str:
    if key.required:
        return "oui"
    if parent is not None and key.name in parent.one_of:
        return " et/ou ".join(f"`{k}`" for k in parent.one_of)
    return "non"


def _anchor(title: str) -> str:
    """The anchor GitHub and most Markdown viewers give a heading."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def _table(keys: tuple[Key, ...], prefix: str, parent: Key | None) -> list[str]:
    rows = ["| clé | obligatoire | type | défaut | rôle |", "|---|---|---|---|---|"]
    for key in keys:
        path = f"{prefix}.{key.name}" if prefix else key.name
        doc = key.doc[0].upper() + key.doc[1:] if key.doc else ""
        rows.append(f"| `{key.name}` | {_required_md(key, parent)} | "
                    f"{_cell(_type_md(key, path))} | {_cell(_default_md(key))} | "
                    f"{_cell(doc)} |")
    return rows


def reference_markdown() -> str:
    """docs/configuration.md, written from the schema."""
    out = [INTRO, "## Clés de premier niveau", "", *_table(SCHEMA, "", None), ""]
    for path, key in walk():
        if not key.children:
            continue
        out += [f"## {_title(path, key)}", ""]
        if key.kind == "items":
            out += [f"Une entrée par élément de la liste `{path}` ; chaque entrée a les clés :",
                    ""]
        out += _table(key.children, path, key) + [""]
        if key.note:
            out += [textwrap.fill(key.note, 92, break_on_hyphens=False), ""]
        if key.example:
            out += ["```yaml", key.example, "```", ""]
    out.append(OUTRO)
    return "\n".join(out)


# --- the commented template of `init` ----------------------------------------------------

NBSP = "\u00a0"


def _comment(text: str, indent: str, hang: str = "", width: int = 92) -> list[str]:
    """`text` as wrapped YAML comments; French spaces before : ; » and after « do not break."""
    plain = text.replace("**", "")
    plain = plain[:1].upper() + plain[1:]
    for a, b in ((" :", NBSP + ":"), (" ;", NBSP + ";"), ("« ", "«" + NBSP),
                 (" »", NBSP + "»")):
        plain = plain.replace(a, b)
    return textwrap.wrap(plain, width - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}# {hang}", break_on_hyphens=False,
                         break_long_words=False)


def _scalar(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)   # a JSON string is a YAML string
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True,
                          width=10_000).strip().removesuffix("...").strip()


def _doc_line(key: Key) -> str:
    text = key.doc
    if key.default is not None and key.kind not in ("mapping", "items"):
        shown = _scalar(key.default)
        text = (f"{text} Défaut : {shown}." if text.endswith(".")
                else f"{text} (défaut : {shown})")
    return text


def _children_comments(key: Key, indent: str) -> list[str]:
    """For a list of entries: one comment line per key of an entry."""
    out = []
    for child in key.children:
        out += _comment(f"- {child.name} : {_doc_line(child)}", indent, hang="  ")
    return out


def _template_keys(keys: tuple[Key, ...], values: dict, indent: str) -> list[str]:
    out: list[str] = []
    for key in keys:
        if indent == "":
            out.append("")
        out += _comment(_doc_line(key), indent)
        if key.name not in values:
            if key.kind == "items":
                out += _children_comments(key, indent)
            elif key.kind == "mapping":
                out += _children_comments(key, indent)
            example = key.example
            if not example:
                shown = "" if key.default is None else f" {_scalar(key.default)}"
                example = f"{key.name}:{shown}"
            for line in example.splitlines():
                out.append(f"{indent}# {line}")
            continue
        value = values[key.name]
        if key.kind == "mapping" and isinstance(value, dict):
            out.append(f"{indent}{key.name}:")
            out += _template_keys(key.children, value, indent + "  ")
        elif key.kind == "items":
            out += _children_comments(key, indent)
            if value:
                dumped = yaml.safe_dump({key.name: value}, allow_unicode=True,
                                        sort_keys=False, width=100)
                out += [f"{indent}{line}" for line in dumped.rstrip().splitlines()]
            else:
                if key.example:
                    out.append(f"{indent}# Exemple (à recopier sans « # » et à compléter) :")
                    out += [f"{indent}# {line}" for line in key.example.splitlines()[1:]]
                out.append(f"{indent}{key.name}: []")
        else:
            out.append(f"{indent}{key.name}: {_scalar(value)}")
    return out


def config_template(values: dict, header: str) -> str:
    """A config whose every key is preceded by its description as a French comment: the
    keys of `values` are written, the others (optional) commented with their example."""
    lines = [*(f"# {line}" if line else "#" for line in header.splitlines()),
             *_template_keys(SCHEMA, values, "")]
    return "\n".join(lines) + "\n"
