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
