"""The times layer: TIMEX3 values, mods and calendar intervals, resolved against the
publication date, for each family of rules; the seed checks of issue 4; and a regression
floor on a fixed slice of TempEval-3."""

from __future__ import annotations

import importlib.util
import json

import pytest

import newsint
from conftest import EVAL, SEED_PUBLISHED, check_record, requires_shared, spans_of
from newsint.parse import parse
from newsint.schema import Article
from newsint.times import (
    Point,
    interval_of,
    normalise_times,
    parse_number,
    parse_year,
    pick_occurrence,
    tense_of,
)

PUBLISHED = "2021-11-01"  # a Monday


def times_of(text: str, published: str | None = PUBLISHED) -> list[dict]:
    """The times of `text` analysed as an article published on `published`."""
    return check_record(newsint.analyze(text, published=published))["times"]


def the(text: str, phrase: str, published: str | None = PUBLISHED) -> dict:
    """The one time expression of `text` whose span is exactly `phrase`."""
    found = [t for t in times_of(text, published) if t["text"] == phrase]
    assert len(found) == 1, (phrase, times_of(text, published))
    return found[0]


def days(t: dict) -> tuple[str, str] | None:
    return (t["interval"]["begin"], t["interval"]["end"]) if t["interval"] else None


# --- absolute dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The ceasefire was signed on 1 March 2020 in Doha.", "1 March 2020", "2020-03-01"),
        ("The ceasefire was signed on March 1, 2020, in Doha.", "March 1, 2020", "2020-03-01"),
        ("Talks resumed on Tuesday, March 3, 2020.", "Tuesday, March 3, 2020", "2020-03-03"),
        ("The town fell in March 2020.", "March 2020", "2020-03"),
        ("The report is dated 2019-07-04.", "2019-07-04", "2019-07-04"),
        ("The coalition invaded in 2001.", "2001", "2001"),
        ("Fighting flared in the spring of 2019.", "the spring of 2019", "2019-SP"),
        ("Profit fell in the third quarter of 2019.", "the third quarter of 2019", "2019-Q3"),
        ("The militia was founded in the 1990s.", "the 1990s", "199"),
        ("The dispute dates from the 19th century.", "the 19th century", "18"),
        ("The rebels have held the valley since nineteen ninety-six.",
         "nineteen ninety-six", "1996"),
    ],
)
def test_absolute_dates(sentence: str, phrase: str, value: str) -> None:
    t = the(sentence, phrase)
    assert (t["type"], t["value"]) == ("DATE", value)


def test_absolute_dates_carry_their_days() -> None:
    assert days(the("The town fell in March 2020.", "March 2020")) == ("2020-03-01", "2020-03-31")
    assert days(the("The coalition invaded in 2001.", "2001")) == ("2001-01-01", "2001-12-31")
    quarter = the("Profit fell in the third quarter of 2019.", "the third quarter of 2019")
    assert days(quarter) == ("2019-07-01", "2019-09-30")


def test_numbers_that_are_not_years() -> None:
    assert not times_of("The army sent 2000 troops and $1990 in cash.")


# --- relative to publication --------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("An officer was killed a week ago near Gardez.", "a week ago", "2021-10-25"),
        ("The minister resigned last week.", "last week", "2021-W43"),
        ("Two soldiers died yesterday.", "yesterday", "2021-10-31"),
        ("The envoy arrives tomorrow.", "tomorrow", "2021-11-02"),
        ("Elections will be held next month.", "next month", "2021-12"),
        ("Prices rose sharply last year.", "last year", "2020"),
        ("The group was founded two years ago.", "two years ago", "2019"),
        ("The vote is three days from now.", "three days from now", "2021-11-04"),
        ("Inflation has doubled this year.", "this year", "2021"),
        ("The talks collapsed earlier this month.", "earlier this month", "2021-11"),
    ],
)
def test_relative_to_publication(sentence: str, phrase: str, value: str) -> None:
    assert the(sentence, phrase)["value"] == value


