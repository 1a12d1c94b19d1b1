"""Events layer: who did what to whom, where, when, how many died, and who says so.

Rules over the one spaCy parse every layer shares (never a second parse):

1. detect   a spaCy Matcher finds trigger words (data/events/triggers.tsv); multi-word
            triggers ("turn down", "air strike") and senses of ambiguous ones ("strike" by
            workers or by aircraft, conditions.tsv) are checked on the dependency tree.
2. frame    each trigger gets the clause that holds its arguments: its own, or that of a
            light verb ("launched an attack", "held talks", "lifted the curfew").
3. embed    a trigger inside the complement of another ("agreed to cooperate", "rejected
            the proposal to fight") is that event's content, not an event; one inside a
            background phrase ("following the withdrawal") only adds evidence to an event
            told elsewhere. Announced intents become AGREE / THREATEN / REJECT as CAMEO
            codes them; "X said Y must ..." is a demand.
4. fill     participants (source, target, victims) from the parse, linked to entities and
            actors; weapon mode; fatalities and injuries; modality; place; date; statement.
5. corefer  mentions of one occurrence (the clash told twice) become one event with
            several evidence spans.
6. code     PLOVER type and mode, ACLED event / sub-event type and CAMEO root code from
            the mapping tables (data/events/acled.tsv, cameo.tsv).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from newsint.event_lexicon import (
    COOPERATIVE_TYPES,
    POS_CODES,
    Lexicon,
    Trigger,
    cameo_root,
    intent_type,
    load_lexicon,
    parse_number,
)
from newsint.schema import (
    Actor,
    Article,
    Entity,
    Event,
    EventActor,
    EventTime,
    Place,
    Statement,
    Time,
)

# Participles that describe an attitude of their subject: "is opposed to", "is committed to".
STATIVE_PASSIVES = frozenset({"oppose", "commit", "dedicate", "determine", "prepare", "resolve", "devote"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
FIRST_PERSON = frozenset({"we", "us", "our", "i", "me", "my"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "its", "their", "his", "her", "them", "him", "our", "us"})
# Verbs whose object, not subject, carries out the complement ("urged Iran to withdraw").
OBJECT_CONTROL = frozenset({"urge", "ask", "force", "allow", "permit", "let", "admit", "order", "persuade", "pressure", "call", "request", "invite", "encourage", "compel", "tell", "instruct", "help", "demand", "press", "push"})
VIOLENT_TYPES = frozenset({"ASSAULT"})
# Types that are things said or decided about other acts: the acts they speak of are their
# content ("agreed to a ceasefire", "demanded a meeting", "rejected talks on ...").
COMMUNICATIVE_TYPES = frozenset({"AGREE", "SUPPORT", "REQUEST", "REJECT", "ACCUSE", "THREATEN", "CONSULT", "CONCEDE"})
ARMED_CLASSES = frozenset({"state_forces", "police", "armed_group"})
STATE_CLASSES = frozenset({"state_forces", "police", "state"})
ACTOR_LIKE_CLASSES = frozenset({"state_forces", "police", "armed_group", "civilians", "protesters", "rioters", "mob", "workers", "officials", "diplomats"})
# What the actor linker's actor types mean as participant classes.
ACTOR_CLASSES: dict[str, frozenset[str]] = {
    "military": frozenset({"state_forces"}),
    "police": frozenset({"police", "state_forces"}),
    "armed_group": frozenset({"armed_group"}),
    "civilians": frozenset({"civilians"}),
    "state": frozenset({"state", "officials"}),
    "government": frozenset({"state", "officials"}),
    "person": frozenset({"civilians"}),
    "political_party": frozenset({"civilians"}),
    "media_outlet": frozenset({"civilians"}),
    "international_org": frozenset({"officials"}),
}
REALISED = frozenset({"asserted", "reported"})
NOUN_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
# Prepositional phrases that belong to the noun phrase naming a participant: "police in
# Jericho", "the emir of Qatar", "fighters from the north".
NP_PREPOSITIONS = frozenset({"of", "in", "from", "at", "near", "outside", "inside", "within", "across", "around", "throughout"})
DATE_TYPES = frozenset({"DATE", "TIME"})


# --------------------------------------------------------------------------- structures


@dataclass
class Participant:
    role: str  # source, target, victims
    head: Token
    start: int
    end: int
    entity: Entity | None = None
    classes: frozenset[str] = frozenset()
    count: int | None = None
    named: bool = False  # the head itself is a name ("Taliban"), not a description


@dataclass(eq=False)
class Mention:
    """One trigger in the text, with what the clause around it says."""

    token: Token
    entry: Trigger
    type: str
    mode: str | None
    anchor: Token  # the verb (or the trigger) whose clause holds the arguments
    sent: int
    flags: set[str] = field(default_factory=set)
    status: str = "event"  # event, background (evidence only), content (dropped)
    governor: Mention | None = None
    modality: str = "asserted"
    speaker: Token | None = None  # subject of the verb of saying that reports it
    statement: str | None = None
    participants: list[Participant] = field(default_factory=list)
    fatalities: int | None = None
    injuries: int | None = None
    places: list[tuple[int, int, Place]] = field(default_factory=list)  # (rank, order, place)
    times: list[tuple[int, int, Time]] = field(default_factory=list)
    weapon_mode: str | None = None
    contents: list[Mention] = field(default_factory=list)  # what it says, demands, rejects

    @property
    def trigger_span(self) -> tuple[int, int]:
        """The trigger's words when they are contiguous ("turned down", "air strike"),
        else its head word."""
        tok = self.token
        start, end = tok.i, tok.i
        words = {w for w, _ in self.entry.deps}
        while start > 0 and tok.doc[start - 1].head.i == tok.i and (
                tok.doc[start - 1].lower_ in words or _lemma(tok.doc[start - 1]) in words):
            start -= 1
        while end + 1 < len(tok.doc) and (tok.doc[end + 1].lower_ in words or _lemma(tok.doc[end + 1]) in words):
            end += 1
        doc = tok.doc
        if "-" in self.entry.head:  # "sit-in", "test-fired": the whole hyphenated word
            start, end = _hyphen_bounds(doc, start, end)
        return doc[start].idx, doc[end].idx + len(doc[end].text)

    @property
    def is_noun(self) -> bool:
        return self.entry.pos == "N"

    @property
    def plural(self) -> bool:
        return self.is_noun and self.token.tag_ in ("NNS", "NNPS")

    def sources(self) -> list[Participant]:
        return [p for p in self.participants if p.role == "source"]

    def others(self) -> list[Participant]:
        return [p for p in self.participants if p.role != "source"]


@dataclass
class Context:
    """Everything about one article that the rules look up, indexed by token."""

    doc: Doc
    lex: Lexicon
    article: Article
    sents: list[Span]
    sent_of: list[int]
    entity_of: list[Entity | None]
    place_of: dict[int, Place]
    time_of: dict[int, Time]
    actor_by_id: dict[str, Actor]
    statements: list[Statement]
    published: dt.date | None
    cores: set[int] = field(default_factory=set)  # trigger and anchor tokens of every mention
    reported_sents: dict[int, set[int]] = field(default_factory=dict)
    sentence_words: dict[int, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)


# --------------------------------------------------------------------------- entry point


def extract_events(
    doc: Doc,
    article: Article,
    entities: list[Entity],
    actors: list[Actor],
    places: list[Place],
    times: list[Time],
    statements: list[Statement],
) -> list[Event]:
    if len(doc) == 0:
        return []
    ctx = _context(doc, article, entities, actors, places, times, statements)
    mentions = [m for m in _detect(ctx) if m is not None]
    _embed(ctx, mentions)
    ctx.cores = {i for m in mentions if m.status != "content" for i in (m.token.i, m.anchor.i)}
    for m in mentions:
        if m.status != "content":
            _fill(ctx, m)
    clusters = _corefer(ctx, mentions)
    events = [_event(ctx, cluster) for cluster in clusters]
    events.sort(key=lambda e: (e.trigger[0], e.trigger[1]))
    return [_with_id(e, i) for i, e in enumerate(events, start=1)]


def _with_id(event: Event, number: int) -> Event:
    event.id = f"v{number}"
    return event


# --------------------------------------------------------------------------- context


def _context(doc, article, entities, actors, places, times, statements) -> Context:
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for i, sent in enumerate(sents):
        for t in range(sent.start, sent.end):
            sent_of[t] = i
    published = None
    if article.published:
        try:
            published = dt.date.fromisoformat(article.published[:10])
        except ValueError:
            published = None
    return Context(
        doc=doc,
        lex=load_lexicon(),
        article=article,
        sents=sents,
        sent_of=sent_of,
        entity_of=_index_by_token(doc, _participant_entities(entities, actors, places)),
        place_of=_dict_by_token(doc, places),
        time_of=_dict_by_token(doc, times),
        actor_by_id={a.id: a for a in actors},
        statements=list(statements),
        published=published,
    )


def _participant_entities(entities: list[Entity], actors: list[Actor], places: list[Place]) -> list[Entity]:
    """Entities that can take part in an event. A name the tagger took for a person but the
    places layer resolved, and no knowledge-base actor claims ("shells at the outskirts of
    Kfar Kila"), is a place: it says where, not who."""
    spans = {(p.start, p.end) for p in places}
    known = {a.id for a in actors if a.kb}
    return [e for e in entities
            if not (e.type == "PERSON" and (e.start, e.end) in spans and e.actor not in known)]


def _tokens_of(doc: Doc, start: int, end: int) -> range:
    span = doc.char_span(start, end, alignment_mode="expand")
    return range(span.start, span.end) if span is not None else range(0)


def _index_by_token(doc: Doc, items: Iterable) -> list:
    out: list = [None] * len(doc)
    for item in items:
        for i in _tokens_of(doc, item.start, item.end):
            if out[i] is None:
                out[i] = item
    return out


def _dict_by_token(doc: Doc, items: Iterable) -> dict:
    out: dict = {}
    for item in items:
        for i in _tokens_of(doc, item.start, item.end):
            out.setdefault(i, item)
    return out


# --------------------------------------------------------------------------- 1. detect

_MATCHERS: dict[int, tuple[object, Matcher]] = {}


def _matcher(doc: Doc, lex: Lexicon) -> Matcher:
    """One Matcher per vocabulary: trigger head lemmas by part of speech, plus hyphenated
    noun triggers ("cease-fire", "sit-in") that the tokenizer splits in three."""
    key = id(doc.vocab)
    cached = _MATCHERS.get(key)
    if cached is not None and cached[0] is doc.vocab:
        return cached[1]
    matcher = Matcher(doc.vocab)
    for code, tags in POS_CODES.items():
        lemmas = sorted({head for head, pos in lex.triggers if pos == code and "-" not in head})
        patterns = [[{"LEMMA": {"IN": lemmas}, "POS": {"IN": list(tags)}}]]
        if code == "N":  # "staged live-fire drills" with "drills" tagged as a verb in object position
            patterns.append([{"LEMMA": {"IN": lemmas}, "TAG": "VBZ", "DEP": {"IN": ["dobj", "pobj", "nsubjpass"]}}])
        matcher.add(code, patterns)
    hyphenated, hyphenated_verbs = [], []
    for head, pos in sorted(lex.triggers):
        if "-" in head and pos == "N":
            left, right = head.split("-", 1)
            hyphenated.append([{"LOWER": left}, {"ORTH": "-"}, {"LOWER": {"IN": [right, right + "s"]}}])
        elif "-" in head and pos == "V":  # "test-fired": the verb is the last piece
            left, right = head.split("-", 1)
            hyphenated_verbs.append([{"LOWER": left}, {"ORTH": "-"}, {"LEMMA": right, "POS": "VERB"}])
    if hyphenated:
        matcher.add("HYPHEN", hyphenated)
    if hyphenated_verbs:
        matcher.add("HYPHEN_V", hyphenated_verbs)
    _MATCHERS[key] = (doc.vocab, matcher)
    return matcher


# Past forms the small model's lemmatizer cuts wrongly ("staged" -> "stag", "waged" ->
# "wag"); keyed by the word as written.
LEMMA_FIXES = {"staged": "stage", "waged": "wage", "raged": "rage", "staging": "stage", "waging": "wage"}
WRONG_LEMMAS = frozenset({"stag", "wag", "rag", "stage", "wage"})


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    return LEMMA_FIXES.get(tok.lower_, lemma) if lemma in WRONG_LEMMAS else lemma


# A sentence with more triggers than this is no prose (a list, a table, noise); the rest
# of its triggers are ignored, so a pathological input costs linear time.
MAX_MENTIONS_PER_SENTENCE = 40
# Clauses are read up to this many tokens.
MAX_CLAUSE_TOKENS = 400


def _detect(ctx: Context) -> Iterator[Mention | None]:
    per_sentence: dict[int, int] = {}
    for m in _detect_all(ctx):
        if m is None:
            continue
        per_sentence[m.sent] = per_sentence.get(m.sent, 0) + 1
        if per_sentence[m.sent] <= MAX_MENTIONS_PER_SENTENCE:
            yield m


def _detect_all(ctx: Context) -> Iterator[Mention | None]:
    doc, lex = ctx.doc, ctx.lex
    seen: set[int] = set()
    matches = sorted(_matcher(doc, lex)(doc), key=lambda m: (m[1], m[2]))
    for match_id, start, end in matches:
        label = doc.vocab.strings[match_id]
        if label == "HYPHEN":
            span = doc[start:end]
            tok = span.root
            head = f"{doc[start].lower_}-{doc[end - 1].lower_}"
            rows = lex.triggers.get((head, "N")) or lex.triggers.get((head.removesuffix("s"), "N"), ())
        elif label == "HYPHEN_V":
            tok = doc[end - 1]
            rows = lex.triggers.get((f"{doc[start].lower_}-{_lemma(tok)}", "V"), ())
        else:
            tok = doc[start]
            code = label
            rows = lex.triggers.get((_lemma(tok), code), ())
        if tok.i in seen or not rows:
            continue
        # the longest row whose words fit and whose sense holds here: "paid compensation
        # for assets" is not "pay for"
        for entry in _fitting_entries(tok, rows):
            mention = _mention(ctx, tok, entry)
            if mention is not None:
                seen.add(tok.i)
                yield mention
                break
    yield from _demands(ctx, seen)


def _demands(ctx: Context, seen: set[int]) -> Iterator[Mention]:
    """"Russia said Sudan must return the helicopter": what a speaker says another party
    must do is a demand (CAMEO 10), whatever the act demanded."""
    report = ctx.lex.cue("report")
    for tok in ctx.doc:
        if tok.pos_ != "VERB" or _lemma(tok) not in report:
            continue
        speaker = _first(_syntactic_subjects(tok))
        if speaker is None:
            continue
        for clause in tok.children:
            if clause.dep_ != "ccomp" or clause.i in seen or clause.pos_ not in ("VERB", "AUX"):
                continue
            modal = any(c.dep_ == "aux" and c.lower_ in ("must", "should", "ought") for c in clause.children)
            if not (modal or _have_to_clause(clause)):
                continue
            subject = _first(_syntactic_subjects(clause))
            if subject is None or _same_party(ctx, speaker, subject):
                continue
            entry = Trigger(head=_lemma(clause), deps=(), pos="V", type="REQUEST", mode=None,
                            flags=frozenset({"demand"}), of_role=None, reverse=None)
            m = Mention(token=clause, entry=entry, type="REQUEST", mode=None, anchor=clause,
                        sent=ctx.sent_of[clause.i], speaker=speaker)
            m.flags |= {"demand", "reported_by_verb"}
            seen.add(clause.i)
            yield m


def _have_to_clause(clause: Token) -> bool:
    """"Sudan has to return ...": the clause verb is have/need with an infinitive."""
    return _lemma(clause) in ("have", "need") and any(
        c.dep_ == "xcomp" and any(a.tag_ == "TO" for a in c.children) for c in clause.children)


def _fitting_entries(tok: Token, rows: tuple[Trigger, ...]) -> list[Trigger]:
    """The trigger rows whose other words hang off the token as written, longest first,
    and among rows as long, those whose words are its particles first: "called up
    reservists on Wednesday" is "call up", not "call on"."""
    fitting = [row for row in rows if _deps_match(tok, row)]
    return sorted(fitting, key=lambda row: (-len(row.deps), not _particle_words(tok, row)))


def _particle_words(tok: Token, row: Trigger) -> bool:
    words = {w for w, _ in row.deps}
    return bool(words) and all(any(c.dep_ == "prt" and (c.lower_ == w or _lemma(c) == w) for c in tok.children)
                               for w, parent in row.deps if parent < 0)


def _deps_match(tok: Token, row: Trigger) -> bool:
    found: list[Token] = []
    for word, parent in row.deps:
        anchor = tok if parent < 0 else found[parent]
        child = next((c for c in anchor.children if _lemma(c) == word or c.lower_ == word), None)
        if child is None and parent < 0:  # "pushing for the US to support": "for" marks a clause
            child = next((g for c in anchor.children if c.dep_ == "advcl" for g in c.children
                          if g.dep_ == "mark" and g.lower_ == word and g.i == c.left_edge.i), None)
        if child is None:
            return False
        found.append(child)
    return True


def _mention(ctx: Context, tok: Token, entry: Trigger) -> Mention | None:
    if _modifier_use(ctx, tok, entry):
        return None
    sense = _sense(ctx, tok, entry)
    if sense is None:
        return None
    type_, mode = sense
    m = Mention(token=tok, entry=entry, type=type_, mode=mode, anchor=tok, sent=ctx.sent_of[tok.i])
    m.flags |= set(entry.flags)
    if type_ == "AGREE" and entry.type != "AGREE":
        m.flags.add("intent")  # "readiness to resume talks": what it is ready for decides
    own = {w for w, _ in entry.deps}
    objects = []
    for o in _syntactic_objects(tok, entry):  # "took control of Mota": what control is of
        objects += _prep_objects(o, ["of"]) if _lemma(o) in own else [o]
    # "took control of", "took over": territory by the words themselves; otherwise what
    # is taken is territory unless it is plainly people or things ("captured two vehicles"
    # is a seizure; a town the places layer does not know is still a town)
    takes_place = bool(entry.deps) or not objects or any(
        _is_place(ctx, o) or not (_classes(ctx, o) & (ACTOR_LIKE_CLASSES | {"weapons", "property", "abstract"}))
        for o in objects)
    if type_ == "ASSAULT" and (entry.head in ("seize", "capture") or "territory" in entry.flags):
        if takes_place:
            m.flags.add("territory")  # "captured the town", "took control of Mota"
        else:
            m.flags.discard("territory")
    return m


def _modifier_use(ctx: Context, tok: Token, entry: Trigger) -> bool:
    """"invasion forces", "attack helicopter", "the long-threatened invasion": a trigger
    word used to describe something else names no event of its own."""
    if entry.pos == "N" and tok.dep_ == "compound" and tok.head.pos_ in ("NOUN", "PROPN"):
        return _lemma(tok.head) not in ctx.lex.cue("event_head")
    if entry.pos == "V" and tok.dep_ in ("amod", "compound") and tok.tag_ in ("VBN", "VBG", "JJ"):
        return True
    return False


# ------------------------------------------------------------------ senses (conditions.tsv)


def _sense(ctx: Context, tok: Token, entry: Trigger) -> tuple[str, str | None] | None:
    """The (type, mode) of a trigger in context, or None when this use names no event."""
    rows = ctx.lex.conditions.get((entry.text, entry.pos), ())
    for cond in rows:
        if all(_test(ctx, tok, entry, t, v) for t, v in zip(cond.tests, cond.values, strict=True)):
            if cond.outcome == "drop":
                return None
            if cond.outcome == "keep":
                return entry.type, entry.mode
            type_, _, mode = cond.outcome.partition("/")
            return type_, (None if mode in ("", "-") else mode) if "/" in cond.outcome else entry.mode
    return entry.type, entry.mode


def _test(ctx: Context, tok: Token, entry: Trigger, test: str, values: frozenset[str]) -> bool:
    if test == "*":
        return True
    if test == "comp":
        return any(c.dep_ in ("xcomp", "ccomp") for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ in ("for", "on") for c in tok.children)
    if test == "armed":
        return _armed_context(ctx, tok)
    if test == "head":
        return tok.head.i != tok.i and (tok.head.lower_ in values or _lemma(tok.head) in values)
    if test == "sentence":
        lemmas, classes = _sentence_words(ctx, ctx.sent_of[tok.i])
        return bool(values & lemmas) or bool({v[1:] for v in values if v.startswith("@")} & classes)
    if test == "prep":
        return any(c.dep_ in ("prep", "prt", "agent", "acomp", "oprd", "advmod") and c.lower_ in values
                   for c in tok.children)
    if test.startswith("pobj"):  # "walked out of the talks", "sent tanks to Kyiv"
        preps = frozenset(test[5:].split("|")) if ":" in test else None
        objects = _phrase_objects(tok, preps)
        if not objects:
            return "-" in values
        return "*" in values or any(_value_match(ctx, o, values) for o in objects)
    if test == "purpose":  # "sent troops to help Mozambique"
        return any(_lemma(c) in values for c in _purpose_verbs(ctx, tok))
    if test == "mand":  # "insisted that Hungary restore": a mandative complement
        return any(_mandative(c) for c in tok.children if c.dep_ == "ccomp")
    if test == "bare":  # "in protest": no determiner or modifier of its own
        return not any(c.dep_ != "punct" for c in tok.children)
    if test == "mod":
        return any(c.dep_ in ("compound", "amod", "advmod", "nmod", "npadvmod", "nummod")
                   and (_lemma(c) in values or c.lower_ in values or _classes_match(ctx, c, values)
                        or _hyphenated(c).lower() in values)
                   for c in tok.children)
    heads = _syntactic_objects(tok, entry) if test == "obj" else _syntactic_subjects(tok)
    if test == "obj" and not heads and _lemma(tok) in OBJECT_CONTROL:
        heads = _controlled(tok)  # "allowed OPCW inspectors to enter", parsed as a clause
    if not heads:
        return "-" in values
    return any(_value_match(ctx, h, values) for h in heads)


def _hyphenated(tok: Token) -> str:
    """The whole hyphenated word a modifier ends ("live-fire", "long-range")."""
    start, _ = _hyphen_bounds(tok.doc, tok.i, tok.i, right=False)
    return tok.doc[start:tok.i + 1].text


def _hyphen_bounds(doc: Doc, start: int, end: int, right: bool = True) -> tuple[int, int]:
    """Token bounds (inclusive) widened over the pieces glued to them by hyphens, which the
    tokenizer splits off ("sit - in"): to the left, and to the right unless told not to."""
    while start > 0 and not doc[start - 1].whitespace_ and "-" in (doc[start - 1].text, doc[start].text):
        start -= 1
    while right and end + 1 < len(doc) and not doc[end].whitespace_ and "-" in (doc[end].text, doc[end + 1].text):
        end += 1
    return start, end


def _controlled(v: Token) -> list[Token]:
    """Who is allowed, urged or let do something when the parser made them the subject of
    the complement ("allowed inspectors to enter") or the complement itself ("let a convoy
    through")."""
    out: list[Token] = []
    for c in v.children:
        if c.dep_ in ("ccomp", "xcomp"):
            if c.pos_ in ("NOUN", "PROPN"):
                out += _conjuncts(c)
            else:
                out += [x for g in c.children if g.dep_ in ("nsubj", "nsubjpass") for x in _conjuncts(g)]
    return out


def _phrase_objects(tok: Token, preps: frozenset[str] | None) -> list[Token]:
    """Objects of the prepositions on a word, through a particle ("out of the talks"), and
    on its direct object ("pulled its observers out of Zimbabwe", "sent tanks to Kyiv")."""
    holders = [tok, *(c for c in tok.children if c.dep_ in ("dobj", "prt"))]
    out: list[Token] = []
    for h in holders:
        for c in h.children:
            if c.dep_ not in ("prep", "prt", "agent", "dative") and not (c.dep_ == "advmod" and c.pos_ == "ADP"):
                continue
            chain = [c, *(g for g in c.children if g.dep_ == "prep")]  # "out of", "away from"
            for prep in chain:
                if preps is None or prep.lower_ in preps:
                    out.extend(x for g in prep.children if g.dep_ == "pobj" for x in _conjuncts(g))
    return out


def _purpose_verbs(ctx: Context, tok: Token) -> list[Token]:
    """Verbs of the purpose clause ("to help", "in order to protect") on a word or its
    object."""
    holders = [tok, *(c for c in tok.children if c.dep_ in ("dobj",))]
    out = []
    for h in holders:
        for c in h.children:
            if c.dep_ in ("xcomp", "advcl", "relcl", "acl") and c.pos_ == "VERB" and (
                    _infinitival(c) or _purpose_clause(ctx, c)):
                out.append(c)
    return out


def _mandative(clause: Token) -> bool:
    """"that Hungary restore its courts", "that the army should withdraw": a bare verb or a
    deontic modal under "that", with its own subject."""
    if not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
        return False
    if any(c.dep_ == "aux" and c.lower_ in ("should", "must") for c in clause.children):
        return True
    if any(c.dep_ == "aux" for c in clause.children):
        return False
    # a bare verb, or one that does not agree with a singular subject ("that Poland reverse")
    return clause.tag_ == "VB" or (clause.tag_ == "VBP" and any(
        c.dep_ == "nsubj" and c.tag_ in ("NN", "NNP") for c in clause.children))


def _sentence_words(ctx: Context, index: int) -> tuple[frozenset[str], frozenset[str]]:
    """The noun lemmas of a sentence and their participant classes, once per sentence."""
    cached = ctx.sentence_words.get(index)
    if cached is None:
        lemmas = frozenset(_lemma(t) for t in ctx.sents[index] if t.pos_ in ("NOUN", "PROPN"))
        classes = frozenset().union(*(ctx.lex.classes.get(w, frozenset()) for w in lemmas))
        cached = ctx.sentence_words[index] = (lemmas, classes)
    return cached


def _value_match(ctx: Context, head: Token, values: frozenset[str]) -> bool:
    head = _lift(ctx, head)
    if _lemma(head) in values or head.lower_ in values or _compound_lemma(head) in values:
        return True
    ent = ctx.entity_of[head.i]
    label = ent.type if ent is not None else head.ent_type_  # the parser's own label if no entity
    if label and f"ent:{label.lower()}" in values:
        return True
    if "ent:gpe" in values and head.i in ctx.place_of and head.pos_ == "PROPN":
        return True  # a toponym the places layer resolved, where the tagger saw no entity
    if "@named" in values and any(
            (ctx.entity_of[t.i] is not None and ctx.entity_of[t.i].type in ("NORP", "GPE", "ORG"))
            for t in (head, *(c for c in head.children if c.dep_ in ("amod", "compound", "poss")))):
        return True  # "Ukrainian soldiers", "Kenya's police": someone else's forces
    if "@event" in values and (_lemma(head), "N") in ctx.lex.triggers:
        return True  # "ordered the arrest of", "suspended the talks": the noun is the event
    return _classes_match(ctx, head, values)


def _classes_match(ctx: Context, head: Token, values: frozenset[str]) -> bool:
    wanted = {v[1:] for v in values if v.startswith("@")}
    return bool(wanted and wanted & _classes(ctx, head))


def _armed_context(ctx: Context, tok: Token) -> bool:
    """Whether a trigger's use is military: an armed participant or a named weapon."""
    for head in (*_syntactic_subjects(tok), *_syntactic_objects(tok, None)):
        if _classes(ctx, head) & ARMED_CLASSES:
            return True
    for t in _clause_tokens(tok):
        cue = ctx.lex.modes.get(_lemma(t)) or ctx.lex.modes.get(_compound_lemma(t))
        if cue is not None and cue.priority >= 2 and cue.mode != "crowd-control":
            return True
    return False


# --------------------------------------------------------------------------- syntax helpers


def _is_passive(v: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        return True
    return v.tag_ == "VBN" and v.dep_ in ("acl", "advcl", "amod") and not any(
        c.dep_ == "aux" for c in v.children) and not _misread_participle(v)


def _misread_participle(v: Token) -> bool:
    """A finite verb the small model read as a participle on the noun before it, so that
    the noun is its subject: "Pakistan's army chief conferred by video link with ..." (a
    verb of meeting with a "with" partner is no passive), "About 200 fighters handed in
    their weapons" (a passive participle has no object of its own)."""
    if v.dep_ != "acl" or v.tag_ not in ("VBN", "VBD") or v.head.dep_ != "ROOT" or v.head.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ == "prt" and any(g.dep_ == "pobj" for g in c.children) for c in v.children):
        return True
    rows = load_lexicon().triggers.get((_lemma(v), "V"), ())
    if not any("recip" in r.flags for r in rows):
        return False
    # a symmetric verb with its partner ("conferred ... with"), or right after its subject
    # with no agent ("the two ministers negotiated in Washington")
    with_partner = any(c.dep_ == "prep" and c.lower_ == "with" for c in v.children)
    return with_partner or (v.i == v.head.i + 1 and not any(c.dep_ == "agent" for c in v.children))


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in NOUN_POS:
            out.extend(_conjuncts(c))
    return out


def _syntactic_subjects(v: Token) -> list[Token]:
    """Heads of what carries out `v` (the agent of a passive), following control and
    coordination up the tree when the verb has no subject of its own."""
    if v.pos_ == "NOUN":
        return _noun_subjects(v)
    if _is_passive(v):
        for c in v.children:
            if c.dep_ == "agent":
                return [x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p)]
        # "were threatened with arrest by the minister": the by-phrase hangs on the
        # phrase that completes the verb
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("with", "to", "into", "from", "out"):
                for obj in (p for p in c.children if p.dep_ == "pobj"):
                    by = _by_phrase(obj)
                    if by:
                        return by
        if _lemma(v) in STATIVE_PASSIVES and any(c.dep_ == "prep" and c.lower_ == "to" for c in v.children):
            # "Israel is opposed to French mediation": an attitude, not a passive act
            return [x for c in v.children if c.dep_ == "nsubjpass" for x in _conjuncts(c)]
        return []
    # "Norwegian envoys are mediating": the small model sometimes hangs the subject on the
    # auxiliary instead of the verb
    subject_holders = [v, *(c for c in v.children if c.dep_ == "aux" and c.i < v.i)]
    for c in (c for h in subject_holders for c in h.children):
        if c.dep_ in ("nsubj", "csubj"):
            if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
                if _lexical_classes(v.head) & {"places", "property"} and not _lexical_classes(v.head) & ACTOR_LIKE_CLASSES:
                    return []  # the relative clause belongs to an event noun before it
                return _conjuncts(v.head)
            if c.pos_ == "VERB":  # "The Red Cross operating in Iraq said": a mis-parsed noun phrase
                inner = [x for x in c.children if x.dep_ == "nsubj"]
                if inner:
                    return _conjuncts(inner[0])
            return _conjuncts(c)
    if _finite_modifier(v):  # "North Korea test-fired two missiles" read as one noun phrase
        return [c for c in v.head.children if c.i < v.left_edge.i and c.dep_ in ("compound", "nmod", "poss")][-1:]
    if v.pos_ == "ADJ" and v.dep_ in ("acomp", "amod"):  # "France is ready to contribute"
        return _syntactic_subjects(v.head) if v.dep_ == "acomp" else [v.head]
    if v.dep_ == "xcomp":
        gov = v.head
        if _lemma(gov) in OBJECT_CONTROL:
            objs = [c for c in gov.children if c.dep_ in ("dobj", "dative")]
            if objs:
                return _conjuncts(objs[0])
        return _syntactic_subjects(gov)
    if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX", "ADJ"):
        return _syntactic_subjects(v.head)
    if _misread_participle(v):
        return _conjuncts(v.head)
    if v.dep_ == "acl" and v.tag_ == "VBG":
        # "gunmen firing at ...": the noun acts; "issued a declaration demanding ...": the
        # one who issued it does
        noun = v.head
        if noun.dep_ in ("dobj",) and noun.ent_type_ == "" and not (_lexical_classes(noun) & ACTOR_LIKE_CLASSES):
            return _syntactic_subjects(noun.head)
        return _conjuncts(noun)
    if v.dep_ == "pcomp" and v.head.dep_ == "prep":
        # "guilty of violating", "accused of attacking": the gerund's doer is the
        # subject of the predicate it completes
        pred = v.head.head
        if pred.pos_ in ("ADJ",) and pred.dep_ in ("acomp", "attr"):
            return _syntactic_subjects(pred.head)
        if pred.pos_ in ("VERB", "AUX"):
            return _syntactic_subjects(pred)
    if v.dep_ == "advcl" and (v.tag_ == "VBG" or _infinitival(v)):
        return _syntactic_subjects(v.head)  # "summoned the ambassador to protest": the summoner
    if v.dep_ == "relcl" and _infinitival(v):
        # "in a position to attack": the doer is the subject of the verb above
        cur = v.head
        for _ in range(4):
            if cur.pos_ in ("VERB", "AUX"):
                return _syntactic_subjects(cur)
            if cur.head.i == cur.i:
                break
            cur = cur.head
        return []
    if v.dep_ == "relcl":
        return _conjuncts(v.head)
    return []


