"""The actors knowledge base: states and their institutions, armed groups, international
organisations, parties and news outlets, loaded from `data/actors/*.jsonl`.

Countries are stored compactly (one line per country with its institutions); this module
expands each into actors with stable ids: the state (`AF`), its institutions
(`AF.government`, `AF.military`, `AF.police`, `AF.intelligence`, ...), and the generic
groups news refers to by demonym (`AF.security` for "Afghan security forces",
`AF.civilians` for "Afghan villagers").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from newsint.data import data_path

KB_DIR = data_path("actors")
ENTITY_FILES = ("armed_groups.jsonl", "organisations.jsonl", "outlets.jsonl", "people.jsonl")

# Institution keys in countries.jsonl -> actor type. Intelligence services, legislatures and
# heads of state are arms of government in DESIGN.md's coarse type list.
INSTITUTION_TYPES = {
    "government": "government",
    "military": "military",
    "police": "police",
    "intelligence": "government",
    "legislature": "government",
    "head_of_state": "government",
}

# Sectors that every country has even when the data names no institution for them; the
# names follow ACLED's actor naming ("Military Forces of Mali").
GENERIC_SECTORS = {
    "government": ("government", "Government of {name}"),
    "military": ("military", "Military Forces of {name}"),
    "police": ("police", "Police Forces of {name}"),
    "security": ("military", "Security Forces of {name}"),
    "civilians": ("civilians", "Civilians ({name})"),
}

# Common nouns news uses for an actor of each type ("the group", "the journal"), used to
# resolve definite descriptions back to a named actor.
TYPE_DESCRIPTORS = {
    "armed_group": ("group", "militant group", "militants", "militia", "rebels", "insurgents",
                    "jihadists", "extremists", "terrorists", "organisation", "organization",
                    "outfit", "movement", "faction", "network"),
    "media_outlet": ("newspaper", "paper", "daily", "journal", "agency", "news agency",
                     "broadcaster", "channel", "network", "website", "outlet", "magazine",
                     "wire", "station", "publication", "tabloid", "weekly"),
    "international_org": ("organisation", "organization", "body", "agency", "mission",
                          "bloc", "alliance", "union", "coalition"),
    "government": ("government", "ministry", "administration", "regime", "authorities",
                   "cabinet", "department", "agency", "service"),
    "military": ("army", "military", "armed forces", "forces", "troops"),
    "police": ("police", "force", "service"),
    "political_party": ("party", "movement"),
}


@dataclass(frozen=True, slots=True)
class KbActor:
    id: str
    name: str
    type: str
    country: str | None = None
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    parent: str | None = None
    descriptors: tuple[str, ...] = ()
    sector: str | None = None  # for country institutions: government, military, ...


@dataclass(slots=True)
class KnowledgeBase:
    actors: dict[str, KbActor] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # demonym as written -> state id
    sectors: dict[tuple[str, str], str] = field(default_factory=dict)  # (ISO2, sector) -> id

    def add(self, actor: KbActor) -> None:
        if actor.id in self.actors:
            raise ValueError(f"duplicate actor id in the knowledge base: {actor.id}")
        self.actors[actor.id] = actor

    def institution(self, country: str, sector: str) -> KbActor | None:
        actor_id = self.sectors.get((country, sector))
        return self.actors.get(actor_id) if actor_id else None

    def names(self) -> list[tuple[str, str]]:
        """(surface form, actor id) for every name and alias, in a stable order."""
        pairs: list[tuple[str, str]] = []
        for actor in self.actors.values():
            for alias in (actor.name, *actor.aliases):
                pairs.append((alias, actor.id))
        return pairs


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    rows = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path.name}:{number}: {exc.msg}") from None
    return rows


def _institution_entries(value: object) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict) and v.get("name")]
    return []


def expand_country(row: dict, kb: KnowledgeBase) -> None:
    """One countries.jsonl line -> the state, its institutions and its generic sectors.

    De facto states have no ISO code: their id is a slug and their `country` is None."""
    iso2 = row.get("iso2") or row["id"]
    country = row.get("iso2")
    name = row["name"]
    kb.add(
        KbActor(
            id=iso2,
            name=name,
            type="state",
            country=country,
            aliases=tuple(row.get("aliases", ())),
            wikidata=row.get("wikidata"),
            descriptors=("country", "state", "nation"),
        )
    )
    for demonym in row.get("demonyms", ()):
        kb.demonyms.setdefault(demonym, iso2)

    for key, entries in (row.get("institutions") or {}).items():
        actor_type = INSTITUTION_TYPES.get(key, "government")
        for index, entry in enumerate(_institution_entries(entries)):
            actor_id = f"{iso2}.{key}" if index == 0 else f"{iso2}.{key}.{_slug(entry['name'])}"
            kb.add(
                KbActor(
                    id=actor_id,
                    name=entry["name"],
                    type=actor_type,
                    country=country,
                    aliases=tuple(entry.get("aliases", ())),
                    wikidata=entry.get("wikidata"),
                    parent=iso2,
                    sector=key,
                )
            )
            if index == 0:
                kb.sectors[(iso2, key)] = actor_id

    for sector, (actor_type, pattern) in GENERIC_SECTORS.items():
        if (iso2, sector) in kb.sectors:
            continue
        actor_id = f"{iso2}.{sector}"
        kb.add(
            KbActor(
                id=actor_id,
                name=pattern.format(name=name),
                type=actor_type,
                country=country,
                parent=iso2,
                sector=sector,
            )
        )
        kb.sectors[(iso2, sector)] = actor_id


def actor_from_row(row: dict) -> KbActor:
    return KbActor(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        country=row.get("country"),
        aliases=tuple(row.get("aliases", ())),
        wikidata=row.get("wikidata"),
        parent=row.get("parent"),
        descriptors=tuple(row.get("descriptors", ())),
    )


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The knowledge base, loaded once per process."""
    kb = KnowledgeBase()
    for row in _read_jsonl(KB_DIR / "countries.jsonl"):
        expand_country(row, kb)
    for name in ENTITY_FILES:
        for row in _read_jsonl(KB_DIR / name):
            kb.add(actor_from_row(row))
    return kb


@lru_cache(maxsize=1)
def sector_lexicon() -> dict[str, str]:
    """Lower-cased noun lemma -> sector, for "Afghan security officials" and the like."""
    raw = json.loads((KB_DIR / "sectors.json").read_text(encoding="utf-8"))
    return {word: sector for sector, words in raw["sectors"].items() for word in words}


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    raw = json.loads((KB_DIR / "sectors.json").read_text(encoding="utf-8"))
    return frozenset(word.lower() for word in raw["honorifics"])


def descriptors_for(actor_type: str, own: tuple[str, ...] = ()) -> tuple[str, ...]:
    return own + TYPE_DESCRIPTORS.get(actor_type, ())
