"""Places layer: toponyms resolved to GeoNames entries, offline.

Recognition: spaCy's GPE/LOC/FAC mentions, plus gazetteer names the model missed or
mislabelled (a lone "Gardez" taken for a person), kept only with evidence that a place is
meant: a locative preposition, a stated hierarchy, a dateline, or a name that is a
country or first-level area. Demonyms ("Afghan") and organisation names that contain a
place ("Syrian Observatory for Human Rights") are not places; they tell the document's
country focus instead.

Resolution reads the document as a careful reader does: the hierarchy the text states
("Gardez, the capital of Paktia province", "Jalalabad, Nangarhar", "Alexandria, La."),
cue words naming the kind of place (province, district, city), the countries the article
is about, the provinces it names, closeness to its other places, and population as the
prior. A small linear ranker (weights in data/places/ranker.json) weighs these; repeated
mentions of one name in an article agree unless the text places one of them elsewhere.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Token

from newsint.data import data_path
from newsint.gazetteer import (
    FORM_ALIAS,
    FORM_ALTERNATE,
    FORM_SKELETON,
    KIND_ADM1,
    KIND_ADM2,
    KIND_CITY,
    KIND_CONTINENT,
    KIND_COUNTRY,
    KIND_REGION,
    Entry,
    Gazetteer,
    fold,
    get_gazetteer,
    acronym_key,
    lookup_keys,
    skeleton_keys,
)
from newsint.schema import Article, Entity, Place

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Labels spaCy's small model often gives a lone place name (it reads "Gardez" as a person,
# "Oxford" as an organisation); such a mention is a place only with evidence in context.
MISLABEL_LABELS = frozenset(
    {"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE", "LAW"}
)

MAX_NAME_TOKENS = 6
MAX_CANDIDATES = 40


# ---------------------------------------------------------------------------------------
# Lexicons (data/places/)


def _read_rows(rel: str) -> list[dict[str, str]]:
    """A curated TSV: `#` comment lines, then a header row."""
    lines = [
        line for line in data_path(rel).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


@lru_cache(maxsize=1)
def not_places() -> frozenset[str]:
    return frozenset(fold(row["name"]) for row in _read_rows("places/not_places.tsv"))


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Folded demonym (and its plural) -> ISO country code or region name."""
    out: dict[str, str] = {}
    for row in _read_rows("places/demonyms.tsv"):
        word, place = row["demonym"], row["place"]
        out[fold(word)] = place
        plural = word + ("es" if word.endswith(("sh", "ch")) else "s")
        if not word.endswith(("ese", "ish", "ch", "ss")):  # "Chinese", "British" have none
            out.setdefault(fold(plural), place)
    return out


@lru_cache(maxsize=1)
def ranker_weights() -> tuple[float, ...]:
    """The ranker's weights in FEATURES order (benchmarks/train_geo_ranker.py fits them)."""
    data = json.loads(data_path("places/ranker.json").read_text(encoding="utf-8"))
    return tuple(float(data["weights"].get(name, 0.0)) for name in FEATURES)


# Words that, next to a name, say what kind of place it is.
TYPE_WORDS = {
    "province": "adm", "provinces": "adm", "state": "adm", "governorate": "adm",
    "region": "adm", "oblast": "adm", "prefecture": "adm", "territory": "adm",
    "county": "adm2", "district": "adm2", "parish": "adm2", "municipality": "adm2",
    "borough": "adm2", "township": "adm2", "division": "adm2", "zone": "adm2",
    "commune": "adm2", "cercle": "adm2", "woreda": "adm2", "locality": "city",
    "city": "city", "town": "city", "village": "city", "capital": "city", "suburb": "city",
    "hamlet": "city", "neighborhood": "city", "neighbourhood": "city", "port": "city",
    "country": "country", "nation": "country", "republic": "country", "kingdom": "country",
}
# Prepositions after which a capitalised name is most often a place.
LOCATIVE = frozenset(
    "in at near from to outside across into toward towards around through throughout "
    "via inside within between beyond off".split()
)
# Words that make the capitalised name after them a person.
TITLES = frozenset(
    "mr mrs ms miss dr gov governor sen senator rep president gen general lt col sgt "
    "officer judge mayor coach prof professor rev sir lord lady king queen prince "
    "princess pope saint st minister secretary chairman chief capt captain cpl pvt "
    "sheriff deputy detective agent trooper justice attorney councilman councilwoman".split()
)
DIRECTIONS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern "
    "north-east north-west south-east south-west north-eastern north-western "
    "south-eastern south-western mid upper lower greater".split()
)
# Nouns that, before "of", put the next name on a map: "west of Hodeidah", "the outskirts of Goma".
BEARINGS = frozenset(
    "north south east west northeast northwest southeast southwest north-east north-west "
    "south-east south-west outskirts suburbs".split()
)
# Lower-case words inside place names ("Isle of Man", "Rio Grande do Sul", "Frankfurt am
# Main", "Castilla y León", "Stratford-upon-Avon").
CONNECTORS = frozenset(
    "of de del la le du des da do dos das di y e van von der den am im an upon on under "
    "al el and - '".split()
)
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


# ---------------------------------------------------------------------------------------
# Mentions