def _by_phrase(n: Token) -> list[Token]:
    """The objects of a "by" phrase hanging on a noun."""
    return [x for c in n.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"
            for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p)]


def _noun_subjects(n: Token) -> list[Token]:
    if _noun_read_verb(n):  # "The EU cut funding", with "cut" tagged as a noun
        return [c for c in n.children if c.dep_ in ("compound", "nsubj") and c.i < n.i][-1:]
    out = _adjacent_by(n)
    for c in n.children:
        if c.dep_ == "poss" and c.lower_ not in PERSONAL_PRONOUNS:
            out.append(c)
        elif c.dep_ == "prep" and c.lower_ == "by":
            out.extend(x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p))
        elif c.dep_ == "prep" and c.lower_ == "of":  # "the release of 13 hostages by Hamas"
            out.extend(x for p in c.children if p.dep_ == "pobj" for x in _by_phrase(p))
        elif c.dep_ == "prep" and c.lower_ == "between":
            out.extend(x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p))
    return out


def _noun_read_verb(n: Token) -> bool:
    """A verb the tagger took for a noun: it has a direct object ("The EU cut funding")."""
    return n.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "dobj" for c in n.children)


def _adjacent_by(n: Token) -> list[Token]:
    """"broke up a march by doctors" with "by doctors" hung on the verb: a "by" phrase
    right after an object noun names the noun's doer."""
    nxt = n.right_edge.i + 1
    doc = n.doc
    if n.dep_ in ("dobj", "pobj") and nxt < len(doc) and doc[nxt].lower_ == "by" and doc[nxt].head.i == n.head.i:
        return [x for p in doc[nxt].children if p.dep_ == "pobj" for x in _conjuncts(p)]
    return []


def _syntactic_objects(v: Token, entry: Trigger | None) -> list[Token]:
    """Heads of what `v` is done to: the object, the subject of a passive, the "of" object
    of an event noun."""
    if v.pos_ == "NOUN":
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("on", "against", "upon", "at") :
                return [x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p)]
            if c.dep_ == "prep" and c.lower_ == "of" and (entry is None or entry.of_role != "source"):
                return [x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p)]
        return []
    if _is_passive(v):
        for c in v.children:
            if c.dep_ == "nsubjpass":
                if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
                    return _conjuncts(v.head)
                return _conjuncts(c)
        if v.dep_ in ("acl", "amod") or (v.dep_ == "relcl"):
            return _conjuncts(v.head)
        if v.dep_ == "conj":
            return _syntactic_objects(v.head, entry)
        return []
    objects = [c for c in v.children if c.dep_ in ("dobj", "attr", "oprd") and c.pos_ in NOUN_POS]
    if len(objects) > 1 and objects[-1].i - objects[0].i == len(objects) - 1:
        return _conjuncts(objects[-1])  # "vice - president" split in three objects: the last names it
    if objects:
        return _conjuncts(objects[0])
    own = {w for w, _ in entry.deps} if entry is not None else set()
    for c in v.children:  # "handed in their weapons" with the object under the particle
        if c.dep_ == "prt" or (c.dep_ == "prep" and c.lower_ in own):
            objs = [x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p)]
            if objs:
                return objs
    if _finite_modifier(v):
        return [v.head]
    return []


def _finite_modifier(v: Token) -> bool:
    """A past-tense verb the small model read as an adjective inside a noun phrase
    ("North Korea test-fired two missiles" as one noun phrase): subject before, object
    after."""
    return v.dep_ == "amod" and v.tag_ == "VBD" and v.head.pos_ in ("NOUN", "PROPN") and v.head.i > v.i


def _prep_objects(v: Token, preps: Iterable[str]) -> list[Token]:
    wanted = set(preps)
    out = []
    for c in v.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in wanted:
            out.extend(x for p in c.children if p.dep_ == "pobj" for x in _conjuncts(p))
    return out


