"""Entities and actors layer: spaCy NER mentions, linked to actors.

Mentions come from the model's NER and from the knowledge base's names (which the model
misses or mislabels: "Daesh" tagged GPE, "Citing Taliban" tagged ORG). Each mention is then
linked to an actor:

- a knowledge-base actor when its name or an alias matches (`kb.py`);
- a country's institution when a demonym or country name modifies a sector noun
  ("Afghan security officials" -> Afghanistan's security forces, "US military commander"
  -> the US military);
- a person found in this article, with later partial mentions ("Nabil") joined to the
  earlier full one ("Rahmatullah Nabil");
- an organisation found in this article, typed by its head word ("... Police Command");
- for definite descriptions ("the journal", "the group"), the most recent earlier actor the
  description fits, skipping a subject of the description's own clause (in "the Taliban
  blamed the US for the group's return", the group is not the Taliban).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from newsint.dateline import find_dateline
from newsint.gazetteer import KIND_CITY, fold, get_gazetteer
from newsint.kb import KB_DIR, KbActor, KnowledgeBase, descriptors_for, honorifics, load_kb, sector_lexicon
from newsint.parse import load_model
from newsint.schema import Actor, Article, Entity

# NER labels that can name an actor; the rest (DATE, CARDINAL, ...) are kept as entities
# without an actor.
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})

# Entity label to give a knowledge-base match that the NER did not find.
LABEL_FOR_TYPE = {
    "person": "PERSON",
    "state": "GPE",
    "civilians": "NORP",
}

# Head words of organisation names the knowledge base does not know -> actor type.
ORG_HEAD_TYPES = {
    "army": "military", "forces": "military", "force": "military", "military": "military",
    "navy": "military", "brigade": "military", "brigades": "military", "battalion": "military",
    "command": "military", "corps": "military", "regiment": "military",
    "police": "police", "gendarmerie": "police", "constabulary": "police",
    "ministry": "government", "government": "government", "council": "government",
    "parliament": "government", "senate": "government", "assembly": "government",
    "office": "government", "department": "government", "agency": "government",
    "directorate": "government", "commission": "government", "court": "government",
    "party": "political_party", "congress": "political_party",
    "front": "armed_group", "movement": "armed_group", "militia": "armed_group",
    "liberation": "armed_group", "rebels": "armed_group", "mujahideen": "armed_group",
    "times": "media_outlet", "post": "media_outlet", "journal": "media_outlet",
    "news": "media_outlet", "herald": "media_outlet", "tribune": "media_outlet",
    "gazette": "media_outlet", "telegraph": "media_outlet", "guardian": "media_outlet",
    "radio": "media_outlet", "television": "media_outlet", "tv": "media_outlet",
    "daily": "media_outlet", "press": "media_outlet", "observer": "media_outlet",
    "monitor": "media_outlet", "dispatch": "media_outlet", "wire": "media_outlet",
    "nations": "international_org", "union": "international_org",
    "organisation": "international_org", "organization": "international_org",
    "observatory": "other", "committee": "other", "foundation": "other",
}
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod", "appos", "nummod"})
COUNTRY_DESCRIPTORS = ("country", "nation")


@dataclass(slots=True)
class Mention:
    """A span that (may) refer to an actor, before ids are assigned."""

    start: int  # token indexes
    end: int
    label: str
    key: str | None = None  # actor key: a kb id, "person:...", "org:..."
    kb_ids: tuple[str, ...] = ()  # candidate knowledge-base actors (an ambiguous alias)


@dataclass(slots=True)
class LocalActor:
    """An actor found in this article but not in the knowledge base."""

    key: str
    name: str
    type: str
    country: str | None = None
    forms: list[str] = field(default_factory=list)
    tokens: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def name_matchers() -> tuple[PhraseMatcher, PhraseMatcher, dict[int, tuple[str, ...]]]:
    """PhraseMatchers over every knowledge-base name and demonym, built once per process.

    Acronyms and very short names match case-sensitively ("IS", "NDS"); longer names
    match case-insensitively but must contain a capital in the text (see `_capitalised`).
    Returns (exact matcher, lower-case matcher, match key -> actor ids).
    """
    nlp = load_model()
    kb = load_kb()
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    ids_by_form: dict[str, list[str]] = {}
    for form, actor_id in kb.names():
        form = form.strip()
        if form.lower().startswith("the "):
            form = form[4:]
        if form:
            ids_by_form.setdefault(form, [])
            if actor_id not in ids_by_form[form]:
                ids_by_form[form].append(actor_id)
    for demonym, iso2 in kb.demonyms.items():
        ids_by_form.setdefault(demonym, [])
        key = f"demonym:{iso2}"
        if key not in ids_by_form[demonym]:
            ids_by_form[demonym].append(key)
    keys: dict[int, tuple[str, ...]] = {}
    exact_docs: dict[str, list[Doc]] = {}
    lower_docs: dict[str, list[Doc]] = {}
    for form, ids in sorted(ids_by_form.items()):
        key = "|".join(ids)
        is_acronym = form.isupper() or len(form) <= 3
        target = exact_docs if is_acronym else lower_docs
        target.setdefault(key, []).append(nlp.make_doc(form))
    for key, docs in exact_docs.items():
        exact.add(key, docs)
        keys[nlp.vocab.strings[key]] = tuple(key.split("|"))
    for key, docs in lower_docs.items():
        lower.add(key, docs)
        keys[nlp.vocab.strings[key]] = tuple(key.split("|"))
    return exact, lower, keys


def _capitalised(span: Span) -> bool:
    return any(t.text[:1].isupper() for t in span if t.is_alpha)


def _shouting(sent: Span) -> bool:
    """An all-capitals sentence (a headline): acronym matches there are unreliable."""
    letters = [t for t in sent if t.is_alpha and len(t) > 1]
    return len(letters) >= 4 and sum(t.is_upper for t in letters) / len(letters) > 0.6


def match_names(doc: Doc) -> list[Mention]:
    """Knowledge-base names in the text, longest first where they overlap."""
    exact, lower, keys = name_matchers()
    found: list[Mention] = []
    for matcher, case_sensitive in ((exact, True), (lower, False)):
        for match_id, start, end in matcher(doc):
            span = doc[start:end]
            if not case_sensitive and not _capitalised(span):
                continue
            if case_sensitive and _shouting(span.sent):
                continue
            if _inside_longer_name(doc, start, end):
                # the longer name is an organisation the knowledge base does not know,
                # typed later by its head word ("Example Wire" is a news outlet)
                left = start  # (a one-word match: end is start + 1)
                while _inside_longer_name(doc, left, left + 1):
                    left -= 1
                found.append(Mention(left, end, "ORG"))
                continue
            found.append(Mention(start, end, "", kb_ids=keys[match_id]))
    # Longest match wins; ties keep the earlier one.
    found.sort(key=lambda m: (-(m.end - m.start), m.start))
    taken: set[int] = set()
    kept: list[Mention] = []
    for m in found:
        if taken.isdisjoint(range(m.start, m.end)):
            kept.append(m)
            taken.update(range(m.start, m.end))
    for m in kept:
        m.end = _name_end(doc, m.start, m.end)
    return sorted(kept, key=lambda m: m.start)


def _name_end(doc: Doc, start: int, end: int) -> int:
    """The end of the name part of a matched phrase: the knowledge base lists phrases such
    as "Taliban fighters" or "US military" to find the right actor, but the entity is the
    name ("Taliban", "US"), as spaCy's NER marks it."""
    name_end = end
    while name_end - start > 1 and doc[name_end - 1].is_lower and any(
        t.text[:1].isupper() for t in doc[start : name_end - 1]
    ):
        name_end -= 1
    # "US-led coalition" is one name: never cut a phrase at a hyphen.
    return end if doc[name_end - 1].is_punct else name_end


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner and a trailing possessive from a token range."""
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    while end > start and doc[end - 1].tag_ == "POS":
        end -= 1
    return start, end


def merge_mentions(doc: Doc, names: list[Mention]) -> list[Mention]:
    """NER mentions and knowledge-base matches as one list of non-overlapping mentions."""
    mentions: list[Mention] = []
    used: set[int] = set()  # indexes into names
    for ent in doc.ents:
        inside = [i for i, m in enumerate(names) if m.start < ent.end and ent.start < m.end]
        t_start, t_end = _trim(doc, ent.start, ent.end)
        chosen: Mention | None = None
        for i in inside:
            m = names[i]
            if (m.start, m.end) in {(ent.start, ent.end), (t_start, t_end)}:
                chosen = Mention(ent.start, ent.end, ent.label_, kb_ids=m.kb_ids)
            elif m.start <= ent.start and m.end >= ent.end:
                # The name is longer than the NER span ("US-led coalition" over "US").
                chosen = Mention(m.start, m.end, ent.label_, kb_ids=m.kb_ids)
            elif _only_common_words_outside(doc, ent, m):
                # NER swallowed a common word ("Citing Taliban"): keep the name.
                chosen = Mention(m.start, m.end, ent.label_, kb_ids=m.kb_ids)
            if chosen:
                used.add(i)
                break
        if chosen is None:
            chosen = Mention(ent.start, _extend_name(doc, ent), ent.label_)
            used.update(i for i in inside)  # a name inside a longer unknown name is not one
        mentions.append(chosen)
    for i, m in enumerate(names):
        if i not in used:
            mentions.append(m)
    mentions.sort(key=lambda m: (m.start, -m.end))
    out: list[Mention] = []
    last_end = -1
    for m in mentions:
        if m.start >= last_end:
            out.append(m)
            last_end = m.end
    return out


def _inside_longer_name(doc: Doc, start: int, end: int) -> bool:
    """Whether a one-word match is the last word of a longer proper name: "Example Wire" is
    not The Wire, whose knowledge-base alias is "Wire" once "The" is dropped."""
    if end - start != 1 or start == 0:
        return False
    before = doc[start - 1]
    return (before.pos_ == "PROPN" and before.is_title and before.dep_ == "compound"
            and before.head.i == start and not before.is_sent_start)


def _extend_name(doc: Doc, ent: Span) -> int:
    """End of a person's name the NER cut short or split in two ("Imran Ahmed | Khan"),
    where the tagged words are compounds of a following proper noun."""
    end = ent.end
    if ent.label_ != "PERSON":
        return end
    while (
        end < len(doc)
        and doc[end].pos_ == "PROPN"
        and doc[end].is_title
        and doc[end - 1].dep_ == "compound"
        and doc[end - 1].head.i == end
        and doc[end].ent_type_ in {"", "PERSON"}
    ):
        end += 1
    return end


def _only_common_words_outside(doc: Doc, ent: Span, name: Mention) -> bool:
    """Whether the NER span's words outside the name are common words: lower-case, or a
    sentence's capitalised first word that is a function word or a verb form ("Citing")."""
    outside = [t for t in ent if not (name.start <= t.i < name.end)]
    return bool(outside) and all(_common_word(t) for t in outside)


