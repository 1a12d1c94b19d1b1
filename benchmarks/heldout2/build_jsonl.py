"""Build plover_heldout2.jsonl from the hand-written sentences.tsv.

Each line of sentences.tsv is ``CODE<TAB>sentence``; in the sentence ``{S:...}`` marks a source
actor and ``{T:...}`` a target actor. Offsets are computed here rather than typed by hand, so
they are exact code-point indices into the plain text. Records are ordered by a hash of their
text, so the event types are interleaved and the order never hints at the label.

Run from the repository root:  python benchmarks/heldout2/build_jsonl.py
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "sentences.tsv"
OUTPUT = HERE / "plover_heldout2.jsonl"

ID_PREFIX = "HELDOUT2-"
DATE = "2000-01-01"  # the PLOVER gold convention: one fixed date for every record
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
ACTOR_MARK = re.compile(r"\{([ST]):([^{}]+)\}")


def parse_marked(marked: str) -> tuple[str, list[dict], list[dict]]:
    """Strip {S:..}/{T:..} marks; return plain text and source/target spans into it."""
    pieces: list[str] = []
    roles: dict[str, list[dict]] = {"S": [], "T": []}
    length = 0
    last = 0
    for match in ACTOR_MARK.finditer(marked):
        before = marked[last:match.start()]
        pieces.append(before)
        length += len(before)
        role, actor = match.group(1), match.group(2)
        roles[role].append({"actorText": actor, "start": length, "end": length + len(actor)})
        pieces.append(actor)
        length += len(actor)
        last = match.end()
    pieces.append(marked[last:])
    text = "".join(pieces)
    if "{" in text or "}" in text:
        raise ValueError(f"unbalanced actor mark in: {marked}")
    return text, roles["S"], roles["T"]


def read_source(path: Path = SOURCE) -> list[tuple[str, str]]:
    """(code, marked sentence) pairs, comments and blank lines skipped."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, marked = line.split("\t")
        if code not in PLOVER_TYPES:
            raise ValueError(f"not a PLOVER type: {code}")
        rows.append((code, marked))
    return rows


def build_records(rows: list[tuple[str, str]]) -> list[dict]:
    parsed = []
    for code, marked in rows:
        text, source, target = parse_marked(marked)
        parsed.append((hashlib.sha256(text.encode("utf-8")).hexdigest(), code, text, source, target))
    parsed.sort()
    records = []
    for n, (_, code, text, source, target) in enumerate(parsed, start=1):
        rid = f"{ID_PREFIX}{n:04d}"
        records.append({
            "id": rid,
            "text": text,
            "language": "en",
            "publication": "newsint held-out set 2 (written for the project)",
            "events": [{
                "record_id": rid,
                "code": code,
                "source": source,
                "target": target,
                "date": DATE,
            }],
        })
    return records


def render(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def main() -> int:
    OUTPUT.write_text(render(build_records(read_source())), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