def _clause_tokens(v: Token) -> list[Token]:
    """The tokens of `v`'s own clause: its subtree without embedded clauses (other than
    participial modifiers, which describe the same event: "killing 156 people")."""
    out = []
    stack = [v]
    while stack and len(out) < MAX_CLAUSE_TOKENS:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in ("ccomp", "parataxis", "relcl") or (c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")):
                continue
            stack.append(c)
    out.sort(key=lambda t: t.i)
    return out


def _lift(ctx: Context, tok: Token) -> Token:
    """The noun meant by a measure phrase: "700 kg of medicine" -> medicine, "hundreds of
    thousands of people" -> people, "a series of attacks" -> attacks."""
    measure = ctx.lex.cue("measure")
    for _ in range(4):
        if _lemma(tok) not in measure and tok.lower_ not in measure:
            return tok
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is None:
            return tok
        tok = obj
    return tok


def _compound_lemma(tok: Token) -> str:
    """"security force", "police officer": the head lemma with its compound modifiers."""
    if not tok.n_lefts:
        return _lemma(tok)
    mods = [c for c in tok.lefts if c.dep_ == "compound"]
    if not mods:
        return _lemma(tok)
    return " ".join([*(_lemma(m) for m in mods[-2:]), _lemma(tok)])


def _lexical_classes(tok: Token) -> frozenset[str]:
    classes = load_lexicon().classes
    return classes.get(_compound_lemma(tok)) or classes.get(_lemma(tok)) or frozenset()


def _classes(ctx: Context, head: Token) -> frozenset[str]:
    """Participant classes of a noun: from its actor's type when linked, else the lexicon."""
    head = _lift(ctx, head)
    ent = ctx.entity_of[head.i]
    if ent is not None and ent.actor and ent.actor in ctx.actor_by_id:
        mapped = ACTOR_CLASSES.get(ctx.actor_by_id[ent.actor].type)
        if mapped:
            return mapped
    classes = ctx.lex.classes
    found: set[str] = set()
    mods = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i]
    for m in mods:  # "peacekeeping force", "armed men", "security officer"
        for two in (f"{_lemma(m)} {_lemma(head)}", f"{m.lower_} {head.lower_}"):
            if two in classes:
                return classes[two]
    for key in (_compound_lemma(head), _lemma(head), head.lower_):
        if key in classes:
            found |= classes[key]
            break
    # "army positions", "police station", "artillery position": held by armed forces
    for m in mods:
        armed = classes.get(_lemma(m), frozenset()) & (ARMED_CLASSES | {"police"})
        if not armed and ("weapons" in classes.get(_lemma(m), frozenset()) or _lemma(m) in ctx.lex.modes):
            armed = frozenset({"state_forces"})
        if armed and (found & {"places", "property"} or not found):
            found |= armed
    if found:
        return frozenset(found)
    if head.ent_type_ == "MONEY":  # "$2 billion", "20 million euros": money given is aid
        return frozenset({"aid"})
    if ent is not None:
        if ent.type == "PERSON":
            return frozenset({"civilians"})
        if ent.type == "GPE":
            return frozenset({"state"})
        if ent.type == "NORP" and head.pos_ in ("PROPN", "NOUN"):
            return frozenset({"civilians"})
    return frozenset()


# --------------------------------------------------------------------------- 2./3. embed


def _embed(ctx: Context, mentions: list[Mention]) -> None:
    """Anchor nominal triggers on their light verbs, then decide for every mention whether
    it is an event, background, or the content of another mention."""
    by_token = {m.token.i: m for m in mentions}
    for m in mentions:
        if m.is_noun:
            _anchor_noun(ctx, m, by_token)
    # A light verb shared with a trigger verb: "signed a treaty" is the verb's event.
    for m in mentions:
        if m.is_noun and m.anchor.i != m.token.i and m.anchor.i in by_token:
            gov = by_token[m.anchor.i]
            if gov is m or gov.status != "event":
                continue
            if m.type == "PROTEST" and gov.type == "COERCE" and gov.mode == "crowd-control":
                # "police broke up a march by doctors": the march happened, then was
                # dispersed; the protest is the event, the dispersal part of it
                m.anchor = m.token
                m.flags.discard("supported")
                m.flags.add("intervention")
                continue
            m.status, m.governor = "content", gov
    governors = dict(by_token)
    for m in mentions:  # "renewed negotiations on X": the light verb stands for the noun
        if m.is_noun and m.anchor.i != m.token.i and m.anchor.i not in governors and m.status != "content":
            governors[m.anchor.i] = m
    for m in mentions:
        if m.status == "content":
            continue
        _govern(ctx, m, governors)
    _absorb_outcomes(mentions)
    for m in mentions:  # "would prohibit aid and would deny entry": conjuncts share a speaker
        if m.anchor.dep_ == "conj" and m.anchor.head.i in by_token:
            sibling = by_token[m.anchor.head.i]
            if m.speaker is None and sibling.speaker is not None:
                m.speaker = sibling.speaker
                m.flags.add("reported_by_verb")
    for m in mentions:
        if m.status == "event" and m.is_noun and "licensed" in m.flags and m.anchor.i == m.token.i:
            if "needs-verb" in m.flags or not _noun_licensed(ctx, m):
                m.status = "content"
        if m.status == "event" and _in_background(ctx, m):
            m.status = "background"
        if m.status == "event" and m.entry.pos == "A" and "intent" in m.flags and "typed_by_complement" not in m.flags:
            m.status = "content"  # "the attack was well prepared": ready for nothing said


def _absorb_outcomes(mentions: list[Mention]) -> None:
    """Parts of another event that are no event of their own: "met but failed to agree" is
    a meeting without agreement, not a refusal; "detained 40 people in raids" is arrests,
    the raids the way they were made."""
    by_anchor = {m.anchor.i: m for m in mentions if m.status == "event"}
    for m in mentions:
        if m.status != "event":
            continue
        if m.type == "AGREE" and m.anchor.dep_ == "xcomp" and _lemma(m.anchor.head) == "fail":
            fail = m.anchor.head
            beside = ([fail.head] if fail.dep_ == "conj" else []) + [c for c in fail.children if c.dep_ == "conj"]
            meeting = next((by_anchor[b.i] for b in beside if b.i in by_anchor and by_anchor[b.i].type == "CONSULT"), None)
            if meeting is not None:
                m.status, m.governor = "content", meeting
        elif (m.type == "ASSAULT" and m.is_noun and m.entry.head == "raid" and m.token.dep_ == "pobj"
              and m.token.head.lower_ in ("in", "during")):
            arrest = by_anchor.get(m.token.head.head.i)
            if arrest is not None and arrest.type == "COERCE" and arrest.mode == "arrest":
                m.status, m.governor = "content", arrest


def _host(ctx: Context, n: Token) -> Token:
    """The noun phrase an event noun stands in for its verb: "10 days of war games" ->
    days, "a mediation effort" -> effort, "a series of attacks" -> series."""
    measure = ctx.lex.cue("measure") | ctx.lex.cue("event_head")
    for _ in range(4):
        if n.dep_ == "pobj" and n.head.lower_ == "of" and n.head.head.pos_ in ("NOUN", "NUM", "PRON", "ADJ") and (
                _lemma(n.head.head) in measure or n.head.head.lower_ in measure):
            n = n.head.head
        elif n.dep_ == "pobj" and n.head.lower_ == "in" and n.head.head.ent_type_ == "MONEY":
            n = n.head.head  # "announced $400 million in military aid"
        elif n.dep_ == "compound" and _lemma(n.head) in ctx.lex.cue("event_head"):
            n = n.head
        else:
            return n
    return n


def _anchor_noun(ctx: Context, m: Mention, by_token: dict[int, Mention]) -> None:
    n = _host(ctx, m.token)
    verb = None
    prep_phrase = None
    if n.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
        verb = n.head
    elif n.dep_ == "pobj" and n.head.dep_ in ("prep", "prt") and n.head.head.pos_ in ("VERB", "AUX"):
        prep = n.head
        phrase = f"{_lemma(prep.head)} {prep.lower_}"
        # "took part in patrols" with "in" hung on the verb: the phrase includes its object
        objects = [f"{_lemma(prep.head)} {_lemma(c)} {prep.lower_}" for c in prep.head.children if c.dep_ == "dobj"]
        phrase = next((o for o in objects if o in ctx.lex.cue("support")), phrase)
        if phrase in ctx.lex.cue("support") or phrase in ctx.lex.cue("reverse"):
            verb, prep_phrase = prep.head, phrase  # "remained on alert", "pulled out of talks"
    elif (n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.head.dep_ == "dobj"
          and n.head.head.head.pos_ == "VERB"):
        obj = n.head.head  # "take part in joint patrols": verb, its object, the preposition
        phrase = f"{_lemma(obj.head)} {_lemma(obj)} {n.head.lower_}"
        if phrase in ctx.lex.cue("support"):
            verb, prep_phrase = obj.head, phrase
    elif (n.dep_ == "pobj" and n.head.dep_ == "prep" and n.head.head.dep_ in ("prep", "prt", "advmod")
          and n.head.head.pos_ == "ADP" and n.head.head.head.pos_ == "VERB"):
        out = n.head.head  # "walked out of the talks", parsed with "out" as a preposition
        phrase = f"{_lemma(out.head)} {out.lower_} {n.head.lower_}"
        if phrase in ctx.lex.cue("support") or phrase in ctx.lex.cue("reverse"):
            verb, prep_phrase = out.head, phrase
    elif n.dep_ == "conj" and n.head.dep_ in ("dobj", "nsubjpass"):
        verb = n.head.head
    if verb is None or not (verb.pos_ in ("VERB", "AUX") or (n.dep_ == "dobj" and _noun_read_verb(verb))):
        return
    lemma = _lemma(verb)
    prt = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
    phrase = prep_phrase or (f"{lemma} {prt}" if prt else lemma)
    reverse = ctx.lex.cue("reverse")
    if m.entry.reverse and (phrase in reverse or lemma in reverse) and verb.i not in by_token or (
        m.entry.reverse and (phrase in reverse or lemma in reverse) and by_token.get(verb.i) is not None
        and by_token[verb.i].entry.type in ("CONCEDE", "RETREAT", "SANCTION", "REJECT")):
        undone = m.type
        m.type = REVERSED.get(m.type, m.type) if m.entry.reverse == "*" else m.entry.reverse
        m.mode = "ceasefire" if undone == "ASSAULT" and m.type == "RETREAT" else _reverse_mode(m)
        m.anchor = verb
        m.flags.add("reversed")
        if verb.i in by_token:  # "lifted" is a trigger too: the noun decides the type
            by_token[verb.i].status = "content"
            by_token[verb.i].governor = m
        return
    if phrase in ctx.lex.cue("support") or lemma in ctx.lex.cue("support") or verb.i in by_token:
        m.anchor = verb
        m.flags.add("supported")


# What ending an event of each type is, for nouns whose reversal depends on their sense
# (reverse "*"): calling off a strike concedes (CAMEO 08), halting strikes on a town is
# de-escalation (CAMEO 087), halting trade reduces relations (CAMEO 16).
REVERSED = {"PROTEST": "CONCEDE", "ASSAULT": "RETREAT", "COERCE": "CONCEDE", "MOBILIZE": "RETREAT",
            "COOPERATE": "SANCTION", "AID": "SANCTION", "SUPPORT": "SANCTION", "CONSULT": "SANCTION",
            "AGREE": "REJECT", "SANCTION": "RETREAT"}


def _reverse_mode(m: Mention) -> str | None:
    return {"CONCEDE": "ease", "RETREAT": "ease", "SANCTION": "discontinue",
            "REJECT": None, "ASSAULT": None}.get(m.type, None)


def _noun_licensed(ctx: Context, m: Mention) -> bool:
    """Nouns like "talks" or "ties" name an event only with participants or a date of
    their own ("Israeli-Lebanese talks", "talks on Monday")."""
    n = m.token
    if _noun_subjects(n):
        return True
    for c in n.children:
        if c.dep_ in ("compound", "amod") and ctx.entity_of[c.i] is not None:
            return True
        if c.dep_ == "prep" and c.lower_ in ("with", "between"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("to", "for") and m.type in ("AID", "COOPERATE") and any(
                ctx.entity_of[g.i] is not None for g in c.children if g.dep_ == "pobj"):
            return True  # "military aid for Ukraine": the recipient is its participant
    if any(i in ctx.time_of for i in range(n.left_edge.i, n.right_edge.i + 1)):
        return True
    # "talks resumed", "the release took place": a predicate of occurrence
    return n.dep_ in ("nsubj",) and n.head.pos_ == "VERB" and (
        _lemma(n.head) in ctx.lex.cue("aspect") or _lemma(n.head) in ctx.lex.cue("occur"))


def _ancestors_in_clause(tok: Token, limit: int = 6) -> Iterator[tuple[Token, Token]]:
    """(child, governor) pairs up the tree from `tok`."""
    cur = tok
    for _ in range(limit):
        if cur.head.i == cur.i:
            return
        yield cur, cur.head
        cur = cur.head


def _govern(ctx: Context, m: Mention, by_token: dict[int, Mention]) -> None:
    """Walk up from the mention's anchor to the first governing trigger, and let it decide
    what the mention is: its content ("agreed to cooperate"), its condition or purpose
    ("unless Baghdad accepted", "to demand reforms"), or a sibling event. On the way, note
    the verb of saying that reports it and any condition, purpose or background clause."""
    lex = ctx.lex
    topic = condition = purpose = False
    verbs_passed = 0
    for child, gov in _ancestors_in_clause(m.anchor, limit=12):
        g = by_token.get(gov.i)
        dep = child.dep_
        if dep == "advcl":
            if _condition_clause(ctx, child):
                condition = True
            elif _purpose_clause(ctx, child):
                purpose = True
            elif _background_clause(ctx, child):
                m.status = "background"
                return
        if dep == "prep" and child.lower_ in lex.cue("topic"):
            topic = True
        if dep == "prep" and child.lower_ in lex.cue("background") and child.i != m.token.i:
            m.status = "background"  # "one day after a jet shot down a helicopter"
            return
        if g is not None and g is not m:
            if g.status == "content":
                m.status, m.governor = "content", g  # inside what another event says
                return
            if condition or purpose:
                m.status, m.governor = "content", g
                return
            if dep == "advcl" and child.tag_ == "VBG" and g.type in COMMUNICATIVE_TYPES and m.type in COMMUNICATIVE_TYPES:
                m.status, m.governor = "content", g  # "rejected the plan, urging ..."
                return
            if m.type == "REQUEST" and g.type == "PROTEST":
                m.status, m.governor = "content", g  # what the protesters demand
                return
            if dep == "advcl" and "prop" in g.flags and any(
                    c.dep_ == "mark" and c.lower_ == "for" for c in child.children):
                m.status, m.governor = "content", g  # "pushed for the US to support the plan"
                g.contents.append(m)
                return
            if dep in ("conj", "parataxis", "advcl", "relcl", "npadvmod", "nsubj", "nsubjpass", "appos", "csubj"):
                return  # a sibling event, not a complement
            if "prop" in g.flags or "intent" in g.flags or (g.type in COMMUNICATIVE_TYPES and (topic or dep in ("xcomp", "ccomp", "acl", "dobj", "pobj", "pcomp", "prep"))):
                if "forewarn" in g.flags and _forewarning(ctx, g, m):
                    g.status = "content"
                    m.modality = "forecast"
                    return
                m.status, m.governor = "content", g
                g.contents.append(m)
                if "intent" in g.flags and verbs_passed == 0:
                    g.type = intent_type(m.type, _negated(m))
                    g.flags.add("typed_by_complement")
                if g.type in ("ACCUSE", "REJECT") and m.type in VIOLENT_TYPES:
                    m.status = "background"  # accused of, or denied, an attack: it is told
                return
            return
        if gov.pos_ in ("VERB", "AUX") and _lemma(gov) in lex.cue("foil") and dep in ("dobj", "nsubjpass", "xcomp"):
            m.flags.add("foiled")
            return
        if dep == "relcl" and not _infinitival(child):
            return
        if dep in ("ccomp", "xcomp", "advcl", "conj", "parataxis"):
            if gov.pos_ == "VERB" and _lemma(gov) in lex.cue("report") and dep in ("ccomp", "advcl", "parataxis", "conj") and m.speaker is None and "reported_by_verb" not in m.flags:
                m.speaker = _first(_syntactic_subjects(gov))
                m.flags.add("reported_by_verb")
            if gov.pos_ in ("VERB", "AUX"):
                verbs_passed += 1
            continue
        if dep in ("pobj", "prep", "dobj", "pcomp", "acl", "amod", "compound", "nsubj", "nsubjpass", "attr", "npadvmod", "advmod", "oprd", "dative", "agent", "appos", "acomp"):
            continue
        return
    if condition:
        m.flags.add("condition")
    if purpose:
        m.flags.add("purpose")


def _purpose_clause(ctx: Context, clause: Token) -> bool:
    """"to demand reforms", "so that marriages are banned", "in order to end the strike"."""
    if any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children) and clause.tag_ == "VB":
        return not any(c.dep_ == "mark" for c in clause.children)
    marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod")}
    return bool(marks & ctx.lex.cue("purpose"))


def _background_clause(ctx: Context, clause: Token) -> bool:
    """"after they attacked the post", "since the army withdrew": an earlier event given
    as background to the one the sentence reports."""
    marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
    return bool(marks & {"after", "since", "following"}) and clause.tag_ in ("VBD", "VBN")


def _condition_clause(ctx: Context, clause: Token) -> bool:
    """An adverbial clause that sets a condition or a later time for its governor: "if he
    gave them a veto", "unless Israel withdraws", "before they demobilize"."""
    marks = {c.lower_ for c in clause.children if c.dep_ == "mark"}
    if marks & (ctx.lex.cue("conditional") - {"once"}):
        return True
    return bool(marks & {"before", "once", "when"}) and clause.tag_ in ("VB", "VBP", "VBZ")


def _forewarning(ctx: Context, warn: Mention, content: Mention) -> bool:
    """"X warned that Y could attack" is a forecast X makes, not a threat X makes: the
    warner is not the one who would act, and the act is only possible."""
    possible = any(c.dep_ == "aux" and _lemma(c) in ctx.lex.cue("possibility") for c in content.anchor.children)
    warners = {_lemma(t) for t in _syntactic_subjects(warn.anchor)}
    actors = {_lemma(t) for t in _syntactic_subjects(content.anchor)}
    return possible and not (warners & actors) and not any(a.lower_ in PERSONAL_PRONOUNS for a in _syntactic_subjects(content.anchor))


