"""The tagger: codebook themes, stance and strength for French passages.

    tagger = Tagger.from_config(cfg)          # or Tagger(load_codebook(path))
    tagger.tag_texts(["• Créer deux épiceries solidaires."])
    # [[{"id": "aide_alimentaire", "stance": "favorable", "strength": "concret",
    #    "evidence": "épiceries solidaires; deux épiceries"}]]

A passage's section heading, when given (`sections=`), is context: a theme named by the
heading makes that theme's `context` words of the passage count (« Un guichet unique le
samedi » under « Accès aux droits »); a heading never adds a theme on its own.

One finding per theme and text, the strongest: a position before a neutral mention,
restrictif before favorable, then concret > general > mention; its evidence lists every
expression of the theme found in the text. The spaCy model is loaded only when a text is
not in the cache, and a text in which no theme pattern can occur skips spaCy entirely.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import os
import re
import sqlite3
import sys
import threading
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from pathlib import Path

from analysis.codebook import Codebook, load_codebook
from analysis.common.errors import UserError
from analysis.config import DEFAULT_CODEBOOK
from analysis.tagging.cache import KeptWords, TagCache, compiled_cache_dir
from analysis.tagging.classifier import ThemeClassifier
from analysis.tagging.context import DocContext
from analysis.tagging.matcher import Hit, PatternMatcher
from analysis.tagging.nlp import MODEL, load_nlp, model_version
from analysis.tagging.stance import action_cues, governed_sign, preference, stance_of
from analysis.tagging.strength import strength_of

PACKAGE_DIR = Path(__file__).resolve().parent
CODE_FILES = sorted(PACKAGE_DIR.glob("*.py")) + [PACKAGE_DIR.parent / "codebook.py"]
TYPO = str.maketrans({"’": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
# inclusive writing (« habitant·es », « élu.es », « tou·te·s », « usager-ère-s ») is read in its
# masculine form (« habitants », « élus », « tous », « usagers »), so that the word keeps its
# lemma and the words around it stay next to it: « conseiller·es numériques » is a
# « conseillers numériques » pattern
INCLUSIVE_WORD = re.compile(
    r"(?<![\w·‧⋅•.-])([A-Za-zÀ-ÖØ-öø-ÿ][a-zà-öø-ÿ]+)(?:[·‧⋅•.](e|es|s|ne|nes|le|les|te|tes|ère|ères|euse|euses|"
    r"se|ses|rice|rices|trice|trices|ice|ices|x|ale|ales)|-(e|es|ne|nes|ère|ères|euse|euses|rice|"
    r"rices|trice|trices))(?:[·‧⋅•.-](s))?\b"
)


def _masculine_form(match: re.Match) -> str:
    stem, suffix, plural = match[1], match[2] or match[3], match[4]
    if not (plural or suffix.endswith(("s", "x"))) or stem.endswith(("s", "x")):
        return stem
    return stem[:-2] + "aux" if stem.endswith("al") else stem + "s"


SHOUTED = re.compile(r"[A-ZÀ-Þ]{3,}\W+[A-ZÀ-Þ]+\W+[A-ZÀ-Þ]{3,}")   # three words in capitals
BATCH_SIZE = 256
# texts the tagger's network reads at once: its activations grow with the tokens of a batch
# (256 programme paragraphs: ~200 MB per worker); 64 keep the peak flat at the same speed
NLP_BATCH = 64
JOB_SIZE = 128   # texts a worker tags at once (a batch is shared out in such jobs)
SURROUNDINGS_REACH = 6   # « qui longe le foyer de travailleurs migrants »: tokens back
MIN_JOB = 32     # a short batch (the input's last) is cut finer, down to jobs of this size
SECTION_SEP = "\x00§"   # cache key of a passage read with its heading: text + SEP + heading
_COMPILED: dict[str, PatternMatcher] = {}   # fingerprint -> matcher (built once per process)


def _code_hash() -> str:
    digest = hashlib.sha256()
    for path in CODE_FILES:
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def default_workers() -> int:
    """The processors this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


_WORKER = None   # the Tagger of the parent, inherited by forked workers


def _tag_safely(tagger, keys: list[str], probs=None) -> list:
    """Results of `keys` (`probs`: their second opinion, if already computed); if the batch
    fails, text by text (the exception in its place)."""
    if not keys:
        return []
    try:
        return tagger._tag_uncached(keys, probs)
    except UserError:
        raise
    except Exception:  # noqa: BLE001 - one odd text must not stop the others
        out = []
        for key in keys:
            try:
                out.extend(tagger._tag_uncached([key]))
            except Exception as exc:  # noqa: BLE001
                out.append(exc)
        return out


