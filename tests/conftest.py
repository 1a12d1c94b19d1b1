"""Shared fixtures: the seed article, the eval data beside the clone, and the record checks
every test applies to every record it produces."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import newsint
from newsint.data import data_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "article.txt"
EVAL = SHARED / "eval"
SEED_PUBLISHED = "2021-11-01"

requires_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="../shared (seed article and eval data) is not beside this clone; CI provides it",
)

_SCHEMA = json.loads(data_path("newsint-1.schema.json").read_text(encoding="utf-8"))
_VALIDATOR = jsonschema.Draft202012Validator(_SCHEMA)


def check_record(record: newsint.Record | dict) -> dict:
    """Validate a record against the newsint/1 JSON Schema and the contract's invariants
    (exact offsets, unique ids, references that resolve). Returns it as a dict."""
    data = json.loads(record.to_json()) if isinstance(record, newsint.Record) else record
    errors = sorted(_VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])

    text = data["article"]["text"]
    ids: list[str] = []
    for layer in ("entities", "actors", "places", "times", "statements", "events", "framing"):
        for item in data[layer]:
            if "id" in item:
                ids.append(item["id"])
            if {"start", "end", "text"} <= item.keys():
                assert text[item["start"] : item["end"]] == item["text"], (layer, item)
            for key in ("content", "cue", "trigger"):
                if item.get(key):
                    s, e = item[key]
                    assert 0 <= s < e <= len(text), (layer, key, item)
            speaker = item.get("speaker") or {}
            if speaker:
                assert text[speaker["start"] : speaker["end"]] == speaker["text"], item
            if item.get("addressee"):
                a = item["addressee"]
                assert text[a["start"] : a["end"]] == a["text"], item
            for s, e in item.get("evidence", []):
                assert 0 <= s < e <= len(text), (layer, item)
    assert len(ids) == len(set(ids)), "duplicate ids in one record"

    actor_ids = {a["id"] for a in data["actors"]}
    for ent in data["entities"]:
        assert ent["actor"] is None or ent["actor"] in actor_ids, ent
    place_ids = {p["id"] for p in data["places"]}
    statement_ids = {s["id"] for s in data["statements"]}
    for st in data["statements"]:
        for via in st["via"]:
            assert via in statement_ids or via.startswith(("outlet:", "article")), st
    for ev in data["events"]:
        assert ev["place"] is None or ev["place"] in place_ids, ev
        assert ev["statement"] is None or ev["statement"] in statement_ids, ev
        for role in ev["actors"]:
            assert role["actor"] is None or role["actor"] in actor_ids, ev
    return data


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("../shared/seed/article.txt is not beside this clone; CI provides it")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_record(seed_text: str) -> dict:
    """The seed article analysed once for the whole session, checked against the contract."""
    return check_record(newsint.analyze(seed_text, published=SEED_PUBLISHED))


def spans_of(record: dict, layer: str, text: str) -> list[dict]:
    """Items of a layer whose text is `text`."""
    return [item for item in record[layer] if item.get("text") == text]