def _first(items: list[Token]) -> Token | None:
    return items[0] if items else None


def _negated(m: Mention) -> bool:
    if m.anchor.dep_ == "xcomp" and m.anchor.head.lemma_.lower() == "fail":
        return True
    for c in m.anchor.children:  # "no protesters were arrested", "arrested nobody"
        if c.dep_ in ("nsubjpass", "dobj", "nsubj") and (c.lower_ in ("nobody", "none", "noone") or any(
                d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
            return True
    for t in (m.anchor, m.token):
        for c in t.children:
            if c.dep_ == "neg":
                return True
            if c.dep_ == "det" and c.lower_ == "no":
                return True
    return False


def _flags_of(ctx: Context, tok: Token) -> frozenset[str]:
    """Flags of the trigger rows a verb token could be ("clashed" is symmetric: it cannot
    be a passive participle, so "... shortages clashed with police" is a clause)."""
    rows = ctx.lex.triggers.get((_lemma(tok), "V"), ())
    return frozenset().union(*(r.flags for r in rows)) if rows else frozenset()


def _eventive_noun(ctx: Context, noun: Token) -> bool:
    """A weapon or an event noun: "the roadside bomb that killed", "a bombing that..."."""
    lemma = _lemma(noun)
    return lemma in ctx.lex.modes or _compound_lemma(noun) in ctx.lex.modes or (lemma, "N") in ctx.lex.triggers


def _relative_subject(clause: Token) -> bool:
    """The noun a relative clause modifies is its doer: "the bomb that killed", not "a
    helicopter that was captured"."""
    return any(c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS for c in clause.children) or (
        clause.dep_ == "relcl" and _lemma(clause) in ("say", "report", "claim"))


def _in_background(ctx: Context, m: Mention) -> bool:
    """A noun in "after/following/amid/since the X" or inside a relative clause about a
    participant is background: it adds evidence to an event told elsewhere, no more."""
    background = ctx.lex.cue("background")
    tok = m.anchor if m.anchor.i != m.token.i else m.token
    if m.is_noun and m.anchor.i == m.token.i:
        words: list[str] = []
        cur = tok
        for _ in range(3):
            if cur.dep_ not in ("pobj", "dobj", "pcomp", "prep") or cur.head.i == cur.i:
                break
            cur = cur.head
            words.insert(0, cur.lower_)
            for n in range(1, len(words) + 1):
                if " ".join(words[:n]) in background or " ".join(words[-n:]) in background:
                    return True
            if cur.pos_ == "VERB" and cur.lower_ not in ("following",):
                break
    # a relative clause, full or reduced ("weapons seized last year"), on a noun
    for child, gov in _ancestors_in_clause(tok, limit=10):
        if child.dep_ == "relcl" and not _infinitival(child):
            # "the bomb that killed four officers" tells the attack itself
            return not (_eventive_noun(ctx, gov) and _relative_subject(child))
        if child.dep_ == "acl" and child.tag_ in ("VBN", "VBG") and gov.pos_ in ("NOUN", "PROPN", "PRON"):
            # "weapons seized last year", "journalists covering a protest" describe a
            # participant; "soldiers killed in an ambush" (a casualty report, often a
            # headline) is the news itself
            # a present participle describes the noun only when that noun is someone's
            # object ("arrested journalists covering a protest"); on a subject it is
            # often the clause itself, mis-parsed
            describes = gov.dep_ not in ("ROOT", "dep") if child.tag_ == "VBN" else gov.dep_ in ("dobj", "pobj", "dative", "nsubjpass")
            if (_casualty_kind(ctx, child) is None and describes and not _infinitival(child)
                    and _lemma(gov) not in ctx.lex.cue("speech_vehicle") and "recip" not in _flags_of(ctx, child)):
                return True
            return False  # a participial clause that tells the news: look no further up
        if child.dep_ in ("ccomp", "parataxis"):
            return False
    return False


# --------------------------------------------------------------------------- 4. fill


def _fill(ctx: Context, m: Mention) -> None:
    if "joint" in m.flags and _joint(ctx, m):
        # joint manoeuvres, patrols and reopened crossings are mutual: COOPERATE (PLOVER)
        m.type, m.mode = "COOPERATE", "economic" if m.type == "CONCEDE" else "military"
    _transform(ctx, m)
    m.participants = _participants(ctx, m)
    m.weapon_mode = _weapon_mode(ctx, m)
    _crowd_violence(ctx, m)
    m.fatalities, m.injuries = _casualties(ctx, m)
    _modality(ctx, m)
    m.places = _place_candidates(ctx, m)
    m.times = _time_candidates(ctx, m)


def _joint(ctx: Context, m: Mention) -> bool:
    """Whether several parties do it together: "joint patrols", "Kenyan and Somali police
    carried out patrols", "drills with the US navy", "Uzbekistan and Tajikistan reopened"."""
    joint = ctx.lex.cue("joint")
    nouns = [m.token, _host(ctx, m.token)] if m.is_noun else []
    for t in nouns:
        if any(c.dep_ in ("amod", "compound", "advmod", "nmod") and (_lemma(c) in joint or c.lower_ in joint)
               for c in t.children):
            return True
    if any(c.dep_ == "advmod" and c.lower_ in joint for c in m.anchor.children):
        return True  # "patrolled jointly"
    partners = _prep_objects(m.anchor, ["with"]) + (_prep_objects(m.token, ["with"]) if m.is_noun else [])
    if any(ctx.entity_of[p.i] is not None or _classes(ctx, p) & (ARMED_CLASSES | {"state", "officials"})
           for p in partners):
        return True
    heads = _syntactic_subjects(m.anchor) if m.anchor.pos_ in ("VERB", "AUX", "ADJ") else []
    if m.is_noun:
        heads += _noun_subjects(m.token) + [c for c in m.token.children if c.dep_ in ("amod", "compound")]
    parties: set[str] = set()
    for h in heads:
        for x in _conjuncts(h):
            lo, hi = _np_span(x)
            for i in range(lo, hi + 1):
                ent = ctx.entity_of[i]
                if ent is not None and ent.type in ("GPE", "NORP", "ORG"):
                    parties.add(ent.actor or ent.text)
    return len(parties) >= 2


def _infinitival(v: Token) -> bool:
    return v.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in v.children)


def _group_aux(v: Token) -> list[str]:
    """Auxiliaries of a verb and of the verbs it completes within one clause: "could be
    in a position to attack" gives "could" to "attack"."""
    out = _aux_lemmas(v)
    cur = v
    for _ in range(6):
        if cur.dep_ in ("xcomp", "pobj", "prep", "acomp") or (cur.dep_ in ("relcl", "acl") and _infinitival(cur)):
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                out += _aux_lemmas(cur)
        else:
            break
    return out


def _crowd_violence(ctx: Context, m: Mention) -> None:
    """Crowds, protesters and angry residents who storm, burn or stone are rioting (PLOVER
    PROTEST, mode riot); only when they kill or maim people is it an assault."""
    if m.type not in ("ASSAULT", "COERCE") or {"kill", "injure"} & m.flags:
        return
    if m.type == "COERCE" and m.mode not in ("destroy",):
        return
    if (m.weapon_mode or m.mode) not in (None, "primitive", "beat", "destroy"):
        return  # crowds do not kidnap, shell or bomb
    sources = m.sources()
    if not sources or any(p.classes & (ARMED_CLASSES | {"state"}) for p in sources):
        return
    crowd = any(p.classes & {"protesters", "rioters", "mob"} for p in sources) or any(
        "crowd" in _lexical_classes(_lift(ctx, p.head)) for p in sources)
    if crowd:
        m.type, m.mode, m.weapon_mode = "PROTEST", "riot", "riot"
        m.flags.add("crowd_violence")


def _aux_lemmas(v: Token) -> list[str]:
    return [_lemma(c) if c.lower_ not in ("'ll", "wo") else "will" for c in v.children if c.dep_ in ("aux", "auxpass")]


def _transform(ctx: Context, m: Mention) -> None:
    """Announced acts: "X will allow ..." is AGREE, "X said Y must ..." is a demand."""
    if m.type in ("REQUEST", "OTHER") or "typed_by_complement" in m.flags:
        return
    v = m.anchor
    if v.pos_ not in ("VERB", "AUX"):
        return
    aux = _aux_lemmas(v)
    if v.dep_ == "xcomp" and _lemma(v.head) == "hesitate" and any(c.dep_ == "neg" for c in v.head.children):
        aux += _aux_lemmas(v.head)  # "would not hesitate to strike": would strike
    lex = ctx.lex
    counterfactual = "would" in aux and "have" in aux
    conditional = _conditional(ctx, v)
    subjects = _syntactic_subjects(v)
    agentive = bool(subjects) and not _is_passive(v)
    if counterfactual:
        return
    deontic = [a for a in aux if a in ("must", "should", "ought")] or _have_to(v)
    if deontic and "reported_by_verb" in m.flags and m.speaker is not None:
        if not subjects or not _same_party(ctx, m.speaker, subjects[0]):
            m.flags.add("demand")
            m.type, m.mode = "REQUEST", None
            return
    if m.type == "MOBILIZE" and not (conditional and m.speaker is not None and any(
            a in lex.cue("possibility") or a == "would" for a in aux)):
        # "Kenya will deploy police to Haiti": a deployment foreseen, threat or help; "said
        # it could deploy missiles if NATO expanded" is a threat
        return
    if m.type == "REJECT" and agentive and conditional and m.speaker is not None and not _negated(m) and any(
            a in lex.cue("possibility") or a == "would" for a in aux):
        m.type, m.mode = "THREATEN", None  # "said it could block the bid unless ...": CAMEO 13
        m.flags.add("intent")
        return
    if m.type in ("AGREE", "ACCUSE", "REJECT", "THREATEN"):
        if m.type == "AGREE" and _negated(m):  # "failed to reach agreement", "will not accept"
            m.type, m.mode = "REJECT", None  # "failed to reach agreement"
            m.flags.add("refusal")
        return  # already a speech act: "will reject" is a rejection foreseen
    future = any(a in ("will", "shall") for a in aux) or ("would" in aux and "reported_by_verb" in m.flags)
    possible = any(a in lex.cue("possibility") for a in aux)
    # "X said it would ..." announces X's own act; "an analyst said Russia could ..." is
    # a forecast by someone else
    own_voice = m.speaker is None or not subjects or _same_party(ctx, m.speaker, subjects[0]) or (
        _speaker_of_side(ctx, m.speaker, subjects[0]))
    other_voice = m.speaker is not None and bool(subjects) and not own_voice and _other_party(ctx, m.speaker, subjects[0])
    # a definite "will" announces the subject's plan even unattributed; "could ... if"
    # is a threat or promise only in the mouth of the actor's own side
    if agentive and not other_voice and (future or (possible and conditional and m.speaker is not None)):
        m.type = intent_type(m.type, _negated(m))
        m.mode = None
        m.flags.add("intent")
    elif agentive and _negated(m) and m.type in COOPERATIVE_TYPES and not _aux_modal(aux):
        m.type, m.mode = "REJECT", None  # "did not attend the talks", "failed to meet"
        m.flags.add("refusal")


def _aux_modal(aux: list[str]) -> bool:
    return any(a in ("will", "shall", "would", "could", "may", "might", "can", "must", "should") for a in aux)


def _speaker_of_side(ctx: Context, speaker: Token, actor: Token) -> bool:
    """A spokesman, minister or official speaking for the actor: the Dutch foreign minister
    for the European Community, the army's spokesman for the army."""
    es, ea = ctx.entity_of[speaker.i], ctx.entity_of[_lift(ctx, actor).i]
    if es is not None and ea is not None and es.actor and ea.actor:
        a_s, a_a = ctx.actor_by_id.get(es.actor), ctx.actor_by_id.get(ea.actor)
        if a_s is not None and a_a is not None and a_s.country and a_s.country == a_a.country:
            return True
    return "officials" in _classes(ctx, speaker) and any(
        c.dep_ in ("poss", "compound", "amod") and ctx.entity_of[c.i] is not None
        and ea is not None and ctx.entity_of[c.i].actor == ea.actor for c in speaker.children)


def _other_party(ctx: Context, speaker: Token, actor: Token) -> bool:
    """A speaker who is plainly not the actor's voice: an analyst or observer, or a named
    actor of another country ("a Ukrainian analyst said Russian forces will ...")."""
    if _lemma(speaker) in ctx.lex.cue("observer"):
        return True
    es, ea = ctx.entity_of[speaker.i], ctx.entity_of[_lift(ctx, actor).i]
    if es is None or ea is None or not es.actor or not ea.actor or es.actor == ea.actor:
        return False
    a_s, a_a = ctx.actor_by_id.get(es.actor), ctx.actor_by_id.get(ea.actor)
    return a_s is not None and a_a is not None and bool(a_s.country and a_a.country) and a_s.country != a_a.country


def _have_to(v: Token) -> bool:
    """"have to withdraw", "need to withdraw": v is the xcomp of have/need."""
    return v.dep_ == "xcomp" and _lemma(v.head) in ("have", "need") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in v.children)


def _conditional(ctx: Context, v: Token) -> bool:
    marks = ctx.lex.cue("conditional")
    for c in v.children:
        if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in c.children):
            return True
    # the event is itself inside the condition: "if he gave them a veto"
    if v.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in v.children):
        return True
    return False


def _same_party(ctx: Context, a: Token, b: Token) -> bool:
    if b.lower_ in PERSONAL_PRONOUNS and b.pos_ == "PRON":
        resolved = _antecedent(ctx, b)
        if resolved is None or resolved.i == a.i:
            return True
        b = resolved
    if a.i == b.i:
        return True
    ea, eb = ctx.entity_of[a.i], ctx.entity_of[b.i]
    if ea is not None and eb is not None and (ea.actor and ea.actor == eb.actor or ea.text == eb.text):
        return True
    return _lemma(a) == _lemma(b)


# ------------------------------------------------------------------ participants


# Prepositions whose object is the target of an event of each type ("fired on protesters",
# "sanctions on two commanders", "handed them to the GNU", "met with the president").
PREP_TARGETS: dict[str, tuple[str, ...]] = {
    "ASSAULT": ("against", "on", "upon", "at", "into", "toward", "towards"),
    "COERCE": ("on", "against"),
    "SANCTION": ("on", "against"),
    "ACCUSE": ("against",),
    "THREATEN": ("against",),
    "PROTEST": ("against",),
    "AID": ("to",),
    "RETREAT": ("to",),
    "SUPPORT": ("to",),
    "REQUEST": ("from",),
    "CONSULT": ("with",),
    "AGREE": ("with",),
    "COOPERATE": ("with",),
}
# Nouns for one attacker that "he" or "she" can stand for ("The bomber tried to pass the
# checkpoint ... he detonated the car").
LONE_ATTACKERS = frozenset({"bomber", "gunman", "attacker", "assailant", "militant", "fighter",
                            "kidnapper", "hijacker", "shooter", "suspect", "assassin", "sniper"})
# Adjectives that make a noun phrase a count of victims ("23 wounded people").
HURT_WORDS = frozenset({"wounded", "injured", "dead", "killed", "slain", "maimed"})
# Verbs of blaming whose "on" object is the accused: "blamed the bombing on the TTP".
BLAME_ON = frozenset({"blame", "pin"})
# Triggers whose subject moves to the group named after them ("soldiers defected to the
# RSF", "spies joined Daesh"): the receiving group is the source (it gains fighters).
MOVING_SUBJECT = frozenset({"join", "defect", "switch", "enlist", "pledge"})


