"""The DuckDB store: every layer in its table, idempotent writes, shards, Parquet round trip,
clusters and the read API, on hand-built records with every layer filled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import check_record
from corpus_fixtures import all_records, daily_courier, kabul_wire

from newsint.store import (
    CONTENT_TABLES,
    SHARD_TABLES,
    TABLES,
    ErrorRow,
    Store,
    StoreError,
    is_complete_shard,
    shard_tables,
    write_shard,
)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "corpus.duckdb") as s:
        records = all_records()
        for record in records:
            check_record(record)
        s.add_records([(r, f"in/{r.article.id}.txt") for r in records])
        s.rebuild_clusters()
        yield s


def snapshot(store: Store) -> dict[str, list[tuple]]:
    return {t: store.table_rows(t) for t in CONTENT_TABLES}


def test_every_layer_lands_in_its_table(store: Store) -> None:
    kw = kabul_wire()
    counts = {t: store.query(f"SELECT count(*) FROM {t} WHERE {'id' if t == 'articles' else 'article_id'} = 'kw-1'")[1][0][0]
              for t in ("articles", "entities", "actors", "places", "times", "statements",
                        "events", "event_actors", "sources", "source_edges")}
    assert counts == {
        "articles": 1, "entities": len(kw.entities), "actors": len(kw.actors),
        "places": len(kw.places), "times": len(kw.times), "statements": len(kw.statements),
        "events": len(kw.events), "event_actors": 2, "sources": 2, "source_edges": 1,
    }
    # The full record comes back byte for byte (the web view renders from it).
    assert store.get_record("kw-1").to_json() == kw.to_json()


def test_event_rows_carry_place_date_and_who_reports_them(store: Store) -> None:
    cols, rows = store.query(
        "SELECT place_name, lat, lon, country, date_start, fatalities, modality, speaker, "
        "origin, origin_name, trigger FROM events WHERE article_id = 'kw-1'"
    )
    (row,) = rows
    event = dict(zip(cols, row))
    assert event["place_name"] == "Gardez" and event["country"] == "AF"
    assert abs(event["lat"] - 33.597) < 1e-9 and abs(event["lon"] - 69.226) < 1e-9
    assert event["date_start"] == dt.date(2021, 10, 25)
    assert event["fatalities"] == 1 and event["modality"] == "reported"
    assert event["speaker"] == "Reuters"
    assert (event["origin"], event["origin_name"]) == ("kb:reuters", "Reuters")
    assert event["trigger"] == "clash"
    _, sides = store.query(
        "SELECT role, name, key FROM event_actors WHERE article_id = 'dc-1' AND event_id = 'v2' "
        "ORDER BY position"
    )
    assert sides == [("source", "Afghan National Army", "state:AF"),
                     ("target", "Taliban", "kb:taliban")]


def test_statement_rows_keep_the_words_and_the_chain(store: Store) -> None:
    _, rows = store.query(
        "SELECT content, cue, speaker, speaker_actor, via FROM statements WHERE article_id = 'kw-1'"
    )
    ((content, cue, speaker, actor, via),) = rows
    assert content.startswith("A former army officer was killed") and content.endswith("Gardez")
    assert cue == "reported" and speaker == "Reuters" and actor == "a2"
    assert via == ["outlet:Kabul Wire"]
    _, edges = store.query("SELECT source_name, target_name, relation FROM source_edges")
    assert edges == [("Kabul Wire", "Reuters", "reports")]


def test_writing_again_changes_nothing(store: Store) -> None:
    before = snapshot(store)
    result = store.add_records([(r, f"in/{r.article.id}.txt") for r in all_records()])
    store.rebuild_clusters()
    assert result.articles == 0
    assert snapshot(store) == before


def test_a_second_input_with_the_same_article_maps_to_it(store: Store) -> None:
    store.add_records([(kabul_wire(), "mirror/kw.txt")])
    assert store.count("articles") == 4
    _, rows = store.query("SELECT source FROM inputs WHERE article_id = 'kw-1' ORDER BY source")
    assert rows == [("in/kw-1.txt",), ("mirror/kw.txt",)]


def test_shards_load_once_and_partial_shards_are_ignored(tmp_path: Path) -> None:
    records = all_records()
    first = write_shard(tmp_path / "spool" / "a", shard_tables([(r, r.article.id) for r in records[:2]]))
    # The same article in a second shard (a crash between load and clean-up) is loaded once.
    second = write_shard(tmp_path / "spool" / "b", shard_tables(
        [(r, r.article.id) for r in records[1:]], [ErrorRow("bad.txt", "empty file")]))
    partial = tmp_path / "spool" / "c.partial"
    partial.mkdir()
    assert is_complete_shard(first) and is_complete_shard(second)
    assert not is_complete_shard(partial)
    with Store(tmp_path / "s.duckdb") as s:
        result = s.load_shards([first, second])
        assert (result.articles, result.errors) == (4, 1)
        again = s.load_shards([first, second])
        assert again.articles == 0
        assert s.count("articles") == 4
        assert s.count("events") == sum(len(r.events) for r in records)
        assert s.table_rows("errors") == [("bad.txt", "empty file")]


def test_parquet_export_and_import_round_trip(store: Store, tmp_path: Path) -> None:
    files = store.export_parquet(tmp_path / "export")
    assert sorted(p.stem for p in files) == sorted(TABLES)
    with Store(tmp_path / "copy.duckdb") as copy:
        result = copy.import_parquet(tmp_path / "export")
        assert result.articles == 4
        assert snapshot(copy) == snapshot(store)
        copy.import_parquet(tmp_path / "export")
        assert snapshot(copy) == snapshot(store)


def test_import_refuses_a_folder_that_is_not_an_export(tmp_path: Path) -> None:
    (tmp_path / "junk").mkdir()
    with Store(tmp_path / "s.duckdb") as s, pytest.raises(StoreError, match="not a newsint Parquet export"):
        s.import_parquet(tmp_path / "junk")


def test_clusters_count_reports_outlets_and_origins(store: Store) -> None:
    _, rows = store.query(
        "SELECT n_reports, n_outlets, n_origins, origins, fatalities_min, fatalities_max, place_name "
        "FROM clusters ORDER BY n_reports DESC, id"
    )
    biggest = rows[0]
    assert biggest[:3] == (3, 3, 2)
    assert biggest[3] == ["Daily Courier", "Reuters"]
    assert (biggest[4], biggest[5]) == (1, 2)
    assert biggest[6] == "Gardez"  # the most precise place speaks for the cluster
    # The Kabul clash, the protest; the forecast is no event that happened: no cluster.
    assert len(rows) == 3
    _, forecast = store.query(
        "SELECT count(*) FROM cluster_members m JOIN events e "
        "ON e.article_id = m.article_id AND e.id = m.event_id WHERE e.modality = 'forecast'"
    )
    assert forecast == [(0,)]


def test_clusters_are_the_same_whatever_the_ingest_order(tmp_path: Path, store: Store) -> None:
    with Store(tmp_path / "reverse.duckdb") as other:
        for record in reversed(all_records()):
            other.add_records([(record, f"in/{record.article.id}.txt")])
        other.rebuild_clusters()
        assert other.table_rows("clusters") == store.table_rows("clusters")
        assert other.table_rows("cluster_members") == store.table_rows("cluster_members")


def test_event_filters(store: Store) -> None:
    assert {e["article_id"] for e in store.events(country="af")} == {"kw-1", "fp-1", "dc-1"}
    assert [e["event_id"] for e in store.events(country="KE")] == ["v1"]  # the forecast has no place
    assert [e["modality"] for e in store.events(article_id="nt-1")] == ["asserted", "forecast"]
    assert [e["event_id"] for e in store.events(modality="forecast")] == ["v2"]
    assert {e["type"] for e in store.events(type="armed clash")} == {"ASSAULT"}
    assert {e["type"] for e in store.events(type="protest")} == {"PROTEST"}
    assert {e["article_id"] for e in store.events(since="2023-01-01")} == {"nt-1"}
    assert {e["article_id"] for e in store.events(until="2022-01-01")} == {"kw-1", "fp-1", "dc-1"}
    assert len(store.events(actor="afghan national")) == 1
    assert len(store.events(actor="Islamic Emirate")) == 4  # an alias of the Taliban
    assert len(store.events(limit=2)) == 2
    (clash,) = [e for e in store.events(country="AF") if e["article_id"] == "kw-1"]
    assert clash["sources"] == ["Taliban"]
    assert clash["cluster_reports"] == 3 and clash["cluster_origins"] == 2
    assert clash["evidence_text"][0].startswith("A former army officer was killed")


def test_cluster_read_api_orders_by_reports(store: Store) -> None:
    top = store.clusters(order="reports")
    assert top[0]["n_reports"] == 3
    assert top[0]["sources"] == ["Taliban"]
    assert store.clusters(min_reports=2, country="AF")[0]["id"] == top[0]["id"]
    assert store.clusters(country="KE", type="Protests")[0]["place_name"] == "Nairobi"


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_a_store_in_use_is_reported_clearly(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "busy.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys, time; c = duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(StoreError, match="in use by another process"):
            Store(path)
    finally:
        holder.kill()
        holder.wait()


def test_store_rows_for_real_pipeline_output(tmp_path: Path) -> None:
    import newsint

    record = newsint.analyze(
        "Police fired tear gas at protesters in Lagos on Monday, a spokesman said.",
        published="2022-05-17", outlet="Lagos Ledger",
    )
    check_record(record)
    with Store(tmp_path / "s.duckdb") as s:
        s.add_records([record])
        assert s.count("entities") == len(record.entities) > 0
        assert s.get_record(record.article.id).to_json() == record.to_json()
        for table in SHARD_TABLES:
            s.table_rows(table)  # every table readable in key order
    check_record(daily_courier())