def _common_word(t: Token) -> bool:
    if t.is_punct or t.is_lower:
        return True
    if t.is_sent_start:
        return t.is_stop or t.lower_.endswith(("ing", "ed")) or t.pos_ in {"VERB", "ADP", "ADV"}
    return False


def country_focus(kb: KnowledgeBase, mentions: list[Mention]) -> Counter[str]:
    """How often each country is named or implied, to settle ambiguous names."""
    focus: Counter[str] = Counter()
    for m in mentions:
        for kb_id in m.kb_ids:
            if kb_id.startswith("demonym:"):
                focus[kb_id.split(":", 1)[1]] += 1
            elif kb_id in kb.actors and kb.actors[kb_id].country:
                focus[kb.actors[kb_id].country] += 1
    return focus


def choose_kb_actor(kb: KnowledgeBase, ids: tuple[str, ...], focus: Counter[str]) -> str:
    """Pick one actor for an ambiguous name: the one in the document's focus countries,
    preferring named actors to demonyms; the knowledge base's order breaks ties."""

    def rank(kb_id: str) -> tuple[int, int]:
        if kb_id.startswith("demonym:"):
            return (1, -focus[kb_id.split(":", 1)[1]])
        country = kb.actors[kb_id].country if kb_id in kb.actors else None
        return (0, -focus[country] if country else 0)

    return min(ids, key=lambda kb_id: (rank(kb_id), ids.index(kb_id)))


