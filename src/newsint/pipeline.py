"""The flow of DESIGN.md: parse once, then each extraction layer in order, into a Record."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from spacy.tokens import Doc

from newsint.entities import link_entities
from newsint.events import extract_events
from newsint.framing import detect_framing
from newsint.ingest import make_article
from newsint.parse import parse, parse_many
from newsint.places import resolve_places
from newsint.schema import Article, Record
from newsint.statements import attribute_statements
from newsint.times import normalise_times


@contextmanager
def _timed(timings: dict[str, float] | None, layer: str):
    if timings is None:
        yield
        return
    started = time.perf_counter()
    yield
    timings[layer] = timings.get(layer, 0.0) + time.perf_counter() - started


def build_record(doc: Doc, article: Article, timings: dict[str, float] | None = None) -> Record:
    """Run every extraction layer over one parsed article. Later layers read earlier ones.

    With `timings`, each layer's elapsed seconds are added to it under the layer's name
    (what `newsint bench` reports)."""
    with _timed(timings, "entities"):
        entities, actors = link_entities(doc, article)
    with _timed(timings, "places"):
        places = resolve_places(doc, article, entities)
    with _timed(timings, "times"):
        times = normalise_times(doc, article)
    with _timed(timings, "statements"):
        statements, sources = attribute_statements(doc, article, entities, actors)
    with _timed(timings, "events"):
        events = extract_events(doc, article, entities, actors, places, times, statements)
    with _timed(timings, "framing"):
        framing = detect_framing(doc, article)
    return Record(
        article=article,
        entities=entities,
        actors=actors,
        places=places,
        times=times,
        statements=statements,
        events=events,
        framing=framing,
        sources=sources,
    )


def analyze_article(article: Article) -> Record:
    return build_record(parse(article.text), article)


def analyze_articles(articles: Iterable[Article], batch_size: int = 16) -> Iterator[Record]:
    """Analyse many articles, parsing them in batches with `nlp.pipe`."""
    articles = list(articles) if not isinstance(articles, list) else articles
    docs = parse_many((a.text for a in articles), batch_size=batch_size)
    for article, doc in zip(articles, docs):
        yield build_record(doc, article)


def analyze(
    text: str,
    published: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    url: str | None = None,
    id: str | None = None,
) -> Record:
    """Analyse one article's text. `published` (YYYY-MM-DD) anchors relative dates."""
    article = make_article(text, published=published, outlet=outlet, title=title, url=url, id=id)
    return analyze_article(article)
