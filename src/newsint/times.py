"""Times layer: TIMEX3 extraction and normalisation against the publication date.

Temporal expressions are found by the rules of `data/times/rules.toml` (regular
expressions built from the word lists of `data/times/lexicon.toml`) and normalised by the
small functions below, one per rule `kind`. What a rule cannot know from its own words comes
from three places:

- the publication date (`Article.published`): "yesterday", "last week", "two years ago";
- the tense of the verb that governs the expression, read from the spaCy parse: "was killed
  in August" is the last August, "will vote in August" the next one;
- the dates the text has already named: "the next day", "a year earlier", "the quarter".

Public helpers for the events layer: `interval_of(value, mod)` turns a TIMEX3 value into
the calendar days it covers, and `tense_of(token)` reads the tense of the verb governing a
token the same way this layer does.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from newsint.data import data_path
from newsint.schema import Article, Interval, Time

PAST, PRESENT, FUTURE = "PAST", "PRESENT", "FUTURE"

# ---------------------------------------------------------------------------------------
# Data: the lexicon and the rules


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, Any]]:
    """The word lists of `data/times/lexicon.toml`, keys lower-cased."""
    with open(data_path("times/lexicon.toml"), "rb") as f:
        raw = tomllib.load(f)
    return {table: {k.lower(): v for k, v in entries.items()} for table, entries in raw.items()}


def _normal_words(text: str) -> str:
    """Lower case, one space between words, curly apostrophes made straight."""
    return " ".join(text.lower().replace("’", "'").split())


def _alternation(words: list[str]) -> str:
    """A regex matching any of `words`, longest first; spaces match any whitespace."""
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word).replace(r"\ ", r"\s+").replace("'", "['’]")
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


_MACRO = re.compile(r"\{([a-z][a-z_0-9]*)\}")


def _expand(pattern: str, macros: dict[str, str], words: dict[str, dict[str, Any]]) -> str:
    """Replace every {name} by its macro or lexicon table, recursively."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in macros:
            return _expand(macros[name], macros, words)
        if name in words:
            return _alternation(list(words[name]))
        raise KeyError(f"times rules: unknown macro {{{name}}}")

    return _MACRO.sub(one, pattern)


@dataclass(frozen=True)
class Rule:
    """One extraction rule of rules.toml, compiled."""

    index: int
    name: str
    type: str
    kind: str
    regex: re.Pattern[str]
    params: dict[str, Any]
    before: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    not_after: re.Pattern[str] | None = None
    tags: frozenset[str] = frozenset()
    not_tags: frozenset[str] = frozenset()
    deps: frozenset[str] = frozenset()
    case_sensitive: bool = False
    triggers: tuple[str, ...] = ()


_RULE_KEYS = {"name", "type", "kind", "pattern", "case", "before", "not_before", "after",
              "not_after", "tags", "not_tags", "deps", "trigger"}


@lru_cache(maxsize=1)
def _rules_file() -> dict[str, Any]:
    with open(data_path("times/rules.toml"), "rb") as f:
        return tomllib.load(f)


@lru_cache(maxsize=1)
def triggers() -> dict[str, re.Pattern[str]]:
    """The trigger classes of rules.toml: words one of which a rule's match contains."""
    raw = _rules_file()
    macros, words = raw.get("macros", {}), lexicon()
    return {name: re.compile(_expand(body, macros, words))
            for name, body in raw.get("triggers", {}).items()}


