"""Load and validate a codebook (YAML): axes, themes, labels, scope notes, patterns and cues.

Pattern syntax (one string per pattern, French, compared on lemmas by the tagger):

- ``épicerie solidaire``: words in this order; each word matches any inflection
  (``épiceries solidaires``), case and accents do not matter;
- ``CCAS``: a word written in capitals (two letters or more) is an acronym, matched with
  that exact case (singular or plural), so ``PASS`` does not match « pass »;
- ``logement (très) social``: words in parentheses are optional;
  ``(de la|du)``: optional alternatives;
- ``subvention|financement``: alternatives for one word;
  ``[tarif social|gratuité]``: alternatives of several words;
- ``hébergement … urgence`` (or ``...``): a few words may come in between (order kept);
- ``association & subvention``: both parts somewhere near each other, in any order.

This module only checks the syntax; the tagger also refuses a pattern that the French
lemmatiser turns into function words only (``de la``).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from analysis.common.cache_dir import shared_cache_dir
from analysis.common.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

THEME_ID = re.compile(r"^[a-z][a-z0-9_]*$")
PATTERN_KEYS = ("patterns", "weak", "exclude", "restrictive", "context", "headings")
THEME_KEYS = {"id", "axis", "label", "scope", "examples", "vetoed_by", "limits_protect", "targeted",
              "model_adds", "model_vetoes", *PATTERN_KEYS}
TOP_KEYS = {
    "name", "version", "language", "description", "axes", "themes", "cues", "matching",
    "groups", "classifier", "classifier_thresholds",
}
# « <publics_fragiles> » in a pattern stands for the alternatives of the named group
GROUP_REF = re.compile(r"<([a-z][a-z0-9_]*)>")
GROUP_ITEM = re.compile(r"^[^()\[\]&|<>…]+$")
# Cue lists used to decide stance and strength (see the `cues` section of the YAML).
CUE_KEYS = (
    "favorable", "restrictive", "inverters", "problems", "order", "preference",
    "intent", "concrete", "place_markers", "negation_particles", "negation_words",
    "negation_determiners", "privatives", "present_verbs", "skip_leads", "question_address",
    "question_leads", "actors", "narrative", "not_restrictive", "campaign_process",
    "values_only", "named_schemes", "restoring", "ranking",
    "protective_limits", "cut_means", "paid_or_waited", "need", "universal", "surroundings",
    "diagnosis_headings", "litotes",
)
MATCHING_KEYS = {"gap": 4, "window": 20, "max_variants": 64}
# the second opinion's thresholds a codebook may set over those of its model file
# (tagging/classifier.py says what each one does)
THRESHOLD_KEYS = ("veto_below", "add_above", "add_above_with_rules", "add_own_words_above")
GAP_MARKERS = ("…", "...")
MAX_VARIANTS = 64


@dataclass(frozen=True)
class Theme:
    id: str
    axis: str
    label: str
    scope: str = ""
    patterns: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    restrictive: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    context: tuple[str, ...] = ()   # count only when the passage's heading names the theme
    headings: tuple[str, ...] = ()  # words that name the theme in a heading (besides patterns)
    # cue lists that, found in a passage without a future verb, mean the passage does not
    # speak of the theme (the campaign's own consultations are not municipal democracy)
    vetoed_by: tuple[str, ...] = ()
    # cue lists naming what a rule may limit for the theme's own sake: a restriction in a
    # passage that names one is favorable (limiting officials' mandates or perks is probity)
    limits_protect: tuple[str, ...] = ()
    # the theme counts only for a measure aimed at people in need (the guide's rule 1): the
    # second opinion never adds it to a passage that speaks of a measure for all (cues
    # `universal`) and names no need (cues `need`)
    targeted: bool = False
    # the second opinion may add the theme to a passage whose words the rules did not read
    # as the theme; false for a theme whose everyday words mostly name a policy for all
    # (housing, food): the model then adds it only to a restriction, and vetoes it
    model_adds: bool = True
    # the second opinion may drop the rules' finding of the theme; false for a theme the
    # model saw too rarely to judge (its probabilities stay low whatever the words)
    model_vetoes: bool = True


@dataclass(frozen=True)
class Pattern:
    """A parsed pattern: parts (all required, near each other) of ordered segments.

    ``parts[i][j]`` is the tuple of plain-text variants of segment j of part i (optional
    words and alternatives expanded); consecutive segments may be separated by a gap.
    """

    text: str
    parts: tuple[tuple[tuple[str, ...], ...], ...]

    @property
    def variants(self) -> list[str]:
        return [v for part in self.parts for seg in part for v in seg]


@dataclass
class Codebook:
    name: str
    version: str
    path: Path
    axes: dict[str, str]            # axis id -> French label, in order
    themes: list[Theme]
    data: dict = field(default_factory=dict)
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    matching: dict[str, int] = field(default_factory=lambda: dict(MATCHING_KEYS))
    # the statistical second opinion (tagging/classifier.py), beside the codebook; None: rules
    classifier: Path | None = None
    # thresholds of the second opinion chosen for this codebook (THRESHOLD_KEYS), over the
    # model file's own; empty: the file's
    classifier_thresholds: dict[str, float] = field(default_factory=dict)

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def axis_of(self, theme_id: str) -> str:
        return self.theme(theme_id).axis

    def label_of(self, theme_id: str) -> str:
        return self.theme(theme_id).label

    def themes_frame(self) -> pd.DataFrame:
        """One row per theme: theme_id, axis, axis_label, label, scope, n_patterns."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "theme_id": t.id, "axis": t.axis, "axis_label": self.axes[t.axis],
                    "label": t.label, "scope": t.scope,
                    "n_patterns": len(t.patterns) + len(t.weak) + len(t.restrictive),
                }
                for t in self.themes
            ]
        )

    @property
    def fingerprint(self) -> str:
        """Changes whenever the file content or its model changes (used as cache key)."""
        raw = self.path.read_bytes() if self.path.is_file() else b""
        if self.classifier is not None and self.classifier.is_file():
            raw += self.classifier.read_bytes()
        return f"{self.version}-{hashlib.sha256(raw).hexdigest()[:12]}"


