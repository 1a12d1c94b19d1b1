"""The ingest job: many inputs in, one corpus store out.

    ingest(["articles/"], db="newsint.duckdb", workers=2)

The main process reads the inputs (`newsint.ingest.iter_items`), drops what the store
already holds, and hands chunks of new articles to workers: a local process pool (one spaCy
model per process) or a Dask cluster. A worker parses and analyses its chunk and turns the
records into a *shard*: one Parquet file per table (`newsint.store.shard_tables`). Shards
land in a spool folder beside the store (`<db>.shards/`); the main process, the only writer,
loads them into DuckDB in bulk, one transaction at a time, and deletes them.

Why it survives kill -9: an article and all its layers are committed together or not at all;
a shard is renamed into the spool only once complete; a rerun first loads the shards left
in the spool, then skips every article already stored. Nothing is lost (every input ends
in `articles`/`inputs` or in `errors`) and nothing is written twice (articles are keyed by
id and by text).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import resource
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

import newsint
from newsint.ingest import Item, iter_items
from newsint.ingest import article_id as text_hash_of
from newsint.schema import Article
from newsint.store import (
    DEFAULT_DB,
    SHARD_TABLES,
    ErrorRow,
    Store,
    arrow_schema,
    is_complete_shard,
    record_rows,
    shard_bytes,
    write_shard,
)

CHUNK_SIZE = 16  # articles per task: enough for nlp.pipe batching, small enough to spread
# spaCy pads every text of a parse batch to the batch's longest, so a worker's memory peak
# is (texts in the batch) x (longest text): batches are cut to keep that product under this
# many characters (a longer article is parsed alone).
PARSE_BATCH_CHARS = 24_000
LOAD_EVERY_SECONDS = 2.0  # how often finished shards are committed to the store
LOAD_EVERY_SHARDS = 32  # ... or as soon as this many are waiting
READAHEAD = 4096  # articles read and queued ahead of the workers (sets the progress total)
MAX_POOL_BREAKS = 3  # worker pools that die in a row before the job gives up

Chunk = list[tuple[str, Article]]  # (input source, article)


# ---------------------------------------------------------------------------------------
# Worker side


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """What a worker reports for one chunk."""

    name: str
    articles: int  # records written into the shard
    failed: tuple[tuple[str, str], ...]  # (article id, reason) for analysis failures
    shard: str | None  # the shard folder, when the worker wrote it itself
    files: dict[str, bytes] | None  # the shard's Parquet files, when sent back instead
    pid: int
    peak_rss: int  # the worker process's peak resident memory so far, bytes
    seconds: float


def warm_up(parent: int | None = None) -> None:
    """Load the spaCy model once in this worker process, before the first chunk. Ctrl-C is
    left to the main process, which stops the pool and keeps what was analysed; and a
    worker whose main process was killed exits instead of working on for nobody."""
    import signal
    import threading

    from newsint.parse import load_model

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="newsint-parent-watch", daemon=True).start()
    load_model()


def _peak_rss() -> int:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def parse_batches(lengths: Sequence[int], budget: int = PARSE_BATCH_CHARS) -> list[range]:
    """Consecutive index ranges whose padded size (count x longest) stays within `budget`."""
    batches: list[range] = []
    start, longest = 0, 0
    for i, length in enumerate(lengths):
        if i > start and (i - start + 1) * max(longest, length) > budget:
            batches.append(range(start, i))
            start, longest = i, 0
        longest = max(longest, length)
    if start < len(lengths):
        batches.append(range(start, len(lengths)))
    return batches


def analyse_chunk(chunk: Chunk) -> tuple[dict[str, pa.Table], list[ErrorRow], list[tuple[str, str]]]:
    """Parse and analyse a chunk; records become shard tables. An article whose analysis
    fails becomes an error row (the rest of the chunk is unaffected)."""
    from newsint.parse import parse, parse_many
    from newsint.pipeline import build_record

    texts = [article.text for _, article in chunk]
    try:
        docs = []
        for batch in parse_batches([len(t) for t in texts]):
            docs.extend(parse_many([texts[i] for i in batch], batch_size=len(batch)))
    except Exception:  # one bad text must not cost the others: parse them one by one
        docs = []
        for text in texts:
            try:
                docs.append(parse(text))
            except Exception as exc:
                docs.append(exc)
    rows: dict[str, list[dict]] = defaultdict(list)
    errors: list[ErrorRow] = []
    failed: list[tuple[str, str]] = []
    for (source, article), doc in zip(chunk, docs):
        try:
            if isinstance(doc, Exception):
                raise doc
            record = build_record(doc, article)
            record_tables = record_rows(record, source)
        except Exception as exc:
            reason = f"analysis failed: {type(exc).__name__}: {exc}"[:500]
            errors.append(ErrorRow(source, reason))
            failed.append((article.id, reason))
            continue
        for table, table_rows in record_tables.items():
            rows[table].extend(table_rows)
    rows["errors"] = [{"source": e.source, "reason": e.reason} for e in errors]
    tables = {t: pa.Table.from_pylist(rows.get(t, []), schema=arrow_schema(t)) for t in SHARD_TABLES}
    return tables, errors, failed


def analyze_chunk(chunk: Chunk, name: str, spool: str | None = None) -> ChunkResult:
    """The task a worker runs: analyse a chunk into a shard, written into `spool` when the
    worker shares the main process's disk, else sent back as Parquet bytes."""
    started = time.perf_counter()
    tables, _, failed = analyse_chunk(chunk)
    shard = files = None
    if spool is not None:
        shard = str(write_shard(Path(spool) / name, tables))
    else:
        files = shard_bytes(tables)
    return ChunkResult(
        name=name,
        articles=tables["articles"].num_rows,
        failed=tuple(failed),
        shard=shard,
        files=files,
        pid=os.getpid(),
        peak_rss=_peak_rss(),
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------------
# Engines: where chunks run


class Engine:
    """Runs `analyze_chunk` somewhere; `slots` is how many chunks may be in flight."""

    name = "local"
    slots = 1
    writes_spool = True

    def submit(self, chunk: Chunk, name: str, spool: str) -> object:
        raise NotImplementedError

    def wait(self, futures: set) -> tuple[set, set]:
        raise NotImplementedError

    def restart(self) -> None:
        """Replace workers that died."""

    def close(self, cancel: bool = False) -> None:
        pass


class LocalEngine(Engine):
    """A process pool on this machine: `workers` processes, one spaCy model each."""

    def __init__(self, workers: int) -> None:
        self.name = "local"
        self.slots = 2 * workers  # one chunk running and one waiting per worker
        self.workers = workers
        single_threaded_workers()
        self.pool = self._pool()
        self.closed = False
        self._start_all()

    def _start_all(self) -> None:
        # Start every worker now, so that their spaCy models load while the main process
        # reads the inputs (the pool would otherwise start them one task at a time).
        for _ in range(self.workers):
            self.pool.submit(os.getpid)

    def _pool(self) -> cf.ProcessPoolExecutor:
        context = multiprocessing.get_context("spawn")  # never fork a process holding DuckDB
        return cf.ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=warm_up, initargs=(os.getpid(),)
        )

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._pool()
        self._start_all()

    def submit(self, chunk: Chunk, name: str, spool: str) -> cf.Future:
        return self.pool.submit(analyze_chunk, chunk, name, spool)

    def wait(self, futures: set) -> tuple[set, set]:
        done, pending = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return set(done), set(pending)

    def close(self, cancel: bool = False) -> None:
        if not self.closed:
            self.closed = True
            self.pool.shutdown(wait=True, cancel_futures=cancel)