def _compile(spec: dict[str, Any], key: str, macros: dict[str, str],
             words: dict[str, dict[str, Any]]) -> re.Pattern[str] | None:
    """One regex of a rule. The pattern matches whole words only and runs on lower-cased
    text (faster than IGNORECASE); context checks run on the text itself."""
    if key not in spec:
        return None
    body = _expand(spec[key], macros, words)
    if key == "pattern":
        return re.compile(r"(?<![\w])(?:" + body + r")(?![\w])")
    return re.compile(body, re.IGNORECASE)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The rules of `data/times/rules.toml`, compiled, in file order (their priority)."""
    raw = _rules_file()
    words = lexicon()
    macros = raw.get("macros", {})
    compiled = []
    for i, spec in enumerate(raw["rule"]):
        pattern = _compile(spec, "pattern", macros, words)
        if pattern is None:
            raise ValueError(f"times rule {spec.get('name')!r} has no pattern")
        trigger = spec.get("trigger", ())
        compiled.append(
            Rule(
                index=i,
                name=spec["name"],
                type=spec["type"],
                kind=spec["kind"],
                regex=pattern,
                params={k: v for k, v in spec.items() if k not in _RULE_KEYS},
                before=_compile(spec, "before", macros, words),
                not_before=_compile(spec, "not_before", macros, words),
                after=_compile(spec, "after", macros, words),
                not_after=_compile(spec, "not_after", macros, words),
                tags=frozenset(spec.get("tags", ())),
                not_tags=frozenset(spec.get("not_tags", ())),
                deps=frozenset(spec.get("deps", ())),
                case_sensitive=bool(spec.get("case")),
                triggers=(trigger,) if isinstance(trigger, str) else tuple(trigger),
            )
        )
    return tuple(compiled)


# ---------------------------------------------------------------------------------------
# Numbers written in digits or words


def parse_number(text: str) -> float | str | None:
    """The number a quantity phrase names: 20, "twenty four" 24, "2 1/2" 2.5, "a couple of"
    2; "X" for quantities without a number ("several", "a few"); None if it is not one."""
    words = lexicon()
    phrase = _normal_words(text)
    extra = 0.0
    for suffix in (" and a half", "-and-a-half", " 1/2", "½"):
        if phrase.endswith(suffix):
            phrase, extra = phrase[: -len(suffix)].strip(), 0.5
            break
    if phrase in ("half a", "half an", "half"):
        return 0.5
    if re.fullmatch(r"[0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?", phrase):
        return float(phrase.replace(",", "")) + extra
    vague = words["vague_quantity"].get(phrase)
    if vague is not None:
        return vague if isinstance(vague, str) else float(vague) + extra
    total, current, seen = 0, 0, False
    for word in phrase.replace("-", " ").split():
        if word in words["number"]:
            current += words["number"][word]
        elif word in ("a", "an"):
            current += 1
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total, current = total + (current or 1) * 1000, 0
        elif word == "and":
            continue
        else:
            return None
        seen = True
    return float(total + current) + extra if seen else None


def parse_year(text: str) -> int | None:
    """A year in digits ("1996", "'96") or words ("nineteen ninety-six", "two thousand")."""
    phrase = _normal_words(text).replace("-", " ")
    if re.fullmatch(r"[0-9]{4}", phrase):
        return int(phrase)
    if re.fullmatch(r"[0-9]{4} [0-9]{2}", phrase):  # fiscal "1989-90": the year it starts
        return int(phrase[:4])
    words = phrase.split()
    if words and words[0] in ("nineteen", "eighteen", "twenty") and len(words) > 1:
        century = lexicon()["number"][words[0]] * 100
        rest = words[1:]
        if rest == ["hundred"]:
            return century
        if rest[0] == "oh":
            rest = rest[1:]
        n = parse_number(" ".join(rest))
        return century + int(n) if isinstance(n, float) and n < 100 else None
    n = parse_number(phrase)
    return int(n) if isinstance(n, float) and 1000 <= n < 3000 else None


# ---------------------------------------------------------------------------------------
# Calendar values: a point of some granularity, its TIMEX3 value and its days

# Granularities, coarse to fine: century, decade, year, half, quarter, season, month,
# week, weekend, day, part of a day or clock time.
GRANULARITIES = ("C", "E", "Y", "H", "Q", "S", "M", "W", "WE", "D", "T")
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Point:
    """A calendar period: its granularity and the first day it covers (a week is held by
    its Monday, a season by its code and year); `part` is a part of day or a clock time."""

    gran: str
    year: int
    month: int = 1
    day: int = 1
    season: str | None = None
    part: str | None = None

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, self.day)

    def value(self) -> str:
        """The TIMEX3 value."""
        y = self.year
        match self.gran:
            case "C":
                return f"{y // 100:02d}"
            case "E":
                return f"{y // 10:03d}"
            case "Y":
                return f"{y:04d}"
            case "H":
                return f"{y:04d}-H{1 if self.month <= 6 else 2}"
            case "Q":
                return f"{y:04d}-Q{(self.month - 1) // 3 + 1}"
            case "S":
                return f"{y:04d}-{self.season}"
            case "M":
                return f"{y:04d}-{self.month:02d}"
            case "W" | "WE":
                iso = self.first_day.isocalendar()
                return f"{iso.year:04d}-W{iso.week:02d}" + ("-WE" if self.gran == "WE" else "")
            case "D":
                return f"{y:04d}-{self.month:02d}-{self.day:02d}"
            case _:
                return f"{y:04d}-{self.month:02d}-{self.day:02d}T{self.part}"

    def days(self) -> tuple[date, date]:
        """First and last day covered, both inclusive."""
        y = self.year
        match self.gran:
            case "C":
                return date(y // 100 * 100, 1, 1), date(y // 100 * 100 + 99, 12, 31)
            case "E":
                return date(y // 10 * 10, 1, 1), date(y // 10 * 10 + 9, 12, 31)
            case "Y":
                return date(y, 1, 1), date(y, 12, 31)
            case "H" | "Q" | "M":
                months = {"H": 6, "Q": 3, "M": 1}[self.gran]
                last = _add_months(self.first_day, months) - timedelta(days=1)
                return self.first_day, last
            case "S":
                begin = date(y, SEASON_START[self.season or "SP"], 1)
                return begin, _add_months(begin, 3) - timedelta(days=1)
            case "W":
                return self.first_day, self.first_day + timedelta(days=6)
            case "WE":
                saturday = self.first_day + timedelta(days=5)
                return saturday, saturday + timedelta(days=1)
            case _:
                return self.first_day, self.first_day


def point_at(day: date, gran: str) -> Point:
    """The period of granularity `gran` that contains `day`."""
    match gran:
        case "C" | "E" | "Y":
            return Point(gran, day.year)
        case "H":
            return Point(gran, day.year, 1 if day.month <= 6 else 7)
        case "Q":
            return Point(gran, day.year, (day.month - 1) // 3 * 3 + 1)
        case "S":
            if day.month <= 2:
                return Point(gran, day.year - 1, 12, season="WI")
            code = {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(day.month)
            code = code or ("FA" if day.month <= 11 else "WI")
            return Point(gran, day.year, SEASON_START[code], season=code)
        case "M":
            return Point(gran, day.year, day.month)
        case "W" | "WE":
            monday = day - timedelta(days=day.weekday())
            return Point(gran, monday.year, monday.month, monday.day)
        case _:
            return Point("D", day.year, day.month, day.day)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# Units of shifting, as in the lexicon's [unit] table: letter -> (months, days).
_UNIT_STEP = {"C": (1200, 0), "E": (120, 0), "Y": (12, 0), "H": (6, 0), "Q": (3, 0),
              "M": (1, 0), "2W": (0, 14), "W": (0, 7), "WE": (0, 7), "D": (0, 1)}
# The granularity a shift by this unit is reported at.
_UNIT_GRAN = {"C": "C", "E": "E", "Y": "Y", "H": "H", "Q": "Q", "M": "M", "2W": "W",
              "W": "W", "WE": "WE", "D": "D", "TH": "D", "TM": "D", "TS": "D", "L": "C"}


def shift_day(day: date, n: float, unit: str) -> date:
    """`day` moved by n units (negative: back). Fractions of months round to days."""
    months, days = _UNIT_STEP.get(unit, (0, 0))
    if unit in ("TH", "TM", "TS"):
        hours = n * {"TH": 1, "TM": 1 / 60, "TS": 1 / 3600}[unit]
        return day + timedelta(days=int(hours // 24) if hours >= 0 else -int(-hours // 24))
    whole = int(n)
    moved = _add_months(day, months * whole) + timedelta(days=days * whole)
    rest = n - whole
    if rest:
        moved += timedelta(days=round(rest * (months * 30.44 + days)))
    return moved


def shift_point(point: Point, n: float, unit: str) -> Point:
    """`point` moved by n units, keeping its granularity (1989-Q3 a year back: 1988-Q3)."""
    if point.gran == "S":
        return replace(point, year=point.year + int(n * _UNIT_STEP.get(unit, (0, 0))[0] // 12))
    moved = point_at(shift_day(point.first_day, n, unit), point.gran)
    return replace(moved, part=point.part) if point.gran == "T" else moved


_VALUE_FORMS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Point]]] = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})T(.+)"),
     lambda m: Point("T", int(m[1]), int(m[2]), int(m[3]), part=m[4])),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), lambda m: Point("D", int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"(\d{4})-W(\d{2})(-WE)?"),
     lambda m: point_at(date.fromisocalendar(int(m[1]), int(m[2]), 1), "WE" if m[3] else "W")),
    (re.compile(r"(\d{4})-(\d{2})"), lambda m: Point("M", int(m[1]), int(m[2]))),
    (re.compile(r"(\d{4})-Q([1-4])"), lambda m: Point("Q", int(m[1]), 3 * int(m[2]) - 2)),
    (re.compile(r"(\d{4})-H([12])"), lambda m: Point("H", int(m[1]), 6 * int(m[2]) - 5)),
    (re.compile(r"(\d{4})-(SP|SU|FA|WI)"),
     lambda m: Point("S", int(m[1]), SEASON_START[m[2]], season=m[2])),
    (re.compile(r"(\d{4})"), lambda m: Point("Y", int(m[1]))),
    (re.compile(r"(\d{3})"), lambda m: Point("E", int(m[1]) * 10)),
    (re.compile(r"(\d{2})"), lambda m: Point("C", int(m[1]) * 100)),
]


def parse_value(value: str) -> Point | None:
    """The calendar period a TIMEX3 DATE or TIME value names, or None (PAST_REF, P6M...)."""
    for form, build in _VALUE_FORMS:
        m = form.fullmatch(value)
        if m:
            try:
                return build(m)
            except ValueError:  # 1990-02-30, week 54
                return None
    return None


# mods that say where inside the period the time lies; the others (BEFORE, AFTER,
# LESS_THAN...) say it lies outside it or is a bound, so no interval follows from them.
_INSIDE_MODS = {None, "START", "MID", "END", "APPROX", "EQUAL", "ON_OR_BEFORE", "ON_OR_AFTER"}


def interval_of(value: str, mod: str | None = None) -> Interval | None:
    """The calendar days a TIMEX3 DATE/TIME value covers, narrowed by its mod: START is the
    first third of the period, MID the middle third, END the last third ("early 2020" is
    2020-01-01..2020-05-01). None for values that cover no known days (PAST_REF, durations,
    sets) and for mods that put the time outside the value (BEFORE, AFTER)."""
    point = parse_value(value)
    if point is None or mod not in _INSIDE_MODS:
        return None
    try:
        begin, end = point.days()
    except ValueError:
        return None
    span = (end - begin).days + 1
    if span >= 3 and mod in ("START", "MID", "END"):
        third = span // 3
        if mod == "START":
            end = begin + timedelta(days=third - 1)
        elif mod == "END":
            begin = end - timedelta(days=third - 1)
        else:
            begin, end = begin + timedelta(days=third), end - timedelta(days=third)
    return Interval(begin=begin.isoformat(), end=end.isoformat())


def duration_interval(value: str, anchor: date, direction: int) -> Interval | None:
    """The days a duration counted from `anchor` covers: forward (+1, "within six months"
    from publication) or back (-1, "the past two weeks"). None when the duration has no
    exact length in days or more (PXY, PT3H)."""
    m = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", value)
    if not m or not any(m.groups()):
        return None
    years, months, weeks, days = (int(g or 0) for g in m.groups())
    total_months = 12 * years + months
    one = timedelta(days=1)  # both ends count: a week from Monday ends on Sunday
    if direction >= 0:
        end = _add_months(anchor, total_months) + timedelta(days=7 * weeks + days) - one
        return Interval(begin=anchor.isoformat(), end=end.isoformat())
    begin = _add_months(anchor, -total_months) - timedelta(days=7 * weeks + days) + one
    return Interval(begin=begin.isoformat(), end=anchor.isoformat())


# ---------------------------------------------------------------------------------------
# Tense of the governing verb


_FUTURE_AUX = {"will", "'ll", "’ll", "shall", "wo", "gon"}


def _verb_tense(verb: Token) -> str | None:
    """The tense one verb carries, from its own tag and its auxiliaries; None if unmarked."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    prospective = verb.lemma_.lower() in lexicon()["prospective_verb"]
    if lowers & _FUTURE_AUX or ("going" in lowers and "to" in lowers):
        return FUTURE
    if any(a.tag_ == "VBD" for a in auxes):
        return PAST
    if any(a.lemma_ == "have" for a in auxes):  # present perfect reports the past
        return PAST
    if prospective:  # "has scheduled a news conference Thursday"; "had been due Friday"
        return PAST if "had" in lowers else FUTURE
    if "would" in lowers:
        return None  # conditional or future-in-the-past: no direction of its own
    if any(a.tag_ == "MD" for a in auxes):
        return FUTURE
    if verb.tag_ == "VB" and "to" in lowers:
        return None  # an infinitive takes its tense from the verb it depends on
    if verb.tag_ == "VBD":
        return PAST
    if verb.tag_ == "VBN" and not auxes:
        # "announced Friday", "killed in August"; but "expected in March" looks ahead
        return FUTURE if prospective else PAST
    if verb.tag_ == "VBG" and any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return FUTURE  # "is meeting on Friday": the present progressive of arrangements
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return FUTURE if prospective and verb.tag_ == "VBN" else PRESENT
    return None


