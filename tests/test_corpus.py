"""The ingest job end to end: idempotent, resumable after SIGKILL, the same on a Dask
cluster as on one process, and every bad input ends in `errors` with its reason."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import check_record

from newsint.corpus import ingest, spool_dir
from newsint.store import CONTENT_TABLES, Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "data" / "corpus"
NEWSINT = Path(sys.executable).with_name("newsint")


def tables(db: Path) -> dict[str, list[tuple]]:
    with Store(db, read_only=True) as store:
        return {t: store.table_rows(t) for t in CONTENT_TABLES}


def sample_texts() -> list[str]:
    """The bodies of the sample articles (front matter dropped)."""
    texts = []
    for path in sorted(SAMPLES.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("---\n", 2)[-1]
        texts.append(body.strip())
    return texts


def write_corpus(folder: Path, n: int) -> Path:
    """`n` distinct short articles: each sample followed by a paragraph of another, with a
    numbered dateline, so texts (and ids) differ while the language stays news English."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = sample_texts()
    for i in range(n):
        body = texts[i % len(texts)]
        extra = texts[(i * 7 + 3) % len(texts)].split("\n\n")[0]
        (folder / f"a{i:04d}.txt").write_text(
            f"---\noutlet: Outlet {i % 9}\npublished: 2022-0{1 + i % 9}-1{i % 10}\n---\n"
            f"Report {i}. {body}\n\n{extra}\n", encoding="utf-8")
    return folder


def test_ingest_twice_leaves_identical_tables(tmp_path: Path) -> None:
    db = tmp_path / "corpus.duckdb"
    first = ingest([SAMPLES], db, workers=1)
    assert first.added == 11 and not first.errors
    before = tables(db)
    again = ingest([SAMPLES], db, workers=1)
    assert (again.added, again.already_stored, again.duplicates) == (0, 11, 0)
    assert tables(db) == before
    assert not spool_dir(db).exists()  # nothing left behind beside the store
    with Store(db, read_only=True) as store:
        for record in store.iter_records():
            check_record(record)
        _, runs = store.query("SELECT status, articles_added FROM runs ORDER BY id")
    assert runs == [("completed", 11), ("completed", 0)]


