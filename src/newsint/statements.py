"""Statements layer: who says what, through whom (quotes, reported speech, sourcing chains).

The layer reads the one spaCy parse and finds, in this order:

1. cues: speech, writing and belief verbs from the cue lexicon (`data/statements/`),
   "according to X", and nouns such as "claim" or "warning" with a that-clause;
2. each cue's content (the reported clause, an object, an infinitive, or the quotation
   next to it, including quotations split around the cue or running on for several
   sentences) and its source (the subject, found through participles, relative clauses
   and "is quoted as saying");
3. quotations that no cue claims, attributed to the speaker of the quotation before;
4. speakers: pronouns and descriptions ("the former chief", "the journal") resolved
   within the article to the fullest name it gives, with role and organisation;
5. sourcing chains: who carries each statement to the reader (`via`) and the
   who-cites-whom graph (`Sources`).

Actor links from the entities layer are used when present (they merge "Nabil" with
"Rahmatullah Nabil" and "the journal" with The Wall Street Journal); without them the
layer clusters names itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from newsint.data import data_path
from newsint.dateline import find_dateline
from newsint.quotemarks import Quote, find_quotes
from newsint.schema import (
    Actor,
    Article,
    Entity,
    Mention,
    SourceEdge,
    SourceNode,
    Sources,
    Speaker,
    Statement,
)

# ---------------------------------------------------------------------------------------
# Lexicons (data files under data/statements/)


@dataclass(frozen=True)
class Lexicon:
    frames: dict[str, frozenset[str]]  # cue verb lemma -> frames it takes
    forms: dict[str, str]  # inflected form -> lemma
    phrases: dict[tuple[str, ...], str]  # multi-word cue -> role
    words: dict[str, dict[str, str]]  # list name -> entry -> value ("" when none)

    def word(self, name: str, entry: str) -> str | None:
        return self.words.get(name, {}).get(entry)


def _inflections(lemma: str) -> set[str]:
    """Regular inflections of an English verb. Over-generating is harmless (a non-word
    never occurs in text); irregular forms are listed in the lexicon itself."""
    forms = {lemma}
    consonant_y = lemma.endswith("y") and len(lemma) > 1 and lemma[-2] not in "aeiou"
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    elif consonant_y:
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    elif consonant_y:
        forms |= {lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + "ed", lemma + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):  # admit -> admitted
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _rows(name: str) -> Iterable[list[str]]:
    text = data_path(f"statements/{name}").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    frames: dict[str, frozenset[str]] = {}
    forms: dict[str, str] = {}
    for row in _rows("cue_verbs.tsv"):
        lemma = row[0]
        frames[lemma] = frozenset(row[1].split(","))
        irregular = row[2].split(",") if len(row) > 2 and row[2] else []
        for form in sorted(_inflections(lemma) | set(irregular)):
            forms.setdefault(form, lemma)
    phrases = {tuple(row[0].split()): row[1] for row in _rows("cue_phrases.tsv")}
    words: dict[str, dict[str, str]] = {}
    for row in _rows("words.tsv"):
        words.setdefault(row[0], {})[row[1]] = row[2] if len(row) > 2 else ""
    return Lexicon(frames, forms, phrases, words)


# ---------------------------------------------------------------------------------------
# Working values

Chars = tuple[int, int]

_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Dependents that belong to the speech verb's own clause ("he said on Tuesday in a
# statement") rather than to what was said.
_CLAUSE_DEPS = frozenset({
    "nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "npadvmod", "prt", "dative",
    "agent", "punct", "cc", "prep", "expl", "intj", "dobj", "attr", "acomp",
})
# Verbs whose object is the one spoken to ("told the journal that ...").
_TELL = frozenset({"tell", "inform", "assure", "remind", "warn", "advise", "ask", "urge", "promise"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "FAC"})
_WH = frozenset({"whether", "if", "why", "how", "what", "when", "where", "who", "which"})


@dataclass
class Referent:
    """Someone or something that can speak: one cluster of mentions in the article."""

    key: str
    kind: str  # person, group, outlet, document, description
    name: Chars  # the fullest name the article gives (a description's own words)
    actor: str | None = None
    gender: str | None = None  # "m" or "f" when the article tells
    plural: bool = False
    role: str | None = None
    organisation: str | None = None
    words: frozenset[str] = frozenset()  # lower-case name words without titles
    name_label: str = ""  # the entity label of the mention `name` comes from


@dataclass
class Candidate:
    """A statement under construction."""

    cue: Chars | None
    cue_token: int | None  # index of the cue's head token
    lemma: str
    frame: str  # clause, quote, object, to, according, noun, colon, orphan
    content: list[Chars] = field(default_factory=list)  # the statement spans their extent
    source: Token | None = None  # head of the source noun phrase
    addressee: Token | None = None
    cited: list[Chars] = field(default_factory=list)
    quotes: list[int] = field(default_factory=list)  # indexes into the quote list
    clause: Chars | None = None  # characters of the cue's own clause
    reach: Chars | None = None  # the cue verb's whole subtree, less the content
    via_report: bool = False  # carried by a report named nearby ("in the report")
    reporter: Token | None = None  # "the paper quoted X as saying": the paper
    inherit: Candidate | None = None  # whose speaker an unattributed quotation takes
    speaker: Referent | None = None
    mention: Chars | None = None
    named: bool = False  # the speaker is named in the statement's own clause
    parent: Candidate | None = None  # the statement whose content holds this one's cue

    @property
    def extent(self) -> Chars:
        return min(s for s, _ in self.content), max(e for _, e in self.content)


class _Article:
    """What the layer knows about one article while it works."""

    def __init__(self, doc: Doc, article: Article, entities: list[Entity], actors: list[Actor]):
        self.doc = doc
        self.text = doc.text
        self.article = article
        self.lex = load_lexicon()
        self.sentences: list[Span] = list(doc.sents)
        self.sent_of = [0] * len(doc)
        for n, sent in enumerate(self.sentences):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = n
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n+", self.text)]
        self.quotes = find_quotes(self.text)
        self.quote_of = self._quote_index()
        self.actors = {a.id: a for a in actors}
        self.entities = [e for e in sorted(entities, key=lambda e: (e.start, e.end))
                         if 0 <= e.start < e.end <= len(self.text)]
        self.entity_of: dict[int, int] = {}  # token index -> position in self.entities
        self.entity_tokens: list[Span | None] = []
        for pos, ent in enumerate(self.entities):
            span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
            self.entity_tokens.append(span)
            if span is not None:
                for tok in span:
                    self.entity_of.setdefault(tok.i, pos)
        self.cue_tokens: set[int] = set()
        self.referents: list[Referent] = []
        self.referent_of_entity: dict[int, Referent] = {}
        # (token index, sentence, referent, is subject) for every mention, in order
        self.mentions: list[tuple[int, int, Referent, bool]] = []

    def _quote_index(self) -> list[int]:
        """For each token, the index of the quotation it lies inside, or -1."""
        index = [-1] * len(self.doc)
        qi = 0
        for tok in self.doc:
            while qi < len(self.quotes) and self.quotes[qi].end <= tok.idx:
                qi += 1
            if qi < len(self.quotes) and self.quotes[qi].inner_start <= tok.idx < self.quotes[qi].inner_end:
                index[tok.i] = qi
        return index

    def sent_of_char(self, offset: int) -> int:
        """The sentence a character offset falls in (the last one before it if none)."""
        span = self.doc.char_span(offset, offset, alignment_mode="expand") if offset < len(self.text) else None
        if span is not None and len(span):
            return self.sent_of[span.start]
        lo, hi = 0, len(self.sentences)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.sentences[mid].start_char <= offset:
                lo = mid
            else:
                hi = mid
        return lo

    def paragraph(self, offset: int) -> int:
        lo, hi = 0, len(self.paragraph_starts)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.paragraph_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid
        return lo

    def word(self, name: str, entry: str) -> str | None:
        return self.lex.word(name, entry)


# ---------------------------------------------------------------------------------------
# Spans and noun phrases


def _chars(tokens: Iterable[Token]) -> Chars | None:
    toks = list(tokens)
    if not toks:
        return None
    return min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)


def _subtree_chars(token: Token, exclude: Iterable[Token] = ()) -> list[Chars]:
    """The token's subtree as contiguous character fragments, leaving out `exclude`'s
    subtrees (and the punctuation that separated them)."""
    skip: set[int] = set()
    for ex in exclude:
        skip.update(t.i for t in ex.subtree)
    runs: list[list[Token]] = []
    run: list[Token] = []
    for tok in token.subtree:
        if tok.i in skip or (run and tok.i != run[-1].i + 1):
            if run:
                runs.append(run)
            run = []
        if tok.i not in skip:
            run.append(tok)
    if run:
        runs.append(run)
    # a run of bare punctuation (the full stop after an inverted "he said") is no content
    return [_chars(r) for r in runs if any(not (t.is_punct or t.is_space) for t in r)]  # type: ignore[misc]


_EDGE_PUNCT = " \t\n,;:—–-()[]"


def _trim(text: str, span: Chars) -> Chars | None:
    """Strip whitespace and clause punctuation from both ends (never quotation marks,
    never the full stop of an abbreviation such as "U.S.")."""
    lo, hi = span
    while lo < hi and text[lo] in _EDGE_PUNCT:
        lo += 1
    while hi > lo and (text[hi - 1] in _EDGE_PUNCT or text[hi - 1] == "."):
        if text[hi - 1] == "." and hi - lo > 2 and text[hi - 2].isupper() and text[hi - 3] in ". ":
            break
        hi -= 1
    return (lo, hi) if hi > lo else None


def _np_core(tok: Token) -> list[Token]:
    """A noun phrase without its relative clauses, appositives and trailing modifiers
    that are clauses: "A spokesman for the police, who declined to be named" ->
    "A spokesman for the police"."""
    skip: set[int] = set()
    for child in tok.children:
        if child.dep_ in ("relcl", "appos", "acl", "advcl", "punct", "cc", "conj", "parataxis"):
            if child.i > tok.i or child.dep_ != "punct":
                skip.update(t.i for t in child.subtree)
    toks = [t for t in tok.subtree if t.i not in skip and "\n" not in t.text
            and t.sent.start == tok.sent.start]
    # keep the contiguous run around the head
    run = [tok]
    by_i = {t.i: t for t in toks}
    i = tok.i - 1
    while i in by_i:
        run.insert(0, by_i[i])
        i -= 1
    i = tok.i + 1
    while i in by_i:
        run.append(by_i[i])
        i += 1
    while run and (run[-1].is_punct or run[-1].is_space) and run[-1].i != tok.i:
        run.pop()
    while run and (run[0].is_punct or run[0].is_space) and run[0].i != tok.i:
        run.pop(0)
    return run


# ---------------------------------------------------------------------------------------
# Referents: names clustered within the article


def _strip_name(ctx: _Article, span: Span, titles: bool = False) -> list[Token]:
    """Name tokens without a leading article or a trailing possessive (and without
    titles such as "Mr." or "Sen." when `titles` is set, for matching names).
    A capitalised "The" stays in an outlet's name ("The Wall Street Journal")."""
    toks = [t for t in span if not t.is_space]
    while toks and (
        (toks[0].lower_ in ("the", "a", "an") and not (
            toks[0].text == "The" and len(toks) > 1
            and ctx.word("outlet_head", toks[-1].lower_) is not None))
        or (titles and ctx.word("honorific", _norm(toks[0].text)) is not None)
    ):
        toks = toks[1:]
    while toks and (toks[-1].tag_ == "POS" or toks[-1].is_punct):
        toks = toks[:-1]
    return toks