# Dependencies through which a verb without tense of its own takes its governor's
# ("arrested and charged on Monday": the second verb shares the first one's auxiliary).
_CLIMB_DEPS = {"acl", "relcl", "advcl", "xcomp", "conj", "amod", "pcomp"}


def tense_of(token: Token) -> str | None:
    """PAST, PRESENT or FUTURE: the tense of the verb that governs `token`, or None.

    The nearest verb up the token's chain of heads decides. A verb with no tense of its own
    and no auxiliary ("arrested and charged Monday") takes its governor's. An infinitive
    names something later than its governor, so it gives no past: "agreed to meet on 14
    October" is unmarked, "plans to vote in May" and "is to resume Tuesday" are FUTURE."""
    node = token
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX"):
            tense = _verb_tense(node)
            if tense:
                return tense
            auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
            if node.tag_ == "VB" and any(c.lower_ == "to" for c in auxes):
                head = node.head
                looks_ahead = (head.lemma_.lower() in lexicon()["prospective_verb"]
                               or head.lemma_ == "be")
                if any(c.lower_ == "had" for c in head.children):
                    return PAST  # "had been scheduled to expire Friday": a plan now past
                return FUTURE if looks_ahead and head is not node else None
            if auxes or node.dep_ not in _CLIMB_DEPS:
                return None  # its own auxiliary ("would") leaves it open
        if node.head is node:
            return None
        node = node.head
    return None


# ---------------------------------------------------------------------------------------
# Resolving underspecified dates against a day and a tense


# How far (days) a tense-chosen occurrence may lie before a much nearer one in the other
# direction wins: news writers add the year to a month a year away, so "until
# mid-November" written in late October is this November even after a past-tense verb.
_FAR_DAYS, _NEAR_DAYS = 240, 45


def _distance(point: Point, day: date) -> int:
    begin, end = point.days()
    return 0 if begin <= day <= end else min(abs((begin - day).days), abs((end - day).days))