# --------------------------------------------------------------------------- patterns
_TOKEN = re.compile(r"\([^()\[\]]*\)|\[[^()\[\]]*\]|[^\s()\[\]]+|[()\[\]]")


def _expand_segment(segment: str) -> list[str]:
    """Plain-text variants of one segment: optional groups and alternatives expanded."""
    if segment.count("(") != segment.count(")") or segment.count("[") != segment.count("]"):
        raise ValueError("parenthèses ou crochets non appariés")
    choices: list[list[str]] = []
    for item in _TOKEN.findall(segment):
        if item in ("(", ")", "[", "]"):
            raise ValueError("parenthèses ou crochets imbriqués ou mal placés")
        if item[0] in "([":
            inner = item[1:-1].strip()
            if not inner:
                raise ValueError(f"groupe vide « {item} »")
            alts = [" ".join(a.split()) for a in inner.split("|")]
            if any(not a for a in alts):
                raise ValueError(f"alternative vide dans « {item} »")
            choices.append(["", *alts] if item[0] == "(" else alts)
        else:
            alts = item.split("|")
            if any(not a for a in alts):
                raise ValueError(f"alternative vide dans « {item} »")
            choices.append(alts)
    variants = []
    for combo in itertools.islice(itertools.product(*choices), MAX_VARIANTS + 1):
        text = " ".join(w for w in combo if w)
        if text and text not in variants:
            variants.append(text)
    if len(variants) > MAX_VARIANTS:
        raise ValueError(f"trop de variantes (plus de {MAX_VARIANTS}) : découpez le motif")
    if not variants:
        raise ValueError("segment entièrement optionnel")
    if all(not re.search(r"[\w%€$£]", v) for v in variants):
        raise ValueError("aucun mot (seulement de la ponctuation)")
    return variants


