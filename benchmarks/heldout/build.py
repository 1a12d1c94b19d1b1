"""Build plover_heldout.jsonl from the marked-up sentences in plover_heldout.txt.

    python3 benchmarks/heldout/build.py          # rewrite plover_heldout.jsonl
    python3 benchmarks/heldout/build.py --check  # exit 1 if the JSONL is out of date

The markup keeps the sentences readable and editable; the JSONL is the gold file in the
same shape as ../shared/eval/events/plover_gsr.jsonl (one event a sentence, source and
target actors with code-point offsets), so ../shared/eval/score.py reads it unchanged.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARKUP = HERE / "plover_heldout.txt"
GOLD = HERE / "plover_heldout.jsonl"

# The 16 PLOVER event types in use now (DEMAND became REQUEST; DISAPPROVE and INVESTIGATE
# became ACCUSE; FIGHT became ASSAULT).
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MARK = re.compile(r"\{([STE]):([^{}]+)\}")
DATE = "2000-01-01"  # the dev file's convention: no publication date is implied


def parse_line(line: str) -> tuple[str, str, list[tuple[str, str, int, int]]]:
    """One markup line -> (code, plain text, [(role, words, start, end)])."""
    code, marked = line.split("\t", 1)
    code = code.strip()
    if code not in PLOVER_TYPES:
        raise ValueError(f"unknown PLOVER type {code!r} in: {line}")
    text_parts: list[str] = []
    spans: list[tuple[str, str, int, int]] = []
    length = 0
    last = 0
    for m in MARK.finditer(marked):
        text_parts.append(marked[last:m.start()])
        length += m.start() - last
        role, words = m.group(1), m.group(2)
        spans.append((role, words, length, length + len(words)))
        text_parts.append(words)
        length += len(words)
        last = m.end()
    text_parts.append(marked[last:])
    text = "".join(text_parts)
    if "{" in text or "}" in text:
        raise ValueError(f"unbalanced markup in: {line}")
    return code, text, spans


def build_records(markup: str) -> list[dict]:
    records = []
    for line in markup.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, text, spans = parse_line(line)
        rid = f"HELDOUT-{len(records) + 1:04d}"

        def actors(role: str) -> list[dict]:
            return [{"actorText": w, "start": s, "end": e} for r, w, s, e in spans if r == role]

        records.append({
            "id": rid,
            "text": text,
            "language": "en",
            "publication": "newsint held-out set (written for the project)",
            "events": [{
                "record_id": rid,
                "code": code,
                "source": actors("S"),
                "target": actors("T"),
                "eventText": " ".join(w for r, w, _, _ in spans if r == "E"),
                "date": DATE,
            }],
        })
    return records


def render(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main(argv: list[str]) -> int:
    out = render(build_records(MARKUP.read_text(encoding="utf-8")))
    if "--check" in argv:
        if not GOLD.is_file() or GOLD.read_text(encoding="utf-8") != out:
            print(f"{GOLD.name} is out of date: run python3 {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    GOLD.write_text(out, encoding="utf-8")
    print(f"wrote {out.count(chr(10))} records to {GOLD}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