def _participants(ctx: Context, m: Mention) -> list[Participant]:
    v = m.anchor
    sources: list[Token] = []
    targets: list[Token] = []
    victims: list[Token] = []
    kills = "kill" in m.flags or "injure" in m.flags
    own_words = {w for w, _ in m.entry.deps}
    preps = PREP_TARGETS.get(m.type, ())
    if "demand" in m.flags:
        if m.speaker is not None:
            sources = _conjuncts(m.speaker)
        targets = _syntactic_subjects(v)
    elif m.is_noun and v.i == m.token.i:
        sources = _noun_subjects(m.token)
        objs = _syntactic_objects(m.token, m.entry)
        if m.entry.of_role == "source":
            sources += _prep_objects(m.token, ["of"])
            objs = [o for o in objs if o.head.lower_ != "of"]
        if m.entry.of_role == "target" and any(p.dep_ == "poss" for p in sources) and (
                kills or m.entry.mode in ("abduct", "assassinate", "arrest", "release")):
            targets += [p for p in sources if p.dep_ == "poss"]
            sources = [p for p in sources if p.dep_ != "poss"]
        for c in m.token.children:
            if c.dep_ in ("compound", "amod", "nmod") and c.i < m.token.i and _is_actor_modifier(ctx, c):
                sources.append(c)
        (victims if kills else targets).extend(objs)
        if "recip" in m.flags:
            targets += _prep_objects(m.token, ["with", "against"])
        sources += _claimants(ctx, m.token)
    else:
        sources = _syntactic_subjects(v)
        objs = [o for o in _syntactic_objects(v, m.entry if v.i == m.token.i else None)
                if o.i != m.token.i and _host(ctx, m.token).i != o.i and _lemma(o) not in own_words
                and not (m.is_noun and _phrase_object(ctx, v, o))]
        (victims if kills and v.i == m.token.i else targets).extend(objs)
        targets += _prep_objects(v, preps)
        if "recip" in m.flags:
            targets += _prep_objects(v, ["with", "against"])
            sources += _prep_objects(v, ["between"])
        if m.is_noun:  # a noun on a light verb keeps its own modifiers
            targets += _syntactic_objects(m.token, m.entry)
            if m.entry.of_role == "source":  # "the deployment of Russian paratroopers was announced"
                sources += [o for o in _prep_objects(m.token, ["of"]) if o not in sources]
            for c in m.token.children:
                if c.dep_ in ("compound", "amod", "nmod") and c.i < m.token.i and _is_actor_modifier(ctx, c) and not sources:
                    sources.append(c)
            if "recip" in m.flags:
                targets += _prep_objects(m.token, ["with"])
        sources += _claimants(ctx, v)
    if m.type in VIOLENT_TYPES:  # "threw stones at police", "fired rockets at the town"
        targets = [t for t in targets if not _is_weapon(ctx, t)]
        # "23 wounded people" the parse made the subject of "a car bomb exploded": victims
        hurt = [x for x in sources if any(c.dep_ == "amod" and c.lower_ in HURT_WORDS for c in x.children)]
        sources = [x for x in sources if x not in hurt]
        victims += hurt
    if kills and not m.is_noun:
        victims += _additional_victims(v)
        numeric = [x for x in sources if x.like_num or x.pos_ == "NUM"]
        if numeric:
            sources = [x for x in sources if x not in numeric]
            victims += numeric
    if "territory" in m.flags:
        # the side driven out is the target; the place taken is the event's place
        ousted = _prep_objects(v, ["from"])
        for obj in (t for t in targets if _is_place(ctx, t)):  # "the town of Tal Afar from the IS"
            ousted += [x for n in obj.subtree for x in _prep_objects(n, ["from"]) if not _is_place(ctx, x)]
        targets = [t for t in targets if not _is_place(ctx, t)] + ousted
    if "defect" in m.flags and _lemma(m.token) in MOVING_SUBJECT:
        movers = sources
        receiving = targets + _prep_objects(v, ["to"])
        former = _prep_objects(v, ["from"]) + [o for s_ in movers for o in _prep_objects(s_, ["of"])]
        sources, targets = receiving, movers + former
    passive = v.pos_ in ("VERB", "AUX") and _is_passive(v)
    if not sources and not m.is_noun and passive:
        for o in _syntactic_objects(v, None):
            if any(r.type == m.type for r in ctx.lex.triggers.get((_lemma(o), "N"), ())):
                sources += _noun_subjects(o)  # "Washington's aid package was approved": one event
            elif m.type == "RETREAT":  # "two soldiers held by the ELN were freed"
                sources += [x for c in o.children if c.dep_ == "acl" for x in _syntactic_subjects(c)]
    if m.mode == "host" and passive and v.i == m.token.i:
        # "was received by Tanzania's president": the visitor is the source (PLOVER)
        sources, targets = targets, sources
        m.mode = "visit"
    if m.type == "SANCTION" and passive and not sources:
        sources = _prep_objects(v, ["from"])  # "Guinea was suspended from ECOWAS"
    if (m.type == "MOBILIZE" or m.mode == "peacekeeping") and "defect" not in m.flags and not sources:
        # "troops were deployed", "the deployment of Russian paratroopers": the forces
        # moved are the side that mobilises
        forces = [t for t in targets if _classes(ctx, t) & (ARMED_CLASSES | {"police"})]
        sources, targets = forces, [t for t in targets if t not in forces]
    if m.type in ("THREATEN", "REQUEST") and not targets:
        targets = _content_targets(ctx, m)
    if not sources and m.type == "COERCE" and _is_passive(v) and m.speaker is not None and (
            _classes(ctx, m.speaker) & {"police", "state_forces"}):
        # "Police said no protesters were arrested": forces speaking of their own acts
        sources = [m.speaker]
    if m.type == "ACCUSE" and _lemma(v) in BLAME_ON:
        blamed = [o for o in _prep_objects(v, ["on"]) if o.ent_type_ not in ("DATE", "TIME")]
        if not blamed:  # the parse may hang "on X" on the object ("the bombing of the depot on X")
            blamed = [o for d in v.children if d.dep_ == "dobj" for n in d.subtree if n.i > d.i
                      for o in _prep_objects(n, ["on"]) if o.ent_type_ not in ("DATE", "TIME")][-1:]
            # there, only an actor: "shells fired from M23 positions on the hills" is a place
            blamed = [o for o in blamed if not _is_place(ctx, o) and (
                (ctx.entity_of[o.i] is not None and ctx.entity_of[o.i].actor)
                or _classes(ctx, o) - {"places"})]
        if blamed:  # "blamed the attacks on the Islamic State": IS is accused, not the attacks
            targets = blamed
    if m.type in ("REJECT", "AGREE", "ACCUSE", "SUPPORT"):
        targets = [_author(ctx, t) for t in targets]
    if m.speaker is not None and "reported_by_verb" in m.flags and not _is_person(ctx, m.speaker):
        # "Mali said it would expel ...": an "it" the antecedent search cannot place is the
        # state or body that speaks, announcing its own act
        sources = [m.speaker if (x.lower_ in ("it", "its") and x.pos_ == "PRON" and _antecedent(ctx, x) is None)
                   else x for x in sources]
    if m.speaker is not None and ({"intent", "typed_by_complement"} & m.flags) and any(
            c.dep_ == "poss" and c.lower_ in PERSONAL_PRONOUNS for s_ in sources for c in s_.children):
        # "the army chief said his troops were ready to crush ...": the speaker announces
        # the intent of his own side
        sources = _conjuncts(m.speaker)
    out = _to_participants(ctx, m, sources, targets, victims, kills)
    if "joint" in m.flags and m.type == "COOPERATE" and not [p for p in out if p.role == "target"]:
        out = _split_parties(ctx, out, every_party_a_source=True)  # PLOVER: joint exercises
    elif "recip" in m.flags and not [p for p in out if p.role == "target"]:
        out = _split_parties(ctx, out)
    return out


def _is_person(ctx: Context, t: Token) -> bool:
    ent = ctx.entity_of[t.i]
    actor = ctx.actor_by_id.get(ent.actor) if ent is not None and ent.actor else None
    if actor is not None:
        return actor.type == "person"  # the linker knows better than the tagger ("Mali" as PERSON)
    return t.lower_ in ("he", "she", "i", "we") or (ent is not None and ent.type == "PERSON") or bool(
        _classes(ctx, t) & {"officials", "civilians"} and not _collective(ctx, t))


def _phrase_object(ctx: Context, v: Token, o: Token) -> bool:
    """The object that belongs to a support phrase ("part" in "took part in patrols")."""
    prefix = f"{_lemma(v)} {_lemma(o)} "
    return any(c.startswith(prefix) for c in ctx.lex.cue("support"))


def _owned(ctx: Context, head: Token) -> bool:
    """A weapon named with its owner: "a Russian missile", "US Predator attacks"."""
    return any(ctx.entity_of[t.i] is not None for t in head.subtree if t.i < head.i)


def _is_weapon(ctx: Context, t: Token) -> bool:
    t = _lift(ctx, t)
    if _lexical_classes(t) & ACTOR_LIKE_CLASSES or ctx.entity_of[t.i] is not None:
        return False  # "suicide bomber", "gunman": people, not weapons
    return "weapons" in _lexical_classes(t) or _lemma(t) in ctx.lex.modes or _compound_lemma(t) in ctx.lex.modes


def _additional_victims(v: Token) -> list[Token]:
    """"8 civilians were killed, in addition to the bomber": the others who died."""
    out = []
    for c in v.children:
        if c.dep_ == "prep" and c.lower_ == "in":
            for addition in (x for x in c.children if x.dep_ == "pobj" and x.lower_ == "addition"):
                for to in (x for x in addition.children if x.dep_ == "prep" and x.lower_ == "to"):
                    out += [x for x in to.children if x.dep_ == "pobj"]
        elif c.dep_ in ("prep", "cc") and c.lower_ in ("plus",):
            out += [x for x in c.children if x.dep_ == "pobj"]
    return out


def _to_participants(ctx: Context, m: Mention, sources: list[Token], targets: list[Token],
                     victims: list[Token], kills: bool) -> list[Participant]:
    def usable(head: Token, role: str) -> bool:
        return not (_is_temporal(ctx, head) or (role == "source" and _is_nobody(head)) or (
            m.type in VIOLENT_TYPES and role == "source" and _is_weapon(ctx, head) and not _owned(ctx, head)))

    # "killed by stray bullets": a weapon is no participant; "a Russian missile", "US
    # Predator attacks" still name who fired them

    sources = [h for h in sources if usable(h, "source")]
    targets = [h for h in targets if usable(h, "target")]
    if "recip" in m.flags and len(sources) > 1 and not targets:
        sources, targets = sources[:1], sources[1:]
    out: list[Participant] = []
    seen: set[int] = set()
    for role, heads in (("source", sources), ("target", targets), ("victims", victims)):
        for head in heads:
            head = _resolve_pronoun(ctx, m, head)
            if head is None or head.i in seen or head.pos_ not in NOUN_POS | {"ADJ"}:
                continue
            if _is_temporal(ctx, head) or (role == "source" and _is_nobody(head)) or _in_dateline(head):
                continue
            if head.i in ctx.cores and head.pos_ == "NOUN":
                continue  # "the attack killed three soldiers": the event is not its own actor
            if head.i in ctx.place_of and role == "target" and m.type not in VIOLENT_TYPES and (
                    head.dep_ == "pobj" and head.head.lower_ in ("to", "into", "toward", "towards")):
                continue  # "delivered food to Kadugli": a destination, not a participant
            seen.add(head.i)
            out.append(_participant(ctx, role, head, count=kills or role == "victims"))
    return out


def _in_dateline(head: Token) -> bool:
    """"NAIROBI (Example Wire) - Police arrested ...": a dateline names no participant."""
    if not (head.is_upper and len(head.text) > 1) or head.i > head.sent.start + 2:
        return False
    doc = head.doc
    return any(doc[i].text in ("-", "--", "\u2013", "\u2014") and doc[i - 1].whitespace_ and doc[i].whitespace_
               for i in range(head.i + 1, min(len(doc), head.i + 8)))


def _is_nobody(head: Token) -> bool:
    """"No group claimed the attack": a negated participant is nobody."""
    return head.lower_ in ("nobody", "none", "noone") or any(
        c.dep_ == "det" and c.lower_ == "no" for c in head.children)


def _is_place(ctx: Context, t: Token) -> bool:
    t = _lift(ctx, t)
    ent = ctx.entity_of[t.i]
    if t.i in ctx.place_of:
        return True
    if ent is not None:  # "the Islamic State" names a group, whatever its last word
        return ent.type in ("GPE", "LOC", "FAC")
    return bool(_lexical_classes(t) & {"places"})


def _content_targets(ctx: Context, m: Mention) -> list[Token]:
    """Whom a threat or demand is aimed at: the object of the act threatened ("warned it
    would strike US warships"), the one asked to act ("demanded that the US cancel")."""
    out: list[Token] = []
    for c in m.contents:
        if m.type == "REQUEST":
            out += _syntactic_subjects(c.anchor) or _syntactic_objects(c.anchor, None)
        else:
            out += _syntactic_objects(c.anchor, None) + _prep_objects(c.anchor, PREP_TARGETS.get(c.type, ()))
    return out


def _author(ctx: Context, t: Token) -> Token:
    """"rejected a proposal by Pakistan", "accepted Iraq's offer": the proposal's author is
    the one the rejection or acceptance answers."""
    if _lemma(t) not in ctx.lex.cue("speech_noun"):
        return t
    for c in t.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            obj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if obj is not None:
                return obj
        if c.dep_ in ("poss",) and c.pos_ != "PRON":
            return c
        if c.dep_ in ("amod", "compound") and ctx.entity_of[c.i] is not None and ctx.entity_of[c.i].type in ("NORP", "GPE", "ORG"):
            return c
    # "rejected a proposal by Pakistan" with "by Pakistan" hung on the verb
    nxt = t.right_edge.i + 1
    if nxt < len(t.doc) and t.doc[nxt].lower_ == "by" and t.doc[nxt].head.i == t.head.i:
        obj = next((x for x in t.doc[nxt].children if x.dep_ == "pobj"), None)
        if obj is not None:
            return obj
    return t


def _split_parties(ctx: Context, parts: list[Participant], every_party_a_source: bool = False) -> list[Participant]:
    """"ISWAP and Boko Haram fighters clashed", "the governments of Niger and Benin
    agreed": one noun phrase naming two sides is two participants."""
    sources = [p for p in parts if p.role == "source"]
    if len(sources) != 1:
        return parts
    src = sources[0]
    named: list[Entity] = []
    phrase = [t for t in src.head.subtree if t.dep_ not in ("relcl", "acl") or t.i == src.head.i]
    lo, hi = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
    for ent in _entities_in(ctx, min(lo, src.start), max(hi, src.end)):
        if ent.type in ("ORG", "GPE", "NORP", "PERSON") and all(
                (ent.actor or ent.text) != (e.actor or e.text) for e in named):
            named.append(ent)
    if len(named) < 2:
        return parts
    out = [p for p in parts if p is not src]
    for i, ent in enumerate(named):
        root = ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand")
        if root is None:
            continue
        role = "source" if i == 0 or every_party_a_source else "target"
        if root.root.dep_ == "poss":  # "Sudan's army and the RSF": the party is the army
            out.append(_participant(ctx, role, root.root.head, count=False))
            continue
        out.append(Participant(role=role, head=root.root, start=ent.start, end=ent.end, entity=ent,
                               classes=_classes(ctx, root.root) or src.classes, named=True))
    return out