def parse_pattern(text: str) -> Pattern:
    """Parse one pattern string; raise ValueError (French message) on bad syntax."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("motif vide")
    clean = " ".join(text.replace("’", "'").split())
    parts = []
    for raw_part in clean.split("&"):
        raw_part = raw_part.strip()
        if not raw_part:
            raise ValueError("« & » doit relier deux expressions non vides")
        pieces = re.split(r"\s*(?:…|\.\.\.)\s*", raw_part)
        if any(not p.strip() for p in pieces):
            raise ValueError("« … » doit se trouver entre deux mots")
        parts.append(tuple(tuple(_expand_segment(p)) for p in pieces))
    return Pattern(text=clean, parts=tuple(parts))


def normalise_pattern(text: str) -> str:
    """Key used to spot duplicates: spacing and apostrophes unified, case kept."""
    return " ".join(text.replace("’", "'").split())


# --------------------------------------------------------------------------- loading
def _string_list(value, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise UserError(
            f"{where} : '{key}' doit être une liste de textes (une ligne « - » par motif)."
        )
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise UserError(
                f"{where} : '{key}'[{i}] est vide ou n'est pas un texte ({item!r}). "
                "Supprimez la ligne ou écrivez le motif entre guillemets."
            )
        out.append(normalise_pattern(item))
    dupes = sorted({p for p in out if out.count(p) > 1})
    if dupes:
        raise UserError(f"{where} : motif(s) en double dans '{key}' : {dupes}. Gardez-en un seul.")
    return tuple(out)


def _check_syntax(items: tuple[str, ...], where: str, key: str) -> None:
    for item in items:
        try:
            parse_pattern(item)
        except ValueError as exc:
            raise UserError(f"{where} : motif {item!r} de '{key}' invalide : {exc}.") from exc


def _load_groups(data: dict, path: Path) -> dict[str, str]:
    """Named word lists (`groups:`), each as one « [a|b|c] » alternative."""
    raw = data.get("groups") or {}
    if not isinstance(raw, dict):
        raise UserError(f"{path} : 'groups' doit être un dictionnaire de listes.")
    out = {}
    for name, items in raw.items():
        where = f"{path} : groups.{name}"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise UserError(f"{where} : nom de groupe en snake_case attendu.")
        words = _string_list(items, where, "groups")
        bad = [w for w in words if not GROUP_ITEM.match(w.replace("...", ""))
               or "..." in w]
        if not words or bad:
            raise UserError(
                f"{where} : une liste non vide d'expressions simples est attendue "
                f"(sans ( ) [ ] & | < > …) ; fautive(s) : {bad}."
            )
        out[name] = "[" + "|".join(words) + "]"
    return out


def _expand_groups(items: tuple[str, ...], groups: dict[str, str], where: str,
                   key: str) -> tuple[str, ...]:
    """Replace each « <name> » by its group's alternatives; an unknown name is an error."""
    out = []
    for item in items:
        for name in GROUP_REF.findall(item):
            if name not in groups:
                raise UserError(
                    f"{where} : motif {item!r} de '{key}' : groupe <{name}> inconnu ; "
                    f"groupes déclarés : {sorted(groups) or 'aucun'}."
                )
        out.append(GROUP_REF.sub(lambda m: groups[m.group(1)], item))
    return tuple(out)


def _load_cues(data: dict, path: Path, groups: dict[str, str]) -> dict[str, tuple[str, ...]]:
    cues = data.get("cues") or {}
    if not isinstance(cues, dict):
        raise UserError(f"{path} : 'cues' doit être un dictionnaire de listes.")
    unknown = sorted(set(cues) - set(CUE_KEYS))
    if unknown:
        raise UserError(f"{path} : cues.{unknown[0]} inconnu ; clés possibles : {list(CUE_KEYS)}.")
    out = {}
    for key in CUE_KEYS:
        where = f"{path} : cues"
        out[key] = _expand_groups(_string_list(cues.get(key), where, key), groups, where, key)
        _check_syntax(out[key], where, key)
    return out


