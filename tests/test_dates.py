from __future__ import annotations

import pytest

from thucydides.dates import parse_date_hint, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published : March 12, 2012 - 13:55", "2012-03-12T13:55:00"),
        ("Posted April. 30, 2001 13:37,\u00a0\u00a0 ", "2001-04-30T13:37:00"),
        ("Apr. 27, 2001", "2001-04-27"),
        ("12 March 2012", "2012-03-12"),
        ("Updated: Monday, March 12, 2012 1:55 pm KST", "2012-03-12T13:55:00"),
        ("2012.03.12 13:55", "2012-03-12T13:55:00"),
        ("2012-03-12T13:55:00Z", "2012-03-12T13:55:00+00:00"),
        ("Sept. 3rd, 2019 at 9:05 a.m.", "2019-09-03T09:05:00"),
    ],
)
def test_date_lines(text: str, expected: str) -> None:
    parsed = parse_datetime(text)
    assert parsed is not None
    assert parsed.iso() == expected


@pytest.mark.parametrize(
    "text",
    ["Talks began on March 12, 2012 in Moscow.", "May 2012", "February 30, 2012", "", "Monday"],
)
def test_not_a_date_line(text: str) -> None:
    assert parse_datetime(text) is None


def test_container_dates() -> None:
    assert parse_date_hint("Mon, 12 Mar 2012 13:55:00 +0900").iso() == "2012-03-12T13:55:00+09:00"
    assert parse_date_hint("2024-07-08").iso() == "2024-07-08"
    assert parse_date_hint(None) is None
    assert parse_date_hint("not a date") is None