def sector_of(doc: Doc, mention: Mention) -> str | None:
    """The sector a country word refers to, from the words between it and its head noun:
    "Afghan security officials" -> security; "American military commander" -> military."""
    lexicon = sector_lexicon()
    if mention.end < len(doc) and doc[mention.end].text in {"-", "–"}:
        return None  # "US-trained spies", "Saudi-led coalition": not that country's own
    token = doc[mention.end - 1]
    path: list[Token] = []
    while token.dep_ in MODIFIER_DEPS and token.head.i > token.i and len(path) < 6:
        token = token.head
        path.append(token)
    if not path:
        return None
    # Words between the mention and its head, then the head itself: the first sector
    # word wins, so "security officials" is security, not government.
    between = [t for t in doc[mention.end : path[-1].i + 1]]
    for t in between:
        if t.is_punct:
            continue
        for form in (t.lower_, t.lemma_.lower()):
            if form in lexicon:
                return lexicon[form]
    return None


def person_tokens(span_text: str) -> tuple[str, ...]:
    titles = honorifics()
    words = [w.strip(".,").lower() for w in span_text.replace("’", "'").split()]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    return tuple(w for w in words if w and w not in titles)


# Head words that say little on their own ("Police Command" is police, "Army Command"
# military): used only when no other word of the name is typed.
WEAK_ORG_HEADS = frozenset({"command", "office", "department", "council", "agency", "corps",
                            "committee", "commission"})


