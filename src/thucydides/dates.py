"""Dates written in news text -> calendar dates.

This module reads absolute dates and times ("March 12, 2012 - 13:55", "Posted April. 30, 2001
13:37", "2012-03-12T13:55:00Z", "Mon, 12 Mar 2012 13:55:00 +0900", "2012.03.12"). Our own rules
rather than a general parser: news date lines come in a few shapes, and rules are fast, predictable
and never read "May" in a sentence as a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

MONTHS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s*)?"
_TIME = (
    r"(?:[\s,\-–—|@T]*(?:at\s+)?(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\.\d+)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<tz>z|utc|gmt|kst|est|edt|pst|pdt|cet|cest|bst|[+-]\d{2}:?\d{2})?)?"
)
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

# Whole-string shapes, tried in order; each must consume the string but for trailing punctuation.
_SHAPES = [
    re.compile(rf"{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}{_TIME}", re.I),  # March 12, 2012
    re.compile(rf"{_WEEKDAY}{_DAY}\s+{_MONTH},?\s+{_YEAR}{_TIME}", re.I),  # 12 March 2012
    re.compile(
        rf"{_YEAR}[-./](?P<month>\d{{1,2}})[-./]{_DAY}{_TIME}",
        re.I,
    ),  # 2012-03-12T13:55, 2012.03.12 13:55
]
_LEADING_LABEL = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|posted|updated|modified|created|date|dated|"
    r"release[d]?|issued|edited)(?:\s+(?:on|at))?\s*[:：\-–—]?\s*)+",
    re.I,
)
_TRAILING = re.compile(r"[\s,.;|·\-–—:]+$")


@dataclass(frozen=True, slots=True)
class DateTimeText:
    """An absolute date, with a time when the text gave one."""

    day: date
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    tz: str | None = None  # as written ("KST", "+09:00"); we do not convert

    def iso(self) -> str:
        """ISO 8601: the date alone, or date and time (naive: the page's own clock)."""
        if self.hour is None:
            return self.day.isoformat()
        stamp = datetime(
            self.day.year,
            self.day.month,
            self.day.day,
            self.hour,
            self.minute or 0,
            self.second or 0,
        )
        text = stamp.isoformat()
        if self.tz and re.fullmatch(r"[+-]\d{2}:?\d{2}", self.tz):
            text += self.tz if ":" in self.tz else f"{self.tz[:3]}:{self.tz[3:]}"
        elif self.tz and self.tz.lower() in {"z", "utc", "gmt"}:
            text += "+00:00"
        return text


def _normalise_spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2009\u202f]+", " ", text).strip()


def parse_datetime(text: str) -> DateTimeText | None:
    """Read text that is a date (optionally with a time and a label such as "Published :").

    Returns None unless the whole text is a date: "Posted April. 30, 2001 13:37," is one,
    "Talks began on March 12, 2012 in Moscow" is not.
    """
    candidate = _LEADING_LABEL.sub("", _normalise_spaces(text))
    candidate = _TRAILING.sub("", candidate)
    if not candidate or len(candidate) > 60:
        return None
    for shape in _SHAPES:
        match = shape.fullmatch(candidate)
        if match:
            return _build(match)
    return None


def _build(match: re.Match[str]) -> DateTimeText | None:
    groups = match.groupdict()
    month_text = groups["month"].lower().rstrip(".")
    month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text)
    if month is None:
        return None
    try:
        day = date(int(groups["year"]), month, int(groups["day"]))
    except ValueError:
        return None
    if groups.get("hour") is None:
        return DateTimeText(day)
    hour, minute = int(groups["hour"]), int(groups["minute"])
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return DateTimeText(day)
    second = int(groups["second"]) if groups.get("second") else None
    return DateTimeText(day, hour, minute, second, groups.get("tz"))


_RFC2822 = re.compile(
    rf"{_WEEKDAY}{_DAY}\s+{_MONTH}\s+{_YEAR}\s+(?P<hour>\d{{2}}):(?P<minute>\d{{2}})"
    r"(?::(?P<second>\d{2}))?\s*(?P<tz>[+-]\d{4}|gmt|utc|z)?",
    re.I,
)


def parse_date_hint(text: str | None) -> DateTimeText | None:
    """A date given by a container (JSONL `date`, CSV column, HTML metadata): any common shape."""
    if not text or not text.strip():
        return None
    text = text.strip()
    match = _RFC2822.fullmatch(text)
    if match:
        return _build(match)
    return parse_datetime(text)
