"""Cross-article event clusters, and the independent origin of each report.

Ten outlets telling of one clash are ten *reports* of one *event*. This module decides which
reports belong together (a cluster) and how many of them are independent: reports whose
sourcing chains lead back to the same origin (three outlets rewriting one agency story)
count once.

Everything here is a small pure function of plain values, so the store can feed it rows
from DuckDB and tests can feed it hand-built records.

- `event_origin(record, event)`: who originally reported an event, from the statements'
  `via` chains and the `sources` graph.
- `participant_key(actor)`: a cross-article identity for an actor (its knowledge-base id,
  or for state forces the country they belong to).
- `cluster_reports(reports, rules)`: the clusters, deterministic whatever the input order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from newsint.data import data_path
from newsint.schema import Actor, Event, Record, Statement

# ---------------------------------------------------------------------------------------
# Names and identities


_NON_WORD = re.compile(r"[^\w]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


def normalise_name(name: str) -> str:
    """A name compared across articles: case, accents, punctuation and a leading article
    do not tell two outlets apart ("The Wall Street Journal" == "Wall Street Journal")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _NON_WORD.sub(" ", text).strip()
    return _LEADING_ARTICLE.sub("", text)


def actor_key(actor: Actor) -> str:
    """Stable identity of an actor across articles: its knowledge-base id when linked,
    else its normalised name (an actor known only from one article has no better id)."""
    if actor.kb:
        return f"kb:{actor.kb}"
    return f"name:{normalise_name(actor.name)}"


# Actors whose names differ between outlets but who are one side of a conflict: ACLED codes
# a country's army, police and government alike as that country's state forces.
STATE_SIDE_TYPES = frozenset({"state", "government", "military", "police"})

# Actor types that identify a side of an event well enough to tell two events apart.
# People are left out (outlets name different commanders or victims of the same clash),
# and so are civilians and "other" (descriptions such as "gunmen", "residents").
IDENTIFYING_TYPES = frozenset(
    {"state", "government", "military", "police", "armed_group", "political_party",
     "international_org"}
)


def participant_key(actor: Actor | None) -> str | None:
    """The identity used to compare the sides of two events, or None when the actor does
    not identify a side (a person, civilians, an unlinked mention)."""
    if actor is None or actor.type not in IDENTIFYING_TYPES:
        return None
    if actor.type in STATE_SIDE_TYPES and actor.country:
        return f"state:{actor.country.upper()}"
    return actor_key(actor)


# ---------------------------------------------------------------------------------------
# Origins: who first reported what an article tells


@dataclass(frozen=True, slots=True)
class Origin:
    """An outlet or agency a report comes from: `key` compares, `name` displays."""

    key: str
    name: str


@lru_cache(maxsize=1)
def _outlet_heads() -> frozenset[str]:
    raw = json.loads(data_path("corpus/outlets.json").read_text(encoding="utf-8"))
    return frozenset(raw["head_words"])


def looks_like_outlet(name: str) -> bool:
    """A proper name of two or more words ending in a news organisation's head word
    ("Example Wire", "The Kabul Times"); descriptions ("the agency", "a local monitor")
    are not names."""
    words = name.split()
    if len(words) < 2 or not words[-1][:1].isupper():
        return False
    return normalise_name(words[-1]) in _outlet_heads()


def _media_actors(record: Record) -> dict[str, Actor]:
    return {a.id: a for a in record.actors if a.type == "media_outlet"}


def outlet_origin(name: str, record: Record) -> Origin:
    """The origin for an outlet named in or publishing `record`, keyed by its knowledge-base
    id when one of the record's media actors carries that name or alias."""
    norm = normalise_name(name)
    for actor in _media_actors(record).values():
        names = [actor.name, *actor.aliases]
        if any(normalise_name(n) == norm for n in names):
            return Origin(actor_key(actor), actor.name)
    return Origin(f"name:{norm}", name.strip())


def publisher(record: Record) -> Origin:
    """The outlet that published the article; an article of unknown outlet is its own
    publisher (it cannot be shown to share an outlet with any other article)."""
    outlet = record.article.outlet
    if outlet and normalise_name(outlet):
        return outlet_origin(outlet, record)
    return Origin(f"article:{record.article.id}", f"article {record.article.id}")


