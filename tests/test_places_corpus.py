"""The places layer on the sample corpus (examples/corpus): invented reports on real
places. The expected readings below are written from knowledge of the places (GeoNames'
points, within a generous distance), not from the layer's output."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from conftest import ROOT, check_record
from newsint.ingest import iter_items
from newsint.pipeline import analyze_articles

CORPUS = ROOT / "examples" / "corpus"

# file number -> [(mention text, country, admin1 or None, (lat, lon) or None, km)]
# A point of None: a town the gazetteer lacks, placed within the district or province the
# article names (only its country and province are asserted).
EXPECTED: dict[str, list[tuple[str, str, str | None, tuple[float, float] | None, float]]] = {
    "01": [
        ("Arbinda", "BF", "Sahel", (14.23, -0.87), 30),
        ("Djibo", "BF", "Sahel", (14.10, -1.63), 30),
        ("Soum province", "BF", "Sahel", None, 0),
        ("OUAGADOUGOU", "BF", None, (12.37, -1.53), 30),
    ],
    "05": [
        ("Mogadishu", "SO", None, (2.04, 45.34), 30),
        ("Hodan", "SO", None, (2.04, 45.34), 30),  # a district of the city, placed in it
    ],
    "10": [
        ("Kilolirwe", "CD", "Nord-Kivu", None, 0),  # "in Masisi territory, North Kivu province"
        ("Sake", "CD", "Nord-Kivu", (-1.57, 29.04), 30),
        ("Goma", "CD", "Nord-Kivu", (-1.68, 29.23), 30),
    ],
    "12": [
        ("El Fasher", "SD", "North Darfur", (13.63, 25.35), 30),
        ("PORT SUDAN", "SD", None, (19.62, 37.22), 30),
    ],
    "14": [
        ("Mazar-i-Sharif", "AF", "Balkh", (36.71, 67.11), 30),
        ("Kabul", "AF", None, (34.53, 69.17), 30),
    ],
    "16": [
        ("Ye-U", "MM", "Sagaing", (22.76, 95.43), 40),
    ],
    "17": [
        ("Kupiansk", "UA", None, (49.71, 37.62), 30),
        ("Kharkiv", "UA", None, None, 0),
    ],
    "19": [
        ("Hodeidah", "YE", None, (14.80, 42.95), 30),
    ],
    "20": [
        ("Croix-des-Bouquets", "HT", "Ouest", (18.58, -72.23), 30),
        ("Port-au-Prince", "HT", "Ouest", (18.54, -72.34), 30),
    ],
    "23": [
        ("Jisr al-Shughur", "SY", "Idlib", (35.81, 36.32), 30),
        ("Gaziantep", "TR", None, (37.07, 37.38), 30),
    ],
    "24": [
        ("Sulaymaniyah", "IQ", None, (35.56, 45.43), 60),
    ],
    "28": [
        ("Beledweyne", "SO", "Hiiraan", (4.74, 45.20), 30),
        ("Hiraan", "SO", "Hiiraan", None, 0),
        ("Middle Shabelle", "SO", "Shabeellaha Dhexe", None, 0),
    ],
    "32": [
        ("Pokhara", "NP", "Gandaki", (28.21, 83.99), 30),
        ("Beni", "NP", "Gandaki", None, 0),  # not Beni in Congo
    ],
    "35": [
        ("Mucojo", "MZ", "Cabo Delgado", None, 0),  # "in the Macomia district of Cabo Delgado"
        ("PEMBA", "MZ", "Cabo Delgado", (-12.97, 40.52), 30),
    ],
    "36": [
        ("Debre Markos", "ET", None, (10.33, 37.72), 30),
        ("Bahir Dar", "ET", None, (11.59, 37.39), 30),
    ],
    "37": [
        ("Banibangou", "NE", "Tillaberi", None, 0),  # "in the Tillaberi region of western Niger"
        ("NIAMEY", "NE", None, (13.51, 2.11), 30),
    ],
}
# Readings that would be wrong in these stories, whatever else is found.
WRONG_COUNTRIES = {
    "05": {"ET"},  # "the Somali capital" is not Ethiopia's Somali region
    "24": {"AM"},  # "the Arbat area" of Sulaymaniyah is not Arbat in Armenia
    "32": {"CD", "BO"},  # Beni in Nepal, not Congo's or Bolivia's
    "35": {"DO"},  # a resident named Amina is not a Dominican village
}


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    files = sorted(p for p in CORPUS.glob("*.txt") if p.name[:2] in EXPECTED.keys() | WRONG_COUNTRIES.keys())
    items = list(iter_items(files))
    articles = [i.article for i in items if i.ok]
    out = {}
    for item, record in zip(items, analyze_articles(articles)):
        out[Path(item.source).name[:2]] = check_record(record)
    return out


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_corpus_places_resolve_where_they_are(records: dict[str, dict], number: str) -> None:
    places = records[number]["places"]
    for text, country, admin1, point, within_km in EXPECTED[number]:
        found = [p for p in places if p["text"] == text]
        assert found, f"{number}: no place {text!r} in {[p['text'] for p in places]}"
        for p in found:
            assert p["country"] == country, (number, text, p)
            if admin1 is not None:
                assert p["admin1"] == admin1, (number, text, p)
            if point is not None:
                assert km((p["lat"], p["lon"]), point) <= within_km, (number, text, p)


@pytest.mark.parametrize("number", sorted(WRONG_COUNTRIES))
def test_corpus_places_avoid_namesakes_abroad(records: dict[str, dict], number: str) -> None:
    countries = {p["country"] for p in records[number]["places"]}
    assert not countries & WRONG_COUNTRIES[number], records[number]["places"]


def test_places_the_gazetteer_lacks_point_at_their_container(records: dict[str, dict]) -> None:
    for record in records.values():
        by_id = {p["id"]: p for p in record["places"]}
        for p in record["places"]:
            if p.get("within") is None:
                continue
            container = by_id[p["within"]]
            assert p["geonameid"] is None and container["geonameid"] is not None
            assert (p["lat"], p["lon"], p["country"]) == (container["lat"], container["lon"], container["country"])
