"""Benchmark of the corpus ingest: throughput with 1 and 2 workers, and peak memory per
worker as the corpus grows.

    .venv/bin/python benchmarks/corpus.py                       # 1,000 and 10,000 articles
    .venv/bin/python benchmarks/corpus.py --sizes 200 --workers 1,2   # a quick look

Corpora are generated from the sample articles (examples/corpus and tests/data/corpus):
each generated article keeps one sample's lead paragraph and adds paragraphs of others,
with place names, person names and numbers swapped for ones from other samples, so every
text is new to the spaCy model and to the store while the language stays news English.

Each (size, workers) run is `newsint.corpus.ingest` into a fresh store, in its own process
so that its memory is measured alone: wall-clock time from start to the last commit
(worker start-up included), articles and words per second, the peak resident memory of each
worker process and of the main process. The targets (issue 7): 2 workers at least 1.7x the
throughput of 1 worker on 2 cores, and peak memory per worker flat from 1,000 to 10,000
articles. Writes only to a temporary folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIRS = (ROOT / "examples" / "corpus", ROOT / "tests" / "data" / "corpus")
SWAPPED = {"GPE", "LOC", "PERSON", "FAC", "NORP"}  # names swapped for others of their kind


@dataclass
class Paragraph:
    text: str
    spans: list[tuple[int, int, str]]  # entities that may be swapped, and numbers


@dataclass
class Sample:
    title: str
    outlet: str
    paragraphs: list[Paragraph]


def load_samples() -> tuple[list[Sample], dict[str, list[str]]]:
    """The sample articles split into paragraphs, with their swappable spans, and the pool
    of names of each kind found across them."""
    from newsint.ingest import iter_items
    from newsint.parse import parse_many

    articles = [i.article for i in iter_items([d for d in SAMPLE_DIRS if d.is_dir()]) if i.ok]
    paragraphs = [[p.strip() for p in a.text.split("\n\n") if p.strip()] for a in articles]
    flat = [p for ps in paragraphs for p in ps]
    pools: dict[str, set[str]] = {label: set() for label in SWAPPED}
    parsed: dict[str, Paragraph] = {}
    for text, doc in zip(flat, parse_many(flat, batch_size=32)):
        spans = []
        for ent in doc.ents:
            if ent.label_ in SWAPPED and "\n" not in ent.text:
                spans.append((ent.start_char, ent.end_char, ent.label_))
                pools[ent.label_].add(ent.text)
            elif ent.label_ == "CARDINAL" and ent.text.isdigit():
                spans.append((ent.start_char, ent.end_char, "NUMBER"))
        parsed[text] = Paragraph(text, spans)
    samples = [
        Sample(a.title or "Report", a.outlet or "Sample Wire", [parsed[p] for p in ps])
        for a, ps in zip(articles, paragraphs)
        if ps
    ]
    return samples, {k: sorted(v) for k, v in pools.items()}


def vary(paragraph: Paragraph, pools: dict[str, list[str]], rng: random.Random) -> str:
    out, last = [], 0
    for start, end, label in paragraph.spans:
        out.append(paragraph.text[last:start])
        original = paragraph.text[start:end]
        if label == "NUMBER":
            out.append(str(rng.randint(2, 90)) if rng.random() < 0.7 else original)
        else:
            out.append(rng.choice(pools[label]) if rng.random() < 0.6 else original)
        last = end
    out.append(paragraph.text[last:])
    return "".join(out)


def generate(folder: Path, n: int, seed: int = 1) -> int:
    """Write `n` distinct articles as front-matter .txt files; returns their word count."""
    samples, pools = load_samples()
    outlets = sorted({s.outlet for s in samples}) + [f"Regional Desk {i}" for i in range(20)]
    every = [p for s in samples for p in s.paragraphs[1:]]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    words = 0
    i = 0
    while i < n:
        base = samples[i % len(samples)]
        paragraphs = [vary(base.paragraphs[0], pools, rng)]
        extra = rng.sample(every, k=min(len(every), rng.randint(2, 4)))
        paragraphs += [vary(p, pools, rng) for p in extra]
        text = "\n\n".join(paragraphs)
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        day = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        (folder / f"gen-{i:05d}.txt").write_text(
            f"---\ntitle: {base.title}\noutlet: {rng.choice(outlets)}\npublished: {day}\n---\n{text}\n",
            encoding="utf-8",
        )
        words += len(text.split())
        i += 1
    return words


EVAL = ROOT.parent / "shared" / "eval"


def real_news(folder: Path, limit: int | None = None) -> int:
    """Real news texts from the eval dev files (../shared/eval) as one JSON Lines input, for
    the memory check on an open vocabulary (the generated corpora reuse a bounded pool of
    names and words). Written to the temporary folder only; returns the number of texts."""
    docs = []
    for path in sorted(EVAL.glob("*/*.jsonl")):
        for line in path.open(encoding="utf-8"):
            doc = json.loads(line)
            text = doc.get("text") or ""
            if len(text.split()) >= 80:  # whole articles, not single gold sentences
                day = (doc.get("date") or doc.get("dct") or "")[:10] or None
                docs.append({"id": f"{path.stem}:{doc.get('id')}", "text": text, "published": day})
    docs = docs[:limit] if limit else docs
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "news.jsonl").open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc) + "\n")
    return len(docs)


def run_one(folder: Path, db: Path, workers: int) -> dict:
    """One ingest, in this process (called in a child process by `measure`)."""
    from newsint.corpus import ingest

    started = time.perf_counter()
    result = ingest([folder], db, workers=workers)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "added": result.added,
        "errors": len(result.errors),
        "worker_peak_mb": sorted(v / 2**20 for v in result.worker_peak_rss.values()),
        "main_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "analysis_seconds": result.worker_seconds,
    }


def measure(folder: Path, workers: int, scratch: Path) -> dict:
    db = scratch / f"bench-{folder.name}-w{workers}.duckdb"
    for stale in scratch.glob(db.name + "*"):
        stale.unlink()
    out = subprocess.run(
        [sys.executable, __file__, "--run", str(folder), str(db), str(workers)],
        capture_output=True, text=True, check=True,
    )
    db.unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes (articles)")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each (size, workers), interleaved; the fastest is kept "
                             "(other work on a shared machine only ever slows a run down)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--real", action="store_true",
                        help="also: peak memory per worker on real news from ../shared/eval, a quarter vs all")
    parser.add_argument("--run", nargs=3, metavar=("FOLDER", "DB", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        folder, db, workers = args.run
        print(json.dumps(run_one(Path(folder), Path(db), int(workers))))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    counts = [int(w) for w in args.workers.split(",")]
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="newsint-bench-") as tmp:
        scratch = Path(tmp)
        for size in sizes:
            folder = scratch / f"corpus-{size}"
            words = generate(folder, size, seed=args.seed)
            print(f"generated {size:,} articles, {words:,} words", flush=True)
            best: dict[int, dict] = {}
            for _ in range(max(1, args.repeat)):
                for workers in counts:
                    figures = measure(folder, workers, scratch)
                    assert figures["added"] == size and figures["errors"] == 0, figures
                    figures.update(size=size, workers=workers, words=words,
                                   load=os.getloadavg()[0])
                    print(f"  {workers} worker(s): {figures['seconds']:.1f} s, "
                          f"{size / figures['seconds']:.1f} articles/s, worker peak "
                          f"{max(figures['worker_peak_mb']):.0f} MB, load {figures['load']:.2f}",
                          flush=True)
                    if workers not in best or figures["seconds"] < best[workers]["seconds"]:
                        peak = max(best[workers]["worker_peak_mb"]) if workers in best else 0
                        best[workers] = figures
                        figures["worker_peak_mb"] = [max(peak, *figures["worker_peak_mb"])]
            rows += [best[w] for w in counts]

        if args.real and EVAL.is_dir():
            total = real_news(scratch / "real-all")
            real_news(scratch / "real-quarter", total // 4)
            for name in ("real-quarter", "real-all"):
                figures = measure(scratch / name, 2, scratch)
                print(f"real news, {figures['added']:,} articles, 2 workers: {figures['seconds']:.1f} s, "
                      f"worker peak {max(figures['worker_peak_mb']):.0f} MB", flush=True)

    base = {r["size"]: r for r in rows if r["workers"] == min(counts)}
    print()
    print("| articles | workers | seconds | articles/s | words/s | speed-up | peak MB per worker | main process peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        speed = base[r["size"]]["seconds"] / r["seconds"]
        print(f"| {r['size']:,} | {r['workers']} | {r['seconds']:.1f} | {r['size'] / r['seconds']:.1f} | "
              f"{r['words'] / r['seconds']:,.0f} | {speed:.2f}x | "
              f"{max(r['worker_peak_mb']):.0f} | {r['main_peak_mb']:.0f} |")
    print()
    for size in sizes:
        by_w = {r["workers"]: r for r in rows if r["size"] == size}
        if 1 in by_w and 2 in by_w:
            ratio = by_w[1]["seconds"] / by_w[2]["seconds"]
            print(f"{size:,} articles: 2 workers = {ratio:.2f}x 1 worker "
                  f"({'meets' if ratio >= 1.7 else 'misses'} the 1.7x target)")
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        for w in counts:
            a = [r for r in rows if r["size"] == small and r["workers"] == w][0]
            b = [r for r in rows if r["size"] == large and r["workers"] == w][0]
            growth = max(b["worker_peak_mb"]) / max(a["worker_peak_mb"])
            print(f"{w} worker(s): peak memory per worker {max(a['worker_peak_mb']):.0f} MB at "
                  f"{small:,} articles, {max(b['worker_peak_mb']):.0f} MB at {large:,} "
                  f"({growth:.2f}x)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    if args.json:
        print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