class InlineEngine(Engine):
    """Runs chunks in this process, one at a time (workers=0: debugging, small jobs)."""

    name = "inline"

    def submit(self, chunk: Chunk, name: str, spool: str) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(analyze_chunk(chunk, name, spool))
        except BaseException as exc:  # surfaces in the main loop like a pool's failure
            future.set_exception(exc)
        return future

    def wait(self, futures: set) -> tuple[set, set]:
        return set(futures), set()


class DaskEngine(Engine):
    """An existing Dask cluster (`scheduler` address), or a LocalCluster of `workers`
    single-threaded worker processes when no address is given. Workers need newsint
    installed; they send shards back as Parquet bytes, so they need no shared disk."""

    name = "dask"
    writes_spool = False

    def __init__(self, scheduler: str | None, workers: int) -> None:
        from distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler, set_as_default=False)
        else:
            single_threaded_workers()
            self.cluster = LocalCluster(
                n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                dashboard_address=":0",  # a free port: never clash with another cluster
            )
            self.client = Client(self.cluster, set_as_default=False)
        threads = sum(w["nthreads"] for w in self.client.scheduler_info()["workers"].values())
        self.slots = 2 * max(threads, 1)
        self.client.run(warm_up)  # every worker loads its model now, all at once
        self.closed = False

    def submit(self, chunk: Chunk, name: str, spool: str) -> object:
        return self.client.submit(analyze_chunk, chunk, name, None, key=f"newsint-{name}", pure=False)

    def wait(self, futures: set) -> tuple[set, set]:
        from distributed import wait

        with self.client.as_current():
            done, pending = wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def close(self, cancel: bool = False) -> None:
        if not self.closed:
            self.closed = True
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()