def org_type(span: Span) -> str:
    words = [t.lower_ for t in span if t.is_alpha]
    for weak in (False, True):
        for word in reversed(words):
            if word in ORG_HEAD_TYPES and (word in WEAK_ORG_HEADS) == weak:
                return ORG_HEAD_TYPES[word]
    return "other"


class ActorLinker:
    """Links one document's mentions to actors, in text order (so chains resolve)."""

    def __init__(self, doc: Doc, kb: KnowledgeBase, outlet: str | None = None) -> None:
        self.doc = doc
        self.kb = kb
        self.outlet = (outlet or "").strip().lower()
        self.place_names: set[str] = set()
        self.local: dict[str, LocalActor] = {}
        self.people: list[str] = []  # local keys of people, in order of first mention
        self.history: list[tuple[int, str, int]] = []  # (token index, actor key, mention end)

    def actor_type(self, key: str) -> str:
        if key in self.kb.actors:
            return self.kb.actors[key].type
        return self.local[key].type

    def actor_country(self, key: str) -> str | None:
        if key in self.kb.actors:
            return self.kb.actors[key].country
        return self.local[key].country

    def remember(self, mention: Mention, key: str) -> None:
        mention.key = key
        self.history.append((mention.start, key, mention.end))

    def link_kb(self, mention: Mention, focus: Counter[str]) -> None:
        chosen = choose_kb_actor(self.kb, mention.kb_ids, focus)
        if chosen.startswith("demonym:"):
            iso2 = chosen.split(":", 1)[1]
            sector = sector_of(self.doc, mention)
            actor = self.kb.institution(iso2, sector) if sector else None
            self.remember(mention, actor.id if actor else iso2)
            if not mention.label:
                mention.label = "NORP"
            return
        actor = self.kb.actors[chosen]
        if actor.type == "state":
            sector = sector_of(self.doc, mention)
            institution = self.kb.institution(actor.id, sector) if sector else None
            if institution:
                # "US military commander": the mention still names a country (GPE).
                self.remember(mention, institution.id)
                mention.label = mention.label or "GPE"
                return
        self.remember(mention, actor.id)
        if actor.type == "person" and actor.id not in self.local:
            # Known people join the article's people, so "Milley" finds "Mark Milley".
            tokens = frozenset(person_tokens(actor.name))
            self.local[actor.id] = LocalActor(actor.id, actor.name, "person", tokens=tokens)
            self.people.append(actor.id)
        kb_label = LABEL_FOR_TYPE.get(actor.type, "ORG")
        if not mention.label or mention.label not in ACTOR_LABELS or (
            kb_label == "ORG" and mention.label in {"GPE", "PERSON"}
        ):
            mention.label = kb_label

    def link_person(self, mention: Mention) -> None:
        span = self.doc[mention.start : mention.end]
        if span.text in self.place_names or looks_like_place(span):
            mention.label = "GPE"
            return
        tokens = person_tokens(span.text)
        if not tokens:
            return
        for key in reversed(self.people):
            known = self.local[key]
            if set(tokens) <= known.tokens or known.tokens <= set(tokens):
                if len(tokens) > len(known.tokens):  # a fuller form: it becomes the name
                    known.name = _clean_name(span)
                    known.tokens = frozenset(tokens)
                known.forms.append(span.text)
                self.remember(mention, key)
                return
        key = "person:" + " ".join(tokens)
        if key in self.local:  # same name after an unrelated person in between
            self.local[key].forms.append(span.text)
        else:
            self.local[key] = LocalActor(
                key, _clean_name(span), "person", forms=[span.text], tokens=frozenset(tokens)
            )
            self.people.append(key)
        self.remember(mention, key)

    def known_person(self, span: Span) -> str | None:
        """A person already named whose name contains all of this span's words: the NER
        often tags a bare surname as an organisation ("Nwachukwu said")."""
        tokens = set(person_tokens(span.text))
        if not tokens:
            return None
        for key in reversed(self.people):
            if tokens <= self.local[key].tokens:
                return key
        return None

    def link_org(self, mention: Mention, names: list[Mention]) -> None:
        span = self.doc[mention.start : mention.end]
        person = self.known_person(span)
        if person and all(t.pos_ == "PROPN" or t.tag_ == "POS" for t in span):
            mention.label = "PERSON"
            self.local[person].forms.append(span.text)
            self.remember(mention, person)
            return
        t_start, t_end = _trim(self.doc, mention.start, mention.end)
        if t_end - t_start == 1 and self.doc[t_start].lower_ in description_vocabulary():
            # "Army spokesman X": a capitalised common noun, resolved like "the army".
            key = self.resolve_description(self.doc[t_start], mention.start)
            if key:
                self.remember(mention, key)
                return
        t_start, t_end = _trim(self.doc, mention.start, mention.end)
        name = self.doc[t_start:t_end].text if t_end > t_start else span.text
        key = "org:" + name.lower()
        country = None
        for m in names:  # a country named inside the organisation's name
            if mention.start <= m.start and m.end <= mention.end:
                country = self._country_named(m, demonyms=True) or country
        if country is None:
            country = self._possessor_country(span, names)
            if country:  # "Pakistan's Ministry of Foreign Affairs" is not India's
                key = f"org:{country.lower()}:{name.lower()}"
        kind = org_type(span)
        if kind == "other" and (span.text in self.place_names or is_known_place(name, 1_000)):
            mention.label = "GPE"  # "Arbinda", "El Fasher": a town the NER took for an org
            return
        if self.outlet and name.lower() in {self.outlet, f"the {self.outlet}"}:
            kind = "media_outlet"  # the publishing outlet names itself
        if country and kind in {"military", "police", "government"}:
            # "Nigerian Army", "Kenya Police Service": the country's own institution.
            sector = {"military": "military", "police": "police", "government": "government"}[kind]
            institution = self.kb.institution(country, sector)
            if institution and kind != "government":
                self.remember(mention, institution.id)
                return
        if key not in self.local:
            self.local[key] = LocalActor(key, name, kind, country=country, forms=[span.text])
        else:
            self.local[key].forms.append(span.text)
        self.remember(mention, key)

    def _possessor_country(self, span: Span, names: list[Mention]) -> str | None:
        """The country that owns an organisation by a possessive before its name."""
        owners = [c.i for c in span.root.children if c.dep_ == "poss" and c.i < span.start]
        if span.start >= 2 and self.doc[span.start - 1].tag_ == "POS":
            owners.append(span.start - 2)  # the parse may hang the owner elsewhere
        for i in owners:
            for m in names:
                country = self._country_named(m) if m.start <= i < m.end else None
                if country:
                    return country
        return None

    def _country_named(self, name: Mention, demonyms: bool = False) -> str | None:
        """The ISO code of the country a knowledge-base name is ("Pakistan"), or, with
        `demonyms`, whose people it names ("Nigerian")."""
        for kb_id in name.kb_ids:
            if demonyms and kb_id.startswith("demonym:"):
                return kb_id.split(":", 1)[1]
            if kb_id in self.kb.actors and self.kb.actors[kb_id].type == "state":
                return kb_id
        return None

    def resolve_description(self, head: Token, start: int) -> str | None:
        """The actor a definite description ("the journal") refers to, or None."""
        noun = head.lower_
        lemma = head.lemma_.lower()
        sent = head.sent
        if noun in COUNTRY_DESCRIPTORS:
            return self.recent_country(start, head)
        armed = any(c.lower_ in armed_group_adjectives() for c in head.lefts)
        for index, key, _end in reversed(self.history):
            if index >= start:
                continue
            if index >= sent.start and self._commands(index, head):
                continue
            if armed and self.actor_type(key) != "armed_group":
                continue
            if self._fits(key, noun, lemma):
                return key
        # "the government" / "the army" with no such actor named: the country in focus.
        for index, key, _end in reversed(self.history):
            if index < start and key in self.kb.actors and self.kb.actors[key].type == "state":
                for sector in ("government", "military", "police"):
                    if noun in descriptors_for(sector) and noun not in COUNTRY_DESCRIPTORS:
                        inst = self.kb.institution(key, sector)
                        if inst:
                            return inst.id
                break
        return None

    def recent_country(self, start: int, head: Token) -> str | None:
        """The state most recently named or implied (by one of its institutions)."""
        sent_start = head.sent.start
        for index, key, _end in reversed(self.history):
            if index >= sent_start and self._commands(index, head):
                continue
            if index < start and key in self.kb.actors:
                actor = self.kb.actors[key]
                if actor.type == "state":
                    return key
                if actor.sector and actor.country:
                    return actor.country
        return None

    def _fits(self, key: str, noun: str, lemma: str) -> bool:
        if key in self.kb.actors:
            actor: KbActor = self.kb.actors[key]
            # An actor's own descriptors are precise (a wire agency is not "the paper");
            # the type's generic ones stand in when it has none.
            words = actor.descriptors or descriptors_for(actor.type)
            last = actor.name.split()[-1].lower()
        else:
            local = self.local[key]
            if local.type == "person":
                return False
            words = descriptors_for(local.type)
            last = local.name.split()[-1].lower()
        return noun in words or lemma in words or noun == last

    def _commands(self, index: int, head: Token) -> bool:
        """Whether the mention at `index` heads a subject of a verb above `head` (then the
        description cannot be the same actor: "X blamed the US for the group's return")."""
        token = self.doc[index]
        while token.dep_ in MODIFIER_DEPS and token.head is not token:
            token = token.head
        if token.dep_ not in SUBJECT_DEPS:
            return False
        verb = token.head.i
        below = head
        for anc in head.ancestors:
            if anc.i == verb:
                # A description in a conjoined clause is out of the subject's reach:
                # "The Guardian said ..., and the paper published ...".
                return below.dep_ != "conj"
            below = anc
        return False