def _load_matching(data: dict, path: Path) -> dict[str, int]:
    raw = data.get("matching") or {}
    if not isinstance(raw, dict):
        raise UserError(f"{path} : 'matching' doit être un dictionnaire (gap, window).")
    unknown = sorted(set(raw) - set(MATCHING_KEYS))
    if unknown:
        raise UserError(
            f"{path} : matching.{unknown[0]} inconnu ; clés possibles : {sorted(MATCHING_KEYS)}."
        )
    out = dict(MATCHING_KEYS)
    for key, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 200:
            raise UserError(f"{path} : matching.{key} doit être un entier entre 1 et 200.")
        out[key] = value
    return out


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_codebook(path: str | Path) -> Codebook:
    """Read and validate a codebook; any bad entry is named in a UserError.

    A codebook read without error is kept parsed in the shared cache folder
    (`codebook-<digest>.pickle`, `analysis.common.cache_dir`), named by a digest of its
    path, its bytes, this module's code and the YAML parser: the next process reads it
    back (2 ms instead of 50 ms at each start); a changed file, code or parser gives
    another name, a damaged or unreadable copy is parsed again, a cache that cannot be
    written only costs the parsing."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Codebook introuvable : {path}. Vérifiez la clé 'codebook' de la config.")
    kept = _kept_file(path)
    codebook = _read_kept(kept, path)
    if codebook is None:
        codebook = _parse_codebook(path)
        _write_kept(kept, codebook)
    return codebook


KEPT_CODEBOOK = "codebook-{}.pickle"   # in the shared cache folder
KEPT_CODEBOOKS = 8                     # parsed codebooks kept there (the newest)


def _kept_file(path: Path) -> Path | None:
    """Where this codebook's parsed copy is kept (None: it cannot be named)."""
    try:
        parts = [str(path.resolve()).encode(), path.read_bytes(), Path(__file__).read_bytes(),
                 sys.version.encode(), f"{yaml.__version__}-{_SAFE_LOADER.__name__}".encode()]
    except OSError:
        return None
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little") + part)
    return shared_cache_dir() / KEPT_CODEBOOK.format(digest.hexdigest()[:20])


def _read_kept(kept: Path | None, path: Path) -> Codebook | None:
    if kept is None:
        return None
    try:
        codebook = pickle.loads(kept.read_bytes())
    except Exception:  # noqa: BLE001 - absent, damaged or foreign: parsed again
        return None
    if not isinstance(codebook, Codebook) or codebook.path != path:
        return None
    if codebook.classifier is not None and not codebook.classifier.is_file():
        return None   # its model is gone: parsing says so in French
    return codebook