def _norm(word: str) -> str:
    return word.lower().strip(".").replace("’", "'")


def _acronym(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isupper())


def _build_referents(ctx: _Article) -> None:
    """Cluster the name mentions (PERSON, ORG, NORP, GPE) of the article into referents.

    With actor links a cluster is an actor. Without them, a shorter mention joins the
    most recent referent whose name contains all its words ("Nabil" -> "Rahmatullah
    Nabil", "the Post" -> "The New York Post") or whose initials it is ("NDS")."""
    by_actor: dict[str, Referent] = {}
    for pos, ent in enumerate(ctx.entities):
        span = ctx.entity_tokens[pos]
        if span is None or ent.type not in _NAME_LABELS:
            continue
        toks = _strip_name(ctx, span)
        bare = _strip_name(ctx, span, titles=True)
        if not toks or not bare:
            continue
        name = (toks[0].idx, toks[-1].idx + len(toks[-1].text))
        words = [t.text for t in bare if t.lower_ != "the"]
        lower = frozenset(w.lower() for w in words)
        actor = ctx.actors.get(ent.actor) if ent.actor else None
        ref: Referent | None = None
        if actor is not None:
            ref = by_actor.get(actor.id)
        if ref is None and actor is None:
            ref = _match_referent(ctx, ent.type, words, lower)
        if ref is None:
            kind = _kind_of(ctx, ent.type, words, actor)
            ref = Referent(
                key=f"actor:{actor.id}" if actor else f"name:{len(ctx.referents)}",
                kind=kind, name=name, actor=actor.id if actor else None,
                plural=ent.type == "NORP" or (toks[-1].tag_ in ("NNPS", "NNS")),
                words=lower, name_label=ent.type,
            )
            ctx.referents.append(ref)
            if actor is not None:
                by_actor[actor.id] = ref
        elif _fuller(ctx, name, ent, actor) > _fuller(ctx, ref.name, None, actor, ref):
            ref.name, ref.words, ref.name_label = name, lower | ref.words, ent.type
        if ref.gender is None:
            ref.gender = _gender_from_title(ctx, span)
        ctx.referent_of_entity[pos] = ref
        root = span.root
        ctx.mentions.append((root.i, ctx.sent_of[root.i], ref, root.dep_ in _SUBJECT_DEPS))
    for ref in ctx.referents:
        if ref.kind == "person":
            _find_role(ctx, ref)
    _learn_gender_from_pronouns(ctx)


def _fuller(ctx: _Article, name: Chars, ent: Entity | None, actor: Actor | None,
            ref: Referent | None = None) -> tuple[int, int, int, int]:
    """How good a mention is as the name to show for a referent: the actor's own name
    or an alias first, then a proper name over a demonym ("Israel" over "Israeli"),
    then the most words, then the longest."""
    text = ctx.text[name[0]:name[1]]
    bare = text.removeprefix("The ").removeprefix("the ")
    known = actor is not None and (bare == actor.name.removeprefix("The ") or bare in actor.aliases)
    if ent is None:
        label = ref.name_label if ref is not None else ""
    else:
        label = ent.type
    return (int(known), int(label != "NORP"), len(text.split()), len(text))


def _match_referent(ctx: _Article, label: str, words: list[str], lower: frozenset[str]) -> Referent | None:
    person = label == "PERSON"
    last = words[-1].lower()
    for ref in reversed(ctx.referents):
        if (ref.kind == "person") != person:
            continue
        # one name's words within the other's, with the same last word (a surname, or
        # the head of an organisation's name: "the Post", "The New York Post")
        if (lower <= ref.words or ref.words <= lower) and _last_word(ctx, ref) == last:
            return ref
        if not person and len(words) == 1 and words[0].isupper() and len(words[0]) >= 2:
            full = ctx.text[ref.name[0]:ref.name[1]].split()
            if _acronym(full) == words[0]:
                return ref
    return None


def _last_word(ctx: _Article, ref: Referent) -> str:
    parts = ctx.text[ref.name[0]:ref.name[1]].split()
    return parts[-1].lower() if parts else ""


def _kind_of(ctx: _Article, label: str, words: list[str], actor: Actor | None) -> str:
    if actor is not None:
        if actor.type == "person":
            return "person"
        if actor.type == "media_outlet":
            return "outlet"
        return "group"
    if label == "PERSON":
        return "person"
    if label == "ORG" and any(ctx.word("outlet_head", w.lower()) is not None for w in words[-1:]):
        return "outlet"
    return "group"


def _gender_from_title(ctx: _Article, span: Span) -> str | None:
    doc = ctx.doc
    toks = list(span)
    if span.start > 0:
        toks.insert(0, doc[span.start - 1])
    for tok in toks:
        g = ctx.word("honorific", _norm(tok.text))
        if g:
            return g
    return None


def _learn_gender_from_pronouns(ctx: _Article) -> None:
    """A person who is the only name in a sentence and is followed there by "he"/"his"
    (or "she"/"her") is taken to be of that gender."""
    per_sentence: dict[int, list[tuple[int, Referent]]] = {}
    for tok_i, sent, ref, _ in ctx.mentions:
        per_sentence.setdefault(sent, []).append((tok_i, ref))
    for sent, items in per_sentence.items():
        people = {id(r): (i, r) for i, r in items if r.kind == "person"}
        if len(people) != 1:
            continue
        (first, ref), = people.values()
        if ref.gender is not None:
            continue
        seen = set()
        for tok in ctx.sentences[sent]:
            if tok.i > first and tok.pos_ == "PRON":
                g = {"he": "m", "him": "m", "his": "m", "himself": "m",
                     "she": "f", "her": "f", "hers": "f", "herself": "f"}.get(tok.lower_)
                if g:
                    seen.add(g)
        if len(seen) == 1:
            ref.gender = seen.pop()


def _find_role(ctx: _Article, ref: Referent) -> None:
    """Role and organisation of a person from the words around a mention of them:
    an appositive ("Rahmatullah Nabil, former chief of ... Security (NDS), who ...")
    or a title before the name ("US undersecretary of defense Colin Kahl")."""
    for pos, ent in enumerate(ctx.entities):
        if ctx.referent_of_entity.get(pos) is not ref:
            continue
        span = ctx.entity_tokens[pos]
        if span is None:
            continue
        role = _role_after(ctx, span) or _role_before(ctx, span)
        if role is not None:
            lo, hi = role
            ref.role = ctx.text[lo:hi]
            ref.organisation = _organisation_in(ctx, role)
            if ref.gender is None:
                for w in ref.role.lower().split():
                    g = ctx.word("gendered", w.strip(",.'’s"))
                    if g:
                        ref.gender = g
                        break
            return


def _role_after(ctx: _Article, span: Span) -> Chars | None:
    doc = ctx.doc
    i = span.end
    if i >= len(doc) or doc[i].text != ",":
        return None
    sent_end = ctx.sentences[ctx.sent_of[span.start]].end
    j = i + 1
    depth = 0
    toks: list[Token] = []
    while j < sent_end:
        tok = doc[j]
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and (tok.text in (",", ";", ":", "—", "–") or
                             (tok.lower_ in ("who", "which", "whose") and toks)):
            break
        toks.append(tok)
        j += 1
    # drop a trailing parenthesis such as "(NDS)"
    while toks and toks[-1].text == ")":
        k = len(toks) - 1
        while k >= 0 and toks[k].text != "(":
            k -= 1
        toks = toks[:k] if k >= 0 else toks[:-1]
    if not toks or len(toks) > 25:
        return None
    first = toks[0]
    if first.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "ADV", "NUM") and first.tag_ != "PRP$":
        return None
    if first.pos_ == "NUM" and len(toks) == 1:
        return None  # an age
    if not any(t.pos_ == "NOUN" for t in toks):
        return None
    if any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG") for t in toks):
        return None  # a clause, not an appositive
    if j < len(doc) and doc[j].lower_ in ("and", "or"):
        return None
    if any(ctx.entity_of.get(t.i) is not None and
           ctx.entities[ctx.entity_of[t.i]].type == "PERSON" for t in toks):
        return None  # a list of names
    while toks and toks[0].pos_ == "DET":
        toks = toks[1:]
    return _chars(toks)


