"""Stance of one theme hit: favorable, restrictif or neutre.

Rules, in order (all cue words come from the codebook's `cues` section):

1. The theme's own `restrictive` patterns (« arrêté anti-mendicité », « priorité
   nationale ») are restrictif, unless the text rejects them (« nous refuserons tout arrêté
   anti-mendicité », « aucun arrêté … », « supprimer le mobilier anti-SDF »).
2. No commitment in the clause (no future, no bullet or infinitive, no « nous voulons »,
   a finite verb in the present or past: a diagnosis, a reminder of what exists) or a
   question: neutre.
3. A preference that excludes part of the population in the same clause (« priorité
   nationale », « aux Aixois », residence conditions) makes the theme restrictif.
4. The governing action cue is the nearest favourable / restrictive / inverting cue before
   the hit in its clause (an inverter only when close: « lutter contre l'isolement »), else
   the nearest favourable or restrictive cue after it, preferring a passive « seront
   supprimés ». Its sign is multiplied by the cues it is the object of (« refuser toute
   ouverture de centre » = −, « limiter la construction » = −) and flipped by its own
   negation (« nous ne fermerons pas »). Acting against a problem (« réduire la fracture
   numérique », « zéro non-recours ») is favorable; any action on an object of order
   measures (« lutter contre la mendicité », « distributions sauvages ») is restrictif.
5. Without an action cue, a commitment is favorable; « aucun / pas de » before the theme
   words makes it restrictif (« pas de nouveaux logements sociaux »).
"""

from __future__ import annotations

from analysis.tagging.context import ACTION_CUES, AUX_KEYS, RELATIVES, DocContext
from analysis.tagging.matcher import Hit

SIGN = {"favorable": 1, "restrictive": -1, "inverters": -1}
STANCE = {1: "favorable", -1: "restrictif", 0: "neutre"}
BEFORE, AFTER, PRE_INVERT, INVERTER_REACH = 12, 8, 5, 5
PREFERENCE_WORDS = {
    "priorite", "prioritaire", "reserver", "reserve", "seul", "exclusivement", "uniquement",
    "abord",
}
# « aux Aixois », « aux Parisiens », « aux familles aixoises »
DEMONYM_ENDINGS = (
    "ais", "ois", "ains", "ins", "iens", "éens", "ens", "aises", "oises", "iennes", "aines",
)
LOWER_DEMONYM_ENDINGS = ("ais", "aise", "aises", "ois", "oise", "oises")


def _participle_without_aux(ctx: DocContext, cue: Hit) -> bool:
    """« les subventions versées », « fermés depuis 2019 »: an adjective, not the main verb."""
    if cue.end - cue.start != 1:
        return False
    tok = ctx.tokens[cue.start]
    participle = "Part" in tok.morph.get("VerbForm") or (
        tok.pos_ == "ADJ" and tok.lower_ != tok.lemma_.lower()
        and tok.lemma_.endswith(("er", "ir", "re"))
    )
    if not participle:
        return False
    for i in range(cue.start - 1, max(-1, cue.start - 4), -1):
        prev = ctx.tokens[i]
        if prev.pos_ == "AUX" or prev.norm_ in AUX_KEYS or prev.norm_ == "devenir":
            return False
        if prev.pos_ not in ("ADV", "PRON") and prev.norm_ not in ctx.negation_particles:
            break
    return True


def action_cues(ctx: DocContext, theme_hits: list[Hit]) -> list[tuple[str, Hit]]:
    """Action cues that can govern a theme hit (not part of a longer theme expression)."""
    out = []
    every = [c for t in ACTION_CUES for c in ctx.cues.get(t, [])]
    for cue_type in ACTION_CUES:
        for cue in ctx.cues.get(cue_type, []):
            if any(o.owner != cue.owner and o.start <= cue.start and cue.end <= o.end
                   and (o.end - o.start) > (cue.end - cue.start) for o in every):
                continue   # « réduit » inside « tarif réduit »: the longer cue decides
            inside = any(
                s <= cue.start and cue.end <= e and (e - s) > (cue.end - cue.start)
                for h in theme_hits if h.kind in ("patterns", "weak")
                for s, e in h.spans
            )
            # a restrictive participle keeps its sense without an auxiliary: « des
            # subventions conditionnées », « un accès limité dans le temps »
            if not inside and (cue_type == "restrictive" or not _participle_without_aux(ctx, cue)):
                out.append((cue_type, cue))
    return out


def _core(hit: Hit, cues: list[tuple[str, Hit]]) -> tuple[int, int]:
    """Start and end of the hit without the pieces that are themselves action cues."""
    cue_spans = {c.spans[0] for _, c in cues if len(c.spans) == 1}
    spans = [sp for sp in hit.spans if sp not in cue_spans] or list(hit.spans)
    return spans[0][0], max(e for _, e in spans)


