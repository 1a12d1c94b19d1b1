"""The `newsint` command: a thin Typer layer over the Python API."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    help="Turn news reports into structured, source-attributed records (schema newsint/1).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

PathsArg = Annotated[
    list[str],
    typer.Argument(help="Files (.txt, .html, .jsonl, .json), folders (recursive), or - for stdin."),
]
PublishedOpt = Annotated[
    Optional[str],
    typer.Option("--published", help="Publication date YYYY-MM-DD for items that give none."),
]
OutletOpt = Annotated[
    Optional[str], typer.Option("--outlet", help="Outlet name for items that give none.")
]


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"newsint: error: {message}", err=True)
    raise typer.Exit(code)


def batched(iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while chunk := list(islice(it, size)):
        yield chunk


@app.command()
def analyze(
    paths: PathsArg,
    published: PublishedOpt = None,
    outlet: OutletOpt = None,
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="Write JSON Lines here (default: stdout).")
    ] = None,
) -> None:
    """Analyse articles and write one newsint/1 record per article as JSON Lines."""
    from newsint.ingest import InputError, iter_items
    from newsint.pipeline import analyze_articles

    try:
        items = iter_items(paths, published=published, outlet=outlet)
        first = list(islice(items, 1))  # validates --published before any work
    except InputError as exc:
        fail(f"--published: {exc}")
    items = iter([*first, *items]) if first else iter(())

    out = output.open("w", encoding="utf-8") if output else sys.stdout
    failures = 0
    try:
        for chunk in batched(items, 32):
            for item in chunk:
                if not item.ok:
                    failures += 1
                    typer.echo(f"newsint: {item.source}: {item.error}", err=True)
            good = [item.article for item in chunk if item.ok]
            for record in analyze_articles(good):
                out.write(record.to_json())
                out.write("\n")
            out.flush()
    finally:
        if output:
            out.close()
    if failures:
        typer.echo(f"newsint: {failures} item(s) failed; see the lines above", err=True)
        raise typer.Exit(1)


@app.command()
def info() -> None:
    """Versions of newsint, spaCy and the model, and the data files in use, as JSON."""
    import spacy

    import newsint
    from newsint.data import data_files
    from newsint.gazetteer import gazetteer_info
    from newsint.parse import model_info

    typer.echo(
        json.dumps(
            {
                "newsint": newsint.__version__,
                "schema": "newsint/1",
                "python": sys.version.split()[0],
                "spacy": spacy.__version__,
                "spacy_model": model_info(),
                "data_files": [*data_files(), gazetteer_info()],
            },
            indent=2,
        )
    )


# ---------------------------------------------------------------------------------------
# The corpus: ingest into a DuckDB store, then query, summarise and export it.

DbOpt = Annotated[
    Path, typer.Option("--db", help="The corpus store (a DuckDB file).")
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]


def _stdout():
    from rich.console import Console

    return Console()


def _open_store(db: Path, read_only: bool = True):
    from newsint.store import Store, StoreError

    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        fail(str(exc))


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = Path("newsint.duckdb"),
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=0, help="Worker processes (one spaCy model each); 0 runs in this process.")
    ] = 1,
    engine: Annotated[
        str, typer.Option("--engine", help="local (process pool) or dask (a Dask cluster).")
    ] = "local",
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Dask scheduler address (with --engine dask); none starts a local cluster of --workers.")
    ] = None,
    published: PublishedOpt = None,
    outlet: OutletOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Analyse articles into the corpus store. Safe to rerun: stored articles are skipped,
    and a killed run is finished by running the same command again. Exit status 1 when
    some inputs gave no article (each is in the `errors` table with its reason)."""
    from rich.console import Console

    from newsint.corpus import ingest_with_progress, render_ingest_result
    from newsint.ingest import InputError, normalise_date
    from newsint.store import StoreError

    if engine not in ("local", "dask"):
        fail(f"--engine: {engine!r} is not local or dask")
    if scheduler and engine != "dask":
        fail("--scheduler needs --engine dask")
    try:
        normalise_date(published)
    except InputError as exc:
        fail(f"--published: {exc}")
    err = Console(stderr=True)
    try:
        result = ingest_with_progress(
            paths, db, err, quiet=quiet, workers=workers, engine=engine, scheduler=scheduler,
            published=published, outlet=outlet,
        )
    except StoreError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        err.print("[yellow]Interrupted.[/] What was analysed is stored; run the same command again to finish.")
        raise typer.Exit(130) from None
    with _open_store(db) as store:
        render_ingest_result(result, store, _stdout())
    if result.errors:
        raise typer.Exit(1)  # as `analyze`: some inputs gave no article (they are in `errors`)


