"""Event dates: expressions resolved against the publication date, and the fallback finder."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from thucydides.dates import find_dates, publication_date, resolve_date
from thucydides.types import EventDate

MON_2012 = date(2012, 3, 12)  # a Monday
MON_2001 = date(2001, 4, 30)  # a Monday, the last day of its month


def resolved(expression: str, published: date, tense: str | None = None) -> tuple[str, str]:
    result = resolve_date(expression, published, tense)
    assert result is not None, expression
    assert result.source == "text"
    assert result.text == expression
    return result.date, result.precision


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected"),
    [
        # Weekdays named with "this", "next", "last" go by the week, whatever the tense.
        ("this Thursday", MON_2012, None, "2012-03-15"),
        ("this Thursday", MON_2012, "past", "2012-03-15"),
        ("this Thursday", MON_2001, None, "2001-05-03"),
        ("next Thursday", MON_2012, None, "2012-03-22"),
        ("next Thursday", MON_2001, "future", "2001-05-10"),
        ("last Thursday", MON_2012, None, "2012-03-08"),
        ("last Thursday", MON_2001, "past", "2001-04-26"),
        # A bare weekday goes by tense; the publication day itself counts both ways.
        ("Thursday", MON_2012, "past", "2012-03-08"),
        ("on Thursday", MON_2012, "past", "2012-03-08"),
        ("Thursday", MON_2012, "future", "2012-03-15"),
        ("on Thursday", MON_2001, "future", "2001-05-03"),
        ("Thursday", MON_2012, None, "2012-03-15"),  # nearer ahead (3 days) than behind (4)
        ("Saturday", MON_2012, None, "2012-03-10"),
        ("Monday", MON_2012, "past", "2012-03-12"),
        ("on Monday", MON_2001, "future", "2001-04-30"),
        ("Monday's", MON_2001, "past", "2001-04-30"),
        ("Sunday night", MON_2012, "past", "2012-03-11"),
        ("Sunday night", MON_2012, "future", "2012-03-18"),
        ("Thursday at 10 a.m.", MON_2012, "future", "2012-03-15"),
        ("Thursday, March 15", MON_2012, "future", "2012-03-15"),
        # Days next to publication.
        ("today", MON_2012, None, "2012-03-12"),
        ("tonight", MON_2001, "future", "2001-04-30"),
        ("yesterday", MON_2012, "past", "2012-03-11"),
        ("yesterday", MON_2001, "past", "2001-04-29"),
        ("tomorrow", MON_2001, "future", "2001-05-01"),
        ("last night", MON_2012, "past", "2012-03-11"),
        ("two days ago", MON_2001, "past", "2001-04-28"),
        ("two days ago", MON_2012, "past", "2012-03-10"),
        # The weekend is its Saturday.
        ("the weekend", MON_2012, "past", "2012-03-10"),
        ("over the weekend", MON_2001, "past", "2001-04-28"),
        ("the weekend", MON_2012, "future", "2012-03-17"),
        ("this weekend", MON_2012, None, "2012-03-17"),
        ("this weekend", MON_2012, "past", "2012-03-10"),
        ("next weekend", MON_2012, None, "2012-03-24"),
        # Month-days: the publication year unless the tense rules it out.
        ("Apr. 27", MON_2001, "past", "2001-04-27"),
        ("April 27", MON_2001, None, "2001-04-27"),
        ("27 April", MON_2001, "past", "2001-04-27"),
        ("Apr 27th", MON_2001, "past", "2001-04-27"),
        ("April 27", MON_2012, "past", "2012-04-27"),  # 46 days ahead: within the slack
        ("June 1", MON_2012, "past", "2011-06-01"),  # too far ahead for a past event
        ("Dec. 28", MON_2012, "past", "2011-12-28"),
        ("Dec. 28", MON_2012, None, "2011-12-28"),  # nearest
        ("Dec. 28", MON_2012, "future", "2012-12-28"),
        ("Jan. 15", MON_2001, "future", "2002-01-15"),  # too far back for a future event
        ("March 2", MON_2012, "future", "2012-03-02"),  # 10 days back: within the slack
        # Absolute dates.
        ("March 12, 2012", MON_2001, None, "2012-03-12"),
        ("12 March 2012", MON_2001, "past", "2012-03-12"),
        ("2012-03-12", MON_2001, None, "2012-03-12"),
        ("March 12-14", MON_2012, "future", "2012-03-12"),  # a range: its first day
    ],
)
def test_days(expression: str, published: date, tense: str | None, expected: str) -> None:
    assert resolved(expression, published, tense) == (expected, "day")


@pytest.mark.parametrize(
    ("expression", "published", "tense", "expected", "precision"),
    [
        ("this week", MON_2012, None, "2012-03-12", "week"),
        ("earlier this week", MON_2001, "past", "2001-04-30", "week"),
        ("last week", MON_2012, "past", "2012-03-05", "week"),
        ("last week", MON_2001, "past", "2001-04-23", "week"),
        ("next week", MON_2012, "future", "2012-03-19", "week"),
        ("three weeks ago", MON_2001, "past", "2001-04-09", "week"),
        ("three weeks ago", MON_2012, "past", "2012-02-20", "week"),
        ("in two weeks", MON_2012, "future", "2012-03-26", "week"),
        ("in two weeks", MON_2001, "future", "2001-05-14", "week"),
        ("this month", MON_2012, None, "2012-03", "month"),
        ("last month", MON_2012, "past", "2012-02", "month"),
        ("last month", MON_2001, "past", "2001-03", "month"),
        ("next month", MON_2001, "future", "2001-05", "month"),
        ("earlier this month", MON_2001, "past", "2001-04", "month"),
        ("the end of the month", MON_2012, "future", "2012-03", "month"),
        ("April 2001", MON_2012, "past", "2001-04", "month"),
        ("April 2001 and every year", MON_2012, "past", "2001-04", "month"),
        ("April", MON_2012, "past", "2011-04", "month"),
        ("April", MON_2012, "future", "2012-04", "month"),
        ("in April", MON_2001, "past", "2001-04", "month"),
        ("May", MON_2001, "past", "2000-05", "month"),
        ("May", MON_2001, "future", "2001-05", "month"),
        ("mid-July", MON_2012, "past", "2011-07", "month"),
        ("mid-July", MON_2012, "future", "2012-07", "month"),
        ("this year", MON_2001, None, "2001", "year"),
        ("last year", MON_2012, "past", "2011", "year"),
        ("late last year", MON_2012, "past", "2011", "year"),
        ("late last year", MON_2001, "past", "2000", "year"),
        ("next year", MON_2001, "future", "2002", "year"),
        ("in 2007", MON_2012, "past", "2007", "year"),
        ("2007", MON_2001, "future", "2007", "year"),
        ("a year ago", MON_2012, "past", "2011", "year"),
    ],
)
def test_weeks_months_years(
    expression: str, published: date, tense: str | None, expected: str, precision: str
) -> None:
    assert resolved(expression, published, tense) == (expected, precision)


@pytest.mark.parametrize(
    "expression",
    [
        "the 1990s",
        "1990s",
        "for more than 10 years",
        "decades",
        "every year",
        "indefinitely",
        "50-year-old",
        "two weeks",  # a duration: "in two weeks" is a date, "for two weeks" is not
        "10 years",
        "recently",
        "later",
        "the past",
        "",
        "Thursday's the day for a song and a dance about nothing at all",
    ],
)
def test_not_a_point_in_time(expression: str) -> None:
    for tense in ("past", None, "future"):
        assert resolve_date(expression, MON_2012, tense) is None


def test_invalid_calendar_dates() -> None:
    assert resolve_date("February 30, 2012", MON_2012) is None
    assert resolve_date("2012-13-01", MON_2012) is None


def test_publication_date_and_datetime_input() -> None:
    assert publication_date(MON_2001) == EventDate("2001-04-30", "day", "", "publication")
    at_noon = datetime(2012, 3, 12, 12, 0)
    result = resolve_date("yesterday", at_noon, "past")
    assert result == EventDate("2012-03-11", "day", "yesterday", "text")


def spans(text: str) -> list[str]:
    found = find_dates(text)
    for start, end, expression in found:
        assert text[start:end] == expression
    return [expression for _, _, expression in found]


def test_find_dates_offsets() -> None:
    text = "Envoys met last Thursday in Hanoi and will meet again next week."
    assert find_dates(text) == [(11, 24, "last Thursday"), (54, 63, "next week")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ceasefire held on Apr. 27. Then it broke.", ["Apr. 27"]),
        (
            "Two days ago rebels shelled the port; in two weeks talks resume.",
            ["Two days ago", "in two weeks"],
        ),
        (
            "Earlier this month he flew to Oslo; late last year to Lima.",
            ["Earlier this month", "late last year"],
        ),
        (
            "The vote, set for mid-July, follows one on 27 April 2001.",
            ["mid-July", "27 April 2001"],
        ),
        ("Fighting over the weekend went on Sunday night.", ["the weekend", "Sunday night"]),
        ("Troops left in 2007 after the 1990s wars.", ["2007"]),
        ("On March 12, 2012 and 2012-03-14 they met.", ["March 12, 2012", "2012-03-14"]),
        ("The 50-year-old may march in May.", ["in May"]),
        ("Sun rose as Jan said 2007 people came.", []),
        (
            "He said yesterday that tomorrow will be calm; tonight is not.",
            ["yesterday", "tomorrow", "tonight"],
        ),
        ("Monday's talks ended.", ["Monday"]),
    ],
)
def test_find_dates(text: str, expected: list[str]) -> None:
    assert spans(text) == expected
