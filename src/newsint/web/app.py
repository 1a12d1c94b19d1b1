"""`newsint serve`: the HTTP API and web UI over a corpus store.

    from newsint.web import create_app
    app = create_app("newsint.duckdb", token=None)   # an ASGI app; uvicorn serves it

API (OpenAPI at /openapi.json, interactive at /docs):
    GET  /api/articles            search articles (text, outlet, country, actor, dates)
    GET  /api/articles/{id}       one article's full newsint/1 record
    GET  /api/events              events with filters (country, type, dates, actor, ...)
    GET  /api/clusters            reports of the same event across articles
    GET  /api/stats               how much the store holds
    POST /api/analyze             text in, record out; needs the API token
Pages: / (search), /article/{id}, /sources/{id}, /map, /timeline, /docs.

The store is opened read-only for the server's lifetime (stop the server to ingest more).
Article text is untrusted: templates autoescape, the article view is built from escaped
pieces (annotate.py), the page scripts build the DOM with textContent only, and a strict
Content-Security-Policy stands behind all of that (security.py).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jinja2 import Environment, PackageLoader
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

import newsint
from newsint.schema import Record
from newsint.store import Store, StoreError
from newsint.web import annotate, queries, views
from newsint.web.assets import Asset, assets_version, load_assets
from newsint.web.models import (
    ArticlePage,
    ArticleSummary,
    ClusterPage,
    ClusterRow,
    EventPage,
    EventRow,
    Stats,
    openapi_components,
    schema_ref,
)
from newsint.web.security import (
    LOOPBACK_HOSTS,
    MAX_BODY_BYTES,
    TOKEN_ENV,
    SecurityHeaders,
    check_token,
    token_matches,
)

MAX_ANALYZE_CHARS = 200_000
MAX_EVENTS = 5000
DEFAULT_EVENTS = 2000
MAX_PAGE = 200

MODALITY = Literal["asserted", "reported", "negated", "hypothetical", "forecast"]


class AnalyzeRequest(BaseModel):
    """One article to analyse. Nothing is stored: the record is returned."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_ANALYZE_CHARS, description="The article text.")
    published: dt.date | None = Field(None, description="Publication date; relative dates resolve against it.")
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    outlet: str | None = Field(None, max_length=300)


class _StoreAccess:
    """The one read-only store connection, used by one request at a time (a DuckDB
    connection is not to be shared between threads mid-query)."""

    def __init__(self, path: Path) -> None:
        self.store = Store(path, read_only=True)
        self.lock = threading.Lock()

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        with self.lock:
            yield self.store

    def close(self) -> None:
        with self.lock:
            self.store.close()


def _json(data: object, status: int = 200) -> Response:
    return Response(msgspec.json.encode(data), status_code=status, media_type="application/json")


def _record_response(data: str) -> Response:
    return Response(data.encode("utf-8"), media_type="application/json")


# ---------------------------------------------------------------------------------------
# Query parameters shared by the API and the pages


CountryQ = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. AF.")
]
TypeQ = Annotated[
    str | None,
    Query(max_length=64, description="PLOVER type (ASSAULT), ACLED event type or sub-event type."),
]
SinceQ = Annotated[dt.date | None, Query(description="On or after this date (YYYY-MM-DD).")]
UntilQ = Annotated[dt.date | None, Query(description="On or before this date (YYYY-MM-DD).")]
ActorQ = Annotated[
    str | None, Query(max_length=200, description="A participant's name (substring) or alias.")
]


class EventFilters(msgspec.Struct, kw_only=True, omit_defaults=True):
    country: str | None = None
    type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    actor: str | None = None
    modality: str | None = None
    article: str | None = None

    def store_args(self) -> dict[str, object]:
        return {
            "country": self.country, "type": self.type, "since": self.since,
            "until": self.until, "actor": self.actor, "modality": self.modality,
            "article_id": self.article,
        }

    def as_params(self) -> dict[str, str]:
        return {k: v.isoformat() if isinstance(v, dt.date) else v
                for k, v in msgspec.structs.asdict(self).items() if v not in (None, "")}


def event_filters(
    country: CountryQ = None,
    type: TypeQ = None,
    since: SinceQ = None,
    until: UntilQ = None,
    actor: ActorQ = None,
    modality: Annotated[MODALITY | None, Query(description="Only events of this modality.")] = None,
    article: Annotated[str | None, Query(max_length=200, description="Only this article's events.")] = None,
) -> EventFilters:
    return EventFilters(
        country=country.upper() if country else None, type=type or None, since=since,
        until=until, actor=actor or None, modality=modality, article=article or None,
    )


