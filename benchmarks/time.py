"""Benchmark of the times layer: TIMEX3 scores on the TempEval-3 and MEANTIME dev files,
beside HeidelTime and SUTime, and the cost of the layer against the spaCy parse.

    .venv/bin/python benchmarks/time.py                 # both files, the README table
    .venv/bin/python benchmarks/time.py --limit 40      # the first 40 documents of each
    .venv/bin/python benchmarks/time.py --errors        # also list every miss and wrong value

Each gold file is turned into newsint input with `score.py input time`, every document is
parsed once with spaCy (timed) and run through the whole pipeline (the times layer timed on
its own), and the records are scored with `score.py time`. Reads ../shared/eval; writes only
to a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
SCORER = EVAL / "score.py"
FILES = {
    "tempeval3": EVAL / "time" / "tempeval3.jsonl",
    "meantime": EVAL / "time" / "meantime.jsonl",
}
# MEANTIME annotates time expressions only in the first lines of each article (title, date
# line and first four sentences, one per line in the converted text); its second row
# scores predictions there only, so that unannotated text does not count as false alarms.
ANNOTATED_LINES = {"meantime": 6}

# Published TempEval-3 value F1 (UzZaman et al. 2013, Task A, test set) of the rule-based
# systems newsint is compared with.
REFERENCE = {"HeidelTime": 0.776, "SUTime": 0.674}


def score(task_file: Path, out_path: Path) -> dict:
    run = subprocess.run([sys.executable, str(SCORER), "time", str(task_file), str(out_path)],
                         capture_output=True, text=True, check=True)
    report = run.stdout.rsplit("\n", 2)[0]
    return json.loads(report[: report.rindex("}") + 1])["metrics"]


def run_file(name: str, gold_path: Path, limit: int | None, tmp: Path, errors: bool) -> dict:
    from newsint.ingest import make_article
    from newsint.parse import load_model
    from newsint.pipeline import build_record
    from newsint.times import normalise_times

    inputs = subprocess.run([sys.executable, str(SCORER), "input", "time", str(gold_path)],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    records = [json.loads(line) for line in inputs if line.strip()][:limit]
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines()
            if line.strip()][: len(records)]
    gold_subset = tmp / f"{name}.gold.jsonl"
    gold_subset.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")

    nlp = load_model()
    texts = [r["text"] for r in records]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse_seconds = time.perf_counter() - t0

    times_seconds = 0.0
    out_path = tmp / f"{name}.out.jsonl"
    with out_path.open("w", encoding="utf-8") as out:
        for rec, doc in zip(records, docs, strict=True):
            article = make_article(rec["text"], published=rec.get("published"), id=rec["id"],
                                   title=rec.get("title"))
            t0 = time.perf_counter()
            normalise_times(doc, article)
            times_seconds += time.perf_counter() - t0
            out.write(build_record(doc, article).to_json() + "\n")
    metrics = score(gold_subset, out_path)
    metrics.update(docs=len(records), parse_seconds=parse_seconds, times_seconds=times_seconds)
    if name in ANNOTATED_LINES:
        scoped = tmp / f"{name}.scoped.jsonl"
        keep_annotated_lines(out_path, scoped, ANNOTATED_LINES[name])
        metrics["annotated_lines"] = score(gold_subset, scoped)
        out_path = scoped
    if errors:
        print_errors(gold, out_path)
    return metrics


def keep_annotated_lines(out_path: Path, scoped: Path, lines: int) -> None:
    """A copy of the records keeping only times that start within the first `lines` lines."""
    with scoped.open("w", encoding="utf-8") as out:
        for line in out_path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            text, cut = rec["article"]["text"], -1
            for _ in range(lines):
                cut = text.find("\n", cut + 1)
                if cut < 0:
                    cut = len(text)
                    break
            rec["times"] = [t for t in rec["times"] if t["start"] < cut]
            out.write(json.dumps(rec) + "\n")


def print_errors(gold: list[dict], out_path: Path) -> None:
    """Every gold expression missed or given another value, and every spurious one."""
    preds = {}
    for line in out_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        preds[rec["article"]["id"]] = rec["times"]
    for g in gold:
        times = preds.get(g["id"], [])
        used = set()
        for t in g["timexes"]:
            match = next((i for i, p in enumerate(times) if i not in used
                          and p["start"] < t["end"] and t["start"] < p["end"]), None)
            if match is None:
                print(f"MISS\t{g['dct']}\t{t['text']!r}\t{t['type']}\t{t['value']}")
                continue
            used.add(match)
            p = times[match]
            if p["value"] != t["value"]:
                print(f"VALUE\t{g['dct']}\t{t['text']!r}\t{t['value']}\t{p['text']!r}\t{p['value']}"
                      f"\t{p.get('rule', '')}")
        for i, p in enumerate(times):
            if i not in used:
                print(f"SPURIOUS\t{g['dct']}\t{p['text']!r}\t{p['type']}\t{p['value']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="documents per file")
    parser.add_argument("--files", nargs="+", default=list(FILES), choices=list(FILES))
    parser.add_argument("--errors", action="store_true", help="list misses and wrong values")
    args = parser.parse_args()
    if not SCORER.is_file():
        print(f"{SCORER} not found: ../shared/eval must be beside this clone", file=sys.stderr)
        return 2
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.files:
            results[name] = run_file(name, FILES[name], args.limit, Path(tmp), args.errors)

    print("\n| system | file | docs | value F1 | relaxed F1 | strict F1 | type F1 |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, m in results.items():
        rows = [(name, m)]
        if "annotated_lines" in m:
            rows.append((f"{name} (annotated lines)", m["annotated_lines"]))
        for label, r in rows:
            print(f"| newsint | {label} | {m['docs']} | {r['value_f1']:.3f} "
                  f"| {r['relaxed_f1']:.3f} | {r['strict_f1']:.3f} | {r['type_f1']:.3f} |")
    for system, value_f1 in REFERENCE.items():
        print(f"| {system} (published) | TempEval-3 test | | {value_f1:.3f} | | | |")
    print("\n| file | spaCy parse (s) | times layer (s) | times / parse |")
    print("|---|---:|---:|---:|")
    for name, m in results.items():
        ratio = m["times_seconds"] / m["parse_seconds"] if m["parse_seconds"] else 0.0
        print(f"| {name} | {m['parse_seconds']:.2f} | {m['times_seconds']:.3f} | {ratio:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
