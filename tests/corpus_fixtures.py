"""Hand-built newsint/1 records with every layer filled, for the store, cluster and export
tests: the layers are built in parallel by other modules, so these tests must not wait for
them. Offsets are computed from the text, so every record passes check_record()."""

from __future__ import annotations

from newsint.schema import (
    Actor,
    Article,
    Entity,
    Event,
    EventActor,
    EventTime,
    Interval,
    Place,
    Record,
    SourceEdge,
    SourceNode,
    Sources,
    Speaker,
    Statement,
    Time,
)

TALIBAN = dict(name="Taliban", type="armed_group", country="AF", kb="taliban",
               aliases=["Islamic Emirate"])
REUTERS = dict(name="Reuters", type="media_outlet", country="GB", kb="reuters")
AFGHAN_ARMY = dict(name="Afghan National Army", type="military", country="AF",
                   kb="af-military")
GARDEZ = dict(name="Gardez", lat=33.597, lon=69.226, country="AF", admin1="Paktia",
              feature="PPLA", geonameid=1141857)
PAKTIA = dict(name="Paktia", lat=33.5, lon=69.5, country="AF", admin1="Paktia",
              feature="ADM1", geonameid=1131256)
KABUL = dict(name="Kabul", lat=34.528, lon=69.172, country="AF", admin1="Kabul",
             feature="PPLC", geonameid=1138958)
NAIROBI = dict(name="Nairobi", lat=-1.283, lon=36.817, country="KE", admin1="Nairobi Area",
               feature="PPLC", geonameid=184745)


def span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


class Builder:
    """Collects the layers of one record, with ids and offsets taken from the text."""

    def __init__(self, text: str, *, id: str, outlet: str | None, published: str,
                 title: str | None = None, url: str | None = None) -> None:
        self.article = Article(id=id, title=title, url=url, outlet=outlet,
                               published=published, text=text)
        self.text = text
        self.entities: list[Entity] = []
        self.actors: list[Actor] = []
        self.places: list[Place] = []
        self.times: list[Time] = []
        self.statements: list[Statement] = []
        self.events: list[Event] = []
        self.nodes: list[SourceNode] = []
        self.edges: list[SourceEdge] = []

    def actor(self, mention: str, label: str = "ORG", **fields: object) -> str:
        actor_id = f"a{len(self.actors) + 1}"
        entity_id = f"e{len(self.entities) + 1}"
        start, end = span(self.text, mention)
        self.entities.append(Entity(id=entity_id, start=start, end=end, text=mention,
                                    type=label, actor=actor_id))
        self.actors.append(Actor(id=actor_id, mentions=[entity_id], **fields))  # type: ignore[arg-type]
        return actor_id

    def place(self, mention: str, **fields: object) -> str:
        place_id = f"p{len(self.places) + 1}"
        start, end = span(self.text, mention)
        self.places.append(Place(id=place_id, start=start, end=end, text=mention,
                                 confidence=0.9, **fields))  # type: ignore[arg-type]
        return place_id

    def time(self, mention: str, value: str) -> str:
        time_id = f"t{len(self.times) + 1}"
        start, end = span(self.text, mention)
        self.times.append(Time(id=time_id, start=start, end=end, text=mention, type="DATE",
                               value=value, interval=Interval(begin=value, end=value)))
        return time_id

    def statement(self, content: str, cue: str, speaker: str | None, actor: str | None,
                  via: list[str], kind: str = "indirect") -> str:
        statement_id = f"s{len(self.statements) + 1}"
        sp = None
        if speaker:
            s0, s1 = span(self.text, speaker)
            sp = Speaker(start=s0, end=s1, text=speaker, actor=actor)
        self.statements.append(Statement(id=statement_id, kind=kind,
                                         content=span(self.text, content),
                                         cue=span(self.text, cue), speaker=sp, via=via))
        return statement_id

    def event(self, type: str, trigger: str, *, evidence: str, acled: list[str] | None = None,
              cameo: str | None = None, actors: list[tuple[str, str | None]] = (),
              place: str | None = None, day: str | None = None, time_ids: list[str] = (),
              fatalities: int | None = None, modality: str = "asserted",
              statement: str | None = None) -> str:
        event_id = f"v{len(self.events) + 1}"
        self.events.append(Event(
            id=event_id, type=type, acled=acled, cameo=cameo, trigger=span(self.text, trigger),
            actors=[EventActor(role=role, actor=actor) for role, actor in actors],
            place=place, time=EventTime(start=day, end=day) if day else None,
            times=list(time_ids), fatalities=fatalities, modality=modality,
            statement=statement, evidence=[span(self.text, evidence)],
        ))
        return event_id

    def node(self, kind: str, name: str, actor: str | None = None) -> str:
        node_id = f"n{len(self.nodes) + 1}"
        self.nodes.append(SourceNode(id=node_id, kind=kind, name=name, actor=actor))
        return node_id

    def edge(self, source: str, target: str, relation: str, statements: list[str]) -> None:
        self.edges.append(SourceEdge(source=source, target=target, relation=relation,
                                     statements=statements))

    def record(self) -> Record:
        return Record(article=self.article, entities=self.entities, actors=self.actors,
                      places=self.places, times=self.times, statements=self.statements,
                      events=self.events, sources=Sources(nodes=self.nodes, edges=self.edges))