def _entities_in(ctx: Context, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    for i in _tokens_of(ctx.doc, start, end):
        ent = ctx.entity_of[i]
        if ent is not None and start <= ent.start and ent.end <= end and ent not in out:
            out.append(ent)
    return out


def _is_temporal(ctx: Context, head: Token) -> bool:
    """"On 3 May", "last week": a date is not a participant."""
    ent = ctx.entity_of[head.i]
    if head.i in ctx.time_of or (ent is not None and ent.type in ("DATE", "TIME")):
        return True
    return head.ent_type_ in ("DATE", "TIME")


def _is_actor_modifier(ctx: Context, tok: Token) -> bool:
    """"Taliban attack", "Israeli airstrike", "US Predator attacks": a modifier naming who
    acted, not how ("suicide attack", "car bomb")."""
    if _lemma(tok) in ctx.lex.modes or _compound_lemma(tok) in ctx.lex.modes:
        return False
    ent = ctx.entity_of[tok.i]
    if ent is not None and ent.type in ("NORP", "GPE", "ORG", "PERSON"):
        return True
    # "rebel attack" names who attacked; "terrorist attack" (an adjective) says what kind
    return tok.dep_ == "compound" and bool(_classes(ctx, tok) & (ARMED_CLASSES | {"protesters", "workers", "officials"}))


def _claimants(ctx: Context, v: Token) -> list[Token]:
    """"attacks claimed by Daesh", "Daesh claimed the attack"."""
    out = []
    claim = ctx.lex.cue("claim")
    hosts = [v, _host(ctx, v)] if v.pos_ == "NOUN" else [v]
    for c in (c for h in hosts for c in h.children):
        if c.dep_ in ("acl", "relcl") and _lemma(c) in claim:
            out += [x for a in c.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj" for x in _conjuncts(p)]
    if v.dep_ in ("dobj",) and _lemma(v.head) in claim:
        out += _syntactic_subjects(v.head)
    return out


def _resolve_pronoun(ctx: Context, m: Mention, head: Token) -> Token | None:
    """Relative and personal pronouns: "who" is the noun it modifies; "it", "they" the
    nearest earlier subject that fits ("Iraq said it would ...", "If Russian forces cross
    the river, they could shell ...")."""
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        return head.head.head
    if head.lower_ in FIRST_PERSON and head.pos_ == "PRON":
        # "We allowed the march ...," the police spokesman said: the speaker's side, never
        # the nearest subject before it
        if m.speaker is None:
            return head
        if m.speaker.pos_ == "PRON" and m.speaker.lower_ not in FIRST_PERSON:
            return _antecedent(ctx, m.speaker) or m.speaker  # "..., he said": who he is
        return m.speaker
    if head.lower_ in PERSONAL_PRONOUNS and head.pos_ == "PRON":
        return _antecedent(ctx, head) or head
    return head


def _antecedent(ctx: Context, pron: Token) -> Token | None:
    """The nearest subject before a pronoun, in its sentence or the one before, that is not
    itself a pronoun and agrees in number ("they" plural or collective, "it" singular)."""
    plural = pron.lower_ in ("they", "them", "their", "we", "us", "our")
    person = pron.lower_ in ("he", "she", "him", "her", "his")
    sent = ctx.sent_of[pron.i]
    first = ctx.sents[max(0, sent - 1)].start
    quoted = _in_quotation(ctx, pron)
    report = ctx.lex.cue("report")
    for i in range(pron.i - 1, first - 1, -1):
        t = ctx.doc[i]
        if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ == "PRON" or t.pos_ not in NOUN_POS:
            continue
        if quoted and _lemma(t.head) in report:
            continue  # in a quotation a speaker is "I"; "he" is someone else
        t = _lift(ctx, t)
        ent = ctx.entity_of[t.i]
        is_person = ent is not None and ent.type == "PERSON"
        if person and not (is_person or "officials" in _classes(ctx, t) or "civilians" in _classes(ctx, t)
                           or _lemma(t) in LONE_ATTACKERS):
            continue
        if person and t.tag_ in ("NNS", "NNPS"):
            continue  # "he" is one person, not "at least 23 people"
        if not person and is_person:
            continue
        if plural and t.tag_ in ("NN", "NNP") and not _collective(ctx, t):
            continue
        if pron.lower_ in ("it", "its") and t.tag_ in ("NNS", "NNPS"):
            continue
        return t
    return None


def _in_quotation(ctx: Context, tok: Token) -> bool:
    """Whether a token is inside quotation marks opened earlier in its paragraph."""
    text = ctx.article.text
    start = text.rfind("\n", 0, tok.idx) + 1
    before = text[start:tok.idx]
    curly = before.count("\u201c") - before.count("\u201d")
    return curly > 0 or (before.count('"') % 2 == 1)


def _collective(ctx: Context, t: Token) -> bool:
    """Singular names of groups that English refers to as "they": armies, governments,
    movements ("the RSF said they ...")."""
    ent = ctx.entity_of[t.i]
    return ent is not None and ent.type in ("ORG", "GPE", "NORP") or bool(
        _classes(ctx, t) & (ARMED_CLASSES | {"officials", "state"}))


def _participant(ctx: Context, role: str, head: Token, count: bool) -> Participant:
    start, end = _np_span(head)
    # "OUAGADOUGOU (Example Wire) - Militants linked to al-Qaeda": a dateline ends at the dash
    for i in range(head.i - 1, start - 1, -1):
        if ctx.doc[i].text in ("-", "--", "\u2013", "\u2014") and ctx.doc[i].whitespace_ and i > 0 and ctx.doc[i - 1].whitespace_:
            start = i + 1  # a spaced dash, not the hyphen of "US-led"
            break
    # never cut a name in two: "supporters of the Forces Vives [de Guinée]"
    for i in (start, end):
        ent = ctx.entity_of[i]
        if ent is not None:
            for j in _tokens_of(ctx.doc, ent.start, ent.end):
                start, end = min(start, j), max(end, j)
    entity = _entity_for(ctx, head, start, end)
    lifted = _lift(ctx, head)
    part = Participant(role=role, head=head, start=ctx.doc[start].idx,
                       end=ctx.doc[end].idx + len(ctx.doc[end].text), entity=entity,
                       classes=_classes(ctx, head),
                       named=ctx.entity_of[lifted.i] is not None or lifted.pos_ == "PROPN")
    if count:
        part.count = _quantity(ctx, head)
    return part


def _is_date_phrase(prep: Token) -> bool:
    """"on Thursday", "since 2019": a prepositional phrase whose object the model tags as a
    date or time."""
    return any(o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME") for o in prep.children)


def _np_span(head: Token) -> tuple[int, int]:
    """Token bounds of the noun phrase a head names: its modifiers, "of" phrases, the
    phrases that locate it and its participles, not its relative clauses, coordinated
    nouns or other prepositional phrases."""
    keep = {head.i}
    stack = [head]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "acl" and c.tag_ in ("VBN", "VBG") and not _misread_participle(c):
                # "workers affiliated with the union", not the date the clause ends on
                # ("a vehicle escorting a team ... on Thursday")
                dated = {x.i for p in c.children if p.dep_ == "prep" and _is_date_phrase(p)
                         for x in p.subtree}
                keep.update(x.i for x in c.subtree if x.i not in dated)
                continue
            if c.dep_ in ("conj", "cc") and t.i != head.i and t.dep_ in ("amod", "compound", "nmod"):
                keep.add(c.i)  # "Kenyan and Somali police": coordinated modifiers, one phrase
                stack.append(c)
                continue
            if c.dep_ in ("relcl", "acl", "conj", "cc", "advcl", "ccomp", "parataxis"):
                continue
            if c.dep_ == "prep" and (c.lower_ not in NP_PREPOSITIONS or (
                    c.lower_ != "of" and not _names_place(c))):
                continue
            keep.add(c.i)
            stack.append(c)
    left = head.i
    while left - 1 in keep:
        left -= 1
    right = head.i
    while right + 1 in keep:
        right += 1
    doc = head.doc
    while right > left and doc[right].is_punct and not (doc[right].text == ")" and _opened(doc, left, right)):
        right -= 1
    if _opened(doc, left, right + 1) and right + 1 < len(doc) and doc[right + 1].text == ")":
        right += 1  # "the Tehreek-e-Taliban Pakistan (TTP)": close the bracket it opened
    while left < right and doc[left].is_punct:
        left += 1
    return left, right


def _opened(doc: Doc, left: int, end: int) -> bool:
    """Whether tokens left..end-1 open more brackets than they close."""
    words = [t.text for t in doc[left:end]]
    return words.count("(") > words.count(")")


def _names_place(prep: Token) -> bool:
    """"police in Jericho", "fighters from the north": a prepositional phrase that locates
    the participant (and so belongs to its name), not one that says how or when."""
    for obj in (c for c in prep.children if c.dep_ == "pobj"):
        if obj.ent_type_ in ("GPE", "LOC", "FAC") or _lexical_classes(obj) & {"places"}:
            return True
        if obj.pos_ == "PROPN":
            return True
    return False


def _entity_for(ctx: Context, head: Token, start: int, end: int) -> Entity | None:
    """The entity a participant names: the one on its head, else one modifying the head
    ("Israeli soldiers", "Taliban fighters"), else any inside the phrase."""
    head = _lift(ctx, head)
    ent = ctx.entity_of[head.i]
    if ent is not None:
        return ent
    for c in head.children:
        if c.dep_ in ("compound", "amod", "poss", "appos", "nmod") and ctx.entity_of[c.i] is not None:
            return ctx.entity_of[c.i]
    for i in range(start, end + 1):
        if ctx.entity_of[i] is not None and ctx.entity_of[i].type not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"):
            return ctx.entity_of[i]
    return None


# ------------------------------------------------------------------ numbers


# Plural scale words after a vague count: "tens of thousands", "hundreds of thousands".
SCALES = {"hundreds": 100, "thousands": 1000, "millions": 1_000_000}


def _quantity(ctx: Context, head: Token) -> int | None:
    """How many people a noun phrase counts, as ACLED would code it: "two soldiers" 2,
    "at least 25 people" 25, "dozens of civilians" 12, "a soldier" 1, "civilians" unknown."""
    q = ctx.lex.quantities
    if head.lower_ in ("himself", "herself"):  # "killing 6 police officers and himself"
        return 1
    if head.pos_ == "NUM" or head.like_num:
        return _number_phrase(head, q)
    for c in head.children:
        if c.dep_ == "nummod" or (c.dep_ in ("amod", "det", "quantmod") and (c.like_num or c.lower_ in q and c.lower_ not in ("a", "an", "some"))):
            value = _number_phrase(c, q)
            if value is not None and head.lower_ in SCALES and not c.like_num:
                return value * SCALES[head.lower_]  # "tens (of) thousands" parsed as one phrase
            if value is not None:
                return value
    for c in (t for left in head.lefts for t in left.subtree):
        if c.like_num and c.dep_ in ("compound", "nummod", "amod") and c.ent_type_ not in ("DATE", "TIME", "MONEY"):
            value = _number_phrase(c, q)  # "Nine Nigerien soldiers" parsed as a name
            if value is not None:
                return value
    if _lemma(head) in ("dozen", "score", "hundred", "thousand", "ten") or head.lower_ in q and head.lower_ not in ("a", "an", "one", "both"):
        # "dozens of people", "hundreds of civilians"
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children) or head.tag_ in ("NNS",):
            value = q.get(head.lower_) or q.get(_lemma(head) + "s")
            scale = next((SCALES[o.lower_] for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                          for o in c.children if o.dep_ == "pobj" and o.lower_ in SCALES), 1)
            return value * scale if value is not None else None  # "tens of thousands": 10,000
    if head.tag_ in ("NN", "NNP") or (ctx.entity_of[head.i] is not None and ctx.entity_of[head.i].type == "PERSON"):
        if head.pos_ == "PRON" and head.lower_ not in ("he", "she", "him", "her"):
            return None
        if _lemma(head) in ("people", "family", "crowd", "group", "community", "population"):
            return None
        return 1
    return None


def _number_phrase(tok: Token, q: dict[str, int]) -> int | None:
    """A number token, with its compound parts ("2 million", "twenty - five")."""
    value = parse_number(tok.text, q)
    if value is None:
        return None
    for c in tok.children:
        if c.dep_ in ("compound", "nummod") and c.i < tok.i:
            lead = parse_number(c.text, q)
            if lead is not None and value in (100, 1000, 1000000):
                value = lead * value
            elif lead is not None and lead >= 20 and value < 10:
                value = lead + value
    return value


def _casualties(ctx: Context, m: Mention) -> tuple[int | None, int | None]:
    """Fatalities and injuries that this mention reports: its own victims when it kills or
    wounds ("killed two soldiers"), or the death and injury words in its clause ("killing
    at least 156 people", "five dead", "no one was hurt")."""
    if m.type not in VIOLENT_TYPES and m.type not in ("PROTEST", "COERCE", "RETREAT", "MOBILIZE"):
        return None, None
    fatal: list[int] = []
    hurt: list[int] = []
    if "kill" in m.flags or "injure" in m.flags:
        counts = [p.count for p in m.participants if p.role == "victims"]
        known = [c for c in counts if c is not None]
        if known:
            (fatal if "kill" in m.flags else hurt).append(sum(known))
    background = _background_tokens(ctx, m.anchor)
    clause = _clause_tokens(m.anchor if m.anchor.i != m.token.i else m.token)
    for kind, value in _casualty_words(ctx, (t for t in clause if t.i != m.token.i and t.i not in background)):
        (fatal if kind == "death" else hurt).append(value)
    return (max(fatal) if fatal else None), (max(hurt) if hurt else None)


def _casualty_words(ctx: Context, tokens: Iterable[Token]) -> Iterator[tuple[str, int]]:
    """("death" or "injury", count) for each death or injury word among `tokens` that
    says how many ("killing 12", "five dead", "dozens were wounded")."""
    for t in tokens:
        kind = _casualty_kind(ctx, t)
        if kind is None:
            continue
        value = _casualty_count(ctx, t)
        if value is not None:
            yield kind, value


def _background_tokens(ctx: Context, v: Token) -> set[int]:
    """Tokens of the clauses that give an earlier event as background ("after a suspect
    died in custody"): their dead are not this event's."""
    out: set[int] = set()
    for c in v.children:
        marks = {g.lower_ for g in c.children if g.dep_ == "mark"}
        if (c.dep_ == "advcl" and marks & {"after", "since", "before", "following"}) or (
                c.dep_ == "prep" and c.lower_ in ("after", "since", "following", "before")):
            out.update(x.i for x in c.subtree)
    return out


def _casualty_kind(ctx: Context, t: Token) -> str | None:
    lemma = _lemma(t)
    if lemma in ("kill", "die", "dead", "death", "perish", "murder", "slay", "behead", "execute", "massacre", "fatality", "casualty", "bloodshed"):
        return "death"
    if lemma == "shot" and t.pos_ == "NOUN" and (any(c.dep_ == "det" and c.lower_ == "no" for c in t.children) or (
            t.dep_ == "pobj" and t.head.lower_ == "without")):
        return "death"  # "with no shots fired": a bloodless event
    if lemma in ("wound", "injure", "hurt", "injury", "injured", "wounded"):
        return "injury"
    return None


def _casualty_count(ctx: Context, t: Token) -> int | None:
    """The number of people a death or injury word counts."""
    q = ctx.lex.quantities
    negated = any(c.dep_ == "neg" for c in t.children)
    heads: list[Token] = []
    if t.pos_ in ("VERB", "AUX"):
        if _is_passive(t) or _lemma(t) in ("die", "perish"):
            heads = [c for c in t.children if c.dep_ in ("nsubjpass", "nsubj")]
            if not heads and t.dep_ in ("acl", "amod"):
                heads = [t.head]
        else:
            heads = [c for c in t.children if c.dep_ == "dobj"]
    elif t.pos_ == "ADJ":  # "five dead", "left 12 people dead", "two were injured"
        if t.dep_ in ("amod",):
            heads = [t.head]
        elif t.dep_ in ("oprd", "acomp", "ccomp", "xcomp"):
            heads = [c for c in t.head.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")]
        num = [c for c in t.children if c.like_num]
        if num:
            return _number_phrase(num[0], q)
    elif t.pos_ in ("NOUN", "PROPN"):  # "the death toll rose to 12", "12 deaths", "no fatalities"
        if any(c.dep_ == "det" and c.lower_ == "no" for c in t.children) or (
                t.dep_ == "pobj" and t.head.lower_ == "without" and _lemma(t) in ("casualty", "fatality", "death", "loss", "bloodshed")):
            return 0
        num = [c for c in t.children if c.dep_ == "nummod"]
        if num:
            return _number_phrase(num[0], q)
        if _lemma(t) == "toll" or (_lemma(t) == "death" and any(c.lower_ == "toll" for c in t.head.children)):
            for x in t.head.subtree if t.dep_ == "nsubj" else t.subtree:
                if x.like_num and x.i > t.i:
                    return _number_phrase(x, q)
        return None
    for h in heads:
        if h.lower_ in ("nobody", "none") or any(c.lower_ == "no" and c.dep_ == "det" for c in h.children):
            return 0
        if negated:
            return 0
        total = 0
        known = False
        for conj in _conjuncts(h):
            value = _quantity(ctx, conj)
            if value is not None:
                total += value
                known = True
        if known:
            return total
    return None


# ------------------------------------------------------------------ weapons


def _weapon_mode(ctx: Context, m: Mention) -> str | None:
    """The PLOVER mode an attack's weapon words give ("helicopters shelled": aerial)."""
    if m.type not in ("ASSAULT", "COERCE"):
        return m.mode
    modes = ctx.lex.modes
    best: tuple[int, str] | None = None
    entry_mode = m.mode
    if entry_mode and entry_mode in ctx.lex.mode_priority:
        best = (ctx.lex.mode_priority[entry_mode], entry_mode)
    tokens = list(_clause_tokens(m.anchor))
    if m.anchor.i != m.token.i:
        tokens += _clause_tokens(m.token)
    if m.anchor.dep_ in ("advcl", "conj") and m.anchor.tag_ == "VBG" and m.anchor.head.pos_ == "VERB":
        tokens += _clause_tokens(m.anchor.head)  # "drove a car packed with explosives ..., killing nine"
    struck = _struck_tokens(ctx, m)
    for t in tokens:
        if t.i in struck:
            continue
        for key in (_lemma(t), t.lower_, _compound_lemma(t), _phrase_with_particle(t)):
            cue = modes.get(key)
            if cue is None:
                continue
            if m.type == "COERCE" and cue.mode != "crowd-control":
                continue
            if best is None or cue.priority > best[0]:
                best = (cue.priority, cue.mode)
    if best is None:
        return entry_mode
    if entry_mode and entry_mode not in ctx.lex.mode_priority and m.type == "ASSAULT" and best[0] < 4:
        return entry_mode
    return best[1]


def _struck_tokens(ctx: Context, m: Mention) -> set[int]:
    """Words of what was hit, which say nothing of the weapon ("shot down a drone",
    "attacked an artillery position"), unless the verb wields its object ("fired
    rockets", "threw a grenade", "detonated a car bomb")."""
    out: set[int] = set()
    for v in {m.anchor.i: m.anchor, m.token.i: m.token}.values():
        wields = _lemma(v) in ctx.lex.cue("wield") and not any(
            c.dep_ == "prt" and c.lower_ == "down" for c in v.children)
        if wields:
            continue
        for c in v.children:
            if c.i in (m.token.i, _host(ctx, m.token).i):
                continue  # "claimed a suicide car bombing": the event noun is no target
            if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in ("on", "at", "against")):
                out.update(x.i for x in c.subtree)
    return out


def _phrase_with_particle(t: Token) -> str:
    prt = next((c.lower_ for c in t.children if c.dep_ in ("prt", "dobj")), None)
    return f"{_lemma(t)} {prt}" if prt else _lemma(t)


# ------------------------------------------------------------------ modality


def _modality(ctx: Context, m: Mention) -> None:
    """negated > hypothetical > forecast > reported > asserted, and the statement that
    reports the event when the statements layer has one."""
    statement, reports = _statement_for(ctx, m)
    if statement is not None:
        m.statement = statement.id
    if not reports:
        statement = None  # the statement is the event itself: a threat, a demand, a denial
    v = m.anchor
    lex = ctx.lex
    if m.modality == "forecast" and m.status != "content":
        return
    if _negated(m) and not ({"intent", "refusal"} & m.flags):
        m.modality = "negated"
        return
    if "foiled" in m.flags:
        m.modality = "negated"
        return
    aux = _group_aux(v) if v.pos_ in ("VERB", "AUX") else []
    if not ({"intent", "demand", "refusal"} & m.flags):
        if "would" in aux and "have" in aux or _conditional(ctx, v) and ("would" in aux or "could" in aux):
            m.modality = "hypothetical"
            return
        if _conditional_inside(ctx, v):
            m.modality = "hypothetical"
            return
        if any(a in ("will", "shall") for a in aux) or any(a in lex.cue("possibility") for a in aux) or "would" in aux:
            m.modality = "forecast"
            return
        if _governed_by(ctx, m, lex.cue("forecast") | lex.cue("future")):
            m.modality = "forecast"
            return
        if m.is_noun and _possibility_noun(ctx, m.token):
            m.modality = "hypothetical"
            return
        if _future_time(ctx, m):
            m.modality = "forecast"
            return
    claimed = m.anchor.i != m.token.i and _lemma(m.anchor) in lex.cue("claim") and m.anchor.pos_ == "VERB"
    if statement is not None or "reported_by_verb" in m.flags or claimed or _reported_in_sentence(ctx, m):
        m.modality = "reported"
        return
    m.modality = "asserted"


def _conditional_inside(ctx: Context, v: Token) -> bool:
    """The event is the condition itself: "if the rebels attack", "unless Israel withdraws"."""
    marks = ctx.lex.cue("conditional") - {"once", "until"}
    return v.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in v.children)


def _governed_by(ctx: Context, m: Mention, lemmas: frozenset[str]) -> bool:
    for child, gov in _ancestors_in_clause(m.anchor, limit=3):
        if child.dep_ in ("xcomp", "ccomp") and gov.pos_ == "VERB" and _lemma(gov) in lemmas:
            subj_m = {_lemma(t) for t in _syntactic_subjects(m.anchor)}
            subj_g = {_lemma(t) for t in _syntactic_subjects(gov)}
            # "plans to attack" by the attacker itself is still foreseen, not done
            return True if (subj_m != subj_g or _lemma(gov) in ctx.lex.cue("future")) else False
        if child.dep_ in ("conj", "parataxis", "relcl", "advcl"):
            return False
    return False


def _possibility_noun(ctx: Context, n: Token) -> bool:
    """"the risk of attacks", "the threat of a civil war", "plans for an offensive"."""
    if n.dep_ == "pobj" and n.head.lower_ in ("of", "for") and n.head.head.pos_ == "NOUN":
        return _lemma(n.head.head) in ctx.lex.cue("possibility") | {"plan", "prospect", "fear"}
    return False


def _future_time(ctx: Context, m: Mention) -> bool:
    if ctx.published is None or m.anchor.tag_ in ("VBD", "VBN"):
        return False
    for _, _, t in m.times[:1] if m.times else ():
        interval = _interval(t)
        if interval is not None and interval[0] > ctx.published:
            return True
    return False


def _reported_in_sentence(ctx: Context, m: Mention) -> bool:
    """A verb of saying ruling the sentence, or "according to", "reportedly"."""
    if any(c.dep_ == "conj" and _lemma(c) == "quote" for c in m.anchor.children):
        return True  # "... was killed, an official is quoted as saying"
    if m.sent not in ctx.reported_sents:
        ctx.reported_sents[m.sent] = _sentence_reports(ctx, m.sent)
    return bool(ctx.reported_sents[m.sent] - {m.anchor.i})


def _sentence_reports(ctx: Context, index: int) -> set[int]:
    """Tokens of the verbs of saying that rule a sentence ("..., police said"; "X said
    that ..."), and -1 for "according to", "reportedly" anywhere in it."""
    sent = ctx.sents[index]
    out: set[int] = set()
    according = ctx.lex.cue("according")
    report = ctx.lex.cue("report")
    root = sent.root
    if root.pos_ == "VERB" and _lemma(root) in report:
        out.add(root.i)
    for t in root.children:  # "US aircraft struck ..., the group's television said"
        if t.pos_ == "VERB" and t.dep_ in ("parataxis", "ccomp", "conj", "advcl") and _lemma(t) in report:
            if any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
                out.add(t.i)
    if any(t.lower_ in according or _lemma(t) in according for t in sent):
        out.add(-1)
    return out


def _statement_for(ctx: Context, m: Mention) -> tuple[Statement | None, bool]:
    """The statement that carries the event, and whether it reports it: the innermost
    statement whose content holds the trigger reports it ("..., police said"); one whose
    cue is the trigger, or that covers the sentence outside its content, is the event
    itself ("The Houthi leadership warned that ..." is the threat, made, not reported)."""
    start = m.token.idx
    best: Statement | None = None
    for s in ctx.statements:
        if s.content and s.content[0] <= start < s.content[1]:
            if best is None or (s.content[1] - s.content[0]) < (best.content[1] - best.content[0]):
                best = s
    if best is not None:
        return best, True
    for s in ctx.statements:
        if (s.cue and s.cue[0] <= start < s.cue[1]) or m.sent in s.sentences:
            return s, False
    return None, False


# ------------------------------------------------------------------ place and time


def _attached(tok: Token, anchor_tokens: set[int], limit: int = 8) -> bool:
    """Whether `tok` hangs off the event's clause without crossing into another clause."""
    cur = tok
    for _ in range(limit):
        if cur.i in anchor_tokens:
            return True
        if cur.dep_ in ("relcl", "ccomp", "parataxis") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


# Prepositions that say where something happened ("in", "near Boni", "around Hodeidah").
LOCATIVE = frozenset({"in", "at", "near", "around", "outside", "inside", "across", "along", "into",
                      "toward", "towards", "from", "on", "within", "throughout", "between", "off",
                      "through", "over", "via", "to", "onto", "outside of", "beyond"})


def _place_candidates(ctx: Context, m: Mention) -> list[tuple[int, int, Place]]:
    """Where the mention's event happened, best first: 0 a toponym the event's clause puts
    it in ("in Khwahan district, Badakhshan" -> Khwahan; "shelled Nikopol"), 1 one
    elsewhere in the sentence after a locative preposition, 2 a place that only locates
    another one (Badakhshan), kept for when the first is unknown. A toponym naming a
    participant is no place of the event: the actor's country ("a US drone strike"), the
    subject ("Turkey carried out"), who was addressed or blamed, or what was said to happen
    elsewhere ("accused France of training jihadists in Benin")."""
    sent = ctx.sents[m.sent]
    core = {m.anchor.i, m.token.i}
    said = m.type in COMMUNICATIVE_TYPES
    sources = {t for p in m.sources() for t in range(p.start, p.end)}
    others = {t for p in m.others() for t in range(p.start, p.end)}
    out: dict[str, tuple[int, int, Place]] = {}
    for i in range(sent.start, sent.end):
        place = ctx.place_of.get(i)
        if place is None or place.id in out:
            continue
        span = ctx.doc.char_span(place.start, place.end, alignment_mode="expand")
        tok = span.root if span is not None else ctx.doc[i]
        attached = _attached(tok, core)
        if not attached and _attached(tok, ctx.cores - core):
            continue  # another event's place
        if _actor_country(place, tok):
            continue
        head = _place_head(ctx, tok)
        locative = head.dep_ == "pobj" and head.head.lower_ in LOCATIVE
        if said:
            if tok.idx in others or _in_content(tok, m.anchor):
                continue
            if tok.idx in sources and locative:  # "Taliban officials in Kabul rejected"
                out[place.id] = (0, i, place)
                continue
        elif tok.idx in sources and not (locative and head.head.lower_ != "from"):
            if m.type == "PROTEST":  # "residents of Mangaize held a sit-in": there, unless said otherwise
                out[place.id] = (3, i, place)
            continue  # "militants from Somalia": where they come from ("police in Lahore": where they are)
        if _locates_place(ctx, tok, place) or (not locative and _inside_locative(head)):
            rank = 2  # "in Mamove (Beni, North Kivu)": Beni, if Mamove is unknown
        elif attached and (locative or (m.type in VIOLENT_TYPES and head.dep_ in ("dobj", "nsubjpass"))
                           or _lemma(head) in TERRITORY_NOUNS):
            rank = 0
        elif locative:
            rank = 1
        else:
            continue  # a subject, an agent, an object: a participant, not a place
        out[place.id] = (rank, i, place)
    _prefer_contained(ctx, sent, out)
    return sorted(out.values(), key=lambda c: (c[0], c[1]))


def _prefer_contained(ctx: Context, sent: Span, out: dict[str, tuple[int, int, Place]]) -> None:
    """A container the places layer linked a smaller place to ("Nyanzale in Rutshuru
    territory", "Nyabibwe (Kalehe, South Kivu)") gives way to it: the event happened in the
    smaller place, which takes the container's rank, and the container only locates it."""
    by_id = {p.id: p for p in ctx.place_of.values()}
    for i in range(sent.start, sent.end):
        place = ctx.place_of.get(i)
        if place is None or not place.within or place.within not in out:
            continue
        rank = out[place.within][0]
        if place.id not in out or out[place.id][0] > rank:
            out[place.id] = (rank, out[place.id][1] if place.id in out else i, place)
        for pid, (r, j, p) in list(out.items()):
            if pid != place.id and _contains(by_id, p, place):
                out[pid] = (max(r, 2), j, p)


def _contains(by_id: dict[str, Place], outer: Place, inner: Place) -> bool:
    """Whether the places layer put `inner` inside `outer`, directly or through containers."""
    cur, seen = inner, set()
    while cur.within and cur.within not in seen:
        if cur.within == outer.id:
            return True
        seen.add(cur.within)
        cur = by_id.get(cur.within)
        if cur is None:
            return False
    return False


def _inside_locative(tok: Token) -> bool:
    """Whether a toponym sits in the apposition or brackets of a locative phrase."""
    cur = tok
    for _ in range(4):
        if cur.dep_ not in ("appos", "npadvmod", "compound", "conj", "punct") or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.dep_ == "pobj" and cur.head.lower_ in LOCATIVE:
            return True
    return False


PLACE_PART_NOUNS = frozenset({"outskirts", "outskirt", "vicinity", "suburb", "suburbs", "capital", "centre", "center", "edge", "part"})
# What fighting is over: "fought for control of Nyanzale", "the capture of Avdiivka".
TERRITORY_NOUNS = frozenset({"control", "capture", "seizure", "siege", "recapture", "fall", "takeover"})


def _place_head(ctx: Context, tok: Token) -> Token:
    """The phrase a toponym stands in: "the outskirts of Kfar Kila", "the town of
    Tendelti", "Omdurman's Ombada district" (climbing to the place noun)."""
    for _ in range(3):
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN" and (
                "places" in _lexical_classes(tok.head.head) or _lemma(tok.head.head) in PLACE_PART_NOUNS
                or _lemma(tok.head.head) in TERRITORY_NOUNS):
            tok = tok.head.head
        elif tok.dep_ in ("compound", "poss") and tok.head.pos_ == "NOUN" and "places" in _lexical_classes(tok.head):
            tok = tok.head
        else:
            break
    return tok