def _speaker_origin(statement: Statement, record: Record) -> Origin | None:
    """The statement's speaker as an origin, when the speaker is a news outlet or agency."""
    speaker = statement.speaker
    if speaker is None:
        return None
    media = _media_actors(record)
    if speaker.actor and speaker.actor in media:
        return Origin(actor_key(media[speaker.actor]), media[speaker.actor].name)
    # A speaker the actor layer did not link may still be an outlet node of the graph.
    norm = normalise_name(speaker.text)
    for node in record.sources.nodes:
        if node.kind == "outlet" and normalise_name(node.name) == norm:
            if node.actor and node.actor in media:
                return Origin(actor_key(media[node.actor]), media[node.actor].name)
            return outlet_origin(node.name, record)
    # ... or an outlet the knowledge base does not know, by the form of its name.
    actor = next((a for a in record.actors if a.id == speaker.actor), None)
    if (actor is None or actor.kb is None) and looks_like_outlet(speaker.text):
        return outlet_origin(speaker.text, record)
    return None


def statement_chain(record: Record, statement_id: str | None) -> list[Statement | str]:
    """The chain from a statement out to the reader: the statement, the report carrying it,
    and so on, ending at an `outlet:NAME` / `article` entry when the chain names one.
    Follows the first `via` entry at each step; stops at cycles."""
    by_id = {s.id: s for s in record.statements}
    chain: list[Statement | str] = []
    seen: set[str] = set()
    current = statement_id
    while current is not None and current not in seen:
        seen.add(current)
        statement = by_id.get(current)
        if statement is None:
            chain.append(current)  # an outlet:NAME or article entry
            break
        chain.append(statement)
        current = statement.via[0] if statement.via else None
    return chain


def _credited_outlet(record: Record, own: Origin) -> Origin | None:
    """A wire credit for the whole article: an edge from the publishing outlet (or the
    article) to another outlet that carries no particular statement ("(Reuters) -")."""
    nodes = {n.id: n for n in record.sources.nodes}
    for edge in record.sources.edges:
        src, dst = nodes.get(edge.source), nodes.get(edge.target)
        if src is None or dst is None or edge.statements:
            continue
        if src.kind in {"outlet", "article"} and dst.kind == "outlet":
            cited = outlet_origin(dst.name, record)
            if cited.key != own.key:
                if src.kind == "article" or outlet_origin(src.name, record).key == own.key:
                    return cited
    return None


def event_origin(record: Record, event: Event) -> Origin:
    """Where the report of `event` comes from: the innermost news outlet in the chain of
    the statement that reports it ("Reuters reported ... AFP said" comes from AFP if the
    chain says AFP told Reuters); else a wire credit for the whole article; else the
    publishing outlet itself (its own reporting)."""
    own = publisher(record)
    for hop in statement_chain(record, event.statement):
        if isinstance(hop, Statement):
            origin = _speaker_origin(hop, record)
        elif hop.startswith("outlet:"):
            origin = outlet_origin(hop.removeprefix("outlet:"), record)
        else:
            origin = None
        if origin is not None:
            return origin
    return _credited_outlet(record, own) or own


# ---------------------------------------------------------------------------------------
# Clustering