def _write_kept(kept: Path | None, codebook: Codebook) -> None:
    """Write the parsed copy at once (a temporary file renamed) and remove the copies beyond
    the `KEPT_CODEBOOKS` newest; a folder that cannot be written is left alone."""
    if kept is None:
        return
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        tmp = kept.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(codebook, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(kept)
        others = sorted((p for p in kept.parent.glob(KEPT_CODEBOOK.format("*")) if p != kept),
                        key=_modified, reverse=True)
        for old in others[KEPT_CODEBOOKS - 1:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        pass


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _parse_codebook(path: Path) -> Codebook:
    try:
        # libyaml's parser when installed (same data, ~10x faster on the 100 kB codebook)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    except yaml.YAMLError as exc:
        raise UserError(f"{path} : YAML invalide ({exc}).") from exc
    if not isinstance(data, dict):
        raise UserError(
            f"{path} : le fichier doit contenir des clés (name, version, axes, themes)."
        )
    for key in ("name", "version", "axes", "themes"):
        if key not in data:
            raise UserError(f"{path} : clé obligatoire '{key}' manquante.")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise UserError(f"{path} : clé inconnue {unknown}; clés possibles : {sorted(TOP_KEYS)}.")
    if not isinstance(data["axes"], list) or not isinstance(data["themes"], list):
        raise UserError(f"{path} : 'axes' et 'themes' doivent être des listes (« - id: ... »).")
    groups = _load_groups(data, path)
    axes = {}
    for i, ax in enumerate(data["axes"]):
        if not isinstance(ax, dict) or not ax.get("id") or not ax.get("label"):
            raise UserError(f"{path} : axes[{i}] doit avoir 'id' et 'label'.")
        if str(ax["id"]) in axes:
            raise UserError(f"{path} : axes[{i}] : identifiant d'axe {ax['id']!r} en double.")
        axes[str(ax["id"])] = str(ax["label"])
    themes, seen = [], set()
    for i, th in enumerate(data["themes"]):
        where = f"{path} : themes[{i}]"
        if not isinstance(th, dict):
            raise UserError(f"{where} n'est pas un dictionnaire.")
        tid = th.get("id")
        where = f"{where} ({tid})" if tid else where
        extra = sorted(set(th) - THEME_KEYS)
        if extra:
            raise UserError(
                f"{where} : clé inconnue {extra}; clés possibles : {sorted(THEME_KEYS)}."
            )
        if not tid or not THEME_ID.match(str(tid)):
            raise UserError(f"{where} : 'id' doit être en snake_case (ex. aide_alimentaire).")
        if tid in seen:
            raise UserError(f"{where} : identifiant en double.")
        seen.add(tid)
        if th.get("axis") not in axes:
            raise UserError(
                f"{where} : axe {th.get('axis')!r} inconnu; axes déclarés : {list(axes)}."
            )
        if not th.get("label"):
            raise UserError(f"{where} : 'label' manquant.")
        lists = {key: _expand_groups(_string_list(th.get(key), where, key), groups, where, key)
                 for key in PATTERN_KEYS}
        for key, items in lists.items():
            _check_syntax(items, where, key)
        positive = set(lists["patterns"]) | set(lists["weak"]) | set(lists["restrictive"])
        clash = sorted(positive & set(lists["exclude"]))
        if clash:
            raise UserError(
                f"{where} : {clash} figure(nt) à la fois dans les motifs et dans 'exclude'."
            )
        clash = sorted(set(lists["context"]) & (positive | set(lists["exclude"])))
        if clash:
            raise UserError(
                f"{where} : {clash} figure(nt) à la fois dans 'context' et dans une autre liste."
            )
        clash = sorted(set(lists["patterns"]) & set(lists["weak"]))
        if clash:
            raise UserError(f"{where} : {clash} figure(nt) à la fois dans 'patterns' et 'weak'.")
        themes.append(Theme(
            id=str(tid), axis=str(th["axis"]), label=str(th["label"]),
            scope=str(th.get("scope", "")),
            vetoed_by=tuple(_string_list(th.get("vetoed_by"), where, "vetoed_by")),
            limits_protect=tuple(_string_list(th.get("limits_protect"), where, "limits_protect")),
            targeted=_flag(th.get("targeted", False), where, "targeted"),
            model_adds=_flag(th.get("model_adds", True), where, "model_adds"),
            model_vetoes=_flag(th.get("model_vetoes", True), where, "model_vetoes"), **lists,
        ))
    cues = _load_cues(data, path, groups)
    for i, theme in enumerate(themes):
        for key in ("vetoed_by", "limits_protect"):
            unknown = sorted(set(getattr(theme, key)) - set(cues))
            if unknown:
                raise UserError(
                    f"{path} : themes[{i}] ({theme.id}) : '{key}' nomme {unknown}, qui ne "
                    f"sont pas des listes de 'cues' ; listes déclarées : {sorted(cues)}."
                )
    return Codebook(
        name=str(data["name"]), version=str(data["version"]), path=path,
        axes=axes, themes=themes, data=data,
        cues=cues, matching=_load_matching(data, path),
        classifier=_load_classifier(data, path),
        classifier_thresholds=_load_thresholds(data, path),
    )


def _flag(value, where: str, key: str) -> bool:
    if not isinstance(value, bool):
        raise UserError(f"{where} : '{key}' doit valoir true ou false (lu : {value!r}).")
    return value


def _load_thresholds(data: dict, path: Path) -> dict[str, float]:
    """`classifier_thresholds:`: probabilities between 0 and 1. Without a `classifier:`
    line they apply to nothing (removing that line is how a codebook tags with the rules
    only, as its error message and the README say)."""
    raw = data.get("classifier_thresholds")
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise UserError(f"{path} : 'classifier_thresholds' doit être un dictionnaire "
                        f"(clés possibles : {', '.join(THRESHOLD_KEYS)}).")
    out = {}
    for key, value in raw.items():
        if key not in THRESHOLD_KEYS:
            raise UserError(f"{path} : classifier_thresholds.{key} inconnu ; clés possibles : "
                            f"{', '.join(THRESHOLD_KEYS)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise UserError(f"{path} : classifier_thresholds.{key} doit être une probabilité "
                            f"entre 0 et 1 (lu : {value!r}).")
        out[key] = float(value)
    return out


def _load_classifier(data: dict, path: Path) -> Path | None:
    """The model file named by `classifier:` (relative to the codebook), which must exist."""
    name = data.get("classifier")
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise UserError(f"{path} : 'classifier' doit être le nom d'un fichier de modèle "
                        "(.npz, écrit par scripts/train_classifier.py), à côté du codebook.")
    model = (path.parent / name).resolve()
    if not model.is_file():
        raise UserError(
            f"{path} : le modèle statistique « {name} » ({model}) est introuvable. "
            "Entraînez-le avec `python scripts/train_classifier.py --out " + str(model) + "`, "
            "ou retirez la ligne 'classifier:' pour étiqueter avec les seules règles."
        )
    return model
