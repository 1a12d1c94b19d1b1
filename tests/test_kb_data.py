"""Checks on the actors knowledge base (src/newsint/data/actors/*.jsonl), read with the
standard library only, so a broken data file fails here before the linker ever loads it."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

ACTORS = Path(__file__).resolve().parents[1] / "src" / "newsint" / "data" / "actors"
FILES = ["countries.jsonl", "armed_groups.jsonl", "organisations.jsonl", "outlets.jsonl", "people.jsonl"]
TYPES = {"person", "state", "government", "military", "police", "armed_group", "political_party",
         "media_outlet", "international_org", "civilians", "other"}
INSTITUTION_KEYS = {"government", "head_of_state", "military", "police", "intelligence", "legislature"}
ISO2 = re.compile(r"^[A-Z]{2}$")
QID = re.compile(r"^Q[0-9]+$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The 193 member states of the United Nations, by ISO 3166-1 alpha-2 code.
UN_MEMBERS = set("""
AF AL DZ AD AO AG AR AM AU AT AZ BS BH BD BB BY BE BZ BJ BT BO BA BW BR BN BG BF BI CV KH CM CA
CF TD CL CN CO KM CG CR CI HR CU CY CZ KP CD DK DJ DM DO EC EG SV GQ ER EE SZ ET FJ FI FR GA GM
GE DE GH GR GD GT GN GW GY HT HN HU IS IN ID IR IQ IE IL IT JM JP JO KZ KE KI KW KG LA LV LB LS
LR LY LI LT LU MG MW MY MV ML MT MH MR MU MX FM MD MC MN ME MA MZ MM NA NR NP NL NZ NI NE NG MK
NO OM PK PW PA PG PY PE PH PL PT QA KR RO RU RW KN LC VC WS SM ST SA SN RS SC SL SG SK SI SB SO
ZA SS ES LK SD SR SE CH SY TJ TZ TH TL TG TO TT TN TR TM TV UG UA AE GB US UY UZ VU VE VN YE ZM ZW
""".split())
# Not UN members, but states the knowledge base must still know.
OTHER_STATES = {"PS", "VA", "XK", "TW", "EH"}

# Surface forms that really do name two different actors in English-language news. The linker
# must decide these from context; any other alias shared by two actors is a data error.
AMBIGUOUS = {
    "aa",    # Anadolu Agency; Arakan Army (Myanmar)
    "afp",   # Agence France-Presse; Armed Forces of the Philippines
    "alp",   # Afghan Local Police; Australian Labor Party
    "bdf",   # Bahrain Defence Force; Botswana Defence Force
    "congress",  # United States Congress; Indian National Congress
    "cpc",   # Communist Party of China; Coalition of Patriots for Change (Central African Republic)
    "iaf",   # Israeli Air Force; Indian Air Force
    "jem",   # JeM, Jaish-e-Mohammed (Pakistan); JEM, Justice and Equality Movement (Sudan)
    "lebanese forces",  # Lebanon's armed forces ("Lebanese forces"); the Lebanese Forces party
    "pti",   # Press Trust of India; Pakistan Tehreek-e-Insaf
    "rsf",   # Rapid Support Forces (Sudan); Reporters Without Borders
    "the times",  # The Times (London); "the Times" for The New York Times in US copy
    "toi",   # The Times of India; The Times of Israel
}


def _load(name: str) -> list[dict]:
    path = ACTORS / name
    if not path.exists():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"{name}:{n}: blank line"
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:  # pragma: no cover - the assertion message is the point
            pytest.fail(f"{name}:{n}: invalid JSON: {err}")
    return rows


@pytest.fixture(scope="module")
def kb() -> dict[str, list[dict]]:
    return {name: _load(name) for name in FILES}


def _institutions(country: dict) -> list[tuple[str, dict]]:
    out = []
    for key, value in country.get("institutions", {}).items():
        for item in value if isinstance(value, list) else [value]:
            out.append((key, item))
    return out


def _surface_forms(kb: dict[str, list[dict]]) -> dict[str, set[str]]:
    """Every name and alias (casefolded) -> the actors that carry it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for c in kb["countries.jsonl"]:
        cid = c.get("iso2") or c["id"]
        for form in [c["name"], *c["aliases"]]:
            owners[form.casefold()].add(cid)
        for key, inst in _institutions(c):
            for form in [inst["name"], *inst["aliases"]]:
                owners[form.casefold()].add(f"{cid}/{key}/{inst['name']}")
    for name in FILES[1:]:
        for row in kb[name]:
            for form in [row["name"], *row["aliases"]]:
                owners[form.casefold()].add(row["id"])
    return owners


