"""The shapes of the API's answers, as msgspec structs (like `newsint.schema`).

Responses are converted to these structs before they are encoded, so the OpenAPI document
(built from the same structs) says exactly what is sent.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import msgspec

from newsint.schema import Record

REF_TEMPLATE = "#/components/schemas/{name}"


class Stats(msgspec.Struct, kw_only=True):
    """How much the store holds."""

    articles: int
    events: int
    statements: int
    places: int
    clusters: int


class LayerCounts(msgspec.Struct, kw_only=True):
    events: int
    statements: int
    places: int
    actors: int
    times: int


class ArticleSummary(msgspec.Struct, kw_only=True):
    """An article in a search result, with a snippet around the first match."""

    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None
    n_chars: int | None
    counts: LayerCounts
    snippet: str
    highlights: list[tuple[int, int]]  # [start, end] of each match within the snippet


class ArticlePage(msgspec.Struct, kw_only=True):
    total: int
    limit: int
    offset: int
    items: list[ArticleSummary]


class EventRow(msgspec.Struct, kw_only=True):
    """One event as one article reports it."""

    article_id: str
    event_id: str
    type: str | None = None
    mode: str | None = None
    acled_type: str | None = None
    acled_subtype: str | None = None
    cameo: str | None = None
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    modality: str | None = None
    fatalities: int | None = None
    injuries: int | None = None
    place_name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    feature: str | None = None
    trigger: str | None = None
    trigger_start: int | None = None
    evidence: list[tuple[int, int]] | None = None
    evidence_text: list[str] = []
    speaker: str | None = None
    statement: str | None = None
    origin: str | None = None
    origin_name: str | None = None
    sources: list[str] | None = None
    targets: list[str] | None = None
    victims: list[str] | None = None
    outlet: str | None = None
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    cluster_id: str | None = None
    cluster_reports: int | None = None
    cluster_outlets: int | None = None
    cluster_origins: int | None = None


class EventPage(msgspec.Struct, kw_only=True):
    count: int
    truncated: bool  # more events match than `limit`
    items: list[EventRow]


class ClusterRow(msgspec.Struct, kw_only=True):
    """Reports of one event across articles, and the lead report that speaks for them."""

    id: str
    type: str | None = None
    acled_type: str | None = None
    acled_subtype: str | None = None
    cameo: str | None = None
    n_reports: int
    n_outlets: int
    n_origins: int
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    place_name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None
    fatalities_min: int | None = None
    fatalities_max: int | None = None
    outlets: list[str] | None = None
    origins: list[str] | None = None
    actors: list[str] | None = None
    article_id: str
    event_id: str
    mode: str | None = None
    modality: str | None = None
    trigger: str | None = None
    evidence_text: list[str] = []
    sources: list[str] | None = None
    targets: list[str] | None = None
    victims: list[str] | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    last_published: dt.date | None = None


class ClusterPage(msgspec.Struct, kw_only=True):
    count: int
    truncated: bool
    items: list[ClusterRow]


RESPONSE_TYPES = (Stats, ArticlePage, EventPage, ClusterPage, Record)


@lru_cache(maxsize=1)
def openapi_components() -> dict[str, dict]:
    """JSON Schemas of every response struct, for the OpenAPI document's components."""
    _, components = msgspec.json.schema_components(RESPONSE_TYPES, ref_template=REF_TEMPLATE)
    return components


def schema_ref(struct: type, description: str = "Successful response") -> dict:
    """An OpenAPI response entry whose JSON body follows `struct`."""
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(name=struct.__name__)}}},
    }
