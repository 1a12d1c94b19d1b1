"""Exports and the corpus CLI commands (sql, events, export, import, summary) on a store of
hand-built records."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import check_record
from corpus_fixtures import all_records
from typer.testing import CliRunner

from newsint.cli import app
from newsint.export import (
    ACLED_COLUMNS,
    GDELT_COLUMNS,
    acled_rows,
    country_info,
    gdelt_rows,
    interaction,
    time_precision,
)
from newsint.store import Store

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "corpus.duckdb"
    with Store(path) as store:
        records = all_records()
        for record in records:
            check_record(record)
        store.add_records([(r, f"in/{r.article.id}.txt") for r in records])
        store.rebuild_clusters()
    return path


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_acled_rows_use_the_codebook_columns_and_codes(db: Path) -> None:
    with Store(db, read_only=True) as store:
        rows = acled_rows(store)
    assert len(rows) == 3  # one per cluster: the Gardez clash, the Kabul clash, the protest
    gardez = next(r for r in rows if r["location"] == "Gardez")
    assert gardez["event_date"] == "2021-10-25" and gardez["time_precision"] == 1
    assert (gardez["event_type"], gardez["sub_event_type"]) == ("Battles", "Armed clash")
    assert gardez["disorder_type"] == "Political violence"
    assert gardez["actor1"] == "Taliban" and gardez["inter1"] == 2
    assert gardez["fatalities"] == 1  # ACLED codes the lowest figure its sources give
    assert gardez["country"] == "Afghanistan" and gardez["iso"] == 4
    assert gardez["region"] == "South Asia"
    assert gardez["geo_precision"] == 1
    assert gardez["source"] == "Daily Courier; Frontier Post Online; Kabul Wire"
    assert (gardez["newsint_reports"], gardez["newsint_origins"]) == (3, 2)
    kabul = next(r for r in rows if r["location"] == "Kabul")
    assert (kabul["actor1"], kabul["actor2"], kabul["interaction"]) == ("Afghan National Army", "Taliban", "12")
    protest = next(r for r in rows if r["event_type"] == "Protests")
    assert protest["actor1"] == "Protesters (Kenya)" and protest["interaction"] == "60"
    assert protest["disorder_type"] == "Demonstrations" and protest["region"] == "Eastern Africa"


def test_acled_csv_has_the_codebook_header(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    cli("export", "acled", "--db", str(db), "-o", str(out))
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
        rows = list(reader)
    assert len(rows) == 3
    assert {r["event_id_cnty"][:3] for r in rows} == {"AFG", "KEN"}


def test_gdelt_tsv_has_the_61_event_columns(db: Path) -> None:
    with Store(db, read_only=True) as store:
        rows = gdelt_rows(store, country="AF")
    assert len(GDELT_COLUMNS) == 61
    gardez = next(r for r in rows if r["NumArticles"] == 3)
    assert gardez["SQLDATE"] == "20211025" and gardez["EventRootCode"] == "19"
    assert gardez["QuadClass"] == 4 and gardez["GoldsteinScale"] == -10.0
    assert gardez["NumSources"] == 3
    assert gardez["Actor1Code"] == "AFGREB" and gardez["Actor1Name"] == "TALIBAN"
    assert gardez["ActionGeo_CountryCode"] == "AF"  # FIPS 10-4, as GDELT uses
    assert gardez["ActionGeo_Type"] == 4 and gardez["ActionGeo_FeatureID"] == 1141857
    assert gardez["IsRootEvent"] == 1
    text = cli("export", "gdelt", "--db", str(db))
    lines = text.splitlines()
    assert lines[0].split("\t") == list(GDELT_COLUMNS)
    assert all(len(line.split("\t")) == 61 for line in lines)


def test_geojson_of_events_and_clusters(db: Path) -> None:
    events = json.loads(cli("events", "--db", str(db), "--format", "geojson"))
    assert events["type"] == "FeatureCollection"
    kinds = {f["properties"]["place_name"] for f in events["features"]}
    assert kinds == {"Gardez", "Paktia", "Kabul", "Nairobi"}
    gardez = next(f for f in events["features"] if f["properties"]["article_id"] == "kw-1")
    lon, lat = gardez["geometry"]["coordinates"]  # GeoJSON order: longitude first
    assert (round(lon, 3), round(lat, 3)) == (69.226, 33.597)
    clusters = json.loads(cli("export", "clusters-geojson", "--db", str(db)))
    assert sorted(f["properties"]["n_reports"] for f in clusters["features"]) == [1, 1, 3]


def test_parquet_export_and_import_commands(db: Path, tmp_path: Path) -> None:
    cli("export", "parquet", "--db", str(db), "-o", str(tmp_path / "pq"))
    copy = tmp_path / "copy.duckdb"
    assert "4 new articles" in cli("import", str(tmp_path / "pq"), "--db", str(copy))
    assert "0 new articles" in cli("import", str(tmp_path / "pq"), "--db", str(copy))
    with Store(db, read_only=True) as a, Store(copy, read_only=True) as b:
        assert a.table_rows("clusters") == b.table_rows("clusters")


def test_records_export_is_the_analyze_format(db: Path) -> None:
    lines = cli("export", "jsonl", "--db", str(db)).splitlines()
    assert len(lines) == 4
    for line in lines:
        check_record(json.loads(line))


def test_sql_command_formats(db: Path) -> None:
    query = "SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY outlet"
    rows = json.loads(cli("sql", query, "--db", str(db), "--format", "json"))
    assert rows[0] == {"outlet": "Daily Courier", "n": 1} and len(rows) == 4
    text = cli("sql", query, "--db", str(db), "--format", "csv")
    assert list(csv.reader(io.StringIO(text)))[0] == ["outlet", "n"]
    assert "Kabul Wire" in cli("sql", query, "--db", str(db))
    bad = runner.invoke(app, ["sql", "SELECT nope FROM articles", "--db", str(db)])
    assert bad.exit_code == 2 and "nope" in bad.output


def test_events_command_filters_and_formats(db: Path) -> None:
    rows = json.loads(cli("events", "--db", str(db), "--country", "AF", "--format", "json"))
    assert {r["article_id"] for r in rows} == {"kw-1", "fp-1", "dc-1"}
    rows = json.loads(cli("events", "--db", str(db), "--type", "ASSAULT", "--since", "2021-10-25",
                          "--until", "2021-10-25", "--format", "json"))
    assert len(rows) == 4
    table = cli("events", "--db", str(db), "--country", "KE")
    assert "Nairobi" in table and "PROTEST" in table
    text = cli("events", "--db", str(db), "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 6
    bad = runner.invoke(app, ["events", "--db", str(db), "--since", "last week"])
    assert bad.exit_code == 2 and "not a date" in bad.output


def test_summary_names_clusters_and_what_to_try_next(db: Path) -> None:
    text = cli("summary", "--db", str(db))
    for expected in ("4 articles", "Events by type", "Afghanistan (AF)", "Taliban",
                     "Largest event clusters", "Reuters", "newsint serve", "newsint events"):
        assert expected in text, expected


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["summary", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no store" in result.output


def test_code_tables() -> None:
    assert country_info("AF")["iso3"] == "AFG" and country_info("AF")["numeric"] == 4
    assert country_info("GE")["region"] == "Caucasus and Central Asia"
    assert country_info("SY")["region"] == "Middle East"
    assert country_info("XX") == {}
    import datetime as dt

    day = dt.date(2021, 10, 25)
    assert time_precision(day, day) == (day, 1)
    assert time_precision(day, day + dt.timedelta(days=6)) == (day + dt.timedelta(days=3), 2)
    assert time_precision(dt.date(2021, 8, 1), dt.date(2021, 8, 31))[1] == 3
    assert interaction(2, 1) == "12" and interaction(6, None) == "60" and interaction(None, None) == ""