@dataclass
class Mention:
    start: int  # token indexes into the doc
    end: int
    text: str
    key: str
    label: str  # spaCy label, or "" for a gazetteer match outside entities
    candidates: tuple[Entry, ...] = ()
    type_cue: str | None = None
    containers: list[int] = field(default_factory=list)  # indexes of mentions that contain it
    container_entries: tuple[Entry, ...] = ()  # areas from abbreviations ("La.")
    contained: bool = False  # it is itself named as the container of another mention
    evidence: float = 1.0  # how sure we are that it is a place at all
    # Containers the text states beyond doubt ("Boni (Douentza, Mopti)", "Beni, ..., in
    # Gandaki province", "Omdurman's Ombada district"), whether or not a reading fits them.
    explicit: list[int] = field(default_factory=list)
    # For a place the gazetteer lacks (no candidates): the mention whose place holds it.
    within: int | None = None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and trailing possessive or punctuation from a name span."""
    while start < end and (doc[start].lower_ in {"the", "a"} or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'"}):
        end -= 1
    return start, end


def _is_name_token(tok: Token) -> bool:
    text = tok.text
    return bool(text) and text[0].isupper() and not tok.is_punct and tok.lower_ not in CALENDAR


def _entity_spans(doc: Doc, entities: list[Entity]) -> list[tuple[int, int, str]]:
    """The NER mentions as token spans with labels (from the entities layer's offsets).

    A mention that runs across a parenthesis is cut there: the model reads the gazetteer
    style "Jilib (Jilib, Middle Juba)" as one name ("Jilib (Jilib"), but a bracket never
    stands inside a place's name."""
    spans = []
    for ent in entities:
        span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        start = span.start
        cut = BRACKETS if ent.type in PLACE_LABELS else BRACKETS | CUT_WORDS
        for i in range(span.start, span.end + 1):
            if i == span.end or doc[i].text in cut:
                if i > start:
                    spans.append((start, i, ent.type))
                start = i + 1
    return sorted(spans)


BRACKETS = frozenset("()[]")
# Nor does a locative preposition stand inside an organisation's or person's name as the
# model sometimes runs it on ("Bu'ale in the Middle Juba" read as one organisation).
CUT_WORDS = frozenset({"in", "near", "outside"})


class _Tokens:
    """The token attributes the recognisers read, taken from the Doc once (spaCy's token
    access is too slow for the many small reads below)."""

    def __init__(self, doc: Doc) -> None:
        self.text, self.lower, self.ws, self.sent_start, self.name = [], [], [], [], []
        for t in doc:
            text, lower = t.text, t.lower_
            self.text.append(text)
            self.lower.append(lower)
            self.ws.append(t.whitespace_)
            self.sent_start.append(bool(t.is_sent_start))
            self.name.append(text[:1].isupper() and not t.is_punct and lower not in CALENDAR)
        self._spans: dict[tuple[int, int], str] = {}

    def span_text(self, start: int, end: int) -> str:
        key = (start, end)
        text = self._spans.get(key)
        if text is None:
            text = "".join(self.text[i] + self.ws[i] for i in range(start, end - 1)) + self.text[end - 1]
            self._spans[key] = text
        return text


def _name_runs(toks: _Tokens, start: int, end: int) -> list[tuple[int, int]]:
    """Maximal runs of capitalised tokens (with connectors like "of", "-") in [start, end)."""
    runs = []
    name, lower = toks.name, toks.lower
    i = start
    while i < end:
        if not name[i]:
            i += 1
            continue
        j = i + 1
        while j < end:
            if name[j]:
                j += 1
            elif lower[j] in CONNECTORS and j + 1 < end and name[j + 1] and not toks.sent_start[j + 1]:
                j += 2
            elif lower[j] == "-" and _hyphen_chain(toks, j, end) > j:
                j = _hyphen_chain(toks, j, end)
            elif (lower[j] in CONNECTORS and j + 2 < end and toks.text[j + 1] == "-" and not toks.ws[j]
                  and not toks.ws[j + 1] and name[j + 2]):
                j += 3  # "Jisr al-Shughur", "Bab al-Hawa"
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _may_be_place(doc: Doc, toks: _Tokens, s: int, e: int) -> bool:
    """A cheap first look for the signs `_clear_sign` weighs: only such names are worth a
    lookup by another spelling."""
    n = len(toks.text)
    before = toks.lower[s - 1] if s else ""
    after = toks.lower[e] if e < n else ""
    if before in {"(", ",", "of"} or after in {"(", ","} or after in TYPE_WORDS:
        return True  # brackets, lists and appositions, "the town of X", "X district"
    j = s - 1
    while j >= 0 and (toks.lower[j] in DIRECTIONS or toks.lower[j] == "the"):
        j -= 1
    return j >= 0 and toks.lower[j] in LOCATIVE


def _one_name(toks: _Tokens, start: int, end: int) -> bool:
    """Whether a run of capitalised words reads as one name: no sentence begins inside it,
    no abbreviation's dot, no spaced dash ("CAIRO - On", "Colo. A similar")."""
    return not any(
        toks.sent_start[i] or "." in toks.text[i] or (toks.text[i] in {"-", "–", "—"} and (toks.ws[i] or toks.ws[i - 1]))
        for i in range(start + 1, end)
    ) and "." not in toks.text[start]


def _hyphen_chain(toks: _Tokens, j: int, end: int) -> int:
    """Where a name joined by hyphens through lower-case particles goes on ("Mazar-i-Sharif",
    "Croix-des-Bouquets", "Stratford-upon-Avon"): the index of the next capitalised word,
    or `j` when the hyphen at `j` does not join one."""
    k = j
    while (
        k + 2 < end and toks.text[k] == "-" and not toks.ws[k - 1] and not toks.ws[k]
        and toks.text[k + 1].isalpha() and toks.text[k + 1].islower() and len(toks.text[k + 1]) <= 4
        and toks.text[k + 2] == "-" and not toks.ws[k + 1]
    ):
        k += 2
    if k > j and k + 1 < end and not toks.ws[k] and toks.name[k + 1]:
        return k + 1
    return j


def _sub_spans(toks: _Tokens, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for i in range(start, end):
        if not toks.name[i] or toks.lower[i] in {"the", "a", "an"}:
            continue
        for j in range(i + 1, min(end, i + MAX_NAME_TOKENS) + 1):
            if toks.name[j - 1]:
                out.append((i, j))
    return out


def _variants(doc: Doc, start: int, end: int) -> list[tuple[int, int, str | None]]:
    """Spans to look up for an entity, best first: the whole name; without a trailing type
    word ("Paktia province" -> "Paktia", cue "adm"); without a leading direction
    ("northern Syria" -> "Syria")."""
    out = [(start, end, None)]
    if end - start > 1 and doc[end - 1].lower_ in TYPE_WORDS:
        out.append((start, end - 1, TYPE_WORDS[doc[end - 1].lower_]))
    if end - start > 1 and doc[start].lower_ in DIRECTIONS and doc[start].is_lower:
        out.append((start + 1, end, None))
    return out


def find_mentions(doc: Doc, entities: list[Entity], gaz: Gazetteer) -> tuple[list[Mention], dict]:
    """Toponym mentions with their candidates, and the document's focus signals."""
    ents = _entity_spans(doc, entities)
    in_place_ent = [False] * len(doc)
    ent_at: list[tuple[int, int, str] | None] = [None] * len(doc)
    for s, e, label in ents:
        for i in range(s, e):
            ent_at[i] = (s, e, label)
            if label in PLACE_LABELS:
                in_place_ent[i] = True

    # 1. Spans to look up: the place entities (and their variants), every run of
    # capitalised words, and the abbreviations after a comma ("Alexandria, La.").
    proposals: list[tuple[int, int, str]] = []
    for s, e, label in ents:
        if label not in PLACE_LABELS:
            continue
        s, e = _trim(doc, s, e)
        # "Jalalabad, Nangarhar" as one entity: each part is a mention.
        k = s
        for i in range(s, e + 1):
            if i == e or doc[i].text == ",":
                ps, pe = _trim(doc, k, i)
                if ps < pe:
                    proposals.append((ps, pe, label))
                k = i + 1
    toks = _Tokens(doc)
    gaz_spans: list[tuple[int, int]] = []
    name_runs = _name_runs(toks, 0, len(doc))
    for rs, re_ in name_runs:
        gaz_spans.extend(_sub_spans(toks, rs, re_))
    texts = {toks.span_text(vs, ve) for s, e, _ in proposals for vs, ve, _ in _variants(doc, s, e)}
    texts |= {toks.span_text(s, e) for s, e in gaz_spans}
    by_key = gaz.lookup(k for t in texts for k in lookup_keys(t) if k)
    # Candidates by the text as written, acronym readings included ("US" but not "Us").
    found: dict[str, tuple[Entry, ...]] = {}
    for t in sorted(texts):
        cands = _merge(*(by_key.get(k, ()) for k in lookup_keys(t)))
        if cands:
            found[t] = cands
    # Names the model marks as places, and whole capitalised runs, that no plain key
    # finds (or only through a small place's alternate name) are looked up by their
    # transliteration skeleton: "Qamishli" is GeoNames' "Al Qamishli", "Ceel Buur" its
    # "Ceelbuur", "Tal Afar" its "Tall 'Afar".
    runs = [
        (rs, re_) for rs, re_ in name_runs
        if re_ - rs <= MAX_NAME_TOKENS and _one_name(toks, rs, re_)
    ]
    loose = sorted(
        t for t in {toks.span_text(vs, ve) for s, e, _ in proposals for vs, ve, _ in _variants(doc, s, e)}
        | {toks.span_text(s, e) for s, e in runs if _may_be_place(doc, toks, s, e)}
        if not any(c.form < FORM_ALTERNATE or c.population >= 10_000 for c in found.get(t, ()))
    )
    if loose:
        by_skeleton = gaz.lookup(k for t in loose for k in skeleton_keys(t))
        for t in loose:
            extra = tuple(
                c._replace(form=FORM_SKELETON) for k in skeleton_keys(t) for c in by_skeleton.get(k, ())
            )
            if extra:
                found[t] = _merge(found.get(t, ()), extra)
    surfaces = {toks.span_text(s, e) for s, e, _ in proposals}
    surfaces |= {toks.text[i + 1] for i in range(len(doc) - 1) if toks.text[i] == ","}
    abbreviations = {k: v for k, v in gaz.abbreviations(surfaces).items() if v}

    trimmed = {(s, e): _trim(doc, s, e) for s, e, _ in ents}
    person_tokens = _person_name_tokens(doc, ents, found)
    blocked, demonym = not_places(), demonyms()
    paren_lists = _paren_lists(toks, found)

    def usable(s: int, e: int, key: str, entity_label: str, small: bool | str = False) -> tuple[Entry, ...]:
        """The candidates a span keeps after the guards that hold for every mention.
        `small`: the context says clearly that a place is meant (`_clear_sign`), so a
        town's other spellings stand too (GeoNames spells "Tal Afar" "Tall 'Afar")."""
        text = toks.span_text(s, e)
        if key in blocked or text not in found:
            return ()
        if key in demonym and not _is_strong(found[text]):  # "Afghan", but "Laos" is a country
            return ()
        if key in demonym and not _names_area(doc, e) and e < len(doc) and doc[e].is_alpha and doc[e].is_lower:
            # "Somali troops", "the Somali capital", "Saudi officials": an adjective names
            # its own country, not a namesake area elsewhere (Ethiopia's Somali region,
            # which "the Somali region" still names)
            own = demonym[key]
            found[text] = tuple(c for c in found[text] if c.country == own)
            if not found[text]:
                return ()
        if e < len(doc) and (doc[e].lower_ in NAME_HEADS or (e - s == 1 and doc[e].like_num)):
            return ()  # "Marburg virus", "Europe 1", "Lot 7": the name of something else
        cands = _acronym_guard(text, found[text])
        if not small:
            cands = tuple(c for c in cands if not _small_other_spelling(c))
        if entity_label not in PLACE_LABELS:
            # Outside the model's place entities the name must be spelt as the place's
            # own, accents and all ("God" is not Göd), unless the place is a large one.
            plain = _plain(text)
            cands = tuple(
                c for c in cands
                if c.form == FORM_ALIAS or _plain(c.name) == plain or text.isupper()
                or (c.population >= 50_000 and c.form == 0)
                or (small and c.form >= FORM_ALTERNATE and (c.kind == KIND_CITY or small == "strong"))
            )
        if small and small != "strong":
            cands = tuple(c for c in cands if not _small_other_spelling(c))
        return cands

    # A longer gazetteer name over a place entity and its neighbours wins ("Trinidad and
    # Tobago" over "Trinidad", "New York City" over "New York"), so long as any other
    # entity it takes in lies wholly inside it.
    longest: dict[int, tuple[int, int]] = {}
    for s, e in gaz_spans:
        if e - s > 1 and toks.span_text(s, e) in found and all(
            ent_at[t] is None or in_place_ent[t] or (ent_at[t][0] >= s and ent_at[t][1] <= e)
            for t in range(s, e)
        ):
            for t in range(s, e):
                if in_place_ent[t] and (t not in longest or longest[t][1] - longest[t][0] < e - s):
                    longest[t] = (s, e)
    merged: list[tuple[int, int, str]] = []
    for s, e, label in proposals:
        span = max((longest.get(t, (s, e)) for t in range(s, e)), key=lambda x: x[1] - x[0])
        if span[0] <= s and span[1] >= e:
            if (span[0], span[1], label) not in merged and not any(
                m[0] == span[0] and m[1] == span[1] for m in merged
            ):
                merged.append((span[0], span[1], label))
        else:
            merged.append((s, e, label))

    mentions: list[Mention] = []
    taken = [False] * len(doc)

    def add(m: Mention) -> None:
        mentions.append(m)
        for t in range(m.start, m.end):
            taken[t] = True

    # 2. The model's place entities.
    for s, e, label in merged:
        text = toks.span_text(s, e)
        if text in abbreviations and ("." in text or _after_comma(doc, s)):
            # "Fla.", "Mo.", "N.J.": the state, not the Norwegian village of Fla
            add(Mention(s, e, text, fold(text), label, abbreviations[text], evidence=0.9))
            continue
        for vs, ve, cue in _variants(doc, s, e):
            key = fold(toks.span_text(vs, ve))
            if toks.span_text(vs, ve) in person_tokens and not _locative_before(doc, vs):
                break
            small = "strong" if (cue is not None or ve in paren_lists or _type_cue(doc, vs, ve) is not None) else False
            cands = usable(vs, ve, key, label, small)
            if cands:
                add(Mention(vs, ve, toks.span_text(vs, ve), key, label, cands, type_cue=cue))
                break

    # 3. Gazetteer names outside them, longest first, kept on evidence in context.
    matches = sorted(
        ((s, e) for s, e in gaz_spans if toks.span_text(s, e) in found),
        key=lambda se: (-(se[1] - se[0]), se[0]),
    )
    deferred: list[tuple[int, int, str, tuple[Entry, ...]]] = []
    place_keys = {m.key for m in mentions if m.evidence >= 0.6}
    run_set = set(name_runs)
    for s, e in matches:
        if any(taken[t] for t in range(s, e)):
            continue
        # Entities the span touches must lie inside it: a place name inside a longer
        # organisation or person name is not a place ("Syrian Observatory..."), but the
        # model may cut a place name short ("Rapides" of "Rapides Parish").
        label = ""
        touched = {ent_at[t] for t in range(s, e) if ent_at[t] is not None}
        if any(trimmed[es, ee][0] < s or trimmed[es, ee][1] > e or lab not in MISLABEL_LABELS
               for es, ee, lab in touched):
            continue
        if touched:
            label = sorted(touched)[0][2]
        key = fold(toks.span_text(s, e))
        paren = e in paren_lists or _inside_paren_list(s, e, paren_lists)
        # Only a whole name may be read through another spelling: not "Oil" of "Oil and
        # Gas Masterclasses", nor "Neo" of "Neo-classicism".
        whole = (s, e) in run_set and not _hyphen_glued(toks, s, e)
        clear = _clear_sign(doc, s, e, paren) if whole else False
        cands = usable(s, e, key, label, small=clear)
        if not cands or toks.span_text(s, e) in person_tokens or _titled(doc, s):
            continue
        evidence = _place_evidence(doc, s, e, label, cands, paren)
        if evidence == 0 and key in place_keys:
            evidence = 0.6  # named as a place earlier ("Mocimboa da Praia (Mocimboa da Praia, ...)")
        text = toks.span_text(s, e)
        if not clear and all(c.form >= FORM_ALTERNATE and _plain(c.name) != _plain(text) for c in cands):
            # A name met only as another spelling of a place ("Babanusa" for GeoNames'
            # "Babanusah", "Tal Afar" for "Tall 'Afar") needs a clear sign of a place.
            evidence = 0.0
        if evidence > 0:
            add(Mention(s, e, toks.span_text(s, e), key, label, cands, evidence=evidence))
            if evidence >= 0.6:
                place_keys.add(key)
        else:
            deferred.append((s, e, key, cands))

    # 4. A name the article uses as a place once is a place wherever it recurs
    # ("Fargo plans to..." after "in Fargo").
    # So is a name listed with places ("Oakport and Moorhead", "Foua and Kfraya").
    place_keys |= {m.key for m in mentions if m.evidence >= 0.6}
    starts = {m.start: m for m in mentions}
    ends = {m.end: m for m in mentions}
    for s, e, key, cands in deferred:
        if any(taken[t] for t in range(s, e)):
            continue
        if key in place_keys:
            add(Mention(s, e, toks.span_text(s, e), key, "", cands, evidence=0.6))
        elif _listed_with(doc, s, e, starts, ends):
            add(Mention(s, e, toks.span_text(s, e), key, "", cands, evidence=0.5))

    # 5. The area after a comma ("COVINGTON, Ky.") is a mention of its own.
    for m in list(mentions):
        i = m.end
        if i + 1 < len(doc) and doc[i].text == "," and doc[i + 1].text in abbreviations and not taken[i + 1]:
            text = doc[i + 1].text
            add(Mention(i + 1, i + 2, text, fold(text), "", abbreviations[text], evidence=0.8))

    # 6. Names the gazetteer lacks, kept (below) only where the text says which known
    # place holds them: "Mamove (Beni, North Kivu)", "Kilolirwe, in Masisi territory".
    for s, e, label in _unknown_spans(doc, toks, merged, name_runs, ent_at, paren_lists, trimmed):
        if any(taken[t] for t in range(s, e)):
            continue
        text = toks.span_text(s, e)
        key = fold(text)
        if (key in blocked or key in demonym or text in person_tokens or _titled(doc, s)
                or acronym_key(text) or any(t.like_num for t in doc[s:e])):
            continue
        add(Mention(s, e, text, key, label, (), evidence=0.5))

    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        if m.type_cue is None:
            m.type_cue = _type_cue(doc, m.start, m.end)
    _link_hierarchy(doc, mentions, gaz, paren_lists)
    _place_the_unknown(mentions)
    for m in mentions:
        m.candidates = _prune(m.candidates, m.type_cue, m.contained)
    mentions = _drop_unplaced(mentions)
    focus = _focus_signals(doc, toks, ents, found, mentions)
    return mentions, focus


def _merge(*groups: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """Candidates from several keys, each place once (its best form), most populous first."""
    best: dict[int, Entry] = {}
    for group in groups:
        for c in group:
            if c.pid not in best or c.form < best[c.pid].form:
                best[c.pid] = c
    return tuple(sorted(best.values(), key=lambda c: (-c.population, c.pid)))


PLACE_HEADS = frozenset(
    "police residents officials authorities mayor council sheriff firefighters townspeople "
    "native natives villagers".split()
)
NAME_HEADS = frozenset("virus viruses disease fever flu syndrome player players".split())


def _listed_with(doc: Doc, s: int, e: int, starts: dict, ends: dict) -> bool:
    """Whether a name stands in a list ("X and Y", "X, Y or Z") next to a place."""
    links = {"and", "or", ","}
    before = s >= 2 and doc[s - 1].lower_ in links and (s - 1) in ends
    after = e + 1 < len(doc) and doc[e].lower_ in links and (e + 1) in starts
    return before or after


def _plain(text: str) -> str:
    return text.casefold().replace(".", "").replace("’", "'")


def _after_comma(doc: Doc, i: int) -> bool:
    return i >= 2 and doc[i - 1].text == "," and _is_name_token(doc[i - 2])


def _titled(doc: Doc, s: int) -> bool:
    """"Gov. Jackson", "Mr. Lincoln": a title makes the name a person's."""
    return s > 0 and doc[s - 1].lower_.rstrip(".") in TITLES


def _acronym_guard(text: str, cands: tuple[Entry, ...]) -> tuple[Entry, ...]:
    """A short all-capitals word ("CHU", "OAS") is an acronym, not a village's name, unless
    it is a known short name of a country or area ("US", "UAE", "EU")."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) <= 4 and text.isupper():
        return tuple(
            c for c in cands
            if c.form <= FORM_ALIAS and c.kind in (KIND_COUNTRY, KIND_ADM1, KIND_REGION, KIND_CONTINENT)
        )
    return cands


def _person_name_tokens(doc: Doc, ents: list[tuple[int, int, str]], found) -> set[str]:
    """Words that are part of a multi-word person's name in this document ("Clinton" after
    "Hillary Clinton"): alone, they name that person again, not a town. Names of
    countries and provinces are left out (the model's "Rethinking Egypt" is no person)."""
    out: set[str] = set()
    for s, e, label in ents:
        if label == "PERSON" and 2 <= e - s <= 4:
            for t in doc[s:e]:
                if _is_name_token(t) and not _is_strong(found.get(t.text, ())):
                    out.add(t.text)
    return out


def _is_strong(cands: tuple[Entry, ...]) -> bool:
    """Whether a name is, by its own or a curated alias, a country, first-level area,
    continent or region: names news rarely uses for anything else."""
    return any(
        c.form <= FORM_ALIAS and c.kind in (KIND_COUNTRY, KIND_ADM1, KIND_CONTINENT, KIND_REGION)
        for c in cands
    )


def _locative_before(doc: Doc, start: int) -> bool:
    """"in Gardez", "near northern Kabul", and the residence of local news ("John Smith,
    24, of Elkhart")."""
    j = start - 1
    while j >= 0 and doc[j].lower_ in DIRECTIONS | {"the"}:
        j -= 1
    if j < 0:
        return False
    if doc[j].lower_ == "of" and j >= 1 and (doc[j - 1].text == "," or doc[j - 1].like_num):
        return True
    if doc[j].lower_ == "of" and j >= 1 and doc[j - 1].lower_ in BEARINGS:
        return True  # "70 miles west of Hodeidah", "on the outskirts of Goma"
    return doc[j].lower_ in LOCATIVE


def _place_evidence(
    doc: Doc, s: int, e: int, label: str, cands: tuple[Entry, ...], paren: bool = False
) -> float:
    """How far a gazetteer name outside the model's place entities is a place (0 = not).
    `paren`: the name is followed by a bracketed list of places ("Mota (Hulet Ej Enese,
    East Gojjam)"), the way conflict data and wire lists name a place's district and
    province."""
    follows = doc[e] if e < len(doc) else None
    # A dateline: the article (or a sentence, for a name in capitals) opens with the name,
    # then a comma, colon, dash or parenthesis.
    dateline = (
        (s == 0 or (doc[s].is_sent_start and doc[s:e].text.isupper() and len(doc[s:e].text) >= 4))
        and follows is not None and follows.text in {",", "(", "-", "—", "–", ":"}
    )
    # "Winona police", "Kabul residents": people and offices of a place.
    place_head = follows is not None and follows.lower_ in PLACE_HEADS
    locative = _locative_before(doc, s)
    comma_area = (
        follows is not None and follows.text == "," and e + 1 < len(doc) and _is_name_token(doc[e + 1])
    )
    # a cue after the name, or the type word inside it ("Rapides Parish", "Kunar Province")
    type_cue = _type_cue(doc, s, e) is not None or (
        e - s > 1 and doc[e - 1].lower_ in TYPE_WORDS
        and any(c.kind in (KIND_ADM1, KIND_ADM2) for c in cands)
    )
    strong = _is_strong(cands)
    big_city = any(c.kind == KIND_CITY and (c.population >= 100_000 or c.feature == "PPLC") for c in cands)
    if label:  # a lone name the model gave another label
        if dateline or locative or type_cue or comma_area or strong or place_head or paren:
            return 0.7
        return 0.5 if big_city else 0.0
    if paren:
        return 0.7
    if not all(t.pos_ == "PROPN" or t.lower_ in CONNECTORS or t.is_upper for t in doc[s:e]):
        return 0.0
    if dateline:
        return 0.8
    if doc[s].is_sent_start and not (locative or comma_area):
        return 0.0
    if locative and (strong or cands[0].population >= 1000):
        return 0.6
    if strong:
        return 0.6
    if type_cue or place_head:
        return 0.5
    if comma_area and cands[0].population >= 1000:
        return 0.4
    return 0.0


def _type_cue(doc: Doc, start: int, end: int) -> str | None:
    """What kind of place the words around a name say it is: "Paktia province", "Khwahan
    district", "the city of Gardez", "Gardez, the capital of ...", "X, a village in ..."."""
    if end < len(doc) and doc[end].lower_ in TYPE_WORDS:
        return TYPE_WORDS[doc[end].lower_]
    if start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in TYPE_WORDS:
        return TYPE_WORDS[doc[start - 2].lower_]
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in {"the", "a", "an"}:
        for i in range(end + 2, min(end + 6, len(doc))):
            word = doc[i].lower_
            if word in TYPE_WORDS:
                follows = doc[i + 1].lower_ if i + 1 < len(doc) else ""
                return TYPE_WORDS[word] if follows in {"of", "in", ",", "near", ".", "on"} else None
            if not doc[i].is_lower or doc[i].pos_ not in {"ADJ", "NOUN", "ADV"}:
                return None
    return None


def _prune(cands: tuple[Entry, ...], type_cue: str | None = None, container: bool = False) -> tuple[Entry, ...]:
    """One entry per place, at most MAX_CANDIDATES, keeping every area and country.

    When the name fits both an area and a town inside it, the town wins unless the text
    means the area (a type word, or the name standing as another's container): "Gardez"
    is the town, not Gardez district; "Dallas" the city, not Dallas County; for a
    first-level area, when the town is its chief place: "Moscow", "Kabul", "New York" are
    the cities, but "Quebec" the province (Montreal is larger than Quebec City)."""
    towns: dict[int, int] = {}  # area pid -> largest town inside it that the name fits
    for c in cands:
        if c.kind == KIND_CITY:
            for area in (c.adm1, c.adm2):
                if area is not None:
                    towns[area] = max(towns.get(area, 0), c.population)
    keep_areas = container or type_cue in ("adm", "adm2")
    seen: set[int] = set()
    out = []
    for c in cands:
        if c.pid in seen:
            continue
        seen.add(c.pid)
        if c.kind in (KIND_ADM1, KIND_ADM2) and not keep_areas and c.pid in towns:
            # (an area met only through another spelling yields to its town too: "Mecca")
            if c.kind == KIND_ADM2 or towns[c.pid] >= c.chief or c.form >= FORM_ALTERNATE:
                continue
        if len(out) < MAX_CANDIDATES or c.kind != KIND_CITY:
            out.append(c)
    return tuple(out)


_BETWEEN = re.compile(
    r"^(,|(, )?(in|near)( the)?|(, )?(in )?(the |a )?((\w+(-\w+)?) ){0,3}(capital|city|town|village|district|"
    r"province|region|state|county|part|suburb|outskirts|area|heart|centre|center) of( the)?"
    r"( \w+(-\w+)?){0,2}|(, )?(in )?(the )?(north|south|east|west|center|centre)(ern)? of"
    r"|, (the|a|an) (\S+ ){0,4}\S+ , (in|near)( the)?)$"
)
# Words between two names (or after the second) that make the second the first's
# container beyond doubt: "X, the capital of Y", "X, a village in Y district".
_HOLDING_WORDS = frozenset(TYPE_WORDS) | {"outskirts", "headquarters", "suburb", "suburbs"}
_POSSESSIVE = frozenset({"'s", "’s"})
_TOWN_WORDS = frozenset({"city", "town", "village", "capital", "hamlet"})


def _link_hierarchy(doc: Doc, mentions: list[Mention], gaz: Gazetteer,
                    paren_lists: dict[int, int] | None = None) -> None:
    """Containers the text states: "Jalalabad, Nangarhar", "Gardez, the capital of Paktia
    province", "Khwahan district in Badakhshan", "Alexandria, La.", "Boni (Douentza,
    Mopti)", "Omdurman's Ombada district"."""
    paren_lists = paren_lists or {}
    for i, m in enumerate(mentions):
        # Dateline abbreviations: "Alexandria, La.", "NEWARK, N.J.".
        if m.end + 1 < len(doc) and doc[m.end].text == ",":
            abbr = doc[m.end + 1].text
            found = gaz.abbreviations([abbr, abbr + "."]) if abbr[:1].isupper() else {}
            entries = tuple(e for v in found.values() for e in v)
            if entries:
                m.container_entries = entries
        # A bracketed list after a name: each name in it holds the one before.
        close = paren_lists.get(m.end)
        if close is not None:
            chain = [i] + [j for j in range(i + 1, len(mentions)) if mentions[j].end <= close]
            for inner, outer in zip(chain, chain[1:]):
                _state(mentions, inner, outer, explicit=True)
            continue
        for j in range(i + 1, min(i + 3, len(mentions))):
            n = mentions[j]
            if any(doc[t].is_sent_start for t in range(m.end, n.start + 1)) or n.start - m.end > 9:
                break
            words = [t.lower_ for t in doc[m.end : n.start]]
            if words == [","] and _listed(doc, mentions, j):
                break  # "Washington, New York and Boston": a list of places, not a hierarchy
            if words and words[0] != "," and words[-1] == "of" and _TOWN_WORDS.intersection(words):
                break  # "the Hunan city of Yueyang": the town is in the first, not around it
            if _BETWEEN.match(" ".join(words)):
                explicit = bool(_HOLDING_WORDS.intersection(words)) or n.type_cue in ("adm", "adm2")
                if _state(mentions, i, j, explicit):
                    break
        # "Omdurman's Ombada district", "Somalia's Lower Shabelle region".
        k = m.end
        if k < len(doc) and doc[k].lower_ in _POSSESSIVE and i + 1 < len(mentions):
            n = mentions[i + 1]
            if n.type_cue is not None and all(t.lower_ in DIRECTIONS for t in doc[k + 1 : n.start]):
                _state(mentions, i + 1, i, explicit=True)


def _listed(doc: Doc, mentions: list[Mention], j: int) -> bool:
    """Whether mention `j` is followed by "and", "or" or a comma and then another place
    name: the middle item of a list ("A, B and C", "A, B, C")."""
    n = mentions[j]
    return (j + 1 < len(mentions) and n.end < len(doc) and doc[n.end].lower_ in ("and", "or", ",")
            and mentions[j + 1].start in (n.end + 1, n.end + 2))


def _state(mentions: list[Mention], inner: int, outer: int, explicit: bool) -> bool:
    """Record that the text places mention `inner` inside mention `outer`; True when a
    reading of it fits (or it has none to fit)."""
    m, n = mentions[inner], mentions[outer]
    if explicit and outer not in m.explicit:
        m.explicit.append(outer)
    fits = _could_contain(n, m) or (explicit and not m.candidates)
    if fits and outer not in m.containers:
        m.containers.append(outer)
        n.contained = True
    return fits


def _holds(outer: Entry, inner: Entry) -> bool:
    """Whether a reading of a stated container holds a reading of the contained name: an
    area contains it, or a town stands for its district ("Boni (Douentza, Mopti)")."""
    if outer.kind == KIND_CITY:
        if inner.adm2 is not None and inner.adm2 == outer.adm2:
            return True
        return inner.adm1 is not None and inner.adm1 == outer.adm1
    return _inside(inner, outer)


_LOCATING_KINDS = (KIND_CITY, KIND_ADM1, KIND_ADM2)


def locating_kinds(m: Mention) -> tuple[int, ...]:
    """The kinds of place whose point may stand for a name the gazetteer lacks: a town or
    a province for a town; for an area of unknown extent ("Ombada district"), only a town
    or a district."""
    return (KIND_CITY, KIND_ADM2) if m.type_cue in ("adm", "adm2") else _LOCATING_KINDS


def _place_the_unknown(mentions: list[Mention]) -> None:
    """Names the gazetteer lacks, or whose every reading lies outside the place the text
    puts them in ("Boni (Douentza, Mopti)" is not Bonn; "Beni, ..., in Gandaki province"
    is not Beni in Congo), are placed within that stated place instead. Other mentions of
    the same name follow."""
    def stated(i: int) -> list[int]:
        """Every container stated for mention i, nearest first ("Nasir (Nasir, Upper Nile)")."""
        out, queue = [], list(mentions[i].explicit)
        while queue:
            j = queue.pop(0)
            if j != i and j not in out:
                out.append(j)
                queue.extend(mentions[j].explicit)
        return out

    for i, m in enumerate(mentions):
        if not m.explicit or not m.candidates:
            continue
        outer = [o for j in stated(i) for o in mentions[j].candidates]
        # a town stated as the container says where a town or district lies; an area
        # says where anything in it lies
        judged = (KIND_CITY, KIND_ADM2) if all(o.kind == KIND_CITY for o in outer) else _AREAS + (KIND_CITY,)
        if outer:
            m.candidates = tuple(
                c for c in m.candidates
                if c.kind == KIND_COUNTRY or c.kind not in judged or any(_holds(o, c) for o in outer)
            )
    for i, m in enumerate(mentions):
        if m.candidates or not m.explicit:
            continue
        for j in stated(i):  # the nearest stated container the gazetteer knows as a town or area
            if any(c.kind in locating_kinds(m) for c in mentions[j].candidates):
                m.within = j
                break
    placed = {m.key: m.within for m in mentions if m.within is not None}
    for m in mentions:
        if m.key in placed and m.within is None and not m.explicit:
            m.candidates, m.within = (), placed[m.key]


def _drop_unplaced(mentions: list[Mention]) -> list[Mention]:
    """Mentions without a reading and without a stated place to stand in, removed (the
    indexes the others hold are renumbered)."""
    keep = [i for i, m in enumerate(mentions) if m.candidates or m.within is not None]
    if len(keep) == len(mentions):
        return mentions
    new = {old: n for n, old in enumerate(keep)}
    out = []
    for old in keep:
        m = mentions[old]
        m.containers = [new[j] for j in m.containers if j in new]
        m.explicit = [new[j] for j in m.explicit if j in new]
        m.within = new.get(m.within) if m.within is not None else None
        out.append(m)
    return [m for m in out if m.candidates or m.within is not None]


def _names_area(doc: Doc, e: int) -> bool:
    """Whether the word after a name makes it an area's name ("Somali region")."""
    return e < len(doc) and TYPE_WORDS.get(doc[e].lower_) in ("adm", "adm2")


def _small_other_spelling(c: Entry) -> bool:
    """A small place met through one of GeoNames' alternate spellings (or a skeleton):
    too weak a reading to stand without a clear sign that a place is meant."""
    return c.form >= FORM_ALTERNATE and c.population < 10_000


def _clear_sign(doc: Doc, s: int, e: int, paren: bool) -> bool | str:
    """Whether the words around a name say plainly that it is a place: "strong" for a
    type word ("the town of Tal Afar", "Ombada district") or a bracketed list of places
    after or around it; True for a locative preposition ("in Babanusa")."""
    if paren or _type_cue(doc, s, e) is not None:
        return "strong"
    return _locative_before(doc, s)


def _hyphen_glued(toks: _Tokens, s: int, e: int) -> bool:
    """A name glued by a hyphen to a word before or after it ("Neo-classicism",
    "Mubarak-Gore"): part of a compound, not a name standing alone."""
    after = e + 1 < len(toks.text) and toks.text[e] == "-" and not toks.ws[e - 1] and not toks.ws[e]
    before = s >= 2 and toks.text[s - 1] == "-" and not toks.ws[s - 2] and not toks.ws[s - 1]
    return after or before


def _inside_paren_list(s: int, e: int, paren_lists: dict[int, int]) -> bool:
    return any(o < s and e <= c for o, c in paren_lists.items() if o >= s - 16)


def _paren_lists(toks: _Tokens, found: dict[str, tuple[Entry, ...]]) -> dict[int, int]:
    """Bracketed lists of places after a name, the way conflict data and wire lists give a
    place's district and province: "(Douentza, Mopti)", "(Banadir)". Index of the opening
    bracket -> index of the closing one. A lone acronym ("(JNIM)") is no such list."""
    out: dict[int, int] = {}
    n = len(toks.text)
    for i, t in enumerate(toks.text):
        if t != "(" or i + 2 >= n or not toks.name[i + 1]:
            continue
        j = i + 1
        while j < n and j - i <= 16 and toks.text[j] not in BRACKETS:
            j += 1
        if j >= n or toks.text[j] != ")":
            continue
        inner = range(i + 1, j)
        if not all(toks.name[k] or toks.lower[k] in CONNECTORS or toks.text[k] in {",", "'", "’"} for k in inner):
            continue
        text = toks.span_text(i + 1, j)
        if any(toks.text[k] == "," for k in inner) or any(
            c.form <= FORM_ALIAS and c.kind in (KIND_COUNTRY, KIND_ADM1, KIND_ADM2) for c in found.get(text, ())
        ):
            out[i] = j
    return out


def _listing(toks: _Tokens, paren_lists: dict[int, int], open_: int) -> bool:
    """Whether the bracketed list at `open_` names two places or more ("(Douentza, Mopti)")."""
    return any(toks.text[k] == "," for k in range(open_ + 1, paren_lists[open_]))


def _unknown_spans(doc: Doc, toks: _Tokens, merged: list[tuple[int, int, str]],
                   name_runs: list[tuple[int, int]], ent_at: list, paren_lists: dict[int, int],
                   trimmed: dict[tuple[int, int], tuple[int, int]]):
    """Names that may be places the gazetteer lacks: the model's place mentions, and
    capitalised names followed by a bracketed list of places, by a type word ("Ombada
    district") or after a locative preposition."""
    for s, e, label in merged:
        if all(toks.name[t] or toks.lower[t] in CONNECTORS for t in range(s, e)):
            yield s, e, label
    for s, e in name_runs:
        if e - s > 4 or not (e in paren_lists or _may_be_place(doc, toks, s, e)
                             or (e + 1 < len(doc) and toks.lower[e] in ("in", "near", ","))):
            continue
        touched = {ent_at[t] for t in range(s, e) if ent_at[t] is not None}
        if any(trimmed[es, ee][0] < s or trimmed[es, ee][1] > e for es, ee, _ in touched):
            continue
        label = sorted(touched)[0][2] if touched else ""
        # A type word makes even a name the model took for an organisation a place ("the
        # coastal village of Mucojo"); a preposition alone does not ("handed over to the
        # Somali National Army in the Hiraan region").
        plain = label in ("", "NORP", *PLACE_LABELS)
        if e in paren_lists:
            if plain or _listing(toks, paren_lists, e):
                yield s, e, label
        elif toks.sent_start[s] or label == "PERSON":
            continue
        elif e < len(doc) and doc[e].is_lower and TYPE_WORDS.get(doc[e].lower_) in ("adm2", "city"):
            yield s, e, label  # "Omdurman's Ombada district"
        elif s >= 2 and doc[s - 1].lower_ == "of" and TYPE_WORDS.get(doc[s - 2].lower_) in ("adm2", "city"):
            yield s, e, label  # "the coastal village of Mucojo"
        elif plain and _locative_before(doc, s):
            yield s, e, label
        elif plain and e + 1 < len(doc) and doc[e].lower_ in ("in", "near", ","):
            yield s, e, label  # "control of Nyanzale in Rutshuru territory"


def _could_contain(outer: Mention, inner: Mention) -> bool:
    return any(
        o.kind in (KIND_COUNTRY, KIND_ADM1, KIND_ADM2, KIND_REGION) and _inside(c, o)
        for o in outer.candidates for c in inner.candidates if c.pid != o.pid
    )


def _inside(c: Entry, area: Entry) -> bool:
    if area.kind == KIND_COUNTRY:
        return c.country == area.country and c.kind != KIND_COUNTRY
    if area.kind == KIND_ADM1:
        return c.adm1 == area.pid
    if area.kind == KIND_ADM2:
        return c.adm2 == area.pid
    if area.kind == KIND_REGION and area.country:
        return c.country == area.country and c.kind not in (KIND_COUNTRY, KIND_REGION)
    return False


# Actors whose country says where a story happens: a group fights, an army deploys, a
# government and its police act, at home (a state itself is named as a place already).
FOCUS_ACTOR_TYPES = frozenset({"armed_group", "military", "government", "police", "political_party"})


@lru_cache(maxsize=1)
def actor_countries() -> dict[str, str]:
    """Folded knowledge-base name -> the country of the actors it names, for the actor
    types above; names shared by actors of different countries are left out."""
    from newsint.kb import load_kb

    kb = load_kb()
    seen: dict[str, set[str]] = defaultdict(set)
    for form, actor_id in kb.names():
        actor = kb.actors[actor_id]
        if actor.type in FOCUS_ACTOR_TYPES:
            seen[fold(form)].add(actor.country or "")
    return {name: next(iter(cs)) for name, cs in sorted(seen.items()) if len(cs) == 1 and "" not in cs}


def _focus_signals(doc: Doc, toks: _Tokens, ents, found, mentions: list[Mention]) -> dict[str, float]:
    """Country votes from words that are not places but say where the story is: demonyms
    ("Afghan officials"), the armed groups, armies and governments the knowledge base
    knows ("al-Shabaab", "JNIM", "Boko Haram"), and organisation names holding a place
    ("Kabul University")."""
    votes: dict[str, float] = defaultdict(float)
    demonym = demonyms()
    actors = actor_countries()
    taken = set()
    for m in mentions:
        taken.update(range(m.start, m.end))
    for s, e, label in ents:
        if label == "NORP" or label in MISLABEL_LABELS:
            for t in doc[s:e]:
                place = demonym.get(fold(t.text))
                if place and len(place) == 2:
                    votes[place] += 1.0
        if label not in PLACE_LABELS:
            ts = s + 1 if toks.lower[s] in ("the", "a", "an") else s
            country = actors.get(fold(toks.span_text(ts, e))) if ts < e else None
            if country:
                votes[country] += 1.0
    for s, e, label in ents:
        if label in {"ORG", "FAC"} and not any(t in taken for t in range(s, e)):
            for rs, re_ in _name_runs(toks, s, e):
                for ss, se in _sub_spans(toks, rs, re_):
                    for c in found.get(toks.span_text(ss, se), ())[:1]:
                        if c.form <= FORM_ALIAS and c.kind in (KIND_COUNTRY, KIND_ADM1) and c.country:
                            votes[c.country] += 0.5
    return dict(votes)


_CAPITALISED = re.compile(r"[A-Z][\w'’.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’.-]*)*")


def _metadata_signals(article: Article, gaz: Gazetteer) -> dict[str, float]:
    """Country votes from the outlet's name ("Kabul Times", "Gulf News") and the title
    (not part of the analysed text): countries and first-level areas by their own names,
    and demonyms. The outlet's home is a strong prior for what its stories are about."""
    votes: dict[str, float] = defaultdict(float)
    demonym = demonyms()
    for text, weight in ((article.outlet, 1.0), (article.title, 0.5)):
        if not text:
            continue
        phrases = []
        for run in _CAPITALISED.findall(text):
            words = run.split()
            phrases += [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 4) + 1)]
        keys = {k for p in phrases for k in lookup_keys(p)}
        found = gaz.lookup(keys)
        for p in sorted(set(phrases)):
            place = demonym.get(fold(p))
            if place and len(place) == 2:
                votes[place] += weight
                continue
            cands = [c for k in lookup_keys(p) for c in found.get(k, ())]
            strong = [c for c in cands if c.form <= FORM_ALIAS and c.kind in (KIND_COUNTRY, KIND_ADM1) and c.country]
            if strong:
                votes[strong[0].country] += weight
    return dict(votes)


# ---------------------------------------------------------------------------------------
# Resolution


FEATURES = (
    "bias_country", "bias_adm1", "bias_adm2", "bias_city", "bias_continent", "bias_region",
    "log_population", "log_population_ratio", "most_populous", "capital", "form_alias",
    "form_alternate", "exact_name", "focus_share", "focus_top", "country_named",
    "area_mentioned", "in_container", "container_missed", "type_match", "type_mismatch",
    "closeness", "named_for_its_city", "contained_area", "largest_area", "province_share",
    "in_named_area", "holds_named_place", "capital_of_focus",
)
# Features read from the rest of the document's readings: left out of the first pass.
CONTEXT_FEATURES = frozenset(
    {"focus_share", "focus_top", "country_named", "area_mentioned", "closeness", "province_share",
     "capital_of_focus"}
)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_KIND_BIAS = {
    KIND_COUNTRY: "bias_country", KIND_ADM1: "bias_adm1", KIND_ADM2: "bias_adm2",
    KIND_CITY: "bias_city", KIND_CONTINENT: "bias_continent", KIND_REGION: "bias_region",
}
_TYPE_KINDS = {
    "adm": (KIND_ADM1, KIND_ADM2), "adm2": (KIND_ADM2,), "city": (KIND_CITY,),
    "country": (KIND_COUNTRY,),
}
_AREAS = (KIND_COUNTRY, KIND_ADM1, KIND_ADM2, KIND_REGION)


@dataclass
class Context:
    """What the rest of the document says, from the current best reading of each mention.
    Votes are kept per name so that a mention's own votes can be left out when it is
    judged (a name mentioned seven times must not vote itself into its own country)."""

    votes: dict[str, float] = field(default_factory=dict)  # country -> votes
    votes_by_key: dict[str, dict[str, float]] = field(default_factory=dict)
    province_votes: dict[int, float] = field(default_factory=dict)  # adm1 pid -> votes
    province_votes_by_key: dict[str, dict[int, float]] = field(default_factory=dict)
    # From every reading of every name, whatever is chosen: which names could be an
    # area, and which names have a reading inside an area.
    area_readings: dict[int, set[str]] = field(default_factory=dict)
    inside_readings: dict[int, set[str]] = field(default_factory=dict)
    named_countries: dict[str, set[str]] = field(default_factory=dict)  # country -> keys naming it
    areas: dict[int, set[str]] = field(default_factory=dict)  # area pid -> keys naming it
    points: list[tuple[str, float, float]] = field(default_factory=list)  # (key, lat, lon)
    _focus: dict[str, tuple[dict[str, float], str | None]] = field(default_factory=dict)

    def focus(self, key: str) -> tuple[dict[str, float], str | None]:
        """Country shares of the votes of every other name, and the leading country."""
        cached = self._focus.get(key)
        if cached is None:
            cached = self._focus[key] = self._compute_focus(key)
        return cached

    def _compute_focus(self, key: str) -> tuple[dict[str, float], str | None]:
        own = self.votes_by_key.get(key, {})
        votes = {c: v - own.get(c, 0.0) for c, v in self.votes.items()}
        votes = {c: v for c, v in votes.items() if v > 1e-9}
        total = sum(votes.values())
        if not total:
            return {}, None
        return {c: v / total for c, v in votes.items()}, max(sorted(votes), key=lambda c: votes[c])

    def province_share(self, key: str, pid: int | None) -> float:
        if pid is None:
            return 0.0
        own = self.province_votes_by_key.get(key, {})
        total = sum(self.province_votes.values()) - sum(own.values())
        if total <= 1e-9:
            return 0.0
        return max(0.0, self.province_votes.get(pid, 0.0) - own.get(pid, 0.0)) / total


# Regions and seas have no population; as a prior they weigh like a populous country
# (news names "the Middle East", not the hamlet of that name in Maryland).
REGION_PROMINENCE = 10_000_000


def _prominence(c: Entry) -> int:
    return max(c.population, REGION_PROMINENCE) if c.kind in (KIND_REGION, KIND_CONTINENT) else c.population


def candidate_features(m: Mention, mentions: list[Mention], ctx: Context) -> list[list[float]]:
    """The ranker's view of each candidate of one mention (rows in FEATURES order)."""
    if not m.candidates:
        return []
    index = {n: i for i, n in enumerate(FEATURES)}
    top_population = max(_prominence(o) for o in m.candidates)
    largest: dict[int, int] = {}
    for o in m.candidates:
        largest[o.kind] = max(largest.get(o.kind, 0), o.population)
    with_town = {a for o in m.candidates if o.kind == KIND_CITY for a in (o.adm1, o.adm2) if a is not None}
    stated = bool(m.containers or m.container_entries)
    outer = [o for j in m.containers for o in mentions[j].candidates] + list(m.container_entries)
    focus, top = ctx.focus(m.key)
    named = {c for c, keys in ctx.named_countries.items() if keys - {m.key}}
    areas = {a for a, keys in ctx.areas.items() if keys - {m.key}}
    area_readings = {a for a, keys in ctx.area_readings.items() if keys - {m.key}}
    points = sorted({(round(lat, 2), round(lon, 2)) for key, lat, lon in ctx.points if key != m.key})
    kinds = _TYPE_KINDS.get(m.type_cue) if m.type_cue else None
    rows = []
    for c in m.candidates:
        f = [0.0] * len(FEATURES)
        f[index[_KIND_BIAS[c.kind]]] = 1.0
        population = _prominence(c)
        f[index["log_population"]] = math.log10(1 + population) / 7.0
        f[index["log_population_ratio"]] = (
            math.log10(1 + population) - math.log10(1 + top_population)
        ) / 7.0
        f[index["most_populous"]] = float(population == top_population)
        f[index["capital"]] = float(c.feature == "PPLC")
        f[index["form_alias"]] = float(c.form == FORM_ALIAS)
        f[index["form_alternate"]] = float(c.form >= FORM_ALTERNATE)
        f[index["exact_name"]] = float(fold(c.name) == m.key)
        if c.country:
            f[index["focus_share"]] = focus.get(c.country, 0.0)
            f[index["focus_top"]] = float(c.country == top)
            f[index["country_named"]] = float(c.country in named)
            f[index["capital_of_focus"]] = float(c.feature == "PPLC" and c.country == top)
        if (c.adm1 is not None and c.adm1 in areas) or (c.adm2 is not None and c.adm2 in areas):
            f[index["area_mentioned"]] = 1.0
        if stated:
            inside = any(_inside(c, o) for o in outer)
            f[index["in_container"] if inside else index["container_missed"]] = 1.0
        if kinds is not None:
            f[index["type_match" if c.kind in kinds else "type_mismatch"]] = 1.0
        if points:
            nearest = min(_km(c.lat, c.lon, lat, lon) for lat, lon in points)
            f[index["closeness"]] = max(0.0, 1.0 - math.log10(1.0 + nearest) / 4.0)
        if c.kind in (KIND_ADM1, KIND_ADM2):
            f[index["named_for_its_city"]] = float(c.pid in with_town)
            f[index["largest_area"]] = float(c.population == largest[c.kind])
            f[index["holds_named_place"]] = float(bool(ctx.inside_readings.get(c.pid, set()) - {m.key}))
        f[index["contained_area"]] = float(m.contained and c.kind in _AREAS)
        f[index["province_share"]] = ctx.province_share(m.key, c.pid if c.kind == KIND_ADM1 else c.adm1)
        f[index["in_named_area"]] = float(
            (c.adm1 is not None and c.adm1 in area_readings) or (c.adm2 is not None and c.adm2 in area_readings)
        )
        rows.append(f)
    return rows


def _readings(mentions: list[Mention]) -> Context:
    ctx = Context()
    for m in mentions:
        for c in m.candidates:
            if c.kind in (KIND_ADM1, KIND_ADM2):
                ctx.area_readings.setdefault(c.pid, set()).add(m.key)
            for a in (c.adm1, c.adm2):
                if a is not None:
                    ctx.inside_readings.setdefault(a, set()).add(m.key)
    return ctx


def _context(mentions: list[Mention], chosen: list[tuple[Entry, float]], signals: dict[str, float],
             readings: Context) -> Context:
    ctx = Context(votes=dict(signals), area_readings=readings.area_readings,
                  inside_readings=readings.inside_readings)
    seen: set[str] = set()
    for m, pick in zip(mentions, chosen):
        if pick is None or not m.candidates:
            continue
        c, p = pick
        weight = p * m.evidence
        if c.country and m.key not in seen:
            ctx.votes[c.country] = ctx.votes.get(c.country, 0.0) + weight
            own = ctx.votes_by_key.setdefault(m.key, {})
            own[c.country] = own.get(c.country, 0.0) + weight
            province = c.pid if c.kind == KIND_ADM1 else c.adm1
            if province is not None:
                ctx.province_votes[province] = ctx.province_votes.get(province, 0.0) + weight
                mine = ctx.province_votes_by_key.setdefault(m.key, {})
                mine[province] = mine.get(province, 0.0) + weight
        seen.add(m.key)
        if weight < 0.5:
            continue
        if c.kind == KIND_COUNTRY:
            ctx.named_countries.setdefault(c.country, set()).add(m.key)
        if c.kind in (KIND_ADM1, KIND_ADM2):
            ctx.areas.setdefault(c.pid, set()).add(m.key)
        if c.kind in (KIND_CITY, KIND_ADM2, KIND_ADM1):
            ctx.points.append((m.key, c.lat, c.lon))
    return ctx


@dataclass
class Resolution:
    # per mention: the entry and its probability; for a name the gazetteer lacks, the
    # entry of the place the text puts it in (None when that has none)
    chosen: list[tuple[Entry, float] | None]
    features: list[list[list[float]]]  # per mention, per candidate: the last pass's features


def resolve_mentions(
    mentions: list[Mention], signals: dict[str, float], weights: tuple[float, ...] | None = None
) -> Resolution:
    """Choose a candidate for each mention: a prior-only pass, then two passes that read
    the document's context from the pass before."""
    weights = weights or ranker_weights()
    prior = tuple(0.0 if n in CONTEXT_FEATURES else w for n, w in zip(FEATURES, weights))
    readings = _readings(mentions)
    resolution = _choose(mentions, readings, prior)
    for _ in range(2):
        resolution = _choose(mentions, _context(mentions, resolution.chosen, signals, readings), weights)
    ctx = _context(mentions, resolution.chosen, signals, readings)
    for i, m in enumerate(mentions):
        pick = resolution.chosen[i]
        if pick is not None and _stray_hamlet(m, pick[0], ctx):
            resolution.chosen[i] = None
    for i, m in enumerate(mentions):
        pick = resolution.chosen[i]
        if pick is None or m.type_cue or m.containers or m.container_entries:
            continue  # the text says what it is, or where
        entry = pick[0]
        # (a town of the province named in the story keeps the province: "Seattle")
        if not any(other is not None and other[0].adm1 == entry.pid for other in resolution.chosen):
            entry = _namesake_capital(m, entry) or entry
        entry = _namesake_country(m, entry, ctx) or entry
        resolution.chosen[i] = (entry, pick[1])
    for i, m in enumerate(mentions):
        if not m.candidates and m.within is not None:
            resolution.chosen[i] = resolution.chosen[m.within]
    return resolution


def _namesake_country(m: Mention, chosen: Entry, ctx: Context) -> Entry | None:
    """A country named like a province elsewhere ("Georgia"): the country, unless something
    else in the story points to the province's country (Atlanta, the US, a US outlet)."""
    if chosen.feature != "ADM1":
        return None
    country = next((c for c in m.candidates if c.kind == KIND_COUNTRY and c.country != chosen.country), None)
    if country is None:
        return None
    own = ctx.votes_by_key.get(m.key, {})
    others = ctx.votes.get(chosen.country, 0.0) - own.get(chosen.country, 0.0)
    return country if others <= 1e-9 else None


def _namesake_capital(m: Mention, chosen: Entry) -> Entry | None:
    """A national capital named like a province of its own country ("Washington"): news
    means the capital unless the text says state or province, and the population prior,
    which counts the whole province, must not decide."""
    if chosen.feature != "ADM1":
        return None
    return next((c for c in m.candidates if c.feature == "PPLC" and c.country == chosen.country), None)


# A village this small, in a country nothing else in the story points to, is a stray
# reading of a name the gazetteer lacks ("the Arbat area" of Sulaymaniyah is not Arbat in
# Armenia; a woman named Amina is not a Dominican village).
STRAY_POPULATION = 5_000
STRAY_FOCUS_VOTES = 2.0


def _stray_hamlet(m: Mention, c: Entry, ctx: Context) -> bool:
    if c.kind != KIND_CITY or c.population >= STRAY_POPULATION or m.containers or m.container_entries:
        return False
    own = ctx.votes_by_key.get(m.key, {})
    others = {k: v - own.get(k, 0.0) for k, v in ctx.votes.items()}
    return others.get(c.country, 0.0) <= 1e-9 and sum(v for v in others.values() if v > 0) >= STRAY_FOCUS_VOTES


def _choose(mentions: list[Mention], ctx: Context, weights: tuple[float, ...]) -> Resolution:
    features = [candidate_features(m, mentions, ctx) for m in mentions]
    scores = [[sum(x * w for x, w in zip(row, weights)) for row in rows] for rows in features]
    # Mentions of one name agree: they pool their evidence, except a mention the text
    # places itself ("Paris, Texas"), which decides alone and lends the others half a vote.
    pooled: dict[str, dict[int, float]] = {}
    for m, row in zip(mentions, scores):
        share = 0.5 if (m.containers or m.container_entries) else 1.0
        total = pooled.setdefault(m.key, defaultdict(float))
        for c, s in zip(m.candidates, row):
            total[c.pid] += share * s
    counts: dict[str, float] = defaultdict(float)
    for m in mentions:
        counts[m.key] += 0.5 if (m.containers or m.container_entries) else 1.0
    chosen: list[tuple[Entry, float] | None] = []
    for m, row in zip(mentions, scores):
        if not m.candidates:
            chosen.append(None)
            continue
        if m.containers or m.container_entries:
            s = {c.pid: v for c, v in zip(m.candidates, row)}
        else:
            s = {pid: v / counts[m.key] for pid, v in pooled[m.key].items()}
        best = max(m.candidates, key=lambda c: (s[c.pid], c.population, -c.pid))
        z = sum(math.exp(v - s[best.pid]) for v in s.values())
        chosen.append((best, 1.0 / z))
    return Resolution(chosen, features)


# What a name the gazetteer lacks is taken to be, by the type word beside it.
_UNKNOWN_FEATURE = {None: "PPL", "city": "PPL"}


def resolve_places(doc: Doc, article: Article, entities: list[Entity]) -> list[Place]:
    if not len(doc):
        return []
    gaz = get_gazetteer()
    mentions, signals = find_mentions(doc, entities, gaz)
    if not mentions:
        return []
    for country, votes in _metadata_signals(article, gaz).items():
        signals[country] = signals.get(country, 0.0) + votes
    resolution = resolve_mentions(mentions, signals)
    ids: dict[int, str] = {}
    for i, (m, pick) in enumerate(zip(mentions, resolution.chosen)):
        # A name placed within another stands at that place's point only when that is a
        # town or a province, not a whole country.
        if pick is not None and (m.candidates or pick[0].kind in locating_kinds(m)):
            ids[i] = f"p{len(ids) + 1}"
    places = []
    for i, (m, pick) in enumerate(zip(mentions, resolution.chosen)):
        if i not in ids:
            continue
        entry, p = pick
        span = doc[m.start : m.end]
        admin1 = entry.name if entry.kind == KIND_ADM1 else gaz.name_of(entry.adm1)
        known = bool(m.candidates)
        places.append(
            Place(
                id=ids[i],
                start=span.start_char,
                end=span.end_char,
                text=span.text,
                name=entry.name if known else span.text,
                geonameid=entry.geonameid if known else None,
                lat=entry.lat,
                lon=entry.lon,
                country=entry.country,
                admin1=admin1,
                feature=entry.feature if known else _UNKNOWN_FEATURE.get(m.type_cue),
                confidence=round(p * m.evidence * (1.0 if known else 0.5), 3),
                within=None if known else ids.get(m.within),
            )
        )
    return places
