"""The corpus store: every layer of every `newsint/1` record in DuckDB tables.

One embedded DuckDB file (default `newsint.duckdb`) holds the tables below. Layer tables are
keyed by `(article_id, id)`; an article is written with all its layers in one transaction,
and an article already in the store is never written again, so writes are idempotent and a
crash never leaves half an article behind.

Records reach the store as *shards*: one Parquet file per table for a batch of articles
(`record_shard` builds them, in the worker process that analysed the articles). The store
loads many shards at once with DuckDB's Parquet reader, so the single writer never becomes
the bottleneck of a big run. `export_parquet` / `import_parquet` move whole stores the same
way.

Table columns follow the structs of `newsint.schema`, flattened: spans become
`<name>_start`/`<name>_end` (plus the text they cover, for SQL users), character offsets are
`start_char`/`end_char` (`end` is an SQL keyword), and nested structs become prefixed
columns. `articles.record` keeps each full record as JSON for anything the tables leave out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from newsint.clusters import (
    Cluster,
    Report,
    cluster_reports,
    default_rules,
    effective_interval,
    event_origin,
    participant_key,
    publisher,
)
from newsint.ingest import article_id as text_hash_of
from newsint.schema import Record

STORE_VERSION = "newsint-store/1"
DEFAULT_DB = "newsint.duckdb"

# ---------------------------------------------------------------------------------------
# Tables

Columns = tuple[tuple[str, str], ...]

TABLES: dict[str, Columns] = {
    "articles": (
        ("id", "VARCHAR"), ("text_hash", "VARCHAR"), ("title", "VARCHAR"), ("url", "VARCHAR"),
        ("outlet", "VARCHAR"), ("outlet_key", "VARCHAR"), ("published", "DATE"),
        ("lang", "VARCHAR"), ("source", "VARCHAR"), ("n_chars", "INTEGER"),
        ("text", "VARCHAR"), ("record", "VARCHAR"),
    ),
    "entities": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("start_char", "INTEGER"),
        ("end_char", "INTEGER"), ("text", "VARCHAR"), ("type", "VARCHAR"), ("actor", "VARCHAR"),
    ),
    "actors": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("name", "VARCHAR"), ("type", "VARCHAR"),
        ("aliases", "VARCHAR[]"), ("country", "VARCHAR"), ("kb", "VARCHAR"),
        ("wikidata", "VARCHAR"), ("parent", "VARCHAR"), ("mentions", "VARCHAR[]"),
    ),
    "places": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("start_char", "INTEGER"),
        ("end_char", "INTEGER"), ("text", "VARCHAR"), ("name", "VARCHAR"),
        ("geonameid", "BIGINT"), ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("country", "VARCHAR"),
        ("admin1", "VARCHAR"), ("feature", "VARCHAR"), ("confidence", "DOUBLE"),
    ),
    "times": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("start_char", "INTEGER"),
        ("end_char", "INTEGER"), ("text", "VARCHAR"), ("type", "VARCHAR"), ("value", "VARCHAR"),
        ("mod", "VARCHAR"), ("interval_begin", "DATE"), ("interval_end", "DATE"),
    ),
    "statements": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("kind", "VARCHAR"),
        ("content_start", "INTEGER"), ("content_end", "INTEGER"), ("content", "VARCHAR"),
        ("cue_start", "INTEGER"), ("cue_end", "INTEGER"), ("cue", "VARCHAR"),
        ("speaker", "VARCHAR"), ("speaker_start", "INTEGER"), ("speaker_end", "INTEGER"),
        ("speaker_actor", "VARCHAR"), ("speaker_role", "VARCHAR"),
        ("speaker_organisation", "VARCHAR"), ("speaker_mention_start", "INTEGER"),
        ("speaker_mention_end", "INTEGER"), ("addressee", "VARCHAR"),
        ("addressee_start", "INTEGER"), ("addressee_end", "INTEGER"),
        ("addressee_actor", "VARCHAR"), ("via", "VARCHAR[]"), ("sentences", "INTEGER[]"),
    ),
    "events": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("type", "VARCHAR"), ("mode", "VARCHAR"),
        ("acled_type", "VARCHAR"), ("acled_subtype", "VARCHAR"), ("cameo", "VARCHAR"),
        ("trigger_start", "INTEGER"), ("trigger_end", "INTEGER"), ("trigger", "VARCHAR"),
        ("place", "VARCHAR"), ("place_name", "VARCHAR"), ("geonameid", "BIGINT"),
        ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("country", "VARCHAR"), ("admin1", "VARCHAR"),
        ("feature", "VARCHAR"), ("date_start", "DATE"), ("date_end", "DATE"),
        ("times", "VARCHAR[]"), ("fatalities", "INTEGER"), ("injuries", "INTEGER"),
        ("modality", "VARCHAR"), ("statement", "VARCHAR"), ("speaker", "VARCHAR"),
        ("origin", "VARCHAR"), ("origin_name", "VARCHAR"), ("evidence", "INTEGER[][]"),
    ),
    "event_actors": (
        ("article_id", "VARCHAR"), ("event_id", "VARCHAR"), ("position", "INTEGER"),
        ("role", "VARCHAR"), ("actor", "VARCHAR"), ("entity", "VARCHAR"), ("name", "VARCHAR"),
        ("type", "VARCHAR"), ("country", "VARCHAR"), ("kb", "VARCHAR"), ("key", "VARCHAR"),
    ),
    "framing": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("start_char", "INTEGER"),
        ("end_char", "INTEGER"), ("text", "VARCHAR"), ("technique", "VARCHAR"),
    ),
    "sources": (
        ("article_id", "VARCHAR"), ("id", "VARCHAR"), ("kind", "VARCHAR"), ("name", "VARCHAR"),
        ("actor", "VARCHAR"),
    ),
    "source_edges": (
        ("article_id", "VARCHAR"), ("position", "INTEGER"), ("source", "VARCHAR"),
        ("target", "VARCHAR"), ("source_name", "VARCHAR"), ("target_name", "VARCHAR"),
        ("relation", "VARCHAR"), ("statements", "VARCHAR[]"),
    ),
    "errors": (("source", "VARCHAR"), ("reason", "VARCHAR")),
    "inputs": (("source", "VARCHAR"), ("article_id", "VARCHAR")),
    "clusters": (
        ("id", "VARCHAR"), ("type", "VARCHAR"), ("acled_type", "VARCHAR"),
        ("acled_subtype", "VARCHAR"), ("cameo", "VARCHAR"), ("n_reports", "INTEGER"),
        ("n_outlets", "INTEGER"), ("n_origins", "INTEGER"), ("date_start", "DATE"),
        ("date_end", "DATE"), ("place_name", "VARCHAR"), ("country", "VARCHAR"),
        ("admin1", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("feature", "VARCHAR"),
        ("fatalities_min", "INTEGER"), ("fatalities_max", "INTEGER"),
        ("outlets", "VARCHAR[]"), ("origins", "VARCHAR[]"), ("actors", "VARCHAR[]"),
        ("article_id", "VARCHAR"), ("event_id", "VARCHAR"),
    ),
    "cluster_members": (
        ("cluster_id", "VARCHAR"), ("article_id", "VARCHAR"), ("event_id", "VARCHAR"),
        ("outlet", "VARCHAR"), ("origin", "VARCHAR"),
    ),
    "runs": (
        ("id", "INTEGER"), ("started", "TIMESTAMP"), ("finished", "TIMESTAMP"),
        ("status", "VARCHAR"), ("paths", "VARCHAR[]"), ("engine", "VARCHAR"),
        ("workers", "INTEGER"), ("items", "BIGINT"), ("articles_added", "BIGINT"),
        ("duplicates", "BIGINT"), ("errors", "BIGINT"), ("seconds", "DOUBLE"),
        ("newsint_version", "VARCHAR"),
    ),
    "meta": (("key", "VARCHAR"), ("value", "VARCHAR")),
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "articles": ("id",),
    "entities": ("article_id", "id"),
    "actors": ("article_id", "id"),
    "places": ("article_id", "id"),
    "times": ("article_id", "id"),
    "statements": ("article_id", "id"),
    "events": ("article_id", "id"),
    "event_actors": ("article_id", "event_id", "position"),
    "framing": ("article_id", "id"),
    "sources": ("article_id", "id"),
    "source_edges": ("article_id", "position"),
    "errors": ("source",),
    "inputs": ("source",),
    "clusters": ("id",),
    "cluster_members": ("article_id", "event_id"),
    "runs": ("id",),
    "meta": ("key",),
}

# Tables written per article (from shards), and the ones the store derives or keeps itself.
SHARD_TABLES = (
    "articles", "entities", "actors", "places", "times", "statements", "events",
    "event_actors", "framing", "sources", "source_edges", "errors",
)
LAYER_TABLES = tuple(t for t in SHARD_TABLES if t not in ("articles", "errors"))
CONTENT_TABLES = (*SHARD_TABLES, "inputs", "clusters", "cluster_members")

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "VARCHAR[]": pa.list_(pa.string()),
    "INTEGER[]": pa.list_(pa.int32()),
    "INTEGER[][]": pa.list_(pa.list_(pa.int32())),
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[kind]) for name, kind in TABLES[table]])


def order_by(table: str) -> str:
    """Key columns: the order in which a table is shown, exported and compared."""
    return ", ".join(_quote(c) for c in PRIMARY_KEYS[table])


def _quote(name: str) -> str:
    return f'"{name}"'


# ---------------------------------------------------------------------------------------
# Records -> rows


def to_date(value: str | None) -> dt.date | None:
    """A YYYY-MM-DD string as a date; anything else (a TIMEX3 week, a malformed value) is
    NULL in the table and stays visible in `articles.record`."""
    if not value or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _slice(text: str, span: Sequence[int] | None) -> tuple[int | None, int | None, str | None]:
    if not span:
        return None, None, None
    start, end = int(span[0]), int(span[1])
    return start, end, text[start:end]


def record_rows(record: Record, source: str | None = None) -> dict[str, list[dict]]:
    """One record as rows of every shard table (errors excepted)."""
    art = record.article
    aid = art.id
    text = art.text
    actors = {a.id: a for a in record.actors}
    places = {p.id: p for p in record.places}
    statements = {s.id: s for s in record.statements}
    entities = {e.id: e for e in record.entities}
    nodes = {n.id: n for n in record.sources.nodes}
    own = publisher(record)

    rows: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES if t != "errors"}
    rows["articles"].append(
        {
            "id": aid, "text_hash": text_hash_of(text), "title": art.title, "url": art.url,
            "outlet": art.outlet, "outlet_key": own.key, "published": to_date(art.published),
            "lang": art.lang, "source": source, "n_chars": len(text), "text": text,
            "record": record.to_json(),
        }
    )
    for e in record.entities:
        rows["entities"].append(
            {"article_id": aid, "id": e.id, "start_char": e.start, "end_char": e.end,
             "text": e.text, "type": e.type, "actor": e.actor}
        )
    for a in record.actors:
        rows["actors"].append(
            {"article_id": aid, "id": a.id, "name": a.name, "type": a.type,
             "aliases": list(a.aliases), "country": a.country, "kb": a.kb,
             "wikidata": a.wikidata, "parent": a.parent, "mentions": list(a.mentions)}
        )
    for p in record.places:
        rows["places"].append(
            {"article_id": aid, "id": p.id, "start_char": p.start, "end_char": p.end,
             "text": p.text, "name": p.name, "geonameid": p.geonameid, "lat": p.lat,
             "lon": p.lon, "country": p.country, "admin1": p.admin1, "feature": p.feature,
             "confidence": p.confidence}
        )
    for t in record.times:
        rows["times"].append(
            {"article_id": aid, "id": t.id, "start_char": t.start, "end_char": t.end,
             "text": t.text, "type": t.type, "value": t.value, "mod": t.mod,
             "interval_begin": to_date(t.interval.begin) if t.interval else None,
             "interval_end": to_date(t.interval.end) if t.interval else None}
        )
    for s in record.statements:
        c0, c1, content = _slice(text, s.content)
        q0, q1, cue = _slice(text, s.cue)
        sp, ad = s.speaker, s.addressee
        rows["statements"].append(
            {"article_id": aid, "id": s.id, "kind": s.kind,
             "content_start": c0, "content_end": c1, "content": content,
             "cue_start": q0, "cue_end": q1, "cue": cue,
             "speaker": sp.text if sp else None,
             "speaker_start": sp.start if sp else None,
             "speaker_end": sp.end if sp else None,
             "speaker_actor": sp.actor if sp else None,
             "speaker_role": sp.role if sp else None,
             "speaker_organisation": sp.organisation if sp else None,
             "speaker_mention_start": sp.mention[0] if sp and sp.mention else None,
             "speaker_mention_end": sp.mention[1] if sp and sp.mention else None,
             "addressee": ad.text if ad else None,
             "addressee_start": ad.start if ad else None,
             "addressee_end": ad.end if ad else None,
             "addressee_actor": ad.actor if ad else None,
             "via": list(s.via), "sentences": list(s.sentences)}
        )
    for ev in record.events:
        t0, t1, trigger = _slice(text, ev.trigger)
        place = places.get(ev.place) if ev.place else None
        statement = statements.get(ev.statement) if ev.statement else None
        origin = event_origin(record, ev)
        rows["events"].append(
            {"article_id": aid, "id": ev.id, "type": ev.type, "mode": ev.mode,
             "acled_type": ev.acled[0] if ev.acled else None,
             "acled_subtype": ev.acled[1] if ev.acled and len(ev.acled) > 1 else None,
             "cameo": ev.cameo, "trigger_start": t0, "trigger_end": t1, "trigger": trigger,
             "place": ev.place,
             "place_name": place.name if place else None,
             "geonameid": place.geonameid if place else None,
             "lat": place.lat if place else None,
             "lon": place.lon if place else None,
             "country": place.country if place else None,
             "admin1": place.admin1 if place else None,
             "feature": place.feature if place else None,
             "date_start": to_date(ev.time.start) if ev.time else None,
             "date_end": to_date(ev.time.end) if ev.time else None,
             "times": list(ev.times), "fatalities": ev.fatalities, "injuries": ev.injuries,
             "modality": ev.modality, "statement": ev.statement,
             "speaker": statement.speaker.text if statement and statement.speaker else None,
             "origin": origin.key, "origin_name": origin.name,
             "evidence": [[int(s), int(e)] for s, e in ev.evidence]}
        )
        for position, role in enumerate(ev.actors):
            actor = actors.get(role.actor) if role.actor else None
            entity = entities.get(role.entity) if role.entity else None
            rows["event_actors"].append(
                {"article_id": aid, "event_id": ev.id, "position": position, "role": role.role,
                 "actor": role.actor, "entity": role.entity,
                 "name": actor.name if actor else (entity.text if entity else None),
                 "type": actor.type if actor else None,
                 "country": actor.country if actor else None,
                 "kb": actor.kb if actor else None,
                 "key": participant_key(actor) if role.role in ("source", "target") else None}
            )
    for f in record.framing:
        rows["framing"].append(
            {"article_id": aid, "id": f.id, "start_char": f.start, "end_char": f.end,
             "text": f.text, "technique": f.technique}
        )
    for n in record.sources.nodes:
        rows["sources"].append(
            {"article_id": aid, "id": n.id, "kind": n.kind, "name": n.name, "actor": n.actor}
        )
    for position, edge in enumerate(record.sources.edges):
        rows["source_edges"].append(
            {"article_id": aid, "position": position, "source": edge.source,
             "target": edge.target,
             "source_name": nodes[edge.source].name if edge.source in nodes else None,
             "target_name": nodes[edge.target].name if edge.target in nodes else None,
             "relation": edge.relation, "statements": list(edge.statements)}
        )
    return rows


@dataclass(frozen=True, slots=True)
class ErrorRow:
    source: str
    reason: str


def shard_tables(
    records: Iterable[tuple[Record, str | None]], errors: Iterable[ErrorRow] = ()
) -> dict[str, pa.Table]:
    """Arrow tables for a batch of (record, input source) pairs and analysis errors."""
    columns: dict[str, list[dict]] = {t: [] for t in SHARD_TABLES}
    for record, source in records:
        for table, rows in record_rows(record, source).items():
            columns[table].extend(rows)
    columns["errors"] = [{"source": e.source, "reason": e.reason} for e in errors]
    return {t: pa.Table.from_pylist(rows, schema=arrow_schema(t)) for t, rows in columns.items()}


def shard_bytes(tables: dict[str, pa.Table]) -> dict[str, bytes]:
    """Shard tables as Parquet file contents (what a remote worker sends back)."""
    out = {}
    for table, data in tables.items():
        buffer = io.BytesIO()
        pq.write_table(data, buffer, compression="zstd")
        out[table] = buffer.getvalue()
    return out


def write_shard(directory: Path, files: dict[str, bytes] | dict[str, pa.Table]) -> Path:
    """Write one shard as `<directory>/<table>.parquet`, atomically: the files go to a
    temporary folder renamed into place once complete, so a crash never leaves a shard
    that looks complete but is not."""
    directory = Path(directory)
    partial = directory.with_name(directory.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    for table, data in files.items():
        path = partial / f"{table}.parquet"
        if isinstance(data, pa.Table):
            pq.write_table(data, path, compression="zstd")
        else:
            path.write_bytes(data)
    partial.rename(directory)
    return directory


def is_complete_shard(directory: Path) -> bool:
    return directory.is_dir() and not directory.name.endswith(".partial") and all(
        (directory / f"{t}.parquet").is_file() for t in SHARD_TABLES
    )


# ---------------------------------------------------------------------------------------
# The store


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message says why."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    articles: int  # articles new to the store
    errors: int  # analysis errors recorded


class Store:
    """A DuckDB corpus store. Use as a context manager; one writer at a time."""

    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no store at {self.path} (run `newsint ingest` first)")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{self.path} is in use by another process (an ingest still running?)"
                ) from None
            raise StoreError(f"cannot open {self.path}: {exc}") from None
        if not read_only:
            self._create()
        self._check_version()

    # -- lifecycle
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _create(self) -> None:
        for table, columns in TABLES.items():
            cols = ", ".join(f"{_quote(n)} {t}" for n, t in columns)
            key = ", ".join(_quote(c) for c in PRIMARY_KEYS[table])
            self.con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols}, PRIMARY KEY ({key}))")
        self.con.execute(
            "INSERT INTO meta VALUES ('store_version', ?) ON CONFLICT DO NOTHING", [STORE_VERSION]
        )

    def _check_version(self) -> None:
        try:
            found = self.con.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchall()
        except duckdb.CatalogException:
            raise StoreError(f"{self.path} is not a newsint store") from None
        found = found[0] if found else None
        if not found or found[0] != STORE_VERSION:
            raise StoreError(
                f"{self.path} is a {found[0] if found else 'unversioned'} store; this newsint "
                f"reads {STORE_VERSION} (re-ingest into a new file)"
            )

    # -- reading
    def query(self, sql: str, params: Sequence[object] | None = None) -> tuple[list[str], list[tuple]]:
        cursor = self.con.execute(sql, params or [])
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return columns, cursor.fetchall()

    def count(self, table: str) -> int:
        return self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]

    def known_articles(self) -> dict[str, str]:
        """Every stored article id with its text hash."""
        return dict(self.con.execute("SELECT id, text_hash FROM articles").fetchall())

    def known_articles_among(self, ids: Iterable[str]) -> list[str]:
        """Which of `ids` are stored articles."""
        ids = sorted(set(ids))
        if not ids:
            return []
        rows = self.con.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall()
        return [r[0] for r in rows]

    def get_record(self, article_id: str) -> Record | None:
        rows = self.con.execute("SELECT record FROM articles WHERE id = ?", [article_id]).fetchall()
        return Record.from_json(rows[0][0]) if rows else None

    def iter_records(self) -> Iterator[Record]:
        cursor = self.con.cursor().execute("SELECT record FROM articles ORDER BY id")
        while batch := cursor.fetchmany(256):
            for (data,) in batch:
                yield Record.from_json(data)

    def table_rows(self, table: str) -> list[tuple]:
        """A table's rows in key order (what tests compare)."""
        return self.con.execute(f"SELECT * FROM {table} ORDER BY {order_by(table)}").fetchall()

    # -- the read API (CLI, exports, web)
    def events(
        self,
        *,
        country: str | None = None,
        type: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        actor: str | None = None,
        modality: str | None = None,
        article_id: str | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        """Events as reported, one row per (article, event), with their article, place,
        participants by role, the words they come from, and their cluster.

        `type` matches a PLOVER type, an ACLED event type or sub-event type (any case);
        `since`/`until` keep events whose dates overlap the window (an undated event is
        dated by its article's publication); `actor` matches a participant's name or alias
        (case-insensitive substring)."""
        where, params = _event_filters(
            country=country, type=type, since=since, until=until, actor=actor,
            modality=modality, article_id=article_id,
        )
        sql = f"""
            SELECT e.article_id, e.id AS event_id, e.type, e.mode, e.acled_type, e.acled_subtype,
                   e.cameo, e.date_start, e.date_end, e.modality, e.fatalities, e.injuries,
                   e.place_name, e.country, e.admin1, e.lat, e.lon, e.geonameid, e.feature,
                   e.trigger, e.trigger_start, e.evidence, e.speaker, e.statement,
                   e.origin, e.origin_name,
                   a.outlet, a.published, a.title, a.url, a.text,
                   m.cluster_id, c.n_reports AS cluster_reports, c.n_outlets AS cluster_outlets,
                   c.n_origins AS cluster_origins,
                   {_role_list('source')} AS sources, {_role_list('target')} AS targets,
                   {_role_list('victims')} AS victims
            FROM events e
            JOIN articles a ON a.id = e.article_id
            LEFT JOIN cluster_members m ON m.article_id = e.article_id AND m.event_id = e.id
            LEFT JOIN clusters c ON c.id = m.cluster_id
            {where}
            ORDER BY coalesce(e.date_start, a.published) NULLS LAST, e.article_id, e.id
            {f'LIMIT {int(limit)}' if limit else ''}"""
        columns, rows = self.query(sql, params)
        out = []
        for row in rows:
            item = dict(zip(columns, row))
            text = item.pop("text")
            item["evidence_text"] = [text[s:e] for s, e in (item["evidence"] or [])]
            out.append(item)
        return out

    def clusters(
        self,
        *,
        country: str | None = None,
        type: str | None = None,
        since: str | dt.date | None = None,
        until: str | dt.date | None = None,
        min_reports: int = 1,
        limit: int | None = None,
        order: str = "date",
    ) -> list[dict]:
        """Clusters (events across articles) with their lead report: the member with the
        most precise place and date, whose wording, actors and link speak for the cluster."""
        where, params = ["c.n_reports >= ?"], [min_reports]
        if country:
            where.append("upper(c.country) = upper(?)")
            params.append(country)
        if type:
            where.append(
                "(upper(c.type) = upper(?) OR lower(c.acled_type) = lower(?) "
                "OR lower(c.acled_subtype) = lower(?))"
            )
            params += [type, type, type]
        if since:
            where.append("c.date_end >= ?::DATE")
            params.append(str(since))
        if until:
            where.append("c.date_start <= ?::DATE")
            params.append(str(until))
        ordering = {
            "date": "c.date_start NULLS LAST, c.id",
            "reports": "c.n_reports DESC, c.n_origins DESC, c.date_start NULLS LAST, c.id",
        }[order]
        sql = f"""
            SELECT c.*, e.mode, e.modality, e.trigger, e.trigger_start, e.evidence,
                   e.geonameid, a.url, a.title, a.outlet, a.published, a.text,
                   (SELECT max(a2.published) FROM cluster_members m2
                      JOIN articles a2 ON a2.id = m2.article_id
                     WHERE m2.cluster_id = c.id) AS last_published,
                   {_role_list('source')} AS sources, {_role_list('target')} AS targets,
                   {_role_list('victims')} AS victims,
                   {_role_list('source', 'type')} AS source_types,
                   {_role_list('target', 'type')} AS target_types,
                   {_role_list('victims', 'type')} AS victim_types,
                   {_role_list('source', 'country')} AS source_countries,
                   {_role_list('target', 'country')} AS target_countries
            FROM clusters c
            JOIN events e ON e.article_id = c.article_id AND e.id = c.event_id
            JOIN articles a ON a.id = c.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {ordering}
            {f'LIMIT {int(limit)}' if limit else ''}"""
        columns, rows = self.query(sql, params)
        out = []
        for row in rows:
            item = dict(zip(columns, row))
            text = item.pop("text")
            item["evidence_text"] = [text[s:e] for s, e in (item["evidence"] or [])]
            item["lead_paragraph_end"] = _first_paragraph_end(text)
            out.append(item)
        return out

    # -- writing records
    def add_records(self, records: Iterable[tuple[Record, str | None]] | Iterable[Record]) -> LoadResult:
        """Write records (with their input source, or bare) in one transaction; articles
        already stored are left as they are."""
        pairs = [(r, None) if isinstance(r, Record) else r for r in records]
        return self.load_tables(shard_tables(pairs))

    def load_tables(self, tables: dict[str, pa.Table]) -> LoadResult:
        """Load one in-memory shard (Arrow tables)."""
        sources = {}
        for table, data in tables.items():
            name = f"_shard_{table}"
            self.con.register(name, data)
            sources[table] = f"(SELECT *, '' AS _shard FROM {name})"
        try:
            return self._load(sources)
        finally:
            for table in tables:
                self.con.unregister(f"_shard_{table}")

    def load_shards(self, directories: Sequence[Path]) -> LoadResult:
        """Load complete shard folders in one transaction (articles already stored, or
        appearing twice among the shards, are written once)."""
        if not directories:
            return LoadResult(0, 0)
        sources = {}
        for table in SHARD_TABLES:
            files = ", ".join(
                "'" + str(Path(d) / f"{table}.parquet").replace("'", "''") + "'" for d in directories
            )
            sources[table] = (
                f"(SELECT * EXCLUDE (filename), parse_dirpath(filename) AS _shard "
                f"FROM read_parquet([{files}], filename = true))"
            )
        return self._load(sources)

    def _load(self, sources: dict[str, str]) -> LoadResult:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            # Which shard each new article is taken from: the first that has it.
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE _new AS
                    SELECT id, min(_shard) AS _shard FROM {sources['articles']}
                    WHERE id NOT IN (SELECT id FROM articles) GROUP BY id"""
            )
            for table in LAYER_TABLES:
                cols = ", ".join(_quote(c) for c, _ in TABLES[table])
                con.execute(
                    f"""INSERT INTO {table} ({cols})
                        SELECT {', '.join('s.' + _quote(c) for c, _ in TABLES[table])}
                        FROM {sources[table]} s JOIN _new n
                          ON s.article_id = n.id AND s._shard = n._shard"""
                )
            cols = ", ".join(_quote(c) for c, _ in TABLES["articles"])
            added = con.execute(
                f"""INSERT INTO articles ({cols})
                    SELECT {', '.join('s.' + _quote(c) for c, _ in TABLES['articles'])}
                    FROM {sources['articles']} s JOIN _new n ON s.id = n.id AND s._shard = n._shard"""
            ).fetchall()[0][0]
            # Each article's own input now maps to it, and is no longer in error.
            con.execute(
                f"""INSERT OR REPLACE INTO inputs
                    SELECT source, min(id) FROM {sources['articles']}
                    WHERE source IS NOT NULL GROUP BY source"""
            )
            con.execute(
                f"""DELETE FROM errors WHERE source IN
                    (SELECT source FROM {sources['articles']} WHERE source IS NOT NULL)"""
            )
            # Inputs whose analysis failed: in error, and no longer mapped to an article.
            errors = con.execute(
                f"""INSERT OR REPLACE INTO errors
                    SELECT source, min(reason) FROM {sources['errors']} GROUP BY source"""
            ).fetchall()[0][0]
            con.execute(
                f"""DELETE FROM inputs WHERE source IN (SELECT source FROM {sources['errors']})"""
            )
            con.execute("DROP TABLE _new")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return LoadResult(int(added), int(errors))

    # -- inputs and errors the ingest job finds itself
    def record_inputs(self, rows: Sequence[tuple[str, str]]) -> None:
        """Map input items to the (stored) articles they gave; they are no longer errors."""
        if not rows:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.executemany("INSERT OR REPLACE INTO inputs VALUES (?, ?)", list(rows))
            self.con.executemany("DELETE FROM errors WHERE source = ?", [(s,) for s, _ in rows])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def record_errors(self, rows: Sequence[ErrorRow]) -> None:
        """Inputs that gave no article, with the reason; such an input no longer maps to
        the article it gave before (the file changed)."""
        if not rows:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.executemany(
                "INSERT OR REPLACE INTO errors VALUES (?, ?)", [(e.source, e.reason) for e in rows]
            )
            self.con.executemany("DELETE FROM inputs WHERE source = ?", [(e.source,) for e in rows])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # -- runs
    def start_run(self, paths: Sequence[str], engine: str, workers: int, version: str) -> int:
        # Holding the file means no other writer is alive: a run still marked as running
        # was killed.
        self.con.execute("UPDATE runs SET status = 'interrupted' WHERE status = 'running'")
        run_id = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM runs").fetchall()[0][0]
        self.con.execute(
            "INSERT INTO runs (id, started, status, paths, engine, workers, newsint_version) "
            "VALUES (?, now()::TIMESTAMP, 'running', ?, ?, ?, ?)",
            [run_id, list(paths), engine, workers, version],
        )
        return int(run_id)

    def finish_run(self, run_id: int, *, items: int, added: int, duplicates: int, errors: int,
                   seconds: float, status: str = "completed") -> None:
        self.con.execute(
            "UPDATE runs SET finished = now()::TIMESTAMP, status = ?, items = ?, "
            "articles_added = ?, duplicates = ?, errors = ?, seconds = ? WHERE id = ?",
            [status, items, added, duplicates, errors, seconds, run_id],
        )

    # -- clusters
    def reports(self) -> list[Report]:
        """Every event reported as having happened, as clustering compares it."""
        rules = default_rules()
        rows = self.con.execute(
            """SELECT e.article_id, e.id, e.type, e.date_start, e.date_end, a.published,
                      e.lat, e.lon, e.feature, e.country, e.admin1, a.outlet_key, e.origin,
                      e.fatalities,
                      list_sort(list_distinct(list(ea.key) FILTER (WHERE ea.key IS NOT NULL)))
               FROM events e JOIN articles a ON a.id = e.article_id
               LEFT JOIN event_actors ea ON ea.article_id = e.article_id AND ea.event_id = e.id
               WHERE e.modality IN ('asserted', 'reported')
               GROUP BY ALL"""
        ).fetchall()
        out = []
        for (aid, eid, etype, start, end, published, lat, lon, feature, country, admin1,
             outlet, origin, fatalities, keys) in rows:
            start, end = effective_interval(start, end, published, rules)
            out.append(
                Report(aid, eid, etype, start, end, lat, lon, feature, country, admin1,
                       frozenset(keys or ()), outlet or f"article:{aid}", origin or "", fatalities)
            )
        return out

    def rebuild_clusters(self) -> int:
        """Recompute the clusters from every stored event (deterministic: the same events
        give the same clusters, whatever order they were ingested in)."""
        clusters = cluster_reports(self.reports())
        self._write_clusters(clusters)
        return len(clusters)

    def _write_clusters(self, clusters: Sequence[Cluster]) -> None:
        con = self.con
        details = {
            (r[0], r[1]): r[2:]
            for r in con.execute(
                """SELECT e.article_id, e.id, e.acled_type, e.acled_subtype, e.cameo,
                          e.place_name, e.origin_name, a.outlet, a.published
                   FROM events e JOIN articles a ON a.id = e.article_id"""
            ).fetchall()
        }
        names: dict[tuple[str, str], list[str]] = {}
        for aid, eid, name in con.execute(
            """SELECT article_id, event_id, name FROM event_actors
               WHERE role IN ('source', 'target') AND name IS NOT NULL
               ORDER BY article_id, event_id, position"""
        ).fetchall():
            names.setdefault((aid, eid), []).append(name)
        rules = default_rules()
        level_rank = {"point": 0, "district": 1, "province": 2, "country": 3}

        cluster_rows, member_rows = [], []
        for c in clusters:
            def precision(m: Report) -> tuple:
                span = (m.date_end - m.date_start).days if m.date_start and m.date_end else 10**6
                place = level_rank[rules.level(m.feature)] if m.has_place else 9
                published = details[m.key][6]
                return (place, span, published or dt.date.max, m.key)

            lead = min(c.members, key=precision)  # the most precise report speaks for all
            acled_type, acled_sub, cameo, place_name, _, _, _ = details[lead.key]
            fatalities = [m.fatalities for m in c.members if m.fatalities is not None]
            starts = [m.date_start for m in c.members if m.date_start]
            ends = [m.date_end for m in c.members if m.date_end]
            outlets = _names_by_key((m.outlet, details[m.key][5] or f"article {m.article_id}") for m in c.members)
            origins = _names_by_key((m.origin, details[m.key][4] or m.origin) for m in c.members)
            actor_names = sorted({n for m in c.members for n in names.get(m.key, [])})
            cluster_rows.append(
                (c.id, lead.type, acled_type, acled_sub, cameo, c.n_reports, c.n_outlets,
                 c.n_origins,
                 max(starts) if starts and max(starts) <= min(ends) else lead.date_start,
                 min(ends) if starts and max(starts) <= min(ends) else lead.date_end,
                 place_name, lead.country, lead.admin1, lead.lat, lead.lon, lead.feature,
                 min(fatalities) if fatalities else None, max(fatalities) if fatalities else None,
                 outlets, origins, actor_names, lead.article_id, lead.event_id)
            )
            member_rows.extend((c.id, m.article_id, m.event_id, m.outlet, m.origin) for m in c.members)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("DELETE FROM cluster_members")
            con.execute("DELETE FROM clusters")
            if cluster_rows:
                con.register("_clusters", pa.Table.from_pylist(
                    [dict(zip([c for c, _ in TABLES["clusters"]], row)) for row in cluster_rows],
                    schema=arrow_schema("clusters")))
                con.register("_members", pa.Table.from_pylist(
                    [dict(zip([c for c, _ in TABLES["cluster_members"]], row)) for row in member_rows],
                    schema=arrow_schema("cluster_members")))
                con.execute("INSERT INTO clusters SELECT * FROM _clusters")
                con.execute("INSERT INTO cluster_members SELECT * FROM _members")
                con.unregister("_clusters")
                con.unregister("_members")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    # -- Parquet export / import
    def export_parquet(self, directory: str | Path, tables: Sequence[str] | None = None) -> list[Path]:
        """Every table (or the ones named) as `<directory>/<table>.parquet`, in key order."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for table in tables or TABLES:
            path = directory / f"{table}.parquet"
            self.con.execute(
                f"COPY (SELECT * FROM {table} ORDER BY {order_by(table)}) TO "
                f"'{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT parquet, COMPRESSION zstd)"
            )
            written.append(path)
        return written

    def import_parquet(self, directory: str | Path) -> LoadResult:
        """Merge a Parquet export (`export_parquet`) into this store: its articles with all
        their layers, inputs and errors, then recompute the clusters. Articles already here
        stay as they are, so importing twice adds nothing."""
        directory = Path(directory)
        missing = [t for t in SHARD_TABLES if not (directory / f"{t}.parquet").is_file()]
        if missing:
            raise StoreError(f"{directory} is not a newsint Parquet export (no {missing[0]}.parquet)")
        result = self.load_shards([directory])
        inputs = directory / "inputs.parquet"
        if inputs.is_file():
            rows = self.con.execute(
                f"SELECT source, article_id FROM read_parquet('{str(inputs).replace(chr(39), chr(39) * 2)}') "
                "WHERE article_id IN (SELECT id FROM articles) ORDER BY source"
            ).fetchall()
            self.record_inputs(rows)
        self.rebuild_clusters()
        return result


def _role_list(role: str, column: str = "name") -> str:
    """SQL: the `column` of an event's named participants in `role`, in their order (the
    lists for different columns line up)."""
    return (
        f"(SELECT list(ea.{column} ORDER BY ea.position) FROM event_actors ea "
        f"WHERE ea.article_id = e.article_id AND ea.event_id = e.id AND ea.role = '{role}' "
        f"AND ea.name IS NOT NULL)"
    )


def _event_filters(**filters: object) -> tuple[str, list[object]]:
    where: list[str] = []
    params: list[object] = []
    if filters.get("country"):
        where.append("upper(e.country) = upper(?)")
        params.append(filters["country"])
    if filters.get("type"):
        where.append(
            "(upper(e.type) = upper(?) OR lower(e.acled_type) = lower(?) "
            "OR lower(e.acled_subtype) = lower(?))"
        )
        params += [filters["type"]] * 3
    if filters.get("since"):
        where.append("coalesce(e.date_end, e.date_start, a.published) >= ?::DATE")
        params.append(str(filters["since"]))
    if filters.get("until"):
        where.append("coalesce(e.date_start, e.date_end, a.published) <= ?::DATE")
        params.append(str(filters["until"]))
    if filters.get("modality"):
        where.append("e.modality = ?")
        params.append(filters["modality"])
    if filters.get("article_id"):
        where.append("e.article_id = ?")
        params.append(filters["article_id"])
    if filters.get("actor"):
        where.append(
            """EXISTS (SELECT 1 FROM event_actors ea
                       LEFT JOIN actors ac ON ac.article_id = ea.article_id AND ac.id = ea.actor
                       WHERE ea.article_id = e.article_id AND ea.event_id = e.id
                         AND (ea.name ILIKE ? OR list_contains(
                              list_transform(coalesce(ac.aliases, []), lambda x: lower(x)), lower(?))))"""
        )
        params += [f"%{filters['actor']}%", filters["actor"]]
    return ("WHERE " + " AND ".join(where)) if where else "", params


def _first_paragraph_end(text: str) -> int:
    """Where the article's lead paragraph ends (GDELT's IsRootEvent looks there)."""
    stripped = len(text) - len(text.lstrip())
    end = text.find("\n", stripped)
    return len(text) if end < 0 else end


def _names_by_key(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """One display name per distinct key (the first in sort order), sorted: the list has
    as many names as the count of distinct keys it illustrates."""
    names: dict[str, str] = {}
    for key, name in sorted(pairs):
        names.setdefault(key, name)
    return sorted(names.values())


def open_store(path: str | Path | None = None, read_only: bool = False) -> Store:
    return Store(path or DEFAULT_DB, read_only=read_only)


def table_json(store: Store, sql: str, params: Sequence[object] | None = None) -> list[dict]:
    """Rows of a query as JSON-ready dicts (dates as ISO strings)."""
    columns, rows = store.query(sql, params)
    return [dict(zip(columns, (_jsonable(v) for v in row))) for row in rows]


def _jsonable(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


__all__ = [
    "DEFAULT_DB", "STORE_VERSION", "TABLES", "CONTENT_TABLES", "SHARD_TABLES", "Store",
    "StoreError", "ErrorRow", "LoadResult", "open_store", "record_rows", "shard_tables",
    "shard_bytes", "write_shard", "is_complete_shard", "table_json",
]
