"""What the stance and strength rules need to know about one passage.

Clauses (split on strong punctuation and bullets), the cue hits of the codebook's `cues`
section, negation around a token, and whether a clause commits to something (future tense,
programme bullet starting with an infinitive, « nous voulons », « oui », ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from analysis.tagging.matcher import Hit
from analysis.tagging.nlp import fold

CLAUSE_BREAKS = {".", ";", ":", "!", "?", "•", "–", "—", "▪", "►", "→", "*", "…"}
BULLETS = {"•", "-", "–", "—", "▪", "►", "→", "*", "✓", "✔", "·", "o"}
AUX_KEYS = {"etre", "avoir"}
# « nous pensons que … » states an opinion, not a commitment
OPINION_VERBS = {"croire", "penser", "estimer", "considerer", "constater", "savoir", "trouver"}
# Endings of the future tense (the tagger often labels it as present).
FUTURE_ENDINGS = (
    "erons", "eront", "irons", "iront", "rrons", "rront", "drons", "dront", "urons", "uront",
    "trons", "tront", "erez", "irez", "erai", "irai", "era", "ira", "rra", "dra", "tra", "ura",
)
ACTION_CUES = ("favorable", "restrictive", "inverters")
RELATIVES = {"qui", "que", "qu'", "dont", "où", "lorsque", "quand", "si", "s'"}
NEGATION_LEAD = {"ne", "n'", "pas", "plus", "jamais"}


class Token:
    """A spaCy token whose attributes are read from spaCy once each: spaCy builds every
    answer anew (a Python string for `pos_`, a morphology object and a list for
    `morph.get(...)`), and the rules read the same tokens many times."""

    def __init__(self, token, text, norm_, lower_, pos_, is_space, like_num):
        # the attributes the rules read of nearly every token, read in one pass per
        # passage (`DocContext`): the others on demand
        self._token = token
        self.text = text
        self.norm_ = norm_
        self.lower_ = lower_
        self.pos_ = pos_
        self.is_space = is_space
        self.like_num = like_num

    def __getattr__(self, name):
        value = getattr(self._token, name)
        if name == "morph":
            value = Morph(value)
        self.__dict__[name] = value
        return value


class Morph:
    """A token's morphology whose `get(field)` answers are kept (read them, never change
    them)."""

    def __init__(self, morph):
        self._morph = morph
        self._fields: dict[str, list[str]] = {}

    def get(self, field, default=None):
        if default is not None:
            return self._morph.get(field, default)
        found = self._fields.get(field)
        if found is None:
            found = self._fields[field] = self._morph.get(field)
        return found

    def __getattr__(self, name):
        return getattr(self._morph, name)

    def __str__(self) -> str:
        return str(self._morph)


@dataclass
class DocContext:
    """A processed passage with its clauses and cue hits."""

    doc: object
    cues: dict[str, list[Hit]]
    negation_particles: set[str]
    negation_words: set[str]
    present_verbs: set[str] = field(default_factory=set)
    clause: list[int] = field(default_factory=list)
    clause_start: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Token objects and keys built once (spaCy creates a new Token at each doc[i]),
        # their attributes read once each (`Token`)
        spacy_tokens = list(self.doc)
        texts = [t.text for t in spacy_tokens]
        self.keys = [t.norm_ for t in spacy_tokens]
        self.tokens = [
            Token(t, text, key, t.lower_, t.pos_, t.is_space, t.like_num)
            for t, text, key in zip(spacy_tokens, texts, self.keys, strict=True)
        ]
        self._clause_tokens: dict[int, list[int]] = {}
        self._committed: dict[int, bool] = {}
        cid = 0
        for i, text in enumerate(texts):
            if text in CLAUSE_BREAKS or "\n" in text:
                self.clause.append(cid)
                self._clause_tokens.setdefault(cid, []).append(i)
                cid += 1
                continue
            self.clause.append(cid)
            self.clause_start.setdefault(cid, i)
            self._clause_tokens.setdefault(cid, []).append(i)

    # ------------------------------------------------------------------ helpers
    def clause_tokens(self, cid: int) -> list[int]:
        return self._clause_tokens.get(cid, [])

    def cues_in(self, cue_type: str, cid: int | None = None) -> list[Hit]:
        hits = self.cues.get(cue_type, [])
        return hits if cid is None else [h for h in hits if self.clause[h.start] == cid]

    def negated(self, start: int, end: int) -> bool:
        """« ne … pas/plus/jamais/aucun » around tokens start..end (same clause)."""
        return bool(self.negating_words(start, end))

    def negating_words(self, start: int, end: int) -> set[int]:
        """The negation words (« pas », « plus », « aucun » …) that negate tokens
        start..end with a « ne » before them, as token indices; empty when not negated."""
        cid = self.clause[start]
        keys = self.keys
        lo, hi = max(0, start - 4), min(len(keys), end + 3)
        particles = [
            i for i in range(lo, start)
            if keys[i] in self.negation_particles and self.clause[i] == cid
        ]
        if not particles:
            return set()
        if any(particles[0] < c.start and c.end <= start for c in self.cues.get("litotes", [])):
            # « nous n'hésiterons pas à créer »: the negation is the litote's, not the cue's
            return set()
        # « ne … pas » around the word, or « aucun / personne … ne » earlier in the clause
        first = min(self.clause_start.get(cid, 0), particles[0])
        return {
            i for i in range(first, hi)
            if not start <= i < end and keys[i] in self.negation_words and self.clause[i] == cid
        }

    def determiner_negated(self, start: int, determiners: list[Hit]) -> bool:
        """« aucun », « pas de », « zéro », « sans » before the noun group at `start`, also
        as its complement (« aucun nouveau programme de logements sociaux »)."""
        for det in determiners:
            if det.end > start or start - det.end > 5:
                continue
            if self.clause[det.start] != self.clause[start]:
                continue
            between = self.tokens[det.end:start]
            if not between and self.tokens[start].pos_ == "ADP":
                # « tolérance zéro contre les squats »: a determiner never governs a
                # preposition, so nothing after it is negated
                continue
            if len(between) <= 2 and all(
                    t.pos_ in ("DET", "ADJ", "NUM") or t.norm_ in ("de", "le", "un")
                    for t in between):
                return True
            # « aucun [nouveau programme] de logements » : a noun group ending with « de »
            if (between and between[-1].norm_ in ("de", "d'")
                    and all(t.pos_ in ("DET", "ADJ", "NUM", "NOUN") or t.norm_ in ("de", "le")
                            for t in between)):
                return True
        return False

    # ------------------------------------------------------------------ commitment
    @cached_property
    def has_future(self) -> bool:
        """A verb of the passage in the future tense (the list commits to something)."""
        return any(self.is_future(t) for t in self.tokens)

    def is_future(self, tok) -> bool:
        if tok.pos_ not in ("VERB", "AUX"):
            # « retirerons » taken for a noun (its key was repaired to « retirer »)
            low = tok.lower_
            return low.endswith(("erons", "eront", "irons", "iront")) and tok.norm_ != fold(low)
        if "Fut" in tok.morph.get("Tense"):
            return True
        low = tok.lower_
        return len(low) > 3 and low.endswith(FUTURE_ENDINGS) and low != tok.lemma_.lower()

    def is_infinitive_start(self, cid: int) -> bool:
        """A programme bullet: the clause opens with an infinitive (« Créer … »)."""
        for i in self.clause_tokens(cid):
            tok = self.tokens[i]
            if (tok.is_punct or tok.is_space or tok.text in BULLETS or tok.like_num
                    or tok.lower_ in NEGATION_LEAD):
                continue
            low = tok.lower_
            if not low.endswith(("er", "ir", "re")):
                return False
            if ("Inf" in tok.morph.get("VerbForm") or tok.pos_ == "VERB") and (
                    low == tok.lemma_.lower()):
                return True
            # « Installer » tagged as a proper noun: trust the cue lists
            return any(c.start == i for k in ACTION_CUES for c in self.cues.get(k, []))
        return False

    def starts_with_bullet(self) -> bool:
        """A bullet or a numbered programme item (« 32. Un élu référent… », « 4) … »)."""
        toks = [t for t in self.tokens[:3] if not t.is_space]
        if not toks:
            return False
        if toks[0].text in BULLETS:
            return True
        return (len(toks) > 1 and toks[0].like_num and len(toks[0].text) <= 3
                and toks[1].text in (".", ")", "-", "–"))

    def first_person_present(self, cid: int) -> bool:
        """« nous soutenons », « je défends »: a position taken now."""
        if self._actor_acts(cid):
            return True
        toks = [i for i in self.clause_tokens(cid) if self.tokens[i].lower_ not in ("ne", "n'")]
        for a, b in zip(toks, toks[1:], strict=False):
            subj = self.tokens[a].lower_
            verb = self.tokens[b]
            if (subj in ("nous", "je", "j'") and verb.pos_ == "VERB"
                    and verb.norm_ not in AUX_KEYS | OPINION_VERBS):
                return True
            # « nous avons créé », « j'ai ouvert »: an outgoing team claims a record, a
            # position as much as a promise
            if (subj in ("nous", "j'", "je") and verb.norm_ == "avoir"
                    and b + 1 < len(self.tokens)
                    and "Part" in self.tokens[b + 1].morph.get("VerbForm")
                    and self.tokens[b + 1].norm_ not in OPINION_VERBS):
                return True
        return False

    def _actor_acts(self, cid: int) -> bool:
        """« la Ville soutient déjà … », « le CCAS a ouvert … »: the municipality as the
        subject of a main verb, its action defended or recalled (a position, as « nous »)."""
        for actor in self.cues_in("actors", cid):
            if actor.start > 0 and self.tokens[actor.start - 1].pos_ in ("ADP", "VERB", "NOUN"):
                continue   # « avec la Ville », « demander à la commune »: not the subject
            i, already = actor.end, False
            while i < len(self.tokens) and (
                    self.tokens[i].pos_ == "ADV" or self.tokens[i].lower_ in ("ne", "n'")):
                already = already or self.tokens[i].lower_ == "déjà"
                i += 1
            if i >= len(self.tokens) or self.clause[i] != cid:
                continue
            verb = self.tokens[i]
            if verb.norm_ in OPINION_VERBS:
                continue
            # « la Ville soutient déjà », « le CCAS a ouvert »: a record or a measure kept;
            # a bare present (« le CCAS accompagne 3 000 ménages ») describes
            already = already or any(
                t.lower_ == "déjà" for t in self.tokens[i + 1:i + 3])
            if verb.pos_ == "VERB" and already:
                return True
            if (verb.norm_ == "avoir" and i + 1 < len(self.tokens)
                    and "Part" in self.tokens[i + 1].morph.get("VerbForm")
                    and self.tokens[i + 1].norm_ not in OPINION_VERBS):
                return True
        return False

    def has_finite_verb(self, tokens) -> bool:
        """A finite main verb (verbs of relative clauses, « qui le souhaitent », excepted)."""
        for i in tokens:
            tok = self.tokens[i]
            finite = (
                tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm")
                and tok.is_alpha and not tok.lower_.endswith(("ement", "amment", "emment"))
                # « pour que la mobilité ne soit plus un frein »: a subordinate subjunctive
                and "Sub" not in tok.morph.get("Mood")
                and not self._mistagged_participle(i) and not self._after_determiner(i)
                # a finite form never equals its infinitive: « solidaire », « obligatoire »
                # taken for verbs (« Une commune solidaire : … ») are adjectives
                and tok.lower_ != tok.lemma_.lower()
            )
            # accents kept: « géré » (a participle) is not « gère »
            if not finite and tok.lower_ in self.present_verbs and i > 0:
                finite = self.tokens[i - 1].pos_ not in ("DET", "ADP")
            if not finite:
                continue
            before = {self.tokens[j].lower_ for j in range(max(0, i - 3), i)}
            if not before & RELATIVES:
                return True
        return False

    def _after_determiner(self, i: int) -> bool:
        """A « verb » right after a determiner, or after a determiner and an adjective, is
        a noun the tagger misread (« sur l'ancienne caserne »)."""
        prev = self.tokens[i - 1] if i > 0 else None
        if prev is None:
            return False
        if prev.pos_ == "DET":
            return True
        return prev.pos_ == "ADJ" and i > 1 and self.tokens[i - 2].pos_ == "DET"

    def _mistagged_participle(self, i: int) -> bool:
        """A « finite verb » that cannot be one: a participle form (« le conseil municipal
        filmé »), or a plural verb right after a singular noun (« un élu référent »)."""
        tok = self.tokens[i]
        word = tok.lower_
        if word.endswith(("é", "és", "ées")) or (word.endswith("ée") and not word.endswith("éée")
                                                   and not tok.lemma_.lower().endswith("éer")):
            return True
        if (word.endswith(("it", "its", "ite", "ites")) and tok.lemma_.lower().endswith("ire")
                and i > 0 and self.tokens[i - 1].pos_ in ("NOUN", "PROPN")
                and (i + 1 == len(self.tokens)
                     or self.tokens[i + 1].pos_ not in ("DET", "PRON", "NOUN", "PROPN"))):
            # « tarif réduit à 1 € », « logement construit en 2020 » (not « la ville réduit
            # les tarifs »)
            return True
        if i == 0 or "Plur" not in tok.morph.get("Number"):
            return False
        prev = self.tokens[i - 1]
        return prev.pos_ in ("NOUN", "PROPN", "ADJ") and "Sing" in prev.morph.get("Number")

    def opens_with_action_noun(self, cid: int) -> bool:
        """A verbless programme heading led by an action cue, after its determiner: « Fin
        des subventions … », « Pas question d'ouvrir … », « Un soutien fort à … »."""
        toks = [i for i in self.clause_tokens(cid)
                if not (self.tokens[i].is_punct or self.tokens[i].is_space
                        or self.tokens[i].text in BULLETS)]
        if not toks or self.has_finite_verb(toks):
            return False
        # « Un soutien fort au tissu associatif : … », « La création d'un centre … »
        lead = next((i for i in toks if self.tokens[i].pos_ != "DET"), toks[0])
        return any(c.start == lead for k in ACTION_CUES for c in self.cues.get(k, []))

    def verbless_action(self, cid: int) -> bool:
        """A verbless programme item whose action is a restrictive participle or noun
        (« Maraudes du samedi soir supprimées : … », « gel des programmes de logements
        aidés, … »), even when a comment with a finite verb follows."""
        toks = [i for i in self.clause_tokens(cid)
                if not (self.tokens[i].is_punct or self.tokens[i].is_space)]
        if len(toks) < 2 or self.has_finite_verb(toks):
            return False
        return any(toks[0] <= c.start <= toks[-1] for c in self.cues.get("restrictive", []))

    def opens_with_negation(self, cid: int) -> bool:
        """A verbless clause led by « Pas de », « Aucun », « Zéro »: a refusal or a promise
        (« Pas de nouveau programme de logements sociaux : … »)."""
        toks = [i for i in self.clause_tokens(cid)
                if not (self.tokens[i].is_punct or self.tokens[i].is_space
                        or self.tokens[i].text in BULLETS or self.tokens[i].like_num)]
        if not toks or self.has_finite_verb(toks):
            return False
        return any(c.start == toks[0] for c in self.cues.get("negation_determiners", []))

    def negated_verb_before(self, start: int) -> int | None:
        """A finite main verb negated by « ne … pas / plus / jamais » before token `start` in
        its clause (« Nous ne financerons pas de cours »), as its index, or None; a litote
        (cues `litotes`: « nous n'hésiterons pas à ») refuses nothing."""
        cid = self.clause[start]
        for i in range(start - 1, self.clause_start.get(cid, 0) - 1, -1):
            tok = self.tokens[i]
            if tok.lower_ in RELATIVES:
                return None
            if (tok.pos_ in ("VERB", "AUX") and "Fin" in tok.morph.get("VerbForm")
                    and self.negated(i, i + 1)):
                if any(c.start <= i < c.end for c in self.cues.get("litotes", [])):
                    return None   # « nous n'hésiterons pas à créer » commits
                before = {self.tokens[j].lower_ for j in range(max(0, i - 4), i)}
                return None if before & RELATIVES else i   # « qui n'ont pas de médecin »
        return None

    def clause_commits(self, cid: int) -> bool:
        if (self.is_infinitive_start(cid) or self.first_person_present(cid)
                or self.opens_with_action_noun(cid) or self.opens_with_negation(cid)
                or self.verbless_action(cid)):
            return True
        return any(self.is_future(self.tokens[i]) or self.is_conditional(self.tokens[i])
                   for i in self.clause_tokens(cid))

    @staticmethod
    def is_conditional(tok) -> bool:
        """« une maison des associations pourrait être la base », « nous serions prêts à
        … »: a list's answer that proposes in the conditional."""
        return tok.pos_ in ("VERB", "AUX") and "Cnd" in tok.morph.get("Mood")

    def committed(self, cid: int) -> bool:
        if cid not in self._committed:
            self._committed[cid] = self._committed_uncached(cid)
        return self._committed[cid]

    def _committed_uncached(self, cid: int) -> bool:
        """Does the clause promise or refuse something (rather than describe)?

        A clause without a finite verb (« Zéro non-recours : … ») takes the commitment of
        the passage; a passage without any main finite verb is a programme item and commits
        (« Création d'une épicerie solidaire », « Pas de nouveaux logements sociaux »).
        """
        if self.cues_in("intent") or self.starts_with_bullet() or self.is_infinitive_start(0):
            return True
        if self.clause_commits(cid):
            return True
        if self.has_finite_verb(self.clause_tokens(cid)):
            return False
        if any(self.clause_commits(c) for c in set(self.clause) if c != cid):
            return True
        # a programme item without a main verb (« Une épicerie solidaire par quartier. »)
        return not self.has_finite_verb(range(len(self.doc)))
