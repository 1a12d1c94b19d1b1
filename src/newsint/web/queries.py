"""Read-only queries the web layer needs beyond the store's own read API.

Every value from a request reaches DuckDB as a bound parameter, never as SQL text; LIKE
patterns escape their wildcards so a search for "100%" finds "100%".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from newsint.store import Store

MAX_TERMS = 12
SNIPPET_CHARS = 240

# A search query: quoted phrases and bare words.
_TERM = re.compile(r'"([^"]+)"|(\S+)')


def search_terms(query: str | None) -> list[str]:
    """The terms of a search box query: "quoted phrases" stay whole, other words split on
    whitespace; each term must occur in the article (case-insensitive)."""
    if not query:
        return []
    terms: list[str] = []
    for phrase, word in _TERM.findall(query):
        term = " ".join((phrase or word).split())
        if term and term.casefold() not in {t.casefold() for t in terms}:
            terms.append(term)
    return terms[:MAX_TERMS]


def like_pattern(term: str) -> str:
    """A substring pattern for ILIKE ... ESCAPE '\\' matching `term` literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class SearchFilters:
    q: str | None = None
    outlet: str | None = None
    country: str | None = None
    actor: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def _where(filters: SearchFilters) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    for term in search_terms(filters.q):
        where.append(
            "(a.text ILIKE ? ESCAPE '\\' OR coalesce(a.title, '') ILIKE ? ESCAPE '\\')"
        )
        params += [like_pattern(term)] * 2
    if filters.outlet:
        where.append("a.outlet ILIKE ? ESCAPE '\\'")
        params.append(like_pattern(filters.outlet))
    if filters.country:
        where.append(
            "(EXISTS (SELECT 1 FROM places p WHERE p.article_id = a.id AND upper(p.country) = upper(?))"
            " OR EXISTS (SELECT 1 FROM events e WHERE e.article_id = a.id AND upper(e.country) = upper(?)))"
        )
        params += [filters.country] * 2
    if filters.actor:
        where.append(
            """EXISTS (SELECT 1 FROM actors ac WHERE ac.article_id = a.id
                       AND (ac.name ILIKE ? ESCAPE '\\' OR list_contains(
                            list_transform(coalesce(ac.aliases, []), lambda x: lower(x)), lower(?))))"""
        )
        params += [like_pattern(filters.actor), filters.actor]
    if filters.since:
        where.append("a.published >= ?")
        params.append(filters.since)
    if filters.until:
        where.append("a.published <= ?")
        params.append(filters.until)
    return ("WHERE " + " AND ".join(where)) if where else "", params


def _count(table: str) -> str:
    return f"(SELECT count(*) FROM {table} x WHERE x.article_id = a.id)"


def search_articles(
    store: Store, filters: SearchFilters, *, limit: int = 50, offset: int = 0
) -> tuple[int, list[dict]]:
    """Articles matching the filters, newest first: (total matches, one page of rows with
    layer counts and a snippet around the first matching term)."""
    where, params = _where(filters)
    sql = f"""
        SELECT a.id, a.title, a.outlet, a.published, a.url, a.n_chars, a.text,
               {_count('events')} AS events, {_count('statements')} AS statements,
               {_count('places')} AS places, {_count('actors')} AS actors,
               {_count('times')} AS times,
               count(*) OVER () AS total
        FROM articles a
        {where}
        ORDER BY a.published DESC NULLS LAST, a.id
        LIMIT ? OFFSET ?"""
    columns, rows = store.query(sql, [*params, int(limit), int(offset)])
    terms = search_terms(filters.q)
    items: list[dict] = []
    total = 0
    for row in rows:
        item = dict(zip(columns, row, strict=True))
        total = int(item.pop("total"))
        text = item.pop("text")
        item["snippet"], item["highlights"] = snippet(text, terms)
        item["counts"] = {k: int(item.pop(k)) for k in ("events", "statements", "places", "actors", "times")}
        items.append(item)
    if not rows and offset:
        # The page is past the end; say how many there are all the same.
        _, counted = store.query(f"SELECT count(*) FROM articles a {where}", params)
        total = int(counted[0][0])
    return total, items


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> tuple[str, list[list[int]]]:
    """A window of `text` around the first occurrence of any term (the start of the text
    when there is none), and the [start, end] of every term occurrence inside it."""
    folded = text.casefold()
    # casefold can change lengths (ß -> ss); only trust positions when it does not.
    same_length = len(folded) == len(text)
    hits = [folded.find(t.casefold()) for t in terms] if same_length else []
    hits = [h for h in hits if h >= 0]
    anchor = min(hits) if hits else 0
    start = max(0, anchor - width // 3)
    # Begin at a word boundary so the snippet does not start mid-word.
    if start > 0:
        space = text.find(" ", start, anchor if anchor > start else start + 20)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space > 0 else end
    window = " ".join(text[start:end].split())
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    shown = prefix + window + suffix
    highlights: list[list[int]] = []
    if terms:
        lowered = shown.casefold()
        if len(lowered) == len(shown):
            for term in terms:
                needle = " ".join(term.casefold().split())
                pos = lowered.find(needle)
                while pos >= 0 and needle:
                    highlights.append([pos, pos + len(needle)])
                    pos = lowered.find(needle, pos + len(needle))
    return shown, _merge(highlights)


def _merge(spans: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return merged


def corpus_counts(store: Store) -> dict[str, int]:
    """How much the store holds, for the search page's header."""
    tables = ("articles", "events", "statements", "places", "clusters")
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {t}) AS {t}" for t in tables)
    columns, rows = store.query(sql)
    return {c: int(v) for c, v in zip(columns, rows[0], strict=True)}


def article_meta(store: Store, article_id: str) -> dict | None:
    """Title, outlet, date and url of one article (None when it is not stored)."""
    columns, rows = store.query(
        "SELECT id, title, outlet, published, url FROM articles WHERE id = ?", [article_id]
    )
    return dict(zip(columns, rows[0], strict=True)) if rows else None


def article_clusters(store: Store, article_id: str) -> dict[str, dict]:
    """Event id -> its cluster (how many reports, outlets and independent origins)."""
    columns, rows = store.query(
        """SELECT m.event_id, c.id AS cluster_id, c.n_reports, c.n_outlets, c.n_origins,
                  c.origins, c.outlets
           FROM cluster_members m JOIN clusters c ON c.id = m.cluster_id
           WHERE m.article_id = ? ORDER BY m.event_id""",
        [article_id],
    )
    out = {}
    for row in rows:
        item = dict(zip(columns, row, strict=True))
        out[item.pop("event_id")] = item
    return out