# Parallelism comes from one process per core; a BLAS thread pool inside each worker would
# oversubscribe the cores (OpenBLAS threads also spin while waiting for work).
SINGLE_THREADED = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_threaded_workers() -> None:
    """Make worker processes started from now on use one BLAS/OpenMP thread each, unless
    the user chose otherwise (the variables are read when a worker imports numpy)."""
    for name in SINGLE_THREADED:
        os.environ.setdefault(name, "1")


def make_engine(engine: str, workers: int, scheduler: str | None) -> Engine:
    if engine == "dask":
        return DaskEngine(scheduler, workers)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r} (choose local or dask)")
    if scheduler:
        raise ValueError("--scheduler needs --engine dask")
    return InlineEngine() if workers <= 0 else LocalEngine(workers)


# ---------------------------------------------------------------------------------------
# Main process: read, dedupe, dispatch, load


@dataclass
class IngestResult:
    """What one ingest run did, and what the store holds afterwards."""

    run_id: int
    items: int = 0  # input items read
    added: int = 0  # new articles stored
    already_stored: int = 0  # items whose article the store already held
    duplicates: int = 0  # items repeating an article read earlier in this run
    errors: list[ErrorRow] = field(default_factory=list)  # items that gave no article
    seconds: float = 0.0
    clusters: int = 0
    engine: str = "local"
    workers: int = 1
    worker_peak_rss: dict[int, int] = field(default_factory=dict)  # pid -> bytes
    worker_seconds: float = 0.0  # time spent analysing, summed over chunks
    interrupted: bool = False

    @property
    def articles_per_second(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


# (articles analysed, articles known so far, whether all inputs have been read)
ProgressHook = Callable[[int, int, bool], None]


def spool_dir(db: str | Path) -> Path:
    """Where shards wait to be loaded: beside the store file (as DuckDB's own .wal is)."""
    db = Path(db)
    return db.with_name(db.name + ".shards")


class _Ingest:
    """One run of the ingest job (see `ingest`)."""

    def __init__(self, store: Store, engine: Engine, spool: Path, result: IngestResult,
                 chunk_size: int, progress: ProgressHook | None) -> None:
        self.store = store
        self.engine = engine
        self.spool = spool
        self.result = result
        self.chunk_size = chunk_size
        self.progress = progress
        known = store.known_articles()
        self.known_ids: dict[str, str] = known  # id -> text hash, stored
        self.known_hashes: dict[str, str] = {h: i for i, h in known.items()}
        self.pending_ids: dict[str, tuple[str, str]] = {}  # id -> (text hash, source)
        self.pending_hashes: dict[str, str] = {}
        self.inputs: list[tuple[str, str]] = []  # (source, article id) waiting for the article
        self.errors: list[ErrorRow] = []  # read errors waiting to be written
        self.shards: list[Path] = []  # complete shards waiting to be loaded
        self.last_load = time.monotonic()
        self.analysed = 0
        self.queued = 0
        self.reading_done = False
        self.counter = 0
        self.running: dict[object, tuple[Chunk, bool]] = {}  # future -> (chunk, run alone)
        self.suspects: list[Chunk] = []  # single articles to retry after a worker died
        self.breaks = 0  # pool breaks since the last chunk that finished
        self.recovered: set[str] = set()  # articles this run loaded from a killed run's shards
        self.failed: dict[str, tuple[str, str]] = {}  # article id -> (source, reason)

    # -- reading
    def classify(self, item: Item) -> tuple[str, Article] | None:
        """A new article to analyse, or None when the item is an error or a repeat."""
        r = self.result
        r.items += 1
        if not item.ok:
            self.error(ErrorRow(item.source, item.error or "unknown error"))
            return None
        article = item.article
        assert article is not None
        digest = text_hash_of(article.text)
        if article.id in self.known_ids or article.id in self.pending_ids:
            stored = article.id in self.known_ids
            existing = self.known_ids[article.id] if stored else self.pending_ids[article.id][0]
            if existing != digest:
                self.error(ErrorRow(item.source, f"article id {article.id!r} is already used by a different text"))
                return None
            self.repeat(item.source, article.id, stored)
            return None
        if digest in self.known_hashes:
            self.repeat(item.source, self.known_hashes[digest], True)
            return None
        if digest in self.pending_hashes:
            self.repeat(item.source, self.pending_hashes[digest], False)
            return None
        self.pending_ids[article.id] = (digest, item.source)
        self.pending_hashes[digest] = article.id
        return item.source, article

    def error(self, row: ErrorRow) -> None:
        self.errors.append(row)
        self.result.errors.append(row)

    def repeat(self, source: str, article_id: str, stored: bool) -> None:
        if article_id in self.failed:
            first, reason = self.failed[article_id]
            self.error(ErrorRow(source, f"same text as {first}: {reason}"))
            return
        if article_id in self.recovered:
            pass  # counted as added by this run, when its shard was loaded
        elif stored:
            self.result.already_stored += 1
        else:
            self.result.duplicates += 1
        self.inputs.append((source, article_id))

    def chunks(self, items: Iterable[Item]) -> Iterator[Chunk]:
        chunk: Chunk = []
        for item in items:
            new = self.classify(item)
            if new is not None:
                chunk.append(new)
                if len(chunk) >= self.chunk_size:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    # -- loading
    def collect(self, outcome: ChunkResult, chunk: Chunk) -> None:
        r = self.result
        if outcome.files is not None:
            self.shards.append(write_shard(self.spool / outcome.name, outcome.files))
        else:
            self.shards.append(Path(outcome.shard))  # type: ignore[arg-type]
        r.worker_peak_rss[outcome.pid] = max(r.worker_peak_rss.get(outcome.pid, 0), outcome.peak_rss)
        r.worker_seconds += outcome.seconds
        failed = dict(outcome.failed)
        by_id = {article.id: source for source, article in chunk}
        for article_id, reason in outcome.failed:
            r.errors.append(ErrorRow(by_id[article_id], reason))
            self.failed[article_id] = (by_id[article_id], reason)
        if failed:
            # Repeats of an article that failed fail with it.
            keep = []
            for source, article_id in self.inputs:
                if article_id in failed:
                    self.error(ErrorRow(source, f"same text as {by_id[article_id]}: {failed[article_id]}"))
                else:
                    keep.append((source, article_id))
            self.inputs = keep
        self.analysed += len(chunk)

    def load(self, force: bool = False) -> None:
        """Commit waiting shards, then the inputs and errors that wait on them."""
        due = time.monotonic() - self.last_load >= LOAD_EVERY_SECONDS
        if not (force or due or len(self.shards) >= LOAD_EVERY_SHARDS):
            return
        if self.shards:
            loaded = self.store.load_shards(self.shards)
            self.result.added += loaded.articles
            for shard in self.shards:
                shutil.rmtree(shard, ignore_errors=True)
            self.shards = []
        if self.inputs:
            present = set(self.store.known_articles_among({a for _, a in self.inputs}))
            ready = [(s, a) for s, a in self.inputs if a in present]
            self.store.record_inputs(ready)
            self.inputs = [(s, a) for s, a in self.inputs if a not in present]
        if self.errors:
            self.store.record_errors(self.errors)
            self.errors = []
        self.last_load = time.monotonic()

    def recover(self) -> None:
        """Load every complete shard in the spool: those a killed run left (their work is
        not redone), or, after Ctrl-C, those the workers finished while the pool stopped."""
        if not self.spool.is_dir():
            return
        for path in sorted(self.spool.iterdir()):
            if path.name.endswith(".partial"):
                shutil.rmtree(path, ignore_errors=True)
        leftovers = [p for p in sorted(self.spool.iterdir()) if is_complete_shard(p)]
        if leftovers:
            before = set(self.known_ids)
            loaded = self.store.load_shards(leftovers)
            self.result.added += loaded.articles
            for shard in leftovers:
                shutil.rmtree(shard, ignore_errors=True)
            self.shards = [s for s in self.shards if s not in leftovers]
            known = self.store.known_articles()
            self.recovered |= set(known) - before
            self.known_ids = known
            self.known_hashes = {h: i for i, h in known.items()}

    # -- the loop
    def report(self) -> None:
        if self.progress:
            self.progress(self.analysed, self.analysed + self.queued, self.reading_done)

    def failed_chunk(self, chunk: Chunk, exc: BaseException, alone: bool) -> None:
        """A chunk whose worker died (a crash, the pool broken). Its articles are retried one
        at a time with nothing else running, so that an article that kills its worker ends
        in `errors` and every other article is still analysed."""
        if not alone:
            self.suspects.extend([one] for one in chunk)
            self.queued += len(chunk)
            return
        ((source, article),) = chunk
        reason = f"analysis failed: the worker died ({type(exc).__name__}: {exc})"[:500]
        self.error(ErrorRow(source, reason))
        self.failed[article.id] = (source, reason)
        for other, article_id in self.inputs:
            if article_id == article.id:
                self.error(ErrorRow(other, f"same text as {source}: {reason}"))
        self.inputs = [(s, a) for s, a in self.inputs if a != article.id]
        self.analysed += 1

    def submit(self, chunk: Chunk, alone: bool) -> None:
        self.counter += 1
        name = f"run{self.result.run_id:04d}-{self.counter:07d}"
        self.running[self.engine.submit(chunk, name, str(self.spool))] = (chunk, alone)

    def run(self, items: Iterable[Item]) -> None:
        self.spool.mkdir(parents=True, exist_ok=True)
        source = self.chunks(items)
        waiting: list[Chunk] = []  # read ahead, not yet submitted
        while True:
            # Read ahead (cheap) so that the progress bar knows the job's size early.
            while not self.reading_done and sum(len(c) for c in waiting) < READAHEAD:
                chunk = next(source, None)
                if chunk is None:
                    self.reading_done = True
                    break
                waiting.append(chunk)
                self.queued += len(chunk)
                if self.running and len(waiting) >= self.engine.slots:
                    break  # keep the workers fed before reading on
            if self.suspects:
                if not self.running:
                    self.submit(self.suspects.pop(0), alone=True)
            else:
                while waiting and len(self.running) < self.engine.slots:
                    self.submit(waiting.pop(0), alone=False)
            self.report()
            if not self.running:
                if self.reading_done and not waiting and not self.suspects:
                    break
                continue
            done, _ = self.engine.wait(set(self.running))
            broken = False
            for future in done:
                chunk, alone = self.running.pop(future)
                self.queued -= len(chunk)
                try:
                    outcome = future.result()
                except Exception as exc:
                    broken = broken or isinstance(exc, cf.process.BrokenProcessPool)
                    self.failed_chunk(chunk, exc, alone)
                    continue
                self.collect(outcome, chunk)
                self.breaks = 0
            if broken:
                self.breaks += 1
                if self.breaks > MAX_POOL_BREAKS:
                    raise RuntimeError(
                        f"the worker processes died {self.breaks} times in a row without "
                        "finishing a chunk (out of memory? a script using ingest() without "
                        "an `if __name__ == '__main__':` guard?)"
                    )
                # Every chunk still in the broken pool is lost with it.
                for chunk, _alone in self.running.values():
                    self.queued -= len(chunk)
                    self.failed_chunk(chunk, RuntimeError("worker pool broken"), False)
                self.running.clear()
                self.engine.restart()
            self.load()
            self.report()
        self.load(force=True)
        # Nothing may end in neither table: an input still waiting for its article now
        # would be a bug, so it is reported as one rather than dropped.
        if self.inputs:
            for source, article_id in self.inputs:
                self.error(ErrorRow(source, f"its article {article_id} was not stored"))
            self.inputs = []
            self.load(force=True)


def ingest(
    paths: Sequence[str | Path],
    db: str | Path = DEFAULT_DB,
    *,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: ProgressHook | None = None,
) -> IngestResult:
    """Analyse every input under `paths` into the store `db` (created if missing).

    Idempotent and resumable: rerunning the same command adds nothing already stored and
    finishes whatever a killed run left undone. Returns what this run did.

    Worker processes are started with `spawn`: a script calling this with `workers >= 1`
    needs the usual `if __name__ == "__main__":` guard."""
    started = time.perf_counter()
    paths = [str(p) for p in paths]
    runner = make_engine(engine, workers, scheduler)
    try:
        with Store(db) as store:
            run_id = store.start_run(paths, runner.name, workers, newsint.__version__)
            result = IngestResult(run_id=run_id, engine=runner.name, workers=workers)
            job = _Ingest(store, runner, spool_dir(db), result, chunk_size, progress)
            status = "completed"
            try:
                job.recover()
                job.run(iter_items(paths, published=published, outlet=outlet))
                result.clusters = store.rebuild_clusters()
            except KeyboardInterrupt:
                status = "interrupted"
                result.interrupted = True
                runner.close(cancel=True)
                job.load(force=True)
                job.recover()
                raise
            finally:
                result.seconds = time.perf_counter() - started
                store.finish_run(
                    run_id, items=result.items, added=result.added,
                    duplicates=result.duplicates + result.already_stored,
                    errors=len(result.errors), seconds=result.seconds, status=status,
                )
            spool = spool_dir(db)
            if spool.is_dir() and not any(spool.iterdir()):
                spool.rmdir()
    finally:
        runner.close()
    return result


# ---------------------------------------------------------------------------------------
# What the store holds: the corpus summary


def corpus_summary(store: Store, top: int = 10) -> dict:
    """Articles, layers, events by type and country, top actors and the largest event
    clusters with their independent-origin counts, as plain values."""
    from newsint.export import country_info

    one = lambda sql: store.query(sql)[1][0]  # noqa: E731
    articles, outlets, first, last = one(
        "SELECT count(*), count(DISTINCT outlet_key), min(published), max(published) FROM articles"
    )
    layers = {t: store.count(t) for t in ("entities", "actors", "places", "times", "statements", "events", "framing")}
    by_type = store.query(
        """SELECT type, coalesce(acled_type, '') AS acled, count(*) AS n FROM events
           GROUP BY ALL ORDER BY n DESC, type, acled"""
    )[1]
    by_country = [
        (iso, country_info(iso).get("name", iso), n)
        for iso, n in store.query(
            """SELECT country, count(*) AS n FROM events WHERE country IS NOT NULL
               GROUP BY country ORDER BY n DESC, country LIMIT ?""", [int(top)]
        )[1]
    ]
    # Actors are per article; across articles one is its knowledge-base id, or else its
    # name within its country (two countries' "defence ministry" are two actors).
    actor_key = "coalesce('kb:' || kb, 'name:' || lower(name) || '|' || coalesce(country, ''))"
    actors = store.query(
        f"""WITH a AS (SELECT article_id, name, type, country, {actor_key} AS k FROM actors),
                 ev AS (SELECT {actor_key} AS k, count(*) AS n FROM event_actors
                        WHERE name IS NOT NULL GROUP BY 1)
            SELECT min(a.name) AS name, min(a.type), min(a.country),
                   count(DISTINCT a.article_id) AS articles, coalesce(any_value(ev.n), 0)
            FROM a LEFT JOIN ev ON ev.k = a.k
            GROUP BY a.k ORDER BY articles DESC, name LIMIT {int(top)}"""
    )[1]
    entities = []
    if not actors:
        # Until actors are linked, the most mentioned names stand in for them.
        entities = store.query(
            f"""SELECT any_value(text ORDER BY text) AS name, any_value(type ORDER BY type) AS type,
                       count(DISTINCT article_id) AS articles
                FROM entities WHERE type IN ('PERSON', 'ORG', 'NORP', 'GPE')
                GROUP BY lower(text) ORDER BY articles DESC, name LIMIT {int(top)}"""
        )[1]
    n_clusters, multi = one(
        "SELECT count(*), count(*) FILTER (WHERE n_reports > 1) FROM clusters"
    )
    errors = store.query("SELECT source, reason FROM errors ORDER BY source")[1]
    last_run = store.query(
        "SELECT id, status, items, articles_added, errors, seconds FROM runs ORDER BY id DESC LIMIT 1"
    )[1]
    return {
        "db": str(store.path),
        "articles": articles,
        "outlets": outlets,
        "published": [first, last],
        "inputs": store.count("inputs"),
        "errors": errors,
        "layers": layers,
        "events_by_type": by_type,
        "events_by_country": by_country,
        "top_actors": actors,
        "top_entities": entities,
        "clusters": n_clusters,
        "clusters_multi": multi,
        "top_clusters": store.clusters(order="reports", limit=top),
        "last_run": last_run[0] if last_run else None,
    }


def _fmt_day(day: object) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else (str(day) if day else "?")


def render_summary(summary: dict, console: object) -> None:
    """Print `corpus_summary` with Rich, ending with what to try next."""
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    s = summary
    db = s["db"]
    first, last = s["published"]
    lines = [
        f"[bold]{s['articles']:,}[/] articles from [bold]{s['outlets']:,}[/] outlets"
        + (f", published {_fmt_day(first)} to {_fmt_day(last)}" if first else ""),
        f"{s['inputs']:,} inputs stored, [{'red' if s['errors'] else 'green'}]{len(s['errors']):,} "
        f"inputs in error[/]",
        "Extracted: " + ", ".join(f"{n:,} {layer}" for layer, n in s["layers"].items()),
        f"[bold]{s['clusters']:,}[/] event clusters, {s['clusters_multi']:,} reported by more than one article",
    ]
    console.print(Panel("\n".join(lines), title=f"newsint corpus: {db}", expand=False))

    if s["events_by_type"]:
        table = Table(title="Events by type", title_justify="left")
        table.add_column("PLOVER")
        table.add_column("ACLED")
        table.add_column("events", justify="right")
        for kind, acled, n in s["events_by_type"]:
            table.add_row(kind, acled, f"{n:,}")
        console.print(table)
    if s["events_by_country"]:
        table = Table(title="Events by country", title_justify="left")
        table.add_column("country")
        table.add_column("events", justify="right")
        for iso, name, n in s["events_by_country"]:
            table.add_row(f"{name} ({iso})", f"{n:,}")
        console.print(table)
    if s["top_actors"]:
        table = Table(title="Top actors", title_justify="left")
        for col in ("actor", "type", "country"):
            table.add_column(col)
        table.add_column("articles", justify="right")
        table.add_column("events", justify="right")
        for name, kind, country, n_articles, n_events in s["top_actors"]:
            table.add_row(name, kind, country or "", f"{n_articles:,}", f"{n_events:,}")
        console.print(table)
    elif s["top_entities"]:
        table = Table(title="Most mentioned names (no actors linked yet)", title_justify="left")
        table.add_column("name")
        table.add_column("type")
        table.add_column("articles", justify="right")
        for name, kind, n in s["top_entities"]:
            table.add_row(name, kind, f"{n:,}")
        console.print(table)
    if s["top_clusters"]:
        table = Table(
            title="Largest event clusters (reports of one event across articles)",
            title_justify="left",
        )
        table.add_column("date", no_wrap=True)
        table.add_column("event (who -> whom)", ratio=3)
        table.add_column("where", ratio=2)
        table.add_column("reports/\noutlets/\norigins", justify="center", no_wrap=True)
        table.add_column("independent origins", ratio=3)
        for c in s["top_clusters"]:
            kind = c["acled_subtype"] or c["acled_type"] or c["type"]
            who = " -> ".join(x for x in ("; ".join(c["sources"] or []), "; ".join(c["targets"] or c["victims"] or [])) if x)
            where = ", ".join(x for x in (c["place_name"], c["country"]) if x)
            day = _fmt_day(c["date_start"])
            if c["date_end"] and c["date_end"] != c["date_start"]:
                day += f"\n..{_fmt_day(c['date_end'])}"
            table.add_row(day, escape(kind) + (f"\n[dim]{escape(who)}[/]" if who else ""), escape(where),
                          f"{c['n_reports']}/{c['n_outlets']}/{c['n_origins']}",
                          escape("; ".join(c["origins"] or [])))
        console.print(table)
    if s["errors"]:
        table = Table(title=f"Inputs in error ({len(s['errors']):,})", title_justify="left")
        table.add_column("input")
        table.add_column("reason")
        for source, reason in s["errors"][:10]:
            table.add_row(source, reason)
        if len(s["errors"]) > 10:
            table.add_row("...", f"{len(s['errors']) - 10:,} more: newsint sql \"SELECT * FROM errors\"")
        console.print(table)

    opt = "" if db == DEFAULT_DB else f" --db {db}"
    country = s["events_by_country"][0][0] if s["events_by_country"] else "AF"
    tips = [
        (f"newsint events{opt} --country {country}", "the events in one country, with who says so"),
        (f"newsint events{opt} --type ASSAULT --format geojson > events.geojson", "a map layer"),
        (f"newsint sql{opt} \"SELECT outlet, count(*) AS n FROM articles GROUP BY outlet ORDER BY n DESC\"", "any question in SQL"),
        (f"newsint export acled{opt} -o events.csv", "ACLED-style CSV (also: gdelt, geojson, parquet, jsonl)"),
        (f"newsint serve{opt}", "read the articles, the map and who cites whom in the browser"),
    ]
    console.print("[bold]Try next[/]")
    for command, what in tips:
        console.print(f"  [dim]# {what}[/]")
        console.print(f"  [bold cyan]{escape(command)}[/]", soft_wrap=True)


def ingest_with_progress(paths: Sequence[str | Path], db: str | Path, console: object,
                         quiet: bool = False, **options: object) -> IngestResult:
    """`ingest` with a Rich progress bar on `console` (what `newsint ingest` and a demo
    show while the corpus is analysed)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("articles"), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, disable=quiet,
    )
    task = progress.add_task("Analysing", total=None)

    def hook(done: int, total: int, final: bool) -> None:
        progress.update(
            task, completed=done, total=total if final else None,
            description="Analysing" if final else f"Analysing (reading inputs, {total:,} so far)",
        )

    with progress:
        return ingest(paths, db, progress=hook, **options)  # type: ignore[arg-type]


def render_ingest_result(result: IngestResult, store: Store, console: object) -> None:
    """The end-of-run summary of `newsint ingest`."""
    from rich.panel import Panel

    rate = f" ({result.articles_per_second:,.1f} articles/s)" if result.added else ""
    lines = [
        f"Read {result.items:,} input items in {result.seconds:,.1f} s.",
        f"[green]{result.added:,} new articles[/] stored{rate}; "
        f"{result.already_stored:,} already in the store; {result.duplicates:,} repeated an earlier item.",
    ]
    if result.errors:
        lines.append(f"[red]{len(result.errors):,} inputs gave no article:[/]")
        for row in result.errors[:8]:
            lines.append(f"  {row.source}: {row.reason}")
        if len(result.errors) > 8:
            lines.append(f"  ... and {len(result.errors) - 8:,} more (newsint sql \"SELECT * FROM errors\")")
    lines.append(
        f"The store now holds {store.count('articles'):,} articles, {store.count('events'):,} "
        f"events in {store.count('clusters'):,} clusters."
    )
    if result.interrupted:
        lines.append("[yellow]Interrupted: run the same command again to finish the job.[/]")
    console.print(Panel("\n".join(lines), title=f"newsint ingest -> {store.path}", expand=False))


def render_events(rows: Sequence[dict], console: object, more: bool = False) -> None:
    """Events (rows of `Store.events`) as a Rich table: when, what, where, who to whom,
    deaths, and who says so."""
    from rich.table import Table

    table = Table(title=f"{len(rows):,} events" + (" (first shown; --limit 0 for all)" if more else ""),
                  title_justify="left")
    for col in ("date", "event", "where", "who -> whom", "deaths", "modality", "says so", "article"):
        table.add_column(col, justify="right" if col == "deaths" else "left")
    for e in rows:
        day = _fmt_day(e["date_start"]) if e["date_start"] else f"({_fmt_day(e['published'])})"
        if e["date_end"] and e["date_end"] != e["date_start"]:
            day += f"..{_fmt_day(e['date_end'])}"
        kind = e["type"] + (f" / {e['acled_subtype'] or e['acled_type']}" if e["acled_type"] else "")
        where = ", ".join(x for x in (e["place_name"], e["country"]) if x)
        sides = ["; ".join(e["sources"] or []), "; ".join(e["targets"] or e["victims"] or [])]
        says = e["speaker"] or ""
        if e["origin_name"] and e["origin_name"] != e["outlet"]:
            says = f"{says} via {e['origin_name']}" if says else f"via {e['origin_name']}"
        table.add_row(
            day, kind, where, " -> ".join(x for x in sides if x),
            "" if e["fatalities"] is None else str(e["fatalities"]), e["modality"], says,
            f"{e['outlet'] or ''} {e['article_id']}".strip(),
        )
    console.print(table)
