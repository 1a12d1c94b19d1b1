"""The `newsint/1` record: plain typed values, serialised to the JSON in DESIGN.md.

Every layer returns lists of these structs; nothing else crosses a layer boundary.
Offsets are Python string indices (code points) into `Article.text`. Field order here is
the field order in the JSON output, so output is byte-for-byte stable.

Fields may be added to the contract; none of the DESIGN.md fields may be renamed or dropped
without a new schema version.
"""

from __future__ import annotations

import msgspec

SCHEMA_VERSION = "newsint/1"

Span = tuple[int, int]

ACTOR_TYPES = (
    "person",
    "state",
    "government",
    "military",
    "police",
    "armed_group",
    "political_party",
    "media_outlet",
    "international_org",
    "civilians",
    "other",
)

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    "OTHER",
)

MODALITIES = ("asserted", "reported", "negated", "hypothetical", "forecast")


class Article(msgspec.Struct, kw_only=True):
    """One input document. `id` is the input's own id or a hash of the normalised text."""

    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None  # YYYY-MM-DD
    lang: str = "en"
    text: str


class Entity(msgspec.Struct, kw_only=True):
    """A named-entity mention, linked to an actor when it names one."""

    id: str
    start: int
    end: int
    text: str
    type: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...
    actor: str | None = None


class Actor(msgspec.Struct, kw_only=True):
    """Someone who can act or speak: a person, state, group, outlet...

    `kb` is the stable knowledge-base id (None for people found only in this article);
    `mentions` lists the entity ids that refer to this actor.
    """

    id: str
    name: str
    type: str  # one of ACTOR_TYPES
    aliases: list[str] = []
    country: str | None = None  # ISO 3166-1 alpha-2
    kb: str | None = None
    wikidata: str | None = None
    parent: str | None = None  # kb id of the organisation this one belongs to
    mentions: list[str] = []


class Place(msgspec.Struct, kw_only=True):
    """A toponym mention resolved to a GeoNames entry."""

    id: str
    start: int
    end: int
    text: str
    name: str
    geonameid: int | None
    lat: float
    lon: float
    country: str | None  # ISO 3166-1 alpha-2
    admin1: str | None
    feature: str | None  # GeoNames feature code: PCLI, ADM1, ADM2, PPLA, PPL, RGN...
    confidence: float


class Interval(msgspec.Struct, kw_only=True):
    """A calendar interval, both ends inclusive, as YYYY-MM-DD."""

    begin: str
    end: str


class Time(msgspec.Struct, kw_only=True):
    """A TIMEX3 expression normalised against `Article.published`.

    `interval` is the span of calendar days the value covers, when it covers days
    (it is a nested object because `end` is already the character offset); for a duration
    anchored at publication ("within six months", "the past two weeks") the days it spans.
    `signal` is the preposition that introduces the expression ("since August": since),
    which TimeML keeps outside the expression's span.
    """

    id: str
    start: int
    end: int
    text: str
    type: str  # DATE, TIME, DURATION, SET
    value: str  # TIMEX3 value: 2021-10-25, 2021-W43, P20Y, PAST_REF...
    mod: str | None = None  # START, END, MID, APPROX, BEFORE, AFTER, ...
    interval: Interval | None = None
    signal: str | None = None  # the preposition before it: since, by, within, until...


class Mention(msgspec.Struct, kw_only=True):
    """A span naming a speaker, addressee or source, with its actor."""

    start: int
    end: int
    text: str
    actor: str | None = None


class Speaker(msgspec.Struct, kw_only=True):
    """Who made a statement.

    `start`/`end`/`text` point at the fullest name the article gives for the speaker;
    `mention` is the span in the statement's own sentence that refers to them (which may
    be a pronoun or a description).
    """

    start: int
    end: int
    text: str
    actor: str | None = None
    role: str | None = None
    organisation: str | None = None
    mention: Span | None = None


class Statement(msgspec.Struct, kw_only=True):
    """Direct, indirect or mixed speech, with the chain through which it reaches the reader."""

    id: str
    kind: str  # direct, indirect, mixed
    content: Span
    cue: Span | None = None
    speaker: Speaker | None = None
    addressee: Mention | None = None
    via: list[str] = []  # statement ids, or "outlet:NAME"
    sentences: list[int] = []  # indexes of the sentences the statement covers
    cites: list[Mention] = []  # sources the speaker cites ("Citing officials, X reported")


class EventActor(msgspec.Struct, kw_only=True):
    """A participant in an event. `start`/`end`/`text` point at the words naming it in
    this event's clause (which may name no entity: "gunmen", "villagers")."""

    role: str  # source, target, victims
    actor: str | None = None
    entity: str | None = None
    start: int | None = None
    end: int | None = None
    text: str | None = None


class EventTime(msgspec.Struct, kw_only=True):
    start: str
    end: str


class Event(msgspec.Struct, kw_only=True):
    """Who did what to whom, where, when, how many died, and who says so."""

    id: str
    type: str  # one of PLOVER_TYPES
    mode: str | None = None  # PLOVER mode: firearms, explosives, aerial, ...
    acled: list[str] | None = None  # [event type, sub-event type]
    cameo: str | None = None  # CAMEO root code, two digits
    trigger: Span
    actors: list[EventActor] = []
    place: str | None = None  # place id
    time: EventTime | None = None
    times: list[str] = []  # time ids the date comes from
    fatalities: int | None = None
    injuries: int | None = None
    modality: str = "asserted"  # one of MODALITIES
    statement: str | None = None  # id of the statement that reports it
    evidence: list[Span] = []


class Framing(msgspec.Struct, kw_only=True):
    id: str
    start: int
    end: int
    text: str
    technique: str


class SourceNode(msgspec.Struct, kw_only=True):
    id: str
    kind: str  # outlet, article, person, group, description
    name: str
    actor: str | None = None


class SourceEdge(msgspec.Struct, kw_only=True):
    source: str  # node id of the one who reports / cites / quotes
    target: str  # node id of the one reported / cited / quoted
    relation: str  # reports, cites, quotes
    statements: list[str] = []


class Sources(msgspec.Struct, kw_only=True):
    """Who cites whom in this article: the sourcing chains of its statements as a graph."""

    nodes: list[SourceNode] = []
    edges: list[SourceEdge] = []


class Record(msgspec.Struct, kw_only=True):
    """Everything newsint extracted from one article."""

    schema: str = SCHEMA_VERSION
    article: Article
    entities: list[Entity] = []
    actors: list[Actor] = []
    places: list[Place] = []
    times: list[Time] = []
    statements: list[Statement] = []
    events: list[Event] = []
    framing: list[Framing] = []
    sources: Sources = msgspec.field(default_factory=Sources)

    def to_json(self) -> str:
        """The record as one line of JSON (the `newsint analyze` output format)."""
        return _encoder.encode(self).decode("utf-8")

    def to_dict(self) -> dict:
        return msgspec.to_builtins(self)

    @classmethod
    def from_json(cls, data: str | bytes) -> Record:
        return msgspec.json.decode(data, type=cls)


_encoder = msgspec.json.Encoder()