def test_files_exist_and_parse(kb):
    for name in FILES[:4]:
        assert kb[name], f"{name} is missing or empty"


def test_ids_unique_and_sorted(kb):
    seen: dict[str, str] = {}
    for name in FILES:
        rows = kb[name]
        keys = [r.get("iso2") or r["id"] for r in rows] if name == "countries.jsonl" else [r["id"] for r in rows]
        if name == "countries.jsonl":
            order = [r.get("iso2") or "~" + r["id"] for r in rows]
        else:
            order = keys
        assert order == sorted(order), f"{name} is not sorted by id"
        for key in keys:
            assert key not in seen, f"id {key!r} in {name} also in {seen.get(key)}"
            seen[key] = name
    for name in FILES[1:]:
        for r in kb[name]:
            assert SLUG.match(r["id"]), f"{name}: id {r['id']!r} is not a lowercase slug"


def test_fields_types_and_patterns(kb):
    iso2 = {c["iso2"] for c in kb["countries.jsonl"] if c["iso2"]}
    for c in kb["countries.jsonl"]:
        assert c["type"] == "state"
        if c["iso2"] is None:
            assert SLUG.match(c["id"]) and c["within"] in iso2, c["name"]
        else:
            assert ISO2.match(c["iso2"]), c["iso2"]
        assert c["wikidata"] is None or QID.match(c["wikidata"]), c["name"]
        assert isinstance(c["aliases"], list) and isinstance(c["demonyms"], list)
        assert "government" in c["institutions"], c["name"]
        for key, inst in _institutions(c):
            assert key in INSTITUTION_KEYS, (c["name"], key)
            assert inst["name"] and isinstance(inst["aliases"], list), (c["name"], key)
            assert "id" not in inst, "institution ids are generated by the linker"
            assert inst.get("wikidata") is None or QID.match(inst["wikidata"]), inst["name"]
    for name in FILES[1:]:
        for r in kb[name]:
            assert r["type"] in TYPES, (name, r["id"], r["type"])
            assert r["name"] and isinstance(r["aliases"], list), r["id"]
            assert r["country"] is None or r["country"] in iso2, (r["id"], r["country"])
            assert r["wikidata"] is None or QID.match(r["wikidata"]), (r["id"], r["wikidata"])
            for form in [r["name"], *r["aliases"]]:
                assert form == form.strip() and form, (r["id"], form)


def test_parents_resolve(kb):
    ids = {r["id"] for name in FILES[1:] for r in kb[name]}
    for name in FILES[1:]:
        for r in kb[name]:
            parent = r.get("parent")
            assert parent is None or parent in ids, (r["id"], parent)
            assert parent != r["id"], r["id"]


def test_no_alias_shared_by_two_actors(kb):
    clashes = {form: sorted(who) for form, who in _surface_forms(kb).items()
               if len(who) > 1 and form not in AMBIGUOUS}
    assert not clashes, "aliases shared by different actors:\n" + "\n".join(
        f"  {form!r}: {who}" for form, who in sorted(clashes.items()))


def test_ambiguous_list_is_not_stale(kb):
    owners = _surface_forms(kb)
    stale = sorted(form for form in AMBIGUOUS if len(owners.get(form, ())) < 2)
    assert not stale, f"listed as ambiguous but used by fewer than two actors: {stale}"