def governing(ctx: DocContext, hit: Hit, cues: list[tuple[str, Hit]]):
    """The (type, cue) governing the hit, or None."""
    start, end = _core(hit, cues)
    cid = ctx.clause[start]
    same = [(t, c) for t, c in cues if ctx.clause[c.start] == cid]
    # a cue may overlap the start of the hit (« mis à disposition » + « disposition …
    # associations »): it still comes before it
    # a split cue is read at its first piece: « déplacerons … hors du centre » governs the
    # « distribution alimentaire » between its pieces
    before = [
        (t, c) for t, c in same
        if c.start < start and (c.end <= end or c.spans[0][1] <= start)
        and (start - min(c.end, c.spans[0][1]) <= (INVERTER_REACH if t == "inverters" else BEFORE)
             or _refuses_from_afar(ctx, t, c, start))
    ]
    if before:
        return _undone(ctx, max(before, key=lambda tc: (tc[1].end, tc[1].start)))
    # a title's action on the second piece of a split hit: « Restauration scolaire : fin du
    # tarif social » (hit « restauration scolaire … tarif social »)
    spans = sorted(hit.spans)
    between = [
        (t, c) for t, c in same if t != "inverters" and any(
            a_end <= c.start and c.end <= b_start
            and any(tok.text == ":" for tok in ctx.tokens[a_end:c.start])
            and _noun_phrase_between(ctx, c.end, b_start)
            for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    ]
    if between:
        return max(between, key=lambda tc: (tc[1].end, tc[1].start))
    predicate = _predicate_after(ctx, hit, start, end, same)
    if predicate is not None:
        return predicate
    after = [
        (t, c) for t, c in same
        if t != "inverters" and c.start >= end and c.start - end <= AFTER
    ]
    if not after:
        return _title_cue(ctx, cid, cues) or _subject_title_cue(ctx, cid, cues)
    passive = [
        (t, c) for t, c in after
        if c.start > 0 and (
            ctx.tokens[c.start - 1].pos_ == "AUX" or ctx.tokens[c.start - 1].norm_ in AUX_KEYS
        )
    ]
    return min(passive or after, key=lambda tc: tc[1].start)


def _refuses_from_afar(ctx: DocContext, cue_type: str, cue: Hit, start: int) -> bool:
    """An inverting verb reaches the theme through a noun phrase of any length: « des
    maires qui s'opposent à l'application idéologique de la loi SRU »."""
    return (cue_type == "inverters"
            and any(ctx.tokens[i].pos_ == "VERB" for i in range(cue.start, cue.end))
            and start - cue.end <= BEFORE and _noun_phrase_between(ctx, cue.end, start))


def _undone(ctx: DocContext, gov: tuple[str, Hit]) -> tuple[str, Hit]:
    """A cut described by a participle is undone by the action before it (cues
    `restoring`): « rétablir les subventions supprimées », « exiger le retour des moyens
    retirés au Secours populaire ». A restrictive noun keeps its sense (« rétablir
    l'interdiction de la mendicité »), and so does a cut the list makes itself."""
    kind, cue = gov
    if kind != "restrictive" or not _participle_without_aux(ctx, cue):
        return gov
    cid = ctx.clause[cue.start]
    undo = [c for c in ctx.cues_in("restoring", cid)
            if c.end <= cue.start and cue.start - c.end <= BEFORE]
    return ("favorable", undo[-1]) if undo else gov


SUBJECT_LEAD = {"DET", "ADJ", "NUM", "PUNCT", "SYM", "X", "SPACE"}
# the hit may be the complement of the subject's head (« La subvention à l'épicerie
# solidaire ne sera pas renouvelée »)
SUBJECT_HEAD = SUBJECT_LEAD | {"NOUN", "PROPN", "ADP"}
PREDICATE_REACH = 25


def _predicate_after(ctx: DocContext, hit: Hit, start: int, end: int,
                     same: list[tuple[str, Hit]]):
    """The predicate of a subject hit, past an apposition: « Le centre municipal de
    santé, déficitaire de 400 000 € par an, sera fermé », « Les bains-douches de la rue
    des Capucins, vétustes, ne rouvriront pas ». The hit opens its clause (determiners
    only before it) and no other verb stands between it and the action cue (an
    auxiliary or a negation may, and a relative clause set off by commas: « Le foyer,
    qui accueille 40 personnes, verra sa capacité ramenée à 20 places »)."""
    cid = ctx.clause[start]
    first = ctx.clause_start.get(cid, start)
    if any(ctx.tokens[i].pos_ not in SUBJECT_HEAD for i in range(first, start)):
        return None
    return _predicate_from(ctx, end, same)


def _predicate_from(ctx: DocContext, begin: int, same: list[tuple[str, Hit]]):
    """The first action cue after token `begin` with no other verb before it (see
    `_predicate_after`), or None. The cue must be a verb (or follow an auxiliary): a noun
    after a list is no predicate (« horaires élargis, et fin des subventions »)."""
    starts = {}
    for t, c in same:
        if t != "inverters" and c.start >= begin:
            starts.setdefault(c.start, (t, c))
    i, stop = begin, min(len(ctx.tokens), begin + PREDICATE_REACH)
    while i < stop:
        tok = ctx.tokens[i]
        if tok.lower_ in RELATIVES:
            if i == 0 or ctx.tokens[i - 1].text != ",":
                return None
            # a relative set off by commas: « , qui accueille aujourd'hui 40 personnes, »
            close = next((k for k in range(i + 1, stop) if ctx.tokens[k].text == ","), None)
            if close is None:
                return None
            i = close + 1
            continue
        if i in starts:
            if tok.pos_ in ("VERB", "AUX") or (i > 0 and ctx.tokens[i - 1].pos_ == "AUX"):
                return starts[i]
            return None
        # a participle describes the subject (« ce dispositif coûteux et peu fréquenté »)
        participle = tok.pos_ == "VERB" and "Part" in tok.morph.get("VerbForm")
        if (tok.pos_ == "VERB" and not participle) or (
                tok.pos_ == "AUX" and i + 1 < stop
                and ctx.tokens[i + 1].pos_ not in ("ADV", "PART")
                and i + 1 not in starts):
            return None
        i += 1
    return None


def _title_cue(ctx: DocContext, cid: int, cues: list[tuple[str, Hit]]):
    """The action cue of a verbless title ending with « : » right before clause `cid`
    (« Fin de la gratuité … : cantine, périscolaire ») governs the list it announces."""
    if cid == 0:
        return None
    title = cid - 1
    toks = ctx.clause_tokens(title)
    if not toks or ctx.tokens[toks[-1]].text != ":" or not ctx.opens_with_action_noun(title):
        return None
    first = [(t, c) for t, c in cues if ctx.clause[c.start] == title and t != "inverters"]
    return min(first, key=lambda tc: tc[1].start) if first else None


SUBJECT_TITLE_REACH = 3
PROBLEM_REACH = 6   # « réduire à 72 h le délai de réponse »


def _subject_title(ctx: DocContext, cid: int) -> bool:
    """Clause `cid` is a verbless title ending with « : » (« Accueil périscolaire : »), or
    a verbless question that the next clause answers (« Tarifs réduits à la piscine ? Oui,
    mais uniquement pour … »)."""
    toks = ctx.clause_tokens(cid)
    if not toks or ctx.has_finite_verb(toks):
        return False
    end = ctx.tokens[toks[-1]].text
    return end == ":" or (end == "?" and bool(ctx.clause_tokens(cid + 1)))


def _subject_title_cue(ctx: DocContext, cid: int, cues: list[tuple[str, Hit]]):
    """A verbless title ending with « : » names the object of the action its description
    opens with (« City-stade des Amandiers : fermeture à 20 h », « Centre social : horaires
    réduits », « Mineurs isolés : la ville refusera tout hébergement »): that action cue
    governs the title's theme, unless it acts on a problem (« Centre social : réduire
    l'isolement »)."""
    if not _subject_title(ctx, cid):
        return None
    words = [i for i in ctx.clause_tokens(cid + 1)
             if not (ctx.tokens[i].is_punct or ctx.tokens[i].is_space)]
    if not words:
        return None
    first = [(t, c) for t, c in cues
             if ctx.clause[c.start] == cid + 1 and c.start in words[:SUBJECT_TITLE_REACH]]
    if first:
        cue_type, cue = min(first, key=lambda tc: tc[1].start)
        after = [(t, c) for t, c in cues if t == "restrictive" and c.start == cue.end]
        if cue_type == "favorable" and ctx.tokens[cue.start].pos_ == "NOUN" and after:
            # the action noun's own predicate: « France services : ouverture ramenée à
            # deux demi-journées »
            cue_type, cue = after[0]
    else:
        # … or its predicate, after a subject that takes the title up (« Budget
        # participatif : ce dispositif coûteux sera supprimé », « Épicerie solidaire :
        # l'accès sera limité à six mois »)
        lead = next((i for i in words if ctx.tokens[i].pos_ != "DET"), None)
        if lead is None or ctx.tokens[lead].pos_ in ("VERB", "AUX"):
            return None
        same = [(t, c) for t, c in cues if ctx.clause[c.start] == cid + 1]
        found = _predicate_from(ctx, lead + 1, same) or _verbless_restriction(ctx, cid + 1, same)
        if found is None:
            return None
        cue_type, cue = found
    if any(cue.end <= p.start <= cue.end + PROBLEM_REACH
           and _noun_phrase_between(ctx, cue.end, p.start) for p in ctx.cues.get("problems", [])):
        return None   # « Centre social : réduire l'isolement » acts on a problem, not on the title
    if cue_type != "favorable" and _title_opens_with_problem(ctx, cid):
        return None   # « Tarifs périscolaires : baisse de 20 % » cuts the price, not the service
    return cue_type, cue


def _title_opens_with_problem(ctx: DocContext, cid: int) -> bool:
    """The title's head is a problem or what residents pay or wait (« Tarifs
    périscolaires », « Loyers », « Délais »: cues `problems`, `paid_or_waited`)."""
    lead = next((i for i in ctx.clause_tokens(cid) if ctx.tokens[i].pos_ != "DET"
                 and not ctx.tokens[i].is_punct), None)
    return lead is not None and any(p.start == lead for key in ("problems", "paid_or_waited")
                                    for p in ctx.cues.get(key, []))


NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
}
MINUS = ("-", "−", "–")


