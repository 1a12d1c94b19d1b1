"""What the pages show, computed from records and store rows: plain values for the templates,
which escape everything they print."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode, urlsplit

LAYER_LABELS = (
    # (kind in the legend, label, the annotation kinds it toggles)
    ("actor", "Actors", ("actor",)),
    ("entity", "Other names", ("entity",)),
    ("place", "Places", ("place",)),
    ("time", "Times", ("time",)),
    ("statement", "Statements", ("statement", "speaker", "cue")),
    ("event", "Events", ("evidence", "trigger")),
    ("framing", "Framing", ("framing",)),
)


def article_href(article_id: str) -> str:
    return "/article/" + quote(article_id, safe="")


def sources_href(article_id: str) -> str:
    return "/sources/" + quote(article_id, safe="")


def record_href(article_id: str) -> str:
    return "/api/articles/" + quote(article_id, safe="")


def query_href(path: str, params: dict[str, object]) -> str:
    """`path` with the non-empty `params` as a query string."""
    kept = {k: str(v) for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(kept) if kept else "")


def safe_url(url: object) -> str | None:
    """An article's URL when it is an http(s) URL a link may point at; anything else
    (javascript:, data:, a relative path) is shown as text, never as a link."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def article_title(article: dict) -> str:
    """The article's title, or its first line shortened when it has none."""
    title = (article.get("title") or "").strip()
    if title:
        return title
    text = (article.get("text") or "").strip()
    first = text.split("\n", 1)[0]
    return first if len(first) <= 90 else first[:88].rsplit(" ", 1)[0] + " …"


def _span_text(text: str, span: object) -> str:
    if isinstance(span, (list, tuple)) and len(span) == 2:
        return text[int(span[0]) : int(span[1])]
    return ""


def shorten(value: str, limit: int = 220) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rsplit(" ", 1)[0] + " …"


def event_date(time: dict | None) -> str:
    if not time:
        return ""
    start, end = time.get("start"), time.get("end")
    return start if start == end or not end else f"{start} – {end}"


def statement_rows(record: dict) -> list[dict]:
    """The article's statements for the list under the text: speaker, how it reaches the
    reader, and what was said."""
    text = record["article"]["text"]
    actors = {a["id"]: a for a in record.get("actors") or []}
    statements = {s["id"]: s for s in record.get("statements") or []}
    rows = []
    for s in record.get("statements") or []:
        speaker = s.get("speaker") or {}
        actor = actors.get(speaker.get("actor"))
        via = []
        for hop in s.get("via") or []:
            if hop.startswith("outlet:"):
                via.append(hop.removeprefix("outlet:"))
            elif hop in statements and (statements[hop].get("speaker") or {}).get("text"):
                via.append(statements[hop]["speaker"]["text"])
        rows.append(
            {
                "id": s["id"],
                "kind": s.get("kind") or "",
                "speaker": speaker.get("text") or "(unattributed)",
                "role": speaker.get("role") or (actor or {}).get("type") or "",
                "organisation": speaker.get("organisation") or "",
                "content": shorten(_span_text(text, s.get("content")), 300),
                "via": via,
            }
        )
    return rows


def event_rows(record: dict, clusters: dict[str, dict] | None = None) -> list[dict]:
    """The article's events for the table under the text."""
    text = record["article"]["text"]
    actors = {a["id"]: a for a in record.get("actors") or []}
    entities = {e["id"]: e for e in record.get("entities") or []}
    places = {p["id"]: p for p in record.get("places") or []}
    statements = {s["id"]: s for s in record.get("statements") or []}
    clusters = clusters or {}
    rows = []
    for v in record.get("events") or []:
        roles: dict[str, list[str]] = {}
        for role in v.get("actors") or []:
            actor = actors.get(role.get("actor"))
            entity = entities.get(role.get("entity"))
            name = actor["name"] if actor else (entity["text"] if entity else None)
            if name:
                roles.setdefault(role.get("role") or "", []).append(name)
        place = places.get(v.get("place"))
        statement = statements.get(v.get("statement"))
        cluster = clusters.get(v["id"])
        rows.append(
            {
                "id": v["id"],
                "type": v.get("type") or "",
                "acled": " / ".join(v.get("acled") or []),
                "trigger": _span_text(text, v.get("trigger")),
                "source": ", ".join(roles.get("source", [])),
                "target": ", ".join(roles.get("target", [])),
                "victims": ", ".join(roles.get("victims", [])),
                "place": place["name"] if place else "",
                "country": (place or {}).get("country") or "",
                "date": event_date(v.get("time")),
                "fatalities": v.get("fatalities"),
                "modality": v.get("modality") or "",
                "speaker": ((statement or {}).get("speaker") or {}).get("text") or "",
                "cluster": cluster,
            }
        )
    return rows


def legend(record: dict) -> list[dict]:
    """The layer toggles above the text, with how many items each layer has."""
    counts = {
        "actor": sum(1 for e in record.get("entities") or [] if e.get("actor")),
        "entity": sum(1 for e in record.get("entities") or [] if not e.get("actor")),
        "place": len(record.get("places") or []),
        "time": len(record.get("times") or []),
        "statement": len(record.get("statements") or []),
        "event": len(record.get("events") or []),
        "framing": len(record.get("framing") or []),
    }
    return [
        {"kind": kind, "label": label, "kinds": " ".join(kinds), "count": counts[kind]}
        for kind, label, kinds in LAYER_LABELS
    ]


def iso(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return "" if value is None else str(value)
