"""Validation of the second held-out PLOVER set (benchmarks/heldout2).

These tests check the data, not newsint: exact code-point offsets, valid current PLOVER types,
unique ids, a balanced 10 sentences per type, the file in sync with its marked-up source, and
that no sentence is a copy or close paraphrase of a dev-split sentence.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import EVAL, ROOT, requires_shared

HELDOUT2 = ROOT / "benchmarks" / "heldout2"
GOLD = HELDOUT2 / "plover_heldout2.jsonl"

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
PER_TYPE = 10
ID_PATTERN = re.compile(r"^HELDOUT2-\d{4}$")
# Negated events are left out of the set entirely (PLOVER excludes them), so no sentence may
# carry a grammatical negation that could flip its label.
NEGATION = re.compile(r"\b(not|no|never|nor|neither|without|none|n't)\b|n't\b", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+")


def load_records() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return load_records()


def test_one_record_per_line_with_unique_ordered_ids(records):
    assert len(records) == PER_TYPE * len(PLOVER_TYPES) == 160
    ids = [r["id"] for r in records]
    assert all(ID_PATTERN.match(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == [f"HELDOUT2-{n:04d}" for n in range(1, len(ids) + 1)]
    assert len({r["text"] for r in records}) == len(records), "duplicate sentence"


def test_each_sentence_has_one_event_of_a_current_plover_type(records):
    for r in records:
        assert r["language"] == "en"
        assert len(r["events"]) == 1, r["id"]
        event = r["events"][0]
        assert event["record_id"] == r["id"]
        assert event["code"] in PLOVER_TYPES, (r["id"], event["code"])
        assert event["date"] == "2000-01-01"


def test_ten_sentences_per_type(records):
    counts = Counter(r["events"][0]["code"] for r in records)
    assert counts == {code: PER_TYPE for code in PLOVER_TYPES}


def test_actor_offsets_are_exact_code_point_spans(records):
    for r in records:
        text = r["text"]
        event = r["events"][0]
        assert event["source"], f"{r['id']}: every event names its source actor"
        spans = []
        for actor in event["source"] + event["target"]:
            start, end = actor["start"], actor["end"]
            assert 0 <= start < end <= len(text), r["id"]
            assert text[start:end] == actor["actorText"], (r["id"], actor)
            assert actor["actorText"] == actor["actorText"].strip(), (r["id"], actor)
            spans.append((start, end))
        spans.sort()
        for (_, end_a), (start_b, _) in zip(spans, spans[1:]):
            assert end_a <= start_b, f"{r['id']}: actor spans overlap"


def test_offsets_count_code_points_not_bytes(records):
    """At least one actor follows non-ASCII text, so byte offsets would be caught."""
    after_non_ascii = [
        actor for r in records for actor in r["events"][0]["source"] + r["events"][0]["target"]
        if not r["text"][: actor["start"]].isascii()
    ]
    assert after_non_ascii


def test_no_negated_sentences(records):
    for r in records:
        assert not NEGATION.search(r["text"]), r["id"]


def test_file_is_in_sync_with_its_marked_up_source():
    spec = importlib.util.spec_from_file_location("heldout2_build", HELDOUT2 / "build_jsonl.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    rebuilt = build.render(build.build_records(build.read_source()))
    assert rebuilt == GOLD.read_text(encoding="utf-8"), "run benchmarks/heldout2/build_jsonl.py"


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower()))


@requires_shared
def test_no_sentence_copies_or_closely_paraphrases_a_dev_sentence(records):
    dev_path = EVAL / "events" / "plover_gsr.jsonl"
    dev = [_words(json.loads(line)["text"]) for line in dev_path.read_text(encoding="utf-8").splitlines() if line]
    for r in records:
        mine = _words(r["text"])
        closest = max(len(mine & d) / len(mine | d) for d in dev)
        assert closest < 0.4, (r["id"], round(closest, 2))
