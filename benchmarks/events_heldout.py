"""Score the events layer on the held-out PLOVER sentences (benchmarks/heldout/).

    .venv/bin/python benchmarks/events_heldout.py [--misses N] [--gold FILE]

The rules in src/newsint/events.py were tuned on ../shared/eval/events/plover_gsr.jsonl, so
that file's score is a dev score. benchmarks/heldout/plover_heldout.jsonl is 150 sentences
in the same style and format, written blind to the rules (see its README.md), so its score
is the estimate of how the layer does on text it has not seen. This script runs exactly

    python3 ../shared/eval/score.py input events GOLD > in.jsonl
    .venv/bin/newsint analyze in.jsonl -o out.jsonl
    python3 ../shared/eval/score.py events GOLD out.jsonl

and prints the scorer's numbers, a strict source-actor recall (as benchmarks/events.py
counts it), recall and precision per PLOVER type, and the sentences whose types were
missed or whose source was wrong, with what was predicted instead.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
HELDOUT = ROOT / "benchmarks" / "heldout" / "plover_heldout.jsonl"
CLI = Path(sys.executable).parent / "newsint"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from events import RENAMED, strict_source_recall  # noqa: E402  (the dev benchmark's own count)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=HELDOUT, help="gold file (default: the held-out set)")
    ap.add_argument("--misses", type=int, default=-1, help="list at most N misses (default: all, 0: none)")
    args = ap.parse_args()
    if not SCORER.is_file():
        print(f"{SCORER} not found: ../shared/eval must be beside the clone", file=sys.stderr)
        return 2

    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        input_path = Path(tmp) / "in.jsonl"
        output_path = Path(tmp) / "out.jsonl"
        converted = subprocess.run([sys.executable, str(SCORER), "input", "events", str(args.gold)],
                                   check=True, capture_output=True, text=True).stdout
        input_path.write_text(converted, encoding="utf-8")
        subprocess.run([str(CLI), "analyze", str(input_path), "-o", str(output_path)],
                       check=True, capture_output=True, text=True)
        scored = subprocess.run([sys.executable, str(SCORER), "events", str(args.gold), str(output_path)],
                                check=True, capture_output=True, text=True).stdout
        records = [json.loads(line) for line in output_path.read_text(encoding="utf-8").splitlines() if line.strip()]

    print(scored, end="")
    metrics = json.loads(scored[: scored.rindex("}") + 1])["metrics"]
    strict = strict_source_recall(gold, records)
    print()
    print("| documents | type P | type R | type F1 | source-actor recall (scorer) | strict |")
    print("|---|---|---|---|---|---|")
    print(f"| {len(gold)} | {metrics['type_p']:.3f} | {metrics['type_r']:.3f} | {metrics['type_f1']:.3f} "
          f"| {metrics['source_actor_recall']:.3f} | {strict:.3f} |")

    by_id = {r["article"]["id"]: r for r in records}
    print_per_type(gold, by_id)
    if args.misses:
        print_misses(gold, by_id, args.misses)
    return 0


def gold_types(doc: dict) -> set[str]:
    return {RENAMED.get(e["code"], e["code"]) for e in doc["events"]}


def predicted_types(record: dict) -> set[str]:
    return {e["type"] for e in record.get("events", [])} - {"OTHER"}


def print_per_type(gold: list[dict], by_id: dict[str, dict]) -> None:
    n_gold, n_pred, n_hit = Counter(), Counter(), Counter()
    for doc in gold:
        want, got = gold_types(doc), predicted_types(by_id.get(doc["id"], {}))
        n_gold.update(want)
        n_pred.update(got)
        n_hit.update(want & got)
    print()
    print("| type | gold | predicted | right | recall | precision |")
    print("|---|---|---|---|---|---|")
    for t in sorted(set(n_gold) | set(n_pred)):
        recall = n_hit[t] / n_gold[t] if n_gold[t] else 0.0
        precision = n_hit[t] / n_pred[t] if n_pred[t] else 0.0
        print(f"| {t} | {n_gold[t]} | {n_pred[t]} | {n_hit[t]} | {recall:.2f} | {precision:.2f} |")


def describe(record: dict) -> str:
    text = record["article"]["text"]
    parts = []
    for e in record.get("events", []):
        s, t = e["trigger"][0], e["trigger"][1]  # Span is encoded as [start, end]
        src = [a.get("text") for a in e["actors"] if a["role"] == "source"]
        parts.append(f"{e['type']} {text[s:t]!r} src={src} {e['modality']}")
    return "; ".join(parts) or "(no event)"


def source_ok(gold_event: dict, record: dict) -> bool:
    """The scorer's test: a predicted event of the gold type whose source (its span or its
    actor's entities) overlaps a gold source span."""
    want = RENAMED.get(gold_event["code"], gold_event["code"])
    gsrc = [(a["start"], a["end"]) for a in gold_event["source"]]
    for e in record.get("events", []):
        if e["type"] != want:
            continue
        spans = []
        for a in e["actors"]:
            if a["role"] != "source":
                continue
            if a.get("start") is not None:
                spans.append((a["start"], a["end"]))
            spans += [(n["start"], n["end"]) for n in record["entities"] if n.get("actor") == a.get("actor")]
        if any(min(g[1], p[1]) > max(g[0], p[0]) for g in gsrc for p in spans):
            return True
    return False


def print_misses(gold: list[dict], by_id: dict[str, dict], limit: int) -> None:
    print()
    shown = 0
    for doc in gold:
        record = by_id.get(doc["id"], {"events": [], "entities": [], "article": {"text": doc["text"]}})
        want, got = gold_types(doc), predicted_types(record)
        event = doc["events"][0]
        if want <= got and source_ok(event, record):
            continue
        kind = "type" if not want <= got else "source"
        src = [a["actorText"] for a in event["source"]]
        print(f"{doc['id']} [{kind} miss] gold {sorted(want)} src={src}\n  {doc['text']}\n  predicted: {describe(record)}")
        shown += 1
        if 0 < limit <= shown:
            break


if __name__ == "__main__":
    sys.exit(main())