def test_demonyms_unique(kb):
    """A demonym ("Afghan", "Congolese") must point at one state, or the linker cannot tell
    whose "security officials" a sentence means."""
    owners: dict[str, set[str]] = defaultdict(set)
    for c in kb["countries.jsonl"]:
        for d in c["demonyms"]:
            owners[d.casefold()].add(c.get("iso2") or c["id"])
    clashes = {d: sorted(who) for d, who in owners.items() if len(who) > 1}
    assert not clashes, clashes


def test_people(kb):
    for r in kb["people.jsonl"]:
        assert r["type"] == "person", r["id"]


def test_every_state_present(kb):
    codes = {c["iso2"] for c in kb["countries.jsonl"]}
    assert len(UN_MEMBERS) == 193
    assert not UN_MEMBERS - codes, f"UN members missing: {sorted(UN_MEMBERS - codes)}"
    assert not OTHER_STATES - codes, f"missing: {sorted(OTHER_STATES - codes)}"


def test_sizes(kb):
    assert len(kb["armed_groups.jsonl"]) >= 150
    assert len(kb["outlets.jsonl"]) >= 120
    assert len(kb["organisations.jsonl"]) >= 80
    total = sum(len(kb[name]) for name in FILES)
    assert total >= 400


def test_descriptors(kb):
    for name in ("armed_groups.jsonl", "outlets.jsonl"):
        for r in kb[name]:
            assert r.get("descriptors"), (name, r["id"])
    for r in kb["outlets.jsonl"]:
        assert r["type"] == "media_outlet", r["id"]


def _actor_with(kb, form: str) -> list[tuple[str, str]]:
    hits = []
    for name in FILES[1:]:
        for r in kb[name]:
            if form.casefold() in {f.casefold() for f in [r["name"], *r["aliases"]]}:
                hits.append((r["id"], r["type"]))
    return hits


@pytest.mark.parametrize("form", ["Daesh", "ISIS", "ISIL", "IS", "Islamic State"])
def test_islamic_state_names(kb, form):
    assert _actor_with(kb, form) == [("islamic-state", "armed_group")]


@pytest.mark.parametrize("form", ["IS-K", "ISKP", "ISIS-K", "Islamic State Khorasan Province"])
def test_khorasan_names(kb, form):
    hits = _actor_with(kb, form)
    assert len(hits) == 1 and hits[0][1] == "armed_group", hits
    iskp = next(r for r in kb["armed_groups.jsonl"] if r["id"] == hits[0][0])
    assert iskp["parent"] == "islamic-state"


@pytest.mark.parametrize("form, type_", [
    ("Taliban", "armed_group"), ("al-Qaeda", "armed_group"), ("Al Qaeda", "armed_group"),
    ("NATO", "international_org"), ("Wall Street Journal", "media_outlet"),
    ("The Wall Street Journal", "media_outlet"), ("WSJ", "media_outlet"),
    ("Hezbollah", "armed_group"), ("Hamas", "armed_group"), ("al-Shabaab", "armed_group"),
    ("Boko Haram", "armed_group"), ("ISWAP", "armed_group"), ("HTS", "armed_group"),
    ("PKK", "armed_group"), ("YPG", "armed_group"), ("SDF", "armed_group"),
    ("Houthis", "armed_group"), ("Wagner Group", "armed_group"), ("Rapid Support Forces", "armed_group"),
    ("M23", "armed_group"), ("JNIM", "armed_group"), ("Reuters", "media_outlet"),
])
def test_must_have_actors(kb, form, type_):
    hits = _actor_with(kb, form)
    assert hits and all(t == type_ for _, t in hits), (form, hits)


def test_afghan_intelligence(kb):
    af = next(c for c in kb["countries.jsonl"] if c["iso2"] == "AF")
    intel = af["institutions"]["intelligence"]
    intel = intel if isinstance(intel, list) else [intel]
    nds = [i for i in intel if i["name"] == "National Directorate of Security"]
    assert nds and "NDS" in nds[0]["aliases"]
    assert "Afghan" in af["demonyms"]