def job_parts(todo: list, workers: int) -> list[list]:
    """A batch's texts cut into jobs for `workers` processes: at most JOB_SIZE texts each,
    and at least 2 jobs per worker while they hold MIN_JOB texts or more, so that a short
    batch (the input's last, or a small input) keeps every worker busy to the end, none
    left with a whole job when the other has finished. In order; [[]] for no text."""
    size = min(JOB_SIZE, max(MIN_JOB, -(-len(todo) // (2 * max(1, workers)))))
    return [todo[i:i + size] for i in range(0, len(todo), size)] or [[]]


def _work(job: tuple[list[str], object]) -> tuple[list, int]:
    """In a worker process: results of the job's keys (with their second opinion, if the
    scorer computed it), and how many skipped the pipeline."""
    keys, probs = job
    before = _WORKER.stats["skipped"]
    out = _tag_safely(_WORKER, keys, probs)
    return out, _WORKER.stats["skipped"] - before


def _score(keys: list[str]):
    """In the scorer process: the second opinion's probabilities of the keys."""
    return _WORKER._scores(keys)


def normalise_text(text: str) -> str:
    """The text as the tagger reads it: typographic apostrophes and non-breaking spaces
    unified, inclusive writing in its masculine form, a passage set in capitals
    lower-cased."""
    text = INCLUSIVE_WORD.sub(_masculine_form, text.translate(TYPO))
    if SHOUTED.search(text) and not any(c.islower() for c in text):
        # a title set in capitals (« DÉVELOPPER LA DÉMOCRATIE LOCALE ») is words, not acronyms
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered
    return text


class Tagger:
    """Themes of a codebook found in texts, with stance, strength and evidence."""

    def __init__(
        self,
        codebook: Codebook,
        *,
        cache_path: str | Path | None = None,
        model: str = MODEL,
        batch_size: int = BATCH_SIZE,
        workers: int | None = 1,
        second_opinion: bool = True,
    ):
        self.codebook = codebook
        self.model = model
        self.batch_size = batch_size
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self._cache_lock = threading.Lock()
        self._cue_source = codebook
        if not any(codebook.cues.values()):
            # A codebook without its own `cues` section borrows the default French cues.
            self._cue_source = load_codebook(DEFAULT_CODEBOOK)
        self.cues = self._cue_source.cues
        self._vetoes = {t.id: t.vetoed_by for t in codebook.themes if t.vetoed_by}
        self._protective_limits = {t.id: t.limits_protect for t in codebook.themes
                                   if t.limits_protect}
        self._targeted = frozenset(t.id for t in codebook.themes if t.targeted)
        self._not_added = frozenset(t.id for t in codebook.themes if not t.model_adds)
        self._kept = frozenset(t.id for t in codebook.themes if not t.model_vetoes)
        self._order = {t: n for n, t in enumerate(codebook.theme_ids)}   # findings' order
        self._classifier = None
        self._columns: dict[str, int] = {}   # theme -> its column in the model's rows
        if codebook.classifier is not None and second_opinion:
            self._classifier = ThemeClassifier(codebook.classifier,
                                               codebook.classifier_thresholds)
            self._columns = {t: j for j, t in enumerate(self._classifier.labels)}
            unknown = sorted(set(self._classifier.labels) - set(codebook.theme_ids))
            if unknown:
                raise UserError(
                    f"{codebook.classifier} : le modèle statistique connaît des thèmes absents "
                    f"du codebook {codebook.path} ({unknown}) ; réentraînez-le sur ce codebook "
                    "(scripts/train_classifier.py) ou retirez la clé 'classifier'.")
        self._nlp = None
        self._matcher: PatternMatcher | None = None
        self._sections: dict[str, tuple[frozenset[str], bool]] = {}
        self.cache = None
        if cache_path:
            try:
                self.cache = TagCache(cache_path, self.fingerprint)
            except (OSError, sqlite3.Error) as exc:  # read-only or broken cache: go on without
                print(f"Cache d'étiquetage indisponible ({cache_path} : {exc}) ; "
                      "l'étiquetage se fera sans cache.", file=sys.stderr)
        self.stats = {"texts": 0, "cache_hits": 0, "analysed": 0, "skipped": 0}

    @classmethod
    def from_config(cls, cfg, *, use_cache: bool = True, **kwargs) -> Tagger:
        # the codebook load_config read and checked (parsing it again: ~0.1 s per start)
        codebook = getattr(cfg, "codebook", None) or load_codebook(cfg.codebook_path)
        cache_path = cfg.tag_cache_path if use_cache else None
        return cls(codebook, cache_path=cache_path, **kwargs)

    @functools.cached_property
    def fingerprint(self) -> str:
        parts = [self.codebook.fingerprint, self._cue_source.fingerprint, _code_hash(),
                 f"{self.model}-{model_version(self.model)}"]
        return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]

    @property
    def model_loaded(self) -> bool:
        return self._nlp is not None

    # ------------------------------------------------------------------ model
    def _ensure_model(self) -> None:
        if self._nlp is not None:
            return
        # compiled patterns and regexes: the shared folder (else beside the results)
        cache_dir = compiled_cache_dir(self.cache.path.parent if self.cache is not None else None)
        self._nlp = load_nlp(self.model, cache_dir)
        key = self.fingerprint
        if key not in _COMPILED:
            words = tuple(dict.fromkeys(
                [*self.cues["negation_particles"], *self.cues["negation_words"]]))
            cache_file = cache_dir / f"patterns-{key}.json" if cache_dir is not None else None
            _COMPILED[key] = PatternMatcher(self._nlp, self.codebook, self.cues,
                                            words=words, cache_file=cache_file,
                                            workers=self.workers)
        self._matcher = _COMPILED[key]
        self._words_kept = KeptWords(self._nlp)
        self._neg_particles = self._keys_of(self.cues["negation_particles"])
        self._neg_words = self._keys_of(self.cues["negation_words"])
        self._present_verbs = {w.lower() for w in self.cues["present_verbs"]}
        from analysis.contracts import STRENGTH_SCORE  # pandas only once NLP work starts

        self._strength_score = STRENGTH_SCORE

    def _keys_of(self, words: Iterable[str]) -> set[str]:
        known = self._matcher.word_keys
        words = list(words)
        if all(w in known for w in words):
            return {k for w in words for k in known[w]}
        return {t.norm_ for doc in self._nlp.pipe(words) for t in doc}

    # ------------------------------------------------------------------ public API
    @functools.cached_property
    def uses_sections(self) -> bool:
        return any(t.context for t in self.codebook.themes)

    def _keys(self, texts: Sequence[str], sections: Sequence | None) -> list[str]:
        """One key per passage: its text, plus its heading when the heading can matter."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        if sections is None or not self.uses_sections:
            return texts
        if len(sections) != len(texts):
            raise ValueError(f"{len(sections)} sections for {len(texts)} texts")
        return [
            f"{t}{SECTION_SEP}{s.strip()}" if isinstance(s, str) and s.strip() and t.strip()
            else t
            for t, s in zip(texts, sections, strict=True)
        ]

    def tag_texts(self, texts: Sequence[str], progress=None,
                  sections: Sequence | None = None) -> list[list[dict]]:
        """One list of theme findings per text, in the order of `texts`.

        `sections` (optional, same length): each text's heading, read as context.
        `progress`, if given, is called with the number of texts done after each batch.
        """
        texts = list(texts)
        if sections is not None and len(sections) != len(texts):
            raise ValueError(f"{len(sections)} sections for {len(texts)} texts")
        step = self.batch_size * 4
        batches = (
            (texts[i:i + step], None if sections is None else list(sections[i:i + step]))
            for i in range(0, len(texts), step)
        )
        out: list[list[dict]] = []
        for results in self.tag_batches(batches):
            for found in results:
                if isinstance(found, Exception):
                    raise found
            out.extend(results)
            if progress is not None:
                progress(len(results))
        return out

    def tag_batches(self, batches: Iterable[tuple[Sequence[str], Sequence | None]]):
        """Results of each (texts, sections) batch, in order, as they are ready.

        With `workers` > 1 the uncached texts of the batches are tagged by that many
        forked processes (the model and patterns are loaded once, before the fork); at
        most 2 x workers batches are in flight, so memory does not grow with the input.
        A text that makes the rules fail gives its exception in place of its result.
        """
        if self.workers <= 1:
            for texts, sections in batches:
                keys, found, todo = self._prepare(texts, sections)
                yield self._finish(keys, found, todo, _tag_safely(self, todo))
            return
        # batches found whole in the cache need neither the model nor the workers
        batches = iter(batches)
        first = None
        for texts, sections in batches:
            prepared = self._prepare(texts, sections)
            if prepared[2]:
                first = prepared
                break
            yield self._finish(*prepared, [])
        if first is None:
            return
        import multiprocessing

        global _WORKER
        _WORKER = self
        ctx = multiprocessing.get_context("fork")
        # the second opinion needs numpy only: one more process, forked before spaCy is
        # loaded, scores the jobs while the model loads (a core idle otherwise) and then
        # ahead of the workers; the workers receive each job's probabilities with it
        scorer = ctx.Pool(1) if self._classifier is not None else None
        slots = threading.BoundedSemaphore(2 * self.workers)
        pending: deque = deque()   # (prepared batch, the jobs it was cut into)

        def cut(prepared) -> list:
            # a batch's texts go out in jobs (`job_parts`), so that the workers share even
            # a single batch and finish together
            parts = job_parts(prepared[2], self.workers)
            pending.append((prepared, len(parts)))
            return [(part, scorer.apply_async(_score, (part,)) if scorer and part else None)
                    for part in parts]

        def jobs(ready: deque):
            parts = ready.popleft()
            while parts is not None:
                for part, scored in parts:
                    probs = None
                    if scored is not None:
                        try:
                            probs = scored.get()
                        except Exception:  # noqa: BLE001 - the worker scores them itself
                            pass
                    yield part, probs
                if ready:
                    parts = ready.popleft()
                    continue
                slots.acquire()
                texts, sections = next(batches, (None, None))
                parts = None if texts is None else cut(self._prepare(texts, sections))

        try:
            slots.acquire()
            ready = deque([cut(first)])
            if scorer is not None:
                # as many batches as may be in flight, read now: the scorer works on them
                # all while the model loads
                while len(ready) < 2 * self.workers:
                    texts, sections = next(batches, (None, None))
                    if texts is None:
                        ready.append(None)
                        break
                    slots.acquire()
                    ready.append(cut(self._prepare(texts, sections)))
            self._ensure_model()
            gc.freeze()   # the parent's objects, shared by the forked workers: never collected
            with ctx.Pool(self.workers) as pool:
                results = pool.imap(_work, jobs(ready))
                for computed, skipped in results:
                    (keys, found, todo), parts = pending.popleft()
                    computed = list(computed)
                    for _ in range(parts - 1):
                        more, more_skipped = next(results)
                        computed += more
                        skipped += more_skipped
                    self.stats["analysed"] += len(todo)
                    self.stats["skipped"] += skipped
                    yield self._finish(keys, found, todo, computed)
                    slots.release()
        finally:
            if scorer is not None:
                scorer.terminate()

    def _prepare(self, texts, sections) -> tuple[list[str], dict, list[str]]:
        """Keys of a batch, cached results found, keys left to tag (each once)."""
        keys = self._keys(list(texts), sections)
        self.stats["texts"] += len(keys)
        unique = [k for k in dict.fromkeys(keys) if k.split(SECTION_SEP, 1)[0].strip()]
        found: dict = {}
        if self.cache is not None and unique:
            with self._cache_lock:
                found = self.cache.get_many(unique)
            counts = Counter(keys)
            self.stats["cache_hits"] += sum(counts[k] for k in found)
        return keys, found, [k for k in unique if k not in found]

    def _finish(self, keys, found, todo, computed) -> list:
        fresh = dict(zip(todo, computed, strict=True))
        if self.cache is not None:
            with self._cache_lock:
                self.cache.put_many({k: r for k, r in fresh.items()
                                     if not isinstance(r, Exception)})
        found.update(fresh)
        return [r if isinstance(r := found.get(k, []), Exception) else list(r) for k in keys]

    def tag_text(self, text: str, section: str | None = None) -> list[dict]:
        return self.tag_texts([text], sections=[section])[0]

    def explain(self, text: str, section: str | None = None) -> dict:
        """Everything the rules saw in one text (for debugging and the notebook)."""
        self._ensure_model()
        doc = self._nlp(normalise_text(text))
        hits = self._matcher(doc)
        return {
            "section_themes": sorted(self._section_themes(section or "")),
            "tokens": [(t.text, t.norm_, t.pos_) for t in doc],
            "hits": [(h.owner, h.kind, h.pattern, h.text(doc)) for h in hits],
            "themes": self._analyse(doc, self._with_context(
                hits, self._section_themes(section or ""))),
        }

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    # ------------------------------------------------------------------ analysis
    @staticmethod
    def _pairs(keys: list[str]) -> list[list[str]]:
        """Each key's text and heading ("" if none)."""
        return [(k.split(SECTION_SEP, 1) + [""])[:2] for k in keys]

    def _scores(self, keys: list[str]):
        """The second opinion's probabilities of the keys' texts, read with their heading
        and alone (`ThemeClassifier.opinions`)."""
        pairs = self._pairs(keys)
        return self._classifier.opinions([normalise_text(t) for t, _ in pairs],
                                         [sec for _, sec in pairs])

    def _tag_uncached(self, keys: list[str], probs=None) -> list[list[dict]]:
        """Results of the keys; `probs`: their second opinion, if already computed."""
        self._ensure_model()
        # each key's text as the tagger reads it and its heading; "" when no pattern can
        # occur in the raw text (first of two pre-filters, both supersets of what the
        # patterns find)
        pairs = self._pairs(keys)
        normal = [normalise_text(t) for t, _ in pairs]
        clean = [t if self._matcher.possible(t) else "" for t in normal]
        made = self._words_kept.keep(self._nlp, clean)   # these texts' docs, reused below
        if self._classifier is None:
            probs = None
        elif probs is None:
            probs = self._classifier.opinions(normal, [sec for _, sec in pairs])
        out: list[list[dict]] = []
        # strings and lexemes of the call's texts (one job: at most 4 batches) are freed
        # after it: memory stays flat, and words repeated across its batches are read once
        with self._nlp.memory_zone():
            for i in range(0, len(keys), self.batch_size):
                j = i + self.batch_size
                parsed: dict = {}
                found = self._tag_batch(pairs[i:j], clean[i:j], parsed, made[i:j])
                if probs is not None:
                    found = self._second_opinion(pairs[i:j], normal[i:j], found, probs[i:j],
                                                 parsed)
                found = self._as_findings(pairs[i:j], found, parsed)
                out.extend(found)
        return out

    def _tag_batch(self, pairs: list[list[str]], clean: list[str], parsed: dict,
                   made: list) -> list[list[dict]]:
        """Results of a batch; `parsed` receives each analysed text's doc and hits by
        position (the second opinion reads them again); `made`: docs already tokenised
        (`KeptWords`), None for a text to tokenise here."""
        # second pre-filter: every key the words could take (tokenizer only); a passage
        # that passes both goes through the tagger, its tokens reused
        make_doc = self._nlp.make_doc
        tokenised = [(i, made[i] if made[i] is not None else make_doc(t))
                     for i, t in enumerate(clean) if t]
        todo = [(i, doc) for i, doc in tokenised if self._matcher.possible_doc(doc)]
        out: list[list[dict]] = [[] for _ in pairs]
        docs = self._nlp.pipe((doc for _, doc in todo), batch_size=NLP_BATCH)
        for (i, _), doc in zip(todo, docs, strict=True):
            hits = self._hits(doc, pairs[i][1])
            out[i] = self._analyse(doc, hits)
            parsed[i] = (doc, hits)
        self.stats["analysed"] += len(pairs)
        self.stats["skipped"] += len(pairs) - len(todo)
        return out

    def _hits(self, doc, section: str) -> list[Hit]:
        hits = self._matcher(doc)
        if any(h.kind in ("context", "headings") for h in hits):
            hits = self._with_context(hits, self._section_themes(section))
        return hits

    def _second_opinion(self, pairs, texts, found, probs, parsed) -> list[list[dict]]:
        """The model's veto and additions (see tagging/classifier.py): a theme of the rules
        the model finds very unlikely is dropped, unless the rules read a restriction (the
        model learnt from few of them) or a named scheme (`_named`); a theme it finds very
        likely is added, with the stance and strength the passage's own words give (no
        theme when the passage takes no position, as for the rules)."""
        clf, columns = self._classifier, self._columns
        wanted: dict[int, list[tuple[str, float]]] = {}
        own_words = clf.add_own_words_above
        unsure = self._unsure_under_heading(pairs, texts, found, probs)
        for i, (row, alone) in enumerate(probs):
            named = self._named(parsed[i]) if found[i] else set()
            found[i] = [f for f in found[i] if f["id"] not in columns or f["stance"] ==
                        "restrictif" or f["id"] in self._kept or f["id"] in named
                        or row[columns[f["id"]]] >= clf.veto_below
                        or unsure.get(i, {}).get(f["id"], 0.0) >= clf.veto_below]
            have = {f["id"] for f in found[i]}
            # a neighbour of a theme the rules read needs a surer model; the heading alone
            # never adds a theme (the passage's own words must point to it)
            above = clf.add_above_with_rules if have else clf.add_above
            add = [(t, float(row[j])) for t, j in columns.items()
                   if row[j] > above and t not in have and alone[j] >= own_words]
            if add:
                wanted[i] = add
        if not wanted:
            return found
        order = self._order
        # texts the pre-filters kept out of the pipeline are read now, only those
        todo = [i for i in wanted if i not in parsed]
        for i, doc in zip(todo, self._nlp.pipe([texts[i] for i in todo],
                                               batch_size=NLP_BATCH), strict=True):
            parsed[i] = (doc, self._hits(doc, pairs[i][1]))
        for i, add in wanted.items():
            restricts = any(f["stance"] == "restrictif" for f in found[i])
            extra = self._added(*parsed[i], add, restricts)
            found[i] = sorted(found[i] + extra, key=lambda f: order[f["id"]])
        return found

    def _unsure_under_heading(self, pairs, texts, found, probs) -> dict[int, dict[str, float]]:
        """The model's probability, reading the passage alone, of each rule finding it would
        veto reading the passage with its heading: a heading that leads the model to a
        neighbouring theme (« Soutien aux personnes en situation de handicap » under « Nos
        aînés ») does not remove what the passage's own words say (the heading never adds
        a theme, and never takes one away)."""
        clf, columns = self._classifier, self._columns
        rows = [i for i, (row, _) in enumerate(probs) if pairs[i][1] and any(
            f["id"] in columns and row[columns[f["id"]]] < clf.veto_below for f in found[i])]
        if not rows:
            return {}
        alone = clf.probabilities([texts[i] for i in rows])
        return {i: {t: float(alone[k][j]) for t, j in columns.items()}
                for k, i in enumerate(rows)}

    @staticmethod
    def _named(parsed) -> set[str]:
        """Themes whose rules read a named scheme (cues `named_schemes`: « CLIC », « SSIAD »):
        the model, which never saw most local schemes, does not veto them."""
        _, hits = parsed
        names = [h for h in hits if h.kind == "cue" and h.owner == "named_schemes"]
        return {h.owner for h in hits if names and h.kind not in ("cue", "exclude")
                and any(h.overlaps(n) for n in names)}

    def _added(self, doc, hits: list[Hit], themes: list[tuple[str, float]],
               restricts: bool = False) -> list[dict]:
        """Findings for themes the model adds. Their position is the passage's: a
        restriction when the passage ranks residents (a preference), when the rules read a
        restriction in it, or when its first action restricts something that is not a
        problem (« fermer le centre social », not « réduire les délais »); else favorable
        when it commits, neutral when it describes. `restricts`: the rules read one."""
        cues, ctx = self._context(doc, hits)
        if self._takes_no_position(ctx, cues):
            return []
        clauses = set(ctx.clause)
        governors = action_cues(ctx, [])
        if restricts or any(preference(ctx, c, governors) for c in clauses) or \
                self._first_action_restricts(ctx, governors):
            stance = "restrictif"   # « les aides seront réservées aux Français »
        elif any(ctx.committed(c) for c in clauses):
            stance = "favorable"
        else:
            stance = "neutre"
        # what the rules refuse holds for the model too: a theme vetoed here (the campaign's
        # own meetings), or one that counts only for people in need when the passage offers
        # a measure for all (« pour tous les enfants ») and names no need (rule 1)
        refused = self._vetoed(ctx, cues)
        if stance != "restrictif":
            # a theme the model may not add alone (`model_adds: false`) is added only to a
            # restriction: the words that make it likely (« logement ») mostly name a
            # policy for all, and a restriction of them is rare and telling
            refused |= self._not_added
            if cues.get("universal") and not cues.get("need"):
                refused |= self._targeted
        # … or one whose words only name the surroundings of another measure (« le parvis
        # de l'hôpital »)
        placed, named = set(), set()
        for h in hits:
            if h.kind not in ("cue", "exclude"):
                (placed if self._surroundings_only(ctx, h) else named).add(h.owner)
        refused |= placed - named
        themes = [(t, p) for t, p in themes if t not in refused]
        if not themes:
            return []
        strength, measures = strength_of(ctx, stance, clauses)
        return [{"id": t, "stance": stance, "strength": strength,
                 "evidence": "; ".join([f"second avis statistique ({round(p * 100)} %)",
                                        *measures])} for t, p in themes]

    @staticmethod
    def _first_action_restricts(ctx: DocContext, governors) -> bool:
        actions = [(t, c) for t, c in governors if t != "inverters"]
        if not actions:
            return False
        cue_type, cue = min(actions, key=lambda tc: tc[1].start)
        if governed_sign(ctx, cue_type, cue, governors) > 0:   # « … ne … pas à ouvrir »
            return False
        clause = ctx.clause[cue.start]
        if not ctx.committed(clause):
            # « à chaque scrutin, la participation diminue »: a diagnosis restricts nothing
            return False
        return not any(ctx.clause[p.start] == clause and p.start >= cue.end
                       for p in ctx.cues.get("problems", []))

    def _section_themes(self, section: str) -> frozenset[str]:
        """Themes a heading names (theme patterns and `headings` words, not weak or context
        words)."""
        return self._heading(section)[0]

    def _diagnosis_heading(self, section: str) -> bool:
        """Does the heading announce findings (cues `diagnosis_headings`: « Nos constats »,
        « État des lieux »)?"""
        return self._heading(section)[1]

    def _heading(self, section: str) -> tuple[frozenset[str], bool]:
        if not section:
            return frozenset(), False
        if section not in self._sections:
            text = normalise_text(section)
            # run even when no theme pattern can occur: the heading's cues matter too
            hits = self._matcher(self._nlp(text))
            found = frozenset(h.owner for h in hits
                              if h.kind in ("patterns", "restrictive", "headings"))
            diagnosis = any(h.kind == "cue" and h.owner == "diagnosis_headings" for h in hits)
            if len(self._sections) > 100_000:
                self._sections.clear()
            self._sections[section] = (found, diagnosis)
        return self._sections[section]

    def _as_findings(self, pairs, found: list[list[dict]], parsed: dict) -> list[list[dict]]:
        """A passage under a heading of findings (« Nos constats : Besoin d'activités
        périscolaires ») that makes no commitment in its own words (no future, no « nous
        voulons », no opening action noun) is a diagnosis: its favourable findings are
        neutral (the guide's stance section). Restrictions are left as they are."""
        for i, (_, section) in enumerate(pairs):
            if not any(f["stance"] == "favorable" for f in found[i]) or \
                    not self._diagnosis_heading(section) or i not in parsed:
                continue
            _, ctx = self._context(*parsed[i])
            if ctx.cues_in("intent") or any(ctx.clause_commits(c) for c in set(ctx.clause)):
                continue
            found[i] = [{**f, "stance": "neutre", "strength": "mention"}
                        if f["stance"] == "favorable" else f for f in found[i]]
        return found

    @staticmethod
    def _with_context(hits: list[Hit], themes: frozenset[str]) -> list[Hit]:
        """Context hits count as theme patterns when the heading names their theme and the
        passage's own words name no other theme (the heading settles an ambiguous bullet, it
        does not add a theme to a passage that says what it is about: « une épicerie sociale
        gérée par le CCAS » under « Solidarité » is food aid, not social support); heading
        words found in the passage itself count for nothing."""
        own = {h.owner for h in hits if h.kind in ("patterns", "weak", "restrictive")}
        if own:
            themes = frozenset(t for t in themes if t in own)
        return [
            dataclasses.replace(h, kind="patterns") if h.kind == "context" else h
            for h in hits
            if h.kind != "headings" and (h.kind != "context" or h.owner in themes)
        ]

    def _filter(self, ctx: DocContext, hits: list[Hit]) -> list[Hit]:
        """Drop hits overlapping an exclusion of their theme and weak hits used as places."""
        excluded = defaultdict(list)
        for h in hits:
            if h.kind == "exclude":
                excluded[h.owner].append(h)
        kept = [
            h for h in hits
            if h.kind != "exclude" and not any(h.overlaps(x) for x in excluded[h.owner])
        ]
        kept = [h for h in kept if h.kind != "weak" or not self._only_a_place(ctx, h, kept)]
        # a theme's place named only as the surroundings of another measure (« 40 places de
        # stationnement devant la maison de santé », « la rue qui longe le foyer de travailleurs
        # migrants »): the guide's « a word that only names a place »
        kept = [h for h in kept if h.kind == "restrictive" or not self._surroundings_only(ctx, h)]
        # a hit inside a longer hit of the same theme adds nothing (« douches » in
        # « bains-douches »); a restrictive hit is never swallowed by a plain one
        return [
            h for h in kept
            if not any(
                o is not h and o.owner == h.owner and o.start <= h.start and h.end <= o.end
                and (o.end - o.start) > (h.end - h.start)
                and (h.kind != "restrictive" or o.kind == "restrictive")
                for o in kept
            )
        ]

    def _only_a_place(self, ctx: DocContext, hit: Hit, hits: list[Hit]) -> bool:
        """A weak hit cited as a place or operator (« dans les centres sociaux »), or as the
        complement of another theme (« l'aide d'urgence du CCAS »)."""
        doc = ctx.tokens
        start, end = hit.anchor
        nxt = end
        while nxt < len(doc) and doc[nxt].pos_ in ("ADJ", "ADV"):
            nxt += 1
        subject = nxt < len(doc) and doc[nxt].pos_ in ("VERB", "AUX") and "Fin" in doc[
            nxt].morph.get("VerbForm")
        j = start - 1
        while j >= 0 and doc[j].norm_ == "le":
            j -= 1
        if j >= 0 and doc[j].norm_ == "de" and any(
                h.owner != hit.owner and any(e == j for _, e in h.spans) for h in hits):
            return True
        # inside another theme's expression (« les aides du CCAS seront contrôlées »)
        if any(h.owner != hit.owner and h.kind != "weak" and len(h.spans) == 1
               and any(s <= start and end <= e for s, e in h.spans) for h in hits):
            return True
        return self._after_marker(ctx, hit, ctx.cues.get("place_markers", []), 16, subject)

    @classmethod
    def _surroundings_only(cls, ctx: DocContext, hit: Hit) -> bool:
        """The hit names the surroundings of another measure (cue list `surroundings`)."""
        around = ctx.cues.get("surroundings")
        return bool(around) and cls._after_marker(ctx, hit, around, SURROUNDINGS_REACH)

    @staticmethod
    def _after_marker(ctx: DocContext, hit: Hit, markers: list[Hit], reach: int,
                      subject: bool = False) -> bool:
        """A marker (« dans », « aux abords de ») ends right before the noun group of the
        hit's anchor, in its clause, at most `reach` tokens before it."""
        doc = ctx.tokens
        start = hit.anchor[0]
        i, steps = start - 1, 0
        while i >= 0 and steps < reach and ctx.clause[i] == ctx.clause[start]:
            if any(m.end == i + 1 for m in markers):
                return True
            tok = doc[i]
            if tok.text == "," and subject:
                return False  # subject after a fronted phrase: « Dans chaque quartier, une
                #               maison des habitants accueillera … »
            if not (tok.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "CCONJ")
                    or tok.text in (",", "(", ")") or tok.norm_ in ("de", "le", "a", "un")):
                break
            i, steps = i - 1, steps + 1
        return False

    @staticmethod
    def _takes_no_position(ctx: DocContext, cues: dict[str, list[Hit]]) -> bool:
        """An indicator line (« Indicateurs de suivi : … »), a question put to the reader
        (« Comment associerez-vous les habitants … ? ») or a story, the list's own or its
        candidate's (« J'ai passé vingt ans à soigner… », « Notre liste rassemble… »),
        announces nothing: no theme."""
        doc = ctx.tokens
        first = next((t.i for t in doc if not (t.is_space or t.is_punct or t.like_num)), 0)
        future = ctx.has_future
        if any(c.start <= first + 1 for c in cues.get("skip_leads", [])) and not future:
            return True   # « Le nombre de places sera doublé » is a promise, not an indicator
        if (cues.get("narrative") and not cues.get("intent") and not future
                and not ctx.is_infinitive_start(0)):
            return True   # a story promises nothing; a proposal opening with its verb
            #               (« Poursuivre le projet que j'ai initié … ») is not one
        words = [t for t in doc if not t.is_space]
        if not words or words[-1].text != "?":
            return False
        if any(t.text in (".", "!", "?") for t in words[:-1]):
            return False          # a question inside a longer passage: read the rest
        # put to the reader (« … prévoyez-vous … ? ») or a verbless list of topics asked
        # about (« Quels engagements sur l'aide alimentaire … ? »)
        if cues.get("question_address"):
            return True
        return bool(cues.get("question_leads")) and not any(
            t.pos_ in ("VERB", "AUX") for t in words)

    def _vetoed(self, ctx: DocContext, cues) -> set[str]:
        """Themes a cue list vetoes here: « Notre programme a été construit avec les
        habitants » is the campaign's work, not a municipal device (the themes' `vetoed_by`),
        unless a future verb commits the list."""
        if ctx.has_future:
            return set()
        return {theme for theme, lists in self._vetoes.items()
                if any(cues.get(v) for v in lists)}

    @staticmethod
    def _cues(hits: list[Hit]) -> defaultdict:
        """The cue hits by list, the longest reading the words."""
        cues = defaultdict(list)
        for h in hits:
            if h.kind == "cue":
                cues[h.owner].append(h)
        for name, found in cues.items():
            if len(found) > 1:
                # the longest cue reads the words (« fin de la gratuité », not « fin de la »)
                cues[name] = [c for c in found if not any(
                    o is not c and o.start <= c.start and c.end <= o.end
                    and o.end - o.start > c.end - c.start for o in found)]
        for kind in ("restrictive", "preference"):
            if cues.get("not_restrictive") and cues.get(kind):
                # « avant la fin de l'année » dates a measure, it does not end one; « les
                # familles installées depuis peu » are welcomed, not ranked by residence
                cues[kind] = [c for c in cues[kind]
                              if not any(c.overlaps(t) for t in cues["not_restrictive"])]
        return cues

    def _context(self, doc, hits: list[Hit]) -> tuple[defaultdict, DocContext]:
        cues = self._cues(hits)
        return cues, DocContext(doc, dict(cues), self._neg_particles, self._neg_words,
                                self._present_verbs)

    def _analyse(self, doc, hits: list[Hit]) -> list[dict]:
        cues, ctx = self._context(doc, hits)
        if self._takes_no_position(ctx, cues):
            return []
        theme_hits = self._filter(ctx, [h for h in hits if h.kind != "cue"])
        vetoed = self._vetoed(ctx, cues)
        if vetoed:
            theme_hits = [h for h in theme_hits if h.owner not in vetoed]
        # « zéro » in « Territoire zéro chômeur » is part of a name, not a negation; a
        # restrictive pattern that starts with the determiner (« aucun … en situation
        # irrégulière ») leaves it to the measure it denies (« plus aucun cours de français
        # pour les étrangers en situation irrégulière »)
        ctx.cues["negation_determiners"] = [
            d for d in ctx.cues.get("negation_determiners", [])
            if not any(d.overlaps(h) for h in theme_hits if h.kind != "restrictive")
        ]
        governors = action_cues(ctx, theme_hits)
        findings: dict[str, list] = defaultdict(list)
        owners = defaultdict(set)
        for h in theme_hits:
            owners[ctx.clause[h.start]].add(h.owner)
        stances = {id(hit): stance_of(ctx, hit, governors) for hit in theme_hits}
        refused = [h for h in theme_hits
                   if h.kind == "restrictive" and stances[id(h)][0] == "favorable"]
        for hit in theme_hits:
            stance, stance_word = stances[id(hit)]
            if stance == "restrictif" and hit.kind == "restrictive" and any(
                    r.owner == hit.owner and r.start == hit.end for r in refused):
                # a restrictive measure qualified right after by another one (« retirer les
                # bancs » + « anti-SDF »): its object is the refused measure
                stance, stance_word = "favorable", ""
            if stance == "restrictif" and any(
                    cues.get(v) for v in self._protective_limits.get(hit.owner, ())):
                # « le maire n'effectuera pas plus de deux mandats », « aucun conjoint d'élu
                # ne sera recruté »: a limit on officials protects democracy
                stance, stance_word = "favorable", ""
            # measures count in the hit's clause and in clauses about no other theme
            # (« Engagement : … ; Montant : 1,8 M€ ; Échéance : 2027 »)
            clauses = {c for c in set(ctx.clause) if owners[c] <= {hit.owner}}
            clauses.add(ctx.clause[hit.start])
            strength, measures = strength_of(ctx, stance, clauses)
            rank = (stance != "neutre", stance == "restrictif", self._strength_score[strength])
            findings[hit.owner].append((rank, stance, strength, stance_word, measures, hit))
        out = []
        for theme_id in self.codebook.theme_ids:
            if theme_id not in findings:
                continue
            items = findings[theme_id]
            _, stance, strength, stance_word, measures, _ = max(items, key=lambda f: f[0])
            words = list(dict.fromkeys(f[5].text(doc) for f in items))
            extra = [w for w in [stance_word, *measures] if w and w not in words]
            out.append({
                "id": theme_id, "stance": stance, "strength": strength,
                "evidence": "; ".join(words + extra),
            })
        return out