PLACE_PREPOSITIONS = frozenset({"in", "near", "at", "outside", "around", "across", "inside", "towards", "toward"})
PLACE_NOUNS = frozenset({"capital", "city", "town", "village", "district", "province", "region",
                         "state", "county", "area", "port", "border", "neighbourhood", "neighborhood"})


def looks_like_place(span: Span) -> bool:
    """A PERSON mention that the syntax shows is a place: the object of a locative
    preposition ("in Gardez"), or with an appositive place noun ("Gardez, the capital")."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPOSITIONS:
        return True
    return any(c.dep_ == "appos" and c.lemma_.lower() in PLACE_NOUNS for c in root.children)


def is_known_place(name: str, min_population: int) -> bool:
    """Whether a name is a gazetteer place: an area, or a town of at least `min_population`.
    Used only for names the knowledge base does not know and the NER labelled as an
    organisation or a person."""
    candidates = get_gazetteer(progress=False).lookup([fold(name)]).get(fold(name), ())
    return any(
        e.kind != KIND_CITY or e.population >= min_population for e in candidates[:5]
    )


@lru_cache(maxsize=1)
def armed_group_adjectives() -> frozenset[str]:
    raw = json.loads((KB_DIR / "sectors.json").read_text(encoding="utf-8"))
    return frozenset(raw["armed_group_adjectives"])


def _clean_name(span: Span) -> str:
    words = span.text.replace("’s", "").replace("'s", "").split()
    while words and words[0].lower() in {"the"}:
        words = words[1:]
    return " ".join(words) or span.text


def description_heads(doc: Doc, vocabulary: frozenset[str]) -> list[tuple[int, Token]]:
    """Definite descriptions: (start token index, head noun) for "the (adj)* noun"."""
    found = []
    for token in doc:
        if token.pos_ != "NOUN" or token.lower_ not in vocabulary:
            continue
        det = [c for c in token.children if c.dep_ == "det" and c.lower_ in {"the", "this"}]
        if not det:
            continue
        start = det[0].i
        between = doc[start + 1 : token.i]
        adjectives = armed_group_adjectives()
        if all(
            t.dep_ in {"amod", "compound", "punct"} and (t.ent_type_ == "" or t.lower_ in adjectives)
            for t in between
        ):
            found.append((start, token))
    return found


@lru_cache(maxsize=1)
def description_vocabulary() -> frozenset[str]:
    kb = load_kb()
    words = {w for ws in (*[descriptors_for(t) for t in ("armed_group", "media_outlet",
             "international_org", "government", "military", "police", "political_party")],)
             for w in ws}
    for actor in kb.actors.values():
        words.update(actor.descriptors)
        if actor.type in {"media_outlet", "international_org", "armed_group"}:
            words.add(actor.name.split()[-1].lower())
    words.update(COUNTRY_DESCRIPTORS)
    return frozenset(w for w in words if " " not in w)


def link_entities(doc: Doc, article: Article) -> tuple[list[Entity], list[Actor]]:
    """NER mentions and knowledge-base names in `doc`, linked to actors."""
    kb = load_kb()
    names = match_names(doc)
    adjectives = armed_group_adjectives()
    # An ideology word tagged as an organisation ("Takfiri") is not a name.
    # Nor is a name with no capital letter ("the police van" tagged as a person).
    mentions = [
        m for m in merge_mentions(doc, names)
        if m.kb_ids or not (
            (m.end - m.start == 1 and doc[m.start].lower_ in adjectives)
            or (m.label in {"PERSON", "ORG"} and not _capitalised(doc[m.start : m.end])))
    ]
    mentions = apply_dateline(doc, mentions, names)
    mentions = mark_outlet(doc, mentions, article.outlet, kb)
    focus = country_focus(kb, mentions)
    linker = ActorLinker(doc, kb, outlet=article.outlet)
    # A name the text uses as a place somewhere ("in Arbinda") is that place everywhere,
    # whatever the NER made of its other mentions ("Arbinda has been under blockade").
    linker.place_names = {
        doc[m.start : m.end].text
        for m in mentions
        if not m.kb_ids and (m.label in {"GPE", "LOC", "FAC"} or (
            m.label in {"PERSON", "ORG"} and looks_like_place(doc[m.start : m.end])))
    }
    if article.outlet and any(m.key == OUTLET_KEY for m in mentions):
        linker.local[OUTLET_KEY] = LocalActor(OUTLET_KEY, article.outlet.strip(), "media_outlet")

    descriptions = {start: head for start, head in description_heads(doc, description_vocabulary())}
    taken = {i for m in mentions for i in range(m.start, m.end)}
    descriptions = {s: h for s, h in descriptions.items() if taken.isdisjoint(range(s, h.i + 1))}

    ordered: list[Mention | tuple[int, Token]] = sorted(
        [*mentions, *descriptions.items()],
        key=lambda x: x.start if isinstance(x, Mention) else x[0],
    )
    described: list[Mention] = []
    for item in ordered:
        if isinstance(item, tuple):
            start, head = item
            key = linker.resolve_description(head, start)
            if key:
                m = Mention(start, head.i + 1, "ORG" if linker.actor_type(key) != "state" else "GPE")
                linker.remember(m, key)
                described.append(m)
            continue
        m = item
        if m.key:  # already known (the publishing outlet)
            linker.remember(m, m.key)
            continue
        if m.label and m.label not in ACTOR_LABELS:
            continue
        if m.kb_ids:
            linker.link_kb(m, focus)
        elif m.label == "PERSON":
            linker.link_person(m)
        elif m.label == "ORG":
            linker.link_org(m, names)

    # Bare surnames the NER missed, after the full name was given ("... Nabil said").
    extra = later_name_mentions(doc, linker, {i for m in mentions for i in range(m.start, m.end)})

    all_mentions = sorted([*mentions, *described, *extra], key=lambda m: (m.start, m.end))
    return build_output(doc, kb, linker, all_mentions)


OUTLET_KEY = "outlet:self"


def mark_outlet(doc: Doc, mentions: list[Mention], outlet: str | None, kb: KnowledgeBase) -> list[Mention]:
    """Mentions of the publishing outlet by name ("Speaking to Kivu Lantern"), whatever
    label the NER gave them, when the knowledge base does not already know the outlet."""
    name = (outlet or "").strip()
    if len(name) < 3 or any(m.kb_ids and name.lower() in doc[m.start : m.end].text.lower()
                            for m in mentions):
        return mentions
    found = []
    for match in re.finditer(re.escape(name), doc.text, flags=re.IGNORECASE):
        span = doc.char_span(match.start(), match.end())
        if span is not None:
            found.append(Mention(span.start, span.end, "ORG", key=OUTLET_KEY))
    if not found:
        return mentions
    kept = [m for m in mentions if all(m.end <= f.start or m.start >= f.end for f in found)]
    return sorted([*kept, *found], key=lambda m: m.start)


def apply_dateline(doc: Doc, mentions: list[Mention], names: list[Mention]) -> list[Mention]:
    """Replace whatever the NER made of a dateline ("ADDIS ABABA - A") with its parts: the
    filing place (GPE, no actor) and the filing agency (an outlet)."""
    line = find_dateline(doc.text)
    if line is None:
        return mentions
    region = doc.char_span(line.start, line.end, alignment_mode="expand")
    if region is None:
        return mentions
    kept = [m for m in mentions if m.end <= region.start or m.start >= region.end]
    parts: list[Mention] = []
    for span_chars, label in ((line.place, "GPE"), (line.region, "GPE"), (line.outlet, "ORG")):
        if span_chars is None:
            continue
        span = doc.char_span(*span_chars, alignment_mode="contract")
        if span is None or not len(span):
            continue
        known = [n for n in names if n.start == span.start and n.end == span.end]
        if label == "GPE":
            # A country in the dateline is a place here, not an actor.
            parts.append(Mention(span.start, span.end, "GPE"))
        else:
            parts.append(Mention(span.start, span.end, "ORG",
                                 kb_ids=known[0].kb_ids if known else ()))
    return sorted([*kept, *parts], key=lambda m: m.start)


def later_name_mentions(doc: Doc, linker: ActorLinker, taken: set[int]) -> list[Mention]:
    by_word: dict[str, set[str]] = {}
    first_seen: dict[str, int] = {}
    for index, key, _end in linker.history:
        if key in linker.local and linker.local[key].type == "person":
            first_seen.setdefault(key, index)
            for word in linker.local[key].tokens:
                by_word.setdefault(word, set()).add(key)
    found = []
    for token in doc:
        if token.i in taken or token.pos_ != "PROPN" or not token.is_title:
            continue
        keys = by_word.get(token.lower_)
        if keys and len(keys) == 1:
            key = next(iter(keys))
            if first_seen[key] < token.i:
                m = Mention(token.i, token.i + 1, "PERSON")
                linker.remember(m, key)
                found.append(m)
    return found


def build_output(
    doc: Doc, kb: KnowledgeBase, linker: ActorLinker, mentions: list[Mention]
) -> tuple[list[Entity], list[Actor]]:
    actor_ids: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    entities: list[Entity] = []
    for index, m in enumerate(mentions, start=1):
        span = doc[m.start : m.end]
        entity_id = f"e{index}"
        actor_id = None
        if m.key:
            actor_id = actor_ids.setdefault(m.key, f"a{len(actor_ids) + 1}")
            members.setdefault(m.key, []).append(entity_id)
        entities.append(
            Entity(
                id=entity_id,
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                type=m.label or "ORG",
                actor=actor_id,
            )
        )
    actors = []
    for key, actor_id in actor_ids.items():
        if key in kb.actors:
            a = kb.actors[key]
            actors.append(
                Actor(
                    id=actor_id, name=a.name, type=a.type, aliases=list(a.aliases),
                    country=a.country, kb=a.id, wikidata=a.wikidata, parent=a.parent,
                    mentions=members[key],
                )
            )
        else:
            local = linker.local[key]
            forms = sorted({f for f in local.forms if f != local.name})
            actors.append(
                Actor(
                    id=actor_id, name=local.name, type=local.type, aliases=forms,
                    country=local.country, mentions=members[key],
                )
            )
    return entities, actors