def kabul_wire() -> Record:
    """A clash near Gardez, carried by Reuters: origin Reuters."""
    text = ("A former army officer was killed on Monday in a clash with Taliban fighters near "
            "Gardez, Reuters reported, citing residents.\nThe Taliban said they would "
            "investigate.")
    b = Builder(text, id="kw-1", outlet="Kabul Wire", published="2021-10-27",
                url="https://kabulwire.example/1", title="Officer killed near Gardez")
    taliban = b.actor("Taliban fighters", **TALIBAN)
    reuters = b.actor("Reuters", **REUTERS)
    place = b.place("Gardez", **GARDEZ)
    monday = b.time("Monday", "2021-10-25")
    outlet = b.node("outlet", "Kabul Wire")
    agency = b.node("outlet", "Reuters", reuters)
    s1 = b.statement("A former army officer was killed on Monday in a clash with Taliban "
                     "fighters near Gardez", "reported", "Reuters", reuters,
                     ["outlet:Kabul Wire"])
    b.edge(outlet, agency, "reports", [s1])
    b.event("ASSAULT", "clash", evidence="A former army officer was killed on Monday in a "
            "clash with Taliban fighters near Gardez", acled=["Battles", "Armed clash"],
            cameo="19", actors=[("source", taliban), ("victims", None)], place=place,
            day="2021-10-25", time_ids=[monday], fatalities=1, modality="reported",
            statement=s1)
    return b.record()


def frontier_post() -> Record:
    """The same clash, retold from Reuters by another outlet: origin Reuters again."""
    text = ("A former commander died in a shootout with Taliban gunmen outside Gardez on "
            "Monday, according to Reuters.")
    b = Builder(text, id="fp-1", outlet="Frontier Post Online", published="2021-10-27")
    taliban = b.actor("Taliban gunmen", **TALIBAN)
    reuters = b.actor("Reuters", **REUTERS)
    place = b.place("Gardez", **{**GARDEZ, "lat": 33.61, "lon": 69.24})
    monday = b.time("Monday", "2021-10-25")
    s1 = b.statement("A former commander died in a shootout with Taliban gunmen outside "
                     "Gardez on Monday", "according to", "Reuters", reuters,
                     ["outlet:Frontier Post Online"])
    b.event("ASSAULT", "shootout", evidence="A former commander died in a shootout with "
            "Taliban gunmen outside Gardez on Monday", acled=["Battles", "Armed clash"],
            cameo="19", actors=[("source", taliban)], place=place, day="2021-10-25",
            time_ids=[monday], fatalities=1, modality="reported", statement=s1)
    return b.record()


def daily_courier() -> Record:
    """The same clash from the outlet's own source, located only to the province, with a
    higher death toll; and a second, unrelated clash in Kabul the same day."""
    text = ("Taliban fighters killed two former soldiers in a gunfight in Paktia province on "
            "Monday, a police official said.\nIn Kabul, Afghan army troops clashed with "
            "Taliban fighters on Monday night.")
    b = Builder(text, id="dc-1", outlet="Daily Courier", published="2021-10-28")
    taliban = b.actor("Taliban fighters", **TALIBAN)
    army = b.actor("Afghan army troops", **AFGHAN_ARMY)
    paktia = b.place("Paktia province", **PAKTIA)
    kabul = b.place("Kabul", **KABUL)
    monday = b.time("Monday", "2021-10-25")
    s1 = b.statement("Taliban fighters killed two former soldiers in a gunfight in Paktia "
                     "province on Monday", "said", "a police official", None,
                     ["outlet:Daily Courier"])
    b.event("ASSAULT", "killed", evidence="Taliban fighters killed two former soldiers in a "
            "gunfight in Paktia province on Monday", acled=["Battles", "Armed clash"],
            cameo="19", actors=[("source", taliban), ("victims", None)], place=paktia,
            day="2021-10-25", time_ids=[monday], fatalities=2, modality="reported",
            statement=s1)
    b.event("ASSAULT", "clashed", evidence="In Kabul, Afghan army troops clashed with "
            "Taliban fighters on Monday night", acled=["Battles", "Armed clash"], cameo="19",
            actors=[("source", army), ("target", taliban)], place=kabul, day="2021-10-25")
    return b.record()


def nairobi_times() -> Record:
    """A protest with no named sides, and a forecast that is not an event that happened."""
    text = ("Thousands of protesters marched through Nairobi on Monday against fuel taxes. "
            "Organisers said the protests could spread to Mombasa next week.")
    b = Builder(text, id="nt-1", outlet="Nairobi Times", published="2023-07-10")
    place = b.place("Nairobi", **NAIROBI)
    monday = b.time("Monday", "2023-07-10")
    s1 = b.statement("the protests could spread to Mombasa next week", "said", "Organisers",
                     None, ["article"])
    b.event("PROTEST", "marched", evidence="Thousands of protesters marched through Nairobi "
            "on Monday against fuel taxes", acled=["Protests", "Peaceful protest"], cameo="14",
            place=place, day="2023-07-10", time_ids=[monday])
    b.event("PROTEST", "spread", evidence="the protests could spread to Mombasa next week",
            acled=["Protests", "Peaceful protest"], cameo="14", modality="forecast",
            statement=s1)
    return b.record()


def all_records() -> list[Record]:
    return [kabul_wire(), frontier_post(), daily_courier(), nairobi_times()]