@dataclass(frozen=True, slots=True)
class Report:
    """One event as one article reports it, with what clustering compares."""

    article_id: str
    event_id: str
    type: str
    date_start: dt.date | None
    date_end: dt.date | None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    country: str | None = None
    admin1: str | None = None
    participants: frozenset[str] = frozenset()
    outlet: str = ""
    origin: str = ""
    fatalities: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.article_id, self.event_id)

    @property
    def has_place(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class ClusterRules:
    """What counts as the same event. Loaded from data/corpus/clustering.json."""

    types: frozenset[str]
    date_tolerance_days: int
    undated_window_days: int
    precise_days: int
    radius_km: dict[str, float]
    feature_levels: dict[str, str]
    default_level: str

    def level(self, feature: str | None) -> str:
        if not feature:
            return self.default_level
        return self.feature_levels.get(feature, self.feature_levels.get(feature[:3], self.default_level))


@lru_cache(maxsize=1)
def default_rules() -> ClusterRules:
    raw = json.loads(data_path("corpus/clustering.json").read_text(encoding="utf-8"))
    return ClusterRules(
        types=frozenset(raw["cluster_types"]),
        date_tolerance_days=int(raw["date_tolerance_days"]),
        undated_window_days=int(raw["undated_window_days"]),
        precise_days=int(raw["precise_days"]),
        radius_km={k: float(v) for k, v in raw["radius_km"].items()},
        feature_levels=dict(raw["feature_levels"]),
        default_level=raw["default_level"],
    )


def effective_interval(
    start: dt.date | None, end: dt.date | None, published: dt.date | None, rules: ClusterRules
) -> tuple[dt.date | None, dt.date | None]:
    """The days an event may have happened on. An undated event in a news report happened
    shortly before publication (news reports recent events), so it gets a window ending on
    the publication day; with neither, the date is unknown."""
    if start is not None and end is not None:
        return (start, end) if start <= end else (end, start)
    if start is not None or end is not None:
        day = start or end
        return day, day
    if published is not None:
        return published - dt.timedelta(days=rules.undated_window_days), published
    return None, None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_LEVEL_RANK = {"point": 0, "district": 1, "province": 2, "country": 3}


def places_compatible(a: Report, b: Report, rules: ClusterRules) -> bool:
    """Could both places be where one event happened? A country or province contains the
    towns inside it; two towns or districts must lie within the coarser one's radius."""
    if a.country and b.country and a.country != b.country:
        return False
    la, lb = rules.level(a.feature), rules.level(b.feature)
    if "country" in (la, lb):
        return bool(a.country and b.country) or (la == lb == "country")
    if "province" in (la, lb):
        if a.admin1 and b.admin1:
            return normalise_name(a.admin1) == normalise_name(b.admin1)
        return bool(a.country and a.country == b.country)
    if not (a.has_place and b.has_place):
        return False
    radius = max(rules.radius_km[la], rules.radius_km[lb])
    return haversine_km(a.lat, a.lon, b.lat, b.lon) <= radius  # type: ignore[arg-type]


@dataclass
class _Open:
    """A cluster being built: its members and the bounds every new member must meet."""

    index: int
    members: list[Report]
    anchor: Report  # the member with the most precise place
    max_start: dt.date
    min_end: dt.date
    participants: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)

    def add(self, report: Report, rules: ClusterRules) -> None:
        self.members.append(report)
        self.articles.add(report.article_id)
        self.participants |= report.participants
        self.max_start = max(self.max_start, report.date_start)  # type: ignore[type-var]
        self.min_end = min(self.min_end, report.date_end)  # type: ignore[type-var]
        if _LEVEL_RANK[rules.level(report.feature)] < _LEVEL_RANK[rules.level(self.anchor.feature)]:
            self.anchor = report


@dataclass(frozen=True, slots=True)
class Cluster:
    """Reports of one event across articles."""

    id: str
    members: tuple[Report, ...]

    @property
    def n_reports(self) -> int:
        return len(self.members)

    @property
    def outlets(self) -> list[str]:
        return sorted({m.outlet for m in self.members})

    @property
    def origins(self) -> list[str]:
        return sorted({m.origin for m in self.members})

    @property
    def n_outlets(self) -> int:
        return len(self.outlets)

    @property
    def n_origins(self) -> int:
        return len(self.origins)


def _can_join(cluster: _Open, report: Report, rules: ClusterRules) -> bool:
    if report.article_id in cluster.articles:
        # The events layer already merges retellings within an article: two events of one
        # article are two occurrences.
        return False
    tol = dt.timedelta(days=rules.date_tolerance_days)
    # Every member's interval must overlap the new one (with tolerance): complete linkage
    # on dates, so "Monday" and "Friday" reports cannot be chained through "this week".
    if report.date_start > cluster.min_end + tol or report.date_end < cluster.max_start - tol:  # type: ignore[operator]
        return False
    shared = cluster.participants & report.participants
    if cluster.participants and report.participants and not shared:
        return False  # both name the sides, and the sides differ
    if report.has_place or report.country:
        return places_compatible(cluster.anchor, report, rules)
    # Without a place, only named sides tie a report to others.
    return bool(shared)


def _score(cluster: _Open, report: Report) -> tuple:
    shared = len(cluster.participants & report.participants)
    distance = 0.0
    if cluster.anchor.has_place and report.has_place:
        distance = haversine_km(cluster.anchor.lat, cluster.anchor.lon, report.lat, report.lon)  # type: ignore[arg-type]
    return (-shared, round(distance, 3), cluster.index)


def cluster_id(members: Iterable[Report]) -> str:
    """Named after its members, so the same reports always give the same id."""
    keys = "\n".join(f"{a}\t{e}" for a, e in sorted(m.key for m in members))
    return "c" + hashlib.sha256(keys.encode("utf-8")).hexdigest()[:12]