def _number(text: str) -> float | None:
    word = text.lower()
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    digits = word.replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _fewer(ctx: DocContext, cid: int) -> str:
    """A cut stated by figures in clause `cid` (or in the description of a verbless title):
    « trois jours par semaine au lieu de cinq », « -20 % sur l'enveloppe », or ''."""
    clauses = [cid] + ([cid + 1] if _subject_title(ctx, cid) else [])
    if any(ctx.cues_in("paid_or_waited", c) for c in clauses):
        return ""   # « cantine : -20 % sur le tarif », « 2 € au lieu de 4 € », « un délai … »
    toks = [i for c in clauses for i in ctx.clause_tokens(c)]
    means = any(ctx.cues_in("cut_means", c) for c in clauses)
    numbers = [_number(ctx.tokens[i].text) for i in toks]
    for k, i in enumerate(toks):
        tok = ctx.tokens[i]
        if (means and tok.text[:1] in MINUS and _number(tok.text[1:]) and k + 1 < len(toks)
                and ctx.tokens[toks[k + 1]].text == "%"):
            return f"{tok.text} %"
        if (tok.lower_ == "au" and k + 3 < len(toks) and ctx.tokens[toks[k + 1]].lower_ == "lieu"
                and ctx.tokens[toks[k + 2]].lower_ in ("de", "d'")):
            after = numbers[k + 3]
            before = next((n for n in reversed(numbers[:k]) if n is not None), None)
            if after is not None and before is not None and before < after:
                return "au lieu de"
    return ""