def search_filters(
    q: Annotated[str | None, Query(max_length=500, description='Words that must all occur; "quoted phrases" stay whole.')] = None,
    outlet: Annotated[str | None, Query(max_length=200, description="Outlet name (substring).")] = None,
    country: CountryQ = None,
    actor: ActorQ = None,
    since: Annotated[dt.date | None, Query(description="Published on or after (YYYY-MM-DD).")] = None,
    until: Annotated[dt.date | None, Query(description="Published on or before (YYYY-MM-DD).")] = None,
) -> queries.SearchFilters:
    return queries.SearchFilters(
        q=(q or "").strip() or None, outlet=(outlet or "").strip() or None,
        country=country.upper() if country else None, actor=(actor or "").strip() or None,
        since=since, until=until,
    )


ArticleId = Annotated[str, PathParam(max_length=300, description="The article id.")]

bearer = HTTPBearer(auto_error=False, description=f"The server's API token ({TOKEN_ENV} or --token-file).")

# ---------------------------------------------------------------------------------------


def create_app(
    db_path: str | Path,
    token: str | None = None,
    *,
    allowed_hosts: tuple[str, ...] | None = LOOPBACK_HOSTS,
    max_body: int = MAX_BODY_BYTES,
) -> FastAPI:
    """The web application over the store at `db_path` (opened read-only).

    `token` enables POST /api/analyze for requests sending `Authorization: Bearer TOKEN`;
    without one the endpoint answers 403. `allowed_hosts` are the host names requests may
    name (default: this machine's loopback names; `("*",)` allows any, for a server bound
    to a public address). Raises StoreError when the store cannot be opened."""
    token = check_token(token)
    access = _StoreAccess(Path(db_path))
    assets = load_assets()
    version = assets_version(assets)
    env = Environment(
        loader=PackageLoader("newsint.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        asset_version=version, newsint_version=newsint.__version__,
        article_href=views.article_href, sources_href=views.sources_href,
        record_href=views.record_href, query_href=views.query_href, iso=views.iso,
    )
    analysis_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        access.close()

    app = FastAPI(
        title="newsint",
        version=newsint.__version__,
        summary="Structured, source-attributed records from news reports.",
        description=(
            "Read a newsint corpus store: articles with every layer of their `newsint/1` "
            "record, events with where, when, who did what to whom and who says so, and "
            "clusters of reports of the same event. `POST /api/analyze` is enabled only "
            f"when the server has a token (`newsint serve --token-file FILE` or `{TOKEN_ENV}`)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
        max_body_size=max_body,
    )
    # The last added is the outermost: the security headers go on every answer, including
    # the refusal of an unknown host.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts or ("*",)))
    app.add_middleware(SecurityHeaders)

    def render(name: str, status: int = 200, **context: object) -> HTMLResponse:
        html = env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(("/api/", "/openapi.json", "/static/"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_html(request):
            return render("error.html", status=exc.status_code, page="error",
                          status_code=exc.status_code, message=str(exc.detail))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if wants_html(request):
            message = "; ".join(f"{p['loc'][-1] if p['loc'] else 'request'}: {p['msg']}" for p in problems)
            return render("error.html", status=422, page="error", status_code=422, message=message)
        return JSONResponse({"detail": problems}, status_code=422)

    # -- static files, from memory

    @app.get("/static/{name:path}", include_in_schema=False)
    def static(name: str, request: Request) -> Response:
        asset: Asset | None = assets.get(name)
        if asset is None:
            raise HTTPException(404, "no such file")
        headers = {"etag": asset.etag, "cache-control": "no-cache"}
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        return Response(asset.body, media_type=asset.content_type, headers=headers)

    # -- API

    @app.get("/api/stats", tags=["corpus"], summary="What the store holds", responses={200: schema_ref(Stats)})
    def api_stats() -> Response:
        """How many articles, events, statements, places and clusters the store holds."""
        with access() as store:
            counts = queries.corpus_counts(store)
        return _json(msgspec.convert(counts, Stats))

    @app.get("/api/articles", tags=["articles"], summary="Search articles", responses={200: schema_ref(ArticlePage)})
    def api_articles(
        filters: Annotated[queries.SearchFilters, Depends(search_filters)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> Response:
        """Search articles, newest first: every word of `q` must occur in the text or title;
        `country` keeps articles with a place or event in that country; `actor` those naming
        an actor of that name or alias."""
        with access() as store:
            total, items = queries.search_articles(store, filters, limit=limit, offset=offset)
        page = ArticlePage(total=total, limit=limit, offset=offset,
                           items=msgspec.convert(items, list[ArticleSummary]))
        return _json(page)

    @app.get(
        "/api/articles/{article_id:path}", tags=["articles"], summary="One article's record",
        responses={200: schema_ref(Record, "The article's newsint/1 record."), 404: {"description": "No such article."}},
    )
    def api_article(article_id: ArticleId) -> Response:
        """One article's full `newsint/1` record, as `newsint analyze` writes it."""
        with access() as store:
            _, rows = store.query("SELECT record FROM articles WHERE id = ?", [article_id])
        if not rows:
            raise HTTPException(404, "no article with this id")
        return _record_response(rows[0][0])

    @app.get("/api/events", tags=["events"], summary="Events with filters", responses={200: schema_ref(EventPage)})
    def api_events(
        filters: Annotated[EventFilters, Depends(event_filters)],
        limit: Annotated[int, Query(ge=1, le=MAX_EVENTS)] = DEFAULT_EVENTS,
        format: Annotated[Literal["json", "geojson"], Query(description="json, or geojson for located events.")] = "json",
    ) -> Response:
        """Events as reported, oldest first, each with its article, place, participants by
        role, the words it comes from (`evidence_text`) and its cluster. `type` matches a
        PLOVER type, an ACLED type or sub-event type; `since`/`until` keep events whose dates
        overlap the window (an undated event is dated by its article's publication)."""
        with access() as store:
            rows = store.events(**filters.store_args(), limit=limit + 1)
        truncated = len(rows) > limit
        rows = rows[:limit]
        if format == "geojson":
            from newsint.export import events_geojson

            return Response(msgspec.json.encode(events_geojson(rows)), media_type="application/geo+json")
        items = msgspec.convert(rows, list[EventRow])
        return _json(EventPage(count=len(items), truncated=truncated, items=items))

    @app.get("/api/clusters", tags=["events"], summary="Reports of the same event across articles", responses={200: schema_ref(ClusterPage)})
    def api_clusters(
        country: CountryQ = None,
        type: TypeQ = None,
        since: SinceQ = None,
        until: UntilQ = None,
        min_reports: Annotated[int, Query(ge=1, le=100_000, description="At least this many reports.")] = 1,
        order: Annotated[Literal["date", "reports"], Query()] = "date",
        limit: Annotated[int, Query(ge=1, le=MAX_EVENTS)] = DEFAULT_EVENTS,
    ) -> Response:
        """Events across articles: reports of the same event with the number of reports, of
        distinct outlets and of independent origins, and the lead report that speaks for
        them."""
        with access() as store:
            rows = store.clusters(country=country, type=type, since=since, until=until,
                                  min_reports=min_reports, order=order, limit=limit + 1)
        truncated = len(rows) > limit
        items = msgspec.convert(rows[:limit], list[ClusterRow])
        return _json(ClusterPage(count=len(items), truncated=truncated, items=items))

    @app.post(
        "/api/analyze", tags=["analyze"], summary="Analyse one article (needs the token)",
        responses={
            200: schema_ref(Record, "The article's newsint/1 record."),
            401: {"description": "Missing or wrong token."},
            403: {"description": "The server has no token: analysis is disabled."},
            413: {"description": "Request body too large."},
        },
    )
    def api_analyze(
        body: AnalyzeRequest,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Response:
        """Analyse one article (text in, `newsint/1` record out); nothing is stored.
        Disabled unless the server was started with a token; send it as
        `Authorization: Bearer TOKEN`. Text is limited to 200,000 characters."""
        if token is None:
            raise HTTPException(
                403, f"analysis is disabled: start the server with --token-file FILE or {TOKEN_ENV}"
            )
        if credentials is None or not token_matches(token, credentials.credentials):
            raise HTTPException(401, "missing or wrong API token", headers={"www-authenticate": "Bearer"})
        from newsint.ingest import InputError, make_article
        from newsint.pipeline import analyze_article

        try:
            article = make_article(
                body.text, title=body.title, url=body.url, outlet=body.outlet,
                published=body.published.isoformat() if body.published else None,
            )
        except InputError as exc:
            raise HTTPException(422, str(exc)) from None
        with analysis_lock:  # one spaCy parse at a time in this process
            record = analyze_article(article)
        return _record_response(record.to_json())

    # -- OpenAPI: FastAPI's document plus the msgspec structs the responses follow

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, summary=app.summary,
            description=app.description, routes=app.routes,
        )
        document.setdefault("components", {}).setdefault("schemas", {}).update(openapi_components())
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return render("docs.html", page="docs")

    # -- pages

    @app.get("/", include_in_schema=False)
    def search_page(
        filters: Annotated[queries.SearchFilters, Depends(search_filters)],
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> HTMLResponse:
        limit = 25
        with access() as store:
            total, items = queries.search_articles(store, filters, limit=limit, offset=offset)
            counts = queries.corpus_counts(store)
        params = {
            "q": filters.q, "outlet": filters.outlet, "country": filters.country,
            "actor": filters.actor, "since": views.iso(filters.since), "until": views.iso(filters.until),
        }
        for item in items:
            item["title_shown"] = views.article_title({"title": item["title"], "text": item["snippet"]})
            item["pieces"] = _pieces(item["snippet"], item["highlights"])
        return render(
            "search.html", page="search", filters=params, total=total, items=items,
            counts=counts, offset=offset, limit=limit,
            prev_href=views.query_href("/", {**params, "offset": max(0, offset - limit) or None}) if offset else None,
            next_href=views.query_href("/", {**params, "offset": offset + limit}) if offset + limit < total else None,
        )

    def load_record(article_id: str) -> tuple[dict, dict[str, dict]]:
        with access() as store:
            _, rows = store.query("SELECT record FROM articles WHERE id = ?", [article_id])
            clusters = queries.article_clusters(store, article_id) if rows else {}
        if not rows:
            raise HTTPException(404, "There is no article with this id in the store.")
        return msgspec.json.decode(rows[0][0]), clusters

    @app.get("/article/{article_id:path}", include_in_schema=False)
    def article_page(article_id: ArticleId) -> HTMLResponse:
        record, clusters = load_record(article_id)
        article = record["article"]
        return render(
            "article.html", page="article", record=record, article=article,
            title=views.article_title(article), url=views.safe_url(article.get("url")),
            text_html=annotate.render_text(article["text"], record),
            legend=views.legend(record), statements=views.statement_rows(record),
            events=views.event_rows(record, clusters),
            clusters={k: {"id": v["cluster_id"], "reports": v["n_reports"], "outlets": v["n_outlets"],
                          "origins": v["n_origins"]} for k, v in clusters.items()},
        )

    @app.get("/sources/{article_id:path}", include_in_schema=False)
    def sources_page(article_id: ArticleId) -> HTMLResponse:
        record, _ = load_record(article_id)
        article = record["article"]
        return render(
            "sources.html", page="sources", record=record, article=article,
            title=views.article_title(article), statements=views.statement_rows(record),
        )

    @app.get("/map", include_in_schema=False)
    def map_page(filters: Annotated[EventFilters, Depends(event_filters)]) -> HTMLResponse:
        return render("map.html", page="map", filters=filters.as_params(),
                      article_meta=_article_meta(filters.article))

    @app.get("/timeline", include_in_schema=False)
    def timeline_page(filters: Annotated[EventFilters, Depends(event_filters)]) -> HTMLResponse:
        return render("timeline.html", page="timeline", filters=filters.as_params(),
                      article_meta=_article_meta(filters.article))

    def _article_meta(article_id: str | None) -> dict | None:
        if not article_id:
            return None
        with access() as store:
            meta = queries.article_meta(store, article_id)
        if meta is None:
            raise HTTPException(404, "There is no article with this id in the store.")
        meta["title_shown"] = views.article_title({"title": meta["title"], "text": ""}) or article_id
        return meta

    return app


def _pieces(text: str, highlights: list[list[int]]) -> list[tuple[str, bool]]:
    """A snippet cut into (text, is a search match) pieces for the template."""
    out, pos = [], 0
    for start, end in highlights:
        if start > pos:
            out.append((text[pos:start], False))
        out.append((text[start:end], True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


__all__ = ["create_app", "StoreError", "MAX_ANALYZE_CHARS"]
