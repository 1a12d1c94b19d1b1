"""Readable terminal views of records (Rich), for the CLI. Presentation only."""

from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from newsint.bench import LAYERS, BenchResult
from newsint.schema import Record

LAYER_TARGETS = {"places": 0.20, "times": 0.10, "statements": 0.20, "events": 0.30}


def _snippet(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_panel(record: Record) -> Panel:
    """One article: its actors, places, times, statements and events."""
    art = record.article
    text = art.text
    actors = {a.id: a for a in record.actors}
    places = {p.id: p for p in record.places}
    parts: list = []

    counts = Counter(e.actor for e in record.entities if e.actor)
    if record.actors:
        t = Table("actor", "type", "country", "mentions", box=None, pad_edge=False, title_justify="left")
        for a in sorted(record.actors, key=lambda a: (-counts[a.id], a.id))[:12]:
            t.add_row(a.name, a.type, a.country or "", str(counts[a.id]))
        parts.append(t)
    if record.places:
        t = Table("place", "resolved", "country", "admin1", "lat, lon", box=None, pad_edge=False)
        seen = set()
        for p in record.places:
            if p.name in seen:
                continue
            seen.add(p.name)
            t.add_row(p.text, f"{p.name} ({p.feature})", p.country or "", p.admin1 or "",
                      f"{p.lat:.3f}, {p.lon:.3f}")
        parts.append(t)
    if record.times:
        t = Table("time", "type", "value", "mod", box=None, pad_edge=False)
        for tm in record.times:
            t.add_row(tm.text, tm.type, tm.value, tm.mod or "")
        parts.append(t)
    if record.statements:
        t = Table("speaker", "kind", "says", "via", box=None, pad_edge=False)
        for s in record.statements:
            speaker = s.speaker.text if s.speaker else "?"
            t.add_row(speaker, s.kind, _snippet(text[s.content[0] : s.content[1]]), ", ".join(s.via))
        parts.append(t)
    if record.events:
        t = Table("event", "ACLED", "who", "where", "when", "deaths", "modality", box=None, pad_edge=False)
        for ev in record.events:
            who = ", ".join(
                f"{r.role}: {actors[r.actor].name}" for r in ev.actors if r.actor in actors
            )
            place = places[ev.place].name if ev.place in places else ""
            when = ev.time.start if ev.time and ev.time.start == ev.time.end else (
                f"{ev.time.start}..{ev.time.end}" if ev.time else "")
            t.add_row(
                f"{ev.type}" + (f" ({ev.mode})" if ev.mode else ""),
                " / ".join(ev.acled or []),
                who,
                place,
                when,
                "" if ev.fatalities is None else str(ev.fatalities),
                ev.modality,
            )
        parts.append(t)
    if not parts:
        parts.append(Text("nothing extracted", style="dim"))
    title = art.title or _snippet(text, 60)
    subtitle = " · ".join(x for x in (art.outlet, art.published, art.id) if x)
    return Panel(Group(*parts), title=Text(title, style="bold"), subtitle=subtitle, title_align="left")


def bench_table(result: BenchResult) -> Table:
    t = Table(title=f"newsint bench: {result.articles} articles, {result.words:,} words, x{result.repeat}")
    t.add_column("measure")
    t.add_column("value", justify="right")
    t.add_row("spaCy nlp.pipe (words/s)", f"{result.parse_wps:,.0f}")
    t.add_row("newsint analyze (words/s)", f"{result.analyze_wps:,.0f}")
    t.add_row("throughput ratio analyze / spaCy", f"{result.analyze_wps / result.parse_wps:.2f}")
    for layer in LAYERS:
        share = result.layer_share(layer)
        target = LAYER_TARGETS.get(layer)
        mark = "" if target is None else (" ok" if share < target else f" over {target:.0%} target")
        t.add_row(f"{layer} layer (% of parse time)", f"{share:.1%}{mark}")
    t.add_row("peak RSS after spaCy run (MB)", f"{result.peak_rss_parse_mb:,.0f}")
    t.add_row("peak RSS after analyze run (MB)", f"{result.peak_rss_analyze_mb:,.0f}")
    return t


def print_records(records, console: Console | None = None) -> None:
    console = console or Console()
    for record in records:
        console.print(record_panel(record))