ONLY_REACH = 10
# « ne … pas que » is no restriction; « ne … plus que » is one (« only … from now on »)
NOT_ONLY = {"pas", "jamais", "rien", "guère", "personne", "aucun", "aucune"}


def _only(ctx: DocContext, cue: Hit) -> bool:
    """The action `cue` is framed by « ne … que »: it is done only for some, or only on a
    condition (« ne seront versés qu'aux foyers domiciliés … », « ne sera financée que
    si … »), unless what follows « que » names a need (« qu'aux familles les plus
    modestes »: targeting by need protects)."""
    cid = ctx.clause[cue.start]
    keys = ctx.keys
    if not any(keys[i] in ctx.negation_particles and ctx.clause[i] == cid
               for i in range(max(0, cue.start - 3), cue.start)):
        return False
    for i in range(cue.end, min(len(keys), cue.end + ONLY_REACH)):
        if ctx.clause[i] != cid or keys[i] in NOT_ONLY:
            return False
        if keys[i] in ("que", "qu'"):
            return not any(i < n.start <= i + 8 for n in ctx.cues.get("need", []))
    return False


def _verbless_restriction(ctx: DocContext, cid: int, same: list[tuple[str, Hit]]):
    """A verbless description whose only actions restrict (« Toilettes publiques : accès à
    1 € et fermeture de 20 h à 8 h »): its first restriction governs the title; one that
    also creates or extends (« horaires élargis et fin des subventions aux clubs ») or has
    its own verb is left to the other readings."""
    if ctx.has_finite_verb(ctx.clause_tokens(cid)):
        return None
    need = ctx.cues.get("need", [])
    # « 150 € par foyer sous conditions de ressources »: a condition of need protects
    actions = [(t, c) for t, c in same if t != "inverters"
               and not (t == "restrictive" and any(c.overlaps(n) for n in need))]
    if not actions or any(t != "restrictive" for t, _ in actions):
        return None
    return min(actions, key=lambda tc: tc[1].start)


def _object_of(ctx: DocContext, cue: Hit, start: int) -> bool:
    """Only articles, prepositions and adjectives between `cue` and token `start`
    (« refuser la fermeture », « supprimer tout arrêté »): `start` is the cue's object."""
    return all(
        t.pos_ in ("DET", "ADP", "ADJ", "PRON") or t.norm_ in ("de", "le", "a", "un", "tout")
        for t in ctx.tokens[cue.end:start]
    )


