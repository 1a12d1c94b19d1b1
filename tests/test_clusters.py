"""Cross-article clusters and independent origins, on hand-built records and reports."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from conftest import check_record
from corpus_fixtures import (
    REUTERS,
    TALIBAN,
    Builder,
    daily_courier,
    frontier_post,
    kabul_wire,
    nairobi_times,
)

from newsint.clusters import (
    Report,
    cluster_reports,
    default_rules,
    effective_interval,
    event_origin,
    haversine_km,
    normalise_name,
    participant_key,
    publisher,
)
from newsint.schema import Actor

D = dt.date


def test_outlet_names_compare_without_case_accents_or_article() -> None:
    assert normalise_name("The Wall Street Journal") == normalise_name("wall street journal")
    assert normalise_name("Agence France-Presse") == normalise_name("agence france presse")
    assert normalise_name("Le Monde") != normalise_name("Le Figaro")


def test_origin_is_the_agency_a_report_is_carried_by() -> None:
    for record in (kabul_wire(), frontier_post()):
        check_record(record)
        origin = event_origin(record, record.events[0])
        assert origin.key == "kb:reuters" and origin.name == "Reuters"
        assert publisher(record).key != origin.key


def test_origin_of_own_reporting_is_the_publishing_outlet() -> None:
    record = daily_courier()
    check_record(record)
    origin = event_origin(record, record.events[0])
    assert origin == publisher(record)
    assert origin.name == "Daily Courier"


def test_origin_follows_the_chain_to_the_innermost_outlet() -> None:
    # "Reuters reported that, according to AFP, the governor said ...": AFP got it first.
    text = ("Reuters reported that, according to AFP, the governor said that two police "
            "officers were killed in an ambush near Kandahar.")
    b = Builder(text, id="chain-1", outlet="Gulf Herald", published="2022-01-05")
    reuters = b.actor("Reuters", **REUTERS)
    afp = b.actor("AFP", name="Agence France-Presse", type="media_outlet", kb="afp",
                  aliases=["AFP"])
    s1 = b.statement("two police officers were killed in an ambush near Kandahar", "reported",
                     "Reuters", reuters, ["outlet:Gulf Herald"])
    s2 = b.statement("the governor said that two police officers were killed in an ambush "
                     "near Kandahar", "according to", "AFP", afp, [s1])
    s3 = b.statement("two police officers were killed in an ambush near Kandahar", "said",
                     "the governor", None, [s2])
    b.event("ASSAULT", "ambush", evidence="two police officers were killed in an ambush",
            acled=["Battles", "Armed clash"], cameo="19", statement=s3, fatalities=2,
            modality="reported")
    record = b.record()
    check_record(record)
    assert event_origin(record, record.events[0]).key == "kb:afp"


def test_an_outlet_in_the_via_chain_is_an_origin() -> None:
    text = "Five people were killed in a car bomb in Mogadishu, police told Reuters."
    b = Builder(text, id="via-1", outlet="Horn Dispatch", published="2022-10-30")
    s1 = b.statement("Five people were killed in a car bomb in Mogadishu", "told", "police",
                     None, ["outlet:Reuters", "outlet:Horn Dispatch"])
    b.event("ASSAULT", "car bomb", evidence="Five people were killed in a car bomb",
            statement=s1, modality="reported")
    record = b.record()
    check_record(record)
    assert event_origin(record, record.events[0]).key == "name:reuters"


def test_a_wire_credit_for_the_whole_article_is_the_origin_of_unattributed_events() -> None:
    text = "Gunmen killed three villagers in Zamfara state on Sunday."
    b = Builder(text, id="credit-1", outlet="Lagos Ledger", published="2022-03-07")
    own = b.node("outlet", "Lagos Ledger")
    wire = b.node("outlet", "Agence France-Presse")
    b.edge(own, wire, "reports", [])
    b.event("ASSAULT", "killed", evidence="Gunmen killed three villagers")
    record = b.record()
    check_record(record)
    assert event_origin(record, record.events[0]).name == "Agence France-Presse"


def test_an_outlet_unknown_to_the_knowledge_base_is_an_origin_by_its_name() -> None:
    text = "Rebels shelled Goma on Sunday, the Kivu Morning Post reported, citing residents."
    b = Builder(text, id="unknown-outlet", outlet="Lakes Daily", published="2024-05-07")
    post = b.actor("Kivu Morning Post", label="ORG", name="Kivu Morning Post", type="person")
    s1 = b.statement("Rebels shelled Goma on Sunday", "reported", "Kivu Morning Post", post,
                     ["outlet:Lakes Daily"])
    s2 = b.statement("Rebels shelled Goma on Sunday", "citing", "residents", None, [s1])
    b.event("ASSAULT", "shelled", evidence="Rebels shelled Goma", statement=s2)
    record = b.record()
    check_record(record)
    assert event_origin(record, record.events[0]).key == "name:kivu morning post"


@pytest.mark.parametrize("name,outlet", [("Example Wire", True), ("The Kabul Times", True),
                                         ("the agency", False), ("a local monitor", False),
                                         ("Times", False), ("Kenya Police Service", False)])
def test_outlet_names(name: str, outlet: bool) -> None:
    from newsint.clusters import looks_like_outlet

    assert looks_like_outlet(name) is outlet


def test_article_without_outlet_is_its_own_origin() -> None:
    text = "Protesters blocked the main road into Lima on Friday."
    b = Builder(text, id="anon-1", outlet=None, published="2023-01-13")
    b.event("PROTEST", "blocked", evidence="Protesters blocked the main road")
    record = b.record()
    check_record(record)
    assert event_origin(record, record.events[0]).key == "article:anon-1"


def test_state_forces_of_one_country_are_one_side() -> None:
    army = Actor(id="a1", name="Afghan army", type="military", country="AF")
    police = Actor(id="a2", name="Afghan police", type="police", country="af")
    taliban = Actor(id="a3", kb="taliban", **{k: v for k, v in TALIBAN.items() if k != "kb"})
    person = Actor(id="a4", name="Rahmatullah Nabil", type="person", country="AF")
    assert participant_key(army) == participant_key(police) == "state:AF"
    assert participant_key(taliban) == "kb:taliban"
    assert participant_key(person) is None  # outlets name different people in one clash


# ---------------------------------------------------------------------------------------
# cluster_reports on plain reports

def report(aid: str, *, type: str = "ASSAULT", day: D = D(2021, 10, 25), end: D | None = None,
           where: tuple[float, float] | None = (33.597, 69.226), feature: str = "PPL",
           country: str = "AF", admin1: str = "Paktia", sides: tuple[str, ...] = ("kb:taliban",),
           outlet: str | None = None, origin: str | None = None, fatalities: int | None = None,
           event: str = "v1") -> Report:
    lat, lon = where if where else (None, None)
    return Report(aid, event, type, day, end or day, lat, lon, feature if where else None,
                  country, admin1, frozenset(sides), outlet or f"name:{aid}",
                  origin or f"name:{aid}", fatalities)


def test_three_outlets_one_clash_two_origins() -> None:
    reports = [
        report("kw", origin="kb:reuters", fatalities=1),
        report("fp", where=(33.61, 69.24), origin="kb:reuters", fatalities=1),
        report("dc", fatalities=2),
    ]
    (cluster,) = cluster_reports(reports)
    assert cluster.n_reports == 3
    assert cluster.n_outlets == 3
    assert cluster.n_origins == 2
    assert cluster.origins == ["kb:reuters", "name:dc"]


def test_places_far_apart_are_different_events() -> None:
    kabul = (34.528, 69.172)  # about 105 km from Gardez
    clusters = cluster_reports([report("a"), report("b", where=kabul, admin1="Kabul")])
    assert haversine_km(33.597, 69.226, *kabul) > 100
    assert len(clusters) == 2


def test_a_province_contains_its_towns_but_not_other_provinces() -> None:
    gardez = report("town")
    paktia = report("province", where=(33.5, 69.5), feature="ADM1")
    kabul_province = report("other", where=(34.5, 69.2), feature="ADM1", admin1="Kabul")
    clusters = cluster_reports([gardez, paktia, kabul_province])
    sizes = sorted(c.n_reports for c in clusters)
    assert sizes == [1, 2]
    together = next(c for c in clusters if c.n_reports == 2)
    assert {m.article_id for m in together.members} == {"town", "province"}


def test_dates_must_overlap_every_member() -> None:
    monday = report("mon", day=D(2021, 10, 25))
    week = report("week", day=D(2021, 10, 25), end=D(2021, 10, 31))
    thursday = report("thu", day=D(2021, 10, 28))
    clusters = cluster_reports([monday, week, thursday])
    # "Thursday" fits the week but not Monday: it may not be chained in through the week.
    assert sorted(c.n_reports for c in clusters) == [1, 2]
    next_day = report("tue", day=D(2021, 10, 26))  # a day's tolerance: time zones, "overnight"
    assert len(cluster_reports([monday, next_day])) == 1


def test_different_sides_are_different_events() -> None:
    taliban = report("a", sides=("kb:taliban",))
    isis = report("b", sides=("kb:islamic-state",))
    unnamed = report("c", sides=())
    clusters = cluster_reports([taliban, isis, unnamed])
    assert len(clusters) == 2  # the report naming no side joins one of the others
    assert {frozenset(m.article_id for m in c.members) for c in clusters} in (
        {frozenset({"a", "c"}), frozenset({"b"})}, {frozenset({"a"}), frozenset({"b", "c"})},
    )


def test_types_must_match_and_other_is_never_clustered() -> None:
    assert len(cluster_reports([report("a"), report("b", type="PROTEST")])) == 2
    assert len(cluster_reports([report("a", type="OTHER"), report("b", type="OTHER")])) == 2


def test_two_events_of_one_article_stay_apart() -> None:
    one = report("same", event="v1")
    two = report("same", event="v2")
    assert len(cluster_reports([one, two])) == 2


def test_placeless_reports_join_only_through_named_sides() -> None:
    a = report("a", where=None, country=None, admin1=None)
    b = report("b", where=None, country=None, admin1=None)
    c = report("c", where=None, country=None, admin1=None, sides=())
    clusters = cluster_reports([a, b, c])
    assert sorted(x.n_reports for x in clusters) == [1, 2]


def test_an_unlocated_report_joins_the_one_located_event_it_names_a_side_of() -> None:
    located = report("located")
    unlocated = report("unlocated", where=None, country=None, admin1=None)
    nameless = report("nameless", where=None, country=None, admin1=None, sides=())
    clusters = cluster_reports([located, unlocated, nameless])
    assert sorted(tuple(sorted(m.article_id for m in c.members)) for c in clusters) == [
        ("located", "unlocated"), ("nameless",)]
    # Two clashes with the Taliban that day, 100 km apart: which one it tells is unknown.
    kabul = report("kabul", where=(34.528, 69.172), admin1="Kabul")
    clusters = cluster_reports([located, kabul, unlocated])
    assert sorted(c.n_reports for c in clusters) == [1, 1, 1]


def test_a_vague_mention_cannot_take_the_place_of_the_precise_report() -> None:
    # Article "b" reports the attack (Monday, the town) and, in background, "a string of
    # assaults in the province since January": the attack is what joins "a"'s report.
    attack = report("a")
    same_attack = report("b", event="v1")
    background = report("b", event="v2", day=D(2021, 1, 1), end=D(2021, 10, 31),
                        where=(33.5, 69.5), feature="ADM1")
    clusters = cluster_reports([background, same_attack, attack])
    together = next(c for c in clusters if c.n_reports == 2)
    assert {m.key for m in together.members} == {("a", "v1"), ("b", "v1")}
    # Alone, a vague report that fits exactly one event joins it.
    only = report("c", day=D(2021, 10, 1), end=D(2021, 10, 31))
    assert [c.n_reports for c in cluster_reports([attack, only])] == [2]


def test_undated_events_are_dated_by_publication() -> None:
    rules = default_rules()
    assert effective_interval(None, None, D(2021, 10, 27), rules) == (D(2021, 10, 20), D(2021, 10, 27))
    assert effective_interval(D(2021, 10, 25), None, None, rules) == (D(2021, 10, 25), D(2021, 10, 25))
    assert effective_interval(None, None, None, rules) == (None, None)
    undated = report("u", day=None)
    assert undated.date_start is None
    assert len(cluster_reports([undated, report("x")])) == 2


def test_clusters_do_not_depend_on_input_order() -> None:
    rng = random.Random(7)
    reports = [
        report(f"r{i}", day=D(2021, 10, 20 + i % 6), where=(33.5 + (i % 5) * 0.2, 69.2),
               sides=(("kb:taliban",), ("kb:islamic-state",), ())[i % 3])
        for i in range(60)
    ]
    expected = [(c.id, c.members) for c in cluster_reports(reports)]
    for _ in range(5):
        rng.shuffle(reports)
        assert [(c.id, c.members) for c in cluster_reports(reports)] == expected
    assert sum(len(m) for _, m in expected) == 60


def test_forecasts_from_the_fixture_are_events_of_their_own_kind() -> None:
    record = nairobi_times()
    check_record(record)
    assert [e.modality for e in record.events] == ["asserted", "forecast"]


@pytest.mark.parametrize("feature,level", [("PPLA", "point"), ("ADM2", "district"),
                                           ("ADM1", "province"), ("PCLI", "country"),
                                           (None, "point"), ("FCL", "point")])
def test_feature_codes_map_to_precision_levels(feature: str | None, level: str) -> None:
    assert default_rules().level(feature) == level