def _in_content(tok: Token, anchor: Token) -> bool:
    """Whether a token sits in a clause that a verb of saying or deciding governs."""
    cur = tok
    for _ in range(10):
        if cur.head.i == cur.i:
            return False
        if cur.head.i == anchor.i:
            return cur.dep_ in ("ccomp", "xcomp", "advcl", "pcomp") or (cur.dep_ == "prep" and any(
                c.dep_ == "pcomp" for c in cur.children))
        cur = cur.head
    return False


def _actor_country(place: Place, tok: Token) -> bool:
    """A country naming whose forces acted ("US drone strike", "a Russian missile"), not
    where: a country modifying a noun."""
    return (place.feature or "").startswith("PCL") and tok.dep_ in ("compound", "amod", "nmod", "poss")


def _locates_place(ctx: Context, tok: Token, place: Place) -> bool:
    """A place that only says where another place is: "Babanusa, West Kordofan", "Mamove
    (Beni, North Kivu)", "Qamishli in north-eastern Syria", "Omdurman's Ombada district"."""
    cur = tok
    for _ in range(4):
        if cur.dep_ in ("appos", "npadvmod", "poss", "prep", "pobj", "compound", "nmod", "punct") and cur.head.i != cur.i:
            modifier = cur.dep_ in ("compound", "poss", "amod", "nmod")
            cur = cur.head
            other = ctx.place_of.get(cur.i)
            if other is not None and other.id != place.id:
                return True
            if modifier and cur.pos_ == "NOUN" and "places" in _lexical_classes(cur) and any(
                    ctx.place_of.get(x.i) not in (None, place)
                    for c in cur.children for x in ([c] if c.dep_ in ("compound", "amod") else
                                                    [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" and c.lower_ == "of" else [])):
                return True  # "Omdurman's Ombada district", "the Amhara town of Debre Tabor"
            if cur.pos_ in ("VERB", "AUX"):
                return False
        else:
            return False
    return False


def _time_candidates(ctx: Context, m: Mention) -> list[tuple[int, int, Time]]:
    """Dates of the mention's sentence, ranked: 0 attached to the event's clause, 1 in
    the sentence. The date of saying ("..., police said on Monday") is not the event's; a
    duration counts only as a horizon ("within the next two weeks")."""
    sent = ctx.sents[m.sent]
    core = {m.anchor.i, m.token.i}
    out: dict[str, tuple[int, int, Time]] = {}
    for i in range(sent.start, sent.end):
        t = ctx.time_of.get(i)
        if t is None or t.id in out or _interval(t) is None:
            continue
        if t.type not in DATE_TYPES and not (t.type == "DURATION" and t.signal in ("within", "in", "over", "during")):
            continue
        tok = ctx.doc[i]
        if _said_when(ctx, tok, core):
            continue
        rank = 0 if _attached(tok, core) else 1
        if rank == 1 and _attached(tok, ctx.cores - core):
            continue  # "joined Daesh following the withdrawal in August": the withdrawal's date
        out[t.id] = (rank, i, t)
    return sorted(out.values(), key=lambda c: (c[0], c[2].type != "DATE", _interval_days(c[2]), c[1]))


def _said_when(ctx: Context, tok: Token, core: set[int]) -> bool:
    """Whether a date hangs off a verb of saying rather than off the event."""
    report = ctx.lex.cue("report") | ctx.lex.cue("forecast")
    cur = tok
    for _ in range(6):
        if cur.i in core:
            return False
        if cur.pos_ == "VERB" and _lemma(cur) in report:
            # "... on Thursday, a local official told Example Wire": a date before the
            # trailing speaker belongs to the report's content, whatever the parser says
            subject = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            return not (subject is not None and tok.i < subject.left_edge.i < cur.i)
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _interval(t: Time) -> tuple[dt.date, dt.date] | None:
    """The calendar days a time covers: the times layer's interval, else its value."""
    if t.interval is not None:
        try:
            return dt.date.fromisoformat(t.interval.begin), dt.date.fromisoformat(t.interval.end)
        except ValueError:
            return None
    return interval_of_value(t.value)


def _interval_days(t: Time) -> int:
    iv = _interval(t)
    return (iv[1] - iv[0]).days if iv else 10**6


def interval_of_value(value: str) -> tuple[dt.date, dt.date] | None:
    """Days covered by a TIMEX3 calendar value: a day, a month, a year or an ISO week."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:7])
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        match = re.fullmatch(r"(\d{4})-W(\d{2})", value)
        if match:
            monday = dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return monday, monday + dt.timedelta(days=6)
    except ValueError:
        return None
    return None


# --------------------------------------------------------------------------- 5. corefer


@dataclass(eq=False)
class Cluster:
    mentions: list[Mention]
    extra: list[Participant] = field(default_factory=list)  # claimants told apart
    fatal_notes: list[int] = field(default_factory=list)  # "No fatalities were reported."
    injury_notes: list[int] = field(default_factory=list)
    _primary: Mention | None = None
    first: int = 10**9  # first and last sentence with a mention
    last: int = -1

    def add(self, mentions: list[Mention]) -> None:
        self.mentions.extend(mentions)
        self._primary = None
        for m in mentions:
            self.first, self.last = min(self.first, m.sent), max(self.last, m.sent)

    @property
    def primary(self) -> Mention:
        if self._primary is None:
            self._primary = self._choose_primary()
        return self._primary

    def _choose_primary(self) -> Mention:
        """The mention that names the event best: an event noun or verb over a bare
        "killed" / "wounded", the earliest among equals."""
        events = [m for m in self.mentions if m.status == "event"] or self.mentions
        named = [m for m in events if not ({"kill", "injure"} & m.flags)] or events
        # a protest with the police response to it is the protest's event
        named = [m for m in named if m.type == "PROTEST"] or named
        return min(named, key=lambda m: m.token.i)

    @property
    def type(self) -> str:
        return self.primary.type


def _corefer(ctx: Context, mentions: list[Mention]) -> list[Cluster]:
    """Mentions of one occurrence become one cluster: first within each sentence ("killed
    in a clash"), then each sentence's clusters against the clusters told before."""
    live = sorted((m for m in mentions if m.status == "event"), key=lambda m: m.token.i)
    clusters: list[Cluster] = []
    sentences: dict[int, list[Mention]] = {}
    for m in live:
        sentences.setdefault(m.sent, []).append(m)
    for sent in sorted(sentences):
        local: list[Cluster] = []
        for m in sentences[sent]:
            target = _same_sentence_cluster(ctx, m, local)
            if target is None:
                target = Cluster([])
                local.append(target)
            target.add([m])
        for lc in local:
            earlier = _earlier_cluster(ctx, lc, clusters)
            if earlier is not None:
                earlier.add(lc.mentions)
            else:
                clusters.append(lc)
    for m in sorted((m for m in mentions if m.status == "background"), key=lambda m: m.token.i):
        near = _clusters_near(clusters, m.sent, BACKGROUND_WINDOW)
        target = _background_home(ctx, m, near) or _same_sentence_home(ctx, m, _clusters_near(clusters, m.sent, 0))
        if target is not None:
            target.add([m])
    _casualty_notes(ctx, clusters, set(sentences))
    _claims(ctx, clusters)
    return clusters


# How far (in sentences) a background mention may reach back or ahead for the event it
# recalls, and a casualty sentence back for the event it counts.
BACKGROUND_WINDOW = 15


def _clusters_near(clusters: list[Cluster], sent: int, window: int) -> list[Cluster]:
    """Clusters with a mention within `window` sentences of `sent`, in creation order."""
    return [c for c in clusters if c.first - window <= sent <= c.last + window]


def _same_sentence_home(ctx: Context, m: Mention, clusters: list[Cluster]) -> Cluster | None:
    """"took control of Mota after clashing with the ENDF": a background clash tied to
    the event of its own sentence is part of that event."""
    for c in clusters:
        for other in c.mentions:
            if other.sent == m.sent and other.type == m.type and _linked(m, other):
                return c
    return None


def _recent_violent(clusters: list[Cluster], sent: int, window: int = 2) -> Cluster | None:
    """The latest violent (or protest, or withdrawal) event told up to `window` sentences
    before `sent`."""
    best = None
    for c in _clusters_near(clusters, sent, window):
        if c.first <= sent and sent - c.last <= window and c.type in ("ASSAULT", "PROTEST", "RETREAT"):
            if best is None or c.last >= best.last:
                best = c
    return best


def _casualty_notes(ctx: Context, clusters: list[Cluster], event_sents: set[int]) -> None:
    """Casualty words no event mention covers: sentences without an event of their own
    ("No fatalities were reported.") belong to the event before; loose words in a
    sentence with one event ("..., with no shots fired") belong to that event."""
    for i, sent in enumerate(ctx.sents):
        covered: set[int] = set()
        if i in event_sents:
            here = [c for c in _clusters_near(clusters, i, 0)
                    if any(m.sent == i and m.status == "event" for m in c.mentions)]
            if len(here) != 1:
                continue
            target = here[0]
            for m in target.mentions:
                if m.sent == i:
                    covered.update(t.i for t in _clause_tokens(m.anchor))
                    covered.update(t.i for t in _clause_tokens(m.token))
        else:
            target = _recent_violent(clusters, i)
        if target is None:
            continue
        for kind, value in _casualty_words(ctx, (t for t in sent if t.i not in covered)):
            (target.fatal_notes if kind == "death" else target.injury_notes).append(value)


def _claims(ctx: Context, clusters: list[Cluster]) -> None:
    """"The TTP claimed responsibility": the claimant is the source of the attack claimed
    (the one named after "for", else the latest violent event)."""
    claim = ctx.lex.cue("claim")
    for tok in ctx.doc:
        if tok.pos_ != "VERB" or _lemma(tok) not in claim:
            continue
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        if obj is None or _lemma(obj) not in ("responsibility", "credit"):
            continue
        claimants = [c for c in _syntactic_subjects(tok) if not _is_nobody(c)]
        if not claimants:
            continue
        target = None
        for pobj in _prep_objects(obj, ["for"]) + _prep_objects(tok, ["for"]):
            target = next((c for c in clusters if any(m.token.i == pobj.i for m in c.mentions)), None)
            if target is not None:
                break
        if target is None:
            target = _recent_violent(clusters, ctx.sent_of[tok.i])
        if target is None:
            continue
        for head in claimants:
            target.extra.append(_participant(ctx, "source", head, count=False))


def _linked(a: Mention, b: Mention) -> bool:
    """Whether one mention's trigger sits inside the other's clause: "killed in a clash",
    "a bombing killed", "attacked the camp, killing 156"."""
    for x, y in ((a, b), (b, a)):
        for child, gov in _ancestors_in_clause(x.token, limit=5):
            if gov.i in (y.token.i, y.anchor.i):
                return child.dep_ not in ("conj", "parataxis", "ccomp", "relcl")
            if child.dep_ in ("conj", "parataxis", "ccomp"):
                break
    return False


def _same_sentence_cluster(ctx: Context, m: Mention, clusters: list[Cluster]) -> Cluster | None:
    for c in clusters:
        for other in c.mentions:
            if other.type == m.type and m.anchor.dep_ == "conj" and m.anchor.head.i == other.anchor.i and not (
                    m.sources() and other.sources() and not _share_participant(ctx, m.sources(), other.sources())):
                return c  # "a mob attacked and burned a police station"
            if _protest_response(m, other) and (_linked(m, other) or m.anchor.dep_ == "conj"):
                return c
            if {m.type, other.type} <= {"PROTEST", "COERCE", "ASSAULT"} and "PROTEST" in {m.type, other.type} and (
                    m.anchor.dep_ in ("advcl", "conj") and m.anchor.tag_ == "VBG" and m.anchor.head.i == other.anchor.i):
                return c  # "prisoners rioted, setting fire to their mattresses": how they rioted
            if other.type == m.type and m.type in ("PROTEST",) and m.sources() and other.sources() and _share_participant(
                    ctx, m.sources(), other.sources()):
                return c  # "demonstrators blocked the road ...; they threw stones at police"
            if other.type != m.type and not _protest_response(m, other):
                continue
            if _linked(m, other):
                return c
            if other.type in VIOLENT_TYPES and ({"kill", "injure"} & (m.flags | other.flags)) and not (
                    m.sources() and other.sources() and not _share_participant(ctx, m.sources(), other.sources())):
                return c
    return None


def _protest_response(a: Mention, b: Mention) -> bool:
    """Police breaking up a demonstration is part of the demonstration's story (ACLED
    codes one "Protest with intervention")."""
    types = {a.type, b.type}
    if "PROTEST" not in types or not types & {"COERCE", "ASSAULT"}:
        return False
    responder = a if a.type != "PROTEST" else b
    if any(p.classes & {"protesters", "rioters"} for p in responder.others()):
        return True
    if responder.mode == "crowd-control" or responder.weapon_mode == "crowd-control":
        return True
    if responder.type == "COERCE" and any(p.classes & {"police", "state_forces"} for p in responder.sources()):
        return True
    # "protesters ... clashed with police": the demonstration turned violent
    return "recip" in responder.flags and not [p for p in responder.sources() if not p.classes & {"protesters", "rioters"}] and any(
        p.classes & {"police", "state_forces"} for p in responder.others())


def _earlier_cluster(ctx: Context, lc: Cluster, clusters: list[Cluster]) -> Cluster | None:
    """A cluster from earlier sentences that this sentence's cluster tells again: the
    same type, a compatible place and date, and either a shared participant, an anaphoric
    noun ("the attack"), or nothing of its own (a casualty report: "Two soldiers died")."""
    m = lc.primary
    sent = m.sent
    parts = [p for x in lc.mentions for p in x.participants]
    sources = [p for p in parts if p.role == "source"]
    casualty_only = all({"kill", "injure"} & x.flags for x in lc.mentions) and not sources
    own_facts = bool(parts) or any(x.places and x.places[0][0] == 0 or x.times and x.times[0][0] == 0 for x in lc.mentions)
    anaphoric = m.is_noun and (
        any(ch.dep_ in ("det", "poss") and ch.lower_ in ("the", "this", "that", "its", "their") for ch in m.token.children)
        or _described_by_pronoun(m.token))
    for c in reversed(clusters):
        distance = sent - c.last
        if distance <= 0:
            continue
        if distance > 6:
            break
        p = c.primary
        response = any(_protest_response(x, p) for x in lc.mentions) and distance <= 2
        casualty_riot = casualty_only and c.type == "PROTEST" and distance <= 2
        if c.type != m.type and not response and not casualty_riot:
            continue
        if (p.modality in REALISED) != (m.modality in REALISED):
            continue
        if not all(_compatible_place(ctx, c, x) and _compatible_time(c, x) for x in lc.mentions):
            continue
        if m.plural != p.plural and m.is_noun and p.is_noun:
            continue
        theirs = [q for x in c.mentions for q in x.participants]
        their_sources = [q for q in theirs if q.role == "source"]
        if _named(sources) and _named(their_sources) and not _share_participant(ctx, sources, their_sources) and not response:
            continue  # two different named actors did this
        shared = _share_participant(ctx, parts, theirs) or _same_lone_attacker(ctx, sources, their_sources)
        if (anaphoric or _recalls_subject(ctx, m, c)) and distance <= 3:
            return c
        if casualty_only and distance <= 2:
            return c
        if casualty_only and distance <= 2 and c.type == "PROTEST":
            return c
        if shared and (not m.plural or p.plural):
            return c
        if not own_facts and distance <= 2:
            return c
        if response:
            return c
    return None


def _same_lone_attacker(ctx: Context, mine: list[Participant], theirs: list[Participant]) -> bool:
    """"he detonated the car", where "he" is "the bomber" of the sentence before, and the
    earlier event's source is "a suicide bomber": the same attacker."""
    their_lemmas = {_lemma(q.head) for q in theirs}
    for p in mine:
        pronoun = p.head.pos_ == "PRON"
        head = _antecedent(ctx, p.head) if pronoun else p.head
        if head is not None and head.tag_ == "NN" and _lemma(head) in LONE_ATTACKERS & their_lemmas and (
                pronoun or _definite(head)):
            return True  # a definite or pronoun mention of the one attacker told before
    return False


def _definite(noun: Token) -> bool:
    """"the shells", "this bomber": a noun phrase that refers back."""
    return any(d.dep_ == "det" and d.lower_ in ("the", "this", "that", "these", "those") for d in noun.children)


def _recalls_subject(ctx: Context, m: Mention, c: Cluster) -> bool:
    """"Artillery shells ... hit a crowded market. The shells struck the Naivasha market":
    a verb whose definite subject names what the earlier event's sentence named tells that
    event again."""
    if m.is_noun:
        return False
    subjects = [s_ for s_ in m.anchor.children if s_.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return False
    subj = subjects[0]
    if not _definite(subj) or subj.pos_ != "NOUN" or ctx.entity_of[subj.i] is not None:
        return False
    earlier = {_lemma(t) for x in c.mentions for t in ctx.sents[x.sent]}
    return _lemma(subj) in earlier


def _described_by_pronoun(noun: Token) -> bool:
    """"It was a planned attack", "This was a massacre": an event noun predicated of a
    pronoun names an event already told."""
    if noun.dep_ != "attr" or _lemma(noun.head) != "be":
        return False
    return any(c.dep_ == "nsubj" and c.lower_ in ("it", "this", "that") for c in noun.head.children)


def _named(parts: list[Participant]) -> bool:
    return any(p.named for p in parts)


def _background_home(ctx: Context, m: Mention, clusters: list[Cluster]) -> Cluster | None:
    """The event a background mention recalls: same type and kind (a takeover is not a
    clash), and a participant in the same role."""
    for c in clusters:
        p = c.primary
        if c.type != m.type or ("territory" in m.flags) != ("territory" in p.flags):
            continue
        if m.plural != p.plural and m.is_noun and p.is_noun:
            continue
        if not _compatible_place(ctx, c, m) or not _compatible_time(c, m):
            continue
        for role in ("source", "target", "victims"):
            mine = [q for q in m.participants if q.role == role]
            theirs = [q for x in c.mentions for q in x.participants if q.role == role]
            if mine and theirs and _share_participant(ctx, mine, theirs):
                return c
    return None


def _participant_keys(ctx: Context, p: Participant) -> set[str]:
    keys = {f"lemma:{_lemma(p.head)}"} if p.head.pos_ in ("PROPN",) or p.entity is not None else set()
    keys.add(f"token:{p.head.i}")
    if p.entity is not None:
        if p.entity.actor:
            keys.add(f"actor:{p.entity.actor}")
        keys.add(f"text:{p.entity.text.lower().removeprefix('the ')}")
        for word in p.entity.text.split():
            if word[:1].isupper() and word.lower() not in ("the",):
                keys.add(f"word:{word.lower()}")
    text = ctx.article.text[p.start:p.end]
    for word in re.findall(r"[A-Z][\w]+", text):  # "US-led coalition" shares "US"
        if word.lower() not in ("the", "a", "an"):
            keys.add(f"word:{word.lower()}")
    return keys


def _share_participant(ctx: Context, a: list[Participant], b: list[Participant]) -> bool:
    """Whether some participant of `a` is one of `b`. Two different actors are never the
    same one because their names share a word (the Taliban, Tehreek-e-Taliban Pakistan)."""
    for p in a:
        keys = _participant_keys(ctx, p)
        for q in b:
            ap = p.entity.actor if p.entity is not None else None
            aq = q.entity.actor if q.entity is not None else None
            if ap and aq and ap != aq:
                continue
            if keys & _participant_keys(ctx, q):
                return True
    return False


def _compatible_place(ctx: Context, c: Cluster, m: Mention) -> bool:
    mine = [p for r, _, p in m.places if r == 0]
    theirs = [p for x in c.mentions for r, _, p in x.places if r == 0]
    if not mine or not theirs:
        return True
    for a in mine:
        for b in theirs:
            if a.geonameid is not None and a.geonameid == b.geonameid:
                return True
            if a.name == b.name:
                return True
            # one inside the other: the district and its province, the town and its country
            if (a.admin1 and a.admin1 in (b.name, b.admin1) and a.country == b.country) or (
                    b.admin1 and b.admin1 in (a.name, a.admin1) and a.country == b.country):
                return True
            if (a.feature or "").startswith("PCL") and a.country == b.country or (
                    b.feature or "").startswith("PCL") and a.country == b.country:
                return True
    return False


def _compatible_time(c: Cluster, m: Mention) -> bool:
    mine = [_interval(t) for r, _, t in m.times if r == 0]
    theirs = [_interval(t) for x in c.mentions for r, _, t in x.times if r == 0]
    mine = [iv for iv in mine if iv]
    theirs = [iv for iv in theirs if iv]
    if not mine or not theirs:
        return True
    return any(a[0] <= b[1] and b[0] <= a[1] for a in mine for b in theirs)


# --------------------------------------------------------------------------- 6. code


def _event(ctx: Context, cluster: Cluster) -> Event:
    p = cluster.primary
    mentions = sorted(cluster.mentions, key=lambda m: m.token.i)
    mode = _cluster_mode(ctx, cluster)
    actors = _event_actors(ctx, mentions, p, cluster.extra)
    place = _event_place(cluster)
    time, time_ids = _event_time(cluster) if p.modality != "hypothetical" else (None, [])
    fatalities = _cluster_count([m.fatalities for m in mentions] + cluster.fatal_notes)
    injuries = _cluster_count([m.injuries for m in mentions] + cluster.injury_notes)
    if fatalities is None and injuries is not None:
        fatalities = 0  # ACLED: a report of the wounded only ("no one was hurt") is one of no deaths
    modality = p.modality
    statement = p.statement or next((m.statement for m in mentions if m.statement), None)
    reporting = next((s_ for s_ in ctx.statements if s_.id == statement), None) if statement else None
    actors = [_speaking_for(ctx, a, reporting) for a in actors]
    evidence = sorted({(ctx.sents[m.sent].start_char, ctx.sents[m.sent].end_char) for m in mentions})
    acled = _acled(ctx, cluster, mode, modality, fatalities, injuries)
    return Event(
        id="",
        type=p.type,
        mode=mode,
        acled=list(acled) if acled else None,
        cameo=cameo_root(ctx.lex, p.type, mode),
        trigger=p.trigger_span,
        actors=actors,
        place=place.id if place else None,
        time=time,
        times=time_ids,
        fatalities=fatalities,
        injuries=injuries,
        modality=modality,
        statement=statement,
        evidence=[list(e) for e in evidence],
    )


def _cluster_mode(ctx: Context, cluster: Cluster) -> str | None:
    best: tuple[int, str] | None = None
    primary_mode = cluster.primary.weapon_mode or cluster.primary.mode
    for m in cluster.mentions:
        if m.type != cluster.type:
            continue
        mode = m.weapon_mode or m.mode
        if mode is None:
            continue
        rank = ctx.lex.mode_priority.get(mode, 0)
        if best is None or rank > best[0]:
            best = (rank, mode)
    if best is None:
        return primary_mode
    if primary_mode and primary_mode not in ctx.lex.mode_priority:
        return primary_mode if best[0] < 4 else best[1]
    return best[1]


def _speaking_for(ctx: Context, part: EventActor, st: Statement | None) -> EventActor:
    """"We allowed the march ...," he said: a participant that is the quotation's "we" or
    the "he" of its cue is whoever the statements layer found speaking (the police
    spokesman named two sentences before)."""
    if st is None or part.text is None or st.speaker is None or st.speaker.start is None:
        return part
    # ("US" is a country, not "us")
    first_person = part.text.lower() in FIRST_PERSON and not part.text.isupper() and st.kind != "indirect"
    cue_subject = st.speaker.mention is not None and [part.start, part.end] == list(st.speaker.mention)
    if not (first_person or cue_subject) or (part.start, part.end) == (st.speaker.start, st.speaker.end):
        return part
    span = ctx.doc.char_span(st.speaker.start, st.speaker.end, alignment_mode="expand")
    ent = ctx.entity_of[span.root.i] if span is not None else None
    return EventActor(role=part.role, actor=st.speaker.actor, entity=ent.id if ent is not None else None,
                      start=st.speaker.start, end=st.speaker.end, text=st.speaker.text)


def _cluster_count(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None


def _event_actors(ctx: Context, mentions: list[Mention], primary: Mention,
                  extra: list[Participant]) -> list[EventActor]:
    out: list[EventActor] = []
    seen: set[tuple] = set()
    ordered = [primary, *(m for m in mentions if m is not primary)]
    sources_known = bool(primary.sources())
    groups = [(m, m.participants) for m in ordered] + [(primary, extra)]
    for m, parts in groups:
        for part in parts:
            role = part.role
            if m is not primary and role == "source" and sources_known and m.type != primary.type:
                role = "target"
            if m is not primary and m.type != primary.type and role == "source":
                continue
            ent = part.entity
            actor = ent.actor if ent is not None else None
            key = (role, actor or (ent.id if ent else None) or ctx.article.text[part.start:part.end].lower())
            if key in seen:
                continue
            seen.add(key)
            out.append(EventActor(role=role, actor=actor, entity=ent.id if ent else None,
                                  start=part.start, end=part.end,
                                  text=ctx.article.text[part.start:part.end]))
    return out


def _event_place(cluster: Cluster) -> Place | None:
    primary = cluster.primary
    candidates = [c for c in primary.places if c[0] == 0]
    if not candidates:
        candidates = [c for m in cluster.mentions for c in m.places if c[0] == 0]
    if not candidates:
        candidates = list(primary.places) or [c for m in cluster.mentions for c in m.places]
    if not candidates:
        return None
    return sorted(candidates, key=lambda c: (c[0], c[1]))[0][2]


def _event_time(cluster: Cluster) -> tuple[EventTime | None, list[str]]:
    primary = cluster.primary
    candidates = [c for c in primary.times if c[0] == 0]
    if not candidates:
        candidates = [c for m in cluster.mentions for c in m.times if c[0] == 0]
    if not candidates:
        candidates = list(primary.times) or [c for m in cluster.mentions for c in m.times]
    if not candidates:
        return None, []
    best = sorted(candidates, key=lambda c: (c[0], _interval_days(c[2]), c[1]))[0][2]
    iv = _interval(best)
    if iv is None:
        return None, []
    return EventTime(start=iv[0].isoformat(), end=iv[1].isoformat()), [best.id]


def _acled(ctx: Context, cluster: Cluster, mode: str | None, modality: str,
           fatalities: int | None, injuries: int | None) -> tuple[str, str] | None:
    facts = _acled_facts(ctx, cluster, fatalities, injuries)
    for rule in ctx.lex.acled:
        if rule.type != cluster.type:
            continue
        if rule.mode != "*" and rule.mode != mode:
            continue
        if all(cond in facts for cond in rule.conditions):
            return rule.event_type, rule.sub_event_type
    return None


def _acled_facts(ctx: Context, cluster: Cluster, fatalities: int | None, injuries: int | None) -> set[str]:
    """The conditions of acled.tsv that hold for this event."""
    facts: set[str] = set()
    flags = set().union(*(m.flags for m in cluster.mentions))
    parts = [p for m in cluster.mentions for p in m.participants] + cluster.extra
    sources = [p for p in parts if p.role == "source"]
    others = [p for p in parts if p.role != "source"]
    if "base" in flags:
        facts.add("base")
    if cluster.type == "AGREE" and (len({(p.entity.actor if p.entity else None) or p.head.i for p in parts if p.role in ("source", "target")}) >= 2):
        facts.add("bilateral")
    if "crowd_violence" in flags and not any(p.classes & {"protesters", "rioters"} for p in sources):
        facts.add("mob_source")
    lemmas = " ".join(_lemma(t) for i in sorted({m.sent for m in cluster.mentions}) for t in ctx.sents[i])
    if any(re.search(rf"\b{re.escape(cue)}\b", lemmas) for cue in ctx.lex.cue("nonviolent")):
        facts.add("nonviolent")
    if "foiled" in flags:
        facts.add("foiled")
    if "territory" in flags:
        facts.add("territory")
    if "defect" in flags:
        facts.add("defect")
    if "intercept" in flags:
        facts.add("intercept")
    if any("recip" in m.flags for m in cluster.mentions if m.type == cluster.type):
        facts.add("recip")
    if any(p.classes & STATE_CLASSES for p in sources):
        facts.add("state_source")
    if any(p.classes & (ARMED_CLASSES | {"state"}) for p in others):
        facts.add("armed_target")
    if any("civilians" in p.classes for p in others) and not any(p.classes & ARMED_CLASSES for p in others):
        facts.add("civilian_target")
    if any(p.classes & {"protesters", "rioters"} for p in sources):
        facts.add("protester_source")
    if any("mob" in p.classes for p in sources):
        facts.add("mob_source")
    if any("protesters" in p.classes for p in others) or any(m.type == "PROTEST" for m in cluster.mentions) and cluster.type != "PROTEST":
        facts.add("protest_target")
    if any(p.classes & ARMED_CLASSES for p in parts):
        facts.add("armed_party")
    if not others and any(p.classes & (ARMED_CLASSES | {"state"}) for p in sources):
        facts.add("armed_untargeted")
    if any("weapons" in p.classes for p in others):
        facts.add("weapons")
    if (fatalities or 0) > 0:
        facts.add("lethal")
    words = set()  # the words of the event's own clauses, not of everything beside it
    for m in cluster.mentions:
        for t in _clause_tokens(m.anchor) + (_clause_tokens(m.token) if m.anchor.i != m.token.i else []):
            words.add(_lemma(t))
            words.add(_compound_lemma(t))
    if words & ctx.lex.cue("riot") or any(m.type == "ASSAULT" for m in cluster.mentions if cluster.type == "PROTEST"):
        facts.add("violent")
    if words & ctx.lex.cue("intervention") or any(m.type == "COERCE" for m in cluster.mentions if cluster.type == "PROTEST"):
        facts.add("intervention")
    if words & ctx.lex.cue("ceasefire"):
        facts.add("ceasefire")
    return facts