def _inverted_before(ctx: DocContext, target: Hit, cues: list[tuple[str, Hit]], reach: int) -> bool:
    """A restrictive or inverting cue whose object is `target` (« refuser la préférence … »)."""
    cid = ctx.clause[target.start]
    for t, c in cues:
        if t == "favorable" or c is target or ctx.clause[c.start] != cid:
            continue
        if (c.end <= target.start and target.start - c.end <= reach
                and _object_of(ctx, c, target.start) and not ctx.negated(c.start, c.end)):
            return True
    return False


QUOTES = {"«", "»", "“", "”", '"', "‘", "’"}


def _in_noun_phrase(t) -> bool:
    return (t.pos_ in ("DET", "ADP", "ADJ", "NOUN", "PROPN", "NUM", "PRON")
            or t.norm_ in ("de", "le", "a", "un", "tout") or t.text in QUOTES)


NEGATION_ADVERBS = frozenset({"pas", "plus", "jamais", "point"})


def _noun_phrase_between(ctx: DocContext, start: int, end: int,
                         allowed: frozenset = frozenset()) -> bool:
    """Tokens start..end form a noun phrase (no verb, no conjunction, no punctuation but
    quotation marks: « tout mobilier urbain “anti-SDF” »); words of `allowed` may stand
    in it (the « pas » of « nous n'accepterons pas la fermeture »)."""
    return all(_in_noun_phrase(t) or t.norm_ in allowed for t in ctx.tokens[start:end])


def _coordinated(ctx: DocContext, start: int, end: int) -> bool:
    """Tokens start..end join two coordinated nouns: a noun phrase with « et », « ou » or a
    comma (« de lit ou », « des lits, »)."""
    between = ctx.tokens[start:end]
    return any(t.pos_ == "CCONJ" or t.text == "," for t in between) and all(
        _in_noun_phrase(t) or t.pos_ == "CCONJ" or t.text == "," for t in between)


def _refused_object(ctx: DocContext, cue: Hit, start: int) -> bool:
    """The refused measure is in the cue's object, possibly after an adverb or another
    coordinated object (« abroger enfin l'arrêté … », « supprimer les pics et les bancs
    anti-SDF »). A coordinated object only after an infinitive or a noun: « les squats seront
    évacués et leurs occupants signalés » adds a measure, it refuses none."""
    head = ctx.tokens[cue.start]
    if not ("Inf" in head.morph.get("VerbForm") or head.pos_ == "NOUN"):
        return _noun_phrase_between(ctx, cue.end, start)
    return all(
        t.pos_ not in ("VERB", "AUX")
        and (_in_noun_phrase(t) or t.pos_ in ("ADV", "CCONJ") or t.text == ",")
        for t in ctx.tokens[cue.end:start])


def chain_sign(ctx: DocContext, cue_type: str, cue: Hit, cues: list[tuple[str, Hit]],
               chain: list[Hit] | None = None) -> int:
    """Sign of a cue times the signs of the cues it is the object of:
    « refuser toute ouverture de centre d'accueil » = (−)(+)(+), « limiter la construction »
    = (−)(+); each cue's own negation (« nous ne fermerons pas ») flips it. The cues
    followed are appended to `chain` when given."""
    dets = ctx.cues.get("negation_determiners", [])
    privatives = ctx.cues.get("privatives", [])
    sign, current = 1, (cue_type, cue)
    # a negation counts once along the chain: the « pas » of « nous n'accepterons pas la
    # fermeture » negates the verb, not also its object, and the « plus » of « nous ne
    # verserons plus un centime » is part of the cue it governs
    used: set[int] = set()
    counted: set[int] = set()
    shared = False
    for _ in range(5):
        t, c = current
        if chain is not None:
            chain.append(c)
        words = ctx.negating_words(c.start, c.end) - used
        det = next((d for d in dets + privatives if ctx.determiner_negated(c.start, [d])), None)
        det_words = set(range(det.start, det.end)) if det is not None else set()
        negated = bool(words - counted) or bool(det_words - counted)
        counted |= words | det_words
        used.update(range(c.start, c.end))
        if not shared:
            sign *= -SIGN[t] if negated else SIGN[t]
        cid = ctx.clause[c.start]
        # a cue coordinated with an earlier one of the same kind shares its sign and what
        # governs it: « s'opposer à toute fermeture de lit ou suppression de postes »
        first = [
            (t2, c2) for t2, c2 in cues
            if t2 == t and ctx.clause[c2.start] == cid and c2.end <= c.start
            and c.start - c2.end <= 6 and _coordinated(ctx, c2.end, c.start)
            and ctx.tokens[c.start].pos_ == ctx.tokens[c2.start].pos_ == "NOUN"
        ]
        shared = bool(first)
        if first:
            current = max(first, key=lambda tc: tc[1].end)
            continue
        if c.start > 0 and ctx.tokens[c.start - 1].lower_ == "en" and \
                ctx.tokens[c.start].pos_ in ("VERB", "AUX"):
            # a gerund is the means of the verb before it, not its object: « lutter contre
            # l'assistanat en conditionnant les aides » conditions the aid
            break
        outer = [
            (t2, c2) for t2, c2 in cues
            if ctx.clause[c2.start] == cid and c2.end <= c.start and c.start - c2.end <= 6
            and _noun_phrase_between(ctx, c2.end, c.start, NEGATION_ADVERBS)
        ]
        if not outer:
            break
        current = max(outer, key=lambda tc: tc[1].end)
    return sign