def _role_before(ctx: _Article, span: Span) -> Chars | None:
    root = span.root
    if root.dep_ == "appos" and root.head.i < span.start:
        root = root.head  # "US undersecretary of defense Colin Kahl"
    lo = root.left_edge.i
    if lo >= span.start:
        return None
    toks = [t for t in ctx.doc[lo:span.start]]
    if any(t.text in (",", ";", ":", "(", ")") or t.is_space for t in toks):
        return None
    while toks and (toks[0].pos_ == "DET" or toks[0].is_punct):
        toks = toks[1:]
    if not any(t.pos_ == "NOUN" for t in toks):
        return None
    return _chars(toks)


def _organisation_in(ctx: _Article, span: Chars) -> str | None:
    lo, hi = span
    for label in ("ORG", "NORP"):
        for ent in ctx.entities:
            if ent.type == label and lo <= ent.start and ent.end <= hi:
                if label == "NORP" and not ent.text[:1].isupper() or (
                    label == "NORP" and ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand") is not None
                    and ctx.doc.char_span(ent.start, ent.end, alignment_mode="expand").root.pos_ == "ADJ"
                ):
                    continue  # "American" describes, it is not an organisation
                words = ent.text.split()
                if words and words[0].lower() == "the":
                    return " ".join(words[1:]) or ent.text
                return ent.text.removesuffix("’s").removesuffix("'s")
    return None


# ---------------------------------------------------------------------------------------
# Cues