def test_parts_of_days_are_times() -> None:
    t = the("Shelling resumed this morning.", "this morning")
    assert (t["type"], t["value"]) == ("TIME", "2021-11-01TMO")
    assert the("Rockets hit the base last night.", "last night")["value"] == "2021-10-31TNI"
    t = the("The talks will resume at 5 p.m. on Friday.", "5 p.m. on Friday")
    assert (t["type"], t["value"]) == ("TIME", "2021-11-05T17:00")


def test_relative_mod_narrows_the_interval() -> None:
    t = the("The talks collapsed earlier this month.", "earlier this month")
    assert t["mod"] == "START"
    assert days(t) == ("2021-11-01", "2021-11-10")


# --- names of months and days, by the tense of the governing verb -------------------------


def test_month_name_follows_the_tense_of_its_verb() -> None:
    assert the("He was killed in August.", "August")["value"] == "2021-08"
    assert the("Parliament will vote in August.", "August")["value"] == "2022-08"
    assert the("The ministers met on Oct. 28.", "Oct. 28")["value"] == "2021-10-28"
    assert the("The ministers will meet on March 3.", "March 3")["value"] == "2022-03-03"


def test_relative_month_names() -> None:
    # "last August" is the latest August before the current month; in November, this
    # year's. "last November" is a year back.
    assert the("Troops left last August.", "last August")["value"] == "2021-08"
    assert the("Troops arrived last November.", "last November")["value"] == "2020-11"
    assert the("Troops leave next August.", "next August")["value"] == "2022-08"


def test_weekday_follows_the_tense_of_its_verb() -> None:
    # Published on a Monday: the Sunday before, the Friday after.
    assert the("Gunmen attacked the village on Sunday.", "Sunday")["value"] == "2021-10-31"
    assert the("Leaders will meet on Friday.", "Friday")["value"] == "2021-11-05"
    assert the("The deal, announced Friday, was welcomed.", "Friday")["value"] == "2021-10-29"
    assert the("The court is expected to rule on Thursday.", "Thursday")["value"] == "2021-11-04"


def test_reported_future_and_infinitives_are_not_past() -> None:
    # "would appear" has its own auxiliary: it does not take "had been arrested"'s past.
    text = "Police said 37 people had been arrested and would appear in court on Thursday."
    assert the(text, "Thursday", published="2025-02-19")["value"] == "2025-02-20"
    # What was agreed to happen comes after the agreement: the next 14 October.
    text = "The ministers agreed to meet again in Abuja on 14 October."
    assert the(text, "14 October", published="2025-07-10")["value"] == "2025-10-14"


def test_month_of_the_year_named_before() -> None:
    text = "The town fell in February 2022 and was retaken in September that year."
    assert the(text, "September that year", published="2024-11-06")["value"] == "2022-09"


def test_a_deadline_a_year_away_yields_to_one_within_weeks() -> None:
    # A past-tense verb, but "mid-November" written on 1 November is this November.
    t = the("The agency gave the firm until mid-November to reply.", "mid-November")
    assert (t["value"], t["mod"]) == ("2021-11", "MID")


# --- anchors with modifiers ---------------------------------------------------------------


def test_since_keeps_its_signal() -> None:
    t = the("Attacks have continued since August.", "August")
    assert (t["value"], t["signal"]) == ("2021-08", "since")


def test_end_of_month() -> None:
    t = the("The withdrawal was completed by the end of August.", "the end of August")
    assert (t["value"], t["mod"], t["signal"]) == ("2021-08", "END", "by")
    begin, end = days(t)
    assert "2021-08-15" < begin and end == "2021-08-31"


def test_early_and_late() -> None:
    t = the("The offensive began in early 2020.", "early 2020")
    assert (t["value"], t["mod"]) == ("2020", "START")
    assert days(t)[0] == "2020-01-01" and days(t)[1] < "2020-06-01"
    t = the("Riots broke out in late November.", "late November")
    assert (t["value"], t["mod"]) == ("2021-11", "END")
    t = the("The mine closed in mid-2019.", "mid-2019")
    assert (t["value"], t["mod"]) == ("2019", "MID")


