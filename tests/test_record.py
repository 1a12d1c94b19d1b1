"""The newsint/1 contract end to end: every layer present, offsets exact, schema valid."""

from __future__ import annotations

import newsint
from conftest import check_record, requires_shared


def test_analyze_returns_a_valid_record_for_plain_text() -> None:
    text = (
        "Gunmen killed two police officers at a checkpoint outside Kano on Tuesday, "
        "a police spokesman said. Nobody has claimed the attack."
    )
    record = check_record(newsint.analyze(text, published="2024-03-07", outlet="Example Wire"))
    assert record["schema"] == "newsint/1"
    assert record["article"]["published"] == "2024-03-07"
    assert record["article"]["outlet"] == "Example Wire"
    assert record["article"]["text"] == text


def test_same_text_gives_same_id_and_same_bytes() -> None:
    text = "Protesters marched through central Nairobi on Monday demanding lower fuel prices."
    first = newsint.analyze(text, published="2023-07-10").to_json()
    again = newsint.analyze(text, published="2023-07-10").to_json()
    assert first == again


@requires_shared
def test_seed_record_is_valid(seed_record: dict) -> None:
    assert seed_record["article"]["published"] == "2021-11-01"
    assert len(seed_record["entities"]) > 20