def pick_occurrence(
    occurrence: Callable[[int], Point | None], anchor: date, tense: str | None, rel: int | None
) -> Point | None:
    """Which year's occurrence of a yearly period ("August", "Dec. 7", "the third quarter",
    "spring") a text means, given the anchor day, the tense of the governing verb and a
    relative word (-1 "last", +1 "next", 0 "this").

    "last August" is the latest one that ended before the anchor, "next August" the first
    that begins after it; a past-tense one is the latest that began by the anchor, a
    future-tense one the first that ends after it, unless that is most of a year away and
    the other lies within weeks; without tense, the nearest."""
    found = [p for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (p := occurrence(y))]
    if not found:
        return None
    if rel == 0:
        return next((p for p in found if p.days()[0].year == anchor.year or p.year == anchor.year),
                    found[len(found) // 2])
    if rel == -1:
        before = [p for p in found if p.days()[1] < anchor]
        return before[-1] if before else found[0]
    if rel == 1:
        after = [p for p in found if p.days()[0] > anchor]
        return after[0] if after else found[-1]
    past = [p for p in found if p.days()[0] <= anchor]
    future = [p for p in found if p.days()[1] >= anchor]
    if not past or not future:
        return (past or future)[-1 if past else 0]
    p, f = past[-1], future[0]
    if p == f:
        return p
    dp, df = _distance(p, anchor), _distance(f, anchor)
    if tense == PAST:
        return f if dp > _FAR_DAYS and df < _NEAR_DAYS else p
    if tense == FUTURE:
        return p if df > _FAR_DAYS and dp < _NEAR_DAYS else f
    return p if dp <= df else f


def resolve_weekday(weekday: int, anchor: date, tense: str | None, rel: int | None) -> date:
    """The date of an ISO weekday named without a date. "last Friday" is the Friday before
    the anchor, "next Friday" the one after; a past-tense "Friday" is the latest Friday on
    or before the anchor, a future one the first on or after; otherwise the nearest."""
    today = anchor.isoweekday()
    back = (today - weekday) % 7
    ahead = (weekday - today) % 7
    if rel == -1:
        return anchor - timedelta(days=back or 7)
    if rel == 1:
        return anchor + timedelta(days=ahead or 7)
    if rel == 0:  # "this Friday": the one in the anchor's week
        return anchor + timedelta(days=weekday - today)
    if tense == PAST:
        return anchor - timedelta(days=back)
    if tense == FUTURE:
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back) if back <= ahead else anchor + timedelta(days=ahead)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # Feb. 29 in a common year, April 31
        return None


def _point_or_none(day: date | None, gran: str) -> Point | None:
    return point_at(day, gran) if day is not None else None


def _nth_weekday(year: int, month: int, weekday: int, n: int, from_day: int = 1) -> date:
    if n > 0:
        first = date(year, month, from_day)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _easter(year: int) -> date:
    """Easter Sunday (Gregorian computus, anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday_date(name: str, year: int) -> date | None:
    """The date of a holiday of the lexicon in `year`."""
    words = lexicon()
    key = _normal_words(name)
    if key in words["holiday_fixed"]:
        month, day = (int(x) for x in words["holiday_fixed"][key].split("-"))
        return date(year, month, day)
    if key in words["holiday_weekday"]:
        month, weekday, n, *start = words["holiday_weekday"][key]
        return _nth_weekday(year, month, weekday, n, *(start or [1]))
    if key in words["holiday_easter"]:
        return _easter(year) + timedelta(days=words["holiday_easter"][key])
    return None


# ---------------------------------------------------------------------------------------
# Normalisers, one per rule kind


@dataclass
class _Context:
    """What normalisation knows besides the words matched."""

    text: str
    doc: Doc | None
    dct: date | None
    token_starts: list[int]
    reference: Point | None = None  # the last date the text named
    period: tuple[Point, int] | None = None  # the last reporting period named, and where

    def token_at(self, char: int) -> Token | None:
        if self.doc is None or not self.token_starts:
            return None
        i = bisect_right(self.token_starts, char) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def root_of(self, start: int, end: int) -> Token | None:
        first, last = self.token_at(start), self.token_at(max(start, end - 1))
        if first is None or last is None:
            return None
        for tok in self.doc[first.i : last.i + 1]:
            if not (first.i <= tok.head.i <= last.i) or tok.head is tok:
                return tok
        return last

    def tense(self, start: int, end: int) -> str | None:
        root = self.root_of(start, end)
        return tense_of(root) if root is not None else None


@dataclass
class _Found:
    """A normalised expression before it becomes a `Time`."""

    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    interval: Interval | None = None
    rule: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_MOD_WORDS = {"earlier": "START", "later": "END", "post": "AFTER", "pre": "BEFORE",
              "or so": "APPROX", "or more": "EQUAL_OR_MORE"}


def mod_of(phrase: str | None) -> str | None:
    """The TIMEX3 mod of a modifier phrase ("early" START, "more than" MORE_THAN)."""
    if not phrase:
        return None
    key = _normal_words(phrase).rstrip("- ").strip()
    words = lexicon()
    return (words["mod_point"].get(key) or words["mod_approx"].get(key)
            or _MOD_WORDS.get(key) or words["mod_point"].get(key + "-"))


def _rel_of(phrase: str | None) -> int | None:
    if not phrase:
        return None
    key = _normal_words(phrase).removeprefix("the ")
    if key == "this past":
        return -1
    return lexicon()["relative"].get(key)


Groups = dict[str, str]  # the named groups of a match, as written in the text


def _groups(m: re.Match[str], text: str) -> Groups:
    """The named groups that took part in a match, as written in `text` (the match may
    have run on a lower-cased copy)."""
    return {k: text[m.start(k) : m.end(k)] for k, v in m.groupdict().items() if v is not None}


Normaliser = Callable[[Groups, Rule, _Context, int, int], "_Found | None"]


def _norm_calendar(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """Dates from calendar words: years, months, days, weekdays, seasons, quarters,
    halves, decades, centuries, holidays; the missing parts come from the anchor."""
    words = lexicon()
    mod = mod_of(g.get("mod")) or mod_of(g.get("mod2")) or rule.params.get("mod")
    rel = _rel_of(g.get("rel"))
    dct = ctx.dct
    year = parse_year(g["year"]) if "year" in g else None
    if "year2" in g or (year is None and re.fullmatch(r"['’][0-9]{2}", g.get("year", ""))):
        yy = int(g.get("year2", g.get("year", ""))[-2:])
        base = (dct.year if dct else 1950) // 100 * 100
        year = base + yy if base + yy <= (dct.year if dct else 2050) + 10 else base - 100 + yy
    year_word = _normal_words(g.get("year_rel") or g.get("year_rel2") or "")
    if year is None and year_word in ("that", "the same"):
        # "in September that year": the year of the date the text named last
        anchor_year = ctx.reference.first_day.year if ctx.reference else dct.year if dct else None
        if anchor_year is None:
            return None
        year = anchor_year
    year_rel = _rel_of(year_word)
    if year is None and year_rel is not None and dct:
        year = dct.year + year_rel
    type_ = rule.type

    def tense() -> str | None:
        if prospective_before(ctx.text, s):
            return FUTURE
        return ctx.tense(s, e)

    def done(point: Point) -> _Found:
        return _Found(s, e, type_, point.value(), mod)

    # Periods longer than a year
    if "century" in g:
        c = g["century"].lower()
        n = int(re.sub(r"\D", "", c)) if re.search(r"\d", c) else words["ordinal"].get(c)
        return done(Point("C", (n - 1) * 100)) if n and n > 0 else None
    if "decade" in g or "decade2" in g or "decade_word" in g:
        if "decade" in g:
            start = int(g["decade"][:4])
        else:
            tens = (int(g["decade2"][-2:]) if "decade2" in g
                    else words["number_tens"][g["decade_word"].lower()[:-3] + "y"])
            base = (dct.year if dct else 1950) // 100 * 100
            start = base + tens if base + tens <= (dct.year if dct else 2050) else base - 100 + tens
        return done(Point("E", start))
    if "numeric_date" in g:
        a, b, c = (int(x) for x in g["numeric_date"].split("/"))
        month, day = (a, b) if a <= 12 else (b, a)
        if c < 100:  # two-digit year: the century that puts it nearest the present
            c += 1900 if c > (dct.year % 100 if dct else 30) + 5 else 2000
        day_of = _safe_date(c, month, day)
        return done(point_at(day_of, "D")) if day_of else None

    if "holiday" in g:
        if year is None:
            if dct is None:
                return None
            chosen = pick_occurrence(
                lambda y: _point_or_none(holiday_date(g["holiday"], y), "D"), dct, tense(), rel)
            if chosen is None:
                return None
            year = chosen.year
        day = holiday_date(g["holiday"], year)
        if day is None:
            return None
        return done(point_at(day, "W" if g.get("holiday_week") else "D"))

    month = None
    if "month" in g:
        month = words["month"].get(_normal_words(g["month"]))
    elif "month_number" in g:
        month = int(g["month_number"])
    day_num = int(re.sub(r"\D", "", g["day"])) if "day" in g else None

    if month is not None:
        if day_num is not None and not 1 <= day_num <= 31:
            return None
        if year is None:
            if dct is None:
                value = f"XXXX-{month:02d}" + (f"-{day_num:02d}" if day_num else "")
                return _Found(s, e, type_, value, mod)
            gran = "M" if day_num is None else "D"
            chosen = pick_occurrence(
                lambda y: _point_or_none(_safe_date(y, month, day_num or 1), gran),
                dct, tense(), rel)
            if chosen is None:
                return None
            year = chosen.year
            if "weekday" in g and day_num:  # "Thursday, April 6": the year it is a Thursday
                wd = words["weekday"][_normal_words(g["weekday"])]
                for candidate in (year, year - 1, year + 1):
                    try:
                        if date(candidate, month, day_num).isoweekday() == wd:
                            year = candidate
                            break
                    except ValueError:
                        continue
        try:
            if day_num is None:
                return done(Point("M", year, month))
            day = date(year, month, day_num)
        except ValueError:
            return None
        if rule.params.get("granularity") == "week":
            return done(point_at(day, "W"))
        point = point_at(day, "D")
        if "part" in g:
            type_ = "TIME"
            point = replace(point, gran="T", part=words["part_of_day"][_normal_words(g["part"])])
        return done(point)

    if "season" in g:
        code = words["season"][_normal_words(g["season"])]
        if year is None:
            if dct is None:
                return _Found(s, e, type_, f"XXXX-{code}", mod)
            chosen = pick_occurrence(
                lambda y: Point("S", y, SEASON_START[code], season=code), dct, tense(), rel)
            year = chosen.year if chosen else dct.year
        return done(Point("S", year, SEASON_START[code], season=code))

    quarter = None
    if "quarter" in g:
        q = _normal_words(g["quarter"])
        quarter = {"final": 4, "last": 4}.get(q) or words["ordinal"].get(q) or int(q[0])
    elif "quarter_number" in g or "quarter_number2" in g:
        quarter = int(g.get("quarter_number") or g["quarter_number2"])
    if quarter is not None:
        if not 1 <= quarter <= 4:
            return None
        if year is None:
            if dct is None:
                return _Found(s, e, type_, f"XXXX-Q{quarter}", mod)
            chosen = pick_occurrence(lambda y: Point("Q", y, 3 * quarter - 2), dct, tense(), rel)
            year = chosen.year if chosen else dct.year
        if "year_ago" in g:
            year -= 1
        return done(Point("Q", year, 3 * quarter - 2))
    if "half" in g or "value_half" in rule.params:
        h = rule.params.get("value_half") or (1 if _normal_words(g["half"]) == "first" else 2)
        if year is None:
            if dct is None:
                return _Found(s, e, type_, f"XXXX-H{h}", mod)
            chosen = pick_occurrence(lambda y: Point("H", y, 6 * h - 5), dct, tense(), rel)
            year = chosen.year if chosen else dct.year
        return done(Point("H", year, 6 * h - 5))

    if "weekday" in g:
        wd = words["weekday"][_normal_words(g["weekday"])]
        if dct is None:
            return _Found(s, e, type_, f"XXXX-WXX-{wd}", mod)
        point = point_at(resolve_weekday(wd, dct, tense(), rel), "D")
        if "part" in g:
            type_ = "TIME"
            point = replace(point, gran="T", part=words["part_of_day"][_normal_words(g["part"])])
        return done(point)

    if year is not None:
        if rule.params.get("bare_year") and not _plausible_year(ctx, s, e, year):
            return None
        return done(Point("Y", year))
    if "value" in rule.params:
        return _Found(s, e, type_, rule.params["value"], mod)
    return None


_TEMPORAL_NOUNS = {"year", "month", "week", "day", "season", "quarter", "period", "time",
                   "budget", "election", "elections", "census", "law", "act", "level", "levels"}


def _plausible_year(ctx: _Context, s: int, e: int, year: int) -> bool:
    """A bare four-digit number is a year unless it counts things ("2000 troops") or is
    far from the publication date's era."""
    if ctx.dct and not (ctx.dct.year - 1000 <= year <= ctx.dct.year + 100):
        return False
    tok = ctx.token_at(s)
    if tok is None:
        return True
    # "2000 troops" counts; "the 2000 Olympics" and "1990 earnings" are years. A round
    # number with no determiner before it, counting a plural noun, is a count.
    counts = (tok.dep_ == "nummod" and tok.head.i > tok.i and tok.head.tag_ in ("NNS", "NNPS")
              and tok.head.lemma_.lower() not in _TEMPORAL_NOUNS)
    determined = tok.i > 0 and tok.nbor(-1).tag_ in ("DT", "PRP$", "POS")
    if counts and year % 100 == 0 and not determined:
        return False
    return True


def prospective_before(text: str, start: int) -> bool:
    """Whether a word that looks ahead ("payable", "effective", "starting") comes just
    before the expression at `start`."""
    before = _normal_words(text[max(0, start - 24) : start])
    return any(before.endswith(word) and (len(before) == len(word) or before[-len(word) - 1] == " ")
               for word in lexicon()["prospective_signal"])


def _norm_year_end(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"by year-end": the last day of this year; "since year-end": of the last one."""
    if ctx.dct is None:
        return _Found(s, e, rule.type, "XXXX-12-31")
    year = ctx.dct.year
    if ctx.dct.month < 12 and (signal_before(ctx.text, s) == "since" or ctx.tense(s, e) == PAST):
        year -= 1
    return _Found(s, e, rule.type, f"{year:04d}-12-31", "APPROX" if "approx" in g else None)


def _norm_deictic(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """today, yesterday, tomorrow, tonight, this morning, last night, late yesterday."""
    words = lexicon()
    if "deictic_value" in rule.params:
        offset = rule.params["deictic_value"]
    else:
        offset = words["deictic_day"][_normal_words(g["deictic"])]
    part = rule.params.get("part_value")
    if "part" in g:
        part = words["part_of_day"][_normal_words(g["part"])]
    if "deictic" in g and _normal_words(g["deictic"]) == "tonight":
        part = "NI"
    mod = mod_of(g.get("mod"))
    if ctx.dct is None:
        value = "XXXX-XX-XX" + (f"T{part}" if part else "")
        return _Found(s, e, "TIME" if part else "DATE", value, mod)
    point = point_at(ctx.dct + timedelta(days=offset), "D")
    if part:
        return _Found(s, e, "TIME", replace(point, gran="T", part=part).value(), mod)
    return _Found(s, e, rule.type, point.value(), mod)


def _norm_anaphoric_part(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"that morning", "the next evening": a part of the day the text last named."""
    part = lexicon()["part_of_day"][_normal_words(g["part"])]
    anchor = _reference_day(ctx)
    if anchor is None:
        return None
    words = _normal_words(ctx.text[s:e])
    shift = 1 if ("next" in words or "following" in words) else -1 if "previous" in words else 0
    point = point_at(anchor + timedelta(days=shift), "D")
    return _Found(s, e, "TIME", replace(point, gran="T", part=part).value(), mod_of(g.get("mod")))


def _reference_day(ctx: _Context) -> date | None:
    if ctx.reference is not None and ctx.reference.gran in ("D", "T"):
        return ctx.reference.first_day
    return ctx.dct


_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(a|p)?", re.IGNORECASE)


def clock_value(phrase: str) -> str | None:
    """"10:35 a.m." 10:35, "5 p.m." 17:00, "noon" 12:00, "nine o'clock" 09:00."""
    words = lexicon()
    key = _normal_words(phrase)
    if key in words["clock_word"]:
        return words["clock_word"][key]
    m = re.match(r"([a-z]+) o'clock", key)
    if m:
        n = words["number"].get(m.group(1))
        return f"{n:02d}:00" if n and n <= 12 else None
    m = _CLOCK.match(key)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    meridian = (m.group(3) or "").lower()
    if meridian == "p" and hour < 12:
        hour += 12
    elif meridian == "a" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _norm_clock(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """Clock times, on the publication day unless a day is written beside them (that day
    is joined in afterwards, see `_join_clock_and_day`)."""
    clock = clock_value(g["clock"])
    if clock is None:
        return None
    if "part" in g:
        hour = int(clock[:2])
        part = _normal_words(g["part"])
        if part in ("afternoon", "evening", "night") and hour < 12:
            clock = f"{hour + 12:02d}{clock[2:]}"
    approx = g.get("approx")
    mod = "APPROX" if approx and _normal_words(approx) in ("about", "around", "approximately",
                                                          "roughly") else None
    if approx and mod is None:
        mod = "BEFORE" if "before" in approx.lower() else "AFTER"
    if _normal_words(g.get("timezone", "")) in ("utc", "gmt"):
        clock += "Z"  # ISO 8601 marks UTC; other zones stay local time
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return _Found(s, e, "TIME", f"{day}T{clock}", mod, extra={"clock": clock})


def _unit_letter(word: str) -> str | None:
    return lexicon()["unit"].get(_normal_words(word))


def _norm_relative_unit(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """last week, this year, next month, the past decade, earlier this year, for the year."""
    rel = rule.params.get("rel_value")
    if rel is None:
        rel = _rel_of(g.get("rel"))
    unit = _unit_letter(g["unit"])
    if rel is None or unit is None:
        return None
    mod = mod_of(g.get("mod")) or rule.params.get("mod")
    if ctx.dct is None:
        value = {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}[rel]
        return _Found(s, e, rule.type, value, mod)
    gran = _UNIT_GRAN.get(unit, "D")
    if rule.params.get("results_year") and ctx.dct.month <= 2 and ctx.tense(s, e) == PAST:
        rel = -1
    if unit == "WE":
        saturday = ctx.dct + timedelta(days=5 - ctx.dct.weekday())
        if rel == -1:
            saturday -= timedelta(days=7) if ctx.dct.weekday() < 5 else timedelta(days=7)
        elif rel == 1:
            saturday += timedelta(days=7)
        return _Found(s, e, rule.type, point_at(saturday, "WE").value(), mod)
    point = point_at(shift_day(ctx.dct, rel, unit), gran)
    return _Found(s, e, rule.type, point.value(), mod)


def _norm_weekend(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"the weekend": the last one in past-tense sentences, the coming one otherwise."""
    if ctx.dct is None:
        return None
    weekday = ctx.dct.weekday()
    tense = ctx.tense(s, e)
    saturday = ctx.dct + timedelta(days=5 - weekday)
    if tense != FUTURE and weekday < 5:  # news mostly reports the weekend just gone
        saturday -= timedelta(days=7)
    return _Found(s, e, rule.type, point_at(saturday, "WE").value())


def _recent_period(ctx: _Context, s: int, grans: tuple[str, ...] = ("Q", "H")) -> Point | None:
    """The reporting period (a quarter or half; with `grans`, a month too) the text named
    last, if it did so within the last few sentences: the period "a year ago" and "the
    quarter" mean in a report of results."""
    if ctx.period is None:
        return None
    point, where = ctx.period
    return point if s - where <= 1500 and point.gran in grans else None


def _norm_period_anaphor(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"the quarter", "the latest period", "the year-earlier quarter": the reporting period
    named last (else the last full quarter before publication), moved by `shift` years."""
    shift = int(rule.params.get("shift", 0))
    grans = ("Q", "H", "M") if rule.params.get("any_period") else ("Q", "H")
    period = _recent_period(ctx, s, grans)
    if "year" in g:  # "the 1988 quarter": the period named last, in that year
        year = parse_year(g["year"])
        if year is None:
            return None
        if "quarter" in g:
            q = _normal_words(g["quarter"])
            n = {"final": 4, "last": 4}.get(q) or lexicon()["ordinal"].get(q) or int(q[0])
            return _Found(s, e, rule.type, Point("Q", year, 3 * n - 2).value())
        if period is not None and period.gran in ("Q", "H"):
            return _Found(s, e, rule.type, replace(period, year=year).value())
        return _Found(s, e, rule.type, Point("Y", year).value())
    if period is None:
        if ctx.dct is None:
            return None
        words = _normal_words(ctx.text[s:e])
        if "quarter" in words or ("period" in words and "year" not in words):
            period = shift_point(point_at(ctx.dct, "Q"), -1, "Q")
        else:
            period = point_at(ctx.dct, "Y")
    return _Found(s, e, rule.type, shift_point(period, shift, "Y").value())


def _norm_period_ending(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"the quarter ended Sept. 30": the quarter (or half) that contains the closing date."""
    month = lexicon()["month"].get(_normal_words(g["end_month"]))
    day = int(re.sub(r"\D", "", g["end_day"]))
    if month is None:
        return None
    if "end_year" in g:
        closing = _safe_date(int(g["end_year"]), month, day)
    elif ctx.dct is not None:
        # "ended" has closed; "ending" may be either side: take the nearest.
        tense = PAST if re.search(r"\bended\b", ctx.text[e : e + 20]) else None
        chosen = pick_occurrence(lambda y: _point_or_none(_safe_date(y, month, day), "D"),
                                 ctx.dct, tense, None)
        closing = chosen.first_day if chosen else None
    else:
        closing = None
    if closing is None:
        return None
    gran = "H" if _normal_words(g["unit"]) == "half" else "Q"
    # A fiscal quarter ending July 31 runs May to July: name the calendar quarter that
    # holds most of it, the one of its middle.
    middle = closing - timedelta(days=45 if gran == "Q" else 91)
    return _Found(s, e, rule.type, point_at(middle, gran).value())


def _norm_offset(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"two years ago", "three days later", "a week or so ago", "six months from now".
    Ago and from-now count from publication; earlier, later, before and after from the last
    date the text named. A year before or after a named reporting period keeps that period
    ("profit rose from a year earlier": the same quarter a year before)."""
    quantity = rule.params.get("quantity_value") or parse_number(g["quantity"])
    unit = _unit_letter(g["unit"])
    direction = lexicon()["offset_direction"].get(_normal_words(g["direction"]), 0)
    if quantity is None or unit is None or not direction:
        return None
    mod = mod_of(g.get("approx"))
    if "or so" in _normal_words(ctx.text[s:e]):
        mod = "APPROX"
    if isinstance(quantity, str):
        return _Found(s, e, "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", mod)
    if unit == "2W":
        quantity, unit = quantity * 2, "W"
    deictic = _normal_words(g["direction"]) in ("ago", "from now", "from today", "hence", "back")
    if ctx.dct is None:
        return _Found(s, e, "DATE", "PAST_REF" if direction < 0 else "FUTURE_REF", mod)
    period = _recent_period(ctx, s)
    if unit == "Y" and quantity == 1 and period is not None:
        return _Found(s, e, "DATE", shift_point(period, direction, "Y").value(), mod)
    anchor = ctx.dct if deictic else (_reference_day(ctx) or ctx.dct)
    if not deictic and ctx.reference is not None and ctx.reference.gran not in ("D", "T"):
        anchor = ctx.reference.first_day
    # Weeks back or ahead land on a day ("a week ago": the same weekday last week).
    gran = "D" if unit in ("W", "2W") else "Y" if unit in ("E", "C") else _UNIT_GRAN.get(unit, "D")
    if quantity != int(quantity) and gran in ("Y", "C", "E"):
        gran = "M"
    moved = shift_day(anchor, direction * quantity, unit)
    return _Found(s, e, "DATE", point_at(moved, gran).value(), mod)


def _norm_anaphoric(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"the next day", "the previous week", "that day", "the day before": a period counted
    from the last date the text named (the publication date if none)."""
    unit = _unit_letter(g["unit"])
    rel = rule.params.get("rel_value")
    if rel is None:
        if "direction" in g:
            rel = lexicon()["offset_direction"].get(_normal_words(g["direction"]))
        else:
            word = _normal_words(g["rel"])
            rel = {"previous": -1, "preceding": -1, "prior": -1, "following": 1, "next": 1,
                   "same": 0}.get(word)
    if unit is None or rel is None:
        return None
    anchor = _reference_day(ctx)
    if ctx.reference is not None and unit in ("Y", "Q", "M", "W", "WE"):
        anchor = ctx.reference.first_day
    if anchor is None:
        return None
    gran = _UNIT_GRAN.get(unit, "D")
    moved = shift_day(anchor, rel, unit)
    return _Found(s, e, "DATE", point_at(moved, gran).value(), mod_of(g.get("mod")))


def _norm_vague(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """now, recently, the past, soon, the future, recent years, current."""
    words = lexicon()
    key = _normal_words(g["vague"])
    value = words["vague_ref"].get(key) or words["vague_adjective"].get(key)
    if value is None:
        value = {"recent": "PAST_REF", "past": "PAST_REF", "previous": "PAST_REF",
                 "coming": "FUTURE_REF", "future": "FUTURE_REF", "upcoming": "FUTURE_REF"}.get(key)
    return _Found(s, e, "DATE", value) if value else None


def _duration_value(quantity: float | str, unit: str) -> str | None:
    """TIMEX3 duration: (20, "Y") P20Y, (24, "TH") PT24H, (2.5, "Y") P2Y6M, ("X", "Y") PXY."""
    if unit == "2W":
        unit = "W"
        quantity = quantity * 2 if not isinstance(quantity, str) else quantity
    clock = unit.startswith("T")
    letter = unit[-1] if clock else unit
    prefix = "PT" if clock else "P"
    if isinstance(quantity, str):
        return f"{prefix}X{letter}"
    if unit in ("E", "C", "L"):  # decades, centuries, millennia count in years: P20Y
        years = quantity * {"E": 10, "C": 100, "L": 1000}[unit]
        return f"P{int(years)}Y" if years == int(years) else None
    if quantity == int(quantity):
        return f"{prefix}{int(quantity)}{letter}"
    whole, rest = int(quantity), quantity - int(quantity)
    smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24),
               "TH": ("M", 60), "TM": ("S", 60)}.get(unit)
    if smaller is None:
        return None
    letter2, factor = smaller
    part = round(rest * factor)
    if unit == "D":  # half a day: hours are clock units
        return f"P{whole}DT{part}H" if whole else f"PT{part}H"
    head = f"{whole}{letter}" if whole else ""
    return f"{prefix}{head}{part}{letter2}"


_PAST_WORDS = {"past", "last", "previous", "preceding", "year-earlier", "year-ago"}
_NEXT_WORDS = {"next", "coming", "following", "remaining", "ensuing"}
_SIGNAL = re.compile(
    r"\b(since|by|until|till|within|before|after|from|during|for|over|through|throughout|"
    r"between|in|on|at|as\s+of|ahead\s+of|prior\s+to|up\s+to|no\s+later\s+than)\s+$",
    re.IGNORECASE)


def signal_before(text: str, start: int) -> str | None:
    """The preposition that introduces the expression at `start` ("since", "by", "within"),
    lower-case, or None."""
    m = _SIGNAL.search(text, max(0, start - 24), start)
    return _normal_words(m.group(1)) if m else None


def _norm_duration(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """"20 years" P20Y, "twenty four hours" PT24H, "2 1/2 years" P2Y6M, "several weeks"
    PXW, "the past two months" P2M; with an interval when the text anchors the duration at
    publication ("within six months", "the past two weeks")."""
    unit = _unit_letter(g["unit"])
    if unit is None or unit == "WE":
        return None
    if unit == "TS" and _normal_words(g.get("quantity", "")) in ("a", "the") \
            and re.match(r"\s+[a-z]", ctx.text[e : e + 3]):
        return None  # "a second consecutive day": the ordinal
    if "quantity_value" in rule.params:
        quantity: float | str | None = rule.params["quantity_value"]
    else:
        text = g["quantity"]
        if re.search(r"\s(?:to|or)\s|[–-]\s*[0-9]|[0-9]\s*[–-]", text) and not re.fullmatch(
                r"[0-9]+-[a-z]+", text):
            quantity = "X"  # a range: "12 to 18 months"
        else:
            quantity = parse_number(text)
    if quantity is None:
        return None
    if "half" in g and not isinstance(quantity, str):
        quantity += 0.5
    value = _duration_value(quantity, unit)
    if value is None:
        return None
    if "quantity2" in g:
        q2, u2 = parse_number(g["quantity2"]), _unit_letter(g["unit2"])
        if isinstance(q2, float) and u2 and q2 == int(q2):
            value += f"{int(q2)}{u2[-1]}"
    mod = mod_of(g.get("approx")) or mod_of(g.get("approx2"))
    phrase = _normal_words(ctx.text[s:e])
    if phrase.endswith(" or so"):
        mod = "APPROX"
    elif phrase.endswith(" or more"):
        mod = "EQUAL_OR_MORE"
    interval = None
    rel = _normal_words(g.get("rel", ""))
    if rel == "last":
        word = ctx.token_at(s)
        if word is not None and word.lower_ == "last" and word.tag_.startswith("VB"):
            # "the curfew would last six months": the verb, not "the last six months".
            quantity_at = ctx.text.find(g["quantity"], s) if g.get("quantity") else -1
            if quantity_at > s:
                s, rel = quantity_at, ""
    if ctx.dct is not None and not isinstance(quantity, str) and not unit.startswith("T"):
        signal = signal_before(ctx.text, s)
        if rel in _PAST_WORDS:
            interval = duration_interval(value, ctx.dct, -1)
        elif rel in _NEXT_WORDS or (signal == "within" and ctx.tense(s, e) != PAST):
            interval = duration_interval(value, ctx.dct, 1)
    return _Found(s, e, "DURATION", value, mod, interval)


def _norm_set(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    """daily, every Friday, each July, every two weeks, $5 a year, Tuesday nights."""
    words = lexicon()
    part = None
    if "part" in g:
        part = words["part_of_day"][_normal_words(g["part"])]
    elif "part_plural" in g:
        part = words["part_of_day"][_normal_words(g["part_plural"])[:-1]]
    suffix = f"T{part}" if part else ""
    if "frequency" in g:
        return _Found(s, e, "SET", words["frequency"][_normal_words(g["frequency"])])
    if "weekday" in g or "weekday_plural" in g:
        wd = (words["weekday"].get(_normal_words(g.get("weekday", "")))
              or words["weekday_plural"].get(_normal_words(g.get("weekday_plural", ""))))
        return _Found(s, e, "SET", f"XXXX-WXX-{wd}{suffix}")
    if "month" in g:
        return _Found(s, e, "SET", f"XXXX-{words['month'][_normal_words(g['month'])]:02d}")
    word = _normal_words(g["unit"]).rstrip("s")
    if word in words["season"]:
        return _Found(s, e, "SET", f"XXXX-{words['season'][word]}")
    if word in words["part_of_day"]:
        return _Found(s, e, "SET", f"XXXX-XX-XXT{words['part_of_day'][word]}")
    unit = {"night": "D"}.get(word) or _unit_letter(word)
    if unit is None:
        return None
    quantity = parse_number(g["quantity"]) if "quantity" in g else 1.0
    if "other" in _normal_words(ctx.text[s:e]).split():
        quantity = 2.0
    if quantity is None:
        return None
    value = _duration_value(quantity, unit) if unit != "WE" else "XXXX-WXX-WE"
    return _Found(s, e, "SET", value) if value else None


def _norm_fixed(g: Groups, rule: Rule, ctx: _Context, s: int, e: int) -> _Found | None:
    return _Found(s, e, rule.type, rule.params["value"], rule.params.get("mod"))


NORMALISERS: dict[str, Normaliser] = {
    "calendar": _norm_calendar,
    "deictic": _norm_deictic,
    "anaphoric_part": _norm_anaphoric_part,
    "clock": _norm_clock,
    "relative_unit": _norm_relative_unit,
    "weekend": _norm_weekend,
    "period_anaphor": _norm_period_anaphor,
    "period_ending": _norm_period_ending,
    "year_end": _norm_year_end,
    "offset": _norm_offset,
    "anaphoric": _norm_anaphoric,
    "vague": _norm_vague,
    "duration": _norm_duration,
    "set": _norm_set,
    "fixed": _norm_fixed,
}


# ---------------------------------------------------------------------------------------
# Finding expressions


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    rule: Rule
    groups: dict[str, str]


_AMBIGUOUS_ABBREVIATIONS = re.compile(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.", re.I)


def _acceptable(rule: Rule, m: re.Match[str], ctx: _Context) -> bool:
    """The context checks of a rule, and case checks of words that are also common nouns
    or verbs ("may", "march", "sun.")."""
    s, e = m.span()
    text = ctx.text
    if rule.before is not None and not rule.before.search(text, max(0, s - 40), s):
        return False
    if rule.not_before is not None and rule.not_before.search(text, max(0, s - 40), s):
        return False
    if rule.after is not None and not rule.after.match(text, e):
        return False
    if rule.not_after is not None and rule.not_after.match(text, e):
        return False
    groups = m.groupdict()
    if groups.get("month") and _normal_words(groups["month"]) in lexicon()["month_ambiguous"] \
            and not text[m.start("month")].isupper():
        return False
    if groups.get("weekday") and _AMBIGUOUS_ABBREVIATIONS.fullmatch(groups["weekday"]) \
            and not text[m.start("weekday")].isupper():
        return False
    if groups.get("holiday") and rule.params.get("capitalised") \
            and not text[m.start("holiday")].isupper():
        return False
    if ctx.doc is not None and rule.kind != "calendar" and _is_a_name(ctx, s, e):
        return False
    if (rule.tags or rule.not_tags or rule.deps) and ctx.doc is not None:
        last = ctx.token_at(e - 1)
        if last is None:
            return False
        if rule.tags and last.tag_ not in rule.tags:
            return False
        if last.tag_ in rule.not_tags:
            return False
        if rule.deps and last.dep_ not in rule.deps:
            return False
    return True


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# How far a match may reach before and after its trigger word (characters); a window
# ends at white space so no word is cut in two.
_REACH_BEFORE, _REACH_AFTER = 90, 90
_SPACE = re.compile(r"\s")


def _windows(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """The stretches of `text` within reach of a match of `pattern`, merged."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in pattern.finditer(text):
        begin = max(0, m.start() - _REACH_BEFORE)
        if out and begin <= out[-1][1]:
            if m.end() + _REACH_AFTER <= out[-1][1]:
                continue
            begin = out.pop()[0]
        space = _SPACE.search(text, min(n, m.end() + _REACH_AFTER))
        out.append((begin, space.start() if space else n))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for begin, end in sorted(spans):
        if out and begin <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((begin, end))
    return out


_WORD = re.compile(r"[A-Za-z]+")


def _is_a_name(ctx: _Context, s: int, e: int) -> bool:
    """Whether the words of an expression are capitalised as a title is ("This Week", "High
    Noon"): a common temporal word in capitals that does not begin a sentence, in a
    sentence that is not itself in title case (as headlines are)."""
    lower = lexicon()["lowercase_word"]
    capitalised = [m for m in _WORD.finditer(ctx.text, s, e)
                   if m.group().lower() in lower and m.group()[0].isupper()]
    for m in capitalised:
        tok = ctx.token_at(m.start())
        if tok is None or tok.is_sent_start or tok.i == 0:
            continue
        before = tok.nbor(-1)
        if before.is_space or before.is_punct or before.is_quote:
            continue  # a paragraph, quotation or aside begins here
        words = [t for t in tok.sent if t.is_alpha and len(t) > 3]
        if words and sum(t.text[0].isupper() for t in words) / len(words) > 0.6:
            continue  # a headline in title case
        return True
    return False


def find_candidates(ctx: _Context) -> list[Candidate]:
    """Every rule match that passes its context checks, overlaps resolved: the longest
    match wins, then the earlier rule; the result is in text order. A rule runs only
    within reach of its trigger words."""
    found: list[Candidate] = []
    folded = ctx.text.translate(_ASCII_LOWER)  # same length, so offsets carry over
    whole = [(0, len(folded))]
    classes = triggers()
    windows: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for rule in rules():
        if rule.triggers and not rule.case_sensitive:
            spans = windows.get(rule.triggers)
            if spans is None:
                for name in rule.triggers:
                    if (name,) not in windows:
                        windows[(name,)] = _windows(folded, classes[name])
                spans = _merge([w for name in rule.triggers for w in windows[(name,)]])
                windows[rule.triggers] = spans
        else:
            spans = whole
        subject = ctx.text if rule.case_sensitive else folded
        for begin, end in spans:
            for m in rule.regex.finditer(subject, begin, end):
                if m.end() > m.start() and _acceptable(rule, m, ctx):
                    found.append(Candidate(m.start(), m.end(), rule, _groups(m, ctx.text)))
    found.sort(key=lambda c: (c.start - c.end, c.rule.index, c.start))
    taken = bytearray(len(ctx.text))
    kept = []
    for c in found:
        if taken.find(1, c.start, c.end) == -1:
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
            kept.append(c)
    kept.sort(key=lambda c: c.start)
    return kept


_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK_JOIN_AFTER = re.compile(r"\s*,?\s*(?:on\s+)?")
_CLOCK_JOIN_BEFORE = re.compile(r"\s*,?\s*(?:at\s+)?")


def _join_clock_and_day(found: list[_Found], text: str) -> list[_Found]:
    """"5 p.m. EST Nov. 9", "noon Thursday", "Friday at 10 a.m.": a clock time written
    beside a day becomes one TIME on that day."""
    out: list[_Found] = []
    i = 0
    while i < len(found):
        cur = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None:
            gap = text[cur.end : nxt.start]
            clock, day = None, None
            if "clock" in cur.extra and _DAY_VALUE.fullmatch(nxt.value) \
                    and _CLOCK_JOIN_AFTER.fullmatch(gap):
                clock, day = cur, nxt
            elif "clock" in nxt.extra and _DAY_VALUE.fullmatch(cur.value) \
                    and _CLOCK_JOIN_BEFORE.fullmatch(gap):
                clock, day = nxt, cur
            if clock is not None and day is not None:
                out.append(_Found(cur.start, nxt.end, "TIME",
                                  f"{day.value}T{clock.extra['clock']}", clock.mod or day.mod))
                i += 2
                continue
        out.append(cur)
        i += 1
    return out


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


# Kinds whose values become the reference for "the next day", "that morning": dates the
# text names, not ones it counts from the reference itself.
_REMEMBERED = {"calendar", "deictic", "clock", "anaphoric", "anaphoric_part"}


def find_times(text: str, doc: Doc | None, published: str | None) -> list[_Found]:
    """The temporal expressions of `text`, normalised against `published` (YYYY-MM-DD)."""
    token_starts = doc.to_array(IDX).tolist() if doc is not None and len(doc) else []
    ctx = _Context(text=text, doc=doc, dct=_parse_published(published), token_starts=token_starts)
    found: list[_Found] = []
    for cand in find_candidates(ctx):
        result = NORMALISERS[cand.rule.kind](cand.groups, cand.rule, ctx, cand.start, cand.end)
        if result is None:
            continue
        result.rule = cand.rule.name
        found.append(result)
        point = parse_value(result.value) if result.type in ("DATE", "TIME") else None
        if point is not None:
            if cand.rule.kind in _REMEMBERED:
                ctx.reference = point
            # Reporting periods the text names itself, not ones it derives ("year-ago").
            if point.gran in ("Q", "H", "M") and cand.rule.kind in ("calendar", "period_ending"):
                ctx.period = (point, cand.start)
    return _join_clock_and_day(found, text)


def normalise_times(doc: Doc, article: Article) -> list[Time]:
    """Every temporal expression of the article as a TIMEX3 `Time`, resolved against
    `article.published`, in text order."""
    try:
        found = find_times(article.text, doc, article.published)
    except RecursionError:  # pathological input: no times rather than a crash
        return []
    times = []
    for i, f in enumerate(found, start=1):
        interval = f.interval
        if interval is None and f.type in ("DATE", "TIME"):
            interval = interval_of(f.value, f.mod)
        times.append(
            Time(
                id=f"t{i}",
                start=f.start,
                end=f.end,
                text=article.text[f.start : f.end],
                type=f.type,
                value=f.value,
                mod=f.mod,
                interval=interval,
                signal=signal_before(article.text, f.start),
            )
        )
    return times