def _cue_within(ctx: DocContext, cue_type: str, lo: int, hi: int, hit: Hit,
                whole_hit: bool = True) -> Hit | None:
    """A cue between `lo` and `hi`, or inside the hit (« la fracture numérique »). Without
    a governing cue (`whole_hit` False) only the hit's anchor counts: a co-occurring part
    names who benefits (« la cantine ne sera plus gratuite … & au chômage »)."""
    spans = hit.spans if whole_hit or hit.anchor == (0, 0) else (hit.anchor,)
    for c in ctx.cues.get(cue_type, []):
        if cue_type == "problems" and _suffered(ctx, c):
            continue
        if lo <= c.start and c.end <= hi:
            return c
        if any(s <= c.start and c.end <= e for s, e in spans):
            return c
    return None


def _aid_between(ctx: DocContext, cue: Hit, problem: Hit) -> bool:
    """The cut falls on an aid or a means whose object is the problem: « supprimer l'aide au
    paiement des frais de cantine » cuts the aid, it does not lower the fees (cues
    `cut_means`, and the word « aide »)."""
    if not cue.end <= problem.start:
        return False
    means = [c for c in ctx.cues.get("cut_means", []) if cue.end <= c.start < problem.start]
    return bool(means) or any(t.lemma_ in ("aide", "allocation", "prise en charge")
                              for t in ctx.tokens[cue.end:problem.start])


def _suffered(ctx: DocContext, cue: Hit) -> bool:
    """A problem that names who suffers it: « l'appartement pour femmes victimes de
    violences » is a service for people, and ending it restricts (not « fin des
    violences »)."""
    keys = ctx.keys[max(0, cue.start - 2):cue.start]
    return len(keys) == 2 and keys[0] == "victime" and keys[1] in ("de", "d'")


def _deprived(ctx: DocContext, cue: Hit) -> bool:
    """« sans condition de durée de résidence », « aucune priorité nationale »: the
    condition is ruled out (a determiner or « sans » before its noun group)."""
    dets = ctx.cues.get("negation_determiners", []) + ctx.cues.get("privatives", [])
    cid = ctx.clause[cue.start]
    for det in dets:
        if ctx.clause[det.start] != cid or det.end > cue.start or cue.start - det.end > 3:
            continue
        if _noun_phrase_between(ctx, det.end, cue.start):
            return True
    return False


def _required(ctx: DocContext, start: int) -> bool:
    """« sans » governs the noun group of token `start` (« sans l'avis de … »)."""
    for det in ctx.cues.get("privatives", []):
        if (ctx.clause[det.start] == ctx.clause[start] and det.end <= start
                and start - det.end <= 4 and _noun_phrase_between(ctx, det.end, start)):
            return True
    return False


def _passive_after(ctx: DocContext, hit: Hit, cues: list[tuple[str, Hit]]):
    """The passive main verb after a subject hit (« le centre … sera contesté »)."""
    _, end = hit.start, hit.end
    cid = ctx.clause[hit.start]
    for t, c in sorted(cues, key=lambda tc: tc[1].start):
        if (t != "inverters" and ctx.clause[c.start] == cid and c.start >= end
                and c.start - end <= AFTER and c.start > 0
                and (ctx.tokens[c.start - 1].pos_ == "AUX"
                     or ctx.tokens[c.start - 1].norm_ in AUX_KEYS)):
            return t, c
    return None


def _no_longer_after(ctx: DocContext, end: int) -> bool:
    """« ne … plus » right after a subject hit, in its clause."""
    cid = ctx.clause[min(end, len(ctx.tokens) - 1)]
    keys = []
    for i in range(end, min(len(ctx.tokens), end + AFTER)):
        if ctx.clause[i] != cid or ctx.tokens[i].lower_ in RELATIVES:
            break  # « les personnes âgées qui ne sortent plus » describes them
        keys.append(ctx.keys[i])
    return "ne" in keys and "plus" in keys[keys.index("ne"):][:4]