def _cue_lemma(ctx: _Article, tok: Token) -> str | None:
    """The cue-lexicon lemma of a token used as a verb, or None."""
    frames = ctx.lex.frames
    lemma = tok.lemma_.lower()
    if lemma not in frames:
        lemma = ctx.lex.forms.get(tok.lower_, "")
        if not lemma:
            return None
    if tok.tag_.startswith("VB") or tok.pos_ in ("VERB", "AUX"):
        if tok.dep_ in ("amod", "compound"):
            return None  # "the reported deaths", "alleged"
        return lemma
    # The small model tags a sentence-initial participle ("Citing ...") as a proper
    # noun now and then; its form still marks it as a verb.
    if tok.lower_.endswith(("ing", "ed")) and tok.lower_ in ctx.lex.forms and tok.is_sent_start:
        return lemma
    return None


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _find_source(tok: Token) -> tuple[Token | None, Token | None, bool]:
    """The head of the noun phrase that says what `tok` reports, climbing from a
    participle or infinitive to the verb that has the subject.

    Returns (source, reporter, via_report): "The paper quoted X as saying" gives
    (X, the paper, False); "X is quoted as saying" gives (X, None, True)."""
    cur = tok
    for _ in range(6):
        children = list(cur.children)
        agent = next((c for c in children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj, None, False
        # The nearest subject: a misparsed fronted phrase ("Citing X, the paper
        # reported") can give the verb a second, wrong one further left.
        subjects = [c for c in children if c.dep_ in ("nsubj", "csubj")]
        subj = min(subjects, key=lambda c: abs(c.i - cur.i)) if subjects else None
        if cur.i != tok.i and cur.lemma_.lower() == "quote":
            obj = next((c for c in children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj, subj, False
            passive_subj = next((c for c in children if c.dep_ == "nsubjpass"), None)
            if passive_subj is not None:
                return passive_subj, None, True
        if subj is not None:
            if subj.lower_ in ("who", "which", "that") and cur.dep_ == "relcl":
                return cur.head, None, False
            if subj.lower_ == "it" and subj.dep_ == "nsubj" and cur.i == tok.i and _is_passive(cur):
                return None, None, False
            return subj, None, False
        if cur.i != tok.i:
            passive_subj = next((c for c in children if c.dep_ == "nsubjpass"), None)
            if passive_subj is not None:
                return passive_subj, None, False
        if cur.dep_ == "relcl" and cur.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return cur.head, None, False
        if cur.dep_ == "acl" and cur.tag_ == "VBG" and cur.head.pos_ in ("NOUN", "PROPN"):
            return cur.head, None, False  # "a statement saying ..."
        if cur.dep_ in ("advcl", "xcomp", "pcomp", "conj", "prep", "dep", "ccomp", "parataxis"):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            continue
        break
    return None, None, False


def _content_of(ctx: _Article, tok: Token, frames: frozenset[str],
                cue_heads: dict[int, str]) -> tuple[list[Chars], str, Token | None]:
    """Content fragments, the frame that gave them, and the addressee, from the parse."""
    children = list(tok.children)
    addressee = next((c for c in children if c.dep_ == "dative"), None)
    ccomps = [c for c in children if c.dep_ == "ccomp"]
    dobj = next((c for c in children if c.dep_ == "dobj"), None)
    if "clause" in frames or "wh" in frames:
        usable = [cc for cc in ccomps if "clause" in frames or cc.left_edge.lower_ in _WH]
        if usable:
            if dobj is not None and addressee is None and tok.lemma_ in _TELL:
                addressee = dobj
            frags = [f for cc in usable for f in _subtree_chars(cc)]
            return frags, "clause", addressee
    if "to" in frames:
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        if xcomp is not None and any(c.lower_ == "to" for c in xcomp.children if c.dep_ == "aux"):
            frags = _subtree_chars(xcomp)
            if dobj is not None and dobj.i < xcomp.i:
                frags = _subtree_chars(dobj) + frags
            return frags, "to", None
    if "object" in frames and dobj is not None and not _is_passive(tok):
        frags = _subtree_chars(dobj)
        for c in children:
            if c.i > dobj.i and (c.dep_ in ("oprd", "ccomp") or
                                 (c.dep_ == "prep" and c.lower_ in ("as", "for", "of"))):
                frags += _subtree_chars(c)
        return frags, "object", None
    if not _is_passive(tok):
        # "pointed to X", "called for X", "talked about how ..."
        for prep in children:
            if prep.dep_ == "prep" and f"pp:{prep.lower_}" in frames:
                obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return _subtree_chars(obj), "object", None
    # An inverted cue: "The plan, he said, will fail." / "It will fail, she said." /
    # "..., an official is quoted as saying." The parser hangs the cue's clause on the
    # main verb of what was said.
    if "clause" in frames and not cue_heads.get(tok.head.i) and ctx.quote_of[tok.i] == -1:
        top = _phrase_top(tok)
        head = top.head
        if (head.i != top.i and top.dep_ in ("parataxis", "ccomp", "advcl", "conj")
                and head.pos_ in ("VERB", "AUX") and head.left_edge.i < top.left_edge.i):
            own = [c for c in top.children if c.dep_ not in _CLAUSE_DEPS and c.i not in _chain_tokens(tok, top)]
            if not own and any(c.dep_ in _SUBJECT_DEPS for c in top.children) and (
                top.dep_ != "conj" or top.i > head.i
            ):
                if top.dep_ in ("conj", "advcl") and not _comma_before(top):
                    return [], "quote", addressee
                return _subtree_chars(head, exclude=[top]), "clause", None
    return [], "quote", addressee


def _phrase_top(tok: Token) -> Token:
    """The verb that heads a cue phrase: "quoted" for "quoted as saying", "went" for
    "went on to say"."""
    cur = tok
    for _ in range(3):
        if cur.dep_ == "pcomp" and cur.head.dep_ == "prep" and cur.head.head.pos_ in ("VERB", "AUX"):
            cur = cur.head.head
        elif cur.dep_ == "xcomp" and cur.head.pos_ in ("VERB", "AUX"):
            cur = cur.head
        else:
            break
    return cur


def _chain_tokens(tok: Token, top: Token) -> set[int]:
    out = {tok.i}
    cur = tok
    while cur.i != top.i and cur.head.i != cur.i:
        cur = cur.head
        out.add(cur.i)
    return out


def _comma_before(tok: Token) -> bool:
    """Whether the cue's clause is set off by a comma (or dash) from what precedes it."""
    left = tok.left_edge.i
    doc = tok.doc
    return left > 0 and doc[left - 1].text in (",", "—", "–", "-", ":")


def _clause_of(tok: Token, source: Token | None, content_tokens: set[int]) -> Chars:
    """Characters of the cue's own clause: the verb, its subject and modifiers."""
    toks = [tok]
    for child in tok.children:
        if child.dep_ in _CLAUSE_DEPS and child.i not in content_tokens:
            toks.extend(t for t in child.subtree if t.i not in content_tokens)
    if source is not None:
        toks.extend(source.subtree)
    toks = [t for t in toks if not (t.is_space or t.is_punct)] or [tok]
    lo = min(t.idx for t in toks)
    hi = max(t.idx + len(t.text) for t in toks)
    return lo, hi


def _addressee_prep(ctx: _Article, tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prep" and ctx.word("addressee_prep", child.lower_) is not None:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None and (pobj.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or
                                     pobj.lower_ in ("reporters", "journalists", "supporters")):
                return pobj
    return None


def _in_report(ctx: _Article, tok: Token) -> bool:
    """"... is quoted as saying in the report": the cue sits in a report."""
    cur = tok
    for _ in range(4):
        for child in cur.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "by"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None and ctx.word("report", pobj.lower_) is not None:
                    return True
        if cur.head.i == cur.i or cur.dep_ not in ("advcl", "xcomp", "pcomp", "prep", "conj"):
            break
        cur = cur.head
    return False


def _verb_candidates(ctx: _Article) -> list[Candidate]:
    out: list[Candidate] = []
    doc = ctx.doc
    lemmas: dict[int, str] = {}
    for tok in doc:
        lemma = _cue_lemma(ctx, tok)
        if lemma:
            lemmas[tok.i] = lemma
    for i, lemma in lemmas.items():
        tok = doc[i]
        if ctx.quote_of[i] != -1:
            continue  # "I think ..." inside a quotation is part of what was quoted
        # A verb whose complement is a speech verb ("quoted as saying", "went on to say",
        # "declined to say") leaves the statement to that verb; a speech verb in the
        # infinitive of an intention ("vowed to defend X") is part of the intention.
        def speaks(t: Token) -> bool:
            return t.i in lemmas and "quote" in ctx.lex.frames[lemmas[t.i]]

        if any(speaks(c) and c.dep_ in ("xcomp", "pcomp") for c in tok.children) or any(
            c.dep_ == "prep" and c.lower_ == "as" and any(speaks(g) for g in c.children)
            for c in tok.children
        ):
            continue
        if (tok.dep_ == "xcomp" and tok.head.i in lemmas and not speaks(tok)
                and "to" in ctx.lex.frames[lemmas[tok.head.i]]):
            continue
        if tok.lower_ in ("citing", "quoting"):
            continue  # handled as a citation of the clause's speaker
        frames = ctx.lex.frames[lemma]
        content, frame, addressee = _content_of(ctx, tok, frames, lemmas)
        if not content and "quote" not in frames:
            continue
        source, reporter, via_report = _find_source(tok)
        if _is_passive(tok) and source is None and not via_report:
            continue
        if source is not None and source.lower_ == "you":
            continue  # "you know", "you see": a filler, or the reader, not a source
        if frame == "quote" and _is_passive(tok) and lemma not in ("quote",):
            continue
        content = _clip_to_paragraph(ctx, tok, content)
        if not content:
            if "quote" not in frames:
                continue
            frame = "quote"
        content_tokens: set[int] = set()
        for lo, hi in content:
            span = doc.char_span(lo, hi, alignment_mode="expand")
            if span is not None:
                content_tokens.update(range(span.start, span.end))
        if source is not None and source.i in content_tokens:
            source = None
        if addressee is None:
            addressee = _addressee_prep(ctx, tok)
        start = tok
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.i in lemmas:
            start = tok.head.head  # "quoted as saying"
        elif tok.dep_ == "xcomp" and tok.head.i in lemmas:
            start = tok.head
        cue = (min(start.idx, tok.idx), max(start.idx + len(start.text), tok.idx + len(tok.text)))
        cand = Candidate(
            cue=cue, cue_token=tok.i, lemma=lemma, frame=frame, content=content,
            source=source, addressee=addressee, reporter=reporter,
            via_report=via_report or _in_report(ctx, tok),
        )
        cand.clause = _clause_of(tok, source, content_tokens)
        top = _phrase_top(tok)
        coordinated = {t.i for c in top.children if c.dep_ in ("conj", "cc", "parataxis")
                       for t in c.subtree}
        para = ctx.paragraph(tok.idx)
        reach = [t for t in top.subtree if t.i not in content_tokens and not t.is_punct
                 and ctx.quote_of[t.i] == -1 and t.i not in coordinated
                 and ctx.paragraph(t.idx) == para]
        cand.reach = _chars(reach)
        if start.i != tok.i:
            lo, hi = cand.clause
            cand.clause = (min(lo, start.idx), max(hi, start.idx + len(start.text)))
        out.append(cand)
    return out


def _clip_to_paragraph(ctx: _Article, tok: Token, frags: list[Chars]) -> list[Chars]:
    """Content found in the parse stays in the cue's paragraph (a sentence split missed
    at a paragraph break must not pull in the paragraph before)."""
    p = ctx.paragraph(tok.idx)
    lo = ctx.paragraph_starts[p]
    hi = ctx.paragraph_starts[p + 1] if p + 1 < len(ctx.paragraph_starts) else len(ctx.text)
    out = [(max(a, lo), min(b, hi)) for a, b in frags]
    return [(a, b) for a, b in out if b > a]


def _according_candidates(ctx: _Article) -> list[Candidate]:
    """"According to X, Y" and "Y, according to X": X is the source of the clause Y."""
    out: list[Candidate] = []
    doc = ctx.doc
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        if ctx.quote_of[tok.i] != -1:
            continue
        to = doc[tok.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((t for t in doc[to.i + 1:ctx.sentences[ctx.sent_of[tok.i]].end]
                         if t.pos_ in ("NOUN", "PROPN", "PRON")), None)
        if pobj is None:
            continue
        phrase_end = max(t.i for t in pobj.subtree) if pobj.head.i == to.i else pobj.i
        phrase = set(range(tok.i, phrase_end + 1))
        # The clause the phrase modifies: climb to the nearest verb that heads a clause.
        head = tok.head
        for _ in range(8):
            if head.pos_ in ("VERB", "AUX") and head.dep_ not in ("amod", "acl", "prep", "pcomp"):
                break
            if head.head.i == head.i:
                break
            head = head.head
        if head.i in phrase:
            head = ctx.sentences[ctx.sent_of[tok.i]].root
        sent = ctx.sentences[ctx.sent_of[tok.i]]
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if words and all(t.i < tok.i for t in words if t.i not in phrase) and words[0].i < tok.i:
            # "..., according to X.": all of the sentence before it
            frags = [(words[0].idx, tok.idx)]
        elif words and all(t.i > phrase_end for t in words if t.i not in phrase):
            # "According to X, ...": all of the sentence after it
            frags = [(doc[phrase_end].idx + len(doc[phrase_end].text), words[-1].idx + len(words[-1].text))]
        else:
            outside = [t for t in head.subtree if not sent.start <= t.i < sent.end]
            frags = _subtree_chars(head, exclude=[tok, *outside])
            frags = [f for f in frags if not (f[0] <= pobj.idx < f[1])]
        if not frags:
            continue
        cand = Candidate(
            cue=(tok.idx, to.idx + len(to.text)), cue_token=tok.i, lemma="according to",
            frame="according", content=frags, source=pobj,
        )
        cand.clause = _chars(doc[tok.i:phrase_end + 1])
        out.append(cand)
    return out


_HEADLINE = re.compile(r"^([^:\n]{2,60}):[ \t]+(\S[^\n]*)$", re.MULTILINE)


def _colon_candidates(ctx: _Article) -> list[Candidate]:
    """"Sanders: Clinton needs to ...": a line (a headline, a transcript turn) that opens
    with a name and a colon gives that name's words."""
    out: list[Candidate] = []
    dateline = find_dateline(ctx.text)
    for m in _HEADLINE.finditer(ctx.text):
        lo, hi = m.span(1)
        pos = next((i for i, e in enumerate(ctx.entities) if e.type in _NAME_LABELS
                    and _name_covers(ctx.text, e, lo, hi)), None)
        if dateline is not None and dateline.place[0] == lo and (
                pos is None or ctx.entities[pos].type != "PERSON"):
            continue  # "PESHAWAR: A bomb struck ...": where the report was filed, not who speaks
        span = ctx.entity_tokens[pos] if pos is not None else None
        if span is None:
            # no entity: one or two capitalised words ("Kasich:", a transcript's "PENCE:")
            span = ctx.doc.char_span(lo, hi, alignment_mode="contract")
            if span is None or len(span) > 2 or not all(t.pos_ == "PROPN" or t.text.isupper() for t in span):
                continue
        head = span.root
        c_lo, c_hi = m.span(2)
        cand = Candidate(cue=(hi, hi + 1), cue_token=None, lemma=":", frame="colon",
                         content=[(c_lo, c_hi)], source=head)
        cand.clause = (lo, hi + 1)
        out.append(cand)
    return out


def _name_covers(text: str, ent: Entity, lo: int, hi: int) -> bool:
    """Whether an entity is all of text[lo:hi] but for an article or a title."""
    if not (lo <= ent.start and ent.end <= hi):
        return False
    rest = (text[lo:ent.start] + text[ent.end:hi]).strip(" \t'\"“”‘’").lower()
    return not rest or rest in ("the", "mr.", "mrs.", "ms.", "dr.", "sen.", "gov.", "rep.", "pres.")


def _noun_candidates(ctx: _Article) -> list[Candidate]:
    """"Trump's claim that ...", "a warning by the ministry that ...": the that-clause is
    the content, the possessor or by-phrase the source."""
    out: list[Candidate] = []
    for tok in ctx.doc:
        if tok.pos_ != "NOUN" or ctx.word("noun_cue", tok.lower_) is None or ctx.quote_of[tok.i] != -1:
            continue
        clause = next((c for c in tok.children if c.dep_ in ("acl", "ccomp") and
                       any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            continue
        source = next((c for c in tok.children if c.dep_ == "poss"), None)
        if source is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                    source = next((g for g in c.children if g.dep_ == "pobj"), None)
        if source is None:
            continue
        cand = Candidate(
            cue=(tok.idx, tok.idx + len(tok.text)), cue_token=tok.i, lemma=tok.lemma_.lower(),
            frame="noun", content=_subtree_chars(clause), source=source,
        )
        cand.clause = _chars([tok, *source.subtree])
        out.append(cand)
    return out


def _citations(ctx: _Article, cands: list[Candidate]) -> None:
    """"Citing X and Y, the paper reported ...": X and Y are the sources the speaker of
    the sentence's statement cites."""
    doc = ctx.doc
    for tok in doc:
        if (tok.lower_, ) not in ctx.lex.phrases or ctx.lex.phrases[(tok.lower_,)] != "cites":
            continue
        sent = ctx.sentences[ctx.sent_of[tok.i]]
        # the cited noun phrases: up to the next comma (the parse of a sentence-initial
        # "Citing" is unreliable, so this reads the surface)
        j = tok.i + 1
        end = sent.end
        while j < sent.end:
            if doc[j].text in (",", ";", ":", ".") or doc[j].is_space:
                end = j
                break
            j += 1
        cited = _split_conjuncts(doc[tok.i + 1:end])
        if not cited:
            continue
        host = _host_statement(ctx, cands, tok, sent)
        if host is not None:
            host.cited.extend(cited)


def _split_conjuncts(span: Span) -> list[Chars]:
    parts: list[Chars] = []
    run: list[Token] = []
    for t in span:
        if t.lower_ in ("and", "or", ",", "as well as") or t.is_space:
            if run:
                parts.append(_chars(run))  # type: ignore[arg-type]
            run = []
            continue
        run.append(t)
    if run:
        parts.append(_chars(run))  # type: ignore[arg-type]
    return parts


def _host_statement(ctx: _Article, cands: list[Candidate], tok: Token, sent: Span) -> Candidate | None:
    best: Candidate | None = None
    best_d = 10**9
    for cand in cands:
        if cand.cue_token is None or not (sent.start <= cand.cue_token < sent.end):
            continue
        if ctx.quote_of[cand.cue_token] != -1:
            continue
        d = abs(cand.cue_token - tok.i)
        if d < best_d:
            best, best_d = cand, d
    return best


# ---------------------------------------------------------------------------------------
# Quotations


_GAP_AFTER = re.compile(r"^[\s,—–-]*$")
_GAP_BEFORE = re.compile(r"^[\s,:—–-]*(?:that\s*)?$", re.IGNORECASE)
_GAP_CONTINUE = re.compile(r"^[\s.,;:!?—–-]*$")


_SENTENCE_END = re.compile(r"(?:^|[.!?:;]['\"”’)]*)\s*$")


def _free_standing(ctx: _Article, q: Quote) -> bool:
    """A quotation that is a sentence of the text on its own: nothing but a sentence
    end before it in its paragraph, and a new sentence (or nothing) after it. A quoted
    slogan inside a sentence ("holding signs reading '...'") is not."""
    text = ctx.text
    line_start = text.rfind("\n", 0, q.start) + 1
    if not _SENTENCE_END.search(text[line_start:q.start]):
        return False
    rest = text[q.end:q.end + 3].lstrip(" \t")
    return not rest or rest[0] == "\n" or rest[0].isupper() or rest[0] in "\"“‘'"


def _sentence_like(ctx: _Article, q: Quote) -> bool:
    """A quotation that is a statement in itself (a clause), not a scare-quoted phrase."""
    span = ctx.doc.char_span(q.inner_start, q.inner_end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha]
    if len(words) < 4:
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in span)


def _attach_quotes(ctx: _Article, cands: list[Candidate]) -> None:
    text = ctx.text
    quotes = ctx.quotes
    owner: dict[int, int] = {}
    # 1. A content from the parse that overlaps a quotation takes all of it.
    for ci, cand in enumerate(cands):
        if not cand.content:
            continue
        lo, hi = cand.extent
        inside = ctx.quote_of[cand.cue_token] if cand.cue_token is not None else -1
        for qi, q in enumerate(quotes):
            if q.end <= lo or q.start >= hi or qi == inside:
                continue  # (a cue inside a quotation reports within it, not all of it)
            if q.start >= lo and q.end <= hi or (q.inner_start <= lo and hi <= q.inner_end + 1) or (
                lo < q.inner_start < hi or lo < q.inner_end < hi
            ):
                cand.content.append((q.start, q.end))
                cand.quotes.append(qi)
                owner.setdefault(qi, ci)
    # 2. A quotation next to a cue's clause: '"...," he said' (the cue trails the
    # quotation) or 'he said: "..."' (the cue leads into it). A trailing cue wins, unless
    # it leads into a quotation of its own and another cue leads into this one
    # ('X responds, "A?" Y writes back, "B."').
    trailing: dict[int, list[int]] = {}
    leading: dict[int, list[int]] = {}
    for qi, q in enumerate(quotes):
        if qi in owner:
            continue
        para = ctx.paragraph(q.start)
        for ci, cand in enumerate(cands):
            if cand.clause is None or cand.frame not in ("quote", "clause", "according"):
                continue
            if cand.content and not _all_quoted(cand, quotes):
                continue  # a reported clause of its own does not also take a quotation
            c_lo, c_hi = cand.clause
            if c_lo >= q.end:
                gap = text[q.end:c_lo]
                if len(gap) <= 3 and _GAP_AFTER.match(gap) and "\n" not in gap:
                    trailing.setdefault(qi, []).append(ci)
            elif c_hi <= q.start:
                gap = text[c_hi:q.start]
                if len(gap) > 8 or not _GAP_BEFORE.match(gap):
                    continue
                if ("\n" in gap or ctx.paragraph(c_hi) != para) and ":" not in gap:
                    continue
                leading.setdefault(qi, []).append(ci)
    leads_into = {ci for cis in leading.values() for ci in cis}
    for qi in range(len(quotes)):
        after = trailing.get(qi, [])
        before = [ci for ci in leading.get(qi, []) if ci not in after]
        if after and not (before and after[0] in leads_into and
                          any(after[0] in leading.get(qj, []) for qj in range(qi + 1, len(quotes)))):
            chosen = after[0]
        elif before:
            chosen = before[-1]
        elif after:
            chosen = after[0]
        else:
            continue
        q = quotes[qi]
        cands[chosen].content.append((q.start, q.end))
        cands[chosen].quotes.append(qi)
        owner[qi] = chosen
    # 2b. Punctuation alone can mark an attribution with a verb the lexicon lacks:
    # 'He continued, "..."', '"...," scoffed Arianna Gil' (a quoted sentence that ends
    # in a comma goes on with who said it).
    for qi, q in enumerate(quotes):
        if qi in owner:
            continue
        cand = _punctuation_cue(ctx, q)
        if cand is None:
            continue
        known = next((ci for ci, c in enumerate(cands) if c.cue_token == cand.cue_token), None)
        if known is not None:
            # the verb is a cue already: the quotation joins its statement
            # ('"As President," she said, "I will ..."')
            cands[known].content.append((q.start, q.end))
            cands[known].quotes.append(qi)
            owner[qi] = known
            continue
        cand.quotes.append(qi)
        owner[qi] = len(cands)
        cands.append(cand)
    for cand in cands:
        if cand.quotes:
            _settle_around_cue(ctx, cand)
    # 3. In reading order, a quotation no cue claims either continues the statement of
    # the quotation before it ('"A," she said. "B."') or, standing as a sentence of its
    # own, is the last speaker's: news reports run a speaker's words on without
    # repeating "he said".
    for qi, q in enumerate(quotes):
        if qi in owner:
            continue
        # the statement just before it: the one whose content ends last before it
        before = [ci for ci, c in enumerate(cands) if c.content and c.extent[1] <= q.start
                  and (c.quotes or ctx.sent_of_char(c.extent[1] - 1) == ctx.sent_of_char(q.start))]
        if before:
            ci = max(before, key=lambda i: (cands[i].extent[1], i))
            cand = cands[ci]
            if _continues(ctx, cand, cand.extent[1], q):
                # '"A," she said. "B."' / 'He said that A. "B."' / 'pledged to A "B."'
                cand.content.append((q.start, q.end))
                cand.quotes.append(qi)
                owner[qi] = ci
                continue
        if not _sentence_like(ctx, q) or not _free_standing(ctx, q):
            continue
        if any(c.content and c.extent[0] <= q.start and q.end <= c.extent[1] for c in cands):
            continue
        prev = _previous_speaker(ctx, cands, q.start)
        if prev is None:
            continue
        owner[qi] = len(cands)
        cands.append(Candidate(cue=None, cue_token=None, lemma="", frame="orphan",
                               content=[(q.start, q.end)], quotes=[qi], inherit=cands[prev]))


def _punctuation_cue(ctx: _Article, q: Quote) -> Candidate | None:
    doc = ctx.doc
    text = ctx.text
    inner = text[q.inner_start:q.inner_end].rstrip()
    verb: Token | None = None
    after = doc.char_span(q.end, min(len(text), q.end + 80), alignment_mode="contract")
    if inner.endswith((",", "?", "!")) and after is not None:
        # '"...," he laughed' / '"...," scoffed X': a verb among the next few words
        for tok in after[:6]:
            if tok.is_space or tok.text == "\n" or ctx.quote_of[tok.i] != -1:
                break
            if tok.pos_ == "VERB" and tok.tag_ in ("VBD", "VBZ", "VBP") and tok.lemma_ != "be":
                verb = tok
                break
            if tok.text in (".", ";", ":") or (tok.is_punct and tok.text not in (",", "’", "'")):
                break
    line_start = text.rfind("\n", 0, q.start) + 1
    lead = text[line_start:q.start].rstrip()
    if verb is None and lead.endswith((",", ":")):
        # 'He continued, "..."' / 'Hillary shot back: "..."'
        span = doc.char_span(line_start, len(lead) + line_start - 1, alignment_mode="contract")
        if span is not None and len(span) > 0:
            last = span[-1]
            if last.dep_ == "prt" and last.head.pos_ == "VERB":
                last = last.head
            if last.pos_ == "VERB" and last.lemma_ != "be" and ctx.quote_of[last.i] == -1:
                verb = last
    if verb is None:
        return None
    source, reporter, via_report = _find_source(verb)
    if source is None:
        return None
    cand = Candidate(cue=(verb.idx, verb.idx + len(verb.text)), cue_token=verb.i,
                     lemma=verb.lemma_.lower(), frame="quote", content=[(q.start, q.end)],
                     source=source, reporter=reporter, via_report=via_report)
    cand.clause = _clause_of(verb, source, set())
    return cand


def _settle_around_cue(ctx: _Article, cand: Candidate) -> None:
    """Tidy a statement whose quotation comes before its cue ('"...," X, founder of Y,
    tells Z'): the content is the quotation, never the words between it and the cue or
    the cue's own clause after it, which a misparse can fold into the content; and the
    speaker is the noun phrase between the quotation and the cue (or right after the
    cue: '"...," declared Alyssa Van Wagenen') when the parse gave none usable."""
    if cand.cue is None or cand.cue_token is None or cand.frame not in ("quote", "clause"):
        return  # ("according to X": the source follows the cue, and stays)
    cue_lo, cue_hi = cand.cue
    before = [ctx.quotes[q] for q in cand.quotes if ctx.quotes[q].end <= cue_lo]
    if not before:
        return
    q_end = max(q.end for q in before)
    q_start = min(q.start for q in before)
    quoted = {(ctx.quotes[q].start, ctx.quotes[q].end) for q in cand.quotes}
    frags: list[Chars] = []
    for a, b in cand.content:
        if (a, b) in quoted:
            frags.append((a, b))
            continue
        if a >= cue_hi:
            continue  # the cue's own clause after it
        if b > q_end and a < cue_hi:
            b = max(a, q_end) if a < q_end else a
        if b > a:
            frags.append((a, b))
    if frags:
        cand.content = frags
    lo, hi = cand.extent
    src = cand.source
    doc = ctx.doc
    top = _phrase_top(doc[cand.cue_token])
    own = src is not None and src.head.i in (cand.cue_token, top.i)
    if src is not None and own and not (lo <= src.idx < hi) and not (src.idx < q_start):
        return
    between = doc.char_span(q_end, cue_lo, alignment_mode="contract")
    if between is not None and any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in between):
        roots = [t for t in between if not (t.head.i >= between.start and t.head.i < between.end) or t.head.i == t.i]
        nouns = [t for t in roots if t.pos_ in ("NOUN", "PROPN", "PRON")]
        if nouns:
            cand.source = nouns[0]
            return
    after = doc[cand.cue_token + 1:min(len(doc), cand.cue_token + 6)]
    for tok in after:
        pos = ctx.entity_of.get(tok.i)
        if pos is not None and ctx.entities[pos].type in ("PERSON", "ORG"):
            span = ctx.entity_tokens[pos]
            if span is not None:
                cand.source = span.root
                return
        if tok.is_punct and tok.text not in (".",):
            break
    # no entity: a run of capitalised words right after the cue is still a name
    run = []
    for tok in after:
        if tok.pos_ == "PROPN" or (tok.text == "." and run):
            run.append(tok)
        elif run or tok.pos_ not in ("DET",):
            break
    names = [t for t in run if t.pos_ == "PROPN"]
    if names:
        cand.source = names[-1]


def _all_quoted(cand: Candidate, quotes: list[Quote]) -> bool:
    """Whether a candidate's content so far is nothing but quotations."""
    if not cand.quotes:
        return False
    lo, hi = cand.extent
    q_lo = min(quotes[q].start for q in cand.quotes)
    q_hi = max(quotes[q].end for q in cand.quotes)
    return q_lo <= lo and hi <= q_hi


def _outside(text: str, lo: int, hi: int, spans: list[Chars]) -> str:
    """The characters of text[lo:hi] that lie outside all `spans`."""
    keep = []
    pos = lo
    for s_lo, s_hi in sorted(spans):
        if s_hi <= pos or s_lo >= hi:
            continue
        if s_lo > pos:
            keep.append(text[pos:s_lo])
        pos = max(pos, s_hi)
    if pos < hi:
        keep.append(text[pos:hi])
    return "".join(keep)


def _continues(ctx: _Article, cand: Candidate, hi: int, q: Quote) -> bool:
    """Whether quotation `q` runs on from `cand`, whose content ends at `hi`. Between
    them, leaving out the cue's own clause ('"A," she said. "B."') and whatever else
    hangs on the cue verb ('said, as the crowd cheered. "B."'), there may be only
    punctuation, a paragraph break before a quotation that opens its paragraph, the
    rest of a name the parse split off ('said Lt. Tyler Livingston. "B."') or a
    connective or two ('Trump said. Instead, "B."')."""
    text = ctx.text
    skip = [r for r in (cand.clause, cand.reach) if r]
    gap = _outside(text, hi, q.start, skip)
    if _GAP_CONTINUE.match(gap):
        if "\n" not in gap:
            return True
        line_start = text.rfind("\n", 0, q.start) + 1
        return not text[line_start:q.start].strip() and _sentence_like(ctx, q)
    if "\n" in gap:
        return False
    span = ctx.doc.char_span(hi, q.start, alignment_mode="contract")
    if span is None:
        return False
    toks = [t for t in span if not (t.is_punct or t.is_space)
            and not any(a <= t.idx < b for a, b in skip)]
    if not toks:
        return True
    if any(t.i in ctx.cue_tokens for t in toks):
        return False  # someone else speaks in between
    if all(t.pos_ in ("PROPN", "NUM") for t in toks):
        return True
    return len(toks) <= 2 and all(t.pos_ in ("ADV", "CCONJ", "SCONJ", "INTJ") for t in toks)


def _previous_speaker(ctx: _Article, cands: list[Candidate], offset: int) -> int | None:
    """The candidate, within the two paragraphs before `offset`, whose speaker an
    unattributed quotation at `offset` continues."""
    para = ctx.paragraph(offset)
    best: int | None = None
    best_pos = -1
    for ci, cand in enumerate(cands):
        if not cand.content or cand.frame == "orphan" or cand.source is None:
            continue
        pos = cand.extent[1]
        if pos <= offset and pos > best_pos and para - ctx.paragraph(pos) <= 2:
            best, best_pos = ci, pos
    return best


# ---------------------------------------------------------------------------------------
# Speakers


def _pronoun_class(ctx: _Article, tok: Token) -> str | None:
    return ctx.word("pronoun", tok.lower_)


def _entity_referent(ctx: _Article, tok: Token) -> tuple[Referent, Chars] | None:
    """The named referent a noun phrase headed by `tok` names: the head itself, its
    appositive ("the organisation the Anti-Defamation League") or a name it compounds."""
    probes = [tok]
    probes += [c for c in tok.children if c.dep_ in ("appos", "compound", "flat")]
    # a title the parser cut off from its name ("said Army Capt. Christian Pardo")
    doc = ctx.doc
    j = tok.i + 1
    while j < len(doc) and j <= tok.i + 4 and (doc[j].pos_ == "PROPN" or doc[j].text == "."):
        if ctx.entity_of.get(j) is not None and ctx.entities[ctx.entity_of[j]].type == "PERSON":
            if ctx.word("honorific", _norm(tok.text)) is not None or doc[j - 1].text == ".":
                probes.insert(0, doc[j])
            else:
                probes.append(doc[j])
            break
        j += 1
    for probe in probes:
        pos = ctx.entity_of.get(probe.i)
        if pos is None:
            continue
        ref = ctx.referent_of_entity.get(pos)
        if ref is None:
            continue
        span = ctx.entity_tokens[pos]
        assert span is not None
        toks = _strip_name(ctx, span) or list(span)
        if probe.i != tok.i and probe.dep_ == "compound" and ref.kind != "person":
            continue  # "Clinton campaign" is not Clinton
        return ref, _chars(toks)  # type: ignore[return-value]
    return None


def _description(ctx: _Article, tok: Token) -> tuple[Referent, Chars]:
    core = _np_core(tok)
    span = _chars(core) or (tok.idx, tok.idx + len(tok.text))
    words = [t for t in core if not t.is_punct]
    key_words = [t.lower_ for t in words if t.pos_ != "DET"]
    plural = tok.tag_ in ("NNS", "NNPS")
    kind = "document" if ctx.word("report", tok.lower_) is not None else "description"
    person_role: Chars | None = None
    if kind == "description" and _unrecognised_name(words):
        kind = "person"  # "Igor Vorontsov, a member of ...": a name the NER missed
        person_role = _role_after(ctx, ctx.doc[words[0].i:words[-1].i + 1])
    ref = Referent(key="desc:" + " ".join(key_words), kind=kind, name=span, plural=plural,
                   words=frozenset(key_words))
    role_toks = [t for t in words if t.pos_ != "DET" and t.tag_ != "PRP$"]
    if kind == "description" and role_toks:
        ref.role = ctx.text[role_toks[0].idx:role_toks[-1].idx + len(role_toks[-1].text)]
        ref.organisation = _organisation_in(ctx, span)
    elif person_role is not None:
        ref.role = ctx.text[person_role[0]:person_role[1]]
        ref.organisation = _organisation_in(ctx, person_role)
    for w in key_words:
        g = ctx.word("gendered", w)
        if g:
            ref.gender = g
    return ref, span


def _unrecognised_name(words: list[Token]) -> bool:
    """Two to four capitalised proper nouns and nothing else, none of them an entity's:
    a person's name the NER did not tag (organisations and places it tags far more
    reliably, and their names carry head words that these rules read first)."""
    return 2 <= len(words) <= 4 and all(
        t.pos_ == "PROPN" and t.is_title and not t.ent_type_ for t in words)


def _resolve_description(ctx: _Article, tok: Token, desc: Referent, before: int) -> Referent | None:
    """A description that refers back to a named referent: "the journal" to the last
    outlet whose name ends in Journal (or any outlet for "the newspaper"), "the former
    chief" to the person introduced as "former chief of ...", "the company" to the
    last organisation whose name or role ends in that noun."""
    head = tok.lemma_.lower()
    if tok.tag_ in ("NNS", "NNPS") or not any(c.lower_ == "the" for c in tok.children if c.dep_ == "det"):
        return None
    modifiers = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")}
    candidates = [(i, r) for i, _, r, _ in ctx.mentions if i < before]
    for _, ref in reversed(candidates):
        if ref.kind == "outlet" and ctx.word("outlet_noun", head) is not None:
            if head in ref.words or _last_word(ctx, ref) == head or head in ("newspaper", "paper", "outlet", "publication"):
                return ref
        if ref.role is not None:
            role_words = set(re.findall(r"[a-z]+", ref.role.lower()))
            if head in role_words and modifiers <= role_words:
                return ref
        if ref.kind == "group" and head == _last_word(ctx, ref):
            return ref
    return None


def _resolve_pronoun(ctx: _Article, tok: Token, cls: str, last: Referent | None,
                     content: Chars | None = None) -> Referent | None:
    """The referent a speaker pronoun stands for: the most salient compatible one in
    the last few sentences (recent, a subject, the last speaker, of known gender), never
    one named inside what the pronoun's owner is saying ("Trump isn't a conservative,
    he said")."""
    sent = ctx.sent_of[tok.i]
    best: Referent | None = None
    best_score = -1e9
    # when no person is in sight: "One of the sources said ... . ..., he said" is that source
    fallback: Referent | None = None
    seen: set[int] = set()
    doc = ctx.doc
    for i, s, ref, is_subj in reversed(ctx.mentions):
        if i >= tok.i:
            continue
        if content is not None and content[0] <= doc[i].idx < content[1]:
            continue
        d = sent - s
        if d > 6:
            break
        if (fallback is None and cls in ("m", "f") and d <= 2 and is_subj
                and ref.kind == "description" and not ref.plural):
            fallback = ref
        if id(ref) in seen:
            continue
        if cls in ("m", "f"):
            if ref.kind != "person" or (ref.gender is not None and ref.gender != cls):
                continue
        elif cls == "pl":
            if not (ref.plural or ref.kind in ("group", "outlet")) or ref.kind == "person":
                continue
        elif cls == "n":
            if ref.kind not in ("group", "outlet", "document") or ref.plural:
                continue
        else:
            continue
        seen.add(id(ref))
        score = -float(d) + (0.5 if is_subj else 0.0)
        if ref.gender is not None and ref.gender == cls:
            score += 0.75
        if last is not None and ref is last:
            score += 0.75
        if score > best_score:
            best, best_score = ref, score
    return best if best is not None else fallback


def _resolve_speakers(ctx: _Article, cands: list[Candidate]) -> None:
    """Speakers in reading order. Subject pronouns outside quotations are resolved on the
    way even when they speak no statement ("He met the minister. ... , he said"), so the
    chain of mentions keeps someone salient across sentences."""
    doc = ctx.doc
    by_source: dict[int, list[int]] = {}
    for ci, cand in enumerate(cands):
        if cand.source is not None and cand.inherit is None:
            by_source.setdefault(cand.source.i, []).append(ci)
    pronouns = [
        t.i for t in doc
        if t.dep_ in ("nsubj", "nsubjpass") and ctx.quote_of[t.i] == -1
        and ctx.word("pronoun", t.lower_) in ("m", "f", "pl")
    ]
    last: Referent | None = None
    deferred: list[int] = []
    for i in sorted(set(by_source) | set(pronouns)):
        resolved: Referent | None = None
        if i in by_source:
            for ci in by_source[i]:
                cand = cands[ci]
                src = cand.source
                assert src is not None
                if ctx.word("pronoun", src.lower_) == "self":
                    deferred.append(ci)  # "I", "we" in a quotation: its speaker, found below
                    continue
                cand.speaker, cand.mention = _speaker_of(ctx, cand, src, last)
                cand.named = _entity_referent(ctx, src) is not None
                if cand.speaker is not None and cand.speaker.kind == "document":
                    deferred.append(ci)
                if cand.speaker is not None:
                    resolved = last = cand.speaker
        else:
            tok = doc[i]
            resolved = _resolve_pronoun(ctx, tok, ctx.word("pronoun", tok.lower_) or "", last)
        pos = ctx.entity_of.get(i)
        # names are in ctx.mentions already; "One of the sources" (a CARDINAL) is not
        if resolved is not None and (pos is None or ctx.entities[pos].type not in _NAME_LABELS):
            bisect.insort(ctx.mentions, (i, ctx.sent_of[i], resolved, True), key=lambda m: m[0])
    for ci in deferred:
        cand = cands[ci]
        if cand.speaker is None and cand.source is not None:
            cand.speaker, cand.mention = _speaker_of(ctx, cand, cand.source, None)
        else:
            _resolve_document(ctx, cands, ci)
    for cand in cands:
        if cand.inherit is not None:
            cand.speaker = cand.inherit.speaker


def _anchor(ctx: _Article, cand: Candidate) -> int:
    if cand.source is not None:
        return cand.source.i
    if cand.cue_token is not None:
        return cand.cue_token
    span = ctx.doc.char_span(*cand.extent, alignment_mode="expand")
    return span.start if span is not None else 0


def _speaker_of(ctx: _Article, cand: Candidate, src: Token,
                last: Referent | None) -> tuple[Referent | None, Chars | None]:
    mention = (src.idx, src.idx + len(src.text))
    cls = _pronoun_class(ctx, src) if src.pos_ == "PRON" or src.lower_ in ("who", "which") else None
    if cls == "self":
        if cand.parent is not None and cand.parent.speaker is not None:
            return cand.parent.speaker, mention
        return None, mention
    if cls == "rel":
        head = src.head.head if src.head.dep_ == "relcl" else None
        if head is None:
            return None, mention
        src = head
    elif cls is not None:
        ref = _resolve_pronoun(ctx, src, cls, last, cand.extent if cand.content else None)
        return ref, mention
    named = _entity_referent(ctx, src)
    if named is not None:
        return named
    if src.pos_ == "PRON":
        return None, mention
    if src.pos_ == "PROPN":
        # a surname the entity recogniser missed ("..., Okafor said"): the person of
        # that surname mentioned last
        for i, _, ref, _ in reversed(ctx.mentions):
            if i < src.i and ref.kind == "person" and _last_word(ctx, ref) == src.lower_:
                return ref, mention
    desc, span = _description(ctx, src)
    linked = _resolve_description(ctx, src, desc, src.i)
    if linked is not None:
        return linked, span
    # the same description used again ("officials" ... "the officials")
    for ref in ctx.referents:
        if ref.key == desc.key:
            return ref, span
    ctx.referents.append(desc)
    return desc, span


def _resolve_document(ctx: _Article, cands: list[Candidate], ci: int) -> None:
    """"A new report has revealed ...", "according to the report": the report is the
    one an outlet or organisation is said to have published nearby, when there is one."""
    cand = cands[ci]
    here = ctx.sent_of[_anchor(ctx, cand)]
    best: Candidate | None = None
    best_d = 10**9
    for other in cands:
        ref = other.speaker
        if other is cand or ref is None or ref.kind not in ("outlet", "group"):
            continue
        if other.lemma not in ("report", "reveal", "publish", "find", "show", "write"):
            continue
        there = ctx.sent_of[_anchor(ctx, other)]
        d = here - there if there <= here else (there - here) * 2
        if there > here + 2:
            continue
        if d < best_d:
            best, best_d = other, d
    if best is not None:
        cand.speaker = best.speaker


# ---------------------------------------------------------------------------------------
# Assembly


def _kind(ctx: _Article, content: Chars, quotes: list[int]) -> str:
    """direct: the content is quoted words, at least at one of its ends (so a reported
    clause that ends in a quotation, "she was 'going to win'", counts as direct, as in
    PolNeAR); mixed: quoted words inside reported speech; indirect: no quoted words."""
    if not quotes:
        return "indirect"
    lo, hi = content
    qs = [ctx.quotes[q] for q in quotes]
    if any(q.start == lo for q in qs) or any(q.end == hi for q in qs):
        return "direct"
    return "mixed"


def _finish_content(ctx: _Article, cand: Candidate) -> Chars | None:
    text = ctx.text
    lo, hi = cand.extent
    span = _trim(text, (lo, hi))
    if span is None:
        return None
    lo, hi = span
    # keep a quotation whole when trimming cut into its closing mark
    for qi in cand.quotes:
        q = ctx.quotes[qi]
        if lo <= q.start < hi < q.end:
            hi = q.end
        if q.start < lo < q.end and hi >= q.end:
            lo = q.start
    return lo, hi


def _mention(ctx: _Article, tok: Token | None) -> Mention | None:
    """The words naming an addressee as the sentence gives them ("the journal"), with
    the actor they refer to when known."""
    if tok is None:
        return None
    span = _chars(_np_core(tok))
    if span is None:
        return None
    lo, hi = span
    named = _entity_referent(ctx, tok)
    actor = named[0].actor if named is not None else None
    if actor is None:
        pos = ctx.entity_of.get(tok.i)
        actor = ctx.entities[pos].actor if pos is not None else None
    return Mention(start=lo, end=hi, text=ctx.text[lo:hi], actor=actor)


def _sentences_of(ctx: _Article, spans: list[Chars]) -> list[int]:
    out: set[int] = set()
    for lo, hi in spans:
        span = ctx.doc.char_span(lo, hi, alignment_mode="expand")
        if span is None:
            continue
        out.update(range(ctx.sent_of[span.start], ctx.sent_of[span.end - 1] + 1))
    return sorted(out)


def _dedupe(ctx: _Article, cands: list[Candidate]) -> list[Candidate]:
    """One statement per content: a cue phrase can yield two candidates ("said ...
    according to"), and a quotation can be claimed twice."""
    kept: list[Candidate] = []
    seen: dict[Chars, int] = {}
    for cand in sorted(cands, key=lambda c: (c.extent, c.frame == "orphan", c.cue or (0, 0))):
        key = cand.extent
        if key in seen:
            continue
        seen[key] = len(kept)
        kept.append(cand)
    return kept


def _nest(ctx: _Article, cands: list[Candidate]) -> None:
    """A cue inside another statement's content is carried by that statement."""
    for cand in cands:
        if cand.cue is None:
            continue
        pos = cand.cue[0]
        best: Candidate | None = None
        best_len = 10**9
        for other in cands:
            if other is cand:
                continue
            lo, hi = other.extent
            if lo <= pos < hi and hi - lo < best_len:
                best, best_len = other, hi - lo
        cand.parent = best


def attribute_statements(
    doc: Doc, article: Article, entities: list[Entity], actors: list[Actor]
) -> tuple[list[Statement], Sources]:
    """Statements of the article (direct, indirect and mixed speech with speakers and
    sourcing chains) and the who-cites-whom graph they form."""
    if len(doc) == 0 or not doc.text.strip():
        return [], Sources()
    ctx = _Article(doc, article, entities, actors)
    _build_referents(ctx)
    cands = (_verb_candidates(ctx) + _according_candidates(ctx) + _noun_candidates(ctx)
             + _colon_candidates(ctx))
    cands = [c for c in cands if (c.content or c.frame == "quote") and not _nobody(c.source)]
    ctx.cue_tokens = {c.cue_token for c in cands if c.cue_token is not None}
    _attach_quotes(ctx, cands)
    cands = [c for c in cands if c.content]
    cands = _dedupe(ctx, cands)
    _citations(ctx, cands)
    _nest(ctx, cands)
    _resolve_speakers(ctx, cands)
    return _assemble(ctx, cands)


def _nobody(source: Token | None) -> bool:
    """A source that says no one spoke: "No other group claimed responsibility", "Nobody
    said ...", "none of the officials confirmed"."""
    if source is None:
        return False
    if source.lower_ in ("nobody", "none", "no-one", "noone") or source.text.lower() == "no one":
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in source.children)


def _assemble(ctx: _Article, cands: list[Candidate]) -> tuple[list[Statement], Sources]:
    text = ctx.text
    finished: list[tuple[Chars, Candidate]] = []
    for cand in cands:
        content = _finish_content(ctx, cand)
        if content is None:
            continue
        if cand.frame == "orphan" and cand.speaker is None:
            continue
        finished.append((content, cand))
    finished.sort(key=lambda fc: (fc[0], fc[1].cue or (0, 0)))
    ids = {id(c): f"s{n}" for n, (_, c) in enumerate(finished, start=1)}
    by_obj = {id(c): c for _, c in finished}
    root = f"outlet:{ctx.article.outlet}" if ctx.article.outlet else "article"
    chains: dict[int, list[str]] = {}

    def chain(cand: Candidate, depth: int = 0) -> list[str]:
        if id(cand) in chains:
            return chains[id(cand)]
        if depth > 8:
            return [root]
        carrier = _carrier(ctx, cand, [c for _, c in finished], by_obj)
        if isinstance(carrier, Candidate) and id(carrier) in ids and carrier is not cand:
            out = [ids[id(carrier)], *chain(carrier, depth + 1)]
        elif isinstance(carrier, str):
            out = [carrier, root]
        else:
            out = [root]
        # no statement may appear twice in its own chain
        seen: list[str] = []
        for v in out:
            if v not in seen and v != ids.get(id(cand)):
                seen.append(v)
        chains[id(cand)] = seen
        return seen

    statements: list[Statement] = []
    for content, cand in finished:
        speaker = None
        if cand.speaker is not None:
            ref = cand.speaker
            lo, hi = ref.name
            speaker = Speaker(
                start=lo, end=hi, text=text[lo:hi], actor=ref.actor, role=ref.role,
                organisation=ref.organisation, mention=cand.mention,
            )
        spans = [content] + ([cand.cue] if cand.cue else [])
        cited = [Mention(start=lo, end=hi, text=text[lo:hi]) for lo, hi in cand.cited]
        statements.append(Statement(
            id=ids[id(cand)],
            kind=_kind(ctx, content, cand.quotes),
            content=content,
            cue=cand.cue,
            speaker=speaker,
            addressee=_mention(ctx, cand.addressee),
            via=chain(cand),
            sentences=_sentences_of(ctx, spans),
            cites=cited,
        ))
    return statements, _graph(ctx, finished, statements, root)


def _carrier(ctx: _Article, cand: Candidate, cands: list[Candidate],
             by_obj: dict[int, Candidate]) -> Candidate | str | None:
    """Who carries the statement to the reader before the article does."""
    if cand.parent is not None and id(cand.parent) in by_obj:
        return cand.parent
    outlet = None
    if cand.addressee is not None:
        named = _entity_referent(ctx, cand.addressee)
        ref = named[0] if named else None
        if ref is None:
            desc, _ = _description(ctx, cand.addressee)
            ref = _resolve_description(ctx, cand.addressee, desc, cand.addressee.i)
        if ref is not None and ref.kind == "outlet":
            outlet = ref
    if cand.reporter is not None:
        named = _entity_referent(ctx, cand.reporter)
        if named is not None:
            outlet = named[0]
    if outlet is not None:
        report = _statement_by(cands, outlet, cand)
        if report is not None:
            return report
        lo, hi = outlet.name
        return f"outlet:{ctx.text[lo:hi]}"
    if cand.via_report:
        return _nearest_report(ctx, cands, cand)
    return None


def _statement_by(cands: list[Candidate], ref: Referent, cand: Candidate) -> Candidate | None:
    """The report of `ref` that carries `cand`: its first statement in which it is named
    (not "according to the report"), else its first statement at all."""
    mine = [c for c in cands if c is not cand and c.speaker is ref]
    named = [c for c in mine if c.named and c.frame not in ("according", "orphan")]
    pool = named or mine
    return min(pool, key=lambda c: c.extent) if pool else None


def _nearest_report(ctx: _Article, cands: list[Candidate], cand: Candidate) -> Candidate | None:
    """The report a statement "is quoted as saying in": the latest outlet or document
    speaker before it, taken at its main reporting statement (the first one with a
    verb cue: "X reported that ..." rather than "according to the report")."""
    latest = None
    for other in cands:
        if other is cand or other.speaker is None:
            continue
        if other.speaker.kind not in ("outlet", "document"):
            continue
        if other.extent[0] >= cand.extent[0]:
            continue
        if latest is None or other.extent[0] > latest.extent[0]:
            latest = other
    if latest is None or latest.speaker is None:
        return None
    return _statement_by(cands, latest.speaker, cand) or latest


def _graph(ctx: _Article, finished: list[tuple[Chars, Candidate]], statements: list[Statement],
           root: str) -> Sources:
    text = ctx.text
    nodes: list[SourceNode] = []
    node_of: dict[str, str] = {}
    edges: dict[tuple[str, str, str], SourceEdge] = {}

    def node(key: str, kind: str, name: str, actor: str | None = None) -> str:
        if key not in node_of:
            node_of[key] = f"n{len(nodes)}"
            nodes.append(SourceNode(id=node_of[key], kind=kind, name=name, actor=actor))
        return node_of[key]

    def edge(src: str, dst: str, relation: str, sid: str) -> None:
        if src == dst:
            return
        e = edges.get((src, dst, relation))
        if e is None:
            e = edges[(src, dst, relation)] = SourceEdge(source=src, target=dst, relation=relation)
        if sid not in e.statements:
            e.statements.append(sid)

    if ctx.article.outlet:
        root_node = node(root, "outlet", ctx.article.outlet)
    else:
        root_node = node(root, "article", ctx.article.title or "article")

    def ref_node(ref: Referent) -> str:
        lo, hi = ref.name
        kind = {"person": "person", "outlet": "outlet", "group": "group"}.get(ref.kind, "description")
        return node(ref.key, kind, text[lo:hi], ref.actor)

    speaker_node: dict[str, str] = {}
    for (_, cand), st in zip(finished, statements):
        if cand.speaker is not None:
            speaker_node[st.id] = ref_node(cand.speaker)
    for (_, cand), st in zip(finished, statements):
        target = speaker_node.get(st.id)
        if target is None:
            continue
        first = st.via[0] if st.via else root
        if first in speaker_node:
            carrier = speaker_node[first]
        elif first.startswith("outlet:") and first != root:
            name = first[len("outlet:"):]
            carrier = node("outlet-name:" + name.lower(), "outlet", name)
            edge(root_node, carrier, "reports", st.id)
        else:
            carrier = root_node
        if cand.frame == "according":
            relation = "cites"
        elif st.kind != "indirect" or cand.lemma == "quote" or (st.cue and "quot" in text[st.cue[0]:st.cue[1]]):
            relation = "quotes"
        else:
            relation = "reports"
        edge(carrier, target, relation, st.id)
        for m in st.cites:
            ent = _cited_referent(ctx, m)
            cited = ref_node(ent) if ent else node("desc:" + m.text.lower(), "description", m.text)
            edge(target, cited, "cites", st.id)
    return Sources(nodes=nodes, edges=list(edges.values()))


def _cited_referent(ctx: _Article, m: Mention) -> Referent | None:
    for pos, ent in enumerate(ctx.entities):
        if ent.start >= m.start and ent.end <= m.end and ent.type in ("PERSON", "ORG"):
            ref = ctx.referent_of_entity.get(pos)
            if ref is not None and (ent.end - ent.start) >= 0.8 * (m.end - m.start):
                return ref
    return None