def test_approximate_and_bounded_quantities() -> None:
    t = the("The siege lasted more than 20 years.", "more than 20 years")
    assert (t["value"], t["mod"]) == ("P20Y", "MORE_THAN")
    t = the("He was jailed for about two years.", "about two years")
    assert (t["value"], t["mod"]) == ("P2Y", "APPROX")


# --- durations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The war lasted 20 years.", "20 years", "P20Y"),
        ("The truce held for six months.", "six months", "P6M"),
        ("The city had no power for twenty four hours.", "twenty four hours", "PT24H"),
        ("The city had no power for twenty-four hours.", "twenty-four hours", "PT24H"),
        ("They spent 2 1/2 years in the camps.", "2 1/2 years", "P2Y6M"),
        ("The hostages were held for a year and a half.", "a year and a half", "P1Y6M"),
        ("The strike lasted several weeks.", "several weeks", "PXW"),
        ("The court imposed a five-year ban.", "five-year", "P5Y"),
        ("The feud has lasted a decade.", "a decade", "P10Y"),
        ("Negotiations went on for ninety minutes.", "ninety minutes", "PT90M"),
    ],
)
def test_durations(sentence: str, phrase: str, value: str) -> None:
    t = the(sentence, phrase)
    assert (t["type"], t["value"]) == ("DURATION", value)


def test_duration_anchored_at_publication_has_days() -> None:
    t = the("The group could attack the West within six months.", "six months")
    assert (t["value"], t["signal"]) == ("P6M", "within")
    assert days(t) == ("2021-11-01", "2022-04-30")
    t = the("Prices doubled over the past two weeks.", "the past two weeks")
    assert t["value"] == "P2W"
    assert days(t) == ("2021-10-19", "2021-11-01")
    assert the("The war lasted 20 years.", "20 years")["interval"] is None


def test_the_verb_last_is_not_the_adjective() -> None:
    t = the("Officials said the curfew would last six months.", "six months")
    assert t["value"] == "P6M" and t["interval"] is None
    t = the("Prices rose over the last six months.", "the last six months")
    assert days(t) == ("2021-05-02", "2021-11-01")


def test_ages_are_not_durations() -> None:
    assert not times_of("A 6-year-old boy and his 44-year-old father were rescued.")


# --- sets and vague references ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The council meets every Friday.", "every Friday", "XXXX-WXX-5"),
        ("Protesters gather on Sundays.", "Sundays", "XXXX-WXX-7"),
        ("The paper is printed daily.", "daily", "P1D"),
        ("Inspectors visit each month.", "each month", "P1M"),
        ("The fee is $50 a year.", "a year", "P1Y"),
        ("The festival is held each July.", "each July", "XXXX-07"),
    ],
)
def test_sets(sentence: str, phrase: str, value: str) -> None:
    t = the(sentence, phrase)
    assert (t["type"], t["value"]) == ("SET", value)


@pytest.mark.parametrize(
    ("sentence", "phrase", "value"),
    [
        ("The town is now under army control.", "now", "PRESENT_REF"),
        ("The militia recently seized the airport.", "recently", "PAST_REF"),
        ("Talks may resume in the future.", "the future", "FUTURE_REF"),
        ("Kidnappings have risen in recent years.", "recent years", "PAST_REF"),
        ("The border is currently closed.", "currently", "PRESENT_REF"),
    ],
)
def test_vague_references(sentence: str, phrase: str, value: str) -> None:
    assert the(sentence, phrase)["value"] == value
    assert the(sentence, phrase)["interval"] is None


# --- periods of financial news and dates named earlier ------------------------------------


def test_reporting_periods() -> None:
    text = ("Third-quarter profit fell 12% from a year earlier. In the quarter ended Sept. 30, "
            "sales rose 3%, compared with the year-ago quarter.")
    assert the(text, "Third-quarter")["value"] == "2021-Q3"
    assert the(text, "a year earlier")["value"] == "2020-Q3"
    assert the(text, "the quarter")["value"] == "2021-Q3"
    assert the(text, "the year-ago quarter")["value"] == "2020-Q3"