def preference(ctx: DocContext, cid: int, cues: list[tuple[str, Hit]]) -> str | None:
    """Evidence of a preference excluding part of the population in clause `cid`."""
    need = ctx.cues.get("need", [])
    for kind in ("preference", "ranking"):
        for c in ctx.cues_in(kind, cid):
            if (kind == "ranking" and any(c.start <= n.start <= c.end + 4 for n in need)):
                # « en priorité aux familles modestes de la commune »: a rank by need protects
                continue
            if (not _inverted_before(ctx, c, cues, PRE_INVERT)
                    and not ctx.negated(c.start, c.end) and not _deprived(ctx, c)):
                return c.text(ctx.doc)
    toks = ctx.clause_tokens(cid)
    if not any(ctx.tokens[i].norm_ in PREFERENCE_WORDS for i in toks):
        return None
    for i in toks[1:]:
        tok = ctx.tokens[i]
        before = [ctx.tokens[j].lower_ for j in (i - 2, i - 1) if j >= 0]
        # « aux Aixois », « aux seuls Aixois », « pour les Aixois »
        after_aux = "aux" in before or before == ["pour", "les"]
        if not after_aux or tok.text.isupper():
            continue
        capitalised = tok.text[:1].isupper() and tok.lower_.endswith(DEMONYM_ENDINGS)
        if (capitalised or tok.lower_.endswith(LOWER_DEMONYM_ENDINGS)) and not any(
                i < c.start <= i + 4 for c in ctx.cues.get("need", [])):
            # « aux Aixois les plus modestes » gives priority by need, not by residence
            return ctx.doc[i - 2 if ctx.tokens[i - 1].lower_ != "aux" else i - 1: i + 1].text
    return None


def _refused(ctx: DocContext, hit: Hit, cues: list[tuple[str, Hit]], dets: list[Hit]) -> bool:
    """A restrictive measure that the text rejects: « refuser / supprimer l'arrêté … »,
    « nous n'installerons pas de mobilier anti-SDF », « aucun arrêté anti-mendicité »."""
    first_start, first_end = hit.spans[0]
    if ctx.negated(first_start, first_end) or ctx.determiner_negated(hit.start, dets):
        return True
    orders = ctx.cues.get("order", [])
    if any(any(s <= o.start and o.end <= e for s, e in hit.spans) for o in orders):
        # « lutter contre la fraude aux aides »: fighting an object of order measures is
        # the restriction itself, not its refusal
        return False
    cid = ctx.clause[hit.start]
    before = [
        (t, c) for t, c in cues
        if ctx.clause[c.start] == cid and c.end <= hit.start and hit.start - c.end <= 6
    ]
    if not before:
        return False
    cue_type, cue = max(before, key=lambda tc: tc[1].end)
    # a measure named by a noun can be refused from a distance (« s'opposer à tout projet de
    # centre de rétention »); one that starts with its own verb (« conditionner le RSA »)
    # only by a cue right before it
    verb_led = any(c.start == hit.start for k in ACTION_CUES for c in ctx.cues.get(k, []))
    linked = _object_of if verb_led else _refused_object
    if not linked(ctx, cue, hit.start):
        return False
    return chain_sign(ctx, cue_type, cue, cues) < 0


def _refused_infinitive(ctx: DocContext, cue: Hit, refusing: int) -> bool:
    """An infinitive cue whose commitment the list refuses: « nous ne nous engagerons pas à
    ouvrir », « nous ne souhaitons pas développer »."""
    tok = ctx.tokens[cue.start]
    if tok.pos_ not in ("VERB", "AUX") or "Inf" not in tok.morph.get("VerbForm"):
        return False
    # the negated verb governs the infinitive through nothing but pronouns and « à / de »
    between = ctx.tokens[refusing + 1:cue.start]
    return all(t.norm_ in ctx.negation_words or t.pos_ in ("PRON", "ADP", "ADV")
               for t in between) and len(between) <= 5


def _refused_by_verb(ctx: DocContext, cue: Hit, chain: list[Hit]) -> bool:
    """A negated main verb governs the cue, which `chain_sign` (followed along `chain`) has
    not counted: « la commune n'accueillera pas de centre … d'accueil de demandeurs
    d'asile », « nous n'accepterons aucune fermeture » (a noun), « nous ne nous engagerons
    pas à ouvrir » (an infinitive)."""
    refusing = ctx.negated_verb_before(cue.start)
    dets = ctx.cues.get("negation_determiners", [])
    return (refusing is not None
            and (ctx.tokens[cue.start].pos_ == "NOUN" or _refused_infinitive(ctx, cue, refusing))
            and not ctx.negated(cue.start, cue.end)   # already counted by chain_sign
            and not ctx.determiner_negated(cue.start, dets)   # « n'… aucune »: one negation
            and not any(c.start <= refusing < c.end for c in chain))


def governed_sign(ctx: DocContext, cue_type: str, cue: Hit,
                  cues: list[tuple[str, Hit]]) -> int:
    """The sign of the governing cue (`chain_sign`), turned over when a negated main verb
    refuses it (« nous ne nous engagerons pas à ouvrir »): what the rules and the model's
    additions both read."""
    chain: list[Hit] = []
    sign = chain_sign(ctx, cue_type, cue, cues, chain)
    return -sign if _refused_by_verb(ctx, cue, chain) else sign


