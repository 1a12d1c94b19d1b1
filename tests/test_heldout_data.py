"""benchmarks/heldout/plover_heldout.jsonl is the held-out gold for the events layer: check
that it is well formed, so an edit cannot quietly break it (an actor span that does not
match its text, a type the scorer does not know, a duplicated id, a JSONL file that no
longer matches the markup it is built from)."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter

from conftest import ROOT
from newsint.schema import PLOVER_TYPES

HELDOUT = ROOT / "benchmarks" / "heldout"
GOLD = HELDOUT / "plover_heldout.jsonl"


def load_gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_builder():
    spec = importlib.util.spec_from_file_location("heldout_build", HELDOUT / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ids_are_unique_and_numbered():
    ids = [d["id"] for d in load_gold()]
    assert len(ids) == len(set(ids)) == 150
    assert ids == [f"HELDOUT-{i:04d}" for i in range(1, len(ids) + 1)]
    for d in load_gold():
        assert all(e["record_id"] == d["id"] for e in d["events"])


def test_actor_offsets_match_text():
    for d in load_gold():
        text = d["text"]
        for event in d["events"]:
            assert event["source"], f"{d['id']}: every held-out event names its source"
            for actor in event["source"] + event["target"]:
                start, end = actor["start"], actor["end"]
                assert 0 <= start < end <= len(text)
                assert text[start:end] == actor["actorText"], d["id"]
                # spans sit on word boundaries: no half words
                assert start == 0 or not text[start - 1].isalnum(), d["id"]
                assert end == len(text) or not text[end].isalnum(), d["id"]


def test_types_are_current_plover_and_evenly_spread():
    codes = Counter(e["code"] for d in load_gold() for e in d["events"])
    assert set(codes) == set(PLOVER_TYPES) - {"OTHER"}
    assert min(codes.values()) >= 8 and max(codes.values()) <= 11, codes


def test_shape_matches_the_scorer_input():
    for d in load_gold():
        assert d["text"] == d["text"].strip() and "{" not in d["text"] and "}" not in d["text"]
        assert d["language"] == "en"
        assert len(d["events"]) == 1
        assert d["events"][0]["date"] == "2000-01-01"


def test_texts_are_distinct():
    texts = [d["text"] for d in load_gold()]
    assert len(texts) == len(set(texts))


def test_jsonl_is_built_from_the_markup():
    build = load_builder()
    expected = build.render(build.build_records(build.MARKUP.read_text(encoding="utf-8")))
    assert GOLD.read_text(encoding="utf-8") == expected
    assert tuple(build.PLOVER_TYPES) == tuple(t for t in PLOVER_TYPES if t != "OTHER")