def _block(report: Report) -> tuple:
    return (report.type, report.country or "", report.has_place or bool(report.country))


def _sweep(reports: Sequence[Report], rules: ClusterRules, start: int) -> list[_Open]:
    """Cluster reports block by block, in order of start date (see `cluster_reports`)."""
    tol = dt.timedelta(days=rules.date_tolerance_days)
    ordered = sorted(
        reports,
        key=lambda r: (_block(r), r.date_start or dt.date.min, r.date_end or dt.date.min, r.key),
    )
    done: list[_Open] = []
    active: list[_Open] = []
    current_block: tuple | None = None
    count = start
    for report in ordered:
        block = _block(report)
        if block != current_block:
            done.extend(active)
            active, current_block = [], block
        if not _clusterable(report, rules):
            done.append(_Open(count, [report], report, dt.date.min, dt.date.max))
            count += 1
            continue
        # Reports come in order of start date: a cluster whose members all ended before
        # this one started (beyond the tolerance) can take no later report.
        done.extend(c for c in active if c.min_end + tol < report.date_start)  # type: ignore[operator]
        active = [c for c in active if c.min_end + tol >= report.date_start]  # type: ignore[operator]
        candidates = [c for c in active if _can_join(c, report, rules)]
        if candidates:
            min(candidates, key=lambda c: _score(c, report)).add(report, rules)
        else:
            opened = _Open(count, [], report, report.date_start, report.date_end)  # type: ignore[arg-type]
            opened.add(report, rules)
            active.append(opened)
            count += 1
    done.extend(active)
    return done


def _clusterable(report: Report, rules: ClusterRules) -> bool:
    return report.type in rules.types and report.date_start is not None and report.date_end is not None


def _days(start: dt.date, end: dt.date, tol: dt.timedelta) -> Iterator[dt.date]:
    day = start - tol
    while day <= end + tol:
        yield day
        day += dt.timedelta(days=1)


def _certain(report: Report, rules: ClusterRules) -> bool:
    """Located, and dated to within a few days: a report that can found a cluster."""
    if not (report.has_place or report.country):
        return False
    if not _clusterable(report, rules):
        return True  # stays alone anyway
    return (report.date_end - report.date_start).days < rules.precise_days  # type: ignore[operator]


def cluster_reports(reports: Sequence[Report], rules: ClusterRules | None = None) -> list[Cluster]:
    """Group reports of the same event. Reports must carry their effective date interval
    (see `effective_interval`); reports of types outside `rules.types` or without a date
    stay alone. The result does not depend on the order of `reports`.

    Reports that are located and dated to within a few days are clustered first, by type
    and country. Then each uncertain report (no place, or only a long period such as "this
    year" or "since January") joins a cluster only when it is compatible with exactly one
    (an unlocated "clash between the army and JNIM" that could be either of two clashes
    that day stays alone; a background mention of "assaults since January" cannot take the
    place of its article's own report of the attack); the rest are clustered among
    themselves."""
    rules = rules or default_rules()
    tol = dt.timedelta(days=rules.date_tolerance_days)
    certain = [r for r in reports if _certain(r, rules)]
    uncertain = [r for r in reports if not _certain(r, rules)]
    clusters = _sweep(certain, rules, 0)

    by_day: dict[tuple[str, dt.date], list[_Open]] = {}
    for c in clusters:
        lead = c.members[0]
        if _clusterable(lead, rules) and c.max_start <= c.min_end + tol:
            for day in _days(c.max_start, c.min_end, tol):
                by_day.setdefault((lead.type, day), []).append(c)
    alone = []
    for report in sorted(uncertain, key=lambda r: (r.date_start or dt.date.min, r.date_end or dt.date.min, r.key)):
        found: dict[int, _Open] = {}
        located = report.has_place or report.country
        if _clusterable(report, rules) and (report.participants or located):
            for day in _days(report.date_start, report.date_end, dt.timedelta(0)):  # type: ignore[arg-type]
                for c in by_day.get((report.type, day), ()):
                    if c.index not in found and _can_join(c, report, rules):
                        found[c.index] = c
        if len(found) == 1:
            next(iter(found.values())).add(report, rules)
        else:
            alone.append(report)
    clusters += _sweep(alone, rules, len(clusters))
    out = [
        Cluster(cluster_id(c.members), tuple(sorted(c.members, key=lambda m: m.key)))
        for c in clusters
    ]
    return sorted(out, key=lambda c: c.id)