def _print_rows(columns: list[str], rows: list[tuple], fmt: str) -> None:
    from newsint.export import _cell, write_json

    if fmt == "json":
        write_json([dict(zip(columns, row)) for row in rows], sys.stdout)
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
    elif fmt == "table":
        from rich.table import Table

        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        _stdout().print(table)
    else:
        fail(f"--format: {fmt!r} is not table, csv or json")


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help='SQL, e.g. "SELECT outlet, count(*) FROM articles GROUP BY outlet".')],
    db: DbOpt = Path("newsint.duckdb"),
    fmt: FormatOpt = "table",
) -> None:
    """Run SQL against the store (read-only). Tables: articles, entities, actors, places,
    times, statements, events, event_actors, framing, sources, source_edges, clusters,
    cluster_members, inputs, errors, runs."""
    import duckdb

    with _open_store(db) as store:
        try:
            columns, rows = store.query(query)
        except duckdb.Error as exc:
            fail(str(exc).splitlines()[0])
    _print_rows(columns, rows, fmt)


@app.command()
def events(
    db: DbOpt = Path("newsint.duckdb"),
    country: Annotated[Optional[str], typer.Option("--country", help="ISO 3166 alpha-2 code, e.g. AF.")] = None,
    type: Annotated[Optional[str], typer.Option("--type", help="PLOVER type (ASSAULT), ACLED type or sub-event type.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Events on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Events on or before YYYY-MM-DD.")] = None,
    actor: Annotated[Optional[str], typer.Option("--actor", help="A participant's name (substring) or alias.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, json or geojson.")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="At most this many (0: all; the table shows 100 by default).")] = -1,
) -> None:
    """Events in the store, with where, when, who did what to whom and who says so."""
    from newsint.export import EVENT_PROPERTIES, events_geojson, write_delimited, write_json
    from newsint.ingest import InputError, normalise_date

    for name, value in (("--since", since), ("--until", until)):
        try:
            normalise_date(value, name)
        except InputError as exc:
            fail(str(exc))
    if fmt not in ("table", "csv", "json", "geojson"):
        fail(f"--format: {fmt!r} is not table, csv, json or geojson")
    cap = (100 if fmt == "table" else 0) if limit < 0 else limit
    with _open_store(db) as store:
        rows = store.events(country=country, type=type, since=since, until=until, actor=actor,
                            limit=cap + 1 if cap else None)
    more = bool(cap) and len(rows) > cap
    rows = rows[:cap] if cap else rows
    columns = [c for c in EVENT_PROPERTIES] + ["lat", "lon"]
    if fmt == "csv":
        write_delimited(rows, columns, sys.stdout)
    elif fmt == "json":
        write_json([{k: r.get(k) for k in columns} for r in rows], sys.stdout)
    elif fmt == "geojson":
        write_json(events_geojson(rows), sys.stdout)
    else:
        from newsint.corpus import render_events

        render_events(rows, _stdout(), more=more)