def test_same_text_twice_is_one_article(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = (SAMPLES / "lagos-arrests.txt").read_text(encoding="utf-8")
    (folder / "one.txt").write_text(text, encoding="utf-8")
    (folder / "two.txt").write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    (folder / "three.jsonl").write_text(
        '{"id": "lagos-1", "text": "Nigerian police arrested 40 people in Lagos on Tuesday."}\n'
        '{"id": "lagos-1", "text": "A different story under the same id."}\n', encoding="utf-8")
    db = tmp_path / "c.duckdb"
    result = ingest([folder], db, workers=0)
    assert (result.added, result.duplicates) == (2, 1)
    with Store(db, read_only=True) as store:
        _, inputs = store.query("SELECT source, article_id FROM inputs ORDER BY source")
        _, errors = store.query("SELECT source, reason FROM errors")
    assert [Path(s).name for s, _ in inputs] == ["one.txt", "three.jsonl:1", "two.txt"]
    assert inputs[0][1] == inputs[2][1]
    ((source, reason),) = errors
    assert source.endswith("three.jsonl:2") and "already used by a different text" in reason


def test_bad_inputs_end_in_errors_and_good_files_are_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(SAMPLES, folder)
    (folder / "image.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Le caf\u00e9 de la gare a \u00e9t\u00e9 ferm\u00e9.".encode("latin-1"))
    with (folder / "huge.txt").open("wb") as fh:
        line = b"Troops advanced along the river road under heavy shelling overnight.\n"
        fh.write(line * (50_000_000 // len(line) + 1))
    (folder / "feed.jsonl").write_text(
        '{"id": "ok-1", "outlet": "Feed", "text": "Rebels seized the town of Bunia on Friday."}\n'
        '{"id": "broken", "text": "missing the closing brace"\n'
        '{"id": "ok-2", "outlet": "Feed", "text": "Farmers protested in Delhi on Saturday."}\n',
        encoding="utf-8")
    db = tmp_path / "c.duckdb"
    result = ingest([folder], db, workers=0)
    with Store(db, read_only=True) as store:
        errors = {Path(s).name: r for s, r in store.table_rows("errors")}
        stored = {Path(s).name for s, _ in store.table_rows("inputs")}
        assert store.count("articles") == 13
    assert errors.keys() == {"image.bin", "empty.txt", "latin1.txt", "huge.txt", "feed.jsonl:2"}
    assert "binary" in errors["image.bin"]
    assert errors["empty.txt"] == "empty file"
    assert "not valid UTF-8" in errors["latin1.txt"] and "0xe9" in errors["latin1.txt"]
    assert "too large" in errors["huge.txt"]
    assert "malformed JSON" in errors["feed.jsonl:2"]
    good = {p.name for p in SAMPLES.glob("*.txt")} | {"wire-extra.jsonl:1", "wire-extra.jsonl:2",
                                                      "wire-extra.jsonl:3", "feed.jsonl:1", "feed.jsonl:3"}
    assert stored == good
    assert len(result.errors) == 5


def test_an_article_that_breaks_analysis_is_an_error_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsint.pipeline

    real = newsint.pipeline.build_record

    def fragile(doc, article):
        if "Nairobi" in article.text:
            raise RuntimeError("layer bug")
        return real(doc, article)

    monkeypatch.setattr(newsint.pipeline, "build_record", fragile)
    monkeypatch.setattr("newsint.corpus.READAHEAD", 4)  # the late copy is read after the failure
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    shutil.copy(folder / "nairobi-fuel-protest.txt", folder / "nairobi-copy.txt")
    shutil.copy(folder / "nairobi-fuel-protest.txt", folder / "zz-nairobi-late-copy.txt")  # read after the failure
    db = tmp_path / "c.duckdb"
    ingest([folder], db, workers=0, chunk_size=4)
    with Store(db, read_only=True) as store:
        errors = {Path(s).name: r for s, r in store.table_rows("errors")}
        assert store.count("articles") == 10
    # The first of the two copies is analysed and fails; the other fails with it.
    assert errors["nairobi-copy.txt"] == "analysis failed: RuntimeError: layer bug"
    assert errors["nairobi-fuel-protest.txt"].startswith("same text as ")
    assert errors["nairobi-fuel-protest.txt"].endswith("nairobi-copy.txt: analysis failed: RuntimeError: layer bug")
    assert errors["zz-nairobi-late-copy.txt"] == errors["nairobi-fuel-protest.txt"]
    # Once the layer is fixed, the same command stores the article and clears the errors.
    monkeypatch.setattr(newsint.pipeline, "build_record", real)
    ingest([folder], db, workers=0)
    with Store(db, read_only=True) as store:
        assert store.count("errors") == 0 and store.count("articles") == 11


def _max_chunk(spool: Path) -> int:
    numbers = [int(m.group(1)) for p in spool.glob("run*-*") if (m := re.search(r"-(\d+)", p.name))]
    return max(numbers, default=0)


def test_sigkill_halfway_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    total = 128
    corpus = write_corpus(tmp_path / "corpus", total)
    chunks = total // 16
    reference = tmp_path / "reference.duckdb"
    ingest([corpus], reference, workers=0)

    db = tmp_path / "killed.duckdb"
    command = [str(NEWSINT), "ingest", str(corpus), "--db", str(db), "--workers", "1", "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    spool = spool_dir(db)
    seen = 0
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        seen = max(seen, _max_chunk(spool))
        if seen >= chunks // 2:
            break
        time.sleep(0.01)
    assert process.poll() is None, "ingest finished before it could be killed: " + process.stderr.read().decode()
    os.killpg(process.pid, signal.SIGKILL)  # the ingest and its worker, as a crash would
    process.wait()

    with Store(db) as store:
        done = store.count("articles")
        _, status = store.query("SELECT status FROM runs")
    leftovers = [p for p in spool.iterdir()] if spool.exists() else []
    assert status == [("running",)]
    assert done + 16 * len(leftovers) < total, "the run was not interrupted halfway"

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert tables(db) == tables(reference)
    with Store(db, read_only=True) as store:
        _, runs = store.query("SELECT status FROM runs ORDER BY id")
    assert runs == [("interrupted",), ("completed",)]
    assert not spool.exists()


def test_dask_cluster_gives_the_same_tables_as_one_worker(tmp_path: Path) -> None:
    from distributed import LocalCluster

    corpus = write_corpus(tmp_path / "corpus", 24)
    one = tmp_path / "one.duckdb"
    ingest([corpus, SAMPLES], one, workers=1)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:
        dask = tmp_path / "dask.duckdb"
        result = ingest([corpus, SAMPLES], dask, engine="dask", scheduler=cluster.scheduler_address)
    assert result.engine == "dask" and len(result.worker_peak_rss) == 2  # both workers took part
    assert tables(dask) == tables(one)


def test_shards_left_by_a_killed_run_are_loaded_not_redone(tmp_path: Path) -> None:
    from corpus_fixtures import all_records

    from newsint.store import shard_tables, write_shard

    db = tmp_path / "c.duckdb"
    spool = spool_dir(db)
    write_shard(spool / "run0001-0000001", shard_tables([(r, f"old/{r.article.id}") for r in all_records()]))
    (spool / "run0001-0000002.partial").mkdir()  # killed while writing: never complete
    result = ingest([SAMPLES / "doha-talks.txt"], db, workers=0)
    assert result.added == 5  # four from the spool, one analysed now
    with Store(db, read_only=True) as store:
        fixtures = {r.article.id for r in all_records()}
        analysed = [store.get_record(a) for a in store.known_articles() if a not in fixtures]
        records = all_records() + analysed
        assert store.count("events") == sum(len(r.events) for r in records)
        clusters = store.count("clusters")
    # the same records loaded directly cluster the same way
    with Store(tmp_path / "direct.duckdb") as direct:
        direct.add_records(records)
        direct.rebuild_clusters()
        assert direct.count("clusters") == clusters >= 3
    assert not spool.exists()


def test_parse_batches_bound_the_padded_size() -> None:
    from newsint.corpus import parse_batches

    # Short articles go 16 at a time; a long one makes its batch smaller, or goes alone.
    assert parse_batches([1000] * 16, budget=24_000) == [range(0, 16)]
    assert parse_batches([1000] * 4 + [9000] + [1000] * 3, budget=24_000) == [
        range(0, 4), range(4, 6), range(6, 8)]
    assert parse_batches([50_000, 100, 100], budget=24_000) == [range(0, 1), range(1, 3)]
    assert parse_batches([], budget=24_000) == []
    for lengths in ([700, 3000, 12000, 40, 8000, 8000, 8000], [5] * 40):
        batches = parse_batches(lengths, budget=24_000)
        assert [i for b in batches for i in b] == list(range(len(lengths)))
        for b in batches:
            assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 24_000
