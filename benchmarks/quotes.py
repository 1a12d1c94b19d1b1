"""Benchmark of the statements layer: quotation and attribution scores on the PolNeAR dev
file, and the cost of the layer against the spaCy parse.

    .venv/bin/python benchmarks/quotes.py                 # all 924 documents, the README table
    .venv/bin/python benchmarks/quotes.py --limit 100     # the first 100 documents
    .venv/bin/python benchmarks/quotes.py --errors        # also list misses and false alarms

The gold file is turned into newsint input with `score.py input quotes`, every document is
parsed once with spaCy (timed) and run through the whole pipeline (the statements layer
timed on its own), and the records are scored with `score.py quotes`. Reads
../shared/eval; writes only to a temporary folder.

PolNeAR marks a content `is_direct` when it begins or ends with a double quotation mark
(" “ ”) and not when the quotation is set in doubled apostrophes (''...'', the New York
Times convention) or single quotes. newsint calls those quotations direct too, so the
official direct precision counts them as false alarms. The second direct row re-scores
with `is_direct` recomputed for every quotation style (a copy of the gold file in the
temporary folder), to show what the layer does on quotations as such.
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
GOLD = EVAL / "quotes" / "polnear.jsonl"
QUOTE_MARKS = "\"“”'‘’"


def score(gold_path: Path, out_path: Path) -> dict:
    run = subprocess.run([sys.executable, str(SCORER), "quotes", str(gold_path), str(out_path)],
                         capture_output=True, text=True, check=True)
    report = run.stdout.rsplit("\n", 2)[0]
    return json.loads(report[: report.rindex("}") + 1])["metrics"]


def style_neutral(gold: list[dict]) -> list[dict]:
    """The gold documents with `is_direct` true for a content that begins or ends with any
    quotation mark, doubled apostrophes and single quotes included."""
    out = []
    for doc in gold:
        quotes = []
        for q in doc["quotes"]:
            content = doc["text"][q["content"][0]:q["content"][1]].strip()
            direct = bool(content) and (content[0] in QUOTE_MARKS or content[-1] in QUOTE_MARKS)
            quotes.append({**q, "is_direct": q.get("is_direct") or direct})
        out.append({**doc, "quotes": quotes})
    return out


def run(limit: int | None, tmp: Path, errors: bool) -> dict:
    from newsint.entities import link_entities
    from newsint.ingest import make_article
    from newsint.parse import load_model
    from newsint.pipeline import build_record
    from newsint.statements import attribute_statements

    inputs = subprocess.run([sys.executable, str(SCORER), "input", "quotes", str(GOLD)],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    records = [json.loads(line) for line in inputs if line.strip()][:limit]
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip()][: len(records)]
    gold_path = tmp / "gold.jsonl"
    gold_path.write_text("".join(json.dumps(g) + "\n" for g in gold), encoding="utf-8")
    neutral_path = tmp / "gold-style-neutral.jsonl"
    neutral_path.write_text("".join(json.dumps(g) + "\n" for g in style_neutral(gold)),
                            encoding="utf-8")

    nlp = load_model()
    texts = [r["text"] for r in records]
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse_seconds = time.perf_counter() - t0

    layer_seconds = 0.0
    out_path = tmp / "out.jsonl"
    with out_path.open("w", encoding="utf-8") as out:
        for rec, doc in zip(records, docs, strict=True):
            article = make_article(rec["text"], published=rec.get("published"), id=rec["id"],
                                   title=rec.get("title"))
            entities, actors = link_entities(doc, article)
            t0 = time.perf_counter()
            attribute_statements(doc, article, entities, actors)
            layer_seconds += time.perf_counter() - t0
            out.write(build_record(doc, article).to_json() + "\n")
    metrics = score(gold_path, out_path)
    metrics["style_neutral"] = score(neutral_path, out_path)
    metrics.update(docs=len(records), parse_seconds=parse_seconds, layer_seconds=layer_seconds)
    if errors:
        print_errors(gold, out_path)
    return metrics


def print_errors(gold: list[dict], out_path: Path) -> None:
    """Each gold attribution no statement matches, and each statement that matches none."""
    preds = {}
    for line in out_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        preds[rec["article"]["id"]] = rec["statements"]
    for doc in gold:
        text = doc["text"]
        statements = preds.get(doc["id"], [])
        used = set()
        for q in doc["quotes"]:
            g0, g1 = q["content"]
            match = None
            for i, st in enumerate(statements):
                p0, p1 = st["content"]
                inter = max(0, min(g1, p1) - max(g0, p0))
                if i not in used and inter / (max(g1, p1) - min(g0, p0)) >= 0.5:
                    match = i
                    break
            if match is None:
                print(f"MISS\t{doc['id']}\t{text[g0:g1][:160]!r}")
            else:
                used.add(match)
        for i, st in enumerate(statements):
            if i not in used:
                p0, p1 = st["content"]
                print(f"SPURIOUS\t{doc['id']}\t{st['kind']}\t{text[p0:p1][:160]!r}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N documents")
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    if not SCORER.is_file() or not GOLD.is_file():
        print(f"{GOLD} not found: ../shared/eval must be beside this clone", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        m = run(args.limit, Path(tmp), args.errors)
    n = m["style_neutral"]
    print(f"\n| PolNeAR dev ({m['docs']} docs) | P | R | F1 |")
    print("|---|---:|---:|---:|")
    print(f"| content (IoU >= 0.5) | {m['content_p']:.3f} | {m['content_r']:.3f} "
          f"| {m['content_f1']:.3f} |")
    print(f"| direct quotes | {m['direct_p']:.3f} | {m['direct_r']:.3f} | {m['direct_f1']:.3f} |")
    print(f"| direct quotes, any quote style | {n['direct_p']:.3f} | {n['direct_r']:.3f} "
          f"| {n['direct_f1']:.3f} |")
    print(f"\nspeaker accuracy on matched: {m['speaker_accuracy_on_matched']:.3f}  "
          f"(content F1 x speaker: {m['end_to_end_f1_with_speaker']:.3f})")
    ratio = m["layer_seconds"] / m["parse_seconds"] if m["parse_seconds"] else 0.0
    print("\n| spaCy parse (s) | statements layer (s) | statements / parse |")
    print("|---:|---:|---:|")
    print(f"| {m['parse_seconds']:.1f} | {m['layer_seconds']:.2f} | {ratio:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
