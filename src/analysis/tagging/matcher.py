"""Compile codebook patterns and cues into phrase tables and find them in a Doc.

Every pattern is parsed by `analysis.codebook.parse_pattern` into parts and segments; every
plain-text variant of a segment is run through the SAME pipeline as the passages so that it
carries lemma keys (``nlp.make_doc`` would give no lemmas and match nothing). Each variant is
registered three ways, under the segment's id:

- on the tokens' matching key (``NORM``: the key component writes it), once as lemmatised
  alone, once as lemmatised inside a carrier sentence (the tagger may lemmatise a word
  differently in context) and once as written;
- on the words as written, lower-cased (``LOWER``: safety net for lemmatiser slips);
- as written (``ORTH``) for a lone acronym (``CCAS``, ``CCASs``): case-sensitive;
- as a token pattern, one set of strings per token, for the few variants mixing an acronym
  and words (``loi SRU``).

The phrases are kept as plain tables (`Phrases`: a tuple of strings -> the segments it
spells), matched on the token attributes of a Doc in plain Python: the same
(segment, start, end) triples spaCy's `PhraseMatcher` and `Matcher` find, without building
thousands of pattern Docs at each start. Everything compiling produces (items, tables,
pre-filter indexes) is kept on disk next to the lemmatised variants (`patterns-<fingerprint>
.pickle`, the fingerprint covering codebook, code and model): a warm start reads it back
and needs neither the pipeline nor the codebook's parser.

Gaps (``a … b``) and co-occurrences (``a & b``) are assembled from segment matches in
Python, so the tables only ever hold short literal phrases.

`possible(text)` is a cheap, conservative pre-filter on the raw text: each theme pattern
needs some words to be present (their first letters, the part that inflection does not
change: « âgé » for « âgées », « dor » for « dormir »); a text where no theme pattern can
match is not sent through the pipeline at all.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from analysis.codebook import Codebook, parse_pattern
from analysis.common.errors import UserError
from analysis.tagging.nlp import (
    FUNCTION_KEYS,
    RESIDENT_KEY,
    KeyCandidates,
    fold,
    is_acronym,
    surface_key,
)

THEME_KINDS = ("patterns", "weak", "restrictive", "exclude", "context", "headings")
CARRIER = "Nous voulons {} pour tous ."
WORD = re.compile(r"[a-z0-9]+")
PREFIX = 4
# Articles and contractions whose written form changes (« des » / « de la » / « du »).
VARIABLE_WORDS = {"de", "le", "la", "les", "l", "d", "du", "des", "a", "au", "aux", "un", "une"}
# Verbs whose stem changes (« mettre » / « mis », « vivre » / « vécu »): no requirement.
IRREGULAR_VERBS = {
    "etre", "avoir", "aller", "faire", "pouvoir", "vouloir", "devoir", "savoir", "tenir",
    "venir", "prendre", "mettre", "voir", "ouvrir", "offrir", "couvrir", "recevoir", "vivre",
    "fuir", "dire", "suivre", "mourir", "naitre", "asseoir", "boire", "croire", "lire", "valoir",
    "falloir",
}
PREFILTER = os.environ.get("BAROMETRE_PREFILTER", "1") != "0"


def _common_prefix(words: list[str]) -> str:
    return os.path.commonprefix(words)[:PREFIX]


def text_prefixes(text: str) -> set[str]:
    """Every beginning (1 to 4 letters) of every word of a text, folded.

    Read chunk by chunk between white space (no white space folds into a letter or a
    digit, so the words are the same as in the whole folded text), each chunk once."""
    found: set[str] = set()
    cache = _PREFIXES
    for chunk in text.split():
        prefixes = cache.get(chunk)
        if prefixes is None:
            prefixes = cache[chunk] = frozenset(
                w[:k] for w in WORD.findall(fold(chunk)) for k in range(1, PREFIX + 1))
            if len(cache) > 500_000:
                cache.clear()
        found |= prefixes
    return found


_PREFIXES: dict[str, frozenset[str]] = {}   # chunk of text -> its word beginnings


class Tok(NamedTuple):
    """What compiling needs of one token of a lemmatised pattern variant (stored on disk)."""

    text: str
    whitespace_: str
    norm_: str
    is_punct: bool
    is_space: bool


def _words_and_spaces(doc) -> list[list]:
    """A tokenised text as `Doc(vocab, words=, spaces=)` rebuilds it."""
    return [[t.text for t in doc], [bool(t.whitespace_) for t in doc]]


def _toks(doc) -> list[Tok]:
    return [Tok(t.text, t.whitespace_, t.norm_, t.is_punct, t.is_space) for t in doc]


@dataclass(frozen=True)
class Item:
    """One pattern of the codebook: owner is a theme id or a cue type."""

    owner: str
    kind: str              # patterns|weak|restrictive|exclude|context|headings|cue
    text: str
    parts: tuple[tuple[int, ...], ...]          # segment ids, per part


@dataclass(frozen=True)
class Hit:
    """One occurrence of an item in a Doc: token spans (start, end) of its pieces."""

    owner: str
    kind: str
    pattern: str
    spans: tuple[tuple[int, int], ...]
    anchor: tuple[int, int] = (0, 0)          # first piece of the first part

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)

    def overlaps(self, other: Hit) -> bool:
        return any(s < oe and os < e for s, e in self.spans for os, oe in other.spans)

    def text(self, doc) -> str:
        return " … ".join(doc[s:e].text for s, e in self.spans)


def _lemmatise(nlp, variants: list[str]) -> tuple[dict, dict]:
    """Tokens of each variant lemmatised alone, and its keys inside a carrier sentence
    (when the sentence keeps its tokens)."""
    alone = {v: _toks(doc)
             for v, doc in zip(variants, nlp.pipe(variants, batch_size=256), strict=True)}
    carriers = nlp.pipe((CARRIER.format(v) for v in variants), batch_size=256)
    in_context = {}
    offset = CARRIER.index("{}")
    for v, doc in zip(variants, carriers, strict=True):
        span = doc.char_span(offset, offset + len(v))
        if span is not None and len(span) == len(alone[v]):
            in_context[v] = [t.norm_ for t in span]
    return alone, in_context


_LEMMATISER = None   # the pipeline of the parent, inherited by forked processes


def _lemmatise_chunk(variants: list[str]) -> tuple[dict, dict]:
    return _lemmatise(_LEMMATISER, variants)


def _positions(choices) -> tuple:
    """One alternative of `_alternatives`: an empty string matches nothing we can check,
    so its position accepts any token."""
    return tuple(frozenset(c) if all(c) else None for c in map(list, choices))


def _stop_keys(nlp) -> set[str]:
    return {fold(w) for w in nlp.Defaults.stop_words} | set(FUNCTION_KEYS.values())


STATE_VERSION = 2   # of the compiled-state file (`patterns-<fingerprint>.pickle`)
# what compiling gives and matching reads: kept on disk for the warm start
STATE = ("gap", "window", "items", "word_keys", "_by_segment", "_phrases", "_token_patterns",
         "_token_acronyms", "_needs", "_index", "_direct", "_always", "_xneeds", "_xindex",
         "_xalways", "_xstrings", "_xsingle", "_xmulti", "_xdirect", "_phrase_ids")
ATTRS = ("NORM", "LOWER", "ORTH")   # the token attributes phrases are matched on


class Phrases:
    """Phrases of one token attribute: a tuple of strings -> the segments it spells, found
    in a Doc as spaCy's `PhraseMatcher` finds them (every occurrence of every phrase,
    overlapping or not), from the attribute's string ids."""

    def __init__(self, vocab, phrases: dict[tuple[str, ...], tuple[int, ...]],
                 kept: tuple[dict, dict] | None = None):
        """`kept`: the tables `ids()` gave for the same phrases (kept in the compiled state:
        string ids are hashes of the strings), else computed from the strings."""
        if kept is not None:
            self._table, self._lengths = kept
            return
        add = vocab.strings.add
        self._table: dict[tuple[int, ...], tuple[int, ...]] = {}
        lengths: dict[int, set[int]] = defaultdict(set)
        for words, segments in phrases.items():
            ids = tuple(add(w) for w in words)
            self._table[ids] = segments
            lengths[ids[0]].add(len(ids))
        self._lengths = {first: tuple(sorted(n)) for first, n in lengths.items()}

    def ids(self) -> tuple[dict, dict]:
        """The tables on string ids, to be kept with the compiled state."""
        return self._table, self._lengths

    @staticmethod
    def ids_hold(vocab, phrases: dict[tuple[str, ...], tuple[int, ...]],
                 ids: tuple[dict, dict], sample: int = 50) -> bool:
        """Do kept tables still spell these phrases with this pipeline's string ids (a
        sample of them: the ids are hashes, the same unless spaCy changes its hashing)?"""
        add, table = vocab.strings.add, ids[0]
        if len(table) != len(phrases):
            return False
        for n, (words, segments) in enumerate(phrases.items()):
            if n >= sample:
                break
            if table.get(tuple(add(w) for w in words)) != segments:
                return False
        return True

    def find(self, ids: list[int], found: set[tuple[int, int, int]]) -> None:
        """Add (segment, start, end) of every phrase spelt by `ids` (a Doc's attribute)."""
        lengths = self._lengths
        present = lengths.keys() & ids          # the first words of a phrase in this Doc
        if not present:
            return
        table, total = self._table, len(ids)
        for i, first in enumerate(ids):
            if first not in present:
                continue
            for n in lengths[first]:
                if i + n > total:
                    break
                segments = table.get((first,) if n == 1 else tuple(ids[i:i + n]))
                if segments is not None:
                    for seg in segments:
                        found.add((seg, i, i + n))


