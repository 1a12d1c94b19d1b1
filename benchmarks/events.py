"""Score the events layer on the PLOVER gold standard records and time it against the parse.

    .venv/bin/python benchmarks/events.py [--limit N] [--errors]

1. converts ../shared/eval/events/plover_gsr.jsonl to newsint input with
   `python3 ../shared/eval/score.py input events ...`,
2. runs the pipeline on every document, timing the spaCy parse and the events layer apart,
3. scores the records with `python3 ../shared/eval/score.py events ...` (type P/R/F1 and
   source-actor recall) and prints a strict source-actor recall as well: the scorer also
   credits a source whose actor id is null with every entity that has no actor, so until
   the actor linker links every entity its number can be too kind; the strict one counts
   only the words the event's source points at (its span or its entity).

With --errors it lists the documents whose predicted types differ from the gold ones.
With --reports it also scores the main event of each report in
examples/reports/acled_style.jsonl, field by field (the tests assert these).
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
GOLD = EVAL / "events" / "plover_gsr.jsonl"
SCORER = EVAL / "score.py"
RENAMED = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=0, help="score only the first N documents")
    ap.add_argument("--errors", action="store_true", help="list documents with wrong types")
    ap.add_argument("--reports", action="store_true", help="score the gold reports field by field")
    args = ap.parse_args()
    if not GOLD.is_file():
        print(f"{GOLD} not found: ../shared/eval must be beside the clone", file=sys.stderr)
        return 2

    from newsint.entities import link_entities
    from newsint.events import extract_events
    from newsint.ingest import make_article
    from newsint.parse import load_model
    from newsint.pipeline import build_record
    from newsint.places import resolve_places
    from newsint.statements import attribute_statements
    from newsint.times import normalise_times

    with tempfile.TemporaryDirectory() as tmp:
        gold_path = Path(tmp) / "gold.jsonl"
        input_path = Path(tmp) / "input.jsonl"
        output_path = Path(tmp) / "output.jsonl"
        gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
        if args.limit:
            gold = gold[: args.limit]
        gold_path.write_text("".join(json.dumps(d) + "\n" for d in gold), encoding="utf-8")
        converted = subprocess.run(
            [sys.executable, str(SCORER), "input", "events", str(gold_path)],
            check=True, capture_output=True, text=True,
        ).stdout
        input_path.write_text(converted, encoding="utf-8")
        items = [json.loads(line) for line in converted.splitlines() if line.strip()]

        nlp = load_model()
        nlp("warm up")
        parse_s = events_s = 0.0
        records = []
        for item in items:
            article = make_article(item["text"], published=item.get("published"), id=item["id"])
            t0 = time.perf_counter()
            doc = nlp(article.text)
            parse_s += time.perf_counter() - t0
            record = build_record(doc, article)
            # time the events layer alone, on the same inputs the pipeline gave it
            entities, actors = link_entities(doc, article)
            places = resolve_places(doc, article, entities)
            times = normalise_times(doc, article)
            statements, _ = attribute_statements(doc, article, entities, actors)
            t0 = time.perf_counter()
            extract_events(doc, article, entities, actors, places, times, statements)
            events_s += time.perf_counter() - t0
            records.append(record)
        output_path.write_text("".join(r.to_json() + "\n" for r in records), encoding="utf-8")
        scored = subprocess.run(
            [sys.executable, str(SCORER), "events", str(gold_path), str(output_path)],
            check=True, capture_output=True, text=True,
        ).stdout
    print(scored, end="")
    metrics = json.loads(scored[: scored.rindex("}") + 1])["metrics"]
    strict = strict_source_recall(gold, [json.loads(r.to_json()) for r in records])
    ratio = events_s / parse_s if parse_s else 0.0
    print()
    print("| documents | type P | type R | type F1 | source-actor recall (scorer) | strict | events / parse time |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {len(gold)} | {metrics['type_p']:.3f} | {metrics['type_r']:.3f} | {metrics['type_f1']:.3f} "
          f"| {metrics['source_actor_recall']:.3f} | {strict:.3f} | {ratio:.1%} "
          f"({events_s * 1000:.0f} ms / {parse_s * 1000:.0f} ms) |")
    if args.errors:
        print_errors(gold, records)
    if args.reports:
        score_reports()
    return 0


REPORT_FIELDS = ("type", "acled", "source", "target", "place", "date", "fatalities", "modality")


def score_reports() -> None:
    """Share of gold reports whose main event gets each field right."""
    import newsint

    print()
    print("| reports | " + " | ".join(REPORT_FIELDS) + " | all fields |")
    print("|---|" + "---|" * (len(REPORT_FIELDS) + 1))
    for path in (ROOT / "examples" / "reports" / "acled_style.jsonl", ROOT / "tests" / "data" / "event_reports.jsonl"):
        reports = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        right = dict.fromkeys(REPORT_FIELDS, 0)
        all_right = 0
        for report in reports:
            expect = report["expect"]
            record = json.loads(newsint.analyze(report["text"], published=report["published"]).to_json())
            got = report_fields(record, expect)
            for name in REPORT_FIELDS:
                right[name] += got[name]
            all_right += all(got.values())
        cells = " | ".join(f"{right[n] / len(reports):.2f}" for n in REPORT_FIELDS)
        print(f"| {path.relative_to(ROOT)} ({len(reports)}) | {cells} | {all_right / len(reports):.2f} |")


def report_fields(record: dict, expect: dict) -> dict[str, bool]:
    actors = {a["id"]: a["name"] for a in record["actors"]}
    places = {p["id"]: p for p in record["places"]}
    event = next((e for e in record["events"] if e["type"] == expect["plover"]), None)
    if event is None:
        return dict.fromkeys(REPORT_FIELDS, False)

    def named(want, roles):
        if not want:
            return True
        texts = [t for a in event["actors"] if a["role"] in roles for t in (a.get("text") or "", actors.get(a["actor"], ""))]
        return any(want.lower() in t.lower() or (t and t.lower() in want.lower()) for t in texts)

    time = event["time"]
    date = None if time is None else (time["start"] if time["start"] == time["end"] else f"{time['start']}/{time['end']}")
    place = places.get(event["place"])
    return {
        "type": True,
        "acled": event["acled"] == expect["acled"],
        "source": named(expect["source"], ("source",)),
        "target": named(expect["target"], ("target", "victims")),
        "place": expect["place"] is None or (place is not None and place["text"] == expect["place"]),
        "date": date == expect["date"],
        "fatalities": event["fatalities"] == expect["fatalities"],
        "modality": event["modality"] == expect["modality"],
    }


def strict_source_recall(gold: list[dict], records: list[dict]) -> float:
    """Source-actor recall counting only the source's own span and its entity's span."""
    by_id = {r["article"]["id"]: r for r in records}
    total = ok = 0
    for d in gold:
        rec = by_id.get(d["id"], {})
        ents = {e["id"]: (e["start"], e["end"]) for e in rec.get("entities", [])}
        for e in d["events"]:
            gsrc = [(a["start"], a["end"]) for a in e.get("source", []) if a.get("start") is not None]
            if not gsrc:
                continue
            total += 1
            want = RENAMED.get(e["code"], e["code"])
            for pe in rec.get("events", []):
                if pe["type"] != want:
                    continue
                spans = []
                for a in pe["actors"]:
                    if a["role"] != "source":
                        continue
                    if a.get("start") is not None:
                        spans.append((a["start"], a["end"]))
                    if a.get("entity") in ents:
                        spans.append(ents[a["entity"]])
                if any(min(g[1], p[1]) > max(g[0], p[0]) for g in gsrc for p in spans):
                    ok += 1
                    break
    return ok / total if total else 0.0


def print_errors(gold: list[dict], records) -> None:
    for d, r in zip(gold, records, strict=True):
        want = sorted({RENAMED.get(e["code"], e["code"]) for e in d["events"]})
        got = sorted({e.type for e in r.events} - {"OTHER"})
        if want != got:
            print(f"\n{d['id']}: gold {want} predicted {got}\n  {d['text']}")
            for e in r.events:
                src = [a.text for a in e.actors if a.role == "source"]
                print(f"    {e.type:9} {d['text'][e.trigger[0]:e.trigger[1]]!r} src={src} {e.modality}")


if __name__ == "__main__":
    sys.exit(main())
