"""Events layer: typed, located, dated, counted and attributed events (issue 6: not built yet)."""

from __future__ import annotations

from spacy.tokens import Doc

from newsint.schema import Actor, Article, Entity, Event, Place, Statement, Time


def extract_events(
    doc: Doc,
    article: Article,
    entities: list[Entity],
    actors: list[Actor],
    places: list[Place],
    times: list[Time],
    statements: list[Statement],
) -> list[Event]:
    return []