def _read_state(path: Path | None) -> dict | None:
    if path is None:
        return None
    enabled = gc.isenabled()
    gc.disable()   # it creates many containers at once: the collector would run ~5x longer
    try:
        with path.open("rb") as f:
            state = pickle.load(f)
        if state.get("version") == STATE_VERSION and all(k in state for k in STATE):
            return state
    except Exception:  # noqa: BLE001 - absent, truncated or foreign: compile again
        pass
    finally:
        if enabled:
            gc.enable()
    return None


def _write_state(path: Path | None, state: dict) -> None:
    if path is None:
        return
    _write_cache_file(path, lambda f: pickle.dump(
        {"version": STATE_VERSION, **state}, f, protocol=pickle.HIGHEST_PROTOCOL))


def _write_cache_file(path: Path, write) -> None:
    """Write a compiled-pattern file atomically (`write` fills the open binary file) and
    remove the files of the same kind beyond the `KEPT_VERSIONS` newest (the folder is shared
    by every codebook and checkout); a read-only cache only costs the next start its
    compilation."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            write(f)
        tmp.replace(path)
        others = [p for p in path.parent.glob(f"patterns-*{path.suffix}") if p != path]
        others.sort(key=_mtime, reverse=True)
        for old in others[KEPT_VERSIONS - 1:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


KEPT_VERSIONS = 8   # compiled codebooks kept per kind of file in the shared cache


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


class PatternMatcher:
    """All theme patterns and cues of a codebook, compiled for one pipeline."""

    def __init__(self, nlp, codebook: Codebook, cues: dict[str, tuple[str, ...]], *,
                 words: tuple[str, ...] = (), cache_file: str | Path | None = None,
                 workers: int = 1):
        """`words`: single words whose keys the rules need (`self.word_keys`); `cache_file`:
        where the lemmatised variants are kept (``.json``) and, beside it, the compiled
        state (``.pickle``: the warm start then needs no pipeline run and no compiling);
        its name must carry the codebook + code + model fingerprint; `workers`: processes
        that share the lemmatisation when there is no such file."""
        self.nlp = nlp
        self.workers = max(1, int(workers))
        state_file = Path(cache_file).with_suffix(".pickle") if cache_file is not None else None
        state = _read_state(state_file)
        if state is None:
            self._build(codebook, cues, tuple(words), cache_file)
            # the phrase tables on string ids: a warm start then adds none of their ~20,000
            # strings to spaCy's string store (~0.1 s)
            self._phrase_ids = {attr: Phrases(nlp.vocab, self._phrases[attr]).ids()
                                for attr in ATTRS}
            state = {name: getattr(self, name) for name in STATE}
            _write_state(state_file, state)
        self._restore(state)

    def _build(self, codebook: Codebook, cues: dict[str, tuple[str, ...]],
               words: tuple[str, ...], cache_file) -> None:
        """Compile the codebook (what `STATE` names), lemmatising its variants if needed."""
        self.gap = codebook.matching["gap"]
        self.window = codebook.matching["window"]
        self.items: list[Item] = []
        self._segments: dict[tuple[str, ...], int] = {}
        # per attribute: phrase (its strings) -> segment ids spelt so
        self._phrase_sets: dict[str, dict[tuple[str, ...], set[int]]] = {
            attr: defaultdict(set) for attr in ATTRS}
        # (segment, positions): per token, the attribute read and the strings accepted
        self._token_patterns: list[tuple[int, tuple[tuple[str, tuple[str, ...]], ...]]] = []
        self._token_acronyms: set[str] = set()   # a text without any: no token pattern runs
        # per segment: ways it can match, each a tuple of positions (the strings one token
        # of the text must carry, as key, lower-case form or as written; None: any token)
        self._alternatives: dict[int, list[tuple]] = defaultdict(list)
        where: dict[int, tuple[str, str, str]] = {}   # item index -> (owner, kind, text)
        for theme in codebook.themes:
            for kind in THEME_KINDS:
                for text in getattr(theme, kind):
                    where[len(self.items)] = (theme.id, kind, text)
                    self._add_item(theme.id, kind, text)
        for cue_type, texts in cues.items():
            for text in texts:
                self._add_item(cue_type, "cue", text)
        self._compile(codebook, where, words, cache_file)
        self._phrases = {attr: {k: tuple(sorted(v)) for k, v in table.items()}
                         for attr, table in self._phrase_sets.items()}
        self._build_prefilter()
        self._build_exact_prefilter()
        self._by_segment: dict[int, list[int]] = defaultdict(list)
        for i, item in enumerate(self.items):
            self._by_segment[item.parts[0][0]].append(i)

    def _restore(self, state: dict) -> None:
        """Set the compiled state; string ids from this pipeline's string store."""
        for name in STATE:
            setattr(self, name, state[name])
        vocab = self.nlp.vocab
        add = vocab.strings.add
        self._tables = tuple(
            Phrases(vocab, self._phrases[attr], self._phrase_ids[attr]
                    if Phrases.ids_hold(vocab, self._phrases[attr], self._phrase_ids[attr])
                    else None)
            for attr in ATTRS)
        # token patterns indexed by the attribute (its column) and string id of their first
        # token
        self._token_first: dict[int, dict[int, list[tuple]]] = {}
        for seg, positions in self._token_patterns:
            ids = tuple((ATTRS.index(attr), frozenset(add(v) for v in values))
                        for attr, values in positions)
            column, first = ids[0]
            for value in first:
                self._token_first.setdefault(column, {}).setdefault(value, []).append(
                    (seg, ids))
        self._acronym_orths = frozenset(
            add(f) for a in self._token_acronyms for f in (a, a + "s"))
        self._candidates = KeyCandidates(self.nlp)
        self._present: dict[int, frozenset[str]] = {}   # word (orth id) -> its strings

    # ------------------------------------------------------------------ building
    def _add_item(self, owner: str, kind: str, text: str) -> None:
        pattern = parse_pattern(text)
        parts = []
        for part in pattern.parts:
            seg_ids = []
            for variants in part:
                seg_ids.append(self._segments.setdefault(tuple(variants), len(self._segments)))
            parts.append(tuple(seg_ids))
        self.items.append(Item(owner=owner, kind=kind, text=pattern.text, parts=tuple(parts)))

    def _lemmatise_variants(self, words: tuple[str, ...]) -> dict:
        """Each variant run through the pipeline alone, its keys inside a sentence, and the
        keys of `words`; with `workers` > 1, the variants are shared between that many
        forked processes (the same pipeline, the same keys)."""
        variants = sorted({v for seg in self._segments for v in seg})
        if self.workers > 1 and len(variants) >= 200:
            chunks = [variants[i::self.workers] for i in range(self.workers)]
            global _LEMMATISER
            _LEMMATISER = self.nlp
            try:
                import multiprocessing

                with multiprocessing.get_context("fork").Pool(self.workers) as pool:
                    parts = pool.map(_lemmatise_chunk, chunks)
            finally:
                _LEMMATISER = None
            alone = {v: toks for part in parts for v, toks in part[0].items()}
            in_context = {v: keys for part in parts for v, keys in part[1].items()}
        else:
            alone, in_context = _lemmatise(self.nlp, variants)
        word_keys = {w: [t.norm_ for t in doc]
                     for w, doc in zip(words, self.nlp.pipe(list(words)), strict=True)}
        return {"alone": {v: alone[v] for v in variants},
                "context": {v: in_context[v] for v in variants if v in in_context},
                "words": word_keys,
                "lower": {v: _words_and_spaces(self.nlp.make_doc(v.lower())) for v in variants}}

    def _load_or_lemmatise(self, words: tuple[str, ...], cache_file) -> dict:
        variants = {v for seg in self._segments for v in seg}
        if cache_file is not None:
            try:
                data = json.loads(Path(cache_file).read_text(encoding="utf-8"))
                if (set(data["alone"]) == variants and set(data["words"]) == set(words)
                        and set(data["lower"]) == variants):
                    data["alone"] = {v: [Tok(*t) for t in toks]
                                     for v, toks in data["alone"].items()}
                    return data
            except (OSError, ValueError, KeyError, TypeError):
                pass  # absent or unreadable: compile again and rewrite it
        data = self._lemmatise_variants(words)
        if cache_file is not None:
            _write_cache_file(Path(cache_file), lambda f: f.write(
                json.dumps(data, ensure_ascii=False).encode("utf-8")))
        return data

    def _compile(self, codebook: Codebook, where: dict[int, tuple[str, str, str]],
                 words: tuple[str, ...], cache_file) -> None:
        data = self._load_or_lemmatise(words, cache_file)
        alone, in_context = data["alone"], data["context"]
        self._lower_words: dict[str, list] = data["lower"]
        self.word_keys: dict[str, list[str]] = data["words"]
        stop = _stop_keys(self.nlp)
        self._content: dict[str, bool] = {}
        self._requirements: dict[str, frozenset[str]] = {}
        for seg, seg_id in self._segments.items():
            for v in seg:
                doc = alone[v]
                words_only = [t for t in doc if not (t.is_punct or t.is_space)]
                self._content[v] = len(words_only) >= 3 or any(
                    t.norm_ and t.norm_ not in stop for t in words_only
                )
                context = in_context.get(v, [t.norm_ for t in doc])
                self._requirements[v] = self._requirement(doc, context)
                self._register(seg_id, v, doc, context)
        self._validate(codebook, where)

    def _phrase(self, attr: str, seg_id: int, doc) -> None:
        """Register `doc` (a pattern Doc) as a phrase of `attr`, its strings read as spaCy's
        `PhraseMatcher` reads a pattern (a key left empty reads the word's own norm)."""
        from spacy import attrs

        strings = self.nlp.vocab.strings
        words = tuple(strings[int(i)] for i in doc.to_array(getattr(attrs, attr)).tolist())
        if words:
            self._phrase_sets[attr][words].add(seg_id)

    def _register(self, seg_id: int, text: str, doc, context: list[str]) -> None:
        """Add one variant to the phrase tables (see module docstring), and what a text must
        hold for each of them to match (`_alternatives`, for `possible_doc`)."""
        from spacy.tokens import Doc

        alternatives = self._alternatives[seg_id]
        words = [t.text for t in doc]
        if len(words) == 1 and is_acronym(words[0]):
            for form in (words[0], words[0] + "s"):
                orth_doc = self.nlp.make_doc(form)
                self._phrase("ORTH", seg_id, orth_doc)
                alternatives.append(_positions([t.text] for t in orth_doc))
            return
        lemma_keys = [t.norm_ for t in doc]
        surface = [surface_key(w) for w in words]
        if any(is_acronym(w) for w in words):
            self._token_acronyms.update(w for w in words if is_acronym(w))
            choices = [
                [w, w + "s"] if is_acronym(w) else sorted({lemma_keys[i], surface[i], context[i]})
                for i, w in enumerate(words)
            ]
            self._token_patterns.append((seg_id, tuple(
                ("ORTH" if is_acronym(w) else "NORM", tuple(choice))
                for w, choice in zip(words, choices, strict=True))))
            alternatives.append(_positions(choices))
            return
        spaces = [bool(t.whitespace_) for t in doc]
        for keys in dict.fromkeys(map(tuple, (lemma_keys, context, surface))):
            kdoc = Doc(self.nlp.vocab, words=words, spaces=spaces)
            for tok, k in zip(kdoc, keys, strict=True):
                tok.norm_ = k
            self._phrase("NORM", seg_id, kdoc)
            alternatives.append(_positions([k] for k in keys))
        lower_words, lower_spaces = self._lower_words[text]   # tokens of text.lower()
        lower = Doc(self.nlp.vocab, words=lower_words, spaces=lower_spaces)
        self._phrase("LOWER", seg_id, lower)
        alternatives.append(_positions([t.lower_] for t in lower))

    def _validate(self, codebook: Codebook, where: dict[int, tuple[str, str, str]]) -> None:
        """Refuse theme patterns whose parts are only function words once lemmatised."""
        seg_variants = {i: seg for seg, i in self._segments.items()}
        for index, (owner, kind, text) in where.items():
            parts = self.items[index].parts
            anchored = any(
                all(self._content[v] for v in seg_variants[s]) for part in parts for s in part
            )
            if not anchored:
                raise UserError(
                    f"{codebook.path} : thème {owner}, liste '{kind}' : le motif {text!r} "
                    "ne contient que des mots-outils une fois lemmatisé (ex. « de la ») ; "
                    "il trouverait presque toutes les phrases. Ajoutez un mot porteur de sens."
                )

    # ------------------------------------------------------------------ pre-filter
    @staticmethod
    def _requirement(doc, context: list[str]) -> frozenset[str]:
        """Word beginnings a text must contain for this variant to match."""
        need = set()
        for tok, ctx_key in zip(doc, context, strict=False):
            if tok.is_punct or tok.is_space:
                continue
            surface = fold(tok.text)
            pieces = WORD.findall(surface)
            if not pieces or surface in IRREGULAR_VERBS or tok.norm_ in IRREGULAR_VERBS:
                continue
            if pieces[0] in VARIABLE_WORDS and len(pieces) == 1:
                continue
            if tok.norm_ == RESIDENT_KEY:
                continue    # « habitants » is also written « les Niçois » (see nlp.is_demonym)
            first = _common_prefix([pieces[0], tok.norm_, ctx_key])
            if first:
                need.add(first)
            need.update(p[:PREFIX] for p in pieces[1:] if p not in VARIABLE_WORDS)
        return frozenset(need)

    def _build_prefilter(self) -> None:
        """Index theme patterns by one required word beginning each."""
        seg_variants = {i: seg for seg, i in self._segments.items()}
        self._needs: list[list[list[frozenset[str]]]] = []
        self._index: dict[str, set[int]] = defaultdict(set)
        self._direct: set[str] = set()
        self._always = False
        for item in self.items:
            if item.kind not in ("patterns", "weak", "restrictive", "context"):
                continue
            segments = []
            for part in item.parts:
                for seg in part:
                    dnf = [self._requirements.get(v, frozenset()) for v in seg_variants[seg]]
                    if all(dnf):
                        segments.append(dnf)
            if not segments:
                self._always = True
                continue
            n = len(self._needs)
            self._needs.append(segments)
            if len(segments) == 1:   # one word beginning enough for this pattern
                self._direct.update(p for need in segments[0] if len(need) == 1 for p in need)
            for need in segments[0]:
                self._index[max(need, key=len)].add(n)

    def _build_exact_prefilter(self) -> None:
        """For `possible_doc`: each theme pattern as the segments it needs, each segment as
        its alternatives; patterns indexed by the strings of one position of each
        alternative of their first segment."""
        self._xneeds: list[tuple[int, ...]] = []
        self._xindex: dict[str, set[int]] = defaultdict(set)
        self._xalways = False
        self._xstrings: set[str] = set()
        for alts in self._alternatives.values():
            for alt in alts:
                for pos in alt:
                    if pos is not None:
                        self._xstrings.update(pos)
        # a segment is possible if one of its one-word alternatives is present (one set
        # test for all of them), or if every word of a longer alternative is
        self._xsingle: dict[int, frozenset[str]] = {}
        self._xmulti: dict[int, list[tuple]] = {}
        for seg, alts in self._alternatives.items():
            words = [[pos for pos in alt if pos is not None] for alt in alts]
            self._xsingle[seg] = frozenset(
                s for w in words if len(w) == 1 for s in w[0])
            if any(not w for w in words):   # an alternative any text has
                self._xsingle[seg] = frozenset(self._xstrings)
            self._xmulti[seg] = [alt for alt, w in zip(alts, words, strict=True) if len(w) > 1]
        # strings that alone make a one-segment pattern possible (one set test first)
        self._xdirect: set[str] = set()
        for item in self.items:
            if item.kind not in ("patterns", "weak", "restrictive", "context"):
                continue
            segments = tuple(dict.fromkeys(seg for part in item.parts for seg in part))
            if any(not self._alternatives.get(seg) for seg in segments):
                self._xalways = True       # a segment we know nothing of: always possible
                continue
            n = len(self._xneeds)
            self._xneeds.append(segments)
            if len(segments) == 1:
                self._xdirect.update(self._xsingle[segments[0]])
            for alt in self._alternatives[segments[0]]:
                first = next((pos for pos in alt if pos is not None), None)
                if first is None:
                    self._xalways = True   # matches whatever the words: always possible
                    break
                for string in first:
                    self._xindex[string].add(n)

    def possible_doc(self, doc) -> bool:
        """False only if no theme pattern can match the tokenised `doc`, whatever keys the
        tagger gives its words (`KeyCandidates`): word order and gaps are not checked, so
        this is a superset of what the matchers find."""
        if self._xalways or not PREFILTER:
            return True
        from spacy.attrs import ORTH

        cache, strings = self._present, doc.vocab.strings
        present: set[str] = set()
        for orth in set(doc.to_array(ORTH).tolist()) if len(doc) else ():
            found = cache.get(orth)
            if found is None:
                text = strings[orth]
                found = cache[orth] = (self._candidates(text) | {text, text.lower()}
                                       ) & self._xstrings
                if len(cache) > 500_000:
                    cache.clear()
            present |= found
        if not self._xdirect.isdisjoint(present):
            return True      # a one-word alternative of a one-segment pattern is there
        index, single, multi = self._xindex, self._xsingle, self._xmulti
        items = {n for s in present if s in index for n in index[s]}
        known: dict[int, bool] = {}
        for n in items:
            for seg in self._xneeds[n]:
                ok = known.get(seg)
                if ok is None:
                    ok = known[seg] = not single[seg].isdisjoint(present) or any(
                        all(pos is None or not pos.isdisjoint(present) for pos in alt)
                        for alt in multi[seg])
                if not ok:
                    break
            else:
                return True
        return False

    def possible(self, text: str) -> bool:
        """False only if no theme pattern can match `text` (then no NLP is needed)."""
        if self._always or not PREFILTER:
            return True
        found = text_prefixes(text)
        if not self._direct.isdisjoint(found):
            return True
        for n in {n for p in found & self._index.keys() for n in self._index[p]}:
            if all(any(need <= found for need in dnf) for dnf in self._needs[n]):
                return True
        return False

    # ------------------------------------------------------------------ matching
    def segment_spans(self, doc) -> dict[int, list[tuple[int, int]]]:
        """(start, end) of every occurrence of every segment in `doc`, per segment."""
        if not len(doc):
            return {}
        from spacy.attrs import LOWER, NORM, ORTH

        columns = doc.to_array([NORM, LOWER, ORTH]).T.tolist()   # the order of ATTRS
        # the same (segment, start, end) found on keys and on words counts once
        matches: set[tuple[int, int, int]] = set()
        for table, ids in zip(self._tables, columns, strict=True):
            table.find(ids, matches)
        # every token pattern holds an acronym, matched on ORTH (as written, or with an
        # « s »): if no token is written so, no token pattern can match
        orths = columns[2]
        if self._token_first and not self._acronym_orths.isdisjoint(orths):
            total = len(orths)
            for column, firsts in self._token_first.items():
                for i, value in enumerate(columns[column]):
                    for seg, positions in firsts.get(value, ()):
                        n = len(positions)
                        if i + n <= total and all(
                                columns[c][i + k] in values
                                for k, (c, values) in enumerate(positions)):
                            matches.add((seg, i, i + n))
        found: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for seg, start, end in matches:
            found[seg].append((start, end))
        return {seg: sorted(spans) for seg, spans in found.items()}

    def _chains(self, part, spans) -> list[tuple[tuple[int, int], ...]]:
        current = [((s, e),) for s, e in spans[part[0]]]
        for seg in part[1:]:
            current = [
                chain + ((s, e),)
                for chain in current
                for s, e in spans[seg]
                if chain[-1][1] <= s <= chain[-1][1] + self.gap
            ]
        return current

    def _combine(self, chains_per_part) -> list[tuple[tuple[tuple[int, int], ...], tuple]]:
        out = []
        for base in chains_per_part[0]:
            combo = list(base)
            for candidates in chains_per_part[1:]:
                best, best_dist = None, None
                for cand in candidates:
                    if any(s < ce and cs < e for s, e in combo for cs, ce in cand):
                        continue
                    dist = max(cand[0][0] - base[-1][1], base[0][0] - cand[-1][1], 0)
                    if dist <= self.window and (best is None or dist < best_dist):
                        best, best_dist = cand, dist
                if best is None:
                    break
                combo.extend(best)
            else:
                out.append((tuple(sorted(combo)), base[0]))
        return out

    def __call__(self, doc) -> list[Hit]:
        spans = self.segment_spans(doc)
        hits: dict[tuple, Hit] = {}
        candidates = sorted({i for seg in spans for i in self._by_segment.get(seg, ())})
        for i in candidates:
            item = self.items[i]
            if not all(s in spans for part in item.parts for s in part):
                continue
            chains = [self._chains(part, spans) for part in item.parts]
            if not all(chains):
                continue
            if len(chains) == 1:
                found = [(chain, chain[0]) for chain in chains[0]]
            else:
                found = self._combine(chains)
            for subspans, anchor in found:
                hit = Hit(item.owner, item.kind, item.text, subspans, anchor)
                hits.setdefault((item.owner, item.kind, subspans), hit)
        return sorted(hits.values(), key=lambda h: (h.start, h.end, h.owner, h.kind))
