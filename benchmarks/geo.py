"""Geoparsing benchmark: newsint's places layer on ../shared/eval/geo/geoparsing.jsonl.

    .venv/bin/python benchmarks/geo.py                 # the whole dev file
    .venv/bin/python benchmarks/geo.py --split odd     # the half the ranker was not fitted on
    .venv/bin/python benchmarks/geo.py --limit 40      # a quick look

Converts the gold file to newsint input with `score.py input geo`, parses every article
once with spaCy, runs the pipeline, scores the records with `score.py geo`, and prints
per-corpus numbers beside Mordecai 3's published acc@161km. It also times the places
layer against the spaCy parse of the same documents (target: places < 20% of parse).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "geo" / "geoparsing.jsonl"
SCORER = EVAL / "score.py"

# Mordecai 3 (Halterman 2023), acc@161km on toponyms it recognised.
MORDECAI3 = {"GeoWebNews": 0.941, "LGL": 0.827, "TR-News": 0.873}
TARGETS = {"GeoWebNews": 0.90, "TR-News": 0.90, "LGL": 0.80}
CORPORA = ("GeoWebNews", "LGL", "TR-News", "GeoVirus", "all")


def select(gold: list[dict], split: str, corpus: str | None, limit: int | None) -> list[dict]:
    """A fixed selection of gold documents: `even`/`odd` are alternate documents in file
    order (the ranker is fitted on `even`)."""
    docs = [d for i, d in enumerate(gold) if split == "all" or (i % 2 == 0) == (split == "even")]
    if corpus:
        docs = [d for d in docs if d["corpus"] == corpus]
    return docs[:limit] if limit else docs


def load_gold() -> list[dict]:
    with GOLD.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def make_input(gold_path: Path, out_path: Path) -> None:
    """newsint input records, made by the scorer itself (so ids and texts are its own)."""
    with out_path.open("w", encoding="utf-8") as out:
        subprocess.run([sys.executable, str(SCORER), "input", "geo", str(gold_path)], stdout=out, check=True)


def read_articles(in_path: Path):
    from newsint.ingest import iter_items

    items = list(iter_items([str(in_path)]))
    bad = [item for item in items if not item.ok]
    if bad:
        raise SystemExit(f"input conversion failed: {bad[0].source}: {bad[0].error}")
    return [item.article for item in items]


def parse_docs(articles, cache_dir: Path | None = None):
    """spaCy docs for the articles, and the parse time in seconds (0 when read from the
    parse cache, which only `--reuse-parse` uses)."""
    from spacy.tokens import DocBin

    from newsint.parse import load_model, parse_many

    nlp = load_model()
    cache = None
    if cache_dir is not None:
        h = hashlib.sha256("\n\x00".join(a.text for a in articles).encode()).hexdigest()[:16]
        cache = cache_dir / f"geo-{h}.spacy"
        if cache.is_file():
            return list(DocBin().from_disk(cache).get_docs(nlp.vocab)), 0.0
    started = time.perf_counter()
    docs = list(parse_many((a.text for a in articles), batch_size=16))
    seconds = time.perf_counter() - started
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(cache)
    return docs, seconds


def score(gold_path: Path, out_path: Path) -> dict:
    run = subprocess.run(
        [sys.executable, str(SCORER), "geo", str(gold_path), str(out_path)],
        capture_output=True, text=True, check=True,
    )
    report, _, _summary = run.stdout.rpartition("\n}")
    return json.loads(report + "\n}")["metrics"]


def run(docs_gold: list[dict], reuse_parse: bool = False, quiet: bool = False) -> dict:
    from newsint.entities import link_entities
    from newsint.gazetteer import cache_dir, get_gazetteer
    from newsint.pipeline import build_record
    from newsint.places import resolve_places

    started = time.perf_counter()
    get_gazetteer()  # built here if need be, outside the timings below
    gazetteer_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        gold_path, in_path, out_path = tmp / "gold.jsonl", tmp / "in.jsonl", tmp / "out.jsonl"
        gold_path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs_gold), encoding="utf-8")
        make_input(gold_path, in_path)
        articles = read_articles(in_path)
        docs, parse_seconds = parse_docs(articles, cache_dir() / "bench" if reuse_parse else None)
        places_seconds = 0.0
        with out_path.open("w", encoding="utf-8") as out:
            for article, doc in zip(articles, docs):
                entities, _actors = link_entities(doc, article)
                t = time.perf_counter()
                resolve_places(doc, article, entities)
                places_seconds += time.perf_counter() - t
                out.write(build_record(doc, article).to_json() + "\n")
        metrics = score(gold_path, out_path)
    return {
        "metrics": metrics,
        "docs": len(articles),
        "parse_seconds": parse_seconds,
        "places_seconds": places_seconds,
        "gazetteer_seconds": gazetteer_seconds,
    }


def print_table(result: dict, title: str) -> None:
    m = result["metrics"]
    print(f"\n{title}: {result['docs']} documents")
    print(
        f"{'corpus':<11} {'gold':>5} {'pred':>5} {'rec P':>6} {'rec R':>6} {'rec F1':>6} "
        f"{'acc161':>6} {'Mordecai3':>9} {'target':>6} {'e2e':>6} {'med km':>7}"
    )
    for corpus in CORPORA:
        if corpus not in m:
            continue
        c = m[corpus]
        mordecai = f"{MORDECAI3[corpus]:.3f}" if corpus in MORDECAI3 else "-"
        target = f"{TARGETS[corpus]:.2f}" if corpus in TARGETS else ("F1.75" if corpus == "all" else "-")
        print(
            f"{corpus:<11} {c['docs_gold_toponyms']:>5} {c['predicted']:>5} {c['recognition_p']:>6.3f} "
            f"{c['recognition_r']:>6.3f} {c['recognition_f1']:>6.3f} {c['acc161_matched']:>6.3f} "
            f"{mordecai:>9} {target:>6} {c['acc161_end_to_end']:>6.3f} {c['median_error_km']!s:>7}"
        )
    parse, places = result["parse_seconds"], result["places_seconds"]
    if parse:
        print(
            f"time: spaCy parse {parse:.1f}s, places layer {places:.2f}s "
            f"({places / parse:.1%} of the parse; target < 20%)"
        )
    else:
        print(f"time: places layer {places:.2f}s (parse read from cache, not timed)")
    if result["gazetteer_seconds"] > 1:
        print(f"gazetteer opened/built in {result['gazetteer_seconds']:.1f}s (not counted above)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("all", "even", "odd"), default="all",
                    help="all documents, or alternate halves (the ranker is fitted on 'even')")
    ap.add_argument("--corpus", choices=CORPORA[:-1], help="one corpus only")
    ap.add_argument("--limit", type=int, help="at most this many documents")
    ap.add_argument("--reuse-parse", action="store_true",
                    help="keep parsed documents in the cache directory between runs (not timed)")
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON too")
    args = ap.parse_args(argv)
    if not GOLD.is_file():
        print(f"{GOLD} not found: the benchmark needs ../shared beside the clone", file=sys.stderr)
        return 2
    docs = select(load_gold(), args.split, args.corpus, args.limit)
    result = run(docs, reuse_parse=args.reuse_parse)
    print_table(result, f"geoparsing.jsonl, split {args.split}")
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