def test_the_next_day_counts_from_the_date_named_last() -> None:
    text = "The rebels entered the city on March 3, 2020. The next day they seized the airport."
    assert the(text, "The next day")["value"] == "2020-03-04"


def test_fiscal_quarter_named_by_its_last_day() -> None:
    # A quarter ended July 31 runs May to July: mostly the second calendar quarter.
    text = "In the quarter ended July 31, the retailer lost $2 million."
    assert the(text, "the quarter")["value"] == "2021-Q2"


def test_words_that_look_ahead() -> None:
    # Past-tense verb, but the dividend is payable on a coming day.
    text = "The board declared a dividend, payable Dec. 15 to holders of record."
    assert the(text, "Dec. 15")["value"] == "2021-12-15"
    assert the("The merger closes by year-end.", "year-end")["value"] == "2021-12-31"
    assert the("Shares have fallen 8% since year-end.", "year-end")["value"] == "2020-12-31"


def test_titles_are_not_times() -> None:
    text = "The minister spoke on ABC's This Week and later on 60 Minutes about the war."
    assert not [t for t in times_of(text) if t["text"] in ("This Week", "60 Minutes")]
    # Sentence-initial capitals are ordinary.
    assert the("Today the council meets.", "Today")["value"] == "2021-11-01"


def test_holidays() -> None:
    assert the("The ceasefire will hold through Christmas.", "Christmas")["value"] == "2021-12-25"
    assert the("The market was bombed last Christmas.", "last Christmas")["value"] == "2020-12-25"
    assert the("Talks will resume after Thanksgiving.", "Thanksgiving")["value"] == "2021-11-25"


# --- without a publication date, and bad input --------------------------------------------


def test_without_a_publication_date_values_stay_underspecified() -> None:
    assert the("He was killed in August.", "August", published=None)["value"] == "XXXX-08"
    t = the("The coalition invaded in 2001.", "2001", published=None)
    assert t["value"] == "2001" and days(t) == ("2001-01-01", "2001-12-31")
    assert the("Two soldiers died yesterday.", "yesterday", published=None)["interval"] is None


@pytest.mark.parametrize(
    "text",
    ["", " ", "\u200b\u202e2021\ufeff", "Q" * 5000, "in 9999 BC", "on 31 February 2021",
     "at 99:99 p.m.", "the 0th century", ("On Friday. " * 3000)],
)
def test_any_text_is_handled(text: str) -> None:
    article = Article(id="x", text=text, published=PUBLISHED)
    times = normalise_times(parse(text), article)
    for t in times:
        assert text[t.start : t.end] == t.text


def test_output_is_deterministic() -> None:
    text = "Since August, attacks rose every Friday; by the end of 2021 the group had grown."
    assert newsint.analyze(text, published=PUBLISHED).to_json() == \
        newsint.analyze(text, published=PUBLISHED).to_json()


# --- small public helpers -----------------------------------------------------------------


def test_interval_of() -> None:
    assert interval_of("2021-W43").begin == "2021-10-25"
    assert interval_of("2021-W43").end == "2021-10-31"
    quarter = interval_of("2020-Q1")
    assert (quarter.begin, quarter.end) == ("2020-01-01", "2020-03-31")
    assert interval_of("2021-10-25T17:00").end == "2021-10-25"
    assert interval_of("2020-WI").end == "2021-02-28"
    assert interval_of("2021-08", "END").begin == "2021-08-22"
    assert interval_of("PAST_REF") is None
    assert interval_of("P6M") is None
    assert interval_of("1959", "AFTER") is None


@pytest.mark.parametrize(
    ("sentence", "word", "tense"),
    [
        ("The rebels seized the town in August.", "August", "PAST"),
        ("The rebels have seized the town since August.", "August", "PAST"),
        ("The rebels will attack in August.", "August", "FUTURE"),
        ("The army plans to withdraw in August.", "August", "FUTURE"),
        ("The talks are in August.", "August", "PRESENT"),
    ],
)
def test_tense_of(sentence: str, word: str, tense: str) -> None:
    doc = parse(sentence)
    token = next(t for t in doc if t.text == word)
    assert tense_of(token) == tense