@app.command()
def export(
    fmt: Annotated[str, typer.Argument(help="acled, gdelt, geojson, clusters-geojson, parquet or jsonl.")],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File (a folder for parquet); default stdout.")] = None,
    db: DbOpt = Path("newsint.duckdb"),
    country: Annotated[Optional[str], typer.Option("--country", help="ISO 3166 alpha-2 code.")] = None,
    type: Annotated[Optional[str], typer.Option("--type", help="PLOVER, ACLED type or sub-event type.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="YYYY-MM-DD.")] = None,
) -> None:
    """Export the store: ACLED-style CSV or GDELT-style TSV (one row per event cluster),
    GeoJSON of events or clusters, Parquet of every table, or the records as JSON Lines."""
    from newsint.export import FORMATS
    from newsint.export import export as run_export

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "parquet" and output is None:
        fail("the Parquet export needs a folder: -o DIR")
    filters = {k: v for k, v in dict(country=country, type=type, since=since, until=until).items() if v}
    with _open_store(db) as store:
        if fmt == "parquet":
            count = run_export(store, fmt, directory=str(output))
        elif output is None:
            count = run_export(store, fmt, sys.stdout, **filters)
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                count = run_export(store, fmt, out, **filters)
    if output is not None:
        typer.echo(f"newsint: wrote {count:,} {'tables' if fmt == 'parquet' else 'rows'} to {output}", err=True)


@app.command(name="import")
def import_(
    directory: Annotated[Path, typer.Argument(help="A folder written by `newsint export parquet`.")],
    db: DbOpt = Path("newsint.duckdb"),
) -> None:
    """Merge a Parquet export into the store (articles already there are kept)."""
    from newsint.store import StoreError

    with _open_store(db, read_only=False) as store:
        try:
            result = store.import_parquet(directory)
        except StoreError as exc:
            fail(str(exc))
        typer.echo(f"newsint: {result.articles:,} new articles; the store holds {store.count('articles'):,}")


@app.command()
def summary(db: DbOpt = Path("newsint.duckdb")) -> None:
    """What the store holds: articles, events by type and country, top actors, the event
    clusters with their independent origins, and what to try next."""
    from newsint.corpus import corpus_summary, render_summary

    with _open_store(db) as store:
        data = corpus_summary(store)
    render_summary(data, _stdout())


@app.command()
def serve(
    db: DbOpt = Path("newsint.duckdb"),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to bind; the default is reachable only from this machine.")] = "127.0.0.1",
    token_file: Annotated[
        Optional[Path], typer.Option("--token-file", help="File whose first line is the API token that enables POST /api/analyze (or set NEWSINT_API_TOKEN).")
    ] = None,
) -> None:
    """The web UI and HTTP API over the store: article view, map, timeline, sourcing
    graph, search; OpenAPI at /docs. The store is opened read-only."""
    from newsint.store import StoreError
    from newsint.web.security import TokenError
    from newsint.web.server import run

    try:
        run(db, host=host, port=port, token_file=token_file, say=lambda m: typer.echo(m, err=True))
    except (StoreError, TokenError) as exc:
        fail(str(exc))


DEFAULT_CORPUS = Path("examples/corpus")


@app.command()
def demo(
    path: Annotated[Path, typer.Argument(help="Folder of articles.")] = DEFAULT_CORPUS,
) -> None:
    """Analyse the sample corpus and show what newsint found in each article."""
    from rich.console import Console

    from newsint.ingest import iter_items
    from newsint.pipeline import analyze_articles
    from newsint.render import record_panel

    if not path.is_dir():
        fail(f"{path}: no such folder (run from the repository root, or give a folder)")
    console = Console()
    items = list(iter_items([path]))
    articles = [item.article for item in items if item.ok]
    for item in items:
        if not item.ok:
            console.print(f"[red]skipped[/red] {item.source}: {item.error}")
    with console.status(f"analysing {len(articles)} articles..."):
        records = list(analyze_articles(articles))
    for record in records:
        console.print(record_panel(record))
    console.print(
        f"[bold]{len(records)} articles analysed[/bold]. Next: "
        "[cyan].venv/bin/newsint analyze FILE --published YYYY-MM-DD[/cyan] for the JSON record."
    )


@app.command()
def bench(
    paths: Annotated[
        Optional[list[str]], typer.Argument(help="Articles to time (default: the sample corpus).")
    ] = None,
    repeat: Annotated[int, typer.Option(help="Passes over the articles in each run.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Throughput of analyze against bare spaCy nlp.pipe, per-layer cost, peak memory."""
    from rich.console import Console

    from newsint.bench import load_articles, run_bench
    from newsint.render import bench_table

    articles = load_articles(paths or [DEFAULT_CORPUS])
    if not articles:
        fail("no readable articles to benchmark")
    result = run_bench(articles, repeat=max(1, repeat))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        Console().print(bench_table(result))

gazetteer_app = typer.Typer(
    help="The offline gazetteer the places layer resolves names with (built in the cache directory).",
    no_args_is_help=True,
)
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("build")
def gazetteer_build() -> None:
    """Build (or rebuild) the gazetteer file; $NEWSINT_CACHE overrides where it goes."""
    from newsint.gazetteer import build

    build()


@gazetteer_app.command("lookup")
def gazetteer_lookup(
    name: Annotated[str, typer.Argument(help="A place name, as written in text.")],
    limit: Annotated[int, typer.Option("--limit", help="At most this many entries.")] = 10,
) -> None:
    """The gazetteer entries a name can refer to, most populous first, as JSON Lines."""
    from newsint.gazetteer import fold, get_gazetteer

    gaz = get_gazetteer()
    for entry in gaz.lookup([fold(name)])[fold(name)][:limit]:
        row = entry._asdict()
        row["admin1"] = entry.name if entry.feature == "ADM1" else gaz.name_of(entry.adm1)
        row["admin2"] = gaz.name_of(entry.adm2)
        typer.echo(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    app()