def stance_of(ctx: DocContext, hit: Hit, cues: list[tuple[str, Hit]]) -> tuple[str, str]:
    """(stance, evidence of the deciding cue or '')."""
    cid = ctx.clause[hit.start]
    clause = ctx.clause_tokens(cid)
    question = any(ctx.tokens[i].text == "?" for i in clause)
    if question and _subject_title(ctx, cid):
        # a verbless question answered by the next clause takes the answer's position
        question = False
    committed = ctx.committed(cid) and not question
    dets = ctx.cues.get("negation_determiners", [])
    if hit.kind == "restrictive":
        return ("favorable", "") if _refused(ctx, hit, cues, dets) else ("restrictif", "")
    pref = preference(ctx, cid, cues)
    if pref is None and _subject_title(ctx, cid):
        # « Accueil périscolaire : priorité aux enfants dont les deux parents travaillent »
        pref = preference(ctx, cid + 1, cues)
    if pref is None and cid > 0 and _subject_title(ctx, cid - 1):
        # « Préférence communale : l'aide ne sera accordée qu'aux ménages … »
        pref = preference(ctx, cid - 1, cues)
    if pref and not question:
        # a preference stated as the rule (« les aides restent réservées aux personnes
        # domiciliées depuis un an ») restricts, promised or not
        return "restrictif", pref
    if not committed:
        return "neutre", ""
    gov = governing(ctx, hit, cues)
    start, end = _core(hit, cues)
    hit_negated = ctx.determiner_negated(start, dets)
    sign, cue_word, against = 1, "", hit_negated
    if gov is None and not hit_negated and ctx.negated_verb_before(start) is not None:
        # « Nous ne financerons pas de cours supplémentaires », « nous ne mettrons pas en
        # place de CLAS »: a refused measure, whatever the verb
        hit_negated = True
    if gov is None:
        lo, hi = hit.anchor if hit.anchor != (0, 0) else (start, end)
        if hit_negated and _cue_within(ctx, "problems", start, end, hit):
            # « aucun enfant à la rue », « zéro non-recours »: nobody left in the problem
            hit_negated = against = False
        if _no_longer_after(ctx, hit.spans[0][1]):
            # « la cantine ne sera plus gratuite », « le plan grand froid ne sera plus … »
            sign, cue_word, against = -1, "ne … plus", True
    else:
        cue_type, cue = gov
        sign = governed_sign(ctx, cue_type, cue, cues)
        cue_word = cue.text(ctx.doc)
        passive = _passive_after(ctx, hit, cues) if cue.end <= start else None
        if passive is not None and ctx.tokens[cue.start].pos_ == "NOUN":
            # a noun cue inside the subject is the object of the passive verb: « l'accueil
            # des réfugiés sera contesté » = (+)(−), « l'ouverture … sera refusée »
            cue_type, cue = passive
            sign *= chain_sign(ctx, cue_type, cue, cues)
            cue_word = cue.text(ctx.doc)
        against = against or cue_type != "favorable"
        # « aucun logement social ne sera construit », « aucun centre d'accueil de
        # migrants »: one negation, not two
        hit_negated = hit_negated and not (
            (ctx.tokens[cue.start].pos_ in ("VERB", "AUX") and ctx.negated(cue.start, cue.end))
            or (cue.end <= start and ctx.determiner_negated(cue.start, dets)))
        lo, hi = (cue.end, start) if cue.end <= start else (end, cue.start)
    if hit_negated:
        sign = -sign
    if (gov is not None and sign < 0 and _required(ctx, start)
            and (ctx.negated(gov[1].start, gov[1].end)
                 or ctx.determiner_negated(gov[1].start, dets))):
        # « nous ne signerons aucun contrat sans l'avis de l'assemblée citoyenne »: the
        # theme is what is required
        sign, cue_word = 1, ""
    problem = _cue_within(ctx, "problems", lo, hi, hit, whole_hit=gov is not None) \
        if against else None
    if problem is not None and not (gov is not None and _aid_between(ctx, gov[1], problem)):
        sign = -sign
    if sign > 0 and (gov is None or gov[0] == "favorable"):
        fewer = _fewer(ctx, cid)
        if fewer:
            # « Portage de repas : trois jours par semaine au lieu de cinq », « -20 % sur
            # l'enveloppe des subventions »
            sign, cue_word = -1, fewer
    if gov is not None and sign > 0 and gov[0] == "favorable" and _only(ctx, gov[1]):
        # « l'aide aux devoirs ne sera maintenue que pour les enfants dont les parents … »,
        # « les fêtes ne seront financées que si les habitants en paient la moitié »
        sign, cue_word = -1, "ne … que"
    order = _cue_within(ctx, "order", lo, hi, hit)
    if order is not None:
        sign, cue_word = -1, order.text(ctx.doc)
    return STANCE[sign], (cue_word if sign < 0 else "")