def test_pick_occurrence_prefers_a_near_deadline() -> None:
    from datetime import date

    november = lambda y: Point("M", y, 11)  # noqa: E731
    assert pick_occurrence(november, date(2021, 10, 30), "PAST", None).year == 2021
    august = lambda y: Point("M", y, 8)  # noqa: E731
    assert pick_occurrence(august, date(2021, 11, 1), "FUTURE", None).year == 2022


@pytest.mark.parametrize(
    ("phrase", "number"),
    [("twenty four", 24), ("twenty-four", 24), ("a hundred", 100), ("two thousand", 2000),
     ("one hundred and fifty", 150), ("a couple of", 2), ("2 1/2", 2.5), ("1,500", 1500),
     ("two and a half", 2.5), ("several", "X"), ("the", None)],
)
def test_parse_number(phrase: str, number: float | str | None) -> None:
    assert parse_number(phrase) == number


def test_parse_year() -> None:
    assert parse_year("nineteen ninety-six") == 1996
    assert parse_year("two thousand and one") == 2001
    assert parse_year("nineteen oh five") == 1905
    assert parse_year("twenty twelve") == 2012


# --- the seed article (issue 4) -----------------------------------------------------------


@requires_shared
@pytest.mark.parametrize(
    ("phrase", "value", "mod"),
    [
        ("a week ago", "2021-10-25", None),
        ("last week", "2021-W43", None),
        ("2001", "2001", None),
        ("20 years", "P20Y", None),
        ("the end of August", "2021-08", "END"),
    ],
)
def test_seed_times(seed_record: dict, phrase: str, value: str, mod: str | None) -> None:
    assert SEED_PUBLISHED == "2021-11-01"
    found = spans_of(seed_record, "times", phrase)
    assert found, phrase
    assert all((t["value"], t["mod"]) == (value, mod) for t in found)


@requires_shared
def test_seed_august_and_since_august(seed_record: dict) -> None:
    augusts = spans_of(seed_record, "times", "August")
    assert {t["value"] for t in augusts} == {"2021-08"}
    assert "since" in {t["signal"] for t in augusts}
    assert all(t["interval"] == {"begin": "2021-08-01", "end": "2021-08-31"} for t in augusts)


@requires_shared
def test_seed_within_six_months_is_a_forecast_horizon(seed_record: dict) -> None:
    (six,) = spans_of(seed_record, "times", "six months")
    assert (six["type"], six["value"], six["signal"]) == ("DURATION", "P6M", "within")
    assert six["interval"] == {"begin": "2021-11-01", "end": "2022-04-30"}


@requires_shared
def test_seed_dated_intervals(seed_record: dict) -> None:
    (week_ago,) = spans_of(seed_record, "times", "a week ago")
    assert week_ago["interval"] == {"begin": "2021-10-25", "end": "2021-10-25"}
    (last_week,) = spans_of(seed_record, "times", "last week")
    assert last_week["interval"] == {"begin": "2021-10-25", "end": "2021-10-31"}


# --- regression floor on a fixed slice of TempEval-3 --------------------------------------


def _scorer():
    spec = importlib.util.spec_from_file_location("newsint_eval_score", EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@requires_shared
def test_tempeval3_slice_floor() -> None:
    """The first 40 TempEval-3 documents, scored by the shared scorer. Full scores are
    the benchmark's (benchmarks/time.py); this only guards against regressions."""
    lines = (EVAL / "time" / "tempeval3.jsonl").read_text(encoding="utf-8").splitlines()
    gold = [json.loads(line) for line in lines[:40]]
    records = [newsint.analyze(d["text"], published=d["dct"], id=d["id"]) for d in gold]
    pred = {r.article.id: check_record(r) for r in records}
    metrics, _ = _scorer().score_time(gold, pred)
    assert metrics["relaxed_f1"] >= 0.88, metrics
    assert metrics["value_f1"] >= 0.74, metrics
